#!/bin/sh
# examples/tgpromise.service: the keys the bot depends on, and
# systemd-analyze verify when this machine has it (its ExecStart pointed
# at this tree's wrapper, since verify wants the program to exist).
. "$(dirname "$0")/lib.sh"
plan 9
UNIT=$TOP/examples/tgpromise.service

# key NAME: the values NAME= has in [Service], one a line.
key() {
	awk -v k="$1" '/^\[/ { sect = $0 } sect == "[Service]" &&
		index($0, k "=") == 1 { print substr($0, length(k) + 2) }' "$UNIT"
}
key Type >got; echo exec >want
compare want got 'Type=exec: the wrapper is the main process'
key Restart >got; echo on-failure >want
compare want got 'Restart=on-failure'
key KillMode >got; echo control-group >want
compare want got 'KillMode=control-group: the whole control group stops together'
key EnvironmentFile >got; echo /etc/tgpromise/env >want
compare want got 'the token and the allow-list come from an EnvironmentFile'
# The stop timeout must leave the wrapper its grace (TGPROMISE_GRACE, 15 s
# by default, or the unit's own) to drain.
stop=$(key TimeoutStopSec | sed 's/s$//')
grace=$(key Environment | sed -n 's/^TGPROMISE_GRACE=//p')
ok "TimeoutStopSec (${stop}s) is above the grace (${grace:-15}s)" \
	[ "${stop:-0}" -gt "${grace:-15}" ]
key ExecStart | awk '{ print $1 }' >got; echo /usr/local/bin/tgpromise >want
compare want got 'ExecStart runs the wrapper where make install puts it'
# Only the EnvironmentFile may hold the token: no Environment= line of
# the unit sets it.
key Environment | grep -c '^TELEGRAM_BOT_TOKEN=' >got; echo 0 >want
compare want got 'no token in the unit'

if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s|/usr/local/bin/tgpromise|$TOP/bin/tgpromise|" "$UNIT" >tgpromise.service
	systemd-analyze verify --man=no "$T/tgpromise.service" >verify.out 2>&1
	ok 'systemd-analyze verify accepts it' [ $? = 0 ]
	compare /dev/null verify.out 'and has nothing to say about it'
else
	skip 'systemd-analyze is not installed'
	skip 'systemd-analyze is not installed'
fi
