/* Unit tests for runjob's capture.c: head and tail, the marker seam. */
#include <stdarg.h>
#include <stdlib.h>
#include "tgp.h"
#include "tap.h"
#include "../../src/runjob/capture.c"

static int found_in_pieces(const char *marker, const char *const *pieces)
{
	struct capture c;
	int found;

	capture_init(&c, 16, marker);
	for (; *pieces; pieces++)
		capture_add(&c, *pieces, strlen(*pieces));
	found = c.found;
	capture_free(&c);
	return found;
}

int main(void)
{
	struct capture c;
	int cut;
	char *s;

	tgp_init("capture-test");
	capture_init(&c, 8, NULL);
	capture_add(&c, "abc", 3);
	capture_add(&c, "def", 3);
	s = capture_text(&c, &cut);
	is_str(s, "abcdef", "under the cap: all of it");
	ok(!cut, "and not cut");
	free(s);
	capture_add(&c, "ghijklmnop", 10);
	s = capture_text(&c, &cut);
	is_str(s, "abcd\n[... 8 bytes left out ...]\nmnop", "over it: head, marker, tail");
	ok(cut, "and cut");
	free(s);
	is_int((long long)c.total, 16, "every byte counted");
	s = capture_tail(&c, 2);
	is_str(s, "op", "the tail for RUNJOB_PREVIOUS_OUTPUT");
	free(s);
	for (int i = 0; i < 1000; i++)
		capture_add(&c, "0123456789", 10);
	s = capture_text(&c, &cut);
	is_str(s, "abcd\n[... 10008 bytes left out ...]\n6789", "the ring wraps");
	free(s);
	capture_free(&c);

	capture_init(&c, 0, NULL);
	capture_add(&c, "x", 1);
	s = capture_text(&c, &cut);
	ok(cut && strncmp(s, "\n[... 1 bytes", 13) == 0, "a cap of 0 keeps nothing");
	free(s);
	capture_free(&c);

	ok(found_in_pieces("DONE", (const char *const[]){ "xxDONExx", NULL }),
	   "a marker in one read");
	ok(found_in_pieces("DONE", (const char *const[]){ "xxDO", "NExx", NULL }),
	   "a marker across two reads");
	ok(found_in_pieces("DONE", (const char *const[]){ "D", "O", "N", "E", NULL }),
	   "a marker one byte at a time");
	ok(found_in_pieces("DONE", (const char *const[]){ "xD", "ON", "E", NULL }),
	   "a marker across three reads");
	ok(!found_in_pieces("DONE", (const char *const[]){ "DON", "xE", "DONx", NULL }),
	   "no false match across reads");
	ok(found_in_pieces("D", (const char *const[]){ "abc", "xDx", NULL }),
	   "a one-byte marker");
	return done_testing();
}
