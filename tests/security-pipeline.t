#!/bin/sh
# Hostile text through tgpoll | classify: shell metacharacters, SQL,
# control characters, invalid UTF-8 and a 1 MB line arrive intact (bad
# bytes as U+FFFD) and inert; strangers never reach stdout; the token is
# in no output.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 14
standin_start

# Each message's text, one JSON string per line.  The canary file must
# never appear: nothing may run any of this.
cat >texts <<'X'
"$(touch canary) `touch canary` ; touch canary && touch canary | touch canary"
"'; DROP TABLE promises; -- \" OR 1=1; INSERT INTO x VALUES('canary')"
"bell\u0007 esc\u001b[31m red\u001b[0m cr\r lf\n tab\t del\u007f nel\u0085 ls\u2028 bidi\u202e"
"%s%s%n %x ${HOME} $HOME ~ * ? [a] \\ \\\\ \"quoted\" 'single' \u00e9\ud83d\ude00"
"bad bytes: \udcff \udcc3 \udce2\udc82 end"
X
# The invalid bytes come out as U+FFFD, everything else as sent.  (jq
# would turn the lone surrogates into U+FFFD already: python builds the
# messages.)
sed 's/\\udc[0-9a-f][0-9a-f]/\\ufffd/g' texts | jq -c . >want.texts
python3 -c '
import json, sys
for line in sys.stdin:
    print(json.dumps({"chat_id": 42, "user_id": 42, "text": json.loads(line)}))
' <texts >msgs
# A 1 MB text (Telegram caps text at 4096, a hostile server need not).
python3 -c 'import json,sys; print(json.dumps({"chat_id":42,"user_id":42,"text":"x"*999990+"$(touch c)"}))' >big.json
post_big() {
	python3 -c '
import sys, urllib.request
r = urllib.request.Request(sys.argv[1] + "/control/message", open("big.json","rb").read(),
                           {"Content-Type": "application/json"})
urllib.request.urlopen(r).read()' "$STANDIN"
}
inject() {
	while read -r m; do ctl message "$m" >/dev/null; done <msgs
	ctl message '{"chat_id":666,"user_id":666,"text":"$(touch canary) stranger"}' >/dev/null
	post_big
}

inject
check 'tgpoll --raw prints the allowed messages' \
	'tgpoll --once --timeout 0 --raw --allow-chat 42 --offset-file off.raw >raw 2>raw.err'
inject
check 'tgpoll prints them' \
	'tgpoll --once --timeout 0 --allow-chat 42 --offset-file off >lines 2>poll.err'
ok 'every tgpoll line is valid UTF-8' iconv -f UTF-8 -t UTF-8 -o /dev/null lines
ok 'every --raw line is valid UTF-8' iconv -f UTF-8 -t UTF-8 -o /dev/null raw
check 'classify reads them all' 'classify <lines >out 2>classify.err'
ok 'six lines came through' [ "$(wc -l <out)" -eq 6 ]
check 'every output line is one JSON object' 'jq -e -c "objects" out >/dev/null'
jq -c 'select(.text|length < 4096) | .text' out >got
compare want.texts got 'the texts arrive byte for byte, bad bytes as U+FFFD'
jq -c 'select(.text|length > 4096) | [(.text|length), .intent]' out >got
echo '[1000000,"chat"]' >want
compare want got 'the 1 MB text arrives whole'
jq -c '[.chat_id, .intent, .tier, .task_type, .detach]' out | sort -u >got
ok 'only chat 42 reached stdout' [ "$(jq -r '.chat_id' out | sort -u)" = 42 ]
ok 'the stranger was refused on stderr' [ "$(wc -l <poll.err)" -eq 1 ]
ok 'nothing ran: no canary file' [ ! -e canary ] && [ ! -e c ]
ok 'the token is in no output' no_token lines raw out poll.err raw.err classify.err off
check 'classify --reply takes them too' 'classify --reply <lines >reply.out 2>reply.err'
