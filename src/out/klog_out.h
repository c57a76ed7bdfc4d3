/* SPDX-License-Identifier: MIT */
/* Renderers of kres log: the text timeline, JSON lines (docs/log-json.md), the
 * summary per category, and the catalog as docs/signatures.md or as patterns. */
#ifndef KRES_KLOG_OUT_H
#define KRES_KLOG_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "klog/asm.h"
#include "klog/catalog.h"
#include "klog/fold.h"
#include "klog/scan.h"
#include "util/buf.h"

struct klog_input_info {
	const char *name;   /* file name, "-", /dev/kmsg, "journal" */
	const char *format; /* klog_fmt_name() */
	struct klog_stats st;
	char error[256];    /* empty when read to the end */
};

struct klog_totals {
	uint64_t events;     /* events before folding */
	uint64_t suppressed; /* messages suppressed by kernel rate limits */
	uint64_t lost;       /* records lost (kmsg gaps, journald "Missed") */
	uint64_t overflow;   /* events beyond the fold table */
};

void klog_out_event_text(struct buf *b, const struct klog_catalog *c, const struct klog_event *ev,
			 bool verbose);
void klog_out_event_json(struct buf *b, const struct klog_catalog *c, const struct klog_event *ev);
/* The line after a text timeline: what was read and whether counts are lower bounds. */
void klog_out_footer_text(struct buf *b, const struct klog_fold *f,
			  const struct klog_input_info *in, size_t nin, const struct klog_totals *t);
void klog_out_summary_text(struct buf *b, const struct klog_catalog *c, const struct klog_fold *f,
			   const struct klog_input_info *in, size_t nin, const struct klog_totals *t);
void klog_out_summary_json(struct buf *b, const struct klog_catalog *c, const struct klog_fold *f,
			   const struct klog_input_info *in, size_t nin, const struct klog_totals *t);
/* One row per category of the folded events, most severe first, then most frequent. */
struct klog_catrow {
	const char *category;
	enum klog_sev sev;
	uint64_t count, suppressed;
	uint32_t top_sig; /* the signature with the most events in the category */
	uint64_t top_count;
};
/* Returns the rows (caller frees) and their number in *nrows. */
struct klog_catrow *klog_out_category_rows(const struct klog_catalog *c, const struct klog_fold *f,
					   size_t *nrows);

/* docs/signatures.md. */
void klog_out_signatures_md(struct buf *b, const struct klog_catalog *c);
/* Every pattern, one per line: as written (PCRE), or translated to POSIX ERE (as GNU
 * grep -E reads it) for comparisons with grep. */
void klog_out_patterns(struct buf *b, const struct klog_catalog *c, bool ere);

#endif
