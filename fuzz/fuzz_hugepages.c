// SPDX-License-Identifier: MIT
/* libFuzzer target for the transparent huge page selector parser and the huge page
 * pool directory names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/hugepages.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	char out[16], tiny[2];
	if (thp_parse(buf, n, out, sizeof(out)) == 0 &&
	    (!out[0] || !memchr(out, '\0', sizeof(out))))
		__builtin_trap();
	(void)thp_parse(buf, n, tiny, sizeof(tiny));
	(void)thp_parse(buf, n, tiny, 0);
	uint64_t kb;
	if (hugepages_parse_dirname(buf, &kb) == 0 && kb == 0)
		__builtin_trap();
	free(buf);
	return 0;
}
