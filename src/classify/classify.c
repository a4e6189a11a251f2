/*
 * classify - decide what a message asks for.
 *
 * A filter: JSON lines in, the same lines out with intent, tier,
 * task_type, detach (and command, args, target_id, addressed_to) added;
 * with --reply, promised and promise_marker instead.  See classify(1).
 *
 * Invariants:
 * - every field of the input line is passed through byte for byte: the
 *   new fields are spliced in before the object's closing brace.  Only a
 *   line that already holds one of our fields is re-serialized (by cJSON),
 *   so that classifying twice replaces rather than duplicates;
 * - a line with no text field at all (a button press) goes on untagged;
 * - a bad line (not JSON, a field not a string, invalid UTF-8, too long) is
 *   reported with its number and skipped, or with --pass-invalid copied
 *   through untouched, however long; with --strict it stops the run;
 * - output is flushed whenever input runs dry, so a line never waits in
 *   our buffer while we wait for the next one, and bulk runs write in
 *   large blocks;
 * - memory is bounded by the longest accepted line, whatever the input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tgp.h"
#include "rules.h"
#include "decide.h"
#include "defaults.h"
#include "model.h"
#include "defmodel.h"

static const char usage[] =
	"usage: classify [--field NAME] [--reply] [--rules FILE]... [--model FILE | --no-model]\n"
	"                [--explain] [--bot-username NAME] [--pass-invalid] [--strict]\n"
	"                [--max-line SIZE]\n"
	"       classify --train FILE.tsv... [--rules FILE]... [--model BASE] >MODEL\n"
	"       classify --print-rules | --print-model\n";

static struct {
	const char *field;
	int reply, pass_invalid, strict;
	const char *bot;
	int64_t max_line;
	const char *model;
	int no_model, explain;
	char **train;
	int ntrain;
} opt = { "text", 0, 0, 0, NULL, 1 << 20, NULL, 0, 0, NULL, 0 };

/* Fields classify writes: a line holding one already is rebuilt. */
static const char *const owned[] = {
	"intent", "tier", "task_type", "detach", "command", "args", "target_id",
	"addressed_to", "promised", "promise_marker", "promise_id", "promise_text",
};

static void write_out(const void *p, size_t n)
{
	if (n && fwrite_unlocked(p, 1, n, stdout) != n)
		die(EXIT_DATA, "write error on <stdout>:");
}

static void flush_out(void)
{
	if (fflush(stdout) == EOF)
		die(EXIT_DATA, "write error on <stdout>:");
}

