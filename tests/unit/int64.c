/* Unit tests: 64-bit ids through json_int64 and json_set_int64 stay
 * exact or are refused, never silently rounded (found by fuzzing). */
#include <stdarg.h>
#include <stdlib.h>

#include "tgp.h"
#include "tap.h"

/* v set, printed, parsed again and read back. */
static int round_trip(int64_t v, int64_t *back)
{
	cJSON *o = cJSON_CreateObject(), *p;
	int64_t own;
	char *s;
	int rc;

	json_set_int64(o, "id", v);
	s = cJSON_PrintUnformatted(o);
	p = cJSON_Parse(s);
	rc = json_int64(p, "id", back);
	if (rc == 0 && (json_int64(o, "id", &own) != 0 || own != v))
		rc = -1;     /* the writer's own object must read back too */
	free(s);
	cJSON_Delete(o);
	cJSON_Delete(p);
	return rc;
}

int main(void)
{
	static const int64_t ids[] = {
		0, 42, -1001234567890123, 4503599627370491, -4503599627370491,
		9007199254740991, -9007199254740991, 8999999999999999,
	};
	int64_t v;

	tgp_init("int64");
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
		int64_t back = 0;
		int rc = round_trip(ids[i], &back);
		ok(rc == 0 && back == ids[i], "%lld survives printing and parsing (got %lld)",
		   (long long)ids[i], (long long)back);
	}

	cJSON *o = cJSON_Parse("{\"a\":9007199254740993,\"b\":1e300,"
	                       "\"c\":\"9007199254740993\",\"d\":-9007199254740991}");
	ok(json_int64(o, "a", &v) != 0, "a number from 2^53 on is refused: it may be rounded");
	ok(json_int64(o, "b", &v) != 0, "1e300 is refused");
	ok(json_int64(o, "c", &v) == 0 && v == 9007199254740993LL, "a digit string is exact to 64 bits");
	ok(json_int64(o, "d", &v) == 0 && v == -9007199254740991LL, "-(2^53-1) is kept");
	cJSON_Delete(o);
	return done_testing();
}
