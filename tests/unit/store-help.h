/* store-help.h - what the store's unit tests share. */
#ifndef STORE_HELP_H
#define STORE_HELP_H
#include "store.h"

/* The status of promise id, or -1 when the store cannot read it. */
static inline int status_of(struct store *st, int64_t id)
{
	struct promise p;
	int s;

	promise_init(&p);
	s = store_get(st, id, &p) == 0 ? p.status : -1;
	promise_free(&p);
	return s;
}
#endif
