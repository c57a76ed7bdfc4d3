// SPDX-License-Identifier: MIT
/* Strips the prefixes of every kernel-log rendering (reference kernel-log-signatures.md
 * section 1.2) so signatures see the kernel's own text. Each parser is tolerant: a line
 * without the expected prefix is plain text, never an error, so a garbage line costs
 * nothing and the valid lines after it are all read. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "klog/line.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char *const fmt_names[KFMT_COUNT] = {
	[KFMT_PLAIN] = "plain",		    [KFMT_KMSG] = "kmsg",
	[KFMT_DMESG] = "dmesg",		    [KFMT_DMESG_T] = "dmesg-T",
	[KFMT_SYSLOG] = "syslog",	    [KFMT_SYSLOG_ISO] = "syslog-iso",
	[KFMT_RFC5424] = "rfc5424",	    [KFMT_JOURNAL_MONO] = "journal-monotonic",
	[KFMT_JSON] = "journal-json",
};

const char *klog_fmt_name(enum klog_fmt f)
{
	return (unsigned)f < KFMT_COUNT ? fmt_names[f] : "?";
}

int klog_fmt_parse(const char *s, enum klog_fmt *out)
{
	for (int i = 0; i < KFMT_COUNT; i++)
		if (!strcmp(s, fmt_names[i])) {
			*out = (enum klog_fmt)i;
			return 0;
		}
	return -EINVAL;
}

/* A cursor over one line. */
struct cur {
	const char *p, *end;
};

