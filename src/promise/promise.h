/* promise.h - what the verbs of promise(1) share. */
#ifndef PROMISE_H
#define PROMISE_H

#include <getopt.h>

#include "tgp.h"
#include "store.h"

/* Options every verb takes, and what they were set to. */
struct common {
	const char *db;         /* --db, else $PROMISE_DB, else the state dir */
	int json;               /* --json: JSON lines instead of text */
	const char *verb;
	const char *usage;      /* the verb's synopsis, for usage_error */
	char **argv;            /* for naming a bad option */
};

/* Long options every verb accepts; verbs append theirs after these. */
enum { OPT_DB = 0x100, OPT_JSON, OPT_HELP, OPT_FIRST_VERB_OPTION };
#define COMMON_OPTIONS \
	{ "db", required_argument, NULL, OPT_DB }, \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "help", no_argument, NULL, OPT_HELP }

/* Handles a common option (returns 1), or returns 0 for the verb's own. */
int common_option(struct common *c, int opt);
_Noreturn void bad_usage(const struct common *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct store *open_store(const struct common *c);
void close_store(struct store *st);
/* Folds one line's status into a stream's; 1 when the stream must stop. */
int stream_status(int *worst, int rc);
/* Whether the reader of stdout (a pipe) has gone away. */
int reader_gone(void);

/* Values from the command line: bad ones are a usage error. */
int64_t arg_id(const struct common *c, const char *s);
int64_t arg_int(const struct common *c, const char *what, const char *s,
                int64_t min, int64_t max);
int64_t arg_duration(const struct common *c, const char *what, const char *s);
int64_t env_duration(const char *name, int64_t dflt);
int64_t env_int(const char *name, int64_t dflt);
char *default_worker(void);
int64_t backoff_base(const char *flag);
/* Splits "a,b,c" into a NULL-terminated array (in place). */
char **split_commas(char *s, int *n);
/* All of stdin (at most max bytes), for --result and --error. */
char *slurp_stdin(size_t max);

/* Output of promises: a JSON line, or one readable line. */
cJSON *promise_json(const struct promise *p);
int put_promise(const struct common *c, const struct promise *p);
void put_line(const struct promise *p);
/* Sets p's fields on a line read from another tool, keeping the rest. */
void merge_promise(cJSON *line, const struct promise *p);
void json_set_time(cJSON *o, const char *key, int64_t ms);

/* Who asked, and where to answer (say.c). */
struct asker {
	int64_t chat_id, user_id, message_id, thread_id;
};
int say(struct store *st, const struct asker *m, const char *kind,
        int64_t promise_id, const char *key, const char *text);
int say_markup(struct store *st, const struct asker *m, const char *kind,
               int64_t promise_id, const char *key, const char *text,
               char *markup);
int say_ack(struct store *st, const struct promise *p);
/* Keyboards, as JSON text to free (say.c; route.c reads the presses). */
char *offer_buttons(int64_t id);
char *cancel_button(int64_t id);
char *retry_button(int64_t id);
char *choice_buttons(int64_t id, const cJSON *choices);
char *reply_box(void);
int say_edit(struct store *st, const struct promise *p, int64_t edit_of,
             const char *text);
int say_toast(struct store *st, int64_t chat, const char *callback_id,
              const char *key, const char *text);
int say_typing(struct store *st, const struct asker *m, const char *key,
               int64_t after_ms);
void quote_request(char *buf, size_t size, const char *s);

/* add.c: a promise from a JSON line, as add --jsonl and route read it. */
struct add_cfg {
	struct add_limits lim;
	int64_t expires_ms;        /* 0: never */
	int strict;
	int ack;                   /* --ack: queue the acknowledgement */
	const struct promise *defaults;   /* --jsonl: from the options */
};
void add_defaults(struct add_cfg *cfg);
int promise_from_line(const struct jsonl *in, const cJSON *o,
                      struct promise *p, const struct add_cfg *cfg,
                      int64_t now);

/* The verbs. */
int cmd_add(int argc, char **argv, struct common *c);
int cmd_claim(int argc, char **argv, struct common *c);
int cmd_heartbeat(int argc, char **argv, struct common *c);
int cmd_done(int argc, char **argv, struct common *c);
int cmd_fail(int argc, char **argv, struct common *c);
int cmd_release(int argc, char **argv, struct common *c);
int cmd_settle(int argc, char **argv, struct common *c);
int cmd_cancel(int argc, char **argv, struct common *c);
int cmd_retry(int argc, char **argv, struct common *c);
int cmd_accept(int argc, char **argv, struct common *c);
int cmd_decline(int argc, char **argv, struct common *c);
int cmd_answer(int argc, char **argv, struct common *c);
int cmd_meta(int argc, char **argv, struct common *c);
int cmd_list(int argc, char **argv, struct common *c);
int cmd_show(int argc, char **argv, struct common *c);
int cmd_stats(int argc, char **argv, struct common *c);
int cmd_reap(int argc, char **argv, struct common *c);
int cmd_gc(int argc, char **argv, struct common *c);
int cmd_outbox(int argc, char **argv, struct common *c);
int cmd_notified(int argc, char **argv, struct common *c);
int cmd_route(int argc, char **argv, struct common *c);
int cmd_reply(int argc, char **argv, struct common *c);

#endif
