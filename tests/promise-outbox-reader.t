#!/bin/sh
# outbox --follow ends when its reader is gone (notify exited, e.g. on a
# refused token): otherwise the sender's pipeline never ends, is never
# restarted, and the notice it had out is never sent.
. "$(dirname "$0")/lib.sh"
plan 3

promise add --ack --chat 30 ping >/dev/null
mkfifo pipe
# The reader takes one line and goes away; nothing else is ever written.
head -n 1 <pipe >first &
reader=$!
promise outbox --follow --json <&- >pipe 2>follow.err &
f=$!
wait $reader
gone() { ! kill -0 $f 2>/dev/null; }
ok 'outbox --follow ends once its reader is gone' eventually 30 gone
gone || kill $f
wait $f
ok 'with status 9 (an I/O error)' [ $? = 9 ]
echo 'promise: outbox: the sender'"'"'s reader is gone' >want
compare want follow.err 'and says why'
