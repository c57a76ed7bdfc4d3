/* SPDX-License-Identifier: MIT */
/* The block device under a mount, for I/O scheduler advice: the disk behind a device
 * number (a partition's parent disk owns the queue), its scheduler, whether it says it
 * rotates, how many hardware queues it has, and for device-mapper and md devices the
 * disks underneath, which are where the scheduling happens. */
#ifndef KRES_BLOCKDEV_H
#define KRES_BLOCKDEV_H

#include <stdbool.h>
#include <stddef.h>

#include "util/rootfs.h"

#define BLOCKDEV_MAX_SLAVES 4

struct blockdev {
	char name[32];       /* the disk: "vda", "nvme0n1", "sda", "dm-0", "md0" */
	char part[32];       /* the partition the device number named ("vda1"); "" for a disk */
	char scheduler[24];  /* the bracketed choice, or "none"; "" when the queue has no
	                      * scheduler file (bio-based devices: zram, dm on 5.0+ kernels
	                      * hide it) or it could not be read */
	char schedulers[96]; /* every choice, brackets removed: "none mq-deadline kyber bfq" */
	bool have_rotational;
	bool rotational;       /* queue/rotational; virtual disks often say 1 on flash storage */
	unsigned nr_hw_queues; /* directories in mq/ (blk-mq hardware queues), 0 unknown */
	/* dm/md: the disks below, partitions resolved to their disks and stacked devices
	 * (dm on md) followed down to the bottom, in the order found, without repeats */
	char slaves[BLOCKDEV_MAX_SLAVES][32];
	size_t nslaves;
	bool more_slaves; /* there were more than BLOCKDEV_MAX_SLAVES */
};

/* Parses queue/scheduler (block/elevator.c elv_iosched_show): "none [mq-deadline] kyber
 * bfq " on blk-mq, "noop deadline [cfq] " on the legacy single-queue path (before 5.0),
 * and a bare "none" for a queue without an elevator on 4.x-era kernels. cur receives the
 * bracketed name (or "none"), all the names without brackets. Returns 0, or -EINVAL when
 * no single choice is marked or a name does not fit. */
int sched_parse(const char *buf, size_t len, char *cur, size_t ncur, char *all, size_t nall);

/* Reads the disk name (a directory of /sys/block) into out. Parts that cannot be read
 * are left empty/false/0. Returns 0, -ENOENT when there is no such disk, or -EINVAL for
 * a name that cannot be a disk ("", ".", "..", or with a '/'). */
int blockdev_read(const struct rootfs *r, const char *disk, struct blockdev *out);

/* The disk under device number major:minor (struct mount's, st_dev of a path): resolves
 * /sys/dev/block/MAJ:MIN, goes to the parent disk of a partition (the device's own
 * "partition" file says it is one; its parent directory in sysfs is the disk), then
 * blockdev_read(). Returns 0, or -ENOENT when the number is not a block device (tmpfs,
 * overlay and NFS mounts have major 0), or -errno. */
int blockdev_of_mount(const struct rootfs *r, unsigned major, unsigned minor, struct blockdev *out);

#endif
