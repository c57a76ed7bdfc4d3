// SPDX-License-Identifier: MIT
/* The kernel NFS server's own files under /proc/fs/nfsd (threads, pool_threads,
 * pool_stats) and nfsd_read(), which adds the configuration and exports parsed by
 * nfsd_conf.c. */
#include "host/nfsd.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/sysctl.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define NFSD_DIR "/proc/fs/nfsd"
#define CONF_MAX (1u << 20)
/* One row per export and client; big servers have thousands. */
#define KEXPORTS_MAX (16u << 20)

int nfsd_threads_parse(const char *buf, size_t len, unsigned *threads, struct perr *err)
{
	uint64_t v;
	int n;
	if (sysctl_parse(buf, len, &v, 1, &n, err))
		return -EINVAL;
	if (v > INT_MAX) {
		perr_set(err, 1, "thread count %llu is out of range", (unsigned long long)v);
		return -EINVAL;
	}
	*threads = (unsigned)v;
	return 0;
}

int pool_threads_parse(const char *buf, size_t len, unsigned *npools, uint64_t *total,
                       struct perr *err)
{
	struct span s = {buf, len};
	if (len && buf[len - 1] == '\n')
		s.n--;
	if (memchr(s.p, '\n', s.n)) {
		perr_set(err, 2, "unexpected text after the first line");
		return -EINVAL;
	}
	unsigned n = 0;
	uint64_t sum = 0;
	size_t i = 0;
	while (i < s.n) {
		while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t'))
			i++;
		if (i == s.n)
			break;
		size_t start = i;
		while (i < s.n && s.p[i] != ' ' && s.p[i] != '\t')
			i++;
		uint64_t v;
		if (parse_u64((struct span){s.p + start, i - start}, &v) || v > INT_MAX) {
			perr_set(err, 1, "pool %u: expected a thread count", n);
			return -EINVAL;
		}
		if (n == UINT_MAX) {
			perr_set(err, 1, "too many pools");
			return -EINVAL;
		}
		n++;
		sum += v; /* at most UINT_MAX values below 2^31: no overflow */
	}
	if (n == 0) {
		perr_set(err, 1, "expected thread counts, found an empty line");
		return -EINVAL;
	}
	*npools = n;
	*total = sum;
	return 0;
}

enum ps_col {
	PS_POOL,
	PS_PACKETS,
	PS_ENQUEUED,
	PS_WOKEN,
	PS_TIMEDOUT,
	PS_OVERLOADS,
	PS_NO_THREADS,
	PS__COLS
};

static const struct {
	const char *name;
	const char *alias; /* a name a patch series used for the same counter */
	bool required;
} ps_cols[PS__COLS] = {
    [PS_POOL] = {"pool", NULL, true},
    [PS_PACKETS] = {"packets-arrived", NULL, true},
    [PS_ENQUEUED] = {"sockets-enqueued", "xprts-enqueued", true},
    [PS_WOKEN] = {"threads-woken", NULL, true},
    [PS_TIMEDOUT] = {"threads-timedout", NULL, false},   /* 0 since 6.6 */
    [PS_OVERLOADS] = {"overloads-avoided", NULL, false}, /* 2.6.30-2.6.32 */
    [PS_NO_THREADS] = {"no-threads-avail", NULL, false}, /* proposed 2025 */
};

#define PS_MAX_COLS 32

struct ps_header {
	int idx[PS__COLS]; /* header position of each column, -1 absent */
	size_t ncols;
};

