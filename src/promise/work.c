/*
 * work.c - the worker's verbs: claim, heartbeat, done, fail, release,
 * settle.
 *
 * A claim names a worker and an attempt number; every later change
 * carries them back, and the store refuses it (exit 4) when the lease has
 * moved on, so a worker that was presumed dead can never overwrite the
 * attempt that replaced it.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "promise.h"

enum {
	DEFAULT_LEASE_MS = 300000,
	MAX_RESULT = 1 << 20,        /* bytes of result or error kept */
	ERROR_TAIL = 400,            /* bytes of output quoted in an error */
	QUESTION_MAX = 1000,         /* bytes of a handler's question */
	CHOICES_MAX = 8,
	CLAIM_MAX = 1000,            /* claim --limit */
};
/* An unanswered question ends its promise after a day. */
#define DEFAULT_QUESTION_TTL_MS (24 * 3600 * 1000LL)
/* Why a released attempt ended, in promise show. */
#define RELEASED "the worker was stopped"


static void sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Claims into p[0..*n) as soon as one is due, or until wait_ms passed
 * (< 0: as long as it takes): EXIT_NONE then.  Polling with a growing
 * nap, a second at most: SQLite has no way to wake a waiter, and a
 * second is a fine latency for work that takes minutes.  With watch
 * (claim --follow), a reader gone ends the wait, as outbox --follow's.
 */
static int claim_waiting(struct store *st, const struct claim_opts *o,
                         int64_t wait_ms, int watch, struct promise *p, int *n)
{
	int64_t deadline = mono_ms() + wait_ms, nap = 50;
	int rc;

	while ((rc = store_claim_some(st, o, p, n)) == EXIT_NONE &&
	       (wait_ms < 0 || mono_ms() < deadline)) {
		int64_t left = wait_ms < 0 ? nap : deadline - mono_ms();

		if (watch && reader_gone()) {
			warn("claim: the reader is gone");
			return EXIT_DATA;
		}
		sleep_ms(nap < left ? nap : left);
		if (nap < 1000)
			nap *= 2;
	}
	return rc;
}

/* What was claimed, a line each; with nothing, an empty line (follow). */
static int put_claimed(const struct common *c, const struct promise *p, int n)
{
	int rc = 0;

	if (n == 0)
		putchar('\n');
	for (int i = 0; i < n && rc == 0; i++)
		rc = put_promise(c, &p[i]);
	return rc || fflush(stdout) == EOF || ferror(stdout) ? EXIT_DATA : 0;
}

/*
 * claim --follow: one store, kept open, for a worker's whole life.  Each
 * line read asks for a claim (what it says does not matter): the answer
 * is the promise, or up to --limit of them, a line each, as soon as one
 * is due (or an empty line after --wait), flushed.  Claiming only when
 * asked keeps a lease from running while its promise waits in a pipe.
 * The end of input asks for no more; the last request is answered.
 */
static int claim_stream(const struct common *c, struct store *st,
                        const struct claim_opts *o, int64_t wait_ms,
                        struct promise *p)
{
	struct jsonl in;
	int got, n, rc = 0;

	jsonl_open(&in, 0, "<stdin>");
	while (rc == 0 && (got = jsonl_getline(&in)) > 0) {
		n = 0;
		rc = claim_waiting(st, o, wait_ms, 1, p, &n);
		if (rc == 0 || rc == EXIT_NONE)
			rc = put_claimed(c, p, n);
		for (int i = 0; i < n; i++)
			promise_free(&p[i]);
	}
	if (in.failed && rc == 0)
		rc = EXIT_DATA;
	jsonl_close(&in);
	return rc;
}

