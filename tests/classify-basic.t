#!/bin/sh
# classify: the fields it adds, slash commands, ids, and pass-through.
. "$(dirname "$0")/lib.sh"
plan 12

cat >in <<'IN'
{"update_id":9007199254740993,"text":"Can you fix the login bug?","chat_id":-100123,"x":{"b":[1.50,"\u00e9"]}}
{"text":"yes please"}
{"text":"don't do that"}
{"text":"is the report ready yet?"}
{"text":"good morning 🙂"}
{"text":"👍"}
{"text":"research durable workflow engines in depth"}
IN
cat >want <<'OUT'
{"update_id":9007199254740993,"text":"Can you fix the login bug?","chat_id":-100123,"x":{"b":[1.50,"\u00e9"]},"intent":"task","tier":"complex","task_type":"code","detach":true}
{"text":"yes please","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
{"text":"don't do that","intent":"decline","tier":"conversation","task_type":"none","detach":false}
{"text":"is the report ready yet?","intent":"status","tier":"conversation","task_type":"none","detach":false}
{"text":"good morning 🙂","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"👍","intent":"confirm","tier":"conversation","task_type":"none","detach":false}
{"text":"research durable workflow engines in depth","intent":"task","tier":"deep","task_type":"search","detach":true}
OUT
check 'classifies good lines' 'classify <in >out'
compare want out 'fields are added after the input, which stays byte for byte'

cat >in <<'IN'
{"text":"/long-task \"Write the report\" --max-iterations 15"}
{"text":"/cancel 12"}
{"text":"/status@my_bot #4"}
{"text":"/start@other_bot"}
{"text":"/board \"a \\\"b\\\"\" 'c d' e\\ f “g h”"}
{"text":"/weird"}
{"text":"/usr/bin is a path"}
{"text":"abort task 7"}
{"text":"what's the status of job 31?"}
IN
cat >want <<'OUT'
{"text":"/long-task \"Write the report\" --max-iterations 15","intent":"task","tier":"deep","task_type":"other","detach":true,"command":"long-task","args":["Write the report","--max-iterations","15"]}
{"text":"/cancel 12","intent":"cancel","tier":"conversation","task_type":"none","detach":false,"command":"cancel","args":["12"],"target_id":12}
{"text":"/status@my_bot #4","intent":"status","tier":"conversation","task_type":"none","detach":false,"command":"status","args":["#4"],"target_id":4}
{"text":"/start@other_bot","intent":"chat","tier":"conversation","task_type":"none","detach":false,"addressed_to":"other_bot"}
{"text":"/board \"a \\\"b\\\"\" 'c d' e\\ f “g h”","intent":"task","tier":"complex","task_type":"analysis","detach":true,"command":"board","args":["a \"b\"","c d","e f","g h"]}
{"text":"/weird","intent":"command","tier":"conversation","task_type":"none","detach":false,"command":"weird","args":[]}
{"text":"/usr/bin is a path","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"text":"abort task 7","intent":"cancel","tier":"conversation","task_type":"none","detach":false,"target_id":7}
{"text":"what's the status of job 31?","intent":"status","tier":"conversation","task_type":"none","detach":false,"target_id":31}
OUT
check 'classifies commands' 'classify --bot-username @My_Bot <in >out'
compare want out 'commands: name, shell-split args, target_id, another bot'

printf '%s\n' '{"caption":"fix the flaky build","text":"hi"}' >in
printf '%s\n' '{"caption":"fix the flaky build","text":"hi","intent":"task","tier":"complex","task_type":"code","detach":true}' >want
check '--field reads another field' 'classify --field caption <in >out'
compare want out '--field: the decision follows that field'

printf '%s\n' '{"text":"/cancel 3","z":1}' '{"text":"thanks"}' >in
printf '%s\n' '{"text":"thanks","z":1,"intent":"chat","tier":"conversation","task_type":"none","detach":false}' \
	'{"text":"thanks","intent":"chat","tier":"conversation","task_type":"none","detach":false}' >want
check 'classifies twice' 'classify <in >once && jq -c ".text = \"thanks\"" once >edited && classify <edited >out'
compare want out 'a second pass replaces the fields (command, args, target_id go too)'

expect_exit 0 '--help exits 0' 'classify --help >help && [ -s help ]'
expect_exit 0 '--version exits 0' 'classify --version'
expect_exit 2 'an unknown flag exits 2' 'classify --frobnicate </dev/null'
expect_exit 2 'a stray argument exits 2' 'classify file.json </dev/null'
