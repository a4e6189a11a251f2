/* Unit tests for split.c: UTF-16 counting and where long texts are cut. */
#include <stdarg.h>
#include <stdlib.h>

#include "split.h"
#include "tap.h"
#include "tgp.h"

static char buf[200000];
static size_t blen;

static void add(const char *s)
{
	size_t n = strlen(s);
	memcpy(buf + blen, s, n);
	blen += n;
	buf[blen] = '\0';
}

static void reset(void)
{
	blen = 0;
	buf[0] = '\0';
}

/* The text without whitespace: what a split must keep, in order. */
static char *squeeze(const char *s)
{
	char *o = xmalloc(strlen(s) + 1), *p = o;
	for (; *s; s++)
		if (!strchr(" \n\t", *s))
			*p++ = *s;
	*p = '\0';
	return o;
}

static int all_fit(char **parts, size_t n, size_t max)
{
	for (size_t i = 0; i < n; i++)
		if (utf16_units(parts[i], strlen(parts[i])) > max ||
		    !utf8_valid(parts[i], strlen(parts[i])) || !*parts[i])
			return 0;
	return 1;
}

static int same_text(char **parts, size_t n, const char *orig)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += strlen(parts[i]);
	char *joined = xmalloc(total + 1), *p = joined;
	for (size_t i = 0; i < n; i++)
		p = stpcpy(p, parts[i]);
	char *a = squeeze(joined), *b = squeeze(orig);
	int same = strcmp(a, b) == 0;
	free(a), free(b), free(joined);
	return same;
}

static int starts(const char *s, const char *pre)
{
	return strncmp(s, pre, strlen(pre)) == 0;
}

static int ends(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && strcmp(s + n - k, suf) == 0;
}

static void test_units(void)
{
	is_int(utf16_units("abc", 3), 3, "ASCII: one unit a byte");
	is_int(utf16_units("\xc3\xa9", 2), 1, "é is one unit");
	is_int(utf16_units("\xe4\xb8\xad", 3), 1, "CJK 中 is one unit");
	is_int(utf16_units("\xf0\x9f\x98\x80", 4), 2, "emoji 😀 is two units (a surrogate pair)");
	is_int(utf16_units("\xf0\x9f", 2), 2, "a cut sequence counts one unit a byte");
}

static void test_short(void)
{
	char **p;
	size_t n = split_text("  hello  ", 9, 4096, SPLIT_PLAIN, &p);
	is_int(n, 1, "a short text is one part");
	is_str(n ? p[0] : NULL, "hello", "trimmed of surrounding whitespace");
	split_free(p, n);
	n = split_text(" \n\n ", 4, 4096, SPLIT_PLAIN, &p);
	is_int(n, 0, "whitespace only: no part");
	split_free(p, n);
}

/* 10,000 characters of mixed emoji, CJK and Latin in paragraphs. */
static void test_ten_thousand(void)
{
	static const char *words[] = {"hello", "\xe4\xb8\xad\xe6\x96\x87", "\xf0\x9f\x98\x80",
	                              "caf\xc3\xa9", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "ok"};
	size_t chars = 0;
	char **p;

	reset();
	for (int i = 0; chars < 10000; i++) {
		const char *w = words[i % 6];
		add(w);
		chars += utf16_units(w, strlen(w));
		add(i % 97 == 96 ? "\n\n" : i % 13 == 12 ? "\n" : " ");
		chars++;
	}
	size_t n = split_text(buf, blen, 4096, SPLIT_PLAIN, &p);
	ok(n >= 3 && n <= 4, "10,000 units make 3 or 4 parts (got %zu)", n);
	ok(all_fit(p, n, 4096), "every part is valid UTF-8 of at most 4096 UTF-16 units");
	ok(same_text(p, n, buf), "nothing is lost or reordered");
	int at_para = 1;
	for (size_t i = 0; i + 1 < n; i++) {
		const char *end = strstr(buf, p[i + 1]);
		at_para &= end && end - buf >= 2 && end[-1] == '\n' && end[-2] == '\n';
	}
	ok(at_para, "parts are cut at paragraph breaks");
	split_free(p, n);
}

