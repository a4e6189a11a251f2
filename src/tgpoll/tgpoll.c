/*
 * tgpoll - read a Telegram bot's updates and print one line per update.
 *
 * Long-polls getUpdates and writes each update as a normalized JSON line
 * (update_id kind chat_id chat_type message_id thread_id user_id username
 * first_name text date reply_to_message_id reply_to_bot media edited
 * addressed, or for a button press callback_id and data; update.c builds
 * it), flushed at once.  getMe at start says what is addressed to us.
 *
 * The invariants, which together mean nothing is lost or printed twice:
 *  - the offset is advanced (in memory, then atomically in the offset
 *    file) only after the update's line was written to stdout, and made
 *    durable before the next call tells Telegram;
 *  - Telegram forgets updates only when asked with an offset past them,
 *    and we only ever ask with the offset we have saved;
 *  - an update is never skipped for its id: ids restart after a week of
 *    silence, so whatever Telegram returns is printed, and an offset
 *    file older than a week is not trusted.
 * SIGTERM and SIGINT cut a long poll short, finish the line in hand,
 * confirm the offset to Telegram and exit 0.  A closed stdout ends
 * tgpoll quietly, with the unwritten updates left unconfirmed.
 *
 * With --webhook Telegram sends the updates instead (webhook.c serves
 * them): the same lines, and the same invariant in another form: an
 * update is answered 200, which makes Telegram forget it, only once its
 * line was written and synced.  An update Telegram sends again because
 * our answer was lost is known by its id and printed once.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "botapi.h"
#include "tgp.h"
#include "update.h"
#include "webhook.h"

static const char usage[] =
	"usage: tgpoll [--once] [--timeout SEC] [--offset-file FILE] [--raw]\n"
	"              [--allow-chat ID,...] [--allow-user ID,...] [--delete-webhook]\n"
	"              [--limit N] [--max-backoff DUR] [--http-timeout DUR]\n"
	"              [--no-commands] [--api-url URL] [--token-file FILE]\n"
	"       tgpoll --webhook ADDR:PORT --webhook-url URL [--webhook-timeout DUR]\n"
	"              [--offset-file FILE] [--raw] [--allow-chat ID,...] [--allow-user ID,...]\n"
	"              [--no-commands] [--api-url URL] [--token-file FILE]\n";

#define STALE_OFFSET_MS (7 * 24 * 3600 * 1000LL)

struct idlist {
	int64_t *v;
	size_t n;
};

static struct {
	int once, raw, delete_webhook, no_commands;
	int64_t timeout_s, limit, max_backoff_ms, margin_ms, webhook_timeout_ms;
	const char *offset_file, *api_url, *token_file, *webhook, *webhook_url;
	struct idlist chats, users;
} opt = {
	.timeout_s = 50, .limit = 100, .max_backoff_ms = 60000, .margin_ms = 10000,
	.webhook_timeout_ms = 10000,
};

/* The menu of commands a user sees when typing "/" (setMyCommands). */
static const char *const commands[][2] = {
	{"jobs", "List your open tasks"},
	{"status", "Where a task stands: /status N"},
	{"cancel", "Cancel a task: /cancel N"},
	{"retry", "Run a failed task again: /retry N"},
	{"help", "What I can do"},
};

/* What webhooks deliver (setWebhook's allowed_updates). */
static const char *const update_kinds[] = {
	"message", "edited_message", "channel_post", "edited_channel_post",
	"callback_query", "my_chat_member",
};

static struct botapi *api;
static struct bot_self me;
static char *my_username;
static int64_t offset;      /* the next update wanted; 0: none saved */
static int64_t told;        /* the offset Telegram last saw */

static void parse_ids(const char *s, struct idlist *l)
{
	char *copy = xstrdup(s), *save = NULL;

	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int64_t v;
		if (parse_int64(tok, &v) != 0)
			usage_error(usage, "not an id: %s", tok);
		l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = v;
	}
	free(copy);
}

static int listed(const struct idlist *l, int64_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == id)
			return 1;
	return 0;
}

