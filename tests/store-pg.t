#!/bin/sh
# The store's contract (tests/store-contract.sh) on PostgreSQL, in a
# throwaway cluster (tests/pg.sh); skipped where there is no server.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
pg_start || exit 1
PROMISE_DB=$PGTEST_DSN
. "$TOP/tests/store-contract.sh"
