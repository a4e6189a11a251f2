/*
 * lease.c - promise mode: keep the claimed promise's lease alive, pass
 * on the handler's progress, and hand the promise to the handler.
 *
 * The handler reports progress on fd 3 as lines "progress PCT [NOTE]";
 * only the latest report is kept, and it reaches the store with the next
 * beat, which comes early (at most one a second) when there is news.
 *
 * On the same fd it may ask its user something ("ask TEXT", then any
 * "choice TEXT" lines for buttons) and exit 0: the promise then waits
 * for the answer, and the handler runs again with it (runjob(1)).  And
 * it may say, for the user, what failed ("error TEXT"), which the
 * failure notice tells instead of a generic reason.
 */
#include <stdlib.h>
#include <string.h>

#include "tgp.h"
#include "env.h"
#include "lease.h"

static int beat_once(struct lease *l);
static int took(struct lease *l, int rc);

int lease_open(struct lease *l, const char *db, const cJSON *promise,
               int64_t every_ms, int64_t lease_ms)
{
	int64_t v;
	int rc;

	memset(l, 0, sizeof *l);
	l->pct = -1;
	l->every_ms = every_ms;
	l->lease_ms = lease_ms;
	if (json_int64(promise, "id", &l->id) != 0) {
		warn("<stdin>:1: the promise line has no id");
		return EXIT_USAGE;
	}
	l->worker = json_str(promise, "worker");
	if (json_int64(promise, "attempt", &v) == 0 && v > 0 && v <= 1 << 30)
		l->attempt = (int)v;
	if (!l->worker || !l->attempt)
		warn("promise #%lld: no worker or attempt on the line: the lease "
		     "is kept without checking whose it is", (long long)l->id);
	l->db = db ? xstrdup(db) : NULL;
	/* A first beat before the task starts: a store that cannot be
	 * opened (or no promise to open it) stops runjob here, as it did
	 * when runjob opened the store itself. */
	if ((rc = beat_once(l)) < 0)
		return EXIT_DATA;
	/* News (cancelled, lost) is for the loop's first beat, at once. */
	if (took(l, rc) != 0)
		l->next = 0;
	return 0;
}

void lease_close(struct lease *l)
{
	lease_proc_stop(&l->proc);
	free(l->ask);
	free(l->user_error);
	cJSON_Delete(l->choices);
	l->ask = l->user_error = NULL;
	l->choices = NULL;
	free(l->note);
	free(l->db);
	l->note = NULL;
	l->db = NULL;
}

/* This beat as a request line for `promise heartbeat --jsonl`. */
static char *beat_request(const struct lease *l)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	if (!o)
		die(125, "out of memory");
	json_set_int64(o, "id", l->id);
	if (l->worker)
		json_set_str(o, "worker", l->worker);
	if (l->attempt)
		json_set_int64(o, "attempt", l->attempt);
	json_set_int64(o, "lease_ms", l->lease_ms);
	if (l->pct >= 0)
		json_set_int64(o, "progress", l->pct);
	if (l->note)
		json_set_str(o, "progress_note", l->note);
	if (!(s = cJSON_PrintUnformatted(o)))
		die(125, "out of memory");
	cJSON_Delete(o);
	return s;
}

/* One beat through the promise process: its status, or -1 when the
 * process failed (reported). */
static int beat_once(struct lease *l)
{
	char *req;
	int rc;

	l->last = mono_ms();
	l->next = l->last + l->every_ms;
	req = beat_request(l);
	rc = l->proc.pid ? lease_proc_ask(&l->proc, req) : -1;
	/* A process that died is replaced at once, and asked again: the
	 * lease (and the last progress) may well outlast it. */
	if (rc < 0 && lease_proc_start(&l->proc, l->db) == 0)
		rc = lease_proc_ask(&l->proc, req);
	free(req);
	return rc;
}

int lease_beat(struct lease *l)
{
	if (l->lost) {
		l->last = mono_ms();
		l->next = l->last + l->every_ms;
		return EXIT_CONFLICT;
	}
	return took(l, beat_once(l));
}

/* What a beat's status means for the lease. */
static int took(struct lease *l, int rc)
{
	if (rc == 0 || rc == EXIT_CANCEL) {
		l->pct = -1;
		free(l->note);
		l->note = NULL;
		return rc;
	}
	if (rc == EXIT_CONFLICT || rc == EXIT_NOTFOUND) {
		l->lost = 1;
		return EXIT_CONFLICT;
	}
	warn("promise #%lld: heartbeat failed; trying again in %lldms",
	     (long long)l->id, (long long)l->every_ms);
	return 0;
}

enum { CHOICES_MAX = 8, CHOICE_MAX = 60 };

/* The text after a word of the fd-3 protocol, as valid UTF-8. */
static char *said_text(const char *s)
{
	while (*s == ' ')
		s++;
	return *s ? utf8_sanitize(s, strlen(s)) : NULL;
}