static void parse_args(int argc, char **argv)
{
	static const struct option longs[] = {
		{"once", no_argument, NULL, '1'},
		{"timeout", required_argument, NULL, 't'},
		{"offset-file", required_argument, NULL, 'o'},
		{"raw", no_argument, NULL, 'r'},
		{"allow-chat", required_argument, NULL, 'c'},
		{"allow-user", required_argument, NULL, 'u'},
		{"delete-webhook", no_argument, NULL, 'W'},
		{"no-commands", no_argument, NULL, 'C'},
		{"webhook", required_argument, NULL, 'w'},
		{"webhook-url", required_argument, NULL, 'U'},
		{"webhook-timeout", required_argument, NULL, 'R'},
		{"limit", required_argument, NULL, 'l'},
		{"max-backoff", required_argument, NULL, 'B'},
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
		case '1': opt.once = 1; break;
		case 'r': opt.raw = 1; break;
		case 'W': opt.delete_webhook = 1; break;
		case 'C': opt.no_commands = 1; break;
		case 'w': opt.webhook = optarg; break;
		case 'U': opt.webhook_url = optarg; break;
		case 'R':
			if (parse_duration(optarg, &opt.webhook_timeout_ms) != 0 ||
			    opt.webhook_timeout_ms < 1)
				usage_error(usage, "bad --webhook-timeout: %s", optarg);
			break;
		case 'o': opt.offset_file = optarg; break;
		case 'A': opt.api_url = optarg; break;
		case 'T': opt.token_file = optarg; break;
		case 'c': parse_ids(optarg, &opt.chats); break;
		case 'u': parse_ids(optarg, &opt.users); break;
		case 't':
			if (parse_int64(optarg, &opt.timeout_s) != 0 ||
			    opt.timeout_s < 0 || opt.timeout_s > 3600)
				usage_error(usage, "bad --timeout: %s (seconds, 0-3600)", optarg);
			break;
		case 'l':
			if (parse_int64(optarg, &opt.limit) != 0 ||
			    opt.limit < 1 || opt.limit > 100)
				usage_error(usage, "bad --limit: %s (1-100)", optarg);
			break;
		case 'B':
			if (parse_duration(optarg, &opt.max_backoff_ms) != 0 ||
			    opt.max_backoff_ms < 1)
				usage_error(usage, "bad --max-backoff: %s", optarg);
			break;
		case 'H':
			if (parse_duration(optarg, &opt.margin_ms) != 0 || opt.margin_ms < 1)
				usage_error(usage, "bad --http-timeout: %s", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		case 'V':
			puts("tgpoll " VERSION);
			exit(0);
		default:
			fputs(usage, stderr);
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc)
		usage_error(usage, "unexpected argument: %s", argv[optind]);
	if (!opt.webhook != !opt.webhook_url)
		usage_error(usage, "--webhook and --webhook-url go together");
	if (opt.webhook && (opt.once || opt.delete_webhook))
		usage_error(usage, "--webhook does not poll: no --once or --delete-webhook");
	if (opt.webhook_url && strncmp(opt.webhook_url, "https://", 8) != 0 &&
	    strncmp(opt.webhook_url, "http://", 7) != 0)
		usage_error(usage, "bad --webhook-url: %s (want https://...)", opt.webhook_url);
}

static char *default_offset_file(void)
{
	char *dir = state_dir(), *path;
	size_t n = strlen(dir) + 48;

	path = xmalloc(n);
	snprintf(path, n, "%s/tgpoll-%lld.offset", dir,
	         (long long)botapi_bot_id(api));
	free(dir);
	return path;
}

/* The saved offset, or 0 when there is none worth trusting. */
static int64_t load_offset(const char *path)
{
	char buf[64];
	struct stat st;
	int64_t v;
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f) {
		if (errno != ENOENT)
			die(EXIT_DATA, "cannot open offset file %s:", path);
		return 0;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	buf[strcspn(buf, " \n")] = '\0';     /* the record's padding */
	if (fstat(fileno(f), &st) != 0)
		die(EXIT_DATA, "cannot stat offset file %s:", path);
	fclose(f);
	if (parse_int64(buf, &v) != 0)
		die(EXIT_DATA, "offset file %s does not hold an offset", path);
	/* After a week without updates Telegram picks new ids at random:
	 * an old offset could confirm (drop) updates never seen. */
	if (now_ms() - (int64_t)st.st_mtime * 1000 > STALE_OFFSET_MS) {
		warn("offset file %s is over a week old; starting from what Telegram holds", path);
		return 0;
	}
	return v;
}

static int dir_fd = -1;     /* the offset file's directory */
static int offset_fd = -1;  /* the offset file, kept open */

/*
 * Writes the offset in place as one fixed-width record (the number, then
 * blanks, so every write covers the whole file): a single write of 21 bytes within
 * one page is never torn by a crash of the process, even kill -9, so the
 * file holds the old offset or the new one.  This costs one pwrite per
 * line; making it durable costs a disk flush, so that is done once per
 * batch (sync_offset), before the next getUpdates call confirms anything
 * to Telegram: a power loss can then only bring back lines of the last
 * batch, never lose one.
 */
static void save_offset(const char *path, int64_t v)
{
	char line[32];
	int len = snprintf(line, sizeof line, "%-20lld\n", (long long)v);

	if (offset_fd < 0)
		offset_fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (offset_fd < 0 || pwrite(offset_fd, line, (size_t)len, 0) != len)
		die(EXIT_DATA, "cannot write offset file %s:", path);
}

static void sync_offset(const char *path)
{
	if (offset_fd < 0 || fsync(offset_fd) != 0)
		die(EXIT_DATA, "cannot sync offset file %s:", path);
	if (dir_fd < 0) {
		char *dir = xstrdup(path), *slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		dir_fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		free(dir);
	}
	if (dir_fd >= 0 && fsync(dir_fd) != 0)
		die(EXIT_DATA, "cannot sync the directory of %s:", path);
}

static int allowed(const cJSON *line)
{
	int64_t chat = 0, user = 0;
	int has_chat = json_int64(line, "chat_id", &chat) == 0;
	int has_user = json_int64(line, "user_id", &user) == 0;

	if (!opt.chats.n && !opt.users.n)
		return 1;
	return (has_chat && listed(&opt.chats, chat)) ||
	       (has_user && listed(&opt.users, user));
}

/* In webhook mode a line must be on disk before Telegram forgets its
 * update: fsync when stdout is a file (a pipe's reader owns the rest). */
static void sync_stdout(void)
{
	struct stat st;

	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    fsync(STDOUT_FILENO) != 0)
		die(EXIT_DATA, "cannot sync stdout:");
}

