// SPDX-License-Identifier: MIT
/* The /proc/diskstats parser of kres top and the rule that tells whole disks from
 * partitions and virtual devices. The format is block/genhd.c diskstats_show(),
 * documented in Documentation/admin-guide/iostats.rst. */
#include "sample/parse.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* How one number after the name is stored. The counts and sectors are unsigned
 * long in the kernel; the milliseconds, in_flight, io_ticks and time_in_queue are
 * printed with %u (jiffies_to_msecs, div_u64 cast to unsigned int). */
struct dcol {
	size_t off;
	bool u32;
};

#define D64(f)                                                                                     \
	{                                                                                          \
		offsetof(struct snap_disk, f), false                                               \
	}
#define D32(f)                                                                                     \
	{                                                                                          \
		offsetof(struct snap_disk, f), true                                                \
	}

/* 11 fields up to 4.17, +4 discard fields in 4.18, +2 flush fields in 5.5. */
static const struct dcol full_cols[] = {
    D64(rd_ios),        /*  1 reads completed */
    D64(rd_merges),     /*  2 */
    D64(rd_sectors),    /*  3 */
    D32(rd_ticks),      /*  4 ms reading */
    D64(wr_ios),        /*  5 */
    D64(wr_merges),     /*  6 */
    D64(wr_sectors),    /*  7 */
    D32(wr_ticks),      /*  8 */
    D32(in_flight),     /*  9 a gauge */
    D32(io_ticks),      /* 10 ms with I/O in flight */
    D32(time_in_queue), /* 11 weighted ms */
    D64(dc_ios),        /* 12 discards, 4.18 */
    D64(dc_merges),     /* 13 */
    D64(dc_sectors),    /* 14 */
    D32(dc_ticks),      /* 15 */
    D64(fl_ios),        /* 16 flushes, 5.5 */
    D32(fl_ticks),      /* 17 */
};

/* 2.6.0 to 2.6.24 printed partitions as "%4d %4d %s %u %u %u %u": reads, sectors
 * read, writes, sectors written (block/genhd.c of those kernels). */
static const struct dcol old_part_cols[] = {
    D64(rd_ios),
    D64(rd_sectors),
    D64(wr_ios),
    D64(wr_sectors),
};

enum { DISK_OLD_PART = 4, DISK_MIN_FULL = 11, DISK_DISCARD = 15, DISK_FLUSH = 17 };

