/*
 * Fuzz target: a getUpdates result (an array of updates, or one update)
 * normalized into tgpoll lines, with and without --raw.
 *
 * FUZZ_OBJ: src/tgpoll/update.c
 *
 * Invariants: a line exists exactly when the update has a usable
 * update_id; it holds only the documented fields, each once, with the
 * documented types; printed, it is one line of valid UTF-8 that the next
 * stage's reader accepts as an object.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tgp.h"
#include "../../src/tgpoll/update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ints[] = {
	"update_id", "chat_id", "message_id", "thread_id", "user_id", "date",
	"reply_to_message_id", NULL,
};
static const char *const strs[] = {
	"kind", "chat_type", "username", "first_name", "text", "media",
	"callback_id", "data", NULL,
};
static const char *const bools[] = {
	"addressed", "reply_to_bot", "edited", NULL,
};

static int member(const char *const *set, const char *s)
{
	for (; *set; set++)
		if (strcmp(*set, s) == 0)
			return 1;
	return 0;
}

static void check_line(const cJSON *upd, int raw, const struct bot_self *me)
{
	cJSON *line = update_normalize(upd, raw, me), *back;
	int64_t id, v;
	char *s;

	if (json_int64(upd, "update_id", &id) != 0) {
		if (line)
			abort();   /* a line for an update without an id */
		return;
	}
	if (!line || json_int64(line, "update_id", &v) != 0 || v != id ||
	    !json_str(line, "kind"))
		abort();
	for (const cJSON *it = line->child; it; it = it->next) {
		for (const cJSON *o = it->next; o; o = o->next)
			if (strcmp(o->string, it->string) == 0)
				abort();   /* a field twice */
		if (member(ints, it->string)) {
			/* ids past 10^15 are written as exact digits (raw) */
			if (!cJSON_IsNumber(it) && !cJSON_IsRaw(it))
				abort();
		} else if (member(strs, it->string)) {
			if (!cJSON_IsString(it))
				abort();
		} else if (member(bools, it->string)) {
			if (!cJSON_IsBool(it))
				abort();
		} else if (!(raw && strcmp(it->string, "update") == 0))
			abort();   /* a field nobody documented */
	}
	/* A press is never mistaken for typed text. */
	if (cJSON_GetObjectItemCaseSensitive(line, "callback_id") &&
	    cJSON_GetObjectItemCaseSensitive(line, "text"))
		abort();
	if (!(s = cJSON_PrintUnformatted(line)))
		abort();
	if (strchr(s, '\n') || !utf8_valid(s, strlen(s)))
		abort();   /* the next stage would drop this line */
	back = cJSON_Parse(s);
	if (!cJSON_IsObject(back))
		abort();
	cJSON_Delete(back);
	free(s);
	cJSON_Delete(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
	static const struct bot_self me = {100000001, "tgpromise_test_bot"};

	if (cJSON_IsArray(doc)) {
		for (const cJSON *u = doc->child; u; u = u->next) {
			check_line(u, 0, &me);
			check_line(u, 1, NULL);
		}
	} else if (cJSON_IsObject(doc)) {
		check_line(doc, 0, &me);
		check_line(doc, 1, NULL);
	}
	cJSON_Delete(doc);
	return 0;
}
