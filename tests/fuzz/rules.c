/*
 * Fuzz target: a classify --rules file, read after the built-in rules,
 * then used on a few messages of every kind.
 *
 * FUZZ_OBJ: src/classify/decide.c src/classify/rules.c src/classify/defaults.c
 *
 * A file the loader rejects changes nothing that is used; one it accepts
 * still yields verdicts within the invariants of classify.h.
 */
#include <stdint.h>

#include "classify.h"
#include "../../src/classify/defaults.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const messages[] = {
	"please fix the login bug and then deploy it",
	"ok", "no thanks", "cancel task 7", "how is job 4 going?",
	"/status 12", "/long-task@standin_bot 'a b' \"c\"", "/deploy now",
	"research the market for electric bikes in depth",
	"what's the weather in Paris?", "hi there", "stop #3",
	"I'll look into it and get back to you.", "ASYNC_PROMISE|on it",
	"PROMISE_CREATED:42|started", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rules *r = rules_new();
	struct classifier c;

	if (rules_load(r, default_rules, strlen(default_rules), "<built-in>") < 0)
		abort();
	if (rules_load(r, (const char *)data, size, "<fuzz>") == 0) {
		rules_finish(r);
		classifier_init(&c, r, "standin_bot");
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
	}
	rules_free(r);
	return 0;
}
