// SPDX-License-Identifier: MIT
/* Collecting systemd drop-in files across directories. */
#include "host/dropins.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

static bool dropins_has(const struct dropins *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].name, name) == 0)
			return true;
	return false;
}

static bool is_conf_name(const char *name)
{
	size_t n = strlen(name);
	/* Hidden files are skipped (systemd dirent_is_file_with_suffix()). */
	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".conf") == 0;
}

/* Adds the *.conf files of dir whose names no earlier directory supplied: for the
 * same file name the first directory wins (systemd src/basic/conf-files.c). */
void dropins_add_dir(const struct rootfs *r, const char *dir, struct dropins *d)
{
	struct strlist names = {0};
	if (rootfs_list(r, dir, &names) > 0) {
		for (size_t i = 0; i < names.n; i++) {
			if (!is_conf_name(names.v[i]) || dropins_has(d, names.v[i]))
				continue;
			char *path = xasprintf("%s/%s", dir, names.v[i]);
			if (rootfs_isdir(r, path)) {
				free(path);
				continue;
			}
			ALLOC_GROW(d->v, d->n + 1, d->cap);
			d->v[d->n++] = (struct dropin){xstrdup(names.v[i]), path};
		}
	}
	strlist_release(&names);
}

static int dropin_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dropin *)a)->name, ((const struct dropin *)b)->name);
}

void dropins_sort(struct dropins *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), dropin_cmp);
}

void dropins_release(struct dropins *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].name);
		free(d->v[i].path);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* Every drop-in of name, sorted by file name. Directories are visited by unit
 * directory first, then by name (instance, template, prefixes), so a file in
 * /etc/.../postgresql@.service.d masks the same name in /usr/lib/.../
 * postgresql@15-main.service.d (systemd src/shared/dropin.c). */
