/*
 * model.c - naive Bayes over a message's features, counted from
 * labelled lines, kept as text.
 *
 * Features are the folded words, the pairs of neighbouring words in a
 * clause, the first and the last word, the rule sections the text
 * matched (so what the rules know generalizes through the model too),
 * the WordNet class of the first word, whether it asks a question, and
 * its length.  Each
 * counts once per line (binarized naive Bayes: better for short texts).
 *
 * Invariants: a model holds only counts, so training is exact and
 * deterministic (features are written sorted); loading checks every
 * byte of a file, which may be anything, and fails with its line; a
 * prediction costs one hash lookup per feature, whatever the model's
 * size.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tgp.h"
#include "decide.h"
#include "model.h"
#include "wordnet.h"

#define MODEL_MAGIC "classify-model"
#define MODEL_VERSION 1
/* Column of each class: intent 0..5, tier 6..8, type 9..12, promised 13..14. */
enum { NCOL = 15, MAX_COUNT = 1000000000 };
static const struct { const char *name; int first, n; } head[H_COUNT] = {
	[H_INTENT] = { "intent", 0, 6 },
	[H_TIER] = { "tier", 6, 3 },
	[H_TYPE] = { "type", 9, 4 },
	[H_PROMISED] = { "promised", 13, 2 },
};
static const char *const colname[NCOL] = {
	"intent.task", "intent.confirm", "intent.decline", "intent.status",
	"intent.cancel", "intent.chat", "tier.simple", "tier.complex",
	"tier.deep", "type.code", "type.search", "type.analysis", "type.other",
	"promised.false", "promised.true",
};
/* A class of a head, as that head's enum. */
static const int col_value[NCOL] = {
	I_TASK, I_CONFIRM, I_DECLINE, I_STATUS, I_CANCEL, I_CHAT,
	T_SIMPLE, T_COMPLEX, T_DEEP, TT_CODE, TT_SEARCH, TT_ANALYSIS, TT_OTHER,
	0, 1,
};

struct feat {
	uint64_t h;
	char *name;
	uint32_t cnt[NCOL];
	float logp[NCOL];
};

struct model {
	struct feat *f;
	size_t nf, capf;
	uint32_t *slot;       /* feature index + 1; open addressing on h */
	size_t nslot;
	uint64_t lines[NCOL], total[NCOL];
	float logprior[NCOL];
	int ready;
};

/* FNV-1a, which runs left to right: a name can be hashed piece by piece. */
static uint64_t fnv_more(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static uint64_t fnv(const char *s, size_t n)
{
	return fnv_more(14695981039346656037u, s, n);
}

struct model *model_new(void)
{
	struct model *m = xmalloc(sizeof *m);

	memset(m, 0, sizeof *m);
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nf; i++)
		free(m->f[i].name);
	free(m->f);
	free(m->slot);
	free(m);
}

static struct feat *find(const struct model *m, uint64_t h)
{
	if (!m->nslot)
		return NULL;
	for (size_t i = h & (m->nslot - 1);; i = (i + 1) & (m->nslot - 1)) {
		if (!m->slot[i])
			return NULL;
		if (m->f[m->slot[i] - 1].h == h)
			return &m->f[m->slot[i] - 1];
	}
}

static void place(struct model *m, size_t idx)
{
	size_t i = m->f[idx].h & (m->nslot - 1);

	while (m->slot[i])
		i = (i + 1) & (m->nslot - 1);
	m->slot[i] = (uint32_t)idx + 1;
}

static struct feat *add(struct model *m, const char *name, size_t n, uint64_t h)
{
	struct feat *f;

	if (m->nf == m->capf) {
		m->capf = m->capf ? m->capf * 2 : 1024;
		m->f = xrealloc(m->f, m->capf * sizeof *m->f);
	}
	if ((m->nf + 1) * 2 > m->nslot) {
		m->nslot = m->nslot ? m->nslot * 2 : 4096;
		free(m->slot);
		m->slot = xmalloc(m->nslot * sizeof *m->slot);
		memset(m->slot, 0, m->nslot * sizeof *m->slot);
		for (size_t i = 0; i < m->nf; i++)
			place(m, i);
	}
	f = &m->f[m->nf];
	memset(f, 0, sizeof *f);
	f->h = h;
	f->name = xmalloc(n + 1);
	memcpy(f->name, name, n);
	f->name[n] = '\0';
	place(m, m->nf++);
	m->ready = 0;
	return f;
}

