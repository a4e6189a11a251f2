#!/bin/sh
# bench/runjob.sh - runjob beside timeout(1), as ratios of medians.
#
#   start-up:   runjob -t 10 true          vs timeout 10 true    (goal <= 1.5x)
#   throughput: runjob --json, 100 MB out  vs timeout, >/dev/null (goal <= 2x)
#   precision:  how long past deadline + grace a TERM-proof task lives
#               (goal < 50 ms), for both
#
# RUNS (default 7) batches; BATCH (default 200) start-ups per batch.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
RUNS=${RUNS:-7}
BATCH=${BATCH:-200}
. bench/tsv

if ! command -v timeout >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y -qq coreutils >/dev/null
	else
		echo "bench/runjob.sh: needs timeout(1): apt-get install coreutils" >&2
		exit 1
	fi
fi
[ -x bin/runjob ] || make -s bin/runjob

ns() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", b ? a / b : 0 }'; }

# batch N CMD...: wall time of N runs of CMD, in microseconds per run.
batch() {
	n=$1; shift
	t0=$(ns)
	i=0
	while [ $i -lt "$n" ]; do "$@"; i=$((i + 1)); done
	t1=$(ns)
	echo $(( (t1 - t0) / 1000 / n ))
}

printf '%-34s %12s %12s %8s\n' benchmark runjob timeout ratio

# side A B: RUNS figures of command A and of command B, interleaved so
# that both see the same load; sets $a and $b to their medians.
side() {
	: >"$tmp.a"; : >"$tmp.b"
	for r in $(seq "$RUNS"); do
		eval "$1" >>"$tmp.a"
		eval "$2" >>"$tmp.b"
	done
	a=$(median <"$tmp.a")
	b=$(median <"$tmp.b")
}
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.a" "$tmp.b"' EXIT

# Start-up and tear-down of a task that does nothing.
side 'batch "$BATCH" runjob -t 10 true' 'batch "$BATCH" timeout 10 true'
printf '%-34s %10sus %10sus %8s\n' 'start-up: -t 10 true' "$a" "$b" "$(ratio "$a" "$b")"
tsv runjob "start-up -t 10 true, us" "$a" "timeout 10 true" "$b" "<= x1.5"

# 100 MB of output: captured (head+tail, JSON) vs thrown away.
gen="yes 0123456789abcdefghijklmnopqrstuvwxyz | head -c 100000000"
side 'batch 1 sh -c "runjob --json -- sh -c \"$gen\" >/dev/null"' \
	'batch 1 sh -c "timeout 10 sh -c \"$gen\" >/dev/null"'
printf '%-34s %10sms %10sms %8s\n' 'throughput: 100 MB of output' \
	$((a / 1000)) $((b / 1000)) "$(ratio "$a" "$b")"
tsv runjob "100 MB of output captured, ms" $((a / 1000)) "timeout, to /dev/null" $((b / 1000)) "<= x2"

# A task that ignores SIGTERM: deadline 200 ms, grace 100 ms; what is
# measured is how long after 300 ms the supervisor returns, the task gone.
late() {
	t0=$(ns)
	"$@" sh -c 'trap "" TERM; sleep 10' || :
	t1=$(ns)
	echo $(( (t1 - t0) / 1000 - 300000 ))
}
side 'late runjob -t 0.2 -k 0.1 --' 'late timeout -k 0.1 0.2'
printf '%-34s %10sus %10sus %8s\n' 'precision: past deadline+grace' "$a" "$b" "$(ratio "$a" "$b")"
tsv runjob "late past deadline+grace, ms" $((a / 1000)) "timeout -k" $((b / 1000)) "<= 50"
