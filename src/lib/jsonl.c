/*
 * jsonl.c - JSON lines between stages (DESIGN.md, "Lines between stages").
 *
 * A reader never trusts its input: a line may be huge, not UTF-8, not
 * JSON, or JSON but not an object.  Each such line is reported once with
 * its number and the caller skips it; nothing here ever exits.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tgp.h"

enum { DEFAULT_MAX = 1 << 20, CHUNK = 1 << 16 };

void jsonl_open(struct jsonl *in, int fd, const char *name)
{
	memset(in, 0, sizeof *in);
	in->fd = fd;
	in->name = name;
	in->max = DEFAULT_MAX;
	in->cap = CHUNK;
	in->data = xmalloc(in->cap);
	in->buf = in->data;
	in->data[0] = '\0';
}

void jsonl_open_mem(struct jsonl *in, const char *s, size_t n, const char *name)
{
	jsonl_open(in, -1, name);
	in->cap = n + 1;
	in->data = xrealloc(in->data, in->cap);
	memcpy(in->data, s, n);
	in->end = n;
	in->eof = 1;
}

void jsonl_close(struct jsonl *in)
{
	free(in->data);
	in->data = in->buf = NULL;
	in->cap = in->off = in->end = 0;
}

/* Puts back the byte a too-long line's NUL stood on. */
static void unhold(struct jsonl *in)
{
	if (in->held) {
		*in->held = in->held_byte;
		in->held = NULL;
	}
}

int jsonl_fill(struct jsonl *in)
{
	ssize_t n;

	if (in->eof)
		return -1;
	unhold(in);
	if (in->off > 0) {
		memmove(in->data, in->data + in->off, in->end - in->off);
		in->end -= in->off;
		in->off = 0;
	}
	if (in->end + 1 >= in->cap) {
		in->cap *= 2;
		in->data = xrealloc(in->data, in->cap);
	}
	in->buf = in->data;
	n = read(in->fd, in->data + in->end, in->cap - in->end - 1);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n < 0) {
		warn("read error on %s:", in->name);
		in->failed = 1;
	}
	if (n <= 0) {
		in->eof = 1;
		return -1;
	}
	in->end += (size_t)n;
	return 0;
}

void jsonl_stop(struct jsonl *in)
{
	unhold(in);
	in->eof = 1;
	in->off = in->end;
	in->scanned = 0;
	in->skipping = 0;
}

/* The line at data[off], len bytes (the newline after it, if any, is
 * skipped too); a too-long one is cut to max+1 bytes. */
static int took(struct jsonl *in, size_t len, int newline)
{
	char *line = in->data + in->off;

	in->lineno++;
	in->scanned = 0;
	in->buf = line;
	in->toolong = len > in->max;
	if (in->toolong) {
		len = in->max + 1;
		in->off += len;
		in->skipping = 1;
		/* the NUL goes over the rest's first byte: kept aside */
		in->held = line + len;
		in->held_byte = *in->held;
	} else {
		in->off += len + (newline != 0);
	}
	in->len = len;
	line[len] = '\0';
	return 1;
}

int jsonl_take(struct jsonl *in)
{
	char *start, *nl;
	size_t avail;

	unhold(in);
	if (in->skipping) {
		nl = memchr(in->data + in->off, '\n', in->end - in->off);
		in->off = nl ? (size_t)(nl - in->data) + 1 : in->end;
		in->scanned = 0;
		in->skipping = !nl && !in->eof;
		if (in->skipping)
			return 0;
	}
	start = in->data + in->off;
	avail = in->end - in->off;
	nl = memchr(start + in->scanned, '\n', avail - in->scanned);
	if (nl)
		return took(in, (size_t)(nl - start), 1);
	if (avail > in->max || (in->eof && avail > 0))
		return took(in, avail, 0);   /* the cap leaves room for the NUL */
	in->scanned = avail;
	return 0;
}

int jsonl_getline(struct jsonl *in)
{
	for (;;) {
		if (jsonl_take(in))
			return 1;
		if (in->eof)
			return in->failed ? -1 : 0;
		if (in->before_wait)
			in->before_wait();
		jsonl_fill(in);
	}
}