int model_has(const struct model *m, enum head h)
{
	for (int k = 0; k < head[h].n; k++)
		if (m->lines[head[h].first + k])
			return 1;
	return 0;
}

/* Log probabilities, smoothed by adding one to every count. */
static void finish(struct model *m)
{
	for (int h = 0; h < H_COUNT; h++) {
		uint64_t n = 0;
		for (int k = 0; k < head[h].n; k++)
			n += m->lines[head[h].first + k];
		for (int k = 0; k < head[h].n; k++) {
			int col = head[h].first + k;
			double denom = (double)m->total[col] + (double)m->nf + 1;
			m->logprior[col] = (float)log(((double)m->lines[col] + 1) /
			                              ((double)n + head[h].n));
			for (size_t i = 0; i < m->nf; i++)
				m->f[i].logp[col] = (float)log(((double)m->f[i].cnt[col] + 1) / denom);
		}
	}
	m->ready = 1;
}

/* ---- features ---- */

/* Feature names are hashed as they are built, piece by piece, so a
 * prediction never writes a name: a word is hashed once and its pair
 * goes on from that hash. */

/* One feature, name a followed by b, of hash h (fnv of the name).
 * Predicting, only the model's features are kept, each once, in the
 * order first seen (the order the scores are summed in); training, the
 * names are kept too. */
static void feature(struct classifier *c, uint64_t h, const char *a, size_t na,
                    const char *b, size_t nb)
{
	struct featbuf *fb = &c->fb;

	if (fb->model) {
		const struct feat *f = find(fb->model, h);
		if (f && fb->seen[f - fb->model->f] != c->analysed) {
			fb->seen[f - fb->model->f] = c->analysed;
			fb->known[fb->nknown++] = f;
		}
		return;
	}
	if (fb->n == fb->cap) {
		fb->cap = fb->cap ? fb->cap * 2 : 64;
		fb->off = xrealloc(fb->off, fb->cap * sizeof *fb->off);
		fb->h = xrealloc(fb->h, fb->cap * sizeof *fb->h);
	}
	if (fb->tlen + na + nb + 1 > fb->tcap) {
		while (fb->tlen + na + nb + 1 > fb->tcap)
			fb->tcap = fb->tcap ? fb->tcap * 2 : 1024;
		fb->text = xrealloc(fb->text, fb->tcap);
	}
	fb->off[fb->n] = fb->tlen;
	memcpy(fb->text + fb->tlen, a, na);
	memcpy(fb->text + fb->tlen + na, b, nb);
	fb->text[fb->tlen + na + nb] = '\0';
	/* the name's own hash, as model_load makes it: a prediction finds
	 * the feature only if the pieces hashed to the same */
	fb->h[fb->n++] = fnv(fb->text + fb->tlen, na + nb);
	fb->tlen += na + nb + 1;
}

static const char *word_of(const struct classifier *c, size_t i, size_t *n)
{
	const struct token *t = &c->tok.v[i];

	if (t->flags & TK_NUM) {
		*n = 1;
		return "#";
	}
	*n = t->len;
	return c->tok.text + t->off;
}

/* The hashes of the section features ("=name", "^=name"), made once. */
static const uint64_t *section_hashes(int at_head)
{
	static uint64_t h[2][S_COUNT];
	static int made;

	if (!made) {
		for (int s = 0; s < S_COUNT; s++) {
			size_t n = strlen(section_name[s]);
			h[0][s] = fnv_more(fnv("=", 1), section_name[s], n);
			h[1][s] = fnv_more(fnv("^=", 2), section_name[s], n);
		}
		made = 1;
	}
	return h[at_head];
}

static void sections(struct classifier *c, int at_head, uint64_t mask)
{
	const uint64_t *h = section_hashes(at_head);
	const char *prefix = at_head ? "^=" : "=";

	for (; mask; mask &= mask - 1) {
		int s = __builtin_ctzll(mask);
		feature(c, h[s], prefix, strlen(prefix), section_name[s],
		        strlen(section_name[s]));
	}
}

