/*
 * split.c - cut a long text into Telegram-sized messages (see split.h).
 *
 * The text is read as tokens: a character, an atom (an HTML entity, a
 * MarkdownV2 escape or inline link: never cut), or markup that opens or
 * closes an element.  A stack of open elements is kept; at a cut its
 * closers end the part and its openers start the next.  Each part is
 * found in two passes: the first walks forward while the part (reopened
 * markup + text + closers) still fits, remembering the best cut; the
 * second replays the tokens up to the chosen cut to rebuild the stack.
 *
 * Every part fits, whatever the markup: what is open (openers reopened,
 * closers added) may cost at most half a part, and a single token at
 * most half a part, so a part always has room for the next token.  An
 * opener that would pass that budget is left as text; so is a tag,
 * entity, escape or link longer than half a part (Telegram would refuse
 * such a part anyway, and a message storm of one-character parts, each
 * carrying a huge reopened tag, helps nobody).
 */
#include <stdlib.h>
#include <string.h>

#include "split.h"
#include "tgp.h"

enum { MAXDEPTH = 16 };

enum tok { T_CHAR, T_ATOM, T_OPEN, T_CLOSE };

struct elem {
	const char *open;       /* the opening markup, inside the text */
	size_t open_len;
	char close[24];         /* what closes it: "</b>", "*", "```" */
	char name[16];          /* to match a closing tag or marker */
};

struct stack {
	struct elem e[MAXDEPTH];
	int depth;
	size_t budget;          /* half a part: see the top of the file */
};

/* A character's length; a bad byte counts alone. */
static size_t charlen(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t k = utf8_decode(s, n, &cp);

	return k ? k : 1;
}

size_t utf16_units(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t u = 0;

	for (size_t i = 0; i < n;) {
		size_t k = charlen(p + i, n - i);
		u += k == 4 ? 2 : 1;
		i += k;
	}
	return u;
}

static size_t open_units(const struct stack *st);
static size_t close_units(const struct stack *st);

static int find(const struct stack *st, const char *name)
{
	for (int i = st->depth - 1; i >= 0; i--)
		if (strcmp(st->e[i].name, name) == 0)
			return i;
	return -1;
}

/* Opens an element; 0 when it would pass the budget (or MAXDEPTH),
 * and the opener is then only text. */
static int push(struct stack *st, const char *open, size_t open_len,
                const char *close, const char *name)
{
	if (st->depth == MAXDEPTH ||
	    open_units(st) + close_units(st) + utf16_units(open, open_len) +
	    strlen(close) > st->budget)
		return 0;
	struct elem *e = &st->e[st->depth++];
	e->open = open;
	e->open_len = open_len;
	snprintf(e->close, sizeof e->close, "%s", close);
	snprintf(e->name, sizeof e->name, "%s", name);
	return 1;
}

static int is_name(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-';
}

/* An HTML token at s[i]; the stack is updated. */
static enum tok html_token(const char *s, size_t n, size_t i, size_t *len,
                           struct stack *st)
{
	if (s[i] == '<') {
		const char *gt = memchr(s + i, '>', n - i);
		size_t j = i + 1, k;
		char name[16];
		int closing = 0;

		if (!gt)
			goto character;
		if (s[j] == '/')
			closing = 1, j++;
		for (k = 0; j < n && is_name(s[j]) && k < sizeof name - 1; j++)
			name[k++] = (char)(s[j] | 0x20);
		name[k] = '\0';
		if (!k)
			goto character;
		*len = (size_t)(gt - (s + i)) + 1;
		if (*len > st->budget)
			goto character;
		if (closing) {
			int at = find(st, name);
			if (at >= 0)
				st->depth = at;
			return T_CLOSE;
		}
		char close[24];
		snprintf(close, sizeof close, "</%s>", name);
		if (!push(st, s + i, *len, close, name))
			goto character;
		return T_OPEN;
	}
	if (s[i] == '&') {
		size_t j = i + 1;
		while (j < n && j - i < 12 && (is_name(s[j]) || s[j] == '#'))
			j++;
		if (j < n && s[j] == ';' && j > i + 1) {
			*len = j - i + 1;
			return T_ATOM;
		}
	}
character:
	*len = charlen((const unsigned char *)s + i, n - i);
	return T_CHAR;
}

/* End of an escape-aware run up to the byte c, or 0. */
static size_t md_scan(const char *s, size_t n, size_t i, char c)
{
	for (; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == c)
			return i;
	}
	return 0;
}

static enum tok md_toggle(const char *s, size_t i, size_t k, struct stack *st)
{
	char mark[4] = {0};
	int at;

	memcpy(mark, s + i, k);
	at = find(st, mark);
	if (at >= 0) {
		st->depth = at;
		return T_CLOSE;
	}
	if (!push(st, s + i, k, mark, mark))
		return T_CHAR;
	return T_OPEN;
}

/* A MarkdownV2 token at s[i]; the stack is updated. */
static enum tok md_token(const char *s, size_t n, size_t i, size_t *len,
                         struct stack *st)
{
	const char *top = st->depth ? st->e[st->depth - 1].name : "";
	int in_code = strcmp(top, "`") == 0, in_pre = strcmp(top, "```") == 0;

