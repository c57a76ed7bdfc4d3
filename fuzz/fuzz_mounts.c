// SPDX-License-Identifier: MIT
/* libFuzzer target for the mountinfo parser, the mount lookup and option search. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/mounts.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct mounts m = {0};
	struct perr e = {0};
	if (mounts_parse(buf, n, &m, &e) == 0) {
		char val[16];
		for (size_t i = 0; i < m.n; i++) {
			const struct mount *mt = mounts_find(&m, m.v[i].target);
			if (!mt)
				__builtin_trap(); /* every target holds itself */
			mount_opt(m.v[i].superopts, "size", val, sizeof(val));
			mount_opt(m.v[i].opts, "rw", NULL, 0);
		}
		mounts_find(&m, "/var/lib/postgresql/15/main");
	}
	mounts_release(&m);
	free(buf);
	return 0;
}
