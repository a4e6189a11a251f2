/*
 * store_be.h - between the store's policy (store.c) and its backends
 * (store_sqlite.c, store_pg.c).  The tools never include this: they see
 * store.h only.
 *
 * store.c is the public interface and the policy that needs no SQL: the
 * state names, who owns a promise, the retry backoff with its jitter,
 * the decisions of the state machine (what a failure, a cancel, a
 * release lead to) and the words of every refusal.  A backend keeps the
 * rows: each verb of store.h is one entry of its table, and runs in one
 * transaction of its database, asking the policy what to decide.
 */
#ifndef STORE_BE_H
#define STORE_BE_H

#include "store.h"

struct store_ops {
	const char *name;                /* "sqlite", "postgresql" */
	void (*close)(struct store *st);
	int (*heartbeat)(struct store *st, int64_t id, const char *worker,
	                 int attempt, int64_t lease_ms, int pct, const char *note);
	int (*add)(struct store *st, struct promise *p,
	           const struct add_limits *lim, int *duplicate);
	int (*batch_begin)(struct store *st);
	int (*batch_end)(struct store *st, int commit);
	/* up to limit (>= 1) promises into out[0..*n), most urgent first */
	int (*claim)(struct store *st, const struct claim_opts *o, int limit,
	             struct promise *out, int *n);
	int (*finish)(struct store *st, const struct outcome *o,
	              struct promise *after);
	/* NULL: store_finish_some calls finish for each */
	int (*finish_some)(struct store *st, const struct outcome *o, int n,
	                   int *rcs);
	int (*release)(struct store *st, int64_t id, const char *worker,
	               int attempt, const char *why, struct promise *after);
	int (*ask)(struct store *st, int64_t id, const char *worker, int attempt,
	           const char *question, int64_t ttl_ms, struct notice *q,
	           struct promise *after);
	int (*answer)(struct store *st, int64_t id, const char *answer,
	              struct promise *after);
	int (*asked_by)(struct store *st, int64_t chat, int64_t message_id,
	                int64_t *id);      /* -id: that question is closed */
	int (*made_from)(struct store *st, int64_t chat, int64_t message_id,
	                 int64_t *id);
	int (*retext)(struct store *st, int64_t id, const char *text,
	              struct promise *after);
	int (*cancel)(struct store *st, int64_t id, struct promise *after);
	int (*retry)(struct store *st, int64_t id, struct promise *after);
	int (*accept)(struct store *st, int64_t id, int64_t chat, int accept,
	              struct promise *after);
	int (*meta)(struct store *st, int64_t id, const char *patch,
	            struct promise *after);
	int (*get)(struct store *st, int64_t id, struct promise *out);
	int (*attempts)(struct store *st, int64_t id,
	                int (*fn)(const struct attempt *, void *), void *arg);
	int (*list)(struct store *st, const struct list_filter *f,
	            int (*fn)(struct promise *, void *), void *arg);
	int (*stats)(struct store *st, struct store_stats *out);
	int (*reap)(struct store *st, int64_t *leases, int64_t *expired);
	int (*gc)(struct store *st, int64_t age_ms, int64_t *deleted);
	int (*say)(struct store *st, struct notice *n, int *duplicate);
	int (*outbox)(struct store *st, int64_t limit, int64_t lease_ms,
	              int (*fn)(struct notice *, struct promise *, void *),
	              void *arg);
	int (*outbox_reset)(struct store *st);
	int (*outbox_next)(struct store *st, int64_t *at);
	int (*changed)(struct store *st);
	int (*notified)(struct store *st, const struct receipt *r);
	int (*notices)(struct store *st, int64_t id,
	               int (*fn)(const struct notice *, void *), void *arg);
	int64_t (*scan_steps)(struct store *st);
};

/* What every backend's store holds for the policy; be is its own. */
struct store {
	const struct store_ops *ops;
	void *be;
	int in_batch;                /* between batch_begin and batch_end */
	int64_t backoff_base, backoff_max;
	const char *context;         /* before what store_complain says */
};

/* The backends, each opening its kind of database into a new store. */
int store_sqlite_open(const char *path, struct store **out);
int store_pg_open(const char *conninfo, struct store **out);
/* Whether db names a PostgreSQL database: a postgresql:// or
 * postgres:// URI, or a libpq keyword string ("host=... dbname=..."). */
int store_is_pg(const char *db);

/* ---- the policy, for the backends ---- */

/* A new store's common part (backoff defaults, no context). */
void store_base_init(struct store *st, const struct store_ops *ops, void *be);
/* Reports a refusal or a failure in one line, after the context. */
void store_complain(struct store *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The delay before attempt + 1: base * 2^(attempt-1), capped, with
 * "equal jitter" (half fixed, half random). */
int64_t store_backoff(const struct store *st, int attempt);
/* A notice's delay before its next try, after tries failed sends. */
int64_t store_notice_backoff(int tries);
/* Whether p's running attempt is the caller's: 0, or EXIT_CONFLICT with
 * the refusal said (verb names what was refused: "done for"). */
int store_lease_is(const struct promise *p, const char *worker, int attempt,
                   const char *verb);
/* The refusal of a guarded change to p that found it changed. */
int store_refused(const struct promise *p, const char *worker, int attempt,
                  const char *verb);
/* Where a running attempt that failed leads: PS_CANCELLED (its cancel was
 * requested), PS_FAILED (for good: permanent, or no attempt left) or
 * PS_PENDING (again, after store_backoff). */
int store_after_failure(int attempt, int max_attempts, int cancel_requested,
                        int permanent);
/* Why a dependant fails when what it waits for ended with status. */
void store_dependency_why(char *buf, size_t size, int64_t id, int status);

#endif
