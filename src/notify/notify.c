/*
 * notify - send Telegram messages and say what became of each.
 *
 *   notify --chat ID [--reply-to MSG] [--thread ID] [--parse-mode MODE]
 *          [--silent] [--json] [--edit MSG | --action ACTION] [TEXT...]
 *   notify --jsonl       notice lines in, one receipt line out per notice
 *
 * A notice (what `promise outbox` prints; the contract is
 * in man/notify.1) carries chat_id and text, and
 * may carry ref, reply_to, thread_id, parse_mode, edit_message_id,
 * reply_markup, urgency; or callback_id (answerCallbackQuery, with the
 * text as its toast), or action (sendChatAction).  Its receipt is the notice with ok,
 * message_ids, and on failure error and permanent (true when sending
 * again cannot help), retry_after when Telegram said so, after a
 * migration migrated_to_chat_id.
 *
 * One notify is the bot's one sender, so the scheduler keeps to this:
 *  - notices wait in one queue per chat (the chat_id they name); a
 *    chat's notices go out in the order they were read, and the parts
 *    of a long text (split.c) one after another, the first replying;
 *    nothing else for that chat goes between them;
 *  - several requests are in flight at once (--parallel, libcurl's multi
 *    interface through botapi_start), at most one per chat;
 *  - of the chats that may be sent to now, the one whose queue holds the
 *    most urgent notice (urgency 0 a person waits, 1 a follow-up, 2 a
 *    progress edit) goes next, then the one whose first notice has the
 *    earliest virtual time, then the one read first.  A notice's virtual
 *    time is when it would go if its chat were the only one: when it was
 *    read, or its chat's previous notice's virtual time plus what that
 *    notice's parts take at the chat's pace, whichever is later.  So a
 *    chat held back by its pacing, by a 429 or by a retry's backoff
 *    never holds up another chat, a busy chat does not crowd out a quiet
 *    one, and a burst for many chats ends when the limits allow;
 *  - Telegram's limits are kept before it has to say so (pacing per
 *    chat, per group, overall).  A call counts from when its answer
 *    came, the latest moment the server can have counted it, and a call
 *    in flight counts as now: so no jitter in the network can make calls
 *    look closer together to the server than the limits, plus a margin
 *    of 2 % for clocks;
 *  - a button's answer (callback_id) and a chat action are no messages:
 *    no pacing counts them, and each waits in a queue of its own, so
 *    nothing holds them up; answers go first of all, since a client
 *    shows a spinner until its button press is answered;
 *  - a 429's retry_after holds its chat only.  When a second chat is
 *    told to wait while one already waits, the limit hit may be the
 *    bot's: every chat pauses, but never more than a second, so a 429
 *    for one chat delays no other by more than that;
 *  - input is read ahead at most WINDOW notices and only as far as it is
 *    already there, so a notice goes out as soon as it may, never at the
 *    end of the input; receipts come out (flushed) as notices finish, so
 *    in another order than the input's (ref says which is which);
 *  - each message is sent until it is delivered, refused for good, or
 *    the retry budget (--tries, --give-up from its first call) is spent;
 *  - a signal never cuts a request in half, where we could not know if
 *    the message went out: nothing new is started, the requests in
 *    flight end (within --http-timeout) and are answered, and every
 *    notice still in hand gets a temporary-failure receipt.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "botapi.h"
#include "split.h"
#include "tgp.h"

static const char usage[] =
	"usage: notify --chat ID [--reply-to MSG] [--thread ID] [--parse-mode html|markdownv2]\n"
	"              [--silent] [--json] [--edit MSG | --action ACTION] [TEXT...]\n"
	"       notify --jsonl [--strict]\n"
	"  pacing and retries: [--chat-rate N/DUR] [--group-rate N/DUR] [--global-rate N/DUR]\n"
	"              [--no-pacing] [--parallel N]\n"
	"              [--tries N] [--give-up DUR] [--backoff DUR] [--http-timeout DUR]\n"
	"  connection: [--api-url URL] [--token-file FILE]\n";

enum outcome { DELIVERED, TEMPORARY, PERMANENT };

/* Notices read ahead, at most: so many, or so many bytes of them (but
 * always one, however long). */
enum { WINDOW = 1000, WINDOW_BYTES = 8 << 20 };

/* Requests in flight at most: Telegram's limits allow 30 a second, and
 * a request takes 50 to 200 ms, so a few dozen are already plenty. */
enum { MAX_PARALLEL = 256 };

struct rate {
	int n;            /* at most n messages ... */
	int64_t per_ms;   /* ... in any window this long; n 0: no limit */
};

