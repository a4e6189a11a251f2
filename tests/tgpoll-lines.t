#!/bin/sh
# tgpoll: normalized lines, the offset file, restarts, filters, flags.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 22
standin_start

# Lines without the date, which is the stand-in's clock.
nodate() { jq -c 'del(.date)' "$1"; }
lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -eq "$2" ]; }

expect_exit 0 '--help prints usage and exits 0' 'tgpoll --help >help.out'
expect_exit 2 'a bad flag is a usage error' 'tgpoll --bogus'
expect_exit 2 'a bad --timeout is a usage error' 'tgpoll --timeout soon'
expect_exit 1 '--once with nothing pending exits 1' \
	'tgpoll --once --timeout 0 --offset-file off >out 2>err'

ctl message '{"chat_id":42,"text":"hello","username":"ann","first_name":"Ann"}' >/dev/null
ctl message '{"chat_id":-1001234567890123,"user_id":7,"thread_id":5,"caption":"a cat","photo":1}' >/dev/null
ctl message '{"chat_id":42,"text":"again","reply_to":1,"edited":true}' >/dev/null
ctl message '{"chat_id":-1001234567890123,"user_id":7,"thread_id":5,"text":"re","reply_to":1}' >/dev/null
ctl update '{"callback_query":{"id":"9","from":{"id":42,"is_bot":false,"first_name":"Ann"},"data":"yes","message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"}}}}' >/dev/null
check 'tgpoll --once prints what is pending' \
	'tgpoll --once --timeout 0 --offset-file off >out 2>err'
nodate out >got
cat >want <<'X'
{"update_id":500000001,"kind":"message","chat_id":42,"chat_type":"private","message_id":1,"user_id":42,"username":"ann","first_name":"Ann","text":"hello","addressed":true}
{"update_id":500000002,"kind":"message","chat_id":-1001234567890123,"chat_type":"supergroup","message_id":1,"thread_id":5,"user_id":7,"username":"user7","first_name":"User","text":"a cat","media":"photo","addressed":false}
{"update_id":500000003,"kind":"edited_message","chat_id":42,"chat_type":"private","message_id":2,"user_id":42,"username":"user42","first_name":"User","text":"again","reply_to_message_id":1,"addressed":true,"edited":true}
{"update_id":500000004,"kind":"message","chat_id":-1001234567890123,"chat_type":"supergroup","message_id":2,"thread_id":5,"user_id":7,"username":"user7","first_name":"User","text":"re","reply_to_message_id":1,"addressed":false}
{"update_id":500000005,"kind":"callback_query","callback_id":"9","data":"yes","chat_id":42,"chat_type":"private","message_id":1,"user_id":42,"first_name":"Ann","addressed":true}
X
compare want got 'lines carry the normalized fields; a forum topic is no reply, a caption is text, a press has callback_id and data'
printf '%-20s\n' 500000006 >want
compare want off 'the offset file holds the next update id (a padded record)'
ctl_get state >state
ok 'Telegram was told: nothing is pending' [ "$(jq -c .pending state)" = '[]' ]

# Restart between two updates: nothing lost, nothing twice.
ctl message '{"chat_id":42,"text":"one"}' >/dev/null
tgpoll --once --timeout 0 --offset-file off >run1 2>err
ctl message '{"chat_id":42,"text":"two"}' >/dev/null
tgpoll --once --timeout 0 --offset-file off >run2 2>err
jq -r .text run1 run2 >got
printf 'one\ntwo\n' >want
compare want got 'a restart between two updates loses nothing and repeats nothing'

ctl message '{"chat_id":42,"text":"three"}' >/dev/null
check '--limit 1 takes one update' \
	'tgpoll --once --timeout 0 --limit 1 --offset-file off >out 2>err'
jq -r .text out >got
echo three >want
compare want got 'the first pending update came'
# After a week of silence Telegram picks new, maybe lower, ids: an offset
# file that old is not trusted, and lower ids are printed, not dropped.
ctl update '{"update_id":17,"message":{"message_id":9,"date":1,"chat":{"id":42,"type":"private"},"text":"low id"}}' >/dev/null
touch -d '8 days ago' off
check 'a lower update id is still printed' \
	'tgpoll --once --timeout 0 --offset-file off >out 2>err'
jq -r .text out >got
echo 'low id' >want
compare want got 'the lower id arrives'
printf '%-20s\n' 18 >want
compare want off 'the offset follows the lower id'

# Allow-lists: others are confirmed, logged and not printed.
ctl message '{"chat_id":42,"text":"friend"}' >/dev/null
ctl message '{"chat_id":666,"text":"stranger"}' >/dev/null
ctl message '{"chat_id":-5,"user_id":42,"text":"friend in a group"}' >/dev/null
check '--allow-chat/--allow-user filter' \
	'tgpoll --once --timeout 0 --allow-chat 42 --allow-user 42 --offset-file off >out 2>err'
jq -r .text out >got
printf 'friend\nfriend in a group\n' >want
compare want got 'only allowed chats and users are printed'
ok 'the stranger is logged on stderr' lines err 1
ctl message '{"chat_id":-7,"user_id":99,"chat_type":"group","text":"/jobs from a member"}' >/dev/null
ctl message '{"chat_id":99,"user_id":99,"text":"the member alone"}' >/dev/null
check 'an allowed group' 'tgpoll --once --timeout 0 --allow-chat -7 --offset-file off >out 2>err'
jq -r .text out >got
echo '/jobs from a member' >want
compare want got "a group's id lets its members in there, not elsewhere"
ctl_get state >state
ok 'and confirmed to Telegram' [ "$(jq -c .pending state)" = '[]' ]

ctl message '{"chat_id":42,"text":"raw"}' >/dev/null
tgpoll --once --raw --timeout 0 --offset-file off >out 2>err
jq -r .update.message.text out >got
echo raw >want
compare want got '--raw adds the untouched update'

ok 'the token is in no output' no_token out err help.out run1 run2 off
