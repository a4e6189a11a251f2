#!/bin/sh
# classify: bad input is reported with its line number and skipped, or
# copied through untouched (--pass-invalid), or fatal (--strict).
. "$(dirname "$0")/lib.sh"
plan 16

long() {	# a JSON line of about $1 bytes
	awk -v n="$1" 'BEGIN { printf "{\"text\":\""; for (i = 0; i < n; i += 100) printf "%0100d", 0; print "\"}" }'
}
{
	printf '%s\n' '{"text":"hi"}' 'not json' '{"chat_id":1}' '{"text":42}'
	printf '{"text":"caf\351"}\n'
	long 1100000
	printf '%s\n' '[1,2]' ''
	printf '{"text":"a"}\000{}\n'
	printf '%s' '{"text":"hello at the end"}'
} >in
cat >want <<'OUT'
{"text":"hi","intent":"chat","tier":"conversation","task_type":"none","detach":false}
{"chat_id":1}
{"text":"hello at the end","intent":"chat","tier":"conversation","task_type":"none","detach":false}
OUT
cat >want.err <<'OUT'
classify: <stdin>:2: not valid JSON
classify: <stdin>:4: not a string in the 'text' field
classify: <stdin>:5: not valid UTF-8
classify: <stdin>:6: line longer than 1048576 bytes
classify: <stdin>:7: not a JSON object
classify: <stdin>:8: not valid JSON
classify: <stdin>:9: a NUL byte
OUT
expect_exit 1 'bad lines make the exit status 1' 'classify <in >out 2>err'
compare want out 'only the good lines come out; one with nothing to classify goes on untagged'
compare want.err err 'each bad line is reported once, with its number'

expect_exit 1 '--pass-invalid: still exit 1' 'classify --pass-invalid <in >out 2>err'
compare want.err err '--pass-invalid: still reported'
ok '--pass-invalid: as many lines out as in' [ "$(wc -l <out)" = 10 ]
sed -n 6p in >long.in && sed -n 6p out >long.out
compare long.in long.out '--pass-invalid: the long line comes through whole'
sed -n 9p in >nul.in && sed -n 9p out >nul.out
compare nul.in nul.out '--pass-invalid: even a line with a NUL byte'
sed -n 10p out >last && printf '%s\n' '{"text":"hello at the end","intent":"chat","tier":"conversation","task_type":"none","detach":false}' >want.last
compare want.last last 'a last line without a newline is classified'

printf '%s\n' '{"text":"hi"}' 'oops' '{"text":"yes"}' >in
head -1 want >want.strict
expect_exit 1 '--strict stops at the first bad line' 'classify --strict <in >out 2>err'
compare want.strict out '--strict: the lines before it are out'

expect_exit 0 'empty input: exit 0' 'classify </dev/null >out'
ok 'empty input: no output' [ ! -s out ]

long 5000 >in
expect_exit 1 '--max-line lowers the limit' 'classify --max-line 4K <in >out 2>err'
expect_exit 0 'a line within --max-line is fine' 'classify --max-line 8K <in >out'
expect_exit 2 '--pass-invalid with --strict is a usage error' 'classify --pass-invalid --strict </dev/null'
