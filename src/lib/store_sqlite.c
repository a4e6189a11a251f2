/*
 * store_sqlite.c - the store's SQLite backend (store_be.h): one file in
 * WAL mode, the embedded default.  The policy it asks (backoff, the
 * state machine's decisions, refusals) is in store.c.
 *
 * Invariants kept here:
 *  - every write runs inside BEGIN IMMEDIATE (so it never has to upgrade a
 *    read lock, which is what makes SQLite answer "database is locked"),
 *    with a busy handler that sleeps briefly and a patience of minutes;
 *  - every state change names the state it expects in its WHERE clause
 *    (status, worker, attempt) and is refused when another change won;
 *  - SQL text is constant; values are bound, never pasted;
 *  - the hot paths (add, claim, outbox) reach their rows through partial
 *    indexes that hold only open or undelivered promises, so their cost
 *    does not grow with the history kept in the table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_be.h"

enum {
	PATIENCE_MS = 120000,   /* how long a write waits for the lock */
	CKPT_PATIENCE_MS = 50,  /* how long a checkpoint waits for readers */
	WAL_FRAMES = 64,        /* the WAL is emptied once this long */
	NCACHE = 64,
};

/* The backend's own, behind struct store's be (SQ(st)). */
struct sq {
	sqlite3 *db;
	char *path;
	int64_t busy_since;
	int checkpointing;          /* on_busy: give up sooner */
	int64_t data_version;       /* store_changed */
	int sender_fd;              /* the sender's lock, or -1 */
	struct { const char *sql; sqlite3_stmt *s; } cache[NCACHE];
	int ncache;
};
#define SQ(st) ((struct sq *)(st)->be)


/* ---- the schema, and how to get from each version to the next ---- */

/* An open promise, as the partial index promises_open_chat says it; a
 * query uses that index only when it says it in the same words.  (An IN
 * of three constants would build a temporary b-tree each time a row is
 * written; two, and an OR, are plain comparisons.) */
#define IS_OPEN \
	"(status IN ('offered', 'pending') OR status IN ('running', 'waiting'))"
/* Not started, or waiting for its user: what expires (promises_expiry). */
#define MAY_EXPIRE "status IN ('offered', 'pending', 'waiting')"

static const char *const migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE promises ("
	"  id INTEGER PRIMARY KEY,"
	"  status TEXT NOT NULL,"
	"  chat_id INTEGER, user_id INTEGER, username TEXT,"
	"  reply_to INTEGER, thread_id INTEGER,"
	"  text TEXT NOT NULL, task_type TEXT,"
	"  priority INTEGER NOT NULL DEFAULT 5,"
	"  key TEXT UNIQUE,"
	"  created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,"
	"  not_before INTEGER NOT NULL, expires_at INTEGER,"
	"  attempt INTEGER NOT NULL DEFAULT 0,"
	"  max_attempts INTEGER NOT NULL DEFAULT 3,"
	"  timeout_ms INTEGER,"
	"  worker TEXT, lease_expires_at INTEGER, heartbeat_at INTEGER,"
	"  cancel_requested INTEGER NOT NULL DEFAULT 0,"
	"  progress INTEGER, progress_note TEXT,"
	"  result TEXT, error TEXT, meta TEXT,"
	"  waiting INTEGER NOT NULL DEFAULT 0,"     /* dependencies not done */
	"  notify INTEGER NOT NULL DEFAULT 0,"      /* NOTIFY_* */
	"  notified_at INTEGER, notify_error TEXT"
	");"
	"CREATE TABLE deps ("
	"  promise_id INTEGER NOT NULL, after_id INTEGER NOT NULL,"
	"  PRIMARY KEY (promise_id, after_id)) WITHOUT ROWID;"
	"CREATE INDEX deps_after ON deps (after_id);"
	"CREATE TABLE attempts ("
	"  promise_id INTEGER NOT NULL, attempt INTEGER NOT NULL,"
	"  worker TEXT, started_at INTEGER NOT NULL, ended_at INTEGER,"
	"  outcome TEXT, error TEXT,"
	"  PRIMARY KEY (promise_id, attempt)) WITHOUT ROWID;"
	/* claim: the due queue, in the order claim takes it */
	"CREATE INDEX promises_due ON promises (priority, id)"
	"  WHERE status = 'pending' AND waiting = 0;"
	/* reap: leases and expiry of open promises only */
	"CREATE INDEX promises_lease ON promises (lease_expires_at)"
	"  WHERE status = 'running';"
	"CREATE INDEX promises_expiry ON promises (expires_at)"
	"  WHERE status IN ('offered', 'pending');"
	/* add: the open-per-chat limit; accept: the latest offer */
	"CREATE INDEX promises_open_chat ON promises (chat_id, id)"
	"  WHERE status IN ('offered', 'pending', 'running');"
	/* outbox: follow-ups not yet delivered */
	"CREATE INDEX promises_outbox ON promises (finished_at, id)"
	"  WHERE notify = 1;",
	/* 2: the open-per-chat index, cheaper to keep (see IS_OPEN). */
	"DROP INDEX promises_open_chat;"
	"CREATE INDEX promises_open_chat ON promises (chat_id, id)"
	"  WHERE " IS_OPEN ";",
	/* 3: list by chat, whatever the status: without it the list walked
	 * the whole table (88 ms a call at 1M promises, 2.3 ms with it). */
	"CREATE INDEX promises_chat ON promises (chat_id, id);",
	/* 4: every message the bot sends is a notice (store.h); the
	 * follow-ups still to send become the first ones. */
	"CREATE TABLE notices ("
	"  id INTEGER PRIMARY KEY,"
	"  promise_id INTEGER, kind TEXT NOT NULL,"
	"  chat_id INTEGER NOT NULL, thread_id INTEGER, reply_to INTEGER,"
	"  text TEXT, markup TEXT, key TEXT UNIQUE,"
	"  urgency INTEGER NOT NULL DEFAULT 1,"
	"  state INTEGER NOT NULL DEFAULT 0,"       /* NS_* */
	"  created_at INTEGER NOT NULL,"
	"  not_before INTEGER NOT NULL DEFAULT 0,"  /* a retry's backoff */
	"  out_until INTEGER,"                      /* handed out, until */
	"  tries INTEGER NOT NULL DEFAULT 0,"
	"  sent_at INTEGER, message_id INTEGER, error TEXT);"
	/* the outbox: each chat's oldest waiting notice */
	"CREATE INDEX notices_waiting ON notices (chat_id, id) WHERE state = 0;"
	"CREATE INDEX notices_promise ON notices (promise_id)"
	"  WHERE promise_id IS NOT NULL;"
	"ALTER TABLE promises ADD COLUMN ack_message_id INTEGER;"
	"INSERT INTO notices (promise_id, kind, chat_id, thread_id, reply_to,"
	"  urgency, created_at)"
	"  SELECT id, status, chat_id, thread_id, reply_to, 1, finished_at"
	"  FROM promises WHERE notify = 1 ORDER BY finished_at, id;"
	"DROP INDEX promises_outbox;",
	/* 5: the conversation: a promise may wait for its user's answer to
	 * a question; a button press is answered; an edit may edit any
	 * message the bot sent; a handler may tell the user what failed. */
	"ALTER TABLE promises ADD COLUMN question TEXT;"
	"ALTER TABLE promises ADD COLUMN answers TEXT;"
	"ALTER TABLE promises ADD COLUMN user_error TEXT;"
	"ALTER TABLE notices ADD COLUMN callback_id TEXT;"
	"ALTER TABLE notices ADD COLUMN edit_of INTEGER;"
	"DROP INDEX promises_open_chat;"
	"CREATE INDEX promises_open_chat ON promises (chat_id, id)"
	"  WHERE " IS_OPEN ";"
	"DROP INDEX promises_expiry;"
	"CREATE INDEX promises_expiry ON promises (expires_at) WHERE " MAY_EXPIRE ";"
	/* an answer names its question by the message it replies to */
	"CREATE INDEX notices_questions ON notices (chat_id, message_id)"
	"  WHERE kind = 'question';"
	/* button presses are answered ahead of every chat's queue */
	"CREATE INDEX notices_callbacks ON notices (id)"
	"  WHERE state = 0 AND kind = 'callback';",
	/* 6: PostgreSQL's server-side claim and done (store_pg.c); SQLite
	 * keeps its prepared statements itself.  The numbers stay the same
	 * on both backends. */
	"",
};
enum { SCHEMA_VERSION = sizeof migrations / sizeof migrations[0] };

/* ---- errors, waiting, transactions ---- */


static int sqlfail(struct store *st, const char *what)
{
	int code = sqlite3_errcode(SQ(st)->db);
	int ext = sqlite3_extended_errcode(SQ(st)->db);

	if (code == SQLITE_CANTOPEN && sqlite3_system_errno(SQ(st)->db)) {
		errno = sqlite3_system_errno(SQ(st)->db);
		warn("%s: cannot open database:", SQ(st)->path);
	} else if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
		store_complain(st, "%s: still busy after %ds; another process holds "
		         "the write lock", SQ(st)->path, PATIENCE_MS / 1000);
		return EXIT_TEMPFAIL;
	} else {
		store_complain(st, "%s: %s%s%s", SQ(st)->path, what ? what : "",
		         what ? ": " : "", sqlite3_errmsg(SQ(st)->db));
	}
	(void)ext;
	return EXIT_DATA;
}

