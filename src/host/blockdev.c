// SPDX-License-Identifier: MIT
/* Block device facts from sysfs: /sys/dev/block/MAJ:MIN links to the device's
 * directory (block/genhd.c, a partition's directory inside its disk's), and
 * /sys/block/<disk> holds queue/, mq/ and slaves/ (block/blk-sysfs.c,
 * block/blk-mq-sysfs.c, block/holder.c). */
#include "host/blockdev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define ATTR_MAX 4096
/* dm on md on partitions is three levels; more is a loop in a broken tree. */
#define MAX_DEPTH 4

/* Appends name to all (space-separated); false when it does not fit. */
static bool list_add(char *all, size_t nall, struct span name)
{
	size_t used = strlen(all);
	size_t need = used + (used ? 1 : 0) + name.n + 1;
	if (need > nall)
		return false;
	if (used)
		all[used++] = ' ';
	memcpy(all + used, name.p, name.n);
	all[used + name.n] = '\0';
	return true;
}

int sched_parse(const char *buf, size_t len, char *cur, size_t ncur, char *all, size_t nall)
{
	struct span tok[16];
	if (ncur)
		cur[0] = '\0';
	if (nall)
		all[0] = '\0';
	if (len && buf[len - 1] == '\n')
		len--;
	if (memchr(buf, '\n', len) || memchr(buf, '\0', len))
		return -EINVAL;
	size_t nt = span_split_ws((struct span){buf, len}, tok, ARRAY_SIZE(tok));
	if (nt == 0 || nt > ARRAY_SIZE(tok))
		goto fail;
	/* A queue without an elevator on 4.x-era kernels: just "none". */
	if (nt == 1 && span_eq(tok[0], "none")) {
		if (!span_copy(tok[0], cur, ncur) || !list_add(all, nall, tok[0]))
			goto fail;
		return 0;
	}
	size_t marked = 0;
	for (size_t i = 0; i < nt; i++) {
		struct span t = tok[i];
		if (t.n >= 2 && t.p[0] == '[' && t.p[t.n - 1] == ']') {
			t = (struct span){t.p + 1, t.n - 2};
			if (t.n == 0 || marked++ || !span_copy(t, cur, ncur))
				goto fail;
		}
		if (memchr(t.p, '[', t.n) || memchr(t.p, ']', t.n) || !list_add(all, nall, t))
			goto fail;
	}
	if (marked == 1)
		return 0;
fail:
	if (ncur)
		cur[0] = '\0';
	if (nall)
		all[0] = '\0';
	return -EINVAL;
}

/* A sysfs directory entry that can name a block device. */
static bool valid_name(const char *name)
{
	return name[0] && strcmp(name, ".") && strcmp(name, "..") && !strchr(name, '/');
}

static void read_scheduler(const struct rootfs *r, const char *disk, struct blockdev *out)
{
	char path[96], *buf;
	snprintf(path, sizeof(path), "/sys/block/%s/queue/scheduler", disk);
	ssize_t n = rootfs_read(r, path, ATTR_MAX, &buf);
	if (n < 0)
		return;
	(void)sched_parse(buf, (size_t)n, out->scheduler, sizeof(out->scheduler), out->schedulers,
	                  sizeof(out->schedulers));
	free(buf);
}

static void read_rotational(const struct rootfs *r, const char *disk, struct blockdev *out)
{
	char path[96], *buf;
	snprintf(path, sizeof(path), "/sys/block/%s/queue/rotational", disk);
	ssize_t n = rootfs_read(r, path, ATTR_MAX, &buf);
	if (n < 0)
		return;
	struct span s = span_trim((struct span){buf, (size_t)n});
	if (span_eq(s, "0") || span_eq(s, "1")) {
		out->have_rotational = true;
		out->rotational = s.p[0] == '1';
	}
	free(buf);
}

static unsigned count_entries(const struct rootfs *r, const char *path)
{
	struct strlist l = {0};
	int n = rootfs_list(r, path, &l);
	strlist_release(&l);
	return n > 0 ? (unsigned)n : 0;
}

/* The disk a block device belongs to: itself, or for a partition (it has a
 * "partition" file) the directory its sysfs directory sits in. */
static int disk_of(const struct rootfs *r, const char *link, char *disk, size_t ndisk, char *part,
                   size_t npart)
{
	char target[512], path[128];
	ssize_t k = rootfs_readlink(r, link, target, sizeof(target));
	if (k < 0)
		return (int)k;
	char *last = strrchr(target, '/');
	char *name = last ? last + 1 : target;
	if (!valid_name(name))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/partition", link);
	if (!rootfs_exists(r, path)) {
		if (part && npart)
			part[0] = '\0';
		return str_copy(disk, ndisk, name) ? 0 : -EINVAL;
	}
	if (!last || last == target)
		return -EINVAL;
	*last = '\0';
	char *prev = strrchr(target, '/');
	const char *parent = prev ? prev + 1 : target;
	if (!valid_name(parent) || !str_copy(disk, ndisk, parent) ||
	    (part && !str_copy(part, npart, name)))
		return -EINVAL;
	return 0;
}

static void add_slave(struct blockdev *out, const char *disk)
{
	for (size_t i = 0; i < out->nslaves; i++)
		if (!strcmp(out->slaves[i], disk))
			return;
	if (out->nslaves == BLOCKDEV_MAX_SLAVES || strlen(disk) >= sizeof(out->slaves[0])) {
		out->more_slaves = true;
		return;
	}
	str_copy(out->slaves[out->nslaves++], sizeof(out->slaves[0]), disk);
}

/* Walks disk's slaves/ down to the disks that have none of their own. */
static void collect_slaves(const struct rootfs *r, const char *disk, struct blockdev *out,
                           int depth)
{
	char path[128];
	struct strlist l = {0};
	snprintf(path, sizeof(path), "/sys/block/%s/slaves", disk);
	if (rootfs_list(r, path, &l) <= 0 || depth >= MAX_DEPTH) {
		strlist_release(&l);
		if (depth > 0)
			add_slave(out, disk);
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		char link[128], below[32];
		if (!valid_name(l.v[i]))
			continue;
		snprintf(link, sizeof(link), "/sys/class/block/%s", l.v[i]);
		if (disk_of(r, link, below, sizeof(below), NULL, 0) == 0)
			collect_slaves(r, below, out, depth + 1);
	}
	strlist_release(&l);
}

int blockdev_read(const struct rootfs *r, const char *disk, struct blockdev *out)
{
	char path[96];
	memset(out, 0, sizeof(*out));
	if (!valid_name(disk) || !str_copy(out->name, sizeof(out->name), disk))
		return -EINVAL;
	snprintf(path, sizeof(path), "/sys/block/%s", disk);
	if (!rootfs_isdir(r, path))
		return -ENOENT;
	read_scheduler(r, disk, out);
	read_rotational(r, disk, out);
	snprintf(path, sizeof(path), "/sys/block/%s/mq", disk);
	out->nr_hw_queues = count_entries(r, path);
	collect_slaves(r, disk, out, 0);
	return 0;
}

int blockdev_of_mount(const struct rootfs *r, unsigned major, unsigned minor, struct blockdev *out)
{
	char link[64], disk[32], part[32];
	memset(out, 0, sizeof(*out));
	snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major, minor);
	int rc = disk_of(r, link, disk, sizeof(disk), part, sizeof(part));
	if (rc)
		return rc;
	rc = blockdev_read(r, disk, out);
	if (rc == 0)
		str_copy(out->part, sizeof(out->part), part);
	return rc;
}
