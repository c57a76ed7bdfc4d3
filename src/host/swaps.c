// SPDX-License-Identifier: MIT
/* Parsing /proc/swaps, printed by mm/swapfile.c swap_show(): a header line, then
 * one row per active area with the name escaped by seq_file_path(" \t\n\\"). */
#include "host/swaps.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* The header has read the same since 2.6: "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority". */
static const char *const header[] = {"Filename", "Type", "Size", "Used", "Priority"};

enum { SW_NAME, SW_TYPE, SW_SIZE, SW_USED, SW_PRIO, SW__FIELDS };

static int check_header(struct span line, struct perr *err)
{
	struct span tok[SW__FIELDS + 1];
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	bool ok = nt == ARRAY_SIZE(header);
	for (size_t i = 0; ok && i < nt; i++)
		ok = span_eq(tok[i], header[i]);
	if (!ok) {
		perr_set(err, 1, "expected the header 'Filename Type Size Used Priority'");
		return -EINVAL;
	}
	return 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* One area: "/dev/vda2   partition	2097148	0	-2". Sizes are in kB. */
static int parse_row(struct span line, unsigned lineno, struct swaps *sw, struct perr *err)
{
	struct span tok[SW__FIELDS + 1];
	uint64_t size, used;
	int64_t prio;
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt != SW__FIELDS) {
		perr_set(err, lineno, "expected 5 fields (name type size used priority), found %zu",
		         nt);
		return -EINVAL;
	}
	if (parse_u64(tok[SW_SIZE], &size) || parse_u64(tok[SW_USED], &used)) {
		perr_set(err, lineno, "size and used must be numbers of kB");
		return -EINVAL;
	}
	if (parse_i64(tok[SW_PRIO], &prio)) {
		perr_set(err, lineno, "priority must be a number");
		return -EINVAL;
	}
	if (sw->n == 0)
		span_copy(tok[SW_NAME], sw->first, sizeof(sw->first)); /* for messages only */
	sw->n++;
	sw->size_kb = sat_add(sw->size_kb, size);
	sw->used_kb = sat_add(sw->used_kb, used);
	return 0;
}

int swaps_parse(const char *buf, size_t len, struct swaps *sw, struct perr *err)
{
	struct lineiter it;
	struct span line;
	memset(sw, 0, sizeof(*sw));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		int rc;
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			rc = -EINVAL;
		} else if (it.lineno == 1) {
			rc = check_header(line, err);
		} else {
			rc = parse_row(line, it.lineno, sw, err);
		}
		if (rc) {
			memset(sw, 0, sizeof(*sw));
			return rc;
		}
	}
	if (it.lineno == 0) {
		perr_set(err, 0, "empty file, expected a header line");
		return -EINVAL;
	}
	return 0;
}
