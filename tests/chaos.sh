#!/bin/sh
# tests/chaos.sh - the whole bot under SIGKILL (make chaos; not part of
# make test).
#
# bin/tgpromise runs against the Bot API stand-in while users keep asking
# for tasks and chatting, and every CHAOS_EVERY seconds one process of the
# pipeline, picked at random, is killed with SIGKILL: the poller (tgpoll),
# the classifier, the router (examples/route), a worker loop, a runjob, the
# outbox loop or its notify.  The wrapper's supervisor restarts what died.
# After CHAOS_TIME seconds the users and the killing stop and the bot gets
# CHAOS_SETTLE seconds to finish; then tests/pipeline-check compares what
# users said, what the bot sent and what the database holds, and prints
# the counts.  Exit 1 when anything is lost, a duplicate has no kill to
# explain it, or the database is not intact.
#
# Environment: CHAOS_TIME (180 s), CHAOS_EVERY (3 s between kills),
#   CHAOS_GAP (0.7 s between messages), CHAOS_USERS (40), CHAOS_WORKERS (3),
#   CHAOS_SETTLE (180 s), CHAOS_TARGETS (the kinds to kill),
#   CHAOS_SEED (the random seed), CHAOS_KEEP=1 keeps the work directory.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
TIME=${CHAOS_TIME:-180}
EVERY=${CHAOS_EVERY:-3}
GAP=${CHAOS_GAP:-0.7}
USERS=${CHAOS_USERS:-40}
WORKERS=${CHAOS_WORKERS:-3}
SETTLE=${CHAOS_SETTLE:-180}
TARGETS=${CHAOS_TARGETS:-poller classifier router worker runjob outbox notify promise}
SEED=${CHAOS_SEED:-$$}
export HANDLER_STEP=0.2 PROMISE_BACKOFF=1s WORKER_HEARTBEAT=1s \
	WORKER_LEASE=4s WORKER_WAIT=1s OUTBOX_INTERVAL=0.5 TGPROMISE_GRACE=5

say() { echo "chaos: $*" >&2; }
now() { date +%s.%N | cut -c1-14; }

BOT_PID= FEED_PID= KILL_PID=
finish() {
	for p in $KILL_PID $FEED_PID; do kill "$p" 2>/dev/null; done
	[ -n "$BOT_PID" ] && kill -TERM "$BOT_PID" 2>/dev/null && wait "$BOT_PID"
	standin_stop
	if [ "${CHAOS_KEEP:-0}" = 1 ] || [ "${status:-1}" != 0 ]; then
		say "work directory kept: $T"
	else
		rm -rf "$T"
	fi
}
trap finish EXIT
trap 'exit 130' INT TERM

standin_start
tgpromise --public --workers "$WORKERS" 2>"$T/tgpromise.err" &
BOT_PID=$!

# The users: one message every GAP seconds from one of USERS chats; six
# in ten ask for a task, the others chat.  (One shell loop, so that
# killing it stops it.)
awk -v seed="$SEED" -v users="$USERS" -v n="$(awk -v t="$TIME" -v g="$GAP" 'BEGIN { print int(t / g) + 1 }')" '
BEGIN {	srand(seed)
	for (i = 1; i <= n; i++) {
		c = 70000 + int(rand() * users)
		if (rand() < 0.6) t = "fix the login bug number " i
		else t = "hello there, message " i
		printf "{\"chat_id\":%d,\"user_id\":%d,\"text\":\"%s\"}\n", c, c, t
	} }' >"$T/messages"
users() {
	while IFS= read -r m; do
		ctl message "$m" >/dev/null || say "could not inject a message"
		sleep "$GAP"
	done <"$T/messages"
}

# The processes of our bot, by kind: walk down from its pid (other copies
# of the pipeline may run on this machine; names alone would find them).
pipeline() {
	ps -e -o pid=,ppid=,args= | awk -v root="$BOT_PID" '
	{ pid[NR] = $1; ppid[NR] = $2; $1 = $2 = ""; args[NR] = substr($0, 3) }
	END {
		mine[root] = 1
		for (changed = 1; changed; ) {
			changed = 0
			for (i = 1; i <= NR; i++)
				if (!(pid[i] in mine) && (ppid[i] in mine)) { mine[pid[i]] = 1; changed = 1 }
		}
		for (i = 1; i <= NR; i++) {
			if (!(pid[i] in mine)) continue
			a = args[i]; k = ""
			if (a ~ /^tgpoll( |$)/) k = "poller"
			else if (a ~ /^classify /) k = "classifier"
			else if (a ~ /\/examples\/route$/) k = "router"
			else if (a ~ /\/examples\/worker$/) k = "worker"
			else if (a ~ /^runjob /) k = "runjob"
			else if (a ~ /\/examples\/outbox$/) k = "outbox"
			else if (a ~ /^notify --jsonl/) k = "notify"
			else if (a ~ /^promise /) k = "promise"
			if (k != "") print k, pid[i]
		}
	}'
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
		pid=$(awk -v k="$kind" -v s="$SEED" -v n=$n '$1 == k { p[++c] = $2 }
			END { srand(s * 7 + n); if (c) print p[int(rand() * c) + 1] }' "$T/procs")
		if [ -z "$pid" ]; then
			echo "$(now) $kind -" >>"$T/missed"
			continue
		fi
		kill -KILL "$pid" 2>/dev/null && echo "$(now) $kind $pid" >>"$T/kills"
	done
}

: >"$T/kills"; : >"$T/missed"
say "seed $SEED; ${TIME}s of users and SIGKILL every ${EVERY}s; $WORKERS workers; work in $T"
users & FEED_PID=$!
killer & KILL_PID=$!
sleep "$TIME"
kill "$FEED_PID" "$KILL_PID" 2>/dev/null
wait "$FEED_PID" "$KILL_PID" 2>/dev/null
FEED_PID= KILL_PID=
say "$(wc -l <"$T/kills") kills ($(wc -l <"$T/missed") found nothing to kill); settling"

# Settled: Telegram holds no update, the router has handled every line of
# the journal, no promise is open and the outbox is empty.
state=$XDG_STATE_HOME/tgpromise
settled() {
	ctl_get state >"$T/standin-state" &&
	[ "$(jq '.pending | length' "$T/standin-state")" = 0 ] &&
	[ "$(cat "$state/inbox.cursor" 2>/dev/null)" = "$(wc -l <"$state/inbox.jsonl")" ] &&
	[ -z "$(promise list --status offered,pending,running --limit 1)" ] &&
	[ -z "$(promise outbox --limit 1)" ]
}
t0=$(date +%s)
if eventually "$SETTLE" settled; then
	say "settled in $(($(date +%s) - t0))s"
else
	say "not settled after ${SETTLE}s"
fi
kill -TERM "$BOT_PID" && wait "$BOT_PID"
BOT_PID=

ctl_get said >"$T/said.jsonl"
ctl_get sent >"$T/sent.jsonl"
restarts=$(grep -c 'restarting' "$T/tgpromise.err")
echo "chaos: ${TIME}s, seed $SEED, $restarts restarts by the supervisor"
python3 "$TOP/tests/pipeline-check" --said "$T/said.jsonl" --sent "$T/sent.jsonl" \
	--db "$PROMISE_DB" --journal "$state/inbox.jsonl" --kills "$T/kills"
status=$?
exit $status