int jsonl_rest(struct jsonl *in, FILE *to)
{
	unhold(in);
	while (in->skipping) {
		char *start = in->data + in->off;
		char *nl = memchr(start, '\n', in->end - in->off);
		size_t n = nl ? (size_t)(nl - start) + 1 : in->end - in->off;

		if (to && n && fwrite_unlocked(start, 1, n, to) != n)
			return -1;
		in->off += n;
		if (nl)
			in->skipping = 0;
		else if (in->eof) {
			in->skipping = 0;
			if (to && putc_unlocked('\n', to) == EOF)
				return -1;
		} else {
			if (in->before_wait)
				in->before_wait();
			jsonl_fill(in);
		}
	}
	return 0;
}

static int blank(const char *s)
{
	return s[strspn(s, " \t\r")] == '\0';
}

cJSON *jsonl_parse(struct jsonl *in)
{
	const char *end = NULL;
	cJSON *obj;

	if (in->len > in->max) {
		warn("%s:%ld: line longer than %zu bytes", in->name, in->lineno, in->max);
		return NULL;
	}
	if (!utf8_valid(in->buf, in->len)) {
		warn("%s:%ld: not valid UTF-8", in->name, in->lineno);
		return NULL;
	}
	obj = cJSON_ParseWithLengthOpts(in->buf, in->len, &end, 0);
	if (!obj || !blank(end)) {
		warn("%s:%ld: not valid JSON", in->name, in->lineno);
		cJSON_Delete(obj);
		return NULL;
	}
	if (!cJSON_IsObject(obj)) {
		warn("%s:%ld: not a JSON object", in->name, in->lineno);
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

int jsonl_put(FILE *f, const cJSON *obj)
{
	char *s = cJSON_PrintUnformatted(obj);
	int bad;

	if (!s)
		die(EXIT_DATA, "out of memory");
	bad = fputs(s, f) == EOF || putc('\n', f) == EOF || fflush(f) == EOF;
	free(s);
	return bad ? -1 : 0;
}

int json_int64(const cJSON *obj, const char *key, int64_t *v)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (cJSON_IsNumber(it)) {
		double d = it->valuedouble;
		/* cJSON parsed the number into a double: from 2^53 on it may
		 * have been rounded to a neighbour, so it is refused, not
		 * guessed.  (Telegram's ids have at most 52 bits.) */
		if (d != floor(d) || d >= 9007199254740992.0 || d <= -9007199254740992.0)
			return -1;
		*v = (int64_t)d;
		return 0;
	}
	/* digit strings, and our own exact numbers (json_set_int64) */
	if (cJSON_IsString(it) || cJSON_IsRaw(it))
		return parse_int64(it->valuestring, v);
	return -1;
}

const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(it) ? it->valuestring : NULL;
}

int json_bool(const cJSON *obj, const char *key, int dflt)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsBool(it) ? cJSON_IsTrue(it) : dflt;
}

static void replace(cJSON *obj, const char *key, cJSON *val)
{
	if (!val)
		die(EXIT_DATA, "out of memory");
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, val);
	else
		cJSON_AddItemToObject(obj, key, val);
}

/* cJSON prints a number with 15 significant digits when that reads back
 * "close enough", which rounds ids past 10^15: those are written as
 * their exact digits instead (a raw item; json_int64 reads it). */
void json_set_int64(cJSON *obj, const char *key, int64_t v)
{
	char digits[24];

	if (v > -1000000000000000LL && v < 1000000000000000LL) {
		replace(obj, key, cJSON_CreateNumber((double)v));
		return;
	}
	snprintf(digits, sizeof digits, "%lld", (long long)v);
	replace(obj, key, cJSON_CreateRaw(digits));
}

void json_set_str(cJSON *obj, const char *key, const char *s)
{
	replace(obj, key, s ? cJSON_CreateString(s) : cJSON_CreateNull());
}

void json_set_bool(cJSON *obj, const char *key, int b)
{
	replace(obj, key, cJSON_CreateBool(b));
}
