/*
 * lines.h - notice lines from a descriptor, read as they come.
 *
 * notify must know when no more input is waiting, so that it sends what
 * it has instead of blocking in a read.  stdio cannot tell: lines in its
 * buffer are invisible to poll(2).  So lines are read here with read(2),
 * one call only when poll said so, and each is judged by jsonl_parse
 * exactly as jsonl_getline's lines are: same diagnostics, same limit.
 */
#ifndef LINES_H
#define LINES_H

#include <stddef.h>

#include "tgp.h"

struct lines {
	int fd;
	char *buf;
	size_t off, len, cap;   /* bytes not yet made lines: buf[off..len) */
	int eof;                /* end of input, or a read error (failed) */
	int failed;
	struct jsonl line;      /* the last line taken; line.lineno counts */
};

void lines_open(struct lines *in, int fd, const char *name);
void lines_close(struct lines *in);
/* Reads once from the descriptor (it should be readable: this may block).
 * Returns 0, or -1 at the end of input or on a read error (reported). */
int lines_fill(struct lines *in);
/* Reads no more: the lines not yet taken are dropped, as at the end. */
void lines_stop(struct lines *in);
/* Takes the next whole line read so far into in->line (NUL-terminated,
 * without its newline) for jsonl_parse; 0 when there is none yet.  At
 * the end of input an unterminated last line counts. */
int lines_take(struct lines *in);

#endif
