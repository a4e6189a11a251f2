#!/bin/sh
# Ids a JSON number cannot carry exactly (from 2^53 on; Telegram promises
# at most 52 bits) are left out of tgpoll's lines, never rounded into
# another chat's id; as digit strings they are exact, and printed so.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/standin.sh"
plan 3
standin_start

ctl update '{"message":{"message_id":1,"date":1,"chat":{"id":1152921504606846977,"type":"private"},"from":{"id":"-9007199254740993"},"text":"big"}}' >/dev/null
ctl update '{"message":{"message_id":2,"date":1,"chat":{"id":-9007199254740991,"type":"group"},"text":"edge"}}' >/dev/null
check 'tgpoll takes the updates' 'tgpoll --once --timeout 0 --offset-file off >out 2>err'
cat >want <<'X'
{"update_id":500000001,"kind":"message","chat_type":"private","message_id":1,"user_id":-9007199254740993,"text":"big","date":1}
{"update_id":500000002,"kind":"message","chat_id":-9007199254740991,"chat_type":"group","message_id":2,"text":"edge","date":1,"addressed":false}
X
compare want out 'numbers from 2^53 on are left out; digit strings and 2^53-1 are exact'
ok 'the token is in no output' no_token out err
