/*
 * route.c - promise route: the bot's dispatch, one long-lived process
 * over classify's lines (promise(1), tgpromise(7)):
 *
 *   tgpoll | classify | promise route | ANSWER | classify --reply |
 *   promise reply --jsonl
 *
 * For each message, what it asks of the store and the reply to it, in one
 * transaction, so that a crash leaves both or neither:
 *
 *   a task to detach     the promise and its acknowledgement (with
 *                        --offers, a free-text one is offered first)
 *   yes / no             the asker's latest offer accepted or declined
 *   status, /jobs        the asker's open promises, or how #N stands
 *   cancel, /cancel N    #N, or the asker's latest open promise
 *   /retry N             #N again, once more
 *   /start, /help, ...   what the bot does
 *
 * Every line goes on to standard output, the ones acted on marked with
 * "routed"; the rest (chat, a quick question) are for the answer stage.
 * So each stage prints a line for each line it reads, and the last one
 * can count them against the journal (tgpromise(1)).
 *
 * Invariants: a line seen twice (a journal replayed after a crash)
 * changes nothing twice: promises are keyed by their update, replies by
 * theirs.  Who may see and touch which promise is the store's rule
 * (store_owns).  Starts no process.
 */
#include <stdlib.h>
#include <string.h>

#include "promise.h"

enum { TEXT_MAX = 3500, LIST_MAX = 20 };

static const char help_text[] =
	"I keep my promises: ask me for work and I will message you when it "
	"is done.\n"
	"/jobs lists your open tasks, /status N tells how #N stands, "
	"/cancel N stops it, /retry N runs it again.";

/* A classified message, as routing needs it. */
struct msg {
	struct asker who;
	int64_t update_id, target;
	const char *intent, *command;
	int detach;
	const cJSON *line;
};

struct router {
	struct store *st;
	struct add_cfg cfg;
	int offers;
	const struct jsonl *in;
	char key[48];           /* the reply's key: once per update */
	char where[64];         /* before what the store says on stderr */
};

/* The reply to the message in hand; a replayed update adds none. */
static int reply(struct router *r, const struct msg *m, int64_t promise_id,
                 const char *text)
{
	return say(r->st, &m->who, "reply", promise_id,
	           m->update_id ? r->key : NULL, text);
}

/* ---- tasks and offers ---- */

/* "/long-task TITLE [--max-iterations N] [--max-time DUR]": the
 * long-task handler in loop mode (runjob reads the bounds from meta). */
static void long_task(const struct msg *m, struct promise *p)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(m->line, "args"), *a;
	cJSON *meta = cJSON_CreateObject();
	char title[TEXT_MAX] = "";
	int64_t iters = 10, ms;
	const char *opt = NULL;

	cJSON_ArrayForEach(a, args) {
		const char *s = cJSON_IsString(a) ? a->valuestring : "";
		if (opt) {
			if (strcmp(opt, "--max-iterations") == 0 &&
			    parse_int64(s, &iters) == 0 && iters > 0)
				;
			else if (strcmp(opt, "--max-time") == 0 && parse_duration(s, &ms) == 0)
				cJSON_AddStringToObject(meta, "max_time", s);
			opt = NULL;
		} else if (strncmp(s, "--", 2) == 0) {
			opt = s;
		} else if (strlen(title) + strlen(s) + 2 < sizeof title) {
			if (*title)
				strcat(title, " ");
			strcat(title, s);
		}
	}
	cJSON_AddStringToObject(meta, "until", "COMPLETE");
	cJSON_AddNumberToObject(meta, "max_iterations", (double)iters);
	free(p->task_type);
	p->task_type = xstrdup("long-task");
	if (*title) {
		free(p->text);
		p->text = xstrdup(title);
	}
	free(p->meta);
	p->meta = cJSON_PrintUnformatted(meta);
	cJSON_Delete(meta);
}

static int offer(struct router *r, const struct msg *m, const struct promise *p)
{
	char key[48], text[TEXT_MAX];

	snprintf(key, sizeof key, "offer:%lld", (long long)p->id);
	snprintf(text, sizeof text, "This might take a while. Shall I work on "
	         "#%lld in the background, and message you when it is done? \"",
	         (long long)p->id);
	quote_request(text, sizeof text, p->text);
	strcat(text, "\" (yes or no)");
	return say(r->st, &m->who, "offer", p->id, key, text);
}

