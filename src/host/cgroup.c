// SPDX-License-Identifier: MIT
/* The cgroup memory limit over a process: the smallest memory.max (v2) or
 * memory.limit_in_bytes (v1) on the path from its cgroup up to the root, since the
 * kernel charges every ancestor and the tightest one triggers the OOM killer. */
#include "host/cgroup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

/* Limit files hold one number or "max". */
#define LIMIT_MAX_BYTES 4096

/* cgroup v1 shows "no limit" as PAGE_COUNTER_MAX pages in bytes
 * (mm/memcontrol.c: LONG_MAX / PAGE_SIZE * PAGE_SIZE = 9223372036854771712 with
 * 4 KiB pages), which varies with the page size; nothing real comes near 2^62. */
#define V1_UNLIMITED_FROM (1ULL << 62)

int cgroup_parse_limit(const char *buf, size_t len, uint64_t *bytes, bool *unlimited)
{
	struct span s = span_trim((struct span){buf, len});
	*unlimited = false;
	/* Documentation/admin-guide/cgroup-v2.rst: memory.max is "max" when unset. */
	if (span_eq(s, "max")) {
		*unlimited = true;
		*bytes = UINT64_MAX;
		return 0;
	}
	uint64_t v;
	if (parse_u64(s, &v))
		return -EINVAL;
	if (v >= V1_UNLIMITED_FROM) {
		*unlimited = true;
		*bytes = UINT64_MAX;
		return 0;
	}
	*bytes = v;
	return 0;
}

/* Reads one limit file and keeps it in out when it is the smallest so far.
 * Returns true when the file exists and parses. */
static bool limit_check(const struct rootfs *r, const char *path, struct cg_memlimit *out)
{
	char *text;
	ssize_t n = rootfs_read(r, path, LIMIT_MAX_BYTES, &text);
	if (n < 0)
		return false;
	uint64_t bytes;
	bool unlimited;
	int rc = cgroup_parse_limit(text, (size_t)n, &bytes, &unlimited);
	free(text);
	if (rc)
		return false;
	if (!unlimited && (!out->limited || bytes < out->bytes)) {
		out->limited = true;
		out->bytes = bytes;
		str_copy(out->file, sizeof(out->file), rootfs_show(r, path));
	}
	return true;
}

/* A cgroup path as /proc/PID/cgroup shows it. Outside the reader's cgroup
 * namespace it holds "/.." components, which name no directory under the mount. */
static bool cg_path_ok(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *c = p; (c = strstr(c, "/..")) != NULL; c += 3)
		if (c[3] == '/' || c[3] == '\0')
			return false;
	return true;
}

/* Checks file in the cgroup directory cgpath under mnt and in every ancestor up to
 * and including the mount's root. The root of the real hierarchy has no limit file,
 * so it is skipped silently; inside a cgroup namespace the mount's root is the
 * container's cgroup, whose limit counts. Returns true if any file was found. */
static bool walk_up(const struct rootfs *r, const char *mnt, const char *cgpath, const char *file,
		    struct cg_memlimit *out)
{
	char dir[256], path[512];
	bool found = false;
	if (!cg_path_ok(cgpath) || !str_copy(dir, sizeof(dir), cgpath))
		return false;
	size_t n = strlen(dir);
	for (;;) {
		while (n > 0 && dir[n - 1] == '/')
			dir[--n] = '\0';
		snprintf(path, sizeof(path), "%s%s/%s", mnt, dir, file);
		found |= limit_check(r, path, out);
		if (n == 0)
			break;
		char *slash = strrchr(dir, '/');
		n = (size_t)(slash - dir);
		dir[n] = '\0';
	}
	return found;
}

void cgroup_memlimit_read(const struct rootfs *r, const struct pid_cgroup *cg,
			  struct cg_memlimit *out)
{
	memset(out, 0, sizeof(*out));
	/* v2 only when the unified hierarchy is mounted at /sys/fs/cgroup; in the
	 * hybrid layout it sits at /sys/fs/cgroup/unified without controllers. */
	if (cg->has_v2 && rootfs_exists(r, "/sys/fs/cgroup/cgroup.controllers") &&
	    walk_up(r, "/sys/fs/cgroup", cg->v2, "memory.max", out))
		out->version = 2;
	if (out->version == 0 && cg->has_v1_memory &&
	    walk_up(r, "/sys/fs/cgroup/memory", cg->v1_memory, "memory.limit_in_bytes", out))
		out->version = 1;
}