/* The features of the text analysed into c, each once. */
static void features(struct classifier *c, size_t nm)
{
	static const char *const len_name[] = { "#len1", "#len2", "#len3", "#len4", "#len5" };
	size_t n = c->tok.n, head_m = 0, a, b, k;
	uint64_t *wh;
	int question = 0;

	c->fb.n = c->fb.tlen = c->fb.nknown = 0;
	if (n > c->fb.whcap) {
		c->fb.whcap = n;
		c->fb.wh = xrealloc(c->fb.wh, n * sizeof *c->fb.wh);
	}
	wh = c->fb.wh;
	for (size_t i = 0; i < n; i++) {
		const char *w = word_of(c, i, &a);
		wh[i] = fnv(w, a);
	}
	for (size_t i = 0; i < n; i++) {
		const char *w = word_of(c, i, &a);
		feature(c, wh[i], w, a, "", 0);
		question |= (c->tok.v[i].flags & TK_QUESTION) != 0;
		/* a pair: both words in one clause, the first not too long */
		if (i + 1 < n && !(c->tok.v[i + 1].flags & TK_CLAUSE) && a + 1 < 512) {
			const char *w2 = word_of(c, i + 1, &b);
			char pair[512];
			if (!c->fb.model) {
				memcpy(pair, w, a);
				pair[a] = ' ';
			}
			feature(c, fnv_more(fnv_more(wh[i], " ", 1), w2, b), pair, a + 1, w2, b);
		}
	}
	if (n) {   /* where a message starts and ends carries its force ("..., pls") */
		const char *w = word_of(c, 0, &a);
		feature(c, fnv_more(fnv("^", 1), w, a), "^", 1, w, a);
		w = word_of(c, n - 1, &a);
		feature(c, fnv_more(fnv("$", 1), w, a), "$", 1, w, a);
	}
	if (question)
		feature(c, fnv("?", 1), "?", 1, "", 0);
	k = n <= 2 ? 0 : n <= 5 ? 1 : n <= 10 ? 2 : n <= 20 ? 3 : 4;
	feature(c, fnv(len_name[k], 5), len_name[k], 5, "", 0);
	for (size_t i = 0; i < nm; i++)
		sections(c, 0, c->m[i].mask);
	while (head_m < nm && is_filler(c->m[head_m].mask))
		head_m++;
	if (head_m < nm) {
		const struct token *t = &c->tok.v[c->m[head_m].pos];
		const char *lex = wordnet_verb_class(c->tok.text + t->off, t->len, 0);
		sections(c, 1, c->m[head_m].mask);
		if (lex)
			feature(c, fnv_more(fnv("^~", 2), lex, strlen(lex)), "^~", 2,
			        lex, strlen(lex));
	}
}

/* The model's features among the text's, looked up once per text for
 * every head: scratch sized by the model, so no allocation per line. */
static void known_features(const struct model *m, struct classifier *c, size_t nm)
{
	struct featbuf *fb = &c->fb;

	if (fb->seen_for != m || fb->nseen < m->nf) {
		free(fb->seen);
		fb->seen = xmalloc((m->nf + 1) * sizeof *fb->seen);
		memset(fb->seen, 0, (m->nf + 1) * sizeof *fb->seen);
		fb->known = xrealloc(fb->known, (m->nf + 1) * sizeof *fb->known);
		fb->nseen = m->nf;
		fb->seen_for = m;
	}
	fb->model = m;
	features(c, nm);
	fb->model = NULL;   /* features() in training wants names */
}

int model_predict(const struct model *cm, struct classifier *c, size_t nm,
                  enum head h, double *margin)
{
	struct model *m = (struct model *)cm;
	double score[6], best = -INFINITY, second = -INFINITY;
	int first = head[h].first, k, arg = -1;

	if (!model_has(m, h))
		return -1;
	if (!m->ready)
		finish(m);
	if (c->fb_for != c->analysed) {
		known_features(m, c, nm);
		c->fb_for = c->analysed;
	}
	for (k = 0; k < head[h].n; k++)
		score[k] = m->logprior[first + k];
	for (size_t i = 0; i < c->fb.nknown; i++) {
		const struct feat *f = c->fb.known[i];
		for (k = 0; k < head[h].n; k++)
			score[k] += f->logp[first + k];
	}
	for (k = 0; k < head[h].n; k++) {
		if (score[k] > best) {
			second = best;
			best = score[k];
			arg = k;
		} else if (score[k] > second)
			second = score[k];
	}
	*margin = best - second;
	if (h == H_TIER) {   /* detach: complex or deep against simple */
		double hi = score[1] > score[2] ? score[1] : score[2];
		double lse = hi + log(exp(score[1] - hi) + exp(score[2] - hi));
		c->detach_odds = lse - score[0];
	}
	return col_value[first + arg];
}

/* ---- training ---- */

