/*
 * runjob - run one task: a timeout, a whole-tree kill, captured output,
 * a kept lease, cancellation, and a loop until the work says it is done.
 *
 *   runjob [-t DUR] [-k DUR] [--json] [options] -- CMD [ARG...]
 *   promise claim --json | runjob --handlers DIR | promise settle
 *
 * Invariants:
 * - No process of the task outlives runjob: the keeper (job.c) owns the
 *   tree, is a subreaper, and kills it when runjob ends however it ends;
 *   runjob is a subreaper too, for when the keeper is killed itself.
 * - Nothing from the promise line reaches a shell: the handler is exec'd
 *   with an argv of its own path, and gets the promise in its environment
 *   and on stdin.
 * - Output costs bounded memory (capture.c), and the pipes are drained
 *   while runjob waits, so no amount of output can block the task.
 * - Every run that started prints its result line in --json mode, also
 *   when runjob is asked to stop by SIGTERM, SIGINT or SIGHUP.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tgp.h"
#include "capture.h"
#include "env.h"
#include "job.h"
#include "lease.h"
#include "supervise.h"

extern char **environ;

static const char usage[] =
	"usage: runjob [-t DUR] [-k DUR] [--json] [--max-output SIZE] [--cwd DIR]\n"
	"              [--memory SIZE] [--cpu DUR] [--env-clear] [--env NAME=VALUE]...\n"
	"              [--until TEXT [--max-iterations N] [--max-time DUR]]\n"
	"              -- CMD [ARG...]\n"
	"       runjob (--handlers DIR | --handler CMD) [--db PATH] [--heartbeat DUR]\n"
	"              [--lease DUR] [options] < promise-line\n"
	"       runjob --supervise [-k DUR] [--backoff-max DUR] [--name NAME]\n"
	"              NAME=COMMAND...\n";

enum { PREV_OUTPUT_MAX = 4096, ENV_TEXT_MAX = 65536 };
enum { OPT_MAX_OUTPUT = 256, OPT_CWD, OPT_MEMORY, OPT_CPU, OPT_ENV_CLEAR,
       OPT_ENV, OPT_HANDLERS, OPT_HANDLER, OPT_DB, OPT_HEARTBEAT, OPT_LEASE,
       OPT_UNTIL, OPT_MAX_ITER, OPT_MAX_TIME, OPT_VERSION };

static struct {
	int64_t timeout_ms;       /* 0: none */
	int timeout_set;
	int64_t grace_ms;
	int json;
	int64_t max_output;
	const char *cwd;
	int64_t memory, cpu_ms;
	int env_clear;
	const char **envs;
	int nenvs;
	const char *handlers, *handler, *db;
	int64_t heartbeat_ms, lease_ms;
	const char *until;
	int64_t max_iterations, max_time_ms;
	char **cmd;
} o = {
	.grace_ms = 5000,
	.max_output = 64 << 10,
	.heartbeat_ms = 10000,
	.max_iterations = 10,
};

/* What happened, over all iterations; the last one's ending. */
static struct {
	int have_status, wstatus;
	int fail_stage, fail_errno;
	int timed_out, cancelled, lease_lost, interrupted, max_time_hit;
	int released;             /* promise mode: stopped because runjob was */
	int stop_signal;          /* the signal that stopped runjob */
	int iterations;
	const char *loop_reason;
	char *error;
	struct capture cap;
	int captured;
	int64_t started_ms, finished_ms, start_mono, end_mono;
} r;

static int sigfd = -1;
static int signals_seen;
static struct lease lease;
static int leased;

