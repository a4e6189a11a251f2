/* Unit tests for parse.c: durations, sizes, times, integers. */
#include <stdarg.h>
#include "tgp.h"
#include "tap.h"

static int64_t dur(const char *s)
{
	int64_t ms;
	return parse_duration(s, &ms) == 0 ? ms : -1;
}

static int64_t size(const char *s)
{
	int64_t b;
	return parse_size(s, &b) == 0 ? b : -1;
}

int main(void)
{
	int64_t v;
	char buf[32];

	is_int(dur("90"), 90000, "a bare duration is seconds");
	is_int(dur("90s"), 90000, "90s");
	is_int(dur("10m"), 600000, "10m");
	is_int(dur("2h"), 7200000, "2h");
	is_int(dur("1d"), 86400000, "1d");
	is_int(dur("250ms"), 250, "250ms");
	is_int(dur("0"), 0, "zero is a duration");
	is_int(dur(""), -1, "empty is not a duration");
	is_int(dur("-5s"), -1, "negative is not a duration");
	is_int(dur("5 s"), -1, "inner space is refused");
	is_int(dur("5x"), -1, "unknown unit is refused");
	is_int(dur("99999999999999999999"), -1, "overflow is refused");
	is_int(dur("9999999999999999d"), -1, "overflow after scaling is refused");
	/* one grammar for every tool: fractions as timeout(1) takes them */
	is_int(dur("0.5"), 500, "a fraction of a second");
	is_int(dur(".5"), 500, "a fraction without its zero");
	is_int(dur("1.5m"), 90000, "a fraction of a minute");
	is_int(dur("0.25h"), 900000, "a fraction of an hour");
	is_int(dur("1.0005"), 1001, "fractions round to the millisecond");
	is_int(dur("2.5ms"), 3, "fractions of a millisecond round too");
	is_int(dur("0.000000000000000000000001d"), 0, "many digits do not overflow");
	is_int(dur("5."), -1, "a point needs digits after it");
	is_int(dur("."), -1, "a point alone is not a duration");
	is_int(dur("1e3"), -1, "no exponents");
	is_int(dur("0x10"), -1, "no hexadecimal");
	is_int(dur("inf"), -1, "no infinity");
	is_int(dur("1.5.5"), -1, "one point at most");
	is_int(dur("106751991167300.5d"), -1, "a fraction past the limit is refused");

	is_int(size("4096"), 4096, "bytes");
	is_int(size("64K"), 65536, "64K");
	is_int(size("1M"), 1048576, "1M");
	is_int(size("2G"), 2147483648LL, "2G");
	is_int(size("1T"), -1, "unknown size unit is refused");

	ok(parse_int64("-1001234567890", &v) == 0 && v == -1001234567890LL,
	   "a 64-bit chat id parses exactly");
	ok(parse_int64("12a", &v) != 0, "trailing junk is refused");
	ok(parse_int64(" 12", &v) != 0, "leading space is refused");

	ok(parse_time("@1700000000", &v) == 0 && v == 1700000000000LL, "@epoch");
	ok(parse_time("2026-11-21T10:00:00Z", &v) == 0 && v == 1795255200000LL,
	   "ISO 8601 in UTC");
	ok(parse_time("2026-11-21T12:00:00+02:00", &v) == 0 && v == 1795255200000LL,
	   "ISO 8601 with an offset");
	ok(parse_time("2026-13-01", &v) != 0, "month 13 is refused");
	int64_t before = now_ms();
	ok(parse_time("10m", &v) == 0 && v >= before + 600000 && v <= now_ms() + 600000,
	   "a duration means that long from now");

	is_str(fmt_time(1795255200000LL, buf), "2026-11-21T10:00:00Z", "fmt_time");
	is_str(fmt_duration(3723000, buf), "1h02m", "fmt_duration hours");
	is_str(fmt_duration(45000, buf), "45s", "fmt_duration seconds");
	return done_testing();
}
