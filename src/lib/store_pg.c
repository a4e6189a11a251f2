/*
 * store_pg.c - the store's PostgreSQL backend (store_be.h), for workers
 * on several machines: --db takes a postgresql:// URI or a libpq keyword
 * string, as psql does.
 *
 * What it keeps, beyond what store.c's policy decides:
 *  - the server's clock only (now()): workers on other machines have
 *    other clocks, so no time the client read ever reaches a row;
 *  - a claim is one statement: a MATERIALIZED CTE picks due rows in
 *    urgency order FOR UPDATE SKIP LOCKED, the UPDATE takes them, and the
 *    transaction commits at once (none is held while work runs);
 *  - every change after a claim names the claim (worker and attempt, the
 *    attempt growing with every claim: a fencing token);
 *  - the open-per-chat limit counts under an advisory transaction lock on
 *    the chat: PostgreSQL writers run side by side, SQLite's did not;
 *  - migrations run in one transaction under an advisory lock, and a
 *    database newer than this binary is refused;
 *  - a serialization failure or a deadlock (SQLSTATE 40001, 40P01) runs
 *    the verb's transaction again;
 *  - parameters are bound, SQL text is constant, and no statement is
 *    prepared by name (PgBouncer in transaction mode would lose it).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "store_be.h"

enum { RETRIES = 20 };

struct pg {
	PGconn *conn;
	int failed_retryable;       /* the last failure was 40001 or 40P01 */
	int sender;                 /* holds the sender's advisory lock */
	int is_sender;              /* outbox_reset: this is the sender */
	int wrote;                  /* this transaction wrote: NOTIFY */
	int retrying;               /* a conflict will be run again: quiet */
	int listening;              /* LISTEN tgpromise done */
	int64_t polled;             /* no-listen mode: the last "changed" */
	int64_t reaped;             /* when claim last reaped (mono ms) */
};
#define PG(st) ((struct pg *)(st)->be)
/* A failed statement's status: a conflict (40001, 40P01) is worth
 * running again (7), anything else is a storage error (9). */
#define FAILED(st) (PG(st)->failed_retryable ? EXIT_TEMPFAIL : EXIT_DATA)
#define CONN(st) (PG(st)->conn)

/* Advisory lock keys: a chat's is its id (one 64-bit key); the
 * schema's and the sender's are pairs of 32-bit keys, a key space that
 * does not overlap the other (PostgreSQL's advisory locks). */
#define SCHEMA_LOCK "74032001, 1"
#define SENDER_LOCK "74032001, 2"

/* ---- talking to the server ---- */

/* The first line of libpq's message, without its "ERROR:  " noise. */
static const char *first_line(const char *msg, char *buf, size_t n)
{
	size_t k;

	if (!msg || !*msg)
		return "unknown error";
	if (strncmp(msg, "ERROR:  ", 8) == 0)
		msg += 8;
	k = strcspn(msg, "\n");
	snprintf(buf, n, "%.*s", (int)k, msg);
	return buf;
}

/* Reports a failed result (NULL: the connection's error); EXIT_DATA.
 * A retryable one is only remembered: the caller runs it again. */
static int pgfail(struct store *st, PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	char buf[512];

	PG(st)->failed_retryable = state && (strcmp(state, "40001") == 0 ||
	                                      strcmp(state, "40P01") == 0);
	/* A conflict that will be run again is not news; one in a batch
	 * (add --jsonl, route) cannot be: the batch's caller fails. */
	if (!PG(st)->failed_retryable || !PG(st)->retrying)
		store_complain(st, "PostgreSQL: %s%s", first_line(r ? PQresultErrorMessage(r) :
		               PQerrorMessage(CONN(st)), buf, sizeof buf),
		               PG(st)->failed_retryable ? " (try again)" : "");
	PQclear(r);
	/* The server went away (restarted): this call has failed, and said
	 * so; a long-lived caller's next call gets a new connection. */
	if (PQstatus(CONN(st)) == CONNECTION_BAD) {
		PQreset(CONN(st));
		PG(st)->sender = PG(st)->listening = 0;   /* the session's, gone */
	}
	return FAILED(st);
}

/* Runs sql with n text parameters (NULL: SQL NULL); the result, or NULL
 * when it failed (reported). */
static PGresult *q(struct store *st, const char *sql, int n, const char *const *v)
{
	PGresult *r = PQexecParams(CONN(st), sql, n, NULL, v, NULL, NULL, 0);
	ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
		/* only the outbox listens: NOTIFY serializes commits, so
		 * only a transaction that changed notices sends one */
		if (strncmp(sql, "SELECT", 6) != 0 && strstr(sql, "notices") &&
		    atoi(PQcmdTuples(r)) > 0)
			PG(st)->wrote = 1;
		return r;
	}
	pgfail(st, r);
	return NULL;
}

/* Runs sql and drops its result: 0 or EXIT_DATA. */
static int x(struct store *st, const char *sql, int n, const char *const *v)
{
	PGresult *r = q(st, sql, n, v);

	PQclear(r);
	return r ? 0 : FAILED(st);
}

/* Numbers as parameters: a few at a time, each in its own buffer. */
struct nums { char b[8][24]; int i; };
static const char *num(struct nums *ns, int64_t v)
{
	char *b = ns->b[ns->i++ % 8];

	snprintf(b, 24, "%lld", (long long)v);
	return b;
}
/* 0 is "none" for the optional ids and times (store.h): SQL NULL. */
static const char *opt(struct nums *ns, int64_t v)
{
	return v ? num(ns, v) : NULL;
}

static int64_t geti(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static char *gets_(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : xstrdup(PQgetvalue(r, row, col));
}

/* ---- transactions: each verb one, run again on 40001 and 40P01 ---- */

static int begin(struct store *st)
{
	int rc;

	if (st->in_batch)
		return 0;
	PG(st)->failed_retryable = 0;
	rc = x(st, "BEGIN", 0, NULL);
	PG(st)->wrote = 0;
	return rc;
}

/* A transaction that wrote tells the listeners (outbox --follow) once,
 * as a hint: they poll as well. */
static int commit(struct store *st)
{
	if (PG(st)->wrote && x(st, "NOTIFY tgpromise", 0, NULL))
		return FAILED(st);
	return x(st, "COMMIT", 0, NULL);
}

static int end(struct store *st, int rc)
{
	if (st->in_batch)
		return rc;
	if (rc == 0 || rc == EXIT_NONE)
		return commit(st) ? FAILED(st) : rc;
	PQclear(PQexec(CONN(st), "ROLLBACK"));
	return rc;
}

/* Whether the transaction that just ended should run again. */
static int again(struct store *st, int rc, int *tries)
{
	if (rc != EXIT_TEMPFAIL || !PG(st)->failed_retryable || st->in_batch)
		return 0;
	PG(st)->failed_retryable = 0;
	if (++*tries >= RETRIES) {
		store_complain(st, "PostgreSQL: still conflicting after %d tries", RETRIES);
		return 0;
	}
	struct timespec ts = { 0, (long)(1 + arc4random_uniform(10)) * 1000000L };
	nanosleep(&ts, NULL);
	return 1;
}

/* TXN(st, expr): expr (a verb's body returning a status) in one
 * transaction, run again after a serialization failure or deadlock. */
#define TXN(st, expr) do { \
	int rc_, tries_ = 0; \
	PG(st)->retrying = !(st)->in_batch; \
	do { \
		if ((rc_ = begin(st)) == 0) \
			rc_ = end(st, (expr)); \
	} while (again(st, rc_, &tries_)); \
	PG(st)->retrying = 0; \
	return rc_; \
} while (0)

/* ONE(st, expr): expr is one statement, atomic by itself: outside a
 * batch it runs without BEGIN and COMMIT (a round trip each, which is
 * most of the cost of a claim), and again after a conflict, as TXN. */
#define ONE(st, expr) do { \
	int rc_, tries_ = 0; \
	if ((st)->in_batch) \
		return (expr); \
	PG(st)->retrying = 1; \
	do { \
		PG(st)->failed_retryable = 0; \
		rc_ = (expr); \
	} while (again(st, rc_, &tries_)); \
	PG(st)->retrying = 0; \
	return rc_; \
} while (0)

/* ---- the schema ---- */

/* A time as the tools see it: milliseconds since the epoch. */
/* A function's statements keep one plan: with a custom plan at every
 * call (PostgreSQL's choice when a parameter such as LIMIT n makes the
 * generic plan look dearer) the planner was a third of a claim. */
#define GENERIC "SET plan_cache_mode = force_generic_plan"
#define MS(c) "(extract(epoch FROM " c ") * 1000)::int8"
#define AS_MS(c) MS(c) " AS " c

/* The same version numbers as SQLite's (store_sqlite.c); versions 1 to 4
 * came before this backend, so a new database starts at 5. */
