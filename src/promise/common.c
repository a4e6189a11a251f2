/*
 * common.c - what every verb of promise needs: the database, values from
 * the command line and the environment, and the two shapes of output (a
 * JSON line per promise, or one readable line).
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "promise.h"

void bad_usage(const struct common *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	fputs(c->usage, stderr);
	exit(EXIT_USAGE);
}

struct store *open_store(const struct common *c)
{
	char *path = c->db ? xstrdup(c->db) : default_db_path();
	struct store *st;
	int rc = store_open(path, &st);

	free(path);
	if (rc)
		exit(rc);
	store_set_backoff(st, backoff_base(NULL), 3600000);
	return st;
}

void close_store(struct store *st)
{
	store_close(st);
}

int64_t arg_id(const struct common *c, const char *s)
{
	int64_t v;

	if (s && *s == '#')
		s++;
	if (parse_int64(s, &v) || v <= 0)
		bad_usage(c, "'%s' is not a promise id", s ? s : "");
	return v;
}

int64_t arg_int(const struct common *c, const char *what, const char *s,
                int64_t min, int64_t max)
{
	int64_t v;

	if (parse_int64(s, &v) || v < min || v > max)
		bad_usage(c, "%s: '%s' is not a number from %lld to %lld", what, s,
		          (long long)min, (long long)max);
	return v;
}

int64_t arg_duration(const struct common *c, const char *what, const char *s)
{
	int64_t ms;

	if (parse_duration(s, &ms))
		bad_usage(c, "%s: '%s' is not a duration (90, 90s, 10m, 2h, 1d)",
		          what, s);
	return ms;
}

/* A bad value in the environment is an error too: silently using the
 * default would hide a typo in a crontab. */
int64_t env_duration(const char *name, int64_t dflt)
{
	const char *s = getenv(name);
	int64_t ms;

	if (!s || !*s)
		return dflt;
	if (parse_duration(s, &ms))
		die(EXIT_USAGE, "%s='%s' is not a duration", name, s);
	return ms;
}

int64_t env_int(const char *name, int64_t dflt)
{
	const char *s = getenv(name);
	int64_t v;

	if (!s || !*s)
		return dflt;
	if (parse_int64(s, &v) || v < 0)
		die(EXIT_USAGE, "%s='%s' is not a number", name, s);
	return v;
}

/* The base of the retry backoff: --backoff, else $PROMISE_BACKOFF, 10s. */
int64_t backoff_base(const char *flag)
{
	static int64_t set = -1;
	int64_t ms;

	if (flag) {
		if (parse_duration(flag, &ms))
			die(EXIT_USAGE, "--backoff: '%s' is not a duration", flag);
		set = ms;
	}
	return set >= 0 ? set : env_duration("PROMISE_BACKOFF", 10000);
}

char *default_worker(void)
{
	char host[256], *w;
	size_t n;

	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	n = strlen(host) + 24;
	w = xmalloc(n);
	snprintf(w, n, "%s:%ld", host, (long)getpid());
	return w;
}

char **split_commas(char *s, int *n)
{
	char **v = xmalloc((strlen(s) / 2 + 2) * sizeof *v), *tok, *save;

	*n = 0;
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		v[(*n)++] = tok;
	v[*n] = NULL;
	return v;
}

