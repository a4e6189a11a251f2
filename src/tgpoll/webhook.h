/*
 * webhook.h - the small HTTP server of tgpoll --webhook.
 *
 * One request at a time, one request per connection.  Everything a
 * request says is untrusted: the request line and headers are bounded
 * (WEBHOOK_MAX_HEADER), the body too (WEBHOOK_MAX_BODY), the whole
 * request must arrive within a timeout, and nothing of it is ever
 * echoed back: every answer is one of a few fixed texts.
 */
#ifndef TGPOLL_WEBHOOK_H
#define TGPOLL_WEBHOOK_H

#include <signal.h>
#include <stdint.h>

#include <cJSON.h>

enum {
	WEBHOOK_MAX_HEADER = 16 << 10,   /* request line and headers */
	WEBHOOK_MAX_BODY = 1 << 20,      /* Telegram's updates are far smaller */
};

struct webhook;

/*
 * Listens on ADDR:PORT ("127.0.0.1:8443", "[::1]:8443", "localhost:8443";
 * "*:PORT" or ":PORT" for every address).  Dies with EXIT_USAGE for an
 * address that is not one, EXIT_CONFLICT when the port is in use,
 * EXIT_DATA for any other failure to listen.
 */
struct webhook *webhook_listen(const char *addr, const char *secret, int64_t timeout_ms);
void webhook_close(struct webhook *w);

/*
 * Serves requests until one brings an update (a JSON object with an
 * update_id and the right secret token): returns it, and the connection
 * stays open for webhook_answer.  Every other request is answered here
 * (401 wrong or missing secret, 413 too large, 400 not an update, 405
 * not a POST, 411 no length, 408 too slow) and closed.  Returns NULL
 * when wake (a descriptor, -1: none) became readable or stop is set.
 */
cJSON *webhook_next(struct webhook *w, int wake, volatile sig_atomic_t *stop);

/* Answers the request in hand with code (200 or 500) and closes it. */
void webhook_answer(struct webhook *w, int code);

/* What a request asked for, as far as we care. */
struct webhook_request {
	size_t head_len;        /* through the blank line: set by the caller */
	int64_t length;         /* Content-Length; -1 (set by the caller): none */
	int secret_ok, expect_continue, chunked, post;
	int bad_length;         /* 400, or 413 for too many digits */
};

/*
 * Judges a request line and headers: head holds head_len bytes that end
 * in the blank line (CR LF CR LF), then a NUL.  Returns 0 for a POST
 * with the right secret and a Content-Length of at most
 * WEBHOOK_MAX_BODY, else the status to refuse it with (400 401 405 411
 * 413).  Apart so that it can be fuzzed.
 */
int webhook_parse_head(const char *head, const char *secret, struct webhook_request *rq);

#endif
