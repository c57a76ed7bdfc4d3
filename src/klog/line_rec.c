// SPDX-License-Identifier: MIT
/* Format detection, and the record formats that need decoding rather than prefix
 * stripping: /dev/kmsg records (Documentation/ABI/testing/dev-kmsg) and journalctl
 * -o json lines. Both decode into the context's scratch buffer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "klog/line.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

void klog_linectx_init(struct klog_linectx *ctx, enum klog_fmt fmt, int year)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->fmt = fmt;
	ctx->year = year;
}

void klog_linectx_release(struct klog_linectx *ctx)
{
	free(ctx->scratch);
	ctx->scratch = NULL;
	ctx->scratch_cap = 0;
}

static char *scratch(struct klog_linectx *ctx, size_t need)
{
	if (need + 1 > ctx->scratch_cap) {
		ctx->scratch_cap = need + 1 > 4096 ? need + 1 : 4096;
		free(ctx->scratch);
		ctx->scratch = xmalloc(ctx->scratch_cap);
	}
	return ctx->scratch;
}

static bool isdig(char c)
{
	return c >= '0' && c <= '9';
}

static size_t ndigits(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && isdig(p[n]))
		n++;
	return n;
}

static bool looks_kmsg(const char *p, const char *end)
{
	for (int field = 0; field < 3; field++) {
		size_t n = ndigits(p, end);
		if (!n || p + n >= end || p[n] != ',')
			return false;
		p += n + 1;
	}
	const char *semi = memchr(p, ';', (size_t)(end - p));
	return semi && semi - p < 256;
}

static bool looks_mono(const char *p, const char *end)
{
	if (p >= end || *p != '[')
		return false;
	p++;
	while (p < end && *p == ' ')
		p++;
	size_t n = ndigits(p, end);
	if (!n || p + n >= end || p[n] != '.')
		return false;
	p += n + 1;
	n = ndigits(p, end);
	return n && p + n < end && p[n] == ']';
}

/* After "[ 12.345] ": "host kernel: " or "host name[pid]: " marks journalctl's
 * short-monotonic output rather than dmesg's. */
static bool journal_after_mono(const char *p, const char *end)
{
	p = memchr(p, ']', (size_t)(end - p));
	if (!p || ++p >= end || *p++ != ' ')
		return false;
	const char *sp = memchr(p, ' ', (size_t)(end - p));
	if (!sp || sp == p)
		return false;
	const char *tag = sp + 1;
	if (end - tag >= 7 && !memcmp(tag, "kernel:", 7))
		return true;
	const char *br = tag;
	while (br < end && *br != '[' && *br != ' ' && *br != ':')
		br++;
	if (br == tag || br >= end || *br != '[')
		return false;
	size_t n = ndigits(br + 1, end);
	return n && br + 1 + n + 1 < end && br[1 + n] == ']' && br[2 + n] == ':';
}

static bool month3(const char *p, const char *end)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (end - p < 4 || p[3] != ' ')
		return false;
	for (int i = 0; i < 12; i++)
		if (!memcmp(p, months + 3 * i, 3))
			return true;
	return false;
}

static enum klog_fmt line_kind(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);
	if (!n)
		return KFMT_PLAIN;
	if (isdig(*p)) {
		if (looks_kmsg(p, end))
			return KFMT_KMSG;
		if (n >= 20 && ndigits(p, end) == 4 && p[4] == '-' && p[7] == '-' &&
		    (p[10] == 'T' || p[10] == ' ') && p[13] == ':')
			return KFMT_SYSLOG_ISO;
		return KFMT_PLAIN;
	}
	if (*p == '{')
		return KFMT_JSON;
	if (*p == '<') {
		size_t d = ndigits(p + 1, end);
		if (d && p + 1 + d + 1 < end && p[1 + d] == '>')
			return p[2 + d] == '1' ? KFMT_RFC5424 : p[2 + d] == '[' ? KFMT_DMESG : KFMT_PLAIN;
		return KFMT_PLAIN;
	}
	if (*p == '[') {
		if (looks_mono(p, end))
			return journal_after_mono(p, end) ? KFMT_JOURNAL_MONO : KFMT_DMESG;
		if (n > 26 && p[4] == ' ' && month3(p + 5, end))
			return KFMT_DMESG_T;
		return KFMT_PLAIN;
	}
	if (month3(p, end))
		return KFMT_SYSLOG;
	/* dmesg -x: "kern  :warn  : [" */
	if (n > 16 && p[6] == ':' && p[13] == ':' && p[14] == ' ')
		return KFMT_DMESG;
	return KFMT_PLAIN;
}