static void nap(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Short randomised sleeps: the lock is held for well under a millisecond
 * per write, and SQLite's own handler sleeps up to 100ms at once, which
 * leaves the lock idle while every waiter dozes. */
static int on_busy(void *arg, int n)
{
	struct store *st = arg;
	int64_t now = mono_ms();
	uint32_t cap_us = n < 20 ? 200 + 50 * (uint32_t)n : 2000;
	struct timespec ts = { 0, 0 };

	if (n == 0)
		SQ(st)->busy_since = now;
	if (now - SQ(st)->busy_since > (SQ(st)->checkpointing ? CKPT_PATIENCE_MS : PATIENCE_MS))
		return 0;
	ts.tv_nsec = (long)(50 + arc4random_uniform(cap_us)) * 1000L;
	nanosleep(&ts, NULL);
	return 1;
}

static int exec(struct store *st, const char *sql)
{
	int64_t start = mono_ms();
	int rc;

	/* Some BUSY answers (WAL recovery, a snapshot gone stale) bypass the
	 * busy handler: wait for those here. */
	while ((rc = sqlite3_exec(SQ(st)->db, sql, NULL, NULL, NULL)) == SQLITE_BUSY &&
	       mono_ms() - start < PATIENCE_MS)
		nap(1 + arc4random_uniform(10));
	return rc == SQLITE_OK ? 0 : sqlfail(st, NULL);
}

static sqlite3_stmt *stmt(struct store *st, const char *sql);
static int run(struct store *st, sqlite3_stmt *s);

/* Inside a batch (add --jsonl) the batch's transaction is the one. */
static int begin_write(struct store *st)
{
	return st->in_batch ? 0 : exec(st, "BEGIN IMMEDIATE");
}

static int begin_read(struct store *st)
{
	return st->in_batch ? 0 : exec(st, "BEGIN");
}

/* Ends what begin_* started: commits when rc is 0, else rolls back.
 * Returns rc, or the commit's failure.  In a batch the batch decides. */
static int end(struct store *st, int rc)
{
	if (st->in_batch)
		return rc;
	if (rc == 0 || rc == EXIT_NONE)
		return exec(st, "COMMIT") ? EXIT_DATA : rc;
	sqlite3_exec(SQ(st)->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* A prepared statement for constant sql, kept for the life of the store:
 * the cache is keyed by the string's address. */
static sqlite3_stmt *stmt(struct store *st, const char *sql)
{
	sqlite3_stmt *s;

	for (int i = 0; i < SQ(st)->ncache; i++)
		if (SQ(st)->cache[i].sql == sql)
			return SQ(st)->cache[i].s;
	if (sqlite3_prepare_v3(SQ(st)->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	                       &s, NULL) != SQLITE_OK) {
		sqlfail(st, "prepare");
		return NULL;
	}
	if (SQ(st)->ncache < NCACHE) {
		SQ(st)->cache[SQ(st)->ncache].sql = sql;
		SQ(st)->cache[SQ(st)->ncache++].s = s;
	}
	return s;
}

static void reset(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static void bind_opt(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

static void bind_text(sqlite3_stmt *s, int i, const char *t)
{
	if (t)
		sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* Runs a statement that returns no rows (or ignores them). */
static int run(struct store *st, sqlite3_stmt *s)
{
	int rc;

	if (!s)
		return EXIT_DATA;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	reset(s);
	return rc == SQLITE_DONE ? 0 : sqlfail(st, NULL);
}

/* ---- open and migrate ---- */

static int user_version(struct store *st, int *v)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(SQ(st)->db, "PRAGMA user_version", -1, &s, NULL))
		return sqlfail(st, NULL);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : sqlfail(st, NULL);
}

static int migrate(struct store *st)
{
	char sql[64];
	int v, rc;

	/* WAL is remembered by the file; it cannot change inside a
	 * transaction, so it is set before the migration's. */
	if ((rc = exec(st, "PRAGMA journal_mode=WAL")))
		return rc;
	if ((rc = exec(st, "BEGIN IMMEDIATE")))
		return rc;
	/* Read again under the write lock: another process may have won. */
	if ((rc = user_version(st, &v)) == 0) {
		for (; v < SCHEMA_VERSION && rc == 0; v++)
			rc = exec(st, migrations[v]);
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v);
		if (rc == 0)
			rc = exec(st, sql);
	}
	return end(st, rc);
}

/*
 * The WAL outlives each process.  SQLite's last connection to close would
 * checkpoint the WAL into the database and delete it: four syncs, paid by
 * nearly every call of a tool that runs one call per process.  Instead the
 * WAL stays; whoever next opens the file with nobody else there rebuilds
 * the WAL's index by reading it, which costs in proportion to its length.
 * So it is kept short: the commit that leaves it WAL_FRAMES pages long
 * checkpoints it and truncates it to nothing (TRUNCATE, not PASSIVE: a
 * checkpointed WAL left whole would be read, and checkpointed, again).
 * A checkpoint that would wait long for readers is skipped: the next
 * commit tries again.
 */
static int on_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store *st = arg;

	if (frames >= WAL_FRAMES) {
		SQ(st)->checkpointing = 1;
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_TRUNCATE,
		                          NULL, NULL);
		SQ(st)->checkpointing = 0;
	}
	return SQLITE_OK;
}

static void sq_close(struct store *st);
extern const struct store_ops sqlite_ops;

int store_sqlite_open(const char *path, struct store **out)
{
	static int configured;
	struct store *st = xmalloc(sizeof *st);
	struct sq *sq = xmalloc(sizeof *sq);
	const char *sync = getenv("PROMISE_SYNC");
	int v, rc;

	/* Before SQLite starts: no global memory statistics (a lock around
	 * every malloc), and no locks around a connection, which only one
	 * thread ever uses. */
	if (!configured++) {
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	}
	memset(sq, 0, sizeof *sq);
	store_base_init(st, &sqlite_ops, sq);
	SQ(st)->path = xstrdup(path);
	SQ(st)->sender_fd = -1;
	*out = NULL;
	if (sqlite3_open_v2(path, &SQ(st)->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = SQ(st)->db ? sqlfail(st, NULL) : (warn("%s: out of memory", path), EXIT_DATA);
		sq_close(st);
		return rc;
	}
	sqlite3_extended_result_codes(SQ(st)->db, 0);
	sqlite3_busy_handler(SQ(st)->db, on_busy, st);
	sqlite3_db_config(SQ(st)->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_wal_hook(SQ(st)->db, on_commit, st);
	if ((rc = user_version(st, &v)))
		goto fail;
	if (v > SCHEMA_VERSION) {
		warn("%s: schema version %d is newer than this promise knows (%d)",
		     path, v, SCHEMA_VERSION);
		rc = EXIT_DATA;
		goto fail;
	}
	if (v < SCHEMA_VERSION && (rc = migrate(st)))
		goto fail;
	/* NORMAL in WAL mode loses nothing when a process is killed; only a
	 * power cut can take the last commits back.  FULL syncs each one. */
	if ((rc = exec(st, sync && strcmp(sync, "full") == 0 ?
	               "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL")))
		goto fail;
	*out = st;
	return 0;
fail:
	sq_close(st);
	return rc;
}

static void sq_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < SQ(st)->ncache; i++)
		sqlite3_finalize(SQ(st)->cache[i].s);
	sqlite3_close(SQ(st)->db);
	if (SQ(st)->sender_fd >= 0)
		close(SQ(st)->sender_fd);
	free(SQ(st)->path);
	free(st->be);
	free(st);
}


/* ---- reading promises ---- */

#define PCOLS \
	"id, status, chat_id, user_id, username, reply_to, thread_id, text," \
	" task_type, priority, key, created_at, started_at, finished_at," \
	" not_before, expires_at, attempt, max_attempts, timeout_ms, worker," \
	" lease_expires_at, heartbeat_at, cancel_requested, progress," \
	" progress_note, result, error, meta, notify, notified_at," \
	" ack_message_id, question, answers, user_error"

static char *col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? xstrdup((const char *)t) : NULL;
}

static void read_row(sqlite3_stmt *s, struct promise *p)
{
	const char *status = (const char *)sqlite3_column_text(s, 1);

	promise_free(p);
	p->id = sqlite3_column_int64(s, 0);
	p->status = status ? pstatus_parse(status) : -1;
	p->chat_id = sqlite3_column_int64(s, 2);
	p->user_id = sqlite3_column_int64(s, 3);
	p->username = col_text(s, 4);
	p->reply_to = sqlite3_column_int64(s, 5);
	p->thread_id = sqlite3_column_int64(s, 6);
	p->text = col_text(s, 7);
	p->task_type = col_text(s, 8);
	p->priority = sqlite3_column_int(s, 9);
	p->key = col_text(s, 10);
	p->created_at = sqlite3_column_int64(s, 11);
	p->started_at = sqlite3_column_int64(s, 12);
	p->finished_at = sqlite3_column_int64(s, 13);
	p->not_before = sqlite3_column_int64(s, 14);
	p->expires_at = sqlite3_column_int64(s, 15);
	p->attempt = sqlite3_column_int(s, 16);
	p->max_attempts = sqlite3_column_int(s, 17);
	p->timeout_ms = sqlite3_column_int64(s, 18);
	p->worker = col_text(s, 19);
	p->lease_expires_at = sqlite3_column_int64(s, 20);
	p->heartbeat_at = sqlite3_column_int64(s, 21);
	p->cancel_requested = sqlite3_column_int(s, 22);
	p->progress = sqlite3_column_type(s, 23) == SQLITE_NULL ? -1 :
	              sqlite3_column_int(s, 23);
	p->progress_note = col_text(s, 24);
	p->result = col_text(s, 25);
	p->error = col_text(s, 26);
	p->meta = col_text(s, 27);
	p->notify = sqlite3_column_int(s, 28);
	p->notified_at = sqlite3_column_int64(s, 29);
	p->ack_message_id = sqlite3_column_int64(s, 30);
	p->question = col_text(s, 31);
	p->answers = col_text(s, 32);
	p->user_error = col_text(s, 33);
}

static int read_deps(struct store *st, struct promise *p)
{
	static const char sql[] =
		"SELECT after_id FROM deps WHERE promise_id = ? ORDER BY after_id";
	sqlite3_stmt *s = stmt(st, sql);
	int rc, cap = 0;

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, p->id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (p->nafter == cap) {
			cap = cap ? 2 * cap : 4;
			p->after = xrealloc(p->after, (size_t)cap * sizeof *p->after);
		}
		p->after[p->nafter++] = sqlite3_column_int64(s, 0);
	}
	reset(s);
	return rc == SQLITE_DONE ? 0 : sqlfail(st, NULL);
}

/* Loads promise id into p: 0, EXIT_NOTFOUND (reported), EXIT_DATA. */
static int load(struct store *st, int64_t id, struct promise *p)
{
	static const char sql[] = "SELECT " PCOLS " FROM promises WHERE id = ?";
	sqlite3_stmt *s = stmt(st, sql);
	int rc;

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && p)
		read_row(s, p);
	reset(s);
	if (rc == SQLITE_DONE) {
		warn("no promise #%lld", (long long)id);
		return EXIT_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return sqlfail(st, NULL);
	return p ? read_deps(st, p) : 0;
}

static int sq_get(struct store *st, int64_t id, struct promise *out)
{
	int rc = begin_read(st);

	return rc ? rc : end(st, load(st, id, out));
}


/* ---- what happens when a promise ends ---- */


static int end_attempt(struct store *st, int64_t id, int attempt, int64_t now,
                       const char *outcome, const char *error)
{
	static const char sql[] =
		"UPDATE attempts SET ended_at = ?3, outcome = ?4, error = ?5"
		" WHERE promise_id = ?1 AND attempt = ?2";
	sqlite3_stmt *s = stmt(st, sql);

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, attempt);
	sqlite3_bind_int64(s, 3, now);
	bind_text(s, 4, outcome);
	bind_text(s, 5, error);
	return run(st, s);
}