static bool at(const struct cur *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static bool eat(struct cur *c, char ch)
{
	if (!at(c, ch))
		return false;
	c->p++;
	return true;
}

static void skip_spaces(struct cur *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

static bool isdig(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Reads min..max decimal digits. */
static bool digits(struct cur *c, int min, int max, int64_t *v)
{
	int n = 0;
	int64_t x = 0;
	while (n < max && c->p < c->end && isdig(*c->p)) {
		x = x * 10 + (*c->p++ - '0');
		n++;
	}
	*v = x;
	return n >= min;
}

/* A non-space token. */
static bool token(struct cur *c, struct cur *tok)
{
	tok->p = c->p;
	while (c->p < c->end && *c->p != ' ')
		c->p++;
	tok->end = c->p;
	return tok->end > tok->p;
}

static int month_of(const char *p, const char *end)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (end - p < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (!memcmp(p, months + 3 * i, 3))
			return i + 1;
	return 0;
}

static bool weekday(const char *p, const char *end)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	if (end - p < 3)
		return false;
	for (int i = 0; i < 7; i++)
		if (!memcmp(p, days + 3 * i, 3))
			return true;
	return false;
}

static int64_t civil_us(int64_t y, int mo, int64_t d, int64_t h, int64_t mi, int64_t s)
{
	struct tm tm = {.tm_year = (int)(y - 1900), .tm_mon = mo - 1, .tm_mday = (int)d,
			.tm_hour = (int)h, .tm_min = (int)mi, .tm_sec = (int)s};
	return (int64_t)timegm(&tm) * 1000000;
}

/* hh:mm:ss */
static bool clock_hms(struct cur *c, int64_t *h, int64_t *m, int64_t *s)
{
	return digits(c, 2, 2, h) && eat(c, ':') && digits(c, 2, 2, m) && eat(c, ':') &&
	       digits(c, 2, 2, s) && *h < 24 && *m < 60 && *s < 61;
}

/* [ 7712.345678] -> microseconds since boot. */
static bool mono_bracket(struct cur *c, int64_t *us)
{
	struct cur t = *c;
	int64_t sec, frac;
	if (!eat(&t, '['))
		return false;
	skip_spaces(&t);
	const char *f0;
	if (!digits(&t, 1, 12, &sec) || !eat(&t, '.'))
		return false;
	f0 = t.p;
	if (!digits(&t, 1, 9, &frac) || !eat(&t, ']'))
		return false;
	int nf = (int)(t.p - 1 - f0);
	while (nf < 6)
		frac *= 10, nf++;
	while (nf > 6)
		frac /= 10, nf--;
	*us = sec * 1000000 + frac;
	eat(&t, ' ');
	*c = t;
	return true;
}

/* The CONFIG_PRINTK_CALLER tag: [ T123] or [    C7]. */
static void caller_tag(struct cur *c)
{
	struct cur t = *c;
	int64_t v;
	if (!eat(&t, '['))
		return;
	skip_spaces(&t);
	if (!eat(&t, 'T') && !eat(&t, 'C'))
		return;
	if (!digits(&t, 1, 10, &v) || !eat(&t, ']'))
		return;
	eat(&t, ' ');
	*c = t;
}

/* 2024-03-05T10:21:33[.123456][Z|+01:00] -> UTC microseconds (naive when no zone). */
static bool iso_time(struct cur *c, int64_t *us, bool *utc)
{
	struct cur t = *c;
	int64_t y, mo, d, h, mi, s, frac = 0, oh, om;
	if (!digits(&t, 4, 4, &y) || !eat(&t, '-') || !digits(&t, 2, 2, &mo) || !eat(&t, '-') ||
	    !digits(&t, 2, 2, &d) || !(eat(&t, 'T') || eat(&t, ' ')) || !clock_hms(&t, &h, &mi, &s))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	if (eat(&t, '.') || eat(&t, ',')) {
		const char *f0 = t.p;
		if (!digits(&t, 1, 9, &frac))
			return false;
		int nf = (int)(t.p - f0);
		while (nf < 6)
			frac *= 10, nf++;
		while (nf > 6)
			frac /= 10, nf--;
	}
	*us = civil_us(y, (int)mo, d, h, mi, s) + frac;
	*utc = false;
	if (eat(&t, 'Z')) {
		*utc = true;
	} else if (at(&t, '+') || at(&t, '-')) {
		int sign = *t.p++ == '-' ? -1 : 1;
		if (!digits(&t, 2, 2, &oh) || !(eat(&t, ':'), digits(&t, 2, 2, &om)))
			return false;
		*us -= sign * (oh * 3600 + om * 60) * 1000000;
		*utc = true;
	}
	*c = t;
	return true;
}

/* "host tag[pid]: " -> is the tag the kernel's (or a configured one)? Leaves c after
 * the ": ". Returns -1 when the line has no such header. */
static int host_tag(struct klog_linectx *ctx, struct cur *c, bool with_host)
{
	struct cur t = *c, host, tag;
	/* A host name never starts with '[': that is a VMM's "[instance:level:file]". */
	if (with_host && (!token(&t, &host) || !eat(&t, ' ') || *host.p == '['))
		return -1;
	tag.p = t.p;
	while (t.p < t.end && *t.p != ':' && *t.p != '[' && *t.p != ' ')
		t.p++;
	tag.end = t.p;
	if (tag.end == tag.p)
		return -1;
	if (eat(&t, '[')) {
		while (t.p < t.end && *t.p != ']')
			t.p++;
		if (!eat(&t, ']'))
			return -1;
	}
	if (!eat(&t, ':'))
		return -1;
	eat(&t, ' ');
	*c = t;
	size_t n = (size_t)(tag.end - tag.p);
	if (n == 6 && !memcmp(tag.p, "kernel", 6))
		return 1;
	for (size_t i = 0; i < ctx->ntags; i++)
		if (strlen(ctx->tags[i]) == n && !memcmp(ctx->tags[i], tag.p, n))
			return 1;
	return 0;
}

/* Mar  5 10:21:33 (RFC 3164) or Mar 05 10:21:33 (journalctl short). */
static bool bsd_time(struct klog_linectx *ctx, struct cur *c, int64_t *us)
{
	struct cur t = *c;
	int64_t d, h, mi, s;
	int mo = month_of(t.p, t.end);
	if (!mo)
		return false;
	t.p += 3;
	if (!eat(&t, ' '))
		return false;
	skip_spaces(&t);
	if (!digits(&t, 1, 2, &d) || d < 1 || d > 31 || !eat(&t, ' ') || !clock_hms(&t, &h, &mi, &s))
		return false;
	if (eat(&t, '.')) { /* journalctl -o short-precise */
		int64_t frac;
		digits(&t, 1, 9, &frac);
	}
	if (!eat(&t, ' '))
		return false;
	if (ctx->last_month == 12 && mo == 1)
		ctx->year++;
	ctx->last_month = mo;
	*us = civil_us(ctx->year, mo, d, h, mi, s);
	*c = t;
	return true;
}

/* [Tue Mar  5 10:21:33 2024] */
static bool ctime_bracket(struct cur *c, int64_t *us)
{
	struct cur t = *c;
	int64_t d, h, mi, s, y;
	if (!eat(&t, '[') || !weekday(t.p, t.end))
		return false;
	t.p += 3;
	if (!eat(&t, ' '))
		return false;
	int mo = month_of(t.p, t.end);
	if (!mo)
		return false;
	t.p += 3;
	if (!eat(&t, ' '))
		return false;
	skip_spaces(&t);
	if (!digits(&t, 1, 2, &d) || !eat(&t, ' ') || !clock_hms(&t, &h, &mi, &s) || !eat(&t, ' ') ||
	    !digits(&t, 4, 4, &y) || !eat(&t, ']'))
		return false;
	eat(&t, ' ');
	*us = civil_us(y, mo, d, h, mi, s);
	*c = t;
	return true;
}

/* dmesg -r "<4>" and dmesg -x "kern  :warn  : " prefixes. */
static void dmesg_level(struct cur *c, struct klog_rec *r)
{
	static const char *const levels[] = {"emerg", "alert", "crit",	 "err",
					     "warn",  "notice", "info", "debug"};
	struct cur t = *c;
	int64_t v;
	if (eat(&t, '<')) {
		if (digits(&t, 1, 4, &v) && eat(&t, '>')) {
			r->level = (int)(v & 7);
			r->facility = (int)(v >> 3);
			*c = t;
		}
		return;
	}
	/* -x: facility padded to 6, ':', level padded to 6, ': ' */
	if (t.end - t.p < 16 || t.p[6] != ':' || t.p[13] != ':')
		return;
	for (int i = 0; i < 8; i++) {
		size_t n = strlen(levels[i]);
		if (!memcmp(t.p + 7, levels[i], n)) {
			r->level = i;
			r->facility = memcmp(t.p, "kern", 4) ? -1 : 0;
			c->p = t.p + 14;
			eat(c, ' ');
			return;
		}
	}
}

static void rec_reset(struct klog_rec *r, const char *line, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->msg = line;
	r->len = len;
	r->mono_us = r->wall_us = -1;
	r->level = r->facility = -1;
}

static void finish(struct klog_rec *r, struct cur *c)
{
	r->msg = c->p;
	r->len = (size_t)(c->end - c->p);
}

/* After "kernel: " rsyslog's imklog keeps the dmesg timestamp and caller tag. */
static void kernel_text(struct cur *c, struct klog_rec *r)
{
	int64_t us;
	if (mono_bracket(c, &us))
		r->mono_us = us;
	caller_tag(c);
}

/* Returns -1 when the line is not RFC 5424 (c unchanged), else 1 for a kernel
 * message and 0 for another program's, with c after the header. */
static int parse_rfc5424(struct klog_linectx *ctx, struct cur *c, struct klog_rec *r)
{
	struct cur t = *c, host, app, tok;
	int64_t pri, us = -1;
	bool utc = false;
	if (!eat(&t, '<') || !digits(&t, 1, 3, &pri) || !eat(&t, '>') || !eat(&t, '1') ||
	    !eat(&t, ' ') || !(iso_time(&t, &us, &utc) || eat(&t, '-')) || !eat(&t, ' ') ||
	    !token(&t, &host) || !eat(&t, ' ') || !token(&t, &app) || !eat(&t, ' ') ||
	    !token(&t, &tok) || !eat(&t, ' ') || !token(&t, &tok) || !eat(&t, ' '))
		return -1;
	/* structured data: "-" or [..][..] */
	if (!eat(&t, '-')) {
		if (!at(&t, '['))
			return -1;
		while (eat(&t, '[')) {
			while (t.p < t.end && *t.p != ']')
				t.p += (*t.p == '\\' && t.p + 1 < t.end) ? 2 : 1;
			if (!eat(&t, ']'))
				return -1;
		}
	}
	eat(&t, ' ');
	*c = t;
	r->level = (int)(pri & 7);
	r->facility = (int)(pri >> 3);
	r->wall_us = us;
	r->wall_utc = utc;
	size_t n = (size_t)(app.end - app.p);
	bool kernel = (n == 6 && !memcmp(app.p, "kernel", 6));
	for (size_t i = 0; !kernel && i < ctx->ntags; i++)
		kernel = strlen(ctx->tags[i]) == n && !memcmp(ctx->tags[i], app.p, n);
	return kernel;
}

bool klog_line_parse(struct klog_linectx *ctx, const char *line, size_t len, struct klog_rec *r)
{
	struct cur c = {line, line + len};
	int64_t us;
	bool utc;
	int k;
	bool kernel = true;
	rec_reset(r, line, len);
	switch (ctx->fmt) {
	case KFMT_DMESG:
		dmesg_level(&c, r);
		if (mono_bracket(&c, &us))
			r->mono_us = us;
		caller_tag(&c);
		break;
	case KFMT_DMESG_T:
		if (ctime_bracket(&c, &us))
			r->wall_us = us;
		caller_tag(&c);
		break;
	case KFMT_SYSLOG:
		if (bsd_time(ctx, &c, &us)) {
			r->wall_us = us;
			if ((k = host_tag(ctx, &c, true)) == 0)
				kernel = false;
			if (k > 0)
				kernel_text(&c, r);
		}
		break;
	case KFMT_SYSLOG_ISO:
		if (iso_time(&c, &us, &utc) && eat(&c, ' ')) {
			r->wall_us = us;
			r->wall_utc = utc;
			if ((k = host_tag(ctx, &c, true)) == 0)
				kernel = false;
			if (k > 0)
				kernel_text(&c, r);
		}
		break;
	case KFMT_RFC5424:
		if ((k = parse_rfc5424(ctx, &c, r)) == 0)
			kernel = false;
		if (k > 0)
			kernel_text(&c, r);
		break;
	case KFMT_JOURNAL_MONO:
		if (mono_bracket(&c, &us)) {
			r->mono_us = us;
			if ((k = host_tag(ctx, &c, true)) == 0)
				kernel = false;
		}
		break;
	case KFMT_PLAIN:
	case KFMT_KMSG:
	case KFMT_JSON:
	case KFMT_COUNT:
		break;
	}
	finish(r, &c);
	r->bare = ctx->fmt != KFMT_PLAIN && c.p == line;
	return kernel;
}
