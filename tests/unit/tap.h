/* tap.h - the smallest TAP producer: enough for C unit tests under prove. */
#ifndef TAP_H
#define TAP_H
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, desc) do { long long g_ = (got), w_ = (want); \
	if (!ok(g_ == w_, "%s", desc)) \
		printf("#   got %lld, want %lld\n", g_, w_); } while (0)
#define is_str(got, want, desc) do { const char *g_ = (got), *w_ = (want); \
	if (!ok(g_ && w_ && strcmp(g_, w_) == 0, "%s", desc)) \
		printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_); } while (0)

static int __attribute__((format(printf, 4, 5)))
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	return pass;
}

static int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
#endif
