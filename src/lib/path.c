/*
 * path.c - where state lives: flags, then environment, then the XDG
 * state directory (DESIGN.md, "Conventions for every command").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tgp.h"

int mkdir_p(const char *path, int mode)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int r = mkdir(p, (mode_t)mode) != 0 && errno != EEXIST ? -1 : 0;
	free(p);
	return r;
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = xmalloc(n);

	snprintf(s, n, "%s/%s", a, b);
	return s;
}

char *state_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	char *dir;

	if (xdg && *xdg == '/') {
		dir = join(xdg, "tgpromise");
	} else if (home && *home) {
		char *base = join(home, ".local/state");
		dir = join(base, "tgpromise");
		free(base);
	} else {
		die(EXIT_USAGE, "neither XDG_STATE_HOME nor HOME is set; use --db");
	}
	if (mkdir_p(dir, 0700) != 0)
		die(EXIT_DATA, "cannot create %s:", dir);
	return dir;
}

char *default_db_path(void)
{
	const char *env = getenv("PROMISE_DB");
	char *dir, *db;

	if (env && *env)
		return xstrdup(env);
	dir = state_dir();
	db = join(dir, "promises.db");
	free(dir);
	return db;
}