int cmd_claim(int argc, char **argv, struct common *c)
{
	enum { WORKER = OPT_FIRST_VERB_OPTION, LEASE, TYPE, WAIT, BACKOFF, LIMIT, FOLLOW };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "worker", required_argument, NULL, WORKER },
		{ "lease", required_argument, NULL, LEASE },
		{ "type", required_argument, NULL, TYPE },
		{ "wait", required_argument, NULL, WAIT },
		{ "backoff", required_argument, NULL, BACKOFF },
		{ "limit", required_argument, NULL, LIMIT },
		{ "follow", no_argument, NULL, FOLLOW },
		{ 0 },
	};
	struct claim_opts o = { .lease_ms = DEFAULT_LEASE_MS, .limit = 1 };
	struct promise *p;
	struct store *st;
	char *worker = NULL, **types = NULL;
	int64_t wait = -1;
	int opt, rc, n = 0, follow = 0;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case WORKER: o.worker = optarg; break;
		case LEASE: o.lease_ms = arg_duration(c, "--lease", optarg); break;
		case TYPE:
			free(types);
			types = split_commas(optarg, &o.ntypes);
			o.types = (const char *const *)types;
			break;
		case WAIT: wait = arg_duration(c, "--wait", optarg); break;
		case BACKOFF: backoff_base(optarg); break;
		case LIMIT: o.limit = (int)arg_int(c, "--limit", optarg, 1, CLAIM_MAX); break;
		case FOLLOW: follow = 1; break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (optind < argc)
		bad_usage(c, "unexpected argument '%s'", argv[optind]);
	if (o.lease_ms <= 0)
		bad_usage(c, "--lease must be longer than 0");
	if (!o.worker)
		o.worker = worker = default_worker();
	st = open_store(c);
	p = xmalloc((size_t)o.limit * sizeof *p);
	for (int i = 0; i < o.limit; i++)
		promise_init(&p[i]);
	if (follow) {
		rc = claim_stream(c, st, &o, wait, p);
	} else {
		/* without --wait, one look */
		rc = claim_waiting(st, &o, wait < 0 ? 0 : wait, 0, p, &n);
		for (int i = 0; i < n && rc == 0; i++)
			rc = put_promise(c, &p[i]);
	}
	for (int i = 0; i < o.limit; i++)
		promise_free(&p[i]);
	free(p);
	close_store(st);
	free(worker);
	free(types);
	return rc;
}

/* One heartbeat request line: its beat's status (0, 3, 4, 6, 9), or 2
 * for a line that is not a request. */
static int beat_line(struct store *st, const struct jsonl *in, const cJSON *line,
                     int64_t lease)
{
	const cJSON *note = cJSON_GetObjectItemCaseSensitive(line, "progress_note");
	int64_t id, v;
	int attempt = 0, pct = -1;

	if (json_int64(line, "id", &id) || id <= 0) {
		warn("%s:%ld: no promise \"id\"", in->name, in->lineno);
		return EXIT_USAGE;
	}
	if (json_int64(line, "attempt", &v) == 0 && v > 0 && v <= 1000000)
		attempt = (int)v;
	if (json_int64(line, "lease_ms", &v) == 0 && v > 0)
		lease = v;
	if (json_int64(line, "progress", &v) == 0) {
		if (v < 0 || v > 100) {
			warn("%s:%ld: \"progress\" is not 0..100", in->name, in->lineno);
			return EXIT_USAGE;
		}
		pct = (int)v;
	}
	return store_heartbeat(st, id, json_str(line, "worker"), attempt, lease, pct,
	                       cJSON_IsString(note) ? note->valuestring : NULL);
}

/*
 * heartbeat --jsonl: a lease kept by a long-lived child (runjob's), so
 * that only promise opens the database.  One answer line per request
 * line, in order, flushed: the request with "exit" (what `promise
 * heartbeat` would have exited with) and "ok".  A failed beat does not
 * stop the stream: the caller decides, and tries again.
 */
static int heartbeat_stream(struct common *c, int64_t lease)
{
	struct store *st = open_store(c);
	struct jsonl in;
	int got, rc = 0;

	jsonl_open(&in, 0, "<stdin>");
	while ((got = jsonl_getline(&in)) > 0) {
		cJSON *line = jsonl_parse(&in);
		int beat = line ? beat_line(st, &in, line, lease) : EXIT_USAGE;

		if (!line && !(line = cJSON_CreateObject()))
			die(EXIT_DATA, "out of memory");
		json_set_int64(line, "exit", beat);
		json_set_bool(line, "ok", beat == 0);
		rc = jsonl_put(stdout, line);
		cJSON_Delete(line);
		if (rc) {
			rc = EXIT_DATA;
			break;
		}
	}
	if (got < 0)
		rc = EXIT_DATA;
	jsonl_close(&in);
	close_store(st);
	return rc;
}

