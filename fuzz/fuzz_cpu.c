// SPDX-License-Identifier: MIT
/* libFuzzer target for the cpu list, /proc/stat and /proc/cpuinfo parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/cpu.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct perr e = {0};
	unsigned count;
	(void)cpulist_parse(buf, n, &count, &e);
	struct cpustat cs;
	if (cpustat_parse(buf, n, &cs, &e) == 0 && (cs.nfields < 4 || cs.nfields > 10))
		__builtin_trap();
	(void)cpustat_total(&cs);
	(void)cpuinfo_has_flag(buf, n, "avx2");
	(void)cpuinfo_has_flag(buf, n, "fpu");
	char out[16];
	if (cpuinfo_field(buf, n, "model name", out, sizeof(out)) &&
	    !memchr(out, '\0', sizeof(out)))
		__builtin_trap();
	free(buf);
	return 0;
}