static const char *const migrations[] = {
	"", "", "", "",
	/* 5 */
	"CREATE TABLE promises ("
	"  id bigserial PRIMARY KEY,"
	"  status text NOT NULL,"
	"  chat_id bigint, user_id bigint, username text,"
	"  reply_to bigint, thread_id bigint,"
	"  text text NOT NULL, task_type text,"
	"  priority int NOT NULL DEFAULT 5,"
	"  key text UNIQUE,"
	"  created_at timestamptz NOT NULL DEFAULT now(),"
	"  started_at timestamptz, finished_at timestamptz,"
	"  not_before timestamptz NOT NULL DEFAULT now(),"
	"  expires_at timestamptz,"
	"  attempt int NOT NULL DEFAULT 0,"
	"  max_attempts int NOT NULL DEFAULT 3,"
	"  timeout_ms bigint,"
	"  worker text, lease_expires_at timestamptz, heartbeat_at timestamptz,"
	"  cancel_requested boolean NOT NULL DEFAULT false,"
	"  progress int, progress_note text,"
	"  result text, error text, meta jsonb,"
	"  waiting int NOT NULL DEFAULT 0,"
	"  notify int NOT NULL DEFAULT 0,"
	"  notified_at timestamptz, notify_error text,"
	"  ack_message_id bigint,"
	"  question text, answers jsonb, user_error text);"
	"CREATE TABLE deps ("
	"  promise_id bigint NOT NULL, after_id bigint NOT NULL,"
	"  PRIMARY KEY (promise_id, after_id));"
	"CREATE INDEX deps_after ON deps (after_id);"
	"CREATE TABLE attempts ("
	"  promise_id bigint NOT NULL, attempt int NOT NULL,"
	"  worker text, started_at timestamptz NOT NULL, ended_at timestamptz,"
	"  outcome text, error text,"
	"  PRIMARY KEY (promise_id, attempt));"
	/* the ready queue holds only rows that could be claimed; a
	 * heartbeat touches no column of it (lease, heartbeat, progress) */
	"CREATE INDEX promises_due ON promises (priority, id, not_before)"
	"  WHERE status = 'pending' AND waiting = 0;"
	"CREATE INDEX promises_lease ON promises (lease_expires_at)"
	"  WHERE status = 'running';"
	"CREATE INDEX promises_expiry ON promises (expires_at)"
	"  WHERE status IN ('offered', 'pending', 'waiting');"
	"CREATE INDEX promises_open_chat ON promises (chat_id, id)"
	"  WHERE status IN ('offered', 'pending', 'running', 'waiting');"
	"CREATE INDEX promises_chat ON promises (chat_id, id);"
	"CREATE TABLE notices ("
	"  id bigserial PRIMARY KEY,"
	"  promise_id bigint, kind text NOT NULL,"
	"  chat_id bigint NOT NULL, thread_id bigint, reply_to bigint,"
	"  text text, markup text, key text UNIQUE,"
	"  urgency int NOT NULL DEFAULT 1,"
	"  state int NOT NULL DEFAULT 0,"
	"  created_at timestamptz NOT NULL DEFAULT now(),"
	"  not_before timestamptz NOT NULL DEFAULT 'epoch',"
	"  out_until timestamptz,"
	"  tries int NOT NULL DEFAULT 0,"
	"  sent_at timestamptz, message_id bigint, error text,"
	"  callback_id text, edit_of bigint);"
	"CREATE INDEX notices_waiting ON notices (chat_id, id) WHERE state = 0;"
	"CREATE INDEX notices_promise ON notices (promise_id)"
	"  WHERE promise_id IS NOT NULL;",
	/* 6: the worker's hot path as server-side functions.  An unnamed
	 * statement is parsed and planned at every call, which was most of
	 * a claim+done's time; PL/pgSQL keeps its statements' plans for the
	 * session, and a function call goes through PgBouncer in
	 * transaction mode, where named prepared statements would not. */
	/* what a claim or a done rewrites: fewer index entries.  A
	 * heartbeat touches no indexed column (the lease's index was on
	 * lease_expires_at): reap looks at the running rows, one a worker,
	 * and a heartbeat can stay on its page (HOT, with room kept) */
	"DROP INDEX promises_lease;"
	"CREATE INDEX promises_running ON promises (id) WHERE status = 'running';"
	"ALTER TABLE promises SET (fillfactor = 90);"
	/* the ready queue holds what is due: a promise delayed (--delay,
	 * a retry's backoff) waits outside it, in an index of its own, until
	 * reap finds it due (every claimer looks once a second) */
	"ALTER TABLE promises ADD COLUMN delayed boolean NOT NULL DEFAULT false;"
	"UPDATE promises SET delayed = true WHERE not_before > now()"
	"  AND status IN ('offered', 'pending');"
	"DROP INDEX promises_due;"
	"CREATE INDEX promises_due ON promises (priority, id)"
	"  WHERE status = 'pending' AND waiting = 0 AND NOT delayed;"
	"CREATE INDEX promises_delayed ON promises (not_before) WHERE delayed;"
	/* most promises and notices have no key: none in the index */
	"ALTER TABLE promises DROP CONSTRAINT promises_key_key;"
	"CREATE UNIQUE INDEX promises_key ON promises (key) WHERE key IS NOT NULL;"
	"ALTER TABLE notices DROP CONSTRAINT notices_key_key;"
	"CREATE UNIQUE INDEX notices_key ON notices (key) WHERE key IS NOT NULL;"
	/* dead rows at the head of the ready index slow every claim down:
	 * vacuum a busy queue often, not after a fifth of it changed */
	"ALTER TABLE promises SET (autovacuum_vacuum_scale_factor = 0.01,"
	"  autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0.05);"
	"CREATE VIEW tgp_promises AS SELECT"
	"  id, status, chat_id, user_id, username, reply_to, thread_id, text,"
	"  task_type, priority, key, " AS_MS("created_at") ", " AS_MS("started_at") ","
	"  " AS_MS("finished_at") ", " AS_MS("not_before") ", " AS_MS("expires_at") ","
	"  attempt, max_attempts, timeout_ms, worker, " AS_MS("lease_expires_at") ","
	"  " AS_MS("heartbeat_at") ", cancel_requested::int AS cancel_requested,"
	"  progress, progress_note,"
	"  result, error, meta::text AS meta, notify, " AS_MS("notified_at") ", ack_message_id,"
	"  question, answers::text AS answers, user_error,"
	"  (SELECT string_agg(after_id::text, ',' ORDER BY after_id) FROM deps"
	"   WHERE promise_id = id) AS after"
	"  FROM promises;"
	"CREATE FUNCTION tgp_claim(w text, lease_ms bigint, types text, n int)"
	" RETURNS SETOF tgp_promises LANGUAGE plpgsql"
	" " GENERIC " AS $f$"
	" DECLARE ids bigint[]; r record;"
	" BEGIN"
	/* two statements, not one with "types IS NULL OR": each keeps a
	 * plan that fits it */
	"  IF types IS NULL THEN"
	"   ids := ARRAY(SELECT id FROM promises WHERE status = 'pending'"
	"    AND waiting = 0 AND NOT delayed AND not_before <= now()"
	"    ORDER BY priority, id LIMIT n FOR UPDATE SKIP LOCKED);"
	"  ELSE"
	"   ids := ARRAY(SELECT id FROM promises WHERE status = 'pending'"
	"    AND waiting = 0 AND NOT delayed AND not_before <= now()"
	"    AND coalesce(task_type, '') = ANY (string_to_array(types, ','))"
	"    ORDER BY priority, id LIMIT n FOR UPDATE SKIP LOCKED);"
	"  END IF;"
	"  FOR r IN UPDATE promises SET status = 'running', attempt = attempt + 1,"
	"    worker = w, lease_expires_at = now() + lease_ms * interval '1 millisecond',"
	"    heartbeat_at = now(), started_at = coalesce(started_at, now()),"
	"    progress = NULL, progress_note = NULL"
	"    WHERE id = ANY (ids) RETURNING id, attempt LOOP"
	"   INSERT INTO attempts (promise_id, attempt, worker, started_at)"
	"    VALUES (r.id, r.attempt, w, now());"
	"  END LOOP;"
	"  RETURN QUERY SELECT * FROM tgp_promises WHERE id = ANY (ids)"
	"   ORDER BY priority, id;"
	" END $f$;"
	/* done by the lease's holder: the attempt ends, the promise is done,
	 * its follow-up and the last edit of its acknowledgement are queued,
	 * the listeners told, and its dependants (if any: one look at an
	 * index) one dependency nearer; false when the guard fails */
	"CREATE FUNCTION tgp_done_one(pid bigint, w text, n int, res text)"
	" RETURNS boolean LANGUAGE plpgsql"
	" " GENERIC " AS $f$"
	" DECLARE r record;"
	" BEGIN"
	"  UPDATE promises SET status = 'done', finished_at = now(), result = res,"
	"    error = NULL, lease_expires_at = NULL,"
	"    notify = CASE WHEN chat_id IS NOT NULL THEN 1 ELSE 0 END"
	"   WHERE id = pid AND status = 'running' AND (w IS NULL OR worker = w)"
	"    AND (n <= 0 OR attempt = n)"
	"   RETURNING attempt, chat_id, thread_id, reply_to INTO r;"
	"  IF NOT FOUND THEN RETURN false; END IF;"
	"  UPDATE attempts SET ended_at = now(), outcome = 'done', error = NULL"
	"   WHERE promise_id = pid AND attempt = r.attempt;"
	"  IF r.chat_id IS NOT NULL THEN"
	"   INSERT INTO notices (promise_id, kind, chat_id, thread_id, reply_to, urgency)"
	"    VALUES (pid, 'done', r.chat_id, r.thread_id, r.reply_to, 1);"
	"   IF EXISTS (SELECT 1 FROM notices WHERE promise_id = pid"
	"     AND kind = 'ack' AND state IN (0, 1))"
	"    AND NOT EXISTS (SELECT 1 FROM notices WHERE promise_id = pid"
	"     AND kind = 'edit' AND edit_of IS NULL AND state = 0"
	"     AND out_until IS NULL) THEN"
	"    INSERT INTO notices (promise_id, kind, chat_id, thread_id, urgency)"
	"     VALUES (pid, 'edit', r.chat_id, r.thread_id, 2);"
	"   END IF;"
	"   PERFORM pg_notify('tgpromise', '');"
	"  END IF;"
	"  IF EXISTS (SELECT 1 FROM deps WHERE after_id = pid) THEN"
	"   UPDATE promises SET waiting = waiting - 1 WHERE id IN"
	"    (SELECT promise_id FROM deps WHERE after_id = pid)"
	"    AND status IN ('offered', 'pending');"
	"  END IF;"
	"  RETURN true;"
	" END $f$;"
	/* one done, returning the promise as it is now (no row: refused) */
	"CREATE FUNCTION tgp_done(pid bigint, w text, n int, res text)"
	" RETURNS SETOF tgp_promises LANGUAGE plpgsql"
	" " GENERIC " AS $f$"
	" BEGIN"
	"  IF tgp_done_one(pid, w, n, res) THEN"
	"   RETURN QUERY SELECT * FROM tgp_promises WHERE id = pid;"
	"  END IF;"
	" END $f$;"
	/* many: [{"id", "worker", "attempt", "result"}, ...], returning the
	 * places (from 1) of those done */
	"CREATE FUNCTION tgp_done_all(batch json)"
	" RETURNS SETOF bigint LANGUAGE plpgsql"
	" " GENERIC " AS $f$"
	" DECLARE d record;"
	" BEGIN"
	"  FOR d IN SELECT i, v->>'worker' AS w, (v->>'id')::bigint AS pid,"
	"    coalesce((v->>'attempt')::int, 0) AS n, v->>'result' AS res"
	"    FROM json_array_elements(batch) WITH ORDINALITY AS e(v, i) LOOP"
	"   IF tgp_done_one(d.pid, d.w, d.n, d.res) THEN RETURN NEXT d.i; END IF;"
	"  END LOOP;"
	" END $f$;",
};
enum { SCHEMA_VERSION = sizeof migrations / sizeof migrations[0] };

static int schema_version(struct store *st, int *v)
{
	PGresult *r;

	if (x(st, "CREATE TABLE IF NOT EXISTS tgpromise_schema (version int NOT NULL)",
	      0, NULL) || !(r = q(st, "SELECT coalesce(max(version), 0) FROM tgpromise_schema",
	                          0, NULL)))
		return FAILED(st);
	*v = (int)geti(r, 0, 0);
	PQclear(r);
	return 0;
}

/* In one transaction, under the schema's advisory lock: two processes
 * opening a new database at once migrate it once. */