static void print_line(const cJSON *line)
{
	if (jsonl_put(stdout, line) == 0) {
		if (opt.webhook)
			sync_stdout();
		return;
	}
	/* The reader is gone (head, a crashed stage): end quietly, and do
	 * not confirm this update, which nobody read. */
	if (errno == EPIPE)
		_exit(0);
	die(EXIT_DATA, "write error on stdout:");
}

/* Prints (or drops) one update and moves the offset past it; -1 when
 * it has no update_id. */
static int handle_update(const cJSON *upd)
{
	cJSON *line = update_normalize(upd, opt.raw, &me);
	int64_t id, chat = 0, user = 0;

	if (!line) {
		warn("an update without update_id; skipped");
		return -1;
	}
	json_int64(line, "update_id", &id);
	if (allowed(line)) {
		print_line(line);
	} else {
		json_int64(line, "chat_id", &chat);
		json_int64(line, "user_id", &user);
		warn("update %lld from chat %lld, user %lld is not allowed; dropped",
		     (long long)id, (long long)chat, (long long)user);
	}
	cJSON_Delete(line);
	offset = id + 1;
	save_offset(opt.offset_file, offset);
	return 0;
}

/* Prints (or drops) each update in turn; returns how many were seen. */
static size_t handle_batch(const cJSON *result)
{
	size_t seen = 0;

	for (const cJSON *upd = result ? result->child : NULL; upd; upd = upd->next) {
		if (handle_update(upd) != 0)
			continue;
		seen++;
		if (botapi_stopping)
			break;   /* finish the line in hand, no more */
	}
	if (seen)
		sync_offset(opt.offset_file);
	return seen;
}

