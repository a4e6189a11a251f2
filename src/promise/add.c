/*
 * add.c - promise add: one promise from the command line, or one per
 * JSON line (--jsonl) from tgpoll, classify or a script.
 *
 * --jsonl stores lines in batches, one transaction per batch, and writes a
 * line's output only after its batch has committed: what add reported is
 * on disk.  A batch ends when input pauses, so a slow stream (tgpoll) is
 * stored line by line while a file goes in at full speed.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "promise.h"

enum { BATCH_MAX = 2000 };

/* Defaults that the environment may change; flags change them again. */
void add_defaults(struct add_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->lim.max_open_per_chat = env_int("PROMISE_MAX_OPEN", 50);
	cfg->expires_ms = env_duration("PROMISE_EXPIRES", 86400000);
}

static void set_after(struct promise *p, const int64_t *ids, int n)
{
	p->after = xrealloc(p->after, (size_t)(n ? n : 1) * sizeof *p->after);
	memcpy(p->after, ids, (size_t)n * sizeof *ids);
	p->nafter = n;
}

/* ---- one promise from the command line ---- */

static char *join_words(int argc, char **argv)
{
	size_t n = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = xmalloc(n);
	*s = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static void parse_after(const struct common *c, struct promise *p, char *list)
{
	int n;
	char **v = split_commas(list, &n);
	int64_t *ids = xmalloc((size_t)(n ? n : 1) * sizeof *ids);

	for (int i = 0; i < n; i++)
		ids[i] = arg_id(c, v[i]);
	set_after(p, ids, n);
	free(ids);
	free(v);
}

/* The promise and its acknowledgement, in one transaction. */
static int add_acked(struct store *st, struct promise *p,
                     const struct add_cfg *cfg, int *dup)
{
	int rc = store_add(st, p, &cfg->lim, dup);

	return rc == 0 && cfg->ack && p->status == PS_PENDING ? say_ack(st, p) : rc;
}

static int add_one(struct common *c, struct promise *p, const struct add_cfg *cfg)
{
	struct store *st = open_store(c);
	int dup, rc = store_batch_begin(st);

	if (rc == 0) {
		int committed;

		rc = add_acked(st, p, cfg, &dup);
		committed = store_batch_end(st, rc == 0);
		if (rc == 0)
			rc = committed;
	}

	if (rc == 0) {
		if (c->json) {
			cJSON *o = promise_json(p);
			if (dup)
				json_set_bool(o, "duplicate", 1);
			rc = jsonl_put(stdout, o) ? EXIT_DATA : 0;
			cJSON_Delete(o);
		} else {
			printf("%lld\n", (long long)p->id);
		}
	}
	close_store(st);
	return rc;
}

/* ---- --jsonl ---- */

/* An optional id: absent or null leaves *dst; anything else must be an
 * integer.  0 ok, -1 bad. */
static int opt_id(const cJSON *o, const char *field, int64_t *dst)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, field);

	if (!it || cJSON_IsNull(it))
		return 0;
	return json_int64(o, field, dst);
}

