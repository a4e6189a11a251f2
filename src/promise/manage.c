/*
 * manage.c - the verbs a person or the bot uses on promises that exist:
 * cancel, retry, accept, decline, list, show, stats, reap, gc.
 */
#include <stdlib.h>
#include <string.h>

#include "promise.h"

/* Options: only the common ones.  Returns the index of the first
 * operand. */
static int plain_options(int argc, char **argv, struct common *c)
{
	static const struct option opts[] = { COMMON_OPTIONS, { 0 } };
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (!common_option(c, opt))
			bad_usage(c, "unknown option");
	return optind;
}

/* cancel and retry take several ids; each is tried, the worst status
 * wins, and one refusal does not stop the others. */
static int each_id(int argc, char **argv, struct common *c,
                   int (*fn)(struct store *, int64_t, struct promise *))
{
	int first = plain_options(argc, argv, c), worst = 0;
	struct store *st;
	struct promise p;

	if (first >= argc)
		bad_usage(c, "give a promise id");
	for (int i = first; i < argc; i++)
		arg_id(c, argv[i]);
	st = open_store(c);
	promise_init(&p);
	for (int i = first; i < argc; i++) {
		int rc = fn(st, arg_id(c, argv[i]), &p);
		if (rc == 0)
			rc = put_promise(c, &p);
		promise_free(&p);
		if (rc && (!worst || rc == EXIT_DATA))
			worst = rc;
	}
	close_store(st);
	return worst;
}

int cmd_cancel(int argc, char **argv, struct common *c)
{
	return each_id(argc, argv, c, store_cancel);
}

int cmd_retry(int argc, char **argv, struct common *c)
{
	return each_id(argc, argv, c, store_retry);
}

static int offer_cmd(int argc, char **argv, struct common *c, int yes)
{
	enum { CHAT = OPT_FIRST_VERB_OPTION };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "chat", required_argument, NULL, CHAT },
		{ 0 },
	};
	int64_t id = 0, chat = 0;
	int opt, rc, have_chat = 0;
	struct store *st;
	struct promise p;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		if (opt != CHAT)
			bad_usage(c, "unknown option");
		chat = arg_int(c, "--chat", optarg, INT64_MIN, INT64_MAX);
		have_chat = 1;
	}
	if (have_chat == (optind < argc) || argc - optind > 1)
		bad_usage(c, "give one promise id or --chat ID");
	if (!have_chat)
		id = arg_id(c, argv[optind]);
	st = open_store(c);
	promise_init(&p);
	if ((rc = store_accept(st, id, chat, yes, &p)) == 0)
		rc = put_promise(c, &p);
	promise_free(&p);
	close_store(st);
	return rc;
}

int cmd_accept(int argc, char **argv, struct common *c)
{
	return offer_cmd(argc, argv, c, 1);
}

int cmd_decline(int argc, char **argv, struct common *c)
{
	return offer_cmd(argc, argv, c, 0);
}

/* The answer to a waiting promise's question, from a shell. */
int cmd_answer(int argc, char **argv, struct common *c)
{
	int first = plain_options(argc, argv, c), rc;
	struct store *st;
	struct promise p;
	int64_t id;

	if (argc - first != 2)
		bad_usage(c, "give a promise id and the answer");
	id = arg_id(c, argv[first]);
	if (!utf8_valid(argv[first + 1], strlen(argv[first + 1])))
		bad_usage(c, "the answer is not UTF-8");
	st = open_store(c);
	promise_init(&p);
	if ((rc = store_answer(st, id, argv[first + 1], &p)) == 0)
		rc = put_promise(c, &p);
	promise_free(&p);
	close_store(st);
	return rc;
}

