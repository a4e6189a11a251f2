#!/bin/sh
# notify --jsonl as the bot's one sender, against a stand-in that keeps
# Telegram's flood limits (30 a second, 1 a second a chat, 20 a minute a
# group) and answers past them with a 429: nothing refused, nobody held
# up by another chat's 429, order kept within a chat, the most urgent
# first across chats, edits and keyboards, receipts as notices finish,
# and a SIGTERM that cuts no request in half.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 27
standin_start --flood

# sent_in FIRST LAST: what the stand-in got for chats FIRST..LAST, as one
# JSON array.
sent_in() {
	ctl_get sent >sent.all &&
	jq -s --argjson a "$1" --argjson b "$2" \
		'map(select(.chat_id >= $a and .chat_id <= $b))' sent.all
}

refused() { ctl_get state | jq .refused; }
calls() { ctl_get state | jq '.calls | add // 0'; }

# A notify started knows nothing of the last one's sends (the bot has
# one sender, for good); the tests that count 429s start the stand-in's
# count of sends afresh.
fresh_limits() { ctl flood '{"on":true}' >/dev/null; }

# (a) A 429 for one chat holds that chat only.  This is the one test that
# compares times, and only the stand-in's own timestamps: when it played
# the 429, and when it took the other chats' messages.  Were the wait
# every chat's, they would come 12 s later.
fresh_limits
ctl fault '{"kind":"429","method":"sendMessage","chat_id":100,"retry_after":12}' >/dev/null
{
	echo '{"ref":"a1","chat_id":100,"text":"a1"}'
	echo '{"ref":"a2","chat_id":100,"text":"a2"}'
	i=101
	while [ $i -le 120 ]; do
		printf '{"ref":%d,"chat_id":%d,"text":"x"}\n' $i $i
		i=$((i + 1))
	done
} >held
check 'a chat told to wait 12 s, and 20 other chats: all delivered' \
	"notify --jsonl <held >held.out 2>held.err"
ctl_get played >played
sent_in 100 120 >sent
jq -c --slurpfile p played '($p | map(select(.chat_id == 100 and .kind == "429")) | .[0].at) as $t |
	[(map(select(.chat_id > 100) | .at) | max) - $t <= 1,
	 (map(select(.chat_id == 100) | .at) | min) - $t >= 11.9]' sent >got
echo '[true,true]' >want
compare want got 'no other chat waited more than 1 s after the 429; the chat waited its 12 s'
jq -c 'map(select(.chat_id == 100) | .text)' sent >got
echo '["a1","a2"]' >want
compare want got 'the held chat kept its order'
jq -sc 'map(select(.ok | not))' held.out >got
echo '[]' >want
compare want got 'every receipt ok'

# (b) Within a chat, input order whatever the urgency.
before=$(refused)
i=201
while [ $i -le 205 ]; do
	printf '{"ref":"%d.1","chat_id":%d,"text":"n1","urgency":2}\n' $i $i
	printf '{"ref":"%d.2","chat_id":%d,"text":"n2","urgency":0}\n' $i $i
	printf '{"ref":"%d.3","chat_id":%d,"text":"n3"}\n' $i $i
	i=$((i + 1))
done >ordered
check 'three notices each, urgencies 2 0 1, for five chats' \
	"notify --jsonl <ordered >ordered.out 2>ordered.err"
sent_in 201 205 >sent
jq -c 'group_by(.chat_id) | map(sort_by(.at) | map(.text) | join(",")) | unique' sent >got
echo '["n1,n2,n3"]' >want
compare want got 'each chat got them in input order'

# (c) A burst: 150 chats two notices each, and a group six.
i=1001
while [ $i -le 1150 ]; do
	printf '{"ref":"%d.1","chat_id":%d,"text":"a"}\n{"ref":"%d.2","chat_id":%d,"text":"b"}\n' \
		$i $i $i $i
	i=$((i + 1))
done >burst
for k in 1 2 3 4 5 6; do
	printf '{"ref":"g%d","chat_id":-1000000000500,"text":"g%d"}\n' $k $k
