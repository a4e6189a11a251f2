/*
 * leaseproc.c - the lease's own promise process (leaseproc.h).
 *
 * One socket pair carries both ways: a send with MSG_NOSIGNAL to a
 * process that died is an error to report, not a SIGPIPE to die of.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tgp.h"
#include "job.h"
#include "leaseproc.h"

/* In the child: the socket as stdin and stdout, then promise. */
static _Noreturn void exec_promise(int fd, const char *db)
{
	const char *argv[6];
	int n = 0;
	sigset_t none;

	/* runjob's mask (signals go to its signalfd) is not promise's.
	 * A stop request to runjob's process group is runjob's to act
	 * on: the lease must live until runjob has said its last word,
	 * and the end of its input ends it. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		_exit(125);
	argv[n++] = "promise";
	if (db) {
		argv[n++] = "--db";
		argv[n++] = db;
	}
	argv[n++] = "heartbeat";
	argv[n++] = "--jsonl";
	argv[n] = NULL;
	execvp(argv[0], (char *const *)argv);
	warn("cannot run promise for the lease:");
	_exit(errno == ENOENT ? 127 : 126);
}

int lease_proc_start(struct lease_proc *lp, const char *db)
{
	int sv[2];
	pid_t pid;

	lp->pid = 0;
	lp->len = 0;
	lp->fd = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		warn("socketpair:");
		return -1;
	}
	if ((pid = fork()) < 0) {
		warn("fork:");
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		exec_promise(sv[1], db);
	}
	close(sv[1]);
	lp->pid = pid;
	lp->fd = sv[0];
	job_spare(pid);     /* not the task's: the task's sweep spares it */
	return 0;
}

void lease_proc_stop(struct lease_proc *lp)
{
	int st;

	if (!lp->pid)
		return;
	close(lp->fd);
	lp->fd = -1;
	/* It ends at the end of its input; the task's sweep may have
	 * reaped it already (ECHILD). */
	while (waitpid(lp->pid, &st, 0) < 0 && errno == EINTR)
		;
	job_unspare(lp->pid);
	lp->pid = 0;
}

/* A process that failed us is stopped for good (killed if need be:
 * it may be stuck, and its answers are out of step). */
static int gone(struct lease_proc *lp, const char *why)
{
	warn("the lease's promise process %s", why);
	if (lp->pid)
		kill(lp->pid, SIGKILL);
	lease_proc_stop(lp);
	return -1;
}

static int send_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The next answer line, NUL-terminated in lp->buf; its length or -1. */
static ssize_t read_answer(struct lease_proc *lp)
{
	char *nl;

	lp->len = 0;
	while (!(nl = memchr(lp->buf, '\n', lp->len))) {
		ssize_t n;

		if (lp->len >= sizeof lp->buf - 1)
			return -1;
		n = read(lp->fd, lp->buf + lp->len, sizeof lp->buf - 1 - lp->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		lp->len += (size_t)n;
	}
	/* One request, one answer: nothing can follow it yet. */
	*nl = '\0';
	return nl - lp->buf;
}

int lease_proc_ask(struct lease_proc *lp, const char *line)
{
	cJSON *answer;
	int64_t status;

	if (!lp->pid)
		return -1;
	if (send_all(lp->fd, line, strlen(line)) < 0 || send_all(lp->fd, "\n", 1) < 0)
		return gone(lp, "is gone");
	if (read_answer(lp) < 0)
		return gone(lp, "ended without an answer");
	answer = cJSON_Parse(lp->buf);
	if (json_int64(answer, "exit", &status) != 0 || status < 0 || status > 255) {
		cJSON_Delete(answer);
		return gone(lp, "answered something else than a heartbeat's status");
	}
	cJSON_Delete(answer);
	return (int)status;
}