/* Reads a line's fields into p: 0, or -1 with the reason on stderr. */
int promise_from_line(const struct jsonl *in, const cJSON *o, struct promise *p,
                      const struct add_cfg *cfg, int64_t now)
{
	/* Options given with --jsonl are defaults that a line overrides. */
	const struct promise *d = cfg->defaults;

	p->status = d->status;
	p->priority = d->priority;
	p->max_attempts = d->max_attempts;
	p->timeout_ms = d->timeout_ms;
	if (d->task_type)
		p->task_type = xstrdup(d->task_type);
	const char *text = json_str(o, "text"), *s;
	const cJSON *it;
	int64_t v, update;
	char key[40];

#define BAD(...) do { warn("%s:%ld: %s", in->name, in->lineno, __VA_ARGS__); \
	return -1; } while (0)
	if (!text || !*text)
		BAD("no \"text\" to promise");
	p->text = xstrdup(text);
	if (opt_id(o, "chat_id", &p->chat_id))
		BAD("\"chat_id\" is not an integer");
	if (opt_id(o, "user_id", &p->user_id))
		BAD("\"user_id\" is not an integer");
	if (opt_id(o, "message_id", &p->reply_to) || opt_id(o, "reply_to", &p->reply_to))
		BAD("\"message_id\" is not an integer");
	if (opt_id(o, "thread_id", &p->thread_id))
		BAD("\"thread_id\" is not an integer");
	if ((s = json_str(o, "username")))
		p->username = xstrdup(s);
	if ((s = json_str(o, "task_type"))) {
		free(p->task_type);
		p->task_type = xstrdup(s);
	}
	it = cJSON_GetObjectItemCaseSensitive(o, "priority");
	if (it && !cJSON_IsNull(it)) {
		if (json_int64(o, "priority", &v) || v < 1 || v > 10)
			BAD("\"priority\" is not from 1 to 10");
		p->priority = (int)v;
	}
	if ((s = json_str(o, "key"))) {
		p->key = xstrdup(s);
	} else if (json_int64(o, "update_id", &update) == 0) {
		snprintf(key, sizeof key, "update:%lld", (long long)update);
		p->key = xstrdup(key);
	}
	/* timeout: seconds as a number, or a duration string */
	it = cJSON_GetObjectItemCaseSensitive(o, "timeout");
	if (cJSON_IsNumber(it) && it->valuedouble >= 0 && it->valuedouble < 1e12)
		p->timeout_ms = (int64_t)(it->valuedouble * 1000);
	else if (cJSON_IsString(it) && parse_duration(it->valuestring, &v) == 0)
		p->timeout_ms = v;
	else if (it && !cJSON_IsNull(it))
		BAD("\"timeout\" is not a duration");
	it = cJSON_GetObjectItemCaseSensitive(o, "retries");
	if (it && !cJSON_IsNull(it)) {
		if (json_int64(o, "retries", &v) || v < 0 || v > 1000)
			BAD("\"retries\" is not from 0 to 1000");
		p->max_attempts = (int)v + 1;
	}
	it = cJSON_GetObjectItemCaseSensitive(o, "meta");
	if (it && !cJSON_IsNull(it))
		p->meta = cJSON_PrintUnformatted(it);
	it = cJSON_GetObjectItemCaseSensitive(o, "after");
	if (cJSON_IsArray(it)) {
		int n = cJSON_GetArraySize(it), k = 0;
		int64_t *ids = xmalloc((size_t)(n ? n : 1) * sizeof *ids);
		const cJSON *e;
		cJSON_ArrayForEach(e, it) {
			if (!cJSON_IsNumber(e) || e->valuedouble < 1) {
				free(ids);
				BAD("\"after\" is not a list of promise ids");
			}
			ids[k++] = (int64_t)e->valuedouble;
		}
		set_after(p, ids, k);
		free(ids);
	} else if (it && !cJSON_IsNull(it)) {
		BAD("\"after\" is not a list of promise ids");
	}
	if (json_bool(o, "offer", p->status == PS_OFFERED))
		p->status = PS_OFFERED;
	else
		p->status = PS_PENDING;
	p->created_at = p->not_before = now;
	if (cfg->expires_ms)
		p->expires_at = now + cfg->expires_ms;
	return 0;
#undef BAD
}

/* Output held back until its batch commits, already printed: a batch of
 * small trees would cost more to keep and free than its text. */
struct pending_out {
	char *line[BATCH_MAX];
	int n;
};

static void hold(struct pending_out *po, cJSON *o)
{
	if (!(po->line[po->n++] = cJSON_PrintUnformatted(o)))
		die(EXIT_DATA, "out of memory");
	cJSON_Delete(o);
}

static int flush_batch(struct store *st, struct pending_out *po)
{
	int rc = store_batch_end(st, 1);

	for (int i = 0; i < po->n; i++) {
		if (rc == 0 && (fputs(po->line[i], stdout) == EOF ||
		                putchar('\n') == EOF))
			rc = EXIT_DATA;
		free(po->line[i]);
	}
	po->n = 0;
	if (rc == 0 && fflush(stdout) == EOF)
		rc = EXIT_DATA;
	return rc;
}

/* True when reading the next line could block: time to commit first. */
static int input_paused(FILE *f)
{
	struct pollfd pfd = { fileno(f), POLLIN, 0 };

	return poll(&pfd, 1, 0) == 0;
}

static int add_jsonl(struct common *c, const struct add_cfg *cfg)
{
	static struct pending_out po;
	struct store *st = open_store(c);
	struct jsonl in;
	struct promise p;
	char where[80];
	int rc = 0, worst = 0, got, open = 0;

	jsonl_open(&in, 0, "<stdin>");
	promise_init(&p);
	while ((got = jsonl_getline(&in)) > 0) {
		cJSON *o = jsonl_parse(&in);
		int dup, r;

		if (!o || (promise_init(&p), promise_from_line(&in, o, &p, cfg, now_ms()))) {
			cJSON_Delete(o);
			promise_free(&p);
			if (cfg->strict) {
				worst = EXIT_DATA;
				break;
			}
			continue;
		}
		if (!open && (rc = store_batch_begin(st)))
			break;
		open = 1;
		snprintf(where, sizeof where, "%s:%ld: not added", in.name, in.lineno);
		store_set_context(st, where);
		r = add_acked(st, &p, cfg, &dup);
		store_set_context(st, NULL);
		if (r == 0) {
			/* The line passes through; the promise's fields win. */
			merge_promise(o, &p);
			if (dup)
				json_set_bool(o, "duplicate", 1);
			hold(&po, o);
		} else {
			cJSON_Delete(o);
			if (r == EXIT_DATA || r == EXIT_TEMPFAIL) {
				rc = r;
				break;
			}
			if (!worst)
				worst = r;
		}
		promise_free(&p);
		if (po.n == BATCH_MAX || input_paused(stdin)) {
			open = 0;
			if ((rc = flush_batch(st, &po)))
				break;
		}
	}
	if (open) {
		if (rc)
			store_batch_end(st, 0);
		else
			rc = flush_batch(st, &po);
	}
	for (int i = 0; i < po.n; i++)
		free(po.line[i]);
	promise_free(&p);
	jsonl_close(&in);
	close_store(st);
	if (got < 0 && !rc)
		rc = EXIT_DATA;
	return rc ? rc : worst;
}

