/*
 * webhook.c - the small HTTP server of tgpoll --webhook (webhook.h).
 *
 * Deliberately small: HTTP/1.1 POST with a Content-Length, one request
 * per connection, answered with "Connection: close".  That is all
 * Telegram's webhook client needs, and every feature left out (chunked
 * bodies, keep-alive, pipelining) is one less way for a stranger's bytes
 * to confuse us.  Anyone on the Internet can connect, so: bounded sizes,
 * a deadline for the whole request, the secret checked in constant time
 * before the body is read, and answers from a fixed table.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "tgp.h"
#include "webhook.h"

struct webhook {
	int fd;                 /* listening */
	int conn;               /* the request in hand; -1: none */
	char *secret;
	int64_t timeout_ms;
	char head[WEBHOOK_MAX_HEADER + 1];
	size_t len;             /* bytes in head (some may be the body's) */
};


static const struct {
	int code;
	const char *reason;
} reasons[] = {
	{200, "OK"}, {400, "Bad Request"}, {401, "Unauthorized"},
	{405, "Method Not Allowed"}, {408, "Request Timeout"},
	{411, "Length Required"}, {413, "Content Too Large"},
	{431, "Request Header Fields Too Large"}, {500, "Internal Server Error"},
};

/* --- listening ------------------------------------------------------------ */

/* Splits ADDR:PORT into host (NULL: any address) and port. */
static int split_addr(const char *s, char *host, size_t hn, const char **port)
{
	const char *colon, *end;

	if (s[0] == '[') {
		end = strchr(s, ']');
		if (!end || end[1] != ':')
			return -1;
		colon = end + 1;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			return -1;   /* IPv6 needs brackets */
		end = colon;
	}
	if ((size_t)(end - s) >= hn)
		return -1;
	memcpy(host, s, (size_t)(end - s));
	host[end - s] = '\0';
	*port = colon + 1;
	return 0;
}

static int valid_port(const char *p)
{
	int64_t v;

	return strspn(p, "0123456789") == strlen(p) && parse_int64(p, &v) == 0 &&
	       v >= 1 && v <= 65535;
}

/* A socket listening on ai, or -1 with errno set. */
static int listen_on(const struct addrinfo *ai)
{
	/* Non-blocking: a client that leaves between poll and accept
	 * must not leave us waiting in accept. */
	int one = 1, fd = socket(ai->ai_family,
	                         ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
	                         ai->ai_protocol);

	if (fd < 0)
		return -1;
	/* A restart must not wait for the last connection's TIME_WAIT;
	 * on Linux this still refuses a port another socket listens on. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 16) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

struct webhook *webhook_listen(const char *addr, const char *secret, int64_t timeout_ms)
{
	struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	                         .ai_socktype = SOCK_STREAM}, *res, *ai;
	char host[256];
	const char *port;
	struct webhook *w;
	int fd = -1, err = 0, rc;

	if (split_addr(addr, host, sizeof host, &port) != 0 || !valid_port(port))
		die(EXIT_USAGE, "bad --webhook address %s (want ADDR:PORT, e.g. 127.0.0.1:8443)",
		    addr);
	rc = getaddrinfo(*host && strcmp(host, "*") != 0 ? host : NULL, port, &hints, &res);
	if (rc != 0)
		die(EXIT_USAGE, "bad --webhook address %s: %s", addr, gai_strerror(rc));
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = listen_on(ai);
		if (fd < 0 && err != EADDRINUSE)
			err = errno;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		errno = err;
		if (err == EADDRINUSE)
			die(EXIT_CONFLICT, "cannot listen on %s: the port is in use", addr);
		die(EXIT_DATA, "cannot listen on %s:", addr);
	}
	w = xmalloc(sizeof *w);
	memset(w, 0, sizeof *w);
	w->fd = fd;
	w->conn = -1;
	w->secret = xstrdup(secret);
	w->timeout_ms = timeout_ms;
	return w;
}

void webhook_close(struct webhook *w)
{
	if (!w)
		return;
	if (w->conn >= 0)
		close(w->conn);
	close(w->fd);
	explicit_bzero(w->secret, strlen(w->secret));
	free(w->secret);
	free(w);
}

/* --- one connection ------------------------------------------------------- */

/* Reads up to n bytes before deadline: the count, 0 at the end, -1 on
 * an error or at the deadline. */
static ssize_t read_some(int fd, char *buf, size_t n, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - mono_ms();
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t got;

		if (left <= 0)
			return -1;
		if (poll(&p, 1, left > 1000 ? 1000 : (int)left) <= 0)
			continue;   /* EINTR, or not yet: the deadline decides */
		got = recv(fd, buf, n, 0);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		return got;
	}
}

