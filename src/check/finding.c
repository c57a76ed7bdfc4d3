// SPDX-License-Identifier: MIT
/* Findings: building them, naming severities, and the exit code they lead to. */
#include "check/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

static char *vfmt(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static char *vfmt(const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	buf_vappendf(&b, fmt, ap);
	return buf_detach(&b);
}

struct finding *finding_add(struct check_ctx *c, const struct rule *r, enum fstatus st,
			    const char *subject, const char *fmt, ...)
{
	ALLOC_GROW(c->f, c->nf + 1, c->capf);
	struct finding *f = &c->f[c->nf++];
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->status = st;
	f->sev = st == FS_FAIL ? r->sev : SEV_INFO;
	f->subject = xstrdup(subject);
	va_list ap;
	va_start(ap, fmt);
	f->summary = vfmt(fmt, ap);
	va_end(ap);
	return f;
}

void finding_set(struct finding *f, enum ffield which, const char *fmt, ...)
{
	char **slot[] = {&f->observed, &f->source, &f->required, &f->formula, &f->why,
			 &f->fix_runtime, &f->fix_file, &f->fix_persist, &f->note};
	va_list ap;
	va_start(ap, fmt);
	free(*slot[which]);
	*slot[which] = vfmt(fmt, ap);
	va_end(ap);
}

void finding_fix_sysctl(struct finding *f, const char *key, const char *value)
{
	finding_set(f, FF_FIX_RUNTIME, "sysctl -w %s='%s'", key, value);
	finding_set(f, FF_FIX_FILE, "%s", KRES_SYSCTL_FILE);
	finding_set(f, FF_FIX_PERSIST, "%s = %s", key, value);
}

const char *sev_name(enum sev s)
{
	static const char *const names[] = {"info", "low", "medium", "high", "critical"};
	return names[s];
}

const char *fstatus_name(enum fstatus s)
{
	static const char *const names[] = {"ok", "fail", "info", "skip", "unknown"};
	return names[s];
}

int check_exit_code(const struct check_ctx *c)
{
	bool crit = false, warn = false, unknown = false;
	for (size_t i = 0; i < c->nf; i++) {
		const struct finding *f = &c->f[i];
		if (f->status == FS_FAIL && f->sev == SEV_CRITICAL)
			crit = true;
		else if (f->status == FS_FAIL && f->sev >= SEV_MEDIUM)
			warn = true;
		else if (f->status == FS_UNKNOWN)
			unknown = true;
	}
	return crit ? 2 : warn ? 1 : unknown ? 3 : 0;
}

void check_release(struct check_ctx *c)
{
	for (size_t i = 0; i < c->nf; i++) {
		struct finding *f = &c->f[i];
		char *p[] = {f->subject, f->summary, f->observed, f->source, f->required, f->formula,
			     f->why, f->fix_runtime, f->fix_file, f->fix_persist, f->note};
		for (size_t k = 0; k < ARRAY_SIZE(p); k++)
			free(p[k]);
	}
	free(c->f);
	c->f = NULL;
	c->nf = c->capf = 0;
}