/* getUpdates; the offset it carries confirms what came before. */
static enum botapi_status get_updates(int64_t timeout_s, int64_t limit,
                                      int64_t http_ms, int flags,
                                      struct botapi_reply *r)
{
	cJSON *p = cJSON_CreateObject();
	enum botapi_status s;

	if (offset)
		json_set_int64(p, "offset", offset);
	json_set_int64(p, "timeout", timeout_s);
	json_set_int64(p, "limit", limit);
	s = botapi_call(api, "getUpdates", p, http_ms, flags, r);
	cJSON_Delete(p);
	if (s == BOTAPI_OK || s == BOTAPI_ERROR)
		told = offset;
	return s;
}

/* Tells Telegram what was printed, so it does not send it again. */
static void confirm(void)
{
	struct botapi_reply r;

	if (!offset || offset == told)
		return;
	/* Bounded: the offset file already holds it, this only spares
	 * Telegram a resend after a restart. */
	if (get_updates(0, 1, 1000, 0, &r) != BOTAPI_OK)
		warn("could not confirm offset %lld to Telegram: %s (it is saved in %s)",
		     (long long)offset, r.description, opt.offset_file);
	botapi_reply_free(&r);
}

/* A 409: a webhook is set, or another getUpdates is running. */
static void conflict(const struct botapi_reply *r409)
{
	struct botapi_reply r;
	const char *url = NULL;

	if (botapi_call(api, "getWebhookInfo", NULL, opt.margin_ms, 0, &r) == BOTAPI_OK)
		url = json_str(r.result, "url");
	if (url && *url) {
		botapi_reply_free(&r);
		if (!opt.delete_webhook)
			die(EXIT_CONFLICT, "a webhook is set for this bot, so getUpdates "
			    "cannot be used; --delete-webhook removes it");
		if (botapi_call(api, "deleteWebhook", NULL, opt.margin_ms, 0, &r) != BOTAPI_OK)
			die(EXIT_TEMPFAIL, "deleteWebhook: %s", r.description);
		warn("deleted the webhook; polling");
		botapi_reply_free(&r);
		return;
	}
	botapi_reply_free(&r);
	die(EXIT_CONFLICT, "another poller is reading this bot's updates (%s)",
	    r409->description);
}

/* Waits after a failed call; returns -1 when told to stop meanwhile. */
static int wait_to_retry(const char *method, const struct botapi_reply *r, int *failures)
{
	size_t n = strlen(method);
	int64_t ms;

	/* A network error's description names the method already. */
	if (strncmp(r->description, method, n) == 0 && r->description[n] == ':')
		method = "";

	if (r->status == BOTAPI_ERROR && r->error_code == 429) {
		ms = (r->retry_after > 0 ? r->retry_after : 1) * 1000;
		warn("%s%s%s; waiting %llds", method, *method ? ": " : "", r->description,
		     (long long)(ms / 1000));
	} else {
		char d[32];
		ms = botapi_backoff((*failures)++, 500, opt.max_backoff_ms);
		warn("%s%s%s; retrying in %s", method, *method ? ": " : "", r->description,
		     fmt_duration(ms, d));
	}
	return botapi_sleep(ms);
}

/*
 * Calls method until Telegram says yes: a temporary failure is retried
 * with backoff (with --once it is fatal, exit 7), a bad token or another
 * refusal is fatal.  Returns -1 when a stop signal came first.
 */
