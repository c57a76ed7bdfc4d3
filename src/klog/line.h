/* SPDX-License-Identifier: MIT */
/* Log line formats: detection per file, and the parsers that turn one line (or one
 * /dev/kmsg record) into a klog_rec by stripping the prefixes every rendering adds:
 * dmesg ([ 12.345678], -T, -r, -x), syslog (RFC 3164 as rsyslog and journalctl short
 * write it, rsyslog's ISO timestamps, RFC 5424), journalctl short-monotonic and -o json,
 * and the caller tag ([ T123]). Kernel-log signatures: reference section 1.2. */
#ifndef KRES_KLOG_LINE_H
#define KRES_KLOG_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "klog/record.h"

enum klog_fmt {
	KFMT_PLAIN,        /* a console or unknown log: the whole line is the message */
	KFMT_KMSG,         /* /dev/kmsg records: LEVEL,SEQ,USEC,FLAG;text + KEY=value lines */
	KFMT_DMESG,        /* [ 12.345678] text, also dmesg -r (<4>[...]) and -x (kern  :warn  :) */
	KFMT_DMESG_T,      /* [Tue Mar  5 10:21:33 2024] text */
	KFMT_SYSLOG,       /* Mar  5 10:21:33 host kernel: text (RFC 3164, journalctl short) */
	KFMT_SYSLOG_ISO,   /* 2024-03-05T10:21:33.123456+00:00 host kernel: text */
	KFMT_RFC5424,      /* <4>1 2024-03-05T10:21:33.123456+00:00 host kernel - - - text */
	KFMT_JOURNAL_MONO, /* [ 12.345678] host kernel: text (journalctl -o short-monotonic) */
	KFMT_JSON,         /* journalctl -o json: one object per line */
	KFMT_COUNT
};

const char *klog_fmt_name(enum klog_fmt f);
/* Parses a --input-format name. Returns 0 or -EINVAL. */
int klog_fmt_parse(const char *s, enum klog_fmt *out);

/* Guesses the format from the first lines of buf: the kind most of its lines have. */
enum klog_fmt klog_fmt_detect(const char *buf, size_t len);

struct klog_linectx {
	enum klog_fmt fmt;
	int year;       /* for formats without a year (RFC 3164); rolls over in January */
	int last_month; /* 1..12 of the previous dated line, 0 none */
	char *scratch;  /* unescaped text of kmsg and JSON records */
	size_t scratch_cap;
	char device[128];
	char **tags;    /* extra syslog tags counted as kernel lines (e.g. a VMM's) */
	size_t ntags;
};

/* Sets up ctx for format fmt; year is the year of undated syslog lines. */
void klog_linectx_init(struct klog_linectx *ctx, enum klog_fmt fmt, int year);
void klog_linectx_release(struct klog_linectx *ctx);

/* Parses one line (without its newline) of a text format into r; r->msg points into
 * line. A line that does not have the format's prefix is taken as plain text (and
 * r->bare is set). Returns false when the line is another program's (a syslog tag
 * other than kernel): r->msg is then that program's message. */
bool klog_line_parse(struct klog_linectx *ctx, const char *line, size_t len, struct klog_rec *r);

/* Parses one /dev/kmsg record (the header line and its " KEY=value" continuation
 * lines, len bytes) into r, unescaping \xNN. Returns 0 or -EINVAL (malformed). */
int klog_kmsg_parse(struct klog_linectx *ctx, const char *rec, size_t len, struct klog_rec *r);

/* Parses one journalctl -o json line. Returns 1 kernel record, 0 not a kernel
 * record, -EINVAL malformed. */
int klog_json_parse(struct klog_linectx *ctx, const char *line, size_t len, struct klog_rec *r);

#endif
