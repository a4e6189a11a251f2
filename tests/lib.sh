# tests/lib.sh - a small TAP library for the shell tests, in git's t/ style.
#
#   . "$(dirname "$0")/lib.sh"
#   plan 3
#   check 'add prints an id' promise add 'fix the bug' '>' out   (see below)
#   expect_exit 6 'unknown id' promise show 999
#   compare expected actual 'list shows it'
#
# Every test runs in its own temporary directory $T (removed at exit) with
# bin/ first on PATH and PROMISE_DB pointing into $T.  Output of the tool
# under test is written to a file and compared, never piped into grep, so
# a crash cannot hide.

TOP=$(cd "$(dirname "$0")/.." && pwd)
# TGP_WRAP: a directory of wrappers named like the tools (make memcheck).
PATH="${TGP_WRAP:+$TGP_WRAP:}$TOP/bin:$PATH"
T=$(mktemp -d "${TMPDIR:-/tmp}/tgp-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
PROMISE_DB="$T/promises.db"
XDG_STATE_HOME="$T/state"
export PATH PROMISE_DB XDG_STATE_HOME TOP T
unset TELEGRAM_BOT_TOKEN TELEGRAM_API_URL TGPROMISE_ALLOW
cd "$T" || exit 1

_n=0
_failed=0

plan() { echo "1..$1"; }
done_testing() { echo "1..$_n"; }

_report() {	# status description
	_n=$((_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_n - $2"
	else
		_failed=$((_failed + 1))
		echo "not ok $_n - $2"
	fi
}

# check DESC CMD...: passes when CMD (run by eval, so && chains work) exits 0.
check() {
	_desc=$1; shift
	( eval "$*" ) >"$T/.out" 2>"$T/.err"
	_rc=$?
	_report $_rc "$_desc"
	[ $_rc = 0 ] || _diag "exit $_rc from: $*"
}

# expect_exit CODE DESC CMD...: passes when CMD exits with exactly CODE.
expect_exit() {
	_want=$1 _desc=$2; shift 2
	( eval "$*" ) >"$T/.out" 2>"$T/.err"
	_rc=$?
	[ "$_rc" = "$_want" ]
	_report $? "$_desc"
	[ "$_rc" = "$_want" ] || _diag "want exit $_want, got $_rc from: $*"
}

# compare EXPECTED ACTUAL DESC: the two files are the same.
compare() {
	if diff -u "$1" "$2" >"$T/.diff" 2>&1; then
		_report 0 "$3"
	else
		_report 1 "$3"
		sed 's/^/#   /' "$T/.diff" >&2
	fi
}

# ok DESC COND...: a plain assertion ('ok "two lines" [ "$(wc -l <f)" = 2 ]').
ok() {
	_desc=$1; shift
	"$@"
	_report $? "$_desc"
}

skip() { _n=$((_n + 1)); echo "ok $_n # skip $1"; }
# skip_all REASON: none of this file's tests can run here (say why).
skip_all() { echo "1..0 # SKIP $1"; exit 0; }

_diag() {
	echo "#   $*" >&2
	sed 's/^/#   stdout: /' "$T/.out" | head -20 >&2
	sed 's/^/#   stderr: /' "$T/.err" | head -20 >&2
}

# eventually SECONDS CMD...: CMD succeeds within SECONDS (polls 10/s;
# what it polls must start no interpreter).
eventually() {
	_limit=$(($1 * 10)); shift
	_i=0
	until "$@"; do
		_i=$((_i + 1))
		[ $_i -ge $_limit ] && return 1
		sleep 0.1
	done
}

# The last command's stdout and stderr, for follow-up comparisons.
out() { cat "$T/.out"; }
err() { cat "$T/.err"; }
