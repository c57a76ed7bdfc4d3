/* SPDX-License-Identifier: MIT */
/* /proc/meminfo: the fields kres uses, with which of them the kernel printed. */
#ifndef KRES_MEMINFO_H
#define KRES_MEMINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/text.h"

enum mi_field {
	MI_MEMTOTAL,
	MI_MEMFREE,
	MI_MEMAVAILABLE,
	MI_BUFFERS,
	MI_CACHED,
	MI_SWAPCACHED,
	MI_SWAPTOTAL,
	MI_SWAPFREE,
	MI_SHMEM,
	MI_ANONHUGEPAGES,
	MI_COMMITLIMIT,
	MI_COMMITTED_AS,
	MI_HUGEPAGES_TOTAL, /* a count of pages, not kB */
	MI_HUGEPAGES_FREE,  /* count */
	MI_HUGEPAGES_RSVD,  /* count */
	MI_HUGEPAGES_SURP,  /* count */
	MI_HUGEPAGESIZE,
	MI_HUGETLB,
	MI__COUNT
};

struct meminfo {
	uint32_t present;      /* bit (1u << field) set when the kernel printed it */
	uint64_t v[MI__COUNT]; /* kB, except the HugePages_* counts */
};

/* Parses the text of /proc/meminfo. Unknown keys are skipped; a known key with a
 * malformed value, a line without "key:", or a last line cut short is an error
 * (-EINVAL, *err says the line). MemTotal is required. Returns 0 or -EINVAL. */
int meminfo_parse(const char *buf, size_t len, struct meminfo *mi, struct perr *err);
bool meminfo_has(const struct meminfo *mi, enum mi_field f);
/* The key as the kernel prints it ("MemTotal"). */
const char *meminfo_name(enum mi_field f);

#endif
