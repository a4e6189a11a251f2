/*
 * rules.c - vocabulary, tokenizer and phrase matcher.
 *
 * Cost is linear in the text: each token is hashed once into the
 * vocabulary, and at each position only the phrases that begin with that
 * token's word are tried, longest first.  No rule is ever searched for
 * with strstr, so adding rules does not slow a message down.
 *
 * Invariants: word id 0 is "unknown"; a phrase never spans a clause
 * boundary; identical phrases are one entry whose mask is the union of
 * their sections, so a phrase may belong to several sections at once.
 */
#include <stdlib.h>
#include <string.h>

#include "tgp.h"
#include "rules.h"
#include "wordnet.h"

const char *const intent_name[] = {
	"task", "confirm", "decline", "status", "cancel", "command", "chat",
};
const char *const tier_name[] = { "conversation", "simple", "complex", "deep" };
const char *const ttype_name[] = { "code", "search", "analysis", "other", "none" };
const char *const section_name[S_COUNT] = {
	[S_PREFIX] = "prefix", [S_ACK] = "ack", [S_GREETING] = "greeting",
	[S_CONFIRM] = "confirm", [S_DECLINE] = "decline", [S_CANCEL] = "cancel",
	[S_STATUS] = "status", [S_STATUS_CUE] = "status-cue", [S_CHAT] = "chat",
	[S_QUESTION] = "question", [S_REQUEST] = "request", [S_VERB] = "verb",
	[S_VERB_CODE] = "verb-code", [S_VERB_SEARCH] = "verb-search",
	[S_VERB_ANALYSIS] = "verb-analysis", [S_VERB_OTHER] = "verb-other",
	[S_QUICK_CODE] = "quick-code", [S_QUICK_SEARCH] = "quick-search",
	[S_QUICK_ANALYSIS] = "quick-analysis", [S_QUICK_OTHER] = "quick-other",
	[S_TOPIC_CODE] = "topic-code", [S_TOPIC_SEARCH] = "topic-search",
	[S_TOPIC_ANALYSIS] = "topic-analysis", [S_TOPIC_OTHER] = "topic-other",
	[S_LOOKUP] = "lookup", [S_DEEP] = "deep", [S_DEEP_VERB] = "deep-verb",
	[S_COMPLEX] = "complex", [S_ID_NOUN] = "id-noun",
	[S_PROMISE_COMMIT] = "promise-commit", [S_PROMISE_WORK] = "promise-work",
	[S_PROMISE_LATER] = "promise-later",
	[S_PROMISE_ONGOING] = "promise-ongoing",
	[S_PROMISE_OFFER] = "promise-offer", [S_NEGATION] = "negation",
	[S_EXTENT] = "extent", [S_SMALL] = "small", [S_UNIT] = "unit",
	[S_ASK] = "ask", [S_COMPUTE] = "compute", [S_LIVE] = "live",
};

struct phrase {
	uint32_t first;       /* first word; the rest at words[off..off+n-1] */
	uint32_t off, n;
	uint64_t mask;
};

struct rules {
	/* vocabulary: open addressing, ids index words[] (id 0 unused) */
	char **word;
	size_t nword, capword;
	uint32_t *slot;
	size_t nslot;         /* a power of two, at most half full */

	struct phrase *ph;
	size_t nph, capph;
	uint32_t *pw;         /* phrase words, all phrases end to end */
	size_t npw, cappw;
	uint32_t *start, *count;  /* by first word, after rules_finish */

	struct command *cmd;
	size_t ncmd, capcmd;
};

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static uint32_t lookup(const struct rules *r, const char *s, size_t n)
{
	size_t mask = r->nslot - 1;

	for (size_t i = hash(s, n) & mask;; i = (i + 1) & mask) {
		uint32_t id = r->slot[i];
		if (!id)
			return 0;
		if (strncmp(r->word[id], s, n) == 0 && r->word[id][n] == '\0')
			return id;
	}
}

