/* Unit tests for jsonl.c and utf8.c: lines, 64-bit ids, bad input. */
#include <stdarg.h>
#include <stdlib.h>
#include "tgp.h"
#include "tap.h"

static cJSON *parse_line(const char *text, struct jsonl *in)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	cJSON *obj = NULL;

	jsonl_open(in, f, "<test>");
	if (jsonl_getline(in) == 1)
		obj = jsonl_parse(in);
	fclose(f);
	return obj;
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

	tgp_secret("123456:ABCDEF-secret");
	char msg[] = "GET /bot123456:ABCDEF-secret/getMe failed";
	tgp_redact(msg);
	is_str(msg, "GET /bot<redacted>/getMe failed", "secrets are redacted");
	return done_testing();
}