int cmd_heartbeat(int argc, char **argv, struct common *c)
{
	enum { WORKER = OPT_FIRST_VERB_OPTION, ATTEMPT, LEASE, PROGRESS, NOTE, JSONL };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "worker", required_argument, NULL, WORKER },
		{ "attempt", required_argument, NULL, ATTEMPT },
		{ "lease", required_argument, NULL, LEASE },
		{ "progress", required_argument, NULL, PROGRESS },
		{ "note", required_argument, NULL, NOTE },
		{ "jsonl", no_argument, NULL, JSONL },
		{ 0 },
	};
	const char *worker = NULL, *note = NULL;
	int64_t id, lease = DEFAULT_LEASE_MS;
	int opt, rc, attempt = 0, pct = -1, jsonl = 0;
	struct store *st;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case WORKER: worker = optarg; break;
		case ATTEMPT: attempt = (int)arg_int(c, "--attempt", optarg, 1, 1000000); break;
		case LEASE: lease = arg_duration(c, "--lease", optarg); break;
		case PROGRESS: pct = (int)arg_int(c, "--progress", optarg, 0, 100); break;
		case NOTE: note = optarg; break;
		case JSONL: jsonl = 1; break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (jsonl) {
		if (optind < argc || worker || attempt || pct >= 0 || note)
			bad_usage(c, "--jsonl reads ids, workers and progress from stdin");
		return heartbeat_stream(c, lease);
	}
	if (optind + 1 != argc)
		bad_usage(c, "give one promise id");
	id = arg_id(c, argv[optind]);
	st = open_store(c);
	rc = store_heartbeat(st, id, worker, attempt, lease, pct, note);
	if (rc == EXIT_CANCEL)
		warn("#%lld: cancellation requested", (long long)id);
	close_store(st);
	return rc;
}

/* Applies an outcome and prints the promise as it now stands. */
static int apply(struct common *c, struct store *st, const struct outcome *o)
{
	struct promise p;
	int rc;

	promise_init(&p);
	if ((rc = store_finish(st, o, &p)) == 0)
		rc = put_promise(c, &p);
	promise_free(&p);
	return rc;
}

static int finish_cmd(int argc, char **argv, struct common *c,
                      enum outcome_kind kind)
{
	enum { WORKER = OPT_FIRST_VERB_OPTION, ATTEMPT, RESULT, ERROR, PERMANENT,
	       BACKOFF };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "worker", required_argument, NULL, WORKER },
		{ "attempt", required_argument, NULL, ATTEMPT },
		{ "result", required_argument, NULL, RESULT },
		{ "error", required_argument, NULL, ERROR },
		{ "permanent", no_argument, NULL, PERMANENT },
		{ "backoff", required_argument, NULL, BACKOFF },
		{ 0 },
	};
	struct outcome o = { 0, NULL, 0, kind, 0, NULL, NULL, NULL };
	char *text = NULL;
	struct store *st;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case WORKER: o.worker = optarg; break;
		case ATTEMPT: o.attempt = (int)arg_int(c, "--attempt", optarg, 1, 1000000); break;
		case RESULT:
			if (kind != OUT_DONE)
				bad_usage(c, "--result is for done");
			o.result = optarg;
			break;
		case ERROR:
			if (kind != OUT_FAIL)
				bad_usage(c, "--error is for fail");
			o.error = optarg;
			break;
		case PERMANENT:
			if (kind != OUT_FAIL)
				bad_usage(c, "--permanent is for fail");
			o.permanent = 1;
			break;
		case BACKOFF: backoff_base(optarg); break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (optind + 1 != argc)
		bad_usage(c, "give one promise id");
	o.id = arg_id(c, argv[optind]);
	/* A result is often long or multi-line: it may come on stdin. */
	if (kind == OUT_DONE && !o.result)
		o.result = text = slurp_stdin(MAX_RESULT);
	st = open_store(c);
	rc = apply(c, st, &o);
	close_store(st);
	free(text);
	return rc;
}

int cmd_done(int argc, char **argv, struct common *c)
{
	return finish_cmd(argc, argv, c, OUT_DONE);
}

int cmd_fail(int argc, char **argv, struct common *c)
{
	return finish_cmd(argc, argv, c, OUT_FAIL);
}

