#!/bin/sh
# bench/notify-sched.sh - notify --jsonl on a burst of notices for many
# chats, against the floor that Telegram's limits (as configured) allow.
#
#   300 notices for 100 chats, three in a row for each, as `promise
#   outbox` prints them; the default limits (1/s a chat, 30/s overall)
#   and with the overall limit lifted.
#
# Wall time is the median of RUNS runs (default 3).  The floor: a chat's
# three messages need 2 s; 300 messages at 30 a second need 9 s after
# the first.  NOTIFY_OLD=path also times another build (say, one before
# a change) side by side; notify in input order took 200 s here.
#
# Then against the stand-in keeping Telegram's flood limits (--flood: a
# 429 past 30/s, 1/s a chat, 20/min a group), 300 notices for 150 chats,
# two each: sends a second while anything waits (from the stand-in's own
# times: the sends over the time from the first to the last plus the one
# second the last window's sends take, so that 30 is the most a sliding
# window of 30 a second allows; the goal is 27)
# and the 429s it refused (goal 0).  With --no-pacing against the
# stand-in without limits: the raw capacity, as with a local Bot API
# server.  Medians of RUNS runs.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
. "$TOP/bench/tsv"
TOKEN='4242424242:AAbenchTOKEN'
[ -x "$TOP/bin/notify" ] || make -C "$TOP" >&2

W=$(mktemp -d "${TMPDIR:-/tmp}/tgp-bench.XXXXXX")
SPID=
cleanup() { [ -z "$SPID" ] || kill "$SPID" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT INT TERM

python3 "$TOP/tests/botapi-standin" --token "$TOKEN" --port-file "$W/port" 2>/dev/null &
SPID=$!
while [ ! -s "$W/port" ]; do sleep 0.05; done
TELEGRAM_API_URL="http://127.0.0.1:$(cat "$W/port")"
TELEGRAM_BOT_TOKEN=$TOKEN
export TELEGRAM_API_URL TELEGRAM_BOT_TOKEN

i=1
while [ $i -le 100 ]; do
	for k in 1 2 3; do
		printf '{"ref":"%d.%d","chat_id":%d,"text":"notice %d"}\n' $i $k $i $k
	done
	i=$((i + 1))
done >"$W/notices"

# median BINARY ARGS...: the median wall time of RUNS runs, in seconds.
median() {
	n=0
	while [ $n -lt "$RUNS" ]; do
		s=$(date +%s%N)
		"$@" --jsonl <"$W/notices" >"$W/receipts"
		e=$(date +%s%N)
		[ "$(grep -c '"ok":true' "$W/receipts")" = 300 ] ||
			{ echo "bench/notify-sched.sh: not all delivered" >&2; exit 1; }
		echo $(((e - s) / 1000000))
		n=$((n + 1))
	done | sort -n | awk '{ t[NR] = $1 } END { printf "%.2f", t[int((NR + 1) / 2)] / 1000 }'
}

printf '%-34s %9s %9s %9s\n' '300 notices, 100 chats' floor notify ratio
for limits in default none; do
	args=
	floor=9
	[ $limits = none ] && { args='--global-rate none'; floor=2; }
	t=$(median "$TOP/bin/notify" $args)
	printf '%-34s %8ss %8ss %8s\n' "limits: $limits" $floor "$t" \
		"$(awk -v a="$t" -v b=$floor 'BEGIN { printf "%.2fx", a / b }')"
	tsv notify "300 notices/100 chats, limits $limits: s" "$t" "the limits' floor" "$floor" "<= x1.2"
	if [ -n "${NOTIFY_OLD:-}" ]; then
		o=$(median "$NOTIFY_OLD" $args)
		printf '%-34s %9s %8ss %8s\n' "  NOTIFY_OLD" '' "$o" \
			"$(awk -v a="$o" -v b="$t" 'BEGIN { printf "%.1fx ours", a / b }')"
	fi
done

# --- against the flood limits ---------------------------------------------

i=1
while [ $i -le 150 ]; do
	printf '{"ref":"%d.1","chat_id":%d,"text":"first"}\n{"ref":"%d.2","chat_id":%d,"text":"second"}\n' \
		$((i + 1000)) $((i + 1000)) $((i + 1000)) $((i + 1000))
	i=$((i + 1))
done >"$W/flood"

ctl() {
	curl -sS --fail-with-body -H 'Content-Type: application/json' \
		--data-binary "${2:-{\}}" "$TELEGRAM_API_URL/control/$1"
}

# flood_run LIMITS ARGS...: one run of notify ARGS on the 300 notices with
# the stand-in's limits on or off (each run starts them afresh); prints
# "sends/s 429s".  Without limits, sends/s is (sends - 1) over first to last.
flood_run() {
	ctl flood "{\"on\":$1}" >/dev/null
	w=0
	[ "$1" = true ] && w=1
	shift
	n=$(ctl_get_state sends)
	r=$(ctl_get_state refused)
	"$TOP/bin/notify" "$@" --jsonl <"$W/flood" >"$W/receipts"
	[ "$(grep -c '"ok":true' "$W/receipts")" = 300 ] ||
		{ echo "bench/notify-sched.sh: not all delivered" >&2; exit 1; }
	curl -sS "$TELEGRAM_API_URL/control/sent" |
		jq -s --argjson n "$n" --argjson w $w '.[$n:] | map(select(.method == "sendMessage") | .at) |
			if $w > 0 then length / (max - min + $w) else (length - 1) / (max - min) end' >"$W/rate"
	echo "$(cat "$W/rate") $(($(ctl_get_state refused) - r))"
}
ctl_get_state() { curl -sS "$TELEGRAM_API_URL/control/state" | jq ".$1"; }

# flood_median LIMITS ARGS...: the medians of RUNS runs: "sends/s 429s".
flood_median() {
	k=0
	while [ $k -lt "$RUNS" ]; do
		flood_run "$@"
		k=$((k + 1))
	done >"$W/runs"
	printf '%s %s\n' \
		"$(cut -d' ' -f1 "$W/runs" | sort -g | awk '{ t[NR] = $1 } END { printf "%.1f", t[int((NR + 1) / 2)] }')" \
		"$(cut -d' ' -f2 "$W/runs" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')"
}

echo
printf '%-34s %9s %9s %9s\n' '300 notices, 150 chats' allowed sends/s 429s
set -- $(flood_median true)
printf '%-34s %9s %9s %9s\n' 'flood limits, default pacing' 30 "$1" "$2"
tsv notify "300 notices/150 chats, flood limits: sends/s" "$1" "Telegram's limit" 30 ">= 27"
tsv notify "300 notices/150 chats, flood limits: 429s" "$2" "" "" "<= 0"
set -- $(flood_median false --no-pacing)
printf '%-34s %9s %9s %9s\n' 'no limits, --no-pacing' - "$1" "$2"
tsv notify "300 notices/150 chats, --no-pacing: sends/s" "$1" "" "" ""
