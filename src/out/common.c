// SPDX-License-Identifier: MIT
/* What the renderers share: counts, state names, and the list of broken inputs. */
#include "out/out.h"

#include <stdio.h>

#include "util/banned.h"

void out_count(const struct check_ctx *c, struct out_counts *n)
{
	*n = (struct out_counts){0};
	for (size_t i = 0; i < c->nf; i++) {
		const struct finding *f = &c->f[i];
		switch (f->status) {
		case FS_OK: n->ok++; break;
		case FS_INFO: n->info++; break;
		case FS_SKIP: n->skip++; break;
		case FS_UNKNOWN: n->unknown++; break;
		case FS_FAIL:
			if (f->sev == SEV_CRITICAL)
				n->crit++;
			else if (f->sev == SEV_HIGH)
				n->high++;
			else if (f->sev == SEV_MEDIUM)
				n->medium++;
			else
				n->low++;
			break;
		}
	}
}

const char *out_state_name(int code)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
	return code >= 0 && code <= 3 ? names[code] : "UNKNOWN";
}

static void src_err(const struct src *s, void (*fn)(const char *, void *), void *arg)
{
	if (s->state == SRC_ERROR)
		fn(s->err, arg);
}

void out_each_input_error(const struct check_ctx *c, void (*fn)(const char *err, void *arg),
			  void *arg)
{
	const struct host *h = c->h;
	const struct src *srcs[] = {&h->meminfo_src, &h->vmstat_src, &h->shm_src, &h->sem_src,
				    &h->hp.src, &h->thp_src, &h->thp_defrag_src, &h->cpus_src,
				    &h->nodes_src, &h->stat_src, &h->swaps_src, &h->clock_src, &h->logind.src,
				    &h->logindefs.src, &h->passwd_src};
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++)
		src_err(srcs[i], fn, arg);
	for (size_t k = 0; k < SC__COUNT; k++)
		if (h->sc.k[k].state == SRC_ERROR)
			fn(h->sc.k[k].err, arg);
	for (size_t i = 0; i < c->npg; i++) {
		if (!c->pg[i].conf_ok && c->pg[i].conf_err[0])
			fn(c->pg[i].conf_err, arg);
		src_err(&c->pg[i].unit_info.src, fn, arg);
	}
}
