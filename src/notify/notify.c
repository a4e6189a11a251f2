/*
 * notify - send Telegram messages and say what became of each.
 *
 *   notify --chat ID [--reply-to MSG] [--thread ID] [--parse-mode MODE]
 *          [--silent] [--json] [--edit MSG | --action ACTION] [TEXT...]
 *   notify --jsonl       notice lines in, one receipt line out per notice
 *
 * A notice (what `promise outbox` prints) carries chat_id, text, and may
 * carry reply_to, thread_id, parse_mode, ref.  Its receipt is the notice
 * with ok, message_ids, and on failure error and permanent (true when
 * sending again cannot help), after a migration migrated_to_chat_id.
 *
 * What it keeps to:
 *  - long text goes out as several messages (split.c), the first one
 *    replying; each message is sent until it is delivered, refused for
 *    good, or the retry budget (--tries, --give-up) is spent;
 *  - Telegram's limits are respected before it has to say so (pacing per
 *    chat, per group, overall), and when it does say so (429) its
 *    retry_after is obeyed;
 *  - a signal never cuts a request in half, where we could not know if
 *    the message went out: it ends the waits, and the notice in hand gets
 *    a temporary-failure receipt.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "botapi.h"
#include "split.h"
#include "tgp.h"

static const char usage[] =
	"usage: notify --chat ID [--reply-to MSG] [--thread ID] [--parse-mode html|markdownv2]\n"
	"              [--silent] [--json] [--edit MSG | --action ACTION] [TEXT...]\n"
	"       notify --jsonl [--strict]\n"
	"  pacing and retries: [--chat-rate N/DUR] [--group-rate N/DUR] [--global-rate N/DUR]\n"
	"              [--tries N] [--give-up DUR] [--backoff DUR] [--http-timeout DUR]\n"
	"  connection: [--api-url URL] [--token-file FILE]\n";

enum outcome { DELIVERED, TEMPORARY, PERMANENT };

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
	int64_t tries, give_up_ms, backoff_ms, http_ms;
} opt = {
	.chat_rate = {1, 1000}, .group_rate = {20, 60000}, .global_rate = {30, 1000},
	.tries = 5, .give_up_ms = 300000, .backoff_ms = 1000, .http_ms = 30000,
};

static struct botapi *api;

/* --- pacing ------------------------------------------------------------ */

enum { RING = 64 };   /* the largest n a rate may have */

struct history {
	int64_t chat;
	int64_t t[RING];  /* send times, newest at head - 1 */
	int head, count;
};

static struct history global;
static struct history *chats;
static size_t nchats;

static struct history *history_of(int64_t chat)
{
	for (size_t i = 0; i < nchats; i++)
		if (chats[i].chat == chat)
			return &chats[i];
	chats = xrealloc(chats, (nchats + 1) * sizeof *chats);
	memset(&chats[nchats], 0, sizeof *chats);
	chats[nchats].chat = chat;
	return &chats[nchats++];
}

/* When the next send may go under rate, judged by history h. */
static int64_t allowed_at(const struct history *h, struct rate rate)
{
	if (rate.n <= 0 || h->count < rate.n)
		return 0;
	return h->t[(h->head - rate.n + RING) % RING] + rate.per_ms;
}

static void record(struct history *h, int64_t t)
{
	h->t[h->head] = t;
	h->head = (h->head + 1) % RING;
	if (h->count < RING)
		h->count++;
}

/* Waits until chat may be sent to; -1 when a signal came meanwhile. */
static int pace(int64_t chat)
{
	struct history *h = history_of(chat);
	int64_t at = allowed_at(&global, opt.global_rate), t;

	if ((t = allowed_at(h, opt.chat_rate)) > at)
		at = t;
	/* Negative ids are groups and channels: the stricter limit. */
	if (chat < 0 && (t = allowed_at(h, opt.group_rate)) > at)
		at = t;
	if (at > mono_ms() && botapi_sleep(at - mono_ms()) != 0)
		return -1;
	t = mono_ms();
	record(h, t);
	record(&global, t);
	return 0;
}

/* --- one message, until it is delivered or given up -------------------- */

struct send {
	int64_t chat;          /* changes when the chat migrates */
	int64_t migrated_to;   /* 0 unless it did */
	int64_t reply_to;      /* 0 once dropped */
	int64_t deadline;
	char error[512];
};

