#!/bin/sh
# classify --train / --model: a model is taught from labelled lines,
# deterministic, used where the rules do not speak; a bad model file is
# refused with a clear error and exit 9 (bad data).
. "$(dirname "$0")/lib.sh"
plan 66

tab=$(printf '\t')
{
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "task${tab}complex${tab}analysis${tab}true${tab}blorp the zing number $i"
		echo "chat${tab}conversation${tab}none${tab}false${tab}wibble wobble $i"
		echo "chat${tab}conversation${tab}none${tab}false${tab}fix the bug $i"
	done
	echo "command${tab}conversation${tab}none${tab}false${tab}/start"
} >mine.tsv
{
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "true${tab}zork zork, the gnomes are on it $i"
		echo "false${tab}quux the gnomes slept $i"
	done
} >replies.tsv

check 'train on a labelled file' 'classify --train mine.tsv --train replies.tsv >my.model'
check 'train again' 'classify --train mine.tsv --train replies.tsv >again.model'
compare my.model again.model 'training is deterministic: the same bytes'
printf '%s\n' 'classify-model 1' >want
head -1 my.model >got
compare want got 'a model file starts with its version'

printf '%s\n' '{"text":"blorp zing"}' '{"text":"wibble"}' '{"text":"fix the bug"}' \
	'{"text":"yes, go ahead"}' >in
