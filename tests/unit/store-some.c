/*
 * Unit tests for the store's batches, store_claim_some and
 * store_finish_some, on the backend STORE_TEST_DB names (a PostgreSQL
 * database: tests/store-pg-some.t runs it so), else in a new SQLite file.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tgp.h"
#include "store.h"
#include "tap.h"
#include "store-help.h"

static char dir[] = "/tmp/tgp-some.XXXXXX";

static int64_t add(struct store *st, const char *text, int priority,
                   int64_t after)
{
	struct promise p;
	int dup;
	int64_t id;

	promise_init(&p);
	p.text = xstrdup(text);
	p.chat_id = 7;
	p.priority = priority;
	if (after) {
		p.after = xmalloc(sizeof *p.after);
		p.after[p.nafter++] = after;
	}
	if (store_add(st, &p, NULL, &dup))
		return -1;
	id = p.id;
	promise_free(&p);
	return id;
}

static struct outcome done_by(const struct promise *p, const char *worker)
{
	return (struct outcome){ .id = p->id, .worker = worker, .attempt = p->attempt,
	                         .kind = OUT_DONE, .result = "ok" };
}

/* Counts the follow-ups ("done" notices) of promise id. */
static int each_notice(const struct notice *n, void *arg)
{
	*(int *)arg += strcmp(n->kind, "done") == 0;
	return 0;
}

static int followups(struct store *st, int64_t id)
{
	int k = 0;

	return store_notices(st, id, each_notice, &k) ? -1 : k;
}

int main(void)
{
	const char *db = getenv("STORE_TEST_DB");
	struct claim_opts o = { .worker = "w1", .lease_ms = 60000, .limit = 3 };
	struct promise got[10];
	struct outcome out[6];
	struct store *st;
	char path[64];
	int n, rcs[6];
	int64_t a, b, c, d, e, f;

	tgp_init("store-some-test");
	if (!db || !*db) {
		if (!mkdtemp(dir))
			return 1;
		snprintf(path, sizeof path, "%s/p.db", dir);
		db = path;
	}
	for (int i = 0; i < 10; i++)
		promise_init(&got[i]);
	is_int(store_open(db, &st), 0, "the store opens");
	store_set_backoff(st, 0, 0);

	a = add(st, "a", 5, 0);
	b = add(st, "b", 1, 0);
	c = add(st, "c", 5, 0);
	d = add(st, "d", 9, 0);
	e = add(st, "e", 5, a);                 /* waits for a */
	ok(a > 0 && b > 0 && c > 0 && d > 0 && e > 0, "five promises added");

	is_int(store_claim_some(st, &o, got, &n), 0, "claim some takes promises");
	is_int(n, 3, "as many as the limit");
	ok(got[0].id == b && got[1].id == a && got[2].id == c,
	   "most urgent first: priority, then age");
	ok(got[0].attempt == 1 && got[2].attempt == 1 && got[1].status == PS_RUNNING,
	   "each a claim of its own, running, attempt 1");
	is_str(got[2].worker, "w1", "for the worker that claimed");
	o.limit = 10;
	o.worker = "w2";
	is_int(store_claim_some(st, &o, &got[3], &n), 0, "then what is left");
	is_int(n, 1, "one: the other waits for a");
	is_int(got[3].id, d, "the least urgent");
	is_int(store_claim_some(st, &o, &got[4], &n), EXIT_NONE,
	       "then nothing: EXIT_NONE");
	is_int(n, 0, "and no promise");

	out[0] = done_by(&got[1], "w1");               /* a: done */
	out[1] = done_by(&got[0], "w2");               /* b: not w2's */
	out[2] = done_by(&got[2], "w1");
	out[2].kind = OUT_FAIL;                        /* c: fails, retried */
	out[2].error = "boom";
	out[3] = done_by(&got[3], "w2");
	out[3].attempt = 2;                            /* d: not that attempt */
	out[4] = done_by(&got[1], "w1");               /* a again: done already */
	out[5] = (struct outcome){ .id = 999999, .kind = OUT_DONE };
	is_int(store_finish_some(st, out, 6, rcs), 0, "finish some");
	is_int(rcs[0], 0, "the holder's done");
	is_int(rcs[1], EXIT_CONFLICT, "another worker's done is refused");
	is_int(rcs[2], 0, "a failure");
	is_int(rcs[3], EXIT_CONFLICT, "another attempt's done is refused");
	is_int(rcs[4], EXIT_CONFLICT, "a second done of the same is refused");
	is_int(rcs[5], EXIT_NOTFOUND, "an unknown promise");
	is_int(status_of(st, a), PS_DONE, "a is done");
	is_int(followups(st, a), 1, "with one follow-up queued");
	is_int(status_of(st, b), PS_RUNNING, "b still runs");
	is_int(status_of(st, c), PS_PENDING, "c is pending again");
	is_int(status_of(st, d), PS_RUNNING, "d still runs");

	o.limit = 5;
	is_int(store_claim_some(st, &o, got, &n), 0, "what a waited for is due");
	ok(n == 2 && ((got[0].id == c && got[1].id == e) || (got[0].id == e && got[1].id == c)),
	   "e (a is done) and c (retried)");
	f = got[0].id == c ? 0 : 1;                    /* c's place */
	is_int(got[f].attempt, 2, "c's second attempt");

	/* in the caller's batch, and kept only with it */
	out[0] = done_by(&got[0], "w2");
	out[1] = done_by(&got[1], "w2");
	is_int(store_batch_begin(st), 0, "a batch begins");
	is_int(store_finish_some(st, out, 2, rcs), 0, "finish some in it");
	ok(rcs[0] == 0 && rcs[1] == 0, "both done");
	is_int(store_batch_end(st, 0), 0, "the batch is rolled back");
	is_int(status_of(st, c), PS_RUNNING, "c runs still");
	is_int(status_of(st, e), PS_RUNNING, "and e");
	is_int(store_finish_some(st, out, 2, rcs), 0, "finish some on its own");
	ok(rcs[0] == 0 && rcs[1] == 0 && status_of(st, c) == PS_DONE &&
	   status_of(st, e) == PS_DONE, "both done, kept");

	for (int i = 0; i < 10; i++)
		promise_free(&got[i]);
	store_close(st);
	if (db == path) {
		char cmd[96];
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return done_testing();
}
