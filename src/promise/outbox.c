/*
 * outbox.c - the way out: outbox hands out the notices the store holds
 * (every message the bot sends), each chat's one at a time, and prints
 * them for notify; notified reads notify's receipts and settles them.
 * Marking happens only after delivery, so a notice is sent at least once,
 * and exactly once unless a crash falls between the send and the mark.
 *
 * A follow-up and an edit of an acknowledgement are written here, from
 * the promise as it is when they go out: an edit never shows a progress
 * older than the promise's.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "promise.h"

enum { REQUEST_MAX = 60, RESULT_MAX = 12000, FOLLOW_POLL_MS = 10 };

static const char *const kinds[] = {
	"done", "failed", "cancelled", "expired", "unanswered",
};
enum { NKINDS = 5 };

/* A failure says what failed in the bot's own words ({reason}), never
 * the handler's output ({error}), which may hold anything: paths,
 * secrets.  That goes to the log and to promise show. */
static const char *const default_templates[NKINDS] = {
	"Done: \"{request}\" (#{id})\n\n{result}",
	"Sorry, I could not finish \"{request}\" (#{id}): {reason}, after "
	"{tries}. Say /retry {id} to try again.",
	"Cancelled \"{request}\" (#{id}).",
	"I did not get to \"{request}\" (#{id}) in time. "
	"Please ask again if it still matters.",
	"I asked about \"{request}\" (#{id}) and heard nothing, so I stopped. "
	"Please ask again if it still matters.",
};

struct outbox {
	const struct common *c;
	const char *tmpl[NKINDS];
	const char *parse_mode;
	int64_t n;
	int failed;             /* stdout is gone */
};

static int kind_index(const char *name, size_t len)
{
	for (int i = 0; i < NKINDS; i++)
		if (strlen(kinds[i]) == len && strncmp(kinds[i], name, len) == 0)
			return i;
	return -1;
}

static int kind_of(const struct promise *p)
{
	switch (p->status) {
	case PS_DONE: return 0;
	case PS_CANCELLED: return 2;
	case PS_EXPIRED: return p->question ? 4 : 3;
	default: return 1;
	}
}

/* A growing string. */
struct buf { char *s; size_t len, cap; };

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void put_clipped(struct buf *b, const char *s, size_t max)
{
	size_t n, all;

	if (!s)
		return;
	all = strlen(s);
	n = utf8_clip(s, max < all ? max : all);
	put(b, s, n);
	if (n < all)
		put(b, "...", 3);
}

/* The request, short and on one line, to name it in the notice. */
static void put_request(struct buf *b, const char *text)
{
	size_t start = b->len;

	put_clipped(b, text, REQUEST_MAX);
	for (size_t i = start; i < b->len; i++)
		if (b->s[i] == '\n' || b->s[i] == '\r' || b->s[i] == '\t')
			b->s[i] = ' ';
}

/* Why p failed, for its user: what its handler said for them, else the
 * store's own words before any quoted output ("exited with status 2"). */
static void put_reason(struct buf *b, const struct promise *p)
{
	const char *e = p->error ? p->error : "it failed";
	const char *colon = strstr(e, ": ");

	if (p->user_error && *p->user_error)
		put_clipped(b, p->user_error, REQUEST_MAX * 5);
	else if (colon)
		put(b, e, (size_t)(colon - e));
	else
		put_clipped(b, e, REQUEST_MAX);
}

