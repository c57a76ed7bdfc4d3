// SPDX-License-Identifier: MIT
/* libFuzzer target for the /proc/sys value parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/sysctl.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	for (int max = 1; max <= SYSCTL_MAXVALS; max++) {
		/* Exactly max slots, so ASan catches a write past them. */
		uint64_t *v = malloc(sizeof(*v) * (size_t)max);
		int got = -1;
		struct perr e = {0};
		int rc = sysctl_parse(buf, n, v, max, &got, &e);
		if ((rc == 0 && (got < 1 || got > max)) || (rc != 0 && got != 0))
			__builtin_trap();
		free(v);
	}
	free(buf);
	return 0;
}