done >>burst
fresh_limits
before=$(refused)
check '306 notices for 151 chats' "notify --jsonl <burst >burst.out 2>burst.err"
jq -r .ref burst | sort >want
jq -r 'select(.ok) | .ref' burst.out | sort >got
compare want got 'one ok receipt per notice'
after=$(refused)
ok "at most 1 % refused with a 429 ($((after - before)) of 306)" [ $((after - before)) -le 3 ]
ctl_get sent >sent.all
jq -s 'map(select(.chat_id > 1000 or .chat_id == -1000000000500)) |
	[length, (map([.chat_id, .text]) | unique | length)]' -c sent.all >got
echo '[306,306]' >want
compare want got 'nothing sent twice'
jq -s -c 'map(select(.chat_id == -1000000000500)) | sort_by(.at) | map(.text)' sent.all >got
echo '["g1","g2","g3","g4","g5","g6"]' >want
compare want got "the group's in order"

# (d) Replies, keyboards and edits.
ctl message '{"chat_id":301,"text":"should I?"}' >said
asked=$(jq .message.message_id said)
cat >ask <<X
{"ref":"q","kind":"question","chat_id":301,"text":"pick one","reply_to":$asked,"urgency":0,"reply_markup":{"inline_keyboard":[[{"text":"yes","callback_data":"y"}]]}}
{"ref":"gone","kind":"answer","chat_id":302,"text":"to a vanished message","reply_to":999}
X
check 'a question with a keyboard, an answer to a vanished message' \
	"notify --jsonl <ask >ask.out 2>ask.err"
sent_in 301 302 >sent
jq -c --argjson m "$asked" 'sort_by(.chat_id) | map([.reply_to, .reply_parameters, .reply_markup])' sent >got
printf '[[%s,{"message_id":%s,"allow_sending_without_reply":true},{"inline_keyboard":[[{"text":"yes","callback_data":"y"}]]}],[null,{"message_id":999,"allow_sending_without_reply":true},null]]\n' \
	"$asked" "$asked" >want
compare want got 'reply_parameters and reply_markup reached Telegram'
msg=$(jq -s 'map(select(.ref == "q"))[0].message_ids[0]' ask.out)
awk 'BEGIN { while (n++ < 5000) printf "x"; print "" }' >long.txt
{
	printf '{"ref":"e1","kind":"edit","chat_id":301,"edit_message_id":%s,"text":"picked: yes","urgency":2}\n' "$msg"
	printf '{"ref":"e2","kind":"edit","chat_id":301,"edit_message_id":%s,"text":"picked: yes","urgency":2}\n' "$msg"
	printf '{"ref":"e3","kind":"edit","chat_id":301,"edit_message_id":%s,"text":"picked: yes","reply_markup":{"inline_keyboard":[[{"text":"undo","callback_data":"u"}]]}}\n' "$msg"
	jq -Rc --argjson m "$msg" '{ref:"e4",kind:"edit",chat_id:301,edit_message_id:$m,text:.}' long.txt
	echo '{"ref":"e5","kind":"edit","chat_id":301,"edit_message_id":4242,"text":"no such"}'
} >edits
expect_exit 8 'four edits and one of a message that is not there: exit 8' \
	"notify --jsonl <edits >edits.out 2>edits.err"
jq -sc 'map([.ref, .ok, .message_ids, .permanent])' edits.out >got
printf '[["e1",true,[%s],null],["e2",true,[%s],null],["e3",true,[%s],null],["e4",true,[%s],null],["e5",false,[],true]]\n' \
	"$msg" "$msg" "$msg" "$msg" >want
compare want got 'edits: receipts name the message; "not modified" counts as delivered'
ctl_get sent | jq -sc --argjson m "$msg" 'map(select(.chat_id == 301 and .edit)) |
	map([.message_id, .text[0:11], (.text | length), .reply_markup])' >got
