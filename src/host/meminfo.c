// SPDX-License-Identifier: MIT
/* Parsing /proc/meminfo into the fields kres uses. The format is fixed by
 * fs/proc/meminfo.c meminfo_proc_show() and mm/hugetlb.c hugetlb_report_meminfo(). */
#include "host/meminfo.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* How the kernel prints a field: show_val_kb() appends " kB", the HugePages_*
 * lines are bare page counts ("HugePages_Total:   %5lu"). */
enum mi_unit { MI_KB, MI_PAGES };

static const struct {
	const char *name;
	enum mi_unit unit;
} fields[MI__COUNT] = {
    [MI_MEMTOTAL] = {"MemTotal", MI_KB},
    [MI_MEMFREE] = {"MemFree", MI_KB},
    [MI_MEMAVAILABLE] = {"MemAvailable", MI_KB}, /* since 3.14 */
    [MI_BUFFERS] = {"Buffers", MI_KB},
    [MI_CACHED] = {"Cached", MI_KB},
    [MI_SWAPCACHED] = {"SwapCached", MI_KB},
    [MI_SWAPTOTAL] = {"SwapTotal", MI_KB},
    [MI_SWAPFREE] = {"SwapFree", MI_KB},
    [MI_SHMEM] = {"Shmem", MI_KB},                 /* since 2.6.32 */
    [MI_ANONHUGEPAGES] = {"AnonHugePages", MI_KB}, /* CONFIG_TRANSPARENT_HUGEPAGE */
    [MI_COMMITLIMIT] = {"CommitLimit", MI_KB},
    [MI_COMMITTED_AS] = {"Committed_AS", MI_KB},
    [MI_HUGEPAGES_TOTAL] = {"HugePages_Total", MI_PAGES}, /* CONFIG_HUGETLB_PAGE */
    [MI_HUGEPAGES_FREE] = {"HugePages_Free", MI_PAGES},
    [MI_HUGEPAGES_RSVD] = {"HugePages_Rsvd", MI_PAGES},
    [MI_HUGEPAGES_SURP] = {"HugePages_Surp", MI_PAGES},
    [MI_HUGEPAGESIZE] = {"Hugepagesize", MI_KB},
    [MI_HUGETLB] = {"Hugetlb", MI_KB}, /* since 4.16 */
};

static int field_lookup(struct span key)
{
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (span_eq(key, fields[i].name))
			return (int)i;
	return -1;
}

/* Parses the value part of a known field: "  24684100 kB" or "     0". */
static int parse_value(struct span val, int f, uint64_t *out, unsigned line, struct perr *err)
{
	struct span tok[3];
	size_t nt = span_split_ws(val, tok, ARRAY_SIZE(tok));
	size_t want = fields[f].unit == MI_KB ? 2 : 1;
	int rc = nt ? parse_u64(tok[0], out) : -EINVAL;
	if (rc == -ERANGE) {
		perr_set(err, line, "value of '%s' is out of range", fields[f].name);
		return -EINVAL;
	}
	if (rc) {
		perr_set(err, line, "expected a number after '%s:'", fields[f].name);
		return -EINVAL;
	}
	if (want == 2 && (nt < 2 || !span_eq(tok[1], "kB"))) {
		perr_set(err, line, "expected 'kB' after the value of '%s'", fields[f].name);
		return -EINVAL;
	}
	if (nt > want) {
		perr_set(err, line, "unexpected text after the value of '%s'", fields[f].name);
		return -EINVAL;
	}
	return 0;
}

static int parse_line(struct span line, unsigned lineno, struct meminfo *mi, struct perr *err)
{
	const char *colon = memchr(line.p, ':', line.n);
	if (!colon || colon == line.p) {
		perr_set(err, lineno, "expected 'key:' at the start of the line");
		return -EINVAL;
	}
	struct span key = {line.p, (size_t)(colon - line.p)};
	struct span val = {colon + 1, line.n - key.n - 1};
	int f = field_lookup(key);
	if (f < 0)
		return 0; /* a field kres does not use, or one of a newer kernel */
	if (mi->present & (1u << f)) {
		/* The kernel prints each key once; a repeat means this is not meminfo. */
		perr_set(err, lineno, "'%s' appears twice", fields[f].name);
		return -EINVAL;
	}
	if (parse_value(val, f, &mi->v[f], lineno, err))
		return -EINVAL;
	mi->present |= 1u << f;
	return 0;
}

int meminfo_parse(const char *buf, size_t len, struct meminfo *mi, struct perr *err)
{
	struct lineiter it;
	struct span line;
	memset(mi, 0, sizeof(*mi));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		/* seq_file always ends each line; a missing newline means a short read. */
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		if (parse_line(line, it.lineno, mi, err))
			goto fail;
	}
	if (!meminfo_has(mi, MI_MEMTOTAL)) {
		perr_set(err, 0, "no 'MemTotal:' line");
		goto fail;
	}
	return 0;
fail:
	memset(mi, 0, sizeof(*mi));
	return -EINVAL;
}

bool meminfo_has(const struct meminfo *mi, enum mi_field f)
{
	return (unsigned)f < MI__COUNT && (mi->present & (1u << f));
}

const char *meminfo_name(enum mi_field f)
{
	return (unsigned)f < MI__COUNT ? fields[f].name : "?";
}
