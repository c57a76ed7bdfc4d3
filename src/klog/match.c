// SPDX-License-Identifier: MIT
/* Hyperscan finds the candidate lines of a whole block in one pass; PCRE2 confirms
 * each candidate on its message and extracts the fields. Hyperscan reports a match
 * at every end offset, so the scan callback remembers, per pattern, the end of the
 * line it last reported and ignores further ends on that line. */
#include <errno.h>
#include <hs.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "klog/match.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct klog_hit {
	uint32_t pat;
	size_t start, end;
};

struct klog_patinfo {
	uint32_t nnames;
	char (*names)[32];
	uint16_t *group;
	bool jit;
};

static int pcre_compile_one(struct klog_matcher *m, size_t i, struct perr *e)
{
	int err;
	PCRE2_SIZE off;
	const char *re = m->cat->pats[i].re;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
	if (!code) {
		PCRE2_UCHAR msg[120];
		pcre2_get_error_message(err, msg, sizeof(msg));
		perr_set(e, 0, "invalid pattern at offset %zu: %s", (size_t)off, (const char *)msg);
		return -EINVAL;
	}
	m->re[i] = code;
	struct klog_patinfo *pi = &m->info[i];
	pi->jit = !m->no_jit && pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	uint32_t count = 0, esize = 0;
	PCRE2_SPTR table = NULL;
	pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
	pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
	if (count > KLOG_MAX_FIELDS) {
		perr_set(e, 0, "pattern has %u named groups, at most %d", count, KLOG_MAX_FIELDS);
		return -EINVAL;
	}
	pi->nnames = count;
	pi->names = xcalloc(count ? count : 1, sizeof(*pi->names));
	pi->group = xcalloc(count ? count : 1, sizeof(*pi->group));
	for (uint32_t k = 0; k < count; k++) {
		const unsigned char *ent = table + (size_t)k * esize;
		pi->group[k] = (uint16_t)(ent[0] << 8 | ent[1]);
		str_copy(pi->names[k], sizeof(pi->names[k]), (const char *)ent + 2);
	}
	return 0;
}

static int hs_compile_all(struct klog_matcher *m, struct perr *e, long *pat)
{
	size_t n = m->cat->npats;
	const char **exprs = xcalloc(n, sizeof(*exprs));
	unsigned *flags = xcalloc(n, sizeof(*flags));
	unsigned *ids = xcalloc(n, sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		exprs[i] = m->cat->pats[i].re;
		ids[i] = (unsigned)i;
	}
	hs_database_t *db = NULL;
	hs_compile_error_t *err = NULL;
	int rc = 0;
	if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &err) !=
	    HS_SUCCESS) {
		*pat = err->expression;
		perr_set(e, 0, "%s", err->message);
		hs_free_compile_error(err);
		rc = -EINVAL;
	} else if (hs_alloc_scratch(db, (hs_scratch_t **)&m->scratch) != HS_SUCCESS) {
		hs_free_database(db);
		perr_set(e, 0, "cannot allocate Hyperscan scratch space");
		rc = -ENOMEM;
	} else {
		m->db = db;
	}
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

int klog_matcher_build_jit(struct klog_matcher *m, const struct klog_catalog *c, struct perr *e,
			   long *pat, bool jit)
{
	memset(m, 0, sizeof(*m));
	m->no_jit = !jit;
	m->cat = c;
	*pat = -1;
	if (!c->npats) {
		perr_set(e, 0, "the catalog has no patterns");
		return -EINVAL;
	}
	m->re = xcalloc(c->npats, sizeof(*m->re));
	m->info = xcalloc(c->npats, sizeof(*m->info));
	m->skip_until = xcalloc(c->npats, sizeof(*m->skip_until));
	for (size_t i = 0; i < c->npats; i++)
		if (pcre_compile_one(m, i, e)) {
			*pat = (long)i;
			return -EINVAL;
		}
	m->md = pcre2_match_data_create(KLOG_MAX_FIELDS * 4 + 8, NULL);
	if (hs_compile_all(m, e, pat))
		return *pat >= 0 ? -EINVAL : -ENOMEM;
	return 0;
}

int klog_matcher_build(struct klog_matcher *m, const struct klog_catalog *c, struct perr *e,
		       long *pat)
{
	return klog_matcher_build_jit(m, c, e, pat, true);
}

