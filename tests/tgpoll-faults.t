#!/bin/sh
# tgpoll against a misbehaving server: every fault, signals, broken pipes,
# and the token in no byte of any output.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 25
standin_start

lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -eq "$2" ]; }
polling() { ctl_get state >poll.state && [ "$(jq .polls poll.state)" = 1 ]; }
# poll_bg NAME ARGS...: tgpoll in the background, output in NAME.out/.err
poll_bg() {
	_name=$1; shift
	tgpoll --offset-file off --timeout 1 --max-backoff 200ms "$@" \
		>"$_name.out" 2>"$_name.err" &
	PID=$!
}
stop_bg() { kill -TERM "$PID"; wait "$PID"; echo $? >"$1.rc"; }

# Transient faults: the poller waits and goes on, losing nothing.
for kind in 500 502 notjson truncated drop; do
	ctl fault "{\"kind\":\"$kind\",\"method\":\"getUpdates\",\"count\":2}" >/dev/null
	ctl message "{\"chat_id\":42,\"text\":\"after $kind\"}" >/dev/null
	poll_bg "$kind"
	eventually 10 lines "$kind.out" 1
	ok "$kind: retried with backoff, the update arrives" lines "$kind.out" 1
	stop_bg "$kind"
done
ok 'the faults were reported on stderr' lines 500.err 2

ctl fault '{"kind":"429","retry_after":1,"method":"getUpdates"}' >/dev/null
ctl message '{"chat_id":42,"text":"after 429"}' >/dev/null
poll_bg 429
eventually 10 lines 429.out 1
ok '429: waits retry_after, then the update arrives' lines 429.out 1
stop_bg 429

ctl fault '{"kind":"500","method":"getUpdates"}' >/dev/null
expect_exit 7 '--once: a 5xx is a temporary failure' \
	'tgpoll --once --timeout 0 --offset-file off >once.out 2>once.err'
ctl fault '{"kind":"nodesc","method":"getUpdates"}' >/dev/null
expect_exit 8 'ok:false without a description: a clear error' \
	'tgpoll --once --timeout 0 --offset-file off >nodesc.out 2>nodesc.err'
echo 'tgpoll: getUpdates: error 400 without a description' >want
compare want nodesc.err 'the error says what came back'

# SIGTERM in the middle of a long poll: out at once, status 0.
tgpoll --timeout 50 --offset-file off >term.out 2>term.err &
PID=$!
eventually 5 polling
start=$(date +%s)
kill -TERM "$PID"
wait "$PID"
echo $? >term.rc
end=$(date +%s)
echo 0 >want
compare want term.rc 'SIGTERM during a long poll exits 0'
ok 'promptly (well under the 50 s poll)' [ $((end - start)) -le 5 ]

# A confirmed offset survives a SIGINT too.
ctl message '{"chat_id":42,"text":"before int"}' >/dev/null
poll_bg int
eventually 10 lines int.out 1
stop_bg int
ctl_get state >state
ok 'after a signal Telegram holds nothing already printed' [ "$(jq -c .pending state)" = '[]' ]

# A closed pipe: quiet, and the unread update is not confirmed.
ctl message '{"chat_id":42,"text":"nobody reads"}' >/dev/null
before=$(cat off)
{ tgpoll --once --timeout 0 --offset-file off 2>pipe.err; echo $? >pipe.rc; } | exec 0<&-
ok 'a broken pipe ends tgpoll quietly' [ ! -s pipe.err ]
ok 'and the offset did not move' [ "$(cat off)" = "$before" ]
ctl_get state >state
ok 'and Telegram still holds the update' [ "$(jq '.pending | length' state)" = 1 ]

# 409: a webhook, or another poller.
curl_set_webhook() {
	python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1] + "/bot" + sys.argv[2] + "/setWebhook?url=https://example.org/hook").read()' "$STANDIN" "$TOKEN"
}
curl_set_webhook
expect_exit 4 '409 with a webhook set: exit 4' \
	'tgpoll --once --timeout 0 --offset-file off >hook.out 2>hook.err'
echo 'tgpoll: a webhook is set for this bot, so getUpdates cannot be used; --delete-webhook removes it' >want
compare want hook.err 'and says a webhook is set'
check '--delete-webhook removes it and polls' \
	'tgpoll --once --delete-webhook --timeout 0 --offset-file off >del.out 2>del.err'

tgpoll --timeout 20 --offset-file first.off >first.out 2>first.err &
PID=$!
sleep 0.5
tgpoll --timeout 1 --once --offset-file second.off >second.out 2>second.err
wait "$PID"
echo $? >first.rc
echo 4 >want
compare want first.rc 'a second poller: the first one gets 409 and exits 4'

# A bad token: exit 8, and no output ever holds a token.
TELEGRAM_BOT_TOKEN='999:wrongTOKEN' expect_exit 8 'a wrong token: invalid token, exit 8' \
	'tgpoll --once --timeout 0 --offset-file off >bad.out 2>bad.err'
ctl revoke >/dev/null
expect_exit 8 'a revoked token: exit 8' \
	'tgpoll --once --timeout 0 --offset-file off >revoked.out 2>revoked.err'
echo 'tgpoll: invalid token: Telegram says Unauthorized' >want
compare want revoked.err 'it says the token is invalid'
TELEGRAM_API_URL=http://127.0.0.1:1 expect_exit 7 'a refused connection: exit 7' \
	'tgpoll --once --timeout 0 --offset-file off >refused.out 2>refused.err'

ok 'the token is in no output of any failure' no_token *.out *.err
