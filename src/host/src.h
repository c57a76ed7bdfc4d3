/* SPDX-License-Identifier: MIT */
/* The state of one input the host snapshot was built from: read, missing (which is
 * normal for optional kernel files: older kernels, containers), or broken. */
#ifndef KRES_SRC_H
#define KRES_SRC_H

#include "util/rootfs.h"
#include "util/text.h"

enum src_state {
	SRC_OK = 0,      /* read and parsed */
	SRC_UNAVAILABLE, /* the file does not exist (old kernel, container, config off) */
	SRC_ERROR,       /* the file exists but could not be read or parsed */
};

struct src {
	enum src_state state;
	char err[256]; /* SRC_ERROR: "'<path>' line N: <why>" or "cannot read '<path>': <strerror>" */
};

/* Records the outcome of reading path: rc is the negative errno of the read
 * (-ENOENT gives SRC_UNAVAILABLE, others SRC_ERROR). */
void src_set_read_error(struct src *s, const struct rootfs *r, const char *path, int rc);
/* Records a parse error of path at e->line. */
void src_set_parse_error(struct src *s, const struct rootfs *r, const char *path,
			 const struct perr *e);
/* Reads path whole (max bytes) into *buf; on failure fills s and returns false. */
bool src_read(struct src *s, const struct rootfs *r, const char *path, size_t max, char **buf,
	      size_t *len);

#endif
