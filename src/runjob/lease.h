/*
 * lease.h - promise mode: the claimed promise, its lease and its progress.
 */
#ifndef LEASE_H
#define LEASE_H

#include <stdint.h>

#include "tgp.h"
#include "leaseproc.h"

struct envv;

struct lease {
	struct lease_proc proc;    /* the promise process that beats */
	char *db;                  /* --db, or NULL: $PROMISE_DB, the default */
	int64_t id;
	const char *worker;
	int attempt;
	int64_t lease_ms, every_ms;
	int64_t last, next;        /* monotonic ms of the last and next beat */
	int pct;                   /* -1: nothing new */
	char *note;                /* NULL: nothing new */
	char line[512];            /* a progress line being read from fd 3 */
	size_t line_len;
	int overlong;
	long lineno;
	int lost;                  /* no more beats: the lease is not ours */
	char *ask;                 /* "ask TEXT": the question, or NULL */
	cJSON *choices;            /* "choice TEXT" lines: its buttons */
	char *user_error;          /* "error TEXT": what failed, for the user */
};

/* Takes the lease over from `promise claim`: starts the promise process
 * that will beat (db NULL: promise's default).  Returns 0 or an EXIT_*
 * status (reported). */
int lease_open(struct lease *l, const char *db, const cJSON *promise,
               int64_t every_ms, int64_t lease_ms);
void lease_close(struct lease *l);
/* Beats now.  Returns 0, EXIT_CANCEL or EXIT_CONFLICT (lost: also for a
 * promise that is gone); other failures are reported and retried at the
 * next beat, since the lease may well outlast a busy database. */
int lease_beat(struct lease *l);
/* Feeds bytes the handler wrote to fd 3: lines "progress PCT [NOTE]",
 * "ask TEXT", "choice TEXT", "error TEXT". */
void lease_progress(struct lease *l, const char *buf, size_t n);
/* What the handler said on fd 3 besides progress, on the result line:
 * "ask": {"text", "choices"}, "user_error". */
void lease_said(const struct lease *l, cJSON *result);

/* The handler's environment: PROMISE_* from the promise line. */
void promise_env(struct envv *e, const cJSON *promise, size_t max_text);

#endif