printf '[[%s,"picked: yes",11,null],[%s,"picked: yes",11,{"inline_keyboard":[[{"text":"undo","callback_data":"u"}]]}],[%s,"xxxxxxxxxxx",4096,null]]\n' \
	"$msg" "$msg" "$msg" >want
compare want got 'the stand-in saw three edits: keyboard removed, added, a long text clipped to one message'
ctl_get sent | jq -r 'select(.chat_id == 301 and .edit) | .text[-1:]' | tail -n 1 >got
printf '\342\200\246\n' >want
compare want got 'a clipped edit ends in an ellipsis'

# Urgency: when the overall rate is the bottleneck (here 4 each 500 ms),
# people waiting go first, then follow-ups, then progress edits,
# whatever the input order.
{
	i=401; while [ $i -le 408 ]; do printf '{"ref":%d,"chat_id":%d,"text":"progress","urgency":2}\n' $i $i; i=$((i + 1)); done
	i=421; while [ $i -le 424 ]; do printf '{"ref":%d,"chat_id":%d,"text":"done"}\n' $i $i; i=$((i + 1)); done
	i=411; while [ $i -le 414 ]; do printf '{"ref":%d,"chat_id":%d,"text":"ack","urgency":0}\n' $i $i; i=$((i + 1)); done
} >urgent
check '16 notices for 16 chats, the least urgent first in the input' \
	"notify --global-rate 4/500ms --jsonl <urgent >urgent.out 2>urgent.err"
sent_in 401 424 >sent
jq -c 'sort_by(.at) | map(.text)' sent >got
echo '["ack","ack","ack","ack","done","done","done","done","progress","progress","progress","progress","progress","progress","progress","progress"]' >want
compare want got 'acks, then follow-ups, then progress'

# (e) Receipts stream: the first comes while the input is still open.
# (A notify that died must fail the test, not kill it with SIGPIPE.)
trap '' PIPE
mkfifo in out
notify --jsonl <in >out 2>stream.err &
pid=$!
exec 3>in 4<out
echo '{"ref":1,"chat_id":501,"text":"one"}' >&3
timeout 60 head -n 1 <&4 >first.out
jq -c '[.ref, .ok]' first.out >got
echo '[1,true]' >want
compare want got 'the first receipt, read while the input is open'
echo '{"ref":2,"chat_id":501,"text":"two"}' >&3
exec 3>&-
cat <&4 >rest.out
exec 4<&-
wait $pid
rc=$?
ok 'and the second after the input ends: exit 0' [ $rc = 0 ]
jq -c '[.ref, .ok]' rest.out >got
echo '[2,true]' >want
compare want got 'its receipt'

# SIGTERM: no request is cut in half.  A slow reply in flight is waited
# for and answered; a notice held by a 429 gets a temporary failure.
ctl fault '{"kind":"slow","delay":2,"method":"sendMessage","chat_id":601}' >/dev/null
ctl fault '{"kind":"429","method":"sendMessage","chat_id":602,"retry_after":30}' >/dev/null
n=$(calls)
mkfifo term
notify --jsonl <term >term.out 2>term.err &
pid=$!
exec 3>term
printf '%s\n' '{"ref":1,"chat_id":601,"text":"slow"}' '{"ref":2,"chat_id":602,"text":"held"}' >&3
check 'both requests reached the stand-in' ctl_wait "calls=$((n + 2))\&timeout=60"
kill -TERM $pid
wait $pid
rc=$?
exec 3>&-
ok 'SIGTERM: exit 7' [ $rc = 7 ]
jq -sc 'sort_by(.ref) | map([.ref, .ok, .error, .retry_after])' term.out >got
echo '[[1,true,null,null],[2,false,"interrupted before it was sent",30]]' >want
compare want got 'the slow request finished and was answered; the held notice was not sent'
sent_in 601 602 >sent
jq -c 'map(.text)' sent >got
echo '["slow"]' >want
compare want got 'the stand-in got the slow one'

ok 'the token is in no output' no_token *.out *.err
