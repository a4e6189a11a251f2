#!/bin/sh
# PostgreSQL: a database of schema 5 (tests/data/pg-schema5.sql, as the
# previous release left it, with rows of every kind) is migrated to 6 by
# the first call, in one transaction: a delayed promise moves out of the
# ready index, keys stay unique, leases and claims carry on.
# (tests/pg.sh: skipped without a server.)
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
pg_start || exit 1
PROMISE_DB=$PGTEST_DSN
export PROMISE_DB
plan 10

sql() { psql "$PGTEST_DSN" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
psql "$PGTEST_DSN" -X -q -v ON_ERROR_STOP=1 -f "$TOP/tests/data/pg-schema5.sql" >/dev/null 2>err &&
sql "INSERT INTO tgpromise_schema VALUES (5);
	INSERT INTO promises (status, text, key, chat_id) VALUES ('pending', 'keyed', 'k1', 7);
	INSERT INTO promises (status, text, not_before) VALUES ('pending', 'later', now() + interval '1 hour');
	INSERT INTO promises (status, text, worker, attempt, lease_expires_at, started_at)
		VALUES ('running', 'busy', 'w', 1, now() + interval '1 hour', now());
	INSERT INTO attempts VALUES (3, 1, 'w', now(), NULL, NULL, NULL);
	INSERT INTO promises (status, text) VALUES ('done', 'old');" >/dev/null
ok 'a database of schema 5' [ $? = 0 ]

check 'the first call migrates it' 'promise list >out'
sql "SELECT max(version) FROM tgpromise_schema" >got
echo 6 >want
compare want got 'to schema 6'
sql "SELECT text, delayed FROM promises ORDER BY id" >got
printf '%s\n' 'keyed|f' 'later|t' 'busy|f' 'old|f' >want
compare want got 'the delayed promise is marked so, and only it'
check 'a claim takes the due one' 'promise claim --json --worker w2 >out'
jq -r .text out >got
echo keyed >want
compare want got 'not the delayed one'
check 'the same key again' 'promise add --key k1 --chat 7 keyed again >out'
echo 1 >want
compare want out 'is the same promise'
expect_exit 0 "the running promise's lease holder still heartbeats: 0" \
	'promise heartbeat 3 --worker w --attempt 1 >out'
expect_exit 0 'and its done goes through tgp_done: 0' \
	'promise done 3 --worker w --attempt 1 --result ok >out'
