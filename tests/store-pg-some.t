#!/bin/sh
# The store's batches (store_claim_some, store_finish_some: the unit test
# tests/unit/store-some.c) on PostgreSQL, in a throwaway cluster; the
# same test runs on SQLite among the unit tests.  (tests/pg.sh: skipped
# without a server.)
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
unit=$TOP/${TGP_UNIT:-build/plain/unit}/store-some.t
[ -x "$unit" ] || skip_all "no $unit (make test builds it)"
pg_start || exit 1
psql "$PGTEST_DSN" -X -q -c "CREATE DATABASE batches" >/dev/null ||
	{ echo "Bail out! cannot create a database"; exit 1; }
STORE_TEST_DB="${PGTEST_DSN% dbname=*} dbname=batches" "$unit" 2>err
