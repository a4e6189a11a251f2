#!/bin/sh
# tgpoll and the conversation: what in a group is addressed to the bot
# (learned from getMe), replies to the bot, button presses, edits, and
# the command menu (setMyCommands).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 18
standin_start
BOT_ID=${TOKEN%%:*}
G=-1005550001
FAST='--chat-rate none --group-rate none --global-rate none'

poll() { tgpoll --once --timeout 0 --offset-file off "$@"; }

# The bot's own message in the group, so that there is one to reply to.
check 'the bot speaks in the group' "notify $FAST --chat $G --json 'I am here' >bot.out 2>bot.err"
BOTMSG=$(jq '.message_ids[0]' bot.out)

ctl message "{\"chat_id\":$G,\"user_id\":7,\"text\":\"/jobs\"}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":7,\"text\":\"/status@tgpromise_test_bot 3\"}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":7,\"text\":\"/status@TGPROMISE_Test_Bot\"}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":7,\"text\":\"/board@otherbot now\"}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":7,\"text\":\"hey @tgpromise_test_bot, check the build\"}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":7,\"text\":\"write to x@tgpromise_test_bot or @tgpromise_test_botty\"}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":7,\"text\":\"hi Standin\",\"entities\":[{\"type\":\"text_mention\",\"offset\":3,\"length\":7,\"user\":{\"id\":$BOT_ID,\"is_bot\":true,\"first_name\":\"Standin\"}}]}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":7,\"text\":\"\\ud83d\\ude00 @TgPromise_Test_Bot\",\"entities\":[{\"type\":\"mention\",\"offset\":3,\"length\":19}]}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":7,\"text\":\"yes, that one\",\"reply_to\":$BOTMSG}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":8,\"text\":\"agreed\",\"reply_to\":2}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":8,\"text\":\"morning everyone, coffee anyone?\"}" >/dev/null
ctl message "{\"chat_id\":$G,\"user_id\":8,\"caption\":\"/jobs\",\"photo\":1}" >/dev/null
ctl message '{"chat_id":42,"text":"/board@otherbot in private"}' >/dev/null
ctl update '{"channel_post":{"message_id":1,"date":1,"chat":{"id":-1009990001,"type":"channel","title":"news"},"text":"/jobs"}}' >/dev/null
check 'tgpoll prints them' 'poll >out 2>err'
jq -c '[.text, .addressed, .reply_to_bot]' out >got
cat >want <<'X'
["/jobs",true,null]
["/status@tgpromise_test_bot 3",true,null]
["/status@TGPROMISE_Test_Bot",true,null]
["/board@otherbot now",false,null]
["hey @tgpromise_test_bot, check the build",true,null]
["write to x@tgpromise_test_bot or @tgpromise_test_botty",false,null]
["hi Standin",true,null]
["😀 @TgPromise_Test_Bot",true,null]
["yes, that one",true,true]
["agreed",false,null]
["morning everyone, coffee anyone?",false,null]
["/jobs",true,null]
["/board@otherbot in private",true,null]
["/jobs",false,null]
X
compare want got 'addressed: commands for us, mentions, replies to us; not other bots, chatter or channels'
jq -c 'select(.reply_to_bot) | .reply_to_message_id' out >got
echo "$BOTMSG" >want
compare want got 'a reply to the bot keeps reply_to_message_id'

# The command menu: set at start (after getMe), not with --no-commands.
ctl_get commands >cmds
jq -c '[.set, [.commands[].command]]' cmds >got
echo '[1,["jobs","status","cancel","retry","help"]]' >want
compare want got 'setMyCommands at start: jobs status cancel retry help'
expect_exit 1 '--no-commands (nothing pending: exit 1)' 'poll --no-commands >out2 2>err2'
ctl_get commands >cmds
jq -c .set cmds >got
echo 1 >want
compare want got '--no-commands leaves the menu alone'
ctl_get state >state
jq -c '[.calls.getMe, .calls.setMyCommands]' state >got
echo '[2,1]' >want
compare want got 'getMe at every start'
ctl fault '{"kind":"500","method":"setMyCommands"}' >/dev/null
ctl message '{"chat_id":42,"text":"still here"}' >/dev/null
check 'a failed setMyCommands does not stop tgpoll' 'poll >out3 2>err3'
jq -r .text out3 >got
echo 'still here' >want
compare want got 'the update still comes'
echo 'tgpoll: setMyCommands: Internal Server Error (the command menu is not set)' >want
compare want err3 'one line of warning'

# Buttons: a press of the current keyboard is a callback_query line
# with callback_id and data and no text.
cat >notice <<X
{"ref":1,"chat_id":$G,"thread_id":12,"text":"Started #5","reply_markup":{"inline_keyboard":[[{"text":"Cancel","callback_data":"c:5"}]]}}
X
check 'a message with a Cancel button' "notify $FAST --jsonl <notice >n.out 2>n.err"
KB=$(jq '.message_ids[0]' n.out)
ctl press "{\"chat_id\":$G,\"message_id\":$KB,\"user_id\":7,\"button\":\"Cancel\"}" >press
check 'tgpoll prints the press' 'poll >out 2>err'
jq -c 'del(.date)' out >got
echo "{\"update_id\":$(jq .update_id press),\"kind\":\"callback_query\",\"callback_id\":$(jq .callback_id press),\"data\":\"c:5\",\"chat_id\":$G,\"chat_type\":\"supergroup\",\"message_id\":$KB,\"thread_id\":12,\"user_id\":7,\"username\":\"user7\",\"first_name\":\"User\",\"addressed\":true}" >want
compare want got 'the callback line: callback_id, data, the message, its topic, the user; no text'
echo "{\"ref\":2,\"chat_id\":$G,\"edit_message_id\":$KB,\"text\":\"#5 cancelled\"}" >edit
notify $FAST --jsonl <edit >e.out 2>e.err
expect_exit 22 'an edit without reply_markup removed the keyboard: it cannot be pressed' \
	"ctl press '{\"chat_id\":$G,\"message_id\":$KB,\"button\":\"Cancel\"}'"

# An edit: the same message_id, edited: true.
ctl message '{"chat_id":42,"text":"fix the bug"}' >m
MID=$(jq '.message.message_id' m)
ctl message "{\"chat_id\":42,\"message_id\":$MID,\"edited\":true,\"text\":\"fix the login bug\"}" >/dev/null
poll >out 2>err
jq -c '[.kind, .message_id, .text, .edited]' out >got
printf '["message",%s,"fix the bug",null]\n["edited_message",%s,"fix the login bug",true]\n' "$MID" "$MID" >want
compare want got 'an edited message has edited: true and the same message_id'
# A press under a message the bot can no longer see (inaccessible).
ctl update '{"callback_query":{"id":"77","from":{"id":9,"is_bot":false,"first_name":"Bo"},"chat_instance":"1","data":"r:\u00ff\udcff","message":{"chat":{"id":9,"type":"private"},"message_id":3,"date":0}}}' >/dev/null
poll >out 2>err
jq -c 'del(.update_id)' out >got
printf '{"kind":"callback_query","callback_id":"77","data":"r:\303\277\357\277\275","chat_id":9,"chat_type":"private","message_id":3,"user_id":9,"first_name":"Bo","addressed":true}\n' >want
compare want got 'a press under an inaccessible message: callback_id and data (bad UTF-8 replaced)'
ok 'the token is in no output' no_token out err bot.out n.out