static int parse_u32(struct span s, uint32_t *out)
{
	uint64_t v;
	int rc = parse_u64(s, &v);
	if (rc)
		return rc;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

static void dcol_set(struct snap_disk *d, const struct dcol *c, uint64_t v)
{
	char *p = (char *)d + c->off;
	if (c->u32)
		*(uint32_t *)(void *)p = (uint32_t)v;
	else
		*(uint64_t *)(void *)p = v;
}

/* The numbers after the name: counts them, checks them and stores those of the
 * layout their count says. Two passes, since the layout is known only at the end. */
static int disk_numbers(struct span rest, unsigned lineno, struct snap_disk *d, struct perr *err)
{
	struct span r = rest, tok;
	size_t k = 0;
	while (span_next_tok(&r, &tok)) {
		uint64_t v;
		int rc = parse_u64(tok, &v);
		if (rc) {
			perr_set(err, lineno, "field %zu of '%s' is %s", k + 1, d->name,
			         rc == -ERANGE ? "out of range" : "not a number");
			return -EINVAL;
		}
		k++;
	}
	const struct dcol *cols = full_cols;
	size_t ncols = ARRAY_SIZE(full_cols);
	if (k == DISK_OLD_PART) {
		cols = old_part_cols;
		ncols = ARRAY_SIZE(old_part_cols);
	} else if (k != DISK_MIN_FULL && k != DISK_DISCARD && k < DISK_FLUSH) {
		perr_set(err, lineno, "expected 4, 11, 15 or 17 fields after '%s', found %zu",
		         d->name, k);
		return -EINVAL;
	}
	d->nfields = k > UINT32_MAX ? UINT32_MAX : (unsigned)k;
	r = rest;
	for (size_t i = 0; i < ncols && i < k && span_next_tok(&r, &tok); i++) {
		uint64_t v;
		(void)parse_u64(tok, &v); /* checked above */
		if (cols[i].u32 && v > UINT32_MAX) {
			perr_set(err, lineno, "field %zu of '%s' is above 2^32 (printed with %%u)",
			         i + 1, d->name);
			return -EINVAL;
		}
		dcol_set(d, &cols[i], v);
	}
	return 0;
}

static int disk_row(struct span line, unsigned lineno, struct snap_disk *d, struct perr *err)
{
	struct span rest = line, tmaj, tmin, tname;
	if (!span_next_tok(&rest, &tmaj) || !span_next_tok(&rest, &tmin) || !span_next_tok(&rest, &tname)) {
		perr_set(err, lineno, "expected 'major minor name' and the counters");
		return -EINVAL;
	}
	uint32_t maj, min;
	if (parse_u32(tmaj, &maj) || parse_u32(tmin, &min)) {
		perr_set(err, lineno, "major or minor number is not a number");
		return -EINVAL;
	}
	d->major = maj;
	d->minor = min;
	/* The kernel prints a C string, so a NUL is damage; it would also cut the
	 * name short and make it another device's. */
	if (memchr(tname.p, '\0', tname.n)) {
		perr_set(err, lineno, "device name contains a NUL byte");
		return -EINVAL;
	}
	/* DISK_NAME_LEN and BDEVNAME_SIZE are 32: a longer name is not a device. */
	if (!span_copy(tname, d->name, sizeof(d->name))) {
		perr_set(err, lineno, "device name longer than %zu bytes", sizeof(d->name) - 1);
		return -EINVAL;
	}
	return disk_numbers(rest, lineno, d, err);
}

int diskstats_parse(const char *buf, size_t len, struct snap_disk *dev, size_t cap, size_t *n,
                    size_t *over, struct perr *err)
{
	struct lineiter it;
	struct span line;
	*n = 0;
	*over = 0;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		struct snap_disk scratch;
		struct snap_disk *d = *n < cap ? &dev[*n] : &scratch;
		memset(d, 0, sizeof(*d));
		if (disk_row(line, it.lineno, d, err))
			goto fail;
		if (d == &scratch)
			(*over)++;
		else
			(*n)++;
	}
	/* An empty file is a machine without block devices (a diskless guest). */
	return 0;
fail:
	*n = 0;
	*over = 0;
	return -EINVAL;
}

/* ---- whole disks ---- */

/* Skips a run of at least one byte of class cls ('d' digit, 'a' lower-case letter);
 * false when there is none. */
static bool skip_run(const char **p, char cls)
{
	const char *s = *p;
	while ((cls == 'd' && **p >= '0' && **p <= '9') || (cls == 'a' && **p >= 'a' && **p <= 'z'))
		(*p)++;
	return *p != s;
}

static bool skip_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

/* pattern: literal prefix, then a sequence of classes ('d' digits, 'a' letters, any
 * other byte itself), the whole name. */
static bool name_match(const char *name, const char *prefix, const char *pattern)
{
	const char *p = name;
	if (!skip_lit(&p, prefix))
		return false;
	for (const char *c = pattern; *c; c++) {
		if (*c == 'd' || *c == 'a') {
			if (!skip_run(&p, *c))
				return false;
		} else if (*p++ != *c) {
			return false;
		}
	}
	return *p == '\0';
}

/* node_exporter collector/diskstats_linux.go, the default device-exclude
 * ^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$, plus MMC partitions
 * (mmcblk0p1, block/partitions/core.c adds 'p' after a name ending in a digit).
 * One difference: the letters of sd/vd/hd/xvd names are a run, not one letter, so
 * that sdaa1 (the 27th SCSI disk's partition) is a partition too. Device mapper
 * (dm-0) and md arrays (md0) are whole devices: their numbers are the volume's. */
static const struct {
	const char *prefix, *pattern;
} part_rules[] = {
    {"ram", "d"},      /* ram0 */
    {"zram", "d"},     /* zram0 */
    {"loop", "d"},     /* loop0 */
    {"fd", "d"},       /* fd0 */
    {"hd", "ad"},      /* hda1 */
    {"sd", "ad"},      /* sda1, sdaa1 */
    {"vd", "ad"},      /* vda1 */
    {"xvd", "ad"},     /* xvda1 */
    {"nvme", "dndpd"}, /* nvme0n1p1 */
    {"mmcblk", "dpd"}, /* mmcblk0p1 */
};

bool disk_is_partition_or_virtual(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(part_rules); i++)
		if (name_match(name, part_rules[i].prefix, part_rules[i].pattern))
			return true;
	return false;
}