static void parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "kill-after", required_argument, NULL, 'k' },
		{ "json", no_argument, NULL, 'j' },
		{ "max-output", required_argument, NULL, OPT_MAX_OUTPUT },
		{ "cwd", required_argument, NULL, OPT_CWD },
		{ "memory", required_argument, NULL, OPT_MEMORY },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "env-clear", no_argument, NULL, OPT_ENV_CLEAR },
		{ "env", required_argument, NULL, OPT_ENV },
		{ "handlers", required_argument, NULL, OPT_HANDLERS },
		{ "handler", required_argument, NULL, OPT_HANDLER },
		{ "db", required_argument, NULL, OPT_DB },
		{ "heartbeat", required_argument, NULL, OPT_HEARTBEAT },
		{ "lease", required_argument, NULL, OPT_LEASE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "max-iterations", required_argument, NULL, OPT_MAX_ITER },
		{ "max-time", required_argument, NULL, OPT_MAX_TIME },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o.envs = xmalloc(sizeof *o.envs * (size_t)argc);
	/* '+': the command's own options are not ours. */
	while ((c = getopt_long(argc, argv, "+t:k:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_duration(optarg, &o.timeout_ms))
				usage_error(usage, "bad duration for -t: '%s'", optarg);
			o.timeout_set = 1;
			break;
		case 'k':
			if (parse_duration(optarg, &o.grace_ms))
				usage_error(usage, "bad duration for -k: '%s'", optarg);
			break;
		case 'j':
			o.json = 1;
			break;
		case OPT_MAX_OUTPUT:
			if (parse_size(optarg, &o.max_output) || o.max_output > (int64_t)1 << 30)
				usage_error(usage, "bad size for --max-output: '%s'", optarg);
			break;
		case OPT_CWD:
			o.cwd = optarg;
			break;
		case OPT_MEMORY:
			if (parse_size(optarg, &o.memory) || o.memory == 0)
				usage_error(usage, "bad size for --memory: '%s'", optarg);
			break;
		case OPT_CPU:
			if (parse_duration(optarg, &o.cpu_ms) || o.cpu_ms == 0)
				usage_error(usage, "bad duration for --cpu: '%s'", optarg);
			break;
		case OPT_ENV_CLEAR:
			o.env_clear = 1;
			break;
		case OPT_ENV:
			if (!strchr(optarg, '=') || *optarg == '=')
				usage_error(usage, "--env wants NAME=VALUE, not '%s'", optarg);
			o.envs[o.nenvs++] = optarg;
			break;
		case OPT_HANDLERS:
			o.handlers = optarg;
			break;
		case OPT_HANDLER:
			o.handler = optarg;
			break;
		case OPT_DB:
			o.db = optarg;
			break;
		case OPT_HEARTBEAT:
			if (parse_duration(optarg, &o.heartbeat_ms) || o.heartbeat_ms == 0)
				usage_error(usage, "bad duration for --heartbeat: '%s'", optarg);
			break;
		case OPT_LEASE:
			if (parse_duration(optarg, &o.lease_ms) || o.lease_ms == 0)
				usage_error(usage, "bad duration for --lease: '%s'", optarg);
			break;
		case OPT_UNTIL:
			if (!*optarg)
				usage_error(usage, "--until wants some text");
			o.until = optarg;
			break;
		case OPT_MAX_ITER:
			if (parse_int64(optarg, &o.max_iterations) || o.max_iterations < 1)
				usage_error(usage, "bad number for --max-iterations: '%s'", optarg);
			break;
		case OPT_MAX_TIME:
			if (parse_duration(optarg, &o.max_time_ms) || o.max_time_ms == 0)
				usage_error(usage, "bad duration for --max-time: '%s'", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		case OPT_VERSION:
			puts("runjob " VERSION);
			exit(0);
		default:
			fputs(usage, stderr);
			exit(EXIT_USAGE);
		}
	}
	o.cmd = argv + optind;
	if (o.handlers && o.handler)
		usage_error(usage, "--handlers and --handler exclude each other");
	if ((o.handlers || o.handler) && *o.cmd)
		usage_error(usage, "a promise's handler takes no command line");
	if (!o.handlers && !o.handler && !*o.cmd)
		usage_error(usage, "no command given");
	if (!o.until && (o.max_time_ms || o.max_iterations != 10))
		usage_error(usage, "--max-iterations and --max-time belong to --until");
	if (o.handlers || o.handler || o.until)
		o.json = 1;
	if (!o.lease_ms)
		o.lease_ms = 3 * o.heartbeat_ms;
}

/* A closed 0, 1 or 2 would be taken by the first pipe and then mixed up
 * with the task's standard streams. */
static void open_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			die(125, "cannot open /dev/null:");
}

/* SIGTERM, SIGINT and SIGHUP come through a descriptor, so that the loop
 * sees them between two polls; SIGPIPE is held so a closed stdout is a
 * write error.  The task gets an empty mask (job.c). */
