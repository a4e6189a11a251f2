# tests/store-contract.sh - the store's contract, the same cases on every
# backend: sourced by tests/store-sqlite.t and tests/store-pg.t after
# they set PROMISE_DB and define fresh_db NAME (prints the --db of a new,
# empty database).  Output is compared field by field (times differ).
PROMISE_BACKOFF=0
export PROMISE_BACKOFF
plan 77

# j FILE FILTER: the fields of a JSON line that the contract fixes.
j() { jq -c "$2" "$1"; }

check 'add prints the first id' 'promise add --chat 7 --reply-to 42 fix the bug >out'
echo 1 >want
compare want out 'it is 1'
check 'add --json' 'promise add --json --chat 7 --type code --priority 2 --timeout 1.5m --retries 4 --meta "{\"a\":1}" write docs >out'
j out '{id,status,chat_id,text,task_type,priority,timeout_ms,max_attempts,meta,after}' >got
echo '{"id":2,"status":"pending","chat_id":7,"text":"write docs","task_type":"code","priority":2,"timeout_ms":90000,"max_attempts":5,"meta":{"a":1},"after":[]}' >want
compare want got 'what add --json prints'
promise add --json --key k1 --chat 7 keyed >a1
promise add --json --key k1 --chat 7 keyed again >a2
ok 'the same key: the same promise' [ "$(j a1 .id)" = "$(j a2 .id)" ]

# claim: the most urgent first (priority 2 before 5), then by id
check 'claim --json' 'promise claim --json --worker w1 >out'
j out '{id,status,attempt,worker,text}' >got
echo '{"id":2,"status":"running","attempt":1,"worker":"w1","text":"write docs"}' >want
compare want got 'the most urgent promise, attempt 1, worker w1'
expect_exit 4 'a heartbeat from another worker: 4' promise heartbeat 2 --worker w2 --attempt 1
expect_exit 0 'its own heartbeat: 0' promise heartbeat 2 --worker w1 --attempt 1 --progress 40 --note half
promise show --json 2 >out
j out '{progress,progress_note}' >got
echo '{"progress":40,"progress_note":"half"}' >want
compare want got 'the progress is kept'
expect_exit 4 'done with another attempt: 4' promise done 2 --worker w1 --attempt 2 --result x
expect_exit 0 'done by the claim: 0' 'promise done --json 2 --worker w1 --attempt 1 --result shipped >out'
j out '{id,status,result}' >got
echo '{"id":2,"status":"done","result":"shipped"}' >want
compare want got 'done, with its result'
expect_exit 4 'done again: 4' promise done 2 --worker w1 --attempt 1

# failure: retried while attempts remain (backoff 0 here), then failed
promise add --json --type flaky --retries 1 --chat 8 flaky >/dev/null
promise claim --json --type flaky --worker w1 >c1
expect_exit 0 'fail: 0' promise fail "$(j c1 .id)" --worker w1 --attempt 1 --error boom
promise show --json "$(j c1 .id)" >out
j out '{status,error,attempt}' >got
echo '{"status":"pending","error":"boom","attempt":1}' >want
compare want got 'pending again, the error kept'
promise claim --json --type flaky --worker w2 >c2
j c2 '{attempt,worker}' >got
echo '{"attempt":2,"worker":"w2"}' >want
compare want got 'claimed again: attempt 2'
expect_exit 0 'the second failure' promise fail "$(j c2 .id)" --worker w2 --attempt 2 --error boom2
promise show --json "$(j c2 .id)" >out
j out '{status,error}' >got
echo '{"status":"failed","error":"boom2"}' >want
compare want got 'no attempt left: failed'
expect_exit 0 'retry a failed promise' promise retry "$(j c2 .id)"
promise show --json "$(j c2 .id)" >out
j out '{status,max_attempts}' >got
echo '{"status":"pending","max_attempts":3}' >want
compare want got 'pending, one more attempt'

# a lease that ran out: rescued by the next claim, the late worker refused
promise add --json --type lease --chat 8 'short lease' >/dev/null
promise claim --json --type lease --worker slow --lease 1ms >c1
ok 'the lease runs out and another worker takes it' \
	eventually 10 eval 'promise claim --json --type lease --worker quick >c2'
j c2 '{attempt,worker}' >got
echo '{"attempt":2,"worker":"quick"}' >want
compare want got 'attempt 2, the other worker'
expect_exit 4 "the late worker's done: 4" promise done "$(j c1 .id)" --worker slow --attempt 1
promise show --json "$(j c1 .id)" >out
ok 'and it changed nothing' [ "$(j out .status)" = '"running"' ]

