#!/bin/sh
# bench/classify.sh - classify against the same decisions in jq
# (bench/classify.jq), over the same deterministic 100,000 lines shaped
# like tgpoll's; then classify's peak RSS at 100k and 1M lines, which
# should be the same (flat memory).  Figures are medians of RUNS runs.
#
#   sh bench/classify.sh            (make bench runs every bench/*.sh)
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
JQ_RUNS=${JQ_RUNS:-3}
N=${N:-100000}
JQ_N=${JQ_N:-20000}	# jq is slow: fewer lines, compared per line
. bench/tsv

need() {	# command package
	command -v "$1" >/dev/null 2>&1 && return
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
	else
		echo "bench/classify.sh: needs $1: apt-get install $2" >&2
		exit 1
	fi
}
need jq jq
need python3 python3
[ -x bin/classify ] || make -s bin/classify

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-classify.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Deterministic lines: a fixed mix of requests, answers and commands,
# varied by the line number so no two lines are the same; some only the
# model or WordNet can read (the slow path).
gen() {
	awk -v n="$1" 'BEGIN {
		m = split("hi there|Can you fix the authentication bug in the login system?|" \
		  "yes please|what is the status of task %d?|/cancel %d|" \
		  "research the latest papers on retrieval augmented generation and summarize each|" \
		  "what is the weather in Paris?|thanks, that was helpful|" \
		  "/long-task \"Write report %d\" --max-iterations 15|" \
		  "analyze the server logs from yesterday and find the errors|no thanks|" \
		  "please stop working on the report|Build a calculator|" \
		  "how is the bug fix going?|write a comprehensive market analysis of the EV industry|" \
		  "good morning 🙂|remind me to call mom at %d|look up the population of Canada|" \
		  "compare these three vendor proposals and recommend one|👍|" \
		  "the meeting ran long again|could you wire the logger into the api|" \
		  "tidy up the readme and fix the links|whats 15 percent of %d?|lgtm", msg, "|")
		for (i = 1; i <= n; i++) {
			t = sprintf(msg[(i * 7) % m + 1], i % 1000)
			gsub(/"/, "\\\"", t)
			printf "{\"update_id\":%d,\"kind\":\"message\",\"chat_id\":%d," \
			  "\"chat_type\":\"private\",\"message_id\":%d,\"user_id\":%d," \
			  "\"username\":\"user%d\",\"first_name\":\"Ann\",\"text\":\"%s\"," \
			  "\"date\":%d}\n", 800000000 + i, 100000 + i % 97, i, 5000 + i % 89,
			  i % 89, t, 1763700000 + i
		}
	}'
}

# secs CMD...: wall seconds of one run, output to /dev/null
secs() {
	python3 - "$@" <<'PY'
import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print("%.4f" % (time.monotonic() - t))
PY
}

# maxrss FILE: classify's peak resident set, KiB
maxrss() {
	python3 - "$1" <<'PY'
import resource, subprocess, sys
with open(sys.argv[1]) as f:
    subprocess.run(["bin/classify"], stdin=f, stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

gen "$N" >"$tmp/in"
head -n "$JQ_N" "$tmp/in" >"$tmp/jqin"
i=0; while [ $i -lt "$RUNS" ]; do
	secs sh -c 'exec bin/classify <"$1"' sh "$tmp/in"; i=$((i + 1))
done | median >"$tmp/c"
i=0; while [ $i -lt "$JQ_RUNS" ]; do
	secs sh -c 'exec jq -c -f bench/classify.jq <"$1"' sh "$tmp/jqin"; i=$((i + 1))
done | median >"$tmp/j"

c=$(cat "$tmp/c") j=$(cat "$tmp/j")
awk -v n="$N" -v jn="$JQ_N" -v c="$c" -v j="$j" -v runs="$RUNS" -v jruns="$JQ_RUNS" 'BEGIN {
	printf "%-28s %12s %12s %8s\n", "classify", "lines/s", "seconds", "lines"
	printf "%-28s %12d %12.3f %8d   (median of %d)\n", "classify", n / c, c, n, runs
	printf "%-28s %12d %12.3f %8d   (median of %d)\n", "jq -f bench/classify.jq", jn / j, j, jn, jruns
	printf "%-28s %11.1fx   (per line)\n", "ratio (classify / jq)", (n / c) / (jn / j)
}'

gen 1000000 >"$tmp/big"
r1=$(for i in 1 2 3; do maxrss "$tmp/in"; done | median)
r2=$(for i in 1 2 3; do maxrss "$tmp/big"; done | median)
printf '%-28s %9s KiB %9s KiB\n' "peak RSS, 100k vs 1M lines" "$r1" "$r2"
cr=$(awk -v n="$N" -v c="$c" 'BEGIN { printf "%d", n / c }')
jr=$(awk -v n="$JQ_N" -v j="$j" 'BEGIN { printf "%d", n / j }')
tsv classify "lines/s (jq on $JQ_N lines)" "$cr" "jq -f bench/classify.jq" "$jr" ">= x20"
tsv classify "lines/s, one core" "$cr" "" "" ">= 200000"
tsv classify "peak RSS 1M lines, KiB" "$r2" "itself at 100k lines" "$r1" "<= x1.1"
