/* SPDX-License-Identifier: MIT */
/* Event counters from /proc/vmstat that kres check reads once (since boot) and kres
 * top reads each interval. */
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
	VS_OOM_KILL,   /* since 4.13 */
	VS_ALLOCSTALL, /* sum of allocstall_* zones on 4.x+, or the single counter */
	VS_COMPACT_STALL,
	VS_THP_FAULT_ALLOC,
	/* for kres top's reclaim rates */
	VS_PGSCAN_KSWAPD, /* one counter since 4.8; the sum of the zones before */
	VS_PGSCAN_DIRECT, /* the same; pgscan_direct_throttle is not included */
	VS_PGSTEAL_ANON,  /* newer kernels; the same pages as kswapd + direct */
	VS_PGSTEAL_FILE,
	VS_PGSTEAL_KSWAPD,     /* one counter since 4.8; the sum of the zones before */
	VS_PGSTEAL_DIRECT,     /* the same */
	VS_WORKINGSET_REFAULT, /* workingset_refault (3.15-5.8) or _anon + _file (5.9+) */
	VS_PGFAULT,
	VS_PAGEOUTRUN, /* times kswapd ran its reclaim loop */
	VS_PGPGIN,     /* KiB read from block devices */
	VS_PGPGOUT,    /* KiB written */
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
