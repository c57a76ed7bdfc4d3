// SPDX-License-Identifier: MIT
/* libFuzzer target for the block queue scheduler line parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/blockdev.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	char cur[24], all[96];
	int rc = sched_parse(buf, n, cur, sizeof(cur), all, sizeof(all));
	/* On success the current choice is one of the listed names. */
	if (rc == 0 && (!cur[0] || !strstr(all, cur)))
		__builtin_trap();
	if (rc != 0 && (cur[0] || all[0]))
		__builtin_trap();
	/* Tiny buffers must be refused, not overrun. */
	(void)sched_parse(buf, n, cur, 1, all, 2);
	free(buf);
	return 0;
}
