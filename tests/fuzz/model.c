/*
 * Fuzz target: a classify --model file (model.c's loader), then the
 * model at work on messages and replies the rules leave to it.
 *
 * FUZZ_OBJ: src/classify/decide.c src/classify/rules.c src/classify/defaults.c src/classify/model.c src/classify/wordnet.c
 *
 * A file is refused (NULL, after one diagnostic) or accepted; an
 * accepted one still yields verdicts within the invariants of
 * classify.h, and a model trained from it writes and loads back.
 */
#include <stdint.h>
#include <stdio.h>

#include "classify.h"
#include "../../src/classify/defaults.h"
#include "../../src/classify/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const messages[] = {
	"blorp the zing", "tidy up the readme", "what's 15% of 240?",
	"could you wire the logger in", "how r u", "zork zork", "I won't zork.",
	"fix the login bug", "", "🙂", "nope",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rules *rules;
	struct classifier c;
	struct model *m;

	if (!rules) {
		rules = rules_new();
		if (rules_load(rules, default_rules, strlen(default_rules), "<built-in>") < 0)
			abort();
		rules_finish(rules);
	}
	if (!(m = model_load((const char *)data, size, "<fuzz>")))
		return 0;
	classifier_init(&c, rules, m, NULL);
	for (size_t i = 0; i < sizeof messages / sizeof *messages; i++) {
		const char *s = messages[i];
		struct verdict v;
		struct reply rv;
		classify_message(&c, s, strlen(s), &v);
		check_verdict(&c, &v, s, strlen(s));
		classify_reply(&c, s, strlen(s), &rv);
		check_reply(&rv, s, strlen(s));
	}
	classifier_free(&c);
	model_free(m);
	return 0;
}
