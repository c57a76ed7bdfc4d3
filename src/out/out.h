/* SPDX-License-Identifier: MIT */
/* Renderers of a finished audit: text for people, JSON for programs (schema in
 * docs/check-json.md), and the one-line monitoring-plugin status with perfdata. */
#ifndef KRES_OUT_H
#define KRES_OUT_H

#include <stdbool.h>

#include "check/check.h"
#include "util/buf.h"

struct out_opts {
	bool color;   /* ANSI colours (only on a terminal) */
	bool verbose; /* details for passing checks too */
};

void out_text(const struct check_ctx *c, const struct out_opts *o, struct buf *b);
void out_json(const struct check_ctx *c, struct buf *b);
void out_nagios(const struct check_ctx *c, struct buf *b);

/* docs/checks.md: every rule with its requirement, severity, why and source. */
void out_rules_markdown(struct buf *b);

/* Calls fn for every input that could not be read or parsed (SRC_ERROR), with its
 * message; used for stderr and for the JSON "inputs" list. */
void out_each_input_error(const struct check_ctx *c, void (*fn)(const char *err, void *arg),
			  void *arg);

/* Counts of findings by outcome. */
struct out_counts {
	unsigned crit, high, medium, low, ok, info, skip, unknown;
};
void out_count(const struct check_ctx *c, struct out_counts *n);
/* "OK", "WARNING", "CRITICAL", "UNKNOWN" for an exit code. */
const char *out_state_name(int code);

#endif
