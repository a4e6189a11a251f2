#!/bin/sh
# bench/load.sh - the whole bot under load, and the store as it grows
# (make load).
#
# 1. The whole bot against the flood-limited stand-in: bursts of 300 and
#    5,000 messages (LOAD_BURSTS), paced and unpaced, side by side, and
#    the processes started per routed message: bench/burst.sh (make bench
#    runs it for 300 alone).
# 2. The store grown to 1k, 10k, 100k and 1M promises (promise add --jsonl;
#    all but the last few ended and delivered): size on disk and the cost
#    of claim, list by chat and outbox per call at each size.
#
# LOAD_SKIP_PIPELINE=1 or LOAD_SKIP_STORE=1 runs one half; LOAD_MAX (1M)
# the largest store; N (100) calls per timing; medians of RUNS (5) runs.
set -u
cd "$(dirname "$0")/.."
TOP=$PWD
PATH="$TOP/bin:$PATH"
MAX=${LOAD_MAX:-1000000}
N=${N:-100}
RUNS=${RUNS:-5}
export PATH
[ -x bin/promise ] || { echo "bench/load.sh: build first (make)" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/load-bench.XXXXXX")
SPID= BOT=
cleanup() {
	[ -n "$BOT" ] && kill -TERM "$BOT" 2>/dev/null && wait "$BOT"
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now_us() { echo $(($(date +%s%N) / 1000)); }
# row MEASURE FIGURE: for bench/run's table too (BENCH_TSV, see bench/run)
row() {
	printf '%-46s %s\n' "$1" "$2"
	[ -n "${BENCH_TSV:-}" ] && printf 'load\t%s\t%s\t\t\t\t%s\t%s\n' "$1" "$2" "${3:-}" "${4:-}" >>"$BENCH_TSV"
	return 0
}

# The store: grown in steps; at each, N calls of each query, RUNS times.
store() {
	export PROMISE_DB="$W/store.db" PROMISE_MAX_OPEN=0 PROMISE_EXPIRES=0
	echo
	echo "the store as it grows: microseconds per call (median of $RUNS runs of $N)"
	printf '%-10s %10s %10s %10s %10s %10s\n' promises "size (MB)" claim "list chat" outbox "add"
	have=0
	for size in 1000 10000 100000 1000000; do
		[ "$size" -le "$MAX" ] || break
		# Chats of 20 promises each, all ended and delivered.
		awk -v a="$have" -v b="$size" 'BEGIN { for (i = a + 1; i <= b; i++)
			printf "{\"text\":\"old task %d\",\"chat_id\":%d,\"key\":\"k%d\"}\n", i, 1000000 + int(i / 20), i }' |
			promise add --jsonl >/dev/null
		sqlite3 "$PROMISE_DB" "UPDATE promises SET status = 'done', attempt = 1,
			started_at = created_at, finished_at = created_at, notify = 2, notified_at = created_at
			WHERE status = 'pending'; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
		have=$size
		# What each timing run consumes: due promises to claim, and 20 in
		# the outbox; a chat of 20 (chat 7) to list.
		awk -v n="$((RUNS * N))" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"text\":\"due %d\",\"chat_id\":7}\n", i }' |
			promise add --jsonl >/dev/null
		sqlite3 "$PROMISE_DB" "UPDATE promises SET notify = 1 WHERE id IN
			(SELECT id FROM promises WHERE status = 'done' ORDER BY id DESC LIMIT 20)"
		mb=$(du -cm "$PROMISE_DB"* | awk 'END { print $1 }')
		for v in claim list outbox add; do : >"$W/$v"; done
		r=0
		while [ $r -lt "$RUNS" ]; do
			for v in claim list outbox add; do
				case $v in
				claim) set -- promise claim ;;
				list) set -- promise list --chat 1000007 --json ;;
				outbox) set -- promise outbox --limit 10 --json ;;
				add) set -- promise add --chat 8 "a new task" ;;
				esac
				t0=$(now_us)
				i=0
				while [ $i -lt "$N" ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
				echo $((($(now_us) - t0) / N)) >>"$W/$v"
			done
			r=$((r + 1))
		done
		printf '%-10s %10s' "$size" "$mb"
		for v in claim list outbox add; do
			m=$(median <"$W/$v")
			printf ' %10s' "$m"
			echo "$m" >"$W/$v.$size"
		done
		echo
		# Promises added for the timing are not counted in the next size.
		sqlite3 "$PROMISE_DB" "DELETE FROM promises WHERE chat_id IN (7, 8)"
	done
	for v in claim list outbox add; do
		a=$(cat "$W/$v.1000") b=$(cat "$W/$v.$have")
		ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "x%.2f", a ? b / a : 0 }')
		met=$(awk -v a="$a" -v b="$b" 'BEGIN { print (b <= 2 * a) ? "yes" : "no" }')
		row "promise $v at $have vs 1000 stored (us)" "$b vs $a ($ratio)" "flat (<= x2)" "$met"
	done
	row "database size at $have promises (MB)" "$mb"
}

[ "${LOAD_SKIP_PIPELINE:-0}" = 1 ] ||
	BURST_SIZES=${LOAD_BURSTS:-300 5000} sh bench/burst.sh || exit 1
[ "${LOAD_SKIP_STORE:-0}" = 1 ] || store
