// SPDX-License-Identifier: MIT
/* Tests of the scheduler line parser and of finding the disk under a device number in
 * fixture sysfs trees: a virtio disk as on this machine, partitions of SCSI and NVMe
 * disks, LVM on two partitions, LVM on md RAID, a wide RAID, and a broken cycle. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <cmocka.h>

#include "host/blockdev.h"
#include "util/xalloc.h"
#include "tree.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1

static const struct {
	const char *name, *in;
	size_t len;
	int rc;
	const char *cur, *all;
} scheds[] = {
    /* Captured on this Debian 12 Firecracker guest, kernel 6.18 (vda and loop0). */
    {"6.18 vda", S("none [mq-deadline] kyber bfq \n"), 0, "mq-deadline",
     "none mq-deadline kyber bfq"},
    {"6.18 loop", S("[none] mq-deadline kyber bfq \n"), 0, "none", "none mq-deadline kyber bfq"},
    /* Hand-written: RHEL 8 (4.18) prints "none" last; RHEL 7 (3.10) the legacy
     * single-queue elevators; 4.x a queue without an elevator as a bare "none". */
    {"4.18", S("[mq-deadline] kyber bfq none\n"), 0, "mq-deadline", "mq-deadline kyber bfq none"},
    {"3.10 legacy", S("noop deadline [cfq] \n"), 0, "cfq", "noop deadline cfq"},
    {"bare none", S("none\n"), 0, "none", "none"},
    {"no newline", S("[bfq]"), 0, "bfq", "bfq"},
    {"empty", S(""), -EINVAL, "", ""},
    {"nothing marked", S("none mq-deadline kyber\n"), -EINVAL, "", ""},
    {"two marked", S("[none] [mq-deadline]\n"), -EINVAL, "", ""},
    {"empty brackets", S("none [] kyber\n"), -EINVAL, "", ""},
    {"stray bracket", S("[none] kyber]\n"), -EINVAL, "", ""},
    {"two lines", S("[none]\nkyber\n"), -EINVAL, "", ""},
    {"too long", S("[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n"), -EINVAL, "", ""},
};

static void test_sched_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(scheds); i++) {
		char cur[24] = "x", all[96] = "x";
		print_message("case %s\n", scheds[i].name);
		assert_int_equal(
		    sched_parse(scheds[i].in, scheds[i].len, cur, sizeof(cur), all, sizeof(all)),
		    scheds[i].rc);
		assert_string_equal(cur, scheds[i].cur);
		assert_string_equal(all, scheds[i].all);
	}
	/* The list must fit too. */
	char cur[24], all[8];
	assert_int_equal(
	    sched_parse(S("none [mq-deadline] kyber bfq\n"), cur, sizeof(cur), all, sizeof(all)),
	    -EINVAL);
}

static struct tree fx;

/* A block device directory at dev (a /sys/devices path): the /sys/dev/block and
 * /sys/class/block links, and for a disk (part NULL) the /sys/block link. */
static void put_dev(struct tree *t, const char *dev, const char *name, const char *majmin,
                    bool disk)
{
	char link[128], target[256];
	tree_mkdir(t, dev);
	const char *rel = dev + strlen("/sys/");
	snprintf(link, sizeof(link), "/sys/dev/block/%s", majmin);
	snprintf(target, sizeof(target), "../../%s", rel);
	tree_symlink(t, link, target);
	snprintf(link, sizeof(link), "/sys/class/block/%s", name);
	tree_symlink(t, link, target);
	if (disk) {
		snprintf(link, sizeof(link), "/sys/block/%s", name);
		snprintf(target, sizeof(target), "../%s", rel);
		tree_symlink(t, link, target);
	}
}

static void put_disk(struct tree *t, const char *dev, const char *name, const char *majmin,
                     const char *sched, const char *rot, unsigned hwq)
{
	char p[256];
	put_dev(t, dev, name, majmin, true);
	if (sched) {
		snprintf(p, sizeof(p), "%s/queue/scheduler", dev);
		tree_put(t, p, sched);
	}
	snprintf(p, sizeof(p), "%s/queue/rotational", dev);
	tree_put(t, p, rot);
	for (unsigned i = 0; i < hwq; i++) {
		snprintf(p, sizeof(p), "%s/mq/%u/cpu_list", dev, i);
		tree_put(t, p, "0\n");
	}
}

