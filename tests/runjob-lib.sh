# runjob-lib.sh - helpers for the runjob tests (sourced after lib.sh).
#
# Survivors are found by a marker in their command line: a test starts
# `sh -c 'sleep 30; :' MARKER`, whose $0 is the marker, and asks pgrep.

MARK=rjmark-$$

alive() { pgrep -f -- "$1" >/dev/null; }

# gone MARKER: no process has MARKER in its command line, within 5 s.
gone() {
	_i=0
	while alive "$1"; do
		_i=$((_i + 1))
		[ $_i -le 100 ] || return 1
		sleep 0.05
	done
}

# A process with the marker in its argv that lives for 30 s, off the TAP
# stream (a survivor must not hold prove's pipe open).
sleeper() { printf "sh -c 'exec >/dev/null 2>&1; sleep 30; :' %s" "$1"; }

# Clean up after peers (timeout(1)) that leave processes behind: the
# marked processes and their children (the sleep(1) has no marker).
reap_marker() {
	for _p in $(pgrep -f -- "$1"); do
		pkill -KILL -P "$_p"
		kill -KILL "$_p"
	done 2>/dev/null
	gone "$1"
}
trap 'reap_marker "$MARK"; rm -rf "$T"' EXIT

# json FILE FILTER: jq -c over the result line.
json() { jq -c "$2" "$1"; }
