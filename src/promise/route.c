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
	int64_t update_id, target, reply_to;
	const char *kind, *intent, *command, *text;
	const char *callback_id, *data;     /* a button press */
	int detach, addressed, edited;
	const cJSON *line;
};

struct router {
	struct store *st;
	struct add_cfg cfg;
	int offers;
	const struct jsonl *in;
	char key[48];           /* the reply's key: once per update */
	char press[48];         /* the key of a button press's answer */
	int64_t typing_ms;      /* "typing..." after this long; 0: never */
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
	strcat(text, "\"");
	return say_markup(r->st, &m->who, "offer", p->id, key, text,
	                  offer_buttons(p->id));
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
	case PS_WAITING: strcat(text, "waits for your answer: \""); break;
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
	1u << PS_OFFERED | 1u << PS_PENDING | 1u << PS_RUNNING | 1u << PS_WAITING;

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
	snprintf(text, sizeof text, !pstatus_open(p.status) ?
	         "#%lld has already finished." : "Cancelling #%lld.",
	         (long long)t.target);
	rc = reply(r, m, t.target, text);
	if (rc == 0 && pstatus_open(p.status))
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

/* The id of the latest notice of p's of kind, for an edit of it; 0. */
struct find_notice { const char *kind; int64_t id; char *text; };

static int latest_of_kind(const struct notice *n, void *arg)
{
	struct find_notice *f = arg;

	if (strcmp(n->kind, f->kind) == 0) {
		f->id = n->id;
		free(f->text);
		f->text = n->text ? xstrdup(n->text) : NULL;
	}
	return 0;
}

/* Takes the buttons away from the message of p's latest notice of kind,
 * saying under it what became of it. */
static int close_buttons(struct router *r, const struct promise *p,
                         const char *kind, const char *outcome)
{
	struct find_notice f = { kind, 0, NULL };
	char text[TEXT_MAX + 256];
	int rc;

	if ((rc = store_notices(r->st, p->id, latest_of_kind, &f)) == 0 && f.id) {
		snprintf(text, sizeof text, "%s\n\n%s", f.text ? f.text : "", outcome);
		rc = say_edit(r->st, p, f.id, text);
	}
	free(f.text);
	return rc;
}

static int settle_offer(struct router *r, const struct promise *p, int yes)
{
	return close_buttons(r, p, "offer", yes ? "\xe2\x9c\x93 Yes" : "\xe2\x9c\x97 No");
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
		rc = settle_offer(r, &p, yes);
	if (rc == 0)
		rc = yes ? say_ack(r->st, &p) : reply(r, m, p.id, "OK, I will leave it.");
	promise_free(&p);
	return rc;
}

/* ---- questions: a task that waits for its user ---- */

static int take_answer(struct router *r, const struct msg *m,
                       const struct promise *p, const char *answer)
{
	char text[160];
	int rc;

	if ((rc = store_answer(r->st, p->id, answer, NULL)))
		return rc == EXIT_CONFLICT ? reply(r, m, p->id, "That question is "
		                                   "no longer open.") : rc;
	snprintf(text, sizeof text, "\xe2\x86\x92 %s", answer);
	text[utf8_clip(text, 300)] = '\0';
	if ((rc = close_buttons(r, p, "question", text)))
		return rc;
	snprintf(text, sizeof text, "Thanks \xe2\x80\x94 back to work on #%lld.",
	         (long long)p->id);
	return reply(r, m, p->id, text);
}

/* The waiting promise that a message answers: a reply to its question,
 * or, in a private chat, any plain message while exactly one question
 * is open there.  0 when it answers none. */
static int64_t answered(struct router *r, const struct msg *m)
{
	struct list_filter f = { m->who.chat_id, 1u << PS_WAITING, NULL, 2 };
	struct mine k;
	int64_t id = 0;

	if (!m->text || m->command)
		return 0;
	if (m->reply_to && store_asked_by(r->st, m->who.chat_id, m->reply_to, &id) == 0 && id)
		return id;
	if (m->who.chat_id < 0 || m->reply_to)
		return 0;
	memset(&k, 0, sizeof k);
	k.m = m;
	if (store_list(r->st, &f, collect, &k) || k.n != 1)
		return 0;
	return k.ids[0];
}

static int route_question(struct router *r, const struct msg *m)
{
	struct promise p;
	int rc;

	promise_init(&p);
	if ((rc = theirs(r, m, &p)) == 0)
		rc = take_answer(r, m, &p, m->text);
	else if (rc > 0)
		rc = reply(r, m, 0, "That question is not yours to answer.");
	else
		rc = -rc;
	promise_free(&p);
	return rc;
}

/* ---- edits of a request ---- */

/* An edited message never starts work twice: before the work starts,
 * the promise takes the new words; after, the edit changes nothing. */
static int route_edit(struct router *r, const struct msg *m)
{
	char text[TEXT_MAX];
	struct promise p;
	struct msg t = *m;
	int rc;

	if (!m->text || store_made_from(r->st, m->who.chat_id, m->who.message_id,
	                                 &t.target) || !t.target)
		return 0;               /* it made no promise: nothing to change */
	promise_init(&p);
	if ((rc = theirs(r, &t, &p))) {
		promise_free(&p);
		return rc > 0 ? 0 : -rc;
	}
	rc = store_retext(r->st, p.id, m->text, NULL);
	if (rc == 0) {
		snprintf(text, sizeof text, "Updated #%lld: \"", (long long)p.id);
		quote_request(text, sizeof text, m->text);
		strcat(text, "\"");
	} else if (rc == EXIT_CONFLICT) {
		snprintf(text, sizeof text, pstatus_open(p.status) ?
		         "#%lld is already under way; your edit does not change it." :
		         "#%lld has already finished; your edit does not change it.",
		         (long long)p.id);
	} else {
		promise_free(&p);
		return rc;
	}
	promise_free(&p);
	return reply(r, m, t.target, text);
}

/* ---- buttons ---- */

/* "v:ID" or "a:ID:K" (say.c makes them): 0, or -1 when forged. */
static int parse_press(const char *data, char *verb, int64_t *id, int *k)
{
	const char *p;
	char *end;
	long long n;
	long c = -1;

	if (!data || strlen(data) > 64 || !strchr("ynacr", data[0]) || !data[0] ||
	    data[1] != ':' || data[2] < '1' || data[2] > '9')
		return -1;
	p = data + 2;
	n = strtoll(p, &end, 10);
	if (*verb = data[0], *verb == 'a') {
		if (*end != ':' || end[1] < '0' || end[1] > '9')
			return -1;
		c = strtol(end + 1, &end, 10);
		if (c > 99)
			return -1;
	}
	if (*end || n <= 0)
		return -1;
	*id = n;
	*k = (int)c;
	return 0;
}

/* The label of choice k of p's question; NULL if there is none. */
static const char *choice(const struct promise *p, int k, cJSON **q)
{
	const cJSON *c;

	*q = p->question ? cJSON_Parse(p->question) : NULL;
	c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(*q, "choices"), k);
	return cJSON_IsString(c) ? c->valuestring : NULL;
}

