/*
 * wordnet.c - is a word a verb, and of which kind: WordNet's answer.
 *
 * A request whose verb no rule lists ("tidy up the readme", "vet these
 * vendors") is still a request: WordNet (Debian's wordnet-base, the
 * Princeton database files) knows some 11,500 verbs and files each
 * sense under a lexicographer class (verb.creation, verb.cognition...).
 * We read its sorted index files the way its own library does, by binary
 * search over the mapped file, so nothing is loaded at start and a
 * lookup costs some twenty line comparisons.
 *
 * Invariants: the files are opened once, on the first lookup; missing
 * files mean no WordNet (every lookup says "not a verb") and are not an
 * error, so classify runs where WordNet is not installed; a damaged file
 * can only make a word unknown, never make us read outside the mapping.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tgp.h"
#include "wordnet.h"

#ifndef WORDNET_DIR
#define WORDNET_DIR "/usr/share/wordnet"
#endif

struct map {
	const char *p;
	size_t n;
};

static struct {
	int opened;
	struct map index, data, exc, adj, nindex, ndata;
} wn;

/* The verb classes, by WordNet's lexicographer file number (29..43). */
static const char *const lexname[] = {
	"verb.body", "verb.change", "verb.cognition", "verb.communication",
	"verb.competition", "verb.consumption", "verb.contact", "verb.creation",
	"verb.emotion", "verb.motion", "verb.perception", "verb.possession",
	"verb.social", "verb.stative", "verb.weather",
};

static void map_file(const char *dir, const char *name, struct map *m)
{
	char path[4096];
	struct stat st;
	int fd;
	void *p;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size > 0 &&
	    (p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) != MAP_FAILED) {
		m->p = p;
		m->n = (size_t)st.st_size;
	}
	close(fd);
}

static void open_wordnet(void)
{
	const char *dir = getenv("WNSEARCHDIR");

	wn.opened = 1;
	if (!dir || !*dir)
		dir = WORDNET_DIR;
	map_file(dir, "index.verb", &wn.index);
	map_file(dir, "data.verb", &wn.data);
	map_file(dir, "verb.exc", &wn.exc);
	map_file(dir, "index.adj", &wn.adj);
	map_file(dir, "index.noun", &wn.nindex);
	map_file(dir, "data.noun", &wn.ndata);
	if (!wn.index.p || !wn.data.p)
		wn.index.p = NULL;
}

/* Compares the key with the first word of the line at s. */
static int cmp_key(const char *key, size_t n, const char *s, const char *e)
{
	size_t i = 0;

	for (; i < n && s + i < e && s[i] != ' ' && s[i] != '\n'; i++)
		if (key[i] != s[i])
			return (unsigned char)key[i] < (unsigned char)s[i] ? -1 : 1;
	if (i < n)
		return 1;
	return s + i < e && s[i] != ' ' && s[i] != '\n' ? -1 : 0;
}

/* The line of a sorted file whose first word is key, or NULL. */
static const char *find_line(const struct map *m, const char *key, size_t n)
{
	size_t lo = 0, hi = m->n;
	const char *e = m->p + m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, start = mid;
		int c;

		while (start > 0 && m->p[start - 1] != '\n')
			start--;
		if (m->p[start] == ' ') {       /* the licence at the top */
			const char *nl = memchr(m->p + start, '\n', m->n - start);
			if (!nl)
				return NULL;
			lo = (size_t)(nl - m->p) + 1;
			continue;
		}
		c = cmp_key(key, n, m->p + start, e);
		if (c == 0)
			return m->p + start;
		if (c < 0)
			hi = start;
		else {
			const char *nl = memchr(m->p + start, '\n', m->n - start);
			if (!nl)
				return NULL;
			lo = (size_t)(nl - m->p) + 1;
		}
	}
	return NULL;
}

/* The n-th blank-separated field of the line at s (0 is the first). */
static const char *field(const struct map *m, const char *s, int k)
{
	const char *e = m->p + m->n;

	while (k-- > 0) {
		while (s < e && *s != ' ' && *s != '\n')
			s++;
		while (s < e && *s == ' ')
			s++;
		if (s >= e || *s == '\n')
			return NULL;
	}
	return s;
}

static long number(const struct map *m, const char *s)
{
	const char *e = m->p + m->n;
	long v = 0;
	int digits = 0;

	for (; s < e && *s >= '0' && *s <= '9' && digits < 10; s++, digits++)
		v = v * 10 + (*s - '0');
	return digits ? v : -1;
}

/* The lexicographer file number of the first (most frequent) sense of
 * the lemma w in an index and its data file, or -1. */
