// SPDX-License-Identifier: MIT
/* /proc/stat (fs/proc/stat.c show_stat()) and /proc/pressure/{cpu,memory,io} (kernel/sched/psi.c
 * psi_show()) for the sampler: parsed in place into the snapshot, no allocation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sample/parse.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* "cpu  u n s i w q sq st g gn" or "cpuN ...": 4 columns on 2.4, 7 on 2.6.0,
 * steal since 2.6.11, guest since 2.6.24, guest_nice since 2.6.33. */
static int cpu_line(struct span *tok, size_t nt, struct snap_cpu *c, unsigned line, struct perr *err)
{
	if (nt < 5) {
		perr_set(err, line, "expected at least 4 numbers after '%.*s'", (int)tok[0].n, tok[0].p);
		return -EINVAL;
	}
	memset(c, 0, sizeof(*c));
	size_t n = nt - 1 < CPU__MODES ? nt - 1 : CPU__MODES;
	for (size_t i = 0; i < n; i++)
		if (parse_u64(tok[1 + i], &c->t[i])) {
			perr_set(err, line, "column %zu of '%.*s' is not a number", i + 1, (int)tok[0].n,
				 tok[0].p);
			return -EINVAL;
		}
	c->nfields = (int)n;
	return 0;
}

static int one_number(struct span *tok, size_t nt, uint64_t *v, unsigned line, struct perr *err)
{
	if (nt < 2 || parse_u64(tok[1], v)) {
		perr_set(err, line, "expected a number after '%.*s'", (int)tok[0].n, tok[0].p);
		return -EINVAL;
	}
	return 0;
}

int stat_parse(const char *buf, size_t len, struct snap_stat *st, struct perr *err)
{
	struct lineiter it;
	struct span line, tok[CPU__MODES + 2];
	bool have_all = false;
	st->ok = false;
	st->ncpu = st->cpu_over = 0;
	st->have_procs = false;
	st->ctxt = st->forks = st->intr = st->btime = st->procs_running = st->procs_blocked = 0;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			return -EINVAL;
		}
		size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
		if (nt == 0)
			continue;
		if (nt > ARRAY_SIZE(tok))
			nt = ARRAY_SIZE(tok); /* "intr" has hundreds: only the first is used */
		struct span name = tok[0];
		int rc = 0;
		if (span_eq(name, "cpu")) {
			rc = cpu_line(tok, nt, &st->all, it.lineno, err);
			have_all = true;
		} else if (span_startswith(name, "cpu")) {
			uint64_t id;
			struct span num = {name.p + 3, name.n - 3};
			if (parse_u64(num, &id) || id > 1u << 20) {
				perr_set(err, it.lineno, "'%.*s' is not cpuN", (int)name.n, name.p);
				return -EINVAL;
			}
			if (st->ncpu == st->cpu_cap) {
				st->cpu_over++;
				continue;
			}
			struct snap_cpu *c = &st->cpu[st->ncpu];
			rc = cpu_line(tok, nt, c, it.lineno, err);
			c->id = (int)id;
			if (!rc)
				st->ncpu++;
		} else if (span_eq(name, "ctxt")) {
			rc = one_number(tok, nt, &st->ctxt, it.lineno, err);
		} else if (span_eq(name, "processes")) {
			rc = one_number(tok, nt, &st->forks, it.lineno, err);
		} else if (span_eq(name, "intr")) {
			rc = one_number(tok, nt, &st->intr, it.lineno, err);
		} else if (span_eq(name, "btime")) {
			rc = one_number(tok, nt, &st->btime, it.lineno, err);
		} else if (span_eq(name, "procs_running")) {
			rc = one_number(tok, nt, &st->procs_running, it.lineno, err);
			st->have_procs = true;
		} else if (span_eq(name, "procs_blocked")) {
			rc = one_number(tok, nt, &st->procs_blocked, it.lineno, err);
		}
		if (rc)
			return rc;
	}
	if (!have_all) {
		perr_set(err, 0, "no 'cpu' line");
		return -EINVAL;
	}
	st->ok = true;
	return 0;
}

/* "some avg10=0.12 avg60=0.05 avg300=0.01 total=123456" */
static int psi_line(struct span *tok, size_t nt, struct psi_line *pl, unsigned line, struct perr *err)
{
	static const char *const keys[] = {"avg10=", "avg60=", "avg300=", "total="};
	if (nt < 5) {
		perr_set(err, line, "expected avg10= avg60= avg300= total=");
		return -EINVAL;
	}
	for (size_t i = 0; i < 4; i++) {
		struct span t = tok[1 + i];
		size_t kl = strlen(keys[i]);
		if (t.n <= kl || memcmp(t.p, keys[i], kl)) {
			perr_set(err, line, "expected '%s' in field %zu", keys[i], i + 1);
			return -EINVAL;
		}
		struct span v = {t.p + kl, t.n - kl};
		if (i == 3) {
			if (parse_u64(v, &pl->total)) {
				perr_set(err, line, "total= is not a number");
				return -EINVAL;
			}
			continue;
		}
		/* The kernel prints LOAD_INT.LOAD_FRAC as "%lu.%02lu". */
		char tmp[32];
		if (!span_copy(v, tmp, sizeof(tmp))) {
			perr_set(err, line, "%s value too long", keys[i]);
			return -EINVAL;
		}
		char *end;
		double d = strtod(tmp, &end);
		if (*end || end == tmp || d < 0 || d > 100.0001) {
			perr_set(err, line, "%s value '%s' is not a percentage", keys[i], tmp);
			return -EINVAL;
		}
		(i == 0 ? &pl->avg10 : i == 1 ? &pl->avg60 : &pl->avg300)[0] = d;
	}
	pl->have = true;
	return 0;
}

int psi_parse(const char *buf, size_t len, struct snap_psi *p, struct perr *err)
{
	struct lineiter it;
	struct span line, tok[6];
	memset(p, 0, sizeof(*p));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
		if (nt == 0)
			continue;
		struct psi_line *pl = span_eq(tok[0], "some")   ? &p->some
				      : span_eq(tok[0], "full") ? &p->full
								: NULL;
		if (!pl) {
			perr_set(err, it.lineno, "expected 'some' or 'full'");
			goto fail;
		}
		if (psi_line(tok, nt, pl, it.lineno, err))
			goto fail;
	}
	if (!p->some.have && !p->full.have) {
		perr_set(err, 0, "no 'some' or 'full' line");
		goto fail;
	}
	p->ok = true;
	return 0;
fail:
	memset(p, 0, sizeof(*p));
	return -EINVAL;
}
