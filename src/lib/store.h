/*
 * store.h - the promise store.  Every command talks to promises through
 * this interface only, so that another backend (PostgreSQL for many
 * machines) can be added without touching the commands.
 *
 * The SQLite backend (store.c) keeps one file in WAL mode; every write
 * runs in BEGIN IMMEDIATE with a busy timeout, and every state change is
 * guarded by what the caller believes (status, lease owner, attempt).
 *
 * Functions returning int return 0 on success or an EXIT_* status from
 * tgp.h, having already reported the reason on stderr (EXIT_NONE, "there
 * was nothing", is the one status returned silently).
 *
 * Times are Unix milliseconds; 0 means "none" for times and for the
 * optional ids (chat, user, message, thread), which Telegram never sets
 * to 0.
 */
#ifndef STORE_H
#define STORE_H

#include <stdint.h>

#include "tgp.h"

struct store;
struct notice;

/* Opens (creating and migrating as needed) the database at path.
 * PROMISE_SYNC=full in the environment asks for synchronous=FULL, which
 * survives power loss as well as a killed process (see promise(1)). */
int store_open(const char *path, struct store **out);
void store_close(struct store *st);

/*
 * Extends worker's lease on promise id for lease_ms and records progress
 * (pct < 0: unchanged; note NULL: unchanged).  Returns 0, EXIT_CANCEL
 * when a cancel was requested (the lease is still extended), EXIT_CONFLICT
 * when the lease is not this worker's attempt any more, EXIT_NOTFOUND.
 * A NULL worker or an attempt <= 0 is not checked (a person at a shell).
 */
int store_heartbeat(struct store *st, int64_t id, const char *worker,
                    int attempt, int64_t lease_ms, int pct, const char *note);

enum pstatus {
	PS_OFFERED, PS_PENDING, PS_RUNNING, PS_WAITING,   /* open */
	PS_DONE, PS_FAILED, PS_CANCELLED, PS_EXPIRED,     /* ended */
	PS_COUNT
};
const char *pstatus_name(int status);
int pstatus_parse(const char *name);          /* -1 if unknown */
/* Still owes its user something: offered, pending, running, waiting. */
#define pstatus_open(s) ((s) >= PS_OFFERED && (s) <= PS_WAITING)

/* Where a promise's follow-up stands. */
enum { NOTIFY_NONE, NOTIFY_PENDING, NOTIFY_SENT, NOTIFY_GAVEUP };

struct promise {
	int64_t id;
	int status;
	int64_t chat_id, user_id, reply_to, thread_id;
	char *username, *text, *task_type, *key;
	char *meta;                 /* JSON text, or NULL */
	int priority;               /* 1 (most urgent) .. 10 */
	int64_t created_at, started_at, finished_at, not_before, expires_at;
	int attempt, max_attempts;  /* attempt: the last one started */
	int64_t timeout_ms;
	char *worker;
	int64_t lease_expires_at, heartbeat_at;
	int cancel_requested;
	int progress;               /* percent, -1 when never reported */
	char *progress_note, *result, *error;
	int64_t *after;             /* dependencies */
	int nafter;
	int notify;                 /* NOTIFY_*: the follow-up */
	int64_t notified_at;
	int64_t ack_message_id;     /* the acknowledgement, once sent; 0 */
	char *question;             /* waiting: {"text","choices"}, JSON */
	char *answers;              /* every answer so far: a JSON array */
	char *user_error;           /* what its handler said failed, for the user */
};
void promise_init(struct promise *p);   /* all empty, defaults set */
void promise_free(struct promise *p);   /* frees the members, not p */

struct attempt {
	int n;
	const char *worker;
	int64_t started_at, ended_at;   /* ended_at 0: still running */
	const char *outcome;            /* done failed lost cancelled released; NULL */
	const char *error;
};

/* What add may do: open promises per chat (0: no limit). */
struct add_limits {
	int64_t max_open_per_chat;
};

/*
 * Adds p (text, ids, options, after; status PS_OFFERED or PS_PENDING) and
 * fills in what the store decided (id, times, ...).  When p->key already
 * exists nothing is written, *duplicate is set and p becomes the existing
 * promise.  EXIT_LIMIT over a limit, EXIT_NOTFOUND or EXIT_CONFLICT for a
 * dependency that is unknown or has already failed.
 */
int store_add(struct store *st, struct promise *p,
              const struct add_limits *lim, int *duplicate);
/* Between these, adds share one transaction.  An add refused (limit,
 * dependency) writes nothing of itself; after any other failure the batch
 * must be ended with commit 0, which rolls the whole batch back. */
int store_batch_begin(struct store *st);
int store_batch_end(struct store *st, int commit);

/* What the store says on stderr starts with what (add --jsonl: "<stdin>:3:
 * not added"), so that a refusal is one line; NULL: nothing.  The string
 * must outlive its use. */
void store_set_context(struct store *st, const char *what);

/* Retry backoff: base * 2^(attempt-1), capped, with jitter. */
void store_set_backoff(struct store *st, int64_t base_ms, int64_t max_ms);

