#!/bin/sh
# tgpoll --webhook: the secret token, sizes, refusals, a slow client, a
# 200 only once the line is written, re-sent updates printed once (also
# across a restart), and the stand-in delivering as Telegram does.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 42
standin_start
SECRET=s3cret-for-tests_0123456789abcdefXYZ
TGPROMISE_WEBHOOK_SECRET=$SECRET
export TGPROMISE_WEBHOOK_SECRET
HOOKS=0   # setWebhook and deleteWebhook calls so far

# start_webhook [FLAGS]: tgpoll --webhook on a free port, appending to
# lines (or $WH_OUT); returns once its setWebhook came (it listens
# before that).  WH_OPEN=FIFO: open the FIFO it writes to, and close it.
start_webhook() {
	for _try in 1 2 3 4 5 6 7 8; do
		PORT=$(( $(od -An -N2 -tu2 /dev/urandom) % 12000 + 20000 ))   # below the ephemeral ports
		HOOK="http://127.0.0.1:$PORT/hook"
		tgpoll --webhook "127.0.0.1:$PORT" --webhook-url "$HOOK" \
			--webhook-timeout 2s --offset-file off "$@" >>"${WH_OUT:-lines}" 2>>wh.err &
		WH_PID=$!
		[ -z "${WH_OPEN:-}" ] || : <"$WH_OPEN"
		while kill -0 "$WH_PID" 2>/dev/null; do
			if ctl_wait "webhooks=$((HOOKS + 1))&timeout=1" >/dev/null 2>&1; then
				HOOKS=$((HOOKS + 1))
				return 0
			fi
		done
		wait "$WH_PID"
		[ $? = 4 ] || return 1   # the port was taken: another one
	done
	return 1
}
stop_webhook() { kill -TERM "$WH_PID"; wait "$WH_PID"; }