static void grow_slots(struct rules *r)
{
	size_t nslot = r->nslot ? r->nslot * 2 : 1024;
	uint32_t *slot = xmalloc(nslot * sizeof *slot);

	memset(slot, 0, nslot * sizeof *slot);
	for (size_t id = 1; id < r->nword; id++) {
		size_t i = hash(r->word[id], strlen(r->word[id])) & (nslot - 1);
		while (slot[i])
			i = (i + 1) & (nslot - 1);
		slot[i] = (uint32_t)id;
	}
	free(r->slot);
	r->slot = slot;
	r->nslot = nslot;
}

static uint32_t intern(struct rules *r, const char *s, size_t n)
{
	uint32_t id = lookup(r, s, n);

	if (id)
		return id;
	if (r->nword + 1 >= r->capword) {
		r->capword *= 2;
		r->word = xrealloc(r->word, r->capword * sizeof *r->word);
	}
	id = (uint32_t)r->nword++;
	r->word[id] = xmalloc(n + 1);
	memcpy(r->word[id], s, n);
	r->word[id][n] = '\0';
	if (r->nword * 2 > r->nslot)
		grow_slots(r);
	else {
		size_t i = hash(s, n) & (r->nslot - 1);
		while (r->slot[i])
			i = (i + 1) & (r->nslot - 1);
		r->slot[i] = id;
	}
	return id;
}

struct rules *rules_new(void)
{
	struct rules *r = xmalloc(sizeof *r);

	memset(r, 0, sizeof *r);
	r->capword = 256;
	r->word = xmalloc(r->capword * sizeof *r->word);
	r->word[0] = NULL;
	r->nword = 1;
	grow_slots(r);
	return r;
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	for (size_t i = 1; i < r->nword; i++)
		free(r->word[i]);
	for (size_t i = 0; i < r->ncmd; i++)
		free(r->cmd[i].name);
	free(r->word);
	free(r->slot);
	free(r->ph);
	free(r->pw);
	free(r->start);
	free(r->count);
	free(r->cmd);
	free(r);
}

/* Words a message may spell differently from the rules: a plural or
 * third-person -s, -es, -ies.  Tried only when the exact word is unknown. */
/* "pleeease", "nooo", "yess": letters drawn out for feeling.  Runs of
 * three or more become two ("coool": cool), then one, and a last doubled
 * letter one ("yess": yes). */
static uint32_t lookup_undrawn(const struct rules *r, const char *s, size_t n)
{
	char w[64];
	uint32_t id = 0;
	int drawn_out = n >= 2 && s[n - 1] == s[n - 2];

	for (size_t i = 0; i + 2 < n && !drawn_out; i++)   /* most words: no */
		drawn_out = s[i] == s[i + 1] && s[i] == s[i + 2];
	if (!drawn_out || n >= sizeof w)
		return 0;
	for (int keep = 2; keep >= 1 && !id; keep--) {
		size_t k = 0;
		int drawn = 0;
		for (size_t i = 0; i < n; i++) {
			size_t run = 1;
			while (i + run < n && s[i + run] == s[i])
				run++;
			if (run >= 3 || (keep == 1 && run == 2 && i + run == n))
				drawn = 1, run = keep == 2 && run >= 3 ? 2 : 1;
			memset(w + k, s[i], run);
			k += run;
			while (i + 1 < n && s[i + 1] == s[i])
				i++;
		}
		if (drawn)
			id = lookup(r, w, k);
	}
	return id;
}

/* "serch", "precent", "diffrence", "wether": a word of five letters or
 * more that neither the rules nor WordNet know, one letter away (one
 * dropped, added, changed, or two swapped) from exactly one word of the
 * rules that long.  Without WordNet no word is taken for a typo. */
