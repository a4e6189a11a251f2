#!/bin/sh
# bench/telegram.sh - tgpoll and notify against python-telegram-bot, side
# by side on the same local Bot API stand-in (tests/botapi-standin).
#
#   send:    notify sending 200 messages vs Bot.send_message x 200
#   poll:    tgpoll reading 10,000 updates vs a get_updates loop
#   latency: an update injected into the stand-in to its line on stdout
#
# Wall time and peak RSS (getrusage of the child) are medians of RUNS runs
# (default 5), printed with ratios peer/ours.  The peer is Debian's
# python3-python-telegram-bot, installed here when missing; Debian's
# Python packages load in /usr/bin/python3, not a python3 earlier on PATH.
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
. "$TOP/bench/tsv"
PY=/usr/bin/python3
TOKEN='4242424242:AAbenchTOKEN'

if ! $PY -c 'import telegram' 2>/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "bench/telegram.sh: installing python3-python-telegram-bot" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			python3-python-telegram-bot >&2
	else
		echo "bench/telegram.sh: needs python3-python-telegram-bot:" >&2
		echo "    sudo apt-get install python3-python-telegram-bot" >&2
		exit 1
	fi
fi
[ -x "$TOP/bin/tgpoll" ] && [ -x "$TOP/bin/notify" ] || make -C "$TOP" >&2

W=$(mktemp -d "${TMPDIR:-/tmp}/tgp-bench.XXXXXX")
SPID=
cleanup() { [ -z "$SPID" ] || kill "$SPID" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT INT TERM

start_standin() {
	if [ -n "$SPID" ]; then
		kill "$SPID" 2>/dev/null || true
		wait "$SPID" 2>/dev/null || true
	fi
	rm -f "$W/port"
	python3 "$TOP/tests/botapi-standin" --token "$TOKEN" --port-file "$W/port" 2>/dev/null &
	SPID=$!
	while [ ! -s "$W/port" ]; do sleep 0.05; done
	API="http://127.0.0.1:$(cat "$W/port")"
}
ctl() { python3 "$TOP/tests/botapi-standin" --control "$API" "$1" "$2" >/dev/null; }

# measure CMD...: prints "WALL_SECONDS PEAK_RSS_KB" for one run.
measure() {
	$PY - "$@" <<'EOF'
import os, resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - t
print("%.4f %d" % (wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
EOF
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

cat >"$W/ptb_send.py" <<'EOF'
import sys, warnings
warnings.simplefilter("ignore")
import telegram
api, token = sys.argv[1], sys.argv[2]
bot = telegram.Bot(token, base_url=api + "/bot")
for i in range(200):
    bot.send_message(chat_id=1000 + i % 50, text="bench message %d" % i)
EOF
cat >"$W/ptb_poll.py" <<'EOF'
import json, sys, warnings
warnings.simplefilter("ignore")
import telegram
api, token, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
bot = telegram.Bot(token, base_url=api + "/bot")
offset, seen = None, 0
while seen < want:
    for u in bot.get_updates(offset=offset, timeout=0, limit=100):
        m = u.effective_message
        print(json.dumps({"update_id": u.update_id, "chat_id": m.chat_id,
                          "message_id": m.message_id, "user_id": m.from_user.id,
                          "text": m.text}), flush=True)
        offset = u.update_id + 1
        seen += 1
EOF
yes '{"chat_id":1,"text":"bench message"}' | head -200 | awk '{ sub(/"chat_id":1/, "\"chat_id\":" 1000 + NR % 50); print }' >"$W/notices"

# Each run: a fresh stand-in, so both sides see the same state.
run_side() {	# what: send-ours send-peer poll-ours poll-peer
	start_standin
	case $1 in
	send-ours)
		measure sh -c 'exec "$1" --jsonl --chat-rate none --group-rate none --global-rate none --api-url "$2" <"$3"' \
			sh "$TOP/bin/notify" "$API" "$W/notices" ;;
	send-peer)
		measure $PY "$W/ptb_send.py" "$API" "$TOKEN" ;;
	poll-ours)
		ctl message '{"chat_id":1,"text":"bench update","count":10001}'
		rm -f "$W/off"
		measure sh -c '"$1" --timeout 1 --api-url "$2" --offset-file "$3" | head -n 10000 >/dev/null' \
			sh "$TOP/bin/tgpoll" "$API" "$W/off" ;;
	poll-peer)
		ctl message '{"chat_id":1,"text":"bench update","count":10001}'
		measure $PY "$W/ptb_poll.py" "$API" "$TOKEN" 10000 ;;
	esac
}

export TELEGRAM_BOT_TOKEN=$TOKEN
for side in send-ours send-peer poll-ours poll-peer; do
	: >"$W/$side"
	i=0
	while [ $i -lt "$RUNS" ]; do
		run_side $side >>"$W/$side"
		i=$((i + 1))
	done
done

# Latency: tgpoll long-polling; a message injected; its line read.
start_standin
$PY - "$TOP/bin/tgpoll" "$API" "$W/latoff" "$TOP/tests/botapi-standin" >"$W/latency" <<'EOF'
import json, subprocess, sys, time, urllib.request
tgpoll, api, off, standin = sys.argv[1:5]
p = subprocess.Popen([tgpoll, "--timeout", "30", "--api-url", api, "--offset-file", off],
                     stdout=subprocess.PIPE)
body = json.dumps({"chat_id": 1, "text": "ping"}).encode()
time.sleep(0.3)
for i in range(41):
    t = time.perf_counter()
    urllib.request.urlopen(urllib.request.Request(api + "/control/message", data=body,
                           headers={"Content-Type": "application/json"})).read()
    p.stdout.readline()
    if i:   # the first warms the connection
        print("%.3f" % ((time.perf_counter() - t) * 1000))
    time.sleep(0.05)
p.terminate()
p.wait()
EOF

col() { awk -v c="$1" '{ print $c }' "$W/$2" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }

printf '%-34s %12s %12s %10s\n' "median of $RUNS runs" tgpromise python-tg-bot 'peer/ours'
for w in send poll; do
	ot=$(col 1 $w-ours) pt=$(col 1 $w-peer) om=$(col 2 $w-ours) pm=$(col 2 $w-peer)
	[ $w = send ] && what='200 messages' || what='10,000 updates'
	printf '%-34s %11ss %11ss %10s\n' "$what: wall time" "$ot" "$pt" "$(ratio "$pt" "$ot")"
	printf '%-34s %10sKB %10sKB %10s\n' "$what: peak RSS" "$om" "$pm" "$(ratio "$pm" "$om")"
	[ $w = send ] && tool=notify || tool=tgpoll
	tsv telegram "$tool, $what: wall s" "$ot" "python-telegram-bot" "$pt" "< x1"
	tsv telegram "$tool, $what: peak RSS KB" "$om" "python-telegram-bot" "$pm" "< x1"
done
printf '%-34s %10sms\n' 'update-to-line latency (median)' "$(median <"$W/latency")"
tsv telegram "tgpoll update-to-line latency, ms" "$(median <"$W/latency")" "" "" "< 5"
