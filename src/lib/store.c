/*
 * store.c - the promise store's public interface (store.h) and its
 * policy: everything about promises that needs no SQL.  The rows live in
 * a backend (store_be.h): SQLite in one file by default
 * (store_sqlite.c), PostgreSQL for workers on several machines
 * (store_pg.c), chosen by what --db names.
 *
 * Invariants kept here, whatever the backend:
 *  - a state change after a claim is the claim's own: the worker and the
 *    attempt (a number that grows with every claim, so it names one
 *    claim) must be the running attempt's, else it is refused (exit 4);
 *  - a failure is retried with a growing, jittered backoff while
 *    attempts remain; a cancel that was requested wins over both;
 *  - every refusal is one line on stderr, after the caller's context.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store_be.h"

static const char *const status_names[PS_COUNT] = {
	"offered", "pending", "running", "waiting",
	"done", "failed", "cancelled", "expired",
};

const char *pstatus_name(int s)
{
	return s >= 0 && s < PS_COUNT ? status_names[s] : "unknown";
}

int pstatus_parse(const char *name)
{
	for (int i = 0; i < PS_COUNT; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

void promise_init(struct promise *p)
{
	memset(p, 0, sizeof *p);
	p->status = PS_PENDING;
	p->priority = 5;
	p->progress = -1;
	p->max_attempts = 3;
}

void promise_free(struct promise *p)
{
	free(p->username);
	free(p->text);
	free(p->task_type);
	free(p->key);
	free(p->meta);
	free(p->worker);
	free(p->progress_note);
	free(p->result);
	free(p->error);
	free(p->after);
	free(p->question);
	free(p->answers);
	free(p->user_error);
	promise_init(p);
}

void notice_init(struct notice *n)
{
	memset(n, 0, sizeof *n);
	n->urgency = URGENCY_NOW;
}

void notice_free(struct notice *n)
{
	free(n->kind);
	free(n->text);
	free(n->markup);
	free(n->key);
	free(n->error);
	free(n->callback_id);
	notice_init(n);
}

int store_owns(const struct promise *p, int64_t chat, int64_t user)
{
	if (!chat || p->chat_id != chat)
		return 0;
	return chat > 0 || !p->user_id || p->user_id == user;
}

/* ---- the policy, for the backends (store_be.h) ---- */

void store_base_init(struct store *st, const struct store_ops *ops, void *be)
{
	memset(st, 0, sizeof *st);
	st->ops = ops;
	st->be = be;
	st->backoff_base = 10000;
	st->backoff_max = 3600000;
}

void store_complain(struct store *st, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (st && st->context)
		warn("%s: %s", st->context, msg);
	else
		warn("%s", msg);
}

int64_t store_backoff(const struct store *st, int attempt)
{
	int64_t d = st->backoff_base;

	for (int i = 1; i < attempt && d < st->backoff_max; i++)
		d *= 2;
	if (d > st->backoff_max)
		d = st->backoff_max;
	/* "Equal jitter": half fixed, half random, so retries that failed
	 * together do not return together. */
	if (d >= 2)
		d = d / 2 + (int64_t)(((uint64_t)arc4random() << 32 | arc4random()) %
		                      (uint64_t)(d / 2 + 1));
	return d;
}

/* A retry of a notice that was not delivered: soon at first, then ever
 * later, up to five minutes apart; never given up on, so that an outage
 * loses nothing and a chat's order holds. */
int64_t store_notice_backoff(int tries)
{
	int64_t d = 1000;

	for (int i = 1; i < tries && d < 300000; i++)
		d *= 2;
	return d < 300000 ? d : 300000;
}

