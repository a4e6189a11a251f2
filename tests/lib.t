#!/bin/sh
# The test library itself: a check that must fail does fail.
. "$(dirname "$0")/lib.sh"
plan 4
check 'check passes on success' true
( _n=0; check 'inner' false ) >inner.out 2>inner.err
printf 'not ok 1 - inner\n' >want
compare want inner.out 'check reports a failing command as not ok'
expect_exit 3 'expect_exit sees the exact code' 'exit 3'
( _n=0; expect_exit 0 'inner' 'exit 1' ) >inner2.out 2>&1
ok 'expect_exit fails on another code' [ "$(head -1 inner2.out)" = 'not ok 1 - inner' ]
