/*
 * job.c - the keeper: the one process that owns a task's process tree.
 *
 * Invariants:
 * - The task runs in a session of its own (setsid), so its process group
 *   id is its pid.  The keeper never reaps the task before the final
 *   sweep (it peeks at the exit with WNOWAIT), so that pid, and with it
 *   the group id, cannot be reused while the keeper may still signal it.
 * - The keeper is a child subreaper: whatever the task leaves behind is
 *   re-parented to it, and it exits only when it has no child left.
 * - Only runjob holds the write end of the keeper's control pipe: EOF on
 *   it means runjob is gone, and the keeper kills the tree at once.
 * - The keeper writes nothing but fixed-size messages to runjob, and
 *   leaves with _exit: it is a fork of runjob, with runjob's stdio.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tgp.h"
#include "job.h"

extern char **environ;

/* What the task's exit sends the keeper instead of SIGCHLD. */
#define TASK_EXIT_SIGNAL SIGUSR2

/* keeper -> runjob: one report, when the tree is gone, so that runjob
 * wakes once.  kind is how the task ended. */
enum { MSG_EXIT = 1, MSG_SIGNAL, MSG_FAILED };
struct msg { int kind, val, stage, err; };
/* task -> keeper, only when it could not exec */
struct failure { int stage, err; };

static void send_msg(int fd, int kind, int val, int stage, int err)
{
	struct msg m = { kind, val, stage, err };

	/* Sixteen bytes to a pipe are written whole or not at all; if
	 * runjob is gone there is nobody to tell. */
	if (write(fd, &m, sizeof m) < 0)
		return;
}

/* The ppid field of /proc/PID/stat; the command name before it may hold
 * spaces and parentheses, so parse from the last ')'. */
static pid_t parent_of(const char *pid)
{
	char path[64], buf[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	char state;
	int ppid;
	if (!p || sscanf(p + 1, " %c %d", &state, &ppid) != 2)
		return -1;
	return ppid;
}

int signal_children_but(int sig, const pid_t *keep, int nkeep)
{
	pid_t me = getpid();
	struct dirent *d;
	DIR *dir;
	int found = 0;

	if (!(dir = opendir("/proc")))
		return -1;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		if (parent_of(d->d_name) != me)
			continue;
		pid_t pid = (pid_t)atoi(d->d_name);
		int kept = 0;
		for (int i = 0; i < nkeep && !kept; i++)
			kept = pid == keep[i];
		if (kept)
			continue;
		found++;
		if (sig)
			kill(pid, sig);
	}
	closedir(dir);
	return found;
}

static int signal_children(int sig, pid_t except)
{
	return signal_children_but(sig, &except, 1);
}

/* The keeper holds nothing of its parent's but what it needs: a write
 * end of another job's control pipe (the supervisor runs many) would keep
 * that keeper from ever seeing its parent die. */
static void close_others(const int *keep, int nkeep)
{
	struct dirent *d;
	DIR *dir;
	int fds[256], n = 0;

	if (!(dir = opendir("/proc/self/fd")))
		return;
	while ((d = readdir(dir)) && n < (int)(sizeof fds / sizeof fds[0])) {
		int fd = atoi(d->d_name), kept = d->d_name[0] < '0' || fd <= 2 ||
		         fd == dirfd(dir);
		for (int i = 0; i < nkeep && !kept; i++)
			kept = fd == keep[i];
		if (!kept)
			fds[n++] = fd;
	}
	closedir(dir);
	while (n > 0)
		close(fds[--n]);
}

static void nap(int64_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Children that are not the task's: kill_all_children leaves them be. */
static pid_t spared[4];
static int nspared;

void job_spare(pid_t pid)
{
	if (nspared < (int)(sizeof spared / sizeof spared[0]))
		spared[nspared++] = pid;
}

void job_unspare(pid_t pid)
{
	for (int i = 0; i < nspared; i++)
		if (spared[i] == pid)
			spared[i] = spared[--nspared];
}

void kill_all_children(pid_t leader, int *leader_status)
{
	int64_t pause = 1;

	/* One SIGKILL dooms the whole group: its members cannot fork any
	 * more, and a fork in flight is caught by the group signal too. */
	if (leader > 0)
		kill(-leader, SIGKILL);
	for (;;) {
		pid_t p;
		int st;

		while ((p = waitpid(-1, &st, WNOHANG | __WALL)) > 0)
			if (p == leader && leader_status)
				*leader_status = st;
		if (p < 0 && errno == EINTR)
			continue;
		if (p < 0)
			return;          /* ECHILD: nothing of the task is left */
		/* Live children: kill them; theirs come to us next round.
		 * When only spared ones are left, the task is all gone. */
		if (signal_children_but(SIGKILL, spared, nspared) == 0)
			return;
		nap(pause);
		if (pause < 32)
			pause *= 2;
	}
}

/* The task's exit, if it has exited, without reaping it. */
static int task_ended(pid_t t, int *kind, int *val)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)t, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0 ||
	    si.si_pid != t)
		return 0;
	if (si.si_code == CLD_EXITED)
		*kind = MSG_EXIT;
	else
		*kind = MSG_SIGNAL;
	*val = si.si_status;
	return 1;
}