static int col_index(const char *hname, const char *v)
{
	size_t hn = strlen(hname);

	for (int i = 0; i < NCOL; i++)
		if (!strncmp(colname[i], hname, hn) && colname[i][hn] == '.' &&
		    !strcmp(colname[i] + hn + 1, v))
			return i;
	return -1;
}

static void count_line(struct model *m, struct classifier *c, const int *cols, int ncols)
{
	for (size_t i = 0; i < c->fb.n; i++) {
		const char *name = c->fb.text + c->fb.off[i];
		uint64_t h = c->fb.h[i];
		struct feat *f = find(m, h);
		if (!f)
			f = add(m, name, strlen(name), h);
		for (int k = 0; k < ncols; k++)
			if (f->cnt[cols[k]] < MAX_COUNT)
				f->cnt[cols[k]]++, m->total[cols[k]]++;
	}
	for (int k = 0; k < ncols; k++)
		m->lines[cols[k]]++;
	m->ready = 0;
}

int model_learn(struct model *m, struct classifier *c, char *line,
                const char *src, long ln)
{
	char *field[6], *p = line;
	int nfield = 0, cols[3], ncols = 0;
	size_t nm;

	if (*line == '#' || *line == '\0')
		return 1;
	while (nfield < 6) {
		field[nfield++] = p;
		if (!(p = strchr(p, '\t')))
			break;
		*p++ = '\0';
	}
	if (nfield == 5) {
		int in = col_index("intent", field[0]);
		if (in < 0 && strcmp(field[0], "command") != 0)
			goto bad_label;
		if (in < 0 || field[4][0] == '/')
			return 1;   /* commands are the rules' alone */
		cols[ncols++] = in;
		if (col_value[in] == I_TASK) {
			if ((cols[ncols++] = col_index("tier", field[1])) < 0 ||
			    (cols[ncols++] = col_index("type", field[2])) < 0)
				goto bad_label;
		} else if (strcmp(field[1], "conversation") || strcmp(field[2], "none"))
			goto bad_label;
		if (strcmp(field[3], "true") && strcmp(field[3], "false"))
			goto bad_label;
	} else if (nfield == 2) {
		if ((cols[ncols++] = col_index("promised", field[0])) < 0)
			goto bad_label;
	} else {
		warn("%s:%ld: want 5 columns (intent tier task_type detach text) "
		     "or 2 (promised text), got %d", src, ln, nfield);
		return -1;
	}
	nm = classifier_analyse(c, field[nfield - 1], strlen(field[nfield - 1]));
	features(c, nm);
	/* count_line wants each feature once: dedup the names' hashes too */
	for (size_t i = 0; i < c->fb.n; i++)
		for (size_t j = 0; j < i; j++)
			if (c->fb.h[j] == c->fb.h[i]) {
				c->fb.h[i] = c->fb.h[--c->fb.n];
				c->fb.off[i] = c->fb.off[c->fb.n];
				i--;
				break;
			}
	count_line(m, c, cols, ncols);
	return 0;
bad_label:
	warn("%s:%ld: unknown label in '%s'", src, ln, line);
	return -1;
}

/* ---- the model file ---- */

static int by_name(const void *a, const void *b)
{
	return strcmp((*(struct feat *const *)a)->name, (*(struct feat *const *)b)->name);
}

int model_write(const struct model *m, FILE *f)
{
	struct feat **v = xmalloc((m->nf + 1) * sizeof *v);

	for (size_t i = 0; i < m->nf; i++)
		v[i] = &m->f[i];
	qsort(v, m->nf, sizeof *v, by_name);
	fprintf(f, "%s %d\n", MODEL_MAGIC, MODEL_VERSION);
	fputs("# naive Bayes counts: lines per class, then for each feature the\n"
	      "# lines of each class it occurs in.  See classify(1), MODEL FILE.\n", f);
	fputs("lines", f);
	for (int k = 0; k < NCOL; k++)
		if (m->lines[k])
			fprintf(f, " %s=%llu", colname[k], (unsigned long long)m->lines[k]);
	fputc('\n', f);
	for (size_t i = 0; i < m->nf; i++) {
		fprintf(f, "f\t%s\t", v[i]->name);
		for (int k = 0, sp = 0; k < NCOL; k++)
			if (v[i]->cnt[k])
				fprintf(f, &" %s=%u"[!sp++], colname[k], v[i]->cnt[k]);
		fputc('\n', f);
	}
	fprintf(f, "end %zu\n", m->nf);
	free(v);
	return ferror(f) ? -1 : 0;
}

