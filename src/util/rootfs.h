/* SPDX-License-Identifier: MIT */
/* The one way kres reads files: every path is absolute as seen on the audited host
 * ("/proc/meminfo") and is resolved under a root directory (--root, default "/"),
 * so tests point kres at fixture trees. Under a fixture root, symlinks resolve
 * inside the root (openat2 RESOLVE_IN_ROOT) so a tree captured with absolute links
 * behaves like the host it came from. */
#ifndef KRES_ROOTFS_H
#define KRES_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct rootfs {
	int dirfd;   /* open directory of the root */
	bool live;   /* root is "/" */
	char *path;  /* the root as given, without trailing slash ("" for "/") */
};

/* A sorted list of owned strings. */
struct strlist {
	char **v;
	size_t n, cap;
};

/* Opens dir as the root. Returns 0 or -errno. */
int rootfs_open(struct rootfs *r, const char *dir);
void rootfs_close(struct rootfs *r);

/* Reads the whole file at path (absolute, under the root) into a new NUL-terminated
 * buffer in *out (caller frees). Files over max bytes fail with -EFBIG. Returns the
 * length, or -errno (-ENOENT for a missing file); *out is NULL on failure. */
ssize_t rootfs_read(const struct rootfs *r, const char *path, size_t max, char **out);
/* Opens path under the root (O_CLOEXEC added). Returns the fd or -1 with errno. */
int rootfs_openfd(const struct rootfs *r, const char *path, int flags);
/* Reads a symlink's target into buf (NUL-terminated). Returns length or -errno. */
ssize_t rootfs_readlink(const struct rootfs *r, const char *path, char *buf, size_t n);
/* Lists the names in a directory (without "." and ".."), sorted with strcmp.
 * Returns the count or -errno; the caller releases the list. */
int rootfs_list(const struct rootfs *r, const char *path, struct strlist *out);
/* True when path exists (any type). */
bool rootfs_exists(const struct rootfs *r, const char *path);
/* stat(2) of path under the root. Returns 0 or -errno. */
int rootfs_stat(const struct rootfs *r, const char *path, struct stat *st);
/* True when path is a directory. */
bool rootfs_isdir(const struct rootfs *r, const char *path);
/* The path as a person should see it in messages: the host path itself on the live
 * root, the root-joined path under a fixture root. Returns a static buffer that the
 * next call overwrites. */
const char *rootfs_show(const struct rootfs *r, const char *path);

void strlist_push(struct strlist *l, const char *s);
void strlist_sort(struct strlist *l);
void strlist_release(struct strlist *l);

#endif
