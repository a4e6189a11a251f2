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

#include "tgp.h"

enum { DEFAULT_MAX = 1 << 20 };

void jsonl_open(struct jsonl *in, FILE *f, const char *name)
{
	memset(in, 0, sizeof *in);
	in->f = f;
	in->name = name;
	in->max = DEFAULT_MAX;
}

void jsonl_close(struct jsonl *in)
{
	free(in->buf);
	in->buf = NULL;
	in->cap = 0;
}

/* Keeps at most max+1 bytes of a line, so an endless line costs bounded
 * memory; len > max then tells jsonl_parse the line was too long. */
int jsonl_getline(struct jsonl *in)
{
	size_t keep = in->max + 1;
	int c, got = 0;

	in->len = 0;
	if (!in->buf) {
		in->cap = 4096;
		in->buf = xmalloc(in->cap);
	}
	while ((c = getc_unlocked(in->f)) != EOF) {
		got = 1;
		if (c == '\n')
			break;
		if (in->len < keep) {
			if (in->len + 1 >= in->cap) {
				in->cap *= 2;
				in->buf = xrealloc(in->buf, in->cap);
			}
			in->buf[in->len++] = (char)c;
		}
	}
	in->buf[in->len] = '\0';
	if (ferror(in->f)) {
		warn("read error on %s:", in->name);
		return -1;
	}
	if (!got)
		return 0;
	in->lineno++;
	return 1;
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