/* Reaps the orphans that have died; says whether any is left.  The task
 * is a clone child (see keeper()), which waitpid without __WALL passes
 * over: this needs no walk of /proc. */
static int others_alive(void)
{
	pid_t p;
	int st;

	while ((p = waitpid(-1, &st, WNOHANG)) > 0)
		;
	return p == 0;
}

/* SIGTERM to the task's group and to every process re-parented to us;
 * SIGCONT after it, so that a stopped process sees it too. */
static void terminate(pid_t t)
{
	kill(-t, SIGTERM);
	kill(-t, SIGCONT);
	signal_children(SIGTERM, t);
	signal_children(SIGCONT, t);
}

static _Noreturn void task_fail(int fd, int stage)
{
	struct failure f = { stage, errno };
	int code = stage != FAIL_EXEC ? 125 : errno == ENOENT ? 127 : 126;

	if (write(fd, &f, sizeof f) < 0)
		_exit(code);
	_exit(code);
}

static int move_fd(int from, int to)
{
	if (from == to)
		return fcntl(to, F_SETFD, 0);   /* dup2 would keep FD_CLOEXEC */
	return dup2(from, to) < 0 ? -1 : 0;
}

static _Noreturn void task_exec(const struct spec *s, pid_t keeper, int exec_wr)
{
	sigset_t none;

	/* If the keeper died between fork and prctl, nobody would deliver
	 * the death signal: check the parent after arming it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		task_fail(exec_wr, FAIL_SETUP);
	if (getppid() != keeper)
		_exit(125);
	if (setsid() < 0)
		task_fail(exec_wr, FAIL_SETUP);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* 0, 1 and 2 first: their sources may sit on fd 3. */
	if (s->stdin_fd >= 0 && move_fd(s->stdin_fd, 0) < 0)
		task_fail(exec_wr, FAIL_SETUP);
	if (s->out_fd >= 0 && (move_fd(s->out_fd, 1) < 0 || move_fd(s->out_fd, 2) < 0))
		task_fail(exec_wr, FAIL_SETUP);
	if (s->progress_fd >= 0 && move_fd(s->progress_fd, 3) < 0)
		task_fail(exec_wr, FAIL_SETUP);

	if (s->memory > 0) {
		struct rlimit rl = { (rlim_t)s->memory, (rlim_t)s->memory };
		if (setrlimit(RLIMIT_AS, &rl) < 0)
			task_fail(exec_wr, FAIL_SETUP);
	}
	if (s->cpu_ms > 0) {
		/* SIGXCPU at the soft limit, SIGKILL a second later. */
		rlim_t sec = (rlim_t)((s->cpu_ms + 999) / 1000);
		struct rlimit rl = { sec, sec + 1 };
		if (setrlimit(RLIMIT_CPU, &rl) < 0)
			task_fail(exec_wr, FAIL_SETUP);
	}
	if (s->cwd && chdir(s->cwd) < 0)
		task_fail(exec_wr, FAIL_CHDIR);
	/* execvp searches the PATH of the environment it is given. */
	environ = s->envp;
	execvp(s->argv[0], s->argv);
	task_fail(exec_wr, FAIL_EXEC);
}