/* "name=count name=count ..." into cnt[]; -1 on anything else. */
static int parse_counts(char *s, uint64_t *cnt, const char **why)
{
	char *save = NULL, *item;

	*why = "no counts";
	for (item = strtok_r(s, " ", &save); item; item = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(item, '='), *end;
		unsigned long long v;
		int col = -1;

		if (eq) {
			size_t len = (size_t)(eq - item);
			for (int k = 0; k < NCOL && col < 0; k++)
				if (colname[k][0] == item[0] && strlen(colname[k]) == len &&
				    !memcmp(colname[k], item, len))
					col = k;
		}
		if (col < 0) {
			*why = "unknown class";
			return -1;
		}
		if (eq[1] < '0' || eq[1] > '9' ||
		    (v = strtoull(eq + 1, &end, 10)) > MAX_COUNT || *end) {
			*why = "bad count";
			return -1;
		}
		if (cnt[col]) {
			*why = "a class twice";
			return -1;
		}
		cnt[col] = v;
		*why = NULL;
	}
	return *why ? -1 : 0;
}

static int load_line(struct model *m, char *line, int *ended, const char *src,
                     long ln)
{
	uint64_t cnt[NCOL] = { 0 };
	const char *why = NULL;

	if (*ended)
		why = "text after the end line";
	else if (*line == '#')
		return 0;
	else if (!strncmp(line, "lines ", 6)) {
		if (parse_counts(line + 6, cnt, &why) == 0)
			memcpy(m->lines, cnt, sizeof cnt);
	} else if (!strncmp(line, "f\t", 2)) {
		char *name = line + 2, *tab = strchr(name, '\t');
		uint64_t h;
		struct feat *f;

		if (!tab || tab == name)
			why = "a feature needs a name and counts";
		else if (*tab = '\0', find(m, h = fnv(name, (size_t)(tab - name))))
			why = "a feature twice";
		else if (parse_counts(tab + 1, cnt, &why) == 0) {
			f = add(m, name, (size_t)(tab - name), h);
			for (int k = 0; k < NCOL; k++) {
				if (cnt[k] > m->lines[k]) {
					why = "a count above its class's lines";
					break;
				}
				f->cnt[k] = (uint32_t)cnt[k];
				m->total[k] += cnt[k];
			}
		}
	} else if (!strncmp(line, "end ", 4)) {
		char *end;
		unsigned long long n = strtoull(line + 4, &end, 10);
		if (line[4] < '0' || line[4] > '9' || *end || n != m->nf)
			why = "the end line does not match the features";
		*ended = 1;
	} else
		why = "not a model line";
	if (why)
		warn("%s:%ld: %s", src, ln, why);
	return why ? -1 : 0;
}

struct model *model_load(const char *text, size_t n, const char *src)
{
	static const char magic[] = MODEL_MAGIC " ";
	struct model *m = model_new();
	const char *p = text, *e = text + n;
	char *line = NULL;
	long ln = 0, version;
	int ended = 0, rc = 0;

	if (n < sizeof magic - 1 || memcmp(text, magic, sizeof magic - 1)) {
		warn("%s: not a classify model (no '%s' line)", src, MODEL_MAGIC);
		goto fail;
	}
	p = text + sizeof magic - 1;
	for (version = 0; p < e && *p >= '0' && *p <= '9' && version < 1000000; p++)
		version = version * 10 + (*p - '0');
	if (p == text + sizeof magic - 1 || p == e || *p != '\n') {
		warn("%s: not a classify model (a bad version line)", src);
		goto fail;
	}
	if (version != MODEL_VERSION) {
		warn("%s: model version %ld; this classify reads version %d "
		     "(train it again with classify --train)", src, version, MODEL_VERSION);
		goto fail;
	}
	if (!utf8_valid(text, n) || memchr(text, '\0', n)) {
		warn("%s: not valid UTF-8 text", src);
		goto fail;
	}
	p = memchr(text, '\n', n) + 1;
	ln = 1;
	while (p < e && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(e - p);

		ln++;
		if (!nl) {
			warn("%s:%ld: truncated (the last line has no newline)", src, ln);
			rc = -1;
			break;
		}
		line = xrealloc(line, len + 1);
		memcpy(line, p, len);
		line[len] = '\0';
		rc = load_line(m, line, &ended, src, ln);
		p += len + 1;
	}
	free(line);
	if (rc == 0 && !ended) {
		warn("%s: truncated (no end line)", src);
		rc = -1;
	}
	if (rc == 0)
		return m;
fail:
	model_free(m);
	return NULL;
}
