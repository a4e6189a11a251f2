#!/bin/sh
# The conversation end to end, against the stand-in: buttons pressed on
# the messages as Telegram shows them (a removed keyboard cannot be
# pressed), a task that asks a question in the middle and goes on with
# the answer, a group where only what is addressed to the bot counts,
# an edited request, a failure told honestly with a Retry button, and
# "typing..." while a slow answer is written.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e.sh"

# The answer stage: examples/answer, but only once the file "go" exists
# for a message saying "slowly" (a state to wait for, not a time).
cat >slow-answer <<'EOF'
#!/bin/sh
while IFS= read -r line; do
	case $line in
	*slowly*) while [ ! -e "$0.go" ]; do sleep 0.05; done ;;
	esac
	printf '%s\n' "$line"
done | "$TOP/examples/answer"
EOF
chmod +x slow-answer
# The handlers: the examples', but a task that says "hold" waits for the
# file "release" (so that Cancel finds it running).
mkdir handlers
for h in "$TOP"/examples/handlers/*; do ln -s "$h" handlers/; done
rm handlers/code
cat >handlers/code <<'EOF'
#!/bin/sh
case $PROMISE_TASK in
*hold*) while [ ! -e "$T/release" ]; do sleep 0.05; done ;;
esac
exec "$TOP/examples/handlers/code"
EOF
chmod +x handlers/code
export TGPROMISE_ANSWER=$T/slow-answer TOP T

# message CHAT TEXT [JSON]: a user's message; prints its message id
message() {
	ctl message "$(jq -cn --argjson c "$1" --arg t "$2" --argjson x "${3:-{\}}" \
		'{chat_id: $c, user_id: $c, text: $t} + $x')" | jq -r .message.message_id
}
# press CHAT MESSAGE BUTTON [USER]: a press on a button the message has now
press() {
	ctl press "$(jq -cn --argjson c "$1" --argjson m "$2" --arg b "$3" \
		--argjson u "${4:-$1}" '{chat_id: $c, message_id: $m, user_id: $u, button: $b}')"
}
# sent_where JQ: the message id of the latest message sent matching JQ
sent_where() {
	sent "$T/.sw" && jq -rs "map(select($1)) | last | .message_id" "$T/.sw"
}
answered() { ctl_get answered >"$T/.answered" && jq -r .text "$T/.answered"; }
presses=0
# accept CHAT: waits for the offer in CHAT and presses its Yes
accept() {
	until_sent 30 ".chat_id == $1 and (.text | test(\"^This might take\"))" &&
	press "$1" "$(sent_where ".chat_id == $1 and (.text | test(\"^This might take\"))")" Yes >/dev/null &&
	presses=$((presses + 1)) && ctl_wait "answered=$presses" >/dev/null
}

bot_start --public --offers --handlers "$T/handlers"

# ---- an offer, and Yes pressed on it ----
m=$(message 101 'refactor the payment module and hold the release')
check 'the offer comes, with its buttons' \
	'until_sent 20 ".chat_id == 101 and .reply_markup != null and (.text | test(\"^This might take\"))"'
offer=$(sent_where '.chat_id == 101 and (.text | test("^This might take"))')
check 'Yes pressed' 'accept 101'
answered >got
echo '#1: on it.' >want
compare want got 'the press is answered at once'
check 'the acknowledgement comes, with a Cancel button' \
	'until_sent 20 ".chat_id == 101 and (.text | test(\"^Started #1\")) and .reply_markup.inline_keyboard[0][0].text == \"Cancel\""'
check 'the offer loses its buttons' \
	'until_sent 20 ".chat_id == 101 and .edit and .message_id == '"$offer"' and .reply_markup == null"'
press 101 "$offer" Yes >/dev/null 2>&1
ok 'a removed button cannot be pressed' [ $? != 0 ]

# ---- Cancel pressed under the acknowledgement ----
ack=$(sent_where '.chat_id == 101 and (.text | test("^Started #1"))')
until_status 30 1 running
check 'Cancel pressed while it runs' "press 101 $ack Cancel >/dev/null && ctl_wait 'answered=2'"
presses=2
check 'it is cancelled' 'until_sent 30 ".chat_id == 101 and (.text | test(\"^Cancelled\"))"'
check 'and the acknowledgement loses its Cancel' \
	'until_sent 20 ".chat_id == 101 and .edit and .message_id == '"$ack"' and (.text | test(\"cancelled\")) and .reply_markup == null"'

# ---- a question in the middle of a task ----
m=$(message 102 'deploy the web app')
check 'Yes to the deployment' 'accept 102'
check 'the handler asks, as a reply to the request, with its choices' \
	'until_sent 30 ".chat_id == 102 and .reply_to == '"$m"' and (.text | test(\"asks: Deploy to which environment\")) and (.reply_markup.inline_keyboard | length) == 2"'
until_status 10 1 waiting
ok 'the promise waits for the answer' [ "$(promise list --status waiting --json | jq -s length)" = 1 ]
q=$(sent_where '.chat_id == 102 and (.text | test("asks:"))')
presses=$((presses + 1))
check 'production pressed' "press 102 $q production >/dev/null && ctl_wait 'answered=$presses'"
check 'the task goes on with the answer' \
	'until_sent 60 ".chat_id == 102 and .reply_to == '"$m"' and (.text | test(\"Deployed to production\"))"'
check 'the question shows the answer, its buttons gone' \
	'until_sent 20 ".chat_id == 102 and .edit and .message_id == '"$q"' and (.text | test(\"production\")) and .reply_markup == null"'

# ---- a question without choices, answered by a reply to it ----
m=$(message 106 'translate the contract for me')
check 'Yes to the translation' 'accept 106'
check 'the question opens a reply box, for the asker' \
	'until_sent 30 ".chat_id == 106 and (.text | test(\"asks: Into which language\")) and .reply_markup.force_reply and .reply_markup.selective"'
q=$(sent_where '.chat_id == 106 and (.text | test("asks:"))')
message 106 'Portuguese' "{\"reply_to\": $q}" >/dev/null
check 'the reply is the answer' \
	'until_sent 60 ".chat_id == 106 and .reply_to == '"$m"' and (.text | test(\"Answer given: Portuguese\"))"'

# ---- a group: only what is addressed to the bot ----
g='{"chat_type": "supergroup", "user_id": 7}'
message -500 'morning everyone, coffee anyone?' "$g" >/dev/null
message -500 '/jobs@otherbot' "$g" >/dev/null
message -500 '/jobs@tgpromise_test_bot' "$g" >/dev/null
check 'the command for us is answered' \
	'until_sent 30 ".chat_id == -500 and (.text | test(\"^Nothing open\"))"'
sent all
jq -r 'select(.chat_id == -500) | .text' all >got
echo 'Nothing open right now.' >want
compare want got 'chatter and a command for another bot get nothing'

# ---- an edited request: one promise, with the new words ----
m=$(message 103 'analyze the server logs from monday')
check 'offered' 'until_sent 30 ".chat_id == 103 and (.text | test(\"^This might take\"))"'
ctl message "$(jq -cn --argjson m "$m" '{chat_id: 103, user_id: 103, message_id: $m,
	edited: true, text: "analyze the server logs from tuesday"}')" >/dev/null
check 'the edit is answered' 'until_sent 30 ".chat_id == 103 and (.text | test(\"^Updated #\"))"'
promise list --chat 103 --json | jq -r .text >got
echo 'analyze the server logs from tuesday' >want
compare want got 'before its work starts, the promise takes the new words, and only one is made'

# ---- a failure, told honestly, and Retry ----
m=$(message 104 'migrate the impossible legacy database')
check 'Yes to the migration' 'accept 104'
check 'the failure is told' 'until_sent 60 ".chat_id == 104 and (.text | test(\"^Sorry\"))"'
sent all
jq -r 'select(.chat_id == 104 and (.text | test("^Sorry"))) | .text' all >got
id=$(promise list --chat 104 --json | jq -r .id)
echo "Sorry, I could not finish \"migrate the impossible legacy database\" (#$id): that cannot be done as asked, after 3 attempts. Say /retry $id to try again." >want
compare want got "in the handler's words for the user, not its stderr"
fail=$(sent_where '.chat_id == 104 and (.text | test("^Sorry"))')
check 'Retry pressed' "press 104 $fail Retry >/dev/null"
attempt_is() { [ "$(promise show "$id" --json | jq .attempt)" = "$1" ]; }
check 'it runs again, once more' 'eventually 30 attempt_is 4'

# ---- typing..., while a slow answer is written ----
message 105 'tell me something slowly' >/dev/null
check '"typing..." while the answer is written' "ctl_wait 'actions=1&timeout=30' >/dev/null"
ctl_get actions | jq -r '[.chat_id, .action] | @tsv' | tail -n 1 >got
printf '105\ttyping\n' >want
compare want got 'the chat sees the bot typing'
touch "$T/slow-answer.go"
check 'then the answer' 'until_sent 30 ".chat_id == 105 and (.text | test(\"^You said\"))"'

check 'nothing left to send' 'until_quiet 30'
no_token "$T/tgpromise.err" && ok 'the token never reached the log' true
done_testing
