#!/bin/sh
# The whole bot on PostgreSQL (tests/pg.sh's throwaway cluster), with a
# second machine that runs only a worker (its own state directory, the
# same database): every request acknowledged and answered once.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
pg_start || exit 1
PROMISE_DB=$PGTEST_DSN
export PROMISE_DB
. "$TOP/tests/e2e.sh"
# a lease long enough that a loaded machine (a sanitizer build, two test
# runs at once) never lets one lapse: "each ran once" is about two
# machines sharing the work, not about leases lapsing
export WORKER_LEASE=20s WORKER_HEARTBEAT=1s
trap 'bot_stop; [ -z "${M2:-}" ] || { kill -TERM $M2; wait $M2; }; standin_stop; pg_stop; rm -rf "$T"' EXIT
plan 6

# the other machine: a worker, no poller, no sender
mkdir m2
XDG_STATE_HOME=$T/m2 WORKER_NAME=machine2 WORKER_HANDLERS=$TOP/examples/handlers \
	"$TOP/examples/worker" 2>m2.err &
M2=$!
bot_start --public
for i in 1 2 3 4 5 6; do
	user $((4000 + i)) "analyze the server logs from yesterday, part $i"
done
check 'six requests acknowledged' \
	'until_sent 60 "(.text | test(\"^Started #6\"))"'
check 'all six done' 'until_status 120 6 done'
check 'every follow-up sent' 'until_quiet 60'
sent all
jq -r 'select(.method == "sendMessage" and (.text | test("^Done"))) | .chat_id' all |
	sort >got
seq 4001 4006 >want
compare want got 'each chat got its result, once'
promise list --json --status done >done
jq -r '.attempt' done | sort -u >got
echo 1 >want
compare want got 'each ran once'
: >empty
compare empty m2.err 'the second machine said nothing on stderr'
# who ran them (not asserted: the claims race), for the log
jq -r '.worker' done | sed 's/-w[0-9]*$/ (the bot)/; s/^[^ ]*-[0-9]* (the bot)$/the bot'"'"'s workers/' |
	sort | uniq -c | sed 's/^/# ran: /'