static int contains(const char *s, const char *what)
{
	return strcasestr(s, what) != NULL;
}

/* Sends method with p; p's chat_id and reply follow what Telegram says.
 * On success *msg_id is the message's id. */
static enum outcome send_one(struct send *sd, const char *method, cJSON *p,
                             int64_t *msg_id)
{
	int failures = 0, calls = 0;

	for (;;) {
		struct botapi_reply r;
		int64_t wait;

		if (pace(sd->chat) != 0)
			goto interrupted;
		json_set_int64(p, "chat_id", sd->chat);
		enum botapi_status s = botapi_call(api, method, p, opt.http_ms, 0, &r);
		calls++;
		snprintf(sd->error, sizeof sd->error, "%s", r.description);
		if (s == BOTAPI_OK) {
			if (cJSON_IsObject(r.result) &&
			    json_int64(r.result, "message_id", msg_id) != 0)
				*msg_id = 0;
			botapi_reply_free(&r);
			return DELIVERED;
		}
		if (botapi_bad_token(&r))
			die(EXIT_PERMFAIL, "invalid token: Telegram says %s", r.description);
		if (s == BOTAPI_ERROR && r.migrate_to_chat_id) {
			sd->chat = sd->migrated_to = r.migrate_to_chat_id;
			botapi_reply_free(&r);
			continue;
		}
		if (s == BOTAPI_ERROR && r.error_code == 400 && sd->reply_to &&
		    (contains(r.description, "message to be replied not found") ||
		     contains(r.description, "replied message not found"))) {
			/* The original is gone; the answer still matters. */
			sd->reply_to = 0;
			cJSON_DeleteItemFromObjectCaseSensitive(p, "reply_parameters");
			botapi_reply_free(&r);
			continue;
		}
		if (s == BOTAPI_ERROR && r.error_code == 400 && *msg_id &&
		    contains(r.description, "message is not modified")) {
			botapi_reply_free(&r);
			return DELIVERED;   /* an edit to what it already says */
		}
		if (!botapi_temporary(&r)) {
			botapi_reply_free(&r);
			return PERMANENT;
		}
		if (r.status == BOTAPI_ERROR && r.error_code == 429)
			wait = (r.retry_after > 0 ? r.retry_after : 1) * 1000;
		else if (++failures >= opt.tries)
			wait = -1;
		else
			wait = botapi_backoff(failures - 1, opt.backoff_ms, 30000);
		botapi_reply_free(&r);
		if (wait < 0 || mono_ms() + wait > sd->deadline) {
			size_t n = strlen(sd->error);
			snprintf(sd->error + n, sizeof sd->error - n, " (gave up after %d %s)",
			         calls, calls > 1 ? "tries" : "try");
			return TEMPORARY;
		}
		if (botapi_sleep(wait) != 0)
			goto interrupted;
	}
interrupted:
	snprintf(sd->error, sizeof sd->error, "interrupted before it was sent");
	return TEMPORARY;
}

/* --- a notice ----------------------------------------------------------- */

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

static cJSON *base_params(const cJSON *notice, const char *parse_mode)
{
	cJSON *p = cJSON_CreateObject();
	int64_t thread;

	if (json_int64(notice, "thread_id", &thread) == 0 && thread)
		json_set_int64(p, "message_thread_id", thread);
	if (parse_mode)
		json_set_str(p, "parse_mode", strcasecmp(parse_mode, "html") == 0 ?
		             "HTML" : "MarkdownV2");
	if (json_bool(notice, "silent", opt.silent))
		json_set_bool(p, "disable_notification", 1);
	return p;
}

