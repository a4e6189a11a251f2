#!/bin/sh
# examples/sender, the one way out: the outbox's notices go to Telegram
# and their receipts come back; bad arguments are a usage error.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
standin_start
plan 5
PATH=$TOP/examples:$PATH

expect_exit 2 'a bad argument' 'sender --now'
expect_exit 0 '--help' 'sender --help'
promise reply --chat 42 'hello from the outbox' >/dev/null
promise outbox --json >notices
check 'sender --deliver sends what it is fed, to the end' 'sender --deliver <notices'
ctl_get sent | jq -r .text >got
echo 'hello from the outbox' >want
compare want got 'once, as queued'
promise --json stats | jq .outbox >got
echo 0 >want
compare want got 'and its receipt is recorded'