static struct {
	int jsonl, json, strict, silent;
	int64_t chat, reply_to, thread, edit;
	int have_chat;
	const char *parse_mode, *action, *api_url, *token_file;
	struct rate chat_rate, group_rate, global_rate;
	int64_t tries, give_up_ms, backoff_ms, http_ms, parallel;
} opt = {
	.chat_rate = {1, 1000}, .group_rate = {20, 60000}, .global_rate = {30, 1000},
	.tries = 5, .give_up_ms = 300000, .backoff_ms = 1000, .http_ms = 30000,
	.parallel = 8,
};

static struct botapi *api;
static int status;   /* the exit status the receipts so far call for */

/* --- pacing ------------------------------------------------------------ */

enum { RING = 64 };   /* the largest n a rate may have */

/* A call that has not been answered yet may reach the server any time. */
static const int64_t PENDING = INT64_MAX / 4;

struct history {
	int64_t t[RING];  /* when calls were answered, newest at head - 1 */
	int head, count;
	int pending;      /* calls in flight */
};

/* The window a rate is kept over: 2 % more, so that two clocks that
 * tick a little differently cannot see n + 1 calls in it. */
static int64_t window(struct rate rate)
{
	return rate.per_ms + rate.per_ms / 50;
}

/* When the next call may go under rate, judged by history h: once the
 * n-th latest call (those in flight the latest) is a window old. */
static int64_t allowed_at(const struct history *h, struct rate rate)
{
	int k = rate.n - h->pending;

	if (rate.n <= 0)
		return 0;
	if (k <= 0)
		return PENDING;
	if (h->count < k)
		return 0;
	return h->t[(h->head - k + RING) % RING] + window(rate);
}

static void started(struct history *h)
{
	h->pending++;
}

static void answered(struct history *h, int64_t t)
{
	h->pending--;
	h->t[h->head] = t;
	h->head = (h->head + 1) % RING;
	if (h->count < RING)
		h->count++;
}

static int64_t newest(const struct history *h)
{
	return h->count ? h->t[(h->head - 1 + RING) % RING] : 0;
}