static int migrate(struct store *st)
{
	struct nums ns = { .i = 0 };
	const char *v1[1];
	int v, rc;

	if ((rc = x(st, "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK ")", 0, NULL)) ||
	    (rc = schema_version(st, &v)))
		return rc;
	if (v > SCHEMA_VERSION) {
		store_complain(st, "PostgreSQL: schema version %d is newer than this "
		               "promise knows (%d)", v, SCHEMA_VERSION);
		return FAILED(st);
	}
	if (v == SCHEMA_VERSION)
		return 0;
	for (; v < SCHEMA_VERSION; v++) {
		/* several statements, no parameters: the simple protocol */
		PGresult *r = *migrations[v] ? PQexec(CONN(st), migrations[v]) : NULL;
		if (r && PQresultStatus(r) != PGRES_COMMAND_OK)
			return pgfail(st, r);
		PQclear(r);
	}
	v1[0] = num(&ns, v);
	if ((rc = x(st, "DELETE FROM tgpromise_schema", 0, NULL)))
		return rc;
	return x(st, "INSERT INTO tgpromise_schema VALUES ($1)", 1, v1);
}

/* Whether the schema is this binary's, asked without a transaction or
 * a lock (an error, a missing table, says no: migrate looks again). */
static int current(struct store *st)
{
	PGresult *r = PQexec(CONN(st), "SELECT max(version) FROM tgpromise_schema");
	int ok = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	         geti(r, 0, 0) == SCHEMA_VERSION;

	PQclear(r);
	return ok;
}

static void pg_close(struct store *st)
{
	if (!st)
		return;
	if (st->be) {
		PQfinish(CONN(st));
		free(st->be);
	}
	free(st);
}

/* Server notices (a NOTICE from CREATE ... IF NOT EXISTS) are not ours
 * to print. */
static void quiet(void *arg, const PGresult *r)
{
	(void)arg;
	(void)r;
}

extern const struct store_ops pg_ops;

/* The password in a URI (scheme://user:PASSWORD@host) or a keyword
 * string (password=PASSWORD) never appears in a diagnostic: libpq's
 * messages may quote the whole string. */
static void hide_password(const char *conninfo)
{
	const char *p = strstr(conninfo, "://"), *at, *colon, *kw;
	char buf[256];

	if (p && (at = strchr(p + 3, '@')) && (colon = memchr(p + 3, ':', (size_t)(at - p - 3))) &&
	    (size_t)(at - colon - 1) < sizeof buf) {
		snprintf(buf, sizeof buf, "%.*s", (int)(at - colon - 1), colon + 1);
		tgp_secret(buf);
	}
	if ((kw = strstr(conninfo, "password"))) {
		kw += 8;
		kw += strspn(kw, " ");
		if (*kw++ == '=') {
			kw += strspn(kw, " '");
			snprintf(buf, sizeof buf, "%.*s", (int)strcspn(kw, " '"), kw);
			tgp_secret(buf);
		}
	}
}

int store_pg_open(const char *conninfo, struct store **out)
{
	struct store *st = xmalloc(sizeof *st);
	struct pg *pg = xmalloc(sizeof *pg);
	char buf[512];
	int rc, tries = 0;

	memset(pg, 0, sizeof *pg);
	store_base_init(st, &pg_ops, pg);
	*out = NULL;
	hide_password(conninfo);
	pg->conn = PQconnectdb(conninfo);
	if (!pg->conn || PQstatus(pg->conn) != CONNECTION_OK) {
		/* the message names host and port, never the password */
		warn("PostgreSQL: cannot connect: %s", pg->conn ?
		     first_line(PQerrorMessage(pg->conn), buf, sizeof buf) : "out of memory");
		pg_close(st);
		return EXIT_DATA;
	}
	PQsetNoticeReceiver(pg->conn, quiet, NULL);
	/* The common case costs one round trip: the schema is current. */
	pg->retrying = 1;
	if (current(st))
		rc = 0;
	else do {
		if ((rc = begin(st)) == 0)
			rc = end(st, migrate(st));
	} while (again(st, rc, &tries));
	pg->retrying = 0;
	if (rc) {
		pg_close(st);
		return rc;
	}
	*out = st;
	return 0;
}

/* ---- reading promises ---- */

/* A promise as the tools see it: the view tgp_promises (migration 6),
 * times in milliseconds since the epoch, dependencies "1,2,3"; read_row
 * reads its columns in their order. */
#define PROW "SELECT * FROM tgp_promises"

static void read_row(const PGresult *r, int i, struct promise *p)
{
	const char *status = PQgetvalue(r, i, 1);

	promise_free(p);
	p->id = geti(r, i, 0);
	p->status = pstatus_parse(status);
	p->chat_id = geti(r, i, 2);
	p->user_id = geti(r, i, 3);
	p->username = gets_(r, i, 4);
	p->reply_to = geti(r, i, 5);
	p->thread_id = geti(r, i, 6);
	p->text = gets_(r, i, 7);
	p->task_type = gets_(r, i, 8);
	p->priority = (int)geti(r, i, 9);
	p->key = gets_(r, i, 10);
	p->created_at = geti(r, i, 11);
	p->started_at = geti(r, i, 12);
	p->finished_at = geti(r, i, 13);
	p->not_before = geti(r, i, 14);
	p->expires_at = geti(r, i, 15);
	p->attempt = (int)geti(r, i, 16);
	p->max_attempts = (int)geti(r, i, 17);
	p->timeout_ms = geti(r, i, 18);
	p->worker = gets_(r, i, 19);
	p->lease_expires_at = geti(r, i, 20);
	p->heartbeat_at = geti(r, i, 21);
	p->cancel_requested = (int)geti(r, i, 22);
	p->progress = PQgetisnull(r, i, 23) ? -1 : (int)geti(r, i, 23);
	p->progress_note = gets_(r, i, 24);
	p->result = gets_(r, i, 25);
	p->error = gets_(r, i, 26);
	p->meta = gets_(r, i, 27);
	p->notify = (int)geti(r, i, 28);
	p->notified_at = geti(r, i, 29);
	p->ack_message_id = geti(r, i, 30);
	p->question = gets_(r, i, 31);
	p->answers = gets_(r, i, 32);
	p->user_error = gets_(r, i, 33);
	/* the dependencies, "1,2,3", in the same row: one round trip */
	if (!PQgetisnull(r, i, 34)) {
		const char *d = PQgetvalue(r, i, 34);
		int n = 1;
		for (const char *c = d; *c; c++)
			n += *c == ',';
		p->after = xmalloc((size_t)n * sizeof *p->after);
		for (char *end; *d; d = *end ? end + 1 : end)
			p->after[p->nafter++] = strtoll(d, &end, 10);
	}
}

/* Loads promise id into p (locked for this transaction when lock is
 * set): 0, EXIT_NOTFOUND (reported), EXIT_DATA. */
static int load_as(struct store *st, int64_t id, struct promise *p, int lock)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { num(&ns, id) };
	PGresult *r = q(st, lock ? PROW " WHERE id = $1 FOR UPDATE"
	                         : PROW " WHERE id = $1", 1, v);

	if (!r)
		return FAILED(st);
	if (PQntuples(r) == 0) {
		PQclear(r);
		warn("no promise #%lld", (long long)id);
		return EXIT_NOTFOUND;
	}
	if (p)
		read_row(r, 0, p);
	PQclear(r);
	return 0;
}

static int load(struct store *st, int64_t id, struct promise *p)
{
	return load_as(st, id, p, 0);
}

static int pg_get(struct store *st, int64_t id, struct promise *out)
{
	TXN(st, load(st, id, out));
}

/* ---- what happens when a promise ends ---- */

static int end_attempt(struct store *st, int64_t id, int attempt,
                       const char *outcome, const char *error)
{
	struct nums ns = { .i = 0 };
	const char *v[4] = { num(&ns, id), num(&ns, attempt), outcome, error };

	return x(st, "UPDATE attempts SET ended_at = now(), outcome = $3, error = $4"
	         " WHERE promise_id = $1 AND attempt = $2", 4, v);
}

static int queue_followup(struct store *st, int64_t id)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { num(&ns, id) };

	return x(st, "INSERT INTO notices (promise_id, kind, chat_id, thread_id,"
	         " reply_to, urgency)"
	         " SELECT id, status, chat_id, thread_id, reply_to, 1"
	         " FROM promises WHERE id = $1 AND notify = 1", 1, v);
}

static int queue_edit(struct store *st, int64_t id)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { num(&ns, id) };

	return x(st, "INSERT INTO notices (promise_id, kind, chat_id, thread_id, urgency)"
	         " SELECT id, 'edit', chat_id, thread_id, 2 FROM promises"
	         " WHERE id = $1 AND chat_id IS NOT NULL"
	         " AND EXISTS (SELECT 1 FROM notices WHERE promise_id = $1"
	         "   AND kind = 'ack' AND state IN (0, 1))"
	         " AND NOT EXISTS (SELECT 1 FROM notices WHERE promise_id = $1"
	         "   AND kind = 'edit' AND edit_of IS NULL AND state = 0"
	         "   AND out_until IS NULL)", 1, v);
}

static int settle_dependants(struct store *st, int64_t id, int status, int depth);

static int close_promise(struct store *st, int64_t id, int status,
                         const char *result, const char *error, int notify,
                         int depth)
{
	struct nums ns = { .i = 0 };
	const char *v[5] = { num(&ns, id), pstatus_name(status), result, error,
	                     notify ? "1" : "0" };
	int rc;

	if ((rc = x(st, "UPDATE promises SET status = $2, finished_at = now(),"
	            " result = coalesce($3, result), error = $4,"
	            " notify = CASE WHEN $5::int = 1 AND chat_id IS NOT NULL THEN 1 ELSE 0 END,"
	            " worker = CASE WHEN status = 'running' THEN worker END,"
	            " lease_expires_at = NULL WHERE id = $1", 5, v)) ||
	    (rc = queue_followup(st, id)) || (rc = queue_edit(st, id)))
		return rc;
	return settle_dependants(st, id, status, depth);
}

/* Releasing dependants is kept out of the done path's statement: one
 * cheap look at deps first, most promises have none. */
static int settle_dependants(struct store *st, int64_t id, int status, int depth)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { num(&ns, id) };
	char why[96];
	PGresult *r;
	int rc = 0, n;
	int64_t *ids;

	if (status == PS_DONE) {
		if (!(r = q(st, "SELECT 1 FROM deps WHERE after_id = $1 LIMIT 1", 1, v)))
			return FAILED(st);
		n = PQntuples(r);
		PQclear(r);
		return n == 0 ? 0 : x(st, "UPDATE promises SET waiting = waiting - 1"
		                      " WHERE id IN (SELECT promise_id FROM deps WHERE after_id = $1)"
		                      " AND status IN ('offered', 'pending')", 1, v);
	}
	if (!(r = q(st, "SELECT p.id FROM deps d JOIN promises p ON p.id = d.promise_id"
	            " WHERE d.after_id = $1 AND p.status IN ('offered', 'pending')", 1, v)))
		return FAILED(st);
	n = PQntuples(r);
	ids = xmalloc((size_t)(n + 1) * sizeof *ids);
	for (int i = 0; i < n; i++)
		ids[i] = geti(r, i, 0);
	PQclear(r);
	store_dependency_why(why, sizeof why, id, status);
	for (int i = 0; i < n && rc == 0; i++)
		rc = close_promise(st, ids[i], PS_FAILED, NULL, why, 1, depth + 1);
	free(ids);
	return rc;
}

