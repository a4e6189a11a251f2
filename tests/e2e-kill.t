#!/bin/sh
# Supervision that holds: kill -9 any process of a running bot, one of the
# wrapper's own keepers included, and the bot answers the next message,
# with one copy of each component in the process table; kill -9 the
# wrapper and nothing of the bot is left; SIGTERM and nothing is left, and
# the task in hand is released, not failed.
#
# The bot's processes are found by a marker in their environment, given
# to the wrapper alone (never to this script's own helpers); waits are
# for states, polled with curl and ps, never an interpreter.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e.sh"
MARK=tgpkill-$$
WORKERS=2
HANDLER_STEP=1	# tasks long enough to be killed in the middle

# bot: the wrapper, marked.
bot() {
	BOT_MARK=$MARK tgpromise --public --workers $WORKERS 2>>"$T/tgpromise.err" &
	BOT_PID=$!
}

# procs: "pid ppid stat comm args" of every live process of the bot.
procs() {
	_pids=$(grep -lzx "BOT_MARK=$MARK" /proc/[0-9]*/environ 2>/dev/null |
		sed 's|/proc/||; s|/environ||' | tr '\n' ,)
	: >"$T/procs"
	[ -n "$_pids" ] || return 0
	ps -o pid=,ppid=,stat=,comm=,args= -p "${_pids%,}" |
		awk '$3 !~ /^Z/' >"$T/procs"
}
# The router's promise route and the sender's promise outbox --follow.
_kind_awk() {
	case $1 in
	route) awk '$4 == "promise" && $6 == "route"' "$2" ;;
	sender) awk '$4 == "promise" && $6 == "outbox" && $7 == "--follow"' "$2" ;;
	esac
}
# count KIND: how many processes of that kind the bot runs (after procs).
count() {
	case $1 in
	keeper) awk '$4 ~ /^keep:/' "$T/procs" ;;
	route|sender) _kind_awk "$1" "$T/procs" ;;
	router) awk '$4 == "tgpromise" && $3 ~ /s/ && $7 == "--feed" && $8 == "router"' "$T/procs" ;;
	*) awk -v c="$1" -v bot="$BOT_PID" '$4 == c && $1 != bot' "$T/procs" ;;
	esac | wc -l
}
# pid_of KIND: one process of that kind.
pid_of() {
	case $1 in
	keep:*) awk -v c="$1" '$4 == c { print $1; exit }' "$T/procs" ;;
	route|sender) _kind_awk "$1" "$T/procs" | awk '{ print $1; exit }' ;;
	router) awk '$4 == "tgpromise" && $3 ~ /s/ && $7 == "--feed" { print $1; exit }' "$T/procs" ;;
	# (the wrapper itself is a runjob now: not this kind)
	*) awk -v c="$1" -v bot="$BOT_PID" '$4 == c && $1 != bot { print $1; exit }' "$T/procs" ;;
	esac
}
# healthy: each component once, under its one keeper.
healthy() {
	procs
	[ "$(count keeper)" = $((WORKERS + 3)) ] && [ "$(count tgpoll)" = 1 ] &&
	[ "$(count router)" = 1 ] && [ "$(count tail)" = 1 ] &&
	[ "$(count classify)" = 2 ] && [ "$(count route)" = 1 ] &&
	[ "$(count sender)" = 1 ] && [ "$(count notify)" = 1 ] &&
	[ "$(count worker)" -ge $WORKERS ]
}
nothing_left() { procs; [ ! -s "$T/procs" ]; }

say_() {	# CHAT TEXT: a user message, through the control API
	curl -sf -H 'Content-Type: application/json' -d "$(jq -cn \
		--argjson c "$1" --arg t "$2" '{chat_id: $c, user_id: $c, text: $t}')" \
		"$STANDIN/control/message" >/dev/null
}
# answers TEXT: how many replies the bot sent "You said: TEXT" (curl, jq).
answers() {
	curl -sf "$STANDIN/control/sent" >"$T/sent" &&
	jq -s --arg t "You said: $1" 'map(select(.text == $t)) | length' "$T/sent"
}
answered() { [ "$(answers "$1")" -ge 1 ]; }
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.Z' "/proc/$1/status" 2>/dev/null; }

KINDS="keep:poller keep:router keep:worker1 keep:sender tgpoll router tail
classify route jq worker sender notify runjob"
set -- $KINDS
plan $(($# * 3 + 11))

bot
ok 'the bot comes up: each component once' eventually 60 healthy
say_ 500 'hello first'
ok 'and answers' eventually 30 answered 'hello first'

has_runjob() { procs; [ "$(count runjob)" -ge 1 ]; }
n=0
for kind in $KINDS; do
	n=$((n + 1))
	procs
	if [ "$kind" = runjob ]; then
		# A task in hand (8 steps), so that there is a runjob to kill.
		say_ 501 'refactor the login code'
		eventually 60 has_runjob
	fi
	victim=$(pid_of "$kind")
	ok "kill -9 $kind: there is one to kill" [ -n "$victim" ]
	kill -KILL "$victim" 2>/dev/null
	eventually 30 gone "$victim"
	# A filter upstream of a killed one lives on until it next writes:
	# the next message ends that pipeline, which starts again and routes
	# the message from the journal.  So the message first, then the count.
	say_ $((600 + n)) "hello after $kind"
	ok "after $kind: the next message is answered" eventually 60 answered "hello after $kind"
	if eventually 60 healthy; then
		ok "after $kind: one of each component again" true
	else
		ok "after $kind: one of each component again" false
		sed 's/^/#   /' "$T/procs" >&2
	fi
done
for kind in $KINDS; do
	answers "hello after $kind"
done >got
for kind in $KINDS; do echo 1; done >want
compare want got 'no answer was sent twice'

# The wrapper dies: nothing of the bot is left, and a new one starts clean.
kill -KILL "$BOT_PID"
wait "$BOT_PID" 2>/dev/null
ok 'kill -9 the wrapper: nothing of the bot is left' eventually 30 nothing_left
[ -s "$T/procs" ] && sed 's/^/#   /' "$T/procs" >&2
bot
ok 'a new bot comes up with one poller' eventually 60 healthy
say_ 700 'hello again'
ok 'and answers' eventually 60 answered 'hello again'

# SIGTERM with a task running: all gone when the wrapper has exited, and
# the task was released, not failed.
running() {
	promise list --status running --json >running 2>/dev/null &&
	jq -r 'select(.text == "refactor the billing code") | .id' running >id &&
	[ -s id ]
}
say_ 800 'refactor the billing code'
eventually 60 running
id=$(cat id)
ok 'a task is running' [ -n "$id" ]
kill -TERM "$BOT_PID"
wait "$BOT_PID"
ok 'SIGTERM: the wrapper exits 0' [ $? = 0 ]
procs
compare /dev/null "$T/procs" 'SIGTERM: nothing of the bot is left once it has exited'
promise show --json "$id" >shown
jq -c '{status, attempt, max_attempts, error}' shown >got
echo '{"status":"pending","attempt":1,"max_attempts":4,"error":null}' >want
compare want got 'the task in hand was released, not failed'
promise show "$id" | sed -n 's/^attempt 1: .*Z  //p' >got
echo 'released: the worker was stopped' >want
compare want got 'its attempt ended "released"'
BOT_PID=