int cmd_meta(int argc, char **argv, struct common *c)
{
	int first = plain_options(argc, argv, c), rc;
	struct store *st;
	struct promise p;
	cJSON *patch;
	int64_t id;
	char *text;

	if (argc - first != 2)
		bad_usage(c, "give a promise id and a JSON object");
	id = arg_id(c, argv[first]);
	patch = cJSON_Parse(argv[first + 1]);
	if (!cJSON_IsObject(patch))
		bad_usage(c, "'%s' is not a JSON object", argv[first + 1]);
	text = cJSON_PrintUnformatted(patch);
	cJSON_Delete(patch);
	st = open_store(c);
	promise_init(&p);
	if ((rc = store_meta(st, id, text, &p)) == 0)
		rc = put_promise(c, &p);
	promise_free(&p);
	close_store(st);
	free(text);
	return rc;
}

static int list_one(struct promise *p, void *arg)
{
	return put_promise(arg, p) != 0;
}

int cmd_list(int argc, char **argv, struct common *c)
{
	enum { CHAT = OPT_FIRST_VERB_OPTION, STATUS, TYPE, LIMIT };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "chat", required_argument, NULL, CHAT },
		{ "status", required_argument, NULL, STATUS },
		{ "type", required_argument, NULL, TYPE },
		{ "limit", required_argument, NULL, LIMIT },
		{ 0 },
	};
	struct list_filter f = { 0, 0, NULL, 0 };
	struct store *st;
	char **names;
	int opt, n, rc;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case CHAT: f.chat_id = arg_int(c, "--chat", optarg, INT64_MIN, INT64_MAX); break;
		case STATUS:
			names = split_commas(optarg, &n);
			for (int i = 0; i < n; i++) {
				int s = pstatus_parse(names[i]);
				if (s < 0)
					bad_usage(c, "--status: no status '%s' (offered pending "
					          "running done failed cancelled expired)", names[i]);
				f.statuses |= 1u << s;
			}
			free(names);
			break;
		case TYPE: f.task_type = optarg; break;
		case LIMIT: f.limit = arg_int(c, "--limit", optarg, 1, INT64_MAX); break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (optind < argc)
		bad_usage(c, "unexpected argument '%s'", argv[optind]);
	st = open_store(c);
	rc = store_list(st, &f, list_one, c);
	close_store(st);
	return rc;
}

/* ---- show ---- */

static int attempt_json(const struct attempt *a, void *arg)
{
	cJSON *o = cJSON_CreateObject();

	json_set_int64(o, "attempt", a->n);
	json_set_str(o, "worker", a->worker);
	json_set_time(o, "started_at", a->started_at);
	json_set_time(o, "ended_at", a->ended_at);
	json_set_str(o, "outcome", a->outcome);
	json_set_str(o, "error", a->error);
	cJSON_AddItemToArray(arg, o);
	return 0;
}

static int attempt_line(const struct attempt *a, void *arg)
{
	char t1[32], t2[32];

	(void)arg;
	printf("attempt %d: %s  %s .. %s  %s%s%s\n", a->n,
	       a->worker ? a->worker : "-", fmt_time(a->started_at, t1),
	       a->ended_at ? fmt_time(a->ended_at, t2) : "(running)",
	       a->outcome ? a->outcome : "", a->error ? ": " : "",
	       a->error ? a->error : "");
	return 0;
}

static const char *const nstate_names[] = { "waiting", "sent", "gave up", "dropped" };

static const char *nstate_name(int state)
{
	return state >= 0 && state <= NS_DROPPED ? nstate_names[state] : "?";
}

static int notice_json(const struct notice *n, void *arg)
{
	cJSON *o = cJSON_CreateObject();

	json_set_int64(o, "ref", n->id);
	json_set_str(o, "kind", n->kind);
	json_set_str(o, "state", nstate_name(n->state));
	json_set_int64(o, "tries", n->tries);
	json_set_time(o, "created_at", n->created_at);
	json_set_time(o, "sent_at", n->sent_at);
	if (n->message_id)
		json_set_int64(o, "message_id", n->message_id);
	json_set_str(o, "error", n->error);
	cJSON_AddItemToArray(arg, o);
	return 0;
}

