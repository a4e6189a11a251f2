/*
 * update.c - a Telegram update as a tgpoll line (see update.h).
 *
 * The update comes from the network and is trusted for nothing: any
 * field may be missing, of the wrong type, or absurd.  A field that is
 * not what the Bot API documents is left out of the line, never guessed.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Is c a character of a command or user name? */
static int word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Does s start with name (ASCII, any case) and then end the word? */
static int names(const char *s, size_t n, const char *name)
{
	size_t len = strlen(name);

	return len > 0 && n >= len && strncasecmp(s, name, len) == 0 &&
	       (n == len || !word_char(s[len]));
}

/* "/cmd" or "/cmd@name" at the start: Telegram's rule for a command
 * (a slash, then letters, digits and underscores).  A command with no
 * @name is for every bot in the chat, so for us too. */
static int command_for(const char *text, const char *username)
{
	size_t i = 1, n = strlen(text);

	if (text[0] != '/')
		return 0;
	while (i < n && word_char(text[i]))
		i++;
	if (i == 1)
		return 0;
	if (text[i] != '@')
		return 1;
	return username && names(text + i + 1, n - i - 1, username);
}

/* "@username" as a whole word anywhere in the text. */
static int mentioned(const char *text, const char *username)
{
	size_t n = strlen(text);

	if (!username || !*username)
		return 0;
	for (const char *at = strchr(text, '@'); at; at = strchr(at + 1, '@'))
		if ((at == text || !word_char(at[-1])) &&
		    names(at + 1, n - (size_t)(at + 1 - text), username))
			return 1;
	return 0;
}

/* The byte offset of UTF-16 offset u in s (entities count UTF-16 code
 * units), or -1 past the end. */
static long byte_offset(const char *s, int64_t u)
{
	size_t i = 0, n = strlen(s);

	while (u > 0 && i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		u -= len == 4 ? 2 : 1;
		i += len;
	}
	return u == 0 && i <= n ? (long)i : -1;
}

/* A "mention" entity that names us, or a "text_mention" of our id. */
static int mention_entity(const char *text, const cJSON *entities,
                          const struct bot_self *me)
{
	for (const cJSON *e = cJSON_IsArray(entities) ? entities->child : NULL; e; e = e->next) {
		const char *type = json_str(e, "type");
		int64_t off, len, uid;
		long from, to;

		if (!type)
			continue;
		if (strcmp(type, "text_mention") == 0 && me->id &&
		    json_int64(get(e, "user"), "id", &uid) == 0 && uid == me->id)
			return 1;
		if (strcmp(type, "mention") != 0 || !me->username ||
		    json_int64(e, "offset", &off) != 0 || json_int64(e, "length", &len) != 0 ||
		    off < 0 || len < 2)
			continue;
		from = byte_offset(text, off);
		to = from < 0 ? -1 : byte_offset(text + from, len);
		if (to > 1 && text[from] == '@' &&
		    (size_t)to - 1 == strlen(me->username) &&
		    strncasecmp(text + from + 1, me->username, (size_t)to - 1) == 0)
			return 1;
	}
	return 0;
}

/* Is a group message for us (Telegram's privacy mode, kept by us): a
 * command for us, a mention of us, or a reply to us. */
static int addressed_in_group(const cJSON *msg, int reply_to_bot,
                              const struct bot_self *me)
{
	const char *text = json_str(msg, "text");
	const cJSON *entities = get(msg, "entities");

	if (reply_to_bot)
		return 1;
	if (!text) {
		text = json_str(msg, "caption");
		entities = get(msg, "caption_entities");
	}
	if (!text || !me)
		return 0;
	return command_for(text, me->username) || mentioned(text, me->username) ||
	       mention_entity(text, entities, me);
}

/* The fields of a message-like object (message, channel_post, ...). */
static void message_fields(cJSON *line, const cJSON *msg, const struct bot_self *me)
{
	const cJSON *chat = get(msg, "chat"), *reply = get(msg, "reply_to_message");
	const char *type = json_str(chat, "type");
	int64_t thread, rid, from;
	int topic = cJSON_IsTrue(get(msg, "is_topic_message")), to_bot = 0;

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
	    !(topic && json_int64(msg, "message_thread_id", &thread) == 0 && rid == thread)) {
		json_set_int64(line, "reply_to_message_id", rid);
		to_bot = me && me->id && json_int64(get(reply, "from"), "id", &from) == 0 &&
		         from == me->id;
		if (to_bot)
			json_set_bool(line, "reply_to_bot", 1);
	}
	const char *media = media_of(msg);
	if (media)
		json_set_str(line, "media", media);
	if (!get(line, "chat_id"))
		return;
	if (!type || strcmp(type, "private") == 0)
		json_set_bool(line, "addressed", type != NULL);
	else if (strcmp(type, "group") == 0 || strcmp(type, "supergroup") == 0)
		json_set_bool(line, "addressed", addressed_in_group(msg, to_bot, me));
	else
		json_set_bool(line, "addressed", 0);
}

/* A button pressed: which (callback_id, data) and under what message.
 * No text: a press is not something the user typed. */
static void callback_fields(cJSON *line, const cJSON *cb)
{
	const cJSON *msg = get(cb, "message");

	copy_str(line, "callback_id", cb, "id");
	copy_str(line, "data", cb, "data");
	copy_int(line, "chat_id", get(msg, "chat"), "id");
	copy_str(line, "chat_type", get(msg, "chat"), "type");
	copy_int(line, "message_id", msg, "message_id");
	if (cJSON_IsTrue(get(msg, "is_topic_message")))
		copy_int(line, "thread_id", msg, "message_thread_id");
	copy_int(line, "user_id", get(cb, "from"), "id");
	copy_str(line, "username", get(cb, "from"), "username");
	copy_str(line, "first_name", get(cb, "from"), "first_name");
	json_set_bool(line, "addressed", 1);
}

/* Anything else: my_chat_member, chat_join_request, inline_query, ... */
static void other_fields(cJSON *line, const cJSON *body)
{
	const cJSON *from = get(body, "from") ? get(body, "from") : get(body, "user");
	const char *type = json_str(get(body, "chat"), "type");

	copy_int(line, "chat_id", get(body, "chat"), "id");
	copy_str(line, "chat_type", get(body, "chat"), "type");
	copy_int(line, "message_id", body, "message_id");
	copy_int(line, "user_id", from, "id");
	copy_str(line, "username", from, "username");
	copy_str(line, "first_name", from, "first_name");
	copy_str(line, "text", body, "query");
	copy_int(line, "date", body, "date");
	if (get(line, "chat_id"))
		json_set_bool(line, "addressed", type && strcmp(type, "private") == 0);
}

cJSON *update_normalize(const cJSON *upd, int raw, const struct bot_self *me)
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
		message_fields(line, body, me);
		if (strncmp(body->string, "edited_", 7) == 0)
			json_set_bool(line, "edited", 1);
	} else if (body && strcmp(body->string, "callback_query") == 0) {
		callback_fields(line, body);
	} else if (body) {
		other_fields(line, body);
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
