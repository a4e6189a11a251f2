/*
 * err.c - diagnostics in one shape for every tool: "prog: message".
 *
 * Every diagnostic passes through vwarn(), which scrubs registered
 * secrets (the bot token) before anything reaches stderr, so a libcurl
 * error string that embeds the URL cannot leak the token.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tgp.h"

const char *argv0 = "tgpromise";

enum { MAXSECRETS = 4 };
static char *secrets[MAXSECRETS];

static void check_stdout(void)
{
	if (fshut(stdout, "<stdout>") != 0)
		_exit(EXIT_DATA);
}

void tgp_init(const char *progname)
{
	const char *slash = strrchr(progname, '/');

	argv0 = slash ? slash + 1 : progname;
	atexit(check_stdout);
}

void tgp_secret(const char *s)
{
	if (!s || strlen(s) < 4)
		return;
	for (int i = 0; i < MAXSECRETS; i++)
		if (!secrets[i]) {
			secrets[i] = xstrdup(s);
			return;
		}
}

void tgp_redact(char *s)
{
	for (int i = 0; i < MAXSECRETS && secrets[i]; i++) {
		size_t n = strlen(secrets[i]);
		char *p;

		while ((p = strstr(s, secrets[i]))) {
			static const char mark[] = "<redacted>";
			size_t m = sizeof mark - 1;

			/* The mark is never longer than what it replaces in a
			 * real token; clip it otherwise. */
			if (m > n)
				m = n;
			memcpy(p, mark, m);
			memmove(p + m, p + n, strlen(p + n) + 1);
		}
	}
}

void vwarn(const char *fmt, va_list ap)
{
	char msg[2048];
	int saved = errno;
	size_t n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	if (n > 0 && fmt[strlen(fmt) - 1] == ':')
		snprintf(msg + n, sizeof msg - n, " %s", strerror(saved));
	tgp_redact(msg);
	fflush(stdout);
	fprintf(stderr, "%s: %s\n", argv0, msg);
	errno = saved;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

void usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	fputs(usage, stderr);
	exit(EXIT_USAGE);
}

int fshut(FILE *f, const char *name)
{
	int bad = fflush(f) != 0 || ferror(f);

	if (bad) {
		/* Write the message by hand: stdout may be what failed. */
		char msg[256];
		int n = snprintf(msg, sizeof msg, "%s: write error on %s: %s\n",
		                 argv0, name, strerror(errno ? errno : EIO));
		if (write(2, msg, (size_t)n) < 0)
			return -1;
		return -1;
	}
	return 0;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die(EXIT_DATA, "out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die(EXIT_DATA, "out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}