/* What a press on p's button does; the words for the toast in said. */
static int press(struct router *r, const struct msg *m, struct promise *p,
                 char verb, int k, char *said, size_t size)
{
	const char *label;
	cJSON *q = NULL;
	int rc = 0;

	switch (verb) {
	case 'y': case 'n':
		if (p->status != PS_OFFERED) {
			snprintf(said, size, "#%lld is not waiting for a yes any more.",
			         (long long)p->id);
			break;
		}
		if ((rc = store_accept(r->st, p->id, 0, verb == 'y', p)) == 0 &&
		    (rc = settle_offer(r, p, verb == 'y')) == 0 && verb == 'y')
			rc = say_ack(r->st, p);
		snprintf(said, size, verb == 'y' ? "#%lld: on it." :
		         "OK, I will leave #%lld.", (long long)p->id);
		break;
	case 'c':
		if (!pstatus_open(p->status)) {
			snprintf(said, size, "#%lld has already finished.", (long long)p->id);
			break;
		}
		rc = store_cancel(r->st, p->id, NULL);
		snprintf(said, size, "Cancelling #%lld.", (long long)p->id);
		break;
	case 'r':
		rc = store_retry(r->st, p->id, NULL);
		if (rc == EXIT_CONFLICT) {
			snprintf(said, size, "#%lld has not ended: nothing to retry.",
			         (long long)p->id);
			return 0;
		}
		snprintf(said, size, "Trying #%lld again.", (long long)p->id);
		if (rc == 0)
			rc = reply(r, m, p->id, "Trying it again \xe2\x80\x94 I will "
			           "message you when it is done.");
		break;
	case 'a':
		if (p->status != PS_WAITING || !(label = choice(p, k, &q))) {
			snprintf(said, size, "#%lld is not waiting for that answer.",
			         (long long)p->id);
			break;
		}
		rc = take_answer(r, m, p, label);
		snprintf(said, size, "Thanks.");
		break;
	}
	cJSON_Delete(q);
	return rc;
}

/* A button press: whatever it asks, its answer goes at once (the user's
 * client spins until it comes), also for a stale or a forged one. */