# cancel: at once when pending, by request when running
promise add --json --type c --chat 8 'to cancel' >a
expect_exit 0 'cancel a pending promise' promise cancel "$(j a .id)"
promise show --json "$(j a .id)" >out
ok 'it is cancelled' [ "$(j out .status)" = '"cancelled"' ]
expect_exit 4 'cancel it again: 4' promise cancel "$(j a .id)"
promise add --json --type c --chat 8 'to stop' >a
promise claim --json --type c --worker w1 >/dev/null
expect_exit 0 'cancel a running promise' promise cancel "$(j a .id)"
expect_exit 3 'its heartbeat says so: 3' promise heartbeat "$(j a .id)" --worker w1 --attempt 1

# release: the worker stops, the attempt is not spent
promise add --json --type r --chat 8 'to release' >a
promise claim --json --type r --worker w1 >/dev/null
expect_exit 0 'release' promise release "$(j a .id)" --worker w1 --attempt 1
promise show --json "$(j a .id)" >out
j out '{status,max_attempts}' >got
echo '{"status":"pending","max_attempts":4}' >want
compare want got 'pending, the attempt given back'

expect_exit 6 'no such promise: 6' promise show 999
expect_exit 6 'a dependency that does not exist: 6' promise add --after 999 x
promise list --json --status running >out
ok 'list --status running' [ "$(jq -s length out)" = 2 ]

# the open-per-chat limit holds against adders running at once
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	promise add --chat 99 --max-open 5 "burst $i" >/dev/null 2>&1 &
done
wait
promise list --json --chat 99 >out
ok 'twelve adders at once against a limit of five: five' [ "$(jq -s length out)" = 5 ]
expect_exit 5 'the next add is refused: 5' promise add --chat 99 --max-open 5 one more

# claimers at once, each promise claimed once
for i in $(seq 1 60); do echo "{\"text\":\"job $i\",\"task_type\":\"many\"}"; done >lines
promise add --jsonl <lines >/dev/null
claimer() {	# NAME CLAIM-OPTIONS...: claim until nothing is left, one id a line
	_name=$1
	shift
	while promise claim --json --worker "$_name" "$@" >"c.$_name" 2>/dev/null; do
		jq .id "c.$_name"
	done >"ids.$_name"
}
for w in a b c d; do claimer $w --type many & done
wait
sort -n ids.a ids.b ids.c ids.d >all
ok 'four claimers at once: sixty claims' [ "$(wc -l <all)" = 60 ]
ok 'each promise claimed once' [ -z "$(uniq -d all)" ]

# batched claims: up to --limit at once, most urgent first, each its own
# claim; claimers taking batches at once never share a promise
for i in 1 2 3 4 5; do echo "{\"text\":\"b$i\",\"task_type\":\"bat\",\"priority\":$((6 - i))}"; done >lines
promise add --jsonl <lines >/dev/null
check 'claim --limit 3' 'promise claim --json --type bat --limit 3 --worker wb >out'
jq -r '"\(.text) \(.status) \(.attempt) \(.worker)"' out >got
printf '%s\n' 'b5 running 1 wb' 'b4 running 1 wb' 'b3 running 1 wb' >want
compare want got 'three, the most urgent first, each running'
check 'claim --limit 3 again' 'promise claim --json --type bat --limit 3 --worker wb >out'
jq -r .text out >got
printf '%s\n' b2 b1 >want
compare want got 'the two left'
expect_exit 1 'then none: 1' 'promise claim --type bat --limit 3 >out'
ok 'and nothing printed' [ ! -s out ]
expect_exit 2 'a limit of 0: 2' 'promise claim --limit 0 2>err'
for i in $(seq 1 60); do echo "{\"text\":\"job $i\",\"task_type\":\"batch\"}"; done >lines
promise add --jsonl <lines >/dev/null
for w in a b c d; do claimer $w --type batch --limit 5 & done
wait
sort -n ids.a ids.b ids.c ids.d >all
ok 'four batch claimers at once: sixty claims' [ "$(wc -l <all)" = 60 ]
ok 'each promise claimed once, batched' [ -z "$(uniq -d all)" ]

# a promise not yet due is not claimed; one due (--at in the past) is
promise add --type dl --delay 1h later >/dev/null
expect_exit 1 'delayed an hour: not claimed, 1' 'promise claim --type dl >out'
promise add --type dl --at @1 overdue >/dev/null
check 'due since 1970: claimed' 'promise claim --json --type dl --worker wd >out'
j out .text >got
echo '"overdue"' >want
compare want got 'the due one, not the delayed one'

