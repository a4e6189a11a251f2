/*
 * decide.h - from a message's text to classify's verdict.
 */
#ifndef CLASSIFY_DECIDE_H
#define CLASSIFY_DECIDE_H

#include <stdint.h>

#include "rules.h"

/* Scratch space reused from line to line: memory stays flat. */
struct classifier {
	const struct rules *rules;
	const char *bot;         /* --bot-username, without '@'; or NULL */
	struct tokens tok;
	struct match *m;
	size_t mcap;
	char *args;              /* command words, NUL-separated */
	size_t nargs, argslen, argscap;
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

void classifier_init(struct classifier *c, const struct rules *r, const char *bot);
void classifier_free(struct classifier *c);
/* The text must stay alive while v is used (command points into it). */
void classify_message(struct classifier *c, const char *s, size_t n, struct verdict *v);
void classify_reply(struct classifier *c, const char *s, size_t n, struct reply *rv);
/* Shell-like word splitting, into c->args (nargs words, NUL-separated). */
void split_args(struct classifier *c, const char *s, size_t n);

#endif
