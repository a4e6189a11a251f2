#!/bin/sh
# bench/load.sh - the whole bot under load, and the store as it grows
# (make load).
#
# 1. LOAD_USERS users (1,000) ask for LOAD_TASKS tasks each (5), all at
#    once, through bin/tgpromise and the stand-in: the time from each
#    message to its acknowledgement (median, 99th percentile, from the
#    stand-in's "at" stamps), how fast the router takes messages, how many
#    promises the workers finish a second, and how long until the last
#    follow-up.  examples/route is shell and jq (about 7 messages a second
#    on 2 cores): a burst of 5,000 queues behind it, and the figures say so.
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
USERS=${LOAD_USERS:-1000}
TASKS=${LOAD_TASKS:-5}
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

pipeline() {
	export TELEGRAM_BOT_TOKEN='4242424242:AAloadTOKEN' XDG_STATE_HOME="$W/state"
	export PROMISE_DB="$W/pipeline.db" HANDLER_STEP=0.01 WORKER_WAIT=1s \
		OUTBOX_INTERVAL=0.5 PROMISE_MAX_OPEN=0
	python3 tests/botapi-standin --token "$TELEGRAM_BOT_TOKEN" --port-file "$W/port" 2>/dev/null &
	SPID=$!
	while [ ! -s "$W/port" ]; do sleep 0.05; done
	export TELEGRAM_API_URL="http://127.0.0.1:$(cat "$W/port")"
	ctl() { python3 tests/botapi-standin --control "$TELEGRAM_API_URL" "$@"; }
	tgpromise --public --workers 2 2>"$W/tgpromise.err" &
	BOT=$!
	total=$((USERS * TASKS))
	jq -cn --argjson u "$USERS" --argjson k "$TASKS" '[range($u) as $u | range($k) as $k |
		{chat_id: (100000 + $u), user_id: (100000 + $u),
		 text: "fix the login bug in module \($k)"}]' >"$W/msgs.json"
	sleep 2
	echo "pipeline: $USERS users x $TASKS tasks = $total messages at once; 2 workers; $(nproc) cores"
	t0=$(date +%s.%N)
	python3 -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/control/message",
	data=open(sys.argv[2], "rb").read(), headers={"Content-Type": "application/json"}),
	timeout=60).read()' "$TELEGRAM_API_URL" "$W/msgs.json" ||
		{ echo "bench/load.sh: could not inject the messages" >&2; exit 1; }
	until [ "$(sqlite3 "$PROMISE_DB" "SELECT count(*) FROM promises WHERE notified_at IS NOT NULL" 2>/dev/null)" = "$total" ]; do
		sleep 2
	done
	t1=$(date +%s.%N)
	kill -TERM "$BOT" && wait "$BOT"
	BOT=
	ctl said >"$W/said"
	ctl sent >"$W/sent"
	python3 - "$W/said" "$W/sent" "$PROMISE_DB" "$t0" "$t1" >"$W/figures" <<'PY'
import json, sqlite3, sys
said = [json.loads(l) for l in open(sys.argv[1])]
sent = [json.loads(l) for l in open(sys.argv[2])]
t0, t1 = float(sys.argv[4]), float(sys.argv[5])
asked = {(m["chat_id"], m["message_id"]): m["at"] for m in said}
acks = {}
for s in sent:
    if s.get("method") == "sendMessage" and s["text"].startswith("Started #"):
        acks.setdefault((s["chat_id"], s["reply_to"]), s["at"])
lat = sorted(acks[k] - asked[k] for k in asked if k in acks)
def pct(p): return lat[min(len(lat) - 1, int(p * len(lat)))]
db = sqlite3.connect(sys.argv[3])
first, last, n = db.execute("SELECT min(started_at), max(finished_at), count(*) FROM promises"
                            " WHERE status = 'done'").fetchone()
print("acked\t%d of %d" % (len(lat), len(asked)))
print("ack_median\t%.1f" % pct(0.5))
print("ack_p99\t%.1f" % pct(0.99))
print("router\t%.1f" % (len(lat) / (max(acks.values()) - min(asked.values()))))
print("workers\t%.1f" % (n / ((last - first) / 1000.0)))
print("all\t%.0f" % (t1 - t0))
PY
	f() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$W/figures"; }
	row "messages acknowledged" "$(f acked)"
	row "message to acknowledgement, median (s)" "$(f ack_median)"
	row "message to acknowledgement, p99 (s)" "$(f ack_p99)"
	row "router, messages/s (shell + jq)" "$(f router)"
	row "workers (2), promises done/s" "$(f workers)"
	row "burst to last follow-up delivered (s)" "$(f all)"
	unset TELEGRAM_API_URL
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

[ "${LOAD_SKIP_PIPELINE:-0}" = 1 ] || pipeline
[ "${LOAD_SKIP_STORE:-0}" = 1 ] || store