static void take_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigdelset(&set, SIGPIPE);
	if ((sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		die(125, "signalfd:");
	/* Should the keeper die, the task's tree comes to runjob. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die(125, "prctl:");
}

/* Reads the one promise line; exits 1 when there is none (nothing was
 * claimed), 125 when it is not a promise line. */
static cJSON *read_promise(char **raw)
{
	struct jsonl in;
	cJSON *p = NULL;
	int got;

	jsonl_open(&in, 0, "<stdin>");
	got = jsonl_getline(&in);
	if (got == 0)
		exit(EXIT_NONE);
	if (got < 0 || !(p = jsonl_parse(&in)))
		exit(125);
	*raw = xstrdup(in.buf);
	jsonl_close(&in);
	return p;
}

/* A task type names a file in DIR: no '/', no leading '.'. */
static char *find_handler(const char *type, char **why)
{
	struct stat sb;
	char *path;

	if (type && (!*type || strchr(type, '/') || *type == '.')) {
		*why = xstrdup("refusing a task type that is not a plain file name");
		return NULL;
	}
	if (type) {
		path = xmalloc(strlen(o.handlers) + strlen(type) + 2);
		sprintf(path, "%s/%s", o.handlers, type);
		if (stat(path, &sb) == 0 || errno != ENOENT)
			return path;
		free(path);
	}
	path = xmalloc(strlen(o.handlers) + sizeof "/default");
	sprintf(path, "%s/default", o.handlers);
	if (stat(path, &sb) == 0 || errno != ENOENT)
		return path;
	free(path);
	*why = xmalloc(strlen(o.handlers) + 64 + (type ? strlen(type) : 0));
	sprintf(*why, "no handler for '%s' and no default in %s",
	        type ? type : "", o.handlers);
	return NULL;
}

/* A memfd holding the promise line: the handler may read it or not, and
 * runjob never blocks on a pipe it does not drain. */
static int promise_stdin(const char *raw)
{
	int fd = memfd_create("promise", MFD_CLOEXEC);
	size_t n = strlen(raw);

	if (fd < 0)
		die(125, "memfd_create:");
	if (write(fd, raw, n) != (ssize_t)n || write(fd, "\n", 1) != 1)
		die(125, "writing the promise line:");
	return fd;
}

static void build_env(struct envv *e, const cJSON *promise)
{
	env_init(e, o.env_clear ? NULL : environ);
	/* The bot's token is the bot: a handler has no use for it. */
	env_unset(e, "TELEGRAM_BOT_TOKEN");
	if (promise)
		promise_env(e, promise, ENV_TEXT_MAX);
	for (int i = 0; i < o.nenvs; i++)
		env_put(e, o.envs[i]);
}

static void beat(struct job *j, int running)
{
	int rc = lease_beat(&lease);

	if (rc == EXIT_CANCEL && !r.cancelled) {
		r.cancelled = 1;
		if (running)
			job_stop(j);
	} else if (rc == EXIT_CONFLICT && !r.lease_lost) {
		r.lease_lost = 1;
		if (running)
			job_stop(j);
	}
}

static void on_signal(struct job *j)
{
	struct signalfd_siginfo si;

	while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
		/* The first asks the task to stop; a second insists. */
		if (signals_seen++ == 0) {
			/* The worker is stopping, not the task failing: the
			 * attempt goes back to the store unspent, unless the
			 * task was already ending for a reason of its own. */
			r.released = leased && !r.timed_out && !r.cancelled &&
			             !r.lease_lost;
			r.interrupted = 1;
			r.stop_signal = (int)si.ssi_signo;
			if (j)
				job_stop(j);
		} else if (j) {
			job_kill(j);
		}
	}
}

static int drain(int fd, struct capture *cap, int progress)
{
	static char buf[1 << 16];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n > 0) {
			if (progress)
				lease_progress(&lease, buf, (size_t)n);
			else
				capture_add(cap, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		return -1;       /* EOF, or an error that will not go away */
	}
}

static int make_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) < 0)
		return warn("pipe:"), -1;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	return 0;
}

