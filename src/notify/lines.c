/*
 * lines.c - notice lines from a descriptor, read as they come (lines.h).
 *
 * Memory stays bounded: a line longer than the jsonl limit keeps only
 * limit+1 bytes, enough for jsonl_parse to call it too long, and the
 * caller takes lines out before it asks for more input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"

enum { CHUNK = 64 << 10 };

void lines_open(struct lines *in, int fd, const char *name)
{
	memset(in, 0, sizeof *in);
	in->fd = fd;
	jsonl_open(&in->line, NULL, name);
}

void lines_close(struct lines *in)
{
	free(in->buf);
	memset(in, 0, sizeof *in);
}

int lines_fill(struct lines *in)
{
	ssize_t n;

	if (in->eof)
		return -1;
	if (in->off > 0) {
		memmove(in->buf, in->buf + in->off, in->len - in->off);
		in->len -= in->off;
		in->off = 0;
	}
	/* All that is left is the start of one line: past the limit it
	 * is refused anyway, so the excess is dropped, not kept. */
	if (in->len > in->line.max + 1)
		in->len = in->line.max + 1;
	if (in->cap < in->len + CHUNK + 1) {
		in->cap = in->len + CHUNK + 1;
		in->buf = xrealloc(in->buf, in->cap);
	}
	n = read(in->fd, in->buf + in->len, CHUNK);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n < 0) {
		warn("read error on %s:", in->line.name);
		in->failed = 1;
	}
	if (n <= 0) {
		in->eof = 1;
		return -1;
	}
	in->len += (size_t)n;
	return 0;
}

void lines_stop(struct lines *in)
{
	in->eof = 1;
	in->off = in->len;
}

int lines_take(struct lines *in)
{
	char *start, *nl;

	if (in->off == in->len)
		return 0;
	start = in->buf + in->off;
	nl = memchr(start, '\n', in->len - in->off);
	if (!nl && !in->eof)
		return 0;
	if (!nl)
		nl = in->buf + in->len;   /* the cap leaves room for the NUL */
	*nl = '\0';
	in->line.buf = start;
	in->line.len = (size_t)(nl - start);
	in->line.lineno++;
	in->off = nl < in->buf + in->len ? (size_t)(nl - in->buf) + 1 : in->len;
	return 1;
}
