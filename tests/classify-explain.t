#!/bin/sh
# classify --explain: each line says how its labels were decided, the
# rules' answer and whether they were sure, the model's answer and its
# odds over the next, and which of the two won; a line classified before
# has its old "why" replaced; without --explain nothing is added.
. "$(dirname "$0")/lib.sh"
plan 10

printf '%s\n' '{"text":"fix the login bug"}' '{"text":"/jobs"}' \
	'{"text":"yes","why":"from an earlier pass"}' >in
cat >want <<'OUT'
{"text":"fix the login bug","intent":"task","tier":"complex","task_type":"code","detach":true,"why":{"intent":{"rules":"task","sure":true,"model":null,"by":"rules"},"tier":{"rules":"complex","sure":true,"model":null,"by":"rules"},"task_type":{"rules":"code","sure":true,"model":null,"by":"rules"}}}
{"text":"/jobs","intent":"status","tier":"conversation","task_type":"none","detach":false,"command":"jobs","args":[],"why":{}}
{"text":"yes","intent":"confirm","tier":"conversation","task_type":"none","detach":false,"why":{"intent":{"rules":"confirm","sure":true,"model":null,"by":"rules"}}}
OUT
check 'explain the rules alone' 'classify --no-model --explain <in >out'
compare want out 'the rules decide, the model has no say; a command has no why; an old why is replaced'

printf '%s\n' '{"text":"fix the login bug","why":"mine"}' >in
printf '%s\n' '{"text":"fix the login bug","why":"mine","intent":"task","tier":"complex","task_type":"code","detach":true}' >want
check 'without --explain' 'classify --no-model <in >out'
compare want out 'no why is added, and a why of the user'\''s own passes through'

tab=$(printf '\t')
{
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "task${tab}complex${tab}analysis${tab}true${tab}blorp the zing number $i"
		echo "chat${tab}conversation${tab}none${tab}false${tab}wibble wobble $i"
	done
} >mine.tsv
check 'train a small model' 'classify --train mine.tsv >my.model'
printf '%s\n' '{"text":"blorp zing"}' '{"text":"wibble"}' >in
check 'explain with the model' 'classify --model my.model --explain <in >out'
check 'the deciders' 'jq -r "[.intent, .why.intent.rules, .why.intent.sure, .why.intent.model, .why.intent.by, (.why.intent.odds > 3)] | join(\" \")" out >got'
cat >want <<'OUT'
task chat false task model true
chat chat false chat rules true
OUT
compare want got 'where the rules only guess, the model decides when it is sure enough'

printf '%s\n' '{"text":"ASYNC_PROMISE|on it"}' '{"text":"I will check and get back to you"}' '{"text":"Paris is the capital."}' >in
cat >want <<'OUT'
{"text":"ASYNC_PROMISE|on it","promised":true,"promise_marker":"ASYNC_PROMISE","promise_text":"on it","why":{"promised":{"rules":true,"sure":true,"model":null,"by":"rules"}}}
{"text":"I will check and get back to you","promised":true,"promise_marker":null,"why":{"promised":{"rules":true,"sure":true,"model":null,"by":"rules"}}}
{"text":"Paris is the capital.","promised":false,"promise_marker":null,"why":{"promised":{"rules":false,"sure":false,"model":null,"by":"rules"}}}
OUT
check 'explain replies' 'classify --reply --no-model --explain <in >out'
compare want out 'a marker or a commitment: the rules, sure; nothing they know: a guess'
