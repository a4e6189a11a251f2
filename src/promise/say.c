/*
 * say.c - the bot's own words: the acknowledgement of a promise and the
 * replies that route and reply queue as notices.  Texts built here name
 * promises by number and quote requests clipped to one line; text from
 * users is data inside them, never markup (no parse_mode).
 */
#include <stdlib.h>
#include <string.h>

#include "promise.h"

enum { QUOTE_MAX = 60 };

/* Appends s to buf, clipped to max bytes on a character boundary, on one
 * line: a request is named, not repeated. */
void quote_request(char *buf, size_t size, const char *s)
{
	size_t len = strlen(buf), n;

	if (!s || len + 1 >= size)
		return;
	n = strlen(s);
	if (n > QUOTE_MAX)
		n = utf8_clip(s, QUOTE_MAX);
	if (n > size - len - 4)
		n = utf8_clip(s, size - len - 4);
	for (size_t i = 0; i < n; i++)
		buf[len + i] = s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i];
	buf[len + n] = '\0';
	if (n < strlen(s))
		strcat(buf, "...");
}

/* ---- buttons: callback_data is "VERB:ID" or "a:ID:K" (route.c) ---- */

static cJSON *button(const char *label, char verb, int64_t id, int k)
{
	cJSON *b = cJSON_CreateObject();
	char data[64];

	if (k >= 0)
		snprintf(data, sizeof data, "%c:%lld:%d", verb, (long long)id, k);
	else
		snprintf(data, sizeof data, "%c:%lld", verb, (long long)id);
	json_set_str(b, "text", label);
	json_set_str(b, "callback_data", data);
	return b;
}

static char *keyboard(cJSON *rows)
{
	cJSON *m = cJSON_CreateObject();
	char *s;

	cJSON_AddItemToObject(m, "inline_keyboard", rows);
	s = cJSON_PrintUnformatted(m);
	cJSON_Delete(m);
	if (!s)
		die(EXIT_DATA, "out of memory");
	return s;
}

static char *one_row(cJSON *a, cJSON *b)
{
	cJSON *rows = cJSON_CreateArray(), *row = cJSON_CreateArray();

	cJSON_AddItemToArray(row, a);
	if (b)
		cJSON_AddItemToArray(row, b);
	cJSON_AddItemToArray(rows, row);
	return keyboard(rows);
}

char *offer_buttons(int64_t id)
{
	return one_row(button("Yes", 'y', id, -1), button("No", 'n', id, -1));
}

char *cancel_button(int64_t id)
{
	return one_row(button("Cancel", 'c', id, -1), NULL);
}

char *retry_button(int64_t id)
{
	return one_row(button("Retry", 'r', id, -1), NULL);
}

/* A question's choices, one button a row; the answer is the choice's
 * number, so that a long choice still fits in 64 bytes of data. */
char *choice_buttons(int64_t id, const cJSON *choices)
{
	cJSON *rows = cJSON_CreateArray(), *row;
	const cJSON *c;
	int k = 0;

	cJSON_ArrayForEach(c, choices) {
		if (!cJSON_IsString(c))
			continue;
		row = cJSON_CreateArray();
		cJSON_AddItemToArray(row, button(c->valuestring, 'a', id, k++));
		cJSON_AddItemToArray(rows, row);
	}
	return keyboard(rows);
}

/* A question without choices asks for a reply: ForceReply opens the
 * reply box, and "selective" opens it only for the member asked, which
 * is also how a bot in privacy mode gets to read the answer. */
char *reply_box(void)
{
	return xstrdup("{\"force_reply\":true,\"selective\":true,"
	               "\"input_field_placeholder\":\"Your answer\"}");
}

/* Queues text as kind, replying to the message m names. */
int say(struct store *st, const struct asker *m, const char *kind,
        int64_t promise_id, const char *key, const char *text)
{
	return say_markup(st, m, kind, promise_id, key, text, NULL);
}

/* The same, with buttons (markup: JSON text, taken over and freed). */
int say_markup(struct store *st, const struct asker *m, const char *kind,
               int64_t promise_id, const char *key, const char *text,
               char *markup)
{
	struct notice n;
	int dup, rc;

	if (!m->chat_id) {
		free(markup);
		return 0;               /* a promise from a shell: nobody to tell */
	}
	notice_init(&n);
	n.kind = xstrdup(kind);
	n.promise_id = promise_id;
	n.chat_id = m->chat_id;
	n.thread_id = m->thread_id;
	n.reply_to = m->message_id;
	n.text = xstrdup(text);
	n.key = key ? xstrdup(key) : NULL;
	n.markup = markup;
	n.urgency = URGENCY_NOW;
	rc = store_say(st, &n, &dup);
	notice_free(&n);
	return rc;
}

/* The acknowledgement of p: once per promise, however often it is asked
 * for (a replayed update, a duplicate add). */
int say_ack(struct store *st, const struct promise *p)
{
	struct asker m = { p->chat_id, p->user_id, p->reply_to, p->thread_id };
	char key[48], text[256];

	snprintf(key, sizeof key, "ack:%lld", (long long)p->id);
	snprintf(text, sizeof text, "Started #%lld \xe2\x80\x94 I will message "
	         "you when it is done.", (long long)p->id);
	return say_markup(st, &m, "ack", p->id, key, text, cancel_button(p->id));
}

/* An edit of a message the bot sent (notice edit_of): its new text, and
 * no buttons any more. */
int say_edit(struct store *st, const struct promise *p, int64_t edit_of,
             const char *text)
{
	struct notice n;
	int dup, rc;

	notice_init(&n);
	n.kind = xstrdup("edit");
	n.promise_id = p->id;
	n.chat_id = p->chat_id;
	n.thread_id = p->thread_id;
	n.edit_of = edit_of;
	n.text = xstrdup(text);
	n.urgency = URGENCY_PROGRESS;
	rc = store_say(st, &n, &dup);
	notice_free(&n);
	return rc;
}

/* The answer to a button press, which the user's client waits for. */
int say_toast(struct store *st, int64_t chat, const char *callback_id,
              const char *key, const char *text)
{
	struct notice n;
	int dup, rc;

	notice_init(&n);
	n.kind = xstrdup("callback");
	n.chat_id = chat;
	n.callback_id = xstrdup(callback_id);
	n.key = key ? xstrdup(key) : NULL;
	n.text = xstrdup(text);
	rc = store_say(st, &n, &dup);
	notice_free(&n);
	return rc;
}

/* "typing..." in m's chat, if its answer takes longer than after_ms. */
int say_typing(struct store *st, const struct asker *m, const char *key,
               int64_t after_ms)
{
	struct notice n;
	int dup, rc;

	notice_init(&n);
	n.kind = xstrdup("typing");
	n.chat_id = m->chat_id;
	n.thread_id = m->thread_id;
	n.key = key ? xstrdup(key) : NULL;
	n.created_at = now_ms();
	n.not_before = n.created_at + after_ms;
	rc = store_say(st, &n, &dup);
	notice_free(&n);
	return rc;
}
