/* SPDX-License-Identifier: MIT */
/* Swap devices from /proc/swaps. */
#ifndef KRES_SWAPS_H
#define KRES_SWAPS_H

#include <stddef.h>
#include <stdint.h>

#include "util/text.h"

struct swaps {
	unsigned n;       /* active swap areas */
	uint64_t size_kb; /* sum of sizes */
	uint64_t used_kb; /* sum of used */
	char first[128];  /* the first area's name, for messages */
};

/* Parses /proc/swaps (header line, then Filename Type Size Used Priority). */
int swaps_parse(const char *buf, size_t len, struct swaps *sw, struct perr *err);

#endif
