/*
 * capture.h - a task's output in bounded memory: the first half of the
 * budget and a ring of the last half, however much the task writes; and,
 * for loop mode, whether a marker string went past, even across reads.
 */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct capture {
	size_t head_max, tail_max;
	char *head;
	size_t head_len;
	char *ring;           /* tail_max bytes; the next byte goes to ring_pos */
	size_t ring_pos, ring_len;
	uint64_t total;       /* bytes seen */
	const char *marker;   /* NULL: not looking */
	size_t marker_len;
	char *carry;          /* the last marker_len-1 bytes seen, and room */
	size_t carry_len;
	int found;
};

void capture_init(struct capture *c, size_t max, const char *marker);
void capture_add(struct capture *c, const char *buf, size_t n);
/* The output as valid UTF-8 (malloc'd): all of it, or head, a marker
 * line saying how much was left out, and tail.  *truncated says which. */
char *capture_text(const struct capture *c, int *truncated);
/* At most the last n bytes, starting on a character, as valid UTF-8. */
char *capture_tail(const struct capture *c, size_t n);
void capture_free(struct capture *c);

#endif
