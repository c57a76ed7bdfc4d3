// SPDX-License-Identifier: MIT
/* The monitoring-plugin output: one status line naming the worst findings, then
 * perfdata ('label'=value;warn;crit;min;max) with the counts and each server's
 * needs, as the Monitoring Plugins Development Guidelines describe. */
#include "out/out.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

/* Lists up to three failing findings at or above min, worst first. */
static void worst(const struct check_ctx *c, struct buf *b)
{
	int shown = 0;
	for (int sev = SEV_CRITICAL; sev >= SEV_MEDIUM && shown < 3; sev--)
		for (size_t i = 0; i < c->nf && shown < 3; i++) {
			const struct finding *f = &c->f[i];
			if (f->status != FS_FAIL || (int)f->sev != sev)
				continue;
			buf_appendf(b, "%s%s %s", shown ? "; " : ": ", f->rule->id, f->summary);
			shown++;
		}
	for (size_t i = 0; i < c->nf && !shown; i++)
		if (c->f[i].status == FS_UNKNOWN) {
			buf_appendf(b, ": %s %s", c->f[i].rule->id, c->f[i].summary);
			shown++;
		}
}

/* Perfdata labels may not hold '=' or quotes; keep letters, digits and '_'. */
static void label(char *dst, size_t n, const char *flavor, size_t i, const char *what)
{
	snprintf(dst, n, "%s%zu_%s", flavor, i, what);
	for (char *p = dst; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			*p = '_';
}

void out_nagios(const struct check_ctx *c, struct buf *b)
{
	struct out_counts n;
	out_count(c, &n);
	int code = check_exit_code(c);
	buf_appendf(b, "KRES %s - %u critical, %u warning, %u unknown", out_state_name(code), n.crit,
		    n.high + n.medium, n.unknown);
	worst(c, b);
	/* The status text must not contain '|', which starts perfdata. */
	for (size_t i = 0; i < b->len; i++)
		if (b->p[i] == '|' || b->p[i] == '\n')
			b->p[i] = '/';
	buf_appendf(b, " | critical=%u warning=%u unknown=%u ok=%u", n.crit, n.high + n.medium,
		    n.unknown, n.ok);
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_needs *nd = &c->pgneeds[i];
		char l[64];
		if (nd->nsems >= 0) {
			label(l, sizeof(l), c->pg[i].fl->id, i, "semaphores");
			buf_appendf(b, " %s=%lld", l, (long long)nd->nsems);
		}
		label(l, sizeof(l), c->pg[i].fl->id, i, "shared_memory");
		buf_appendf(b, " %s=%lluB", l, (unsigned long long)nd->shm_bytes);
		if (nd->hp_pages >= 0) {
			label(l, sizeof(l), c->pg[i].fl->id, i, "huge_pages");
			buf_appendf(b, " %s=%lld", l, (long long)nd->hp_pages);
		}
	}
	buf_putc(b, '\n');
}