/* "ask TEXT", "choice TEXT", "error TEXT": 1 if s is one of them. */
static int said_line(struct lease *l, const char *s)
{
	char *text;

	if (strncmp(s, "ask ", 4) == 0 && (text = said_text(s + 4))) {
		free(l->ask);
		l->ask = text;
		cJSON_Delete(l->choices);
		l->choices = NULL;      /* a new question: its own choices */
	} else if (strncmp(s, "choice ", 7) == 0 && (text = said_text(s + 7))) {
		if (!l->choices)
			l->choices = cJSON_CreateArray();
		if (cJSON_GetArraySize(l->choices) >= CHOICES_MAX ||
		    strlen(text) > CHOICE_MAX)
			warn("fd 3, line %ld: at most %d choices of %d bytes; ignored",
			     l->lineno, CHOICES_MAX, CHOICE_MAX);
		else
			cJSON_AddItemToArray(l->choices, cJSON_CreateString(text));
		free(text);
	} else if (strncmp(s, "error ", 6) == 0 && (text = said_text(s + 6))) {
		free(l->user_error);
		l->user_error = text;
	} else {
		return 0;
	}
	return 1;
}

void lease_said(const struct lease *l, cJSON *result)
{
	if (l->ask) {
		cJSON *q = cJSON_CreateObject();

		json_set_str(q, "text", l->ask);
		if (l->choices)
			cJSON_AddItemToObject(q, "choices", cJSON_Duplicate(l->choices, 1));
		cJSON_AddItemToObject(result, "ask", q);
	}
	if (l->user_error)
		json_set_str(result, "user_error", l->user_error);
}

/* "progress PCT [NOTE]", PCT a whole number 0..100. */
static void progress_line(struct lease *l, char *s)
{
	char *p = s + 9, *end;
	long pct;

	if (said_line(l, s))
		return;
	if (strncmp(s, "progress ", 9) != 0 || *p < '0' || *p > '9') {
		warn("fd 3, line %ld: not \"progress PCT [NOTE]\", \"ask TEXT\", "
		     "\"choice TEXT\" or \"error TEXT\"; ignored", l->lineno);
		return;
	}
	pct = strtol(p, &end, 10);
	if (pct > 100 || (*end && *end != ' ')) {
		warn("fd 3, line %ld: not \"progress PCT [NOTE]\"; ignored", l->lineno);
		return;
	}
	l->pct = (int)pct;
	while (*end == ' ')
		end++;
	if (*end) {
		free(l->note);
		l->note = utf8_sanitize(end, strlen(end));
	}
	/* News goes out early, but not more than once a second. */
	int64_t soon = l->last + (l->every_ms < 1000 ? l->every_ms : 1000);
	if (soon < l->next)
		l->next = soon;
}

void lease_progress(struct lease *l, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = buf[i];

		if (c != '\n') {
			if (l->line_len < sizeof l->line - 1)
				l->line[l->line_len++] = c;
			else
				l->overlong = 1;
			continue;
		}
		l->lineno++;
		if (l->line_len && l->line[l->line_len - 1] == '\r')
			l->line_len--;
		l->line[l->line_len] = '\0';
		if (l->overlong)
			warn("fd 3, line %ld: longer than %zu bytes; ignored",
			     l->lineno, sizeof l->line - 1);
		else if (l->line_len)
			progress_line(l, l->line);
		l->line_len = 0;
		l->overlong = 0;
	}
}

void promise_env(struct envv *e, const cJSON *promise, size_t max_text)
{
	static const struct { const char *field, *var; } map[] = {
		{ "id", "PROMISE_ID" },           { "text", "PROMISE_TASK" },
		{ "task_type", "PROMISE_TYPE" },  { "chat_id", "PROMISE_CHAT_ID" },
		{ "user_id", "PROMISE_USER_ID" }, { "username", "PROMISE_USERNAME" },
		{ "thread_id", "PROMISE_THREAD_ID" },
		{ "reply_to", "PROMISE_REPLY_TO" },
		{ "attempt", "PROMISE_ATTEMPT" },
		{ "max_attempts", "PROMISE_MAX_ATTEMPTS" },
		{ "worker", "PROMISE_WORKER" },   { "priority", "PROMISE_PRIORITY" },
		{ "key", "PROMISE_KEY" },         { "timeout_ms", "PROMISE_TIMEOUT_MS" },
		{ "progress", "PROMISE_PROGRESS" },
		{ "progress_note", "PROMISE_PROGRESS_NOTE" },
		{ "meta", "PROMISE_META" },
		{ "answer", "PROMISE_ANSWER" },   /* the latest answer */
		{ "answers", "PROMISE_ANSWERS" }, /* all of them, a JSON list */
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		const cJSON *it = cJSON_GetObjectItemCaseSensitive(promise, map[i].field);
		char num[32];
		int64_t v;

		env_unset(e, map[i].var);
		if (cJSON_IsString(it)) {
			/* An environment string has a size limit (E2BIG); the
			 * whole text is on stdin in any case. */
			char *s = xstrdup(it->valuestring);
			s[utf8_clip(s, strlen(s) < max_text ? strlen(s) : max_text)] = '\0';
			env_set(e, map[i].var, s);
			free(s);
		} else if (cJSON_IsNumber(it) && json_int64(promise, map[i].field, &v) == 0) {
			snprintf(num, sizeof num, "%lld", (long long)v);
			env_set(e, map[i].var, num);
		} else if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
			char *s = cJSON_PrintUnformatted(it);
			if (s && strlen(s) <= max_text)
				env_set(e, map[i].var, s);
			free(s);
		}
	}
}
