/*
 * utf8.c - text from outside is bytes.  These keep what we emit valid
 * UTF-8 (JSON demands it) and never cut a character in half.
 */
#include <string.h>

#include "tgp.h"

/* Length of the valid UTF-8 character at s, or 0. */
static size_t seqlen(const unsigned char *s, size_t n)
{
	uint32_t cp;

	return utf8_decode(s, n, &cp);
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = seqlen(p + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

size_t utf8_clip(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	/* Back up over continuation bytes to the start of the last char. */
	size_t i = n;
	while (i > 0 && (p[i - 1] & 0xc0) == 0x80 && n - i < 3)
		i--;
	if (i > 0 && p[i - 1] >= 0xc0) {
		size_t k = seqlen(p + i - 1, n - (i - 1));
		return k && i - 1 + k == n ? n : i - 1;
	}
	return n;
}

char *utf8_sanitize(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = xmalloc(n * 3 + 1), *o = out;

	for (size_t i = 0; i < n;) {
		size_t k = seqlen(p + i, n - i);
		if (k && !(k == 1 && p[i] == 0)) {
			memcpy(o, p + i, k);
			o += k;
			i += k;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);   /* U+FFFD */
			o += 3;
			i++;
		}
	}
	*o = '\0';
	return out;
}
