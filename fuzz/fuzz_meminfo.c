// SPDX-License-Identifier: MIT
/* libFuzzer target for the /proc/meminfo parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/meminfo.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct meminfo mi;
	struct perr e = {0};
	if (meminfo_parse(buf, n, &mi, &e) == 0) {
		/* A successful parse always has MemTotal. */
		if (!meminfo_has(&mi, MI_MEMTOTAL))
			__builtin_trap();
		for (int f = 0; f < MI__COUNT; f++)
			(void)meminfo_name((enum mi_field)f);
	} else if (mi.present != 0 || !memchr(e.msg, '\0', sizeof(e.msg))) {
		__builtin_trap();
	}
	free(buf);
	return 0;
}