struct claim_opts {
	const char *worker;
	int64_t lease_ms;
	const char *const *types;   /* NULL: any task type */
	int ntypes;
	int limit;                  /* store_claim_some: at most this many */
};
/* Takes the most urgent due promise; EXIT_NONE when there is none. */
int store_claim(struct store *st, const struct claim_opts *o,
                struct promise *out);
/* Takes up to o->limit (at least 1) of the most urgent due promises at
 * once, into out[0..*n), most urgent first (out holds o->limit); each
 * is a claim of its own, with its own lease.  EXIT_NONE when there is
 * none. */
int store_claim_some(struct store *st, const struct claim_opts *o,
                     struct promise *out, int *n);

enum outcome_kind { OUT_DONE, OUT_FAIL, OUT_CANCELLED };
struct outcome {
	int64_t id;
	const char *worker;         /* NULL: not checked */
	int attempt;                /* <= 0: not checked */
	enum outcome_kind kind;
	int permanent;              /* OUT_FAIL: no retry */
	const char *result, *error;
	const char *user_error;     /* OUT_FAIL: the handler's word for the user */
};
/* Ends the running attempt; a failure is retried while attempts remain.
 * EXIT_CONFLICT (nothing changed) when the promise is not running that
 * attempt for that worker.  after, if not NULL, gets the new state. */
int store_finish(struct store *st, const struct outcome *o,
                 struct promise *after);
/* n outcomes in one transaction (the caller's batch, or one of its own):
 * rcs[i] is what store_finish would have said of o[i], refusals said on
 * stderr as there.  A storage failure or a conflict (its status, 9 or 7)
 * ends them all: nothing of the batch is kept. */
int store_finish_some(struct store *st, const struct outcome *o, int n,
                      int *rcs);
/* Gives a running attempt back unspent (the worker stopped): the promise
 * is pending and due now, its lease cleared, max_attempts one higher so
 * that the attempt does not count; the attempt ends "released" with why.
 * One whose cancel was requested ends cancelled instead.  EXIT_CONFLICT
 * as store_finish. */
int store_release(struct store *st, int64_t id, const char *worker,
                  int attempt, const char *why, struct promise *after);

/*
 * The running attempt asked its user a question (a handler's "ask"): the
 * promise waits, holding no worker and no lease, and the attempt is not
 * spent.  question is JSON {"text", "choices"}; q is the notice that
 * asks it, queued in the same transaction; the promise expires when
 * nobody answers within ttl_ms (0: never).  A promise whose cancel was
 * requested ends cancelled instead.  EXIT_CONFLICT as store_finish.
 */
int store_ask(struct store *st, int64_t id, const char *worker, int attempt,
              const char *question, int64_t ttl_ms, struct notice *q,
              struct promise *after);
/* The answer to a waiting promise's question: the answer joins its
 * answers and it is due again at once.  EXIT_CONFLICT when it is not
 * waiting. */
int store_answer(struct store *st, int64_t id, const char *answer,
                 struct promise *after);
/* The promise whose question is message_id of chat (0 if none), and
 * whether that question is still open: the promise waits, and for no
 * later question. */
int store_asked_by(struct store *st, int64_t chat, int64_t message_id,
                   int64_t *id, int *open);
/* The latest promise made from message_id of chat; 0 if none. */
int store_made_from(struct store *st, int64_t chat, int64_t message_id,
                    int64_t *id);
/* A request edited before its work started: the promise takes the new
 * text.  EXIT_CONFLICT once an attempt has started or it has ended. */
int store_retext(struct store *st, int64_t id, const char *text,
                 struct promise *after);

/* A pending or offered promise ends at once; a running one gets a cancel
 * request.  EXIT_CONFLICT when it has already ended. */
int store_cancel(struct store *st, int64_t id, struct promise *after);
/* An ended promise (failed, cancelled, expired) runs again, once more. */
int store_retry(struct store *st, int64_t id, struct promise *after);
/* Accepts or declines an offer: by id, or (id 0) the latest in chat. */
int store_accept(struct store *st, int64_t id, int64_t chat, int accept,
                 struct promise *after);

/* Merges a JSON object into the promise's meta (RFC 7396: null deletes). */
int store_meta(struct store *st, int64_t id, const char *patch,
               struct promise *after);

int store_get(struct store *st, int64_t id, struct promise *out);
/* Who may see and change p from a chat: that chat only, and in a group
 * (a negative chat id) only the member who asked for it. */
int store_owns(const struct promise *p, int64_t chat, int64_t user);
int store_attempts(struct store *st, int64_t id,
                   int (*fn)(const struct attempt *, void *), void *arg);

struct list_filter {
	int64_t chat_id;            /* 0: any */
	unsigned statuses;          /* bit per PS_*; 0: any */
	const char *task_type;      /* NULL: any */
	int64_t limit;              /* 0: no limit */
};
/* Calls fn for each promise, newest first; fn returning non-zero stops. */
int store_list(struct store *st, const struct list_filter *f,
               int (*fn)(struct promise *, void *), void *arg);

