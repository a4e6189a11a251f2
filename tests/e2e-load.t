#!/bin/sh
# 200 users ask for 3 tasks each, all at once: every task is acknowledged
# once and every result is delivered once, to the right chat, as a reply
# to the right message.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e.sh"
plan 5
# Correctness under load, not pacing (tests/e2e-flood.t keeps the limits):
# unpaced, 600 tasks' 1,800-odd sends take seconds, not a minute.
export HANDLER_STEP=0.01 TGPROMISE_NOTIFY_FLAGS=--no-pacing

bot_start
jq -cn '[range(200) as $u | range(3) as $k |
	{chat_id: (10000 + $u), user_id: (10000 + $u), text: "fix the login bug in module \($k)"}]' \
	>msgs.json
ctl message "$(cat msgs.json)" >/dev/null
done_all() { test "$(promise list --status done --json | jq -s length)" = 600; }
check 'all 600 promises are kept' 'eventually 600 done_all'
check 'and every follow-up delivered' 'until_quiet 300'
bot_stop

sent all
ctl_get said >said
jq -r 'select(.method == "sendMessage" and (.text | test("^Started #"))) | "\(.chat_id) \(.reply_to)"' all | sort >got
jq -r '"\(.chat_id) \(.message_id)"' said | sort >want
compare want got 'each message acknowledged once, as a reply to it'
promise list --json | jq -r '"\(.chat_id) \(.reply_to) \(.id)"' | sort >want
jq -r 'select(.text | test("^Done")) |
	"\(.chat_id) \(.reply_to) \(.text | capture("\\(#(?<id>[0-9]+)\\)").id)"' all | sort >got
compare want got 'each result delivered once, to its chat, replying to its request'
jq -r 'select(.text | test("^Done")) | .chat_id' all | sort | uniq -c |
	awk '$1 != 3' >odd
: >empty
compare empty odd 'three results in every chat'