static uint32_t lookup_misspelt(const struct rules *r, const char *s, size_t n)
{
	char w[32];
	uint32_t found = 0;
	int many = 0;

#define TRY(len) do { \
		uint32_t id_ = (len) >= 5 ? lookup(r, w, (len)) : 0; \
		if (id_ && id_ != found) \
			many |= found != 0, found = id_; \
	} while (0)
	/* the answers for the last words asked, direct-mapped by a hash of
	 * the word: the edits below cost a few hundred lookups */
	static struct { const struct rules *r; char w[32]; uint32_t id; } seen[256];
	uint32_t h = 2166136261u;

	if (n < 5 || n + 2 > sizeof w)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 'a' || s[i] > 'z')
			return 0;
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	}
	h &= sizeof seen / sizeof *seen - 1;
	if (seen[h].r == r && !memcmp(seen[h].w, s, n) && seen[h].w[n] == '\0' &&
	    seen[h].id < r->nword)
		return seen[h].id;
	seen[h].r = r;
	memcpy(seen[h].w, s, n);
	seen[h].w[n] = '\0';
	seen[h].id = 0;
	if (wordnet_knows(s, n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {             /* a letter dropped */
		memcpy(w, s, i);
		memcpy(w + i, s + i + 1, n - i - 1);
		TRY(n - 1);
	}
	for (size_t i = 0; i + 1 < n; i++) {         /* two swapped */
		memcpy(w, s, n);
		w[i] = s[i + 1], w[i + 1] = s[i];
		TRY(n);
	}
	for (size_t i = 0; i <= n; i++)              /* one added or changed */
		for (char ch = 'a'; ch <= 'z'; ch++) {
			memcpy(w, s, i);
			w[i] = ch;
			memcpy(w + i + 1, s + i, n - i);
			TRY(n + 1);
			if (i < n && ch != s[i]) {
				memcpy(w, s, n);
				w[i] = ch;
				TRY(n);
			}
		}
#undef TRY
	return seen[h].id = many ? 0 : found;
}

static uint32_t lookup_folded(const struct rules *r, const char *s, size_t n)
{
	uint32_t id = lookup(r, s, n);
	char y[64];

	if (!id && n >= 3 && (id = lookup_undrawn(r, s, n)))
		return id;
	if (id)
		return id;
	if (n >= 4 && s[n - 1] == 's' && s[n - 2] != 's') {
		if ((id = lookup(r, s, n - 1)))
			return id;
		if (s[n - 2] == 'e' && (id = lookup(r, s, n - 2)))
			return id;
		if (n < sizeof y && s[n - 3] == 'i' && s[n - 2] == 'e') {
			memcpy(y, s, n - 3);
			y[n - 3] = 'y';
			if ((id = lookup(r, y, n - 2)))
				return id;
		}
	}
	return lookup_misspelt(r, s, n);
}

/* ---- the tokenizer ---- */

/* Decodes one UTF-8 character; a bad byte decodes as itself, length 1,
 * so the tokenizer always moves on whatever it is given. */
static uint32_t decode(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t cp;

	if (!(*len = utf8_decode(s, n, &cp))) {
		*len = 1;
		return s[0];
	}
	return cp;
}

enum cclass { C_SPACE, C_WORD, C_APOS, C_SYMBOL, C_IGNORE, C_CLAUSE, C_SENTENCE };

/* What a non-ASCII character is to the tokenizer.  Letters of every
 * script are word characters; pictographs and dingbats are words of
 * their own, so a lone thumbs-up can confirm, and so are the ideographs
 * and kana of Chinese and Japanese, which put no blank between words
 * (a rule "明天" is the two words 明 天 and matches inside a sentence). */
static enum cclass uclass(uint32_t cp)
{
	if (cp == 0x2018 || cp == 0x2019 || cp == 0x02bc)
		return C_APOS;
	if (cp == 0xfe0f || cp == 0xfe0e || cp == 0x200d || cp == 0x20e3 ||
	    (cp >= 0x1f3fb && cp <= 0x1f3ff))
		return C_IGNORE;
	if (cp == 0x3002 || cp == 0xff01 || cp == 0xff1f || cp == 0x2026)
		return C_SENTENCE;
	if (cp == 0xff0c || cp == 0x3001)
		return C_CLAUSE;
	if (cp == 0x2122 || cp == 0x2139 || (cp >= 0x2190 && cp <= 0x2bff) ||
	    (cp >= 0x1f000 && cp <= 0x1faff))
		return C_SYMBOL;
	if ((cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff))
		return C_SYMBOL;
	if (cp < 0xc0 || (cp >= 0x2000 && cp <= 0x206f) ||
	    (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff00 && cp <= 0xff0f) ||
	    cp == 0xd7 || cp == 0xf7)
		return C_SPACE;
	return C_WORD;
}

/* The lower case of a capital of the Latin, Greek or Cyrillic letters
 * UTF-8 writes in two bytes ("É", "Ł", "П"), else cp: so a rule
 * "je te préviens" matches "Je te PRÉVIENS". */
static uint32_t fold_case(uint32_t cp)
{
	if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7) || (cp >= 0x391 && cp <= 0x3a9) ||
	    (cp >= 0x410 && cp <= 0x42f))
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 0x50;
	if (cp == 0x178)
		return 0xff;
	/* Latin Extended-A: each capital just before its small letter, at
	 * even code points but for the two runs at odd ones */
	if (cp >= 0x100 && cp <= 0x17e && cp != 0x130 && cp != 0x131 &&
	    cp != 0x138 && cp != 0x149 && cp != 0x17f) {
		int odd = (cp >= 0x139 && cp <= 0x148) || cp >= 0x179;
		if ((cp & 1) == (uint32_t)odd)
			return cp + 1;
	}
	return cp;
}

