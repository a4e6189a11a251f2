#!/bin/sh
# promise: every state transition, and every one that must be refused
# (exit 4, nothing changed).
. "$(dirname "$0")/lib.sh"
PROMISE_BACKOFF=0
export PROMISE_BACKOFF

# status ID: the promise's status alone, from show --json.
status() { promise show --json "$1" >st.json && jq -r .status st.json; }
# is ID STATUS DESC
is() {
	status "$1" >st.got 2>&1
	echo "$2" >st.want
	compare st.want st.got "$3"
}

# offered -> pending (accept), -> cancelled (decline), latest offer by chat
check 'add --offer' 'promise add --offer --chat 5 one >/dev/null && promise add --offer --chat 5 two >/dev/null'
is 1 offered 'an offer starts offered'
expect_exit 1 'an offer is not claimed' 'promise claim'
check 'accept --chat takes the latest offer' 'promise accept --chat 5 >acc'
printf '2      pending    5 -        0/3 two\n' >want
compare want acc 'it was #2'
check 'decline by id' 'promise decline 1'
is 1 cancelled 'a declined offer is cancelled'
expect_exit 4 'accepting it now is refused' 'promise accept 1'
expect_exit 6 'no offer left in the chat' 'promise accept --chat 5'
expect_exit 1 'a declined offer owes no follow-up' 'promise outbox'

# pending -> cancelled, with a follow-up
check 'cancel a pending promise' 'promise cancel 2 >/dev/null'
is 2 cancelled 'it ends at once'
expect_exit 4 'cancel twice is refused' 'promise cancel 2'
expect_exit 4 'done on a cancelled promise is refused' 'promise done 2 --result x'
err >got
printf 'promise: done for #2 refused: it is cancelled, not running\n' >want
compare want got 'with a clear message'
check 'nothing changed' 'promise show --json 2 >s2'
jq -c '{status,result,attempt}' s2 >got
printf '%s\n' '{"status":"cancelled","result":null,"attempt":0}' >want
compare want got 'still cancelled, no result'

# pending -> running -> done; refusals on the way
check 'add #3' 'promise add --chat 6 three >/dev/null'
expect_exit 4 'done on a pending promise is refused' 'promise done 3 --result x'
check 'claim it' 'promise claim --worker A >/dev/null'
is 3 running 'it runs'
expect_exit 4 'done by another worker is refused' 'promise done 3 --worker B --result x'
expect_exit 4 'done for another attempt is refused' 'promise done 3 --worker A --attempt 2 --result x'
expect_exit 4 'heartbeat by another worker: exit 4' 'promise heartbeat 3 --worker B'
expect_exit 4 'retry a running promise is refused' 'promise retry 3'
check 'done by its worker' 'promise done 3 --worker A --attempt 1 --result ok >/dev/null'
is 3 done 'it is done'
expect_exit 4 'heartbeat after done: exit 4' 'promise heartbeat 3 --worker A'
expect_exit 4 'fail after done is refused' 'promise fail 3 --worker A'
expect_exit 4 'cancel after done is refused' 'promise cancel 3'
expect_exit 4 'retry of a done promise is refused' 'promise retry 3'

# running -> pending (retry) -> failed for good; retry brings it back
check 'add #4 with one retry' 'promise add --retries 1 four >/dev/null'
check 'first attempt' 'promise claim --worker A >/dev/null && promise fail 4 --worker A --error first >/dev/null'
is 4 pending 'a failed attempt with retries left is pending'
check 'second attempt' 'promise claim --worker B --json >c4 && promise fail 4 --worker B --error second >/dev/null'
jq -r .attempt c4 >got
echo 2 >want
compare want got 'the second claim is attempt 2'
is 4 failed 'no retries left: failed'
check 'retry it' 'promise retry 4 >/dev/null'
is 4 pending 'pending again'
check 'and it can be claimed as attempt 3' 'promise claim --json >c4b'
jq -r .attempt c4b >got
echo 3 >want
compare want got 'attempt 3'
check 'fail --permanent' 'promise fail 4 --permanent --error "no such repo" >/dev/null'
is 4 failed 'fails at once'

