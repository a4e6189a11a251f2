#!/bin/sh
# The conversation, through promise route: buttons and their presses
# (answered every time, also when stale or forged), a task that asks its
# user a question and waits, edits of a request, groups (only what is
# addressed to the bot; a member's promises are theirs), "typing...",
# and failure notices that tell the user what failed in the bot's words.
. "$(dirname "$0")/lib.sh"
export PROMISE_BACKOFF=0

# msg UPDATE CHAT USER TEXT [JSON]: a classified message (extra fields in
# JSON), its message id the update's.
msg() {
	jq -cn --argjson u "$1" --argjson c "$2" --argjson f "$3" --arg t "$4" \
		--argjson x "${5:-{\}}" \
		'{update_id: $u, chat_id: $c, user_id: $f, message_id: $u, text: $t} + $x' |
	classify
}
# press UPDATE CHAT USER DATA [MESSAGE]: a button press, as tgpoll prints it.
press() {
	jq -cn --argjson u "$1" --argjson c "$2" --argjson f "$3" --arg d "$4" \
		--argjson m "${5:-1}" \
		'{update_id: $u, kind: "callback_query", callback_id: "cb\($u)",
		  data: $d, chat_id: $c, user_id: $f, message_id: $m}'
}
route() { promise route "$@" >routed 2>route.err; }
# notice KIND: the latest notice of a kind, as JSON
notice() {
	sqlite3 -json "$PROMISE_DB" "SELECT * FROM notices WHERE kind = '$1'
		ORDER BY id DESC LIMIT 1" | jq -c '.[0]'
}
status() { promise show "$1" --json | jq -r .status; }
# sent: hands out every notice, as if each were delivered, into out.jsonl
sent() {
	: >out.jsonl
	while promise outbox --json >round.jsonl && [ -s round.jsonl ]; do
		cat round.jsonl >>out.jsonl
		jq -c '{ref, ok: true, message_ids: [1]}' round.jsonl | promise notified
	done
}
# settle_line ID ATTEMPT JSON: runjob's result line for #ID, plus JSON
settle_line() {
	jq -cn --argjson id "$1" --argjson a "$2" --argjson x "$3" \
		'{id: $id, worker: "w", attempt: $a, exit: 0, signal: null, output: ""} + $x'
}

# ---- buttons: an offer has Yes / No, an acknowledgement Cancel ----
msg 1 5 5 'refactor the payment module and add tests' >in
check 'an offer' 'route --offers <in'
notice offer | jq -r .markup >got
echo '{"inline_keyboard":[[{"text":"Yes","callback_data":"y:1"},{"text":"No","callback_data":"n:1"}]]}' >want
compare want got 'the offer carries Yes and No buttons, naming the promise'
press 2 5 5 y:1 >in
check 'Yes pressed' 'route <in'
jq -r .routed routed >got
echo button >want
compare want got 'a press is routed as a button'
notice callback | jq -r '[.callback_id, .text] | @tsv' >got
printf 'cb2\t#1: on it.\n' >want
compare want got 'the press is answered at once'
notice ack | jq -r .markup >got
echo '{"inline_keyboard":[[{"text":"Cancel","callback_data":"c:1"}]]}' >want
compare want got 'the acknowledgement carries a Cancel button'
notice edit | jq -r '[.edit_of, .markup] | @tsv' >got
notice offer | jq -r '[.id, null] | @tsv' >want
compare want got 'the offer is edited, its buttons taken away'
check 'Yes pressed again' 'press 3 5 5 y:1 | route'
notice callback | jq -r .text >got
echo '#1 is not waiting for a yes any more.' >want
compare want got 'a stale press is answered too, truthfully'
check 'Cancel pressed' 'press 4 5 5 c:1 | route'
echo cancelled >want
status 1 >got
compare want got 'Cancel cancels'
check 'Cancel pressed again' 'press 5 5 5 c:1 | route'
notice callback | jq -r .text >got
echo '#1 has already finished.' >want
compare want got 'a press on an ended promise says so'

# ---- forged and foreign presses change nothing, and are answered ----
promise add --chat -100 --user 7 --reply-to 50 'rebuild the index' >/dev/null
for data in 'x:2' 'c:abc' 'c:2:0:0' "c:$(printf '%070d' 2)" 'c:0' ''; do
	press 10 -100 7 "$data" | route
	notice callback | jq -r .text