static void put_part(struct tree *t, const char *diskdev, const char *name, const char *majmin,
                     const char *partno)
{
	char dev[256], p[300];
	snprintf(dev, sizeof(dev), "%s/%s", diskdev, name);
	put_dev(t, dev, name, majmin, false);
	snprintf(p, sizeof(p), "%s/partition", dev);
	tree_put(t, p, partno);
}

/* dev's slaves/ entries, symlinks as the kernel makes them (only the names count). */
static void put_slaves(struct tree *t, const char *dev, const char *const *names)
{
	char p[256];
	for (; *names; names++) {
		snprintf(p, sizeof(p), "%s/slaves/%s", dev, *names);
		tree_symlink(t, p, "../../some/where");
	}
}

#define VDA  "/sys/devices/pci0000:00/0000:00:02.0/virtio1/block/vda"
#define SDA  "/sys/devices/pci0000:00/0000:00:10.0/host0/target0:0:0/0:0:0:0/block/sda"
#define NVME "/sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1"
#define VBLK "/sys/devices/virtual/block"

static void test_this_machine(void **state)
{
	struct tree *t = *state;
	struct blockdev b;
	put_disk(t, VDA, "vda", "254:0", "none [mq-deadline] kyber bfq \n", "1\n", 1);
	assert_int_equal(blockdev_of_mount(&t->r, 254, 0, &b), 0);
	assert_string_equal(b.name, "vda");
	assert_string_equal(b.part, "");
	assert_string_equal(b.scheduler, "mq-deadline");
	assert_string_equal(b.schedulers, "none mq-deadline kyber bfq");
	assert_true(b.have_rotational);
	assert_true(b.rotational);
	assert_int_equal(b.nr_hw_queues, 1);
	assert_int_equal(b.nslaves, 0);
	/* tmpfs, /dev/shm and overlay have major 0: no block device. */
	assert_int_equal(blockdev_of_mount(&t->r, 0, 27, &b), -ENOENT);
	assert_string_equal(b.name, "");
	assert_int_equal(blockdev_read(&t->r, "sdz", &b), -ENOENT);
	assert_int_equal(blockdev_read(&t->r, "..", &b), -EINVAL);
	assert_int_equal(blockdev_read(&t->r, "a/b", &b), -EINVAL);
	assert_int_equal(blockdev_read(&t->r, "", &b), -EINVAL);
}

/* LVM on a SCSI partition and an NVMe partition (dm on 6.x: bio-based, no scheduler). */
static void test_partitions_and_lvm(void **state)
{
	struct tree *t = *state;
	struct blockdev b;
	put_disk(t, SDA, "sda", "8:0", "[mq-deadline] kyber bfq none\n", "1\n", 1);
	put_part(t, SDA, "sda1", "8:1", "1\n");
	put_part(t, SDA, "sda2", "8:2", "2\n");
	put_disk(t, NVME, "nvme0n1", "259:0", "[none] mq-deadline kyber bfq \n", "0\n", 8);
	put_part(t, NVME, "nvme0n1p1", "259:1", "1\n");
	put_disk(t, VBLK "/dm-0", "dm-0", "253:0", NULL, "0\n", 0);
	static const char *const dm0[] = {"nvme0n1p1", "sda2", NULL};
	put_slaves(t, VBLK "/dm-0", dm0);

	assert_int_equal(blockdev_of_mount(&t->r, 8, 2, &b), 0);
	assert_string_equal(b.name, "sda");
	assert_string_equal(b.part, "sda2");
	assert_string_equal(b.scheduler, "mq-deadline");
	assert_true(b.rotational);

	assert_int_equal(blockdev_of_mount(&t->r, 259, 1, &b), 0);
	assert_string_equal(b.name, "nvme0n1");
	assert_string_equal(b.part, "nvme0n1p1");
	assert_string_equal(b.scheduler, "none");
	assert_false(b.rotational);
	assert_int_equal(b.nr_hw_queues, 8);

	assert_int_equal(blockdev_of_mount(&t->r, 253, 0, &b), 0);
	assert_string_equal(b.name, "dm-0");
	assert_string_equal(b.scheduler, "");
	assert_string_equal(b.schedulers, "");
	assert_int_equal(b.nr_hw_queues, 0);
	assert_int_equal(b.nslaves, 2);
	assert_string_equal(b.slaves[0], "nvme0n1"); /* slaves/ in name order */
	assert_string_equal(b.slaves[1], "sda");
	assert_false(b.more_slaves);

	/* A disk with no rotational file and a garbled scheduler. */
	tree_drop(t, SDA "/queue/rotational");
	tree_put(t, SDA "/queue/scheduler", "garbage\n");
	assert_int_equal(blockdev_read(&t->r, "sda", &b), 0);
	assert_false(b.have_rotational);
	assert_string_equal(b.scheduler, "");
}

