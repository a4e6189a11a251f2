#!/bin/sh
# tests/memcheck.sh - the whole test suite with every tool under valgrind
# memcheck (make memcheck).
#
# Wrappers named like the tools, in build/memcheck/, exec valgrind on
# the real binary; tests/lib.sh puts $TGP_WRAP first on PATH.  A memory
# error or a definite leak makes the tool exit 99, which fails its test.
# The unit tests run under valgrind directly.  Suppressions, each with
# its reason: tests/valgrind.supp.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
W=$TOP/build/memcheck
VG="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect -q --suppressions=$TOP/tests/valgrind.supp"

command -v valgrind >/dev/null || {
	if [ "$(id -u)" = 0 ]; then apt-get install -y valgrind >/dev/null
	else echo "memcheck: valgrind is missing: apt-get install valgrind" >&2; exit 2; fi
}
rm -rf "$W"
mkdir -p "$W"
for t in "$@"; do
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$VG" "$TOP/bin/$t" >"$W/$t"
	chmod +x "$W/$t"
done
TGP_WRAP=$W
export TGP_WRAP
status=0
prove -j2 -e '' tests/*.t || status=1
prove -j2 -e "$VG" build/plain/unit/*.t || status=1
exit $status
