#!/bin/sh
# PostgreSQL under SERIALIZABLE: claimers and adders at once make the
# server refuse transactions (SQLSTATE 40001); the store runs each again,
# so no caller sees it: every promise claimed and done once, the chat's
# limit held, nothing on stderr.  (tests/pg.sh: skipped without a server.)
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
pg_start || exit 1
PROMISE_DB=$PGTEST_DSN
export PROMISE_DB
plan 6

psql "$PGTEST_DSN" -X -q -c \
	"ALTER DATABASE postgres SET default_transaction_isolation = 'serializable'" >/dev/null
seq 1 200 | jq -c '{text: "job \(.)", task_type: "s"}' >lines
check '200 promises' 'promise add --jsonl <lines >/dev/null'
cat >worker <<'SH'
# worker NAME: claim and finish until none is left, one id a line
while promise claim --type s --worker "$1" >"c.$1" 2>>err; do
	read -r id rest <"c.$1"
	promise done "$id" --worker "$1" --attempt 1 >/dev/null 2>>err && echo "$id"
done >"ids.$1"
SH
for w in a b c d e f; do sh worker $w & done
for i in $(seq 1 30); do
	promise add --chat 9 --max-open 5 "adder $i" >/dev/null 2>>adders &
done
wait
sort -n ids.* >all
ok 'each of the 200 claimed and done once' \
	[ "$(wc -l <all)" = 200 -a -z "$(uniq -d all)" ]
: >empty
compare empty err 'no claimer or finisher saw a failure'
promise list --json --chat 9 >out
n5=$(jq -s length out); echo "# open in chat 9: $n5"
ok 'thirty adders against a limit of five: five' [ "$n5" = 5 ]
grep -v 'already has 5 open promises' adders >other
compare empty other 'the others refused for the limit only'
n=$(grep -c 'could not serialize' "$PG_DIR/server.log")
echo "# serialization failures retried: $n"
ok 'the server did refuse some (the retries were exercised)' [ "$n" -gt 0 ]
