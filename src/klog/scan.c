// SPDX-License-Identifier: MIT
/* The log readers. A text input is read in blocks of whole lines; Hyperscan names
 * the candidate lines of a block in one pass and only those (plus every line of an
 * open report) are parsed. Record inputs go one record at a time. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "klog/scan.h"
#include "util/rootfs.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define BLOCK (4u << 20) /* bytes read and scanned at a time; the longest line kept */
#define KMSG_RECORD 8192 /* the kernel's extended-console line limit (dev-kmsg ABI) */

void klog_scan_init(struct klog_scan *s, struct klog_matcher *m, struct klog_asm *a)
{
	memset(s, 0, sizeof(*s));
	s->m = m;
	s->a = a;
	s->boot_wall_us = -1;
	klog_linectx_init(&s->lc, KFMT_PLAIN, 1970);
}

void klog_scan_release(struct klog_scan *s)
{
	klog_linectx_release(&s->lc);
	free(s->buf);
	s->buf = NULL;
}

/* A file or pipe, transparently gunzipped (concatenated members too). */
struct input {
	int fd;
	bool gz, eof;
	bool mid; /* inside a gzip member: its end has not been seen */
	z_stream zs;
	unsigned char *zbuf;
	size_t zcap;
};

static ssize_t raw_read(int fd, void *p, size_t n)
{
	ssize_t r;
	do
		r = read(fd, p, n);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static ssize_t input_read(struct input *in, char *dst, size_t n)
{
	if (!in->gz)
		return raw_read(in->fd, dst, n);
	in->zs.next_out = (unsigned char *)dst;
	in->zs.avail_out = (unsigned)(n > 0x40000000u ? 0x40000000u : n);
	while (in->zs.avail_out == (unsigned)(n > 0x40000000u ? 0x40000000u : n)) {
		if (!in->zs.avail_in) {
			if (in->eof)
				return 0;
			ssize_t r = raw_read(in->fd, in->zbuf, in->zcap);
			if (r < 0)
				return r;
			if (r == 0) {
				in->eof = true;
				/* A member cut short (a log copied while being written): what
				 * came before it was read; say it was cut. */
				return in->mid ? -EBADMSG : 0;
			}
			in->zs.next_in = in->zbuf;
			in->zs.avail_in = (unsigned)r;
		}
		int rc = inflate(&in->zs, Z_NO_FLUSH);
		in->mid = true;
		if (rc == Z_STREAM_END) {
			/* Another gzip member may follow. */
			in->mid = false;
			if (inflateReset(&in->zs) != Z_OK)
				return -EIO;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			return -EILSEQ;
		}
	}
	return (ssize_t)(n - in->zs.avail_out);
}

static int input_open(struct input *in, int fd, const unsigned char *head, size_t nhead)
{
	memset(in, 0, sizeof(*in));
	in->fd = fd;
	if (nhead < 2 || head[0] != 0x1f || head[1] != 0x8b)
		return 0;
	in->gz = true;
	in->zcap = 1u << 20;
	in->zbuf = xmalloc(in->zcap);
	memcpy(in->zbuf, head, nhead);
	in->zs.next_in = in->zbuf;
	in->zs.avail_in = (unsigned)nhead;
	return inflateInit2(&in->zs, 16 + MAX_WBITS) == Z_OK ? 0 : -ENOMEM;
}

static void input_close(struct input *in)
{
	if (in->gz)
		inflateEnd(&in->zs);
	free(in->zbuf);
}

/* Counts newlines in [p, p+n), 16 bytes at a time with GCC vector extensions (a
 * compare gives -1 per matching byte; per-byte counters are summed every 255 steps). */
typedef signed char v16 __attribute__((vector_size(16)));

static uint64_t count_nl(const char *p, size_t n)
{
	uint64_t c = 0;
	size_t i = 0;
	const v16 nl = {'\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n',
			'\n', '\n', '\n', '\n', '\n', '\n', '\n', '\n'};
	while (n - i >= 16) {
		v16 acc = {0};
		size_t steps = (n - i) / 16;
		if (steps > 255)
			steps = 255;
		for (size_t k = 0; k < steps; k++, i += 16) {
			v16 x;
			memcpy(&x, p + i, 16);
			acc -= (v16)(x == nl);
		}
		for (int k = 0; k < 16; k++)
			c += (unsigned char)acc[k];
	}
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

static void feed_line(struct klog_scan *s, const char *line, size_t len, uint64_t lineno,
		      const uint32_t *pats, size_t npats)
{
	struct klog_rec r;
	struct klog_field f[KLOG_MAX_FIELDS];
	size_t nf = 0;
	bool kernel = klog_line_parse(&s->lc, line, len, &r);
	r.lineno = lineno;
	long pat = npats ? klog_matcher_confirm(s->m, pats, npats, r.msg, r.len, f, &nf) : -1;
	if (!kernel) {
		/* Another program's line. Only loss markers count from those: journald's
		 * "Missed N kernel messages" is how a syslog file shows kmsg loss. */
		s->st.skipped++;
		if (pat >= 0 && s->m->cat->sigs[s->m->cat->pats[pat].sig].special == KSPEC_LOG_LOSS)
			klog_asm_feed(s->a, &r, pat, f, nf);
		else
			klog_asm_skip(s->a);
		return;
	}
	if (pat >= 0 || klog_asm_open(s->a))
		klog_asm_feed(s->a, &r, pat, f, nf);
}

/* Matches a block of whole lines of a text format. base is the line number of the
 * block's first line minus one. Returns the number of lines in the block. */
static int scan_text_block(struct klog_scan *s, const char *blk, size_t n, uint64_t base,
			   uint64_t *nlines)
{
	int rc = klog_matcher_scan(s->m, blk, n);
	if (rc)
		return rc;
	size_t pos = 0, ci = 0;
	uint64_t lineno = base;
	while (pos < n) {
		if (!klog_asm_open(s->a)) {
			if (ci >= s->m->ncands)
				break;
			lineno += count_nl(blk + pos, s->m->cands[ci].start - pos);
			pos = s->m->cands[ci].start;
		}
		const char *nl = memchr(blk + pos, '\n', n - pos);
		size_t end = nl ? (size_t)(nl - blk) : n;
		lineno++;
		if (ci < s->m->ncands && s->m->cands[ci].start == pos) {
			const struct klog_cand *c = &s->m->cands[ci++];
			feed_line(s, blk + pos, end - pos, lineno, s->m->hitpats + c->first, c->n);
		} else {
			feed_line(s, blk + pos, end - pos, lineno, NULL, 0);
		}
		pos = end + 1;
	}
	if (pos < n)
		lineno += count_nl(blk + pos, n - pos) + (blk[n - 1] != '\n');
	*nlines = lineno - base;
	return 0;
}

void klog_scan_feed(struct klog_scan *s, const struct klog_rec *r)
{
	struct klog_field f[KLOG_MAX_FIELDS];
	size_t nf;
	long pat = klog_matcher_match(s->m, r->msg, r->len, f, &nf);
	if (pat >= 0 || klog_asm_open(s->a))
		klog_asm_feed(s->a, r, pat, f, nf);
}

/* A record that does not parse is still text: matched whole, so a valid message in
 * a damaged record (or a file taken for the wrong format) is not lost. */
static void feed_plain(struct klog_scan *s, const char *line, size_t len)
{
	struct klog_rec r = {.msg = line, .len = len, .mono_us = -1, .wall_us = -1, .level = -1,
			     .facility = -1, .bare = true, .lineno = s->st.lines};
	const char *nl = memchr(line, '\n', len); /* a kmsg record's dictionary lines */
	if (nl)
		r.len = (size_t)(nl - line);
	klog_scan_feed(s, &r);
}

void klog_scan_kmsg_record(struct klog_scan *s, const char *rec, size_t len)
{
	struct klog_rec r;
	s->st.lines++;
	if (klog_kmsg_parse(&s->lc, rec, len, &r)) {
		s->st.bad++;
		feed_plain(s, rec, len);
		return;
	}
	r.lineno = s->st.lines;
	if (s->boot_wall_us >= 0 && r.mono_us >= 0) {
		r.wall_us = s->boot_wall_us + r.mono_us;
		r.wall_utc = true;
	}
	if (s->boot_id[0])
		memcpy(r.boot_id, s->boot_id, sizeof(r.boot_id));
	if (s->has_last_seq && r.seq > s->last_seq + 1)
		klog_asm_lost(s->a, r.seq - s->last_seq - 1);
	if (!s->st.seqs++)
		s->st.first_seq = r.seq;
	s->st.last_seq = r.seq;
	s->has_last_seq = true;
	s->last_seq = r.seq;
	if (s->skip && r.seq <= s->skip_to)
		return;
	klog_scan_feed(s, &r);
	if (!klog_asm_open(s->a)) {
		s->safe_seq = r.seq;
		s->has_safe_seq = true;
	}
}

static void feed_json(struct klog_scan *s, const char *line, size_t len)
{
	struct klog_rec r;
	int k = klog_json_parse(&s->lc, line, len, &r);
	if (k < 0) {
		s->st.bad++;
		feed_plain(s, line, len);
		return;
	}
	if (k == 0) {
		s->st.skipped++;
		klog_asm_skip(s->a);
		return;
	}
	r.lineno = s->st.lines;
	klog_scan_feed(s, &r);
}

/* Record formats: kmsg records (a line plus its " KEY=value" lines) or JSON lines.
 * Returns the bytes consumed (whole records only unless last). */
static size_t scan_records(struct klog_scan *s, const char *blk, size_t n, bool last)
{
	size_t pos = 0;
	while (pos < n) {
		const char *nl = memchr(blk + pos, '\n', n - pos);
		if (!nl && !last)
			break;
		size_t end = nl ? (size_t)(nl - blk) : n;
		if (s->lc.fmt == KFMT_JSON) {
			s->st.lines++;
			if (end > pos)
				feed_json(s, blk + pos, end - pos);
			pos = end + 1;
			continue;
		}
		/* Gather the continuation lines. */
		size_t rend = end;
		while (rend < n && rend + 1 < n && blk[rend + 1] == ' ') {
			const char *nn = memchr(blk + rend + 1, '\n', n - rend - 1);
			if (!nn && !last)
				return pos;
			rend = nn ? (size_t)(nn - blk) : n;
		}
		if (rend + 1 >= n && !last && rend < n)
			return pos; /* continuation lines may follow in the next block */
		if (end > pos)
			klog_scan_kmsg_record(s, blk + pos, rend - pos);
		pos = rend + 1;
	}
	return pos > n ? n : pos;
}

/* Fills buf up to cap; *have is the bytes held. Returns 0 or -errno (then *eof). */
static int fill(struct input *in, char *buf, size_t *have, size_t cap, bool *eof, uint64_t *bytes)
{
	while (!*eof && *have < cap) {
		ssize_t r = input_read(in, buf + *have, cap - *have);
		if (r < 0) {
			*eof = true;
			return (int)r;
		}
		if (r == 0)
			*eof = true;
		*have += (size_t)r;
		*bytes += (uint64_t)r;
	}
	return 0;
}

/* Drops the rest of an overlong line: bytes up to and including the next newline. */
static size_t drop_to_newline(char *buf, size_t have, bool *discarding)
{
	const char *nl = memchr(buf, '\n', have);
	if (!nl)
		return have;
	*discarding = false;
	return (size_t)(nl - buf) + 1;
}

static int scan_loop(struct klog_scan *s, struct input *in, size_t have, bool detect)
{
	bool eof = false, discarding = false;
	uint64_t base = 0;
	int err = 0;
	for (;;) {
		/* After a read error, what was read is still matched; then the error. */
		int e = fill(in, s->buf, &have, BLOCK, &eof, &s->st.bytes);
		if (e && !err)
			err = e;
		if (detect) {
			s->lc.fmt = klog_fmt_detect(s->buf, have);
			detect = false;
		}
		if (discarding) {
			size_t d = drop_to_newline(s->buf, have, &discarding);
			memmove(s->buf, s->buf + d, have - d);
			have -= d;
			if (!have && eof)
				break;
			continue;
		}
		if (!have)
			break;
		size_t used;
		if (s->lc.fmt == KFMT_KMSG || s->lc.fmt == KFMT_JSON) {
			used = scan_records(s, s->buf, have, eof);
		} else {
			const char *last = memrchr(s->buf, '\n', have);
			used = last ? (size_t)(last - s->buf) + 1 : eof ? have : 0;
			uint64_t n = 0;
			if (used) {
				int rc = scan_text_block(s, s->buf, used, base, &n);
				if (rc)
					return rc;
			}
			base += n;
			s->st.lines = base;
		}
		if (!used && have == BLOCK) {
			/* One line fills the whole block: match what fits, drop the rest. */
			s->st.truncated++;
			s->buf[have - 1] = '\n';
			if (s->lc.fmt == KFMT_KMSG || s->lc.fmt == KFMT_JSON) {
				used = scan_records(s, s->buf, have, true);
			} else {
				uint64_t n = 0;
				scan_text_block(s, s->buf, have, base, &n);
				base += n;
				s->st.lines = base;
				used = have;
			}
			discarding = true;
		}
		memmove(s->buf, s->buf + used, have - used);
		have -= used;
		if (eof && !have)
			break;
	}
	return err;
}

int klog_scan_fd(struct klog_scan *s, int fd, enum klog_fmt fmt, int year, enum klog_fmt *used,
		 const char **what)
{
	struct input in;
	unsigned char head[64 * 1024];
	if (!s->buf)
		s->buf = xmalloc(BLOCK + 1);
	memset(&s->st, 0, sizeof(s->st));
	s->has_last_seq = false;
	s->lc.year = year;
	s->lc.last_month = 0;
	s->lc.fmt = fmt == KFMT_COUNT ? KFMT_PLAIN : fmt;
	*what = "read";
	ssize_t nh = raw_read(fd, head, sizeof(head));
	if (nh < 0)
		return (int)nh;
	int rc = input_open(&in, fd, head, (size_t)nh);
	if (rc)
		return rc;
	size_t have = 0;
	if (!in.gz) {
		memcpy(s->buf, head, (size_t)nh);
		have = (size_t)nh;
		s->st.bytes = (uint64_t)nh;
	}
	rc = scan_loop(s, &in, have, fmt == KFMT_COUNT);
	if (rc == -EILSEQ || rc == -EBADMSG || (in.gz && rc == -EIO))
		*what = "decompress";
	*used = s->lc.fmt;
	input_close(&in);
	return rc;
}

/* A kmsg-format file or FIFO, followed like tail -f. */
static int follow_file(struct klog_scan *s, int fd, bool follow, volatile sig_atomic_t *stop,
		       void (*on_idle)(void *ctx), void *ctx)
{
	size_t have = 0;
	if (!s->buf)
		s->buf = xmalloc(BLOCK + 1);
	while (!*stop) {
		ssize_t n = raw_read(fd, s->buf + have, BLOCK - have);
		if (n < 0 && n != -EAGAIN)
			return (int)n;
		if (n > 0) {
			s->st.bytes += (uint64_t)n;
			have += (size_t)n;
			size_t used = scan_records(s, s->buf, have, false);
			if (!used && have == BLOCK) {
				s->st.truncated++;
				used = have; /* one record longer than a block: dropped */
			}
			memmove(s->buf, s->buf + used, have - used);
			have -= used;
			continue;
		}
		if (!follow)
			break;
		/* At the end: wait for the file to grow. */
		if (on_idle)
			on_idle(ctx);
		for (int i = 0; i < 4 && !*stop; i++)
			usleep(250000);
		if (n == 0 && klog_asm_open(s->a) && have == 0) {
			klog_asm_flush(s->a);
			s->safe_seq = s->last_seq;
			s->has_safe_seq = s->has_last_seq;
		}
	}
	if (have)
		scan_records(s, s->buf, have, true);
	return 0;
}

int klog_scan_kmsg(struct klog_scan *s, const char *path, bool from_end, bool follow,
		   volatile sig_atomic_t *stop, void (*on_idle)(void *ctx), void *ctx)
{
	char rec[KMSG_RECORD + 1];
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	s->lc.fmt = KFMT_KMSG;
	if (fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
		int rc = follow_file(s, fd, follow, stop, on_idle, ctx);
		close(fd);
		return rc;
	}
	if (from_end && lseek(fd, 0, SEEK_END) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	int rc = 0;
	while (!*stop) {
		ssize_t n = read(fd, rec, KMSG_RECORD);
		if (n > 0) {
			s->st.bytes += (uint64_t)n;
			klog_scan_kmsg_record(s, rec, (size_t)n);
			continue;
		}
		if (n == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == EPIPE)
			continue; /* overwritten records: the next seq shows the gap */
		if (errno != EAGAIN) {
			rc = -errno;
			break;
		}
		/* Caught up. */
		if (!follow)
			break;
		if (on_idle)
			on_idle(ctx);
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int pr = poll(&p, 1, klog_asm_open(s->a) ? 2000 : 1000);
		if (pr == 0 && klog_asm_open(s->a)) {
			/* A report stopped half-way: emit what it has. */
			klog_asm_flush(s->a);
			s->safe_seq = s->last_seq;
			s->has_safe_seq = s->has_last_seq;
			if (on_idle)
				on_idle(ctx);
		}
	}
	close(fd);
	return rc;
}

void klog_boot_id(char out[33])
{
	struct rootfs root;
	char *text = NULL;
	size_t o = 0;
	out[0] = '\0';
	if (rootfs_open(&root, "/"))
		return;
	if (rootfs_read(&root, "/proc/sys/kernel/random/boot_id", 128, &text) > 0)
		for (const char *p = text; *p && o < 32; p++)
			if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
				out[o++] = *p;
	out[o == 32 ? o : 0] = '\0';
	free(text);
	rootfs_close(&root);
}

int64_t klog_boot_wall_us(void)
{
	struct timespec rt, bt;
	if (clock_gettime(CLOCK_REALTIME, &rt) || clock_gettime(CLOCK_BOOTTIME, &bt))
		return -1;
	return ((int64_t)rt.tv_sec - bt.tv_sec) * 1000000 + ((int64_t)rt.tv_nsec - bt.tv_nsec) / 1000;
}