static int ps_find_columns(struct span line, struct ps_header *h, struct perr *err)
{
	struct span tok[PS_MAX_COLS + 1];
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt == 0 || tok[0].p[0] != '#') {
		perr_set(err, 1, "expected the '# pool packets-arrived ...' header");
		return -EINVAL;
	}
	/* "# pool ..." and "#pool ..." both name the first column "pool". */
	size_t first = 0;
	if (tok[0].n == 1)
		first = 1;
	else
		tok[0] = (struct span){tok[0].p + 1, tok[0].n - 1};
	if (nt > PS_MAX_COLS) {
		perr_set(err, 1, "header has more than %d columns", PS_MAX_COLS);
		return -EINVAL;
	}
	h->ncols = nt - first;
	for (size_t c = 0; c < PS__COLS; c++) {
		h->idx[c] = -1;
		for (size_t i = first; i < nt && h->idx[c] < 0; i++)
			if (span_eq(tok[i], ps_cols[c].name) ||
			    (ps_cols[c].alias && span_eq(tok[i], ps_cols[c].alias)))
				h->idx[c] = (int)(i - first);
		if (h->idx[c] < 0 && ps_cols[c].required) {
			perr_set(err, 1, "header has no '%s' column", ps_cols[c].name);
			return -EINVAL;
		}
	}
	return 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int ps_row(const struct ps_header *h, struct span line, unsigned lineno,
                  struct pool_stats *ps, struct perr *err)
{
	struct span tok[PS_MAX_COLS + 1];
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt != h->ncols) {
		perr_set(err, lineno, "expected %zu fields as in the header, found %zu", h->ncols,
		         nt);
		return -EINVAL;
	}
	uint64_t v[PS__COLS] = {0};
	for (size_t c = 0; c < PS__COLS; c++) {
		if (h->idx[c] >= 0 && parse_u64(tok[h->idx[c]], &v[c])) {
			perr_set(err, lineno, "value in column '%s' is not a number",
			         ps_cols[c].name);
			return -EINVAL;
		}
	}
	ps->npools++;
	ps->packets = sat_add(ps->packets, v[PS_PACKETS]);
	ps->enqueued = sat_add(ps->enqueued, v[PS_ENQUEUED]);
	ps->woken = sat_add(ps->woken, v[PS_WOKEN]);
	ps->timedout = sat_add(ps->timedout, v[PS_TIMEDOUT]);
	ps->overloads = sat_add(ps->overloads, v[PS_OVERLOADS]);
	ps->no_threads = sat_add(ps->no_threads, v[PS_NO_THREADS]);
	return 0;
}

int pool_stats_parse(const char *buf, size_t len, struct pool_stats *ps, struct perr *err)
{
	struct lineiter it;
	struct span line;
	struct ps_header h = {.ncols = 0};
	memset(ps, 0, sizeof(*ps));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		if (it.lineno == 1) {
			if (ps_find_columns(line, &h, err))
				goto fail;
			continue;
		}
		struct span t = span_trim(line);
		if (t.n && t.p[0] == '#')
			continue;
		if (ps_row(&h, line, it.lineno, ps, err))
			goto fail;
	}
	if (it.lineno == 0) {
		perr_set(err, 0, "empty file, expected a header line");
		goto fail;
	}
	ps->have_timedout = h.idx[PS_TIMEDOUT] >= 0;
	ps->have_overloads = h.idx[PS_OVERLOADS] >= 0;
	ps->have_no_threads = h.idx[PS_NO_THREADS] >= 0;
	return 0;
fail:
	memset(ps, 0, sizeof(*ps));
	return -EINVAL;
}

typedef int (*parse_fn)(const char *buf, size_t len, void *out, struct perr *err);

/* Reads path and hands its text to fn; records the outcome in s. -ENODEV, which the
 * nfsd files give while the server is stopped, is "unavailable". */
static void read_parse(const struct rootfs *r, const char *path, struct src *s, parse_fn fn,
                       void *out)
{
	char *buf;
	ssize_t n = rootfs_read(r, path, CONF_MAX, &buf);
	if (n == -ENODEV) {
		s->state = SRC_UNAVAILABLE;
		snprintf(s->err, sizeof(s->err), "'%s' is unavailable (nfsd is not running)",
		         rootfs_show(r, path));
		return;
	}
	if (n < 0) {
		src_set_read_error(s, r, path, (int)n);
		return;
	}
	s->state = SRC_OK;
	s->err[0] = '\0';
	struct perr e = {0};
	if (fn(buf, (size_t)n, out, &e) < 0)
		src_set_parse_error(s, r, path, &e);
	free(buf);
}