void klog_matcher_release(struct klog_matcher *m)
{
	if (m->re)
		for (size_t i = 0; i < m->cat->npats; i++) {
			pcre2_code_free(m->re[i]);
			free(m->info[i].names);
			free(m->info[i].group);
		}
	free(m->re);
	free(m->info);
	free(m->skip_until);
	pcre2_match_data_free(m->md);
	hs_free_scratch(m->scratch);
	hs_free_database(m->db);
	free(m->cands);
	free(m->hitpats);
	free(m->hits);
	memset(m, 0, sizeof(*m));
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to,
		    unsigned flags, void *ctx)
{
	struct klog_matcher *m = ctx;
	(void)from;
	(void)flags;
	if (to == 0 || to <= m->skip_until[id])
		return 0;
	size_t last = (size_t)to - 1, start, end;
	if (m->buf[last] == '\n') {
		end = last;
	} else {
		const char *nl = memchr(m->buf + to, '\n', m->len - to);
		end = nl ? (size_t)(nl - m->buf) : m->len;
	}
	const char *prev = end ? memrchr(m->buf, '\n', end) : NULL;
	start = prev ? (size_t)(prev - m->buf) + 1 : 0;
	m->skip_until[id] = end + 1;
	ALLOC_GROW(m->hits, m->nhits + 1, m->caphits);
	m->hits[m->nhits++] = (struct klog_hit){.pat = id, .start = start, .end = end};
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct klog_hit *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->pat < y->pat ? -1 : x->pat > y->pat;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int klog_matcher_scan(struct klog_matcher *m, const char *buf, size_t len)
{
	m->ncands = m->nhitpats = m->nhits = 0;
	memset(m->skip_until, 0, m->cat->npats * sizeof(*m->skip_until));
	m->buf = buf;
	m->len = len;
	if (!len)
		return 0;
	/* Hyperscan takes an unsigned int length: scan huge buffers in pieces that end
	 * at a newline. Callers pass a few megabytes, so this is one call. */
	if (len > 0x7fffffffu)
		return -EINVAL;
	if (hs_scan(m->db, buf, (unsigned)len, 0, m->scratch, on_match, m) != HS_SUCCESS)
		return -EIO;
	if (m->nhits > 1)
		qsort(m->hits, m->nhits, sizeof(*m->hits), hit_cmp);
	for (size_t i = 0; i < m->nhits; i++) {
		const struct klog_hit *h = &m->hits[i];
		if (!m->ncands || m->cands[m->ncands - 1].start != h->start) {
			ALLOC_GROW(m->cands, m->ncands + 1, m->capcands);
			m->cands[m->ncands++] = (struct klog_cand){
				.start = h->start, .end = h->end, .first = m->nhitpats, .n = 0};
		}
		struct klog_cand *c = &m->cands[m->ncands - 1];
		if (c->n && m->hitpats[c->first + c->n - 1] == h->pat)
			continue;
		if (h->end > c->end)
			c->end = h->end;
		ALLOC_GROW(m->hitpats, m->nhitpats + 1, m->caphitpats);
		m->hitpats[m->nhitpats++] = h->pat;
		c->n++;
	}
	return 0;
}

long klog_matcher_confirm(struct klog_matcher *m, const uint32_t *pats, size_t n, const char *msg,
			  size_t len, struct klog_field *f, size_t *nf)
{
	pcre2_match_data *md = m->md;
	*nf = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t p = pats[i];
		const struct klog_patinfo *pi = &m->info[p];
		int rc = pi->jit ? pcre2_jit_match(m->re[p], (PCRE2_SPTR)msg, len, 0, 0, md, NULL)
				 : pcre2_match(m->re[p], (PCRE2_SPTR)msg, len, 0, 0, md, NULL);
		if (rc < 0)
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		uint32_t ovn = pcre2_get_ovector_count(md);
		for (uint32_t k = 0; k < pi->nnames; k++) {
			uint16_t g = pi->group[k];
			if (g >= ovn || ov[2 * g] == PCRE2_UNSET)
				continue;
			f[*nf].name = pi->names[k];
			f[*nf].val = (struct span){msg + ov[2 * g], ov[2 * g + 1] - ov[2 * g]};
			(*nf)++;
		}
		return (long)p;
	}
	return -1;
}

long klog_matcher_match(struct klog_matcher *m, const char *msg, size_t len,
			struct klog_field *f, size_t *nf)
{
	*nf = 0;
	if (klog_matcher_scan(m, msg, len) || !m->ncands)
		return -1;
	if (m->ncands == 1)
		return klog_matcher_confirm(m, m->hitpats + m->cands[0].first, m->cands[0].n, msg,
					    len, f, nf);
	/* A message with an embedded newline: confirm every pattern that hit any part
	 * of it, in catalog order, on the whole message. */
	size_t n = m->nhitpats;
	uint32_t *all = xreallocarray(NULL, n, sizeof(*all));
	memcpy(all, m->hitpats, n * sizeof(*all));
	qsort(all, n, sizeof(*all), u32_cmp);
	long r = klog_matcher_confirm(m, all, n, msg, len, f, nf);
	free(all);
	return r;
}
