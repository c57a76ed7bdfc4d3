// SPDX-License-Identifier: MIT
/* libFuzzer target for the /proc/swaps parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/swaps.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct swaps sw;
	struct perr e = {0};
	if (swaps_parse(buf, n, &sw, &e) == 0 && !memchr(sw.first, '\0', sizeof(sw.first)))
		__builtin_trap();
	free(buf);
	return 0;
}
