#!/bin/sh
# promise outbox and notified: every message leaves through the outbox, a
# chat's one at a time and in order (never a result before its
# acknowledgement), the urgent first; an edit shows the promise as it is
# when it goes, never an older state; receipts settle notices one by one.
. "$(dirname "$0")/lib.sh"
export PROMISE_BACKOFF=0

# out [ARGS]: hand out what is due, as "ref kind chat [edit_message_id] text"
out() {
	promise outbox --json "$@" >ob.json
	_rc=$?
	jq -r '[.ref, .kind, .chat_id, (.edit_message_id // empty), .text] |
		map(tostring) | join(" ")' ob.json >out.got
	return $_rc
}
# receipt REF [JSON]: notify's receipt for notice REF, ok unless JSON says
receipt() {
	jq -cn --argjson r "$1" --argjson x "${2:-{\}}" \
		'{ref: $r, ok: true, message_ids: [(100 + $r)]} + $x' | promise notified
}

check 'a task acknowledged in chat 5' 'promise add --ack --chat 5 --reply-to 9 fix the bug >/dev/null'
check 'and one in chat 6' 'promise add --ack --chat 6 --reply-to 3 write the docs >/dev/null'
check 'claimed and done at once' \
	'promise claim >/dev/null && promise done 1 --result fixed >/dev/null'
check 'the outbox hands out' out
cat >want <<'E'
1 ack 5 Started #1 — I will message you when it is done.
2 ack 6 Started #2 — I will message you when it is done.
E
compare want out.got "each chat's first notice: the acknowledgements, not #1's result"
expect_exit 1 'nothing more until a receipt' out
check 'the acknowledgement of #1 is delivered' 'receipt 1'
check 'then' out
echo '3 done 5 Done: "fix the bug" (#1)' >want
printf '\nfixed\n' >>want
jq -r '[.ref, .kind, .chat_id, .text] | map(tostring) | join(" ")' ob.json >got
compare want got "chat 5's next: the result, after its acknowledgement"
check 'delivered' 'receipt 3'
check 'then' out
echo '4 edit 5 101 #1 is done: "fix the bug"' >want
compare want out.got 'the acknowledgement (message 101) is edited to how #1 ended'
check 'delivered' 'receipt 4'

# progress: one edit waits for every change; it shows the newest
check '#2 runs' 'promise claim >/dev/null && receipt 2 >/dev/null'
check 'progress 40' 'promise heartbeat 2 --progress 40 --note fetching'
check 'progress 70' 'promise heartbeat 2 --progress 70 --note parsing'
check 'the same again' 'promise heartbeat 2 --progress 70 --note parsing'
check 'one edit' out
echo '5 edit 6 102 Working on "write the docs" (#2) — 70% (parsing)' >want
compare want out.got 'one edit, showing the newest progress'
check 'progress 90 while that edit is out' 'promise heartbeat 2 --progress 90'
check 'the edit is delivered' 'receipt 5'
check 'the next' out
echo '6 edit 6 102 Working on "write the docs" (#2) — 90% (parsing)' >want
compare want out.got 'a change after an edit went out gets an edit of its own'
check 'delivered' 'receipt 6'

# a retry says so on the acknowledgement
check '#2 fails, with retries left' 'promise fail 2 --error boom >/dev/null'
check 'the edit' out
echo '7 edit 6 102 #2: attempt 1 of 3 did not work out; I will try again: "write the docs"' >want
compare want out.got 'the acknowledgement no longer says 90%'
check 'delivered' 'receipt 7'

check '#2 is cancelled' 'promise cancel 2 >/dev/null'

# an acknowledgement refused for good: its edits have nothing to edit
check '#3 in chat 7 runs, with progress' \
	'promise add --ack --chat 7 third >/dev/null && promise claim >/dev/null &&
	 promise heartbeat 3 --progress 10'
check 'its acknowledgement goes' 'out'
jq -r 'select(.chat_id == 7) | .ref' ob.json >ref7
read -r ack7 <ref7
check 'and is refused for good' \
	'receipt $ack7 "{\"ok\":false,\"permanent\":true,\"error\":\"Forbidden: bot was blocked by the user\"}"'