done >got
for i in 1 2 3 4 5 6; do echo 'That button is no longer valid.'; done >want
compare want got 'forged or oversized data is refused'
check "another member's press" 'press 11 -100 8 c:2 | route'
notice callback | jq -r .text >got
echo 'Only the one who asked for #2 can do that.' >want
compare want got "in a group, a member cannot cancel another's task"
check 'a press from another chat' 'press 12 6 7 c:2 | route'
notice callback | jq -r .text >got
echo 'There is no such task of yours.' >want
compare want got 'nor can anyone from another chat'
echo pending >want
status 2 >got
compare want got 'and #2 still runs'
promise cancel 2 >/dev/null

# ---- groups: only what is addressed to the bot ----
msg 20 -100 7 'morning everyone, coffee anyone?' '{"addressed": false, "chat_type": "group"}' >in
msg 21 -100 7 '/jobs@otherbot' '{"addressed": false, "chat_type": "group"}' >>in
n0=$(sqlite3 "$PROMISE_DB" 'SELECT count(*) FROM notices')
check 'chatter in a group' 'route <in'
jq -r .routed routed >got
printf 'ignored\nignored\n' >want
compare want got 'chatter and commands for other bots are left alone'
ok 'and nothing is said' [ "$(sqlite3 "$PROMISE_DB" 'SELECT count(*) FROM notices')" = "$n0" ]

# ---- a question in the middle of a task ----
promise add --chat 9 --user 9 --reply-to 60 --ack 'deploy the app' >/dev/null   # 3
promise claim --worker w >/dev/null
settle_line 3 1 '{"ask": {"text": "Which region?", "choices": ["EU", "US"]}}' >r
check 'the handler asked' 'promise settle <r >/dev/null'
echo waiting >want
status 3 >got
compare want got 'the promise waits for its user'
promise show 3 --json | jq -c '[.attempt, .max_attempts, .worker, .lease_expires_at]' >got
echo '[1,4,null,null]' >want
compare want got 'holding no worker and no lease, its attempt not spent'
notice question | jq -c '[.reply_to, .text, (.markup | fromjson)]' >got
echo '[60,"#3 asks: Which region?",{"inline_keyboard":[[{"text":"EU","callback_data":"a:3:0"}],[{"text":"US","callback_data":"a:3:1"}]]}]' >want
compare want got 'the question replies to the request, its choices as buttons'
check 'a typed answer in the private chat' "msg 61 9 9 'EU please' | route"
jq -r .routed routed >got
echo answer >want
compare want got 'the next plain message answers the one open question'
promise show 3 --json | jq -c '[.status, .answers, .answer]' >got
echo '["pending",["EU please"],"EU please"]' >want
compare want got 'the promise is due again with the answer'
notice edit | jq -r .text >got
printf '#3 asks: Which region?\\n\\n\342\206\222 EU please\n' | sed 's/\\\\n/\n/g' >want
printf '#3 asks: Which region?\n\n\342\206\222 EU please\n' >want
compare want got 'the question loses its buttons and shows the answer'

# the second time, without choices: a reply box, answered by a reply
promise claim --worker w >/dev/null
settle_line 3 2 '{"ask": {"text": "Which day?"}}' | promise settle >/dev/null
notice question | jq -r .markup >got
echo '{"force_reply":true,"selective":true,"input_field_placeholder":"Your answer"}' >want
compare want got 'a question without choices opens a reply box, for the asker only'
qref=$(notice question | jq .id)
echo "{\"ref\":$qref,\"ok\":true,\"message_ids\":[700]}" | promise notified
msg 62 9 9 'status' '{"reply_to_message_id": 700}' >in
check 'a reply to the question' 'route <in'
promise show 3 --json | jq -c '.answers' >got
echo '["EU please","status"]' >want
compare want got 'a reply to the question answers it, whatever it says'
expect_exit 4 'an answer to a question no longer open' 'promise answer 3 Friday'

# a press on a choice; a second press on it finds it answered
promise claim --worker w >/dev/null
settle_line 3 3 '{"ask": {"text": "Which size?", "choices": ["S", "M"]}}' | promise settle >/dev/null
check 'a late reply to the earlier question' "msg 65 9 9 'Monday' '{\"reply_to_message_id\": 700}' | route"
notice reply | jq -r .text >got
echo 'That question is no longer open.' >want
compare want got 'a reply to a question no longer open is told so'
promise show 3 --json | jq -c '[.status, .answers]' >got
echo '["waiting",["EU please","status"]]' >want
compare want got 'and answers nothing: the open question is still open'
check 'choice M pressed' 'press 63 9 9 a:3:1 | route'
promise show 3 --json | jq -c '.answer' >got
echo '"M"' >want
compare want got 'a choice pressed is the answer'
check 'choice S pressed late' 'press 64 9 9 a:3:0 | route'
notice callback | jq -r .text >got
echo '#3 is not waiting for that answer.' >want
compare want got 'a press on an answered question says so'

