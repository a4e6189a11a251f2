/*
 * Fuzz target: classify's decision on one message's text, under the
 * built-in rules; the first byte picks --reply and --bot-username.
 *
 * FUZZ_OBJ: src/classify/decide.c src/classify/rules.c src/classify/defaults.c src/classify/model.c src/classify/wordnet.c
 *
 * The invariants are in classify.h.
 */
#include <stdint.h>

#include "classify.h"
#include "../../src/classify/defaults.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rules *rules;
	struct classifier c;
	const char *s = (const char *)data + 1;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	/* the text is a JSON string's value: it never holds a NUL */
	if (memchr(s, '\0', n))
		return 0;
	if (!rules) {
		rules = rules_new();
		if (rules_load(rules, default_rules, strlen(default_rules), "<built-in>") < 0)
			abort();
		rules_finish(rules);
	}
	classifier_init(&c, rules, NULL, data[0] & 2 ? "standin_bot" : NULL);
	if (data[0] & 1) {
		struct reply rv;
		classify_reply(&c, s, n, &rv);
		check_reply(&rv, s, n);
	} else {
		struct verdict v;
		classify_message(&c, s, n, &v);
		check_verdict(&c, &v, s, n);
	}
	classifier_free(&c);
	return 0;
}