static int settle_dependants(struct store *st, int64_t id, int status,
                             int64_t now, int depth);

/* Runs sql, whose ?1 is a promise id and ?2 the time. */
static int run_for(struct store *st, const char *sql, int64_t id, int64_t now)
{
	sqlite3_stmt *s = stmt(st, sql);

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return run(st, s);
}

/* The follow-up of a promise that ended owing its user a word. */
static int queue_followup(struct store *st, int64_t id, int64_t now)
{
	static const char sql[] =
		"INSERT INTO notices (promise_id, kind, chat_id, thread_id,"
		" reply_to, urgency, created_at)"
		" SELECT id, status, chat_id, thread_id, reply_to, 1, ?2"
		" FROM promises WHERE id = ?1 AND notify = 1";

	return run_for(st, sql, id, now);
}

/* An edit of the promise's acknowledgement, to show how it stands.  Its
 * text is written when it is handed out, so one edit not yet out covers
 * every change until then; one already out may show an older state, and
 * another is queued behind it. */
static int queue_edit(struct store *st, int64_t id, int64_t now)
{
	static const char sql[] =
		"INSERT INTO notices (promise_id, kind, chat_id, thread_id,"
		" urgency, created_at)"
		" SELECT id, 'edit', chat_id, thread_id, 2, ?2 FROM promises"
		" WHERE id = ?1 AND chat_id IS NOT NULL"
		" AND EXISTS (SELECT 1 FROM notices WHERE promise_id = ?1"
		"   AND kind = 'ack' AND state IN (0, 1))"
		" AND NOT EXISTS (SELECT 1 FROM notices WHERE promise_id = ?1"
		"   AND kind = 'edit' AND edit_of IS NULL AND state = 0"
		"   AND out_until IS NULL)";

	return run_for(st, sql, id, now);
}

/* Ends promise id for good with status; queues its follow-up when it has
 * a chat to go to.  Dependants are released or failed in turn. */
static int close_promise(struct store *st, int64_t id, int status, int64_t now,
                         const char *result, const char *error, int notify,
                         int depth)
{
	static const char sql[] =
		"UPDATE promises SET status = ?2, finished_at = ?3,"
		" result = coalesce(?4, result), error = ?5,"
		" notify = CASE WHEN ?6 AND chat_id IS NOT NULL THEN 1 ELSE 0 END,"
		" worker = CASE WHEN status = 'running' THEN worker END,"
		" lease_expires_at = NULL"
		" WHERE id = ?1";
	sqlite3_stmt *s = stmt(st, sql);
	int rc;

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, pstatus_name(status));
	sqlite3_bind_int64(s, 3, now);
	bind_text(s, 4, result);
	bind_text(s, 5, error);
	sqlite3_bind_int(s, 6, notify);
	if ((rc = run(st, s)) || (rc = queue_followup(st, id, now)) ||
	    (rc = queue_edit(st, id, now)))
		return rc;
	return settle_dependants(st, id, status, now, depth);
}

static int settle_dependants(struct store *st, int64_t id, int status,
                             int64_t now, int depth)
{
	static const char release[] =
		"UPDATE promises SET waiting = waiting - 1"
		" WHERE id IN (SELECT promise_id FROM deps WHERE after_id = ?)"
		" AND status IN ('offered', 'pending')";
	static const char any[] = "SELECT 1 FROM deps WHERE after_id = ?";
	static const char waiting[] =
		"SELECT p.id FROM deps d JOIN promises p ON p.id = d.promise_id"
		" WHERE d.after_id = ? AND p.status IN ('offered', 'pending')";
	char why[96];
	int64_t *ids = NULL;
	int n = 0, cap = 0, rc;
	sqlite3_stmt *s;

	if (status == PS_DONE) {
		/* Most promises have no dependants, and asking is far cheaper
		 * than preparing the UPDATE (callgrind: 24k against 105k). */
		if (!(s = stmt(st, any)))
			return EXIT_DATA;
		sqlite3_bind_int64(s, 1, id);
		rc = sqlite3_step(s);
		reset(s);
		if (rc == SQLITE_DONE)
			return 0;
		if (rc != SQLITE_ROW)
			return sqlfail(st, NULL);
		if (!(s = stmt(st, release)))
			return EXIT_DATA;
		sqlite3_bind_int64(s, 1, id);
		return run(st, s);
	}
	/* A chain of dependencies is as deep as users made it; recursion
	 * is bounded by refusing cycles at add time. */
	if (!(s = stmt(st, waiting)))
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			ids = xrealloc(ids, (size_t)cap * sizeof *ids);
		}
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	reset(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return sqlfail(st, NULL);
	}
	store_dependency_why(why, sizeof why, id, status);
	rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		rc = close_promise(st, ids[i], PS_FAILED, now, NULL, why, 1, depth + 1);
	free(ids);
	return rc;
}

/* The running attempt failed (or its lease ran out): back to pending
 * after a backoff while attempts remain, else failed for good.  A
 * promise whose cancel was requested ends cancelled instead. */
static int fail_attempt(struct store *st, int64_t id, int attempt,
                        int max_attempts, int cancel, int permanent,
                        int64_t now, const char *outcome, const char *error)
{
	static const char again[] =
		"UPDATE promises SET status = 'pending', not_before = ?2,"
		" error = ?3, lease_expires_at = NULL"
		" WHERE id = ?1";
	sqlite3_stmt *s;
	int rc;

	if ((rc = end_attempt(st, id, attempt, now, outcome, error)))
		return rc;
	int next = store_after_failure(attempt, max_attempts, cancel, permanent);
	if (next != PS_PENDING)
		return close_promise(st, id, next, now, NULL, error, 1, 0);
	if (!(s = stmt(st, again)))
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now + store_backoff(st, attempt));
	bind_text(s, 3, error);
	if ((rc = run(st, s)))
		return rc;
	return queue_edit(st, id, now);
}

/* ---- reap: leases that ran out, promises nobody took in time ---- */

static int reap(struct store *st, int64_t now, int64_t *leases, int64_t *expired)
{
	static const char lost[] =
		"SELECT id, attempt, max_attempts, cancel_requested, worker"
		" FROM promises WHERE status = 'running' AND lease_expires_at <= ?"
		" LIMIT 100";
	static const char old[] =
		"SELECT id, status FROM promises"
		" WHERE " MAY_EXPIRE " AND expires_at <= ?"
		" LIMIT 100";
	sqlite3_stmt *s;
	int rc, more;

	/* Batches of 100 keep the statement from running while the rows it
	 * walks are being changed. */
	do {
		struct { int64_t id; int attempt, max, cancel; char why[160]; } r[100];
		int n = 0;

		if (!(s = stmt(st, lost)))
			return EXIT_DATA;
		sqlite3_bind_int64(s, 1, now);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			const char *w = (const char *)sqlite3_column_text(s, 4);
			r[n].id = sqlite3_column_int64(s, 0);
			r[n].attempt = sqlite3_column_int(s, 1);
			r[n].max = sqlite3_column_int(s, 2);
			r[n].cancel = sqlite3_column_int(s, 3);
			snprintf(r[n].why, sizeof r[n].why, "lease of %s expired",
			         w ? w : "its worker");
			n++;
		}
		reset(s);
		if (rc != SQLITE_DONE)
			return sqlfail(st, NULL);
		for (int i = 0; i < n; i++)
			if ((rc = fail_attempt(st, r[i].id, r[i].attempt, r[i].max,
			                       r[i].cancel, 0, now, "lost", r[i].why)))
				return rc;
		if (leases)
			*leases += n;
		more = n == 100;
	} while (more);
	do {
		struct { int64_t id; int status; } r[100];
		int n = 0;

		if (!(s = stmt(st, old)))
			return EXIT_DATA;
		sqlite3_bind_int64(s, 1, now);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			r[n].id = sqlite3_column_int64(s, 0);
			r[n].status = pstatus_parse((const char *)sqlite3_column_text(s, 1));
			n++;
		}
		reset(s);
		if (rc != SQLITE_DONE)
			return sqlfail(st, NULL);
		/* An offer nobody accepted ends quietly; a promise nobody ran
		 * owes its user an apology, and one whose question nobody
		 * answered a word that it has stopped. */
		for (int i = 0; i < n; i++)
			if ((rc = close_promise(st, r[i].id, PS_EXPIRED, now, NULL,
			                        r[i].status == PS_WAITING ?
			                        "nobody answered its question in time" :
			                        "nobody took it before it expired",
			                        r[i].status != PS_OFFERED, 0)))
				return rc;
		if (expired)
			*expired += n;
		more = n == 100;
	} while (more);
	return 0;
}

static int sq_reap(struct store *st, int64_t *leases, int64_t *expired)
{
	int rc = begin_write(st);

	*leases = *expired = 0;
	return rc ? rc : end(st, reap(st, now_ms(), leases, expired));
}

/* ---- heartbeat (a fixed contract: runjob calls it) ---- */

/* Explains why a guarded change to id found no row to change. */
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

/* Whether a heartbeat's progress changes what the promise shows: only
 * then is its acknowledgement edited. */
static int progress_moves(struct store *st, int64_t id, int pct,
                          const char *note, int *moved)
{
	static const char sql[] =
		"SELECT progress, progress_note FROM promises WHERE id = ?";
	sqlite3_stmt *s = stmt(st, sql);
	int rc;

	*moved = 0;
	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *was = (const char *)sqlite3_column_text(s, 1);
		if (pct > 100)
			pct = 100;
		*moved = (pct >= 0 && (sqlite3_column_type(s, 0) == SQLITE_NULL ||
		                       sqlite3_column_int(s, 0) != pct)) ||
		         (note && (!was || strcmp(was, note) != 0));
	}
	reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlfail(st, NULL);
}

static int sq_heartbeat(struct store *st, int64_t id, const char *worker,
                        int attempt, int64_t lease_ms, int pct, const char *note)
{
	static const char sql[] =
		"UPDATE promises SET lease_expires_at = ?5 + ?4, heartbeat_at = ?5,"
		" progress = coalesce(?6, progress),"
		" progress_note = coalesce(?7, progress_note)"
		" WHERE id = ?1 AND status = 'running'"
		" AND (?2 IS NULL OR worker = ?2) AND (?3 <= 0 OR attempt = ?3)"
		" RETURNING cancel_requested";
	sqlite3_stmt *s;
	int rc, step, cancel = 0, moved = 0;
	int64_t now = now_ms();

	if ((rc = begin_write(st)))
		return rc;
	if ((pct >= 0 || note) && (rc = progress_moves(st, id, pct, note, &moved)))
		return end(st, rc);
	if (!(s = stmt(st, sql)))
		return end(st, EXIT_DATA);
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, worker);
	sqlite3_bind_int(s, 3, attempt);
	sqlite3_bind_int64(s, 4, lease_ms);
	sqlite3_bind_int64(s, 5, now);
	if (pct >= 0)
		sqlite3_bind_int(s, 6, pct > 100 ? 100 : pct);
	bind_text(s, 7, note);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		cancel = sqlite3_column_int(s, 0);
	reset(s);
	if (step == SQLITE_ROW)
		rc = moved ? queue_edit(st, id, now) : 0;
	else if (step == SQLITE_DONE)
		rc = refused(st, id, worker, attempt, "heartbeat for");
	else
		rc = sqlfail(st, NULL);
	rc = end(st, rc);
	return rc == 0 && cancel ? EXIT_CANCEL : rc;
}

