#!/bin/sh
# promise: the life of a promise through the command line, and the
# readable and JSON shapes of its output.
. "$(dirname "$0")/lib.sh"

check 'add prints the new id' 'promise add --chat 7 --reply-to 42 fix the bug >add1'
printf '1\n' >want
compare want add1 'the first id is 1'

check 'add --json prints the promise' \
	'promise add --json --chat 7 --type code --priority 2 --timeout 90s --retries 4 --meta "{\"a\":1}" write docs >add2'
jq -c '{id,status,chat_id,text,task_type,priority,timeout_ms,max_attempts,meta,after}' add2 >got
printf '%s\n' '{"id":2,"status":"pending","chat_id":7,"text":"write docs","task_type":"code","priority":2,"timeout_ms":90000,"max_attempts":5,"meta":{"a":1},"after":[]}' >want
compare want got 'with the fields it was given'

check 'list shows both, newest first' 'promise list >list'
cat >want <<'E'
2      pending    2 code     0/5 write docs
1      pending    5 -        0/3 fix the bug
E
compare want list 'list lines: id status priority type attempts text'

check 'claim takes the most urgent' 'promise claim --json --worker w1 --lease 1m >claim'
jq -c '{id,status,attempt,worker,timeout_ms,text,task_type,chat_id,reply_to,thread_id}' claim >got
printf '%s\n' '{"id":2,"status":"running","attempt":1,"worker":"w1","timeout_ms":90000,"text":"write docs","task_type":"code","chat_id":7,"reply_to":null,"thread_id":null}' >want
compare want got 'claim --json carries the contract fields'

check 'the next claim gets the other' 'promise claim --worker w2 >claim2'
printf '1      running    5 -        1/3 fix the bug\n' >want
compare want claim2 'claim prints a list line'
expect_exit 1 'nothing left to claim: exit 1' 'promise claim --worker w3'

check 'heartbeat with progress' 'promise heartbeat 2 --worker w1 --attempt 1 --progress 40 --note halfway'
check 'done with a result' 'promise done 2 --worker w1 --attempt 1 --result "docs written" >done'
printf '2      done       2 code     1/5 write docs\n' >want
compare want done 'done prints the promise as it now is'
check 'done reads the result from stdin' 'echo "fixed in abc123" | promise done 1 --worker w2'

check 'show lists every attempt' 'promise show --json 2 >show'
jq -c '{status,result,progress,progress_note,n:(.attempts|length),a:.attempts[0].outcome,w:.attempts[0].worker}' show >got
printf '%s\n' '{"status":"done","result":"docs written","progress":40,"progress_note":"halfway","n":1,"a":"done","w":"w1"}' >want
compare want got 'show --json has the attempts'

check 'outbox hands out a notice' 'promise outbox --json --lease 0 >ob'
jq -c '{ref,id,kind,chat_id,reply_to,text,urgency}' ob >got
cat >want <<'E'
{"ref":1,"id":2,"kind":"done","chat_id":7,"reply_to":null,"text":"Done: \"write docs\" (#2)\n\ndocs written","urgency":1}
E
compare want got 'the first of the chat, in the order they ended, naming the request, carrying the result'
check 'a template changes the wording (a lease of 0 hands it out again)' \
	'promise outbox --json --lease 0 --template "done=#{id} {kind}: {result} ({request})" >ob2'
jq -r .text ob2 >got
printf '#2 done: docs written (write docs)\n' >want
compare want got 'placeholders expanded'
check 'so does the environment' \
	'PROMISE_TEMPLATE_DONE="ok {id}" promise outbox --lease 0 >ob3'
printf '1      done      chat 7: ok 2\n' >want
compare want ob3 'readable outbox line'
check 'handed out for 10 minutes by default' 'promise outbox >/dev/null'
expect_exit 1 "the chat's next waits for the receipt of the one out" 'promise outbox'

check 'notified marks delivered' \
	'echo "{\"ref\":1,\"ok\":true,\"message_ids\":[500]}" | promise notified'
check 'then the next notice of the chat goes' 'promise outbox --json >ob4'
jq -c '{ref,id,reply_to}' ob4 >got
echo '{"ref":2,"id":1,"reply_to":42}' >want
compare want got 'the follow-up of #1, replying to its request'
check 'a temporary failure' \
	'echo "{\"ref\":2,\"ok\":false,\"error\":\"Too Many Requests\"}" | promise notified'
