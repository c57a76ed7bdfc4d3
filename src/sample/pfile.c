// SPDX-License-Identifier: MIT
/* Kernel files kept open and re-read from offset 0 (the seq_file interface
 * regenerates the text on each read that starts at 0; netdata's procfile and
 * prometheus/procfs's ReadFileNoStat read the same way). */
#include "sample/pfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/xalloc.h"
#include "util/banned.h"

void pfile_open(struct pfile *f, const struct rootfs *r, const char *path)
{
	f->path = path;
	f->buf = NULL;
	f->cap = f->len = 0;
	f->grows = 0;
	f->fd = rootfs_openfd(r, path, O_RDONLY | O_NONBLOCK);
	f->err = f->fd < 0 ? errno : 0;
}

void pfile_reopen(struct pfile *f, const struct rootfs *r)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = rootfs_openfd(r, f->path, O_RDONLY | O_NONBLOCK);
	f->err = f->fd < 0 ? errno : 0;
}

ssize_t pfile_read(struct pfile *f)
{
	f->len = 0;
	if (f->fd < 0)
		return -f->err;
	bool first = !f->buf;
	if (first) {
		f->cap = 4096;
		f->buf = xmalloc(f->cap);
	}
	for (;;) {
		/* seq_file fills the whole request unless the text ends first, and so
		 * does a regular file: a short read is the end, with no extra read(). */
		size_t want = f->cap - f->len - 1;
		ssize_t k = pread(f->fd, f->buf + f->len, want, (off_t)f->len);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			f->err = errno;
			f->len = 0;
			f->buf[0] = '\0';
			return -f->err;
		}
		f->len += (size_t)k;
		if ((size_t)k < want)
			break;
		if (!first)
			f->grows++;
		f->cap *= 2;
		f->buf = xreallocarray(f->buf, f->cap, 1);
	}
	/* Room for the file to double before another allocation is needed. */
	if (first && f->cap < 2 * (f->len + 1)) {
		f->cap = 2 * (f->len + 1);
		f->buf = xreallocarray(f->buf, f->cap, 1);
	}
	f->err = 0;
	f->buf[f->len] = '\0';
	return (ssize_t)f->len;
}

void pfile_close(struct pfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	free(f->buf);
	f->buf = NULL;
	f->cap = f->len = 0;
}