static void test_lines_and_words(void)
{
	char **p;
	size_t n;

	reset();
	for (int i = 0; i < 300; i++)
		add("a line of text that is forty-four bytes ok\n");
	n = split_text(buf, blen, 1000, SPLIT_PLAIN, &p);
	int whole = n > 1;
	for (size_t i = 0; i < n; i++)
		whole &= ends(p[i], "bytes ok") && starts(p[i], "a line");
	ok(whole, "no paragraphs: cut at line ends (%zu parts)", n);
	split_free(p, n);

	reset();
	for (int i = 0; i < 2000; i++)
		add(i % 2 ? "word " : "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97 ");
	n = split_text(buf, blen, 1000, SPLIT_PLAIN, &p);
	whole = n > 1 && all_fit(p, n, 1000) && same_text(p, n, buf);
	for (size_t i = 0; i < n; i++)
		whole &= ends(p[i], "word") || ends(p[i], "\xe5\xad\x97");
	ok(whole, "one long line: cut between words");
	split_free(p, n);

	reset();
	for (int i = 0; i < 5000; i++)
		add("\xf0\x9f\x98\x80");
	n = split_text(buf, blen, 4096, SPLIT_PLAIN, &p);
	is_int(n, 3, "5,000 emoji without spaces: 3 parts");
	ok(all_fit(p, n, 4096) && same_text(p, n, buf), "cut between emoji, never inside one");
	is_int(n ? strlen(p[0]) : 0, 2048 * 4, "the first part holds 2048 emoji (4096 units)");
	split_free(p, n);
}

static void test_html(void)
{
	char **p;
	size_t n;

	reset();
	add("<b>");
	for (int i = 0; i < 400; i++)
		add("bold &amp; <i>it</i> text ");
	add("</b> tail");
	n = split_text(buf, blen, 1000, SPLIT_HTML, &p);
	int balanced = n > 1 && all_fit(p, n, 1000);
	for (size_t i = 0; i < n; i++) {
		balanced &= starts(p[i], "<b>");
		balanced &= i + 1 == n ? ends(p[i], "</b> tail") : ends(p[i], "</b>");
	}
	ok(balanced, "HTML: bold closed at each cut and reopened in the next part");
	int entities = 1;
	for (size_t i = 0; i < n; i++) {
		const char *a = p[i];
		while ((a = strchr(a, '&')))
			entities &= starts(a++, "&amp;");
	}
	ok(entities, "HTML: entities are never cut");
	split_free(p, n);

	reset();
	add("<pre><code class=\"language-c\">");
	for (int i = 0; i < 100; i++)
		add("int x = 1; /* a line of code */\n");
	add("</code></pre>");
	n = split_text(buf, blen, 500, SPLIT_HTML, &p);
	balanced = n > 1;
	for (size_t i = 0; i < n; i++)
		balanced &= starts(p[i], "<pre><code class=\"language-c\">") &&
		            ends(p[i], "</code></pre>");
	ok(balanced, "HTML: a code block is reopened with its attributes");
	split_free(p, n);
}

static void test_markdown(void)
{
	char **p;
	size_t n;

	reset();
	add("*");
	for (int i = 0; i < 300; i++)
		add("bold\\. and _it_ with [a link](http://x\\.y) ");
	add("*");
	n = split_text(buf, blen, 1000, SPLIT_MARKDOWNV2, &p);
	int balanced = n > 1 && all_fit(p, n, 1000);
	for (size_t i = 0; i < n; i++)
		balanced &= starts(p[i], "*") && ends(p[i], "*") && !ends(p[i], "\\*");
	ok(balanced, "MarkdownV2: bold closed and reopened at each cut");
	split_free(p, n);

	reset();
	add("```python\n");
	for (int i = 0; i < 100; i++)
		add("print('a line of python')\n");
	add("```");
	n = split_text(buf, blen, 500, SPLIT_MARKDOWNV2, &p);
	balanced = n > 1;
	for (size_t i = 0; i < n; i++)
		balanced &= starts(p[i], "```python\n") && ends(p[i], "```");
	ok(balanced, "MarkdownV2: a pre block is reopened with its language");
	split_free(p, n);
}

int main(void)
{
	tgp_init("split");
	test_units();
	test_short();
	test_ten_thousand();
	test_lines_and_words();
	test_html();
	test_markdown();
	return done_testing();
}
