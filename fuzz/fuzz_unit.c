// SPDX-License-Identifier: MIT
/* libFuzzer target for systemd unit files: [Service] settings and Environment=
 * word splitting with quotes and escapes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/unit.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	struct unit_info *u = calloc(1, sizeof(*u));
	if (!buf || !u) {
		free(buf);
		free(u);
		return 0;
	}
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct perr e = {0};
	(void)unit_parse(buf, n, "/etc/systemd/system/x.service", u, &e);
	if (u->nenv > UNIT_MAX_ENV)
		__builtin_trap();
	for (size_t i = 0; i < u->nenv; i++)
		if (unit_env_get(u, u->env[i].name) != &u->env[i])
			__builtin_trap(); /* names are unique */
	unit_release(u);
	free(u);
	free(buf);
	return 0;
}
