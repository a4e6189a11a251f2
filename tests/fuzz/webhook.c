/*
 * Fuzz target: the request line and headers of a webhook request, as
 * tgpoll --webhook judges them before it reads a body.
 *
 * FUZZ_OBJ: src/tgpoll/webhook.c
 *
 * Invariants: no read outside the head; the answer is one of the
 * documented statuses; a request is taken (0) only when it is a POST
 * with the right secret and a Content-Length within the limit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tgp.h"
#include "../../src/tgpoll/webhook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webhook_request rq = {.length = -1};
	char *head, *end;
	int code;

	if (size > WEBHOOK_MAX_HEADER)
		return 0;
	/* As read_head hands it over: through the blank line, then a NUL
	 * (maybe after the start of a body). */
	head = malloc(size + 5);
	memcpy(head, data, size);
	memcpy(head + size, "\r\n\r\n", 5);
	end = memmem(head, size + 4, "\r\n\r\n", 4);
	rq.head_len = (size_t)(end - head) + 4;
	code = webhook_parse_head(head, "s3cret_-X", &rq);
	switch (code) {
	case 0:
		if (!rq.post || !rq.secret_ok || rq.chunked || rq.bad_length ||
		    rq.length < 0 || rq.length > WEBHOOK_MAX_BODY)
			abort();
		break;
	case 400: case 401: case 405: case 411: case 413:
		break;
	default:
		abort();
	}
	if (code != 401 && code != 400 && !rq.secret_ok)
		abort();   /* without the secret, nothing but 401 (or 400) */
	free(head);
	return 0;
}
