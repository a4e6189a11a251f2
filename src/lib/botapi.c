/*
 * botapi.c - the Telegram Bot API over libcurl (see botapi.h).
 *
 * The easy handle lives in a multi handle for the whole process: the
 * multi interface keeps the connection alive between calls and lets a
 * long poll wait on a self-pipe as well as the socket, so a SIGTERM ends
 * it at once instead of at libcurl's next progress tick.
 *
 * Nothing libcurl says reaches stderr as is: no CURLOPT_VERBOSE, its
 * error buffer is scrubbed of the token, and the URL is never printed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "botapi.h"

enum {
	CONNECT_TIMEOUT_MS = 10000,
	MAX_BODY = 64 << 20,    /* a getUpdates batch is far smaller */
	MAX_TOKEN = 256,
};

/* A reply body as it comes in. */
struct body {
	char *buf;
	size_t len, cap;
	int overflow;
};

/* One request of botapi_start's, in flight or finished. */
struct request {
	CURL *easy;
	struct body body;
	char errbuf[CURL_ERROR_SIZE];
	char method[64];
	char *json;
	void *user;
	int result;             /* libcurl's, once finished */
	int active;             /* in the multi handle */
	struct request *next;   /* in the done list, or the spare list */
	struct request *all;    /* every request made, to free them */
};

struct botapi {
	CURLM *multi;
	CURL *easy;
	struct curl_slist *headers;
	char *root;             /* https://api.telegram.org/bot<TOKEN>/ */
	int64_t bot_id;
	char errbuf[CURL_ERROR_SIZE];
	struct body body;
	/* botapi_start's requests: their own multi handle, so that a
	 * blocking call never reads their completions, and its pool */
	CURLM *pool;
	int in_flight, stop_seen;
	struct request *done, *done_tail, *spare, *all;
};

volatile sig_atomic_t botapi_stopping;
static int wake[2] = {-1, -1};

static void on_stop(int sig)
{
	int saved = errno;

	(void)sig;
	botapi_stopping = 1;
	if (wake[1] >= 0 && write(wake[1], "x", 1) < 0) {
		/* The pipe is full: a wake-up is already pending. */
	}
	errno = saved;
}

void botapi_catch_signals(void)
{
	struct sigaction sa;

	if (wake[0] < 0) {
		if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0)
			die(EXIT_DATA, "pipe:");
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

int botapi_wake_fd(void)
{
	return wake[0];
}

int botapi_sleep(int64_t ms)
{
	int64_t end = mono_ms() + ms;

	for (;;) {
		int64_t left = end - mono_ms();
		struct pollfd p = {.fd = wake[0], .events = POLLIN};

		if (botapi_stopping)
			return -1;
		if (left <= 0)
			return 0;
		/* fd -1 is ignored by poll: a plain sleep without signals. */
		poll(&p, 1, left > 1000 ? 1000 : (int)left);
	}
}

int64_t botapi_backoff(int n, int64_t base_ms, int64_t cap_ms)
{
	int64_t d = base_ms;

	while (n-- > 0 && d < cap_ms)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	/* Half fixed, half random: spread clients that failed together. */
	return d / 2 + (d > 1 ? random() % (d - d / 2) : 0);
}

/* Reads and checks the token; it must look like 123456:ABC-def_... */
static char *read_token(const char *file)
{
	char buf[MAX_TOKEN + 2];
	const char *src;
	size_t n;

	if (file) {
		struct stat st;
		FILE *f = fopen(file, "r");

		if (!f)
			die(EXIT_USAGE, "cannot open token file %s:", file);
		if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
			warn("token file %s is readable by others; chmod 600 it", file);
		n = fread(buf, 1, sizeof buf - 1, f);
		if (ferror(f))
			die(EXIT_USAGE, "cannot read token file %s:", file);
		fclose(f);
		buf[n] = '\0';
		src = buf;
	} else {
		src = getenv("TELEGRAM_BOT_TOKEN");
		if (!src || !*src)
			die(EXIT_USAGE, "no bot token: use --token-file or set TELEGRAM_BOT_TOKEN");
		if (strlen(src) > MAX_TOKEN)
			die(EXIT_USAGE, "TELEGRAM_BOT_TOKEN is too long to be a token");
		snprintf(buf, sizeof buf, "%s", src);
	}
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	/* Register before any check can mention it. */
	tgp_secret(buf);
	if (n == 0)
		die(EXIT_USAGE, "the bot token is empty");
	if (n > MAX_TOKEN)
		die(EXIT_USAGE, "the bot token is too long");
	if (strspn(buf, "0123456789abcdefghijklmnopqrstuvwxyz"
	                "ABCDEFGHIJKLMNOPQRSTUVWXYZ:_-") != n || !strchr(buf, ':'))
		die(EXIT_USAGE, "the bot token has an unexpected form (want digits:letters)");
	return xstrdup(buf);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct body *b = arg;
	size_t n = size * nmemb;

	if (b->len + n > MAX_BODY) {
		b->overflow = 1;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 16384;
		b->buf = xrealloc(b->buf, b->cap);
	}
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
	return n;
}

/* The options every easy handle of ours has. */
static void set_up(struct botapi *b, CURL *easy, char *errbuf, struct body *body)
{
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, b->headers);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "tgpromise/" VERSION);
	curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
}