static _Noreturn void keeper(const struct spec *s, pid_t runjob, int ctl,
                             int status)
{
	sigset_t set;
	int sfd, ex[2], stopping = 0, ended = 0, kind = 0, val = 0;
	int64_t kill_at = 0;
	pid_t me = getpid(), t;

	int keep[] = { ctl, status, s->stdin_fd, s->out_fd, s->progress_fd };
	close_others(keep, (int)(sizeof keep / sizeof keep[0]));
	if (s->keeper_name)
		prctl(PR_SET_NAME, s->keeper_name);
	/* Nothing but the control pipe and the task may end the keeper. */
	sigemptyset(&set);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGSEGV &&
		    sig != SIGBUS && sig != SIGFPE && sig != SIGILL && sig != SIGABRT)
			sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	setpgid(0, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, TASK_EXIT_SIGNAL);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 ||
	    (sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0 ||
	    pipe2(ex, O_CLOEXEC) < 0 || getppid() != runjob) {
		send_msg(status, MSG_FAILED, 0, FAIL_FORK, errno);
		_exit(0);
	}

	/* Forked with an exit signal other than SIGCHLD, the task is a
	 * "clone child": waitpid(-1) without __WALL then reports the
	 * orphans alone, and ECHILD from it means no orphan is left.
	 * (Orphans are re-parented with SIGCHLD.)  Like fork(), with no
	 * new stack: the child runs on a copy of this one. */
	if ((t = (pid_t)syscall(SYS_clone, (unsigned long)TASK_EXIT_SIGNAL,
	                        NULL, NULL, NULL, NULL)) < 0) {
		send_msg(status, MSG_FAILED, 0, FAIL_FORK, errno);
		_exit(0);
	}
	if (t == 0)
		task_exec(s, me, ex[1]);
	/* The task holds its ends now; runjob holds the others. */
	close(ex[1]);
	if (s->stdin_fd >= 0)
		close(s->stdin_fd);
	if (s->out_fd >= 0)
		close(s->out_fd);
	if (s->progress_fd >= 0)
		close(s->progress_fd);

	for (;;) {
		struct pollfd p[2] = { { sfd, POLLIN, 0 }, { ctl, POLLIN, 0 } };
		int timeout = -1;

		if (stopping) {
			int64_t left = kill_at - mono_ms();
			if (left <= 0)
				break;
			timeout = (int)(left > 60000 ? 60000 : left);
		}
		if (poll(p, 2, timeout) < 0 && errno != EINTR)
			break;
		if (p[1].revents) {
			char c;
			ssize_t n = read(ctl, &c, 1);
			if (n <= 0 || c == 'K')
				break;           /* runjob is gone, or wants it now */
			if (!stopping && s->stop_leader_only) {
				/* The leader knows how to stop its own. */
				kill(t, SIGTERM);
				kill(t, SIGCONT);
				stopping = 1;
				kill_at = mono_ms() + s->grace_ms;
			} else if (!stopping) {
				terminate(t);
				stopping = 1;
				kill_at = mono_ms() + s->grace_ms;
			}
		}
		if (p[0].revents) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) > 0)
				;
			if (!ended)
				ended = task_ended(t, &kind, &val);
			/* The task is over: what it left behind gets the same
			 * treatment as a task that ran out of time. */
			if (ended && !others_alive())
				break;
			if (ended && !stopping) {
				terminate(t);
				stopping = 1;
				kill_at = mono_ms() + s->grace_ms;
			}
		}
	}
	int ws = SIGKILL;
	kill_all_children(t, &ws);
	if (!ended) {
		kind = WIFEXITED(ws) ? MSG_EXIT : MSG_SIGNAL;
		val = WIFEXITED(ws) ? WEXITSTATUS(ws) : WTERMSIG(ws);
	}
	/* The task is dead, so what it wrote before exec failed is there. */
	struct failure f;
	if (read(ex[0], &f, sizeof f) == (ssize_t)sizeof f)
		send_msg(status, MSG_FAILED, 0, f.stage, f.err);
	else
		send_msg(status, kind, val, 0, 0);
	_exit(0);
}

int job_start(struct job *j, const struct spec *s)
{
	int ctl[2], st[2];
	pid_t runjob = getpid();

	memset(j, 0, sizeof *j);
	j->status_fd = j->ctl = -1;
	if (pipe2(ctl, O_CLOEXEC) < 0)
		return warn("pipe:"), -1;
	if (pipe2(st, O_CLOEXEC) < 0) {
		close(ctl[0]), close(ctl[1]);
		return warn("pipe:"), -1;
	}
	j->keeper = fork();
	if (j->keeper == 0) {
		close(ctl[1]);
		close(st[0]);
		keeper(s, runjob, ctl[0], st[1]);
	}
	close(ctl[0]);
	close(st[1]);
	if (j->keeper < 0) {
		warn("fork:");
		close(ctl[1]), close(st[0]);
		return -1;
	}
	j->ctl = ctl[1];
	j->status_fd = st[0];
	fcntl(j->ctl, F_SETFL, O_NONBLOCK);
	return 0;
}

int job_input(struct job *j)
{
	struct msg m;
	ssize_t n = read(j->status_fd, &m, sizeof m);

	if (n < 0 && errno == EINTR)
		return 0;
	if (n != (ssize_t)sizeof m) {
		close(j->status_fd);
		j->status_fd = -1;
		return 1;
	}
	if (m.kind == MSG_EXIT || m.kind == MSG_SIGNAL) {
		j->have_status = 1;
		j->wstatus = m.kind == MSG_EXIT ? (m.val & 0xff) << 8 : m.val & 0x7f;
	} else {
		j->fail_stage = m.stage;
		j->fail_errno = m.err;
	}
	return 0;
}

static void tell(struct job *j, char c)
{
	/* The keeper may be gone already; then there is nothing to stop. */
	if (j->ctl >= 0 && write(j->ctl, &c, 1) < 0)
		return;
}

void job_stop(struct job *j) { tell(j, 'S'); }
void job_kill(struct job *j) { tell(j, 'K'); }

void job_finish(struct job *j)
{
	int st;

	if (j->ctl >= 0)
		close(j->ctl);    /* the keeper sweeps at EOF, if still there */
	j->ctl = -1;
	while (waitpid(j->keeper, &st, 0) < 0 && errno == EINTR)
		;
	/* A keeper killed from outside leaves its orphans to us. */
	kill_all_children(0, NULL);
	if (j->status_fd >= 0)
		close(j->status_fd);
	j->status_fd = -1;
}
