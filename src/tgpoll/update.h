/*
 * update.h - one Telegram update as one tgpoll line.
 *
 * Kept apart from tgpoll's main so that the normalization, which reads
 * whatever the server sent, can be tested and fuzzed on its own.
 */
#ifndef TGPOLL_UPDATE_H
#define TGPOLL_UPDATE_H

#include <cJSON.h>

/* The bot itself, as getMe tells: what "addressed to us" means. */
struct bot_self {
	int64_t id;              /* 0: unknown */
	const char *username;    /* without the @; NULL: unknown */
};

/*
 * The normalized line for an update object (update_id kind chat_id
 * chat_type message_id thread_id user_id username first_name text date
 * reply_to_message_id reply_to_bot media edited addressed; for a
 * callback_query callback_id and data instead of text; with raw, the
 * whole update as "update"), or NULL when it has no usable update_id.
 * me may be NULL (nothing is known about the bot).  The caller owns the
 * line.
 */
cJSON *update_normalize(const cJSON *upd, int raw, const struct bot_self *me);

#endif