cat >want <<'OUT'
{"text":"blorp zing","intent":"task","tier":"complex","task_type":"analysis","detach":true}
{"text":"wibble","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"fix the bug","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"yes, go ahead","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
OUT
check 'classify with the model' 'classify --model my.model <in >out'
compare want out 'the model answers where the rules do not, overrules them where it was taught far surer (fix the bug: chat 12 times), and the rules win where it is not'
cat >want <<'OUT'
{"text":"blorp zing","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"wibble","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"fix the bug","intent":"task","tier":"complex","task_type":"code","detach":true}
{"text":"yes, go ahead","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
OUT
check 'classify without a model' 'classify --no-model <in >out'
compare want out '--no-model: the rules alone'

printf '%s\n' '{"text":"zork zork"}' '{"text":"quux"}' "{\"text\":\"I won't zork zork.\"}" >in
cat >want <<'OUT'
{"text":"zork zork","promised":true,"promise_marker":null}
{"text":"quux","promised":false,"promise_marker":null}
{"text":"I won't zork zork.","promised":false,"promise_marker":null}
OUT
check 'classify replies with the model' 'classify --reply --model my.model <in >out'
compare want out 'replies: the model where the rules saw no commitment'

# a task whose words name no type is typed by the model, however narrow
# its lead (six of ten such lines were searches)
{
	for i in 1 2 3 4 5 6; do
		echo "task${tab}simple${tab}search${tab}false${tab}please frobnicate the glimmer $i"
	done
	for i in 1 2 3 4; do
		echo "task${tab}simple${tab}other${tab}false${tab}please frobnicate the glimmer $i"
	done
} >narrow.tsv
check 'train on a narrow lead' 'classify --train narrow.tsv >narrow.model'
printf '%s\n' '{"text":"please frobnicate the glimmer"}' '{"text":"please fix the glimmer"}' >in
cat >want <<'OUT'
{"text":"please frobnicate the glimmer","intent":"task","tier":"simple","task_type":"search","detach":false}
{"text":"please fix the glimmer","intent":"task","tier":"complex","task_type":"code","detach":true}
OUT
check 'classify with it' 'classify --model narrow.model <in >out'
compare want out 'no typed word: the type of the model, though barely likelier; a typed verb still types it'

# a statement is chat, and a cancel's phrase a cancel, the model
# overrules only when it is surer still (five taught lines make it
# about e^6.7 and e^7.4 sure: enough against an order, not against these)
{
	for i in 1 2 3 4 5; do
		echo "task${tab}simple${tab}other${tab}false${tab}the dog ate a sock"
		echo "task${tab}complex${tab}code${tab}true${tab}forget the zork fix"
		echo "chat${tab}conversation${tab}none${tab}false${tab}wibble wobble $i"
		echo "chat${tab}conversation${tab}none${tab}false${tab}wobble wibble $i"
	done
} >firm.tsv
check 'train on a statement and a cancel taught as work' 'classify --train firm.tsv >firm.model'
printf '%s\n' '{"text":"the dog ate a sock"}' '{"text":"forget the zork fix"}' >in
cat >want <<'OUT'
{"text":"the dog ate a sock","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"forget the zork fix","intent":"cancel","tier":"conversation","task_type":"none","detach":false}
OUT
check 'classify with it' 'classify --model firm.model <in >out'
compare want out 'a statement stays chat, a cancel a cancel, against a model e^7 sure'

# so is a thing shown and an explanation asked for (five taught lines
# make the model about e^7 sure of work in each)
{
	for i in 1 2 3 4 5; do
		echo "task${tab}simple${tab}search${tab}false${tab}check out this zork https://zork.example"
		echo "task${tab}simple${tab}other${tab}false${tab}explain what a zork is"
		echo "chat${tab}conversation${tab}none${tab}false${tab}wibble wobble $i"
		echo "chat${tab}conversation${tab}none${tab}false${tab}wobble wibble $i"
	done
} >share.tsv
check 'train on a link shown and an explanation taught as work' 'classify --train share.tsv >share.model'
printf '%s\n' '{"text":"check out this zork https://zork.example"}' '{"text":"explain what a zork is"}' >in
cat >want <<'OUT'
{"text":"check out this zork https://zork.example","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"explain what a zork is","intent":"chat","tier":"conversation","task_type":"none","detach":false}
OUT
check 'classify with it' 'classify --model share.model <in >out'
compare want out 'a link shown and an explanation stay chat against a model e^7 sure'

# and so is a cancel after a no ("hold on, stop the zork": three taught
# lines make the model about e^7.6 sure of work)
{
	for i in 1 2 3; do
		echo "task${tab}complex${tab}code${tab}true${tab}hold on, stop the zork"
	done
	for i in 1 2 3 4 5; do
		echo "chat${tab}conversation${tab}none${tab}false${tab}wibble wobble $i"
		echo "chat${tab}conversation${tab}none${tab}false${tab}wobble wibble $i"
	done
} >hold.tsv
check 'train on a cancel after a no taught as work' 'classify --train hold.tsv >hold.model'
echo '{"text":"hold on, stop the zork"}' >in
echo '{"text":"hold on, stop the zork","intent":"cancel","tier":"conversation","task_type":"none","detach":false}' >want
check 'classify with it' 'classify --model hold.model <in >out'
compare want out 'a cancel after a no stays a cancel against a model e^7.6 sure'

# a commitment undone ("I'll leave it") is the rules' alone: the model
# reads the words of a promise in it
{
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "true${tab}I'll zork zork, the gnomes are on it $i"
		echo "false${tab}quux the gnomes slept $i"
	done
} >undone.tsv
check 'train on promises' 'classify --train undone.tsv >undone.model'
printf '%s\n' "{\"text\":\"I'll leave zork zork.\"}" "{\"text\":\"It'll zork zork.\"}" \
	"{\"text\":\"I'll zork zork.\"}" >in
cat >want <<'OUT'
{"text":"I'll leave zork zork.","promised":false,"promise_marker":null}
{"text":"It'll zork zork.","promised":false,"promise_marker":null}
{"text":"I'll zork zork.","promised":true,"promise_marker":null}
OUT
check 'classify replies with it' 'classify --reply --model undone.model <in >out'
compare want out 'I will leave it, it will (of others) are no promise, however sure the model; I will zork is'

# the tier is the rules' where they are sure, unless the model is far
# surer the other way on whether the work detaches
{
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "task${tab}simple${tab}code${tab}false${tab}fix the kerning $i"
		echo "task${tab}complex${tab}code${tab}true${tab}tidy the module $i"
	done
} >tier.tsv
check 'train on tiers' 'classify --train tier.tsv >tier.model'
printf '%s\n' '{"text":"fix the kerning"}' '{"text":"fix the login flow"}' >in
cat >want <<'OUT'
{"text":"fix the kerning","intent":"task","tier":"simple","task_type":"code","detach":false}
{"text":"fix the login flow","intent":"task","tier":"complex","task_type":"code","detach":true}
OUT
check 'classify with it' 'classify --model tier.model <in >out'
compare want out 'a kerning fix taught simple does not detach; other fixes still do (the rules)'
cat >want <<'OUT'
{"text":"fix the kerning","intent":"task","tier":"complex","task_type":"code","detach":true}
{"text":"fix the login flow","intent":"task","tier":"complex","task_type":"code","detach":true}
OUT
check 'the rules alone' 'classify --no-model <in >out'
compare want out 'without the model a fix is complex work'

# but a scale word (contract, comprehensive) names the size: the model
# does not overrule it on whether the work detaches
{
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		echo "task${tab}simple${tab}code${tab}false${tab}fix the contract $i"
		echo "task${tab}complex${tab}code${tab}true${tab}tidy the module $i"
	done
} >tier2.tsv
check 'train on a contract taught simple' 'classify --train tier2.tsv >tier2.model'
printf '%s\n' '{"text":"fix the contract"}' >in
cat >want <<'OUT'
{"text":"fix the contract","intent":"task","tier":"complex","task_type":"code","detach":true}
OUT
check 'classify with it' 'classify --model tier2.model <in >out'
compare want out 'a scale word is not overruled on detaching'

# teaching on top of the built-in model: print it, train with it as a base
check 'the built-in model prints' 'classify --print-model >base.model'
check 'and is a base to train on' 'classify --model base.model --train mine.tsv >both.model'
printf '%s\n' '{"text":"blorp the zing"}' '{"text":"yes"}' >in
cat >want <<'OUT'
{"text":"blorp the zing","intent":"task","tier":"complex","task_type":"analysis","detach":true}
{"text":"yes","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
OUT
check 'classify with both' 'classify --model both.model <in >out'
compare want out 'the user'\''s lines teach it, the built-in rules still hold'

# the built-in model is the one `make model` trains from the sets listed
# in tests/data/training (the corpus among them, when it is here)
corpus=$TOP/../shared/corpus
if [ -r "$corpus/classify-train.tsv" ] && [ -r "$corpus/promises-train.tsv" ]; then
	train_shipped() {
		set --
		while read -r f; do
			case $f in '#'*|'') continue ;; esac
			set -- "$@" --train "$TOP/$f"
		done <"$TOP/tests/data/training"
		classify "$@"
	}
	check 'train on the shipped data' 'train_shipped >shipped.model'
	compare shipped.model base.model 'the built-in model is current (else: make model)'
else
	skip 'no corpus here'; skip 'no corpus here'
fi

# bad models: exit 9 and one line naming the file (and line)
bad() {	# NAME WANT-ERROR: the model NAME is refused with WANT-ERROR
	m=$1
	printf 'classify: %s\n' "$2" >want.err
	expect_exit 9 "refused: $m" 'classify --model "$m" </dev/null 2>err'
	compare want.err err "the error for $m"
}
head -n 4 my.model >cut.model
bad cut.model 'cut.model: truncated (no end line)'
head -c -3 my.model >short.model
bad short.model "short.model:$(wc -l <my.model | tr -d ' '): truncated (the last line has no newline)"
sed '1s/ 1$/ 2/' my.model >v2.model
bad v2.model 'v2.model: model version 2; this classify reads version 1 (train it again with classify --train)'
printf '%s\n' 'hello' >junk.model
bad junk.model "junk.model: not a classify model (no 'classify-model' line)"
{ head -n 4 my.model; printf 'f\tblorp\tintent.task=99\n'; } >over.model
bad over.model 'over.model:5: a count above its class'\''s lines'
printf 'classify-model 1\nlines intent.task=1\nf\tx\tintent.bogus=1\nend 1\n' >class.model
bad class.model 'class.model:3: unknown class'
printf 'classify-model 1\nlines intent.task=1\nf\tx\tintent.task=1\nf\tx\tintent.task=1\nend 2\n' >twice.model
bad twice.model 'twice.model:4: a feature twice'
printf 'classify-model 1\nlines intent.task=1\nend 3\n' >count.model
bad count.model 'count.model:3: the end line does not match the features'
printf 'classify-model 1\nlines intent.task=1\nf\t\377\tintent.task=1\nend 1\n' >utf.model
bad utf.model 'utf.model: not valid UTF-8 text'
printf 'classify-model 1\nlines intent.task=99999999999\nend 0\n' >big.model
bad big.model 'big.model:2: bad count'
expect_exit 2 'a missing model file is a usage error' 'classify --model nosuch.model </dev/null'

printf 'task\tsimple\tother\tfalse\tok\nchat\tsmall\tnone\tfalse\thi\n' >bad.tsv
printf '%s\n' "classify: bad.tsv:2: unknown label in 'chat'" >want.err
expect_exit 2 'a bad training line is a usage error' 'classify --train bad.tsv >out 2>err'
compare want.err err 'the error names the file and line'
printf '%s\n' 'classify: bad.tsv:1: want 5 columns (intent tier task_type detach text) or 2 (promised text), got 3' >want.err
printf 'task\tsimple\tjust three\n' >bad.tsv
expect_exit 2 'a line of 3 columns is a usage error' 'classify --train bad.tsv >out 2>err'
compare want.err err 'the error says what columns it wants'

# cross-validation never judges a line with a model that saw it: each
# line's words are its own, so only a leak could tell task from chat
for i in 1 2 3 4 5 6 7 8 9 10; do
	if [ $((i % 2)) = 0 ]; then
		printf 'task\tcomplex\tother\ttrue\t'
	else
		printf 'chat\tconversation\tnone\tfalse\t'
	fi
	echo "zqa$i zqb$i zqc$i zqd$i zqe$i zqf$i"
done >own.tsv
expect_exit 1 'cross-validate lines that share nothing' \
	'sh "$TOP/tests/classify-eval.sh" --cv 5 own.tsv >eval.out'
sed -n 2p eval.out >got
printf '%s\n' 'intent        5/10     50.0%   goal 97%   BELOW GOAL' >want
compare want got 'no better than chance: no line was judged by a model trained on it'