/* LVM on md RAID1 of two partitions, and a RAID of six disks. */
static void test_stacked(void **state)
{
	struct tree *t = *state;
	struct blockdev b;
	char dev[128], name[16], mm[16];
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "sd%c", 'b' + i);
		snprintf(dev, sizeof(dev), "/sys/devices/pci0000:00/0000:00:11.0/block/%s", name);
		snprintf(mm, sizeof(mm), "8:%d", 16 * (i + 1));
		put_disk(t, dev, name, mm, "[mq-deadline] none\n", "1\n", 1);
		if (i < 2) {
			char part[16];
			snprintf(part, sizeof(part), "%s1", name);
			snprintf(mm, sizeof(mm), "8:%d", 16 * (i + 1) + 1);
			put_part(t, dev, part, mm, "1\n");
		}
	}
	put_disk(t, VBLK "/md0", "md0", "9:0", "none\n", "1\n", 0);
	static const char *const md0[] = {"sdb1", "sdc1", NULL};
	put_slaves(t, VBLK "/md0", md0);
	put_disk(t, VBLK "/dm-1", "dm-1", "253:1", NULL, "1\n", 0);
	static const char *const dm1[] = {"md0", NULL};
	put_slaves(t, VBLK "/dm-1", dm1);
	assert_int_equal(blockdev_of_mount(&t->r, 253, 1, &b), 0);
	assert_string_equal(b.name, "dm-1");
	assert_int_equal(b.nslaves, 2);
	assert_string_equal(b.slaves[0], "sdb");
	assert_string_equal(b.slaves[1], "sdc");
	assert_int_equal(blockdev_of_mount(&t->r, 9, 0, &b), 0);
	assert_string_equal(b.scheduler, "none");
	assert_int_equal(b.nslaves, 2);

	put_disk(t, VBLK "/md1", "md1", "9:1", "none\n", "1\n", 0);
	static const char *const md1[] = {"sdd", "sde", "sdf", "sdg", "sdh", "sdi", NULL};
	put_slaves(t, VBLK "/md1", md1);
	assert_int_equal(blockdev_of_mount(&t->r, 9, 1, &b), 0);
	assert_int_equal(b.nslaves, 4);
	assert_true(b.more_slaves);
	assert_string_equal(b.slaves[0], "sdd");
	assert_string_equal(b.slaves[3], "sdg");

	/* A tree whose device is its own slave: the walk stops. */
	put_disk(t, VBLK "/dm-9", "dm-9", "253:9", NULL, "0\n", 0);
	put_slaves(t, VBLK "/dm-9", (const char *const[]){"dm-9", NULL});
	assert_int_equal(blockdev_of_mount(&t->r, 253, 9, &b), 0);
	assert_int_equal(b.nslaves, 1);
	assert_string_equal(b.slaves[0], "dm-9");
}

/* This machine's root filesystem on the live root, when it is on a block device. */
static void test_live_root(void **state)
{
	struct rootfs r;
	struct stat st;
	struct blockdev b;
	(void)state;
	assert_int_equal(stat("/", &st), 0);
	if (major(st.st_dev) == 0)
		skip(); /* overlay or tmpfs root: a container */
	assert_int_equal(rootfs_open(&r, "/"), 0);
	assert_int_equal(blockdev_of_mount(&r, major(st.st_dev), minor(st.st_dev), &b), 0);
	print_message("root on %s%s%s scheduler '%s'\n", b.name, b.part[0] ? " partition " : "",
	              b.part, b.scheduler);
	assert_true(b.name[0] != '\0');
	rootfs_close(&r);
}

#define FX(t) cmocka_unit_test_prestate_setup_teardown(t, tree_setup, tree_teardown, &fx)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sched_parse), FX(test_this_machine),
	    FX(test_partitions_and_lvm),        FX(test_stacked),
	    cmocka_unit_test(test_live_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
