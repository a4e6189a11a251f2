/*
 * bench/store.c - claim+done per second through the store's own
 * interface over kept connections (one per worker process), the same
 * code on each backend: what the long-running paths (claim --wait,
 * outbox --follow, runjob's heartbeat --jsonl) get, without the cost of
 * a process and a connection per call.
 *
 *   build/plain/bench/store DB PROMISES WORKERS
 *
 * Adds PROMISES (in batches), then forks WORKERS processes that each
 * open the store and claim+done until nothing is left; prints one line:
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

/* One worker: its count of claims on stdout (a pipe). */
static int work(const char *db, const char *name)
{
	struct claim_opts o = { name, 60000, NULL, 0 };
	struct store *st;
	struct promise p;
	int n = 0, rc;

	if (store_open(db, &st))
		return -1;
	promise_init(&p);
	while ((rc = store_claim(st, &o, &p)) == 0) {
		struct outcome out = { .id = p.id, .worker = name, .attempt = p.attempt,
		                       .kind = OUT_DONE, .result = "ok" };
		if (store_finish(st, &out, NULL))
			return -1;
		n++;
	}
	promise_free(&p);
	store_close(st);
	return rc == EXIT_NONE ? n : -1;
}

int main(int argc, char **argv)
{
	int promises, workers, total = 0, bad = 0, fds[64];
	int64_t t0, t1;

	tgp_init("bench-store");
	if (argc != 4 || (promises = atoi(argv[2])) <= 0 ||
	    (workers = atoi(argv[3])) <= 0 || workers > 64) {
		fprintf(stderr, "usage: store DB PROMISES WORKERS(1..64)\n");
		return 2;
	}
	fill(argv[1], promises);
	t0 = mono_ms();
	for (int i = 0; i < workers; i++) {
		int p[2];
		if (pipe(p) < 0)
			return 2;
		if (fork() == 0) {
			char name[16];
			close(p[0]);
			snprintf(name, sizeof name, "w%d", i);
			dprintf(p[1], "%d\n", work(argv[1], name));
			_exit(0);
		}
		close(p[1]);
		fds[i] = p[0];
	}
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
	return bad || total != promises;
}