char *slurp_stdin(size_t max)
{
	size_t len = 0, cap = 4096, got;
	char *buf = xmalloc(cap);

	while ((got = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += got;
		if (len >= max)
			break;
		if (cap - len - 1 == 0)
			buf = xrealloc(buf, cap *= 2);
	}
	if (ferror(stdin))
		die(EXIT_DATA, "read error on <stdin>:");
	if (len > max)
		len = utf8_clip(buf, max);
	buf[len] = '\0';
	return buf;
}

/* Adders for a fresh object: no lookup for a key already there, which
 * cJSON would do with a strcmp per field (add --jsonl makes thousands). */
/* key is always a string literal: cJSON need not copy it. */
static void add(cJSON *o, const char *key, cJSON *v)
{
	if (!v || !cJSON_AddItemToObjectCS(o, key, v))
		die(EXIT_DATA, "out of memory");
}

/* Integers go out as their digits: exact to 64 bits, and without the
 * "%1.15g" and sscanf round trip that cJSON prints every number with
 * (an eighth of what add --jsonl spent per line). */
static cJSON *int_item(int64_t v)
{
	char buf[24], *d = buf + sizeof buf;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	*--d = '\0';
	do
		*--d = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--d = '-';
	return cJSON_CreateRaw(d);
}

static void add_int(cJSON *o, const char *key, int64_t v)
{
	add(o, key, int_item(v));
}

static void add_str(cJSON *o, const char *key, const char *s)
{
	add(o, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

static void add_opt_id(cJSON *o, const char *key, int64_t v)
{
	add(o, key, v ? int_item(v) : cJSON_CreateNull());
}

static void add_time(cJSON *o, const char *key, int64_t ms)
{
	char buf[32];

	add_str(o, key, ms ? fmt_time(ms, buf) : NULL);
}

void json_set_time(cJSON *o, const char *key, int64_t ms)
{
	char buf[32];

	json_set_str(o, key, ms ? fmt_time(ms, buf) : NULL);
}

/* The promise as a JSON object: HACKING.md's "claim --json" fields
 * first, then the rest of what the store knows. */
/* A column that holds JSON text, as JSON (null when empty or not JSON). */
static void add_json(cJSON *o, const char *key, const char *text)
{
	cJSON *v = text ? cJSON_Parse(text) : NULL;

	add(o, key, v ? v : cJSON_CreateNull());
}

cJSON *promise_json(const struct promise *p)
{
	cJSON *o = cJSON_CreateObject(), *after, *meta = NULL, *answers;

	if (!o)
		die(EXIT_DATA, "out of memory");
	add_int(o, "id", p->id);
	add_str(o, "status", pstatus_name(p->status));
	add_opt_id(o, "chat_id", p->chat_id);
	add_opt_id(o, "user_id", p->user_id);
	add_str(o, "username", p->username);
	add_opt_id(o, "reply_to", p->reply_to);
	add_opt_id(o, "thread_id", p->thread_id);
	add_str(o, "text", p->text);
	add_str(o, "task_type", p->task_type);
	add_int(o, "priority", p->priority);
	add_str(o, "key", p->key);
	add_int(o, "attempt", p->attempt);
	add_int(o, "max_attempts", p->max_attempts);
	add_opt_id(o, "timeout_ms", p->timeout_ms);
	add_str(o, "worker", p->worker);
	add_time(o, "lease_expires_at", p->lease_expires_at);
	add_time(o, "created_at", p->created_at);
	add_time(o, "not_before_at", p->not_before);
	add_time(o, "expires_at", p->expires_at);
	add(o, "progress", p->progress >= 0 ? int_item(p->progress) :
	                                      cJSON_CreateNull());
	add_str(o, "progress_note", p->progress_note);
	if (p->meta)
		meta = cJSON_Parse(p->meta);
	add(o, "meta", meta ? meta : cJSON_CreateNull());
	add(o, "after", after = cJSON_CreateArray());
	for (int i = 0; i < p->nafter; i++)
		cJSON_AddItemToArray(after, int_item(p->after[i]));
	add_time(o, "started_at", p->started_at);
	add_time(o, "finished_at", p->finished_at);
	add_time(o, "heartbeat_at", p->heartbeat_at);
	add(o, "cancel_requested", cJSON_CreateBool(p->cancel_requested));
	add_str(o, "result", p->result);
	add_str(o, "error", p->error);
	add_time(o, "notified_at", p->notified_at);
	add_opt_id(o, "ack_message_id", p->ack_message_id);
	add_json(o, "question", p->question);
	add_json(o, "answers", p->answers ? p->answers : "[]");
	/* the latest answer, for the handler ($PROMISE_ANSWER) */
	answers = cJSON_GetObjectItemCaseSensitive(o, "answers");
	add(o, "answer", cJSON_GetArraySize(answers) > 0 ?
	    cJSON_Duplicate(cJSON_GetArrayItem(answers,
	                    cJSON_GetArraySize(answers) - 1), 1) :
	    cJSON_CreateNull());
	add_str(o, "user_error", p->user_error);
	return o;
}

/* The line becomes the promise's fields followed by the line's own fields
 * that the promise does not have, unchanged and in their order. */
void merge_promise(cJSON *line, const struct promise *p)
{
	cJSON *pj = promise_json(p), *f, *next;

	for (f = line->child; f; f = next) {
		next = f->next;
		cJSON_DetachItemViaPointer(line, f);
		if (cJSON_GetObjectItemCaseSensitive(pj, f->string))
			cJSON_Delete(f);
		else
			cJSON_AddItemToArray(pj, f);   /* links it, name and all */
	}
	line->child = pj->child;
	pj->child = NULL;
	cJSON_Delete(pj);
}

/* One line: id, status, priority, type, attempts, text (clipped, on one
 * line).  The columns are fixed so that awk can read them. */
void put_line(const struct promise *p)
{
	char text[81];
	size_t all = p->text ? strlen(p->text) : 0;
	size_t n = utf8_clip(p->text ? p->text : "", all < sizeof text - 1 ? all : sizeof text - 1);

	memcpy(text, p->text ? p->text : "", n);
	text[n] = '\0';
	for (char *s = text; *s; s++)
		if (*s == '\n' || *s == '\t' || *s == '\r')
			*s = ' ';
	printf("%-6lld %-9s %2d %-8s %d/%d %s%s\n", (long long)p->id,
	       pstatus_name(p->status), p->priority,
	       p->task_type && *p->task_type ? p->task_type : "-",
	       p->attempt, p->max_attempts, text, all > n ? "..." : "");
}

int put_promise(const struct common *c, const struct promise *p)
{
	if (c->json) {
		cJSON *o = promise_json(p);
		int rc = jsonl_put(stdout, o);
		cJSON_Delete(o);
		return rc ? EXIT_DATA : 0;
	}
	put_line(p);
	return 0;
}

/* The process reading a follower's lines is gone (it exited): nothing
 * would write to stdout to learn it (SIGPIPE), so a pipeline would never
 * end and never be restarted. */
int reader_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/*
 * The status of a stream of lines (settle, notified): a storage error or
 * a busy database stops it at once, since every later line would meet
 * the same; otherwise the first refusal is kept and the rest carried on.
 */
int stream_status(int *worst, int rc)
{
	if (rc == EXIT_DATA || rc == EXIT_TEMPFAIL) {
		*worst = rc;
		return 1;
	}
	if (rc && !*worst)
		*worst = rc;
	return 0;
}
