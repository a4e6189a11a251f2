#!/bin/sh
# notify --jsonl schedules: a chat waiting on its pacing, a 429 or a retry
# never holds up the others; each chat still gets its notices in order,
# split ones whole; receipts come as notices finish; input is read as it
# comes; SIGTERM answers every notice in hand.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 29
standin_start

# sent_in FIRST LAST: what the stand-in got for chats FIRST..LAST, as one
# JSON array.
sent_in() {
	ctl_get sent >sent.all &&
	jq -s --argjson a "$1" --argjson b "$2" \
		'map(select(.chat_id >= $a and .chat_id <= $b))' sent.all
}

# 300 notices for 100 chats, three in a row for each, as `promise outbox`
# prints them.  At one message a second per chat, in input order, this
# took 200 s; scheduled it takes about 2 s.  The bound is only generous.
i=1001
while [ $i -le 1100 ]; do
	for k in 1 2 3; do
		printf '{"ref":"%d.%d","chat_id":%d,"text":"n%d"}\n' $i $k $i $k
	done
	i=$((i + 1))
done >burst
check '300 notices for 100 chats: all delivered, well within 60 s' \
	"timeout 60 notify --global-rate none --jsonl <burst >burst.out 2>burst.err"
jq -r .ref burst | sort >want
jq -r 'select(.ok) | .ref' burst.out | sort >got
compare want got 'one ok receipt per notice'
jq -c 'select(.message_ids != [.ref | split(".")[1] | tonumber])' burst.out >got
: >want
compare want got "each receipt's message id says its place in its chat"
sent_in 1001 1100 >sent
jq -c 'group_by(.chat_id) | map(sort_by(.at) | map(.text) | join(",")) |
	[length, unique]' sent >got
echo '[100,["n1,n2,n3"]]' >want
compare want got 'every chat got its three messages in input order'
jq 'group_by(.chat_id) | map(sort_by(.at) | [.[1].at - .[0].at, .[2].at - .[1].at] | min) |
	min >= 0.95' sent >got
echo true >want
compare want got 'and no chat more than one a second'

# The overall limit: 30 chats at 10 a second.
i=1201
while [ $i -le 1230 ]; do
	printf '{"ref":%d,"chat_id":%d,"text":"g"}\n' $i $i
	i=$((i + 1))
done >global
check '30 notices for 30 chats under --global-rate 10/1s' \
	"notify --global-rate 10/1s --jsonl <global >global.out 2>global.err"
sent_in 1201 1230 >sent
jq 'map(.at) | sort | [range(10; length) as $i | .[$i] - .[$i - 10]] | min >= 0.95' sent >got
echo true >want
compare want got 'no ten within a second'

# A busy chat does not crowd out the others: with room for three sends
# in 100 ms, every chat's first notice goes before anyone's second.  (One
# request at a time: requests in flight together may reach the server in
# any order.)
i=1301
while [ $i -le 1310 ]; do
	for k in 1 2 3; do
		printf '{"ref":"%d.%d","chat_id":%d,"text":"n%d"}\n' $i $k $i $k
	done
	i=$((i + 1))
done >fair
check 'three notices each for ten chats, 3 sends in 100 ms' \
	"notify --parallel 1 --chat-rate 1/100ms --global-rate 3/100ms --jsonl <fair >fair.out 2>fair.err"
sent_in 1301 1310 >sent
jq -c 'sort_by(.at) | map(.text) | [.[0:10], .[10:20]] | map(unique)' sent >got
echo '[["n1"],["n2"]]' >want
compare want got 'first notices first, then second ones'

# A chat told to wait (429) and a chat whose sends fail (500, retried
# after a backoff) hold up nobody else.
ctl fault '{"kind":"429","method":"sendMessage","chat_id":2001,"retry_after":2}' >/dev/null
ctl fault '{"kind":"500","method":"sendMessage","chat_id":2002,"count":2}' >/dev/null
{
	echo '{"ref":"a","chat_id":2001,"text":"first"}'
	echo '{"ref":"b","chat_id":2002,"text":"flaky"}'
	i=2003
	while [ $i -le 2010 ]; do
		printf '{"ref":%d,"chat_id":%d,"text":"other"}\n' $i $i
		i=$((i + 1))
	done
	echo '{"ref":"c","chat_id":2001,"text":"second"}'
} >slow
check 'a waiting chat and a failing chat: all delivered' \
	"notify --global-rate none --chat-rate none --backoff 300ms --jsonl <slow >slow.out 2>slow.err"
jq -sc '[(.[0:8] | map([.ref, .ok]) | sort), (.[8:] | map([.ref, .ok]))]' slow.out >got
echo '[[[2003,true],[2004,true],[2005,true],[2006,true],[2007,true],[2008,true],[2009,true],[2010,true]],[["b",true],["a",true],["c",true]]]' >want
compare want got 'receipts come as notices finish, each with its ref'
sent_in 2001 2010 >sent
jq '(map(select(.chat_id > 2002) | .at) | max) < (map(select(.chat_id <= 2002) | .at) | min)' sent >got
echo true >want
compare want got 'the other chats went first'
jq -c 'map(select(.chat_id == 2001) | [.message_id, .text])' sent >got
echo '[[1,"first"],[2,"second"]]' >want
compare want got 'the waiting chat kept its order'