static int p_threads(const char *b, size_t n, void *o, struct perr *e)
{
	return nfsd_threads_parse(b, n, o, e);
}
static int p_stats(const char *b, size_t n, void *o, struct perr *e)
{
	return pool_stats_parse(b, n, o, e);
}

struct pool_threads {
	unsigned npools;
	uint64_t total;
};

static int p_pool_threads(const char *b, size_t n, void *o, struct perr *e)
{
	struct pool_threads *pt = o;
	return pool_threads_parse(b, n, &pt->npools, &pt->total, e);
}

static void read_kernel(const struct rootfs *r, struct nfsd_state *st)
{
	read_parse(r, NFSD_DIR "/threads", &st->threads_src, p_threads, &st->threads);
	st->running = st->threads_src.state == SRC_OK && st->threads > 0;
	struct pool_stats ps = {0};
	read_parse(r, NFSD_DIR "/pool_stats", &st->stats_src, p_stats, &ps);
	if (st->stats_src.state == SRC_OK) {
		st->packets = ps.packets;
		st->enqueued = ps.enqueued;
		st->woken = ps.woken;
		st->timedout = ps.timedout;
		st->have_timedout = ps.have_timedout;
	}
	if (!st->running)
		return;
	/* pool_threads says "0" for no pools, so it only counts pools while running. */
	struct src tmp;
	struct pool_threads pt = {0};
	read_parse(r, NFSD_DIR "/pool_threads", &tmp, p_pool_threads, &pt);
	if (tmp.state == SRC_OK)
		st->npools = pt.npools;
	else if (st->stats_src.state == SRC_OK)
		st->npools = (unsigned)(ps.npools > UINT_MAX ? UINT_MAX : ps.npools);
}

/* The configuration sources of the thread count, lowest precedence first. */
enum conf_kind { CONF_NFSCONF, CONF_SHELL };

/* Reads one configuration file and applies what it sets. */
static void conf_file(const struct rootfs *r, const char *path, enum conf_kind kind,
                      struct nfsd_state *st, bool *any)
{
	char *buf;
	ssize_t n = rootfs_read(r, path, CONF_MAX, &buf);
	if (n == -ENOENT || n == -ENOTDIR)
		return;
	if (n < 0) {
		if (st->conf_src.state != SRC_ERROR)
			src_set_read_error(&st->conf_src, r, path, (int)n);
		return;
	}
	*any = true;
	struct conf_count c;
	struct perr e = {0};
	int rc = kind == CONF_NFSCONF ? nfsconf_threads(buf, (size_t)n, &c, &e)
	                              : shellvar_count(buf, (size_t)n, "RPCNFSDCOUNT", &c, &e);
	free(buf);
	if (rc) {
		if (st->conf_src.state != SRC_ERROR)
			src_set_parse_error(&st->conf_src, r, path, &e);
		return;
	}
	if (!c.set)
		return;
	st->conf_threads_set = true;
	st->conf_threads = c.value;
	snprintf(st->conf_origin, sizeof(st->conf_origin), "'%s' line %u", path, c.line);
}

/* Files of dir whose names end in suffix, in name order (hidden ones skipped). */
static void list_dropins(const struct rootfs *r, const char *dir, const char *suffix,
                         struct strlist *out)
{
	struct strlist all = {0};
	if (rootfs_list(r, dir, &all) < 0)
		return;
	size_t sl = strlen(suffix);
	for (size_t i = 0; i < all.n; i++) {
		size_t n = strlen(all.v[i]);
		if (all.v[i][0] != '.' && n > sl && !strcmp(all.v[i] + n - sl, suffix)) {
			char *p = xasprintf("%s/%s", dir, all.v[i]);
			strlist_push(out, p);
			free(p);
		}
	}
	strlist_release(&all);
}

