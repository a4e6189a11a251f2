#!/bin/sh
# notify: single messages, notice lines and receipts, splitting, and
# every refusal Telegram can give.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 23
standin_start
FAST='--chat-rate none --group-rate none --global-rate none --backoff 50ms'

expect_exit 0 '--help prints usage and exits 0' 'notify --help >help.out'
expect_exit 2 'a bad flag is a usage error' 'notify --bogus'
expect_exit 2 '--chat is required' 'notify hello'
expect_exit 2 'a bad --parse-mode is a usage error' 'notify --chat 1 --parse-mode bbcode hi'
expect_exit 1 'nothing to send: exit 1' 'notify --chat 42 </dev/null'

check 'one message from the arguments' "notify $FAST --chat 42 --json hello world >one.out 2>one.err"
echo '{"text":"hello world","chat_id":42,"ok":true,"message_ids":[1]}' >want
compare want one.out 'the receipt says where it went'
check 'a message from stdin, replying in a thread, silently' \
	"printf 'from stdin\n' | notify $FAST --chat 42 --reply-to 1 --thread 3 --silent >stdin.out 2>stdin.err"
ctl_get sent >sent
jq -c 'select(.message_id == 2) | [.text, .reply_to, .thread_id, .silent]' sent >got
echo '["from stdin",1,3,true]' >want
compare want got 'text, reply, thread and silence reached Telegram'

# 10,000 characters with emoji and CJK: parts within 4096 UTF-16 units
# (the stand-in refuses longer ones), nothing lost.
python3 -c '
import sys
words = ["hello", "\u4e2d\u6587", "\U0001F600", "caf\u00e9", "\U0001F44D\U0001F3FD", "ok"]
out, n, i = [], 0, 0
while n < 10000:
    w = words[i % 6]; out.append(w); n += len(w.encode("utf-16-le")) // 2 + 1
    out.append("\n\n" if i % 97 == 96 else "\n" if i % 13 == 12 else " "); i += 1
sys.stdout.write("".join(out))' >long.txt
check 'a 10,000-character message is sent' \
	"notify $FAST --chat 77 --json <long.txt >long.out 2>long.err"
jq -c '.message_ids | length' long.out >got
echo 3 >want
compare want got 'as 3 messages'
ctl_get sent >sent
jq -j 'select(.chat_id == 77) | .text' sent | tr -d ' \n' >got
tr -d ' \n' <long.txt >want
compare want got 'the parts hold the whole text, in order'

# HTML across a cut: the stand-in parses every part's markup.
{ printf '<b>'; i=0; while [ $i -lt 600 ]; do printf 'bold &amp; <i>italic</i> '; i=$((i + 1)); done; printf '</b>'; } >long.html
check 'long HTML is sent in parts that each parse' \
	"notify $FAST --chat 78 --parse-mode html --json <long.html >html.out 2>html.err"
jq -c '[.ok, (.message_ids | length)]' html.out >got
echo '[true,4]' >want
compare want got 'four well-formed parts'

# Notice lines: one receipt each, whatever Telegram says (as each
# finishes: sorted by ref to compare).
ctl chat '{"chat_id":43,"blocked":true}' >/dev/null
ctl chat '{"chat_id":44,"missing":true}' >/dev/null
ctl chat '{"chat_id":45,"deactivated":true}' >/dev/null
ctl chat '{"chat_id":-46,"migrate_to":-1000000000046}' >/dev/null
cat >notices <<'X'
{"ref":1,"kind":"done","chat_id":42,"text":"done #1","reply_to":999}
{"ref":2,"kind":"done","chat_id":43,"text":"blocked"}
{"ref":3,"kind":"done","chat_id":44,"text":"no chat"}
not json
{"ref":4,"kind":"done","chat_id":45,"text":"gone"}
{"ref":5,"kind":"failed","chat_id":-46,"text":"moved"}
{"ref":6,"kind":"done","text":"nowhere"}
{"ref":7,"kind":"done","chat_id":42,"text":"<blink>old</blink>","parse_mode":"html"}
X
expect_exit 8 'notice lines with refusals: exit 8' "notify $FAST --jsonl <notices >rc.out 2>rc.err"
jq -sc 'sort_by(.ref) | .[] | {ref,kind,ok,n:(.message_ids|length),error,permanent,migrated_to_chat_id}|with_entries(select(.value!=null))' rc.out >got
cat >want <<'X'
{"ref":1,"kind":"done","ok":true,"n":1}
{"ref":2,"kind":"done","ok":false,"n":0,"error":"Forbidden: bot was blocked by the user","permanent":true}
{"ref":3,"kind":"done","ok":false,"n":0,"error":"Bad Request: chat not found","permanent":true}
{"ref":4,"kind":"done","ok":false,"n":0,"error":"Forbidden: user is deactivated","permanent":true}
{"ref":5,"kind":"failed","ok":true,"n":1,"migrated_to_chat_id":-1000000000046}
{"ref":6,"kind":"done","ok":false,"n":0,"error":"the notice has no chat_id","permanent":true}
{"ref":7,"kind":"done","ok":false,"n":0,"error":"Bad Request: can't parse entities: unsupported start tag \"blink\"","permanent":true}
X
compare want got 'a receipt per notice: reply dropped, refusals permanent, migration said'
ok 'the bad line is reported with its number' grep -q '^notify: <stdin>:4: not valid JSON$' rc.err
ctl_get sent >sent
jq -c 'select(.text == "done #1") | .reply_to' sent >got
echo null >want
compare want got 'a reply to a vanished message is sent without the reply'

check '--edit changes a message' "notify $FAST --chat 42 --edit 1 --json 'hello again' >edit.out 2>edit.err"
check '--edit to the same text counts as done' "notify $FAST --chat 42 --edit 1 'hello again' >same.out 2>same.err"
expect_exit 8 '--edit of an unknown message fails for good' "notify $FAST --chat 42 --edit 555 x >e404.out 2>e404.err"
check '--action typing' "notify $FAST --chat 42 --action typing >act.out 2>act.err"

ok 'the token is in no output' no_token *.out *.err