static void put_json_string(const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	write_out("\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		write_out(s + run, i - run);
		run = i + 1;
		if (ch == '"' || ch == '\\') {
			char e[2] = { '\\', (char)ch };
			write_out(e, 2);
		} else if (ch == '\n')
			write_out("\\n", 2);
		else if (ch == '\t')
			write_out("\\t", 2);
		else {
			char e[6] = { '\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15] };
			write_out(e, 6);
		}
	}
	write_out(s + run, n - run);
	write_out("\"", 1);
}

static void put_raw(const char *s)
{
	write_out(s, strlen(s));
}

static void put_field(const char *name, int *first)
{
	if (!*first)
		write_out(",", 1);
	*first = 0;
	write_out("\"", 1);
	write_out(name, strlen(name));
	write_out("\":", 2);
}

static void put_str(const char *name, const char *v, int *first)
{
	put_field(name, first);
	put_json_string(v, strlen(v));
}

static void put_int(const char *name, int64_t v, int *first)
{
	char num[24];

	put_field(name, first);
	write_out(num, (size_t)snprintf(num, sizeof num, "%lld", (long long)v));
}

/* Appends s to b, which holds n bytes; returns the new length. */
static size_t cat(char *b, size_t n, const char *s)
{
	size_t k = strlen(s);

	memcpy(b + n, s, k);
	return n + k;
}

/* A label of head h as JSON: a string, or a boolean for promised. */
static void put_label(enum head h, int v)
{
	const char *name = h == H_INTENT ? intent_name[v] : h == H_TIER ? tier_name[v] :
	                   h == H_TYPE ? ttype_name[v] : v ? "true" : "false";

	if (h == H_PROMISED)
		put_raw(name);
	else
		put_json_string(name, strlen(name));
}

/* --explain: "why":{HEAD:{"rules":..,"sure":..,"model":..,"odds":..,"by":..}}
 * for each head decided, so a user can see what to teach. */
static void put_why(const struct classifier *c, int *first)
{
	static const char *const name[H_COUNT] = {
		[H_INTENT] = "intent", [H_TIER] = "tier", [H_TYPE] = "task_type",
		[H_PROMISED] = "promised",
	};
	int inner = 1;

	put_field("why", first);
	put_raw("{");
	for (int h = 0; h < H_COUNT; h++) {
		const struct why *w = &c->why[h];
		char num[32];
		if (!w->asked)
			continue;
		put_field(name[h], &inner);
		put_raw("{\"rules\":");
		put_label((enum head)h, w->rules);
		put_raw(w->sure ? ",\"sure\":true,\"model\":" : ",\"sure\":false,\"model\":");
		if (w->model < 0)
			put_raw("null");
		else {
			put_label((enum head)h, w->model);
			write_out(num, (size_t)snprintf(num, sizeof num, ",\"odds\":%.2f", w->odds));
		}
		put_raw(w->by_model ? ",\"by\":\"model\"}" : ",\"by\":\"rules\"}");
	}
	put_raw("}");
}

/* The fields for one line, written after the input's own, then '}'. */
static void put_verdict(const struct classifier *c, const struct verdict *v, int first)
{
	char b[128];
	size_t len = 0;

	/* the four fields of every line in one write: they need no escaping */
	len = cat(b, len, first ? "\"intent\":\"" : ",\"intent\":\"");
	len = cat(b, len, intent_name[v->intent]);
	len = cat(b, len, "\",\"tier\":\"");
	len = cat(b, len, tier_name[v->tier]);
	len = cat(b, len, "\",\"task_type\":\"");
	len = cat(b, len, ttype_name[v->type]);
	len = cat(b, len, v->detach ? "\",\"detach\":true" : "\",\"detach\":false");
	write_out(b, len);
	first = 0;
	if (v->command) {
		put_field("command", &first);
		put_json_string(v->command, v->commandlen);
		put_field("args", &first);
		write_out("[", 1);
		for (size_t i = 0, off = 0; i < c->nargs; i++) {
			size_t n = strlen(c->args + off);
			if (i)
				write_out(",", 1);
			put_json_string(c->args + off, n);
			off += n + 1;
		}
		write_out("]", 1);
	}
	if (v->addressee) {
		put_field("addressed_to", &first);
		put_json_string(v->addressee, v->addresseelen);
	}
	if (v->has_target)
		put_int("target_id", v->target, &first);
	if (opt.explain)
		put_why(c, &first);
	write_out("}\n", 2);
}

static void put_reply(const struct classifier *c, const struct reply *rv, int first)
{
	put_field("promised", &first);
	write_out(rv->promised ? "true" : "false", rv->promised ? 4 : 5);
	if (rv->marker == M_NONE) {
		put_field("promise_marker", &first);
		write_out("null", 4);
	} else {
		put_str("promise_marker",
		        rv->marker == M_ASYNC ? "ASYNC_PROMISE" : "PROMISE_CREATED", &first);
		if (rv->marker == M_CREATED) {
			char id[32];
			int64_t v;
			snprintf(id, sizeof id, "%.*s", (int)rv->idlen, rv->id);
			if (rv->idlen < sizeof id && parse_int64(id, &v) == 0)
				put_int("promise_id", v, &first);
			else {
				put_field("promise_id", &first);
				put_json_string(rv->id, rv->idlen);
			}
		}
		put_field("promise_text", &first);
		put_json_string(rv->text, rv->textlen);
	}
	if (opt.explain)
		put_why(c, &first);
	write_out("}\n", 2);
}

/* The slow path: a line that already has some of our fields. */
static void rebuild(cJSON *obj)
{
	char *s;
	size_t n;

	for (size_t i = 0; i < sizeof owned / sizeof *owned; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(obj, owned[i]);
	if (opt.explain)
		cJSON_DeleteItemFromObjectCaseSensitive(obj, "why");
	if (!(s = cJSON_PrintUnformatted(obj)))
		die(EXIT_DATA, "out of memory");
	n = strlen(s);
	write_out(s, n - 1);    /* all but the closing brace */
	free(s);
}

/* Whether classify writes the field name: always the labels, and "why"
 * only under --explain (a user's own "why" passes through otherwise). */
static int owned_name(const char *name)
{
	if (!strchr("itdcapw", name[0]))    /* every line comes here: be quick */
		return 0;
	for (size_t i = 0; i < sizeof owned / sizeof *owned; i++)
		if (name[0] == owned[i][0] && strcmp(name, owned[i]) == 0)
			return 1;
	return opt.explain && strcmp(name, "why") == 0;
}

static int has_owned_field(const cJSON *obj)
{
	for (const cJSON *it = obj->child; it; it = it->next)
		if (it->string && owned_name(it->string))
			return 1;
	return 0;
}

/* Classifies one good line; 0, or -1 if its field is not a string. */
static int classify_line(struct classifier *c, struct jsonl *where, char *line, size_t len)
{
	cJSON *obj, *text;
	size_t end = len;
	int first;

	/* cJSON would stop at a NUL and take the rest for trailing blanks */
	if (memchr(line, '\0', len)) {
		warn("%s:%ld: a NUL byte", where->name, where->lineno);
		return -1;
	}
	if (!(obj = jsonl_parse(where)))
		return -1;
	text = cJSON_GetObjectItemCaseSensitive(obj, opt.field);
	if (!text && cJSON_IsObject(obj)) {
		/* Nothing to classify (a button press, a photo without a
		 * caption): it goes on as it came, for the next stage. */
		write_out(line, len);
		write_out("\n", 1);
		cJSON_Delete(obj);
		return 0;
	}
	if (!cJSON_IsString(text)) {
		warn("%s:%ld: %s '%s' field", where->name, where->lineno,
		     text ? "not a string in the" : "no", opt.field);
		cJSON_Delete(obj);
		return -1;
	}
	first = obj->child == NULL;
	if (has_owned_field(obj))
		rebuild(obj), first = obj->child == NULL;
	else {
		/* splice: everything up to the closing brace, untouched */
		while (end > 0 && line[end - 1] != '}')
			end--;
		write_out(line, end - 1);
	}
	if (opt.reply) {
		struct reply rv;
		classify_reply(c, text->valuestring, strlen(text->valuestring), &rv);
		put_reply(c, &rv, first);
	} else {
		struct verdict v;
		classify_message(c, text->valuestring, strlen(text->valuestring), &v);
		put_verdict(c, &v, first);
	}
	cJSON_Delete(obj);
	return 0;
}

static int run(struct classifier *c)
{
	struct jsonl in;
	int got, bad = 0;

	jsonl_open(&in, 0, "<stdin>");
	in.max = (size_t)opt.max_line;
	/* The reader of our output must never wait on a line we hold
	 * while we wait too; bulk runs still write in large blocks. */
	in.before_wait = flush_out;
	while ((got = jsonl_getline(&in)) > 0) {
		if (in.toolong) {
			warn("%s:%ld: line longer than %zu bytes", in.name,
			     in.lineno, in.max);
		} else if (classify_line(c, &in, in.buf, in.len) == 0)
			continue;
		bad = 1;
		if (opt.strict)
			die(EXIT_NONE, "%s:%ld: stopping (--strict)", in.name, in.lineno);
		if (opt.pass_invalid) {
			write_out(in.buf, in.len);
			if (in.toolong ? jsonl_rest(&in, stdout) < 0 :
			                 putc_unlocked('\n', stdout) == EOF)
				die(EXIT_DATA, "write error on <stdout>:");
		} else if (in.toolong)
			jsonl_rest(&in, NULL);
	}
	if (got < 0)
		exit(EXIT_DATA);
	jsonl_close(&in);
	return bad ? EXIT_NONE : 0;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t cap = 0;

	*n = 0;
	if (!f)
		die(EXIT_USAGE, "%s:", path);
	for (;;) {
		if (*n + 4096 > cap)
			s = xrealloc(s, cap = cap ? cap * 2 : 8192);
		size_t got = fread(s + *n, 1, cap - *n, f);
		*n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		die(EXIT_USAGE, "%s:", path);
	fclose(f);
	return s;
}

/* The model named by --model, else the built-in one (NULL if there is
 * none).  A file that is not a good model is bad data: EXIT_DATA. */
static struct model *load_model(void)
{
	struct model *m;
	size_t n;
	char *text;

	if (opt.no_model)
		return NULL;
	if (!opt.model)
		return *default_model ? model_load(default_model, strlen(default_model),
		                                   "<built-in model>") : NULL;
	text = slurp(opt.model, &n);
	m = model_load(text, n, opt.model);
	free(text);
	if (!m)
		exit(EXIT_DATA);
	return m;
}

/* --train: counts every labelled line of the files into the model (on
 * top of --model's, if given) and writes it to standard output. */
static int train(struct rules *r)
{
	struct model *m = opt.model ? load_model() : model_new();
	struct classifier c;
	int bad = 0;

	classifier_init(&c, r, NULL, NULL);
	for (int i = 0; i < opt.ntrain && !bad; i++) {
		const char *path = opt.train[i];
		size_t n;
		char *text = slurp(path, &n), *p = text, *e = text + n;
		long ln = 0;

		while (p < e && !bad) {
			char *nl = memchr(p, '\n', (size_t)(e - p));
			size_t len = nl ? (size_t)(nl - p) : (size_t)(e - p);

			ln++;
			if (len && p[len - 1] == '\r')
				len--;
			p[len] = '\0';
			if (memchr(p, '\0', len) || !utf8_valid(p, len)) {
				warn("%s:%ld: not valid UTF-8 text", path, ln);
				bad = 1;
			} else if (model_learn(m, &c, p, path, ln) < 0)
				bad = 1;
			p = nl ? nl + 1 : e;
		}
		free(text);
	}
	classifier_free(&c);
	if (!bad && model_write(m, stdout) < 0)
		die(EXIT_DATA, "write error on <stdout>:");
	model_free(m);
	return bad ? EXIT_USAGE : 0;
}

static struct rules *load_rules(char **files, int nfiles)
{
	struct rules *r = rules_new();

	if (rules_load(r, default_rules, strlen(default_rules), "<built-in rules>") < 0)
		die(EXIT_DATA, "the built-in rules are broken");
	for (int i = 0; i < nfiles; i++) {
		size_t n;
		char *text = slurp(files[i], &n);
		if (rules_load(r, text, n, files[i]) < 0)
			exit(EXIT_USAGE);
		free(text);
	}
	rules_finish(r);
	return r;
}

/* The rules files named by --rules, in order, are left in files[]. */
static int parse_args(int argc, char **argv, char **files)
{
	static const struct option longopts[] = {
		{ "field", required_argument, NULL, 'f' },
		{ "reply", no_argument, NULL, 'r' },
		{ "rules", required_argument, NULL, 'R' },
		{ "bot-username", required_argument, NULL, 'b' },
		{ "pass-invalid", no_argument, NULL, 'p' },
		{ "strict", no_argument, NULL, 's' },
		{ "max-line", required_argument, NULL, 'm' },
		{ "print-rules", no_argument, NULL, 'P' },
		{ "print-model", no_argument, NULL, 'D' },
		{ "model", required_argument, NULL, 'M' },
		{ "no-model", no_argument, NULL, 'N' },
		{ "explain", no_argument, NULL, 'x' },
		{ "train", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int nfiles = 0, ch;

	opterr = 0;     /* one line of our own, then the usage */
	while ((ch = getopt_long(argc, argv, "f:rR:b:psm:hM:T:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': opt.field = optarg; break;
		case 'r': opt.reply = 1; break;
		case 'R': files[nfiles++] = optarg; break;
		case 'b': opt.bot = optarg + (*optarg == '@'); break;
		case 'p': opt.pass_invalid = 1; break;
		case 's': opt.strict = 1; break;
		case 'm':
			if (parse_size(optarg, &opt.max_line) < 0 || opt.max_line < 2 ||
			    opt.max_line > (1 << 30))
				usage_error(usage, "bad --max-line: %s", optarg);
			break;
		case 'P':
			fputs(default_rules, stdout);
			exit(0);
		case 'D':
			if (!*default_model)
				die(EXIT_NONE, "built without a model");
			fputs(default_model, stdout);
			exit(0);
		case 'M': opt.model = optarg; break;
		case 'N': opt.no_model = 1; break;
		case 'x': opt.explain = 1; break;
		case 'T': opt.train[opt.ntrain++] = optarg; break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		case 'V':
			puts("classify " VERSION);
			exit(0);
		default:
			usage_error(usage, "unknown option: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error(usage, "unexpected argument: %s", argv[optind]);
	if (opt.pass_invalid && opt.strict)
		usage_error(usage, "--pass-invalid and --strict exclude each other");
	if (!*opt.field)
		usage_error(usage, "--field needs a name");
	if (opt.model && opt.no_model)
		usage_error(usage, "--model and --no-model exclude each other");
	return nfiles;
}

int main(int argc, char **argv)
{
	char **files = xmalloc((size_t)argc * sizeof *files);
	struct classifier c;
	struct rules *r;
	struct model *m;
	int nfiles, status;

	tgp_init(argv[0]);
	opt.train = xmalloc((size_t)argc * sizeof *opt.train);
	nfiles = parse_args(argc, argv, files);
	r = load_rules(files, nfiles);
	if (opt.ntrain) {
		status = train(r);
	} else {
		m = load_model();
		classifier_init(&c, r, m, opt.bot);
		status = run(&c);
		classifier_free(&c);
		model_free(m);
	}
	rules_free(r);
	free(opt.train);
	free(files);
	return status;
}
