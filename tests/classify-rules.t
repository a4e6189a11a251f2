#!/bin/sh
# classify: a rules file teaches words, phrases and commands; bad rules
# are refused with their file and line.
. "$(dirname "$0")/lib.sh"
plan 10

cat >my.rules <<'RULES'
# teach some French, a command, and forget a word
confirm oui, vas-y
decline non merci
verb-code corrige
topic-code le bug
command deploy task complex code detach
command board task complex analysis
-ack sure
RULES
printf '%s\n' '{"text":"Oui"}' '{"text":"non merci"}' '{"text":"corrige le bug"}' \
	'{"text":"/deploy now"}' '{"text":"/board"}' '{"text":"sure"}' >in
cat >want <<'OUT'
{"text":"Oui","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
{"text":"non merci","intent":"decline","tier":"conversation","task_type":"none","detach":false}
{"text":"corrige le bug","intent":"task","tier":"complex","task_type":"code","detach":true}
{"text":"/deploy now","intent":"task","tier":"complex","task_type":"code","detach":true,"command":"deploy","args":["now"]}
{"text":"/board","intent":"task","tier":"complex","task_type":"analysis","detach":false,"command":"board","args":[]}
{"text":"sure","intent":"chat","tier":"conversation","task_type":"none","detach":false}
OUT
check 'a rules file loads (the rules alone)' 'classify --no-model --rules my.rules <in >out'
compare want out 'its words, commands and removals take effect'

printf '%s\n' '-confirm *' '-ack *' >none.rules
printf '%s\n' '{"text":"yes"}' '{"text":"ok"}' >in
printf '%s\n' '{"text":"yes","intent":"chat","tier":"conversation","task_type":"none","detach":false}' \
	'{"text":"ok","intent":"chat","tier":"conversation","task_type":"none","detach":false}' >want
check 'a section can be cleared' 'classify --no-model --rules none.rules <in >out'
compare want out '-SECTION * clears it'

check 'the built-in rules print' 'classify --print-rules >builtin.rules'
check 'and load back as a rules file' 'classify --rules builtin.rules </dev/null'

printf '%s\n' '# fine' 'confirm yes' 'confrim oui' >bad.rules
printf '%s\n' 'classify: bad.rules:3: unknown section '\''confrim'\' >want.err
expect_exit 2 'an unknown section is a usage error' 'classify --rules bad.rules </dev/null 2>err'
compare want.err err 'the error names the file and line'
printf '%s\n' 'command x task conversation' >bad.rules
expect_exit 2 'a task command needs a work tier' 'classify --rules bad.rules </dev/null'
expect_exit 2 'a missing rules file is a usage error' 'classify --rules nosuch.rules </dev/null'
