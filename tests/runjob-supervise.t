#!/bin/sh
# runjob --supervise on its own: bad arguments, a restart after the whole
# old tree is gone, SIGTERM to a component's first process alone, and
# nothing left when the supervisor dies.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/runjob-lib.sh"
plan 10

# eventually SECONDS CMD...: CMD succeeds within SECONDS (polls 10/s).
eventually() {
	_limit=$(($1 * 10)); shift
	_i=0
	until "$@"; do
		_i=$((_i + 1))
		[ $_i -ge $_limit ] && return 1
		sleep 0.1
	done
}

expect_exit 2 'no component' 'runjob --supervise'
expect_exit 2 'a component without a command' 'runjob --supervise name='
expect_exit 2 'two components of one name' 'runjob --supervise a=true a=true'

# A component that ends is restarted, and says why.
runjob --supervise --name sv "one=echo ran >>$T/runs; exit 3" 2>sv.err &
pid=$!
two_runs() { [ -f runs ] && [ "$(wc -l <runs)" -ge 2 ]; }
ok 'a component that ends runs again' eventually 20 two_runs
kill -TERM $pid
wait $pid
ok 'SIGTERM: the supervisor exits 0' [ $? = 0 ]
head -1 sv.err >got
echo 'sv: one exited with status 3; restarting in 1s' >want
compare want got 'the restart is one line on stderr'

# SIGTERM reaches the first process alone: the pipeline behind it is
# stopped by the component itself (here: with SIGUSR1, which the child
# takes quietly; a SIGTERM would be written down).
cat >comp <<'C'
trap 'echo "leader got TERM" >>"$OUT"; kill -USR1 "$p"; exit 0' TERM
sh -c 'trap "echo \"child got TERM\" >>\"$OUT\"; exit 0" TERM; trap "exit 0" USR1; while :; do sleep 0.05; done' &
p=$!
: >"$OUT.up"
wait
C
OUT=$T/term runjob --supervise "c=. $T/comp" 2>/dev/null &
pid=$!
up() { [ -e "$T/term.up" ]; }
eventually 20 up
kill -TERM $pid
wait $pid
echo 'leader got TERM' >want
compare want term 'SIGTERM goes to the first process alone'

# The supervisor killed: its keepers take every component with them.
runjob --supervise "a=$(sleeper "$MARK-a")" "b=$(sleeper "$MARK-b") | cat" 2>/dev/null &
pid=$!
both() { alive "$MARK-a" && alive "$MARK-b"; }
ok 'two components run' eventually 20 both
kill -KILL $pid
wait $pid 2>/dev/null
ok 'kill -9 the supervisor: the first is gone' gone "$MARK-a"
ok 'and the second, pipeline and all' gone "$MARK-b"
