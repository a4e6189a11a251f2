#!/bin/sh
# A clean stop spends no attempt: runjob stopped by SIGTERM says
# "released", promise settle and promise release give the attempt back
# (outcome "released", pending and due at once, max_attempts one higher),
# and a worker stopped three times in the middle of a task leaves it to
# finish later with no failure told to anyone.
. "$(dirname "$0")/lib.sh"
plan 30
PROMISE_BACKOFF=0
export PROMISE_BACKOFF

# waitfor FILE: FILE exists, within 20 s (a state, polled without
# starting an interpreter).
waitfor() {
	_i=0
	until [ -e "$1" ]; do
		_i=$((_i + 1))
		[ $_i -le 400 ] || return 1
		sleep 0.05
	done
}
pick() { promise show --json "$1" >sh.json && jq -c "$2" sh.json; }
# held DIR TOOL: a TOOL in DIR (put it first on PATH) that makes DIR.held
# and waits for DIR.go before it runs the real one: a moment held open.
held() {
	mkdir "$1" &&
	printf '%s\n' '#!/bin/sh' ": >\"$T/$1.held\"" \
		"while [ ! -e \"$T/$1.go\" ]; do sleep 0.05; done" \
		"exec \"$TOP/bin/$2\" \"\$@\"" >"$1/$2" &&
	chmod +x "$1/$2"
}

# ---- promise release: the verb ----
promise add --retries 2 'one' >/dev/null
promise claim --json --worker w1 >claim
expect_exit 4 'release with another attempt number is refused' \
	'promise release 1 --worker w1 --attempt 2'
expect_exit 4 'release by another worker is refused' \
	'promise release 1 --worker w2 --attempt 1'
expect_exit 0 'release of the running attempt' \
	'promise release --json 1 --worker w1 --attempt 1 >rel'
jq -c '{status, attempt, max_attempts, lease_expires_at}' rel >got
echo '{"status":"pending","attempt":1,"max_attempts":4,"lease_expires_at":null}' >want
compare want got 'pending again, lease cleared, one more attempt allowed'
jq -r '.not_before_at <= (now | todate)' rel >got
echo true >want
compare want got 'due at once'
promise show 1 >show
grep '^attempt 1:' show | sed 's/.*Z  //' >got
echo 'released: the worker was stopped' >want
compare want got 'the attempt ended "released"'
expect_exit 4 'a late worker with the old attempt is refused' \
	'promise done 1 --worker w1 --attempt 1 --result late'
promise claim --json --worker w2 >claim
jq -c '{id, attempt}' claim >got
echo '{"id":1,"attempt":2}' >want
compare want got 'the next claim is attempt 2: the number still names a claim'
expect_exit 4 'the first claim stays refused after the second' \
	'promise heartbeat 1 --worker w1 --attempt 1'
expect_exit 6 'release of an unknown promise' 'promise release 99 --worker w --attempt 1'
expect_exit 2 'release without an id' 'promise release --worker w'
promise cancel 1 >/dev/null
expect_exit 0 'release of an attempt whose cancel was requested' \
	'promise release --json 1 --worker w2 --attempt 2 >rel'
jq -r .status rel >got
echo cancelled >want
compare want got 'ends it cancelled: it was asked to stop, and it stopped'

# ---- runjob says "released" when it is stopped; settle gives it back ----
mkdir h
cat >h/default <<'H'
#!/bin/sh
: >"started.$PROMISE_ID.$PROMISE_ATTEMPT"
i=0
while [ $i -lt ${STEPS:-600} ]; do sleep 0.05; i=$((i + 1)); done
echo finished
H
chmod +x h/default
promise add 'two' >/dev/null
promise claim --json --worker w1 >claim
runjob --handlers h -k 1 <claim >r &
pid=$!
waitfor started.2.1
kill -TERM $pid
wait $pid
ok 'runjob stopped by SIGTERM exits 128+15' [ $? = 143 ]
jq -c '{interrupted, released, signal}' r >got
echo '{"interrupted":true,"released":true,"signal":15}' >want
compare want got 'its line says released'
promise settle --json <r >settled
jq -c '{settled, status, attempt, max_attempts}' settled >got
echo '{"settled":"released","status":"pending","attempt":1,"max_attempts":4}' >want
compare want got 'settle turns it into a release'

