/*
 * supervise.c - runjob --supervise: keep a few long-running components
 * up, each under a keeper of its own (job.c), and stop them together.
 *
 *   runjob --supervise [-k DUR] [--backoff-max DUR] [--name NAME] NAME=CMD...
 *
 * Invariants:
 * - Each component is "sh -c CMD NAME" in a session of its own under a
 *   keeper: a component ends only when its whole tree is gone, and the
 *   keeper kills that tree when the supervisor dies, however it dies.
 * - The supervisor is a child subreaper.  A keeper killed from outside
 *   leaves its component's processes to it: every child that is not a
 *   keeper is such a leftover and is killed.  Nothing is restarted while
 *   any leftover lives, so no component ever runs beside its old copy.
 * - A component that ends is restarted after a backoff that doubles while
 *   it keeps failing (up to --backoff-max) and starts afresh after a run
 *   of 30 s or a SIGKILL.
 * - SIGTERM, SIGINT or SIGHUP stop every component (SIGTERM to its
 *   leader alone, which drains; SIGKILL to its tree after the grace); a
 *   second one kills them at once.  Exit 0 when all are gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tgp.h"
#include "job.h"
#include "supervise.h"

extern char **environ;

static const char usage[] =
	"usage: runjob --supervise [-k DUR] [--backoff-max DUR] [--name NAME]\n"
	"              NAME=COMMAND...\n";

enum { FRESH_AFTER_MS = 30000, SWEEP_MS = 20 };

struct comp {
	char *name, *cmd;
	struct job j;
	int up;                 /* its keeper runs */
	int64_t started, restart_at, delay;
	int status;             /* the last run's wait status; -1: unknown */
};

static struct comp *comps;
static int ncomps, stopping, devnull = -1;
static int64_t grace_ms = 15000, backoff_max_ms = 60000;
static const char *label = "runjob";

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	/* The components write to the same stderr: one line, one write. */
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s: ", label);
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof buf - (size_t)n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof buf - 1)
		n = (int)sizeof buf - 2;
	buf[n++] = '\n';
	if (write(2, buf, (size_t)n) < 0)
		return;
}

/* What an exit status of the tools says (HACKING.md's table). */
static const char *meaning(int code, char *buf, size_t len)
{
	switch (code) {
	case 0: return "";
	case 4: return " (refused: the state is not what it expected, e.g. a "
	               "webhook is set; see the line above)";
	case 7: return " (failed for now: Telegram or the network)";
	case 8: return " (failed for good: the token was refused or the bot "
	               "is blocked; see the line above)";
	case 9: return " (storage or I/O error: a corrupt database or a full disk?)";
	}
	if (code > 128) {
		snprintf(buf, len, " (killed by signal %d)", code - 128);
		return buf;
	}
	return "";
}

static void parse(int argc, char **argv)
{
	enum { OPT_BACKOFF_MAX = 256, OPT_NAME };
	static const struct option longopts[] = {
		{ "supervise", no_argument, NULL, 'S' },
		{ "kill-after", required_argument, NULL, 'k' },
		{ "backoff-max", required_argument, NULL, OPT_BACKOFF_MAX },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+k:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'S':
			break;
		case 'k':
			if (parse_duration(optarg, &grace_ms))
				usage_error(usage, "bad duration for -k: '%s'", optarg);
			break;
		case OPT_BACKOFF_MAX:
			if (parse_duration(optarg, &backoff_max_ms) || backoff_max_ms < 1000)
				usage_error(usage, "bad duration for --backoff-max: '%s'", optarg);
			break;
		case OPT_NAME:
			label = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			fputs(usage, stderr);
			exit(EXIT_USAGE);
		}
	}
	if (optind >= argc)
		usage_error(usage, "no component given");
	ncomps = argc - optind;
	comps = xmalloc(sizeof *comps * (size_t)ncomps);
	for (int i = 0; i < ncomps; i++) {
		char *arg = argv[optind + i], *eq = strchr(arg, '=');
		if (!eq || eq == arg || !eq[1])
			usage_error(usage, "a component is NAME=COMMAND, not '%s'", arg);
		memset(&comps[i], 0, sizeof comps[i]);
		comps[i].name = xstrdup(arg);
		comps[i].name[eq - arg] = '\0';
		comps[i].cmd = eq + 1;
		comps[i].delay = 1000;
		for (int k = 0; k < i; k++)
			if (strcmp(comps[k].name, comps[i].name) == 0)
				usage_error(usage, "two components named '%s'", comps[i].name);
	}
}

static void start(struct comp *c)
{
	char *argv[] = { "/bin/sh", "-c", c->cmd, c->name, NULL };
	char keeper[16];
	struct spec s = {
		.argv = argv, .envp = environ, .stdin_fd = devnull, .out_fd = -1,
		.progress_fd = -1, .grace_ms = grace_ms, .stop_leader_only = 1,
		.keeper_name = keeper,
	};

	/* ps shows which keeper keeps what (the name is cut at 15 bytes). */
	snprintf(keeper, sizeof keeper, "keep:%s", c->name);
	c->status = -1;
	c->started = mono_ms();
	if (job_start(&c->j, &s) < 0) {
		c->restart_at = mono_ms() + c->delay;
		return;
	}
	c->up = 1;
}