# post BODY-FILE [SECRET] [CURL-FLAGS]: the HTTP status of a POST to it.
post() {
	_body=$1 _secret=${2-$SECRET}; shift; [ $# -gt 0 ] && shift
	curl -sS -o /dev/null -w '%{http_code}' --max-time 60 \
		-H 'Content-Type: application/json' \
		${_secret:+-H "X-Telegram-Bot-Api-Secret-Token: $_secret"} \
		"$@" --data-binary "@$_body" "$HOOK"
}
update() {	# update ID TEXT: an update as Telegram sends it
	printf '{"update_id":%s,"message":{"message_id":%s,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"is_bot":false,"first_name":"Ann"},"text":"%s"}}' "$1" "$1" "$2"
}
count() { [ -f "$1" ] && wc -l <"$1" | tr -d ' ' || echo 0; }

expect_exit 2 '--webhook needs --webhook-url' 'tgpoll --webhook 127.0.0.1:8443'
expect_exit 2 '--webhook with --once is a usage error' \
	'tgpoll --webhook 127.0.0.1:8443 --webhook-url https://x/ --once'
# Said at once, before Telegram is asked anything (here it is unreachable).
NOAPI='--api-url http://127.0.0.1:1 --webhook-url https://x/ --offset-file off'
expect_exit 2 'an address without a port' \
	"tgpoll --webhook nonsense $NOAPI 2>addr.err"
ok 'said in one line' [ "$(count addr.err)" = 1 ]
expect_exit 2 'a port out of range' "tgpoll --webhook 127.0.0.1:99999 $NOAPI"
expect_exit 2 'IPv6 without brackets' "tgpoll --webhook ::1:8443 $NOAPI"
expect_exit 4 'a port in use: exit 4' \
	"tgpoll --webhook 127.0.0.1:$STANDIN_PORT $NOAPI 2>inuse.err"
echo "tgpoll: cannot listen on 127.0.0.1:$STANDIN_PORT: the port is in use" >want
compare want inuse.err 'the port in use, in one line'

ok 'tgpoll --webhook starts' start_webhook
ctl_get webhooks >hooks
jq -c '[.method, .url == "'"$HOOK"'", .secret_token, (.allowed_updates | index("callback_query") != null), .max_connections]' hooks >got
echo "[\"setWebhook\",true,\"$SECRET\",true,1]" >want
compare want got 'setWebhook: the URL, the secret, allowed_updates with callback_query, one connection'

update 900 hello >u900
ok 'the right secret: 200' [ "$(post u900)" = 200 ]
# No wait: the 200 comes only after the line is written.
jq -c '[.update_id, .text, .addressed]' lines >got
echo '[900,"hello",true]' >want
compare want got 'the line is there when the 200 is'
update 901 forged >u901
ok 'a wrong secret: 401' [ "$(post u901 wrong-secret)" = 401 ]
ok 'no secret: 401' [ "$(post u901 '')" = 401 ]
ok 'a secret that is a prefix of the right one: 401' [ "$(post u901 s3cret)" = 401 ]
ok 'nothing printed for them' [ "$(count lines)" = 1 ]
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >big
ok 'a body over 1 MiB: 413' [ "$(post big)" = 413 ]
echo 'not json' >bad
ok 'not JSON: 400' [ "$(post bad)" = 400 ]
echo '{"message":{"text":"no id"}}' >noid
ok 'no update_id: 400' [ "$(post noid)" = 400 ]
ok 'a chunked body: 411' [ "$(post u901 "$SECRET" -H 'Transfer-Encoding: chunked')" = 411 ]
head -c 20000 /dev/zero | tr '\0' x >pad
ok 'headers over 16 KiB: 431' [ "$(post u901 "$SECRET" -H "X-Pad: $(cat pad)")" = 431 ]
ok 'nothing printed for any of them' [ "$(count lines)" = 1 ]
ok 'a GET: 405' [ "$(curl -sS -o /dev/null -w '%{http_code}' -H "X-Telegram-Bot-Api-Secret-Token: $SECRET" "$HOOK")" = 405 ]
ok 'the same update again: 200' [ "$(post u900)" = 200 ]
ok 'and printed once' [ "$(count lines)" = 1 ]
# Nearly 1 MiB of text: curl asks "Expect: 100-continue" first.
{ printf '{"update_id":902,"message":{"message_id":9,"date":1,"chat":{"id":42,"type":"private"},"text":"'; head -c 1000000 /dev/zero | tr '\0' 'a'; printf '"}}'; } >large
ok 'a large update is taken' [ "$(post large)" = 200 ]
ok 'and printed' [ "$(jq -r '.text | length' lines | tail -1)" = 1000000 ]

# A client that says nothing more holds the server for the timeout only.
python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /hook HTTP/1.1\r\nHost: x\r\n")
open("slow.up", "w").write("connected\n")
time.sleep(60)' "$PORT" 2>/dev/null &
SLOW=$!
eventually 20 test -s slow.up
update 903 after-slow >u903
ok 'a request behind a silent client is served (read timeout)' [ "$(post u903)" = 200 ]
kill "$SLOW" 2>/dev/null; wait "$SLOW" 2>/dev/null

# The stand-in as Telegram: delivers what users say, and sends an update
# again when the answer was lost; it is printed once.
ctl message '{"chat_id":42,"text":"via telegram"}' >/dev/null
ctl_wait 'delivered=1' >/dev/null
ctl fault '{"kind":"lost","method":"webhook","count":1}' >/dev/null
ctl message '{"chat_id":42,"text":"answer lost"}' >/dev/null
ctl_wait 'delivered=3' >/dev/null
ctl_get deliveries >deliv
jq -c '[.status, .lost]' deliv >got
printf '[200,false]\n[200,true]\n[200,false]\n' >want
compare want got 'the stand-in delivered, lost one answer and sent that update again'
jq -r 'select(.update_id >= 500000000) | .text' lines >got
printf 'via telegram\nanswer lost\n' >want
compare want got 'each printed once'

# A restart: the last update printed may come again (the crash fell
# between line and answer); the offset file knows it.
stop_webhook; WH_RC=$?
ok 'SIGTERM: exit 0' [ "$WH_RC" = 0 ]
ok 'restarted' start_webhook
update 904 last >u904
LAST=$(jq -s 'map(.update_id) | max' lines)
update "$LAST" again >ulast
ok 'the last update printed, sent again after a restart: 200' [ "$(post ulast)" = 200 ]
ok 'not printed again' [ "$(jq -s "map(select(.update_id == $LAST)) | length" lines)" = 1 ]
stop_webhook

# The allow-lists hold as in polling: answered, logged, not printed.
ok 'started with --allow-chat 42' start_webhook --allow-chat 42
printf '{"update_id":905,"message":{"message_id":5,"date":1,"chat":{"id":666,"type":"private"},"text":"stranger"}}' >u905
BEFORE=$(count lines)
ok 'a stranger: 200' [ "$(post u905)" = 200 ]
ok 'not printed' [ "$(count lines)" = "$BEFORE" ]
stop_webhook

# Nobody reads the lines: no line, no answer (Telegram keeps the update).
mkfifo gone
WH_OUT=gone WH_OPEN=gone start_webhook
update 906 unread >u906
ok 'a line that cannot be written gets no 200' [ "$(post u906 2>/dev/null)" = 000 ]
wait "$WH_PID"; WH_RC=$?
ok 'and tgpoll ends quietly: exit 0' [ "$WH_RC" = 0 ]

# No TGPROMISE_WEBHOOK_SECRET: a random one, 32 characters or more.
unset TGPROMISE_WEBHOOK_SECRET
start_webhook
ctl_get webhooks >hooks
GEN=$(jq -r 'select(.method == "setWebhook") | .secret_token' hooks | tail -1)
good_secret() { expr "$1" : '[A-Za-z0-9_-]\{32,\}$' >/dev/null; }
ok 'a generated secret: 32+ of A-Za-z0-9_-' good_secret "$GEN"
ok 'the old secret is refused now' [ "$(post u901 "$SECRET")" = 401 ]
stop_webhook
ok 'neither token nor secret in any output' no_token wh.err lines && ! grep -q -e "$GEN" -e "$SECRET" wh.err lines