static int route_task(struct router *r, const struct msg *m)
{
	struct promise p;
	int dup, rc;

	promise_init(&p);
	if (promise_from_line(r->in, m->line, &p, &r->cfg, now_ms())) {
		promise_free(&p);
		return reply(r, m, 0, "Sorry, I could not read that as a task.");
	}
	if (m->command && strcmp(m->command, "long-task") == 0)
		long_task(m, &p);
	else if (r->offers && !m->command)
		p.status = PS_OFFERED;
	rc = store_add(r->st, &p, &r->cfg.lim, &dup);
	if (rc == 0)
		rc = p.status == PS_OFFERED ? offer(r, m, &p) : say_ack(r->st, &p);
	else if (rc == EXIT_LIMIT)
		rc = reply(r, m, 0, "I have too many open tasks in this chat; "
		           "try again when some of them finish.");
	else if (rc != EXIT_DATA && rc != EXIT_TEMPFAIL)
		rc = reply(r, m, 0, "Sorry, I could not take that on.");
	promise_free(&p);
	return rc;
}

/* ---- the asker's promises ---- */

struct mine {
	const struct msg *m;
	unsigned statuses;
	int64_t ids[LIST_MAX];
	char text[TEXT_MAX];
	int n, more;
};

static int collect(struct promise *p, void *arg)
{
	struct mine *k = arg;
	size_t len = strlen(k->text);
	char line[TEXT_MAX];

	if (!store_owns(p, k->m->who.chat_id, k->m->who.user_id))
		return 0;
	if (k->n == LIST_MAX) {
		k->more = 1;
		return 1;
	}
	k->ids[k->n++] = p->id;
	snprintf(line, sizeof line, "\n#%lld %s", (long long)p->id,
	         pstatus_name(p->status));
	if (p->progress > 0)
		snprintf(line + strlen(line), sizeof line - strlen(line), " %d%%",
		         p->progress);
	strcat(line, " \xe2\x80\x94 ");
	quote_request(line, sizeof line, p->text);
	if (len + strlen(line) < sizeof k->text)
		strcat(k->text, line);
	return 0;
}

/* The asker's promises in statuses, newest first. */
static int mine(struct router *r, const struct msg *m, unsigned statuses,
                struct mine *k)
{
	struct list_filter f = { m->who.chat_id, statuses, NULL, 0 };

	memset(k, 0, sizeof *k);
	k->m = m;
	k->statuses = statuses;
	return store_list(r->st, &f, collect, k);
}

/* Loads #N for the asker: 0, or 1 when it is not theirs to see. */
static int theirs(struct router *r, const struct msg *m, struct promise *p)
{
	int rc = store_get(r->st, m->target, p);

	if (rc == EXIT_NOTFOUND)
		return 1;
	if (rc)
		return -rc;
	return !store_owns(p, m->who.chat_id, m->who.user_id);
}

static int no_such(struct router *r, const struct msg *m)
{
	char text[96];

	snprintf(text, sizeof text, "There is no task #%lld of yours here.",
	         (long long)m->target);
	return reply(r, m, 0, text);
}

/* How #N stands, whatever its state. */
static void describe(const struct promise *p, char *text, size_t size)
{
	char note[TEXT_MAX] = "";

	snprintf(text, size, "#%lld ", (long long)p->id);
	switch (p->status) {
	case PS_OFFERED: strcat(text, "waits for your yes: \""); break;
	case PS_PENDING:
		strcat(text, p->attempt ? "will be tried again: \"" : "is queued: \"");
		break;
	case PS_RUNNING:
		if (p->progress >= 0)
			snprintf(note, sizeof note, " (%d%%)", p->progress);
		snprintf(text + strlen(text), size - strlen(text),
		         "is running%s: \"", note);
		break;
	case PS_DONE: strcat(text, "is done: \""); break;
	case PS_FAILED:
		snprintf(text + strlen(text), size - strlen(text),
		         "failed after %d attempt%s: \"", p->attempt,
		         p->attempt == 1 ? "" : "s");
		break;
	case PS_CANCELLED: strcat(text, "was cancelled: \""); break;
	default: strcat(text, "expired before anyone took it: \""); break;
	}
	quote_request(text, size, p->text);
	strcat(text, "\"");
	if (p->status == PS_DONE && p->result && *p->result) {
		strcat(text, "\n");
		/* the first line of the result */
		snprintf(note, sizeof note, "%.*s", (int)strcspn(p->result, "\n"),
		         p->result);
		note[utf8_clip(note, 300)] = '\0';
		strcat(text, note);
	}
}

static const unsigned open_set =
	1u << PS_OFFERED | 1u << PS_PENDING | 1u << PS_RUNNING;