/* Expands {name} placeholders; "\n" is a newline; unknown names stay. */
static char *expand(const char *t, const struct promise *p)
{
	struct buf b = { NULL, 0, 0 };
	char num[64];

	put(&b, "", 0);
	while (*t) {
		const char *close;
		size_t n;

		if (t[0] == '\\' && t[1] == 'n') {
			put(&b, "\n", 1);
			t += 2;
			continue;
		}
		if (*t != '{' || !(close = strchr(t, '}'))) {
			put(&b, t++, 1);
			continue;
		}
		n = (size_t)(close - t - 1);
#define IS(name) (n == sizeof name - 1 && strncmp(t + 1, name, n) == 0)
		if (IS("id")) {
			snprintf(num, sizeof num, "%lld", (long long)p->id);
			put(&b, num, strlen(num));
		} else if (IS("request")) {
			put_request(&b, p->text);
		} else if (IS("text")) {
			put_clipped(&b, p->text, RESULT_MAX);
		} else if (IS("result")) {
			put_clipped(&b, p->result, RESULT_MAX);
		} else if (IS("error")) {
			put_clipped(&b, p->error ? p->error : "unknown error", RESULT_MAX);
		} else if (IS("reason")) {
			put_reason(&b, p);
		} else if (IS("tries")) {
			snprintf(num, sizeof num, "%d attempt%s", p->attempt,
			         p->attempt == 1 ? "" : "s");
			put(&b, num, strlen(num));
		} else if (IS("kind")) {
			put(&b, pstatus_name(p->status), strlen(pstatus_name(p->status)));
		} else if (IS("type")) {
			put_clipped(&b, p->task_type ? p->task_type : "task", 64);
		} else if (IS("attempts")) {
			snprintf(num, sizeof num, "%d", p->attempt);
			put(&b, num, strlen(num));
		} else if (IS("duration")) {
			fmt_duration(p->finished_at - p->created_at, num);
			put(&b, num, strlen(num));
		} else if (IS("username")) {
			put_clipped(&b, p->username ? p->username : "", 64);
		} else {
			put(&b, t, n + 2);
		}
#undef IS
		t = close + 1;
	}
	/* A template ending in {result} with no result leaves blank lines. */
	while (b.len && (b.s[b.len - 1] == '\n' || b.s[b.len - 1] == ' '))
		b.s[--b.len] = '\0';
	return b.s;
}

/* What an acknowledgement says once the promise has moved on. */
static char *edit_text(const struct promise *p)
{
	struct buf b = { NULL, 0, 0 };
	char num[96];

	put(&b, "", 0);
	switch (p->status) {
	case PS_RUNNING:
		put(&b, "Working on \"", 12);
		put_request(&b, p->text);
		snprintf(num, sizeof num, "\" (#%lld)", (long long)p->id);
		put(&b, num, strlen(num));
		if (p->progress >= 0) {
			snprintf(num, sizeof num, " — %d%%", p->progress);
			put(&b, num, strlen(num));
		}
		if (p->progress_note) {
			put(&b, " (", 2);
			put_request(&b, p->progress_note);
			put(&b, ")", 1);
		}
		break;
	case PS_PENDING:
		snprintf(num, sizeof num, p->attempt > 0 ?
		         "#%lld: attempt %d of %d did not work out; I will try again: \"" :
		         "#%lld is waiting its turn: \"", (long long)p->id, p->attempt,
		         p->max_attempts);
		put(&b, num, strlen(num));
		put_request(&b, p->text);
		put(&b, "\"", 1);
		break;
	case PS_WAITING:
		snprintf(num, sizeof num, "#%lld waits for your answer: \"",
		         (long long)p->id);
		put(&b, num, strlen(num));
		put_request(&b, p->text);
		put(&b, "\"", 1);
		break;
	default:
		snprintf(num, sizeof num, "#%lld %s: \"", (long long)p->id,
		         p->status == PS_DONE ? "is done" :
		         p->status == PS_FAILED ? "failed" :
		         p->status == PS_CANCELLED ? "was cancelled" :
		         p->status == PS_EXPIRED ? "expired" : "is offered");
		put(&b, num, strlen(num));
		put_request(&b, p->text);
		put(&b, "\"", 1);
	}
	return b.s;
}

static void set_opt_id(cJSON *o, const char *key, int64_t v)
{
	if (v)
		json_set_int64(o, key, v);
	else
		json_set_str(o, key, NULL);
}

static int put_notice(const struct outbox *ob, const struct notice *n,
                      const char *text, const char *markup_text)
{
	cJSON *o = cJSON_CreateObject(), *markup;
	int rc;

	json_set_int64(o, "ref", n->id);
	if (n->promise_id)
		json_set_int64(o, "id", n->promise_id);
	json_set_str(o, "kind", n->kind);
	json_set_int64(o, "chat_id", n->chat_id);
	set_opt_id(o, "reply_to", n->reply_to);
	set_opt_id(o, "thread_id", n->thread_id);
	if (strcmp(n->kind, "typing") == 0)
		json_set_str(o, "action", "typing");
	else
		json_set_str(o, "text", text);
	if (n->callback_id)
		json_set_str(o, "callback_id", n->callback_id);
	/* --parse-mode is for the templates: the follow-ups' texts */
	if (ob->parse_mode && !n->text && strcmp(n->kind, "edit") != 0)
		json_set_str(o, "parse_mode", ob->parse_mode);
	if (strcmp(n->kind, "edit") == 0)
		json_set_int64(o, "edit_message_id", n->edit_message_id);
	if (markup_text && (markup = cJSON_Parse(markup_text)))
		cJSON_AddItemToObject(o, "reply_markup", markup);
	json_set_int64(o, "urgency", n->urgency);
	rc = jsonl_put(stdout, o);
	cJSON_Delete(o);
	return rc;
}

