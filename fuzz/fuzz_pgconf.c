// SPDX-License-Identifier: MIT
/* libFuzzer target for workload/pgconf: the configuration lexer, and the value
 * parsers on the whole input and on every value the lexer finds. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "workload/pgconf.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every base unit, so that each block of the conversion table is reached. */
static const enum pg_unit bases[] = {
    PGU_NONE, PGU_BYTE, PGU_KB, PGU_BLOCKS, PGU_MB, PGU_MS, PGU_S, PGU_MIN,
};

static void parse_value(const char *v)
{
	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		int64_t out = 0;
		if (pg_parse_int(v, bases[i], &out) == 0 && (out < INT32_MIN || out > INT32_MAX))
			abort();
	}
	int b = pg_parse_bool(v);
	if (b != 0 && b != 1 && b != -EINVAL)
		abort();
}

/* Counts items and checks what the lexer promises about them. */
static int count_item(enum pgconf_item kind, const char *name, const char *value, unsigned line,
                      void *ctx)
{
	size_t *n = ctx;
	if (kind > PGC_INCLUDE_DIR || !name[0] || line == 0)
		abort();
	for (const char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			abort();
	parse_value(value);
	++*n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that ASan catches a read past len. */
	char *buf = xmalloc(size);
	memcpy(buf, data, size);
	struct perr err = {0};
	size_t n = 0;
	int rc = pgconf_parse(buf, size, count_item, &n, &err);
	if (rc != 0 && (rc != -EINVAL || err.line == 0 || !err.msg[0]))
		abort();
	free(buf);

	char *s = xstrndup((const char *)data, size);
	parse_value(s);
	free(s);
	return 0;
}
