#!/bin/sh
# promise: bad input of every kind gets one clear line and the
# documented exit status; nothing is lost or half-written.
. "$(dirname "$0")/lib.sh"

# --jsonl: malformed lines are reported with their number and skipped.
cat >in <<'E'
{"text":"good one","chat_id":1,"update_id":100}
not json at all
{"chat_id":1}
{"text":"bad priority","priority":99}
{"text":"bad chat","chat_id":"abc"}
["an", "array"]
{"text":"good two","chat_id":1,"message_id":7,"update_id":101,"intent":"task"}
E
check 'add --jsonl skips bad lines' 'promise add --jsonl <in >out 2>errs'
cat >want <<'E'
promise: <stdin>:2: not valid JSON
promise: <stdin>:3: no "text" to promise
promise: <stdin>:4: "priority" is not from 1 to 10
promise: <stdin>:5: "chat_id" is not an integer
promise: <stdin>:6: not a JSON object
E
compare want errs 'each bad line named by number'
jq -c '{id,key,text,reply_to,intent,update_id,duplicate}' out >got
cat >want <<'E'
{"id":1,"key":"update:100","text":"good one","reply_to":null,"intent":null,"update_id":100,"duplicate":null}
{"id":2,"key":"update:101","text":"good two","reply_to":7,"intent":"task","update_id":101,"duplicate":null}
E
compare want got 'good lines stored; other fields pass through; keys from update_id'
check 'the same updates again' 'promise add --jsonl <in >out2 2>/dev/null'
jq -c '{id,duplicate}' out2 >got
cat >want <<'E'
{"id":1,"duplicate":true}
{"id":2,"duplicate":true}
E
compare want got 'create nothing twice'
check 'add --key twice' 'promise add --key k1 x >k1 && promise add --key k1 y >k2'
compare k1 k2 'the second add names the first promise'
expect_exit 9 '--strict stops at the first bad line' 'promise add --jsonl --strict <in'

# A line the store refuses: one line on stderr, its number and the reason.
cat >in <<'E'
{"text":"fits","chat_id":2}
{"text":"over the limit","chat_id":2}
{"text":"waits for nothing","after":[999]}
{"text":"fits too","chat_id":3}
E
expect_exit 5 'add --jsonl with refused lines: exit 5' \
	'promise --db refused.db add --jsonl --max-open 1 <in >out 2>errs'
cat >want <<'E'
promise: <stdin>:2: not added: chat 2 already has 1 open promises (the limit)
promise: <stdin>:3: not added: no promise #999 to wait for
E
compare want errs 'each refusal in one line, with its number and reason'
jq -r .text out >got
printf 'fits\nfits too\n' >want
compare want got 'the other lines are added'

# settle: runjob's result lines
check 'add and claim three' 'for t in a b c; do promise add --type s --retries 0 $t >/dev/null; done &&
	promise claim --type s --json --worker W >c1 && promise claim --type s --json --worker W >c2 && promise claim --type s --json --worker W >c3'
jq -c '. + {exit: 0, output: "all good", timed_out: false}' c1 >results
jq -c '. + {exit: 2, output: "line one\nsyntax error", timed_out: false}' c2 >>results
jq -c '. + {exit: null, signal: 9, timed_out: true, output: ""}' c3 >>results
echo '{"no":"id"}' >>results
check 'settle applies each' 'promise settle --json <results >settled 2>serr'
jq -c '{id,settled,status,result,error}' settled >got
cat >want <<'E'
{"id":4,"settled":"done","status":"done","result":"all good","error":null}
{"id":5,"settled":"failed","status":"failed","result":null,"error":"exited with status 2: line one\nsyntax error"}
{"id":6,"settled":"failed","status":"failed","result":null,"error":"timed out"}
E
compare want got 'done, failed with the output, timed out'
printf 'promise: <stdin>:4: no promise "id"\n' >want
compare want serr 'a line without an id is reported'
expect_exit 4 'settling again is refused (exit 4)' 'promise settle <results'

# notified: receipts
printf '%s\n' '{"ref":999,"ok":true}' >receipts
expect_exit 6 'a receipt for an unknown promise: exit 6' 'promise notified <receipts'
printf '%s\n' 'garbage' '{"ok":true}' >receipts
check 'bad receipts are skipped' 'promise notified <receipts 2>nerr'
cat >want <<'E'
promise: <stdin>:1: not valid JSON
promise: <stdin>:2: no "ref" naming a notice
E
compare want nerr 'each named'

# bad values on the command line
expect_exit 2 'a bad duration' 'promise claim --lease 5x'
err >got
printf "promise: --lease: '5x' is not a duration (90, 90s, 10m, 2h, 1d)\n" >want
head -1 got >got1
compare want got1 'says what a duration looks like'
expect_exit 2 'a bad --at' 'promise add --at yesterday x'
expect_exit 2 '--delay and --at together' 'promise add --delay 1m --at 1h x'
expect_exit 2 'bad --meta' 'promise add --meta "{oops" x'
expect_exit 2 'a bad status' 'promise list --status sleeping'
expect_exit 2 'a bad PROMISE_EXPIRES' 'PROMISE_EXPIRES=soon promise add x'
expect_exit 2 'a bad template kind' 'promise outbox --template later=x'

# the database itself
echo 'this is not a database, just text that is long enough to look like one page' >corrupt.db
i=0; while [ $i -lt 8 ]; do cat corrupt.db corrupt.db >c2.db; mv c2.db corrupt.db; i=$((i + 1)); done
expect_exit 9 'a corrupt database: exit 9' 'promise --db corrupt.db list'
err >got
printf 'promise: corrupt.db: file is not a database\n' >want
compare want got 'with a one-line reason'
: >afile
expect_exit 9 'an unwritable place: exit 9' 'promise --db afile/sub/p.db add x'
err >got
printf 'promise: afile/sub/p.db: cannot open database: Not a directory\n' >want
compare want got 'saying why'
check 'a newer schema' 'promise --db new.db list && sqlite3 new.db "PRAGMA user_version=99"'
expect_exit 9 'is refused, exit 9' 'promise --db new.db list'
err >got
printf 'promise: new.db: schema version 99 is newer than this promise knows (6)\n' >want
compare want got 'naming both versions'
done_testing
