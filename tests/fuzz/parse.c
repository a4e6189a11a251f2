/* Fuzz target: every parser of values users type, and the UTF-8 helpers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), buf[32];
	int64_t v;

	memcpy(s, data, size);
	s[size] = '\0';
	if (parse_duration(s, &v) == 0)
		fmt_duration(v, buf);
	parse_size(s, &v);
	parse_int64(s, &v);
	if (parse_time(s, &v) == 0)
		fmt_time(v, buf);
	size_t k = utf8_clip(s, size);
	if (utf8_valid(s, size) && !utf8_valid(s, k))
		abort();	/* a clip of valid text must stay valid */
	char *clean = utf8_sanitize(s, size);
	if (!utf8_valid(clean, strlen(clean)))
		abort();
	free(clean);
	free(s);
	return 0;
}
