/*
 * reply.c - promise reply: the answer stage's way back in.  An answer to
 * a message becomes a notice; when the answer promises later work
 * (classify --reply said "promised"), the promise is recorded with it, in
 * the same transaction, and if it cannot be (the chat's limit), the
 * answer says so instead of promising what will not be kept.
 *
 *   promise reply --chat ID [--reply-to MSG] [--thread ID] TEXT...
 *   ... | classify --reply | promise reply --jsonl [--cursor FILE]
 *
 * With --jsonl, lines that route acted on ("routed") pass without a
 * word; every line read is counted in --cursor's file once handled, so
 * that tgpromise(1) resumes its journal after the last line handled.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "promise.h"

enum { TEXT_MAX = 4096 };

static const char cannot_keep[] =
	"\n\n(I cannot take on more work in this chat right now, so I will not "
	"be able to get back to you on this. Please ask again later.)";

/* The count of handled lines, in place: one write of a fixed-size record,
 * which a kill cannot tear (tgpoll keeps its offset the same way). */
struct cursor {
	int fd;
	long long n;
};

static void cursor_open(struct cursor *cur, const char *path)
{
	char buf[32] = "";
	ssize_t got;

	cur->fd = -1;
	cur->n = 0;
	if (!path)
		return;
	if ((cur->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		die(EXIT_DATA, "%s:", path);
	if ((got = pread(cur->fd, buf, sizeof buf - 1, 0)) < 0)
		die(EXIT_DATA, "%s:", path);
	buf[got] = '\0';
	cur->n = atoll(buf);
}

static int cursor_step(struct cursor *cur, const char *path)
{
	char rec[24];

	if (cur->fd < 0)
		return 0;
	snprintf(rec, sizeof rec, "%-20lld\n", ++cur->n);
	if (pwrite(cur->fd, rec, 21, 0) != 21) {
		warn("%s:", path);
		return EXIT_DATA;
	}
	return 0;
}

/* The promise an answer made, keyed by its update so it is made once. */
static int keep_promise(struct store *st, const struct jsonl *in,
                        const cJSON *o, const struct add_cfg *cfg, int *kept)
{
	struct promise p;
	const char *request = json_str(o, "request");
	int64_t update;
	char key[48];
	int dup, rc;

	*kept = 0;
	promise_init(&p);
	if (promise_from_line(in, o, &p, cfg, now_ms())) {
		promise_free(&p);
		return 0;
	}
	if (request && *request) {
		free(p.text);
		p.text = xstrdup(request);
	}
	if (json_int64(o, "update_id", &update) == 0) {
		snprintf(key, sizeof key, "promised:%lld", (long long)update);
		free(p.key);
		p.key = xstrdup(key);
	}
	p.status = PS_PENDING;
	rc = store_add(st, &p, &cfg->lim, &dup);
	*kept = rc == 0;
	promise_free(&p);
	return rc == EXIT_LIMIT ? 0 : rc;
}

static int answer(struct store *st, const struct jsonl *in, const cJSON *o,
                  const struct add_cfg *cfg)
{
	struct asker m = { 0 };
	const char *text = json_str(o, "text");
	char key[48] = "", said[TEXT_MAX + sizeof cannot_keep];
	int64_t update;
	int kept = 1, rc;

	if (json_int64(o, "chat_id", &m.chat_id) || !m.chat_id || !text || !*text) {
		warn("%s:%ld: an answer needs \"chat_id\" and \"text\"", in->name,
		     in->lineno);
		return EXIT_NONE;
	}
	json_int64(o, "message_id", &m.message_id);
	json_int64(o, "thread_id", &m.thread_id);
	json_int64(o, "user_id", &m.user_id);
	snprintf(said, TEXT_MAX, "%s", text);
	said[utf8_clip(said, strlen(said))] = '\0';
	if (json_bool(o, "promised", 0) && (rc = keep_promise(st, in, o, cfg, &kept)))
		return rc;
	if (!kept)
		strcat(said, cannot_keep);
	if (json_int64(o, "update_id", &update) == 0)
		snprintf(key, sizeof key, "answer:%lld", (long long)update);
	return say(st, &m, "answer", 0, *key ? key : NULL, said);
}

static int reply_line(struct store *st, const struct jsonl *in, const cJSON *o,
                      const struct add_cfg *cfg)
{
	int rc, committed;

	if (cJSON_GetObjectItemCaseSensitive(o, "routed"))
		return 0;
	if ((rc = store_batch_begin(st)))
		return rc;
	rc = answer(st, in, o, cfg);
	committed = store_batch_end(st, rc == 0);
	return rc ? rc : committed;
}

static int reply_jsonl(struct common *c, const struct add_cfg *cfg,
                       const char *cursor_path)
{
	struct store *st = open_store(c);
	struct cursor cur;
	struct jsonl in;
	int got, worst = 0;

	cursor_open(&cur, cursor_path);
	jsonl_open(&in, 0, "<stdin>");
	while ((got = jsonl_getline(&in)) > 0) {
		cJSON *o = jsonl_parse(&in);
		int rc = o ? reply_line(st, &in, o, cfg) : cfg->strict ? EXIT_DATA : 0;

		cJSON_Delete(o);
		if (rc == EXIT_NONE && cfg->strict)
			rc = EXIT_DATA;
		if (stream_status(&worst, rc))
			break;          /* not counted: routed again on restart */
		if ((rc = cursor_step(&cur, cursor_path)) && stream_status(&worst, rc))
			break;
	}
	if (got < 0 && !worst)
		worst = EXIT_DATA;
	jsonl_close(&in);
	close_store(st);
	if (cur.fd >= 0)
		close(cur.fd);
	return worst;
}

int cmd_reply(int argc, char **argv, struct common *c)
{
	enum { CHAT = OPT_FIRST_VERB_OPTION, REPLY, THREAD, KEY, JSONL, STRICT,
	       CURSOR };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "chat", required_argument, NULL, CHAT },
		{ "reply-to", required_argument, NULL, REPLY },
		{ "thread", required_argument, NULL, THREAD },
		{ "key", required_argument, NULL, KEY },
		{ "jsonl", no_argument, NULL, JSONL },
		{ "strict", no_argument, NULL, STRICT },
		{ "cursor", required_argument, NULL, CURSOR },
		{ 0 },
	};
	struct asker m = { 0 };
	struct add_cfg cfg;
	struct promise defaults;
	const char *key = NULL, *cursor = NULL;
	int opt, jsonl = 0, rc;

	add_defaults(&cfg);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case CHAT: m.chat_id = arg_int(c, "--chat", optarg, INT64_MIN, INT64_MAX); break;
		case REPLY: m.message_id = arg_int(c, "--reply-to", optarg, 1, INT64_MAX); break;
		case THREAD: m.thread_id = arg_int(c, "--thread", optarg, 1, INT64_MAX); break;
		case KEY: key = optarg; break;
		case JSONL: jsonl = 1; break;
		case STRICT: cfg.strict = 1; break;
		case CURSOR: cursor = optarg; break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (jsonl) {
		if (optind < argc || m.chat_id || m.message_id || m.thread_id || key)
			bad_usage(c, "with --jsonl, the chat and the text come from each line");
		promise_init(&defaults);
		cfg.defaults = &defaults;
		rc = reply_jsonl(c, &cfg, cursor);
		promise_free(&defaults);
		return rc;
	}
	if (cursor)
		bad_usage(c, "--cursor counts --jsonl lines");
	if (!m.chat_id)
		bad_usage(c, "--chat is required");
	if (optind >= argc)
		bad_usage(c, "no text to send");
	{
		struct store *st = open_store(c);
		char *text = NULL;
		size_t n = 1;

		for (int i = optind; i < argc; i++)
			n += strlen(argv[i]) + 1;
		text = xmalloc(n);
		*text = '\0';
		for (int i = optind; i < argc; i++)
			strcat(strcat(text, i > optind ? " " : ""), argv[i]);
		rc = say(st, &m, "answer", 0, key, text);
		free(text);
		close_store(st);
	}
	return rc;
}
