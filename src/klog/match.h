/* SPDX-License-Identifier: MIT */
/* Matching: every catalog pattern in one Hyperscan (Vectorscan) pass over a block of
 * lines, then PCRE2 on each line Hyperscan named, which confirms the match on the
 * message text alone and extracts the named fields. */
#ifndef KRES_KLOG_MATCH_H
#define KRES_KLOG_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "klog/catalog.h"
#include "util/text.h"

#define KLOG_MAX_FIELDS 24

struct klog_field {
	const char *name; /* the group name, owned by the matcher */
	struct span val;  /* points into the message */
};

/* A line Hyperscan matched: [start, end) in the scanned block, and the patterns. */
struct klog_cand {
	size_t start, end;
	size_t first, n; /* range in klog_matcher.hitpats */
};

struct klog_patinfo;

struct klog_matcher {
	const struct klog_catalog *cat;
	bool no_jit;         /* built without PCRE2 JIT */
	void *db, *scratch;  /* hs_database_t, hs_scratch_t */
	void **re;           /* pcre2_code per pattern */
	void *md;            /* pcre2_match_data */
	struct klog_patinfo *info;
	/* Results of the last klog_matcher_scan(). */
	struct klog_cand *cands;
	size_t ncands, capcands;
	uint32_t *hitpats;
	size_t nhitpats, caphitpats;
	/* Scan state. */
	struct klog_hit *hits;
	size_t nhits, caphits;
	size_t *skip_until;
	const char *buf;
	size_t len;
};

/* Compiles every pattern of c (indexed with klog_catalog_index). On a bad pattern
 * returns -EINVAL with e->msg saying why and *pat set to its index (so the caller can
 * name file:line); other failures -ENOMEM/-EIO with *pat = -1. c must outlive m. */
int klog_matcher_build(struct klog_matcher *m, const struct klog_catalog *c, struct perr *e,
		       long *pat);
/* The same, choosing PCRE2 JIT: kres serve confirms a few records a minute and its
 * unit forbids writable executable memory (MemoryDenyWriteExecute). */
int klog_matcher_build_jit(struct klog_matcher *m, const struct klog_catalog *c, struct perr *e,
			   long *pat, bool jit);
void klog_matcher_release(struct klog_matcher *m);

/* Scans buf (len bytes of whole lines) and fills m->cands with the lines some
 * pattern may match, in line order. Returns 0 or -EIO (a Hyperscan error). */
int klog_matcher_scan(struct klog_matcher *m, const char *buf, size_t len);

/* Confirms candidate patterns pats[0..n) (ascending) on the message msg: returns the
 * first that PCRE2 matches, with its fields in f (*nf of them), or -1. */
long klog_matcher_confirm(struct klog_matcher *m, const uint32_t *pats, size_t n, const char *msg,
			  size_t len, struct klog_field *f, size_t *nf);

/* Scan and confirm one message: the winning pattern or -1. */
long klog_matcher_match(struct klog_matcher *m, const char *msg, size_t len,
			struct klog_field *f, size_t *nf);

#endif