static int64_t later(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* --- notices and the chats they wait in --------------------------------- */

/* What a notice asks of Telegram; the quick ones are not messages. */
enum call { SEND, ANSWER, ACTION };

struct job {
	cJSON *notice;          /* turns into its receipt */
	enum call call;
	long lineno;            /* 0 in the single form */
	size_t size;            /* of its line, for the window */
	uint64_t seq;           /* input order */
	int64_t vtime;          /* virtual time: see the top */
	char **parts;           /* the text cut up; NULL unless SEND */
	size_t nparts, sent;
	int64_t chat;           /* changes when the chat migrates */
	int64_t migrated_to;    /* 0 unless it did */
	int64_t reply_to;       /* 0 once dropped */
	int64_t edit;           /* the message the text replaces */
	const cJSON *markup;    /* reply_markup, inside notice */
	int urgency;            /* 0 most urgent .. URGENCIES - 1 */
	int64_t retry_after;    /* Telegram's last, in seconds */
	int64_t deadline;       /* from the first call; 0 before */
	int64_t not_before;     /* a retry waits out its backoff */
	int failures, calls;    /* for the part in hand */
	cJSON *ids;
	char error[512];
	struct job *next;
};

enum { URGENCIES = 3 };

/* Pacing is kept per queue, under the chat_id the notices name: a
 * migrated group is still the same conversation. */
struct chat {
	int64_t id;
	enum call quick;        /* SEND: a chat; else one unpaced notice */
	struct history calls;   /* calls.pending: its request is in flight */
	int64_t hold_until;     /* Telegram's retry_after */
	size_t waiting[URGENCIES];  /* notices queued, by urgency */
	int64_t vclock;         /* the virtual time its next notice gets */
	struct job *head, *tail;
	struct chat *next;
};

static struct chat *chats;
static struct history global;
static int64_t global_hold;   /* a short pause for every chat */
static size_t in_hand;        /* notices queued in all chats ... */
static size_t in_hand_bytes;  /* ... and the bytes of their lines */
static uint64_t taken;        /* notices taken in so far */

static struct chat *new_chat(int64_t id, enum call quick)
{
	struct chat *c = xmalloc(sizeof *c);

	memset(c, 0, sizeof *c);
	c->id = id;
	c->quick = quick;
	c->next = chats;
	chats = c;
	return c;
}

static struct chat *chat_of(int64_t id)
{
	for (struct chat *c = chats; c; c = c->next)
		if (c->id == id && c->quick == SEND)
			return c;
	return new_chat(id, SEND);
}

/* The time one message to c takes at c's pace. */
static int64_t spacing(const struct chat *c)
{
	int64_t t = opt.chat_rate.n ? opt.chat_rate.per_ms / opt.chat_rate.n : 0;

	if (c->id < 0 && opt.group_rate.n)
		t = later(t, opt.group_rate.per_ms / opt.group_rate.n);
	return t;
}

static void enqueue(struct job *j)
{
	/* A quick notice waits alone: behind nobody, and nobody behind it. */
	struct chat *c = j->call == SEND ? chat_of(j->chat) : new_chat(j->chat, j->call);

	j->vtime = later(mono_ms(), c->vclock);
	c->vclock = j->vtime + (int64_t)j->nparts * spacing(c);
	if (c->tail)
		c->tail->next = j;
	else
		c->head = j;
	c->tail = j;
	c->waiting[j->urgency]++;
	in_hand++;
	in_hand_bytes += j->size;
}

static int room(void)
{
	return in_hand < WINDOW && in_hand_bytes < WINDOW_BYTES;
}

/* When c's first notice may be sent, as far as c goes. */
static int64_t ready_at(const struct chat *c)
{
	int64_t at = later(c->hold_until, c->head->not_before);

	if (c->quick != SEND)
		return at;
	at = later(at, allowed_at(&c->calls, opt.chat_rate));
	/* Negative ids are groups and channels: the stricter limit. */
	if (c->id < 0)
		at = later(at, allowed_at(&c->calls, opt.group_rate));
	return at;
}

/* An empty queue whose pacing no longer matters is forgotten, so that a
 * long run through many chats keeps little. */
static int idle(const struct chat *c, int64_t now)
{
	int64_t span = later(window(opt.chat_rate), window(opt.group_rate));

	if (c->quick != SEND)
		return !c->head && !c->calls.pending;
	return !c->head && !c->calls.pending && c->hold_until <= now &&
	       newest(&c->calls) + span <= now;
}

static void forget_idle(int64_t now)
{
	struct chat **pp = &chats, *c;

	while ((c = *pp)) {
		if (idle(c, now)) {
			*pp = c->next;
			free(c);
		} else {
			pp = &c->next;
		}
	}
}

/* The urgency of c's most urgent notice: it is what waits on c. */
static int urgency_of(const struct chat *c)
{
	int u = 0;

	while (u < URGENCIES - 1 && !c->waiting[u])
		u++;
	return u;
}

/* Quick notices first, answers to buttons first of all. */
static int rank(const struct chat *c)
{
	return c->quick == ANSWER ? 0 : c->quick == ACTION ? 1 : 2;
}

/* Does chat a go before chat b? */
static int sooner(const struct chat *a, const struct chat *b)
{
	int ua = urgency_of(a), ub = urgency_of(b);

	if (rank(a) != rank(b))
		return rank(a) < rank(b);
	if (ua != ub)
		return ua < ub;
	if (a->head->vtime != b->head->vtime)
		return a->head->vtime < b->head->vtime;
	return a->head->seq < b->head->seq;
}

/* The chat to send to now: of those that may be sent to, the one that
 * goes first.  NULL when none may; *wake is then when one will (-1: none
 * has anything to send but in flight). */
static struct chat *next_chat(int64_t now, int64_t *wake)
{
	struct chat *best = NULL;
	int64_t soonest = -1;
	int64_t all = later(global_hold, allowed_at(&global, opt.global_rate));

	for (struct chat *c = chats; c; c = c->next) {
		if (!c->head || c->calls.pending)
			continue;
		int64_t at = ready_at(c);
		if (c->quick == SEND)
			at = later(at, all);   /* the bot's overall limit */
		if (at <= now && (!best || sooner(c, best)))
			best = c;
		if (soonest < 0 || at < soonest)
			soonest = at;
	}
	*wake = soonest;
	return best;
}

/* --- receipts ------------------------------------------------------------ */

static int worst(int st, enum outcome o)
{
	/* Something worth retrying outranks something lost for good: the
	 * caller can still act on it. */
	if (o == TEMPORARY)
		return EXIT_TEMPFAIL;
	if (o == PERMANENT && st != EXIT_TEMPFAIL)
		return EXIT_PERMFAIL;
	return st;
}

static void put_receipt(const cJSON *rc)
{
	if (jsonl_put(stdout, rc) != 0)
		die(EXIT_DATA, "write error on stdout:");
}

static void finish_receipt(cJSON *rc, enum outcome o, const char *error,
                           int64_t retry_after, int64_t migrated_to, cJSON *ids)
{
	static const char *mine[] = {"ok", "message_ids", "error", "permanent",
	                             "retry_after", "migrated_to_chat_id", NULL};

	for (int i = 0; mine[i]; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(rc, mine[i]);
	json_set_bool(rc, "ok", o == DELIVERED);
	cJSON_AddItemToObject(rc, "message_ids", ids);
	if (o != DELIVERED) {
		json_set_str(rc, "error", error);
		json_set_bool(rc, "permanent", o == PERMANENT);
		if (retry_after)
			json_set_int64(rc, "retry_after", retry_after);
	}
	if (migrated_to)
		json_set_int64(rc, "migrated_to_chat_id", migrated_to);
}

/* Says what became of j, and lets it go. */
static void finish(struct job *j, enum outcome o)
{
	finish_receipt(j->notice, o, j->error, j->retry_after, j->migrated_to, j->ids);
	j->ids = NULL;
	status = worst(status, o);
	if (o != DELIVERED && !opt.jsonl) {
		warn("%s", j->error);
	} else if (o != DELIVERED) {
		char *ref = cJSON_PrintUnformatted(
			cJSON_GetObjectItemCaseSensitive(j->notice, "ref"));
		warn("<stdin>:%ld: notice %s: %s", j->lineno, ref ? ref : "without ref",
		     j->error);
		free(ref);
	}
	if (opt.jsonl || opt.json)
		put_receipt(j->notice);
	if (j->parts)
		split_free(j->parts, j->nparts);
	cJSON_Delete(j->notice);
	free(j);
}

/* Finishes c's first notice. */
static void finish_first(struct chat *c, enum outcome o)
{
	struct job *j = c->head;

	c->head = j->next;
	if (!c->head)
		c->tail = NULL;
	c->waiting[j->urgency]--;
	in_hand--;
	in_hand_bytes -= j->size;
	finish(j, o);
}

/* A signal, and nothing in flight: every notice in hand is answered. */
static void interrupt_all(void)
{
	for (struct chat *c = chats; c; c = c->next)
		while (c->head) {
			snprintf(c->head->error, sizeof c->head->error,
			         "interrupted before it was sent");
			finish_first(c, TEMPORARY);
		}
}

/* --- a notice taken in ---------------------------------------------------- */

static enum split_mode mode_of(const char *parse_mode)
{
	if (!parse_mode)
		return SPLIT_PLAIN;
	if (strcasecmp(parse_mode, "html") == 0)
		return SPLIT_HTML;
	if (strcasecmp(parse_mode, "markdownv2") == 0)
		return SPLIT_MARKDOWNV2;
	return SPLIT_PLAIN;
}

static int valid_parse_mode(const char *m)
{
	return !m || strcasecmp(m, "html") == 0 || strcasecmp(m, "markdownv2") == 0;
}

/* An edit is one message: a text too long for it is clipped, at a cut
 * that keeps its markup whole, and ends in an ellipsis. */
static size_t clip_for_edit(char **parts, size_t n)
{
	static const char ellipsis[] = "\xe2\x80\xa6";   /* one UTF-16 unit */

	if (n > 1) {
		size_t len = strlen(parts[0]);
		parts[0] = xrealloc(parts[0], len + sizeof ellipsis);
		memcpy(parts[0] + len, ellipsis, sizeof ellipsis);
		for (size_t i = 1; i < n; i++)
			free(parts[i]);
	}
	return n ? 1 : 0;
}

/* Why the notice cannot be sent at all, or NULL; cuts its text up. */
static const char *prepare(struct job *j)
{
	const cJSON *n = j->notice;
	const char *text = json_str(n, "text");
	const char *parse_mode = json_str(n, "parse_mode");
	int64_t u;

	if (json_str(n, "callback_id")) {
		/* An answer needs no chat: a button under a message that is
		 * gone still spins until answered. */
		j->call = ANSWER;
		if (json_int64(n, "chat_id", &j->chat) != 0)
			j->chat = 0;
		j->nparts = 1;
		return NULL;
	}
	if (json_int64(n, "chat_id", &j->chat) != 0)
		return "the notice has no chat_id";
	if (json_int64(n, "reply_to", &j->reply_to) != 0)
		j->reply_to = 0;
	if (json_int64(n, "edit_message_id", &j->edit) != 0)
		j->edit = 0;
	if (json_int64(n, "urgency", &u) != 0)
		u = 1;
	j->urgency = u < 0 ? 0 : u >= URGENCIES ? URGENCIES - 1 : (int)u;
	j->markup = cJSON_GetObjectItemCaseSensitive(n, "reply_markup");
	if (cJSON_IsNull(j->markup))
		j->markup = NULL;
	if (!valid_parse_mode(parse_mode)) {
		snprintf(j->error, sizeof j->error, "unknown parse_mode %s", parse_mode);
		return j->error;
	}
	if (json_str(n, "action")) {
		j->call = ACTION;
		j->nparts = 1;   /* one call, and no message to show for it */
		return NULL;
	}
	if (text)
		j->nparts = split_text(text, strlen(text),
		                       TELEGRAM_MAX_TEXT - (j->edit ? 1 : 0),
		                       mode_of(parse_mode), &j->parts);
	if (j->edit)
		j->nparts = clip_for_edit(j->parts, j->nparts);
	return j->nparts ? NULL : "the notice has no text";
}

/* Takes notice in: into its chat's queue, or answered at once when it
 * cannot be sent. */
static void take(cJSON *notice, long lineno, size_t size)
{
	struct job *j = xmalloc(sizeof *j);
	const char *why;

	memset(j, 0, sizeof *j);
	j->notice = notice;
	j->lineno = lineno;
	j->size = size;
	j->seq = taken++;
	j->ids = cJSON_CreateArray();
	if ((why = prepare(j))) {
		if (why != j->error)
			snprintf(j->error, sizeof j->error, "%s", why);
		finish(j, PERMANENT);
		return;
	}
	enqueue(j);
}

/* --- one call for a chat's first notice ---------------------------------- */

static int contains(const char *s, const char *what)
{
	return strcasestr(s, what) != NULL;
}

/* answerCallbackQuery: the text (Telegram shows at most 200
 * characters; clipped in UTF-16 units, the stricter count) as a toast,
 * never an alert. */
static cJSON *answer_call(const struct job *j, const char **method)
{
	const char *text = json_str(j->notice, "text");
	cJSON *p = cJSON_CreateObject();

	*method = "answerCallbackQuery";
	json_set_str(p, "callback_query_id", json_str(j->notice, "callback_id"));
	if (text && *text) {
		size_t n = strlen(text), cut = 0, units = 0;
		while (cut < n) {
			size_t next = cut + 1;
			while (next < n && ((unsigned char)text[next] & 0xc0) == 0x80)
				next++;
			units += utf16_units(text + cut, next - cut);
			if (units > 200)
				break;
			cut = next;
		}
		char *clip = xmalloc(cut + 1);
		memcpy(clip, text, cut);
		clip[cut] = '\0';
		json_set_str(p, "text", clip);
		free(clip);
	}
	return p;
}

/* The call for j's part in hand: *method and its parameters. */
static cJSON *call_for(const struct job *j, const char **method)
{
	const cJSON *n = j->notice;
	const char *parse_mode = json_str(n, "parse_mode");
	cJSON *p;
	int64_t thread;

	if (j->call == ANSWER)
		return answer_call(j, method);
	p = cJSON_CreateObject();
	json_set_int64(p, "chat_id", j->chat);
	if (j->call == ACTION) {
		*method = "sendChatAction";
		json_set_str(p, "action", json_str(n, "action"));
		if (json_int64(n, "thread_id", &thread) == 0 && thread)
			json_set_int64(p, "message_thread_id", thread);
		return p;
	}
	*method = "sendMessage";
	json_set_str(p, "text", j->parts[j->sent]);
	if (j->edit) {
		*method = "editMessageText";
		json_set_int64(p, "message_id", j->edit);
	} else if (j->sent == 0 && j->reply_to) {
		cJSON *rp = cJSON_AddObjectToObject(p, "reply_parameters");
		json_set_int64(rp, "message_id", j->reply_to);
		json_set_bool(rp, "allow_sending_without_reply", 1);
	}
	if (!j->edit && json_int64(n, "thread_id", &thread) == 0 && thread)
		json_set_int64(p, "message_thread_id", thread);
	if (parse_mode)
		json_set_str(p, "parse_mode", strcasecmp(parse_mode, "html") == 0 ?
		             "HTML" : "MarkdownV2");
	if (!j->edit && json_bool(n, "silent", opt.silent))
		json_set_bool(p, "disable_notification", 1);
	/* The keyboard goes under the last part, where the reader is. */
	if (j->markup && j->sent + 1 == j->nparts)
		cJSON_AddItemToObject(p, "reply_markup", cJSON_Duplicate(j->markup, 1));
	return p;
}

static void part_sent(struct chat *c, int64_t id)
{
	struct job *j = c->head;

	if (j->parts)
		cJSON_AddItemToArray(j->ids, cJSON_CreateNumber((double)id));
	j->failures = j->calls = 0;
	if (++j->sent == j->nparts)
		finish_first(c, DELIVERED);
}

/* A temporary failure: c's first notice waits wait_ms and is tried again,
 * or is given up when that is past its budget (wait_ms < 0: spent). */
static void retry_later(struct chat *c, int64_t wait_ms)
{
	struct job *j = c->head;
	int64_t now = mono_ms();

	if (wait_ms < 0 || now + wait_ms > j->deadline) {
		size_t n = strlen(j->error);
		snprintf(j->error + n, sizeof j->error - n, " (gave up after %d %s)",
		         j->calls, j->calls > 1 ? "tries" : "try");
		finish_first(c, TEMPORARY);
		return;
	}
	j->not_before = now + wait_ms;
}

/* Telegram said wait: c waits.  If another chat already waits, the
 * limit hit may be the bot's: everyone pauses, a second at most. */
static void hold(struct chat *c, int64_t retry_after)
{
	int64_t now = mono_ms(), wait = (retry_after > 0 ? retry_after : 1) * 1000;

	for (struct chat *o = chats; o && c->quick == SEND; o = o->next)
		if (o != c && o->quick == SEND && o->hold_until > now)
			global_hold = later(global_hold, now + (wait < 1000 ? wait : 1000));
	c->hold_until = now + wait;
	retry_later(c, wait);
}

/* Acts on a failed call for c's first notice. */
static void failed(struct chat *c, const struct botapi_reply *r)
{
	struct job *j = c->head;

	if (botapi_bad_token(r))
		die(EXIT_PERMFAIL, "invalid token: Telegram says %s", r->description);
	if (r->status == BOTAPI_ERROR && r->migrate_to_chat_id) {
		j->chat = j->migrated_to = r->migrate_to_chat_id;
	} else if (r->status == BOTAPI_ERROR && r->error_code == 400 && j->reply_to &&
	           (contains(r->description, "message to be replied not found") ||
	            contains(r->description, "replied message not found"))) {
		j->reply_to = 0;   /* the original is gone; the answer still matters */
	} else if (r->status == BOTAPI_ERROR && r->error_code == 400 && j->edit &&
	           contains(r->description, "message is not modified")) {
		part_sent(c, j->edit);   /* an edit to what it already says */
	} else if (!botapi_temporary(r)) {
		finish_first(c, PERMANENT);
	} else if (r->status == BOTAPI_ERROR && r->error_code == 429) {
		j->retry_after = r->retry_after;
		hold(c, r->retry_after);
	} else if (++j->failures >= opt.tries) {
		retry_later(c, -1);
	} else {
		retry_later(c, botapi_backoff(j->failures - 1, opt.backoff_ms, 30000));
	}
}

/* Acts on the answer to the call in flight for c's first notice. */
static void answer(struct chat *c, const struct botapi_reply *r)
{
	struct job *j = c->head;
	int64_t now = mono_ms(), id = j->edit;

	answered(&c->calls, now);
	if (c->quick == SEND)
		answered(&global, now);
	snprintf(j->error, sizeof j->error, "%s", r->description);
	if (r->status != BOTAPI_OK)
		failed(c, r);
	else if (cJSON_IsObject(r->result) && json_int64(r->result, "message_id", &id) != 0)
		part_sent(c, 0);
	else
		part_sent(c, id);
}

/* Starts one call for c's first notice. */
static void start(struct chat *c, int64_t now)
{
	struct job *j = c->head;
	struct botapi_reply r;
	const char *method;
	cJSON *p = call_for(j, &method);

	if (!j->deadline)
		j->deadline = now + opt.give_up_ms;
	j->calls++;
	started(&c->calls);
	if (c->quick == SEND)
		started(&global);
	if (botapi_start(api, method, p, opt.http_ms, c, &r) != 0) {
		answer(c, &r);
		botapi_reply_free(&r);
	}
	cJSON_Delete(p);
}

/* Acts on every answer that came. */
static void answers(void)
{
	struct botapi_reply r;
	struct chat *c;

	while ((c = botapi_done(api, &r))) {
		answer(c, &r);
		botapi_reply_free(&r);
	}
}

/* --- the scheduler ------------------------------------------------------- */

static int stopped_at_bad_line;   /* --strict */

/* Takes in the notice lines already read, while there is room. */
static void take_lines(struct jsonl *in)
{
	while (room() && jsonl_take(in)) {
		cJSON *notice = jsonl_parse(in);

		if (notice) {
			take(notice, in->lineno, in->len);
		} else if (opt.strict) {
			/* What was read before it is still sent and answered. */
			warn("stopping at the bad line (--strict)");
			stopped_at_bad_line = 1;
			jsonl_stop(in);
		}
	}
}

/* Is there input to read without waiting for it? */
static int input_ready(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 0) > 0;
}

/* Sends every notice in hand, and those in (NULL: none) brings, until
 * all are answered or a signal comes. */
static void run(struct jsonl *in)
{
	for (;;) {
		int want_input = in && !in->eof && room() && !botapi_stopping;
		int64_t now, wake = -1;
		struct chat *c;

		if (botapi_stopping && !botapi_in_flight(api)) {
			interrupt_all();
			return;
		}
		if (want_input && input_ready(in->fd))
			jsonl_fill(in);
		if (in && !botapi_stopping)
			take_lines(in);
		now = mono_ms();
		forget_idle(now);
		while (!botapi_stopping && botapi_in_flight(api) < opt.parallel &&
		       (c = next_chat(now, &wake)))
			start(c, now);
		want_input = in && !in->eof && room() && !botapi_stopping;
		if (!botapi_in_flight(api) && wake < 0 && !want_input)
			return;
		botapi_wait(api, want_input ? in->fd : -1, wake);
		answers();
	}
}

/* --- the two forms ------------------------------------------------------ */

static int notify_lines(void)
{
	struct jsonl in;

	/* Read as they come: notify must know when no more input is
	 * waiting, to send what it has instead of blocking in a read. */
	jsonl_open(&in, STDIN_FILENO, "<stdin>");
	run(&in);
	if (in.failed || stopped_at_bad_line)
		status = EXIT_DATA;
	else if (taken == 0 && status == 0)
		status = EXIT_NONE;
	jsonl_close(&in);
	return status;
}

static char *read_all(FILE *f)
{
	size_t len = 0, cap = 8192, n;
	char *buf = xmalloc(cap);

	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	if (ferror(f))
		die(EXIT_DATA, "read error on <stdin>:");
	buf[len] = '\0';
	if (strlen(buf) != len)
		die(EXIT_USAGE, "the text holds a NUL byte");
	return buf;
}

static int notify_one(int argc, char **argv)
{
	cJSON *notice = cJSON_CreateObject();
	char *text = NULL, *clean;

	if (opt.action) {
		json_set_str(notice, "action", opt.action);
	} else if (argc > 0) {
		size_t n = 0;
		for (int i = 0; i < argc; i++)
			n += strlen(argv[i]) + 1;
		text = xmalloc(n + 1);
		text[0] = '\0';
		for (int i = 0; i < argc; i++) {
			if (i)
				strcat(text, " ");
			strcat(text, argv[i]);
		}
	} else {
		text = read_all(stdin);
	}
	if (text) {
		clean = utf8_sanitize(text, strlen(text));
		free(text);
		if (clean[strspn(clean, " \t\r\n")] == '\0') {
			free(clean);
			cJSON_Delete(notice);
			warn("nothing to send");
			return EXIT_NONE;
		}
		json_set_str(notice, "text", clean);
		free(clean);
	}
	json_set_int64(notice, "chat_id", opt.chat);
	if (opt.reply_to)
		json_set_int64(notice, "reply_to", opt.reply_to);
	if (opt.thread)
		json_set_int64(notice, "thread_id", opt.thread);
	if (opt.edit)
		json_set_int64(notice, "edit_message_id", opt.edit);
	if (opt.parse_mode)
		json_set_str(notice, "parse_mode", opt.parse_mode);
	take(notice, 0, 0);
	run(NULL);
	return status;
}

static void parse_rate(const char *flag, const char *s, struct rate *r)
{
	const char *slash = strchr(s, '/');
	char num[32];
	int64_t n;

	if (strcmp(s, "0") == 0 || strcmp(s, "none") == 0) {
		r->n = 0;
		return;
	}
	if (!slash || (size_t)(slash - s) >= sizeof num)
		usage_error(usage, "bad %s: %s (want N/DURATION, e.g. 20/1m, or none)", flag, s);
	memcpy(num, s, (size_t)(slash - s));
	num[slash - s] = '\0';
	if (parse_int64(num, &n) != 0 || n < 0 || n > RING ||
	    parse_duration(slash + 1, &r->per_ms) != 0)
		usage_error(usage, "bad %s: %s (want N/DURATION, N at most %d)", flag, s, RING);
	r->n = (int)n;
}

static int64_t id_arg(const char *flag, const char *s)
{
	int64_t v;

	if (parse_int64(s, &v) != 0 || v == 0)
		usage_error(usage, "bad %s: %s (want an id)", flag, s);
	return v;
}

static int64_t duration_arg(const char *flag, const char *s)
{
	int64_t v;

	if (parse_duration(s, &v) != 0 || v <= 0)
		usage_error(usage, "bad %s: %s (want a duration)", flag, s);
	return v;
}

static int parse_args(int argc, char **argv)
{
	static const struct option longs[] = {
		{"chat", required_argument, NULL, 'c'},
		{"reply-to", required_argument, NULL, 'r'},
		{"thread", required_argument, NULL, 't'},
		{"parse-mode", required_argument, NULL, 'p'},
		{"silent", no_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{"jsonl", no_argument, NULL, 'J'},
		{"strict", no_argument, NULL, 'S'},
		{"edit", required_argument, NULL, 'e'},
		{"action", required_argument, NULL, 'a'},
		{"chat-rate", required_argument, NULL, '1'},
		{"group-rate", required_argument, NULL, '2'},
		{"global-rate", required_argument, NULL, '3'},
		{"no-pacing", no_argument, NULL, 'P'},
		{"parallel", required_argument, NULL, 'N'},
		{"tries", required_argument, NULL, 'n'},
		{"give-up", required_argument, NULL, 'g'},
		{"backoff", required_argument, NULL, 'b'},
		{"http-timeout", required_argument, NULL, 'H'},
		{"api-url", required_argument, NULL, 'A'},
		{"token-file", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 'c': opt.chat = id_arg("--chat", optarg); opt.have_chat = 1; break;
		case 'r': opt.reply_to = id_arg("--reply-to", optarg); break;
		case 't': opt.thread = id_arg("--thread", optarg); break;
		case 'e': opt.edit = id_arg("--edit", optarg); break;
		case 'p': opt.parse_mode = optarg; break;
		case 's': opt.silent = 1; break;
		case 'j': opt.json = 1; break;
		case 'J': opt.jsonl = 1; break;
		case 'S': opt.strict = 1; break;
		case 'a': opt.action = optarg; break;
		case '1': parse_rate("--chat-rate", optarg, &opt.chat_rate); break;
		case '2': parse_rate("--group-rate", optarg, &opt.group_rate); break;
		case '3': parse_rate("--global-rate", optarg, &opt.global_rate); break;
		case 'P':
			opt.chat_rate.n = opt.group_rate.n = opt.global_rate.n = 0;
			break;
		case 'N':
			if (parse_int64(optarg, &opt.parallel) != 0 || opt.parallel < 1 ||
			    opt.parallel > MAX_PARALLEL)
				usage_error(usage, "bad --parallel: %s (want 1 to %d)", optarg,
				            MAX_PARALLEL);
			break;
		case 'g': opt.give_up_ms = duration_arg("--give-up", optarg); break;
		case 'b': opt.backoff_ms = duration_arg("--backoff", optarg); break;
		case 'H': opt.http_ms = duration_arg("--http-timeout", optarg); break;
		case 'A': opt.api_url = optarg; break;
		case 'T': opt.token_file = optarg; break;
		case 'n':
			if (parse_int64(optarg, &opt.tries) != 0 || opt.tries < 1)
				usage_error(usage, "bad --tries: %s", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		case 'V':
			puts("notify " VERSION);
			exit(0);
		default:
			fputs(usage, stderr);
			exit(EXIT_USAGE);
		}
	}
	if (!valid_parse_mode(opt.parse_mode))
		usage_error(usage, "bad --parse-mode: %s (html or markdownv2)", opt.parse_mode);
	if (opt.jsonl) {
		if (opt.have_chat || optind < argc || opt.edit || opt.action || opt.reply_to)
			usage_error(usage, "--jsonl reads chats and texts from notice lines");
	} else if (!opt.have_chat) {
		usage_error(usage, "--chat is required (or --jsonl)");
	}
	if (opt.action && (optind < argc || opt.edit))
		usage_error(usage, "--action sends no text");
	return optind;
}

int main(int argc, char **argv)
{
	int first;

	tgp_init(argv[0]);
	first = parse_args(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned)(getpid() ^ now_ms()));
	api = botapi_open(opt.api_url, opt.token_file);
	botapi_catch_signals();
	if (opt.jsonl)
		status = notify_lines();
	else
		status = notify_one(argc - first, argv + first);
	botapi_close(api);
	forget_idle(INT64_MAX);
	return status;
}