/* The buttons under a notice: its own, or, for the messages written from
 * the promise, what can be done about it now (Cancel while it is open,
 * Retry once it has failed; nothing once it has ended otherwise, which
 * takes the acknowledgement's Cancel away). */
static char *buttons(const struct notice *n, const struct promise *p)
{
	if (n->text || n->edit_of || !p || !p->id)
		return n->markup ? xstrdup(n->markup) : NULL;
	if (pstatus_open(p->status))
		return strcmp(n->kind, "edit") == 0 ? cancel_button(p->id) : NULL;
	if (p->status == PS_FAILED && strcmp(n->kind, "edit") != 0)
		return retry_button(p->id);
	return NULL;
}

static int notice(struct notice *n, struct promise *p, void *arg)
{
	struct outbox *ob = arg;
	char *text, *markup;
	int rc = 0;

	if (n->text)
		text = xstrdup(n->text);
	else if (!p)                    /* nothing to write it from */
		text = xstrdup("");
	else if (strcmp(n->kind, "edit") == 0)
		text = edit_text(p);
	else
		text = expand(ob->tmpl[kind_of(p)], p);
	ob->n++;
	markup = buttons(n, p);
	if (ob->c->json) {
		rc = put_notice(ob, n, text, markup) != 0;
	} else {
		for (char *s = text; *s; s++)
			if (*s == '\n')
				*s = ' ';
		rc = printf("%-6lld %-9s chat %lld: %s\n", (long long)n->id, n->kind,
		            (long long)n->chat_id, text) < 0 || fflush(stdout) != 0;
	}
	free(text);
	free(markup);
	if (rc)
		ob->failed = 1;
	return rc;
}

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Waits until another process writes to the store (a new notice, a
 * receipt) or a notice waiting for time falls due; polling the store's
 * change counter costs next to nothing, and misses no write. */
static int wait_for_news(struct store *st)
{
	int64_t due = 0, checked = 0;
	int rc;

	for (;;) {
		int64_t now = now_ms();

		if (stopping)
			return 0;
		if (reader_gone()) {
			warn("outbox: the sender's reader is gone");
			return EXIT_DATA;
		}
		if (store_changed(st))
			return 0;
		if (now - checked >= 1000) {
			if ((rc = store_outbox_next(st, &due)))
				return rc;
			checked = now;
		}
		if (due && due <= now)
			return 0;
		nap_ms(FOLLOW_POLL_MS);
	}
}

/* Nothing waits to be sent any more (--drain is done). */
static int drained(struct store *st, int *yes)
{
	struct store_stats s;
	int rc = store_stats(st, &s);

	*yes = rc == 0 && s.outbox == 0;
	return rc;
}

static int follow(struct store *st, struct outbox *ob, int64_t limit,
                  int64_t lease_ms, int drain)
{
	int empty = 0;
	struct sigaction sa = { 0 };
	int rc;

	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* This is the one sender: whatever an earlier one had out and did
	 * not settle goes out again. */
	if ((rc = store_outbox_reset(st)))
		return rc;
	store_changed(st);
	while (!stopping) {
		if ((rc = store_outbox(st, limit, lease_ms, notice, ob)))
			return ob->failed ? EXIT_DATA : rc;
		if (drain && ((rc = drained(st, &empty)) || empty))
			return rc;
		if ((rc = wait_for_news(st)))
			return rc;
	}
	return 0;
}

