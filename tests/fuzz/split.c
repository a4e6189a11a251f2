/*
 * Fuzz target: split_text in every mode, at any limit from 64 to 4096
 * (the first three bytes choose them; the rest is the text).
 *
 * Invariants: every part fits the limit in UTF-16 units; no part is
 * empty or starts or ends with whitespace outside markup; a part of
 * valid UTF-8 text is valid UTF-8; in plain mode the parts are the text
 * itself, in order, with only whitespace left out between them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "split.h"
#include "tgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The parts, in order, are the text less whitespace between them. */
static void check_plain(const char *s, size_t n, char **parts, size_t count)
{
	size_t pos = 0;

	for (size_t i = 0; i < count; i++) {
		size_t len = strlen(parts[i]);
		while (pos < n && space(s[pos]))
			pos++;
		if (len == 0 || len > n - pos || memcmp(s + pos, parts[i], len) != 0)
			abort();
		if (space(parts[i][0]) || space(parts[i][len - 1]))
			abort();
		pos += len;
	}
	while (pos < n && space(s[pos]))
		pos++;
	if (pos != n)
		abort();   /* text lost at the end */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum split_mode mode;
	size_t max, n, count;
	const char *s;
	char **parts;
	int valid;

	if (size < 3)
		return 0;
	mode = (enum split_mode)(data[0] % 3);
	max = 64 + (((size_t)data[1] << 8 | data[2]) % (TELEGRAM_MAX_TEXT - 63));
	s = (const char *)data + 3;
	n = size - 3;
	/* split_text reads n bytes; a NUL inside would end a part early */
	if (memchr(s, '\0', n))
		return 0;
	valid = utf8_valid(s, n);
	count = split_text(s, n, max, mode, &parts);
	for (size_t i = 0; i < count; i++) {
		size_t len = strlen(parts[i]);
		if (len == 0 || utf16_units(parts[i], len) > max)
			abort();
		if (valid && !utf8_valid(parts[i], len))
			abort();
	}
	if (mode == SPLIT_PLAIN)
		check_plain(s, n, parts, count);
	split_free(parts, count);
	return 0;
}