# Stopped before the task starts, while its first beat is on the way
# (a shim holds the lease process until told): no task is started, and
# the line still says released, so the attempt is not stranded until
# the lease runs out.
held shim promise
PROMISE_DB=$T/early.db promise add 'early' >early.id
PROMISE_DB=$T/early.db promise claim --json --worker w1 >claim
PROMISE_DB=$T/early.db PATH=$T/shim:$PATH runjob --handlers h <claim >r 2>early.err &
pid=$!
waitfor shim.held
kill -TERM $pid
: >shim.go
wait $pid
ok 'runjob stopped before its task exits 128+15' [ $? = 143 ]
jq -c '{interrupted, released, exit, signal}' r >got
echo '{"interrupted":true,"released":true,"exit":null,"signal":null}' >want
compare want got 'its line says released, with no task status'
ok 'the task was not started' eval '! ls started.$(cat early.id).* 2>/dev/null'
PROMISE_DB=$T/early.db promise settle --json <r >settled
jq -c '{settled, status, attempt}' settled >got
echo '{"settled":"released","status":"pending","attempt":1}' >want
compare want got 'settle gives the attempt back'

# Cancelled before the task starts: runjob runs nothing, and settle
# ends it cancelled (the line has no exit nor signal: there was no task).
PROMISE_DB=$T/unwanted.db
promise add 'unwanted' >unwanted.id
promise claim --json --worker w1 >claim
promise cancel "$(cat unwanted.id)" >/dev/null
runjob --handlers h <claim >r
promise settle --json <r >settled 2>settle.err
jq -c '{settled, status}' settled >got
echo '{"settled":"cancelled","status":"cancelled"}' >want
compare want got 'settle ends a promise cancelled before its task started'
compare /dev/null settle.err 'and has nothing to complain of'

# A timeout is the task's own failure, whatever comes after it.
PROMISE_DB=$T/timeout.db promise add --timeout 200ms 'three' >/dev/null
PROMISE_DB=$T/timeout.db promise claim --json --worker w1 >claim
PROMISE_DB=$T/timeout.db runjob --handlers h -k 5 <claim >r
jq -c '{timed_out, released}' r >got
echo '{"timed_out":true,"released":false}' >want
compare want got 'a timed-out run is not released'

# ---- the worker, stopped three times in the middle of one task ----
PROMISE_DB=$T/worker.db
rm -f started.*
promise add --retries 2 --chat 7 --reply-to 70 'four' >four.id
id=$(cat four.id)
stop_worker() {	# ATTEMPT
	WORKER_NAME=wk WORKER_HANDLERS=$T/h WORKER_WAIT=200ms WORKER_HEARTBEAT=1s \
		"$TOP/examples/worker" 2>>worker.err &
	_w=$!
	waitfor "started.$id.$1" || return 1
	kill -TERM $_w
	wait $_w
}
stop_worker 1 && stop_worker 2 && stop_worker 3
ok 'three workers each stopped mid-task' [ $? = 0 ]
pick "$id" '{status, attempt, max_attempts, error}' >got
echo '{"status":"pending","attempt":3,"max_attempts":6,"error":null}' >want
compare want got 'the task is pending, no attempt spent, no error'
promise outbox --json >outbox
compare /dev/null outbox 'nobody is told of a failure'
STEPS=2 WORKER_NAME=wk WORKER_HANDLERS=$T/h WORKER_WAIT=200ms \
	"$TOP/examples/worker" --once 2>>worker.err
pick "$id" '{status, result}' >got
printf '%s\n' '{"status":"done","result":"finished\n"}' >want
compare want got 'then it completes'
promise outbox --json >outbox
jq -r '.kind' outbox >got
echo done >want
compare want got 'and the one follow-up is that it is done'

# A worker stopped as runjob starts, before runjob can take the signal
# (here a runjob shim on PATH that dies of it), gives the attempt back.
PROMISE_DB=$T/starting.db
promise add 'five' >five.id
held rshim runjob
PATH=$T/rshim:$PATH WORKER_NAME=wk WORKER_HANDLERS=$T/h WORKER_WAIT=200ms \
	"$TOP/examples/worker" 2>>worker.err &
w=$!
waitfor rshim.held
kill -TERM $w
wait $w
ok 'the worker stopped as runjob starts exits 0' [ $? = 0 ]
pick "$(cat five.id)" '{status, attempt, max_attempts}' >got
echo '{"status":"pending","attempt":1,"max_attempts":4}' >want
compare want got 'the attempt is given back, not left running'
