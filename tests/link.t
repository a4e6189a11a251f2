#!/bin/sh
# Only promise links a database (SQLite, libpq): the other tools reach
# the store through promise, runjob's lease included (runjob-lease.t).
. "$(dirname "$0")/lib.sh"
command -v nm >/dev/null 2>&1 || skip_all "no nm (apt-get install binutils)"
plan 6

# db_symbols TOOL: the database symbols TOOL defines or imports.
db_symbols() {
	nm "$TOP/bin/$1" >"$1.syms" 2>"$1.err" || return 1
	nm -D "$TOP/bin/$1" >>"$1.syms" 2>>"$1.err" || return 1
	awk '$NF ~ /^(sqlite3_|PQ[a-z])/ { print $NF }' "$1.syms" | sort -u
}

for tool in classify notify runjob tgpoll; do
	db_symbols $tool >got
	: >want
	compare want got "$tool links no database"
done
db_symbols promise >got
ok 'promise links SQLite' grep -qx sqlite3_open_v2 got
ok 'promise links libpq' grep -qx PQconnectdb got
