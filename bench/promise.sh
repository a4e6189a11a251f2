#!/bin/sh
# bench/promise.sh - what a promise costs, beside its peers.
#
#   per invocation: promise add  vs  tsp (task-spooler) and nq enqueue,
#                   and /bin/true (the floor: a process that does nothing)
#   batch:          add --jsonl, promises per second (goal >= 50,000/s)
#   claim+done:     1 and 4 workers driving the CLI, one process per claim
#                   and one per done (goal >= 1,000 cycles/s), none lost
#                   or doubled
#   scale:          add, claim and outbox per call with 100 and 100,000
#                   promises stored (the cost must not grow)
#
# One table: each figure beside its peer's, the ratio (promise's figure
# over the peer's) and the goal; the load average at the start says how
# busy the machine was.  Every figure is the median of RUNS runs; these
# machines are noisy.
set -u
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
RUNS=${RUNS:-5}
. bench/tsv
N=${N:-300}            # invocations per timing run
CYCLES=${CYCLES:-2000} # claim+done cycles per run
export PATH

need() {	# command package
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench/promise.sh: installing $2" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 ||
			{ apt-get update -qq >/dev/null 2>&1 &&
			  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1; }
	fi
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "bench/promise.sh: $1 is missing; install it with: sudo apt-get install $2" >&2
	return 1
}
[ -x bin/promise ] || { echo "bench/promise.sh: build first (make)" >&2; exit 1; }
need sqlite3 sqlite3 || exit 1
have_tsp=0; have_nq=0
need tsp task-spooler && have_tsp=1
need nq nq && have_nq=1

W=$(mktemp -d "${TMPDIR:-/tmp}/promise-bench.XXXXXX")
trap 'TS_SOCKET=$W/ts.sock tsp -K >/dev/null 2>&1; rm -rf "$W"' EXIT
export PROMISE_DB="$W/bench.db" PROMISE_MAX_OPEN=0 PROMISE_EXPIRES=0

