# tests/standin.sh - start the Bot API stand-in for a test; source it after
# lib.sh.  It listens on a free port for the life of the test and is
# stopped at exit.
#
#   . "$TOP/tests/standin.sh"
#   standin_start                 # sets TELEGRAM_API_URL, TELEGRAM_BOT_TOKEN
#   ctl message '{"chat_id":42,"text":"hi"}'    # POST /control/message
#   ctl_get sent >sent.jsonl                    # GET /control/sent
#   ctl_wait 'sent=3&timeout=30'                # blocks until 3 were sent
#   ctl press '{"chat_id":42,"message_id":2,"button":"Cancel"}'   # a button press
#   ctl_wait 'answered=1'                       # ... and its answer
#
# ctl and ctl_get use curl, not python3 (0.35 s a start here), so they
# may run in loops; standin_start --flood keeps Telegram's flood limits.
#
# TOKEN is the bot token the stand-in accepts; tests check that it never
# appears in anything a tool prints (no_token FILE...).

TOKEN='4242424242:AAsecretTOKENfor-tests_only'

standin_start() {
	rm -f "$T/standin.port"
	python3 "$TOP/tests/botapi-standin" --token "$TOKEN" "$@" \
		--port-file "$T/standin.port" --log "$T/standin.log" \
		2>"$T/standin.err" &
	STANDIN_PID=$!
	trap 'standin_stop; rm -rf "$T"' EXIT
	_i=0
	while [ ! -s "$T/standin.port" ]; do
		_i=$((_i + 1))
		if [ $_i -gt 100 ] || ! kill -0 "$STANDIN_PID" 2>/dev/null; then
			echo "Bail out! the Bot API stand-in did not start" >&2
			cat "$T/standin.err" >&2
			exit 1
		fi
		sleep 0.1
	done
	STANDIN_PORT=$(cat "$T/standin.port")
	STANDIN="http://127.0.0.1:$STANDIN_PORT"
	TELEGRAM_API_URL=$STANDIN
	TELEGRAM_BOT_TOKEN=$TOKEN
	export TELEGRAM_API_URL TELEGRAM_BOT_TOKEN
}

standin_stop() {
	[ -n "${STANDIN_PID:-}" ] && kill "$STANDIN_PID" 2>/dev/null
	wait "$STANDIN_PID" 2>/dev/null
	STANDIN_PID=
}

# ctl WHAT [JSON]: POST to the control interface; the reply on stdout.
# An HTTP error is a failure, its reply on stdout.
ctl() {
	curl -sS --fail-with-body -H 'Content-Type: application/json' \
		--data-binary "${2:-{\}}" "$STANDIN/control/$1"
}

# ctl_get WHAT: GET from the control interface.
ctl_get() {
	curl -sS --fail-with-body "$STANDIN/control/$1"
}

# ctl_wait QUERY: blocks until the stand-in's state meets QUERY (see
# /control/wait: sent=N refused=N calls=N answered=N actions=N
# delivered=N deliveries=N webhook=1 webhooks=N chat_id=C timeout=S);
# fails on timeout.
ctl_wait() {
	curl -sS --fail-with-body --max-time 600 "$STANDIN/control/wait?$1"
}

# no_token FILE...: none of the files holds the token, in any byte.
no_token() {
	for _f; do
		if grep -F -q -e "$TOKEN" "$_f"; then
			echo "#   the token leaked into $_f" >&2
			return 1
		fi
	done
	return 0
}

