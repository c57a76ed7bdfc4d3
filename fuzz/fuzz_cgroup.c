// SPDX-License-Identifier: MIT
/* libFuzzer target for cgroup memory limit files (memory.max, memory.limit_in_bytes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/cgroup.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	uint64_t bytes = 0;
	bool unlimited = false;
	if (cgroup_parse_limit(buf, n, &bytes, &unlimited) == 0 && !unlimited &&
	    bytes >= (1ULL << 62))
		__builtin_trap(); /* such values mean "no limit" */
	free(buf);
	return 0;
}