/* Points easy at METHOD with params as the body (kept in *json until the
 * request ends); the URL, which holds the token, is wiped at once:
 * libcurl keeps its own copy. */
static void aim(struct botapi *b, CURL *easy, const char *method,
                const cJSON *params, int64_t timeout_ms, char **json)
{
	size_t n = strlen(b->root) + strlen(method) + 1;
	char *url = xmalloc(n);

	snprintf(url, n, "%s%s", b->root, method);
	*json = params ? cJSON_PrintUnformatted(params) : xstrdup("{}");
	if (!*json)
		die(EXIT_DATA, "out of memory");
	curl_easy_setopt(easy, CURLOPT_URL, url);
	curl_easy_setopt(easy, CURLOPT_POSTFIELDS, *json);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)(timeout_ms > 0 ? timeout_ms : 1));
	explicit_bzero(url, n);
	free(url);
}

struct botapi *botapi_open(const char *api_url, const char *token_file)
{
	struct botapi *b = xmalloc(sizeof *b);
	char *token;
	size_t n;

	memset(b, 0, sizeof *b);
	token = read_token(token_file);
	if (!api_url || !*api_url)
		api_url = getenv("TELEGRAM_API_URL");
	if (!api_url || !*api_url)
		api_url = "https://api.telegram.org";
	n = strlen(api_url);
	while (n > 0 && api_url[n - 1] == '/')
		n--;
	b->root = xmalloc(n + strlen(token) + 6);
	sprintf(b->root, "%.*s/bot%s/", (int)n, api_url, token);
	b->bot_id = strtoll(token, NULL, 10);
	explicit_bzero(token, strlen(token));
	free(token);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		die(EXIT_DATA, "cannot initialise libcurl");
	b->multi = curl_multi_init();
	b->easy = curl_easy_init();
	if (!b->multi || !b->easy)
		die(EXIT_DATA, "cannot initialise libcurl");
	b->headers = curl_slist_append(NULL, "Content-Type: application/json");
	b->headers = curl_slist_append(b->headers, "Expect:");
	set_up(b, b->easy, b->errbuf, &b->body);
	return b;
}

int64_t botapi_bot_id(const struct botapi *b)
{
	return b->bot_id;
}

void botapi_close(struct botapi *b)
{
	if (!b)
		return;
	/* Requests still in flight are dropped. */
	while (b->all) {
		struct request *q = b->all;
		b->all = q->all;
		if (q->active)
			curl_multi_remove_handle(b->pool, q->easy);
		curl_easy_cleanup(q->easy);
		free(q->body.buf);
		free(q->json);
		free(q);
	}
	if (b->pool)
		curl_multi_cleanup(b->pool);
	curl_easy_cleanup(b->easy);
	curl_multi_cleanup(b->multi);
	curl_slist_free_all(b->headers);
	free(b->body.buf);
	free(b->root);
	free(b);
}

void botapi_reply_free(struct botapi_reply *r)
{
	cJSON_Delete(r->json);
	r->json = NULL;
	r->result = NULL;
}

static void describe(struct botapi_reply *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void describe(struct botapi_reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->description, sizeof r->description, fmt, ap);
	va_end(ap);
	tgp_redact(r->description);
}

