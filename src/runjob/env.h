/* env.h - a task's environment, built up as a vector of NAME=VALUE. */
#ifndef ENV_H
#define ENV_H

#include <stddef.h>

struct envv {
	char **v;         /* NULL-terminated, for execve */
	size_t n, cap;
};

void env_init(struct envv *e, char **from);   /* from NULL: empty */
void env_set(struct envv *e, const char *name, const char *value);
void env_unset(struct envv *e, const char *name);
/* "NAME=VALUE": -1 when NAME is empty or the '=' is missing. */
int env_put(struct envv *e, const char *assignment);
void env_free(struct envv *e);

#endif
