/* SPDX-License-Identifier: MIT */
/* The signature catalog: what kres log knows about kernel and VM-console messages.
 * It is text in one format for the built-in catalog (src/klog/signatures.conf,
 * compiled into the binary) and for users' /etc/kres/signatures.d/NAME.conf files:
 *
 *   [signature_id]
 *   category = soft_lockup
 *   severity = critical | high | medium | low
 *   match = PCRE pattern with (?<field>...) groups   (one per format era)
 *   explain = ...   remedy = ...   checks = VM-02 NFS-01   era = ...
 *   sample = message text the signature must match   (one or more)
 *   report = stack|oom|group [LINES]   part = yes   ends = yes
 *   absorbs = CATEGORY...   promote = CATEGORY   ratelimit = NAME...   subject = FIELD...
 *
 * docs/signatures.md describes every key; the parser checks them all. */
#ifndef KRES_KLOG_CATALOG_H
#define KRES_KLOG_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/text.h"

enum klog_sev { KSEV_LOW, KSEV_MEDIUM, KSEV_HIGH, KSEV_CRITICAL };

/* How a signature gathers the lines after it into one event. */
enum klog_report {
	KREP_NONE,  /* a one-line event */
	KREP_STACK, /* CPU/PID/Comm, RIP and the top frames of the call trace follow */
	KREP_OOM,   /* an OOM report: parts until the Killed process line */
	KREP_GROUP, /* only absorbs the listed categories' lines */
};

/* Special categories that count instead of making events. */
enum klog_special { KSPEC_NONE, KSPEC_RATELIMIT, KSPEC_LOG_LOSS };

struct klog_words {
	char **v;
	size_t n;
};

struct klog_sig {
	char *id, *category, *explain, *remedy, *era, *promote;
	enum klog_sev sev;
	enum klog_special special;
	enum klog_report report;
	unsigned window; /* lines a report stays open */
	bool part, ends;
	struct klog_words match, sample, checks, absorbs, ratelimit, subject;
	unsigned *match_line; /* line of each match key, for errors */
	char *file;           /* where it was defined */
	unsigned line;
};

/* Pattern i of the catalog: signature sig's match number k. Patterns are numbered in
 * catalog order, so a lower pattern number belongs to an earlier signature. */
struct klog_pat {
	uint32_t sig;
	const char *re;
	const char *file;
	unsigned line;
};

struct klog_catalog {
	struct klog_sig *sigs;
	size_t nsigs, capsigs;
	struct klog_pat *pats;
	size_t npats, cappats;
};

/* Parses catalog text (len bytes) named name (a file path, used in messages) and
 * appends its signatures. Returns 0, or -EINVAL with e->line and e->msg set; the
 * signatures before the error stay. Pattern syntax is checked when the matcher
 * compiles them (klog_matcher_build). */
int klog_catalog_parse(struct klog_catalog *c, const char *text, size_t len, const char *name,
		       struct perr *e);
/* Appends the built-in catalog. Returns 0 or -EINVAL (a broken build). */
int klog_catalog_load_builtin(struct klog_catalog *c, struct perr *e);
/* Appends every *.conf file in dir, in name order. A missing dir is not an error.
 * Returns 0, or -errno / -EINVAL with the file's path in *bad (static) and e set. */
int klog_catalog_load_dir(struct klog_catalog *c, const char *dir, const char **bad,
			  struct perr *e);
/* Builds the pattern index (c->pats) after loading. */
void klog_catalog_index(struct klog_catalog *c);
/* The signature with this id, or NULL. */
const struct klog_sig *klog_catalog_find(const struct klog_catalog *c, const char *id);
void klog_catalog_release(struct klog_catalog *c);

const char *klog_sev_name(enum klog_sev s);
/* Parses "critical", "high", "medium", "low" (also "crit", "med"). 0 or -EINVAL. */
int klog_sev_parse(const char *s, enum klog_sev *out);
/* True for words in list. */
bool klog_words_has(const struct klog_words *w, const char *s);

/* The built-in catalog text (catalog_data.c). */
extern const char klog_builtin_catalog[];
extern const size_t klog_builtin_catalog_len;

#endif
