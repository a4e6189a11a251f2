#!/bin/sh
# bench/burst.sh - the whole bot (bin/tgpromise) against the stand-in with
# Telegram's flood limits on (30 sends a second, 1 a second to a chat, 20
# a minute to a group): a burst of BURST_SIZES messages (make bench: 300;
# make load: 300 and 5,000), 2 tasks a chat, all injected at once.
#
# For each size, paced (the limits on, notify's default pacing):
#   acknowledgements a second (the burst's size over the time from its
#   injection to the last acknowledgement), acknowledgement latency p50 and
#   p99 (each message's acknowledgement, from the stand-in's own "at"
#   stamps), sends a second while anything waits (every send and edit in
#   that same window), 429s; the median's floor: at most 30 sends in any
#   second, so the k-th acknowledgement of a burst cannot leave before
#   int((k - 1) / 30) s, and the median one (k = size/2) before
#   int((size/2 - 1) / 30) s (300: 4 s; 5,000: 83 s); ratio = p50 / floor.
# Unpaced (the stand-in's limits off, TGPROMISE_NOTIFY_FLAGS=--no-pacing):
#   the pipeline's own capacity, acknowledgements a second.
# Then the processes started per routed message: the router pipeline alone
# (classify | promise route | answer | classify --reply | promise reply)
# over 200 and 2,000 messages in a PID namespace of its own (unshare), its
# last pid read from /proc/loadavg: (P(2000) - P(200)) / 1800.
#
# Medians of BURST_RUNS (3) runs; rows into $BENCH_TSV (see bench/run).
set -u
cd "$(dirname "$0")/.."
TOP=$PWD
PATH=$TOP/bin:$PATH
SIZES=${BURST_SIZES:-300}
RUNS=${BURST_RUNS:-3}
export PATH
[ -x bin/promise ] || { echo "bench/burst.sh: build first (make)" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/burst-bench.XXXXXX")
SPID= BOT=
stop_all() {
	[ -n "$BOT" ] && kill -TERM "$BOT" 2>/dev/null && wait "$BOT"
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	BOT= SPID=
}
trap 'stop_all; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
row() {	# MEASURE FIGURE [GOAL MET]
	printf '%-52s %s\n' "$1" "$2"
	[ -n "${BENCH_TSV:-}" ] && printf 'burst\t%s\t%s\t\t\t\t%s\t%s\n' "$1" "$2" "${3:-}" "${4:-}" >>"$BENCH_TSV"
	return 0
}
ctl() { curl -sS --fail -H 'Content-Type: application/json' --data-binary "${2:-{\}}" "$API/control/$1"; }
ctl_get() { curl -sS --fail "$API/control/$1"; }
ctl_wait() { curl -sS --max-time 900 "$API/control/wait?$1" >/dev/null; }

# one SIZE MODE: one burst through a fresh bot; prints "acks/s p50 p99 sends/s 429s".
one() {
	r=$W/run && rm -rf "$r" && mkdir -p "$r"
	export XDG_STATE_HOME=$r/state PROMISE_DB=$r/p.db HANDLER_STEP=0.01 \
		PROMISE_MAX_OPEN=0 TELEGRAM_BOT_TOKEN='4242424242:AAburstTOKEN'
	flood=--flood flags=
	[ "$2" = unpaced ] && flood= flags=--no-pacing
	python3 tests/botapi-standin --token "$TELEGRAM_BOT_TOKEN" $flood \
		--port-file "$r/port" 2>/dev/null &
	SPID=$!
	while [ ! -s "$r/port" ]; do sleep 0.05; done
	API=http://127.0.0.1:$(cat "$r/port")
	export TELEGRAM_API_URL=$API
	TGPROMISE_NOTIFY_FLAGS=$flags tgpromise --public --workers 2 2>"$r/err" &
	BOT=$!
	ctl_wait 'calls=1&timeout=60'	# the poller listens
	jq -cn --argjson n "$1" '[range($n / 2) as $k | range($n / 2) as $u |
		select($k < 2) | {chat_id: (100000 + $u), user_id: (100000 + $u),
		 text: "fix the login bug in module \($k)"}]' >"$r/msgs.json"
	# (sizes are even: size/2 chats x 2 tasks)
	jq -c '.[]' "$r/msgs.json" | head -n "$1" | jq -cs . >"$r/burst.json"
	ctl message @"$r/burst.json" >/dev/null
	ctl_wait "sent=$1&timeout=900"
	until [ "$(sqlite3 "$PROMISE_DB" "SELECT count(*) FROM notices WHERE kind = 'ack' AND state = 1" 2>/dev/null)" -ge "$1" ]; do
		sleep 0.2
	done
	ctl_get said >"$r/said"
	ctl_get sent >"$r/sent"
	ctl_get state >"$r/standin.json"
	stop_all
	[ -n "${BURST_KEEP:-}" ] && cp -r "$r" "$BURST_KEEP/$1-$2"
	jq -rs --slurpfile said "$r/said" --slurpfile st "$r/standin.json" '
		($said | map(.at) | min) as $t0 |
		($said | map({key: "\(.chat_id) \(.message_id)", value: .at}) | from_entries) as $at |
		map(select(.method == "sendMessage" and (.text | test("^Started #")))) as $acks |
		($acks | map(.at) | max) as $t1 |
		($acks | map(.at - $at["\(.chat_id) \(.reply_to)"]) | sort) as $lat |
		(map(select(.method != "sendChatAction" and .at <= $t1)) | length) as $sends |
		def q(p): $lat[((($lat | length) - 1) * p) | floor];
		"\(($acks | length) / ($t1 - $t0)) \(q(0.5)) \(q(0.99)) \($sends / ($t1 - $t0)) \($st[0].refused)"' \
		"$r/sent"
}

fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { printf "%." d "f", v }'; }
echo "bench/burst.sh: the whole bot, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for size in $SIZES; do
	for mode in paced unpaced; do
		: >"$W/runs"
		i=0
		while [ $i -lt "$RUNS" ]; do
			i=$((i + 1))
			one "$size" "$mode" >>"$W/runs"
		done
		col() { cut -d' ' -f"$1" "$W/runs" | median; }
		acks=$(col 1) p50=$(col 2) p99=$(col 3) sps=$(col 4) r429=$(col 5)
		if [ $mode = paced ]; then
			floor=$(awk -v n="$size" 'BEGIN { print int((n / 2 - 1) / 30) }')
			ratio=$(awk -v a="$p50" -v f="$floor" 'BEGIN { print a / f }')
			row "burst $size, limits on: acknowledgements/s" "$(fmt "$acks")"
			row "burst $size, limits on: ack latency p50 (s)" "$(fmt "$p50" 2) (floor $(fmt "$floor" 2); x$(fmt "$ratio" 2))" \
				'<= 2x floor' "$(awk -v r="$ratio" 'BEGIN { print (r <= 2 ? "yes" : "no") }')"
			row "burst $size, limits on: ack latency p99 (s)" "$(fmt "$p99" 2)"
			row "burst $size, limits on: sends/s while any waits" "$(fmt "$sps")" '>= 27' \
				"$(awk -v r="$sps" 'BEGIN { print (r >= 27 ? "yes" : "no") }')"
			row "burst $size, limits on: 429s" "$r429"
		else
			row "burst $size, pacing off: acknowledgements/s" "$(fmt "$acks")" '>= 300' \
				"$(awk -v r="$acks" 'BEGIN { print (r >= 300 ? "yes" : "no") }')"
			row "burst $size, pacing off: ack latency p50/p99 (s)" "$(fmt "$p50" 2) / $(fmt "$p99" 2)"
		fi
	done
done

# Processes started per routed message: the router alone, in its own PID
# namespace, over n messages (a mix: tasks, status, chat, cancel).
router_pids() {
	rm -f "$W/r.db" "$W/r.cursor"
	jq -cn --argjson n "$1" 'range($n) as $i | {update_id: (1000 + $i),
		chat_id: (5000 + $i % 97), user_id: (5000 + $i % 97), message_id: (1000 + $i),
		text: (["fix the login bug", "/jobs", "hello there", "/cancel 1"][$i % 4])}' >"$W/lines"
	PROMISE_DB=$W/r.db unshare -pfr --mount-proc sh -c '
		classify --pass-invalid <"$1" | promise route | "$2"/examples/answer |
			classify --reply --pass-invalid | promise reply --jsonl --cursor "$3" >/dev/null
		cut -d" " -f5 /proc/loadavg' sh "$W/lines" "$TOP" "$W/r.cursor"
}
if unshare -pfr --mount-proc true 2>/dev/null; then
	: >"$W/forks"
	i=0
	while [ $i -lt "$RUNS" ]; do
		i=$((i + 1))
		a=$(router_pids 200) b=$(router_pids 2000)
		[ -n "${BURST_KEEP:-}" ] && echo "router pids: $a for 200, $b for 2000" >&2
		echo "$a $b" | awk '{ print ($2 - $1) / 1800 }' >>"$W/forks"
	done
	f=$(median <"$W/forks")
	row "processes started per routed message" "$(fmt "$f" 3)" '0' \
		"$(awk -v f="$f" 'BEGIN { print (f < 0.01 ? "yes" : "no") }')"
else
	row "processes started per routed message" "(unshare -pfr refused here)"
fi