/* ---- add ---- */

static int open_in_chat(struct store *st, int64_t chat, int64_t limit,
                        int64_t *n)
{
	static const char sql[] =
		"SELECT count(*) FROM (SELECT 1 FROM promises WHERE chat_id = ?"
		" AND " IS_OPEN " LIMIT ?)";
	sqlite3_stmt *s = stmt(st, sql);
	int rc;

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, chat);
	sqlite3_bind_int64(s, 2, limit);
	rc = sqlite3_step(s);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	reset(s);
	return rc == SQLITE_ROW ? 0 : sqlfail(st, NULL);
}

/* The id of the row that sql (one bound key) finds; 0 when none. */
static int id_by_key(struct store *st, const char *sql, const char *key,
                     int64_t *id)
{
	sqlite3_stmt *s = stmt(st, sql);
	int rc;

	*id = 0;
	if (!s)
		return EXIT_DATA;
	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlfail(st, NULL);
}

static int find_key(struct store *st, const char *key, int64_t *id)
{
	static const char sql[] = "SELECT id FROM promises WHERE key = ?";

	return id_by_key(st, sql, key, id);
}

/* Counts the dependencies p still waits for; refuses unknown or failed. */
static int check_deps(struct store *st, const struct promise *p, int *waiting)
{
	static const char sql[] = "SELECT status FROM promises WHERE id = ?";
	sqlite3_stmt *s;

	*waiting = 0;
	if (p->nafter == 0)
		return 0;
	if (!(s = stmt(st, sql)))
		return EXIT_DATA;
	for (int i = 0; i < p->nafter; i++) {
		int rc, status = -1;

		sqlite3_bind_int64(s, 1, p->after[i]);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			status = pstatus_parse((const char *)sqlite3_column_text(s, 0));
		reset(s);
		if (rc == SQLITE_DONE) {
			store_complain(st, "no promise #%lld to wait for",
			         (long long)p->after[i]);
			return EXIT_NOTFOUND;
		}
		if (rc != SQLITE_ROW)
			return sqlfail(st, NULL);
		if (status == PS_FAILED || status == PS_CANCELLED || status == PS_EXPIRED) {
			store_complain(st, "dependency #%lld has already ended %s",
			     (long long)p->after[i], pstatus_name(status));
			return EXIT_CONFLICT;
		}
		*waiting += status != PS_DONE;
	}
	return 0;
}

static int insert(struct store *st, struct promise *p, int waiting)
{
	static const char sql[] =
		"INSERT INTO promises (status, chat_id, user_id, username, reply_to,"
		" thread_id, text, task_type, priority, key, created_at, not_before,"
		" expires_at, max_attempts, timeout_ms, meta, waiting)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	static const char dep[] =
		"INSERT OR IGNORE INTO deps (promise_id, after_id) VALUES (?, ?)";
	sqlite3_stmt *s = stmt(st, sql);
	int rc;

	if (!s)
		return EXIT_DATA;
	bind_text(s, 1, pstatus_name(p->status));
	bind_opt(s, 2, p->chat_id);
	bind_opt(s, 3, p->user_id);
	bind_text(s, 4, p->username);
	bind_opt(s, 5, p->reply_to);
	bind_opt(s, 6, p->thread_id);
	bind_text(s, 7, p->text);
	bind_text(s, 8, p->task_type);
	sqlite3_bind_int(s, 9, p->priority);
	bind_text(s, 10, p->key);
	sqlite3_bind_int64(s, 11, p->created_at);
	sqlite3_bind_int64(s, 12, p->not_before);
	bind_opt(s, 13, p->expires_at);
	sqlite3_bind_int(s, 14, p->max_attempts);
	bind_opt(s, 15, p->timeout_ms);
	bind_text(s, 16, p->meta);
	sqlite3_bind_int(s, 17, waiting);
	if ((rc = run(st, s)))
		return rc;
	p->id = sqlite3_last_insert_rowid(SQ(st)->db);
	for (int i = 0; i < p->nafter; i++) {
		if (!(s = stmt(st, dep)))
			return EXIT_DATA;
		sqlite3_bind_int64(s, 1, p->id);
		sqlite3_bind_int64(s, 2, p->after[i]);
		if ((rc = run(st, s)))
			return rc;
	}
	return 0;
}

/* Every refusal (limit, dependency) comes before the first write, so a
 * refused add in a batch leaves nothing to undo; a failure after it is a
 * storage error, and the batch is rolled back whole. */
static int add(struct store *st, struct promise *p,
               const struct add_limits *lim, int *duplicate)
{
	int64_t id, n;
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
		if ((rc = open_in_chat(st, p->chat_id, lim->max_open_per_chat, &n)))
			return rc;
		if (n >= lim->max_open_per_chat) {
			store_complain(st, "chat %lld already has %lld open promises (the limit)",
			     (long long)p->chat_id, (long long)n);
			return EXIT_LIMIT;
		}
	}
	if ((rc = check_deps(st, p, &waiting)))
		return rc;
	if (!p->created_at)
		p->created_at = now_ms();
	if (!p->not_before)
		p->not_before = p->created_at;
	/* p now says what the row says: no need to read it back. */
	return insert(st, p, waiting);
}

static int sq_add(struct store *st, struct promise *p,
                  const struct add_limits *lim, int *duplicate)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, add(st, p, lim, duplicate));
}

static int sq_batch_begin(struct store *st)
{
	int rc = exec(st, "BEGIN IMMEDIATE");

	st->in_batch = rc == 0;
	return rc;
}

static int sq_batch_end(struct store *st, int commit)
{
	st->in_batch = 0;
	if (commit)
		return exec(st, "COMMIT");
	sqlite3_exec(SQ(st)->db, "ROLLBACK", NULL, NULL, NULL);
	return 0;
}

/* ---- claim ---- */

static int pick(struct store *st, const struct claim_opts *o, int64_t now,
                int64_t *id)
{
	static const char any[] =
		"SELECT id FROM promises WHERE status = 'pending' AND waiting = 0"
		" AND not_before <= ? ORDER BY priority, id LIMIT 1";
	/* Types filter with one bound parameter: a comma-joined list that
	 * instr() searches, so the SQL text stays constant. */
	static const char typed[] =
		"SELECT id FROM promises WHERE status = 'pending' AND waiting = 0"
		" AND not_before <= ?1"
		" AND instr(?2, ',' || coalesce(task_type, '') || ',') > 0"
		" ORDER BY priority, id LIMIT 1";
	sqlite3_stmt *s = stmt(st, o->ntypes ? typed : any);
	char *list = NULL;
	int rc;

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, now);
	if (o->ntypes) {
		size_t len = 2;
		for (int i = 0; i < o->ntypes; i++)
			len += strlen(o->types[i]) + 1;
		list = xmalloc(len);
		strcpy(list, ",");
		for (int i = 0; i < o->ntypes; i++)
			strcat(strcat(list, o->types[i]), ",");
		bind_text(s, 2, list);
	}
	rc = sqlite3_step(s);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	reset(s);
	free(list);
	if (rc == SQLITE_DONE)
		return EXIT_NONE;
	return rc == SQLITE_ROW ? 0 : sqlfail(st, NULL);
}

static int claim(struct store *st, const struct claim_opts *o,
                 struct promise *out)
{
	static const char take[] =
		"UPDATE promises SET status = 'running', attempt = attempt + 1,"
		" worker = ?2, lease_expires_at = ?3 + ?4, heartbeat_at = ?3,"
		" started_at = coalesce(started_at, ?3), progress = NULL,"
		" progress_note = NULL"
		" WHERE id = ?1 AND status = 'pending' RETURNING attempt";
	static const char log[] =
		"INSERT INTO attempts (promise_id, attempt, worker, started_at)"
		" VALUES (?, ?, ?, ?)";
	int64_t now = now_ms(), id;
	sqlite3_stmt *s;
	int rc, attempt = 0;

	if ((rc = reap(st, now, NULL, NULL)) || (rc = pick(st, o, now, &id)))
		return rc;
	if (!(s = stmt(st, take)))
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, o->worker);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, o->lease_ms);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		attempt = sqlite3_column_int(s, 0);
	reset(s);
	if (rc != SQLITE_ROW)
		return sqlfail(st, NULL);
	if (!(s = stmt(st, log)))
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, attempt);
	bind_text(s, 3, o->worker);
	sqlite3_bind_int64(s, 4, now);
	if ((rc = run(st, s)))
		return rc;
	return load(st, id, out);
}

/* Up to limit claims in one transaction: the first that finds nothing
 * ends it, EXIT_NONE only when there was none at all. */
static int claim_some(struct store *st, const struct claim_opts *o, int limit,
                      struct promise *out, int *n)
{
	int rc = 0;

	for (*n = 0; *n < limit && (rc = claim(st, o, &out[*n])) == 0; ++*n)
		;
	return rc == EXIT_NONE && *n > 0 ? 0 : rc;
}

static int sq_claim(struct store *st, const struct claim_opts *o, int limit,
                    struct promise *out, int *n)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, claim_some(st, o, limit, out, n));
}

/* ---- done, fail, cancel ---- */

static int set_user_error(struct store *st, int64_t id, const char *text)
{
	static const char sql[] = "UPDATE promises SET user_error = ?2 WHERE id = ?1";
	sqlite3_stmt *s = stmt(st, sql);

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, text);
	return run(st, s);
}

static int finish(struct store *st, const struct outcome *o,
                  struct promise *after)
{
	struct promise p;
	int64_t now = now_ms();
	int rc;

