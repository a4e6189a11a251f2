#!/bin/sh
# PostgreSQL: a deadlock (SQLSTATE 40P01) aborts the store's transaction;
# the store runs it again, so its caller sees nothing of it.  A psql
# session takes the other side: it holds promise 2 while `promise cancel
# 1` holds 1 and waits for 2 (cancelling 1 fails its dependant 2), then
# asks for 1.  The store waited first, so its deadlock check is the one
# that finds the cycle (the psql session's waits a minute).
# (tests/pg.sh: skipped without a server.)
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
pg_start || exit 1
PROMISE_DB=$PGTEST_DSN
export PROMISE_DB
plan 8

psql "$PGTEST_DSN" -X -q -c "ALTER DATABASE postgres SET deadlock_timeout = '2s'" >/dev/null
promise add first >/dev/null && promise add --after 1 second >/dev/null
mkfifo to_psql
psql "$PGTEST_DSN" -X -q -A -t <to_psql >psql.out 2>psql.err &
exec 3>to_psql
echo "SET deadlock_timeout = '60s'; BEGIN;
	UPDATE promises SET priority = priority WHERE id = 2; SELECT 'holds 2';" >&3
has() { grep -q "$1" psql.out; }
ok 'the psql session holds promise 2' eventually 30 has 'holds 2'

promise cancel 1 >out 2>err &
cancel=$!
waiting() {
	[ "$(psql "$PGTEST_DSN" -X -A -t -c "SELECT count(*) FROM pg_locks
		WHERE NOT granted AND locktype = 'transactionid'")" -ge 1 ]
}
ok 'promise cancel 1 holds 1 and waits for 2' eventually 30 waiting
echo "SELECT id FROM promises WHERE id = 1 FOR UPDATE; SELECT 'holds 1';" >&3
ok 'the deadlock is broken on the store side: psql gets 1' eventually 60 has 'holds 1'
echo "COMMIT;" >&3
exec 3>&-
wait $cancel
ok 'the cancel, run again, succeeds: exit 0' [ $? = 0 ]
ok 'and says nothing of the deadlock' [ ! -s err ]
promise show --json 1 >s1 && promise show --json 2 >s2
jq -r .status s1 s2 >got
printf '%s\n' cancelled failed >want
compare want got 'promise 1 cancelled, its dependant failed'
psql "$PGTEST_DSN" -X -A -t -c "SELECT deadlocks FROM pg_stat_database
	WHERE datname = current_database()" >deadlocks
ok 'the server saw a deadlock' [ "$(cat deadlocks)" -ge 1 ]
ok 'the psql session was not the one aborted' [ ! -s psql.err ]