static int route_status(struct router *r, const struct msg *m)
{
	char text[TEXT_MAX + 64];
	struct promise p;
	struct mine k;
	int rc;

	if (m->target) {
		promise_init(&p);
		if ((rc = theirs(r, m, &p)) == 0) {
			describe(&p, text, sizeof text);
			rc = reply(r, m, p.id, text);
		} else if (rc > 0) {
			rc = no_such(r, m);
		} else {
			rc = -rc;
		}
		promise_free(&p);
		return rc;
	}
	if ((rc = mine(r, m, open_set, &k)))
		return rc;
	if (!k.n)
		return reply(r, m, 0, "Nothing open right now.");
	snprintf(text, sizeof text, "Your open tasks:%s%s", k.text,
	         k.more ? "\n..." : "");
	return reply(r, m, 0, text);
}

static int route_cancel(struct router *r, const struct msg *m)
{
	char text[128];
	struct promise p;
	struct msg t = *m;
	struct mine k;
	int rc;

	if (!t.target) {
		if ((rc = mine(r, m, open_set, &k)))
			return rc;
		if (!k.n)
			return reply(r, m, 0, "There is nothing to cancel.");
		t.target = k.ids[0];
	}
	promise_init(&p);
	rc = theirs(r, &t, &p);
	if (rc) {
		promise_free(&p);
		return rc > 0 ? no_such(r, &t) : -rc;
	}
	/* The reply first: the follow-up "Cancelled" that a promise not yet
	 * started gets at once must come after it. */
	snprintf(text, sizeof text, p.status > PS_RUNNING ?
	         "#%lld has already finished." : "Cancelling #%lld.",
	         (long long)t.target);
	rc = reply(r, m, t.target, text);
	if (rc == 0 && p.status <= PS_RUNNING)
		rc = store_cancel(r->st, t.target, NULL);
	promise_free(&p);
	return rc;
}

static int route_retry(struct router *r, const struct msg *m)
{
	char text[160];
	struct promise p;
	int rc;

	if (!m->target)
		return reply(r, m, 0, "Which task? Say /retry N.");
	promise_init(&p);
	rc = theirs(r, m, &p);
	promise_free(&p);
	if (rc)
		return rc > 0 ? no_such(r, m) : -rc;
	rc = store_retry(r->st, m->target, NULL);
	if (rc == 0)
		snprintf(text, sizeof text, "Trying #%lld again \xe2\x80\x94 I will "
		         "message you when it is done.", (long long)m->target);
	else if (rc == EXIT_CONFLICT)
		snprintf(text, sizeof text, "#%lld has not ended: nothing to retry.",
		         (long long)m->target);
	else
		return rc;
	return reply(r, m, m->target, text);
}

/* "yes" or "no" to the asker's latest offer. */
static int route_answer(struct router *r, const struct msg *m, int yes)
{
	struct promise p;
	struct mine k;
	int rc;

	if ((rc = mine(r, m, 1u << PS_OFFERED, &k)))
		return rc;
	if (!k.n)
		return reply(r, m, 0, yes ? "There is nothing waiting for a yes." :
		             "There is nothing waiting for a no.");
	promise_init(&p);
	rc = store_accept(r->st, k.ids[0], 0, yes, &p);
	if (rc == 0)
		rc = yes ? say_ack(r->st, &p) : reply(r, m, p.id, "OK, I will leave it.");
	promise_free(&p);
	return rc;
}

/* ---- one line ---- */

static void read_msg(const cJSON *o, struct msg *m)
{
	const cJSON *it;

	memset(m, 0, sizeof *m);
	m->line = o;
	json_int64(o, "chat_id", &m->who.chat_id);
	json_int64(o, "user_id", &m->who.user_id);
	json_int64(o, "message_id", &m->who.message_id);
	json_int64(o, "thread_id", &m->who.thread_id);
	json_int64(o, "update_id", &m->update_id);
	if (json_int64(o, "target_id", &m->target) || m->target < 0)
		m->target = 0;
	/* "/retry 12": classify names targets for status and cancel only */
	it = cJSON_GetObjectItemCaseSensitive(o, "args");
	if (!m->target && cJSON_IsArray(it) && cJSON_IsString(it->child) &&
	    (parse_int64(it->child->valuestring + (*it->child->valuestring == '#'),
	                 &m->target) || m->target < 0))
		m->target = 0;
	m->intent = json_str(o, "intent");
	m->command = json_str(o, "command");
	m->detach = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "detach"));
}

