#!/bin/sh
# The bot is closed by default: without an allow-list it refuses to start,
# and messages from outside the list are confirmed and dropped, never
# turned into promises or answered.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e.sh"
plan 8

expect_exit 2 'no allow-list and no --public: refuses to start' tgpromise --workers 1
printf 'tgpromise: no allow-list: give --allow ID,... (or TGPROMISE_ALLOW), or --public to serve anyone\n' >want
err >got
compare want got 'and says how to open it'
expect_exit 2 '--allow and --public together are refused' tgpromise --allow 1 --public
expect_exit 2 'an allow-list of non-ids is refused' "tgpromise --allow '1;rm -rf ~'"

bot_start --allow 3001
user 3002 "fix the login bug"
user 3001 "fix the login bug"
check 'the allowed chat is acknowledged' 'until_sent 10 ".chat_id == 3001 and (.text | test(\"^Started\"))"'
pending_is_empty() { test "$(ctl_get state | jq '.pending | length')" = 0; }
check 'both updates are confirmed to Telegram' 'eventually 10 pending_is_empty'
sent all
jq -r 'select(.chat_id == 3002) | .text' all >got
: >want
compare want got 'the stranger got no answer'
promise list --chat 3002 --json >got
compare want got 'and no promise'