# a question nobody answers ends the promise, and the user is told
promise claim --worker w >/dev/null
settle_line 3 4 '{"ask": {"text": "Still there?"}}' |
	promise settle --question-ttl 1ms >/dev/null
eventually 10 sh -c 'promise reap >/dev/null; [ "$(promise show 3 --json | jq -r .status)" = expired ]'
ok 'the unanswered question expired' [ "$(status 3)" = expired ]
sent
jq -r 'select(.kind == "expired" and .id == 3) | .text' out.jsonl >got
echo 'I asked about "deploy the app" (#3) and heard nothing, so I stopped. Please ask again if it still matters.' >want
compare want got 'the user hears that nobody answered'

# ---- edits of a request ----
msg 70 12 12 'please translate the contract to French' >in
route <in
msg 70 12 12 'please translate the contract to German' '{"kind": "edited_message", "edited": true}' >in
check 'an edit before the work starts' 'route <in'
promise list --chat 12 --json | jq -r '[.id, .text] | @tsv' >got
printf '4\tplease translate the contract to German\n' >want
compare want got 'one promise, with the edited words'
promise claim --worker w >/dev/null
msg 70 12 12 'please translate the contract to Spanish' '{"kind": "edited_message", "edited": true, "update_id": 71}' >in
check 'an edit after it started' 'route <in'
notice reply | jq -r .text >got
echo '#4 is already under way; your edit does not change it.' >want
compare want got 'after, the edit changes nothing, and the user is told'
promise list --chat 12 --json >got
ok 'still one promise' [ "$(wc -l <got)" = 1 ]

# ---- typing..., while an answer is written ----
check 'chat' "msg 80 13 13 'hello there' | route"
notice typing | jq -c '[.chat_id, .state, .not_before - .created_at]' >got
echo '[13,0,1000]' >want
compare want got '"typing..." is queued, due a second later'
echo '{"update_id":80,"chat_id":13,"user_id":13,"message_id":80,"text":"Hi!","promised":false}' |
	promise reply --jsonl >/dev/null
notice typing | jq -c '.state' >got
echo 3 >want
compare want got 'an answer before then drops it'

# ---- honest failure notices ----
promise add --chat 14 --user 14 --reply-to 90 --retries 0 'parse the logs' >/dev/null  # 5
promise claim --worker w >/dev/null
settle_line 5 1 '{"exit": 1, "output": "Traceback: /srv/secret/app.py password=hunter2"}' |
	promise settle >/dev/null
promise claim --worker w >/dev/null
sent
jq -c 'select(.id == 5 and .kind == "failed") | [.text, .reply_markup]' out.jsonl >got
echo '["Sorry, I could not finish \"parse the logs\" (#5): exited with status 1, after 1 attempt. Say /retry 5 to try again.",{"inline_keyboard":[[{"text":"Retry","callback_data":"r:5"}]]}]' >want
compare want got "a failure tells what failed, never the handler's output, with a Retry button"
promise show 5 --json | jq -r .error >got
echo 'exited with status 1: Traceback: /srv/secret/app.py password=hunter2' >want
compare want got 'the output stays in the store for the operator'
promise add --chat 14 --user 14 --retries 0 'parse more logs' >/dev/null  # 6
promise claim --worker w >/dev/null
settle_line 6 1 '{"exit": 3, "user_error": "the log server did not answer"}' |
	promise settle >/dev/null
sent
jq -r 'select(.id == 6 and .kind == "failed") | .text' out.jsonl >got
echo 'Sorry, I could not finish "parse more logs" (#6): the log server did not answer, after 1 attempt. Say /retry 6 to try again.' >want
compare want got "a handler's own word for the user is told instead"
check 'Retry pressed' 'press 91 14 14 r:6 | route'
echo pending >want
status 6 >got
compare want got 'Retry runs it again'
promise claim --worker w >/dev/null
settle_line 6 2 '{}' | promise settle >/dev/null
check 'Retry pressed on a task that is done' 'press 92 14 14 r:6 | route'
notice callback | jq -r .text >got
echo '#6 is done: nothing to retry.' >want
compare want got 'a stale Retry says the task is done'

done_testing