/* Children that are not keepers: what a killed keeper left behind. */
static int leftovers(int sig)
{
	pid_t keep[ncomps > 0 ? ncomps : 1];
	int n = 0;

	for (int i = 0; i < ncomps; i++)
		if (comps[i].up)
			keep[n++] = comps[i].j.keeper;
	return signal_children_but(sig, keep, n);
}

/* Reaps whatever has died; a keeper's status is kept for its component. */
static void reap(void)
{
	pid_t p;
	int st;

	while ((p = waitpid(-1, &st, WNOHANG)) > 0)
		for (int i = 0; i < ncomps; i++)
			if (comps[i].j.keeper == p)
				comps[i].j.keeper = -1;   /* reaped */
}

/* The keeper has closed its report pipe: it is gone, and so is the
 * component's tree, unless the keeper was killed (then leftovers). */
static void ended(struct comp *c)
{
	char num[40];
	int code = -1, st;

	if (c->j.ctl >= 0)
		close(c->j.ctl);
	if (c->j.status_fd >= 0)
		close(c->j.status_fd);
	c->j.ctl = c->j.status_fd = -1;
	if (c->j.keeper > 0)
		while (waitpid(c->j.keeper, &st, 0) < 0 && errno == EINTR)
			;
	c->up = 0;
	if (c->j.have_status)
		code = WIFEXITED(c->j.wstatus) ? WEXITSTATUS(c->j.wstatus)
		                               : 128 + WTERMSIG(c->j.wstatus);
	if (stopping)
		return;
	/* A run that lasted, or a kill from outside, starts the backoff
	 * afresh: only a component that keeps failing waits long. */
	if (code == 128 + SIGKILL || code < 0 || mono_ms() - c->started >= FRESH_AFTER_MS)
		c->delay = 1000;
	if (code < 0)
		say("%s lost its keeper (killed?); restarting in %llds", c->name,
		    (long long)(c->delay / 1000));
	else
		say("%s exited with status %d%s; restarting in %llds", c->name, code,
		    meaning(code, num, sizeof num), (long long)(c->delay / 1000));
	c->restart_at = mono_ms() + c->delay;
	c->delay *= 2;
	if (c->delay > backoff_max_ms)
		c->delay = backoff_max_ms;
}

static void stop_all(int hard)
{
	for (int i = 0; i < ncomps; i++)
		if (comps[i].up)
			hard ? job_kill(&comps[i].j) : job_stop(&comps[i].j);
}

static int any_up(void)
{
	for (int i = 0; i < ncomps; i++)
		if (comps[i].up)
			return 1;
	return 0;
}

int supervise_main(int argc, char **argv)
{
	struct pollfd *p;
	sigset_t set;
	int sigfd, signals = 0;

	parse(argc, argv);
	if ((devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		die(125, "/dev/null:");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigdelset(&set, SIGPIPE);
	if ((sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		die(125, "signalfd:");
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die(125, "prctl:");
	p = xmalloc(sizeof *p * (size_t)(ncomps + 1));
	for (int i = 0; i < ncomps; i++)
		start(&comps[i]);

	for (;;) {
		int64_t now = mono_ms(), next = -1;
		int n = 0, left;

		reap();
		left = leftovers(SIGKILL);
		if (stopping && !any_up() && left <= 0)
			break;
		for (int i = 0; i < ncomps && !stopping; i++) {
			struct comp *c = &comps[i];
			if (c->up)
				continue;
			/* Never beside a copy of itself, nor of anything. */
			if (now >= c->restart_at && left <= 0)
				start(c);
			else if (next < 0 || c->restart_at < next)
				next = c->restart_at;
		}
		p[n++] = (struct pollfd){ sigfd, POLLIN, 0 };
		for (int i = 0; i < ncomps; i++)
			if (comps[i].up)
				p[n++] = (struct pollfd){ comps[i].j.status_fd, POLLIN, 0 };
		int timeout = next < 0 ? -1 : (int)(next - now > 0 ? next - now : 0);
		if (left > 0)
			timeout = SWEEP_MS;       /* until the leftovers are gone */
		if (poll(p, (nfds_t)n, timeout) < 0 && errno != EINTR)
			die(125, "poll:");
		if (p[0].revents) {
			struct signalfd_siginfo si;
			while (read(sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
				if (si.ssi_signo == SIGCHLD)
					continue;
				stopping = 1;
				stop_all(signals++ > 0);
			}
		}
		for (int i = 1; i < n; i++) {
			if (!p[i].revents)
				continue;
			for (int k = 0; k < ncomps; k++) {
				struct comp *c = &comps[k];
				if (c->up && c->j.status_fd == p[i].fd && job_input(&c->j))
					ended(c);
			}
		}
	}
	for (int i = 0; i < ncomps; i++)
		free(comps[i].name);
	free(comps);
	free(p);
	return 0;
}