static void push(const struct rules *r, struct tokens *t, const char *w,
                 size_t n, uint8_t *flags)
{
	struct token *k;
	size_t i;

	if (n == 0)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	if (t->tlen + n + 1 > t->tcap) {
		while (t->tlen + n + 1 > t->tcap)
			t->tcap = t->tcap ? t->tcap * 2 : 1024;
		t->text = xrealloc(t->text, t->tcap);
	}
	k = &t->v[t->n++];
	k->off = (uint32_t)t->tlen;
	k->len = (uint32_t)n;
	memcpy(t->text + t->tlen, w, n);
	t->text[t->tlen + n] = '\0';
	t->tlen += n + 1;
	k->flags = *flags;
	*flags = 0;
	for (i = 0; i < n && w[i] >= '0' && w[i] <= '9'; i++)
		;
	if (i == n)
		k->flags |= TK_NUM;
	k->word = r ? lookup_folded(r, w, n) : 0;
}

static void push2(const struct rules *r, struct tokens *t, const char *a,
                  size_t na, const char *b, uint8_t *flags)
{
	push(r, t, a, na, flags);
	push(r, t, b, strlen(b), flags);
}

/* Whether the folded word w is a unit on its own (a one-word phrase of
 * the unit section). */
static int unit_word(const struct rules *r, const char *w, size_t n)
{
	uint32_t id = r ? lookup_folded(r, w, n) : 0;

	for (uint32_t j = 0; id && j < r->count[id]; j++) {
		const struct phrase *ph = &r->ph[r->start[id] + j];
		if (ph->n == 1 && (ph->mask & BIT(S_UNIT)))
			return 1;
	}
	return 0;
}

/* A contraction becomes the words it stands for, so one rule "i will"
 * matches "I'll", "I will" and "I’ll", and a word spelt as said the word
 * meant ("wat"); a number glued to a unit becomes both.  w holds one
 * apostrophe at k. */
