#!/bin/sh
# e2e-burst.sh - issue 10's burst, the whole bot against the flood-limited
# stand-in: 300 messages from 150 chats (2 tasks each) plus a group x 6,
# all at once.  Every message acknowledged within 20 s of the burst, at
# most 1 % of sends refused with 429, no result before its
# acknowledgement, no stale progress, acknowledgements sent twice at most
# 1 %.  It runs until every follow-up and edit is out (the group's 20 a
# minute makes that over a minute), so it is `make burst`, not make test;
# tests/e2e-flood.t is its small version.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e-flood.sh"
plan 11
export HANDLER_STEP=0.01

bot_start
# Until the poller is listening, so the burst is timed from its injection.
ctl_wait 'calls=1&timeout=60' >/dev/null
burst 150 2 6
check 'the burst of 306 is acknowledged' 'until_acks 120 306'
check 'every promise is kept and every notice sent' \
	'until_status 600 306 done && until_quiet 600'
flood_checks