	promise_init(&p);
	if ((rc = load(st, o->id, &p)))
		goto out;
	if (p.status != PS_RUNNING ||
	    (o->worker && (!p.worker || strcmp(o->worker, p.worker) != 0)) ||
	    (o->attempt > 0 && o->attempt != p.attempt)) {
		rc = refused(st, o->id, o->worker, o->attempt,
		             o->kind == OUT_DONE ? "done for" :
		             o->kind == OUT_FAIL ? "fail for" : "cancel for");
		goto out;
	}
	switch (o->kind) {
	case OUT_DONE:
		if (!(rc = end_attempt(st, p.id, p.attempt, now, "done", NULL)))
			rc = close_promise(st, p.id, PS_DONE, now,
			                   o->result ? o->result : "", NULL, 1, 0);
		break;
	case OUT_CANCELLED:
		if (!(rc = end_attempt(st, p.id, p.attempt, now, "cancelled", o->error)))
			rc = close_promise(st, p.id, PS_CANCELLED, now, o->result,
			                   o->error, 1, 0);
		break;
	case OUT_FAIL:
		if (o->user_error && (rc = set_user_error(st, p.id, o->user_error)))
			break;
		rc = fail_attempt(st, p.id, p.attempt, p.max_attempts,
		                  p.cancel_requested, o->permanent, now, "failed",
		                  o->error ? o->error : "failed");
		break;
	}
	if (rc == 0 && after)
		rc = load(st, p.id, after);
out:
	promise_free(&p);
	return rc;
}

static int sq_finish(struct store *st, const struct outcome *o,
                     struct promise *after)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, finish(st, o, after));
}

/* A worker that stops gives its attempt back: the promise is due again
 * at once and the attempt is not held against it.  The attempt number
 * still grows at the next claim (it names a claim, and the old one must
 * stay refused), so max_attempts grows with it, as in retry. */
static int release(struct store *st, int64_t id, const char *worker,
                   int attempt, const char *why, struct promise *after)
{
	static const char again[] =
		"UPDATE promises SET status = 'pending', not_before = ?2,"
		" lease_expires_at = NULL, max_attempts = max_attempts + 1"
		" WHERE id = ?1";
	struct promise p;
	int64_t now = now_ms();
	sqlite3_stmt *s;
	int rc;

	promise_init(&p);
	if ((rc = load(st, id, &p)))
		goto out;
	if (p.status != PS_RUNNING ||
	    (worker && (!p.worker || strcmp(worker, p.worker) != 0)) ||
	    (attempt > 0 && attempt != p.attempt)) {
		rc = refused(st, id, worker, attempt, "release of");
		goto out;
	}
	if (p.cancel_requested) {
		/* Asked to stop, it has stopped: that is a cancel. */
		if (!(rc = end_attempt(st, id, p.attempt, now, "cancelled", "cancelled")))
			rc = close_promise(st, id, PS_CANCELLED, now, NULL,
			                   "cancelled", 1, 0);
	} else if (!(rc = end_attempt(st, id, p.attempt, now, "released", why))) {
		if (!(s = stmt(st, again)))
			rc = EXIT_DATA;
		else {
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_int64(s, 2, now);
			rc = run(st, s);
		}
	}
	if (rc == 0 && after)
		rc = load(st, id, after);
out:
	promise_free(&p);
	return rc;
}

static int sq_release(struct store *st, int64_t id, const char *worker,
                      int attempt, const char *why, struct promise *after)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, release(st, id, worker, attempt, why, after));
}

/* ---- questions: a promise that waits for its user ---- */

/* Whether the running attempt is the caller's: 0, or EXIT_CONFLICT
 * (reported) with verb naming the change refused. */

static int say(struct store *st, struct notice *n, int *duplicate);

static int ask(struct store *st, int64_t id, const char *worker, int attempt,
               const char *question, int64_t ttl_ms, struct notice *q,
               struct promise *after)
{
	static const char wait[] =
		"UPDATE promises SET status = 'waiting', question = ?2, worker = NULL,"
		" lease_expires_at = NULL, max_attempts = max_attempts + 1,"
		" expires_at = ?3 WHERE id = ?1";
	struct promise p;
	int64_t now = now_ms();
	sqlite3_stmt *s;
	int rc, dup;

	promise_init(&p);
	if ((rc = load(st, id, &p)) || (rc = store_lease_is(&p, worker, attempt, "question of")))
		goto out;
	if (p.cancel_requested) {
		if (!(rc = end_attempt(st, id, p.attempt, now, "cancelled", "cancelled")))
			rc = close_promise(st, id, PS_CANCELLED, now, NULL,
			                   "cancelled", 1, 0);
		goto out;
	}
	if ((rc = end_attempt(st, id, p.attempt, now, "asked", NULL)))
		goto out;
	if (!(s = stmt(st, wait))) {
		rc = EXIT_DATA;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, question);
	bind_opt(s, 3, ttl_ms > 0 ? now + ttl_ms : 0);
	if ((rc = run(st, s)) || (rc = queue_edit(st, id, now)))
		goto out;
	if (q && p.chat_id) {
		q->promise_id = id;
		q->chat_id = p.chat_id;
		q->thread_id = p.thread_id;
		q->reply_to = p.reply_to;
		rc = say(st, q, &dup);
	}
	if (rc == 0 && after)
		rc = load(st, id, after);
out:
	promise_free(&p);
	return rc;
}

static int sq_ask(struct store *st, int64_t id, const char *worker, int attempt,
                  const char *question, int64_t ttl_ms, struct notice *q,
                  struct promise *after)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, ask(st, id, worker, attempt, question, ttl_ms,
	                             q, after));
}

static int answer(struct store *st, int64_t id, const char *text,
                  struct promise *after)
{
	static const char sql[] =
		"UPDATE promises SET status = 'pending', not_before = ?3,"
		" question = NULL, expires_at = NULL,"
		" answers = json_insert(coalesce(answers, '[]'), '$[#]', ?2)"
		" WHERE id = ?1 AND status = 'waiting'";
	sqlite3_stmt *s = stmt(st, sql);
	int64_t now = now_ms();
	int rc;

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, text);
	sqlite3_bind_int64(s, 3, now);
	if ((rc = run(st, s)))
		return rc;
	if (sqlite3_changes(SQ(st)->db) == 0) {
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
	if ((rc = queue_edit(st, id, now)))
		return rc;
	return after ? load(st, id, after) : 0;
}

static int sq_answer(struct store *st, int64_t id, const char *text,
                     struct promise *after)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, answer(st, id, text, after));
}

/* The id that sql finds for two bound ids; 0 when none. */
static int id_by_ids(struct store *st, const char *sql, int64_t a, int64_t b,
                     int64_t *id)
{
	sqlite3_stmt *s;
	int rc;

	*id = 0;
	if ((rc = begin_read(st)))
		return rc;
	if (!(s = stmt(st, sql)))
		return end(st, EXIT_DATA);
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	reset(s);
	return end(st, rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlfail(st, NULL));
}

static int sq_asked_by(struct store *st, int64_t chat, int64_t message_id,
                       int64_t *id)
{
	static const char sql[] =
		"SELECT CASE WHEN p.status = 'waiting' AND n.id = (SELECT max(id)"
		"   FROM notices WHERE promise_id = p.id AND kind = 'question')"
		"  THEN p.id ELSE -p.id END"
		" FROM notices n JOIN promises p ON p.id = n.promise_id"
		" WHERE n.chat_id = ?1 AND n.message_id = ?2 AND n.kind = 'question'"
		" ORDER BY n.id DESC LIMIT 1";

	return id_by_ids(st, sql, chat, message_id, id);
}

static int sq_made_from(struct store *st, int64_t chat, int64_t message_id,
                        int64_t *id)
{
	static const char sql[] =
		"SELECT id FROM promises WHERE chat_id = ?1 AND reply_to = ?2"
		" ORDER BY id DESC LIMIT 1";

	return id_by_ids(st, sql, chat, message_id, id);
}

static int retext(struct store *st, int64_t id, const char *text,
                  struct promise *after)
{
	static const char sql[] =
		"UPDATE promises SET text = ?2 WHERE id = ?1"
		" AND status IN ('offered', 'pending') AND attempt = 0";
	sqlite3_stmt *s = stmt(st, sql);
	struct promise p;
	int rc, changed;

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, text);
	if ((rc = run(st, s)))
		return rc;
	changed = sqlite3_changes(SQ(st)->db);
	promise_init(&p);
	if ((rc = load(st, id, &p)) == 0 && !changed) {
		store_complain(st, "#%lld has %s: an edit no longer changes it",
		         (long long)id, pstatus_open(p.status) ? "started" : "ended");
		rc = EXIT_CONFLICT;
	}
	promise_free(&p);
	return rc == 0 && after ? load(st, id, after) : rc;
}

static int sq_retext(struct store *st, int64_t id, const char *text,
                     struct promise *after)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, retext(st, id, text, after));
}

static int cancel(struct store *st, int64_t id, struct promise *after)
{
	static const char request[] =
		"UPDATE promises SET cancel_requested = 1 WHERE id = ?";
	struct promise p;
	int64_t now = now_ms();
	sqlite3_stmt *s;
	int rc;

	promise_init(&p);
	if ((rc = load(st, id, &p)))
		goto out;
	switch (p.status) {
	case PS_OFFERED:
		/* Nobody was told this would happen: nothing to follow up. */
		rc = close_promise(st, id, PS_CANCELLED, now, NULL, "cancelled", 0, 0);
		break;
	case PS_PENDING:
	case PS_WAITING:
		rc = close_promise(st, id, PS_CANCELLED, now, NULL, "cancelled", 1, 0);
		break;
	case PS_RUNNING:
		if (!(s = stmt(st, request)))
			rc = EXIT_DATA;
		else
			sqlite3_bind_int64(s, 1, id), rc = run(st, s);
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

static int sq_cancel(struct store *st, int64_t id, struct promise *after)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, cancel(st, id, after));
}

/* A follow-up that has not gone out yet and is no longer true. */
static int drop_followups(struct store *st, int64_t id)
{
	static const char sql[] =
		"UPDATE notices SET state = 3 WHERE promise_id = ? AND state = 0"
		" AND kind IN ('done', 'failed', 'cancelled', 'expired')"
		" AND out_until IS NULL";
	sqlite3_stmt *s = stmt(st, sql);

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	return run(st, s);
}

