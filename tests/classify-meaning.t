#!/bin/sh
# classify generalizes by meaning, the rules alone (--no-model): request
# forms and WordNet's verbs make tasks whatever the verb, quick sums and
# live questions are simple tasks, a payload after ": " does not size
# the task; without WordNet, unlisted verbs are left alone.
. "$(dirname "$0")/lib.sh"
plan 4

cat >in <<'IN'
{"text":"could you tidy up the readme?"}
{"text":"can u wire the logger into the api"}
{"text":"tidy up the readme"}
{"text":"vet these three vendors"}
{"text":"love this song"}
{"text":"fair enough"}
{"text":"open the ticket for it"}
{"text":"do you have feelings?"}
{"text":"what's 15% of 240?"}
{"text":"how much is 250 GBP in yen?"}
{"text":"when does the supermarket close today?"}
{"text":"summarize this: we will migrate every service to the new cluster over the next weeks, one by one"}
IN
cat >want <<'OUT'
{"text":"could you tidy up the readme?","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"can u wire the logger into the api","intent":"task","tier":"simple","task_type":"code","detach":false}
{"text":"tidy up the readme","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"vet these three vendors","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"love this song","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"fair enough","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"open the ticket for it","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"do you have feelings?","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"what's 15% of 240?","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"how much is 250 GBP in yen?","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"when does the supermarket close today?","intent":"task","tier":"simple","task_type":"other","detach":false}
{"text":"summarize this: we will migrate every service to the new cluster over the next weeks, one by one","intent":"task","tier":"simple","task_type":"analysis","detach":false}
OUT
check 'classify by the rules' 'classify --no-model <in >out'
compare want out 'request forms, WordNet verbs, sums, live questions, payloads'

printf '%s\n' '{"text":"tidy up the readme"}' '{"text":"could you tidy up the readme?"}' >in
cat >want <<'OUT'
{"text":"tidy up the readme","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"could you tidy up the readme?","intent":"task","tier":"simple","task_type":"other","detach":false}
OUT
check 'classify without WordNet' 'WNSEARCHDIR=$T/none classify --no-model <in >out'
compare want out 'without WordNet an unlisted verb is not a task; a request form still is'