static long first_sense_file(const struct map *index, const struct map *data,
                             const char *w, size_t n)
{
	const char *line, *f;
	long nsyn, nptr, off;
	char key[24];

	if (!index->p || !data->p || !(line = find_line(index, w, n)) ||
	    !(f = field(index, line, 2)) || (nsyn = number(index, f)) <= 0 ||
	    !(f = field(index, line, 3)) || (nptr = number(index, f)) < 0 ||
	    nptr > 64 || !(f = field(index, line, 6 + (int)nptr)) ||
	    (off = number(index, f)) < 0)
		return -1;
	snprintf(key, sizeof key, "%08ld", off);
	if (!(line = find_line(data, key, strlen(key))) || !(f = field(data, line, 1)))
		return -1;
	return number(data, f);
}

/* The class of the first (most frequent) sense of the verb lemma. */
static const char *lemma_class(const char *w, size_t n)
{
	long file = first_sense_file(&wn.index, &wn.data, w, n);

	return file >= 29 && file <= 43 ? lexname[file - 29] : NULL;
}

/* How many of the lemma's senses were seen tagged in WordNet's corpus
 * (tagsense_cnt, the field before the synset offsets); -1 if absent. */
static long tagged(const struct map *m, const char *w, size_t n)
{
	const char *line, *f;
	long nsyn, nptr;

	if (!m->p || !(line = find_line(m, w, n)) || !(f = field(m, line, 2)) ||
	    (nsyn = number(m, f)) <= 0 || !(f = field(m, line, 3)) ||
	    (nptr = number(m, f)) < 0 || nptr > 64 || !(f = field(m, line, 5 + (int)nptr)))
		return -1;
	return number(m, f);
}

/*
 * Chats repeat their words: the last answers are kept in a small table,
 * direct-mapped by a hash of the question (so memory stays fixed).
 */
enum { CACHE = 1024, CACHE_WORD = 24 };
struct answer {
	char w[CACHE_WORD];   /* the word, then a byte for the question */
	const char *lex;
	int yes;        /* the answer to a yes-or-no question */
};
static struct answer cache[CACHE];

static struct answer *cached(const char *w, size_t n, int question, int *hit)
{
	uint32_t h = 2166136261u;
	struct answer *a;

	*hit = 0;
	if (n + 2 > CACHE_WORD)
		return NULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	a = &cache[(h ^ (uint32_t)question) & (CACHE - 1)];
	if (!memcmp(a->w, w, n) && a->w[n] == '\0' && a->w[n + 1] == (char)question) {
		*hit = 1;
		return a;
	}
	memcpy(a->w, w, n);
	a->w[n] = '\0';
	a->w[n + 1] = (char)question;
	return a;
}

/* Whether w was seen tagged more often in the other part of speech
 * (its index file) than as a verb, or as often when ties count. */
static int more_tagged(const struct map *other, const char *w, size_t n, int question,
                       int ties)
{
	struct answer *a;
	int hit;

	if (!wn.opened)
		open_wordnet();
	if (!wn.index.p)
		return 0;
	if ((a = cached(w, n, question, &hit)) && hit)
		return a->yes;
	hit = tagged(other, w, n) + (ties && tagged(other, w, n) > 0) > tagged(&wn.index, w, n);
	if (a)
		a->yes = hit;
	return hit;
}

int wordnet_mostly_adjective(const char *w, size_t n)
{
	return more_tagged(&wn.adj, w, n, 3, 0);
}

int wordnet_mostly_noun(const char *w, size_t n)
{
	return more_tagged(&wn.nindex, w, n, 6, 0);
}

int wordnet_noun_as_often(const char *w, size_t n)
{
	return more_tagged(&wn.nindex, w, n, 8, 1);
}

int wordnet_adjective_first(const char *w, size_t n)
{
	struct answer *a;
	int hit;

	if (!wordnet_mostly_adjective(w, n))
		return 0;
	if ((a = cached(w, n, 7, &hit)) && hit)
		return a->yes;
	hit = tagged(&wn.adj, w, n) > tagged(&wn.nindex, w, n);
	if (a)
		a->yes = hit;
	return hit;
}

int wordnet_verb_inflected(const char *w, size_t n)
{
	struct answer *a;
	int hit;

	if (!wn.opened)
		open_wordnet();
	if (!wn.exc.p || n == 0)
		return 0;
	if ((a = cached(w, n, 4, &hit)) && hit)
		return a->yes;
	hit = find_line(&wn.exc, w, n) != NULL;
	if (a)
		a->yes = hit;
	return hit;
}

/* Whether WordNet knows w as a word of any part of speech, itself or
 * with a common ending taken off ("walked", "boxes", "quickly"); -1
 * when WordNet is not installed. */
