#!/bin/sh
# bench/store.sh - claim+done per second through the store's interface
# over kept connections (bench/store.c), SQLite beside PostgreSQL in the
# same run, with 1, 4 and 16 workers over PROMISES promises; medians of
# RUNS runs.  PostgreSQL runs in tests/pg.sh's throwaway cluster (fsync
# and synchronous_commit off); SQLite in WAL mode, synchronous=NORMAL.
# Goal (issue 11): >= 2,000/s single claims over kept connections on
# PostgreSQL, on 2 cores.
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
PROMISES=${PROMISES:-2000}
. bench/tsv
make -s build/plain/bench/store
B=$PWD/build/plain/bench/store
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-store.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export B tmp PROMISES RUNS

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $PROMISES promises a run, median of $RUNS"
for w in 1 4 16; do
	for i in $(seq "$RUNS"); do
		rm -f "$tmp"/s.db*
		"$B" "$tmp/s.db" "$PROMISES" $w | awk '{ print $2 }'
	done | median >"$tmp/sqlite.$w"
done
# the same in a throwaway PostgreSQL cluster
sh tests/pg.sh sh -c '
	for w in 1 4 16; do
		for i in $(seq "$RUNS"); do
			psql "$PGTEST_DSN" -X -q -c "DROP DATABASE IF EXISTS bench" \
				-c "CREATE DATABASE bench" >/dev/null 2>&1
			"$B" "${PGTEST_DSN% dbname=*} dbname=bench" "$PROMISES" $w |
				awk "{ print \$2 }"
		done | sort -n | awk "{ v[NR] = \$1 } END { print v[int((NR + 1) / 2)] }" >"$tmp/pg.$w"
	done' || echo "bench/store.sh: no PostgreSQL cluster; its figures are missing" >&2
for w in 1 4 16; do
	s=$(cat "$tmp/sqlite.$w")
	p=$(cat "$tmp/pg.$w" 2>/dev/null || echo "")
	printf 'claim+done/s, %2d workers:  sqlite %6s   postgresql %6s\n' $w "$s" "${p:--}"
	[ -n "$p" ] && tsv store "claim+done/s pg, $w workers (kept conn.)" "$p" sqlite "$s" ">= 2000"
done