struct store_stats {
	int64_t count[PS_COUNT];
	int64_t oldest_due_ms;       /* age of the oldest due pending; -1 */
	int64_t median_wait_ms;      /* created -> first start; -1 */
	int64_t median_run_ms;       /* attempt start -> end; -1 */
	int64_t outbox;              /* notices waiting to be sent */
};
int store_stats(struct store *st, struct store_stats *out);

/* Frees expired leases (a failed attempt) and ends expired promises. */
int store_reap(struct store *st, int64_t *leases, int64_t *expired);
/* Deletes ended promises older than age_ms whose follow-up is settled. */
int store_gc(struct store *st, int64_t age_ms, int64_t *deleted);

/*
 * Notices: every message the bot sends (DESIGN.md, "One way in, one way
 * out").  A notice is queued in the transaction of the change it reports:
 * a promise's follow-up and the final edit of its acknowledgement by the
 * change that ends it, a progress edit by a heartbeat that changes the
 * progress; the callers queue acknowledgements, answers and replies with
 * store_say in the transaction of their change (a batch).
 *
 * Each chat's notices leave one at a time, in the order they were queued:
 * only the oldest waiting notice of a chat is handed out, and the next
 * only after a receipt settles it.  So a follow-up never goes before its
 * acknowledgement, and a chat that is slow or refused holds up no other.
 * A follow-up or an edit has no text of its own: it is written when it is
 * handed out, from the promise as it is then, so an edit is never stale.
 */
enum nstate { NS_WAITING, NS_SENT, NS_GAVEUP, NS_DROPPED };
/* Who is waiting for it: lower goes first when the sender must choose. */
enum { URGENCY_NOW, URGENCY_FOLLOWUP, URGENCY_PROGRESS };

struct notice {
	int64_t id;                 /* the "ref" of the notice line */
	int64_t promise_id;         /* 0: about no promise */
	char *kind;                 /* ack answer reply offer done failed
	                               cancelled expired edit */
	int64_t chat_id, thread_id, reply_to;
	char *text;                 /* NULL: written from the promise */
	char *markup;               /* reply_markup, JSON text, or NULL */
	char *key;                  /* idempotency key, or NULL */
	char *callback_id;          /* kind callback: the button press answered */
	int64_t edit_of;            /* an edit of this notice's message; 0: of
	                               the promise's acknowledgement */
	int urgency, state, tries;
	int64_t created_at, not_before, sent_at, message_id;
	int64_t edit_message_id;    /* handed out: the message an edit edits */
	char *error;
};
void notice_init(struct notice *n);
void notice_free(struct notice *n);

/* Queues n (kind, chat_id and text at least) and sets n->id.  When n->key
 * is already queued nothing is written and *duplicate is set.
 *
 * Two kinds stand apart.  A "callback" (the answer to a button press,
 * which the user's client waits for) goes at once, ahead of its chat's
 * queue.  A "typing" (the chat action shown while an answer is being
 * written) is due at n->not_before, holds up nothing until then, and is
 * dropped when anything else is said in its chat before it goes; once
 * sent, it is repeated every few seconds until its chat hears something
 * (for at most half a minute). */
int store_say(struct store *st, struct notice *n, int *duplicate);

/*
 * Hands out the next notice of each chat that has one due and not already
 * out (at most limit; 0: no limit), urgent first: marks it out for
 * lease_ms, commits, then calls fn with it and, when it is about one, its
 * promise (fn must not call the store).  An edit of an acknowledgement
 * that never went out is dropped here.  In a batch, the batch commits.
 */
int store_outbox(struct store *st, int64_t limit, int64_t lease_ms,
                 int (*fn)(struct notice *, struct promise *, void *),
                 void *arg);
/* The one sender starts: it holds the store's sender lock for as long as
 * the store is open (EXIT_CONFLICT, reported, when another process holds
 * it), and no notice is out any more. */
int store_outbox_reset(struct store *st);
/* When the next notice that waits for time falls due: 0 none, else ms. */
int store_outbox_next(struct store *st, int64_t *at);
/* 1 when another connection has changed the database since the last
 * call (the first call says 1); how outbox --follow wakes. */
int store_changed(struct store *st);

struct receipt {
	int64_t ref;                /* the notice */
	int ok, permanent;
	int64_t message_id;         /* the first message sent */
	int64_t retry_after_ms;     /* 0: the store's own backoff */
	int64_t migrated_to;        /* the chat's new id, or 0 */
	const char *error;
};
/* Settles a notice that was handed out: sent, refused for good, or (any
 * other failure) due again after a backoff.  A sent acknowledgement's
 * message id goes on its promise (ack_message_id), for its edits. */
int store_notified(struct store *st, const struct receipt *r);
/* Calls fn for each of promise id's notices, oldest first. */
int store_notices(struct store *st, int64_t id,
                  int (*fn)(const struct notice *, void *), void *arg);

/* Rows stepped through in full-table scans by this connection's cached
 * statements so far: a query that needs no scan adds nothing.  For the
 * tests that keep the hot queries on their indexes. */
int64_t store_scan_steps(struct store *st);

#endif