static void finish_receipt(cJSON *rc, enum outcome o, const char *error,
                           int64_t migrated_to, cJSON *ids)
{
	static const char *mine[] = {"ok", "message_ids", "error", "permanent",
	                             "migrated_to_chat_id", NULL};

	for (int i = 0; mine[i]; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(rc, mine[i]);
	json_set_bool(rc, "ok", o == DELIVERED);
	cJSON_AddItemToObject(rc, "message_ids", ids);
	if (o != DELIVERED) {
		json_set_str(rc, "error", error);
		json_set_bool(rc, "permanent", o == PERMANENT);
	}
	if (migrated_to)
		json_set_int64(rc, "migrated_to_chat_id", migrated_to);
}

/* Delivers one notice; turns it into its receipt in place. */
static enum outcome deliver(cJSON *notice)
{
	struct send sd = {.deadline = mono_ms() + opt.give_up_ms};
	cJSON *ids = cJSON_CreateArray();
	const char *text = json_str(notice, "text");
	const char *parse_mode = json_str(notice, "parse_mode");
	const char *action = json_str(notice, "action");
	int64_t edit = 0;
	enum outcome o = DELIVERED;
	char **parts = NULL;
	size_t nparts = 0;

	if (json_int64(notice, "chat_id", &sd.chat) != 0) {
		snprintf(sd.error, sizeof sd.error, "the notice has no chat_id");
		o = PERMANENT;
		goto done;
	}
	if (json_int64(notice, "reply_to", &sd.reply_to) != 0)
		sd.reply_to = 0;
	json_int64(notice, "edit", &edit);
	if (!valid_parse_mode(parse_mode)) {
		snprintf(sd.error, sizeof sd.error, "unknown parse_mode %s", parse_mode);
		o = PERMANENT;
		goto done;
	}
	if (action) {
		cJSON *p = cJSON_CreateObject();
		int64_t none = 0;
		json_set_str(p, "action", action);
		o = send_one(&sd, "sendChatAction", p, &none);
		cJSON_Delete(p);
		goto done;
	}
	if (text)
		nparts = split_text(text, strlen(text), TELEGRAM_MAX_TEXT,
		                    mode_of(parse_mode), &parts);
	if (nparts == 0) {
		snprintf(sd.error, sizeof sd.error, "the notice has no text");
		o = PERMANENT;
		goto done;
	}
	for (size_t i = 0; i < nparts && o == DELIVERED; i++) {
		cJSON *p = base_params(notice, parse_mode);
		int64_t id = 0;
		const char *method = "sendMessage";

		json_set_str(p, "text", parts[i]);
		if (i == 0 && edit) {
			method = "editMessageText";
			json_set_int64(p, "message_id", edit);
			id = edit;
		} else if (i == 0 && sd.reply_to) {
			cJSON *rp = cJSON_AddObjectToObject(p, "reply_parameters");
			json_set_int64(rp, "message_id", sd.reply_to);
		}
		o = send_one(&sd, method, p, &id);
		if (o == DELIVERED)
			cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)id));
		cJSON_Delete(p);
	}
done:
	split_free(parts, nparts);
	finish_receipt(notice, o, sd.error, sd.migrated_to, ids);
	return o;
}

/* --- the two forms ------------------------------------------------------ */

static int worst(int status, enum outcome o)
{
	/* Something worth retrying outranks something lost for good: the
	 * caller can still act on it. */
	if (o == TEMPORARY)
		return EXIT_TEMPFAIL;
	if (o == PERMANENT && status != EXIT_TEMPFAIL)
		return EXIT_PERMFAIL;
	return status;
}

static void put_receipt(const cJSON *rc)
{
	if (jsonl_put(stdout, rc) != 0)
		die(EXIT_DATA, "write error on stdout:");
}

static int notify_lines(void)
{
	struct jsonl in;
	int status = 0, any = 0;

	jsonl_open(&in, stdin, "<stdin>");
	while (!botapi_stopping && jsonl_getline(&in) > 0) {
		cJSON *notice = jsonl_parse(&in);

		if (!notice) {
			if (opt.strict)
				die(EXIT_DATA, "stopping at the bad line (--strict)");
			continue;
		}
		any = 1;
		status = worst(status, deliver(notice));
		const char *err = json_str(notice, "error");
		if (err) {
			char *ref = cJSON_PrintUnformatted(
				cJSON_GetObjectItemCaseSensitive(notice, "ref"));
			warn("<stdin>:%ld: notice %s: %s", in.lineno, ref ? ref : "without ref", err);
			free(ref);
		}
		put_receipt(notice);
		cJSON_Delete(notice);
	}
	if (ferror(stdin))
		status = EXIT_DATA;
	jsonl_close(&in);
	return any || status ? status : EXIT_NONE;
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
	enum outcome o;

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
		json_set_int64(notice, "edit", opt.edit);
	if (opt.parse_mode)
		json_set_str(notice, "parse_mode", opt.parse_mode);
	o = deliver(notice);
	if (o != DELIVERED)
		warn("%s", json_str(notice, "error"));
	if (opt.json)
		put_receipt(notice);
	cJSON_Delete(notice);
	return worst(0, o);
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
	int status, first;

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
	free(chats);
	return status;
}