/* A notice refused for good says why, here and nowhere else. */
static int notice_line(const struct notice *n, void *arg)
{
	char t[32];

	(void)arg;
	printf("notice %lld: %s %s%s%s%s%s\n", (long long)n->id, n->kind,
	       nstate_name(n->state), n->sent_at ? " " : "",
	       n->sent_at ? fmt_time(n->sent_at, t) : "", n->error ? ": " : "",
	       n->error ? n->error : "");
	return 0;
}

static void field(const char *name, const char *value)
{
	if (value && *value)
		printf("%-13s %s\n", name, value);
}

static void field_id(const char *name, int64_t v)
{
	char buf[24];

	if (v) {
		snprintf(buf, sizeof buf, "%lld", (long long)v);
		field(name, buf);
	}
}

static void field_time(const char *name, int64_t ms)
{
	char buf[32];

	if (ms)
		field(name, fmt_time(ms, buf));
}

static void show_text(const struct promise *p)
{
	char buf[64];

	field_id("id:", p->id);
	field("status:", pstatus_name(p->status));
	field("text:", p->text);
	field("type:", p->task_type);
	snprintf(buf, sizeof buf, "%d", p->priority);
	field("priority:", buf);
	field_id("chat:", p->chat_id);
	field_id("reply-to:", p->reply_to);
	field_id("thread:", p->thread_id);
	field_id("user:", p->user_id);
	field("username:", p->username);
	field("key:", p->key);
	for (int i = 0; i < p->nafter; i++)
		field_id("after:", p->after[i]);
	snprintf(buf, sizeof buf, "%d of %d", p->attempt, p->max_attempts);
	field("attempts:", buf);
	if (p->timeout_ms)
		field("timeout:", fmt_duration(p->timeout_ms, buf));
	field_time("created:", p->created_at);
	if (p->not_before != p->created_at)
		field_time("not-before:", p->not_before);
	field_time("expires:", p->expires_at);
	field_time("started:", p->started_at);
	field_time("finished:", p->finished_at);
	field("worker:", p->status == PS_RUNNING ? p->worker : NULL);
	field_time("lease-until:", p->lease_expires_at);
	if (p->progress >= 0) {
		snprintf(buf, sizeof buf, "%d%%", p->progress);
		field("progress:", buf);
	}
	field("note:", p->progress_note);
	field("cancel:", p->cancel_requested ? "requested" : NULL);
	field("meta:", p->meta);
	field("question:", p->question);
	field("answers:", p->answers);
	field("result:", p->result);
	field("error:", p->error);
	field("user-error:", p->user_error);
	field("follow-up:", p->notify == NOTIFY_PENDING ? "to send" :
	      p->notify == NOTIFY_SENT ? "delivered" :
	      p->notify == NOTIFY_GAVEUP ? "undeliverable" : NULL);
}

int cmd_show(int argc, char **argv, struct common *c)
{
	int first = plain_options(argc, argv, c), rc;
	struct store *st;
	struct promise p;
	int64_t id;

	if (argc - first != 1)
		bad_usage(c, "give one promise id");
	id = arg_id(c, argv[first]);
	st = open_store(c);
	promise_init(&p);
	if ((rc = store_get(st, id, &p)) == 0) {
		if (c->json) {
			cJSON *o = promise_json(&p);
			cJSON *a = cJSON_AddArrayToObject(o, "attempts");
			cJSON *n = cJSON_AddArrayToObject(o, "notices");
			if ((rc = store_attempts(st, id, attempt_json, a)) == 0 &&
			    (rc = store_notices(st, id, notice_json, n)) == 0 &&
			    jsonl_put(stdout, o))
				rc = EXIT_DATA;
			cJSON_Delete(o);
		} else {
			show_text(&p);
			if ((rc = store_attempts(st, id, attempt_line, NULL)) == 0)
				rc = store_notices(st, id, notice_line, NULL);
		}
	}
	promise_free(&p);
	close_store(st);
	return rc;
}

