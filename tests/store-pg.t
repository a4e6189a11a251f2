#!/bin/sh
# The store's contract (tests/store-contract.sh) on PostgreSQL, in a
# throwaway cluster (tests/pg.sh); skipped where there is no server.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
pg_start || exit 1
PROMISE_DB=$PGTEST_DSN
fresh_db() {
	psql "$PGTEST_DSN" -X -q -c "CREATE DATABASE $1" >/dev/null &&
		echo "${PGTEST_DSN% dbname=*} dbname=$1"
}
. "$TOP/tests/store-contract.sh"
