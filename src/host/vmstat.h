/* SPDX-License-Identifier: MIT */
/* Event counters from /proc/vmstat that kres check reads once (since boot). */
#ifndef KRES_VMSTAT_H
#define KRES_VMSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/text.h"

enum vs_field {
	VS_PSWPIN,
	VS_PSWPOUT,
	VS_PGMAJFAULT,
	VS_OOM_KILL, /* since 4.13 */
	VS_ALLOCSTALL, /* sum of allocstall_* zones on 4.x+, or the single counter */
	VS_COMPACT_STALL,
	VS_THP_FAULT_ALLOC,
	VS__COUNT
};

struct vmstat {
	uint32_t present;
	uint64_t v[VS__COUNT];
};

/* Parses "name value" lines. Unknown names are skipped; a malformed value of a known
 * name is an error. Returns 0 or -EINVAL. */
int vmstat_parse(const char *buf, size_t len, struct vmstat *vs, struct perr *err);
bool vmstat_has(const struct vmstat *vs, enum vs_field f);

#endif
