/* Unit tests for jsonl.c and utf8.c: lines, 64-bit ids, bad input. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tgp.h"
#include "tap.h"

static cJSON *parse_line(const char *text, struct jsonl *in)
{
	cJSON *obj = NULL;

	jsonl_open_mem(in, text, strlen(text), "<test>");
	if (jsonl_getline(in) == 1)
		obj = jsonl_parse(in);
	return obj;
}

static void put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		abort();
}

/* The one line reader over a pipe, fed in pieces as a stage's input
 * comes: lines across reads, too-long lines, their rest, the end. */
static void reader(void)
{
	struct jsonl in;
	int p[2];
	char rest[64] = "";
	FILE *f;

	if (pipe(p) < 0)
		abort();
	jsonl_open(&in, p[0], "<pipe>");
	in.max = 8;
	put(p[1], "{\"a\":1}\n{\"b\"");
	jsonl_fill(&in);
	ok(jsonl_take(&in) == 1, "a whole line is taken");
	is_str(in.buf, "{\"a\":1}", "without its newline");
	ok(jsonl_take(&in) == 0, "half a line is not");
	put(p[1], ":2}\n");
	jsonl_fill(&in);
	ok(jsonl_take(&in) == 1 && strcmp(in.buf, "{\"b\":2}") == 0,
	   "its other half came with the next read");
	is_int(in.lineno, 2, "lines are counted");

	put(p[1], "0123456789abcdef\nshort\n");
	ok(jsonl_getline(&in) == 1 && in.toolong && in.len == 9, "a too-long line comes cut");
	is_str(in.buf, "012345678", "to max+1 bytes, NUL-terminated");
	ok(jsonl_parse(&in) == NULL, "and jsonl_parse refuses it");
	ok(jsonl_getline(&in) == 1 && !in.toolong, "the rest is skipped");
	is_str(in.buf, "short", "the next line is whole");
	is_int(in.lineno, 4, "the too-long line counted as one");

	put(p[1], "0123456789abcdef\nnext\n");
	f = tmpfile();
	ok(jsonl_getline(&in) == 1 && in.toolong, "another too-long line");
	ok(jsonl_rest(&in, f) == 0, "its rest is copied");
	rewind(f);
	if (!fgets(rest, sizeof rest, f))
		rest[0] = '\0';
	fclose(f);
	is_str(rest, "9abcdef\n", "whole, through its newline");
	ok(jsonl_getline(&in) == 1, "then the next line");
	is_str(in.buf, "next", "untouched");

	put(p[1], "tail");
	close(p[1]);
	ok(jsonl_getline(&in) == 1, "an unterminated last line counts");
	is_str(in.buf, "tail", "as it is");
	ok(jsonl_getline(&in) == 0 && in.eof && !in.failed, "then the end");
	jsonl_close(&in);
	close(p[0]);
}

int main(void)
{
	struct jsonl in;
	int64_t v;
	cJSON *o;

	tgp_init("jsonl-test");
	o = parse_line("{\"chat_id\":-1001234567890123,\"text\":\"hi\"}\n", &in);
	ok(o != NULL, "an object parses");
	ok(json_int64(o, "chat_id", &v) == 0 && v == -1001234567890123LL,
	   "a large negative chat id stays exact");
	is_str(json_str(o, "text"), "hi", "json_str");
	ok(json_str(o, "chat_id") == NULL, "json_str of a number is NULL");
	json_set_int64(o, "chat_id", 7);
	ok(json_int64(o, "chat_id", &v) == 0 && v == 7, "json_set_int64 replaces");
	cJSON_Delete(o);
	jsonl_close(&in);

	ok(parse_line("[1,2]\n", &in) == NULL, "an array is not a line object");
	jsonl_close(&in);
	ok(parse_line("{\"a\":1} junk\n", &in) == NULL, "trailing junk is refused");
	jsonl_close(&in);
	ok(parse_line("{\"a\":\"\xff\"}\n", &in) == NULL, "invalid UTF-8 is refused");
	jsonl_close(&in);
	o = parse_line("{\"a\":1.5}\n", &in);
	ok(o != NULL, "fractions parse");
	cJSON_Delete(o);
	jsonl_close(&in);

	ok(utf8_valid("h\xc3\xa9llo", 6), "valid UTF-8");
	ok(!utf8_valid("\xc0\xaf", 2), "overlong encoding is invalid");
	ok(!utf8_valid("\xed\xa0\x80", 3), "a surrogate is invalid");
	is_int(utf8_clip("a\xf0\x9f\x98\x80", 3), 1, "clip never cuts an emoji");
	is_int(utf8_clip("a\xf0\x9f\x98\x80", 5), 5, "a whole emoji is kept");
	{
		uint32_t cp = 0;
		ok(utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp) == 4 &&
		   cp == 0x1f600, "the one decoder: an emoji is 4 bytes, U+1F600");
		ok(utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp) == 2 && cp == 0xe9,
		   "\xc3\xa9 is U+00E9");
		ok(utf8_decode((const unsigned char *)"\xc3\xa9", 1, &cp) == 0,
		   "a sequence cut short is no character");
		ok(utf8_decode((const unsigned char *)"\xe0\x80\xaf", 3, &cp) == 0,
		   "an overlong form is no character");
		ok(utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp) == 0,
		   "past U+10FFFF is no character");
		ok(utf8_decode((const unsigned char *)"\x80", 1, &cp) == 0,
		   "a stray continuation byte is no character");
	}
	char *s = utf8_sanitize("a\xff" "b", 3);
	is_str(s, "a\xef\xbf\xbd" "b", "sanitize replaces bad bytes");
	free(s);

	reader();

	tgp_secret("123456:ABCDEF-secret");
	char msg[] = "GET /bot123456:ABCDEF-secret/getMe failed";
	tgp_redact(msg);
	is_str(msg, "GET /bot<redacted>/getMe failed", "secrets are redacted");
	return done_testing();
}
