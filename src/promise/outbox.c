/*
 * outbox.c - the follow-ups: outbox prints a notice for every ended
 * promise whose user has not been told; notified reads notify's receipts
 * and marks them delivered.  Marking happens only after delivery, so a
 * follow-up is sent at least once, and exactly once unless a crash falls
 * between the send and the mark.
 */
#include <stdlib.h>
#include <string.h>

#include "promise.h"

enum { REQUEST_MAX = 60, RESULT_MAX = 12000 };

static const char *const kinds[] = { "done", "failed", "cancelled", "expired" };
enum { NKINDS = 4 };

static const char *const default_templates[NKINDS] = {
	"Done: \"{request}\" (#{id})\n\n{result}",
	"Sorry, I could not finish \"{request}\" (#{id}): {error}",
	"Cancelled \"{request}\" (#{id}).",
	"I did not get to \"{request}\" (#{id}) in time. "
	"Please ask again if it still matters.",
};

struct outbox {
	const struct common *c;
	const char *tmpl[NKINDS];
	const char *parse_mode;
	int64_t n;
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
	case PS_EXPIRED: return 3;
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
		} else if (IS("kind")) {
			put(&b, kinds[kind_of(p)], strlen(kinds[kind_of(p)]));
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

static int notice(struct promise *p, void *arg)
{
	struct outbox *ob = arg;
	int k = kind_of(p);
	char *text = expand(ob->tmpl[k], p);
	int rc = 0;

	ob->n++;
	if (ob->c->json) {
		cJSON *o = cJSON_CreateObject();
		json_set_int64(o, "ref", p->id);
		json_set_str(o, "kind", kinds[k]);
		json_set_int64(o, "chat_id", p->chat_id);
		if (p->reply_to)
			json_set_int64(o, "reply_to", p->reply_to);
		else
			json_set_str(o, "reply_to", NULL);
		if (p->thread_id)
			json_set_int64(o, "thread_id", p->thread_id);
		else
			json_set_str(o, "thread_id", NULL);
		json_set_str(o, "text", text);
		if (ob->parse_mode)
			json_set_str(o, "parse_mode", ob->parse_mode);
		rc = jsonl_put(stdout, o) != 0;
		cJSON_Delete(o);
	} else {
		for (char *s = text; *s; s++)
			if (*s == '\n')
				*s = ' ';
		printf("%-6lld %-9s chat %lld: %s\n", (long long)p->id, kinds[k],
		       (long long)p->chat_id, text);
	}
	free(text);
	return rc;
}

int cmd_outbox(int argc, char **argv, struct common *c)
{
	enum { LIMIT = OPT_FIRST_VERB_OPTION, TEMPLATE, PARSE_MODE };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "limit", required_argument, NULL, LIMIT },
		{ "template", required_argument, NULL, TEMPLATE },
		{ "parse-mode", required_argument, NULL, PARSE_MODE },
		{ 0 },
	};
	static const char *const envs[NKINDS] = {
		"PROMISE_TEMPLATE_DONE", "PROMISE_TEMPLATE_FAILED",
		"PROMISE_TEMPLATE_CANCELLED", "PROMISE_TEMPLATE_EXPIRED",
	};
	struct outbox ob = { c, { NULL }, NULL, 0 };
	int64_t limit = 0;
	struct store *st;
	const char *eq;
	int opt, rc, k;

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
				          "done failed cancelled expired");
			ob.tmpl[k] = eq + 1;
			break;
		case PARSE_MODE: ob.parse_mode = optarg; break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (optind < argc)
		bad_usage(c, "unexpected argument '%s'", argv[optind]);
	st = open_store(c);
	rc = store_outbox(st, limit, notice, &ob);
	close_store(st);
	if (rc)
		return rc;
	return ob.n ? 0 : EXIT_NONE;
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
	jsonl_open(&in, stdin, "<stdin>");
	while ((got = jsonl_getline(&in)) > 0) {
		cJSON *r = jsonl_parse(&in);
		int64_t ref;
		int rc;

		if (r && json_int64(r, "ref", &ref)) {
			warn("%s:%ld: no \"ref\" naming a promise", in.name, in.lineno);
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
		rc = store_notified(st, ref, json_bool(r, "ok", 0),
		                    json_bool(r, "permanent", 0), json_str(r, "error"));
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
