/* Unit tests: split_text on hostile markup, from what the fuzzer found. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "split.h"
#include "tgp.h"
#include "tap.h"

static char buf[100000];

static int all_fit(char **parts, size_t n, size_t max)
{
	for (size_t i = 0; i < n; i++)
		if (utf16_units(parts[i], strlen(parts[i])) > max)
			return 0;
	return 1;
}

static void fill(size_t at, const char *word, size_t times)
{
	for (size_t i = 0; i < times; i++)
		strcat(buf + at, word);
}

/* A '<' whose '>' is far away made one huge opener, reopened in every
 * later part: each part over the limit, one character of text each. */
static void test_long_opener(void)
{
	char **p;
	size_t n;

	strcpy(buf, "<b>bold <xt ");
	fill(0, "text ", 40);
	strcat(buf, "<pre><code class=\"c\">int x;</code></pre></b>");
	n = split_text(buf, strlen(buf), 80, SPLIT_HTML, &p);
	ok(n > 1 && all_fit(p, n, 80), "HTML: an opener longer than half a part is not reopened");
	ok(n < 10, "HTML: ... and the text is not cut a character at a time (%zu parts)", n);
	split_free(p, n);
}

/* Markup nested as deep as the stack allows costs more to reopen and
 * close than a small part holds. */
static void test_deep_nesting(void)
{
	char **p;
	size_t n;

	buf[0] = '\0';
	fill(0, "<blockquote>", 16);
	fill(0, "word ", 100);
	n = split_text(buf, strlen(buf), 64, SPLIT_HTML, &p);
	ok(n > 1 && all_fit(p, n, 64), "HTML: deep nesting still leaves parts within the limit");
	split_free(p, n);

	buf[0] = '\0';
	fill(0, "*_~||__", 4);
	fill(0, "word ", 100);
	n = split_text(buf, strlen(buf), 64, SPLIT_MARKDOWNV2, &p);
	ok(n > 1 && all_fit(p, n, 64), "MarkdownV2: deep nesting still leaves parts within the limit");
	split_free(p, n);
}

/* One atom (a link) longer than a part was sent alone, over the limit. */
static void test_long_atom(void)
{
	char **p;
	size_t n;

	strcpy(buf, "see [the page](https://example.org/");
	fill(0, "a", 300);
	strcat(buf, ") now");
	n = split_text(buf, strlen(buf), 100, SPLIT_MARKDOWNV2, &p);
	ok(n > 1 && all_fit(p, n, 100), "MarkdownV2: a link longer than a part is cut like text");
	split_free(p, n);

	strcpy(buf, "<a href=\"https://example.org/");
	fill(0, "a", 300);
	strcat(buf, "\">x</a>");
	n = split_text(buf, strlen(buf), 100, SPLIT_HTML, &p);
	ok(n > 1 && all_fit(p, n, 100), "HTML: a tag longer than a part is cut like text");
	split_free(p, n);
}

/* The last part was taken whole once the text ran out, without room
 * for the closers of what it left open. */
static void test_closers_at_end(void)
{
	char **p;
	size_t n;

	static const char text[] =   /* as the fuzzer found it */
		"<b>bold <i>&pamt;ial</i></b> <a href=\"https://x.y/\">link</a> "
		"text text text text text text text text text text text text text "
		"text text text txt otext text text t\x9b" "ext text text ;ext text "
		"<c<pre>odext text text text text text text text text text text "
		";ext text <c<pre>ode class=\"c\">int x;</code></pre>";

	strcpy(buf, text);
	n = split_text(buf, strlen(buf), 80, SPLIT_HTML, &p);
	ok(n > 1 && all_fit(p, n, 80), "HTML: the last part leaves room for its closers");
	split_free(p, n);
}

int main(void)
{
	tgp_init("split-hostile");
	test_long_opener();
	test_deep_nesting();
	test_long_atom();
	test_closers_at_end();
	return done_testing();
}