/* One run of the task, start to finish.  deadline: monotonic ms, or 0. */
static void run_once(char **argv, struct envv *env, int stdin_fd,
                     int64_t deadline, int64_t loop_deadline)
{
	struct spec s = {
		.argv = argv, .envp = env->v, .cwd = o.cwd, .stdin_fd = stdin_fd,
		.out_fd = -1, .progress_fd = -1, .grace_ms = o.grace_ms,
		.memory = o.memory, .cpu_ms = o.cpu_ms,
	};
	int out[2] = { -1, -1 }, prog[2] = { -1, -1 };
	struct job j;
	int stop_sent = 0;

	r.have_status = r.fail_stage = r.fail_errno = 0;
	r.timed_out = 0;
	if (o.json) {
		if (make_pipe(out) < 0)
			goto fail;
		/* Fewer wake-ups under heavy output; the default also works. */
		fcntl(out[1], F_SETPIPE_SZ, 1 << 20);
		s.out_fd = out[1];
		capture_free(&r.cap);
		capture_init(&r.cap, (size_t)o.max_output, o.until);
		r.captured = 1;
	}
	if (leased) {
		if (make_pipe(prog) < 0)
			goto fail;
		s.progress_fd = prog[1];
	}
	if (stdin_fd >= 0)
		lseek(stdin_fd, 0, SEEK_SET);
	if (job_start(&j, &s) < 0)
		goto fail;
	if (out[1] >= 0)
		close(out[1]);
	if (prog[1] >= 0)
		close(prog[1]);
	out[1] = prog[1] = -1;

	for (int done = 0; !done;) {
		struct pollfd p[5];
		int n = 0, timeout = -1;
		int64_t now = mono_ms(), next = INT64_MAX;

		if (!stop_sent && deadline && now >= deadline) {
			r.timed_out = 1;
			r.max_time_hit = deadline == loop_deadline;
			job_stop(&j);
			stop_sent = 1;
		}
		if (leased && now >= lease.next)
			beat(&j, 1);
		if (!stop_sent && deadline)
			next = deadline;
		if (leased && lease.next < next)
			next = lease.next;
		if (next != INT64_MAX)
			timeout = next - now > INT_MAX ? INT_MAX : (int)(next - now);

		p[n++] = (struct pollfd){ sigfd, POLLIN, 0 };
		if (j.status_fd >= 0)
			p[n++] = (struct pollfd){ j.status_fd, POLLIN, 0 };
		if (out[0] >= 0)
			p[n++] = (struct pollfd){ out[0], POLLIN, 0 };
		if (prog[0] >= 0)
			p[n++] = (struct pollfd){ prog[0], POLLIN, 0 };
		if (poll(p, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			die(125, "poll:");
		}
		for (int i = 0; i < n; i++) {
			if (!p[i].revents)
				continue;
			int fd = p[i].fd;
			if (fd == sigfd) {
				on_signal(&j);
				stop_sent = 1;
			} else if (fd == out[0]) {
				if (drain(fd, &r.cap, 0) < 0)
					close(out[0]), out[0] = -1;
			} else if (fd == prog[0]) {
				if (drain(fd, NULL, 1) < 0)
					close(prog[0]), prog[0] = -1;
			} else if (fd == j.status_fd && job_input(&j)) {
				done = 1;
			}
		}
		if (r.cancelled || r.lease_lost)
			stop_sent = 1;
	}
	/* The keeper is gone, and with it every writer we know of; what
	 * is in the pipes now is the last of it. */
	if (out[0] >= 0)
		drain(out[0], &r.cap, 0);
	if (prog[0] >= 0)
		drain(prog[0], NULL, 1);
	job_finish(&j);
	r.have_status = j.have_status;
	r.wstatus = j.wstatus;
	r.fail_stage = j.fail_stage;
	r.fail_errno = j.fail_errno;
	if (j.fail_stage)
		r.have_status = 0;
	else if (!j.have_status)
		r.fail_stage = FAIL_FORK, r.fail_errno = 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (prog[i] >= 0)
			close(prog[i]);
	}
	if (!r.have_status && !r.fail_stage)
		r.fail_stage = FAIL_SETUP, r.fail_errno = errno;
}