int wordnet_knows(const char *w, size_t n)
{
	static const char *const end[] = { "s", "es", "ed", "d", "ing", "ly", "er", "est" };
	const struct map *m[] = { &wn.nindex, &wn.index, &wn.adj, &wn.exc };
	struct answer *a;
	int hit;

	if (!wn.opened)
		open_wordnet();
	if (!wn.nindex.p)
		return -1;
	if (n + 2 > CACHE_WORD)
		return 1;     /* too long to be a typo worth reading */
	if ((a = cached(w, n, 11, &hit)) && hit)
		return a->yes;
	hit = 0;
	for (size_t e = 0; e <= sizeof end / sizeof *end && !hit; e++) {
		size_t k = e ? strlen(end[e - 1]) : 0;
		if (e && (n <= k + 2 || memcmp(w + n - k, end[e - 1], k)))
			continue;
		for (size_t i = 0; i < sizeof m / sizeof *m && !hit; i++)
			hit = m[i]->p && find_line(m[i], w, n - k);
	}
	if (a)
		a->yes = hit;
	return hit;
}

/* Whether the first sense of the noun w (or of its singular) is filed
 * under one of the lexicographer files in the mask (bit n: file n). */
static int noun_filed(const char *w, size_t n, int question, unsigned long files)
{
	struct answer *a;
	long file;
	int hit;

	if (!wn.opened)
		open_wordnet();
	if (!wn.nindex.p || n < 2 || n + 2 > CACHE_WORD)
		return 0;
	if ((a = cached(w, n, question, &hit)) && hit)
		return a->yes;
	file = first_sense_file(&wn.nindex, &wn.ndata, w, n);
	if (file < 0 && w[n - 1] == 's')
		file = first_sense_file(&wn.nindex, &wn.ndata, w, n - 1);
	hit = file >= 0 && file < 32 && (files >> file & 1);     /* nouns are 3..28 */
	if (a)
		a->yes = hit;
	return hit;
}

/* Whether the noun w (or its singular) is, in its first sense, a thing
 * that changes by the hour: weather (noun.phenomenon), a holding or a
 * market (noun.possession), a measure such as a price or a temperature
 * (noun.attribute). */
int wordnet_live_noun(const char *w, size_t n)
{
	return noun_filed(w, n, 5, 1UL << 19 | 1UL << 21 | 1UL << 7);
}

/* Whether the noun w is, in its first sense, a thing written or said
 * (noun.communication): a poem, a caption, a slogan. */
int wordnet_written_noun(const char *w, size_t n)
{
	return noun_filed(w, n, 10, 1UL << 10);
}

/* Whether the noun w is, in its first sense, a place (noun.location). */
int wordnet_place_noun(const char *w, size_t n)
{
	return noun_filed(w, n, 9, 1UL << 15);
}

static const char *verb_class(const char *w, size_t n, int base_only);

const char *wordnet_verb_class(const char *w, size_t n, int base_only)
{
	struct answer *a;
	int hit;

	if ((a = cached(w, n, 1 + !!base_only, &hit)) && hit)
		return a->lex;
	if (a)
		a->lex = verb_class(w, n, base_only);
	return a ? a->lex : verb_class(w, n, base_only);
}

static const char *verb_class(const char *w, size_t n, int base_only)
{
	static const struct { const char *suf, *base; } rules[] = {
		{ "ies", "y" }, { "es", "e" }, { "es", "" }, { "s", "" },
		{ "ed", "e" }, { "ed", "" }, { "ing", "e" }, { "ing", "" },
	};
	char buf[64];
	const char *lex, *line, *f;

	if (!wn.opened)
		open_wordnet();
	if (!wn.index.p || n == 0 || n >= sizeof buf || !memchr("abcdefghijklmnopqrstuvwxyz", w[0], 26))
		return NULL;
	if ((lex = lemma_class(w, n)) || base_only)
		return lex;
	if (wn.exc.p && (line = find_line(&wn.exc, w, n)) && (f = field(&wn.exc, line, 1))) {
		size_t k = 0;
		while (k < sizeof buf && f + k < wn.exc.p + wn.exc.n && f[k] != ' ' && f[k] != '\n')
			buf[k] = f[k], k++;
		if (k < sizeof buf && (lex = lemma_class(buf, k)))
			return lex;
	}
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
		size_t ls = strlen(rules[i].suf), lb = strlen(rules[i].base);
		if (n <= ls + 1 || memcmp(w + n - ls, rules[i].suf, ls))
			continue;
		memcpy(buf, w, n - ls);
		memcpy(buf + n - ls, rules[i].base, lb);
		if ((lex = lemma_class(buf, n - ls + lb)))
			return lex;
	}
	return NULL;
}
