#!/bin/sh
# bench/tsv: the table's rows, and whether each goal is met; a ratio goal
# compares numbers (x146 meets ">= x20": it once compared strings).
. "$(dirname "$0")/lib.sh"
plan 1
BENCH_TSV=$T/rows
. "$TOP/bench/tsv"
tsv classify 'lines/s (jq)' 146 jq 1 '>= x20'
tsv classify 'lines/s (jq)' 5 jq 1 '>= x20'
tsv classify 'lines/s' 250000 '' '' '>= 200000'
tsv store 'claim+done/s' 90 itself 100 '>= x0.9'
tsv store 'us/call' 1700 itself 1000 '<= x1.5'
cut -f3,6,7,8 "$BENCH_TSV" >got
printf '%s\t%s\t%s\t%s\n' 146 x146.00 '>= x20' yes 5 x5.00 '>= x20' no \
	250000 '' '>= 200000' yes 90 x0.90 '>= x0.9' yes 1700 x1.70 '<= x1.5' no >want
compare want got 'each goal met or not, by number'
