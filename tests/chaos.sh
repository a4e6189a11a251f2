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
#   CHAOS_SEED (the random seed), LONGRUN_KEEP=1 keeps the work directory.
. "$(dirname "$0")/lib.sh"
NAME=chaos SEED=${CHAOS_SEED:-$$} USERS=${CHAOS_USERS:-40}
. "$TOP/tests/longrun.sh"
TIME=${CHAOS_TIME:-180}
EVERY=${CHAOS_EVERY:-3}
GAP=${CHAOS_GAP:-0.7}
WORKERS=${CHAOS_WORKERS:-3}
SETTLE=${CHAOS_SETTLE:-180}
TARGETS=${CHAOS_TARGETS:-poller classifier router worker runjob outbox notify promise}

standin_start
bot_up "$WORKERS"

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
exit $status