static int fail_attempt(struct store *st, int64_t id, int attempt,
                        int max_attempts, int cancel, int permanent,
                        const char *outcome, const char *error)
{
	struct nums ns = { .i = 0 };
	int rc, next = store_after_failure(attempt, max_attempts, cancel, permanent);

	if ((rc = end_attempt(st, id, attempt, outcome, error)))
		return rc;
	if (next != PS_PENDING)
		return close_promise(st, id, next, NULL, error, 1, 0);
	const char *v[3] = { num(&ns, id), num(&ns, store_backoff(st, attempt)), error };
	if ((rc = x(st, "UPDATE promises SET status = 'pending',"
	            " not_before = now() + $2 * interval '1 millisecond', delayed = $2 > 0,"
	            " error = $3, lease_expires_at = NULL WHERE id = $1", 3, v)))
		return rc;
	return queue_edit(st, id);
}

/* ---- reap ---- */

static int reap(struct store *st, int64_t *leases, int64_t *expired)
{
	PGresult *r;
	int rc = 0, n;

	/* Delayed promises that fell due join the ready queue; SKIP LOCKED
	 * here and below: two workers reaping at once take different rows,
	 * and neither waits for the other. */
	if ((rc = x(st, "UPDATE promises SET delayed = false WHERE id IN"
	            " (SELECT id FROM promises WHERE delayed AND not_before <= now()"
	            "  FOR UPDATE SKIP LOCKED)", 0, NULL)))
		return rc;
	if (!(r = q(st, "SELECT id, attempt, max_attempts, cancel_requested::int, worker"
	            " FROM promises WHERE status = 'running' AND lease_expires_at <= now()"
	            " ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED", 0, NULL)))
		return FAILED(st);
	n = PQntuples(r);
	for (int i = 0; i < n && rc == 0; i++) {
		char why[160];
		const char *w = PQgetisnull(r, i, 4) ? "its worker" : PQgetvalue(r, i, 4);
		snprintf(why, sizeof why, "lease of %s expired", w);
		rc = fail_attempt(st, geti(r, i, 0), (int)geti(r, i, 1), (int)geti(r, i, 2),
		                  (int)geti(r, i, 3), 0, "lost", why);
	}
	PQclear(r);
	if (leases)
		*leases += n;
	if (rc)
		return rc;
	if (!(r = q(st, "SELECT id, status FROM promises"
	            " WHERE status IN ('offered', 'pending', 'waiting') AND expires_at <= now()"
	            " ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED", 0, NULL)))
		return FAILED(st);
	n = PQntuples(r);
	for (int i = 0; i < n && rc == 0; i++)
		rc = close_promise(st, geti(r, i, 0), PS_EXPIRED, NULL,
		                   strcmp(PQgetvalue(r, i, 1), "waiting") == 0 ?
		                   "nobody answered its question in time" :
		                   "nobody took it before it expired",
		                   strcmp(PQgetvalue(r, i, 1), "offered") != 0, 0);
	PQclear(r);
	if (expired)
		*expired += n;
	return rc;
}

static int pg_reap(struct store *st, int64_t *leases, int64_t *expired)
{
	*leases = *expired = 0;
	TXN(st, reap(st, leases, expired));
}

/* ---- heartbeat ---- */

static int refused(struct store *st, int64_t id, const char *worker,
                   int attempt, const char *verb)
{
	struct promise p;
	int rc;

	promise_init(&p);
	if ((rc = load(st, id, &p)) == 0)
		rc = store_refused(&p, worker, attempt, verb);
	promise_free(&p);
	return rc;
}

static int heartbeat(struct store *st, int64_t id, const char *worker,
                     int attempt, int64_t lease_ms, int pct, const char *note,
                     int *cancel)
{
	struct nums ns = { .i = 0 };
	const char *v[6] = { num(&ns, id), worker, num(&ns, attempt), num(&ns, lease_ms),
	                     pct >= 0 ? num(&ns, pct > 100 ? 100 : pct) : NULL, note };
	PGresult *r;
	int moved, n;

	*cancel = 0;
	/* moved: whether the acknowledgement's edit would show news */
	if (!(r = q(st, "WITH old AS (SELECT progress, progress_note FROM promises"
	            "   WHERE id = $1 FOR UPDATE)"
	            " UPDATE promises SET lease_expires_at = now() + $4 * interval '1 millisecond',"
	            " heartbeat_at = now(), progress = coalesce($5::int, promises.progress),"
	            " progress_note = coalesce($6, promises.progress_note)"
	            " FROM old WHERE id = $1 AND status = 'running'"
	            " AND ($2::text IS NULL OR worker = $2) AND ($3::int <= 0 OR attempt = $3)"
	            " RETURNING cancel_requested::int,"
	            " ($5::int IS NOT NULL AND old.progress IS DISTINCT FROM $5::int)"
	            "  OR ($6::text IS NOT NULL AND old.progress_note IS DISTINCT FROM $6)",
	            6, v)))
		return FAILED(st);
	n = PQntuples(r);
	if (n) {
		*cancel = (int)geti(r, 0, 0);
		moved = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
	}
	PQclear(r);
	if (!n)
		return refused(st, id, worker, attempt, "heartbeat for");
	return moved ? queue_edit(st, id) : 0;
}

static int pg_heartbeat(struct store *st, int64_t id, const char *worker,
                        int attempt, int64_t lease_ms, int pct, const char *note)
{
	int cancel = 0, rc, tries = 0;

	PG(st)->retrying = !st->in_batch;
	do {
		if ((rc = begin(st)) == 0)
			rc = end(st, heartbeat(st, id, worker, attempt, lease_ms, pct, note,
			                       &cancel));
	} while (again(st, rc, &tries));
	PG(st)->retrying = 0;
	return rc == 0 && cancel ? EXIT_CANCEL : rc;
}

/* ---- add ---- */

static int check_deps(struct store *st, const struct promise *p, int *waiting)
{
	*waiting = 0;
	for (int i = 0; i < p->nafter; i++) {
		struct nums ns = { .i = 0 };
		const char *v[1] = { num(&ns, p->after[i]) };
		PGresult *r = q(st, "SELECT status FROM promises WHERE id = $1 FOR SHARE", 1, v);
		int status;

		if (!r)
			return FAILED(st);
		if (PQntuples(r) == 0) {
			PQclear(r);
			store_complain(st, "no promise #%lld to wait for", (long long)p->after[i]);
			return EXIT_NOTFOUND;
		}
		status = pstatus_parse(PQgetvalue(r, 0, 0));
		PQclear(r);
		if (status == PS_FAILED || status == PS_CANCELLED || status == PS_EXPIRED) {
			store_complain(st, "dependency #%lld has already ended %s",
			               (long long)p->after[i], pstatus_name(status));
			return EXIT_CONFLICT;
		}
		*waiting += status != PS_DONE;
	}
	return 0;
}

static int find_key(struct store *st, const char *key, int64_t *id)
{
	const char *v[1] = { key };
	PGresult *r = q(st, "SELECT id FROM promises WHERE key = $1", 1, v);

	if (!r)
		return FAILED(st);
	*id = PQntuples(r) ? geti(r, 0, 0) : 0;
	PQclear(r);
	return 0;
}

static int add(struct store *st, struct promise *p, const struct add_limits *lim,
               int *duplicate)
{
	struct nums ns = { .i = 0 };
	PGresult *r;
	int64_t id;
	int rc, waiting;

	*duplicate = 0;
	if (p->key) {
		if ((rc = find_key(st, p->key, &id)))
			return rc;
		if (id) {
			*duplicate = 1;
			return load(st, id, p);
		}
	}
	if (p->chat_id && lim && lim->max_open_per_chat > 0) {
		const char *v[2] = { num(&ns, p->chat_id), num(&ns, lim->max_open_per_chat) };
		int64_t n;

		/* Counting and adding are one step per chat: writers run side
		 * by side here, and each would count what the others have not
		 * yet committed. */
		if ((rc = x(st, "SELECT pg_advisory_xact_lock($1::int8)", 1, v)) ||
		    !(r = q(st, "SELECT count(*) FROM (SELECT 1 FROM promises WHERE chat_id = $1"
		            " AND status IN ('offered', 'pending', 'running', 'waiting')"
		            " LIMIT $2) o", 2, v)))
			return rc ? rc : FAILED(st);
		n = geti(r, 0, 0);
		PQclear(r);
		if (n >= lim->max_open_per_chat) {
			store_complain(st, "chat %lld already has %lld open promises (the limit)",
			               (long long)p->chat_id, (long long)n);
			return EXIT_LIMIT;
		}
	}
	if ((rc = check_deps(st, p, &waiting)))
		return rc;
	ns.i = 0;
	const char *v[17] = {
		pstatus_name(p->status), opt(&ns, p->chat_id), opt(&ns, p->user_id),
		p->username, opt(&ns, p->reply_to), opt(&ns, p->thread_id), p->text,
		p->task_type, num(&ns, p->priority), p->key,
		opt(&ns, p->not_before), opt(&ns, p->expires_at),
		num(&ns, p->max_attempts), opt(&ns, p->timeout_ms), p->meta,
		num(&ns, waiting), NULL,
	};
	/* ON CONFLICT: another adder of the same key may have won since. */
	if (!(r = q(st, "INSERT INTO promises (status, chat_id, user_id, username,"
	            " reply_to, thread_id, text, task_type, priority, key, not_before,"
	            " expires_at, max_attempts, timeout_ms, meta, waiting, delayed)"
	            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	            " coalesce(to_timestamp($11::int8 / 1000.0), now()),"
	            " to_timestamp($12::int8 / 1000.0), $13, $14, $15::jsonb, $16,"
	            " coalesce(to_timestamp($11::int8 / 1000.0) > now(), false))"
	            " ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING"
	            " RETURNING id, " MS("created_at") ", " MS("not_before"), 16, v)))
		return FAILED(st);
	if (PQntuples(r) == 0) {
		PQclear(r);
		if ((rc = find_key(st, p->key, &id)))
			return rc;
		*duplicate = 1;
		return load(st, id, p);
	}
	p->id = geti(r, 0, 0);
	p->created_at = geti(r, 0, 1);
	p->not_before = geti(r, 0, 2);
	PQclear(r);
	for (int i = 0; i < p->nafter; i++) {
		ns.i = 0;
		const char *d[2] = { num(&ns, p->id), num(&ns, p->after[i]) };
		if ((rc = x(st, "INSERT INTO deps (promise_id, after_id) VALUES ($1, $2)"
		            " ON CONFLICT DO NOTHING", 2, d)))
			return rc;
	}
	return 0;
}

static int pg_add(struct store *st, struct promise *p,
                  const struct add_limits *lim, int *duplicate)
{
	TXN(st, add(st, p, lim, duplicate));
}

static int pg_batch_begin(struct store *st)
{
	int rc = begin(st);

	st->in_batch = rc == 0;
	return rc;
}

static int pg_batch_end(struct store *st, int ok)
{
	st->in_batch = 0;
	if (ok)
		return commit(st);
	PQclear(PQexec(CONN(st), "ROLLBACK"));
	return 0;
}