# 429s in two chats at once: the limit hit may be the bot's, so everyone
# pauses, but a second at most: the third chat goes before the two told
# to wait 2 s.  (One request at a time, so that the 429s come first.)
ctl fault '{"kind":"429","method":"sendMessage","chat_id":2101,"retry_after":2}' >/dev/null
ctl fault '{"kind":"429","method":"sendMessage","chat_id":2102,"retry_after":2}' >/dev/null
printf '%s\n' '{"ref":1,"chat_id":2101,"text":"x"}' '{"ref":2,"chat_id":2102,"text":"x"}' \
	'{"ref":3,"chat_id":2103,"text":"x"}' >flood
start=$(date +%s.%N)
check '429s from two chats: all delivered' \
	"notify --parallel 1 --global-rate none --chat-rate none --jsonl <flood >flood.out 2>flood.err"
sent_in 2101 2103 >sent
jq -c --argjson start "$start" 'sort_by(.at) | [(.[0].at - $start >= 0.9), map(.chat_id)[0]]' sent >got
echo '[true,2103]' >want
compare want got 'a third chat paused a second, and went before the two held 2 s'

# A split notice goes out whole before the next one for its chat.
python3 -c 'print("word " * 2000)' >long.txt
jq -Rsc '{ref:"long",chat_id:4001,text:.}' long.txt >split
echo '{"ref":"short","chat_id":4001,"text":"after"}' >>split
echo '{"ref":"other","chat_id":4002,"text":"meanwhile"}' >>split
check 'a long notice, then a short one, for one chat' \
	"notify --global-rate none --chat-rate 1/100ms --jsonl <split >split.out 2>split.err"
sent_in 4001 4001 >sent
jq -c 'sort_by(.at) | map(if .text == "after" then "after" else .message_id end)' sent >got
echo '[1,2,3,"after"]' >want
compare want got 'its parts in order, then the next notice'
jq -sc 'map(select(.ref == "long") | .message_ids)' split.out >got
echo '[[1,2,3]]' >want
compare want got 'the receipt names every part'

# Input that trickles in is sent as it comes, not at its end.  (A notify
# that died must fail the test, not kill it with SIGPIPE.)
trap '' PIPE
mkfifo fifo
notify --chat-rate none --jsonl <fifo >trickle.out 2>trickle.err &
pid=$!
exec 3>fifo
echo '{"ref":1,"chat_id":5001,"text":"one"}' >&3
ok 'a receipt while the input is still open' eventually 10 test -s trickle.out
echo '{"ref":2,"chat_id":5001,"text":"two"}' >&3
exec 3>&-
wait $pid
rc=$?
ok 'and the rest after it ends' [ $rc = 0 ] && [ "$(jq -s length trickle.out)" = 2 ]

# SIGTERM ends a 429 wait at once; every notice in hand gets a receipt.
ctl fault '{"kind":"429","method":"sendMessage","chat_id":6001,"retry_after":30}' >/dev/null
printf '%s\n' '{"ref":1,"chat_id":6001,"text":"a"}' '{"ref":2,"chat_id":6001,"text":"b"}' \
	'{"ref":3,"chat_id":6002,"text":"c"}' >term
notify --global-rate none --jsonl <term >term.out 2>term.err &
pid=$!
ok 'the free chat is served while the other waits' eventually 10 test -s term.out
kill -TERM $pid
wait $pid
rc=$?
ok 'SIGTERM: exit 7' [ $rc = 7 ]
jq -sc 'sort_by(.ref) | map([.ref, .ok, .permanent, .error])' term.out >got
echo '[[1,false,false,"interrupted before it was sent"],[2,false,false,"interrupted before it was sent"],[3,true,null,null]]' >want
compare want got 'a temporary-failure receipt for each notice in hand'
ctl fault '{"clear":true}' >/dev/null

# Lines read by hand: one over the 1 MB limit is reported and skipped, an
# unterminated last line still counts.
{
	python3 -c 'print("{\"chat_id\":7101,\"text\":\"" + "x" * 1100000 + "\"}")'
	echo '{"ref":2,"chat_id":7101,"text":"fits"}'
	printf '{"ref":3,"chat_id":7101,"text":"no newline"}'
} >edges
check 'a line too long, a line with no newline' \
	"notify --chat-rate none --jsonl <edges >edges.out 2>edges.err"
jq -sc 'map([.ref, .ok])' edges.out >got
echo '[[2,true],[3,true]]' >want
compare want got 'the others delivered, the long one skipped'
echo 'notify: <stdin>:1: line longer than 1048576 bytes' >want
compare want edges.err 'and reported with its number'

# --strict: a bad line stops the reading; what came before is answered.
printf '%s\n' '{"ref":1,"chat_id":7001,"text":"before"}' 'not json' \
	'{"ref":2,"chat_id":7001,"text":"after"}' >strict
expect_exit 9 '--strict: a bad line, exit 9' "notify --jsonl --strict <strict >strict.out 2>strict.err"
jq -sc 'map([.ref, .ok])' strict.out >got
echo '[[1,true]]' >want
compare want got 'the notice before it is sent, the one after it is not'

ok 'the token is in no output' no_token *.out *.err