static void send_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, s, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;   /* the client is gone or too slow: its loss */
		s += k;
		n -= (size_t)k;
	}
}

static void respond(struct webhook *w, int code)
{
	const char *reason = "Error";
	char msg[256];
	int n;

	for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++)
		if (reasons[i].code == code)
			reason = reasons[i].reason;
	n = snprintf(msg, sizeof msg,
	             "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
	             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s\n",
	             code, reason, strlen(reason) + 1, reason);
	send_all(w->conn, msg, (size_t)n);
}

/* Ends the connection in hand.  What the client still sends (a body we
 * refused) is read away for a moment first: closing a socket with
 * unread input resets it, and the client might never see our answer. */
static void hang_up(struct webhook *w, int drain)
{
	char sink[16384];
	int64_t until = mono_ms() + (w->timeout_ms < 2000 ? w->timeout_ms : 2000);
	size_t drained = 0;

	shutdown(w->conn, SHUT_WR);
	while (drain && drained < 4 * WEBHOOK_MAX_BODY) {
		ssize_t k = read_some(w->conn, sink, sizeof sink, until);
		if (k <= 0)
			break;
		drained += (size_t)k;
	}
	close(w->conn);
	w->conn = -1;
}

static void refuse(struct webhook *w, int code)
{
	respond(w, code);
	hang_up(w, 1);
}

/* Compares in time that does not depend on where they differ. */
static int same_secret(const char *given, size_t n, const char *secret)
{
	size_t len = strlen(secret), diff = n ^ len;

	for (size_t i = 0; i < len; i++)
		diff |= (size_t)((unsigned char)(i < n ? given[i] : 0) ^ (unsigned char)secret[i]);
	return diff == 0;
}

/* One header line (name: value); 0, or the status to refuse with. */
static int header(const char *secret, const char *line, size_t n, struct webhook_request *rq)
{
	const char *colon = memchr(line, ':', n), *v, *end = line + n;
	size_t name_len;
	int64_t len;

	if (!colon || colon == line || line[0] == ' ' || line[0] == '\t')
		return 400;   /* no name, or an obsolete folded line */
	name_len = (size_t)(colon - line);
	for (v = colon + 1; v < end && (*v == ' ' || *v == '\t'); v++)
		;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
#define IS(h) (name_len == sizeof h - 1 && strncasecmp(line, h, name_len) == 0)
	if (IS("Content-Length")) {
		char digits[16];
		size_t dn = (size_t)(end - v);
		if (dn >= sizeof digits && strspn(v, "0123456789") >= dn) {
			rq->bad_length = 413;
			return 0;
		}
		if (dn == 0 || dn >= sizeof digits) {
			rq->bad_length = 400;
			return 0;
		}
		memcpy(digits, v, dn);
		digits[dn] = '\0';
		if (strspn(digits, "0123456789") != dn || parse_int64(digits, &len) != 0 ||
		    (rq->length >= 0 && rq->length != len))
			rq->bad_length = 400;
		else
			rq->length = len;
	} else if (IS("Transfer-Encoding")) {
		rq->chunked = 1;
	} else if (IS("X-Telegram-Bot-Api-Secret-Token")) {
		rq->secret_ok = same_secret(v, (size_t)(end - v), secret);
	} else if (IS("Expect")) {
		rq->expect_continue = (size_t)(end - v) == 12 &&
		                      strncasecmp(v, "100-continue", 12) == 0;
	}
#undef IS
	return 0;
}

int webhook_parse_head(const char *head, const char *secret, struct webhook_request *rq)
{
	const char *p = head, *eol = strstr(p, "\r\n");
	size_t n;
	int code;

	if (memchr(head, '\0', rq->head_len))
		return 400;
	n = (size_t)(eol - p);
	if (n < 14 || (strncmp(p + n - 9, " HTTP/1.1", 9) != 0 &&
	               strncmp(p + n - 9, " HTTP/1.0", 9) != 0))
		return 400;
	rq->post = strncmp(p, "POST ", 5) == 0;
	for (p = eol + 2; strncmp(p, "\r\n", 2) != 0; p = eol + 2) {
		eol = strstr(p, "\r\n");
		if ((code = header(secret, p, (size_t)(eol - p), rq)))
			return code;
	}
	/* Without the secret, nothing more is said: not even what is
	 * wrong with the request. */
	if (!rq->secret_ok)
		return 401;
	if (!rq->post)
		return 405;
	if (rq->bad_length)
		return rq->bad_length;
	if (rq->chunked || rq->length < 0)
		return 411;
	if (rq->length > WEBHOOK_MAX_BODY)
		return 413;
	return 0;
}