int cmd_add(int argc, char **argv, struct common *c)
{
	enum { CHAT = OPT_FIRST_VERB_OPTION, REPLY, USER, USERNAME, THREAD, TYPE,
	       PRIO, KEY, AFTER, DELAY, AT, TIMEOUT, RETRIES, EXPIRES, META,
	       OFFER, JSONL, STRICT, MAXOPEN, ACK };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "chat", required_argument, NULL, CHAT },
		{ "reply-to", required_argument, NULL, REPLY },
		{ "user", required_argument, NULL, USER },
		{ "username", required_argument, NULL, USERNAME },
		{ "thread", required_argument, NULL, THREAD },
		{ "type", required_argument, NULL, TYPE },
		{ "priority", required_argument, NULL, PRIO },
		{ "key", required_argument, NULL, KEY },
		{ "after", required_argument, NULL, AFTER },
		{ "delay", required_argument, NULL, DELAY },
		{ "at", required_argument, NULL, AT },
		{ "timeout", required_argument, NULL, TIMEOUT },
		{ "retries", required_argument, NULL, RETRIES },
		{ "expires", required_argument, NULL, EXPIRES },
		{ "meta", required_argument, NULL, META },
		{ "offer", no_argument, NULL, OFFER },
		{ "jsonl", no_argument, NULL, JSONL },
		{ "strict", no_argument, NULL, STRICT },
		{ "max-open", required_argument, NULL, MAXOPEN },
		{ "ack", no_argument, NULL, ACK },
		{ 0 },
	};
	struct add_cfg cfg;
	struct promise p;
	int64_t now = now_ms(), delay = -1, at = -1;
	int opt, jsonl = 0, rc;
	cJSON *meta;

	add_defaults(&cfg);
	promise_init(&p);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case CHAT: p.chat_id = arg_int(c, "--chat", optarg, INT64_MIN, INT64_MAX); break;
		case REPLY: p.reply_to = arg_int(c, "--reply-to", optarg, 1, INT64_MAX); break;
		case USER: p.user_id = arg_int(c, "--user", optarg, 1, INT64_MAX); break;
		case USERNAME: free(p.username); p.username = xstrdup(optarg); break;
		case THREAD: p.thread_id = arg_int(c, "--thread", optarg, 1, INT64_MAX); break;
		case TYPE: free(p.task_type); p.task_type = xstrdup(optarg); break;
		case PRIO: p.priority = (int)arg_int(c, "--priority", optarg, 1, 10); break;
		case KEY: free(p.key); p.key = xstrdup(optarg); break;
		case AFTER: parse_after(c, &p, optarg); break;
		case DELAY: delay = arg_duration(c, "--delay", optarg); break;
		case AT:
			if (parse_time(optarg, &at))
				bad_usage(c, "--at: '%s' is not a time", optarg);
			break;
		case TIMEOUT: p.timeout_ms = arg_duration(c, "--timeout", optarg); break;
		case RETRIES: p.max_attempts = 1 + (int)arg_int(c, "--retries", optarg, 0, 1000); break;
		case EXPIRES: cfg.expires_ms = arg_duration(c, "--expires", optarg); break;
		case META:
			if (!(meta = cJSON_Parse(optarg)))
				bad_usage(c, "--meta: not valid JSON");
			free(p.meta);
			p.meta = cJSON_PrintUnformatted(meta);
			cJSON_Delete(meta);
			break;
		case OFFER: p.status = PS_OFFERED; break;
		case JSONL: jsonl = 1; break;
		case STRICT: cfg.strict = 1; break;
		case ACK: cfg.ack = 1; break;
		case MAXOPEN: cfg.lim.max_open_per_chat = arg_int(c, "--max-open", optarg, 0, INT64_MAX); break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (delay >= 0 && at >= 0)
		bad_usage(c, "--delay and --at cannot both be given");
	if (jsonl) {
		if (optind < argc)
			bad_usage(c, "--jsonl reads its promises from stdin, not arguments");
		if (p.chat_id || p.reply_to || p.user_id || p.username ||
		    p.thread_id || p.key || p.nafter || p.meta || delay >= 0 || at >= 0)
			bad_usage(c, "with --jsonl, ids, --key, --after, --meta and "
			          "times come from each line");
		cfg.defaults = &p;
		rc = add_jsonl(c, &cfg);
		promise_free(&p);
		return rc;
	}
	if (optind >= argc)
		bad_usage(c, "no text to promise");
	p.text = join_words(argc - optind, argv + optind);
	if (!*p.text)
		bad_usage(c, "no text to promise");
	p.created_at = now;
	p.not_before = at >= 0 ? at : delay >= 0 ? now + delay : now;
	if (cfg.expires_ms)
		p.expires_at = (p.not_before > now ? p.not_before : now) + cfg.expires_ms;
	rc = add_one(c, &p, &cfg);
	promise_free(&p);
	return rc;
}
