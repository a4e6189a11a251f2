/*
 * model.h - the learned half of classify: naive Bayes over words, word
 * pairs and what the rules saw, counted from labelled lines.
 *
 * A model file is text, made only of counts (classify(1), MODEL FILE),
 * so training is deterministic and two models of the same data are the
 * same bytes.  The rules speak first; the model answers where they do not.
 */
#ifndef CLASSIFY_MODEL_H
#define CLASSIFY_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rules.h"

/* What a model predicts, each over its own classes. */
enum head { H_INTENT, H_TIER, H_TYPE, H_PROMISED, H_COUNT };

struct model;
struct classifier;

/* Loads model text; errors name src (and the line).  NULL on error. */
struct model *model_load(const char *text, size_t n, const char *src);
struct model *model_new(void);
void model_free(struct model *m);
/* Adds one labelled line of a training TSV (corpus format).  Returns 0,
 * 1 for a line that teaches nothing (a comment, a slash command), or -1
 * on a bad line (reported with src:ln). */
int model_learn(struct model *m, struct classifier *c, char *line,
                const char *src, long ln);
/* Writes the model as text; returns -1 on a write error. */
int model_write(const struct model *m, FILE *f);
/* Whether the model learned anything for head h. */
int model_has(const struct model *m, enum head h);

/* The model's class for head h of the text just analysed into c (its
 * tokens and matches), as the enum of that head (intent, tier, ttype,
 * or 0/1 for promised); *margin is how much more likely it is than the
 * runner-up, as a log ratio.  -1 if the model knows nothing of h.  For
 * the tier, c->detach_odds is set too (complex or deep against simple). */
int model_predict(const struct model *m, struct classifier *c, size_t nm,
                  enum head h, double *margin);

#endif