expect_exit 1 'waits a backoff before it goes again' 'promise outbox'
check 'show says so' 'promise show 1 >show'
sed -n 's/^notice/notice/p' show >got
echo 'notice 2: done waiting: Too Many Requests' >want
compare want got 'the notice waits, with the reason'
check 'a permanent failure stops retries' \
	'echo "{\"ref\":2,\"ok\":false,\"permanent\":true,\"error\":\"Forbidden: bot was blocked by the user\"}" | promise notified'
check 'show --json' 'promise show 1 --json >show.json'
jq -c '.notices | map({ref,kind,state,error})' show.json >got
echo '[{"ref":2,"kind":"done","state":"gave up","error":"Forbidden: bot was blocked by the user"}]' >want
compare want got 'the notice gave up, and why'
expect_exit 1 'an empty outbox exits 1' 'promise outbox'

check 'stats counts by status' 'promise stats --json >stats'
jq -c '{pending,running,done,outbox}' stats >got
printf '%s\n' '{"pending":0,"running":0,"done":2,"outbox":0}' >want
compare want got 'two done, nothing to send'

check 'gc keeps recent promises' 'promise gc --older-than 1h >gc'
printf '0 promises deleted\n' >want
compare want gc 'nothing is old enough'
check 'gc --older-than 0 deletes ended ones' 'sleep 0.01; promise gc --older-than 0 >gc'
printf '2 promises deleted\n' >want
compare want gc 'both delivered promises went'

# meta: merged, as the router keeps its acknowledgement's message id
check 'meta merges into meta' 'promise add --meta "{\"a\":1}" with meta >mid &&
	promise meta "$(cat mid)" "{\"ack_message_id\":77}" --json >meta'
jq -c .meta meta >got
printf '%s\n' '{"a":1,"ack_message_id":77}' >want
compare want got 'the new key joins the old'
expect_exit 2 'meta wants an object' 'promise meta "$(cat mid)" "[1]"'
expect_exit 6 'meta of an unknown id' 'promise meta 99 "{}"'

# --jsonl with options: defaults for every line, which a line overrides
printf '%s\n' '{"text":"o1","chat_id":9}' '{"text":"o2","chat_id":9,"offer":false,"task_type":"search"}' >lines
check 'add --jsonl --offer --type code' 'promise add --jsonl --offer --type code <lines >offers'
jq -c '{text,status,task_type}' offers >got
cat >want <<'E'
{"text":"o1","status":"offered","task_type":"code"}
{"text":"o2","status":"pending","task_type":"search"}
E
compare want got 'options are defaults, lines override'
expect_exit 2 'ids do not go with --jsonl' 'promise add --jsonl --chat 5 </dev/null'

check '--help prints usage on stdout' 'promise --help >help'
ok 'usage names the verbs' test -s help
# Tidy: every form starts "promise VERB", continuations line up, nothing
# runs past 80 columns.
awk 'length > 80 { print "too long: " $0 }
     NR > 1 && !/^       promise [a-z]/ && !/^                   [[]/ &&
     !/^Every verb/ { print "out of line: " $0 }' help >untidy
: >want
compare want untidy 'the usage is tidy'
check 'add --help' 'promise add --help >help'
cat >want <<'E'
usage: promise [--db PATH] [--json] VERB ...
       promise add [--chat ID] [--reply-to MSG] [--user ID] [--username NAME]
                   [--thread ID] [--type TYPE] [--priority 1..10] [--key KEY]
                   [--after ID,...] [--delay DUR | --at TIME] [--timeout DUR]
                   [--retries N] [--expires DUR] [--max-open N] [--meta JSON]
                   [--offer] [--ack] TEXT...
       promise add --jsonl [--strict] [--offer] [--type T] [--priority N]
                   [--timeout DUR] [--retries N] [--max-open N] [--expires DUR]
                   [--ack]
E
compare want help 'both forms of add, each with "promise"'
check '--version' 'promise --version >ver'
expect_exit 2 'an unknown verb is a usage error' 'promise frobnicate'
expect_exit 2 'an unknown option is a usage error' 'promise list --bogus'
err >got
printf 'promise: unknown option '\''--bogus'\''\n' >want
head -1 got >got1
compare want got1 'saying which option'
expect_exit 2 'a missing value is a usage error' 'promise claim --lease'
expect_exit 2 'add without text' 'promise add --chat 1'
expect_exit 2 'priority out of range' 'promise add --priority 11 x'
done_testing