/* The worker stopped before it ran the task: the attempt goes back. */
int cmd_release(int argc, char **argv, struct common *c)
{
	enum { WORKER = OPT_FIRST_VERB_OPTION, ATTEMPT };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "worker", required_argument, NULL, WORKER },
		{ "attempt", required_argument, NULL, ATTEMPT },
		{ 0 },
	};
	const char *worker = NULL;
	struct promise p;
	struct store *st;
	int opt, rc, attempt = 0;
	int64_t id;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case WORKER: worker = optarg; break;
		case ATTEMPT: attempt = (int)arg_int(c, "--attempt", optarg, 1, 1000000); break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (optind + 1 != argc)
		bad_usage(c, "give one promise id");
	id = arg_id(c, argv[optind]);
	st = open_store(c);
	promise_init(&p);
	if ((rc = store_release(st, id, worker, attempt, RELEASED, &p)) == 0)
		rc = put_promise(c, &p);
	promise_free(&p);
	close_store(st);
	return rc;
}

/* ---- settle: runjob's result lines ---- */

/* The last few hundred bytes of output, starting on a character. */
static const char *tail(const char *s, size_t max)
{
	size_t n = strlen(s);
	const char *t = n > max ? s + n - max : s;

	while ((*t & 0xC0) == 0x80)
		t++;
	return t;
}

/* What a result line says happened, as an outcome; -1 if it is not one. */
static int outcome_of(const struct jsonl *in, const cJSON *line,
                      struct outcome *o, char *why, size_t whylen)
{
	const char *output = json_str(line, "output");
	int64_t v, code = -1, sig = 0;

	memset(o, 0, sizeof *o);
	if (json_int64(line, "id", &o->id) || o->id <= 0) {
		warn("%s:%ld: no promise \"id\"", in->name, in->lineno);
		return -1;
	}
	o->worker = json_str(line, "worker");
	if (json_int64(line, "attempt", &v) == 0 && v > 0 && v < 1000000000)
		o->attempt = (int)v;
	if (json_bool(line, "cancelled", 0)) {
		o->kind = OUT_CANCELLED;
		snprintf(why, whylen, "cancelled");
		o->error = why;
		return 0;
	}
	/* Stopped or cancelled before a task was started: no status. */
	if (json_int64(line, "exit", &code) && json_int64(line, "signal", &sig) &&
	    !json_bool(line, "released", 0)) {
		warn("%s:%ld: neither \"exit\" nor \"signal\"", in->name, in->lineno);
		return -1;
	}
	json_int64(line, "signal", &sig);
	if (code == 0 && !sig && !json_bool(line, "timed_out", 0)) {
		o->kind = OUT_DONE;
		o->result = output ? output : "";
		return 0;
	}
	o->kind = OUT_FAIL;
	o->user_error = json_str(line, "user_error");
	/* Not found and not executable will not get better by retrying. */
	o->permanent = json_bool(line, "permanent", code == 126 || code == 127);
	if (json_bool(line, "timed_out", 0))
		snprintf(why, whylen, "timed out");
	else if (sig > 0)
		snprintf(why, whylen, "killed by signal %lld", (long long)sig);
	else
		snprintf(why, whylen, "exited with status %lld", (long long)code);
	if (output && *output) {
		size_t n = strlen(why);
		snprintf(why + n, whylen - n, ": %s", tail(output, ERROR_TAIL));
	}
	o->error = why;
	return 0;
}

/* The question a handler asked (runjob's "ask": {"text", "choices"}),
 * checked: NULL when the line has none, or a bad one (reported). */
static const cJSON *question_of(const struct jsonl *in, const cJSON *line)
{
	const cJSON *q = cJSON_GetObjectItemCaseSensitive(line, "ask"), *c;
	const char *text = q ? json_str(q, "text") : NULL;

	if (!q)
		return NULL;
	if (!text || !*text || strlen(text) > QUESTION_MAX) {
		warn("%s:%ld: \"ask\" needs a \"text\" of 1 to %d bytes", in->name,
		     in->lineno, QUESTION_MAX);
		return NULL;
	}
	c = cJSON_GetObjectItemCaseSensitive(q, "choices");
	if (c && (!cJSON_IsArray(c) || cJSON_GetArraySize(c) > CHOICES_MAX)) {
		warn("%s:%ld: \"choices\" must be a list of at most %d", in->name,
		     in->lineno, CHOICES_MAX);
		return NULL;
	}
	return q;
}

