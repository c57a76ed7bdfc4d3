// SPDX-License-Identifier: MIT
/* libFuzzer target for the systemd INI parser and its boolean words. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/ini.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* Touches every byte delivered, so ASan sees any string that is not terminated,
 * and checks the documented bounds. */
static int visit(const char *section, const char *key, const char *value, unsigned line,
		 void *ctx)
{
	size_t *count = ctx;
	if (line == 0 || strlen(key) == 0 || strlen(key) > 4096 || strlen(value) > 4096)
		__builtin_trap();
	(void)strlen(section);
	(void)ini_parse_bool(value);
	return ++*count > 100000 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	size_t count = 0;
	struct perr e = {0};
	(void)ini_parse(buf, n, visit, &count, &e);
	free(buf);
	return 0;
}