/* ---- claim ---- */

static int take(struct store *st, const struct claim_opts *o, int limit,
                struct promise *out, int *n)
{
	struct nums ns = { .i = 0 };
	char *types = NULL;
	PGresult *r;

	if (o->ntypes) {
		size_t len = 1;
		for (int i = 0; i < o->ntypes; i++)
			len += strlen(o->types[i]) + 1;
		types = xmalloc(len);
		*types = '\0';
		for (int i = 0; i < o->ntypes; i++)
			strcat(strcat(types, i ? "," : ""), o->types[i]);
	}
	const char *v[4] = { o->worker, num(&ns, o->lease_ms), types, num(&ns, limit) };
	/* One statement: tgp_claim picks (locking the rows, skipping those
	 * that other claimers hold), takes, and logs the attempts. */
	r = q(st, "SELECT * FROM tgp_claim($1, $2, $3, $4)", 4, v);
	free(types);
	if (!r)
		return FAILED(st);
	*n = PQntuples(r) < limit ? PQntuples(r) : limit;
	for (int i = 0; i < *n; i++)
		read_row(r, i, &out[i]);
	PQclear(r);
	return *n ? 0 : EXIT_NONE;
}

/* Leases that ran out go back first; a kept connection (claim --wait,
 * a worker's loop) looks once a second, not at every claim. */
static int reap_then_take(struct store *st, const struct claim_opts *o,
                          int limit, struct promise *out, int *n)
{
	int rc = reap(st, NULL, NULL);

	if (rc)
		return rc;
	PG(st)->reaped = mono_ms();
	return take(st, o, limit, out, n);
}

static int pg_claim(struct store *st, const struct claim_opts *o, int limit,
                    struct promise *out, int *n)
{
	if (mono_ms() - PG(st)->reaped >= 1000)
		TXN(st, reap_then_take(st, o, limit, out, n));
	ONE(st, take(st, o, limit, out, n));
}

/* ---- done, fail, release, cancel, retry ---- */

static int finish(struct store *st, const struct outcome *o, struct promise *after)
{
	struct promise p;
	int rc;

	promise_init(&p);
	if ((rc = load_as(st, o->id, &p, 1)) ||
	    (rc = store_lease_is(&p, o->worker, o->attempt,
	                         o->kind == OUT_DONE ? "done for" :
	                         o->kind == OUT_FAIL ? "fail for" : "cancel for")))
		goto out;
	switch (o->kind) {
	case OUT_DONE:
		if (!(rc = end_attempt(st, p.id, p.attempt, "done", NULL)))
			rc = close_promise(st, p.id, PS_DONE, o->result ? o->result : "",
			                   NULL, 1, 0);
		break;
	case OUT_CANCELLED:
		if (!(rc = end_attempt(st, p.id, p.attempt, "cancelled", o->error)))
			rc = close_promise(st, p.id, PS_CANCELLED, o->result, o->error, 1, 0);
		break;
	case OUT_FAIL:
		rc = fail_attempt(st, p.id, p.attempt, p.max_attempts, p.cancel_requested,
		                  o->permanent, "failed", o->error ? o->error : "failed");
		break;
	}
	if (rc == 0 && after)
		rc = load(st, p.id, after);
out:
	promise_free(&p);
	return rc;
}

/*
 * The common end, done by the worker that holds the lease, in one
 * statement: the attempt ends, the promise is done, its follow-up and
 * the last edit of its acknowledgement are queued, its dependants are
 * one dependency nearer, the listeners are told.  EXIT_NONE when the
 * guard fails: the full path then says why.
 */
static int done_at_once(struct store *st, const struct outcome *o,
                        struct promise *after)
{
	struct nums ns = { .i = 0 };
	const char *v[4] = { num(&ns, o->id), o->worker, num(&ns, o->attempt),
	                     o->result ? o->result : "" };
	PGresult *r = q(st, "SELECT * FROM tgp_done($1, $2, $3, $4)", 4, v);

	if (!r)
		return FAILED(st);
	if (PQntuples(r) == 0) {
		PQclear(r);
		return EXIT_NONE;
	}
	if (after)
		read_row(r, 0, after);
	PQclear(r);
	return 0;
}

static int pg_finish(struct store *st, const struct outcome *o,
                     struct promise *after)
{
	/* in a batch too: a conflict then ends the batch (7), and a guard
	 * that failed left the transaction as it was */
	if (o->kind == OUT_DONE) {
		int rc;

		PG(st)->retrying = !st->in_batch;
		rc = done_at_once(st, o, after);
		PG(st)->retrying = 0;
		if (rc != EXIT_NONE && !(rc == EXIT_TEMPFAIL && PG(st)->failed_retryable &&
		                         !st->in_batch))
			return rc;
	}
	TXN(st, finish(st, o, after));
}

/* In the caller's transaction: the dones of the lease's holders in one
 * statement (tgp_done_all, the batch as a JSON parameter), then the rest
 * (the other outcomes, and the dones refused, to say why) one by one. */
static int pg_finish_some(struct store *st, const struct outcome *o, int n,
                          int *rcs)
{
	cJSON *all = cJSON_CreateArray(), *d;
	int *at = xmalloc((size_t)(n + 1) * sizeof *at);   /* the dones' places in o */
	char *json = NULL;
	PGresult *r;
	int dones = 0;

	if (!all)
		die(EXIT_DATA, "out of memory");
	for (int i = 0; i < n; i++) {
		rcs[i] = -1;
		if (o[i].kind != OUT_DONE)
			continue;
		if (!(d = cJSON_CreateObject()))
			die(EXIT_DATA, "out of memory");
		cJSON_AddItemToArray(all, d);
		cJSON_AddNumberToObject(d, "id", (double)o[i].id);
		cJSON_AddNumberToObject(d, "attempt", o[i].attempt);
		if (o[i].worker)
			cJSON_AddStringToObject(d, "worker", o[i].worker);
		cJSON_AddStringToObject(d, "result", o[i].result ? o[i].result : "");
		at[dones++] = i;
	}
	if (dones && !(json = cJSON_PrintUnformatted(all)))
		die(EXIT_DATA, "out of memory");
	cJSON_Delete(all);
	if (json) {
		const char *v[1] = { json };
		r = q(st, "SELECT * FROM tgp_done_all($1)", 1, v);
		free(json);
		if (!r) {
			free(at);
			return FAILED(st);
		}
		for (int k = 0; k < PQntuples(r); k++) {
			int64_t place = geti(r, k, 0);     /* from 1 */
			if (place >= 1 && place <= dones)
				rcs[at[place - 1]] = 0;
		}
		PQclear(r);
	}
	free(at);
	for (int i = 0; i < n; i++) {
		if (rcs[i] >= 0)
			continue;
		rcs[i] = pg_finish(st, &o[i], NULL);
		if (rcs[i] == EXIT_DATA || rcs[i] == EXIT_TEMPFAIL)
			return rcs[i];
	}
	return 0;
}

static int release(struct store *st, int64_t id, const char *worker,
                   int attempt, const char *why, struct promise *after)
{
	struct nums ns = { .i = 0 };
	struct promise p;
	int rc;

	promise_init(&p);
	if ((rc = load_as(st, id, &p, 1)) ||
	    (rc = store_lease_is(&p, worker, attempt, "release of")))
		goto out;
	if (p.cancel_requested) {
		if (!(rc = end_attempt(st, id, p.attempt, "cancelled", "cancelled")))
			rc = close_promise(st, id, PS_CANCELLED, NULL, "cancelled", 1, 0);
	} else if (!(rc = end_attempt(st, id, p.attempt, "released", why))) {
		const char *v[1] = { num(&ns, id) };
		rc = x(st, "UPDATE promises SET status = 'pending',"
		       " not_before = now(), delayed = false,"
		       " lease_expires_at = NULL, max_attempts = max_attempts + 1"
		       " WHERE id = $1", 1, v);
	}
	if (rc == 0 && after)
		rc = load(st, id, after);
out:
	promise_free(&p);
	return rc;
}

static int pg_release(struct store *st, int64_t id, const char *worker,
                      int attempt, const char *why, struct promise *after)
{
	TXN(st, release(st, id, worker, attempt, why, after));
}

static int cancel(struct store *st, int64_t id, struct promise *after)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { num(&ns, id) };
	struct promise p;
	int rc;

	promise_init(&p);
	if ((rc = load_as(st, id, &p, 1)))
		goto out;
	switch (p.status) {
	case PS_OFFERED:
		rc = close_promise(st, id, PS_CANCELLED, NULL, "cancelled", 0, 0);
		break;
	case PS_PENDING:
	case PS_WAITING:
		rc = close_promise(st, id, PS_CANCELLED, NULL, "cancelled", 1, 0);
		break;
	case PS_RUNNING:
		rc = x(st, "UPDATE promises SET cancel_requested = true WHERE id = $1", 1, v);
		break;
	default:
		warn("cannot cancel #%lld: it has already ended %s", (long long)id,
		     pstatus_name(p.status));
		rc = EXIT_CONFLICT;
	}
	if (rc == 0 && after)
		rc = load(st, id, after);
out:
	promise_free(&p);
	return rc;
}

static int pg_cancel(struct store *st, int64_t id, struct promise *after)
{
	TXN(st, cancel(st, id, after));
}

static int retry(struct store *st, int64_t id, struct promise *after)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { num(&ns, id) };
	struct promise p;
	int rc;

	promise_init(&p);
	if ((rc = load_as(st, id, &p, 1)))
		goto out;
	if (p.status != PS_FAILED && p.status != PS_CANCELLED && p.status != PS_EXPIRED) {
		warn("cannot retry #%lld: it is %s", (long long)id, pstatus_name(p.status));
		rc = EXIT_CONFLICT;
		goto out;
	}
	if ((rc = x(st, "UPDATE promises SET status = 'pending',"
	            " not_before = now(), delayed = false,"
	            " finished_at = NULL, error = NULL, result = NULL,"
	            " user_error = NULL, question = NULL,"
	            " cancel_requested = false, notify = 0,"
	            " max_attempts = greatest(max_attempts, attempt + 1),"
	            " expires_at = CASE WHEN expires_at IS NULL THEN NULL"
	            "   ELSE now() + greatest(expires_at - created_at, interval '0') END,"
	            " waiting = (SELECT count(*) FROM deps d JOIN promises q"
	            "   ON q.id = d.after_id WHERE d.promise_id = $1"
	            "   AND q.status != 'done')"
	            " WHERE id = $1", 1, v)) == 0 &&
	    (rc = x(st, "UPDATE notices SET state = 3 WHERE promise_id = $1 AND state = 0"
	            " AND kind IN ('done', 'failed', 'cancelled', 'expired')"
	            " AND out_until IS NULL", 1, v)) == 0 && after)
		rc = load(st, id, after);
out:
	promise_free(&p);
	return rc;
}

static int pg_retry(struct store *st, int64_t id, struct promise *after)
{
	TXN(st, retry(st, id, after));
}

/* ---- list, attempts, stats ---- */

