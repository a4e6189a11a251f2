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

struct botapi {
	CURLM *multi;
	CURL *easy;
	struct curl_slist *headers;
	char *root;             /* https://api.telegram.org/bot<TOKEN>/ */
	int64_t bot_id;
	char errbuf[CURL_ERROR_SIZE];
	char *body;
	size_t len, cap;
	int overflow;
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
	struct botapi *b = arg;
	size_t n = size * nmemb;

	if (b->len + n > MAX_BODY) {
		b->overflow = 1;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 16384;
		b->body = xrealloc(b->body, b->cap);
	}
	memcpy(b->body + b->len, data, n);
	b->len += n;
	b->body[b->len] = '\0';
	return n;
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
	curl_easy_setopt(b->easy, CURLOPT_HTTPHEADER, b->headers);
	curl_easy_setopt(b->easy, CURLOPT_ERRORBUFFER, b->errbuf);
	curl_easy_setopt(b->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(b->easy, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(b->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(b->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	curl_easy_setopt(b->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(b->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(b->easy, CURLOPT_USERAGENT, "tgpromise/" VERSION);
	curl_easy_setopt(b->easy, CURLOPT_ACCEPT_ENCODING, "");
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
	curl_easy_cleanup(b->easy);
	curl_multi_cleanup(b->multi);
	curl_slist_free_all(b->headers);
	free(b->body);
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

enum botapi_status botapi_call(struct botapi *b, const char *method,
                               const cJSON *params, int64_t timeout_ms,
                               int flags, struct botapi_reply *r)
{
	size_t n = strlen(b->root) + strlen(method) + 1;
	char *url = xmalloc(n), *json;
	int res;

	memset(r, 0, sizeof *r);
	snprintf(url, n, "%s%s", b->root, method);
	json = params ? cJSON_PrintUnformatted(params) : xstrdup("{}");
	if (!json)
		die(EXIT_DATA, "out of memory");
	b->len = 0;
	b->overflow = 0;
	b->errbuf[0] = '\0';
	curl_easy_setopt(b->easy, CURLOPT_URL, url);
	curl_easy_setopt(b->easy, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(b->easy, CURLOPT_TIMEOUT_MS, (long)(timeout_ms > 0 ? timeout_ms : 1));
	res = perform(b, flags & BOTAPI_INTERRUPTIBLE);
	/* libcurl may have copied the URL into its buffers; ours goes now. */
	explicit_bzero(url, n);
	free(url);
	free(json);
	curl_easy_getinfo(b->easy, CURLINFO_RESPONSE_CODE, &r->http_status);

	if (res < 0) {
		describe(r, "%s interrupted", method);
		return r->status = BOTAPI_STOPPED;
	}
	if (res != CURLE_OK) {
		tgp_redact(b->errbuf);
		if (b->overflow)
			describe(r, "%s: reply larger than %d bytes", method, MAX_BODY);
		else
			describe(r, "%s: %s", method,
			         b->errbuf[0] ? b->errbuf : curl_easy_strerror((CURLcode)res));
		/* Scrubbed again by describe(); errbuf is reused next call. */
		return r->status = BOTAPI_NOREPLY;
	}
	return r->status = botapi_parse_reply(b->body, b->len, r);
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