static int call_until_ok(const char *method, const cJSON *params, struct botapi_reply *r)
{
	int failures = 0;

	for (;;) {
		enum botapi_status s = botapi_call(api, method, params, opt.margin_ms,
		                                   BOTAPI_INTERRUPTIBLE, r);
		if (s == BOTAPI_OK)
			return 0;
		if (s == BOTAPI_STOPPED) {
			botapi_reply_free(r);
			return -1;
		}
		if (botapi_bad_token(r))
			die(EXIT_PERMFAIL, "invalid token: Telegram says %s", r->description);
		if (!botapi_temporary(r))
			die(EXIT_PERMFAIL, "%s: %s", method, r->description);
		if (opt.once)
			die(EXIT_TEMPFAIL, "%s: %s", method, r->description);
		int stop = wait_to_retry(method, r, &failures);
		botapi_reply_free(r);
		if (stop)
			return -1;
	}
}

/* getMe: our id and username, which say what in a group is for us. */
static int learn_self(void)
{
	struct botapi_reply r;
	const char *name;

	if (call_until_ok("getMe", NULL, &r) != 0)
		return -1;
	if (json_int64(r.result, "id", &me.id) != 0)
		me.id = botapi_bot_id(api);
	name = json_str(r.result, "username");
	if (name && *name && strspn(name, "abcdefghijklmnopqrstuvwxyz"
	                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(name))
		me.username = my_username = xstrdup(name);
	else
		warn("getMe gave no usable username: in groups only plain /commands "
		     "and replies reach the bot");
	botapi_reply_free(&r);
	return 0;
}

/* setMyCommands: the menu is a convenience, so a failure only warns. */
static void set_commands(void)
{
	cJSON *p = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(p, "commands");
	struct botapi_reply r;

	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		cJSON *c = cJSON_CreateObject();
		json_set_str(c, "command", commands[i][0]);
		json_set_str(c, "description", commands[i][1]);
		cJSON_AddItemToArray(list, c);
	}
	if (botapi_call(api, "setMyCommands", p, opt.margin_ms, BOTAPI_INTERRUPTIBLE,
	                &r) != BOTAPI_OK && r.status != BOTAPI_STOPPED)
		warn("setMyCommands: %s (the command menu is not set)", r.description);
	botapi_reply_free(&r);
	cJSON_Delete(p);
}

/* Polls until stopped (or once); returns the exit status. */
static int poll_loop(void)
{
	int failures = 0;
	size_t total = 0;

	for (;;) {
		struct botapi_reply r;
		enum botapi_status s = get_updates(opt.timeout_s, opt.limit,
		                                   opt.timeout_s * 1000 + opt.margin_ms,
		                                   BOTAPI_INTERRUPTIBLE, &r);
		if (s == BOTAPI_STOPPED) {
			botapi_reply_free(&r);
			return 0;
		}
		if (s == BOTAPI_OK) {
			failures = 0;
			total += handle_batch(r.result);
			botapi_reply_free(&r);
			if (opt.once)
				return total ? 0 : EXIT_NONE;
			if (botapi_stopping)
				return 0;
			continue;
		}
		if (botapi_bad_token(&r))
			die(EXIT_PERMFAIL, "invalid token: Telegram says %s", r.description);
		if (s == BOTAPI_ERROR && r.error_code == 409) {
			conflict(&r);
			botapi_reply_free(&r);
			continue;
		}
		if (!botapi_temporary(&r))
			die(EXIT_PERMFAIL, "getUpdates: %s", r.description);
		if (opt.once)
			die(EXIT_TEMPFAIL, "getUpdates: %s", r.description);
		int stop = wait_to_retry("getUpdates", &r, &failures);
		botapi_reply_free(&r);
		if (stop)
			return 0;
	}
}

/* --- webhooks ------------------------------------------------------------ */

/* The secret Telegram sends with every update: $TGPROMISE_WEBHOOK_SECRET,
 * else 43 random characters of the set Telegram allows. */
