/* SPDX-License-Identifier: MIT */
/* Mount points from /proc/PID/mountinfo, and the mount holding a given path. */
#ifndef KRES_MOUNTS_H
#define KRES_MOUNTS_H

#include <stddef.h>

#include "util/text.h"

struct mount {
	char *target;    /* mount point, octal escapes (\040) decoded */
	char *fstype;
	char *source;
	char *opts;      /* per-mount options */
	char *superopts; /* superblock options (e.g. "size=65536k" for tmpfs, "hard" for nfs) */
	unsigned major, minor; /* st_dev of files on it (field 3, "major:minor") */
};

struct mounts {
	struct mount *v; /* owned; free with mounts_release() */
	size_t n, cap;
};

/* Parses mountinfo format ("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root
 * rw,errors=continue"). Returns 0 or -EINVAL. */
int mounts_parse(const char *buf, size_t len, struct mounts *m, struct perr *err);
void mounts_release(struct mounts *m);
/* The mount whose target is the longest prefix of path (later mounts win ties, as
 * they shadow earlier ones), or NULL. */
const struct mount *mounts_find(const struct mounts *m, const char *path);
/* True when the comma-separated option list opts contains name (exactly, or as
 * name=value); the value is copied to val when given. */
bool mount_opt(const char *opts, const char *name, char *val, size_t n);

#endif
