#!/bin/sh
# Promise mode: one claimed promise, its handler, lease, progress, cancel.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/runjob-lib.sh"
plan 35
PROMISE_BACKOFF=0
export PROMISE_BACKOFF

mkdir h
cat >h/code <<'H'
#!/bin/sh
printf 'id=%s type=%s attempt=%s chat=%s user=%s\n' "$PROMISE_ID" \
	"$PROMISE_TYPE" "$PROMISE_ATTEMPT" "$PROMISE_CHAT_ID" "$PROMISE_USER_ID"
printf 'task=%s\n' "$PROMISE_TASK"
printf 'meta=%s\n' "$PROMISE_META"
echo 'progress 40 fetching sources' >&3
jq -r '"stdin text=" + .text'
H
cat >h/default <<'H'
#!/bin/sh
echo "default handler for '$PROMISE_TYPE'"
H
cat >h/sleep <<'H'
#!/bin/sh
exec sh -c 'sleep 30; :' "$MARKER"
H
chmod +x h/*

# The handler interface: environment, stdin, fd 3.
promise add --json --chat 42 --user 7 --type code --meta '{"k":1}' 'fix it' >/dev/null
promise claim --json >claim
expect_exit 0 'a claimed promise runs its handler' \
	'runjob --handlers h <claim >r'
json r .output >got
printf '%s\n' '"id=1 type=code attempt=1 chat=42 user=7\ntask=fix it\nmeta={\"k\":1}\nstdin text=fix it\n"' >want
compare want got 'the handler sees PROMISE_* and the line on stdin'
jq -c 'del(.exit, .signal, .timed_out, .cancelled, .lease_lost, .interrupted, .released,
	.duration_ms, .output, .output_truncated, .output_bytes, .started_at,
	.finished_at)' r >got
jq -c 'del(.started_at, .finished_at)' claim >want
compare want got 'every other field of the promise line is passed through'
promise show 1 --json >s
json s '{progress,progress_note}' >got
printf '%s\n' '{"progress":40,"progress_note":"fetching sources"}' >want
compare want got 'progress from fd 3 reaches the store'
expect_exit 0 'promise settle --json takes the result line' 'promise settle --json <r'
promise show 1 --json >s
json s '{status,result}' >got
printf '%s\n' '{"status":"done","result":"id=1 type=code attempt=1 chat=42 user=7\ntask=fix it\nmeta={\"k\":1}\nstdin text=fix it\n"}' >want
compare want got 'claim | runjob | settle is a worker'

# Handler lookup.
promise add --json --type other 'x' >/dev/null
expect_exit 0 'an unknown type runs DIR/default' \
	'promise claim --json | runjob --handlers h >r'
json r .output >got
printf '%s\n' '"default handler for '"'"'other'"'"'\n"' >want
compare want got 'the default handler ran'
printf '{"id":99,"task_type":"../code"}\n' >line
expect_exit 126 'a task type with a / is refused' 'runjob --handlers h <line >r'
json r '{exit,error}' >got
printf '%s\n' '{"exit":null,"error":"refusing a task type that is not a plain file name"}' >want
compare want got 'and the line says so'
printf '{"id":99,"task_type":".hidden"}\n' >line
expect_exit 126 'a task type starting with . is refused' 'runjob --handlers h <line >r'
mkdir empty
printf '{"id":99,"task_type":"code"}\n' >line
expect_exit 127 'no handler and no default: 127' 'runjob --handlers empty <line >r'
expect_exit 1 'no promise line (nothing claimed): 1' 'runjob --handlers h </dev/null >r'
ok 'and nothing printed' [ ! -s r ]
printf 'not json\n' >line
expect_exit 125 'a line that is not JSON: 125' 'runjob --handlers h <line >r'

# Injection attempts in the task text are inert.
cat >h/inject <<'H'
#!/bin/sh
echo "$PROMISE_TASK"
printf '%s\n' $PROMISE_TASK >/dev/null
H
chmod +x h/inject
promise add --json --type inject "\$(touch $T/canary) \`touch $T/canary\` '; DROP TABLE promises; --" >/dev/null
promise claim --json >claim
expect_exit 0 'a hostile task text runs' 'runjob --handlers h <claim >r'
ok 'no command in it ran' [ ! -e canary ]
json r .output >got
jq -c '.text + "\n"' claim >want
compare want got 'the handler got the text verbatim'
promise settle --json <r >/dev/null
check 'the database is intact' 'promise show 3 --json >s && [ "$(jq -r .status s)" = done ] && promise list --json >/dev/null'
promise add --json "\$(touch $T/canary)" >/dev/null
expect_exit 0 'the same through --handler CMD' \
	'promise claim --json | runjob --handler h/inject >r'
ok 'no command ran either' [ ! -e canary ]

# Timeouts: the promise's own, unless -t.
promise add --json --timeout 300ms --type sleep 'slow' >/dev/null
promise claim --json >claim
expect_exit 124 "the promise's timeout_ms applies" \
	"MARKER=$MARK-t runjob -k 0.1 --handlers h <claim >r"
json r '{timed_out,signal}' >got
printf '%s\n' '{"timed_out":true,"signal":15}' >want
compare want got 'and the line says timed_out'
promise settle --json <r >/dev/null
promise claim --json >claim
expect_exit 0 '-t overrides it' \
	"runjob -t 10 --handler true <claim >r"
promise settle --json <r >/dev/null

# Cancel through the store: stopped within two heartbeats.
promise add --json --type sleep 'cancel me' >/dev/null
promise claim --json >claim
id=$(jq .id claim)
MARKER=$MARK-c runjob -k 0.1 --heartbeat 1s --handlers h <claim >r &
pid=$!
sleep 0.3
t0=$(date +%s%N)
promise cancel --json "$id" >/dev/null
wait $pid
rc=$?
t1=$(date +%s%N)
ok 'cancelled: exit status 3' [ $rc = 3 ]
ok 'within two heartbeats (2 s) of the cancel' [ $(( (t1 - t0) / 1000000 )) -lt 2000 ]
json r '{cancelled,signal}' >got
printf '%s\n' '{"cancelled":true,"signal":15}' >want
compare want got 'the line says cancelled'
ok 'the handler is gone' gone "$MARK-c"
promise settle --json <r >/dev/null
promise show "$id" --json >s
ok 'settle marks it cancelled' [ "$(jq -r .status s)" = cancelled ]

# runjob killed with -9: the handler dies, the lease runs out, and the
# promise is claimed again.
promise add --json --type sleep 'crash' >/dev/null
promise claim --json --lease 1s >claim
id=$(jq .id claim)
MARKER=$MARK-k runjob --heartbeat 200ms --lease 1s --handlers h <claim >r &
pid=$!
sleep 0.5
kill -9 $pid
wait $pid 2>/dev/null
ok 'killed runjob: the handler dies with it' gone "$MARK-k"
sleep 1.2
expect_exit 0 'after the lease ran out the promise is claimed again' \
	'promise claim --json >claim2'
json claim2 '{id,attempt}' >got
printf '{"id":%s,"attempt":2}\n' "$id" >want
compare want got 'the same promise, attempt 2'

# A lost lease stops the handler too.
MARKER=$MARK-l runjob --heartbeat 1500ms --lease 300ms --handlers h <claim >r 2>err &
pid=$!
sleep 0.8
promise claim --json >claim3
wait $pid
ok 'lost lease: exit status 4' [ $? = 4 ]
json r '{lease_lost,cancelled}' >got
printf '%s\n' '{"lease_lost":true,"cancelled":false}' >want
compare want got 'the line says lease_lost'
ok 'the handler is gone' gone "$MARK-l"