static char *webhook_secret(void)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                          "0123456789_-";
	const char *env = getenv("TGPROMISE_WEBHOOK_SECRET");
	unsigned char raw[43];
	char *s;

	if (env && *env) {
		size_t n = strlen(env);
		if (n > 256 || strspn(env, set) != n)
			die(EXIT_USAGE, "TGPROMISE_WEBHOOK_SECRET must be 1 to 256 of "
			    "A-Z a-z 0-9 _ -");
		tgp_secret(env);
		return xstrdup(env);
	}
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
		die(EXIT_DATA, "getrandom:");
	s = xmalloc(sizeof raw + 1);
	for (size_t i = 0; i < sizeof raw; i++)
		s[i] = set[raw[i] & 63];   /* 64 characters: no bias */
	s[sizeof raw] = '\0';
	explicit_bzero(raw, sizeof raw);
	tgp_secret(s);
	return s;
}

/* setWebhook, so that Telegram sends to us; -1 when stopped first. */
static int set_webhook(const char *secret)
{
	cJSON *p = cJSON_CreateObject(), *kinds;
	struct botapi_reply r;
	int rc;

	json_set_str(p, "url", opt.webhook_url);
	json_set_str(p, "secret_token", secret);
	kinds = cJSON_AddArrayToObject(p, "allowed_updates");
	for (size_t i = 0; i < sizeof update_kinds / sizeof *update_kinds; i++)
		cJSON_AddItemToArray(kinds, cJSON_CreateString(update_kinds[i]));
	/* One at a time: updates come in order, and we serve one anyway. */
	json_set_int64(p, "max_connections", 1);
	rc = call_until_ok("setWebhook", p, &r);
	if (rc == 0)
		botapi_reply_free(&r);
	cJSON_Delete(p);
	return rc;
}

/* Ids of the updates printed lately: Telegram sends an update again
 * when our answer was lost, and it must not be printed twice. */
enum { SEEN = 1024 };
static int64_t seen_ids[SEEN];
static size_t seen_n, seen_next;

static int seen(int64_t id)
{
	for (size_t i = 0; i < seen_n; i++)
		if (seen_ids[i] == id)
			return 1;
	return 0;
}

static void remember(int64_t id)
{
	seen_ids[seen_next] = id;
	seen_next = (seen_next + 1) % SEEN;
	if (seen_n < SEEN)
		seen_n++;
}

/* Serves Telegram's requests on w until stopped; returns the exit status. */
static int webhook_loop(struct webhook *w, const char *secret)
{
	cJSON *upd;

	/* The offset file holds the update after the last one printed:
	 * the one a crash may have left unanswered, and Telegram may send
	 * again. */
	if (offset)
		remember(offset - 1);
	if (set_webhook(secret) != 0)
		return 0;
	while ((upd = webhook_next(w, botapi_wake_fd(), &botapi_stopping))) {
		int64_t id;

		json_int64(upd, "update_id", &id);
		if (!seen(id)) {
			handle_update(upd);
			sync_offset(opt.offset_file);
			remember(id);
		}
		cJSON_Delete(upd);
		webhook_answer(w, 200);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int status = 0;
	char *path = NULL, *secret = NULL;
	struct webhook *hook = NULL;

	tgp_init(argv[0]);
	parse_args(argc, argv);
	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned)(getpid() ^ now_ms()));
	api = botapi_open(opt.api_url, opt.token_file);
	/* A bad address or a port in use is said before anything is
	 * asked of Telegram. */
	if (opt.webhook) {
		secret = webhook_secret();
		hook = webhook_listen(opt.webhook, secret, opt.webhook_timeout_ms);
	}
	if (!opt.offset_file)
		opt.offset_file = path = default_offset_file();
	offset = load_offset(opt.offset_file);
	botapi_catch_signals();
	if (learn_self() == 0) {
		if (!opt.no_commands)
			set_commands();
		if (hook) {
			status = webhook_loop(hook, secret);
		} else {
			status = poll_loop();
			confirm();
		}
	}
	webhook_close(hook);
	if (secret)
		explicit_bzero(secret, strlen(secret));
	free(secret);
	botapi_close(api);
	free(path);
	free(my_username);
	return status;
}
