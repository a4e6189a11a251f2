/*
 * Fuzz target: a Bot API reply body, as botapi_call reads it after any
 * HTTP status (the first two bytes choose the status).
 *
 * Invariants: the status is one a caller handles; ok:true comes with a
 * result; the description is a terminated string, never empty on
 * failure; retry_after is never negative; the reply frees cleanly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "botapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long codes[] = {200, 400, 401, 403, 404, 409, 429, 500, 502, 0};
	struct botapi_reply r;
	enum botapi_status s;

	if (size < 1)
		return 0;
	memset(&r, 0, sizeof r);
	r.http_status = codes[data[0] % (sizeof codes / sizeof *codes)];
	s = botapi_parse_reply((const char *)data + 1, size - 1, &r);
	if (memchr(r.description, '\0', sizeof r.description) == NULL)
		abort();
	switch (s) {
	case BOTAPI_OK:
		if (!r.result || r.description[0])
			abort();
		break;
	case BOTAPI_ERROR:
	case BOTAPI_NOREPLY:
		if (r.result || !r.description[0] || r.retry_after < 0)
			abort();
		break;
	default:
		abort();   /* STOPPED comes from a signal, never a body */
	}
	botapi_temporary(&r);
	botapi_bad_token(&r);
	botapi_reply_free(&r);
	return 0;
}
