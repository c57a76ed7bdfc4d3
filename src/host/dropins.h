/* SPDX-License-Identifier: MIT */
/* Drop-in directories as systemd reads them: the *.conf files of a list of
 * directories, where a file name seen in an earlier (higher-priority) directory
 * masks the same name in later ones, applied in file-name order
 * (systemd src/basic/conf-files.c). Used for logind.conf.d and unit drop-ins. */
#ifndef KRES_DROPINS_H
#define KRES_DROPINS_H

#include <stddef.h>

#include "util/rootfs.h"

struct dropin {
	char *name;
	char *path; /* host path */
};

struct dropins {
	struct dropin *v; /* owned; free with dropins_release() */
	size_t n, cap;
};

/* Adds the *.conf files of dir (hidden names and directories skipped) whose names
 * no earlier call supplied. A missing directory adds nothing. */
void dropins_add_dir(const struct rootfs *r, const char *dir, struct dropins *d);
/* Sorts the collected drop-ins by file name, the order they apply in. */
void dropins_sort(struct dropins *d);
void dropins_release(struct dropins *d);

#endif
