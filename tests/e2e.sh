# tests/e2e.sh - the whole bot against the stand-in, for end-to-end tests;
# source it after lib.sh.  Fast settings: short steps, leases and waits.
#
#   bot_start [ARGS...]    bin/tgpromise in the background (--public unless
#                          ARGS say otherwise)
#   bot_stop               SIGTERM, and wait until it is gone
#   user CHAT TEXT         a user sends a message
#   sent FILE              what the bot sent so far, as JSON lines (no
#                          chat actions; FILE.all has them too)
#   until_sent SECS JQ     wait until something sent matches the jq filter
#   until_quiet SECS       wait until the store has nothing left to send
#   until_status SECS N STATUS   wait until N promises have that status
#
# Every wait is for a state: until_sent blocks in the stand-in (GET
# /control/wait) until the bot sends one more message, then looks again;
# the others ask the store (promise stats, promise list: no interpreter).
# SECS is a safety net only, generous for a loaded machine.

. "$TOP/tests/standin.sh"
standin_start ${STANDIN_FLAGS:-}
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

# Messages only: the chat actions ("typing...") the stand-in also lists
# are not what these tests look at.
sent() {
	ctl_get sent >"$1.all" &&
	jq -c 'select(.method != "sendChatAction")' "$1.all" >"$1"
}

# until_sent SECS JQ: look at what was sent; if nothing matches, block
# until one more message is sent (or edited), and look again.
until_sent() {
	_end=$(($(date +%s) + $1))
	while :; do
		sent "$T/.sent" || return 1
		set -- "$1" "$2" $(jq -rs "[map(select($2)) | length,
			map(select(.method != \"sendChatAction\")) | length] | @sh" "$T/.sent")
		[ "$3" -gt 0 ] && return 0
		_left=$((_end - $(date +%s)))
		[ $_left -gt 0 ] || return 1
		ctl_wait "sent=$(($4 + 1))&timeout=$_left" >/dev/null || _left=0
		set -- "$1" "$2"
	done
}

_quiet() { [ "$(promise --json stats | jq .outbox)" = 0 ]; }
until_quiet() { eventually "$1" _quiet; }

_status_is() { [ "$(promise list --status "$2" --json | jq -s length)" -ge "$1" ]; }
until_status() { eventually "$1" _status_is "$2" "$3"; }

# The stand-in is stopped by standin.sh's exit trap; stop the bot first.
trap 'bot_stop; standin_stop; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