	if (s[i] == '\\' && i + 1 < n) {
		*len = 1 + charlen((const unsigned char *)s + i + 1, n - i - 1);
		return T_ATOM;
	}
	if (n - i >= 3 && memcmp(s + i, "```", 3) == 0 && !in_code) {
		*len = 3;
		if (in_pre) {
			st->depth--;
			return T_CLOSE;
		}
		/* The language line belongs to the opener. */
		const char *nl = memchr(s + i + 3, '\n', n - i - 3);
		const char *tick = memchr(s + i + 3, '`', n - i - 3);
		if (nl && (!tick || nl < tick) && (size_t)(nl - (s + i)) < st->budget)
			*len = (size_t)(nl - (s + i)) + 1;
		if (!push(st, s + i, *len, "```", "```"))
			goto character;
		return T_OPEN;
	}
	if (s[i] == '`' && !in_pre) {
		*len = 1;
		if (in_code) {
			st->depth--;
			return T_CLOSE;
		}
		if (!push(st, s + i, 1, "`", "`"))
			goto character;
		return T_OPEN;
	}
	if (in_code || in_pre)
		goto character;
	if (s[i] == '[') {
		size_t rb = md_scan(s, n, i + 1, ']');
		if (rb && rb + 1 < n && s[rb + 1] == '(') {
			size_t rp = md_scan(s, n, rb + 2, ')');
			if (rp && rp - i + 1 <= st->budget) {
				*len = rp - i + 1;
				return T_ATOM;
			}
		}
		goto character;
	}
	if (n - i >= 2 && (memcmp(s + i, "||", 2) == 0 || memcmp(s + i, "__", 2) == 0)) {
		*len = 2;
		return md_toggle(s, i, 2, st);
	}
	if (s[i] == '*' || s[i] == '_' || s[i] == '~') {
		*len = 1;
		return md_toggle(s, i, 1, st);
	}
character:
	*len = charlen((const unsigned char *)s + i, n - i);
	return T_CHAR;
}

static enum tok token(enum split_mode mode, const char *s, size_t n, size_t i,
                      size_t *len, struct stack *st)
{
	switch (mode) {
	case SPLIT_HTML:
		return html_token(s, n, i, len, st);
	case SPLIT_MARKDOWNV2:
		return md_token(s, n, i, len, st);
	default:
		*len = charlen((const unsigned char *)s + i, n - i);
		return T_CHAR;
	}
}

static size_t open_units(const struct stack *st)
{
	size_t u = 0;

	for (int i = 0; i < st->depth; i++)
		u += utf16_units(st->e[i].open, st->e[i].open_len);
	return u;
}

static size_t open_bytes(const struct stack *st)
{
	size_t b = 0;

	for (int i = 0; i < st->depth; i++)
		b += st->e[i].open_len;
	return b;
}

static size_t close_units(const struct stack *st)
{
	size_t u = 0;

	for (int i = 0; i < st->depth; i++)
		u += strlen(st->e[i].close);
	return u;
}

static int space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Finds where the part starting at pos (with st open) should end. */
static size_t choose_cut(enum split_mode mode, const char *s, size_t n,
                         size_t pos, const struct stack *st0, size_t max)
{
	struct stack st = *st0;
	size_t base = open_units(st0), units = base, i = pos;
	size_t para = 0, line = 0, word = 0, any = 0;

	while (i < n) {
		size_t len;
		enum tok t = token(mode, s, n, i, &len, &st);

		units += utf16_units(s + i, len);
		if (units > max)
			break;
		i += len;
		if (units + close_units(&st) > max || t == T_OPEN)
			continue;
		/* A break counts when it leaves the part at least half full. */
		int full = units * 2 >= max;
		if (s[i - 1] == '\n' && i - pos >= 2 && s[i - 2] == '\n' && full)
			para = i;
		else if (s[i - 1] == '\n' && full)
			line = i;
		else if (s[i - 1] == ' ' || s[i - 1] == '\t')
			word = i;
		any = i;
	}
	/* The rest of the text is the last part if its closers fit too. */
	if (i >= n && units + close_units(&st) <= max)
		return n;
	if (para)
		return para;
	if (line)
		return line;
	if (word)
		return word;
	if (any)
		return any;
	/* Cannot happen while a token and the open markup each fit half a
	 * part; should it ever, the loop must still move on. */
	size_t len;
	return pos + (token(mode, s, n, pos, &len, &st), len);
}

size_t split_text(const char *s, size_t n, size_t max, enum split_mode mode,
                  char ***parts)
{
	struct stack st = {.depth = 0, .budget = max / 2};
	size_t count = 0, cap = 4, pos = 0;
	char **out = xmalloc(cap * sizeof *out);

	while (pos < n) {
		struct stack at = st;
		size_t cut, end, start, len, i, k = 0;

		/* Indentation inside an element (a code block) is kept. */
		while (pos < n && st.depth == 0 && space(s[pos]))
			pos++;
		if (pos >= n)
			break;
		cut = choose_cut(mode, s, n, pos, &st, max);
		for (i = pos; i < cut; i += len)
			token(mode, s, n, i, &len, &st);
		start = pos;
		for (end = cut; end > start && space(s[end - 1]); end--)
			;
		pos = cut;
		if (end == start)
			continue;   /* only whitespace before the closers */
		char *p = xmalloc(open_bytes(&at) + (end - start) +
		                  close_units(&st) + 1);
		for (int d = 0; d < at.depth; d++) {
			memcpy(p + k, at.e[d].open, at.e[d].open_len);
			k += at.e[d].open_len;
		}
		memcpy(p + k, s + start, end - start);
		k += end - start;
		for (int d = st.depth - 1; d >= 0; d--) {
			size_t cl = strlen(st.e[d].close);
			memcpy(p + k, st.e[d].close, cl);
			k += cl;
		}
		p[k] = '\0';
		if (count == cap)
			out = xrealloc(out, (cap *= 2) * sizeof *out);
		out[count++] = p;
	}
	*parts = out;
	return count;
}

void split_free(char **parts, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(parts[i]);
	free(parts);
}