static void read_conf(const struct rootfs *r, struct nfsd_state *st)
{
	bool any = false;
	struct strlist drop = {0};
	conf_file(r, "/etc/nfs.conf", CONF_NFSCONF, st, &any);
	/* nfs-utils 2.6.2 and later read these after nfs.conf. */
	list_dropins(r, "/etc/nfs.conf.d", ".conf", &drop);
	for (size_t i = 0; i < drop.n; i++)
		conf_file(r, drop.v[i], CONF_NFSCONF, st, &any);
	strlist_release(&drop);
	/* RHEL 7's nfs-config.service and Debian's nfs-utils_env.sh turn RPCNFSDCOUNT into
	 * rpc.nfsd's count argument, which overrides nfs.conf. */
	conf_file(r, "/etc/sysconfig/nfs", CONF_SHELL, st, &any);
	conf_file(r, "/etc/default/nfs-kernel-server", CONF_SHELL, st, &any);
	if (st->conf_src.state == SRC_ERROR)
		return;
	if (any) {
		st->conf_src.state = SRC_OK;
	} else {
		st->conf_src.state = SRC_UNAVAILABLE;
		snprintf(st->conf_src.err, sizeof(st->conf_src.err),
		         "'%s' is unavailable (no NFS server configuration)",
		         rootfs_show(r, "/etc/nfs.conf"));
	}
}

typedef int (*exports_fn)(const char *buf, size_t len, const char *path, struct nfs_export **v,
                          size_t *n, size_t *cap, struct perr *err);

/* Adds the exports of one file; false when it does not exist. */
static bool exports_file(const struct rootfs *r, const char *path, exports_fn fn, size_t max,
                         struct nfsd_state *st, struct src *s)
{
	char *buf;
	ssize_t n = rootfs_read(r, path, max, &buf);
	if (n == -ENOENT || n == -ENOTDIR)
		return false;
	if (n < 0) {
		if (s->state != SRC_ERROR)
			src_set_read_error(s, r, path, (int)n);
		return true;
	}
	struct perr e = {0};
	if (fn(buf, (size_t)n, path, &st->exp, &st->nexp, &st->exp_cap, &e) &&
	    s->state != SRC_ERROR)
		src_set_parse_error(s, r, path, &e);
	free(buf);
	return true;
}

static void read_exports(const struct rootfs *r, struct nfsd_state *st)
{
	struct strlist drop = {0};
	bool any = exports_file(r, "/etc/exports", exports_parse, CONF_MAX, st, &st->exports_src);
	list_dropins(r, "/etc/exports.d", ".exports", &drop);
	for (size_t i = 0; i < drop.n; i++)
		any |= exports_file(r, drop.v[i], exports_parse, CONF_MAX, st, &st->exports_src);
	strlist_release(&drop);
	if (!any)
		src_set_read_error(&st->exports_src, r, "/etc/exports", -ENOENT);

	/* fs/nfsd/nfsctl.c creates /proc/fs/nfs/exports with the module; the nfsd
	 * filesystem has the same table as "exports". */
	if (!exports_file(r, "/proc/fs/nfs/exports", kexports_parse, KEXPORTS_MAX, st,
	                  &st->kexports_src) &&
	    !exports_file(r, NFSD_DIR "/exports", kexports_parse, KEXPORTS_MAX, st,
	                  &st->kexports_src))
		src_set_read_error(&st->kexports_src, r, "/proc/fs/nfs/exports", -ENOENT);
}

void nfsd_read(const struct rootfs *r, struct nfsd_state *st)
{
	memset(st, 0, sizeof(*st));
	read_kernel(r, st);
	read_conf(r, st);
	read_exports(r, st);
}

void nfsd_release(struct nfsd_state *st)
{
	free(st->exp);
	memset(st, 0, sizeof(*st));
}
