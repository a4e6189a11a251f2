/*
 * tgp.h - the shared core of the tgpromise tools.
 *
 * Read this header as the library's table of contents.  Every tool links
 * all of src/lib; a tool never reaches into another tool's folder.  The
 * promise store lives behind store.h, the Telegram client behind botapi.h.
 */
#ifndef TGP_H
#define TGP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

#ifndef VERSION
#define VERSION "unknown"
#endif

/*
 * Exit statuses: one table for all five tools (tgpromise(7) documents it).
 * runjob also uses timeout(1)'s 124..127 and 128+N for a task's signal.
 */
enum {
	EXIT_NONE = 1,       /* nothing there: no promise to claim, no match  */
	EXIT_USAGE = 2,      /* bad flags or arguments                        */
	EXIT_CANCEL = 3,     /* cancellation was requested                    */
	EXIT_CONFLICT = 4,   /* refused: the state is not what the caller
	                        believed (lease lost, already settled)        */
	EXIT_LIMIT = 5,      /* a configured limit refused it; nothing written*/
	EXIT_NOTFOUND = 6,   /* no such promise / chat / message              */
	EXIT_TEMPFAIL = 7,   /* failed for now; worth retrying later          */
	EXIT_PERMFAIL = 8,   /* failed for good (bot blocked, bad token)      */
	EXIT_DATA = 9,       /* storage or I/O error: corrupt db, full disk   */
};

/* err.c: diagnostics, always "prog: message" on stderr. */
extern const char *argv0;
void tgp_init(const char *progname);       /* set argv0, check stdout at exit */
void tgp_secret(const char *s);            /* scrub s from every diagnostic */
void tgp_redact(char *s);                  /* scrub secrets in place        */
/* A format ending in ':' gets ": strerror(errno)" appended, as in sbase. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vwarn(const char *fmt, va_list ap);
_Noreturn void die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
_Noreturn void usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int fshut(FILE *f, const char *name);      /* flush+check; 0 ok, -1 error  */
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* parse.c: values given by users; each returns 0 on success, -1 if bad. */
int parse_duration(const char *s, int64_t *ms);  /* 90 90s 10m 2h 1d 250ms */
int parse_size(const char *s, int64_t *bytes);   /* 4096 64K 1M 2G          */
int parse_int64(const char *s, int64_t *v);      /* whole string, base 10   */
int parse_time(const char *s, int64_t *ms);      /* @EPOCH, ISO 8601, or
                                                    a duration from now     */
int64_t now_ms(void);                            /* wall clock, Unix ms     */
int64_t mono_ms(void);                           /* monotonic clock, ms     */
char *fmt_time(int64_t ms, char buf[32]);        /* 2026-11-21T10:00:00Z    */
char *fmt_duration(int64_t ms, char buf[32]);    /* 1h2m, 45s, 250ms        */

/* jsonl.c: JSON lines in and out (DESIGN.md, "Lines between stages").
 * The one line reader: read(2) into one buffer, so a caller can also
 * tell when input has run dry (poll the descriptor, then jsonl_fill and
 * jsonl_take) instead of blocking in stdio.  Memory stays bounded by
 * the longest line accepted, whatever the input. */
struct jsonl {
	int fd;
	const char *name;     /* for diagnostics: "<stdin>" or a path */
	long lineno;
	size_t max;           /* longest line accepted, bytes (1M) */
	char *buf;            /* the line taken, NUL-terminated, no '\n' */
	size_t len;           /* its length: max+1 when it is too long */
	int toolong;          /* buf is the first max+1 bytes; the rest is
	                         dropped at the next take, or jsonl_rest */
	int eof, failed;      /* end of input (or stopped); a read error */
	void (*before_wait)(void);  /* called before a read that may block:
	                         a filter flushes its output there */
	/* the read buffer: data[off..end) is not taken yet */
	char *data;
	size_t cap, off, end, scanned;
	int skipping;         /* dropping the rest of a too-long line */
	char *held;           /* the byte under a too-long line's NUL */
	char held_byte;
};
void jsonl_open(struct jsonl *in, int fd, const char *name);
/* Lines from memory (tests, fuzzing): n bytes of s, then the end. */
void jsonl_open_mem(struct jsonl *in, const char *s, size_t n, const char *name);
void jsonl_close(struct jsonl *in);
/* Reads the next line, waiting for it.  Returns 1 and the line in
 * in->buf, 0 at the end of input, -1 on a read error (reported).  An
 * unterminated last line counts; a too-long one comes back cut, with
 * in->toolong set (jsonl_parse reports it). */
int jsonl_getline(struct jsonl *in);
/* The same in two steps, for callers that poll: jsonl_fill reads once
 * (it may block unless the descriptor is readable) and returns 0, or -1
 * at the end of input or on a read error (reported); jsonl_take takes
 * the next line read so far, 1, or 0 when there is none yet. */
int jsonl_fill(struct jsonl *in);
int jsonl_take(struct jsonl *in);
/* Reads no more: lines not yet taken are dropped, as at the end. */
void jsonl_stop(struct jsonl *in);
/* After a too-long line: copies the rest of it, through its newline (one
 * is added at the end of input), to `to`, or drops it if to is NULL.
 * Returns 0, or -1 on a write error. */
int jsonl_rest(struct jsonl *in, FILE *to);
/* Parses in->buf as a JSON object.  NULL when it is not one; the reason,
 * with the line number, is on stderr. */
cJSON *jsonl_parse(struct jsonl *in);
/* Writes one object as a line and flushes it; -1 on a write error. */
int jsonl_put(FILE *f, const cJSON *obj);

/* Field access that keeps 64-bit ids exact (cJSON's valueint saturates). */
int json_int64(const cJSON *obj, const char *key, int64_t *v);  /* 0 ok */
const char *json_str(const cJSON *obj, const char *key);       /* or NULL */
int json_bool(const cJSON *obj, const char *key, int dflt);
void json_set_int64(cJSON *obj, const char *key, int64_t v);   /* replace */
void json_set_str(cJSON *obj, const char *key, const char *s); /* NULL: null */
void json_set_bool(cJSON *obj, const char *key, int b);

/* utf8.c: text from outside is bytes, not trusted UTF-8. */
/* The one UTF-8 decoder: the length of the character at s (n > 0 bytes
 * there) and its code point in *cp; 0 when those bytes are not one
 * valid character (a stray or bad lead byte, a short or broken
 * sequence, an overlong form, a surrogate, past U+10FFFF).  Inline: the
 * tokenizer and the validator call it for every non-ASCII character. */
static inline size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	v = c & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3fu);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}
int utf8_valid(const char *s, size_t n);
size_t utf8_clip(const char *s, size_t n);   /* longest prefix <= n that
                                                 ends on a char boundary */
char *utf8_sanitize(const char *s, size_t n); /* invalid bytes -> U+FFFD */

/* path.c: where state lives. */
char *state_dir(void);                 /* $XDG_STATE_HOME/tgpromise, else
                                          ~/.local/state/tgpromise; made */
char *default_db_path(void);           /* $PROMISE_DB, else state_dir/promises.db */
int mkdir_p(const char *path, int mode);

#endif