/* Reads the head (and maybe part of the body) into w->head: 0, or the
 * status to refuse with (-1: nothing to answer, just hang up). */
static int read_head(struct webhook *w, struct webhook_request *rq, int64_t deadline)
{
	char *end;

	w->len = 0;
	for (;;) {
		ssize_t k = read_some(w->conn, w->head + w->len,
		                      WEBHOOK_MAX_HEADER - w->len, deadline);
		if (k < 0)
			return w->len ? 408 : -1;
		if (k == 0)
			return -1;   /* the client gave up */
		w->len += (size_t)k;
		w->head[w->len] = '\0';
		if ((end = memmem(w->head, w->len, "\r\n\r\n", 4))) {
			rq->head_len = (size_t)(end - w->head) + 4;
			return 0;
		}
		if (w->len == WEBHOOK_MAX_HEADER)
			return 431;
	}
}

/* The body, whose first bytes may already be in w->head; NULL when it
 * did not arrive in time. */
static char *read_body(struct webhook *w, const struct webhook_request *rq, int64_t deadline)
{
	size_t have = w->len - rq->head_len, want = (size_t)rq->length;
	char *body = xmalloc(want + 1);

	if (have > want)
		have = want;   /* whatever follows is not ours to read */
	memcpy(body, w->head + rq->head_len, have);
	if (have < want && rq->expect_continue)
		send_all(w->conn, "HTTP/1.1 100 Continue\r\n\r\n", 25);
	while (have < want) {
		ssize_t k = read_some(w->conn, body + have, want - have, deadline);
		if (k <= 0) {
			free(body);
			return NULL;
		}
		have += (size_t)k;
	}
	body[want] = '\0';
	return body;
}

/* Reads and checks the request on w->conn: the update, or NULL when it
 * was refused (and answered). */
static cJSON *serve(struct webhook *w)
{
	struct webhook_request rq = {.length = -1};
	int64_t deadline = mono_ms() + w->timeout_ms, id;
	int code = read_head(w, &rq, deadline);
	cJSON *upd;
	char *body;

	if (code == 0)
		code = webhook_parse_head(w->head, w->secret, &rq);
	if (code) {
		if (code > 0)
			respond(w, code);
		hang_up(w, 1);
		return NULL;
	}
	if (!(body = read_body(w, &rq, deadline))) {
		refuse(w, 408);
		return NULL;
	}
	upd = cJSON_ParseWithLength(body, (size_t)rq.length);
	free(body);
	if (!cJSON_IsObject(upd) || json_int64(upd, "update_id", &id) != 0) {
		cJSON_Delete(upd);
		refuse(w, 400);
		return NULL;
	}
	return upd;
}

cJSON *webhook_next(struct webhook *w, int wake, volatile sig_atomic_t *stop)
{
	while (!*stop) {
		struct pollfd p[2] = {{.fd = w->fd, .events = POLLIN},
		                      {.fd = wake, .events = POLLIN}};
		struct timeval tv = {.tv_sec = 5};
		cJSON *upd;

		int ready = poll(p, wake >= 0 ? 2 : 1, 1000);

		if (*stop || (wake >= 0 && ready > 0 && (p[1].revents & POLLIN)))
			return NULL;
		if (ready <= 0 || !(p[0].revents & POLLIN))
			continue;
		w->conn = accept4(w->fd, NULL, NULL, SOCK_CLOEXEC);
		if (w->conn < 0)
			continue;   /* the client left already, or out of descriptors */
		/* Our answers are small: a client that will not take them
		 * cannot hold us long. */
		setsockopt(w->conn, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
		if ((upd = serve(w)))
			return upd;
	}
	return NULL;
}

void webhook_answer(struct webhook *w, int code)
{
	if (w->conn < 0)
		return;
	respond(w, code);
	hang_up(w, 0);
}