static void push_word(const struct rules *r, struct tokens *t, const char *w,
                      size_t n, uint8_t *flags)
{
#define WHOLE(w, a, b) { w, sizeof w - 1, a, b }
	static const struct { const char *w; size_t n; const char *a, *b; } whole[] = {
		WHOLE("cannot", "can", "not"), WHOLE("gonna", "going", "to"),
		WHOLE("wanna", "want", "to"), WHOLE("lemme", "let", "me"),
		WHOLE("gimme", "give", "me"),
		WHOLE("won't", "will", "not"), WHOLE("can't", "can", "not"),
		WHOLE("ain't", "is", "not"), WHOLE("shan't", "shall", "not"),
		WHOLE("let's", "let", "us"),
		/* typed without the apostrophe; not those that are words too
		 * (its, wont, well, were, hell, shell) */
		WHOLE("whats", "what", "is"), WHOLE("hows", "how", "is"),
		WHOLE("whos", "who", "is"), WHOLE("wheres", "where", "is"),
		WHOLE("thats", "that", "is"), WHOLE("theres", "there", "is"),
		WHOLE("dont", "do", "not"), WHOLE("doesnt", "does", "not"),
		WHOLE("didnt", "did", "not"), WHOLE("isnt", "is", "not"),
		WHOLE("arent", "are", "not"), WHOLE("wasnt", "was", "not"),
		WHOLE("cant", "can", "not"), WHOLE("couldnt", "could", "not"),
		WHOLE("wouldnt", "would", "not"), WHOLE("shouldnt", "should", "not"),
		WHOLE("havent", "have", "not"), WHOLE("im", "i", "am"),
		WHOLE("ive", "i", "have"), WHOLE("youre", "you", "are"),
		WHOLE("theyre", "they", "are"), WHOLE("youll", "you", "will"),
		WHOLE("wats", "what", "is"), WHOLE("whatd", "what", "did"),
		/* spelt as said, too short to be read as a typo: one word */
		WHOLE("wat", "what", NULL), WHOLE("wen", "when", NULL),
		WHOLE("hav", "have", NULL), WHOLE("cud", "could", NULL),
		WHOLE("wud", "would", NULL), WHOLE("shud", "should", NULL),
		WHOLE("ur", "your", NULL), WHOLE("dis", "this", NULL),
		WHOLE("dat", "that", NULL), WHOLE("cuz", "because", NULL),
		WHOLE("coz", "because", NULL),
	};
#undef WHOLE
	const char *apos = memchr(w, '\'', n);
	size_t k, m;

	for (size_t i = 0; n <= 8 && i < sizeof whole / sizeof *whole; i++)
		if (whole[i].n == n && whole[i].w[0] == w[0] && memcmp(whole[i].w, w, n) == 0) {
			if (whole[i].b)
				push2(r, t, whole[i].a, strlen(whole[i].a), whole[i].b, flags);
			else
				push(r, t, whole[i].a, strlen(whole[i].a), flags);
			return;
		}
	if (!apos) {
		/* "6ft", "200g": a number and its unit, two words */
		for (k = 0; k < n && w[k] >= '0' && w[k] <= '9'; k++)
			;
		if (k && k < n && unit_word(r, w + k, n - k)) {
			push(r, t, w, k, flags);
			push(r, t, w + k, n - k, flags);
			return;
		}
		push(r, t, w, n, flags);
		return;
	}
	k = (size_t)(apos - w);
	m = n - k - 1;
#define SUFFIX(s) (m == sizeof s - 1 && memcmp(apos + 1, s, m) == 0)
	if (SUFFIX("t") && k > 1 && w[k - 1] == 'n')
		push2(r, t, w, k - 1, "not", flags);
	else if (SUFFIX("ll"))
		push2(r, t, w, k, "will", flags);
	else if (SUFFIX("re"))
		push2(r, t, w, k, "are", flags);
	else if (SUFFIX("ve"))
		push2(r, t, w, k, "have", flags);
	else if (SUFFIX("m"))
		push2(r, t, w, k, "am", flags);
	else if (SUFFIX("d"))
		push2(r, t, w, k, "would", flags);
	else if (SUFFIX("s"))
		push2(r, t, w, k, "is", flags);
	else {
		/* o'clock, rock'n'roll: the apostrophe is not a word break */
		char buf[256];
		size_t j = 0;
		for (size_t i = 0; i < n && j < sizeof buf; i++)
			if (w[i] != '\'')
				buf[j++] = w[i];
		push(r, t, buf, j, flags);
	}
#undef SUFFIX
}

/* Whether the word w opens a link ("https" before "://", "www" before
 * "."). */
static int link_start(const char *w, size_t n)
{
	return (n == 4 && !memcmp(w, "http", 4)) || (n == 5 && !memcmp(w, "https", 5)) ||
	       (n == 3 && !memcmp(w, "www", 3));
}