enum klog_fmt klog_fmt_detect(const char *buf, size_t len)
{
	unsigned votes[KFMT_COUNT] = {0};
	struct lineiter it;
	struct span l;
	int seen = 0;
	lineiter_init(&it, buf, len);
	while (seen < 64 && lineiter_next(&it, &l)) {
		if (!l.n || (l.p[0] == ' ' && votes[KFMT_KMSG]))
			continue; /* kmsg continuation lines */
		votes[line_kind(l.p, l.p + l.n)]++;
		seen++;
	}
	/* The most common prefix wins if a quarter of the lines (and two, when there are
	 * two) have it: a console log mixes kernel lines with user space output, but one
	 * stray '{' or "1,2,3,;" in binary garbage must not make a file JSON or kmsg. */
	enum klog_fmt best = KFMT_PLAIN;
	for (int f = 1; f < KFMT_COUNT; f++)
		if (votes[f] > votes[best] || (best == KFMT_PLAIN && votes[f]))
			best = (enum klog_fmt)f;
	if (best != KFMT_PLAIN && (votes[best] * 4 < (unsigned)seen || (seen >= 2 && votes[best] < 2)))
		best = KFMT_PLAIN;
	return best;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Copies src with \xNN escapes decoded. */
static size_t unescape_kmsg(char *dst, const char *src, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (src[i] == '\\' && i + 3 < n && src[i + 1] == 'x' &&
		    (hi = hexval(src[i + 2])) >= 0 && (lo = hexval(src[i + 3])) >= 0) {
			dst[o++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			dst[o++] = src[i];
		}
	}
	return o;
}

static void rec_init(struct klog_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->mono_us = r->wall_us = -1;
	r->level = r->facility = -1;
}

int klog_kmsg_parse(struct klog_linectx *ctx, const char *rec, size_t len, struct klog_rec *r)
{
	const char *end = rec + len, *p = rec;
	uint64_t v[3];
	rec_init(r);
	for (int i = 0; i < 3; i++) {
		size_t n = ndigits(p, end);
		if (!n || p + n >= end || p[n] != ',' || parse_u64((struct span){p, n}, &v[i]))
			return -EINVAL;
		p += n + 1;
	}
	const char *semi = memchr(p, ';', (size_t)(end - p));
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!semi || (nl && nl < semi))
		return -EINVAL;
	r->level = (int)(v[0] & 7);
	r->facility = (int)(v[0] >> 3);
	r->seq = v[1];
	r->has_seq = true;
	r->mono_us = (int64_t)(v[2] > INT64_MAX ? INT64_MAX : v[2]);
	const char *text = semi + 1, *tend = nl ? nl : end;
	char *out = scratch(ctx, (size_t)(tend - text));
	r->len = unescape_kmsg(out, text, (size_t)(tend - text));
	out[r->len] = '\0';
	r->msg = out;
	/* " KEY=value" dictionary lines */
	ctx->device[0] = '\0';
	for (const char *l = nl; l && l + 1 < end;) {
		const char *ls = l + 1, *le = memchr(ls, '\n', (size_t)(end - ls));
		if (!le)
			le = end;
		if (le - ls > 8 && !memcmp(ls, " DEVICE=", 8))
			span_copy((struct span){ls + 8, (size_t)(le - ls - 8)}, ctx->device,
				  sizeof(ctx->device));
		l = le < end ? le : NULL;
	}
	if (ctx->device[0])
		r->device = ctx->device;
	return 0;
}