# claim --follow: one claim a request line, answered when one is due,
# none claimed ahead of a request
lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
promise add --type fol f1 >/dev/null && promise add --type fol f2 >/dev/null
mkfifo req
promise claim --follow --json --type fol --worker wf <req >fol.out 2>fol.err &
fpid=$!
exec 4>req
echo >&4
ok 'claim --follow answers a request' eventually 30 lines fol.out 1
promise list --json --type fol >l
jq -r '"\(.text) \(.status)"' l | sort >got
printf '%s\n' 'f1 running' 'f2 pending' >want
compare want got 'one claimed for one request, none ahead'
echo >&4 && echo >&4
ok 'the next request gets the next' eventually 30 lines fol.out 2
promise add --type fol f3 >/dev/null
ok 'a third waits until one is due' eventually 30 lines fol.out 3
exec 4>&-
wait $fpid
ok 'the end of requests ends it: 0' [ $? = 0 ]
jq -r .text fol.out >got
printf '%s\n' f1 f2 f3 >want
compare want got 'each in turn, a line each'
printf 'x\n' | promise claim --follow --type fol --wait 1ms >out
ok 'nothing due within --wait: an empty line' [ "$(od -An -c out | tr -d ' ')" = '\n' ]
printf 'x\n' | { promise claim --follow --type fol 2>err; echo $? >st; } | true
echo 9 >want
compare want st 'its reader gone while it waits: 9'
echo 'promise: claim: the reader is gone' >want
compare want err 'and says so'

# the outbox: a chat's notices one at a time, in order; receipts settle
# them; the acknowledgement is edited to how its promise ended
out() {
	promise outbox --json "$@" >ob.json
	_rc=$?
	jq -r '[.ref, .kind, .chat_id, (.edit_message_id // empty), .text] |
		map(tostring) | join(" ")' ob.json >out.got
	return $_rc
}
receipt() {
	jq -cn --argjson r "$1" '{ref: $r, ok: true, message_ids: [(100 + $r)]}' |
		promise notified
}
# a database of its own: the follow-ups of the cases above would be first
PROMISE_DB=$(fresh_db ob)
export PROMISE_DB
promise add --ack --chat 5 --reply-to 9 --type ob fix the login >a
id=$(cat a)
check 'the outbox hands out the acknowledgement' out
first=$(jq .ref ob.json)
echo "$first ack 5 Started #$id — I will message you when it is done." >want
compare want out.got 'the acknowledgement'
expect_exit 1 'nothing more until its receipt' out
check 'claimed and done' "promise claim --type ob >/dev/null && promise done $id --result fixed >/dev/null"
expect_exit 1 'the result waits for the receipt of the acknowledgement' out
check 'the acknowledgement delivered' "receipt $first"
check 'then' out
jq -r '[.kind, .chat_id, .text] | map(tostring) | join(" ")' ob.json >got
printf 'done 5 Done: "fix the login" (#%s)\n\nfixed\n' "$id" >want
compare want got 'the result follows'
check 'delivered' "receipt $(jq .ref ob.json)"
check 'then' out
printf '%s edit 5 %s #%s is done: "fix the login"\n' "$(jq .ref ob.json)" \
	"$((100 + first))" "$id" >want
compare want out.got 'the acknowledgement edited to how it ended'
check 'delivered' "receipt $(jq .ref ob.json)"
promise show --json "$id" >out
jq -c '[.notices[] | {kind, state}]' out >got
echo '[{"kind":"ack","state":"sent"},{"kind":"done","state":"sent"},{"kind":"edit","state":"sent"}]' >want
compare want got 'every notice sent, in order'

# offers, meta
promise add --json --offer --chat 12 'an offer' >a
expect_exit 0 'accept the latest offer in the chat' promise accept --chat 12
promise show --json "$(j a .id)" >out
ok 'it is pending' [ "$(j out .status)" = '"pending"' ]
check 'meta merges (RFC 7396)' "promise meta $(j a .id) '{\"a\":{\"b\":1,\"c\":2},\"d\":3}' >/dev/null && promise meta $(j a .id) '{\"a\":{\"c\":null},\"d\":4}' >/dev/null"
promise show --json "$(j a .id)" >out
j out .meta >got
echo '{"a":{"b":1},"d":4}' >want
compare want got 'a null deletes, objects merge'
