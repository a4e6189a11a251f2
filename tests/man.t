#!/bin/sh
# man.t - every man page renders without a warning, has the sections a
# reader looks for, and every program in bin/ has one.
. "$(dirname "$0")/lib.sh"

for page in "$TOP"/man/*.[1-9]; do
	name=${page##*/}
	if command -v groff >/dev/null; then
		groff -man -ww -rCHECKSTYLE=3 -z "$page" >"$T/groff.out" 2>&1
		ok "$name: groff -man -ww: no warning" [ ! -s "$T/groff.out" ]
		sed 's/^/#   /' "$T/groff.out" >&2
	else
		skip "$name: groff is not installed"
	fi
	if command -v man >/dev/null; then
		MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" \
			>"$T/man.txt" 2>"$T/man.err"
		ok "$name: man -l: renders, no warning" \
			test -s "$T/man.txt" -a ! -s "$T/man.err"
		sed 's/^/#   /' "$T/man.err" >&2
	else
		skip "$name: man is not installed"
	fi
	case $name in
	*.1) want='NAME SYNOPSIS DESCRIPTION OPTIONS EXIT_STATUS ENVIRONMENT FILES EXAMPLES SEE_ALSO' ;;
	*) want='NAME DESCRIPTION EXIT_STATUS EXAMPLES SEE_ALSO' ;;
	esac
	sed -n 's/^\.SH "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$page" | tr ' ' _ >"$T/sections"
	missing=
	for s in $want; do
		grep -qx "$s" "$T/sections" || missing="$missing $s"
	done
	ok "$name: has the sections$(printf ' %s' $want | tr _ ' ')" [ -z "$missing" ]
	[ -z "$missing" ] || echo "#   missing:$missing" >&2
	# A page it refers to is one of ours, or a system page; ours exist.
	sed -n 's/^\.BR \([a-z]*\) (\([1-9]\)).*/\1.\2/p' "$page" | sort -u >"$T/refs"
	: >"$T/dangling"
	while read -r ref; do
		case " tgpoll.1 classify.1 promise.1 runjob.1 notify.1 tgpromise.1 tgpromise.7 " in
		*" $ref "*) [ -f "$TOP/man/$ref" ] || echo "$ref" >>"$T/dangling" ;;
		esac
	done <"$T/refs"
	ok "$name: the pages it refers to exist" [ ! -s "$T/dangling" ]
done

for tool in "$TOP"/bin/*; do
	ok "${tool##*/} has a man page" [ -f "$TOP/man/${tool##*/}.1" ]
done

done_testing
