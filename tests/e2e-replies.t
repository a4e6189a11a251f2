#!/bin/sh
# The bot's answers are not dropped when Telegram fails them: with the
# token refused for a while, the sender stops (notify exits 8) and is
# restarted ever later; the answer waits in the store and arrives once the
# token works again, once.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e.sh"
plan 4

bot_start
user 5001 "hello there"
check 'the bot answers' 'until_sent 15 ".text == \"You said: hello there\""'
# The poller is in a long poll now, past the token check: the next
# message reaches the router while Telegram refuses the token.
ctl revoke >/dev/null
user 5001 "hello again"
refused() { grep -q "^notify: invalid token" "$T/tgpromise.err"; }
check 'the sender says why it cannot answer' 'eventually 30 refused'
ctl revoke '{"restore":true}' >/dev/null
check 'and answers once the token works again' \
	'until_sent 30 ".text == \"You said: hello again\""'
sent all
ctl_get said >said
mid=$(jq -r 'select(.text == "hello again") | .message_id' said)
jq -r --argjson m "$mid" 'select(.reply_to == $m) | .text' all >got
echo 'You said: hello again' >want
compare want got 'exactly once'
