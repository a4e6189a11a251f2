# tests/longrun.sh - shared by tests/chaos.sh and tests/faults.sh: the
# whole bot against the stand-in for minutes, a steady stream of users,
# and the final reckoning by tests/pipeline-check.  Source it after
# lib.sh, with NAME (for messages) set.
#
#   bot_up WORKERS        bin/tgpromise --public in the background
#   users_start SECS GAP  one message every GAP seconds for SECS seconds
#   users_stop
#   settle SECS           wait until everything said has been dealt with
#   reckon [ARGS...]      stop the bot and run tests/pipeline-check
#
# The work directory $T is kept when the run fails or LONGRUN_KEEP=1.
. "$TOP/tests/standin.sh"
export HANDLER_STEP=0.2 PROMISE_BACKOFF=1s WORKER_HEARTBEAT=1s \
	WORKER_LEASE=4s WORKER_WAIT=1s OUTBOX_INTERVAL=0.5 TGPROMISE_GRACE=5
SEED=${SEED:-$$}
USERS=${USERS:-40}
STATE=$XDG_STATE_HOME/tgpromise

say() { echo "$NAME: $*" >&2; }
now() { date +%s.%N | cut -c1-14; }

BOT_PID= FEED_PID= HELPERS=
finish() {
	for p in $HELPERS $FEED_PID; do kill "$p" 2>/dev/null; done
	[ -n "$BOT_PID" ] && kill -TERM "$BOT_PID" 2>/dev/null && wait "$BOT_PID"
	standin_stop
	if [ "${LONGRUN_KEEP:-0}" = 1 ] || [ "${status:-1}" != 0 ]; then
		say "work directory kept: $T"
	else
		rm -rf "$T"
	fi
}
bot_up() {
	# After standin_start, whose own trap this replaces.
	trap finish EXIT
	trap 'exit 130' INT TERM
	tgpromise --public --workers "$1" 2>>"$T/tgpromise.err" &
	BOT_PID=$!
}

# The users: one message every GAP seconds from one of USERS chats; six
# in ten ask for a task ("fix the ...", which pipeline-check knows), the
# others chat.  One shell loop, so that killing it stops it.
users_start() {
	awk -v seed="$SEED" -v users="$USERS" -v n="$(awk -v t="$1" -v g="$2" \
		'BEGIN { print int(t / g) + 1 }')" 'BEGIN { srand(seed)
		for (i = 1; i <= n; i++) {
			c = 70000 + int(rand() * users)
			if (rand() < 0.6) t = "fix the login bug number " i
			else t = "hello there, message " i
			printf "{\"chat_id\":%d,\"user_id\":%d,\"text\":\"%s\"}\n", c, c, t
		} }' >"$T/messages"
	_gap=$2
	while IFS= read -r m; do
		ctl message "$m" >/dev/null || say "could not inject a message"
		sleep "$_gap"
	done <"$T/messages" &
	FEED_PID=$!
}
users_stop() {
	kill "$FEED_PID" 2>/dev/null
	wait "$FEED_PID" 2>/dev/null
	FEED_PID=
}

# Settled: Telegram holds no update, the router has handled every line of
# the journal, no promise is open and no notice waits (asked of stats:
# "promise outbox" would hand the notices out, stealing them from the
# sender).
_settled() {
	ctl_get state >"$T/standin-state" &&
	[ "$(jq '.pending | length' "$T/standin-state")" = 0 ] &&
	_handled=0 && { read -r _handled <"$STATE/inbox.cursor"; } 2>/dev/null &&
	[ "$_handled" = "$(wc -l <"$STATE/inbox.jsonl")" ] &&
	[ -z "$(promise list --status offered,pending,running --limit 1)" ] &&
	promise stats >"$T/stats" && grep -qx 'outbox  *0' "$T/stats"
}
settle() {
	_t0=$(date +%s)
	if eventually "$1" _settled; then
		SETTLED_IN=$(($(date +%s) - _t0))
		return 0
	fi
	SETTLED_IN=
	say "not settled after ${1}s"
	return 1
}

reckon() {
	kill -TERM "$BOT_PID" && wait "$BOT_PID"
	BOT_PID=
	ctl_get said >"$T/said.jsonl"
	ctl_get sent >"$T/sent.jsonl"
	python3 "$TOP/tests/pipeline-check" --said "$T/said.jsonl" --sent "$T/sent.jsonl" \
		--db "$PROMISE_DB" --journal "$STATE/inbox.jsonl" "$@"
}
