/*
 * update.c - a Telegram update as a tgpoll line (see update.h).
 *
 * The update comes from the network and is trusted for nothing: any
 * field may be missing, of the wrong type, or absurd.  A field that is
 * not what the Bot API documents is left out of the line, never guessed.
 */
#include <stdlib.h>
#include <string.h>

#include "tgp.h"
#include "update.h"

static void copy_int(cJSON *line, const char *key, const cJSON *from, const char *field)
{
	int64_t v;

	if (from && json_int64(from, field, &v) == 0)
		json_set_int64(line, key, v);
}

/* Text as the next stage can read it: bytes that are not UTF-8 (which
 * the real server never sends) become U+FFFD rather than costing the
 * whole line at the next stage's reader. */
static void set_text(cJSON *line, const char *key, const char *s)
{
	size_t n = strlen(s);

	if (utf8_valid(s, n)) {
		json_set_str(line, key, s);
	} else {
		char *clean = utf8_sanitize(s, n);
		json_set_str(line, key, clean);
		free(clean);
	}
}

static void copy_str(cJSON *line, const char *key, const cJSON *from, const char *field)
{
	const char *s = from ? json_str(from, field) : NULL;

	if (s)
		set_text(line, key, s);
}

/* The same for every name and string of a --raw update. */
static void sanitize_tree(cJSON *j)
{
	for (; j; j = j->next) {
		if (j->string && !utf8_valid(j->string, strlen(j->string))) {
			char *clean = utf8_sanitize(j->string, strlen(j->string));
			cJSON_free(j->string);
			j->string = cJSON_malloc(strlen(clean) + 1);
			if (!j->string)
				die(EXIT_DATA, "out of memory");
			strcpy(j->string, clean);
			free(clean);
		}
		if (cJSON_IsString(j) &&
		    !utf8_valid(j->valuestring, strlen(j->valuestring))) {
			char *clean = utf8_sanitize(j->valuestring, strlen(j->valuestring));
			if (!cJSON_SetValuestring(j, clean))
				die(EXIT_DATA, "out of memory");
			free(clean);
		}
		sanitize_tree(j->child);
	}
}

static const cJSON *get(const cJSON *o, const char *key)
{
	return o ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

/* What a message carries besides text, by Bot API field name. */
static const char *media_of(const cJSON *msg)
{
	static const char *kinds[] = {
		"photo", "video", "animation", "document", "audio", "voice",
		"video_note", "sticker", "location", "venue", "contact", "poll",
		"dice", "game", "story", "invoice", NULL,
	};

	for (int i = 0; kinds[i]; i++)
		if (get(msg, kinds[i]))
			return kinds[i];
	return NULL;
}

/* The fields of a message-like object (message, channel_post, ...). */
static void message_fields(cJSON *line, const cJSON *msg)
{
	const cJSON *chat = get(msg, "chat"), *reply = get(msg, "reply_to_message");
	int64_t thread, rid;
	int topic = cJSON_IsTrue(get(msg, "is_topic_message"));

	copy_int(line, "chat_id", chat, "id");
	copy_str(line, "chat_type", chat, "type");
	copy_int(line, "message_id", msg, "message_id");
	if (topic)
		copy_int(line, "thread_id", msg, "message_thread_id");
	copy_int(line, "user_id", get(msg, "from"), "id");
	copy_str(line, "username", get(msg, "from"), "username");
	copy_str(line, "first_name", get(msg, "from"), "first_name");
	copy_str(line, "text", msg, "text");
	if (!get(line, "text"))
		copy_str(line, "text", msg, "caption");
	copy_int(line, "date", msg, "date");
	/* In a forum topic every message "replies" to the topic's first
	 * message; only a reply to something else is a real reply. */
	if (reply && json_int64(reply, "message_id", &rid) == 0 &&
	    !(topic && json_int64(msg, "message_thread_id", &thread) == 0 && rid == thread))
		json_set_int64(line, "reply_to_message_id", rid);
	const char *media = media_of(msg);
	if (media)
		json_set_str(line, "media", media);
}

cJSON *update_normalize(const cJSON *upd, int raw)
{
	cJSON *line = cJSON_CreateObject();
	const cJSON *body = NULL;
	int64_t id;

	if (json_int64(upd, "update_id", &id) != 0) {
		cJSON_Delete(line);
		return NULL;
	}
	json_set_int64(line, "update_id", id);
	for (const cJSON *it = upd->child; it; it = it->next)
		if (strcmp(it->string, "update_id") != 0 && cJSON_IsObject(it)) {
			body = it;
			break;
		}
	set_text(line, "kind", body ? body->string : "unknown");
	if (body && get(body, "message_id") && get(body, "chat")) {
		message_fields(line, body);
	} else if (body && strcmp(body->string, "callback_query") == 0) {
		const cJSON *msg = get(body, "message");
		copy_int(line, "chat_id", get(msg, "chat"), "id");
		copy_str(line, "chat_type", get(msg, "chat"), "type");
		copy_int(line, "message_id", msg, "message_id");
		if (cJSON_IsTrue(get(msg, "is_topic_message")))
			copy_int(line, "thread_id", msg, "message_thread_id");
		copy_int(line, "user_id", get(body, "from"), "id");
		copy_str(line, "username", get(body, "from"), "username");
		copy_str(line, "first_name", get(body, "from"), "first_name");
		copy_str(line, "text", body, "data");
	} else if (body) {
		/* my_chat_member, chat_join_request, inline_query, ... */
		const cJSON *from = get(body, "from") ? get(body, "from") : get(body, "user");
		copy_int(line, "chat_id", get(body, "chat"), "id");
		copy_str(line, "chat_type", get(body, "chat"), "type");
		copy_int(line, "message_id", body, "message_id");
		copy_int(line, "user_id", from, "id");
		copy_str(line, "username", from, "username");
		copy_str(line, "first_name", from, "first_name");
		copy_str(line, "text", body, "query");
		copy_int(line, "date", body, "date");
	}
	if (raw) {
		cJSON *copy = cJSON_Duplicate(upd, 1);
		if (!copy)
			die(EXIT_DATA, "out of memory");
		sanitize_tree(copy->child);
		cJSON_AddItemToObject(line, "update", copy);
	}
	return line;
}
