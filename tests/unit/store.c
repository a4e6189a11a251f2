/* Unit tests for store.c: the state machine and its guards, in-process. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tgp.h"
#include "store.h"
#include "tap.h"
#include "store-help.h"

static char dir[] = "/tmp/tgp-store.XXXXXX";

static int64_t add_text(struct store *st, const char *text, int64_t chat,
                        const struct add_limits *lim, int *rc)
{
	struct promise p;
	int dup;
	int64_t id;

	promise_init(&p);
	p.text = xstrdup(text);
	p.chat_id = chat;
	*rc = store_add(st, &p, lim, &dup);
	id = p.id;
	promise_free(&p);
	return id;
}

static int claim_as(struct store *st, const char *worker, int64_t lease,
                    struct promise *p)
{
	struct claim_opts o = { .worker = worker, .lease_ms = lease };

	return store_claim(st, &o, p);
}

static int finish(struct store *st, int64_t id, const char *worker,
                  int attempt, enum outcome_kind kind, int permanent)
{
	struct outcome o = { .id = id, .worker = worker, .attempt = attempt, .kind = kind,
	                     .permanent = permanent, .result = "result", .error = "boom" };

	return store_finish(st, &o, NULL);
}

int main(void)
{
	struct store *st;
	struct promise p;
	struct add_limits lim = { 2 };
	char path[64];
	int rc;
	int64_t a, b, c, n1, n2;

	tgp_init("store-test");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/p.db", dir);
	promise_init(&p);

	is_int(store_open(path, &st), 0, "a new database opens");
	store_set_backoff(st, 0, 0);

	a = add_text(st, "first", 7, &lim, &rc);
	is_int(rc, 0, "add works");
	is_int(status_of(st, a), PS_PENDING, "a new promise is pending");

	is_int(claim_as(st, "w1", 60000, &p), 0, "claim takes it");
	is_int(p.id, a, "the one added");
	is_int(p.attempt, 1, "as attempt 1");
	is_str(p.worker, "w1", "for w1");
	is_int(claim_as(st, "w2", 60000, &p), EXIT_NONE, "nothing else to claim");

	is_int(store_heartbeat(st, a, "w1", 1, 60000, 50, "half"), 0,
	       "heartbeat by the owner");
	is_int(store_heartbeat(st, a, "w2", 1, 60000, -1, NULL), EXIT_CONFLICT,
	       "heartbeat by another worker is refused");
	is_int(store_heartbeat(st, a, "w1", 2, 60000, -1, NULL), EXIT_CONFLICT,
	       "heartbeat for another attempt is refused");
	is_int(store_heartbeat(st, 999, "w1", 1, 60000, -1, NULL), EXIT_NOTFOUND,
	       "heartbeat for an unknown id");
	store_get(st, a, &p);
	is_int(p.progress, 50, "progress recorded");
	is_str(p.progress_note, "half", "note recorded");

	is_int(store_cancel(st, a, NULL), 0, "cancel a running promise");
	is_int(status_of(st, a), PS_RUNNING, "it keeps running");
	is_int(store_heartbeat(st, a, "w1", 1, 60000, -1, NULL), EXIT_CANCEL,
	       "its worker hears of the cancel");
	is_int(finish(st, a, "w1", 1, OUT_CANCELLED, 0), 0, "the worker gives up");
	is_int(status_of(st, a), PS_CANCELLED, "it is cancelled");
	is_int(finish(st, a, "w1", 1, OUT_DONE, 0), EXIT_CONFLICT,
	       "done on a cancelled promise is refused");
	is_int(status_of(st, a), PS_CANCELLED, "and changes nothing");
	is_int(store_cancel(st, a, NULL), EXIT_CONFLICT, "cancel twice is refused");

	/* A lease that runs out is a failed attempt; the late worker loses. */
	b = add_text(st, "second", 7, &lim, &rc);
	is_int(claim_as(st, "w1", 1, &p), 0, "claim with a 1ms lease");
	usleep(5000);
	is_int(claim_as(st, "w2", 60000, &p), 0, "claimed again after the lease");
	is_int(p.id, b, "the same promise");
	is_int(p.attempt, 2, "as attempt 2");
	is_int(finish(st, b, "w1", 1, OUT_DONE, 0), EXIT_CONFLICT,
	       "the late done of attempt 1 is refused");
	is_int(status_of(st, b), PS_RUNNING, "attempt 2 still runs");
	is_int(finish(st, b, "w2", 2, OUT_DONE, 0), 0, "attempt 2 is done");
	is_int(status_of(st, b), PS_DONE, "the promise is done");

	/* Retries, then failure for good. */
	c = add_text(st, "third", 8, &lim, &rc);
	for (int i = 1; i <= 3; i++) {
		claim_as(st, "w", 60000, &p);
		finish(st, c, "w", i, OUT_FAIL, 0);
	}
	is_int(status_of(st, c), PS_FAILED, "failed for good after 3 attempts");
	is_int(store_retry(st, c, NULL), 0, "retry a failed promise");
	is_int(status_of(st, c), PS_PENDING, "it is pending again");
	is_int(store_retry(st, c, NULL), EXIT_CONFLICT, "retry a pending one: refused");

	/* The per-chat limit counts open promises only. */
	add_text(st, "fourth", 8, &lim, &rc);
	is_int(rc, 0, "second open promise in chat 8");
	add_text(st, "fifth", 8, &lim, &rc);
	is_int(rc, EXIT_LIMIT, "a third is over the limit");

	is_int(store_reap(st, &n1, &n2), 0, "reap runs");
	store_close(st);

	is_int(store_open(path, &st), 0, "the database opens again");
	store_close(st);

	promise_free(&p);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	if (system(path) != 0)
		return 1;
	return done_testing();
}
