/*
 * promise - where a chat bot's promises live (promise(1)).
 *
 * One program, one verb per call: add, claim, heartbeat, done, fail,
 * release, settle, cancel, retry, accept, decline, meta, list, show,
 * stats, reap, gc, outbox, notified, and for the bot's streams route and
 * reply.  Every verb talks to the store through store.h only;
 * nothing here knows it is SQLite.  Each call opens the database, does
 * one thing in one transaction (add --jsonl: a few), and exits: startup
 * cost is part of the design, so nothing is done at open that a call
 * does not need.
 */
#include <stdlib.h>
#include <string.h>

#include "promise.h"

static const struct verb {
	const char *name;
	int (*fn)(int, char **, struct common *);
	const char *synopsis;
} verbs[] = {
	{ "add", cmd_add, "add [--chat ID] [--reply-to MSG] [--user ID] [--username NAME]\n"
	  "    [--thread ID] [--type TYPE] [--priority 1..10] [--key KEY]\n"
	  "    [--after ID,...] [--delay DUR | --at TIME] [--timeout DUR]\n"
	  "    [--retries N] [--expires DUR] [--max-open N] [--meta JSON]\n"
	  "    [--offer] [--ack] TEXT...\n"
	  "add --jsonl [--strict] [--offer] [--type T] [--priority N]\n"
	  "    [--timeout DUR] [--retries N] [--max-open N] [--expires DUR]\n"
	  "    [--ack]" },
	{ "claim", cmd_claim, "claim [--worker NAME] [--lease DUR] [--type T,...] [--wait DUR]\n"
	  "    [--limit N] [--follow] [--backoff DUR]" },
	{ "heartbeat", cmd_heartbeat, "heartbeat ID [--worker NAME] [--attempt N] [--lease DUR]\n"
	  "    [--progress PCT] [--note TEXT]\n"
	  "heartbeat --jsonl [--lease DUR]   (request lines on stdin)" },
	{ "done", cmd_done, "done ID [--worker NAME] [--attempt N] [--result TEXT]" },
	{ "fail", cmd_fail, "fail ID [--worker NAME] [--attempt N] [--error TEXT]\n"
	  "    [--permanent] [--backoff DUR]" },
	{ "release", cmd_release, "release ID [--worker NAME] [--attempt N]" },
	{ "settle", cmd_settle, "settle [--strict] [--backoff DUR] [--question-ttl DUR]" },
	{ "cancel", cmd_cancel, "cancel ID..." },
	{ "retry", cmd_retry, "retry ID..." },
	{ "accept", cmd_accept, "accept ID\naccept --chat ID" },
	{ "decline", cmd_decline, "decline ID\ndecline --chat ID" },
	{ "answer", cmd_answer, "answer ID TEXT               (to the question #ID waits on)" },
	{ "meta", cmd_meta, "meta ID JSON                 (merged into the promise's meta)" },
	{ "list", cmd_list, "list [--chat ID] [--status S,...] [--type T] [--limit N]" },
	{ "show", cmd_show, "show ID" },
	{ "stats", cmd_stats, "stats" },
	{ "reap", cmd_reap, "reap [--backoff DUR]" },
	{ "gc", cmd_gc, "gc [--older-than DUR]" },
	{ "outbox", cmd_outbox, "outbox [--follow | --drain] [--limit N] [--lease DUR]\n"
	  "    [--template KIND=TEXT] [--parse-mode MODE]" },
	{ "notified", cmd_notified, "notified [--strict]          (notify's receipt lines on stdin)" },
	{ "route", cmd_route, "route [--offers] [--max-open N] [--typing DUR] [--strict]" },
	{ "reply", cmd_reply, "reply --chat ID [--reply-to MSG] [--thread ID]\n"
	  "    [--key KEY] TEXT...\n"
	  "reply --jsonl [--cursor FILE] [--strict]      (answer lines)" },
};
enum { NVERBS = sizeof verbs / sizeof verbs[0] };

static char *usage_text(const struct verb *only)
{
	static char buf[4096];
	size_t n = 0;

	n += (size_t)snprintf(buf + n, sizeof buf - n, "usage: promise [--db PATH] [--json] VERB ...\n");
	for (int i = 0; i < NVERBS && n < sizeof buf; i++) {
		const char *line = verbs[i].synopsis, *nl;

		if (only && only != &verbs[i])
			continue;
		/* A synopsis of several lines: "promise" before each form,
		 * continuation lines (indented) as they are. */
		for (; *line && n < sizeof buf; line = *nl ? nl + 1 : nl) {
			nl = strchrnul(line, '\n');
			n += (size_t)snprintf(buf + n, sizeof buf - n, "       %s%.*s\n",
			                      *line == ' ' ? "        " : "promise ",
			                      (int)(nl - line), line);
		}
	}
	if (n < sizeof buf && !only)
		snprintf(buf + n, sizeof buf - n,
		         "Every verb takes --db PATH and --json.  See promise(1).\n");
	return buf;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		COMMON_OPTIONS,
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	struct common c = { 0 };
	int opt;

	tgp_init(argv[0]);
	opterr = 0;             /* common_option reports, as "promise: ..." */
	c.usage = usage_text(NULL);
	c.argv = argv;
	/* '+': options up to the verb are the program's; the rest its. */
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt == 'V') {
			printf("promise %s\n", VERSION);
			return 0;
		}
		common_option(&c, opt);
	}
	if (optind >= argc)
		usage_error(c.usage, "no verb given");
	for (int i = 0; i < NVERBS; i++)
		if (strcmp(argv[optind], verbs[i].name) == 0) {
			c.verb = verbs[i].name;
			c.usage = usage_text(&verbs[i]);
			argc -= optind;
			argv += optind;
			c.argv = argv;
			optind = 0;     /* glibc: start afresh on the verb's argv */
			return verbs[i].fn(argc, argv, &c);
		}
	usage_error(c.usage, "unknown verb '%s'", argv[optind]);
}

int common_option(struct common *c, int opt)
{
	switch (opt) {
	case OPT_DB:
		c->db = optarg;
		return 1;
	case OPT_JSON:
		c->json = 1;
		return 1;
	case OPT_HELP:
		fputs(c->usage, stdout);
		exit(0);
	case '?': {
		/* No verb has short options: a long one with optopt set is
		 * missing its value; anything else is unknown. */
		const char *arg = c->argv[optind - 1];
		if (optopt && strncmp(arg, "--", 2) == 0)
			usage_error(c->usage, "option %s needs a value", arg);
		usage_error(c->usage, "unknown option '%s'", arg);
	}
	}
	return 0;
}
