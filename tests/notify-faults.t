#!/bin/sh
# notify against a misbehaving server: retries, giving up, exit status
# precedence, pacing, and the token in no byte of any output.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 17
standin_start
FAST='--chat-rate none --group-rate none --global-rate none --backoff 50ms'

for kind in 500 502 drop notjson truncated; do
	ctl fault "{\"kind\":\"$kind\",\"method\":\"sendMessage\",\"count\":2}" >/dev/null
	check "$kind twice: retried and delivered" \
		"notify $FAST --chat 42 --json 'after $kind' >$kind.out 2>$kind.err"
done

ctl fault '{"kind":"429","method":"sendMessage","retry_after":1}' >/dev/null
check '429: waits retry_after and resends' "notify $FAST --chat 42 'after 429' >429.out 2>429.err"
ctl_get state >state
ok 'the 429 was played' [ "$(jq .faults state)" = '[]' ]

ctl fault '{"kind":"500","method":"sendMessage","count":10}' >/dev/null
expect_exit 7 'a server that keeps failing: given up, exit 7' \
	"notify $FAST --tries 3 --chat 42 --json 'never' >giveup.out 2>giveup.err"
jq -c '[.ok, .permanent, .error]' giveup.out >got
echo '[false,false,"Internal Server Error (gave up after 3 tries)"]' >want
compare want got 'a temporary-failure receipt: ok false, permanent false'
ctl fault '{"clear":true}' >/dev/null

ctl fault '{"kind":"500","method":"sendMessage","chat_id":42,"count":2}' >/dev/null
ctl chat '{"chat_id":43,"blocked":true}' >/dev/null
printf '%s\n' '{"ref":1,"chat_id":42,"text":"later"}' '{"ref":2,"chat_id":43,"text":"blocked"}' >mixed
expect_exit 7 'one lost for good, one worth retrying: exit 7 wins' \
	"notify $FAST --tries 2 --jsonl <mixed >mixed.out 2>mixed.err"
jq -sc 'sort_by(.ref) | .[] | [.ref, .ok, .permanent]' mixed.out >got
printf '[1,false,false]\n[2,false,true]\n' >want
compare want got 'each receipt says which'

ctl fault '{"kind":"slow","delay":3,"method":"sendMessage"}' >/dev/null
expect_exit 7 'a reply slower than --http-timeout: exit 7' \
	"notify $FAST --tries 1 --http-timeout 300ms --chat 42 slow >slow.out 2>slow.err"

ctl fault '{"kind":"nodesc","method":"sendMessage"}' >/dev/null
expect_exit 8 'ok:false without a description: a clear permanent error' \
	"notify $FAST --chat 42 --json nodesc >nodesc.out 2>nodesc.err"
jq -r .error nodesc.out >got
echo 'error 400 without a description' >want
compare want got 'the receipt says what came back'

# Pacing: three messages to one chat at 1 per 500 ms take at least 1 s.
start=$(date +%s%N)
printf '%s\n' '{"chat_id":50,"text":"a"}' '{"chat_id":50,"text":"b"}' '{"chat_id":50,"text":"c"}' |
	notify --jsonl --chat-rate 1/500ms >paced.out 2>paced.err
end=$(date +%s%N)
ok 'per-chat pacing spaces messages out' [ $(((end - start) / 1000000)) -ge 1000 ]

ctl revoke >/dev/null
expect_exit 8 'a revoked token: exit 8' "notify $FAST --chat 42 hi >revoked.out 2>revoked.err"
ok 'the token is in no output of any failure' no_token *.out *.err
