/* SPDX-License-Identifier: MIT */
/* The event assembler: turns matched lines into events, gathering a multi-line
 * report (an OOM report with its task dump, a soft lockup with its stack) into ONE
 * event, and counting rate-limit and loss markers. Semantics: docs/signatures.md. */
#ifndef KRES_KLOG_ASM_H
#define KRES_KLOG_ASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "klog/catalog.h"
#include "klog/match.h"
#include "klog/record.h"

#define KLOG_MAX_FRAMES 5
#define KLOG_MSG_MAX 512 /* bytes of the message kept per event */
#define KLOG_VAL_MAX 256 /* bytes of a field value */

struct klog_kv {
	char name[32];
	char *val;
};

struct klog_event {
	uint32_t sig;         /* signature index in the catalog */
	const char *category; /* the signature's category, or the one a part promoted */
	enum klog_sev sev;
	uint64_t count;      /* occurrences folded into this event */
	uint64_t suppressed; /* messages the kernel suppressed (rate limits) after it */
	int64_t first_mono, last_mono, first_wall, last_wall; /* -1 unknown */
	bool wall_utc;
	int level, facility; /* of the first line, -1 unknown */
	bool has_seq;
	uint64_t seq;
	char boot_id[33];
	char *message; /* the text of the line that made the event */
	char *kdevice; /* kmsg DEVICE= of that line, or NULL */
	struct klog_kv fields[KLOG_MAX_FIELDS + 8];
	size_t nfields;
	char *frames[KLOG_MAX_FRAMES];
	size_t nframes;
	const char *source; /* input name (not owned) */
	unsigned input;     /* number of the input (klog_asm.input) */
	uint64_t lineno;
	char *subject; /* the fold key's values, "" when none */
};

/* Frees what an event owns. */
void klog_event_release(struct klog_event *ev);
/* The value of field name, or NULL. */
const char *klog_event_field(const struct klog_event *ev, const char *name);

struct klog_asm_ops {
	/* Receives each finished event; owns it from then on (klog_event_release). */
	void (*emit)(void *ctx, struct klog_event *ev);
	/* n messages suppressed, attributed to the last event of signature sig (-1: none). */
	void (*suppressed)(void *ctx, long sig, uint64_t n);
};

struct klog_asm {
	const struct klog_catalog *cat;
	struct klog_asm_ops ops;
	void *ctx;
	const char *source; /* the input being read, for events */
	unsigned input;     /* its number: events sort by input, then line */
	/* The open report. */
	bool open, has_event, in_trace, trace_done;
	uint32_t opener;
	unsigned left;
	const char *promote;
	struct klog_event ev;
	/* For attributing rate-limit counts: position (input << 44 | line) + 1 of each
	 * signature's last event, 0 none. */
	uint64_t *last_emit;
	/* Totals. */
	uint64_t lost, suppressed, events;
};

void klog_asm_init(struct klog_asm *a, const struct klog_catalog *c, const struct klog_asm_ops *ops,
		   void *ctx);
void klog_asm_release(struct klog_asm *a);

/* Feeds one record: pat is the matched pattern (-1 when none matched), f its fields.
 * Unmatched records only matter while a report is open (klog_asm_open). */
void klog_asm_feed(struct klog_asm *a, const struct klog_rec *r, long pat,
		   const struct klog_field *f, size_t nf);
/* True while a report is open and wants every line. */
static inline bool klog_asm_open(const struct klog_asm *a)
{
	return a->open;
}
/* A line of another program (a syslog tag, a journal transport) was read: it counts
 * in the open report's window as the kernel's own lines do. */
void klog_asm_skip(struct klog_asm *a);
/* Adds n records lost by the source (a kmsg sequence gap, EPIPE). */
void klog_asm_lost(struct klog_asm *a, uint64_t n);
/* Closes the open report (end of input, or the follower is idle). */
void klog_asm_flush(struct klog_asm *a);

/* Numeric fields are printed as JSON numbers: docs/log-json.md. */
bool klog_field_numeric(const char *name);

#endif
