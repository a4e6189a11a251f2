#!/bin/sh
# promise route and promise reply: each message becomes its state change
# and its reply, in one transaction; the asker's promises only; a line
# replayed changes nothing twice; every line goes on, counted.
. "$(dirname "$0")/lib.sh"
export PROMISE_BACKOFF=0

# msg UPDATE CHAT USER TEXT: a classified message line, as tgpoll and
# classify print it (the message id is the update's).
msg() {
	jq -cn --argjson u "$1" --argjson c "$2" --argjson f "$3" --arg t "$4" \
		'{update_id: $u, chat_id: $c, user_id: $f, message_id: $u, text: $t}' |
	classify
}
# route: the lines on stdin through promise route, the output kept
route() { promise route >routed 2>route.err; }
# said: every notice queued, in order: kind, chat, reply_to, promise, text
said() {
	sqlite3 -separator ' | ' "$PROMISE_DB" \
		"SELECT kind, chat_id, coalesce(reply_to, '-'), coalesce(promise_id, '-'),
		        replace(coalesce(text, '(written when sent)'), char(10), '\n')
		 FROM notices ORDER BY id" >said.got
}

# a task: the promise and its acknowledgement, replying to the request
msg 1 5 5 'please fix the login bug in the app' >in
check 'a task is routed' route '<in'
jq -r .routed routed >got
echo task >want
compare want got 'the line goes on, marked "routed": "task"'
said
echo '(ack) 5 1 1 Started #1 — I will message you when it is done.' |
	sed 's/^(ack)/ack |/; s/ 5 1 1 / 5 | 1 | 1 | /' >want
compare want said.got 'its acknowledgement is queued with it'
check 'the same update again' route '<in'
said
compare want said.got 'changes nothing: no second promise, no second acknowledgement'

# status, and status of #N whatever its state
{ msg 2 5 5 /jobs; msg 3 5 5 '/status 1'; msg 4 5 5 '/status 99'; } >in
check 'status questions' route '<in'
said
tail -n 3 said.got >got
cat >want <<'E'
reply | 5 | 2 | - | Your open tasks:\n#1 pending — please fix the login bug in the app
reply | 5 | 3 | 1 | #1 is queued: "please fix the login bug in the app"
reply | 5 | 4 | - | There is no task #99 of yours here.
E
compare want got 'the asker hears about their tasks, and about #N by number'

# a group: members see and cancel only their own
{ msg 10 -100 7 'please analyze the sales numbers for March'
  msg 11 -100 8 '/jobs'
  msg 12 -100 8 '/cancel 2'
  msg 13 -100 7 '/cancel 2'; } >in
check 'a group' route '<in'
said
tail -n 6 said.got | cut -d'|' -f1,3,5 >got
cat >want <<'E'
ack | 10 | Started #2 — I will message you when it is done.
reply | 11 | Nothing open right now.
reply | 12 | There is no task #2 of yours here.
reply | 13 | Cancelling #2.
cancelled | 10 | (written when sent)
edit | - | (written when sent)
E
compare want got "another member's task is not theirs to see or cancel; the reply comes before the follow-up, then the acknowledgement's edit"
check 'it is cancelled' 'promise show 2 --json >p2'
jq -r .status p2 >got
echo cancelled >want
compare want got "by its own asker only"

# offers: yes and no to the asker's latest offer; "yes" with none says so
{ msg 20 6 6 'refactor the payment module and add tests'
  msg 21 6 6 yes
  msg 22 6 6 yes; } >in
check 'offers' 'promise route --offers <in >routed'
said
tail -n 4 said.got | cut -d'|' -f1,3,5 >got
cat >want <<'E'
offer | 20 | This might take a while. Shall I work on #3 in the background, and message you when it is done? "refactor the payment module and add tests"
edit | - | This might take a while. Shall I work on #3 in the background, and message you when it is done? "refactor the payment module and add tests"\n\n✓ Yes
ack | 20 | Started #3 — I will message you when it is done.
reply | 22 | There is nothing waiting for a yes.
E
compare want got 'yes takes the buttons off the offer and starts it with an acknowledgement; another yes is told there is nothing'

# the limit: the user is told, nothing is recorded
{ msg 30 9 9 'please fix bug one in the parser'
  msg 31 9 9 'please fix bug two in the parser'; } >in
check 'over the chat limit' 'promise route --max-open 1 <in >routed 2>route.err'
said
tail -n 1 said.got | cut -d'|' -f1,5 >got
echo 'reply | I have too many open tasks in this chat; try again when some of them finish.' >want
compare want got 'the second request is refused, and the user hears why'
promise list --chat 9 >got
ok 'only one promise in chat 9' [ "$(wc -l <got)" = 1 ]

# retry, and a line that is not JSON passes as it came
promise cancel 1 >/dev/null
{ msg 40 5 5 '/retry 1'; echo 'not json'; msg 41 5 5 'hello there'; } >in
check 'retry, junk and chat' route '<in'
sed -n 2p routed >got
echo 'not json' >want
compare want got 'a bad line goes on as it came, so the count of lines holds'
jq -r '.routed // "-"' routed 2>/dev/null | head -1 >got
echo retry >want
compare want got 'retry is routed'
sed -n 3p routed | jq -r '.routed // "none"' >got
echo none >want
compare want got 'chat is left for the answer stage'

# reply: answers, the promises they make, and the truth when one cannot be kept
printf '%s\n' \
	'{"update_id":50,"chat_id":11,"user_id":11,"message_id":50,"text":"I will look into it and get back to you.","request":"send me the report","promised":true}' \
	'{"update_id":51,"chat_id":11,"user_id":11,"message_id":51,"text":"Hi!","promised":false}' \
	'{"update_id":52,"chat_id":11,"routed":"status","text":"/jobs"}' \
	'nonsense' \
	'{"update_id":53,"chat_id":11,"user_id":11,"message_id":53,"text":"I will get back to you on that.","request":"and the other report","promised":true}' >answers
check 'reply --jsonl' 'PROMISE_MAX_OPEN=1 promise reply --jsonl --cursor cursor <answers 2>reply.err'
said
tail -n 3 said.got | cut -d'|' -f1,3,5 >got
cat >want <<'E'
answer | 50 | I will look into it and get back to you.
answer | 51 | Hi!
answer | 53 | I will get back to you on that.\n\n(I cannot take on more work in this chat right now, so I will not be able to get back to you on this. Please ask again later.)
E
compare want got 'answers queued; a promise that cannot be kept is not made'
cut -d'|' -f1,2 want >want2
promise list --chat 11 --json | jq -r .text >got
echo 'send me the report' >want
compare want got 'the promise an answer made is kept, with the request as its text'
read -r n <cursor
ok 'every line is counted, the bad one too' [ "$n" = 5 ]
check 'the same answers again' 'PROMISE_MAX_OPEN=1 promise reply --jsonl --cursor cursor <answers 2>reply.err'
said
tail -n 3 said.got | cut -d'|' -f1,3 >got2
compare want2 got2 'a replay queues no answer twice'
read -r n <cursor
ok 'and the count goes on' [ "$n" = 10 ]

expect_exit 2 'route takes no arguments' 'promise route extra'
expect_exit 2 'reply needs a chat' 'promise reply hello'
done_testing
