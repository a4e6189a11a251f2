/*
 * capture.c - bounded output capture.  Memory is fixed at init; each byte
 * is copied at most once into the head or the ring.  Text is made valid
 * UTF-8 only when asked for, so a cut never splits a character and a
 * stray byte becomes U+FFFD instead of breaking the JSON line.
 */
#include <stdlib.h>
#include <string.h>

#include "tgp.h"
#include "capture.h"

void capture_init(struct capture *c, size_t max, const char *marker)
{
	memset(c, 0, sizeof *c);
	c->head_max = max / 2;
	c->tail_max = max - c->head_max;
	c->head = xmalloc(c->head_max + 1);
	c->ring = xmalloc(c->tail_max + 1);
	if (marker && *marker) {
		c->marker = marker;
		c->marker_len = strlen(marker);
		c->carry = xmalloc(2 * c->marker_len);
	}
}

void capture_free(struct capture *c)
{
	free(c->head);
	free(c->ring);
	free(c->carry);
	memset(c, 0, sizeof *c);
}

/* The marker may straddle two reads: look in the seam made of the bytes
 * kept from before and the start of this read, then in the read. */
static void look_for_marker(struct capture *c, const char *buf, size_t n)
{
	size_t keep = c->marker_len - 1;

	if (c->found)
		return;
	if (c->carry_len) {
		size_t take = n < keep ? n : keep;
		memcpy(c->carry + c->carry_len, buf, take);
		if (memmem(c->carry, c->carry_len + take, c->marker, c->marker_len))
			c->found = 1;
		/* The new carry: the last `keep` bytes of carry + buf. */
		if (n < keep) {
			size_t all = c->carry_len + take;
			size_t from = all > keep ? all - keep : 0;
			memmove(c->carry, c->carry + from, all - from);
			c->carry_len = all - from;
			return;
		}
	}
	if (memmem(buf, n, c->marker, c->marker_len))
		c->found = 1;
	if (n >= keep) {
		memcpy(c->carry, buf + n - keep, keep);
		c->carry_len = keep;
	} else if (!c->carry_len) {
		memcpy(c->carry, buf, n);
		c->carry_len = n;
	}
}

void capture_add(struct capture *c, const char *buf, size_t n)
{
	if (c->marker)
		look_for_marker(c, buf, n);
	c->total += n;
	if (c->head_len < c->head_max) {
		size_t take = c->head_max - c->head_len;
		if (take > n)
			take = n;
		memcpy(c->head + c->head_len, buf, take);
		c->head_len += take;
		buf += take;
		n -= take;
	}
	if (!n || !c->tail_max)
		return;
	if (n >= c->tail_max) {
		memcpy(c->ring, buf + n - c->tail_max, c->tail_max);
		c->ring_pos = 0;
		c->ring_len = c->tail_max;
		return;
	}
	size_t first = c->tail_max - c->ring_pos;
	if (first > n)
		first = n;
	memcpy(c->ring + c->ring_pos, buf, first);
	memcpy(c->ring, buf + first, n - first);
	c->ring_pos = (c->ring_pos + n) % c->tail_max;
	c->ring_len = c->ring_len + n > c->tail_max ? c->tail_max : c->ring_len + n;
}

/* The ring's bytes in order, malloc'd; *len is set. */
static char *ring_bytes(const struct capture *c, size_t *len)
{
	char *out = xmalloc(c->ring_len + 1);
	size_t start = c->ring_len < c->tail_max ? 0 : c->ring_pos;
	size_t first = c->tail_max - start;

	if (first > c->ring_len)
		first = c->ring_len;
	memcpy(out, c->ring + start, first);
	memcpy(out + first, c->ring, c->ring_len - first);
	*len = c->ring_len;
	return out;
}

/* Skips up to three continuation bytes: a cut in the middle of a
 * character loses that character rather than producing U+FFFD. */
static size_t char_start(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && i < 3 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;
	return i;
}

char *capture_text(const struct capture *c, int *truncated)
{
	size_t tlen;
	char *tail = ring_bytes(c, &tlen), *out;

	*truncated = c->total > c->head_len + tlen;
	if (!*truncated) {
		char *all = xmalloc(c->head_len + tlen + 1);
		memcpy(all, c->head, c->head_len);
		memcpy(all + c->head_len, tail, tlen);
		out = utf8_sanitize(all, c->head_len + tlen);
		free(all);
	} else {
		size_t hlen = utf8_clip(c->head, c->head_len);
		size_t skip = char_start(tail, tlen);
		char *h = utf8_sanitize(c->head, hlen);
		char *t = utf8_sanitize(tail + skip, tlen - skip);
		char mark[96];
		int m = snprintf(mark, sizeof mark, "\n[... %llu bytes left out ...]\n",
		                 (unsigned long long)(c->total - hlen - (tlen - skip)));
		size_t a = strlen(h), b = strlen(t);

		out = xmalloc(a + (size_t)m + b + 1);
		memcpy(out, h, a);
		memcpy(out + a, mark, (size_t)m);
		memcpy(out + a + (size_t)m, t, b + 1);
		free(h);
		free(t);
	}
	free(tail);
	return out;
}

char *capture_tail(const struct capture *c, size_t n)
{
	size_t hlen, tlen, len;
	char *tail = ring_bytes(c, &tlen), *all, *out;

	/* Whatever is in the ring follows the head directly only when
	 * nothing was dropped in between; otherwise the ring alone. */
	hlen = c->total == c->head_len + tlen ? c->head_len : 0;
	all = xmalloc(hlen + tlen + 1);
	memcpy(all, c->head + c->head_len - hlen, hlen);
	memcpy(all + hlen, tail, tlen);
	len = hlen + tlen;
	size_t from = len > n ? len - n : 0;
	from += char_start(all + from, len - from);
	out = utf8_sanitize(all + from, len - from);
	free(all);
	free(tail);
	return out;
}
