#!/bin/sh
# notify: answers to button presses (answerCallbackQuery) and chat
# actions (sendChatAction): outside the chats' pacing, answers first.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 16
standin_start
FAST='--chat-rate none --group-rate none --global-rate none --backoff 50ms'

# A message with a button, and a press of it.
echo '{"ref":1,"chat_id":42,"text":"Started #5","reply_markup":{"inline_keyboard":[[{"text":"Cancel","callback_data":"c:5"}]]}}' >n1
check 'a message with a Cancel button' "notify $FAST --jsonl <n1 >n1.out 2>n1.err"
KB=$(jq '.message_ids[0]' n1.out)
ctl press "{\"chat_id\":42,\"message_id\":$KB,\"button\":\"Cancel\"}" >press
CB=$(jq .callback_id press)

echo "{\"ref\":2,\"chat_id\":42,\"callback_id\":$CB,\"text\":\"Cancelling #5\"}" >n2
check 'a callback_id is answered' "notify $FAST --jsonl <n2 >n2.out 2>n2.err"
jq -c '[.ref, .ok, .message_ids]' n2.out >got
echo '[2,true,[]]' >want
compare want got 'the receipt: ok, no message ids'
ctl_get answered >answered
jq -c '[.callback_query_id, .text, .show_alert]' answered >got
echo "[$CB,\"Cancelling #5\",null]" >want
compare want got 'answerCallbackQuery with the id and the text, no alert'
expect_exit 8 'answering it twice fails for good' "notify $FAST --jsonl <n2 >again.out 2>again.err"
jq -c '[.ok, .permanent, .error]' again.out >got
echo '[false,true,"Bad Request: query is too old and response timeout expired or query ID is invalid"]' >want
compare want got 'the receipt says so: permanent'

# An edit passes its reply_markup: the new keyboard is the one there.
echo "{\"ref\":20,\"chat_id\":42,\"edit_message_id\":$KB,\"text\":\"#5 failed\",\"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"Retry\",\"callback_data\":\"r:5\"}]]}}" >n20
check 'an edit with a new keyboard' "notify $FAST --jsonl <n20 >n20.out 2>n20.err"
press() { ctl press "$1" >/dev/null; }
ok 'its button can be pressed' press "{\"chat_id\":42,\"message_id\":$KB,\"button\":\"Retry\"}"
# And leave it at the Cancel button for what follows.
echo "{\"ref\":21,\"chat_id\":42,\"edit_message_id\":$KB,\"text\":\"Started #5\",\"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"Cancel\",\"callback_data\":\"c:5\"}]]}}" >n21
notify $FAST --jsonl <n21 >n21.out 2>n21.err

# Past 200 characters the toast is clipped (in UTF-16 units, an emoji is two).
ctl press "{\"chat_id\":42,\"message_id\":$KB,\"button\":\"Cancel\"}" >press
CB=$(jq .callback_id press)
jq -nc --argjson cb "$CB" '{ref:3, callback_id:$cb, text:("\ud83d\ude00" * 150)}' >n3
check 'a long answer is clipped' "notify $FAST --jsonl <n3 >n3.out 2>n3.err"
ctl_get answered >answered
jq -c 'select(.callback_query_id == '"$CB"') | [(.text | length), (.text | utf8bytelength)]' answered >got
echo '[100,400]' >want
compare want got 'to 100 emoji, 200 units'

# Chat actions, in a topic.
echo '{"ref":4,"chat_id":-1005550001,"thread_id":12,"action":"typing"}' >n4
check 'an action is sent' "notify $FAST --jsonl <n4 >n4.out 2>n4.err"
ctl_get actions >actions
jq -c '[.chat_id, .action, .thread_id]' actions >got
echo '[-1005550001,"typing",12]' >want
compare want got 'sendChatAction with message_thread_id'

# Neither counts against a chat's pace, and an answer goes first: with
# one message a minute to chat 42, three messages, an action and an
# answer: the action, the answer and the first message go at once.
ctl press "{\"chat_id\":42,\"message_id\":$KB,\"button\":\"Cancel\"}" >press
CB=$(jq .callback_id press)
cat >n5 <<X
{"ref":10,"chat_id":42,"action":"typing"}
{"ref":11,"chat_id":42,"text":"one"}
{"ref":12,"chat_id":42,"text":"two"}
{"ref":13,"chat_id":42,"text":"three"}
{"ref":14,"chat_id":42,"callback_id":$CB,"text":"ok"}
X
notify --chat-rate 1/1m --jsonl <n5 >n5.out 2>n5.err &
NPID=$!
waits() { ctl_wait "$1&timeout=30" >/dev/null; }
ok 'the answer is not held by the chat pace' waits 'answered=3&actions=2'
ok 'nor is the first message by the action before it' waits 'sent=2&chat_id=42'
kill -TERM "$NPID"; wait "$NPID"
jq -sc 'map(select(.ok)) | map(.ref) | sort' n5.out >got
echo '[10,11,14]' >want
compare want got 'answered, acted, and one message sent; the rest waited for the pace'
ok 'the token is in no output' no_token *.out *.err
