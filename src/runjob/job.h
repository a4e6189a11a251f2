/*
 * job.h - start one task under a keeper process and stop it for good.
 *
 * runjob forks a keeper; the keeper forks the task.  The keeper is the
 * task's parent and a child subreaper, so every descendant of the task,
 * including those that call setsid() or double-fork, stays in its tree.
 * It sits in a process group of its own, so a signal sent to runjob's
 * group does not reach it, and it watches a pipe whose write end only
 * runjob holds: when runjob ends, however it ends, the keeper kills the
 * whole tree and exits.  The task has PR_SET_PDEATHSIG(SIGKILL) towards
 * the keeper, so it cannot outlive the keeper either.
 */
#ifndef JOB_H
#define JOB_H

#include <stdint.h>
#include <sys/types.h>

struct spec {
	char *const *argv;     /* argv[0] is looked up in PATH unless it has '/' */
	char **envp;           /* the task's whole environment */
	const char *cwd;       /* NULL: runjob's own */
	int stdin_fd;          /* -1: inherit */
	int out_fd;            /* -1: inherit stdout and stderr; else both */
	int progress_fd;       /* -1: none; else it becomes the task's fd 3 */
	int64_t grace_ms;      /* SIGTERM, then SIGKILL this much later */
	int64_t memory;        /* RLIMIT_AS in bytes; 0: none */
	int64_t cpu_ms;        /* RLIMIT_CPU; 0: none */
	int stop_leader_only;  /* job_stop: SIGTERM to the task alone, which
	                          stops the rest of its group itself */
	const char *keeper_name;  /* NULL: the keeper keeps runjob's name */
};

/* Where a task that never ran failed. */
enum { FAIL_NONE, FAIL_SETUP, FAIL_CHDIR, FAIL_EXEC, FAIL_FORK };

struct job {
	pid_t keeper;
	int ctl;               /* to the keeper: 'S' stop, 'K' kill now */
	int status_fd;         /* from the keeper: its report; -1 at EOF */
	int have_status;
	int wstatus;
	int fail_stage;        /* FAIL_* */
	int fail_errno;
};

/* Forks the keeper and, through it, the task.  -1 (reported) if it could
 * not even fork the keeper. */
int job_start(struct job *j, const struct spec *s);
/* Reads the keeper's report from j->status_fd, sent when the whole tree
 * is gone.  Returns 1 at EOF: the keeper has exited. */
int job_input(struct job *j);
void job_stop(struct job *j);     /* SIGTERM to the tree, SIGKILL after grace */
void job_kill(struct job *j);     /* SIGKILL to the tree at once */
/* Reaps the keeper and, should the keeper have died, anything it left
 * behind; closes the job's descriptors. */
void job_finish(struct job *j);

/* Kills every child of the calling process, and their children as they
 * are re-parented to it, until it has none left.  leader > 0 is an
 * unreaped child whose process group is killed first; its wait status
 * goes to *leader_status. */
void kill_all_children(pid_t leader, int *leader_status);
/* A child of runjob's own (the lease's promise process) that
 * kill_all_children spares, until unspared. */
void job_spare(pid_t pid);
void job_unspare(pid_t pid);
/* Sends sig (0: none) to every child of the calling process but the nkeep
 * pids in keep; returns how many there were, -1 if /proc cannot be read. */
int signal_children_but(int sig, const pid_t *keep, int nkeep);

#endif
