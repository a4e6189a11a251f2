#!/bin/sh
# tests/faults.sh - the whole bot through Telegram's bad days (make faults;
# not part of make test).
#
# bin/tgpromise runs against the Bot API stand-in while users keep asking
# for tasks and chatting, through one phase after another:
#   outage    every call dropped, as if Telegram were unreachable (FAULT_TIME)
#   429       a storm of Too Many Requests, retry_after 2 (FAULT_TIME/2)
#   500       every call answered 500 Internal Server Error (FAULT_TIME/2)
#   slow      every call answered 4 seconds late (FAULT_TIME/2)
#   webhook   a webhook set by someone else mid-run; getUpdates is refused
#             until it is deleted, as an operator would (FAULT_TIME/2)
#   revoke    the token revoked mid-run, then a working one (FAULT_TIME/2)
# After each phase the fault is cleared and the bot must settle on its own
# (everything said dealt with) within FAULT_SETTLE seconds.  Where it
# cannot recover by itself (webhook, revoke) the wrapper's log must say
# what is wrong, and the poller must not be restarted every second.  At
# the end tests/pipeline-check must find nothing lost.
#
# Environment: FAULT_TIME (60 s), FAULT_SETTLE (120 s), FAULT_GAP (1 s
#   between messages), FAULT_PHASES (the phases to run), LONGRUN_KEEP=1.
. "$(dirname "$0")/lib.sh"
NAME=faults
. "$TOP/tests/longrun.sh"
TIME=${FAULT_TIME:-60}
HALF=$(((TIME + 1) / 2))
SETTLE=${FAULT_SETTLE:-120}
GAP=${FAULT_GAP:-1}
PHASES=${FAULT_PHASES:-outage 429 500 slow webhook revoke}
problems=0

# api METHOD [JSON]: a Bot API call with the bot's token, as someone
# else holding the token would make it (the token stays out of argv).
api() {
	python3 - "$TELEGRAM_API_URL" "$1" "${2:-{\}}" <<'PY'
import os, sys, urllib.request
url = "%s/bot%s/%s" % (sys.argv[1], os.environ["TELEGRAM_BOT_TOKEN"], sys.argv[2])
req = urllib.request.Request(url, data=sys.argv[3].encode(),
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10).read()
PY
}

fault() { ctl fault "$1" >/dev/null; }
poller_restarts() { grep -c '^tgpromise: poller exited' "$T/tgpromise.err"; }
# said_clearly REGEX: the wrapper's log has a line matching REGEX.
said_clearly() {
	if grep -E -m1 "$1" "$T/tgpromise.err" >"$T/line"; then
		echo "  the log says: $(cat "$T/line")"
	else
		echo "  NOT SAID: nothing in the log matches /$1/"
		problems=$((problems + 1))
	fi
}

phase() {	# name seconds
	echo "phase $1: ${2}s"
	r0=$(poller_restarts)
	case $1 in
	outage)  fault '{"kind":"drop","count":1000000000}' ;;
	429)     fault '{"kind":"429","retry_after":2,"count":1000000000}' ;;
	500)     fault '{"kind":"500","count":1000000000}' ;;
	slow)    fault '{"kind":"slow","delay":4,"count":1000000000}' ;;
	webhook) api setWebhook '{"url":"https://example.org/hook"}' ;;
	revoke)  ctl revoke >/dev/null ;;
	esac
	sleep "$2"
	case $1 in
	webhook)
		said_clearly '^tgpoll: a webhook is set'
		api deleteWebhook ;;
	revoke)
		said_clearly '^tgpoll: invalid token'
		ctl revoke '{"restore":true}' >/dev/null ;;
	*)	ctl fault '{"clear":true}' >/dev/null ;;
	esac
	r=$(($(poller_restarts) - r0))
	echo "  poller restarts during the phase: $r"
	# Restarted ever later (1+2+4+...): at most log2 of the phase's length
	# and a few, never once a second.
	if [ "$r" -gt $(( $(awk -v t="$2" 'BEGIN { print int(log(t + 1) / log(2)) }') + 2 )) ]; then
		echo "  the poller was restarted too often"
		problems=$((problems + 1))
	fi
	if settle "$SETTLE"; then
		echo "  recovered: everything settled ${SETTLED_IN}s after the fault ended"
	else
		echo "  NOT RECOVERED within ${SETTLE}s"
		problems=$((problems + 1))
	fi
}

standin_start
bot_up 3
total=0
for p in $PHASES; do
	case $p in outage) total=$((total + TIME + 20)) ;; *) total=$((total + HALF + 20)) ;; esac
done
say "phases: $PHASES; work in $T"
users_start "$total" "$GAP"
sleep 5
for p in $PHASES; do
	case $p in outage) phase "$p" "$TIME" ;; *) phase "$p" "$HALF" ;; esac
done
users_stop
settle "$SETTLE" || problems=$((problems + 1))
reckon
status=$?
[ $problems = 0 ] || { echo "faults: $problems problems (see above)"; status=1; }
exit $status