# running -> cancel requested -> cancelled
check 'add and claim #5' 'promise add five >/dev/null && promise claim --worker A >/dev/null'
check 'cancel a running promise' 'promise cancel 5 >/dev/null'
is 5 running 'it keeps running until its worker hears'
expect_exit 3 'heartbeat says: cancelled (exit 3)' 'promise heartbeat 5 --worker A'
check 'its worker fails it' 'promise fail 5 --worker A --error stopped >/dev/null'
is 5 cancelled 'a failed attempt of a cancelled promise ends it cancelled'

# lease expiry: a failed attempt; the late worker is refused
check 'add and claim #6 with a short lease' 'promise add six >/dev/null && promise claim --worker A --lease 100ms >/dev/null'
check 'the lease runs out' 'sleep 0.3'
check 'another worker claims it' 'promise claim --worker B --json >c6'
jq -c '{id,attempt,worker}' c6 >got
printf '%s\n' '{"id":6,"attempt":2,"worker":"B"}' >want
compare want got 'attempt 2 for B'
expect_exit 4 'the late done of attempt 1 is refused' 'promise done 6 --worker A --attempt 1 --result late'
err >got
printf "promise: done for #6 refused: the lease is attempt 2 by B, not attempt 1 by A\n" >want
compare want got 'saying whose lease it is'
check 'B finishes' 'promise done 6 --worker B --attempt 2 --result fine >/dev/null'
check 'show #6' 'promise show --json 6 >s6'
jq -c '{status,result,o:[.attempts[].outcome]}' s6 >got
printf '%s\n' '{"status":"done","result":"fine","o":["lost","done"]}' >want
compare want got 'the lost attempt is kept'

# expiry: nobody took it in time
check 'add #7 that expires soon' 'promise add --chat 9 --expires 100ms seven >/dev/null'
check 'reap after it expired' 'sleep 0.3; promise reap >reap'
printf '0 leases freed, 1 promises expired\n' >want
compare want reap 'reap reports it'
is 7 expired 'it is expired'
check 'its follow-up says so' 'promise outbox --json >ob'
jq -r 'select(.id == 7) | .kind' ob >got
echo expired >want
compare want got 'an expired notice'

# dependencies
check 'add #8 and #9 after it' 'promise add eight >/dev/null && promise add --after 8 nine >/dev/null'
check 'claim takes #8 first' 'promise claim --json --worker A >c8'
jq -r .id c8 >got
echo 8 >want
compare want got '#9 waits'
expect_exit 1 '#9 is not claimable while #8 runs' 'promise claim'
check '#8 done' 'promise done 8 --worker A --result x >/dev/null'
check '#9 is claimable now' 'promise claim --json >c9'
jq -r .id c9 >got
echo 9 >want
compare want got 'it was #9'
check 'add #10 and #11 after it' 'promise add ten >/dev/null && promise add --after 10 eleven >/dev/null'
check 'cancel #10' 'promise cancel 10 >/dev/null'
is 11 failed 'a dependant of a cancelled promise fails'
check 'show #11' 'promise show --json 11 >s11'
jq -r .error s11 >got
echo 'dependency #10 was cancelled' >want
compare want got 'saying which'
expect_exit 4 'a new dependant of a cancelled promise is refused' 'promise add --after 10 twelve'
expect_exit 6 'an unknown dependency is refused' 'promise add --after 999 twelve'

# unknown ids
for v in show cancel retry accept decline 'done' fail heartbeat; do
	expect_exit 6 "$v of an unknown id: exit 6" "promise $v 999 </dev/null"
done
expect_exit 2 "a malformed id is a usage error" 'promise show abc'

# the per-chat limit
check 'two open promises in chat 77' 'promise add --chat 77 a >/dev/null && promise add --chat 77 b >/dev/null'
expect_exit 5 'a third over --max-open 2: exit 5' 'promise add --max-open 2 --chat 77 c'
expect_exit 5 'the limit from PROMISE_MAX_OPEN' 'PROMISE_MAX_OPEN=2 promise add --chat 77 c'
check 'nothing was written' 'promise list --chat 77 >l77'
ok 'two in the chat' [ "$(wc -l <l77)" = 2 ]
check 'other chats are not limited' 'promise add --max-open 2 --chat 78 c >/dev/null'
done_testing