expect_exit 1 'then nothing: the edit of chat 7 was dropped' 'out'
promise show 3 --json | jq -r '.notices[] | "\(.kind) \(.state) \(.error)"' >got
cat >want <<'E'
ack gave up Forbidden: bot was blocked by the user
edit dropped null
E
compare want got 'show tells each notice'

# urgency: with a limit, a person waiting goes before a result
check 'a result for chat 20, then an acknowledgement for chat 21' \
	'promise add --chat 20 r >/dev/null && promise claim >/dev/null &&
	 promise done 4 >/dev/null && promise add --ack --chat 21 a >/dev/null'
check 'one at a time' 'out --limit 1'
jq -r '[.kind, .chat_id, .urgency] | map(tostring) | join(" ")' ob.json >got
echo 'ack 21 0' >want
compare want got 'the acknowledgement first'

# a temporary failure waits; Telegram's retry_after is kept
jq -r .ref ob.json >ref && read -r ack21 <ref
check 'Too Many Requests' 'receipt $ack21 "{\"ok\":false,\"error\":\"Too Many Requests: retry after 30\",\"retry_after\":30}"'
promise show 5 --json | jq -r '.notices[0] | "\(.state) \(.tries) \(.error)"' >got
echo 'waiting 1 Too Many Requests: retry after 30' >want
compare want got 'the notice waits'
check 'the next round' 'out'
jq -r '[.kind, .chat_id] | map(tostring) | join(" ")' ob.json >got
echo 'done 20' >want
compare want got 'hands out the result, not the acknowledgement before its time'

# a group that became a supergroup: what waits moves with it
jq -r .ref ob.json >ref && read -r res20 <ref
check 'migrated' 'receipt $res20 "{\"ok\":false,\"migrated_to_chat_id\":-1002}"'
promise show 4 --json | jq -r .chat_id >got
echo -1002 >want
compare want got "the promise follows its chat"
check 'the notice goes again, to the new chat' 'out --lease 0'
jq -r '[.kind, .chat_id] | map(tostring) | join(" ")' ob.json >got
echo 'done -1002' >want
compare want got 'what waits moves with the chat'

# an edit never holds up a new message in its chat: a message waiting
# goes first (an acknowledgement behind a progress edit waited for every
# other chat's acknowledgements; a reply came after the edit it explains)
check '#6 in chat 40, acknowledged' \
	'promise add --ack --chat 40 --type t40 sixth >add6 && out && jq -r "select(.chat_id == 40) | .ref" ob.json >ref'
read -r ack6 <ref
check 'delivered, running, with progress' \
	'receipt $ack6 && promise claim --type t40 >/dev/null && promise heartbeat $(cat add6) --progress 30'
check 'then a new task in chat 40' 'promise add --ack --chat 40 seventh >/dev/null'
check 'the outbox' out
jq -r 'select(.chat_id == 40) | .kind' ob.json >got
echo ack >want
compare want got 'hands out the new acknowledgement before the waiting edit'
jq -r 'select(.chat_id == 40) | .ref' ob.json >ref && read -r ack7 <ref
check 'and after its receipt' "receipt $ack7 && out"
jq -r 'select(.chat_id == 40) | "\(.kind) \(.id)"' ob.json >got
echo "edit $(cat add6)" >want
compare want got 'the edit'

# --follow: the one sender wakes when a notice is written
promise outbox --follow --json --lease 1m >follow.out 2>follow.err &
f=$!
started() { test -e "$PROMISE_DB-sender" && ! flock -n "$PROMISE_DB-sender" true; }
ok 'outbox --follow runs' eventually 10 started
expect_exit 4 'a second sender is refused' 'promise outbox --follow'
check 'a new acknowledgement' 'promise add --ack --chat 30 ping >/dev/null'
got_line() { grep -q '"chat_id":30' follow.out; }
ok 'reaches the sender without a new process' eventually 10 got_line
kill -TERM $f
wait $f
ok 'SIGTERM ends it with status 0' [ $? = 0 ]
: >empty
compare empty follow.err 'quietly'
done_testing
