/*
 * bench/store.c - claim+done per second through the store's own
 * interface over kept connections (one per worker process), the same
 * code on each backend: what the long-running paths (claim --wait,
 * outbox --follow, runjob's heartbeat --jsonl) get, without the cost of
 * a process and a connection per call.
 *
 *   build/plain/bench/store DB PROMISES WORKERS [BATCH [CYCLES]]
 *
 * Adds PROMISES (in batches; 0: the database was filled already), then
 * forks WORKERS processes that each open the store and claim+done until
 * nothing is left, or CYCLES claims in all (shared out), BATCH promises
 * at a time (store_claim_some, then store_finish_some; 1, the default:
 * store_claim and store_finish); prints one line:
 * "claim+done/s N" with the wall time of the claiming, and exits 1 if a
 * promise was done twice or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"

static void fill(const char *db, int n)
{
	struct store *st;
	int dup;

	if (store_open(db, &st))
		exit(2);
	for (int i = 0; i < n; i += 500) {
		if (store_batch_begin(st))
			exit(2);
		for (int k = i; k < i + 500 && k < n; k++) {
			struct promise p;
			char text[32];

			promise_init(&p);
			snprintf(text, sizeof text, "job %d", k);
			p.text = strdup(text);
			p.task_type = strdup("bench");
			if (store_add(st, &p, NULL, &dup))
				exit(2);
			promise_free(&p);
		}
		if (store_batch_end(st, 1))
			exit(2);
	}
	store_close(st);
}

/* One worker: claims batch promises at once (one: store_claim), then
 * does them (a batch in one transaction); its count of claims, or -1. */
static int work(const char *db, const char *name, int batch, int cycles,
                int ready, int go)
{
	struct claim_opts o = { .worker = name, .lease_ms = 60000, .limit = batch };
	struct promise *p = calloc((size_t)batch, sizeof *p);
	struct outcome *out = calloc((size_t)batch, sizeof *out);
	int *rcs = calloc((size_t)batch, sizeof *rcs);
	struct store *st;
	int n = 0, got, rc;

	char c;

	if (!p || !out || !rcs || store_open(db, &st))
		return -1;
	/* connected: the clock starts when every worker is */
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 0)
		return -1;
	for (int i = 0; i < batch; i++)
		promise_init(&p[i]);
	for (;;) {
		int left = cycles > 0 ? cycles - n : batch;

		if (left <= 0) {
			rc = 0;
			break;
		}
		o.limit = left < batch ? left : batch;
		rc = batch > 1 ? store_claim_some(st, &o, p, &got)
		               : (got = 1, store_claim(st, &o, p));
		if (rc)
			break;
		for (int i = 0; i < got; i++)
			out[i] = (struct outcome){ .id = p[i].id, .worker = name,
			                           .attempt = p[i].attempt, .kind = OUT_DONE,
			                           .result = "ok" };
		if (batch > 1 ? store_finish_some(st, out, got, rcs) : store_finish(st, out, NULL))
			return -1;
		for (int i = 0; i < got; i++)
			if (batch > 1 && rcs[i])
				return -1;
		n += got;
	}
	for (int i = 0; i < batch; i++)
		promise_free(&p[i]);
	free(p);
	free(out);
	free(rcs);
	store_close(st);
	return rc == 0 || rc == EXIT_NONE ? n : -1;
}

int main(int argc, char **argv)
{
	int promises, workers, batch = 1, cycles = 0, total = 0, bad = 0, fds[64], go[2];
	int64_t t0, t1;

	tgp_init("bench-store");
	if (argc >= 5)
		batch = atoi(argv[4]);
	if (argc >= 6)
		cycles = atoi(argv[5]);
	if (argc < 4 || argc > 6 || (promises = atoi(argv[2])) < 0 ||
	    (workers = atoi(argv[3])) <= 0 || workers > 64 || batch < 1 || batch > 1000 ||
	    cycles < 0 || (!promises && !cycles)) {
		fprintf(stderr, "usage: store DB PROMISES WORKERS(1..64) [BATCH(1..1000) [CYCLES]]\n");
		return 2;
	}
	if (promises)
		fill(argv[1], promises);
	if (pipe(go) < 0)
		return 2;
	for (int i = 0; i < workers; i++) {
		int p[2];
		if (pipe(p) < 0)
			return 2;
		if (fork() == 0) {
			char name[16];
			close(p[0]);
			close(go[1]);
			snprintf(name, sizeof name, "w%d", i);
			dprintf(p[1], "%d\n", work(argv[1], name, batch,
			                             cycles ? (cycles + i) / workers : 0,
			                             p[1], go[0]));
			_exit(0);
		}
		close(p[1]);
		fds[i] = p[0];
	}
	/* the claiming, timed: over kept connections, not their opening */
	for (int i = 0; i < workers; i++) {
		char r;
		if (read(fds[i], &r, 1) != 1)
			bad = 1;
	}
	t0 = mono_ms();
	close(go[0]);
	close(go[1]);
	for (int i = 0; i < workers; i++) {
		char buf[32] = "";
		ssize_t k = read(fds[i], buf, sizeof buf - 1);
		int n = k > 0 ? atoi(buf) : -1;
		if (n < 0)
			bad = 1;
		else
			total += n;
		close(fds[i]);
	}
	while (wait(NULL) > 0)
		;
	t1 = mono_ms();
	printf("claim+done/s %.0f (%d in %lld ms, %d workers)\n",
	       total * 1000.0 / (double)(t1 - t0 ? t1 - t0 : 1), total,
	       (long long)(t1 - t0), workers);
	return bad || total != (cycles ? cycles : promises);
}