/* journalctl -o json: a flat object whose values are strings, numbers, null, or
 * arrays of byte values (fields that are not valid UTF-8). */
struct jcur {
	const char *p, *end;
};

static void jws(struct jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
}

static void put_utf8(char *dst, size_t *o, uint32_t cp)
{
	if (cp < 0x80) {
		dst[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		dst[(*o)++] = (char)(0xc0 | cp >> 6);
		dst[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		dst[(*o)++] = (char)(0xe0 | cp >> 12);
		dst[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		dst[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		dst[(*o)++] = (char)(0xf0 | cp >> 18);
		dst[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		dst[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		dst[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static bool hex4(const char *p, const char *end, uint32_t *v)
{
	*v = 0;
	if (end - p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		int h = hexval(p[i]);
		if (h < 0)
			return false;
		*v = *v << 4 | (uint32_t)h;
	}
	return true;
}

/* Reads a JSON string; decodes it into dst (room for the raw length) when dst is set.
 * Escapes never grow text, so the decoded length is at most the raw one. */
static bool jstring(struct jcur *c, char *dst, size_t *n)
{
	size_t o = 0;
	if (c->p >= c->end || *c->p != '"')
		return false;
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;
		if (ch != '\\') {
			if (dst)
				dst[o++] = ch;
			continue;
		}
		if (c->p >= c->end)
			return false;
		char e = *c->p++;
		uint32_t cp, lo;
		switch (e) {
		case 'n': ch = '\n'; break;
		case 't': ch = '\t'; break;
		case 'r': ch = '\r'; break;
		case 'b': ch = '\b'; break;
		case 'f': ch = '\f'; break;
		case '"': case '\\': case '/': ch = e; break;
		case 'u':
			if (!hex4(c->p, c->end, &cp))
				return false;
			c->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && c->end - c->p >= 6 && c->p[0] == '\\' &&
			    c->p[1] == 'u' && hex4(c->p + 2, c->end, &lo) && lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				c->p += 6;
			}
			if (dst)
				put_utf8(dst, &o, cp);
			continue;
		default:
			return false;
		}
		if (dst)
			dst[o++] = ch;
	}
	if (c->p >= c->end)
		return false;
	c->p++;
	*n = o;
	return true;
}

/* Skips any value; byte arrays are decoded into dst when dst is set. */
static bool jvalue(struct jcur *c, char *dst, size_t *n, int depth)
{
	jws(c);
	*n = 0;
	if (c->p >= c->end || depth > 8)
		return false;
	if (*c->p == '"')
		return jstring(c, dst, n);
	if (*c->p == '[' || *c->p == '{') {
		char close = *c->p == '[' ? ']' : '}';
		bool arr = close == ']';
		c->p++;
		for (;;) {
			size_t k;
			jws(c);
			if (c->p < c->end && *c->p == close) {
				c->p++;
				return true;
			}
			if (!arr && (!jstring(c, NULL, &k) || (jws(c), c->p >= c->end || *c->p++ != ':')))
				return false;
			jws(c);
			if (arr && dst && c->p < c->end && isdig(*c->p)) {
				size_t d = ndigits(c->p, c->end);
				uint64_t b;
				if (parse_u64((struct span){c->p, d}, &b) || b > 255)
					return false;
				dst[(*n)++] = (char)b;
				c->p += d;
			} else if (!jvalue(c, NULL, &k, depth + 1)) {
				return false;
			}
			jws(c);
			if (c->p < c->end && *c->p == ',')
				c->p++;
			else if (c->p >= c->end || *c->p != close)
				return false;
		}
	}
	/* number, true, false, null */
	const char *s = c->p;
	while (c->p < c->end && *c->p != ',' && *c->p != '}' && *c->p != ']' && *c->p != ' ')
		c->p++;
	if (dst) {
		memcpy(dst, s, (size_t)(c->p - s));
		*n = (size_t)(c->p - s);
	}
	return c->p > s;
}

enum jkey { J_MESSAGE, J_PRIORITY, J_FACILITY, J_TRANSPORT, J_IDENT, J_REALTIME, J_SRCMONO,
	    J_MONO, J_BOOT, J_DEVICE, J_NKEYS };

static int jkey_of(const char *k, size_t n)
{
	static const char *const names[J_NKEYS] = {
		"MESSAGE",	       "PRIORITY",	      "SYSLOG_FACILITY", "_TRANSPORT",
		"SYSLOG_IDENTIFIER",   "__REALTIME_TIMESTAMP", "_SOURCE_MONOTONIC_TIMESTAMP",
		"__MONOTONIC_TIMESTAMP", "_BOOT_ID",	      "_KERNEL_DEVICE"};
	for (int i = 0; i < J_NKEYS; i++)
		if (strlen(names[i]) == n && !memcmp(names[i], k, n))
			return i;
	return -1;
}

static bool jnum(struct span s, int64_t *out)
{
	uint64_t v;
	if (parse_u64(s, &v) || v > INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

int klog_json_parse(struct klog_linectx *ctx, const char *line, size_t len, struct klog_rec *r)
{
	struct jcur c = {line, line + len};
	struct span val[J_NKEYS] = {{0}};
	bool have[J_NKEYS] = {0};
	/* One buffer: every decoded value is at most as long as its raw text. */
	char *buf = scratch(ctx, len), *o = buf;
	rec_init(r);
	jws(&c);
	if (c.p >= c.end || *c.p++ != '{')
		return -EINVAL;
	for (;;) {
		char key[64];
		size_t kn, vn;
		jws(&c);
		if (c.p < c.end && *c.p == '}')
			break;
		struct jcur ks = c;
		if (!jstring(&c, NULL, &kn))
			return -EINVAL;
		kn = (size_t)(c.p - ks.p) - 2;
		int k = kn < sizeof(key) ? jkey_of(ks.p + 1, kn) : -1;
		jws(&c);
		if (c.p >= c.end || *c.p++ != ':')
			return -EINVAL;
		if (!jvalue(&c, k >= 0 ? o : NULL, &vn, 0))
			return -EINVAL;
		if (k >= 0) {
			val[k] = (struct span){o, vn};
			have[k] = true;
			o += vn;
		}
		jws(&c);
		if (c.p < c.end && *c.p == ',')
			c.p++;
		else if (c.p >= c.end || *c.p != '}')
			return -EINVAL;
	}
	if (!have[J_MESSAGE])
		return -EINVAL;
	bool kernel = have[J_TRANSPORT] ? span_eq(val[J_TRANSPORT], "kernel")
					: have[J_IDENT] && span_eq(val[J_IDENT], "kernel");
	for (size_t i = 0; !kernel && have[J_IDENT] && i < ctx->ntags; i++)
		kernel = span_eq(val[J_IDENT], ctx->tags[i]);
	if (!kernel)
		return 0;
	r->msg = val[J_MESSAGE].p;
	r->len = val[J_MESSAGE].n;
	int64_t v;
	if (have[J_PRIORITY] && jnum(val[J_PRIORITY], &v) && v < 8)
		r->level = (int)v;
	r->facility = have[J_FACILITY] && jnum(val[J_FACILITY], &v) && v < 24 ? (int)v : 0;
	if (have[J_REALTIME] && jnum(val[J_REALTIME], &v)) {
		r->wall_us = v;
		r->wall_utc = true;
	}
	if ((have[J_SRCMONO] && jnum(val[J_SRCMONO], &v)) || (have[J_MONO] && jnum(val[J_MONO], &v)))
		r->mono_us = v;
	if (have[J_BOOT] && val[J_BOOT].n == 32)
		span_copy(val[J_BOOT], r->boot_id, sizeof(r->boot_id));
	if (have[J_DEVICE] && span_copy(val[J_DEVICE], ctx->device, sizeof(ctx->device)))
		r->device = ctx->device;
	return 1;
}
