#!/bin/sh
# --json output: bounded, head and tail, always valid JSON.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/runjob-lib.sh"
plan 13

# 300 MB through a 1 MB cap: finishes, valid JSON, head and tail kept.
expect_exit 0 '300 MB of output with a 1 MB cap finishes' \
	"runjob --json --max-output 1M -- sh -c 'yes 0123456789abcdefghi | head -c 300000000' >r"
check 'the line is valid JSON' 'jq -e . r >/dev/null'
json r '{output_truncated,output_bytes}' >got
printf '%s\n' '{"output_truncated":true,"output_bytes":300000000}' >want
compare want got 'it says it was cut, and how much came'
check 'the kept output stays within the cap' \
	'[ "$(jq -r .output r | wc -c)" -le $((1048576 + 100)) ]'
jq -r .output r | head -1 >got
printf '0123456789abcdefghi\n' >want
compare want got 'the head is the start of the output'
jq -r .output r | grep -c '^\[\.\.\. [0-9]* bytes left out \.\.\.\]$' >got
printf '1\n' >want
compare want got 'one marker line says how much was left out'

# Bytes that are not UTF-8, and a multi-byte character cut at the cap.
printf 'ok \377\376 bad \300\200 nul \000 end \303\251\n' >bytes
expect_exit 0 'a non-UTF-8 byte stream' "runjob --json -- cat bytes >r"
check 'still gives valid JSON' 'jq -e . r >/dev/null'
json r .output >got
printf '%s\n' '"ok \ufffd\ufffd bad \ufffd\ufffd nul \ufffd end é\n"' | jq -c . >want
compare want got 'bad bytes become U+FFFD, good ones stay'
# 'é' is two bytes; a cap of 8 keeps 4 at each end: "aaaé" would be cut.
expect_exit 0 'a cut through a character' \
	"runjob --json --max-output 8 -- printf 'aaa\303\251zzzzzzz\303\251yy' >r"
json r .output >got
printf '%s\n' '"aaa\n[... 9 bytes left out ...]\néyy"' | jq -c . >want
compare want got 'never splits a character: it drops it whole'
expect_exit 0 'output exactly at the cap is kept whole' \
	"runjob --json --max-output 6 -- printf abcdef >r"
json r '{output,output_truncated}' >got
printf '%s\n' '{"output":"abcdef","output_truncated":false}' >want
compare want got 'and not marked as cut'
