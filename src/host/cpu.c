// SPDX-License-Identifier: MIT
/* CPU facts from text the kernel prints: sysfs range lists (lib/vsprintf.c
 * bitmap_list_string, "%*pbl"), the aggregate line of /proc/stat (fs/proc/stat.c
 * show_stat) and /proc/cpuinfo (arch/x86/kernel/cpu/proc.c show_cpuinfo). */
#include "host/cpu.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* Above any NR_CPUS or MAX_NUMNODES a kernel is built with (8192 at most today);
 * it keeps the count of a hostile "0-4294967295" from overflowing. */
#define CPU_NUM_MAX (1u << 20)

/* Parses one "N" or "A-B" item into [*lo, *hi]. */
static int parse_range(struct span item, uint64_t *lo, uint64_t *hi, struct perr *err)
{
	const char *dash = memchr(item.p, '-', item.n);
	struct span a = {item.p, dash ? (size_t)(dash - item.p) : item.n};
	struct span b = dash ? (struct span){dash + 1, item.n - a.n - 1} : a;
	int rc = parse_u64(a, lo);
	if (!rc)
		rc = parse_u64(b, hi);
	if (rc == -EINVAL) {
		perr_set(err, 1, "expected 'N' or 'N-M' between commas");
		return -EINVAL;
	}
	if (rc || *hi >= CPU_NUM_MAX) {
		perr_set(err, 1, "number too large for a cpu or node");
		return -EINVAL;
	}
	if (*lo > *hi) {
		perr_set(err, 1, "range %llu-%llu runs backwards", (unsigned long long)*lo,
		         (unsigned long long)*hi);
		return -EINVAL;
	}
	return 0;
}

int cpulist_parse(const char *buf, size_t len, unsigned *count, struct perr *err)
{
	*count = 0;
	if (len && buf[len - 1] == '\n')
		len--;
	if (memchr(buf, '\n', len)) {
		perr_set(err, 1, "expected one line");
		return -EINVAL;
	}
	if (len == 0)
		return 0; /* an empty mask, e.g. no isolated cpus */
	unsigned total = 0;
	uint64_t lo, hi, prev = 0;
	const char *p = buf, *end = buf + len;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		struct span item = {p, comma ? (size_t)(comma - p) : (size_t)(end - p)};
		if (parse_range(item, &lo, &hi, err))
			return -EINVAL;
		/* The kernel prints ranges in increasing order; anything else would be
		 * counted twice. */
		if (total && lo <= prev) {
			perr_set(err, 1, "ranges overlap or are out of order");
			return -EINVAL;
		}
		total += (unsigned)(hi - lo + 1);
		prev = hi;
		if (!comma)
			break;
		p = comma + 1;
	}
	*count = total;
	return 0;
}

/* Where the first eight numbers after "cpu" go, in the kernel's order. */
static uint64_t *cpustat_slot(struct cpustat *cs, size_t i)
{
	uint64_t *slots[] = {&cs->user,   &cs->nice, &cs->system,  &cs->idle,
	                     &cs->iowait, &cs->irq,  &cs->softirq, &cs->steal};
	return i < ARRAY_SIZE(slots) ? slots[i] : NULL;
}

static int cpustat_line(struct span line, unsigned lineno, struct cpustat *cs, struct perr *err)
{
	/* user nice system idle since forever, iowait irq softirq (2.5.41), steal
	 * (2.6.11), guest (2.6.24), guest_nice (2.6.33). */
	struct span tok[12];
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt < 5) {
		perr_set(err, lineno, "expected at least 4 numbers after 'cpu', found %zu", nt - 1);
		return -EINVAL;
	}
	/* A later kernel may add columns: those beyond the token array are ignored. */
	if (nt > ARRAY_SIZE(tok))
		nt = ARRAY_SIZE(tok);
	for (size_t i = 1; i < nt; i++) {
		uint64_t v;
		int rc = parse_u64(tok[i], &v);
		if (rc) {
			perr_set(err, lineno,
			         rc == -ERANGE ? "number %zu after 'cpu' is out of range"
			                       : "number %zu after 'cpu' is not a number",
			         i);
			return rc;
		}
		uint64_t *slot = cpustat_slot(cs, i - 1);
		if (slot)
			*slot = v;
	}
	cs->nfields = (int)nt - 1;
	return 0;
}

int cpustat_parse(const char *buf, size_t len, struct cpustat *cs, struct perr *err)
{
	struct lineiter it;
	struct span line;
	memset(cs, 0, sizeof(*cs));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (!span_startswith(line, "cpu "))
			continue;
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			return -EINVAL;
		}
		int rc = cpustat_line(line, it.lineno, cs, err);
		if (rc)
			memset(cs, 0, sizeof(*cs));
		return rc;
	}
	perr_set(err, 0, "no aggregate 'cpu' line");
	return -EINVAL;
}

uint64_t cpustat_total(const struct cpustat *cs)
{
	const uint64_t v[] = {cs->user,   cs->nice, cs->system,  cs->idle,
	                      cs->iowait, cs->irq,  cs->softirq, cs->steal};
	uint64_t sum = 0;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		sum = v[i] > UINT64_MAX - sum ? UINT64_MAX : sum + v[i];
	return sum;
}

/* Splits a cpuinfo line "key\t\t: value" into its trimmed key and value. */
static bool cpuinfo_split(struct span line, struct span *key, struct span *val)
{
	const char *colon = memchr(line.p, ':', line.n);
	if (!colon)
		return false;
	*key = span_trim((struct span){line.p, (size_t)(colon - line.p)});
	*val = span_trim((struct span){colon + 1, line.n - (size_t)(colon - line.p) - 1});
	return true;
}

/* The value of the first line whose key is key. */
static bool cpuinfo_find(const char *buf, size_t len, const char *key, struct span *val)
{
	struct lineiter it;
	struct span line, k;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line))
		if (cpuinfo_split(line, &k, val) && span_eq(k, key))
			return true;
	return false;
}

bool cpuinfo_has_flag(const char *buf, size_t len, const char *flag)
{
	struct span val, tok[1];
	if (!*flag || !cpuinfo_find(buf, len, "flags", &val))
		return false;
	/* Walk the words one at a time: x86 lists well over a hundred. */
	while (span_split_ws(val, tok, 1)) {
		if (span_eq(tok[0], flag))
			return true;
		size_t used = (size_t)(tok[0].p + tok[0].n - val.p);
		val.p += used;
		val.n -= used;
	}
	return false;
}

bool cpuinfo_field(const char *buf, size_t len, const char *key, char *out, size_t n)
{
	struct span val;
	if (n == 0 || !cpuinfo_find(buf, len, key, &val))
		return false;
	span_copy(val, out, n); /* a long model name may be cut; it is for display */
	return true;
}
