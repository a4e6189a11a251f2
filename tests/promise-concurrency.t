#!/bin/sh
# promise under several processes at once: claimers never share a
# promise, a killed worker's lease runs out, a killed batch leaves a
# sound database.
. "$(dirname "$0")/lib.sh"
# A lost lease is retried after the backoff: no waiting for it here.
PROMISE_BACKOFF=0
export PROMISE_BACKOFF

# 2,000 promises, 8 claimers in a loop: each promise claimed exactly once.
awk 'BEGIN { for (i = 1; i <= 2000; i++) printf "{\"text\":\"job %d\"}\n", i }' >jobs
check 'add 2,000 promises' 'promise add --jsonl <jobs >added'
ok 'one line out per line in' [ "$(wc -l <added)" = 2000 ]
for w in 1 2 3 4 5 6 7 8; do
	( while :; do
		promise claim --worker "w$w" >"claimed.$w.$$" 2>>"claimerr.$w"
		rc=$?
		[ $rc = 0 ] || break
		cat "claimed.$w.$$" >>"claimed.$w"
	done; echo $rc >"claimexit.$w" ) &
done
wait
cat claimed.[1-8] | awk '{ print $1 }' | sort -n >ids
seq 1 2000 >want
compare want ids 'every promise claimed exactly once'
cat claimexit.* | sort -u >got
echo 1 >want
compare want got 'every claimer stopped on "nothing to claim"'
cat claimerr.* >errs
: >want
compare want errs 'no claimer saw an error (no "database is locked")'

# A worker killed with -9 mid-run loses its lease; the promise is claimed
# again as a new attempt.
check 'add the one promise' 'promise add --type kill "survive kill -9" >kid'
id=$(cat kid)
setsid sh -c 'promise claim --type kill --worker doomed --lease 300ms >doomed.out &&
	while promise heartbeat '"$id"' --worker doomed --lease 300ms; do sleep 0.05; done' &
pid=$!
i=0
while [ ! -s doomed.out ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
ok 'the doomed worker claimed it' test -s doomed.out
kill -s KILL -- -"$pid"
wait "$pid" 2>/dev/null
check 'eventually another worker claims it' \
	'promise claim --type kill --worker heir --wait 10s --json >heir'
jq -c '{id,attempt,worker}' heir >got
printf '{"id":%s,"attempt":2,"worker":"heir"}\n' "$id" >want
compare want got 'as attempt 2'
expect_exit 4 'the dead worker'"'"'s heartbeat would be refused' \
	"promise heartbeat $id --worker doomed --attempt 1"

# add --jsonl killed mid-batch: the database is sound and every promise
# that add reported is there.
awk 'BEGIN { for (i = 1; i <= 300000; i++) printf "{\"text\":\"bulk %d\",\"chat_id\":%d}\n", i, i }' >bulk
promise add --jsonl --max-open 0 <bulk >bulk.out 2>bulk.err &
pid=$!
i=0
while [ ! -s bulk.out ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
kill -9 "$pid"
wait "$pid" 2>/dev/null
ok 'add was killed by the signal' [ $? = 137 ]
check 'integrity_check' 'sqlite3 "$PROMISE_DB" "PRAGMA integrity_check" >ic'
echo ok >want
compare want ic 'the database is sound'
# comm wants both lists in the same (lexical) order.
jq -r .id bulk.out 2>/dev/null | sort >reported
sqlite3 "$PROMISE_DB" "SELECT id FROM promises WHERE text LIKE 'bulk %'" | sort >stored
comm -23 reported stored >lost
: >want
compare want lost 'every promise add reported is stored'
ok 'and the kill came mid-stream' [ "$(wc -l <stored)" -lt 300000 ]
check 'the database takes new promises' 'promise add after the kill >/dev/null'
done_testing
