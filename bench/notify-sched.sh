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
