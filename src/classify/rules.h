/*
 * rules.h - the vocabulary classify decides with, and the tokenizer that
 * reads messages and rules alike.
 *
 * A rule is "SECTION PHRASE": the phrase is tokenized exactly as message
 * text is, so a rule matches whatever spelling the tokenizer folds to the
 * same tokens (case, curly apostrophes, contractions, a plural -s).  The
 * built-in defaults are rules text too (defaults.c); a user's rules file
 * is read after them and may add, remove or clear.
 */
#ifndef CLASSIFY_RULES_H
#define CLASSIFY_RULES_H

#include <stddef.h>
#include <stdint.h>

/* Sections: each phrase carries a set of them (a bit mask). */
enum section {
	S_PREFIX,        /* politeness and filler skipped at a clause head    */
	S_ACK,           /* ok, sure: a confirmation when alone, else filler  */
	S_GREETING,      /* hi, thanks: chat, skipped at a head               */
	S_CONFIRM, S_DECLINE, S_CANCEL,
	S_STATUS,        /* asks how work goes, anywhere                      */
	S_STATUS_CUE,    /* asks how work goes, in a question only            */
	S_CHAT,          /* answered from knowledge: explain, tell me         */
	S_QUESTION,      /* interrogative words that open a question          */
	S_REQUEST,       /* i need, give me: a task when a topic follows      */
	S_VERB,          /* work of no particular type: do, make, create      */
	S_VERB_CODE, S_VERB_SEARCH, S_VERB_ANALYSIS, S_VERB_OTHER,
	S_QUICK_CODE, S_QUICK_SEARCH, S_QUICK_ANALYSIS, S_QUICK_OTHER,
	S_TOPIC_CODE, S_TOPIC_SEARCH, S_TOPIC_ANALYSIS, S_TOPIC_OTHER,
	S_LOOKUP,        /* live facts: a question about them is a task       */
	S_DEEP, S_DEEP_VERB, S_COMPLEX,
	S_ID_NOUN,       /* task, job, #: the number after it is a target id  */
	S_PROMISE_COMMIT, S_PROMISE_WORK, S_PROMISE_LATER, S_PROMISE_ONGOING,
	S_PROMISE_OFFER, S_NEGATION,
	S_ASK,           /* could you, please: a request, whatever the verb   */
	S_COMPUTE,       /* percent, times, how many: with a number, a sum    */
	S_LIVE,          /* today, right now: a question of them looks it up  */
	S_EXTENT,        /* whole, every, all day: how far, not how deep      */
	S_SMALL,         /* small, short, one-line: one step, whatever the verb */
	S_UNIT,          /* hours, ounces, CET: two of them ask a conversion  */
	S_COUNT
};
#define BIT(s) ((uint64_t)1 << (s))
#define VERB_STRONG (BIT(S_VERB_CODE) | BIT(S_VERB_SEARCH) | \
                     BIT(S_VERB_ANALYSIS) | BIT(S_VERB_OTHER))
#define VERB_QUICK (BIT(S_QUICK_CODE) | BIT(S_QUICK_SEARCH) | \
                    BIT(S_QUICK_ANALYSIS) | BIT(S_QUICK_OTHER))
#define VERB_ANY (VERB_STRONG | VERB_QUICK | BIT(S_VERB) | BIT(S_DEEP_VERB))
#define TOPIC_ANY (BIT(S_TOPIC_CODE) | BIT(S_TOPIC_SEARCH) | \
                   BIT(S_TOPIC_ANALYSIS) | BIT(S_TOPIC_OTHER))

enum intent { I_TASK, I_CONFIRM, I_DECLINE, I_STATUS, I_CANCEL, I_COMMAND, I_CHAT };
enum tier { T_CONVERSATION, T_SIMPLE, T_COMPLEX, T_DEEP };
enum ttype { TT_CODE, TT_SEARCH, TT_ANALYSIS, TT_OTHER, TT_NONE };
extern const char *const intent_name[], *const tier_name[], *const ttype_name[];
extern const char *const section_name[];

/* A token: a word id from the vocabulary (0: a word no rule knows). */
enum {
	TK_NUM = 1,       /* all digits                                       */
	TK_CLAUSE = 2,    /* first token after , : or a sentence boundary     */
	TK_SENTENCE = 4,  /* first token after . ! ? ; or a newline           */
	TK_QUESTION = 8,  /* last token before a '?'                          */
	TK_COLON = 16,    /* first token after ": " (what follows is a payload) */
	TK_LINK = 32,     /* part of a link: http://, https://, www. to a blank */
	TK_MENTION = 64,  /* an @name: one token, '_' and all                 */
};
struct token {
	uint32_t word;
	uint8_t flags;
	uint32_t off, len;    /* the folded text, in struct tokens' text      */
};
struct tokens {
	struct token *v;
	size_t n, cap;
	char *text;           /* folded words, NUL-separated                  */
	size_t tlen, tcap;
	char *word;           /* the word being read, kept from text to text  */
	size_t wordcap;
};

/* A match: the longest phrase that starts at token pos (len tokens). */
struct match {
	uint32_t pos, len;
	uint64_t mask;
};

struct command {
	char *name;
	enum intent intent;
	enum tier tier;
	enum ttype type;
	int detach;
};

struct rules;

struct rules *rules_new(void);
void rules_free(struct rules *r);
/* Reads rules text; errors name src and the line.  0 ok, -1 on error. */
int rules_load(struct rules *r, const char *text, size_t n, const char *src);
/* Sorts the phrases for matching; call once after the last load. */
void rules_finish(struct rules *r);
const struct command *rules_command(const struct rules *r, const char *name, size_t n);

/* Splits text into tokens, folded and looked up in r. */
void tokenize(const struct rules *r, const char *s, size_t n, struct tokens *t);
/* Leftmost-longest phrase matches over t, one per position run; m must
 * have room for t->n entries.  Returns the number of matches. */
size_t match_phrases(const struct rules *r, const struct tokens *t, struct match *m);
void tokens_free(struct tokens *t);

#endif
