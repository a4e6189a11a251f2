#!/bin/sh
# runjob keeps a lease through a long-lived `promise heartbeat --jsonl`
# (only promise opens the store); that verb's own contract.
. "$(dirname "$0")/lib.sh"
plan 16

# --- promise heartbeat --jsonl: one answer line per request line
promise add --chat 7 'beat me' >/dev/null
promise claim --json --worker w1 >claim
cat >req <<'EOF2'
{"id":1,"worker":"w1","attempt":1,"progress":30,"progress_note":"half way"}
{"id":1,"worker":"w2","attempt":1}
not json
{"id":99,"worker":"w1","attempt":1}
{"id":1,"worker":"w1","attempt":1,"progress":101}
{"id":1,"worker":"w1","attempt":1,"lease_ms":60000}
EOF2
expect_exit 0 'heartbeat --jsonl answers every line, exits 0' \
	'promise heartbeat --jsonl <req >answers'
cat >want <<'EOF2'
{"id":1,"worker":"w1","attempt":1,"progress":30,"progress_note":"half way","exit":0,"ok":true}
{"id":1,"worker":"w2","attempt":1,"exit":4,"ok":false}
{"exit":2,"ok":false}
{"id":99,"worker":"w1","attempt":1,"exit":6,"ok":false}
{"id":1,"worker":"w1","attempt":1,"progress":101,"exit":2,"ok":false}
{"id":1,"worker":"w1","attempt":1,"lease_ms":60000,"exit":0,"ok":true}
EOF2
compare want answers 'beat, lost lease 4, bad line 2, no such promise 6, bad progress 2'
promise show --json 1 >show
jq -c '{progress,progress_note}' show >got
echo '{"progress":30,"progress_note":"half way"}' >want
compare want got 'the progress reached the store'
expect_exit 2 'heartbeat --jsonl takes no id argument' promise heartbeat --jsonl 1
promise cancel 1 >/dev/null
echo '{"id":1,"worker":"w1","attempt":1}' >req
promise heartbeat --jsonl <req >answers
echo '{"id":1,"worker":"w1","attempt":1,"exit":3,"ok":false}' >want
compare want answers 'a cancel request answers 3'

# --- runjob beats through promise: a shim on PATH logs how it is run
mkdir shim h
cat >shim/promise <<EOF2
#!/bin/sh
echo "\$*" >>"$T/calls"
echo \$\$ >"$T/lease.pid"
exec "$TOP/bin/promise" "\$@"
EOF2
cat >h/code <<'EOF2'
#!/bin/sh
echo 'progress 20 begun' >&3
: >started
while [ ! -e go ]; do sleep 0.05; done
echo 'progress 90 nearly' >&3
echo finished
EOF2
chmod +x shim/promise h/code
promise add --type code --chat 7 'work' >/dev/null
promise claim --json --worker w1 >claim
PATH=$T/shim:$PATH runjob --heartbeat 200ms --handlers h <claim >r 2>err &
pid=$!
ok 'the handler starts' eventually 30 test -e started
ok 'the lease process runs' eventually 30 test -s lease.pid
lease_pid=$(cat lease.pid)
kill -KILL "$lease_pid"
: >go
wait $pid
ok 'the lease process killed: runjob still exits 0' [ $? = 0 ]
printf '%s\n' 'heartbeat --jsonl' 'heartbeat --jsonl' >want
compare want calls 'runjob ran promise heartbeat --jsonl, and again when it died'
promise show --json 2 >show
jq -c '{status,progress,progress_note}' show >got
echo '{"status":"running","progress":90,"progress_note":"nearly"}' >want
compare want got 'the last progress reached the store through the new one'
ok 'the dead one was reaped (no zombie left under runjob)' eval '! kill -0 $lease_pid 2>/dev/null'

# --db is passed on
rm -f calls
promise add --type code --chat 7 'work' >/dev/null
promise claim --json --worker w1 >claim
PATH=$T/shim:$PATH runjob --db "$PROMISE_DB" --handlers h <claim >r 2>err
echo "--db $PROMISE_DB heartbeat --jsonl" >want
compare want calls 'runjob --db DB runs promise --db DB heartbeat --jsonl'

# No promise to keep the lease, or no store: 125, and the handler never runs.
rm -f started
mkdir nopath
ln -s "$TOP/bin/runjob" nopath/runjob
expect_exit 125 'no promise on PATH: 125' 'PATH=$T/nopath runjob --handlers h <claim >r'
ok 'and the handler did not run' [ ! -e started ]
expect_exit 125 'a store that cannot be opened: 125' \
	'runjob --db "$T/no/such/dir/p.db" --handlers h <claim >r'
ok 'and the handler did not run' [ ! -e started ]
