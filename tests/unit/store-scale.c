/* The store's hot queries stay off full-table scans however many promises
 * are stored: claim, list by chat and outbox each read what they return
 * through an index, not every row (bench/load.sh shows the times up to a
 * million promises; this is the deterministic part of that). */
#include <stdio.h>
#include <stdlib.h>

#include "tgp.h"
#include "store.h"
#include "tap.h"

enum { OLD = 3000 };    /* ended promises of other chats */

static char dir[] = "/tmp/tgp-scale.XXXXXX";

static int add(struct store *st, int64_t chat, const char *text)
{
	struct promise p;
	int dup, rc;

	promise_init(&p);
	p.text = xstrdup(text);
	p.chat_id = chat;
	rc = store_add(st, &p, NULL, &dup);
	promise_free(&p);
	return rc;
}

static int count(struct promise *p, void *arg)
{
	(void)p;
	++*(int *)arg;
	return 0;
}

/* Receipts for every notice handed out: all delivered. */
static int64_t out[1];
static int took(struct notice *n, struct promise *p, void *arg)
{
	(void)p, (void)arg;
	out[0] = n->id;
	return 0;
}

static int deliver(struct store *st)
{
	struct receipt r = { 0 };
	int rc;

	out[0] = 0;
	if ((rc = store_outbox(st, 1, 60000, took, NULL)) || !out[0])
		return rc ? rc : -1;
	r.ref = out[0];
	r.ok = 1;
	r.message_id = 1;
	return store_notified(st, &r);
}

/* OLD promises of chat 1, all ended and their follow-ups delivered. */
static int fill(struct store *st)
{
	struct claim_opts co = { .worker = "w", .lease_ms = 60000 };
	struct promise p;
	int rc = 0;

	store_batch_begin(st);
	for (int i = 0; i < OLD && !rc; i++)
		rc = add(st, 1, "old");
	store_batch_end(st, rc == 0);
	promise_init(&p);
	for (int i = 0; i < OLD && !rc; i++) {
		struct outcome o = { .worker = "w", .kind = OUT_DONE, .result = "ok" };

		if ((rc = store_claim(st, &co, &p)))
			break;
		o.id = p.id;
		o.attempt = p.attempt;
		rc = store_finish(st, &o, NULL);
		promise_free(&p);
		promise_init(&p);
	}
	promise_free(&p);
	/* A chat's notices go one at a time: a round each. */
	for (int i = 0; i < OLD && !rc; i++)
		rc = deliver(st);
	return rc;
}

static int count_notices(struct notice *n, struct promise *p, void *arg)
{
	(void)n, (void)p;
	++*(int *)arg;
	return 0;
}

int main(void)
{
	struct store *st;
	struct list_filter f = { 0 };
	struct claim_opts co = { .worker = "w", .lease_ms = 60000 };
	struct promise p;
	char path[256];
	int n = 0;
	int64_t before;

	tgp_init("store-scale");
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/p.db", dir);
	setenv("PROMISE_EXPIRES", "0", 1);
	ok(store_open(path, &st) == 0, "the store opens");
	ok(fill(st) == 0, "%d ended promises stored", OLD);
	add(st, 2, "mine");
	add(st, 2, "mine too");

	before = store_scan_steps(st);
	f.chat_id = 2;
	ok(store_list(st, &f, count, &n) == 0 && n == 2, "list by chat finds the chat's 2");
	ok(store_scan_steps(st) - before < 10,
	   "without stepping through the other chats' rows (%lld steps)",
	   (long long)(store_scan_steps(st) - before));

	/* The outbox loop asks for the running ones every round. */
	before = store_scan_steps(st);
	f.chat_id = 0;
	f.statuses = 1u << PS_RUNNING | 1u << PS_PENDING;
	n = 0;
	ok(store_list(st, &f, count, &n) == 0 && n == 2, "list of the open ones finds 2");
	ok(store_scan_steps(st) - before < 10, "without a scan of the ended ones (%lld steps)",
	   (long long)(store_scan_steps(st) - before));

	before = store_scan_steps(st);
	promise_init(&p);
	ok(store_claim(st, &co, &p) == 0 && p.chat_id == 2, "claim takes a due promise");
	ok(store_scan_steps(st) - before < 10, "without a scan (%lld steps)",
	   (long long)(store_scan_steps(st) - before));
	promise_free(&p);

	before = store_scan_steps(st);
	n = 0;
	ok(store_outbox(st, 10, 60000, count_notices, &n) == 0 && n == 0, "the outbox is empty");
	ok(store_scan_steps(st) - before < 10, "and says so without a scan (%lld steps)",
	   (long long)(store_scan_steps(st) - before));

	store_close(st);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	if (system(path) != 0)
		return 1;
	return done_testing();
}