static int route_press(struct router *r, const struct msg *m)
{
	int64_t chat = m->who.chat_id ? m->who.chat_id : m->who.user_id;
	char said[200], verb = 0;
	struct promise p;
	struct msg t = *m;
	int k, mine, rc = 0;

	if (!m->callback_id || !chat)
		return 0;
	snprintf(r->press, sizeof r->press, "press:%lld", (long long)m->update_id);
	promise_init(&p);
	if (parse_press(m->data, &verb, &t.target, &k))
		snprintf(said, sizeof said, "That button is no longer valid.");
	else if ((mine = theirs(r, &t, &p)) > 0)
		snprintf(said, sizeof said, p.id && p.chat_id == chat ?
		         "Only the one who asked for #%lld can do that." :
		         "There is no such task of yours.", (long long)t.target);
	else if (mine == 0)
		rc = press(r, &t, &p, verb, k, said, sizeof said);
	else
		rc = -mine;
	promise_free(&p);
	if (rc)
		return rc;
	return say_toast(r->st, chat, m->callback_id,
	                 m->update_id ? r->press : NULL, said);
}

/* ---- one line ---- */

/* The promise a message names: "status 12", "/retry 12". */
static int64_t read_target(const cJSON *o)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, "args");
	int64_t id;

	if (json_int64(o, "target_id", &id) == 0 && id > 0)
		return id;
	/* "/retry 12": classify names targets for status and cancel only */
	if (cJSON_IsArray(it) && cJSON_IsString(it->child) &&
	    parse_int64(it->child->valuestring + (*it->child->valuestring == '#'),
	                &id) == 0 && id > 0)
		return id;
	return 0;
}

static void read_msg(const cJSON *o, struct msg *m)
{
	memset(m, 0, sizeof *m);
	m->line = o;
	json_int64(o, "chat_id", &m->who.chat_id);
	json_int64(o, "user_id", &m->who.user_id);
	json_int64(o, "message_id", &m->who.message_id);
	json_int64(o, "thread_id", &m->who.thread_id);
	json_int64(o, "update_id", &m->update_id);
	m->intent = json_str(o, "intent");
	m->command = json_str(o, "command");
	m->detach = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "detach"));
	m->kind = json_str(o, "kind");
	m->text = json_str(o, "text");
	m->callback_id = json_str(o, "callback_id");
	m->data = json_str(o, "data");
	/* a line from before tgpoll said so is addressed to the bot */
	m->addressed = json_bool(o, "addressed", 1);
	m->edited = json_bool(o, "edited", m->kind && strcmp(m->kind, "edited_message") == 0);
	if (json_int64(o, "reply_to_message_id", &m->reply_to))
		m->reply_to = 0;
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

static int route_nothing(struct router *r, const struct msg *m)
{
	(void)r, (void)m;
	return 0;
}

/* NULL: nothing for the store (chat, a quick task): the answer stage's.
 * Before what the message says come what it is: a button press, a
 * message in a group not meant for the bot, an edit, an answer to a
 * question the bot asked. */
static const struct action *action(struct router *r, struct msg *m)
{
	static const struct action retry = { "command", "retry", route_retry },
		button = { NULL, "button", route_press },
		ignored = { NULL, "ignored", route_nothing },
		edit = { NULL, "edit", route_edit },
		answer = { NULL, "answer", route_question };

	if (m->kind && strcmp(m->kind, "callback_query") == 0)
		return &button;
	if (!m->who.chat_id)
		return NULL;
	if (!m->addressed)
		return &ignored;
	if (m->edited)
		return &edit;
	if ((m->target = answered(r, m)))
		return &answer;
	m->target = read_target(m->line);
	if (!m->intent)
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

/* A message left for the answer stage: "typing..." in its chat should
 * its answer take a while. */
static int typing(struct router *r, const struct msg *m)
{
	char key[48];

	if (!m->who.chat_id || !m->text || !r->typing_ms)
		return 0;
	snprintf(key, sizeof key, "typing:%lld", (long long)m->update_id);
	return say_typing(r->st, &m->who, m->update_id ? key : NULL, r->typing_ms);
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
	if (!(what = action(r, &m))) {
		if ((rc = typing(r, &m)) == EXIT_DATA || rc == EXIT_TEMPFAIL)
			return rc;
		return jsonl_put(stdout, o) ? EXIT_DATA : 0;
	}
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
	enum { OFFERS = OPT_FIRST_VERB_OPTION, MAXOPEN, STRICT, TYPING };
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "offers", no_argument, NULL, OFFERS },
		{ "typing", required_argument, NULL, TYPING },
		{ "max-open", required_argument, NULL, MAXOPEN },
		{ "strict", no_argument, NULL, STRICT },
		{ 0 },
	};
	struct router r = { .typing_ms = 1000 };
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
		case TYPING: r.typing_ms = arg_duration(c, "--typing", optarg); break;
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