void tokenize(const struct rules *r, const char *s, size_t n, struct tokens *t)
{
	const unsigned char *p = (const unsigned char *)s;
	uint8_t flags = TK_CLAUSE | TK_SENTENCE;
	char *w = t->word;
	size_t wn = 0, wcap = t->wordcap, i = 0;
	int link = 0;     /* inside a link, which ends at a blank */
	int mention = 0;  /* in an @name: one word, '_' and all */

	t->n = 0;
	t->tlen = 0;
	while (i <= n) {
		enum cclass cc;
		size_t len = 1;
		unsigned c = i < n ? p[i] : ' ';

		if (c < 0x80) {
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '_' && mention))
				cc = C_WORD;
			else if (c >= 'A' && c <= 'Z')
				cc = C_WORD, c += 'a' - 'A';
			else if (c == '\'')
				cc = C_APOS;
			else if (c == '.' && i + 1 < n && wn && p[i + 1] > ' ' &&
			         p[i + 1] != '.' && p[i + 1] < 0x80 &&
			         ((p[i + 1] | 0x20) >= 'a' && (p[i + 1] | 0x20) <= 'z'))
				cc = C_SPACE;   /* login.py, e.g: a dot inside a word */
			else if (c == '?' && i + 1 < n && wn && p[i + 1] < 0x80 &&
			         (((p[i + 1] | 0x20) >= 'a' && (p[i + 1] | 0x20) <= 'z') ||
			          (p[i + 1] >= '0' && p[i + 1] <= '9')))
				cc = C_SPACE;   /* a link's query: austin?hrid=8f2k */
			else if (c == '.' || c == '!' || c == '?' || c == ';' || c == '\n')
				cc = C_SENTENCE;
			else if (c == ',' || c == ':')
				cc = C_CLAUSE;
			else if (c == '#')
				cc = C_SYMBOL;  /* "#12": an id follows */
			else
				cc = C_SPACE;
		} else {
			cc = uclass(decode(p + i, n - i, &len));
		}

		if (cc == C_WORD || (cc == C_APOS && wn)) {
			if (wn + len + 1 > wcap) {
				wcap = (wn + len + 1) * 2;
				w = t->word = xrealloc(w, wcap);
				t->wordcap = wcap;
			}
			if (cc == C_APOS)
				w[wn++] = '\'';
			else if (len == 1)
				w[wn++] = (char)c;
			else if (len == 2) {
				uint32_t lc = fold_case(decode(p + i, n - i, &len));
				w[wn++] = (char)(0xc0 | lc >> 6);
				w[wn++] = (char)(0x80 | (lc & 0x3f));
			} else
				memcpy(w + wn, p + i, len), wn += len;
			i += len;
			continue;
		}
		if (cc == C_IGNORE) {
			i += len;
			continue;
		}
		/* the word ends: trailing apostrophes are quotes, not words */
		while (wn && w[wn - 1] == '\'')
			wn--;
		if (wn) {
			size_t first = t->n;
			/* only the first apostrophe splits: "y'all'd" stays put */
			push_word(r, t, w, wn, &flags);
			if (mention && first < t->n)
				t->v[first].flags |= TK_MENTION;
			if (!link && (c == ':' || c == '.') && link_start(w, wn))
				link = 1;
			for (; link && first < t->n; first++)
				t->v[first].flags |= TK_LINK;
			wn = 0;
		}
		mention = c == '@' && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\t' ||
		                       p[i - 1] == '\n' || p[i - 1] == '(' || p[i - 1] == ',');
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			link = 0;
		if (cc == C_SYMBOL)
			push(r, t, (const char *)p + i, len, &flags);
		else if (cc == C_SENTENCE) {
			if (c == '?' && t->n)
				t->v[t->n - 1].flags |= TK_QUESTION;
			flags |= TK_SENTENCE | TK_CLAUSE;
		} else if (cc == C_CLAUSE) {
			flags |= TK_CLAUSE;
			if (c == ':' && (i + 1 == n || p[i + 1] == ' '))
				flags |= TK_COLON;
		}
		i += len;
	}
}

void tokens_free(struct tokens *t)
{
	free(t->v);
	free(t->text);
	free(t->word);
	memset(t, 0, sizeof *t);
}

/* ---- phrases ---- */

size_t match_phrases(const struct rules *r, const struct tokens *t, struct match *m)
{
	size_t nm = 0;

	for (size_t i = 0; i < t->n;) {
		uint32_t w = t->v[i].word;
		struct match best = { (uint32_t)i, 1, 0 };

		for (uint32_t j = 0; w && j < r->count[w]; j++) {
			const struct phrase *ph = &r->ph[r->start[w] + j];
			size_t k;

			if (!ph->mask || i + ph->n > t->n)
				continue;
			for (k = 1; k < ph->n; k++)
				if (t->v[i + k].word != r->pw[ph->off + k] ||
				    (t->v[i + k].flags & TK_CLAUSE))
					break;
			if (k == ph->n) {
				best.len = ph->n;
				best.mask = ph->mask;
				break;      /* longest first: the first hit wins */
			}
		}
		m[nm++] = best;
		i += best.len;
	}
	return nm;
}

