#!/bin/sh
# runjob leaves nothing behind where timeout(1) does: side by side.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/runjob-lib.sh"
plan 17

# A grandchild that called setsid: outside the group timeout(1) signals.
A=$MARK-setsid-timeout
expect_exit 124 'timeout(1): times out a task with a setsid grandchild' \
	"timeout -k 0.2 0.3 sh -c \"setsid $(sleeper $A) & sleep 10\""
ok 'timeout(1): the setsid grandchild is still alive afterwards' alive "$A"
reap_marker "$A"
B=$MARK-setsid-runjob
expect_exit 124 'runjob: times out the same task' \
	"runjob -t 0.3 -k 0.2 -- sh -c \"setsid $(sleeper $B) & sleep 10\""
ok 'runjob: the setsid grandchild is dead afterwards' gone "$B"

# A double-forked daemon: the task itself exits at once, and fine.
A=$MARK-daemon-timeout
expect_exit 0 'timeout(1): a task that double-forks a daemon exits 0' \
	"timeout 10 sh -c \"(setsid $(sleeper $A) &); exit 0\""
ok 'timeout(1): the daemon lives on' alive "$A"
reap_marker "$A"
B=$MARK-daemon-runjob
expect_exit 0 'runjob: the same task exits 0' \
	"runjob -t 10 -- sh -c \"(setsid $(sleeper $B) &); exit 0\""
ok 'runjob: the daemon is dead afterwards' gone "$B"

# The supervisor itself killed with SIGKILL.
A=$MARK-kill9-timeout
timeout 30 sh -c "setsid $(sleeper $A-s) & $(sleeper $A-g)" & pid=$!
sleep 0.3; kill -9 $pid; wait $pid 2>/dev/null
ok 'timeout(1) killed with -9: its task lives on' alive "$A-g"
reap_marker "$A"
B=$MARK-kill9-runjob
runjob -t 30 -- sh -c "setsid $(sleeper $B-s) & $(sleeper $B-g)" & pid=$!
sleep 0.3; kill -9 $pid; wait $pid 2>/dev/null
ok 'runjob killed with -9: its task and the group die with it' gone "$B-g"
ok 'runjob killed with -9: the setsid grandchild dies too' gone "$B-s"

# Nested under an outer timeout(1) that ends with SIGKILL.
A=$MARK-nest-timeout
expect_exit 137 'timeout(1) inside timeout -s KILL: killed' \
	"timeout -s KILL 0.3 timeout 30 sh -c \"setsid $(sleeper $A-s) & $(sleeper $A-g)\""
ok 'timeout(1) nested: its task lives on' alive "$A-g"
reap_marker "$A"
B=$MARK-nest-runjob
expect_exit 137 'runjob inside timeout -s KILL: killed' \
	"timeout -s KILL 0.3 runjob -t 30 -- runjob -- sh -c \"setsid $(sleeper $B-s) & $(sleeper $B-g)\""
ok 'runjob nested: everything is dead afterwards' gone "$B"

# A task that ignores SIGTERM gets SIGKILL after the grace.
B=$MARK-stubborn
expect_exit 124 'a task that ignores SIGTERM is timed out' \
	"runjob -t 0.2 -k 0.2 -- sh -c 'trap \"\" TERM; sleep 30; :' $B"
ok 'and it is dead: SIGKILL after the grace' gone "$B"
