#!/bin/sh
# tests/chaos.sh - the whole bot under SIGKILL (make chaos; not part of
# make test).
#
# bin/tgpromise runs against the Bot API stand-in while users keep asking
# for tasks and chatting, and every CHAOS_EVERY seconds one process of the
# bot, picked at random, is killed with SIGKILL: the poller (tgpoll), the
# journal's feeder (tail) or the router's runner, the classifier, the
# router (promise route and its stages), a worker loop, a runjob, the sender (promise outbox --follow) or its
# notify, a promise call, one of the wrapper's keepers (keep:NAME), or the
# wrapper itself.  The wrapper's supervisor restarts what died; a killed
# wrapper is restarted a second later, as systemd's Restart= would, after
# checking that nothing of the old bot is left.  At every kill the
# killer also checks that the bot never runs two pollers or two routers.
# After CHAOS_TIME seconds the users and the killing stop and the bot gets
# CHAOS_SETTLE seconds to finish; then tests/pipeline-check compares what
# users said, what the bot sent and what the database holds, and prints
# the counts (acknowledgements sent twice among them: goal <= 1 %).  Exit 1
# when anything is lost, a duplicate has no kill to explain it, the
# database is not intact, two pollers or routers ran at once, or a killed
# wrapper left something running.
#
# Environment: CHAOS_TIME (180 s), CHAOS_EVERY (3 s between kills),
#   CHAOS_GAP (0.7 s between messages), CHAOS_USERS (40), CHAOS_WORKERS (3),
#   CHAOS_SETTLE (180 s), CHAOS_TARGETS (the kinds to kill),
#   CHAOS_SEED (the random seed), LONGRUN_KEEP=1 keeps the work directory.
. "$(dirname "$0")/lib.sh"
NAME=chaos SEED=${CHAOS_SEED:-$$} USERS=${CHAOS_USERS:-40}
. "$TOP/tests/longrun.sh"
TIME=${CHAOS_TIME:-180}
EVERY=${CHAOS_EVERY:-3}
GAP=${CHAOS_GAP:-0.7}
WORKERS=${CHAOS_WORKERS:-3}
SETTLE=${CHAOS_SETTLE:-180}
TARGETS=${CHAOS_TARGETS:-poller feeder runner classifier router worker runjob outbox notify promise keeper wrapper}
MARK=chaos-$$

# The bot's processes carry MARK in their environment, the wrapper's
# alone to begin with: this script's own helpers never do.
procs() {
	_pids=$(grep -lzx "BOT_MARK=$MARK" /proc/[0-9]*/environ 2>/dev/null |
		sed 's|/proc/||; s|/environ||' | tr '\n' ,)
	[ -n "$_pids" ] || return 0
	ps -o pid=,stat=,comm=,args= -p "${_pids%,}" | awk '$2 !~ /^Z/'
}
nothing_left() { [ -z "$(procs)" ]; }

# The service: the wrapper, restarted when it dies, as systemd would.
service() {
	_stop=0 _w=
	trap '_stop=1; [ -n "$_w" ] && kill -TERM "$_w" 2>/dev/null' TERM
	while [ $_stop = 0 ]; do
		BOT_MARK=$MARK tgpromise --public --workers "$1" 2>>"$T/tgpromise.err" &
		_w=$!
		echo "$_w" >"$T/wrapper.pid"
		while kill -0 "$_w" 2>/dev/null; do wait "$_w" 2>/dev/null; done
		[ $_stop = 1 ] && break
		eventually 10 nothing_left || { echo "$(now)"; procs; } >>"$T/leftovers"
		sleep 1
	done
}
bot_up() {
	trap finish EXIT
	trap 'exit 130' INT TERM
	service "$1" &
	BOT_PID=$!
}

standin_start
: >"$T/leftovers"; : >"$T/doubles"
bot_up "$WORKERS"

# The processes of our bot, by kind; two pollers or two routers at once
# are logged to doubles.
pipeline() {
	procs | awk -v wrapper="$(cat "$T/wrapper.pid")" -v doubles="$T/doubles" '
	{ pid = $1; st = $2; comm = $3; $1 = $2 = $3 = ""; a = substr($0, 4); k = ""
		if (pid == wrapper) k = "wrapper"
		else if (comm ~ /^keep:/) k = "keeper:" substr(comm, 6)
		else if (a ~ /^tgpoll( |$)/) k = "poller"
		else if (a ~ /^tail /) k = "feeder"
		else if (a ~ /\/tgpromise --feed router/ && st ~ /s/) k = "runner"
		else if (a ~ /^classify /) k = "classifier"
		else if (a ~ /^promise (route|reply)/) k = "router"
		else if (a ~ /\/examples\/worker$/) k = "worker"
		else if (a ~ /^runjob /) k = "runjob"
		else if (a ~ /^promise (outbox|notified)/) k = "outbox"
		else if (a ~ /^notify --jsonl/) k = "notify"
		else if (a ~ /^promise /) k = "promise"
		if (k == "poller" || k == "runner") n[k]++
		if (k != "") print k, pid }
	END { for (k in n) if (n[k] > 1) print n[k], k "s at once" >>doubles }'
}

# The killer: every EVERY seconds a kind at random, then one of its
# processes at random; each kill logged as "UNIX-TIME KIND PID".
killer() {
	n=0
	set -- $TARGETS
	while :; do
		sleep "$EVERY"
		n=$((n + 1))
		kind=$(awk -v s="$SEED" -v n=$n -v k=$# 'BEGIN { srand(s + n); print int(rand() * k) + 1 }')
		eval "kind=\${$kind}"
		pipeline >"$T/procs"
		pid=$(awk -v k="$kind" -v s="$SEED" -v n=$n '$1 == k || index($1, k ":") == 1 { p[++c] = $2 }
			END { srand(s * 7 + n); if (c) print p[int(rand() * c) + 1] }' "$T/procs")
		if [ -z "$pid" ]; then
			echo "$(now) $kind -" >>"$T/missed"
			continue
		fi
		what=$(awk -v p="$pid" '$2 == p { print $1; exit }' "$T/procs")
		kill -KILL "$pid" 2>/dev/null && echo "$(now) $what $pid" >>"$T/kills"
	done
}

: >"$T/kills"; : >"$T/missed"
say "seed $SEED; ${TIME}s of users and SIGKILL every ${EVERY}s; $WORKERS workers; work in $T"
users_start "$TIME" "$GAP"
killer & HELPERS=$!
sleep "$TIME"
users_stop
kill "$HELPERS" && wait "$HELPERS" 2>/dev/null
HELPERS=
say "$(wc -l <"$T/kills") kills ($(wc -l <"$T/missed") found nothing to kill); settling"
settle "$SETTLE" && say "settled in ${SETTLED_IN}s"
echo "chaos: ${TIME}s, seed $SEED, $(grep -c 'restarting' "$T/tgpromise.err") restarts by the supervisor"
reckon --kills "$T/kills"
status=$?
if [ -s "$T/doubles" ]; then
	echo "chaos: two of a kind ran at once:"; sed 's/^/  /' "$T/doubles"
	status=1
fi
if [ -s "$T/leftovers" ]; then
	echo "chaos: a killed wrapper left processes running:"; sed 's/^/  /' "$T/leftovers"
	status=1
fi
echo "chaos: two pollers or routers at once: $(wc -l <"$T/doubles"); left behind by a killed wrapper: $(grep -c '^[0-9]' "$T/leftovers")"
exit $status
