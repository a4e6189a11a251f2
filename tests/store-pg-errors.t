#!/bin/sh
# PostgreSQL: a bad URI, a server down, a server restarted, a schema from
# the future: one line on stderr, exit 9, nothing lost, the next call
# works.  (tests/pg.sh: skipped where there is no server.)
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
pg_start || exit 1
plan 13

# one_line FILE: FILE is exactly one line
one_line() { [ "$(wc -l <"$1")" = 1 ]; }

expect_exit 9 'a URI naming no server: 9' \
	'promise --db "postgresql:///postgres?host=$T/nowhere" list >out 2>err'
ok 'one line on stderr' one_line err
expect_exit 9 'a malformed URI: 9' \
	'promise --db "postgresql://[bad" list >out 2>err'
ok 'one line on stderr' one_line err

expect_exit 9 'a malformed URI with a password: 9' \
	'promise --db "postgresql://bob:hunter2secret@[bad" list >out 2>err'
ok 'the password is not in the message' eval '! grep -q hunter2secret err'

export PROMISE_DB="$PGTEST_DSN"
check 'before the restart: a promise' 'promise add --chat 7 "survive the restart" >id'
_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
expect_exit 9 'the server down: 9' 'promise list >out 2>err'
ok 'one line on stderr' one_line err
_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
	-o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR' -c fsync=off" \
	start >/dev/null
check 'the server back: the next call works' 'promise list --json >out'
jq -c '{id,text}' out >got
echo '{"id":1,"text":"survive the restart"}' >want
compare want got 'and nothing was lost'

psql "$PGTEST_DSN" -X -q -c 'UPDATE tgpromise_schema SET version = 99' >/dev/null
expect_exit 9 'a schema newer than this promise: 9' 'promise list >out 2>err'
echo 'promise: PostgreSQL: schema version 99 is newer than this promise knows (6)' >want
compare want err 'said in one line'
