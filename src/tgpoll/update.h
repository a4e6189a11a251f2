/*
 * update.h - one Telegram update as one tgpoll line.
 *
 * Kept apart from tgpoll's main so that the normalization, which reads
 * whatever the server sent, can be tested and fuzzed on its own.
 */
#ifndef TGPOLL_UPDATE_H
#define TGPOLL_UPDATE_H

#include <cJSON.h>

/*
 * The normalized line for an update object (update_id kind chat_id
 * chat_type message_id thread_id user_id username first_name text date
 * reply_to_message_id media; with raw, the whole update as "update"), or
 * NULL when it has no usable update_id.  The caller owns the line.
 */
cJSON *update_normalize(const cJSON *upd, int raw);

#endif
