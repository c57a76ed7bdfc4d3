/* SPDX-License-Identifier: MIT */
/* A kernel file read again each interval: opened once under the root and kept
 * open, re-read from offset 0 with pread into a buffer sized at start-up (procfs
 * and sysfs regenerate the text on each read from 0). The buffer grows only when
 * the file outgrows it, which the sampler counts. */
#ifndef KRES_SAMPLE_PFILE_H
#define KRES_SAMPLE_PFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "util/rootfs.h"

struct pfile {
	const char *path;   /* absolute host path, static storage */
	int fd;             /* -1 when absent */
	int err;            /* errno of the last open or read, 0 when it worked */
	char *buf;
	size_t cap, len;
	unsigned grows;     /* times the buffer had to grow after the first read */
};

/* Opens path under r. A missing file is not an error here: fd stays -1, err says
 * why, and pfile_read returns -err. The buffer is allocated at the first read. */
void pfile_open(struct pfile *f, const struct rootfs *r, const char *path);
/* Closes and opens again under r (a fixture sequence's next root). */
void pfile_reopen(struct pfile *f, const struct rootfs *r);
/* Reads the whole file. Returns its length (the text is NUL-terminated in f->buf),
 * or -errno. */
ssize_t pfile_read(struct pfile *f);
void pfile_close(struct pfile *f);

#endif
