# tests/e2e.sh - the whole bot against the stand-in, for end-to-end tests;
# source it after lib.sh.  Fast settings: short steps, leases and waits.
#
#   bot_start [ARGS...]    bin/tgpromise in the background (--public unless
#                          ARGS say otherwise)
#   bot_stop               SIGTERM, and wait until it is gone
#   user CHAT TEXT         a user sends a message
#   sent FILE              what the bot sent so far, as JSON lines
#   until_sent SECS JQ     wait until something sent matches the jq filter

. "$TOP/tests/standin.sh"
standin_start
export HANDLER_STEP=0.1 PROMISE_BACKOFF=1s WORKER_HEARTBEAT=300ms \
	WORKER_LEASE=1500ms WORKER_WAIT=500ms OUTBOX_INTERVAL=0.3 TGPROMISE_GRACE=5

bot_start() {
	[ $# -gt 0 ] || set -- --public
	tgpromise "$@" --workers 2 2>>"$T/tgpromise.err" &
	BOT_PID=$!
}

bot_stop() {
	[ -n "${BOT_PID:-}" ] || return 0
	kill -TERM "$BOT_PID" 2>/dev/null
	wait "$BOT_PID"
	BOT_PID=
}

user() {
	ctl message "$(jq -cn --argjson c "$1" --arg t "$2" \
		'{chat_id: $c, user_id: $c, text: $t}')" >/dev/null
}

sent() { ctl_get sent >"$1"; }

_matches() { sent "$T/.sent" && [ "$(jq -s "map(select($1)) | length" "$T/.sent")" -gt 0 ]; }
until_sent() { eventually "$1" _matches "$2"; }

# The stand-in is stopped by standin.sh's exit trap; stop the bot first.
trap 'bot_stop; standin_stop; rm -rf "$T"' EXIT