int cmd_stats(int argc, char **argv, struct common *c)
{
	int first = plain_options(argc, argv, c), rc;
	struct store_stats s;
	struct store *st;
	char b1[32], b2[32], b3[32];

	if (first < argc)
		bad_usage(c, "unexpected argument '%s'", argv[first]);
	st = open_store(c);
	rc = store_stats(st, &s);
	close_store(st);
	if (rc)
		return rc;
	if (c->json) {
		cJSON *o = cJSON_CreateObject();
		for (int i = 0; i < PS_COUNT; i++)
			json_set_int64(o, pstatus_name(i), s.count[i]);
		json_set_int64(o, "oldest_due_ms", s.oldest_due_ms);
		json_set_int64(o, "median_wait_ms", s.median_wait_ms);
		json_set_int64(o, "median_run_ms", s.median_run_ms);
		json_set_int64(o, "outbox", s.outbox);
		rc = jsonl_put(stdout, o) ? EXIT_DATA : 0;
		cJSON_Delete(o);
		return rc;
	}
	for (int i = 0; i < PS_COUNT; i++)
		printf("%-12s %lld\n", pstatus_name(i), (long long)s.count[i]);
	printf("%-12s %lld\n", "outbox", (long long)s.outbox);
	printf("%-12s %s\n", "oldest-due", s.oldest_due_ms < 0 ? "-" : fmt_duration(s.oldest_due_ms, b1));
	printf("%-12s %s\n", "median-wait", s.median_wait_ms < 0 ? "-" : fmt_duration(s.median_wait_ms, b2));
	printf("%-12s %s\n", "median-run", s.median_run_ms < 0 ? "-" : fmt_duration(s.median_run_ms, b3));
	return 0;
}

int cmd_reap(int argc, char **argv, struct common *c)
{
	enum { BACKOFF = OPT_FIRST_VERB_OPTION };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "backoff", required_argument, NULL, BACKOFF },
		{ 0 },
	};
	int64_t leases, expired;
	struct store *st;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		if (opt != BACKOFF)
			bad_usage(c, "unknown option");
		backoff_base(optarg);
	}
	if (optind < argc)
		bad_usage(c, "unexpected argument '%s'", argv[optind]);
	st = open_store(c);
	rc = store_reap(st, &leases, &expired);
	close_store(st);
	if (rc)
		return rc;
	if (c->json) {
		cJSON *o = cJSON_CreateObject();
		json_set_int64(o, "leases", leases);
		json_set_int64(o, "expired", expired);
		rc = jsonl_put(stdout, o) ? EXIT_DATA : 0;
		cJSON_Delete(o);
		return rc;
	}
	printf("%lld leases freed, %lld promises expired\n", (long long)leases,
	       (long long)expired);
	return 0;
}

int cmd_gc(int argc, char **argv, struct common *c)
{
	enum { OLDER = OPT_FIRST_VERB_OPTION };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "older-than", required_argument, NULL, OLDER },
		{ 0 },
	};
	int64_t age = 30 * 86400000LL, deleted;
	struct store *st;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		if (opt != OLDER)
			bad_usage(c, "unknown option");
		age = arg_duration(c, "--older-than", optarg);
	}
	if (optind < argc)
		bad_usage(c, "unexpected argument '%s'", argv[optind]);
	st = open_store(c);
	rc = store_gc(st, age, &deleted);
	close_store(st);
	if (rc)
		return rc;
	if (c->json) {
		cJSON *o = cJSON_CreateObject();
		json_set_int64(o, "deleted", deleted);
		rc = jsonl_put(stdout, o) ? EXIT_DATA : 0;
		cJSON_Delete(o);
		return rc;
	}
	printf("%lld promises deleted\n", (long long)deleted);
	return 0;
}