static int retry(struct store *st, int64_t id, struct promise *after)
{
	static const char sql[] =
		"UPDATE promises SET status = 'pending', not_before = ?2,"
		" finished_at = NULL, error = NULL, result = NULL,"
		" user_error = NULL, question = NULL,"
		" cancel_requested = 0, notify = 0,"
		" max_attempts = max(max_attempts, attempt + 1),"
		" expires_at = CASE WHEN expires_at IS NULL THEN NULL"
		"   ELSE ?2 + max(expires_at - created_at, 0) END,"
		" waiting = (SELECT count(*) FROM deps d JOIN promises q"
		"   ON q.id = d.after_id WHERE d.promise_id = ?1"
		"   AND q.status != 'done')"
		" WHERE id = ?1";
	struct promise p;
	sqlite3_stmt *s;
	int rc;

	promise_init(&p);
	if ((rc = load(st, id, &p)))
		goto out;
	if (p.status != PS_FAILED && p.status != PS_CANCELLED &&
	    p.status != PS_EXPIRED) {
		warn("cannot retry #%lld: it is %s", (long long)id,
		     pstatus_name(p.status));
		rc = EXIT_CONFLICT;
		goto out;
	}
	if (!(s = stmt(st, sql))) {
		rc = EXIT_DATA;
		goto out;
	}
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now_ms());
	if ((rc = run(st, s)) == 0 && (rc = drop_followups(st, id)) == 0 && after)
		rc = load(st, id, after);
out:
	promise_free(&p);
	return rc;
}

static int sq_retry(struct store *st, int64_t id, struct promise *after)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, retry(st, id, after));
}

static int accept(struct store *st, int64_t id, int64_t chat, int yes,
                  struct promise *after)
{
	static const char latest[] =
		"SELECT id FROM promises WHERE chat_id = ?"
		" AND " IS_OPEN " AND status = 'offered' ORDER BY id DESC LIMIT 1";
	static const char take[] =
		"UPDATE promises SET status = 'pending', not_before = max(not_before, ?2)"
		" WHERE id = ?1 AND status = 'offered'";
	struct promise p;
	sqlite3_stmt *s;
	int64_t now = now_ms();
	int rc;

	promise_init(&p);
	if (!id) {
		if (!(s = stmt(st, latest)))
			return EXIT_DATA;
		sqlite3_bind_int64(s, 1, chat);
		rc = sqlite3_step(s);
		id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return sqlfail(st, NULL);
		if (!id) {
			warn("no open offer in chat %lld", (long long)chat);
			return EXIT_NOTFOUND;
		}
	}
	if ((rc = load(st, id, &p)))
		goto out;
	if (p.status != PS_OFFERED) {
		warn("#%lld is %s, not an open offer", (long long)id,
		     pstatus_name(p.status));
		rc = EXIT_CONFLICT;
		goto out;
	}
	if (yes) {
		if (!(s = stmt(st, take))) {
			rc = EXIT_DATA;
			goto out;
		}
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, now);
		rc = run(st, s);
	} else {
		rc = close_promise(st, id, PS_CANCELLED, now, NULL, "declined", 0, 0);
	}
	if (rc == 0 && after)
		rc = load(st, id, after);
out:
	promise_free(&p);
	return rc;
}

static int sq_accept(struct store *st, int64_t id, int64_t chat, int yes,
                     struct promise *after)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, accept(st, id, chat, yes, after));
}

static int meta(struct store *st, int64_t id, const char *patch,
                struct promise *after)
{
	static const char sql[] =
		"UPDATE promises SET meta = json_patch(coalesce(meta, '{}'), ?2)"
		" WHERE id = ?1";
	sqlite3_stmt *s = stmt(st, sql);
	int rc;

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, patch);
	if ((rc = run(st, s)))
		return rc;
	if (sqlite3_changes(SQ(st)->db) == 0) {
		warn("no promise #%lld", (long long)id);
		return EXIT_NOTFOUND;
	}
	return after ? load(st, id, after) : 0;
}

static int sq_meta(struct store *st, int64_t id, const char *patch,
                   struct promise *after)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, meta(st, id, patch, after));
}

/* ---- list, show, stats ---- */

static int each_row(struct store *st, sqlite3_stmt *s,
                    int (*fn)(struct promise *, void *), void *arg)
{
	struct promise p;
	int rc;

	promise_init(&p);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		read_row(s, &p);
		if (read_deps(st, &p) || fn(&p, arg))
			break;
	}
	promise_free(&p);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		reset(s);
		return sqlfail(st, NULL);
	}
	reset(s);
	return 0;
}

static int sq_list(struct store *st, const struct list_filter *f,
                   int (*fn)(struct promise *, void *), void *arg)
{
	/* Two statements, as "(?1 IS NULL OR chat_id = ?1)" would keep
	 * SQLite off the chat's index: a chat's list walked every row. */
#define LIST_REST \
		" (?2 = 0 OR (?2 >> CASE status WHEN 'offered' THEN 0" \
		"   WHEN 'pending' THEN 1 WHEN 'running' THEN 2 WHEN 'waiting' THEN 3" \
		"   WHEN 'done' THEN 4 WHEN 'failed' THEN 5 WHEN 'cancelled' THEN 6" \
		"   ELSE 7 END) & 1)" \
		" AND (?3 IS NULL OR task_type = ?3)" \
		" ORDER BY id DESC LIMIT ?4"
	static const char all[] = "SELECT " PCOLS " FROM promises WHERE" LIST_REST;
	static const char chat[] =
		"SELECT " PCOLS " FROM promises WHERE chat_id = ?1 AND" LIST_REST;
	/* Open ones only (the outbox asks for the running every round): read
	 * the small index of open promises, not every ended one.  Without
	 * statistics SQLite prefers walking the table in id order to sorting
	 * what the index gives, hence INDEXED BY. */
	static const char open[] =
		"SELECT " PCOLS " FROM promises INDEXED BY promises_open_chat"
		" WHERE " IS_OPEN " AND" LIST_REST;
	/* A chat's open ones (every message asks whether it answers a
	 * question): the chat's open promises, not all it ever had. */
	static const char chat_open[] =
		"SELECT " PCOLS " FROM promises INDEXED BY promises_open_chat"
		" WHERE chat_id = ?1 AND " IS_OPEN " AND" LIST_REST;
#undef LIST_REST
	const unsigned open_bits = 1u << PS_OFFERED | 1u << PS_PENDING |
	                           1u << PS_RUNNING | 1u << PS_WAITING;
	sqlite3_stmt *s;
	int rc;

	if ((rc = begin_read(st)))
		return rc;
	int only_open = f->statuses && !(f->statuses & ~open_bits);

	if (!(s = stmt(st, f->chat_id ? (only_open ? chat_open : chat) :
	                   only_open ? open : all)))
		return end(st, EXIT_DATA);
	if (f->chat_id)
		sqlite3_bind_int64(s, 1, f->chat_id);
	sqlite3_bind_int64(s, 2, f->statuses);
	bind_text(s, 3, f->task_type);
	sqlite3_bind_int64(s, 4, f->limit > 0 ? f->limit : -1);
	return end(st, each_row(st, s, fn, arg));
}

static int sq_attempts(struct store *st, int64_t id,
                       int (*fn)(const struct attempt *, void *), void *arg)
{
	static const char sql[] =
		"SELECT attempt, worker, started_at, ended_at, outcome, error"
		" FROM attempts WHERE promise_id = ? ORDER BY attempt";
	sqlite3_stmt *s;
	struct attempt a;
	int rc;

	if ((rc = begin_read(st)))
		return rc;
	if (!(s = stmt(st, sql)))
		return end(st, EXIT_DATA);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		a.n = sqlite3_column_int(s, 0);
		a.worker = (const char *)sqlite3_column_text(s, 1);
		a.started_at = sqlite3_column_int64(s, 2);
		a.ended_at = sqlite3_column_int64(s, 3);
		a.outcome = (const char *)sqlite3_column_text(s, 4);
		a.error = (const char *)sqlite3_column_text(s, 5);
		if (fn(&a, arg))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlfail(st, NULL);
	reset(s);
	return end(st, rc);
}

/* One integer from a query with at most one bound value; dflt on NULL. */
static int scalar(struct store *st, const char *sql, int64_t bind,
                  int64_t dflt, int64_t *v)
{
	sqlite3_stmt *s = stmt(st, sql);
	int rc;

	if (!s)
		return EXIT_DATA;
	if (sqlite3_bind_parameter_count(s) > 0)
		sqlite3_bind_int64(s, 1, bind);
	rc = sqlite3_step(s);
	*v = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL ?
	     sqlite3_column_int64(s, 0) : dflt;
	reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlfail(st, NULL);
}

static int stats(struct store *st, struct store_stats *o)
{
	static const char counts[] =
		"SELECT status, count(*) FROM promises GROUP BY status";
	static const char oldest[] =
		"SELECT ?1 - min(not_before) FROM promises"
		" WHERE status = 'pending' AND waiting = 0 AND not_before <= ?1";
	/* Medians over the last 1,000 starts: recent behaviour, bounded cost. */
	static const char nwait[] =
		"SELECT count(*) FROM (SELECT 1 FROM promises"
		" WHERE started_at IS NOT NULL ORDER BY id DESC LIMIT 1000)";
	static const char mwait[] =
		"SELECT w FROM (SELECT started_at - created_at AS w FROM promises"
		" WHERE started_at IS NOT NULL ORDER BY id DESC LIMIT 1000)"
		" ORDER BY w LIMIT 1 OFFSET ?";
	static const char nrun[] =
		"SELECT count(*) FROM (SELECT 1 FROM attempts"
		" WHERE ended_at IS NOT NULL ORDER BY started_at DESC LIMIT 1000)";
	static const char mrun[] =
		"SELECT r FROM (SELECT ended_at - started_at AS r FROM attempts"
		" WHERE ended_at IS NOT NULL ORDER BY started_at DESC LIMIT 1000)"
		" ORDER BY r LIMIT 1 OFFSET ?";
	static const char outbox[] =
		"SELECT count(*) FROM notices WHERE state = 0";
	sqlite3_stmt *s = stmt(st, counts);
	int64_t n;
	int rc;

	memset(o, 0, sizeof *o);
	if (!s)
		return EXIT_DATA;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = pstatus_parse((const char *)sqlite3_column_text(s, 0));
		if (i >= 0)
			o->count[i] = sqlite3_column_int64(s, 1);
	}
	reset(s);
	if (rc != SQLITE_DONE)
		return sqlfail(st, NULL);
	if ((rc = scalar(st, oldest, now_ms(), -1, &o->oldest_due_ms)) ||
	    (rc = scalar(st, nwait, 0, 0, &n)) ||
	    (rc = scalar(st, mwait, n / 2, -1, &o->median_wait_ms)) ||
	    (rc = scalar(st, nrun, 0, 0, &n)) ||
	    (rc = scalar(st, mrun, n / 2, -1, &o->median_run_ms)) ||
	    (rc = scalar(st, outbox, 0, 0, &o->outbox)))
		return rc;
	return 0;
}

static int sq_stats(struct store *st, struct store_stats *out)
{
	int rc = begin_read(st);

	return rc ? rc : end(st, stats(st, out));
}

/* ---- gc ---- */

#define IS_OPEN_Q \
	"(q.status IN ('offered', 'pending') OR q.status IN ('running', 'waiting'))"
