#!/bin/sh
# tests/pg.sh: a throwaway PostgreSQL cluster starts, answers, and is
# gone afterwards, also when its command is stopped by a signal.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
why=$(pg_unavailable)
[ -z "$why" ] || skip_all "$why"
plan 9

# The cluster's postmaster (its pid in ./pid) runs: a zombie does not
# count (PID 1 of a container may never reap what it inherits).
postmaster_alive() {
	[ -s pid ] || return 1
	_st=$(ps -o stat= -p "$(cat pid)") || return 1
	case $_st in Z*) return 1 ;; esac
}

cat >run <<'SH'
echo "$PG_DIR" >dir
head -1 "$PG_DIR/data/postmaster.pid" >pid
psql "$PGTEST_DSN" -X -A -t -c 'select 6 * 7' >answer
SH
check 'a command runs with a cluster around it' sh "$TOP/tests/pg.sh" sh run
echo 42 >want
compare want answer 'psql runs a query on it'
ok 'its postmaster is gone afterwards' eval '! postmaster_alive'
ok 'and its directory too' [ ! -e "$(cat dir)" ]

rm -f dir pid
cat >hold <<'SH'
head -1 "$PG_DIR/data/postmaster.pid" >pid.tmp && mv pid.tmp pid
echo "$PG_DIR" >dir
exec sleep 600
SH
sh "$TOP/tests/pg.sh" sh hold &
holder=$!
ok 'a held cluster comes up' eventually 60 test -s dir
ok 'its postmaster runs' postmaster_alive
kill -TERM $holder
wait $holder
ok 'SIGTERM to pg.sh exits 143' [ $? = 143 ]
ok 'and stops the postmaster' eval '! postmaster_alive'

cat >noserver <<'SH'
here=$TOP/tests
. "$here/lib.sh"
. "$here/pg.sh"
pg_start
echo "not reached"
SH
PG_BINDIR=/nonexistent sh noserver >skipped 2>/dev/null
echo '1..0 # SKIP no PostgreSQL server (apt-get install postgresql)' >want
compare want skipped 'no server: the file is skipped, in TAP'
