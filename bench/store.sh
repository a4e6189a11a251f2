#!/bin/sh
# bench/store.sh - claim+done per second through the store's interface
# over kept connections (bench/store.c), SQLite beside PostgreSQL in the
# same run; medians of RUNS runs.
#  - single claims (store_claim, then store_finish) and batched ones
#    (BATCH at once: store_claim_some, then store_finish_some), with 1, 4
#    and 16 workers over PROMISES promises;
#  - the cost of a big queue: 4 workers doing CYCLES single claims when
#    the table holds 1,000 and then 1,000,000 pending promises (filled by
#    SQL, not through the store: a million adds would be the bench).
# PostgreSQL runs in tests/pg.sh's throwaway cluster, fsync and
# synchronous_commit off; SQLite in WAL mode, synchronous=NORMAL (it
# syncs at checkpoints only).  Goals (issue 11), PostgreSQL on 2 cores:
# >= 2,000/s single claims, >= 6,000/s batched, flat from 1k to 1M rows.
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
PROMISES=${PROMISES:-2000}
BATCH=${BATCH:-50}
CYCLES=${CYCLES:-1000}
ROWS=${ROWS:-1000 1000000}
B=$PWD/build/plain/bench/store
P=$PWD/bin/promise

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rate() { "$B" "$@" | awk '{ print $2 }'; }

# bench/store.sh --figures sqlite|pg DIR: one backend's figures, a file
# each in DIR: NAME.W (single), NAME.bW (batched), NAME.rR (R rows).
if [ "${1:-}" = --figures ]; then
	name=$2 dir=$3
	if [ "$name" = pg ]; then
		new_db() {	# NAME: sets db
			psql "$PGTEST_DSN" -X -q -c "CREATE DATABASE b_$1" >/dev/null
			db="${PGTEST_DSN% dbname=*} dbname=b_$1"
		}
		fill() {
			psql "$1" -X -q -c "INSERT INTO promises (status, text, task_type)
				SELECT 'pending', 'job ' || i, 'bench' FROM generate_series(1, $2) i" \
				-c "VACUUM ANALYZE promises" >/dev/null
		}
	else
		new_db() { db=$dir/$1.db; }
		fill() {
			sqlite3 "$1" "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1
				FROM s WHERE i < $2) INSERT INTO promises (status, text,
				task_type, created_at, not_before) SELECT 'pending', 'job ' || i,
				'bench', CAST(strftime('%s', 'now') AS INTEGER) * 1000, 0 FROM s"
		}
	fi
	for w in 1 4 16; do
		for i in $(seq "$RUNS"); do new_db s${w}_$i; rate "$db" "$PROMISES" $w; done |
			median >"$dir/$name.$w"
		for i in $(seq "$RUNS"); do
			new_db b${w}_$i
			rate "$db" "$PROMISES" $w "$BATCH"
		done |
			median >"$dir/$name.b$w"
	done
	for r in $ROWS; do
		for i in $(seq "$RUNS"); do
			new_db r${r}_$i
			"$P" --db "$db" list >/dev/null          # the schema
			fill "$db" "$r"
			rate "$db" 0 4 1 "$CYCLES"
		done | median >"$dir/$name.r$r"
	done
	exit 0
fi

. bench/tsv
make -s build/plain/bench/store bin/promise
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-store.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export RUNS PROMISES BATCH CYCLES ROWS
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $PROMISES promises a run," \
	"batches of $BATCH, $CYCLES claims over the big queues; median of $RUNS"
sh bench/store.sh --figures sqlite "$tmp"
sh tests/pg.sh sh bench/store.sh --figures pg "$tmp" ||
	echo "bench/store.sh: no PostgreSQL cluster; its figures are missing" >&2

show() {	# LABEL SUFFIX GOAL
	s=$(cat "$tmp/sqlite.$2")
	p=$(cat "$tmp/pg.$2" 2>/dev/null || echo "")
	printf '%-42s sqlite %6s   postgresql %6s\n' "$1" "$s" "${p:--}"
	[ -z "$p" ] || tsv store "$1, pg (kept conn.)" "$p" sqlite "$s" "$3"
}
for w in 1 4 16; do show "claim+done/s, $w workers, single" $w ">= 2000"; done
for w in 1 4 16; do show "claim+done/s, $w workers, batches of $BATCH" b$w ">= 6000"; done
for r in $ROWS; do show "claim+done/s, 4 workers, $r rows" r$r ""; done
set -- $ROWS
eval "last=\${$#}"
if [ $# -ge 2 ] && [ -s "$tmp/pg.r$1" ] && [ -s "$tmp/pg.r$last" ]; then
	tsv store "claim+done/s pg, 4 workers, $last rows" "$(cat "$tmp/pg.r$last")" \
		"itself at $1 rows" "$(cat "$tmp/pg.r$1")" ">= x0.9"
fi
