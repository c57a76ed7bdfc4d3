/* SPDX-License-Identifier: MIT */
/* Reading logs: whole inputs (files, gzip files, stdin) and /dev/kmsg, fed through the
 * matcher into the assembler. Text formats are matched a block at a time (one
 * Hyperscan pass over megabytes of lines); record formats (kmsg, journal JSON) one
 * record at a time. */
#ifndef KRES_KLOG_SCAN_H
#define KRES_KLOG_SCAN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "klog/asm.h"
#include "klog/line.h"
#include "klog/match.h"

struct klog_stats {
	uint64_t bytes;     /* bytes read (decompressed) */
	uint64_t lines;     /* lines or records */
	uint64_t skipped;   /* lines of other programs (syslog tags, journal transports) */
	uint64_t bad;       /* malformed records (kmsg, JSON) */
	uint64_t truncated; /* lines longer than the block, cut */
	uint64_t first_seq, last_seq; /* kmsg sequence numbers seen (when seqs > 0) */
	uint64_t seqs;
};

struct klog_scan {
	struct klog_matcher *m;
	struct klog_asm *a;
	struct klog_linectx lc;
	struct klog_stats st;
	char *buf;
	bool has_last_seq;
	uint64_t last_seq;
	uint64_t safe_seq; /* every record up to this seq is in an emitted event or none */
	bool has_safe_seq;
	/* The follow cursor: records with seq <= skip_to are read but not fed. */
	bool skip;
	uint64_t skip_to;
	/* Live /dev/kmsg: wall time of boot (for wall times of records) and boot id. */
	int64_t boot_wall_us; /* -1 when not live */
	char boot_id[33];
};

void klog_scan_init(struct klog_scan *s, struct klog_matcher *m, struct klog_asm *a);
void klog_scan_release(struct klog_scan *s);

/* Reads fd to its end (gzip is recognised by its magic bytes). fmt is the format, or
 * KFMT_COUNT to detect it from the first block; *used receives the one used. year is
 * for syslog lines without a year. Returns 0 or -errno (read or decompression
 * error: *what says which). The assembler is not flushed. */
int klog_scan_fd(struct klog_scan *s, int fd, enum klog_fmt fmt, int year, enum klog_fmt *used,
		 const char **what);

/* Matches one record's whole message and feeds it to the assembler when a signature
 * matched or a report is open (the journal and every record format go this way). */
void klog_scan_feed(struct klog_scan *s, const struct klog_rec *r);

/* Feeds one /dev/kmsg record (a read() of /dev/kmsg or a record of a kmsg file);
 * sequence gaps count as lost records; records at or before s->skip_to are skipped
 * when s->skip (the follow cursor). */
void klog_scan_kmsg_record(struct klog_scan *s, const char *rec, size_t len);

/* Reads /dev/kmsg (path) from the oldest record, or only new ones (from_end); with
 * follow, waits for more until *stop, flushing the assembler when a report stays
 * open two seconds without records, and calling on_idle (to save the cursor) each
 * time it catches up. A regular file or FIFO at path is read as kmsg records, one
 * per line plus its " KEY=value" lines, and followed as tail -f does. The cursor is
 * s->skip / s->skip_to. Returns 0 or -errno. */
int klog_scan_kmsg(struct klog_scan *s, const char *path, bool from_end, bool follow,
		   volatile sig_atomic_t *stop, void (*on_idle)(void *ctx), void *ctx);

/* This boot's id (/proc/sys/kernel/random/boot_id without dashes), "" when unreadable. */
void klog_boot_id(char out[33]);
/* Wall time of boot in microseconds (CLOCK_REALTIME - CLOCK_BOOTTIME), for the wall
 * times of live /dev/kmsg records; -1 when a clock cannot be read. */
int64_t klog_boot_wall_us(void);

#endif
