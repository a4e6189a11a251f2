#!/bin/sh
# PostgreSQL under claimers at once: 8 claimers in two process groups
# with different state directories (two "machines") over PG_CLAIMS
# promises (400 here; the issue's 2,000 with PG_CLAIMS=2000): each
# claimed exactly once.  50 adders at once never pass a chat's limit.  And a worker killed with -9: its lease runs out,
# another takes the promise, and the dead one's late done is refused.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/pg.sh"
pg_start || exit 1
PROMISE_DB=$PGTEST_DSN
export PROMISE_DB
N=${PG_CLAIMS:-400}
plan 9

seq 1 "$N" | jq -c '{text: "job \(.)", task_type: "many"}' >lines
check "$N promises" 'promise add --jsonl <lines >/dev/null'
cat >claimer <<'SH'
# claimer NAME: claim until none is left, one id a line (the readable
# line starts with it: no jq started per claim)
while promise claim --type many --worker "$1" >"c.$1" 2>>"err.$1"; do
	read -r id rest <"c.$1" && echo "$id"
done >"ids.$1"
SH
group() {	# MACHINE: four claimers in a session of their own
	mkdir -p "$1"
	XDG_STATE_HOME=$T/$1 setsid sh -c '
		for w in 1 2 3 4; do sh claimer "$0-$w" & done; wait' "$1"
}
group m1 &
group m2 &
wait
cat ids.* | sort -n >all
ok "$N claims in all" [ "$(wc -l <all)" = "$N" ]
ok 'each promise claimed once' [ -z "$(uniq -d all)" ]
cat err.* >errs
: >empty
compare empty errs 'no claimer said anything on stderr'

# 50 adders at once against a chat's limit of 10: never over
for i in $(seq 1 50); do
	promise add --chat 77 --max-open 10 "adder $i" >/dev/null 2>>adders.err &
done
wait
promise list --json --chat 77 >out
ok 'fifty adders at once against a limit of ten: ten' [ "$(jq -s length out)" = 10 ]
grep -v 'already has [0-9]* open promises' adders.err >other
compare empty other 'the others were refused for the limit, nothing else'

# kill -9: a worker whose handler sleeps, its lease short
mkdir h
printf '#!/bin/sh\nexec sleep 60\n' >h/slow
chmod +x h/slow
promise add --json --type slow --chat 5 'outlive me' >a
promise claim --json --type slow --worker doomed --lease 1s >claim
setsid sh -c 'exec runjob --heartbeat 200ms --lease 1s --handlers h <claim >r' &
doomed=$!
ok 'the doomed worker beats' eventually 20 eval \
	'[ "$(promise show --json $(jq .id a) | jq -r .heartbeat_at)" != null ]'
kill -KILL -$doomed 2>/dev/null
wait $doomed 2>/dev/null
ok 'after its lease ran out another worker takes it' \
	eventually 30 eval 'promise claim --json --type slow --worker rescuer >claim2'
expect_exit 4 "the dead worker's late done is refused: 4" \
	promise done "$(jq .id a)" --worker doomed --attempt 1 --result late