static int gc(struct store *st, int64_t cutoff, int64_t *deleted)
{
	static const char victims[] =
		"CREATE TEMP TABLE IF NOT EXISTS gc_ids (id INTEGER PRIMARY KEY);"
		"DELETE FROM temp.gc_ids;";
	static const char pick_sql[] =
		"INSERT INTO temp.gc_ids SELECT id FROM promises"
		" WHERE status IN ('done', 'failed', 'cancelled', 'expired')"
		" AND finished_at < ? AND notify != 1"
		/* a dependant still waiting keeps its dependency */
		" AND NOT EXISTS (SELECT 1 FROM deps d JOIN promises q"
		"   ON q.id = d.promise_id WHERE d.after_id = promises.id"
		"   AND " IS_OPEN_Q ")";
	static const char del_attempts[] =
		"DELETE FROM attempts WHERE promise_id IN temp.gc_ids";
	static const char del_deps[] =
		"DELETE FROM deps WHERE promise_id IN temp.gc_ids"
		" OR after_id IN temp.gc_ids";
	static const char del[] = "DELETE FROM promises WHERE id IN temp.gc_ids";
	/* Notices settled before the cutoff, and those of the promises that
	 * go (an edit still waiting for one of them has nothing to show). */
	static const char del_notices[] =
		"DELETE FROM notices WHERE promise_id IN temp.gc_ids"
		" OR (state != 0 AND created_at < ?)";
	sqlite3_stmt *s;
	int rc;

	if ((rc = exec(st, victims)) || !(s = stmt(st, pick_sql)))
		return rc ? rc : EXIT_DATA;
	sqlite3_bind_int64(s, 1, cutoff);
	if ((rc = run(st, s)))
		return rc;
	*deleted = sqlite3_changes(SQ(st)->db);
	if ((rc = run(st, stmt(st, del_attempts))) ||
	    (rc = run(st, stmt(st, del_deps))) ||
	    (rc = run(st, stmt(st, del))))
		return rc;
	if (!(s = stmt(st, del_notices)))
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, cutoff);
	return run(st, s);
}

static int sq_gc(struct store *st, int64_t age_ms, int64_t *deleted)
{
	int rc = begin_write(st);

	*deleted = 0;
	return rc ? rc : end(st, gc(st, now_ms() - age_ms, deleted));
}


/* ---- notices: what the bot says (store.h) ---- */

#define NCOLS \
	"id, promise_id, kind, chat_id, thread_id, reply_to, text, markup," \
	" key, urgency, state, tries, created_at, sent_at, message_id, error," \
	" callback_id, edit_of, not_before"


static void read_notice(sqlite3_stmt *s, struct notice *n)
{
	notice_free(n);
	n->id = sqlite3_column_int64(s, 0);
	n->promise_id = sqlite3_column_int64(s, 1);
	n->kind = col_text(s, 2);
	n->chat_id = sqlite3_column_int64(s, 3);
	n->thread_id = sqlite3_column_int64(s, 4);
	n->reply_to = sqlite3_column_int64(s, 5);
	n->text = col_text(s, 6);
	n->markup = col_text(s, 7);
	n->key = col_text(s, 8);
	n->urgency = sqlite3_column_int(s, 9);
	n->state = sqlite3_column_int(s, 10);
	n->tries = sqlite3_column_int(s, 11);
	n->created_at = sqlite3_column_int64(s, 12);
	n->sent_at = sqlite3_column_int64(s, 13);
	n->message_id = sqlite3_column_int64(s, 14);
	n->error = col_text(s, 15);
	n->callback_id = col_text(s, 16);
	n->edit_of = sqlite3_column_int64(s, 17);
	n->not_before = sqlite3_column_int64(s, 18);
}

static int find_notice_key(struct store *st, const char *key, int64_t *id)
{
	static const char sql[] = "SELECT id FROM notices WHERE key = ?";

	return id_by_key(st, sql, key, id);
}

/* What is said in a chat makes its "typing..." not yet shown untrue. */
static int hush(struct store *st, int64_t chat)
{
	static const char sql[] =
		"UPDATE notices SET state = 3 WHERE chat_id = ? AND state = 0"
		" AND kind = 'typing' AND out_until IS NULL";
	sqlite3_stmt *s = stmt(st, sql);

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, chat);
	return run(st, s);
}

static int say(struct store *st, struct notice *n, int *duplicate)
{
	static const char sql[] =
		"INSERT INTO notices (promise_id, kind, chat_id, thread_id,"
		" reply_to, text, markup, key, urgency, created_at, callback_id,"
		" edit_of, not_before)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *s;
	int64_t id;
	int rc;

	*duplicate = 0;
	if (!n->chat_id || !n->kind) {
		store_complain(st, "a notice needs a chat and a kind");
		return EXIT_USAGE;
	}
	if (n->key) {
		if ((rc = find_notice_key(st, n->key, &id)))
			return rc;
		if (id) {
			*duplicate = 1;
			n->id = id;
			return 0;
		}
	}
	if (!(s = stmt(st, sql)))
		return EXIT_DATA;
	bind_opt(s, 1, n->promise_id);
	bind_text(s, 2, n->kind);
	sqlite3_bind_int64(s, 3, n->chat_id);
	bind_opt(s, 4, n->thread_id);
	bind_opt(s, 5, n->reply_to);
	bind_text(s, 6, n->text);
	bind_text(s, 7, n->markup);
	bind_text(s, 8, n->key);
	sqlite3_bind_int(s, 9, n->urgency);
	if (!n->created_at)
		n->created_at = now_ms();
	sqlite3_bind_int64(s, 10, n->created_at);
	bind_text(s, 11, n->callback_id);
	bind_opt(s, 12, n->edit_of);
	sqlite3_bind_int64(s, 13, n->not_before);
	if ((rc = run(st, s)))
		return rc;
	n->id = sqlite3_last_insert_rowid(SQ(st)->db);
	if (strcmp(n->kind, "typing") != 0 && strcmp(n->kind, "callback") != 0)
		return hush(st, n->chat_id);
	return 0;
}

static int sq_say(struct store *st, struct notice *n, int *duplicate)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, say(st, n, duplicate));
}

enum { TYPING_EVERY_MS = 4500, TYPING_FOR_MS = 30000 };

/* A button press's answer, ahead of everything (urgency -1). */
#define NCOLS_AS_URGENT \
	"id, promise_id, kind, chat_id, thread_id, reply_to, text, markup," \
	" key, -1, state, tries, created_at, sent_at, message_id, error," \
	" callback_id, edit_of, not_before"

/* Each chat's next notice, when it is due and not out already.  A chat's
 * messages go one at a time, in the order they were queued: the next
 * waits for the receipt of the one before it.  An edit changes a message
 * already sent and goes only when no message waits in its chat: it never
 * holds up an acknowledgement, nor comes before the reply that explains
 * it.  The head goes with the urgency of the most urgent notice of its
 * chat, so a chat is never served after others because of what is ahead
 * in it.  (The columns are NCOLS's, with the chat's urgency.) */
static const char heads_sql[] =
	"SELECT id, promise_id, kind, chat_id, thread_id, reply_to, text, markup,"
	" key, u, state, tries, created_at, sent_at, message_id, error,"
	" callback_id, edit_of, not_before"
	" FROM notices JOIN (SELECT coalesce(min(CASE WHEN kind != 'edit'"
	"   AND (kind != 'typing' OR not_before <= ?1) THEN id END),"
	"   min(CASE WHEN kind = 'edit' THEN id END)) AS head, min(urgency) AS u"
	"  FROM notices WHERE state = 0 AND kind != 'callback' GROUP BY chat_id)"
	"  ON id = head"
	" WHERE (out_until IS NULL OR out_until <= ?1) AND not_before <= ?1"
	" UNION ALL"
	" SELECT " NCOLS_AS_URGENT " FROM notices"
	" WHERE state = 0 AND kind = 'callback'"
	" AND (out_until IS NULL OR out_until <= ?1)"
	" ORDER BY 10, 1 LIMIT ?2";

/* An edit needs the message it edits (the one edit_of names, else the
 * acknowledgement): when that was never sent (refused for good), there
 * is nothing to edit, and the edit is dropped. */
static int editable(struct store *st, struct notice *n,
                    const struct promise *p, int *drop)
{
	static const char target[] =
		"SELECT message_id FROM notices WHERE id = ? AND state = 1";
	static const char sql[] = "UPDATE notices SET state = 3 WHERE id = ?";
	sqlite3_stmt *s;
	int rc;

	*drop = 0;
	if (strcmp(n->kind, "edit") != 0)
		return 0;
	if (n->edit_of) {
		if (!(s = stmt(st, target)))
			return EXIT_DATA;
		sqlite3_bind_int64(s, 1, n->edit_of);
		rc = sqlite3_step(s);
		n->edit_message_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return sqlfail(st, NULL);
	} else {
		n->edit_message_id = p->id ? p->ack_message_id : 0;
	}
	if ((*drop = !n->edit_message_id) == 0)
		return 0;
	if (!(s = stmt(st, sql)))
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, n->id);
	return run(st, s);
}

static int hand_out(struct store *st, const struct notice *n, int64_t until)
{
	static const char sql[] =
		"UPDATE notices SET out_until = ?2, tries = tries + 1 WHERE id = ?1";
	sqlite3_stmt *s = stmt(st, sql);

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, n->id);
	sqlite3_bind_int64(s, 2, until);
	return run(st, s);
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

/* The due heads, read whole before any is changed. */
static int due_heads(struct store *st, int64_t now, int64_t limit,
                     struct handout *h)
{
	sqlite3_stmt *s = stmt(st, heads_sql);
	int rc;

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (h->len == h->cap) {
			h->cap = h->cap ? 2 * h->cap : 64;
			h->n = xrealloc(h->n, (size_t)h->cap * sizeof *h->n);
			h->p = xrealloc(h->p, (size_t)h->cap * sizeof *h->p);
		}
		notice_init(&h->n[h->len]);
		promise_init(&h->p[h->len]);
		read_notice(s, &h->n[h->len++]);
	}
	reset(s);
	return rc == SQLITE_DONE ? 0 : sqlfail(st, NULL);
}

/* Marks the due heads out, dropping edits that have nothing to edit
 * (which uncovers the next notice of that chat: another round). */
static int outbox(struct store *st, int64_t limit, int64_t lease_ms,
                  struct handout *h)
{
	int64_t now = now_ms();
	int rc, start, dropped;

