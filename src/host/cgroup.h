/* SPDX-License-Identifier: MIT */
/* The memory limit that applies to a process through its cgroup (v2 memory.max or
 * v1 memory.limit_in_bytes), the smallest along the path to the root. */
#ifndef KRES_CGROUP_H
#define KRES_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "host/proc.h"
#include "util/rootfs.h"
#include "util/text.h"

struct cg_memlimit {
	bool limited;
	uint64_t bytes;  /* the smallest limit found */
	char file[256];  /* shown path of the file holding it */
	int version;     /* 1 or 2; 0 when no memory controller was found */
};

/* Parses a limit file's text: "max" (v2) or a byte count; v1 values at or above
 * 2^62 mean unlimited. Sets *unlimited. Returns 0 or -EINVAL. */
int cgroup_parse_limit(const char *buf, size_t len, uint64_t *bytes, bool *unlimited);
/* Walks from the process's cgroup to the root and keeps the smallest limit. */
void cgroup_memlimit_read(const struct rootfs *r, const struct pid_cgroup *cg,
			  struct cg_memlimit *out);

#endif
