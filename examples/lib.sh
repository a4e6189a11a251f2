# examples/lib.sh - shared by the example loops (the worker).
#
# A shell runs its traps only after the foreground command ends, so a
# loop that must stop promptly on SIGTERM runs each step with `run`: the
# step goes to the background, `wait` is interrupted by the signal, and
# the trap passes the signal on to the step, which stops cleanly (runjob
# stops the task and still reports).

stop=0
job=
trap 'stop=1; [ -n "$job" ] && kill -TERM "$job" 2>/dev/null' TERM INT

# run CMD...: CMD's exit status, with SIGTERM passed on to it.
run() {
	# Without job control a background command's stdin is /dev/null
	# before any explicit redirection: hand it the caller's through fd 3.
	{ "$@" <&3 3<&- & } 3<&0
	job=$!
	wait "$job"
	rc=$?
	while kill -0 "$job" 2>/dev/null; do	# the wait was interrupted
		wait "$job"
		rc=$?
	done
	job=
	return $rc
}