int store_refused(const struct promise *p, const char *worker, int attempt,
                  const char *verb)
{
	if (p->status != PS_RUNNING)
		warn("%s #%lld refused: it is %s, not running", verb,
		     (long long)p->id, pstatus_name(p->status));
	else if (attempt > 0)
		warn("%s #%lld refused: the lease is attempt %d by %s, "
		     "not attempt %d by %s", verb, (long long)p->id,
		     p->attempt, p->worker ? p->worker : "?", attempt,
		     worker ? worker : "?");
	else
		warn("%s #%lld refused: the lease is %s's, not %s's", verb,
		     (long long)p->id, p->worker ? p->worker : "?",
		     worker ? worker : "?");
	return EXIT_CONFLICT;
}

int store_lease_is(const struct promise *p, const char *worker, int attempt,
                   const char *verb)
{
	if (p->status == PS_RUNNING &&
	    (!worker || (p->worker && strcmp(worker, p->worker) == 0)) &&
	    (attempt <= 0 || attempt == p->attempt))
		return 0;
	return store_refused(p, worker, attempt, verb);
}

int store_after_failure(int attempt, int max_attempts, int cancel_requested,
                        int permanent)
{
	if (cancel_requested)
		return PS_CANCELLED;
	if (permanent || attempt >= max_attempts)
		return PS_FAILED;
	return PS_PENDING;
}

void store_dependency_why(char *buf, size_t size, int64_t id, int status)
{
	snprintf(buf, size, "dependency #%lld %s", (long long)id,
	         status == PS_CANCELLED ? "was cancelled" :
	         status == PS_EXPIRED ? "expired" : "failed");
}

/* ---- the public interface: the backend's verbs ---- */

int store_is_pg(const char *db)
{
	size_t k;

	if (strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0)
		return 1;
	/* a libpq keyword string starts "keyword=" (spaces allowed) */
	k = strspn(db, "abcdefghijklmnopqrstuvwxyz_");
	return k > 0 && db[k + strspn(db + k, " ")] == '=';
}

