#!/bin/sh
# The wrapper's supervisor: a component that keeps failing is restarted
# later and later (1s, 2s, 4s ... up to TGPROMISE_BACKOFF_MAX), never
# every second forever, and each restart says what the exit status means;
# once Telegram accepts the token again the poller is back by itself.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/e2e.sh"
plan 4

ctl revoke >/dev/null
bot_start
three_poller_lines() {
	grep '^tgpromise: poller' "$T/tgpromise.err" >poller.err &&
	test "$(wc -l <poller.err)" -ge 3
}
check 'the poller fails three times with a revoked token' 'eventually 20 three_poller_lines'
head -3 poller.err >got
m='exited with status 8 (failed for good: the token was refused or the bot is blocked; see the line above)'
printf 'tgpromise: poller %s; restarting in %ss\n' "$m" 1 "$m" 2 "$m" 4 >want
compare want got 'each restart waits twice as long and says why'
grep -c '^tgpoll: invalid token' "$T/tgpromise.err" >got
echo 3 >want
compare want got 'and the poller said what is wrong, once per try'

ctl revoke '{"restore":true}' >/dev/null
user 4001 "hello there"
check 'with the token back the poller recovers by itself' \
	'until_sent 30 ".chat_id == 4001 and (.text | test(\"^You said\"))"'