	do {
		start = h->len;
		dropped = 0;
		if ((rc = due_heads(st, now, limit ? limit - start : 0, h)))
			return rc;
		for (int i = start; i < h->len && rc == 0; i++) {
			struct notice *n = &h->n[i];
			int drop = 0;

			if (n->promise_id &&
			    (rc = load(st, n->promise_id, &h->p[i])) == EXIT_NOTFOUND)
				rc = 0;         /* gc took it: only an edit can be left */
			if (rc == 0 && (rc = editable(st, n, &h->p[i], &drop)) == 0 && !drop)
				rc = hand_out(st, n, now + lease_ms);
			if (drop) {
				dropped++;
				n->state = NS_DROPPED;
			}
		}
	} while (rc == 0 && dropped && (!limit || h->len < limit));
	return rc;
}

static int sq_outbox(struct store *st, int64_t limit, int64_t lease_ms,
                     int (*fn)(struct notice *, struct promise *, void *),
                     void *arg)
{
	struct handout h = { NULL, NULL, 0, 0 };
	int rc = begin_write(st);

	/* fn runs after the commit: it writes to a pipe, which may block,
	 * and the write lock must not wait on a reader of that pipe. */
	if (rc == 0)
		rc = end(st, outbox(st, limit, lease_ms, &h));
	for (int i = 0; i < h.len && rc == 0; i++)
		if (h.n[i].state != NS_DROPPED)
			rc = fn(&h.n[i], h.n[i].promise_id && h.p[i].id ? &h.p[i] : NULL, arg);
	handout_free(&h);
	return rc;
}

/* One sender per database: two would each take the other's notices for
 * lost and send them again.  The lock is a file beside the database, held
 * by the process (flock), so a sender that dies frees it. */
static int sender_lock(struct store *st)
{
	size_t n = strlen(SQ(st)->path) + sizeof "-sender";
	char *path = xmalloc(n);
	int fd;

	snprintf(path, n, "%s-sender", SQ(st)->path);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		warn("%s:", path);
		free(path);
		return EXIT_DATA;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		store_complain(st, "%s: another outbox --follow is the sender for this "
		         "database", SQ(st)->path);
		close(fd);
		free(path);
		return EXIT_CONFLICT;
	}
	free(path);
	SQ(st)->sender_fd = fd;
	return 0;
}

static int sq_outbox_reset(struct store *st)
{
	static const char sql[] =
		"UPDATE notices SET out_until = NULL"
		" WHERE state = 0 AND out_until IS NOT NULL";
	int rc;

	if (SQ(st)->sender_fd < 0 && (rc = sender_lock(st)))
		return rc;
	if ((rc = begin_write(st)))
		return rc;
	return end(st, run(st, stmt(st, sql)));
}

static int sq_outbox_next(struct store *st, int64_t *at)
{
	static const char sql[] =
		"SELECT min(max(coalesce(out_until, 0), not_before)) FROM notices"
		" WHERE state = 0 AND (not_before > ?1 OR out_until > ?1)";
	int rc = begin_read(st);

	return rc ? rc : end(st, scalar(st, sql, now_ms(), 0, at));
}

static int sq_changed(struct store *st)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *s = stmt(st, sql);
	int64_t v;
	int rc, changed;

	if (!s)
		return 1;
	rc = sqlite3_step(s);
	v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
	reset(s);
	changed = v != SQ(st)->data_version || v < 0;
	SQ(st)->data_version = v;
	return changed;
}


/* Telegram shows "typing..." for about five seconds: while the chat has
 * heard nothing since, it is shown again, for half a minute at most. */
static int still_typing(struct store *st, const struct notice *n, int64_t now)
{
	static const char sql[] =
		"INSERT INTO notices (kind, chat_id, thread_id, urgency, created_at,"
		" not_before)"
		" SELECT 'typing', ?2, ?3, ?4, ?5, ?6"
		" WHERE ?6 < ?5 + ?7 AND NOT EXISTS (SELECT 1 FROM notices"
		"   WHERE chat_id = ?2 AND id > ?1 AND kind != 'callback')";
	sqlite3_stmt *s = stmt(st, sql);

	if (!s)
		return EXIT_DATA;
	sqlite3_bind_int64(s, 1, n->id);
	sqlite3_bind_int64(s, 2, n->chat_id);
	bind_opt(s, 3, n->thread_id);
	sqlite3_bind_int(s, 4, n->urgency);
	sqlite3_bind_int64(s, 5, n->created_at);
	sqlite3_bind_int64(s, 6, now + TYPING_EVERY_MS);
	sqlite3_bind_int64(s, 7, TYPING_FOR_MS);
	return run(st, s);
}

static int notified(struct store *st, const struct receipt *r)
{
	static const char load_sql[] = "SELECT " NCOLS " FROM notices WHERE id = ?";
	static const char sent[] =
		"UPDATE notices SET state = ?2, sent_at = ?3, message_id = ?4,"
		" out_until = NULL, error = ?5 WHERE id = ?1";
	static const char again[] =
		"UPDATE notices SET out_until = NULL, not_before = ?2, error = ?3"
		" WHERE id = ?1";
	static const char acked[] =
		"UPDATE promises SET ack_message_id = ?2 WHERE id = ?1";
	static const char followed[] =
		"UPDATE promises SET notify = ?2, notified_at = ?3,"
		" notify_error = ?4 WHERE id = ?1 AND notify = 1";
	static const char moved_n[] =
		"UPDATE notices SET chat_id = ?2 WHERE chat_id = ?1 AND state = 0";
	static const char moved_p[] =
		"UPDATE promises SET chat_id = ?2 WHERE chat_id = ?1";
	struct notice n;
	sqlite3_stmt *s;
	int64_t now = now_ms();
	int rc, settled = r->ok || r->permanent;

	if (!(s = stmt(st, load_sql)))
		return EXIT_DATA;
	notice_init(&n);
	sqlite3_bind_int64(s, 1, r->ref);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		read_notice(s, &n);
	reset(s);
	if (rc == SQLITE_DONE) {
		store_complain(st, "no notice %lld", (long long)r->ref);
		return EXIT_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return sqlfail(st, NULL);
	rc = 0;
	if (n.state != NS_WAITING)      /* a receipt seen before */
		goto out;
	if (r->migrated_to) {
		/* A group that became a supergroup is the same conversation. */
		const char *const moves[] = { moved_n, moved_p };
		for (int i = 0; i < 2 && rc == 0; i++) {
			if (!(s = stmt(st, moves[i]))) {
				rc = EXIT_DATA;
				break;
			}
			sqlite3_bind_int64(s, 1, n.chat_id);
			sqlite3_bind_int64(s, 2, r->migrated_to);
			rc = run(st, s);
		}
		if (rc)
			goto out;
	}
	if (!settled) {
		/* sent to the new chat at once; anything else after a while */
		int64_t wait = r->migrated_to ? 0 : store_notice_backoff(n.tries);

		if (r->retry_after_ms > wait)
			wait = r->retry_after_ms;
		if (!(s = stmt(st, again))) {
			rc = EXIT_DATA;
			goto out;
		}
		sqlite3_bind_int64(s, 1, n.id);
		sqlite3_bind_int64(s, 2, now + wait);
		bind_text(s, 3, r->error);
		rc = run(st, s);
		goto out;
	}
	if (!(s = stmt(st, sent))) {
		rc = EXIT_DATA;
		goto out;
	}
	sqlite3_bind_int64(s, 1, n.id);
	sqlite3_bind_int(s, 2, r->ok ? NS_SENT : NS_GAVEUP);
	sqlite3_bind_int64(s, 3, now);
	bind_opt(s, 4, r->ok ? r->message_id : 0);
	bind_text(s, 5, r->ok ? NULL : r->error);
	if ((rc = run(st, s)))
		goto out;
	if (r->ok && strcmp(n.kind, "typing") == 0) {
		rc = still_typing(st, &n, now);
		goto out;
	}
	if (!n.promise_id)
		goto out;
	if (r->ok && strcmp(n.kind, "ack") == 0 && r->message_id) {
		if (!(s = stmt(st, acked))) {
			rc = EXIT_DATA;
			goto out;
		}
		sqlite3_bind_int64(s, 1, n.promise_id);
		sqlite3_bind_int64(s, 2, r->message_id);
		rc = run(st, s);
	} else if (n.urgency == URGENCY_FOLLOWUP) {
		if (!(s = stmt(st, followed))) {
			rc = EXIT_DATA;
			goto out;
		}
		sqlite3_bind_int64(s, 1, n.promise_id);
		sqlite3_bind_int(s, 2, r->ok ? NOTIFY_SENT : NOTIFY_GAVEUP);
		sqlite3_bind_int64(s, 3, now);
		bind_text(s, 4, r->ok ? NULL : r->error);
		rc = run(st, s);
	}
out:
	notice_free(&n);
	return rc;
}

static int sq_notified(struct store *st, const struct receipt *r)
{
	int rc = begin_write(st);

	return rc ? rc : end(st, notified(st, r));
}

static int sq_notices(struct store *st, int64_t id,
                      int (*fn)(const struct notice *, void *), void *arg)
{
	static const char sql[] =
		"SELECT " NCOLS " FROM notices WHERE promise_id = ? ORDER BY id";
	struct notice n;
	sqlite3_stmt *s;
	int rc;

	if ((rc = begin_read(st)))
		return rc;
	if (!(s = stmt(st, sql)))
		return end(st, EXIT_DATA);
	notice_init(&n);
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		read_notice(s, &n);
		if (fn(&n, arg))
			break;
	}
	notice_free(&n);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sqlfail(st, NULL);
	reset(s);
	return end(st, rc);
}

static int64_t sq_scan_steps(struct store *st)
{
	int64_t n = 0;

	for (int i = 0; i < SQ(st)->ncache; i++)
		n += sqlite3_stmt_status(SQ(st)->cache[i].s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
	return n;
}

const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.heartbeat = sq_heartbeat,
	.add = sq_add,
	.batch_begin = sq_batch_begin,
	.batch_end = sq_batch_end,
	.claim = sq_claim,
	.finish = sq_finish,
	.release = sq_release,
	.ask = sq_ask,
	.answer = sq_answer,
	.asked_by = sq_asked_by,
	.made_from = sq_made_from,
	.retext = sq_retext,
	.cancel = sq_cancel,
	.retry = sq_retry,
	.accept = sq_accept,
	.meta = sq_meta,
	.get = sq_get,
	.attempts = sq_attempts,
	.list = sq_list,
	.stats = sq_stats,
	.reap = sq_reap,
	.gc = sq_gc,
	.say = sq_say,
	.outbox = sq_outbox,
	.outbox_reset = sq_outbox_reset,
	.outbox_next = sq_outbox_next,
	.changed = sq_changed,
	.notified = sq_notified,
	.notices = sq_notices,
	.scan_steps = sq_scan_steps,
};
