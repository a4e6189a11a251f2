/*
 * wordnet.h - WordNet's verbs and some of its nouns (wordnet.c).
 */
#ifndef CLASSIFY_WORDNET_H
#define CLASSIFY_WORDNET_H

#include <stddef.h>

/* The lexicographer class ("verb.creation") of the most frequent sense
 * of the verb w (a lower-case word, any inflection unless base_only), or
 * NULL when w is no verb or WordNet is not installed. */
const char *wordnet_verb_class(const char *w, size_t n, int base_only);

/* Whether w is more often an adjective than a verb ("fair", "open"). */
int wordnet_mostly_adjective(const char *w, size_t n);

/* Whether w is more often a noun than a verb ("flight", "gas", "bus"). */
int wordnet_mostly_noun(const char *w, size_t n);

/* Whether w is tagged as a noun, and at least as often as a verb ("tax"). */
int wordnet_noun_as_often(const char *w, size_t n);

/* Whether w is more often an adjective than a noun or a verb ("nice",
 * not "gold"). */
int wordnet_adjective_first(const char *w, size_t n);

/* Whether w is an irregular inflection WordNet lists ("ate", "went"). */
int wordnet_verb_inflected(const char *w, size_t n);

/* Whether the noun w is in its first sense weather, a market or a measure:
 * what a query about now asks of ("rain tomorrow", "tesla stock today"). */
int wordnet_live_noun(const char *w, size_t n);

/* Whether WordNet knows w in any part of speech, or with a common
 * ending off ("walked"); -1 without WordNet. */
int wordnet_knows(const char *w, size_t n);

/* Whether the noun w is first a thing written or said ("haiku", "slogan"). */
int wordnet_written_noun(const char *w, size_t n);

/* Whether the noun w is first a place ("tokyo", "lisbon"). */
int wordnet_place_noun(const char *w, size_t n);

#endif