static int route_confirm(struct router *r, const struct msg *m)
{
	return route_answer(r, m, 1);
}

static int route_decline(struct router *r, const struct msg *m)
{
	return route_answer(r, m, 0);
}

static int route_help(struct router *r, const struct msg *m)
{
	return reply(r, m, 0, help_text);
}

/* What a message asks of the store: its intent, named as "routed" says. */
static const struct action {
	const char *intent, *routed;
	int (*fn)(struct router *, const struct msg *);
} actions[] = {
	{ "task", "task", route_task },         /* when it detaches */
	{ "confirm", "confirm", route_confirm },
	{ "decline", "decline", route_decline },
	{ "status", "status", route_status },
	{ "cancel", "cancel", route_cancel },
	{ "command", "help", route_help },      /* /start, /help, unknown */
};

/* NULL: nothing for the store (chat, a quick task): the answer stage's. */
static const struct action *action(const struct msg *m)
{
	static const struct action retry = { "command", "retry", route_retry };

	if (!m->who.chat_id || !m->intent)
		return NULL;
	if (m->command && strcmp(m->command, "retry") == 0)
		return &retry;
	if (strcmp(m->intent, "task") == 0 && !m->detach)
		return NULL;
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(m->intent, actions[i].intent) == 0)
			return &actions[i];
	return NULL;
}

/* Acts on one message in one transaction.  A refusal (limit, conflict)
 * is part of the conversation; only the store failing stops the stream,
 * so that the line is routed again when the router restarts. */
static int route_line(struct router *r, cJSON *o)
{
	const struct action *what;
	struct msg m;
	int rc;

	read_msg(o, &m);
	if (!(what = action(&m)))
		return jsonl_put(stdout, o) ? EXIT_DATA : 0;
	snprintf(r->key, sizeof r->key, "reply:%lld", (long long)m.update_id);
	snprintf(r->where, sizeof r->where, "%s:%ld", r->in->name, r->in->lineno);
	if ((rc = store_batch_begin(r->st)))
		return rc;
	store_set_context(r->st, r->where);
	rc = what->fn(r, &m);
	store_set_context(r->st, NULL);
	if (rc == EXIT_DATA || rc == EXIT_TEMPFAIL || rc == EXIT_USAGE) {
		store_batch_end(r->st, 0);
		return rc == EXIT_USAGE ? EXIT_DATA : rc;
	}
	if ((rc = store_batch_end(r->st, 1)))
		return rc;
	json_set_str(o, "routed", what->routed);
	return jsonl_put(stdout, o) ? EXIT_DATA : 0;
}

int cmd_route(int argc, char **argv, struct common *c)
{
	enum { OFFERS = OPT_FIRST_VERB_OPTION, MAXOPEN, STRICT };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "offers", no_argument, NULL, OFFERS },
		{ "max-open", required_argument, NULL, MAXOPEN },
		{ "strict", no_argument, NULL, STRICT },
		{ 0 },
	};
	struct router r = { 0 };
	struct promise defaults;
	struct jsonl in;
	int opt, got, rc = 0;

	add_defaults(&r.cfg);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (common_option(c, opt))
			continue;
		switch (opt) {
		case OFFERS: r.offers = 1; break;
		case MAXOPEN:
			r.cfg.lim.max_open_per_chat = arg_int(c, "--max-open", optarg, 0, INT64_MAX);
			break;
		case STRICT: r.cfg.strict = 1; break;
		default: bad_usage(c, "unknown option");
		}
	}
	if (optind < argc)
		bad_usage(c, "route reads classified lines from stdin, not arguments");
	promise_init(&defaults);
	r.cfg.defaults = &defaults;
	r.st = open_store(c);
	r.in = &in;
	jsonl_open(&in, 0, "<stdin>");
	while (rc == 0 && (got = jsonl_getline(&in)) > 0) {
		cJSON *o = jsonl_parse(&in);

		if (!o) {
			/* passed on as it came: the count of lines holds */
			if (r.cfg.strict)
				rc = EXIT_DATA;
			else if (fwrite(in.buf, 1, in.len, stdout) != in.len ||
			         (in.toolong ? jsonl_rest(&in, stdout) < 0 : putchar('\n') == EOF) ||
			         fflush(stdout) == EOF)
				rc = EXIT_DATA;
			continue;
		}
		rc = route_line(&r, o);
		cJSON_Delete(o);
	}
	if (got < 0 && !rc)
		rc = EXIT_DATA;
	jsonl_close(&in);
	close_store(r.st);
	promise_free(&defaults);
	return rc;
}
