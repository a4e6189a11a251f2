#!/bin/sh
# Loop mode: again until the output says it is done, within bounds.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/runjob-lib.sh"
plan 17

cat >task <<'S'
#!/bin/sh
echo "iteration $RUNJOB_ITERATION"
printf 'previous: %s\n' "${RUNJOB_PREVIOUS_OUTPUT:-none}" | head -1
[ "$RUNJOB_ITERATION" -ge "${DONE_AT:-999}" ] && printf 'ALL%s\n' DONE
exit 0
S
chmod +x task

expect_exit 0 'fulfilled: the marker appears on the third run' \
	"DONE_AT=3 runjob --until ALLDONE --max-iterations 5 -- ./task >r"
json r '{loop_reason,iterations,exit}' >got
printf '%s\n' '{"loop_reason":"fulfilled","iterations":3,"exit":0}' >want
compare want got 'the line says fulfilled after 3'
json r .output >got
printf '%s\n' '"iteration 3\nprevious: iteration 2\nALLDONE\n"' >want
compare want got 'each run sees its number and the previous output'

expect_exit 1 'max_iterations: never done, exit 1' \
	"runjob --until ALLDONE --max-iterations 2 -- ./task >r"
json r '{loop_reason,iterations,exit}' >got
printf '%s\n' '{"loop_reason":"max_iterations","iterations":2,"exit":0}' >want
compare want got 'the line says max_iterations'

expect_exit 124 'max_time in the middle of a run stops it' \
	"runjob -k 0.1 --until ALLDONE --max-time 0.3 -- sleep 10 >r"
json r '{loop_reason,timed_out,iterations}' >got
printf '%s\n' '{"loop_reason":"max_time","timed_out":true,"iterations":1}' >want
compare want got 'the line says max_time and timed_out'

# The marker split across two writes is still seen.
expect_exit 0 'a marker written in two halves' \
	"runjob --until ALLDONE --max-iterations 3 -- sh -c 'printf ALL; sleep 0.1; printf DONE' >r"
json r '{loop_reason,iterations}' >got
printf '%s\n' '{"loop_reason":"fulfilled","iterations":1}' >want
compare want got 'is found'

# Cancelled through the store between or during runs.
PROMISE_BACKOFF=0
export PROMISE_BACKOFF
promise add --json 'loop' >/dev/null
promise claim --json >claim
runjob --heartbeat 200ms -k 0.1 --until ALLDONE --max-iterations 1000 \
	--handler ./task <claim >r &
pid=$!
sleep 0.5
promise cancel --json 1 >/dev/null
wait $pid
ok 'cancelled: exit 3' [ $? = 3 ]
json r '{loop_reason,cancelled}' >got
printf '%s\n' '{"loop_reason":"cancelled","cancelled":true}' >want
compare want got 'the line says cancelled'
ok 'and it ran more than once before' [ "$(jq .iterations r)" -gt 1 ]

expect_exit 2 '--max-iterations without --until is a usage error' \
	'runjob --max-iterations 3 -- true'

# A promise can ask for loop mode itself, through its meta; flags win.
promise add --meta '{"until":"ALLDONE","max_iterations":4}' 'loop by meta' >/dev/null
promise claim --json >claim
expect_exit 0 'the promise'"'"'s meta asks for a loop' \
	'DONE_AT=2 runjob --handler ./task <claim >r'
json r '{loop_reason,iterations}' >got
printf '%s\n' '{"loop_reason":"fulfilled","iterations":2}' >want
compare want got 'it runs until the marker, as the meta says'
promise settle <r >/dev/null
promise add --meta '{"until":"ALLDONE","max_iterations":4}' 'flags win' >/dev/null
promise claim --json >claim
expect_exit 1 'a flag overrides the meta' \
	'runjob --handler ./task --until NEVER --max-iterations 2 <claim >r'
json r '{loop_reason,iterations}' >got
printf '%s\n' '{"loop_reason":"max_iterations","iterations":2}' >want
compare want got 'the flag'"'"'s marker and bound apply'