/* Waits for the user: the question goes to them as a reply to their
 * request, with its choices as buttons, or else a reply box. */
static int ask(struct store *st, const struct outcome *o, const cJSON *q,
               int64_t ttl_ms, struct promise *after)
{
	const cJSON *choices = cJSON_GetObjectItemCaseSensitive(q, "choices");
	char *json = cJSON_PrintUnformatted(q), text[QUESTION_MAX + 64], key[64];
	struct notice n;
	int rc;

	if (!json)
		die(EXIT_DATA, "out of memory");
	notice_init(&n);
	n.kind = xstrdup("question");
	snprintf(text, sizeof text, "#%lld asks: %s", (long long)o->id,
	         json_str(q, "text"));
	n.text = xstrdup(text);
	n.markup = cJSON_GetArraySize(choices) > 0 ? choice_buttons(o->id, choices)
	                                           : reply_box();
	snprintf(key, sizeof key, "question:%lld:%d", (long long)o->id, o->attempt);
	n.key = o->attempt > 0 ? xstrdup(key) : NULL;
	rc = store_ask(st, o->id, o->worker, o->attempt, json, ttl_ms, &n, after);
	notice_free(&n);
	free(json);
	return rc;
}

static const char *settled_word(const struct promise *p, enum outcome_kind k)
{
	if (k == OUT_FAIL && p->status == PS_PENDING)
		return "retry";
	return pstatus_name(p->status);
}

int cmd_settle(int argc, char **argv, struct common *c)
{
	enum { STRICT = OPT_FIRST_VERB_OPTION, BACKOFF, QUESTION_TTL };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "strict", no_argument, NULL, STRICT },
		{ "backoff", required_argument, NULL, BACKOFF },
		{ "question-ttl", required_argument, NULL, QUESTION_TTL },
		{ 0 },
	};
	int64_t ttl = DEFAULT_QUESTION_TTL_MS;
	char why[ERROR_TAIL + 128];
	struct store *st;
	struct jsonl in;
	struct promise p;
	int opt, strict = 0, got, worst = 0, released;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case STRICT: strict = 1; break;
		case BACKOFF: backoff_base(optarg); break;
		case QUESTION_TTL: ttl = arg_duration(c, "--question-ttl", optarg); break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (optind < argc)
		bad_usage(c, "settle reads result lines from stdin, not arguments");
	st = open_store(c);
	jsonl_open(&in, 0, "<stdin>");
	promise_init(&p);
	while ((got = jsonl_getline(&in)) > 0) {
		cJSON *line = jsonl_parse(&in);
		const cJSON *q;
		struct outcome o;
		int rc;

		if (!line || outcome_of(&in, line, &o, why, sizeof why)) {
			cJSON_Delete(line);
			if (strict) {
				worst = EXIT_DATA;
				break;
			}
			continue;
		}
		/* runjob was stopped (the worker is stopping): not the
		 * task's failure, and not a spent attempt. */
		released = o.kind != OUT_CANCELLED && json_bool(line, "released", 0);
		/* A handler that asked and exited 0 waits for its answer. */
		q = o.kind == OUT_DONE ? question_of(&in, line) : NULL;
		if (released)
			rc = store_release(st, o.id, o.worker, o.attempt, RELEASED, &p);
		else if (q)
			rc = ask(st, &o, q, ttl, &p);
		else
			rc = store_finish(st, &o, &p);
		if (rc == 0 && c->json) {
			merge_promise(line, &p);
			json_set_str(line, "settled", released && p.status == PS_PENDING ?
			             "released" : settled_word(&p, o.kind));
			if (jsonl_put(stdout, line))
				rc = EXIT_DATA;
		} else if (rc == 0) {
			put_line(&p);
		}
		cJSON_Delete(line);
		promise_free(&p);
		if (stream_status(&worst, rc))
			break;
	}
	if (got < 0 && !worst)
		worst = EXIT_DATA;
	jsonl_close(&in);
	close_store(st);
	return worst;
}
