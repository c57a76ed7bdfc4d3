// SPDX-License-Identifier: MIT
/* Recording how each input of the snapshot was read. */
#include "host/src.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

void src_set_read_error(struct src *s, const struct rootfs *r, const char *path, int rc)
{
	if (rc == -ENOENT || rc == -ENOTDIR) {
		s->state = SRC_UNAVAILABLE;
		snprintf(s->err, sizeof(s->err), "'%s' is unavailable", rootfs_show(r, path));
		return;
	}
	s->state = SRC_ERROR;
	snprintf(s->err, sizeof(s->err), "cannot read '%s': %s", rootfs_show(r, path),
		 rc == -EFBIG ? "file too large" : strerror(-rc));
}

void src_set_parse_error(struct src *s, const struct rootfs *r, const char *path,
			 const struct perr *e)
{
	s->state = SRC_ERROR;
	if (e->line)
		snprintf(s->err, sizeof(s->err), "'%s' line %u: %s", rootfs_show(r, path), e->line,
			 e->msg);
	else
		snprintf(s->err, sizeof(s->err), "'%s': %s", rootfs_show(r, path), e->msg);
}

bool src_read(struct src *s, const struct rootfs *r, const char *path, size_t max, char **buf,
	      size_t *len)
{
	ssize_t n = rootfs_read(r, path, max, buf);
	if (n < 0) {
		src_set_read_error(s, r, path, (int)n);
		return false;
	}
	*len = (size_t)n;
	s->state = SRC_OK;
	s->err[0] = '\0';
	return true;
}
