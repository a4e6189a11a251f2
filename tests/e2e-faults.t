#!/bin/sh
# The whole bot through a Telegram outage and through a restart in the
# middle of a conversation: follow-ups wait for Telegram to come back,
# nothing is lost and nothing is sent twice.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e.sh"
plan 10

# These run again on every try of `eventually`, so they are functions.
done_is() { test "$(promise list --status done --json | jq -s length)" = "$1"; }
chat_has_promise() { test "$(promise list --chat "$1" --json | jq -s length)" = 1; }

# Telegram goes away after the acknowledgement, while the work runs (the
# work takes long enough for the outage to begin first).
export HANDLER_STEP=0.5
bot_start
user 2001 "fix the login bug"
check 'the task is acknowledged' 'until_sent 10 ".text | test(\"^Started #1 \")"'
ctl fault '{"kind":"502","count":1000000}' >/dev/null
check 'the work finishes during the outage' 'eventually 20 done_is 1'
# The sender has tried the follow-up and been refused: a state, not a time.
tried() { ctl_get played >played && [ "$(jq -s 'map(select(.method == "sendMessage")) | length' played)" -gt 0 ]; }
eventually 30 tried
sent during
jq -r 'select(.text | test("^Done")) | .text' during >followups
: >empty
compare empty followups 'nothing is delivered while Telegram answers 502'
ctl fault '{"clear":true}' >/dev/null
check 'the follow-up is delivered once Telegram is back' \
	'until_sent 120 ".text | test(\"^Done: .*#1\\\\)\")"'
until_quiet 30
sent after
jq -r 'select(.method == "sendMessage") | "\(.chat_id) \(.reply_to) \(.text | split("\n")[0])"' \
	after >got
printf '%s\n' '2001 1 Started #1 — I will message you when it is done.' \
	'2001 1 Done: "fix the login bug" (#1)' >want
compare want got 'one acknowledgement and one follow-up, both replies'

# The whole system is stopped mid-conversation and started again: tasks in
# hand are retried, messages sent while it was down are handled.
for c in 2101 2102 2103; do user $c "fix the login bug"; done
check 'three tasks acknowledged' \
	'eventually 15 chat_has_promise 2103 &&
	 until_sent 10 ".chat_id == 2103 and (.text | test(\"^Started\"))"'
bot_stop
for c in 2104 2105; do user $c "fix the login bug"; done
bot_start
check 'every follow-up arrives after the restart' \
	'eventually 60 done_is 6 && until_sent 30 ".chat_id == 2105 and (.text | test(\"^Done\"))"'
until_quiet 30
sent all
jq -r 'select(.method == "sendMessage" and .chat_id > 2100) |
	"\(.chat_id) \(.text | split(" ")[0])"' all | sort >got
for c in 2101 2102 2103 2104 2105; do printf '%s Done:\n%s Started\n' $c $c; done | sort >want
compare want got 'each of the five chats got one acknowledgement and one follow-up'
promise list --json | jq -r 'select(.chat_id > 2100) | .status' | sort | uniq -c >statuses
printf '      5 done\n' >want
compare want statuses 'all five promises are done'

# Cancelling what has already ended says so (promise cancel's exit 4).
id=$(promise list --chat 2101 --json | jq .id)
user 2101 "/cancel $id"
check 'a cancel of a finished task is answered as such' \
	"until_sent 10 '.chat_id == 2101 and .text == \"#$id has already finished.\"'"
