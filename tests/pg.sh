# tests/pg.sh - a throwaway PostgreSQL cluster for one test (or bench).
#
#   . "$(dirname "$0")/lib.sh"
#   . "$TOP/tests/pg.sh"
#   pg_start                  # or skip_all when there is no server
#   promise --db "$PGTEST_DSN" ...
#
# pg_start runs initdb and pg_ctl on a unix socket in a temporary
# directory (no TCP: listen_addresses is empty; fsync off), as the
# `postgres` user when run as root, and exports PGTEST_DSN, a libpq
# keyword string ("host=DIR port=5432 user=postgres dbname=postgres").
# The cluster is stopped and its directory removed at exit, and on
# SIGINT/SIGTERM/SIGHUP.  Where no server binaries can be found (they
# live in /usr/lib/postgresql/VERSION/bin; PG_BINDIR overrides) it says
# so in TAP (`1..0 # SKIP`) and exits 0, so that the SQLite suites
# still run.  Run directly, it starts a cluster and runs a command with
# PGTEST_DSN set:  sh tests/pg.sh CMD ARGS...

# The newest server's bin directory, or nothing.
pg_bindir() {
	if [ -n "${PG_BINDIR:-}" ]; then
		[ -x "$PG_BINDIR/initdb" ] && echo "$PG_BINDIR"
		return
	fi
	for _d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
		[ -x "$_d/initdb" ] && [ -x "$_d/pg_ctl" ] && [ -x "$_d/postgres" ] &&
			_found=$_d
	done
	[ -n "${_found:-}" ] && echo "$_found"
}

# _pg_as CMD...: as the cluster's owner (postgres when we are root), in
# the cluster's directory (the owner may not enter ours).
_pg_as() {
	if [ "$(id -u)" = 0 ]; then
		(cd "$PG_DIR" && _pg_as_postgres "$@")
	else
		"$@"
	fi
}

_pg_as_postgres() {
	if command -v runuser >/dev/null 2>&1; then
		runuser -u postgres -- "$@"
	else
		su postgres -s /bin/sh -c '"$@"' pg "$@"
	fi
}

# Why no cluster can be had here, or nothing when one can.
pg_unavailable() {
	[ -n "$(pg_bindir)" ] ||
		{ echo "no PostgreSQL server (apt-get install postgresql)"; return; }
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		echo "running as root and no postgres user to run the server"
	fi
}

pg_start() {
	_why=$(pg_unavailable)
	if [ -n "$_why" ]; then
		if command -v skip_all >/dev/null 2>&1; then
			skip_all "$_why"
		fi
		echo "pg.sh: $_why" >&2
		return 1
	fi
	PG_BIN=$(pg_bindir)
	# Not under $T: as root, $T (mode 700) is closed to postgres.
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tgp-pg.XXXXXX") || return 1
	chmod 755 "$PG_DIR"
	[ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
	trap 'pg_stop; [ -z "${T:-}" ] || rm -rf "$T"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	if ! _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres \
		--auth=trust -E UTF8 --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1; then
		echo "pg.sh: initdb failed:" >&2
		sed 's/^/#   /' "$PG_DIR/initdb.log" >&2
		return 1
	fi
	if ! _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
		-o "-c listen_addresses='' -c unix_socket_directories='$PG_DIR'" \
		-o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >"$PG_DIR/pg_ctl.log" 2>&1; then
		echo "pg.sh: the server did not start:" >&2
		sed 's/^/#   /' "$PG_DIR/server.log" >&2
		return 1
	fi
	PGTEST_DSN="host=$PG_DIR port=5432 user=postgres dbname=postgres"
	export PGTEST_DSN PG_DIR PG_BIN
}

# Stops the cluster at once and removes it (the trap calls this).
pg_stop() {
	[ -n "${PG_DIR:-}" ] || return 0
	if [ -f "$PG_DIR/data/postmaster.pid" ]; then
		_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
			>/dev/null 2>&1
	fi
	rm -rf "$PG_DIR"
	PG_DIR=
}

# Run directly: a cluster around one command.
case $0 in
*/pg.sh | pg.sh)
	if [ $# = 0 ]; then
		echo "usage: sh tests/pg.sh CMD [ARG...]" >&2
		exit 2
	fi
	T=	# lib.sh's directory, if any, is our caller's to remove
	pg_start || exit 1
	# In the background, so that a signal runs the trap at once.
	"$@" &
	_child=$!
	trap 'kill -TERM $_child 2>/dev/null; exit 143' TERM
	trap 'kill -INT $_child 2>/dev/null; exit 130' INT
	wait $_child
	exit
	;;
esac
