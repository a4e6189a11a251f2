/*
 * classify.h - the invariants of classify's verdicts, shared by the
 * classify and rules fuzz targets.
 *
 * Whatever the text and whatever the rules: intent, tier and task_type
 * are among the documented names; a task has a work tier and type and
 * nothing else has; a command and its arguments lie inside the text; a
 * target id is positive and only on cancel or status.
 */
#include <stdlib.h>
#include <string.h>

#include "tgp.h"
#include "../../src/classify/decide.h"

static int in_text(const char *p, size_t len, const char *s, size_t n)
{
	return p >= s && len <= n && (size_t)(p - s) <= n - len;
}

static void check_verdict(const struct classifier *c, const struct verdict *v,
                          const char *s, size_t n)
{
	if ((unsigned)v->intent > I_CHAT || (unsigned)v->tier > T_DEEP ||
	    (unsigned)v->type > TT_NONE)
		abort();
	if (!intent_name[v->intent] || !tier_name[v->tier] || !ttype_name[v->type])
		abort();
	if ((v->intent == I_TASK) != (v->tier != T_CONVERSATION) ||
	    (v->intent == I_TASK) != (v->type != TT_NONE))
		abort();
	if (v->detach != 0 && v->detach != 1)
		abort();
	if (!v->command && v->detach != (v->tier >= T_COMPLEX))
		abort();
	if (v->has_target && (v->target <= 0 ||
	    (v->intent != I_CANCEL && v->intent != I_STATUS)))
		abort();
	if (v->command) {
		if (v->commandlen == 0 || !in_text(v->command, v->commandlen, s, n))
			abort();
		size_t off = 0;
		for (size_t i = 0; i < c->nargs; i++) {
			if (off >= c->argslen)
				abort();
			off += strlen(c->args + off) + 1;
		}
		if (off != c->argslen)
			abort();
	}   /* without a command, args are not printed, whatever nargs says */
	if (v->addressee && !in_text(v->addressee, v->addresseelen, s, n))
		abort();
}

static void check_reply(const struct reply *rv, const char *s, size_t n)
{
	if (rv->promised != 0 && rv->promised != 1)
		abort();
	switch (rv->marker) {
	case M_NONE:
		break;
	case M_CREATED:
		if (!rv->idlen || !in_text(rv->id, rv->idlen, s, n))
			abort();
		/* fall through */
	case M_ASYNC:
		if (!rv->promised || !in_text(rv->text, rv->textlen, s, n))
			abort();
		break;
	default:
		abort();
	}
}
