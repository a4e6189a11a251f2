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

/* Queues text as kind, replying to the message m names. */
int say(struct store *st, const struct asker *m, const char *kind,
        int64_t promise_id, const char *key, const char *text)
{
	struct notice n;
	int dup, rc;

	if (!m->chat_id)
		return 0;               /* a promise from a shell: nobody to tell */
	notice_init(&n);
	n.kind = xstrdup(kind);
	n.promise_id = promise_id;
	n.chat_id = m->chat_id;
	n.thread_id = m->thread_id;
	n.reply_to = m->message_id;
	n.text = xstrdup(text);
	n.key = key ? xstrdup(key) : NULL;
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
	return say(st, &m, "ack", p->id, key, text);
}
