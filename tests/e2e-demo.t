#!/bin/sh
# The demo's scripted conversation, end to end against the stand-in, checked
# message by message: every request acknowledged at once after the message
# that asked for it (the request, or the "yes" to an offer; within 15 s, a
# safety net for a loaded machine: bench/ measures the latency), every result a
# reply to its original message, nothing twice, nothing missing, each
# acknowledgement's last edit telling how its promise ended, and each
# scripted case (offer, /jobs, cancel, retries, failure, a killed worker)
# ending as it should.
. "$(dirname "$0")/lib.sh"
plan 12

expect_exit 0 'make demo plays the whole conversation' \
	'DEMO_RECORD=$T/rec sh "$TOP/examples/demo" >transcript 2>demo.err'
: >empty
compare empty demo.err 'the demo waited for nothing in vain'
cd rec || exit 1
# the messages; the chat actions ("typing...") are not looked at here
jq -c 'select(.method != "sendChatAction")' sent.jsonl >messages.jsonl &&
mv messages.jsonl sent.jsonl

# A "yes" is answered by the acknowledgement, which replies to the request.
jq -rs --slurpfile sent sent.jsonl '.[] | . as $m |
	select($sent | map(select(.method == "sendMessage" and .chat_id == $m.chat_id and
		(.reply_to == $m.message_id or ($m.text == "yes" and .at >= $m.at and
		 (.text | test("^Started #")))))) | length == 0) |
	"\(.chat_id): \(.text)"' said.jsonl >unanswered
compare ../empty unanswered 'every message the users sent got a reply'

jq -rs --slurpfile said said.jsonl --slurpfile presses presses.jsonl '.[] |
	select(.method == "sendMessage" and (.text | test("^Started #"))) | . as $a |
	($said + $presses | map(select(.chat_id == $a.chat_id and .at <= $a.at)) |
	 sort_by(.at) | last) as $m |
	select($a.at - $m.at > 15) | "\($a.text) came \($a.at - $m.at)s after \($m.text)"' \
	sent.jsonl >slow
compare ../empty slow 'every acknowledgement came at once after the message (or the press of Yes) that asked'

jq -r 'select(.chat_id == 1001 and (.text | test("^Your open tasks:\n#3 "))) | .reply_to' \
	sent.jsonl >got
jq -r 'select(.text == "/jobs") | .message_id' said.jsonl >want
compare want got '/jobs lists the open task, replying to /jobs'

jq -r 'select(.chat_id == 1003 and .method == "sendMessage") | .text | split(" \"")[0]' \
	sent.jsonl >got
printf '%s\n' 'This might take a while. Shall I work on #4 in the background, and message you when it is done?' \
	'Started #4 — I will message you when it is done.' 'Cancelling #4.' 'Cancelled' >want
compare want got 'a cancel is answered "Cancelling #4.", then "Cancelled ..." follows'

# No stale progress: the last edit of each acknowledgement says how it ended.
jq -rs 'map(select(.method == "sendMessage" and (.text | test("^Started #")))) as $acks |
	map(select(.method == "editMessageText")) as $edits |
	$acks[] | . as $a | ($edits | map(select(.chat_id == $a.chat_id and
		.message_id == $a.message_id)) | last | .text) as $t |
	"#\($a.text | capture("#(?<id>[0-9]+)").id) \($t | capture("^#[0-9]+ (?<how>is done|failed|was cancelled|expired):").how? // "stale: \($t)")"' \
	sent.jsonl | sort >got
jq -r '"#\(.id) \({done: "is done", failed: "failed", cancelled: "was cancelled"}[.status])"' \
	promises.jsonl | sort >want
compare want got 'the last edit of every acknowledgement tells how its promise ended'

grep -c '^ *[0-9.]*s  bot ✎ ' ../transcript >edits || true
ok 'the transcript shows the acknowledgements being edited' [ "$(cat edits)" -ge 7 ]

jq -rs 'map(select(.method == "sendMessage")) | group_by([.chat_id, .reply_to, .text]) |
	map(select(length > 1) | .[0] | "\(.chat_id): \(.text)") | .[]' sent.jsonl >twice
compare ../empty twice 'no message was sent twice'

jq -rs --slurpfile sent sent.jsonl '.[] | . as $p |
	($sent | map(select(.method == "sendMessage" and .chat_id == $p.chat_id and
		.reply_to == $p.reply_to and (.text | contains("(#\($p.id))")))) | length) as $n |
	"#\(.id) \(.status): \($n)"' promises.jsonl | sort >followups
jq -r '"#\(.id) \(.status): 1"' promises.jsonl | sort >want
compare want followups 'every promise got exactly one follow-up, replying to its request'

jq -r '[.text, .status, (if .status == "cancelled" then "-" else .attempt end)] |
	map(tostring) | join(" | ")' promises.jsonl | sort >outcomes
cat >want <<'OUT'
/board should we expand to Europe? | done | 1
analyze the server logs from yesterday | done | 1
debug the flaky nightly build | done | 3
deploy the web app | done | 2
fix the login bug | done | 1
migrate the impossible legacy database to the new schema | failed | 3
refactor the payment module and add tests | cancelled | -
refactor the photo backup script | done | 2
OUT
compare want outcomes 'each promise ended as scripted (retries, failure, cancel, killed worker)'

jq -r 'select(.text | test("^Started #")) | .text' sent.jsonl | sort |
	uniq -d >acked_twice
compare ../empty acked_twice 'the task of the killed worker was acknowledged once'
