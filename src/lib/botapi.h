/*
 * botapi.h - the Telegram Bot API client shared by tgpoll and notify.
 *
 * One libcurl handle per process, so the connection stays alive between
 * calls.  Every reply body is read, 2xx or not, and handed back in a
 * struct botapi_reply; nothing here prints a reply or a URL, because the
 * URL holds the bot token.  The token is registered with tgp_secret()
 * the moment it is read, so warn() and die() scrub it from anything.
 *
 * A SIGTERM or SIGINT (after botapi_catch_signals) sets botapi_stopping
 * and wakes any interruptible call or botapi_sleep() at once.
 */
#ifndef BOTAPI_H
#define BOTAPI_H

#include <signal.h>
#include <stdint.h>

#include "tgp.h"

struct botapi;

/* How a call ended. */
enum botapi_status {
	BOTAPI_OK,        /* ok:true; reply->result is the result          */
	BOTAPI_ERROR,     /* ok:false: see error_code, description, ...    */
	BOTAPI_NOREPLY,   /* no usable reply: network error, timeout, a
	                     body that is not a Bot API reply; description
	                     says which.  Worth retrying.                 */
	BOTAPI_STOPPED,   /* an interruptible call cut short by a signal   */
};

struct botapi_reply {
	enum botapi_status status;
	long http_status;          /* 0 when nothing came back              */
	int64_t error_code;        /* Telegram's, else the HTTP status      */
	char description[512];     /* Telegram's, or ours; token scrubbed   */
	int64_t retry_after;       /* seconds; 0 when not given             */
	int64_t migrate_to_chat_id;/* 0 when not given                      */
	cJSON *json;               /* the whole reply, owned                */
	cJSON *result;             /* inside json; NULL unless BOTAPI_OK    */
};

/* Flags for botapi_call. */
enum { BOTAPI_INTERRUPTIBLE = 1 };

/*
 * Reads the token from token_file (warning when others may read it), or
 * else $TELEGRAM_BOT_TOKEN, and the API root from api_url, else
 * $TELEGRAM_API_URL, else https://api.telegram.org.  Dies with
 * EXIT_USAGE when there is no usable token.
 */
struct botapi *botapi_open(const char *api_url, const char *token_file);
void botapi_close(struct botapi *b);
/* The bot's own id: the token's part before the colon (not secret). */
int64_t botapi_bot_id(const struct botapi *b);

/*
 * Calls METHOD with params (a JSON object, or NULL) as the JSON body.
 * timeout_ms bounds the whole exchange; a long poll passes its own
 * timeout plus a margin.  Fills *r (release with botapi_reply_free) and
 * returns r->status.
 */
enum botapi_status botapi_call(struct botapi *b, const char *method,
                               const cJSON *params, int64_t timeout_ms,
                               int flags, struct botapi_reply *r);
void botapi_reply_free(struct botapi_reply *r);
/*
 * Turns a reply body into *r's fields (r->http_status already set, the
 * rest zero) and returns the status; the body is untrusted.  botapi_call
 * uses it; it is apart so that it can be tested without a network.
 */
enum botapi_status botapi_parse_reply(const char *body, size_t len,
                                      struct botapi_reply *r);

/* A reply worth retrying later: no reply, 429, or a 5xx. */
int botapi_temporary(const struct botapi_reply *r);
/* 401 or 404 from the API root: the token is wrong or revoked. */
int botapi_bad_token(const struct botapi_reply *r);

/*
 * Several requests in flight at once (notify): each has its own easy
 * handle in one multi handle of its own, whose connection pool they
 * share (over HTTP/2, one connection multiplexed).  botapi_start starts
 * METHOD with params and returns 0, or -1 with *r filled when it cannot
 * (then nothing is in flight).  botapi_wait drives every request in
 * flight and returns when one finished, when fd (>= 0) is readable, at
 * at (monotonic ms; -1: no limit), or at a stop signal (whose wake-ups
 * it ignores once botapi_stopping is set, so that requests in flight
 * are driven to their end without a busy loop).  botapi_done hands back
 * a finished request's reply in *r and its user pointer; NULL when none
 * has finished.  A signal never cuts a started request short: its end
 * is bounded by its timeout.
 */
int botapi_start(struct botapi *b, const char *method, const cJSON *params,
                 int64_t timeout_ms, void *user, struct botapi_reply *r);
void botapi_wait(struct botapi *b, int fd, int64_t at);
void *botapi_done(struct botapi *b, struct botapi_reply *r);
/* Requests started and not yet handed back by botapi_done. */
int botapi_in_flight(const struct botapi *b);

/* Signals: SIGTERM and SIGINT set botapi_stopping and wake waiters. */
extern volatile sig_atomic_t botapi_stopping;
void botapi_catch_signals(void);
/* The descriptor that turns readable at a stop signal (-1 before
 * botapi_catch_signals), for a caller's own poll(2). */
int botapi_wake_fd(void);
/* Sleeps ms; returns -1 at once if a stop signal arrives, else 0. */
int botapi_sleep(int64_t ms);
/* Exponential backoff with jitter: the wait before retry number n (0,
 * 1, 2, ...), between base*2^n/2 and base*2^n, never over cap. */
int64_t botapi_backoff(int n, int64_t base_ms, int64_t cap_ms);

#endif
