/*
 * leaseproc.h - the lease's own promise process.
 *
 * runjob never opens the store: a long-lived `promise heartbeat --jsonl`
 * child does, and each beat is one request line to it and one answer
 * line back (promise(1), heartbeat --jsonl), so that only promise links
 * a database.
 */
#ifndef LEASEPROC_H
#define LEASEPROC_H

#include <stddef.h>
#include <sys/types.h>

struct lease_proc {
	pid_t pid;             /* 0: not running */
	int fd;                /* our end of its stdin and stdout */
	char buf[8192];        /* the answer being read */
	size_t len;
};

/* Starts `promise [--db DB] heartbeat --jsonl` (promise from PATH).
 * Returns 0, or -1 (reported). */
int lease_proc_start(struct lease_proc *lp, const char *db);
/* Sends one request line (no newline) and waits for its answer.
 * Returns the answer's "exit", or -1 when the process is gone or
 * answered nonsense (reported; it is stopped, and may be started
 * again). */
int lease_proc_ask(struct lease_proc *lp, const char *line);
/* Closes its input and reaps it. */
void lease_proc_stop(struct lease_proc *lp);

#endif