static void describe_failure(const char *cmd)
{
	char buf[512];

	switch (r.fail_stage) {
	case FAIL_EXEC:
		snprintf(buf, sizeof buf, "cannot run '%s': %s", cmd, strerror(r.fail_errno));
		break;
	case FAIL_CHDIR:
		snprintf(buf, sizeof buf, "cannot change directory to '%s': %s",
		         o.cwd, strerror(r.fail_errno));
		break;
	case FAIL_FORK:
		snprintf(buf, sizeof buf, "cannot start the task: %s",
		         r.fail_errno ? strerror(r.fail_errno) : "its keeper died");
		break;
	default:
		snprintf(buf, sizeof buf, "cannot set the task up: %s", strerror(r.fail_errno));
		break;
	}
	warn("%s", buf);
	free(r.error);
	r.error = xstrdup(buf);
}

/* The loop mode's iterations, or the one run of the other modes. */
static void run(char **argv, struct envv *env, int stdin_fd)
{
	int64_t loop_deadline = o.max_time_ms ? r.start_mono + o.max_time_ms : 0;

	if (leased) {
		beat(NULL, 0);
		if (r.cancelled || r.lease_lost) {
			r.loop_reason = r.cancelled ? "cancelled" : "lease_lost";
			return;
		}
	}
	/* A stop that came while the lease was being opened: no task. */
	on_signal(NULL);
	if (r.interrupted) {
		r.loop_reason = "interrupted";
		return;
	}
	for (int64_t it = 1;; it++) {
		int64_t start = mono_ms();
		int64_t deadline = o.timeout_ms ? start + o.timeout_ms : 0;
		char num[24];

		if (loop_deadline && (!deadline || loop_deadline < deadline))
			deadline = loop_deadline;
		if (o.until) {
			snprintf(num, sizeof num, "%lld", (long long)it);
			env_set(env, "RUNJOB_ITERATION", num);
			if (it > 1) {
				char *tail = capture_tail(&r.cap, PREV_OUTPUT_MAX);
				env_set(env, "RUNJOB_PREVIOUS_OUTPUT", tail);
				free(tail);
			}
		}
		run_once(argv, env, stdin_fd, deadline, loop_deadline);
		r.iterations = (int)it;
		if (r.fail_stage) {
			describe_failure(argv[0]);
			r.loop_reason = "failed";
			return;
		}
		if (r.interrupted)
			r.loop_reason = "interrupted";
		else if (r.cancelled)
			r.loop_reason = "cancelled";
		else if (r.lease_lost)
			r.loop_reason = "lease_lost";
		else if (!o.until)
			return;
		else if (r.cap.found)
			r.loop_reason = "fulfilled";
		else if (r.max_time_hit || (loop_deadline && mono_ms() >= loop_deadline))
			r.loop_reason = "max_time";
		else if (it >= o.max_iterations)
			r.loop_reason = "max_iterations";
		if (r.loop_reason)
			return;
		if (leased && mono_ms() >= lease.next)
			beat(NULL, 0);
	}
}

/* Progress reported since the last beat is not lost with the handler. */
static void last_beat(void)
{
	if (leased && !lease.lost && (lease.pct >= 0 || lease.note))
		lease_beat(&lease);
}

static void set_null(cJSON *obj, const char *key)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, cJSON_CreateNull());
	else
		cJSON_AddNullToObject(obj, key);
}

static int print_result(cJSON *obj)
{
	char when[32];
	int truncated = 0;
	char *text = r.captured ? capture_text(&r.cap, &truncated) : xstrdup("");

	if (!obj)
		obj = cJSON_CreateObject();
	if (r.have_status && WIFEXITED(r.wstatus))
		json_set_int64(obj, "exit", WEXITSTATUS(r.wstatus));
	else
		set_null(obj, "exit");
	if (r.have_status && WIFSIGNALED(r.wstatus))
		json_set_int64(obj, "signal", WTERMSIG(r.wstatus));
	else
		set_null(obj, "signal");
	json_set_bool(obj, "timed_out", r.timed_out);
	json_set_bool(obj, "cancelled", r.cancelled);
	json_set_bool(obj, "lease_lost", r.lease_lost);
	json_set_bool(obj, "interrupted", r.interrupted);
	if (leased) {
		json_set_bool(obj, "released", r.released);
		lease_said(&lease, obj);
	}
	json_set_int64(obj, "duration_ms", r.end_mono - r.start_mono);
	tgp_redact(text);
	json_set_str(obj, "output", text);
	json_set_bool(obj, "output_truncated", truncated);
	json_set_int64(obj, "output_bytes", (int64_t)r.cap.total);
	json_set_str(obj, "started_at", fmt_time(r.started_ms, when));
	json_set_str(obj, "finished_at", fmt_time(r.finished_ms, when));
	if (o.until) {
		json_set_int64(obj, "iterations", r.iterations);
		json_set_str(obj, "loop_reason", r.loop_reason);
	}
	if (r.error)
		json_set_str(obj, "error", r.error);
	free(text);
	int rc = jsonl_put(stdout, obj);
	cJSON_Delete(obj);
	return rc;
}

