/*
 * store.h - the promise store.  Every command talks to promises through
 * this interface only, so that another backend (PostgreSQL for many
 * machines) can be added without touching the commands.
 *
 * The SQLite backend (store.c) keeps one file in WAL mode; every write
 * runs in BEGIN IMMEDIATE with a busy timeout, and every state change is
 * guarded by what the caller believes (status, lease owner, attempt).
 *
 * Functions returning int return 0 on success or an EXIT_* status from
 * tgp.h, having already reported the reason on stderr.
 */
#ifndef STORE_H
#define STORE_H

#include <stdint.h>

#include "tgp.h"

struct store;

/* Opens (creating and migrating as needed) the database at path. */
int store_open(const char *path, struct store **out);
void store_close(struct store *st);

/*
 * Extends worker's lease on promise id for lease_ms and records progress
 * (pct < 0: unchanged; note NULL: unchanged).  Returns 0, EXIT_CANCEL
 * when a cancel was requested (the lease is still extended), EXIT_CONFLICT
 * when the lease is not this worker's attempt any more, EXIT_NOTFOUND.
 */
int store_heartbeat(struct store *st, int64_t id, const char *worker,
                    int attempt, int64_t lease_ms, int pct, const char *note);

#endif