int store_open(const char *db, struct store **out)
{
	return store_is_pg(db) ? store_pg_open(db, out) : store_sqlite_open(db, out);
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

void store_set_context(struct store *st, const char *what)
{
	st->context = what;
}

void store_set_backoff(struct store *st, int64_t base_ms, int64_t max_ms)
{
	st->backoff_base = base_ms;
	st->backoff_max = max_ms;
}

int store_heartbeat(struct store *st, int64_t id, const char *worker,
                    int attempt, int64_t lease_ms, int pct, const char *note)
{
	return st->ops->heartbeat(st, id, worker, attempt, lease_ms, pct, note);
}

int store_add(struct store *st, struct promise *p,
              const struct add_limits *lim, int *duplicate)
{
	return st->ops->add(st, p, lim, duplicate);
}

int store_batch_begin(struct store *st)
{
	return st->ops->batch_begin(st);
}

int store_batch_end(struct store *st, int commit)
{
	return st->ops->batch_end(st, commit);
}

int store_claim(struct store *st, const struct claim_opts *o,
                struct promise *out)
{
	int n;

	return st->ops->claim(st, o, 1, out, &n);
}

int store_claim_some(struct store *st, const struct claim_opts *o,
                     struct promise *out, int *n)
{
	*n = 0;
	return st->ops->claim(st, o, o->limit > 1 ? o->limit : 1, out, n);
}

int store_finish(struct store *st, const struct outcome *o,
                 struct promise *after)
{
	return st->ops->finish(st, o, after);
}

/* finish for each of o[0..n) (in a transaction): the first failure that
 * is not the outcome's own (9, 7) ends them, and is returned. */
static int finish_each(struct store *st, const struct outcome *o, int n, int *rcs)
{
	for (int i = 0; i < n; i++) {
		rcs[i] = st->ops->finish(st, &o[i], NULL);
		if (rcs[i] == EXIT_DATA || rcs[i] == EXIT_TEMPFAIL)
			return rcs[i];
	}
	return 0;
}

int store_finish_some(struct store *st, const struct outcome *o, int n,
                      int *rcs)
{
	int own = !st->in_batch, rc, end;

	if (own && (rc = store_batch_begin(st)))
		return rc;
	rc = st->ops->finish_some ? st->ops->finish_some(st, o, n, rcs)
	                          : finish_each(st, o, n, rcs);
	if (!own)
		return rc;
	end = store_batch_end(st, rc == 0);
	return rc ? rc : end;
}

int store_release(struct store *st, int64_t id, const char *worker,
                  int attempt, const char *why, struct promise *after)
{
	return st->ops->release(st, id, worker, attempt, why, after);
}

int store_ask(struct store *st, int64_t id, const char *worker, int attempt,
              const char *question, int64_t ttl_ms, struct notice *q,
              struct promise *after)
{
	return st->ops->ask(st, id, worker, attempt, question, ttl_ms, q, after);
}

int store_answer(struct store *st, int64_t id, const char *answer,
                 struct promise *after)
{
	return st->ops->answer(st, id, answer, after);
}

int store_asked_by(struct store *st, int64_t chat, int64_t message_id,
                   int64_t *id, int *open)
{
	/* the backends say a closed question's promise with a minus */
	int rc = st->ops->asked_by(st, chat, message_id, id);

	*open = rc == 0 && *id > 0;
	if (*id < 0)
		*id = -*id;
	return rc;
}

int store_made_from(struct store *st, int64_t chat, int64_t message_id,
                    int64_t *id)
{
	return st->ops->made_from(st, chat, message_id, id);
}

int store_retext(struct store *st, int64_t id, const char *text,
                 struct promise *after)
{
	return st->ops->retext(st, id, text, after);
}

int store_cancel(struct store *st, int64_t id, struct promise *after)
{
	return st->ops->cancel(st, id, after);
}

int store_retry(struct store *st, int64_t id, struct promise *after)
{
	return st->ops->retry(st, id, after);
}

int store_accept(struct store *st, int64_t id, int64_t chat, int accept,
                 struct promise *after)
{
	return st->ops->accept(st, id, chat, accept, after);
}

int store_meta(struct store *st, int64_t id, const char *patch,
               struct promise *after)
{
	return st->ops->meta(st, id, patch, after);
}

int store_get(struct store *st, int64_t id, struct promise *out)
{
	return st->ops->get(st, id, out);
}

int store_attempts(struct store *st, int64_t id,
                   int (*fn)(const struct attempt *, void *), void *arg)
{
	return st->ops->attempts(st, id, fn, arg);
}

int store_list(struct store *st, const struct list_filter *f,
               int (*fn)(struct promise *, void *), void *arg)
{
	return st->ops->list(st, f, fn, arg);
}

int store_stats(struct store *st, struct store_stats *out)
{
	return st->ops->stats(st, out);
}

int store_reap(struct store *st, int64_t *leases, int64_t *expired)
{
	return st->ops->reap(st, leases, expired);
}

int store_gc(struct store *st, int64_t age_ms, int64_t *deleted)
{
	return st->ops->gc(st, age_ms, deleted);
}

int store_say(struct store *st, struct notice *n, int *duplicate)
{
	return st->ops->say(st, n, duplicate);
}

int store_outbox(struct store *st, int64_t limit, int64_t lease_ms,
                 int (*fn)(struct notice *, struct promise *, void *),
                 void *arg)
{
	return st->ops->outbox(st, limit, lease_ms, fn, arg);
}

int store_outbox_reset(struct store *st)
{
	return st->ops->outbox_reset(st);
}

int store_outbox_next(struct store *st, int64_t *at)
{
	return st->ops->outbox_next(st, at);
}

int store_changed(struct store *st)
{
	return st->ops->changed(st);
}

int store_notified(struct store *st, const struct receipt *r)
{
	return st->ops->notified(st, r);
}

int store_notices(struct store *st, int64_t id,
                  int (*fn)(const struct notice *, void *), void *arg)
{
	return st->ops->notices(st, id, fn, arg);
}

int64_t store_scan_steps(struct store *st)
{
	return st->ops->scan_steps(st);
}