/* timeout(1)'s statuses first, then the store's, then the task's own. */
static int exit_status(void)
{
	if (r.fail_stage == FAIL_EXEC)
		return r.fail_errno == ENOENT ? 127 : 126;
	if (r.fail_stage || r.error)
		return r.error && strncmp(r.error, "no handler", 10) == 0 ? 127 :
		       r.error && strncmp(r.error, "refusing", 8) == 0 ? 126 : 125;
	if (r.timed_out)
		return 124;
	if (r.cancelled)
		return EXIT_CANCEL;
	if (r.lease_lost)
		return EXIT_CONFLICT;
	if (r.interrupted && !r.have_status)
		return 128 + r.stop_signal;
	if (!r.have_status)
		return 125;
	if (WIFSIGNALED(r.wstatus))
		return 128 + WTERMSIG(r.wstatus);
	if (o.until && strcmp(r.loop_reason, "fulfilled") != 0 &&
	    WEXITSTATUS(r.wstatus) == 0)
		return EXIT_NONE;
	return WEXITSTATUS(r.wstatus);
}

/* A promise may ask for loop mode itself, as /long-task does: meta
 * "until", "max_iterations" and "max_time" (a duration).  The flags given
 * to runjob win over what the promise asks. */
static void loop_from_meta(const cJSON *promise)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(promise, "meta");
	const char *until = json_str(meta, "until");
	const char *max_time = json_str(meta, "max_time");
	int64_t v;

	if (o.until || !until || !*until)
		return;
	o.until = until;
	if (json_int64(meta, "max_iterations", &v) == 0 && v >= 1)
		o.max_iterations = v;
	if (max_time && parse_duration(max_time, &v) == 0 && v > 0)
		o.max_time_ms = v;
}

int main(int argc, char **argv)
{
	cJSON *promise = NULL;
	char *raw = NULL, *handler = NULL, *one[2] = { NULL, NULL };
	char **cmd;
	struct envv env;
	int stdin_fd = -1;

	tgp_init(argv[0]);
	if (argc > 1 && strcmp(argv[1], "--supervise") == 0)
		return supervise_main(argc, argv);
	parse_options(argc, argv);
	open_std_fds();
	/* Before the store is opened: a worker stopped at any moment after
	 * its claim still gets a result line that releases the attempt. */
	take_signals();
	tgp_secret(getenv("TELEGRAM_BOT_TOKEN"));
	cmd = o.cmd;
	if (o.handlers || o.handler) {
		promise = read_promise(&raw);
		loop_from_meta(promise);
		int64_t t;
		if (!o.timeout_set && json_int64(promise, "timeout_ms", &t) == 0 && t > 0)
			o.timeout_ms = t;
		int rc = lease_open(&lease, o.db, promise, o.heartbeat_ms, o.lease_ms);
		if (rc)
			exit(125);
		leased = 1;
		stdin_fd = promise_stdin(raw);
		one[0] = o.handler ? (char *)o.handler
		                   : (handler = find_handler(json_str(promise, "task_type"), &r.error));
		cmd = one;
	}
	build_env(&env, promise);
	r.started_ms = now_ms();
	r.start_mono = mono_ms();
	if (cmd[0]) {
		run(cmd, &env, stdin_fd);
		last_beat();
	} else
		warn("%s", r.error);
	r.finished_ms = now_ms();
	r.end_mono = mono_ms();

	int status = exit_status();
	if (o.json && print_result(promise) < 0)
		status = EXIT_DATA;
	if (leased)
		lease_close(&lease);
	if (r.captured)
		capture_free(&r.cap);
	env_free(&env);
	free(handler);
	free(raw);
	free(r.error);
	free(o.envs);
	if (stdin_fd >= 0)
		close(stdin_fd);
	return status;
}