now_us() { echo $(($(date +%s%N) / 1000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# per_call CMD...: microseconds per call of CMD, median of RUNS runs of N.
per_call() {
	r=0
	while [ $r -lt "$RUNS" ]; do
		t0=$(now_us)
		i=0
		while [ $i -lt "$N" ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
		echo $((($(now_us) - t0) / N))
		r=$((r + 1))
	done | median
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "x%.2f", b ? a / b : 0 }'; }
# row WHAT PROMISE PEER PEER-FIGURE GOAL: ratio is promise's figure / peer's.
row() {
	case $5 in *x*) g=$5 ;; *) g= ;; esac
	[ -n "$3" ] && tsv promise "$1" "$2" "$3" "$4" "$g"
	printf '%-28s %9s   %-26s %9s %7s   %s\n' "$1" "$2" "$3" "$4" \
		"$(if [ -n "$4" ]; then ratio "$2" "$4"; fi)" "$5"
}

echo "promise bench: medians of $RUNS runs; $(nproc) cores;" \
	"load average at start:$(uptime | sed 's/.*load average://')"
echo
printf '%-28s %9s   %-26s %9s %7s   %s\n' "figure" "promise" "peer" "peer's" "ratio" "goal"

# One invocation: microseconds per call, lower is better.
t_true=$(per_call /bin/true)
t_add=$(per_call promise add --chat 1 bench promise)
row "add, us per call" "$t_add" "/bin/true (the floor)" "$t_true" "<= x2"
if [ $have_tsp = 1 ]; then
	export TS_SOCKET="$W/ts.sock" TS_MAXFINISHED=1000000 TS_SAVELIST_DIR="$W"
	tsp -S 1 >/dev/null 2>&1
	t_tsp=$(per_call tsp -n true)
	row "add, us per call" "$t_add" "tsp -n true (enqueue)" "$t_tsp" "< x1"
	tsp -K >/dev/null 2>&1
fi
if [ $have_nq = 1 ]; then
	export NQDIR="$W/nq"
	mkdir -p "$NQDIR"
	t_nq=$(per_call nq true)
	row "add, us per call" "$t_add" "nq true (enqueue)" "$t_nq" "< x1"
fi

# Batch: promises per second, higher is better.
awk 'BEGIN { for (i = 1; i <= 100000; i++)
	printf "{\"text\":\"batch job %d\",\"chat_id\":%d,\"update_id\":%d}\n", i, i % 977, i }' >"$W/batch.jsonl"
r=0
while [ $r -lt "$RUNS" ]; do
	rm -f "$W"/batch.db*
	t0=$(now_us)
	PROMISE_DB="$W/batch.db" promise add --jsonl <"$W/batch.jsonl" >/dev/null
	echo $((100000 * 1000000 / ($(now_us) - t0 + 1)))
	r=$((r + 1))
done | median >"$W/rate"
row "add --jsonl, promises/s" "$(cat "$W/rate")" "the goal" 50000 ">= x1"

# claim+done cycles per second, one process per claim and per done,
# higher is better; the floor runs the same shell loop with /bin/echo
# and /bin/true in promise's place: what forking alone allows.
worker() {	# name
	while line=$(promise claim --worker "$1" 2>/dev/null); do
		promise done "${line%% *}" --worker "$1" --result ok >/dev/null || echo "done failed" >&2
	done
}
floor_worker() {	# cycles
	i=0
	while [ $i -lt "$1" ] && line=$(/bin/echo "1 cycle"); do
		/bin/true "${line%% *}" --worker w --result ok >/dev/null || echo "true failed" >&2
		i=$((i + 1))
	done
}
cycles() {	# workers [floor]
	r=0
	while [ $r -lt "$RUNS" ]; do
		rm -f "$W"/cycle.db*
		export PROMISE_DB="$W/cycle.db"
		awk -v n="$CYCLES" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"text\":\"cycle %d\"}\n", i }' |
			promise add --jsonl >/dev/null
		t0=$(now_us)
		w=0
		while [ $w -lt "$1" ]; do
			if [ $# = 2 ]; then floor_worker $((CYCLES / $1)) & else worker "w$w" & fi
			w=$((w + 1))
		done
		wait
		dt=$(($(now_us) - t0))
		if [ $# = 1 ]; then
			sqlite3 "$PROMISE_DB" "SELECT count(*) FROM promises WHERE status = 'done' AND attempt = 1" >"$W/ok"
			[ "$(cat "$W/ok")" = "$CYCLES" ] ||
				echo "bench/promise.sh: $(cat "$W/ok") of $CYCLES done exactly once" >&2
		fi
		echo $((CYCLES * 1000000 / (dt + 1)))
		r=$((r + 1))
	done | median
}
c1=$(cycles 1)
c4=$(cycles 4)
f4=$(cycles 4 floor)
row "claim+done/s, 1 worker" "$c1" "" "" ""
row "claim+done/s, 4 workers" "$c4" "the goal" 1000 ">= x1"
row "claim+done/s, 4 workers" "$c4" "floor: fork+exec alone" "$f4" ""

echo
echo "per call with 100 vs 100,000 promises stored (us)"
stored() {	# count: a database with count ended promises, 50 in the outbox
	PROMISE_DB="$W/scale-$1.db"
	export PROMISE_DB
	rm -f "$PROMISE_DB"*
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"text\":\"old %d\",\"chat_id\":%d}\n", i, i % 977 }' |
		promise add --jsonl >/dev/null
	sqlite3 "$PROMISE_DB" "UPDATE promises SET status = 'done', finished_at = created_at, notify = 2;
		UPDATE promises SET notify = 1 WHERE id > (SELECT max(id) - 50 FROM promises);"
	awk -v n="$((RUNS * N))" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"text\":\"due %d\"}\n", i }' |
		promise add --jsonl >/dev/null
}
# Both databases are measured in turn within each run, so that a burst
# of noise from elsewhere falls on both sides alike.
stored 100; stored 100000
once() {	# CMD...: microseconds per call, one run of N
	t0=$(now_us)
	i=0
	while [ $i -lt "$N" ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
	echo $((($(now_us) - t0) / N))
}
r=0
while [ $r -lt "$RUNS" ]; do
	for n in 100 100000; do
		export PROMISE_DB="$W/scale-$n.db"
		once promise add --chat 5 scale >>"$W/add.$n"
		once promise claim >>"$W/claim.$n"
		once promise outbox --limit 10 >>"$W/outbox.$n"
	done
	r=$((r + 1))
done
printf '%-34s %10s %10s %s\n' "" "100" "100,000" "ratio"
for v in add claim outbox; do
	a=$(median <"$W/$v.100") b=$(median <"$W/$v.100000")
	printf '%-34s %10s %10s %s\n' "promise $v" "$a" "$b" "$(ratio "$b" "$a")"
	tsv promise "$v at 100,000 stored, us/call" "$b" "itself at 100 stored" "$a" "<= x1.5"
done
