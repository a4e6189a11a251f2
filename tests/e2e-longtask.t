#!/bin/sh
# /long-task through the whole bot: the long-task handler runs again and
# again until it says COMPLETE, within the bounds the user gave.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e.sh"
plan 4

bot_start
user 4001 '/long-task "Write the report" --max-iterations 5'
check 'the long task is acknowledged and later done' \
	'until_sent 10 ".text | test(\"^Started #1 \")" &&
	 until_sent 30 ".text | test(\"^Done: \\\"Write the report\\\" \\\\(#1\\\\)\")"'
promise show 1 --json >p
jq -c '{text, task_type, status, attempt, meta: (.meta | {until, max_iterations})}' p >got
printf '%s\n' '{"text":"Write the report","task_type":"long-task","status":"done","attempt":1,"meta":{"until":"COMPLETE","max_iterations":5}}' >want
compare want got 'a long-task promise with the loop bounds in its meta'
jq -r .result p >got
printf 'wrote chunk 3 of 3\nCOMPLETE\n\n' >want
compare want got 'it ran until the handler said COMPLETE'
sent all
jq -r 'select(.method == "sendMessage") | .text | split("\n")[0]' all >got
printf '%s\n' 'Started #1 — I will message you when it is done.' \
	'Done: "Write the report" (#1)' >want
compare want got 'one acknowledgement, one follow-up'