static int list(struct store *st, const struct list_filter *f,
                int (*fn)(struct promise *, void *), void *arg)
{
	struct nums ns = { .i = 0 };
	const char *v[4] = { opt(&ns, f->chat_id), num(&ns, f->statuses), f->task_type,
	                     f->limit > 0 ? num(&ns, f->limit) : NULL };
	struct promise p;
	PGresult *r;
	int rc = 0, n;

	if (!(r = q(st, PROW
	            " WHERE ($1::int8 IS NULL OR chat_id = $1)"
	            " AND ($2::int8 = 0 OR ($2::int8 >> CASE status WHEN 'offered' THEN 0"
	            "   WHEN 'pending' THEN 1 WHEN 'running' THEN 2 WHEN 'waiting' THEN 3"
	            "   WHEN 'done' THEN 4 WHEN 'failed' THEN 5 WHEN 'cancelled' THEN 6"
	            "   ELSE 7 END) & 1 = 1)"
	            " AND ($3::text IS NULL OR task_type = $3)"
	            " ORDER BY id DESC LIMIT $4::int8", 4, v)))
		return FAILED(st);
	n = PQntuples(r);
	promise_init(&p);
	for (int i = 0; i < n; i++) {
		read_row(r, i, &p);
		if (fn(&p, arg))
			break;
	}
	promise_free(&p);
	PQclear(r);
	return rc;
}

static int pg_list(struct store *st, const struct list_filter *f,
                   int (*fn)(struct promise *, void *), void *arg)
{
	TXN(st, list(st, f, fn, arg));
}

static int attempts(struct store *st, int64_t id,
                    int (*fn)(const struct attempt *, void *), void *arg)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { num(&ns, id) };
	PGresult *r = q(st, "SELECT attempt, worker, " MS("started_at") ", " MS("ended_at")
	                ", outcome, error FROM attempts WHERE promise_id = $1"
	                " ORDER BY attempt", 1, v);
	struct attempt a;

	if (!r)
		return FAILED(st);
	for (int i = 0; i < PQntuples(r); i++) {
		a.n = (int)geti(r, i, 0);
		a.worker = PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1);
		a.started_at = geti(r, i, 2);
		a.ended_at = geti(r, i, 3);
		a.outcome = PQgetisnull(r, i, 4) ? NULL : PQgetvalue(r, i, 4);
		a.error = PQgetisnull(r, i, 5) ? NULL : PQgetvalue(r, i, 5);
		if (fn(&a, arg))
			break;
	}
	PQclear(r);
	return 0;
}

static int pg_attempts(struct store *st, int64_t id,
                       int (*fn)(const struct attempt *, void *), void *arg)
{
	TXN(st, attempts(st, id, fn, arg));
}

static int stats(struct store *st, struct store_stats *o)
{
	PGresult *r;

	memset(o, 0, sizeof *o);
	if (!(r = q(st, "SELECT status, count(*) FROM promises GROUP BY status", 0, NULL)))
		return FAILED(st);
	for (int i = 0; i < PQntuples(r); i++) {
		int k = pstatus_parse(PQgetvalue(r, i, 0));
		if (k >= 0)
			o->count[k] = geti(r, i, 1);
	}
	PQclear(r);
	if (!(r = q(st, "SELECT"
	            " (SELECT " MS("now() - min(not_before) + 'epoch'::timestamptz")
	            "   FROM promises WHERE status = 'pending' AND waiting = 0"
	            "   AND not_before <= now()),"
	            " (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY w) FROM"
	            "   (SELECT " MS("started_at") " - " MS("created_at") " AS w FROM promises"
	            "    WHERE started_at IS NOT NULL ORDER BY id DESC LIMIT 1000) s),"
	            " (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY d) FROM"
	            "   (SELECT " MS("ended_at") " - " MS("started_at") " AS d FROM attempts"
	            "    WHERE ended_at IS NOT NULL ORDER BY started_at DESC LIMIT 1000) s),"
	            " (SELECT count(*) FROM notices WHERE state = 0)", 0, NULL)))
		return FAILED(st);
	o->oldest_due_ms = PQgetisnull(r, 0, 0) ? -1 : geti(r, 0, 0);
	o->median_wait_ms = PQgetisnull(r, 0, 1) ? -1 : geti(r, 0, 1);
	o->median_run_ms = PQgetisnull(r, 0, 2) ? -1 : geti(r, 0, 2);
	o->outbox = geti(r, 0, 3);
	PQclear(r);
	return 0;
}

static int pg_stats(struct store *st, struct store_stats *out)
{
	TXN(st, stats(st, out));
}

/* Woken by NOTIFY (a hint; outbox --follow polls as well).  Behind
 * PgBouncer in transaction mode LISTEN does not work: with
 * PROMISE_PG_LISTEN=0 this says "changed" once a second instead. */
static int pg_changed(struct store *st)
{
	const char *listen = getenv("PROMISE_PG_LISTEN");
	PGnotify *n;
	int any = 0;

	if (listen && strcmp(listen, "0") == 0) {
		int64_t now = mono_ms();
		if (now - PG(st)->polled < 1000)
			return 0;
		PG(st)->polled = now;
		return 1;
	}
	if (!PG(st)->listening) {
		PG(st)->listening = x(st, "LISTEN tgpromise", 0, NULL) == 0;
		return 1;
	}
	if (!PQconsumeInput(CONN(st)))
		return 1;
	while ((n = PQnotifies(CONN(st)))) {
		any = 1;
		PQfreemem(n);
	}
	return any;
}

static int64_t pg_scan_steps(struct store *st)
{
	(void)st;
	return 0;
}

/* ---- offers, questions, edits, meta ---- */

static int id_by_ids(struct store *st, const char *sql, int64_t a, int64_t b,
                     int64_t *id)
{
	struct nums ns = { .i = 0 };
	const char *v[2] = { num(&ns, a), num(&ns, b) };
	PGresult *r = q(st, sql, 2, v);

	if (!r)
		return FAILED(st);
	*id = PQntuples(r) ? geti(r, 0, 0) : 0;
	PQclear(r);
	return 0;
}

static int pg_asked_by(struct store *st, int64_t chat, int64_t message_id,
                       int64_t *id)
{
	TXN(st, id_by_ids(st, "SELECT CASE WHEN p.status = 'waiting' AND n.id = (SELECT max(id)"
	                  "   FROM notices WHERE promise_id = p.id AND kind = 'question')"
	                  "  THEN p.id ELSE -p.id END"
	                  " FROM notices n JOIN promises p ON p.id = n.promise_id"
	                  " WHERE n.chat_id = $1 AND n.message_id = $2 AND n.kind = 'question'"
	                  " ORDER BY n.id DESC LIMIT 1",
	                  chat, message_id, id));
}

static int pg_made_from(struct store *st, int64_t chat, int64_t message_id,
                        int64_t *id)
{
	TXN(st, id_by_ids(st, "SELECT id FROM promises WHERE chat_id = $1 AND reply_to = $2"
	                  " ORDER BY id DESC LIMIT 1", chat, message_id, id));
}

/* Runs a guarded UPDATE; *changed says whether it found its row. */
static int update(struct store *st, const char *sql, int n, const char *const *v,
                  int *changed)
{
	PGresult *r = q(st, sql, n, v);

	if (!r)
		return FAILED(st);
	*changed = atoi(PQcmdTuples(r)) > 0;
	PQclear(r);
	return 0;
}

static int retext(struct store *st, int64_t id, const char *text,
                  struct promise *after)
{
	struct nums ns = { .i = 0 };
	const char *v[2] = { num(&ns, id), text };
	struct promise p;
	int rc, changed;

	if ((rc = update(st, "UPDATE promises SET text = $2 WHERE id = $1"
	                 " AND status IN ('offered', 'pending') AND attempt = 0",
	                 2, v, &changed)))
		return rc;
	promise_init(&p);
	if ((rc = load(st, id, &p)) == 0 && !changed) {
		store_complain(st, "#%lld has %s: an edit no longer changes it",
		               (long long)id, pstatus_open(p.status) ? "started" : "ended");
		rc = EXIT_CONFLICT;
	}
	promise_free(&p);
	return rc == 0 && after ? load(st, id, after) : rc;
}

static int pg_retext(struct store *st, int64_t id, const char *text,
                     struct promise *after)
{
	TXN(st, retext(st, id, text, after));
}

static int accept(struct store *st, int64_t id, int64_t chat, int yes,
                  struct promise *after)
{
	struct nums ns = { .i = 0 };
	struct promise p;
	PGresult *r;
	int rc;

	if (!id) {
		const char *v[1] = { num(&ns, chat) };
		if (!(r = q(st, "SELECT id FROM promises WHERE chat_id = $1"
		            " AND status = 'offered' ORDER BY id DESC LIMIT 1", 1, v)))
			return FAILED(st);
		id = PQntuples(r) ? geti(r, 0, 0) : 0;
		PQclear(r);
		if (!id) {
			warn("no open offer in chat %lld", (long long)chat);
			return EXIT_NOTFOUND;
		}
	}
	promise_init(&p);
	if ((rc = load_as(st, id, &p, 1)))
		goto out;
	if (p.status != PS_OFFERED) {
		warn("#%lld is %s, not an open offer", (long long)id, pstatus_name(p.status));
		rc = EXIT_CONFLICT;
		goto out;
	}
	if (yes) {
		const char *v[1] = { num(&ns, id) };
		rc = x(st, "UPDATE promises SET status = 'pending',"
		       " not_before = greatest(not_before, now()), delayed = not_before > now()"
		       " WHERE id = $1 AND status = 'offered'", 1, v);
	} else {
		rc = close_promise(st, id, PS_CANCELLED, NULL, "declined", 0, 0);
	}
	if (rc == 0 && after)
		rc = load(st, id, after);
out:
	promise_free(&p);
	return rc;
}

static int pg_accept(struct store *st, int64_t id, int64_t chat, int yes,
                     struct promise *after)
{
	TXN(st, accept(st, id, chat, yes, after));
}

/* RFC 7396, as SQLite's json_patch: objects merge key by key, a null
 * deletes, anything else replaces. */
static const char merge_patch_fn[] =
	"CREATE OR REPLACE FUNCTION pg_temp.merge_patch(t jsonb, p jsonb) RETURNS jsonb"
	" LANGUAGE sql IMMUTABLE AS $f$"
	" SELECT CASE WHEN jsonb_typeof(p) <> 'object' THEN p"
	"  ELSE (SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb) FROM ("
	"   SELECT k, CASE WHEN p ? k THEN pg_temp.merge_patch("
	"     CASE WHEN jsonb_typeof(t) = 'object' THEN t -> k END, p -> k)"
	"     ELSE t -> k END AS v"
	"   FROM (SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(t) = 'object'"
	"     THEN t ELSE '{}' END) AS k UNION SELECT jsonb_object_keys(p)) keys) kv"
	"   WHERE v IS NOT NULL AND v <> 'null'::jsonb) END $f$";

