/*
 * decide.h - from a message's text to classify's verdict.
 */
#ifndef CLASSIFY_DECIDE_H
#define CLASSIFY_DECIDE_H

#include <stdint.h>

#include "model.h"
#include "rules.h"

struct model;

/* A message's features for the model (model.c): names and hashes
 * when training; when predicting, only those the model knows. */
struct featbuf {
	char *text;
	size_t tlen, tcap;
	size_t *off;
	uint64_t *h;
	size_t n, cap;
	uint64_t *wh;            /* each token's hash */
	size_t whcap;
	const struct model *model;   /* set while predicting */
	const void **known;      /* the model's features among them (nknown),
	                            looked up once per text for every head */
	size_t nknown;
	unsigned long *seen;     /* by model feature: the text it was last
	                            known for (each counts once) */
	size_t nseen;
	const struct model *seen_for;
};

/* How one head of the last text was decided (--explain): the rules'
 * answer and whether they were sure, then the model's answer and how
 * much likelier than its next (-1: no model spoke), and which won. */
struct why {
	int asked;
	int rules, sure;
	int model;
	double odds;
	int by_model;
};

/* Scratch space reused from line to line: memory stays flat. */
struct classifier {
	const struct rules *rules;
	const struct model *model;   /* or NULL: the rules alone */
	const char *bot;         /* --bot-username, without '@'; or NULL */
	struct tokens tok;
	struct match *m;
	size_t mcap;
	char *args;              /* command words, NUL-separated */
	size_t nargs, argslen, argscap;
	struct featbuf fb;
	size_t nm;               /* matches of the text last analysed */
	int quoted;              /* it holds a quotation: "...", '...', `...` */
	double detach_odds;      /* the model's last tier: log odds of complex
	                            or deep against simple */
	unsigned long analysed, fb_for;  /* fb holds the features of text
	                                    number fb_for analysed */
	struct why why[H_COUNT];
};

struct verdict {
	enum intent intent;
	enum tier tier;
	enum ttype type;
	int detach;
	int has_target;
	int64_t target;
	/* slash commands: command is set (not NUL-terminated) */
	const char *command;
	size_t commandlen;
	const char *addressee;   /* @name of another bot: not ours */
	size_t addresseelen;
};

enum marker { M_NONE, M_ASYNC, M_CREATED };
struct reply {
	int promised;
	enum marker marker;
	const char *id;          /* PROMISE_CREATED:<id> */
	size_t idlen;
	const char *text;        /* what follows the marker's '|' */
	size_t textlen;
};

void classifier_init(struct classifier *c, const struct rules *r,
                     const struct model *m, const char *bot);
void classifier_free(struct classifier *c);
/* The text must stay alive while v is used (command points into it). */
void classify_message(struct classifier *c, const char *s, size_t n, struct verdict *v);
void classify_reply(struct classifier *c, const char *s, size_t n, struct reply *rv);
/* Tokens and phrase matches of the text, into c; returns the matches. */
size_t classifier_analyse(struct classifier *c, const char *s, size_t n);
/* Filler at a head: please, ok, hi (and nothing decisive). */
int is_filler(uint64_t mask);
/* Shell-like word splitting, into c->args (nargs words, NUL-separated). */
void split_args(struct classifier *c, const char *s, size_t n);

#endif
