/*
 * Fuzz target: a classify --rules file, read after a few base rules (the
 * whole built-in set would cost 30 ms a run), then used on a few
 * messages of every kind.
 *
 * FUZZ_OBJ: src/classify/decide.c src/classify/rules.c src/classify/model.c src/classify/wordnet.c
 *
 * A file the loader rejects changes nothing that is used; one it accepts
 * still yields verdicts within the invariants of classify.h.
 */
#include <stdint.h>

#include "classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Something to add to, remove from and clear, in every kind of line. */
static const char base[] =
	"prefix please, could you\n"
	"ack ok, sure\n"
	"confirm yes\n"
	"cancel cancel, stop\n"
	"status how is\n"
	"verb fix, look into\n"
	"verb-code debug, refactor\n"
	"topic-code bug, login\n"
	"deep in depth\n"
	"id-noun task, job, #\n"
	"promise-commit i will, let me\n"
	"promise-work look into\n"
	"command status status\n"
	"command long-task task deep other detach\n";

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

	if (rules_load(r, base, strlen(base), "<base>") < 0)
		abort();
	if (rules_load(r, (const char *)data, size, "<fuzz>") == 0) {
		rules_finish(r);
		classifier_init(&c, r, NULL, "standin_bot");
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