static int meta(struct store *st, int64_t id, const char *patch,
                struct promise *after)
{
	struct nums ns = { .i = 0 };
	const char *v[2] = { num(&ns, id), patch };
	int rc, changed;

	if ((rc = x(st, merge_patch_fn, 0, NULL)) ||
	    (rc = update(st, "UPDATE promises SET meta ="
	                 " pg_temp.merge_patch(coalesce(meta, '{}'), $2::jsonb)"
	                 " WHERE id = $1", 2, v, &changed)))
		return rc;
	if (!changed) {
		warn("no promise #%lld", (long long)id);
		return EXIT_NOTFOUND;
	}
	return after ? load(st, id, after) : 0;
}

static int pg_meta(struct store *st, int64_t id, const char *patch,
                   struct promise *after)
{
	TXN(st, meta(st, id, patch, after));
}

static int gc(struct store *st, int64_t age_ms, int64_t *deleted)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { num(&ns, age_ms) };
	PGresult *r;
	int rc;

	if (!(r = q(st, "CREATE TEMP TABLE gc_ids ON COMMIT DROP AS"
	            " SELECT id FROM promises"
	            " WHERE status IN ('done', 'failed', 'cancelled', 'expired')"
	            " AND finished_at < now() - $1 * interval '1 millisecond' AND notify != 1"
	            " AND NOT EXISTS (SELECT 1 FROM deps d JOIN promises q"
	            "   ON q.id = d.promise_id WHERE d.after_id = promises.id"
	            "   AND q.status IN ('offered', 'pending', 'running', 'waiting'))",
	            1, v)))
		return FAILED(st);
	*deleted = atoll(PQcmdTuples(r));
	PQclear(r);
	if ((rc = x(st, "DELETE FROM attempts WHERE promise_id IN (SELECT id FROM gc_ids)",
	            0, NULL)) ||
	    (rc = x(st, "DELETE FROM deps WHERE promise_id IN (SELECT id FROM gc_ids)"
	            " OR after_id IN (SELECT id FROM gc_ids)", 0, NULL)) ||
	    (rc = x(st, "DELETE FROM promises WHERE id IN (SELECT id FROM gc_ids)", 0, NULL)))
		return rc;
	return x(st, "DELETE FROM notices WHERE promise_id IN (SELECT id FROM gc_ids)"
	         " OR (state != 0 AND created_at < now() - $1 * interval '1 millisecond')",
	         1, v);
}

static int pg_gc(struct store *st, int64_t age_ms, int64_t *deleted)
{
	*deleted = 0;
	TXN(st, gc(st, age_ms, deleted));
}

/* ---- notices ---- */

#define NCOLS \
	"id, promise_id, kind, chat_id, thread_id, reply_to, text, markup," \
	" key, urgency, state, tries, " MS("created_at") ", " MS("sent_at") "," \
	" message_id, error, callback_id, edit_of, " MS("not_before")

static void read_notice(const PGresult *r, int i, struct notice *n)
{
	notice_free(n);
	n->id = geti(r, i, 0);
	n->promise_id = geti(r, i, 1);
	n->kind = gets_(r, i, 2);
	n->chat_id = geti(r, i, 3);
	n->thread_id = geti(r, i, 4);
	n->reply_to = geti(r, i, 5);
	n->text = gets_(r, i, 6);
	n->markup = gets_(r, i, 7);
	n->key = gets_(r, i, 8);
	n->urgency = (int)geti(r, i, 9);
	n->state = (int)geti(r, i, 10);
	n->tries = (int)geti(r, i, 11);
	n->created_at = geti(r, i, 12);
	n->sent_at = geti(r, i, 13);
	n->message_id = geti(r, i, 14);
	n->error = gets_(r, i, 15);
	n->callback_id = gets_(r, i, 16);
	n->edit_of = geti(r, i, 17);
	n->not_before = geti(r, i, 18);
}

static int say(struct store *st, struct notice *n, int *duplicate)
{
	struct nums ns = { .i = 0 };
	PGresult *r;

	*duplicate = 0;
	if (!n->chat_id || !n->kind) {
		store_complain(st, "a notice needs a chat and a kind");
		return EXIT_USAGE;
	}
	const char *v[12] = {
		opt(&ns, n->promise_id), n->kind, num(&ns, n->chat_id),
		opt(&ns, n->thread_id), opt(&ns, n->reply_to), n->text, n->markup,
		n->key, num(&ns, n->urgency), n->callback_id, opt(&ns, n->edit_of),
		opt(&ns, n->not_before),
	};
	if (!(r = q(st, "INSERT INTO notices (promise_id, kind, chat_id, thread_id,"
	            " reply_to, text, markup, key, urgency, callback_id, edit_of, not_before)"
	            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
	            " coalesce(to_timestamp($12::int8 / 1000.0), 'epoch'))"
	            " ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING"
	            " RETURNING id, " MS("created_at"),
	            12, v)))
		return FAILED(st);
	if (PQntuples(r) == 0) {
		PQclear(r);
		const char *k[1] = { n->key };
		if (!(r = q(st, "SELECT id FROM notices WHERE key = $1", 1, k)))
			return FAILED(st);
		*duplicate = 1;
		n->id = PQntuples(r) ? geti(r, 0, 0) : 0;
		PQclear(r);
		return 0;
	}
	n->id = geti(r, 0, 0);
	n->created_at = geti(r, 0, 1);
	PQclear(r);
	if (strcmp(n->kind, "typing") != 0 && strcmp(n->kind, "callback") != 0) {
		/* what is said in a chat makes its "typing..." not yet shown untrue */
		ns.i = 0;
		const char *c[1] = { num(&ns, n->chat_id) };
		return x(st, "UPDATE notices SET state = 3 WHERE chat_id = $1 AND state = 0"
		         " AND kind = 'typing' AND out_until IS NULL", 1, c);
	}
	return 0;
}

static int pg_say(struct store *st, struct notice *n, int *duplicate)
{
	TXN(st, say(st, n, duplicate));
}

static int ask(struct store *st, int64_t id, const char *worker, int attempt,
               const char *question, int64_t ttl_ms, struct notice *qn,
               struct promise *after)
{
	struct nums ns = { .i = 0 };
	struct promise p;
	int rc, dup;

	promise_init(&p);
	if ((rc = load_as(st, id, &p, 1)) ||
	    (rc = store_lease_is(&p, worker, attempt, "question of")))
		goto out;
	if (p.cancel_requested) {
		if (!(rc = end_attempt(st, id, p.attempt, "cancelled", "cancelled")))
			rc = close_promise(st, id, PS_CANCELLED, NULL, "cancelled", 1, 0);
		goto out;
	}
	if ((rc = end_attempt(st, id, p.attempt, "asked", NULL)))
		goto out;
	const char *v[3] = { num(&ns, id), question, ttl_ms > 0 ? num(&ns, ttl_ms) : NULL };
	if ((rc = x(st, "UPDATE promises SET status = 'waiting', question = $2, worker = NULL,"
	            " lease_expires_at = NULL, max_attempts = max_attempts + 1,"
	            " expires_at = now() + $3 * interval '1 millisecond' WHERE id = $1", 3, v)) ||
	    (rc = queue_edit(st, id)))
		goto out;
	if (qn && p.chat_id) {
		qn->promise_id = id;
		qn->chat_id = p.chat_id;
		qn->thread_id = p.thread_id;
		qn->reply_to = p.reply_to;
		rc = say(st, qn, &dup);
	}
	if (rc == 0 && after)
		rc = load(st, id, after);
out:
	promise_free(&p);
	return rc;
}

static int pg_ask(struct store *st, int64_t id, const char *worker, int attempt,
                  const char *question, int64_t ttl_ms, struct notice *qn,
                  struct promise *after)
{
	TXN(st, ask(st, id, worker, attempt, question, ttl_ms, qn, after));
}

static int answer(struct store *st, int64_t id, const char *text,
                  struct promise *after)
{
	struct nums ns = { .i = 0 };
	const char *v[2] = { num(&ns, id), text };
	int rc, changed;

	if ((rc = update(st, "UPDATE promises SET status = 'pending',"
	                 " not_before = now(), delayed = false,"
	                 " question = NULL, expires_at = NULL,"
	                 " answers = coalesce(answers, '[]'::jsonb) || jsonb_build_array($2::text)"
	                 " WHERE id = $1 AND status = 'waiting'", 2, v, &changed)))
		return rc;
	if (!changed) {
		struct promise p;

		promise_init(&p);
		if ((rc = load(st, id, &p)) == 0) {
			store_complain(st, "#%lld is %s: it is not waiting for an answer",
			               (long long)id, pstatus_name(p.status));
			rc = EXIT_CONFLICT;
		}
		promise_free(&p);
		return rc;
	}
	if ((rc = queue_edit(st, id)))
		return rc;
	return after ? load(st, id, after) : 0;
}

static int pg_answer(struct store *st, int64_t id, const char *text,
                     struct promise *after)
{
	TXN(st, answer(st, id, text, after));
}

/* What one call hands out: the notices and the promises they are about. */
struct handout {
	struct notice *n;
	struct promise *p;
	int len, cap;
};

static void handout_free(struct handout *h)
{
	for (int i = 0; i < h->len; i++) {
		notice_free(&h->n[i]);
		promise_free(&h->p[i]);
	}
	free(h->n);
	free(h->p);
}

/* Each chat's next notice, as store_sqlite.c's heads_sql says it. */
static int due_heads(struct store *st, int64_t limit, struct handout *h)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { limit > 0 ? num(&ns, limit) : NULL };
	PGresult *r = q(st,
		"SELECT id, promise_id, kind, chat_id, thread_id, reply_to, text, markup,"
		" key, u, state, tries, " MS("created_at") ", " MS("sent_at") ","
		" message_id, error, callback_id, edit_of, " MS("not_before")
		" FROM notices JOIN (SELECT coalesce(min(CASE WHEN kind != 'edit'"
		"   AND (kind != 'typing' OR not_before <= now()) THEN id END),"
		"   min(CASE WHEN kind = 'edit' THEN id END)) AS head, min(urgency) AS u"
		"  FROM notices WHERE state = 0 AND kind != 'callback' GROUP BY chat_id) h"
		"  ON id = head"
		" WHERE (out_until IS NULL OR out_until <= now()) AND not_before <= now()"
		" UNION ALL"
		" SELECT id, promise_id, kind, chat_id, thread_id, reply_to, text, markup,"
		" key, -1, state, tries, " MS("created_at") ", " MS("sent_at") ","
		" message_id, error, callback_id, edit_of, " MS("not_before")
		" FROM notices WHERE state = 0 AND kind = 'callback'"
		" AND (out_until IS NULL OR out_until <= now())"
		" ORDER BY 10, 1 LIMIT $1::int8", 1, v);

	if (!r)
		return FAILED(st);
	for (int i = 0; i < PQntuples(r); i++) {
		if (h->len == h->cap) {
			h->cap = h->cap ? 2 * h->cap : 64;
			h->n = xrealloc(h->n, (size_t)h->cap * sizeof *h->n);
			h->p = xrealloc(h->p, (size_t)h->cap * sizeof *h->p);
		}
		notice_init(&h->n[h->len]);
		promise_init(&h->p[h->len]);
		read_notice(r, i, &h->n[h->len++]);
	}
	PQclear(r);
	return 0;
}