/* Drives the transfer; returns libcurl's result, or -1 when stopped. */
static int perform(struct botapi *b, int interruptible)
{
	struct curl_waitfd wfd = {.fd = wake[0], .events = CURL_WAIT_POLLIN};
	int running = 1, nfd = interruptible && wake[0] >= 0;
	CURLcode res = CURLE_OK;
	CURLMsg *msg;
	int left;

	curl_multi_add_handle(b->multi, b->easy);
	while (running) {
		if (curl_multi_perform(b->multi, &running) != CURLM_OK) {
			res = CURLE_FAILED_INIT;
			break;
		}
		if (!running)
			break;
		curl_multi_poll(b->multi, nfd ? &wfd : NULL, (unsigned)nfd, 1000, NULL);
		if (interruptible && botapi_stopping) {
			curl_multi_remove_handle(b->multi, b->easy);
			return -1;
		}
	}
	while ((msg = curl_multi_info_read(b->multi, &left)))
		if (msg->msg == CURLMSG_DONE)
			res = msg->data.result;
	curl_multi_remove_handle(b->multi, b->easy);
	return (int)res;
}

enum botapi_status botapi_parse_reply(const char *body, size_t len,
                                      struct botapi_reply *r)
{
	const cJSON *ok, *params;
	const char *desc;
	int64_t v;

	r->json = cJSON_ParseWithLength(body ? body : "", len);
	if (!cJSON_IsObject(r->json)) {
		describe(r, "HTTP %ld with a reply that is not JSON (%zu bytes)",
		         r->http_status, len);
		return BOTAPI_NOREPLY;
	}
	ok = cJSON_GetObjectItemCaseSensitive(r->json, "ok");
	if (!cJSON_IsBool(ok)) {
		describe(r, "HTTP %ld with a reply that has no \"ok\" field",
		         r->http_status);
		return BOTAPI_NOREPLY;
	}
	if (cJSON_IsTrue(ok)) {
		r->result = cJSON_GetObjectItemCaseSensitive(r->json, "result");
		if (!r->result) {
			describe(r, "HTTP %ld with ok:true but no result", r->http_status);
			return BOTAPI_NOREPLY;
		}
		return BOTAPI_OK;
	}
	r->error_code = json_int64(r->json, "error_code", &v) == 0 ? v : r->http_status;
	desc = json_str(r->json, "description");
	if (desc && *desc)
		describe(r, "%s", desc);
	else
		describe(r, "error %lld without a description", (long long)r->error_code);
	params = cJSON_GetObjectItemCaseSensitive(r->json, "parameters");
	if (json_int64(params, "retry_after", &v) == 0 && v > 0)
		r->retry_after = v;
	if (json_int64(params, "migrate_to_chat_id", &v) == 0)
		r->migrate_to_chat_id = v;
	return BOTAPI_ERROR;
}

/* Fills *r from how a transfer ended (res: libcurl's, -1 stopped). */
static enum botapi_status conclude(const char *method, int res, CURL *easy,
                                   struct body *body, char *errbuf,
                                   struct botapi_reply *r)
{
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r->http_status);
	if (res < 0) {
		describe(r, "%s interrupted", method);
		return r->status = BOTAPI_STOPPED;
	}
	if (res != CURLE_OK) {
		tgp_redact(errbuf);
		if (body->overflow)
			describe(r, "%s: reply larger than %d bytes", method, MAX_BODY);
		else
			describe(r, "%s: %s", method,
			         errbuf[0] ? errbuf : curl_easy_strerror((CURLcode)res));
		/* Scrubbed again by describe(); errbuf is reused next call. */
		return r->status = BOTAPI_NOREPLY;
	}
	return r->status = botapi_parse_reply(body->buf, body->len, r);
}

enum botapi_status botapi_call(struct botapi *b, const char *method,
                               const cJSON *params, int64_t timeout_ms,
                               int flags, struct botapi_reply *r)
{
	char *json;
	int res;

	memset(r, 0, sizeof *r);
	b->body.len = 0;
	b->body.overflow = 0;
	b->errbuf[0] = '\0';
	aim(b, b->easy, method, params, timeout_ms, &json);
	res = perform(b, flags & BOTAPI_INTERRUPTIBLE);
	free(json);
	return conclude(method, res, b->easy, &b->body, b->errbuf, r);
}

/* --- several requests in flight ------------------------------------------ */

