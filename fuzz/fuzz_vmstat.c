// SPDX-License-Identifier: MIT
/* libFuzzer target for the /proc/vmstat parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/vmstat.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct vmstat vs;
	struct perr e = {0};
	if (vmstat_parse(buf, n, &vs, &e) == 0 && (vs.present >> VS__COUNT) != 0)
		__builtin_trap();
	free(buf);
	return 0;
}
