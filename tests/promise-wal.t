#!/bin/sh
# The WAL outlives each process (no checkpoint when the last one closes):
# what add reported survives kill -9 at any moment, the database stays
# sound, and the WAL stays short.
. "$(dirname "$0")/lib.sh"
PROMISE_MAX_OPEN=0
export PROMISE_MAX_OPEN

check 'a first promise' 'promise add first >id.0'

# Adds killed after a range of delays: some before they open the file,
# some mid-write, some during a checkpoint, some after they reported.
i=1
for d in 0 0.001 0.002 0.003 0.004 0.005 0.006 0.008 0.01 0.02 \
         0 0.001 0.002 0.003 0.004 0.005 0.006 0.008 0.01 0.02 \
         0 0.001 0.002 0.003 0.004 0.005 0.006 0.008 0.01 0.02; do
	promise add --chat "$i" "killed $i" >"id.$i" 2>/dev/null &
	pid=$!
	sleep "$d"
	kill -s KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# and one that finishes, so the WAL grows past a checkpoint
	promise add --chat "$i" "kept $i" >"kept.$i"
	i=$((i + 1))
done
cat id.* kept.* | sort >reported
check 'integrity_check after the kills' \
	'sqlite3 "$PROMISE_DB" "PRAGMA integrity_check" >ic'
echo ok >want
compare want ic 'the database is sound'
check 'list after the kills' 'promise list --json >all'
jq -r .id all | sort >stored
comm -23 reported stored >lost
: >want
compare want lost 'every promise add reported is stored'

# Many single adds: the WAL is emptied as it grows, so opening the file
# (which reads the WAL when no other process has it open) stays cheap.
n=0
while [ $n -lt 100 ]; do promise add "short $n" >/dev/null || break; n=$((n + 1)); done
ok '100 more adds' [ $n = 100 ]
size=$(cat "$PROMISE_DB-wal" 2>/dev/null | wc -c)
ok "the WAL stays under 100 pages ($size bytes)" [ "$size" -lt $((100 * 4120)) ]

# Only the database and its WAL, as a crash or a copy leaves them: the
# index of the WAL is rebuilt and nothing is lost.
check 'list the original' 'promise list --json >all2'
mkdir copy && cp "$PROMISE_DB" copy/ &&
	{ [ ! -e "$PROMISE_DB-wal" ] || cp "$PROMISE_DB-wal" copy/; }
check 'a copy without its -shm opens' \
	'promise --db copy/promises.db list --json >copied'
compare all2 copied 'and holds every promise'
done_testing
