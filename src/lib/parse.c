/*
 * parse.c - values that users type: durations, sizes, times, integers.
 * All parsers take the whole string or nothing, and never overflow.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tgp.h"

int parse_int64(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

/* A non-negative number, then a unit from the table; the unit scales it. */
static int parse_scaled(const char *s, int64_t *out,
                        const char *const units[], const int64_t scale[])
{
	char *end;
	unsigned long long x;
	int64_t mul = -1;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || x > INT64_MAX)
		return -1;
	for (int i = 0; units[i]; i++)
		if (strcmp(end, units[i]) == 0) {
			mul = scale[i];
			break;
		}
	if (mul < 0 || (x && (int64_t)x > INT64_MAX / mul))
		return -1;
	*out = (int64_t)x * mul;
	return 0;
}

/*
 * The one duration grammar (tgpromise(7), DURATIONS): a decimal number,
 * "90" or "0.5" or ".5" (no sign, exponent or hex: not strtod), then an
 * optional unit, seconds by default.  A fraction is rounded to the
 * nearest millisecond, as timeout(1) takes "0.5".
 */
int parse_duration(const char *s, int64_t *ms)
{
	static const char *const units[] =
		{ "", "s", "ms", "m", "h", "d", "w", NULL };
	static const int64_t scale[] =
		{ 1000, 1000, 1, 60000, 3600000, 86400000, 604800000 };
	unsigned __int128 whole = 0, frac = 0, ten = 1, v;
	const char *p = s;
	int64_t mul = -1;
	int digits = 0, fdigits = 0;

	if (!s)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		if ((whole = whole * 10 + (unsigned)(*p - '0')) > INT64_MAX)
			return -1;
	if (*p == '.') {
		/* digits past the 18th cannot move the result by a ms */
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++)
			if (fdigits < 18)
				frac = frac * 10 + (unsigned)(*p - '0'), ten *= 10;
		if (!fdigits)
			return -1;
	}
	if (!digits && !fdigits)
		return -1;
	for (int i = 0; units[i]; i++)
		if (strcmp(p, units[i]) == 0) {
			mul = scale[i];
			break;
		}
	if (mul < 0)
		return -1;
	v = whole * (unsigned)mul + (frac * (unsigned)mul + ten / 2) / ten;
	if (v > INT64_MAX)
		return -1;
	*ms = (int64_t)v;
	return 0;
}

int parse_size(const char *s, int64_t *bytes)
{
	static const char *const units[] =
		{ "", "B", "K", "k", "KB", "M", "MB", "G", "GB", NULL };
	static const int64_t scale[] =
		{ 1, 1, 1 << 10, 1 << 10, 1 << 10, 1 << 20, 1 << 20, 1 << 30, 1 << 30 };

	return parse_scaled(s, bytes, units, scale);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/* 2026-11-21, 2026-11-21T10:00, 2026-11-21T10:00:00Z, ...+02:00 (UTC if
 * no zone is given: a daemon's local time is rarely what a user meant). */
static int parse_iso8601(const char *s, int64_t *ms)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0, off = 0;
	const char *p;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		int k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &k) != 2 || k != 5)
			return -1;
		p += 1 + k;
		if (*p == ':') {
			if (sscanf(p + 1, "%2d%n", &sec, &k) != 1 || k != 2)
				return -1;
			p += 1 + k;
		}
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om, k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5)
			return -1;
		off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
		p += 1 + k;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60)
		return -1;
	*ms = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec)
	       - (int64_t)off * 60) * 1000;
	return 0;
}

int parse_time(const char *s, int64_t *ms)
{
	int64_t v;

	if (!s)
		return -1;
	if (*s == '@') {
		if (parse_int64(s + 1, &v) || v < 0 || v > INT64_MAX / 1000)
			return -1;
		*ms = v * 1000;
		return 0;
	}
	if (parse_iso8601(s, ms) == 0)
		return 0;
	if (parse_duration(s, &v) == 0) {
		*ms = now_ms() + v;
		return 0;
	}
	return -1;
}

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *fmt_time(int64_t ms, char buf[32])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, 32, "@%lld", (long long)(ms / 1000));
	return buf;
}

char *fmt_duration(int64_t ms, char buf[32])
{
	int64_t s = ms / 1000;

	if (ms < 0)
		ms = 0, s = 0;
	if (ms < 1000)
		snprintf(buf, 32, "%lldms", (long long)ms);
	else if (s < 60)
		snprintf(buf, 32, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, 32, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, 32, "%lldh%02lldm", (long long)(s / 3600), (long long)(s / 60 % 60));
	else
		snprintf(buf, 32, "%lldd%02lldh", (long long)(s / 86400), (long long)(s / 3600 % 24));
	return buf;
}
