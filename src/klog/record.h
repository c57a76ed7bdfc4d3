/* SPDX-License-Identifier: MIT */
/* One kernel log record as every source (the journal, /dev/kmsg, dmesg text, syslog
 * files) hands it to the classifier. The strings belong to the source and stay valid
 * until its next call; copy what must outlive that. */
#ifndef KRES_KLOG_RECORD_H
#define KRES_KLOG_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct klog_rec {
	/* The message text without the source's prefixes (timestamp, level, facility,
	 * host). Not NUL-terminated and may hold any byte, NUL included: hostile input. */
	const char *msg;
	/* Length of msg in bytes. */
	size_t len;
	/* When the kernel logged it, in microseconds since boot (CLOCK_MONOTONIC as
	 * printk stamps it); -1 when unknown. 0 is a real time: the first line of a boot. */
	int64_t mono_us;
	/* Wall-clock time in microseconds since the epoch; -1 when unknown. */
	int64_t wall_us;
	/* wall_us is UTC (the journal's realtime, kmsg plus the boot time); false means
	 * a naive local time read from text (a syslog file), zone unknown. */
	bool wall_utc;
	/* Syslog level 0 (emerg) .. 7 (debug); -1 when unknown. */
	int level;
	/* Syslog facility: 0 kernel, 1 user, 3 daemon, ...; -1 when unknown. A line user
	 * space wrote to /dev/kmsg has a facility other than 0. */
	int facility;
	/* seq holds a sequence number. */
	bool has_seq;
	/* The kmsg sequence number (gaps mean records were lost) when has_seq. */
	uint64_t seq;
	/* The device the kernel named: kmsg DEVICE= or the journal's _KERNEL_DEVICE
	 * ("b8:0", "c246:0", "n3", "+usb:1-1"); NUL-terminated, or NULL when none. */
	const char *device;
	/* The boot the record belongs to: 32 lower-case hex digits, or "" when unknown. */
	char boot_id[33];
	/* A text line without its format's prefix: console output of user space, or a
	 * continuation. It is matched, but does not count in a report's window. */
	bool bare;
	/* 1-based line number (text sources) or record number (the journal, kmsg) in
	 * the source, for messages that point back at the input. */
	uint64_t lineno;
};

#endif
