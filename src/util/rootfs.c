// SPDX-License-Identifier: MIT
/* File access under a root directory. */
#include "util/rootfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

int rootfs_open(struct rootfs *r, const char *dir)
{
	memset(r, 0, sizeof(*r));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r->dirfd = fd;
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	r->live = (n == 1 && dir[0] == '/');
	r->path = r->live ? xstrdup("") : xstrndup(dir, n);
	return 0;
}

void rootfs_close(struct rootfs *r)
{
	if (r->dirfd > 0)
		close(r->dirfd);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

/* When KRES_TRACE_FILES names a file, every path kres reads is appended to it:
 * scripts/capture-root.sh uses the list to copy exactly those files into a fixture
 * tree. Opened once, on first use. */
static void trace(const char *path)
{
	static FILE *f;
	static bool tried;
	if (!tried) {
		tried = true;
		const char *t = getenv("KRES_TRACE_FILES");
		if (t && t[0])
			f = fopen(t, "ae");
	}
	if (f) {
		fprintf(f, "%s\n", path);
		fflush(f);
	}
}

/* Opens path under the root. On the live root this is a plain open; under a
 * fixture root, openat2 keeps symlinks inside the tree, falling back to openat on
 * kernels before 5.6. */
static int root_openat(const struct rootfs *r, const char *path, int flags)
{
	trace(path);
	if (r->live)
		return open(path, flags | O_CLOEXEC);
	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	struct open_how how = {.flags = (unsigned)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT};
	long fd = syscall(SYS_openat2, r->dirfd, path, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = openat(r->dirfd, path, flags | O_CLOEXEC);
	return (int)fd;
}

int rootfs_openfd(const struct rootfs *r, const char *path, int flags)
{
	return root_openat(r, path, flags);
}

ssize_t rootfs_read(const struct rootfs *r, const char *path, size_t max, char **out)
{
	*out = NULL;
	/* O_NONBLOCK: a FIFO planted in a tree must not hang the audit. */
	int fd = root_openat(r, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	size_t cap = 4096, len = 0;
	char *p = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			if (cap > max) {
				free(p);
				close(fd);
				return -EFBIG;
			}
			cap *= 2;
			p = xreallocarray(p, cap, 1);
		}
		ssize_t k = read(fd, p + len, cap - len - 1);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			int e = errno;
			free(p);
			close(fd);
			return -e;
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	close(fd);
	if (len > max) {
		free(p);
		return -EFBIG;
	}
	p[len] = '\0';
	*out = p;
	return (ssize_t)len;
}

ssize_t rootfs_readlink(const struct rootfs *r, const char *path, char *buf, size_t n)
{
	if (n == 0)
		return -EINVAL;
	ssize_t k;
	trace(path);
	if (r->live) {
		k = readlink(path, buf, n - 1);
	} else {
		while (*path == '/')
			path++;
		k = readlinkat(r->dirfd, path, buf, n - 1);
	}
	if (k < 0)
		return -errno;
	buf[k] = '\0';
	return k;
}

int rootfs_list(const struct rootfs *r, const char *path, struct strlist *out)
{
	int fd = root_openat(r, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return -e;
	}
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		strlist_push(out, de->d_name);
		n++;
	}
	closedir(d);
	strlist_sort(out);
	return n;
}

bool rootfs_exists(const struct rootfs *r, const char *path)
{
	int fd = root_openat(r, path, O_PATH);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int rootfs_stat(const struct rootfs *r, const char *path, struct stat *st)
{
	int fd = root_openat(r, path, O_PATH);
	if (fd < 0)
		return -errno;
	int rc = fstat(fd, st) == 0 ? 0 : -errno;
	close(fd);
	return rc;
}

bool rootfs_isdir(const struct rootfs *r, const char *path)
{
	int fd = root_openat(r, path, O_PATH);
	if (fd < 0)
		return false;
	struct stat st;
	bool dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
	close(fd);
	return dir;
}

const char *rootfs_show(const struct rootfs *r, const char *path)
{
	static char shown[4096];
	if (r->live)
		snprintf(shown, sizeof(shown), "%s", path);
	else
		snprintf(shown, sizeof(shown), "%s%s%s", r->path, path[0] == '/' ? "" : "/", path);
	return shown;
}

void strlist_push(struct strlist *l, const char *s)
{
	ALLOC_GROW(l->v, l->n + 1, l->cap);
	l->v[l->n++] = xstrdup(s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

void strlist_release(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
