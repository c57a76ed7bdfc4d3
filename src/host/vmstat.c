// SPDX-License-Identifier: MIT
/* Parsing the event counters kres reads from /proc/vmstat ("name value" lines from
 * mm/vmstat.c vmstat_show() and the vmstat_text[] names). */
#include "host/vmstat.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* Which counter a line feeds. Summed rows add up per-zone counters into one. */
static const struct {
	const char *name;
	enum vs_field f;
	bool sum;
} names[] = {
    {"pswpin", VS_PSWPIN, false},
    {"pswpout", VS_PSWPOUT, false},
    {"pgmajfault", VS_PGMAJFAULT, false},
    {"oom_kill", VS_OOM_KILL, false}, /* since 4.13 */
    /* One counter until 4.9; per zone since 4.10 ("allocstall_" TEXTS_FOR_ZONES). */
    {"allocstall", VS_ALLOCSTALL, false},
    {"allocstall_dma", VS_ALLOCSTALL, true},
    {"allocstall_dma32", VS_ALLOCSTALL, true},
    {"allocstall_normal", VS_ALLOCSTALL, true},
    {"allocstall_high", VS_ALLOCSTALL, true}, /* 32-bit kernels with CONFIG_HIGHMEM */
    {"allocstall_movable", VS_ALLOCSTALL, true},
    {"allocstall_device", VS_ALLOCSTALL, true},     /* CONFIG_ZONE_DEVICE, 4.x+ */
    {"compact_stall", VS_COMPACT_STALL, false},     /* CONFIG_COMPACTION */
    {"thp_fault_alloc", VS_THP_FAULT_ALLOC, false}, /* CONFIG_TRANSPARENT_HUGEPAGE */
    /* Reclaim counted per node since 4.8 (the node-LRU series); per zone before, as
     * "pgscan_kswapd_normal" and so on (TEXTS_FOR_ZONES). pgscan_direct_throttle
     * (3.6+) counts throttled direct reclaimers, not pages, and is left out. */
    {"pgscan_kswapd", VS_PGSCAN_KSWAPD, false},
    {"pgscan_kswapd_dma", VS_PGSCAN_KSWAPD, true},
    {"pgscan_kswapd_dma32", VS_PGSCAN_KSWAPD, true},
    {"pgscan_kswapd_normal", VS_PGSCAN_KSWAPD, true},
    {"pgscan_kswapd_high", VS_PGSCAN_KSWAPD, true},
    {"pgscan_kswapd_movable", VS_PGSCAN_KSWAPD, true},
    {"pgscan_kswapd_device", VS_PGSCAN_KSWAPD, true},
    {"pgscan_direct", VS_PGSCAN_DIRECT, false},
    {"pgscan_direct_dma", VS_PGSCAN_DIRECT, true},
    {"pgscan_direct_dma32", VS_PGSCAN_DIRECT, true},
    {"pgscan_direct_normal", VS_PGSCAN_DIRECT, true},
    {"pgscan_direct_high", VS_PGSCAN_DIRECT, true},
    {"pgscan_direct_movable", VS_PGSCAN_DIRECT, true},
    {"pgscan_direct_device", VS_PGSCAN_DIRECT, true},
    {"pgsteal_kswapd", VS_PGSTEAL_KSWAPD, false},
    {"pgsteal_kswapd_dma", VS_PGSTEAL_KSWAPD, true},
    {"pgsteal_kswapd_dma32", VS_PGSTEAL_KSWAPD, true},
    {"pgsteal_kswapd_normal", VS_PGSTEAL_KSWAPD, true},
    {"pgsteal_kswapd_high", VS_PGSTEAL_KSWAPD, true},
    {"pgsteal_kswapd_movable", VS_PGSTEAL_KSWAPD, true},
    {"pgsteal_kswapd_device", VS_PGSTEAL_KSWAPD, true},
    {"pgsteal_direct", VS_PGSTEAL_DIRECT, false},
    {"pgsteal_direct_dma", VS_PGSTEAL_DIRECT, true},
    {"pgsteal_direct_dma32", VS_PGSTEAL_DIRECT, true},
    {"pgsteal_direct_normal", VS_PGSTEAL_DIRECT, true},
    {"pgsteal_direct_high", VS_PGSTEAL_DIRECT, true},
    {"pgsteal_direct_movable", VS_PGSTEAL_DIRECT, true},
    {"pgsteal_direct_device", VS_PGSTEAL_DIRECT, true},
    /* The same reclaimed pages again, by LRU type, on newer kernels (which also
     * count pgsteal_khugepaged): summing both families would count them twice. */
    {"pgsteal_anon", VS_PGSTEAL_ANON, false},
    {"pgsteal_file", VS_PGSTEAL_FILE, false},
    /* mm/workingset.c: one counter from 3.15, split by LRU type in 5.9. */
    {"workingset_refault", VS_WORKINGSET_REFAULT, false},
    {"workingset_refault_anon", VS_WORKINGSET_REFAULT, true},
    {"workingset_refault_file", VS_WORKINGSET_REFAULT, true},
    {"pgfault", VS_PGFAULT, false},
    {"pageoutrun", VS_PAGEOUTRUN, false},
    {"pgpgin", VS_PGPGIN, false},
    {"pgpgout", VS_PGPGOUT, false},
};

/* present is a 32-bit mask. */
_Static_assert(VS__COUNT <= 32, "struct vmstat present has 32 bits");

static int parse_line(struct span line, unsigned lineno, struct vmstat *vs, struct perr *err)
{
	struct span tok[3];
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt == 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!span_eq(tok[0], names[i].name))
			continue;
		uint64_t v;
		if (nt != 2 || parse_u64(tok[1], &v)) {
			perr_set(err, lineno, "expected one number after '%s'", names[i].name);
			return -EINVAL;
		}
		enum vs_field f = names[i].f;
		if (names[i].sum && (vs->present & (1u << f)))
			v = v > UINT64_MAX - vs->v[f] ? UINT64_MAX : vs->v[f] + v;
		vs->v[f] = v;
		vs->present |= 1u << f;
		return 0;
	}
	return 0; /* one of the ~200 counters kres does not use */
}

int vmstat_parse(const char *buf, size_t len, struct vmstat *vs, struct perr *err)
{
	struct lineiter it;
	struct span line;
	memset(vs, 0, sizeof(*vs));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		if (parse_line(line, it.lineno, vs, err))
			goto fail;
	}
	if (it.lineno == 0) {
		perr_set(err, 0, "empty file");
		goto fail;
	}
	return 0;
fail:
	memset(vs, 0, sizeof(*vs));
	return -EINVAL;
}

bool vmstat_has(const struct vmstat *vs, enum vs_field f)
{
	return (unsigned)f < VS__COUNT && (vs->present & (1u << f));
}
