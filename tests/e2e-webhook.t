#!/bin/sh
# The whole bot with Telegram pushing the updates (tgpromise --webhook):
# the stand-in delivers to the poller's webhook, the journal fills as
# with polling, and the bot answers.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e.sh"
plan 5

PORT=$(( $(od -An -N2 -tu2 /dev/urandom) % 12000 + 20000 ))   # below the ephemeral ports
HOOK=http://127.0.0.1:$PORT/hook
expect_exit 2 '--webhook without --webhook-url' "tgpromise --public --webhook 127.0.0.1:$PORT"
bot_start --public --webhook "127.0.0.1:$PORT" --webhook-url "$HOOK"
check 'the webhook is set' "ctl_wait 'webhook=1&timeout=60' >/dev/null"
user 4101 'fix the login bug'
check 'a message pushed by Telegram is acknowledged' \
	'until_sent 60 ".chat_id == 4101 and (.text | test(\"^Started #1\"))"'
ctl_get webhooks | jq -r .url | tail -n 1 >got
echo "$HOOK" >want
compare want got 'to the URL given'
jq -r .text "$XDG_STATE_HOME/tgpromise/inbox.jsonl" >got
echo 'fix the login bug' >want
compare want got 'through the same journal'