int cmd_outbox(int argc, char **argv, struct common *c)
{
	enum { LIMIT = OPT_FIRST_VERB_OPTION, TEMPLATE, PARSE_MODE, FOLLOW, LEASE,
	       DRAIN };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "limit", required_argument, NULL, LIMIT },
		{ "template", required_argument, NULL, TEMPLATE },
		{ "parse-mode", required_argument, NULL, PARSE_MODE },
		{ "follow", no_argument, NULL, FOLLOW },
		{ "drain", no_argument, NULL, DRAIN },
		{ "lease", required_argument, NULL, LEASE },
		{ 0 },
	};
	static const char *const envs[NKINDS] = {
		"PROMISE_TEMPLATE_DONE", "PROMISE_TEMPLATE_FAILED",
		"PROMISE_TEMPLATE_CANCELLED", "PROMISE_TEMPLATE_EXPIRED",
		"PROMISE_TEMPLATE_UNANSWERED",
	};
	struct outbox ob = { c, { NULL }, NULL, 0, 0 };
	int64_t limit = 0, lease_ms = 600000;
	struct store *st;
	const char *eq;
	int opt, rc, k, following = 0, drain = 0;

	for (k = 0; k < NKINDS; k++) {
		const char *e = getenv(envs[k]);
		ob.tmpl[k] = e && *e ? e : default_templates[k];
	}
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case LIMIT: limit = arg_int(c, "--limit", optarg, 1, INT64_MAX); break;
		case TEMPLATE:
			if (!(eq = strchr(optarg, '=')) ||
			    (k = kind_index(optarg, (size_t)(eq - optarg))) < 0)
				bad_usage(c, "--template: want KIND=TEXT, KIND one of "
				          "done failed cancelled expired unanswered");
			ob.tmpl[k] = eq + 1;
			break;
		case PARSE_MODE: ob.parse_mode = optarg; break;
		case FOLLOW: following = 1; break;
		case DRAIN: following = drain = 1; break;
		case LEASE: lease_ms = arg_duration(c, "--lease", optarg); break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (optind < argc)
		bad_usage(c, "unexpected argument '%s'", argv[optind]);
	st = open_store(c);
	rc = following ? follow(st, &ob, limit, lease_ms, drain) :
	                 store_outbox(st, limit, lease_ms, notice, &ob);
	close_store(st);
	if (ob.failed && !rc)
		rc = EXIT_DATA;
	if (rc || following)
		return rc;
	return ob.n ? 0 : EXIT_NONE;
}

/* A receipt line (notify(1)) as the store takes it. */
static int read_receipt(const cJSON *r, struct receipt *out)
{
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(r, "message_ids");
	int64_t secs = 0;

	memset(out, 0, sizeof *out);
	if (json_int64(r, "ref", &out->ref))
		return -1;
	out->ok = json_bool(r, "ok", 0);
	out->permanent = json_bool(r, "permanent", 0);
	out->error = json_str(r, "error");
	if (cJSON_IsArray(ids) && cJSON_GetArraySize(ids) > 0) {
		const cJSON *first = cJSON_GetArrayItem(ids, 0);
		if (cJSON_IsNumber(first))
			out->message_id = (int64_t)first->valuedouble;
	}
	if (json_int64(r, "retry_after", &secs) == 0 && secs > 0)
		out->retry_after_ms = secs * 1000;
	json_int64(r, "migrated_to_chat_id", &out->migrated_to);
	return 0;
}

int cmd_notified(int argc, char **argv, struct common *c)
{
	enum { STRICT = OPT_FIRST_VERB_OPTION };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "strict", no_argument, NULL, STRICT },
		{ 0 },
	};
	struct store *st;
	struct jsonl in;
	int opt, got, strict = 0, worst = 0;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		if (opt != STRICT)
			bad_usage(c, "unknown option");
		strict = 1;
	}
	if (optind < argc)
		bad_usage(c, "notified reads receipt lines from stdin, not arguments");
	st = open_store(c);
	jsonl_open(&in, 0, "<stdin>");
	/* One receipt, one transaction, as they come: a sender killed in
	 * the middle of a burst has every receipt before the kill kept. */
	while ((got = jsonl_getline(&in)) > 0) {
		cJSON *r = jsonl_parse(&in);
		struct receipt rec;
		int rc;

		if (r && read_receipt(r, &rec)) {
			warn("%s:%ld: no \"ref\" naming a notice", in.name, in.lineno);
			cJSON_Delete(r);
			r = NULL;
		}
		if (!r) {
			if (strict) {
				worst = EXIT_DATA;
				break;
			}
			continue;
		}
		rc = store_notified(st, &rec);
		cJSON_Delete(r);
		if (stream_status(&worst, rc))
			break;
	}
	if (got < 0 && !worst)
		worst = EXIT_DATA;
	jsonl_close(&in);
	close_store(st);
	return worst;
}
