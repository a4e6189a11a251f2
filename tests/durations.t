#!/bin/sh
# One duration grammar for every tool (parse_duration, tgpromise(7)
# DURATIONS): promise took "0.5" nowhere that runjob took it.
. "$(dirname "$0")/lib.sh"
plan 11

check 'promise add --timeout 0.5' 'promise add --json --chat 7 --timeout 0.5 half a second >a'
jq -c .timeout_ms a >got
echo 500 >want
compare want got 'is 500 ms'

check 'promise add --timeout 1.5m' 'promise add --json --chat 7 --timeout 1.5m ninety seconds >a'
jq -c .timeout_ms a >got
echo 90000 >want
compare want got 'is 90000 ms'

echo '{"chat_id":7,"text":"from a line","timeout":"0.25m"}' >line
check 'a line'"'"'s "timeout" string takes the same grammar' 'promise add --jsonl --json <line >a'
jq -c .timeout_ms a >got
echo 15000 >want
compare want got 'is 15000 ms'

expect_exit 2 'promise refuses an exponent' promise add --chat 7 --timeout 1e3 x
expect_exit 2 'runjob refuses it too' runjob -t 1e3 -- true
expect_exit 2 'promise refuses hexadecimal' promise add --chat 7 --timeout 0x10 x
expect_exit 2 'runjob refuses it too' runjob -t 0x10 -- true
expect_exit 0 'runjob takes 1.5s' runjob -t 1.5s -- true