static int editable(struct store *st, struct notice *n, const struct promise *p,
                    int *drop)
{
	struct nums ns = { .i = 0 };
	PGresult *r;

	*drop = 0;
	if (strcmp(n->kind, "edit") != 0)
		return 0;
	if (n->edit_of) {
		const char *v[1] = { num(&ns, n->edit_of) };
		if (!(r = q(st, "SELECT message_id FROM notices WHERE id = $1 AND state = 1",
		            1, v)))
			return FAILED(st);
		n->edit_message_id = PQntuples(r) ? geti(r, 0, 0) : 0;
		PQclear(r);
	} else {
		n->edit_message_id = p->id ? p->ack_message_id : 0;
	}
	if ((*drop = !n->edit_message_id) == 0)
		return 0;
	const char *v[1] = { num(&ns, n->id) };
	return x(st, "UPDATE notices SET state = 3 WHERE id = $1", 1, v);
}

static int outbox(struct store *st, int64_t limit, int64_t lease_ms,
                  struct handout *h)
{
	int rc, start, dropped;

	do {
		start = h->len;
		dropped = 0;
		if ((rc = due_heads(st, limit ? limit - start : 0, h)))
			return rc;
		for (int i = start; i < h->len && rc == 0; i++) {
			struct notice *n = &h->n[i];
			struct nums ns = { .i = 0 };
			int drop = 0;

			if (n->promise_id &&
			    (rc = load(st, n->promise_id, &h->p[i])) == EXIT_NOTFOUND)
				rc = 0;
			if (rc == 0 && (rc = editable(st, n, &h->p[i], &drop)) == 0 && !drop) {
				const char *v[2] = { num(&ns, n->id), num(&ns, lease_ms) };
				rc = x(st, "UPDATE notices SET out_until = now() +"
				       " $2 * interval '1 millisecond', tries = tries + 1"
				       " WHERE id = $1", 2, v);
			}
			if (drop) {
				dropped++;
				n->state = NS_DROPPED;
			}
		}
	} while (rc == 0 && dropped && (!limit || h->len < limit));
	return rc;
}

static int sender_lock(struct store *st);

static int pg_outbox(struct store *st, int64_t limit, int64_t lease_ms,
                     int (*fn)(struct notice *, struct promise *, void *),
                     void *arg)
{
	struct handout h = { NULL, NULL, 0, 0 };
	int rc, tries = 0;

	if (PG(st)->is_sender && (rc = sender_lock(st)))
		return rc;
	PG(st)->retrying = !st->in_batch;
	do {
		handout_free(&h);
		memset(&h, 0, sizeof h);
		if ((rc = begin(st)) == 0)
			rc = end(st, outbox(st, limit, lease_ms, &h));
	} while (again(st, rc, &tries));
	PG(st)->retrying = 0;
	/* fn runs after the commit: it may block on a pipe */
	for (int i = 0; i < h.len && rc == 0; i++)
		if (h.n[i].state != NS_DROPPED)
			rc = fn(&h.n[i], h.n[i].promise_id && h.p[i].id ? &h.p[i] : NULL, arg);
	handout_free(&h);
	return rc;
}

/* One sender per database: a session advisory lock, freed when the
 * sender's connection ends however it ends (and taken again after the
 * connection was reset: else two senders could run). */
static int sender_lock(struct store *st)
{
	PGresult *r;

	if (PG(st)->sender)
		return 0;
	if (!(r = q(st, "SELECT pg_try_advisory_lock(" SENDER_LOCK ")", 0, NULL)))
		return FAILED(st);
	PG(st)->sender = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!PG(st)->sender) {
		store_complain(st, "another outbox --follow is the sender for this database");
		return EXIT_CONFLICT;
	}
	return 0;
}

static int pg_outbox_reset(struct store *st)
{
	int rc;

	PG(st)->is_sender = 1;
	if ((rc = sender_lock(st)))
		return rc;
	TXN(st, x(st, "UPDATE notices SET out_until = NULL"
	          " WHERE state = 0 AND out_until IS NOT NULL", 0, NULL));
}

static int outbox_next(struct store *st, int64_t *at)
{
	PGresult *r = q(st, "SELECT " MS("min(greatest(coalesce(out_until, 'epoch'), not_before))")
	                " FROM notices WHERE state = 0"
	                " AND (not_before > now() OR out_until > now())", 0, NULL);

	if (!r)
		return FAILED(st);
	*at = geti(r, 0, 0);
	PQclear(r);
	return 0;
}

static int pg_outbox_next(struct store *st, int64_t *at)
{
	TXN(st, outbox_next(st, at));
}

enum { TYPING_EVERY_MS = 4500, TYPING_FOR_MS = 30000 };

static int still_typing(struct store *st, const struct notice *n)
{
	struct nums ns = { .i = 0 };
	const char *v[6] = { num(&ns, n->id), num(&ns, n->chat_id), opt(&ns, n->thread_id),
	                     num(&ns, n->urgency), num(&ns, TYPING_EVERY_MS),
	                     num(&ns, TYPING_FOR_MS) };

	return x(st, "INSERT INTO notices (kind, chat_id, thread_id, urgency, created_at,"
	         " not_before)"
	         " SELECT 'typing', $2, $3, $4, created_at, now() + $5 * interval '1 millisecond'"
	         " FROM notices WHERE id = $1"
	         " AND now() + $5 * interval '1 millisecond' < created_at + $6 * interval '1 millisecond'"
	         " AND NOT EXISTS (SELECT 1 FROM notices"
	         "   WHERE chat_id = $2 AND id > $1 AND kind != 'callback')", 6, v);
}

static int notified(struct store *st, const struct receipt *rc_)
{
	struct nums ns = { .i = 0 };
	const char *v1[1] = { num(&ns, rc_->ref) };
	struct notice n;
	PGresult *r;
	int rc = 0, settled = rc_->ok || rc_->permanent;

	if (!(r = q(st, "SELECT " NCOLS " FROM notices WHERE id = $1 FOR UPDATE", 1, v1)))
		return FAILED(st);
	if (PQntuples(r) == 0) {
		PQclear(r);
		store_complain(st, "no notice %lld", (long long)rc_->ref);
		return EXIT_NOTFOUND;
	}
	notice_init(&n);
	read_notice(r, 0, &n);
	PQclear(r);
	if (n.state != NS_WAITING)
		goto out;
	if (rc_->migrated_to) {
		ns.i = 0;
		const char *m[2] = { num(&ns, n.chat_id), num(&ns, rc_->migrated_to) };
		if ((rc = x(st, "UPDATE notices SET chat_id = $2 WHERE chat_id = $1 AND state = 0",
		            2, m)) ||
		    (rc = x(st, "UPDATE promises SET chat_id = $2 WHERE chat_id = $1", 2, m)))
			goto out;
	}
	ns.i = 0;
	if (!settled) {
		int64_t wait = rc_->migrated_to ? 0 : store_notice_backoff(n.tries);

		if (rc_->retry_after_ms > wait)
			wait = rc_->retry_after_ms;
		const char *a[3] = { num(&ns, n.id), num(&ns, wait), rc_->error };
		rc = x(st, "UPDATE notices SET out_until = NULL,"
		       " not_before = now() + $2 * interval '1 millisecond', error = $3"
		       " WHERE id = $1", 3, a);
		goto out;
	}
	const char *sv[4] = { num(&ns, n.id), num(&ns, rc_->ok ? NS_SENT : NS_GAVEUP),
	                      rc_->ok ? opt(&ns, rc_->message_id) : NULL,
	                      rc_->ok ? NULL : rc_->error };
	if ((rc = x(st, "UPDATE notices SET state = $2, sent_at = now(), message_id = $3,"
	            " out_until = NULL, error = $4 WHERE id = $1", 4, sv)))
		goto out;
	if (rc_->ok && strcmp(n.kind, "typing") == 0) {
		rc = still_typing(st, &n);
		goto out;
	}
	if (!n.promise_id)
		goto out;
	ns.i = 0;
	if (rc_->ok && strcmp(n.kind, "ack") == 0 && rc_->message_id) {
		const char *a[2] = { num(&ns, n.promise_id), num(&ns, rc_->message_id) };
		rc = x(st, "UPDATE promises SET ack_message_id = $2 WHERE id = $1", 2, a);
	} else if (n.urgency == URGENCY_FOLLOWUP) {
		const char *f[3] = { num(&ns, n.promise_id),
		                     num(&ns, rc_->ok ? NOTIFY_SENT : NOTIFY_GAVEUP),
		                     rc_->ok ? NULL : rc_->error };
		rc = x(st, "UPDATE promises SET notify = $2, notified_at = now(),"
		       " notify_error = $3 WHERE id = $1 AND notify = 1", 3, f);
	}
out:
	notice_free(&n);
	return rc;
}

static int pg_notified(struct store *st, const struct receipt *r)
{
	TXN(st, notified(st, r));
}

static int notices(struct store *st, int64_t id,
                   int (*fn)(const struct notice *, void *), void *arg)
{
	struct nums ns = { .i = 0 };
	const char *v[1] = { num(&ns, id) };
	PGresult *r = q(st, "SELECT " NCOLS " FROM notices WHERE promise_id = $1 ORDER BY id",
	                1, v);
	struct notice n;

	if (!r)
		return FAILED(st);
	notice_init(&n);
	for (int i = 0; i < PQntuples(r); i++) {
		read_notice(r, i, &n);
		if (fn(&n, arg))
			break;
	}
	notice_free(&n);
	PQclear(r);
	return 0;
}

static int pg_notices(struct store *st, int64_t id,
                      int (*fn)(const struct notice *, void *), void *arg)
{
	TXN(st, notices(st, id, fn, arg));
}

const struct store_ops pg_ops = {
	.name = "postgresql",
	.close = pg_close,
	.heartbeat = pg_heartbeat,
	.add = pg_add,
	.batch_begin = pg_batch_begin,
	.batch_end = pg_batch_end,
	.claim = pg_claim,
	.finish = pg_finish,
	.finish_some = pg_finish_some,
	.release = pg_release,
	.ask = pg_ask,
	.answer = pg_answer,
	.asked_by = pg_asked_by,
	.made_from = pg_made_from,
	.retext = pg_retext,
	.cancel = pg_cancel,
	.retry = pg_retry,
	.accept = pg_accept,
	.meta = pg_meta,
	.get = pg_get,
	.attempts = pg_attempts,
	.list = pg_list,
	.stats = pg_stats,
	.reap = pg_reap,
	.gc = pg_gc,
	.say = pg_say,
	.outbox = pg_outbox,
	.outbox_reset = pg_outbox_reset,
	.outbox_next = pg_outbox_next,
	.changed = pg_changed,
	.notified = pg_notified,
	.notices = pg_notices,
	.scan_steps = pg_scan_steps,
};
