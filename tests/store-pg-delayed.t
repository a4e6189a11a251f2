#!/bin/sh
# PostgreSQL: a delayed promise (--delay, a retry's backoff) waits outside
# the ready queue's index and joins it when reap finds it due (every
# claim looks); time is moved on by moving not_before back, as the
# server's clock would.  (tests/pg.sh: skipped without a server.)
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
pg_start || exit 1
PROMISE_DB=$PGTEST_DSN
export PROMISE_DB
plan 8

sql() { psql "$PGTEST_DSN" -X -q -A -t -c "$1"; }
due_now() { sql "UPDATE promises SET not_before = now() - interval '1 second' WHERE id = $1"; }
check 'add --delay 1h' 'promise add --delay 1h later >out'
sql "SELECT delayed FROM promises WHERE id = 1" >got
echo t >want
compare want got 'it is delayed: outside the ready index'
expect_exit 1 'not claimed before it is due: 1' 'promise claim >out'
due_now 1
check 'claimed once due' 'promise claim --json --worker w >out'
expect_exit 0 'it fails, retried after an hour' \
	'promise fail 1 --worker w --attempt 1 --backoff 1h --error boom >out'
expect_exit 1 'not claimed in its backoff: 1' 'promise claim >out'
due_now 1
check 'claimed once its backoff is over' 'promise claim --json --worker w >out'
jq .attempt out >got
echo 2 >want
compare want got 'its second attempt'
