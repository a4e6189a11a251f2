# tests/standin.sh - start the Bot API stand-in for a test; source it after
# lib.sh.  It listens on a free port for the life of the test and is
# stopped at exit.
#
#   . "$TOP/tests/standin.sh"
#   standin_start                 # sets TELEGRAM_API_URL, TELEGRAM_BOT_TOKEN
#   ctl message '{"chat_id":42,"text":"hi"}'    # POST /control/message
#   ctl_get sent >sent.jsonl                    # GET /control/sent
#
# TOKEN is the bot token the stand-in accepts; tests check that it never
# appears in anything a tool prints (no_token FILE...).

TOKEN='4242424242:AAsecretTOKENfor-tests_only'

standin_start() {
	rm -f "$T/standin.port"
	python3 "$TOP/tests/botapi-standin" --token "$TOKEN" \
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
ctl() {
	python3 "$TOP/tests/botapi-standin" --control "$STANDIN" "$1" "${2:-{\}}"
}

# ctl_get WHAT: GET from the control interface.
ctl_get() {
	python3 "$TOP/tests/botapi-standin" --control "$STANDIN" "$1"
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