static struct phrase *find_phrase(struct rules *r, const uint32_t *w, size_t n)
{
	for (size_t i = 0; i < r->nph; i++)
		if (r->ph[i].n == n && memcmp(r->pw + r->ph[i].off, w, n * sizeof *w) == 0)
			return &r->ph[i];
	return NULL;
}

static void add_phrase(struct rules *r, const uint32_t *w, size_t n, uint64_t bit)
{
	struct phrase *ph = find_phrase(r, w, n);

	if (ph) {
		ph->mask |= bit;
		return;
	}
	if (r->nph == r->capph) {
		r->capph = r->capph ? r->capph * 2 : 512;
		r->ph = xrealloc(r->ph, r->capph * sizeof *r->ph);
	}
	while (r->npw + n > r->cappw) {
		r->cappw = r->cappw ? r->cappw * 2 : 2048;
		r->pw = xrealloc(r->pw, r->cappw * sizeof *r->pw);
	}
	memcpy(r->pw + r->npw, w, n * sizeof *w);
	r->ph[r->nph++] = (struct phrase){ w[0], (uint32_t)r->npw, (uint32_t)n, bit };
	r->npw += n;
}

static int by_first_then_longest(const void *a, const void *b)
{
	const struct phrase *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

void rules_finish(struct rules *r)
{
	qsort(r->ph, r->nph, sizeof *r->ph, by_first_then_longest);
	free(r->start);
	free(r->count);
	r->start = xmalloc(r->nword * sizeof *r->start);
	r->count = xmalloc(r->nword * sizeof *r->count);
	memset(r->count, 0, r->nword * sizeof *r->count);
	for (size_t i = r->nph; i-- > 0;) {
		r->start[r->ph[i].first] = (uint32_t)i;
		r->count[r->ph[i].first]++;
	}
}

/* ---- loading rules text ---- */

static int name_index(const char *const *names, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (int)i;
	return -1;
}

static struct command *find_command(const struct rules *r, const char *name, size_t n)
{
	for (size_t i = 0; i < r->ncmd; i++)
		if (strlen(r->cmd[i].name) == n && strncasecmp(r->cmd[i].name, name, n) == 0)
			return &r->cmd[i];
	return NULL;
}

const struct command *rules_command(const struct rules *r, const char *name, size_t n)
{
	return find_command(r, name, n);
}

/* "command NAME INTENT [TIER] [TYPE] [detach]" */
static int load_command(struct rules *r, char *rest, int remove, const char *src, long ln)
{
	char *save = NULL, *name = strtok_r(rest, " \t", &save), *word;
	struct command c = { 0 }, *old;
	int got_intent = 0, got_tier = 0, got_type = 0, v;

	if (!name) {
		warn("%s:%ld: command: a name is missing", src, ln);
		return -1;
	}
	if (*name == '/')
		name++;
	old = find_command(r, name, strlen(name));
	if (remove) {
		if (old) {
			free(old->name);
			*old = r->cmd[--r->ncmd];
		}
		return 0;
	}
	while ((word = strtok_r(NULL, " \t", &save))) {
		size_t n = strlen(word);
		if (!got_intent && (v = name_index(intent_name, 7, word, n)) >= 0)
			c.intent = (enum intent)v, got_intent = 1;
		else if (!got_tier && (v = name_index(tier_name, 4, word, n)) >= 0)
			c.tier = (enum tier)v, got_tier = 1;
		else if (!got_type && (v = name_index(ttype_name, 5, word, n)) >= 0)
			c.type = (enum ttype)v, got_type = 1;
		else if (strcmp(word, "detach") == 0)
			c.detach = 1;
		else {
			warn("%s:%ld: command %s: unknown word '%s'", src, ln, name, word);
			return -1;
		}
	}
	if (!got_intent) {
		warn("%s:%ld: command %s: no intent (task confirm decline status "
		     "cancel command chat)", src, ln, name);
		return -1;
	}
	if (c.intent == I_TASK) {
		if (!got_tier)
			c.tier = T_SIMPLE;
		if (!got_type)
			c.type = TT_OTHER;
		if (c.tier == T_CONVERSATION || c.type == TT_NONE) {
			warn("%s:%ld: command %s: a task needs a work tier and type", src, ln, name);
			return -1;
		}
	} else if ((got_tier && c.tier != T_CONVERSATION) || (got_type && c.type != TT_NONE)) {
		warn("%s:%ld: command %s: only a task has a tier and a type", src, ln, name);
		return -1;
	} else {
		c.tier = T_CONVERSATION;
		c.type = TT_NONE;
	}
	if (old) {
		c.name = old->name;
		*old = c;
		return 0;
	}
	if (r->ncmd == r->capcmd) {
		r->capcmd = r->capcmd ? r->capcmd * 2 : 16;
		r->cmd = xrealloc(r->cmd, r->capcmd * sizeof *r->cmd);
	}
	c.name = xstrdup(name);
	r->cmd[r->ncmd++] = c;
	return 0;
}

/* One comma-separated phrase: added to (or removed from) a section. */
static int load_phrase(struct rules *r, int sec, int remove, const char *s,
                       size_t n, const char *src, long ln)
{
	struct tokens t = { 0 };
	uint32_t w[32];
	int rc = 0;

	if (remove && n == 1 && *s == '*') {
		for (size_t i = 0; i < r->nph; i++)
			r->ph[i].mask &= ~BIT(sec);
		return 0;
	}
	tokenize(NULL, s, n, &t);
	if (t.n == 0)
		goto out;
	if (t.n > sizeof w / sizeof *w) {
		warn("%s:%ld: phrase longer than %zu words", src, ln, sizeof w / sizeof *w);
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < t.n; i++) {
		if (i > 0 && (t.v[i].flags & TK_CLAUSE)) {
			warn("%s:%ld: a phrase cannot hold punctuation: '%.*s'",
			     src, ln, (int)n, s);
			rc = -1;
			goto out;
		}
		w[i] = intern(r, t.text + t.v[i].off, t.v[i].len);
	}
	if (remove) {
		struct phrase *ph = find_phrase(r, w, t.n);
		if (ph)
			ph->mask &= ~BIT(sec);
	} else
		add_phrase(r, w, t.n, BIT(sec));
out:
	tokens_free(&t);
	return rc;
}

static int load_line(struct rules *r, char *line, const char *src, long ln)
{
	char *p = line + strspn(line, " \t"), *sec, *end;
	int remove = 0, idx;
	size_t n;

	if (*p == '#' || *p == '\0')
		return 0;
	if (*p == '-')
		remove = 1, p++;
	sec = p;
	n = strcspn(p, " \t");
	p += n;
	p += strspn(p, " \t");
	if (n == 7 && memcmp(sec, "command", 7) == 0)
		return load_command(r, p, remove, src, ln);
	if ((idx = name_index(section_name, S_COUNT, sec, n)) < 0) {
		warn("%s:%ld: unknown section '%.*s'", src, ln, (int)n, sec);
		return -1;
	}
	if (!*p) {
		warn("%s:%ld: %.*s: no phrase", src, ln, (int)n, sec);
		return -1;
	}
	for (; *p; p = *end ? end + 1 : end) {
		end = p + strcspn(p, ",");
		if (load_phrase(r, idx, remove, p, (size_t)(end - p), src, ln) < 0)
			return -1;
	}
	return 0;
}

int rules_load(struct rules *r, const char *text, size_t n, const char *src)
{
	const char *p = text, *e = text + n;
	char *line = NULL;
	long ln = 0;
	int rc = 0;

	if (!utf8_valid(text, n)) {
		warn("%s: not valid UTF-8", src);
		return -1;
	}
	while (p < e && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(e - p);

		ln++;
		line = xrealloc(line, len + 1);
		memcpy(line, p, len);
		line[len] = '\0';
		if (memchr(line, '\0', len)) {
			warn("%s:%ld: a NUL byte", src, ln);
			rc = -1;
		} else
			rc = load_line(r, line, src, ln);
		p += len + 1;
	}
	free(line);
	return rc;
}
