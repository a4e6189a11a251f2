/*
 * env.c - the task's environment.  runjob builds it whole and hands it to
 * the task at exec; its own environment is never changed, so PATH for
 * the lookup of the command is the task's PATH, as with env(1).
 */
#include <stdlib.h>
#include <string.h>

#include "tgp.h"
#include "env.h"

static size_t find(const struct envv *e, const char *name, size_t len)
{
	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->v[i], name, len) == 0 && e->v[i][len] == '=')
			return i;
	return e->n;
}

static void append(struct envv *e, char *s)
{
	if (e->n + 2 > e->cap) {
		e->cap = e->cap ? 2 * e->cap : 64;
		e->v = xrealloc(e->v, e->cap * sizeof *e->v);
	}
	e->v[e->n++] = s;
	e->v[e->n] = NULL;
}

void env_init(struct envv *e, char **from)
{
	e->v = NULL;
	e->n = e->cap = 0;
	append(e, NULL);
	e->n = 0;
	for (; from && *from; from++)
		if (strchr(*from, '='))
			append(e, xstrdup(*from));
}

static void put(struct envv *e, const char *name, size_t len, char *s)
{
	size_t i = find(e, name, len);

	if (i < e->n) {
		free(e->v[i]);
		e->v[i] = s;
	} else {
		append(e, s);
	}
}

void env_set(struct envv *e, const char *name, const char *value)
{
	size_t a = strlen(name), b = strlen(value);
	char *s = xmalloc(a + b + 2);

	memcpy(s, name, a);
	s[a] = '=';
	memcpy(s + a + 1, value, b + 1);
	put(e, name, a, s);
}

int env_put(struct envv *e, const char *assignment)
{
	const char *eq = strchr(assignment, '=');

	if (!eq || eq == assignment)
		return -1;
	put(e, assignment, (size_t)(eq - assignment), xstrdup(assignment));
	return 0;
}

void env_unset(struct envv *e, const char *name)
{
	size_t i = find(e, name, strlen(name));

	if (i == e->n)
		return;
	free(e->v[i]);
	memmove(e->v + i, e->v + i + 1, (e->n - i) * sizeof *e->v);
	e->n--;
}

void env_free(struct envv *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}