int botapi_start(struct botapi *b, const char *method, const cJSON *params,
                 int64_t timeout_ms, void *user, struct botapi_reply *r)
{
	struct request *q = b->spare;

	memset(r, 0, sizeof *r);
	if (!b->pool && !(b->pool = curl_multi_init()))
		die(EXIT_DATA, "cannot initialise libcurl");
	if (q) {
		b->spare = q->next;
	} else {
		q = xmalloc(sizeof *q);
		memset(q, 0, sizeof *q);
		if (!(q->easy = curl_easy_init()))
			die(EXIT_DATA, "cannot initialise libcurl");
		set_up(b, q->easy, q->errbuf, &q->body);
		curl_easy_setopt(q->easy, CURLOPT_PRIVATE, (char *)q);
		/* Over HTTP/2 wait to share a connection, not open one more. */
		curl_easy_setopt(q->easy, CURLOPT_PIPEWAIT, 1L);
		q->all = b->all;
		b->all = q;
	}
	q->next = NULL;
	q->body.len = 0;
	q->body.overflow = 0;
	q->errbuf[0] = '\0';
	q->user = user;
	q->result = CURLE_OK;
	snprintf(q->method, sizeof q->method, "%s", method);
	aim(b, q->easy, method, params, timeout_ms, &q->json);
	if (curl_multi_add_handle(b->pool, q->easy) != CURLM_OK) {
		describe(r, "%s: cannot start the request", method);
		r->status = BOTAPI_NOREPLY;
		free(q->json);
		q->json = NULL;
		q->next = b->spare;
		b->spare = q;
		return -1;
	}
	q->active = 1;
	b->in_flight++;
	return 0;
}

/* Moves the requests that finished to the done list. */
static void collect(struct botapi *b)
{
	int running, left;
	CURLMsg *m;

	curl_multi_perform(b->pool, &running);
	while ((m = curl_multi_info_read(b->pool, &left))) {
		struct request *q;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&q);
		q->result = (int)m->data.result;
		curl_multi_remove_handle(b->pool, q->easy);
		q->active = 0;
		q->next = NULL;
		if (b->done_tail)
			b->done_tail->next = q;
		else
			b->done = q;
		b->done_tail = q;
	}
}

void botapi_wait(struct botapi *b, int fd, int64_t at)
{
	struct curl_waitfd w[2];
	unsigned n = 0;
	int64_t ms = 1000;

	if (!b->pool && !(b->pool = curl_multi_init()))
		die(EXIT_DATA, "cannot initialise libcurl");
	collect(b);
	if (b->done)
		return;
	if (fd >= 0)
		w[n++] = (struct curl_waitfd){.fd = fd, .events = CURL_WAIT_POLLIN};
	/* The self-pipe stays readable after a stop: watch it until the
	 * caller has been back once to see botapi_stopping, then no more. */
	if (wake[0] >= 0 && !b->stop_seen)
		w[n++] = (struct curl_waitfd){.fd = wake[0], .events = CURL_WAIT_POLLIN};
	if (botapi_stopping)
		b->stop_seen = 1;
	if (at >= 0 && at - mono_ms() < ms)
		ms = at - mono_ms() > 0 ? at - mono_ms() : 0;
	curl_multi_poll(b->pool, w, n, (int)ms, NULL);
	collect(b);
}

void *botapi_done(struct botapi *b, struct botapi_reply *r)
{
	struct request *q = b->done;
	void *user;

	if (!q)
		return NULL;
	b->done = q->next;
	if (!b->done)
		b->done_tail = NULL;
	b->in_flight--;
	memset(r, 0, sizeof *r);
	conclude(q->method, q->result, q->easy, &q->body, q->errbuf, r);
	user = q->user;
	free(q->json);
	q->json = NULL;
	q->next = b->spare;
	b->spare = q;
	return user;
}

int botapi_in_flight(const struct botapi *b)
{
	return b->in_flight;
}

int botapi_temporary(const struct botapi_reply *r)
{
	if (r->status == BOTAPI_NOREPLY || r->status == BOTAPI_STOPPED)
		return 1;
	return r->status == BOTAPI_ERROR &&
	       (r->error_code == 429 || r->error_code >= 500);
}

int botapi_bad_token(const struct botapi_reply *r)
{
	if (r->status == BOTAPI_ERROR)
		return r->error_code == 401 || r->error_code == 404;
	/* A bare 404 page: the URL is wrong, which retrying cannot fix. */
	return r->status == BOTAPI_NOREPLY &&
	       (r->http_status == 401 || r->http_status == 404);
}
