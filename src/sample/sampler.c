// SPDX-License-Identifier: MIT
/* The sampler: opens every file once, re-reads them each interval into the next
 * of two snapshots, and reads the process table (see sampler.h). */
#include "sample/sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sample/parse.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char *const paths[SF__COUNT] = {
    [SF_UPTIME] = "/proc/uptime",
    [SF_MEMINFO] = "/proc/meminfo",
    [SF_VMSTAT] = "/proc/vmstat",
    [SF_STAT] = "/proc/stat",
    [SF_PSI_CPU] = "/proc/pressure/cpu", /* 4.20+, CONFIG_PSI, psi=1 on some distributions */
    [SF_PSI_MEMORY] = "/proc/pressure/memory",
    [SF_PSI_IO] = "/proc/pressure/io",
    [SF_NETDEV] = "/proc/net/dev",
    [SF_SOFTNET] = "/proc/net/softnet_stat",
    [SF_SNMP] = "/proc/net/snmp",
    [SF_NETSTAT] = "/proc/net/netstat",
    [SF_SOCKSTAT] = "/proc/net/sockstat",
    [SF_TCP_MEM] = "/proc/sys/net/ipv4/tcp_mem",
    [SF_CT_COUNT] = "/proc/sys/net/netfilter/nf_conntrack_count", /* nf_conntrack loaded */
    [SF_CT_MAX] = "/proc/sys/net/netfilter/nf_conntrack_max",
    [SF_DISKSTATS] = "/proc/diskstats",
    [SF_NFSD_THREADS] = "/proc/fs/nfsd/threads", /* the nfsd filesystem mounted */
    [SF_NFSD_POOL] = "/proc/fs/nfsd/pool_stats",
};

/* Files whose absence is an error rather than a kernel without the feature. */
static bool required(enum sfile f, bool fixture)
{
	return f == SF_MEMINFO || f == SF_VMSTAT || f == SF_STAT || (f == SF_UPTIME && fixture);
}

#define MBM_DIR "/sys/fs/resctrl/mon_data"
#define MBM_MAX 16

/* resctrl's memory bandwidth monitoring: one mbm_total_bytes per L3 domain of the
 * default group (Documentation/filesystems/resctrl.rst). */
static void mbm_open(struct sampler *s)
{
	struct strlist l = {0};
	s->nmbm = 0;
	if (rootfs_list(&s->root, MBM_DIR, &l) > 0)
		for (size_t i = 0; i < l.n && s->nmbm < MBM_MAX; i++) {
			char path[300];
			snprintf(path, sizeof(path), MBM_DIR "/%s/mbm_total_bytes", l.v[i]);
			int fd = rootfs_openfd(&s->root, path, O_RDONLY);
			if (fd >= 0)
				s->mbm_fd[s->nmbm++] = fd;
		}
	strlist_release(&l);
}

static void mbm_close(struct sampler *s)
{
	for (size_t i = 0; i < s->nmbm; i++)
		close(s->mbm_fd[i]);
	s->nmbm = 0;
}

static void mbm_read(struct sampler *s, struct snap_mbm *m)
{
	m->ok = false;
	m->total_bytes = 0;
	for (size_t i = 0; i < s->nmbm; i++) {
		char buf[32];
		ssize_t k = pread(s->mbm_fd[i], buf, sizeof(buf) - 1, 0);
		uint64_t v;
		if (k <= 0)
			return; /* "Unavailable" while the counter is being reset */
		struct span sp = span_trim((struct span){buf, (size_t)k});
		if (parse_u64(sp, &v))
			return;
		m->total_bytes += v;
	}
	m->ok = s->nmbm > 0;
}

static size_t count_lines(const struct pfile *f)
{
	size_t n = 0;
	for (size_t i = 0; i < f->len; i++)
		n += f->buf[i] == '\n';
	return n;
}

/* Sizes the snapshot arrays from the first read: twice what is there now. */
static void snap_alloc(struct sampler *s)
{
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	size_t cpus = count_lines(&s->f[SF_STAT]) * 2;
	if (conf > 0 && (size_t)conf > cpus)
		cpus = (size_t)conf;
	if (cpus < 8)
		cpus = 8;
	size_t nets = count_lines(&s->f[SF_NETDEV]) * 2 + 16;
	size_t disks = count_lines(&s->f[SF_DISKSTATS]) * 2 + 16;
	for (int i = 0; i < 2; i++) {
		struct snap *sn = &s->snap[i];
		sn->stat.cpu = xcalloc(cpus, sizeof(*sn->stat.cpu));
		sn->stat.cpu_cap = cpus;
		sn->softnet.row = xcalloc(cpus, sizeof(*sn->softnet.row));
		sn->softnet.row_cap = cpus;
		sn->net = xcalloc(nets, sizeof(*sn->net));
		sn->net_cap = nets;
		sn->disk = xcalloc(disks, sizeof(*sn->disk));
		sn->disk_cap = disks;
	}
}

static void note(struct sampler *s, enum sfile f, const struct perr *e)
{
	if (e)
		snprintf(s->err[f], sizeof(s->err[f]), "%s%s%u: %s", paths[f], e->line ? " line " : "",
			 e->line, e->msg);
}

/* Reads file f; returns its text, or NULL with the error noted when it is required. */
static const char *get(struct sampler *s, enum sfile f, size_t *len)
{
	ssize_t n = pfile_read(&s->f[f]);
	if (n < 0) {
		if (required(f, s->fixture) || n != -ENOENT)
			snprintf(s->err[f], sizeof(s->err[f]), "%s: %s", paths[f], strerror((int)-n));
		return NULL;
	}
	*len = (size_t)n;
	return s->f[f].buf;
}

static void read_all(struct sampler *s, struct snap *sn)
{
	const char *b;
	size_t n;
	struct perr e;
	for (int f = 0; f < SF__COUNT; f++)
		s->err[f][0] = '\0';

	sn->mem_ok = (b = get(s, SF_MEMINFO, &n)) && !meminfo_parse(b, n, &sn->mem, &e);
	if (b && !sn->mem_ok)
		note(s, SF_MEMINFO, &e);
	sn->vm_ok = (b = get(s, SF_VMSTAT, &n)) && !vmstat_parse(b, n, &sn->vm, &e);
	if (b && !sn->vm_ok)
		note(s, SF_VMSTAT, &e);
	sn->stat.ok = false;
	if ((b = get(s, SF_STAT, &n)) && stat_parse(b, n, &sn->stat, &e))
		note(s, SF_STAT, &e);
	for (int r = 0; r < PSI__RES; r++) {
		enum sfile f = (enum sfile)(SF_PSI_CPU + r);
		sn->psi[r].ok = false;
		if ((b = get(s, f, &n)) && psi_parse(b, n, &sn->psi[r], &e))
			note(s, f, &e);
	}
	sn->net_ok = false;
	sn->nnet = sn->net_over = 0;
	if ((b = get(s, SF_NETDEV, &n))) {
		if (netdev_parse(b, n, sn->net, sn->net_cap, &sn->nnet, &sn->net_over, &e))
			note(s, SF_NETDEV, &e);
		else
			sn->net_ok = true;
	}
	sn->softnet.ok = false;
	if ((b = get(s, SF_SOFTNET, &n)) && softnet_rows_parse(b, n, &sn->softnet, &e))
		note(s, SF_SOFTNET, &e);
	tcpx_clear(&sn->tcpx);
	bool tx = false;
	if ((b = get(s, SF_SNMP, &n))) {
		if (tcpx_parse(b, n, &sn->tcpx, &e))
			note(s, SF_SNMP, &e);
		else
			tx = true;
	}
	if ((b = get(s, SF_NETSTAT, &n))) {
		if (tcpx_parse(b, n, &sn->tcpx, &e)) {
			note(s, SF_NETSTAT, &e);
			tx = false;
		} else {
			tx = true;
		}
	}
	sn->tcpx.ok = tx;
	struct snap_sock *so = &sn->sock;
	memset(so, 0, sizeof(*so));
	if ((b = get(s, SF_SOCKSTAT, &n))) {
		if (sockstat_parse(b, n, &so->ss, &e))
			note(s, SF_SOCKSTAT, &e);
		else
			so->ok = true;
	}
	if ((b = get(s, SF_TCP_MEM, &n))) {
		if (sysctl_triple_parse(b, n, so->tcp_mem, &e))
			note(s, SF_TCP_MEM, &e);
		else
			so->have_tcp_mem = true;
	}
	const char *b2;
	size_t n2;
	if ((b = get(s, SF_CT_COUNT, &n)) && (b2 = get(s, SF_CT_MAX, &n2))) {
		if (parse_u64(span_trim((struct span){b, n}), &so->ct_count) ||
		    parse_u64(span_trim((struct span){b2, n2}), &so->ct_max))
			snprintf(s->err[SF_CT_COUNT], sizeof(s->err[0]), "%s: not a number",
				 paths[SF_CT_COUNT]);
		else
			so->have_conntrack = true;
	}
	sn->disk_ok = false;
	sn->ndisk = sn->disk_over = 0;
	if ((b = get(s, SF_DISKSTATS, &n))) {
		if (diskstats_parse(b, n, sn->disk, sn->disk_cap, &sn->ndisk, &sn->disk_over, &e))
			note(s, SF_DISKSTATS, &e);
		else
			sn->disk_ok = true;
	}
	memset(&sn->nfsd, 0, sizeof(sn->nfsd));
	if ((b = get(s, SF_NFSD_THREADS, &n))) {
		if (nfsd_threads_parse(b, n, &sn->nfsd.threads, &e))
			note(s, SF_NFSD_THREADS, &e);
		else
			sn->nfsd.ok = true;
	}
	if (sn->nfsd.ok && (b = get(s, SF_NFSD_POOL, &n))) {
		if (pool_stats_parse(b, n, &sn->nfsd.pool, &e))
			note(s, SF_NFSD_POOL, &e);
		else
			sn->nfsd.have_pool = true;
	}
	mbm_read(s, &sn->mbm);
}

/* A fixture's clock: the first field of its /proc/uptime. */
static double fixture_time(struct sampler *s, bool *ok)
{
	size_t n;
	const char *b = get(s, SF_UPTIME, &n);
	*ok = false;
	if (!b)
		return 0;
	char tmp[64];
	struct span tok[2];
	if (span_split_ws((struct span){b, n}, tok, 2) < 1 || !span_copy(tok[0], tmp, sizeof(tmp)))
		goto bad;
	char *end;
	double t = strtod(tmp, &end);
	if (*end || end == tmp || t < 0)
		goto bad;
	*ok = true;
	return t;
bad:
	snprintf(s->err[SF_UPTIME], sizeof(s->err[0]), "%s: expected seconds", paths[SF_UPTIME]);
	return 0;
}

int sampler_open(struct sampler *s, const char *root, bool fixture, bool with_procs, char *msg,
		 size_t n)
{
	memset(s, 0, sizeof(*s));
	s->cur = -1;
	s->fixture = fixture;
	s->with_procs = with_procs;
	s->procs.procdir = -1;
	int rc = rootfs_open(&s->root, root);
	if (rc) {
		snprintf(msg, n, "%s: %s", root, strerror(-rc));
		return rc;
	}
	for (int f = 0; f < SF__COUNT; f++) {
		pfile_open(&s->f[f], &s->root, paths[f]);
		pfile_read(&s->f[f]); /* sizes the buffers */
	}
	snap_alloc(s);
	mbm_open(s);
	if (with_procs && (rc = procs_open(&s->procs, &s->root))) {
		snprintf(msg, n, "%s: %s", rootfs_show(&s->root, "/proc"), strerror(-rc));
		return rc;
	}
	return 0;
}

int sampler_reroot(struct sampler *s, const char *root, char *msg, size_t n)
{
	struct rootfs nr;
	int rc = rootfs_open(&nr, root);
	if (rc) {
		snprintf(msg, n, "%s: %s", root, strerror(-rc));
		return rc;
	}
	rootfs_close(&s->root);
	s->root = nr;
	for (int f = 0; f < SF__COUNT; f++)
		pfile_reopen(&s->f[f], &s->root);
	mbm_close(s);
	mbm_open(s);
	if (s->with_procs && (rc = procs_reroot(&s->procs, &s->root))) {
		snprintf(msg, n, "%s: %s", rootfs_show(&s->root, "/proc"), strerror(-rc));
		return rc;
	}
	return 0;
}

void sampler_sample(struct sampler *s, const struct leak_clock *lc)
{
	int next = s->cur < 0 ? 0 : 1 - s->cur;
	struct snap *sn = &s->snap[next];
	if (s->fixture) {
		bool ok;
		sn->t = fixture_time(s, &ok);
	} else {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		sn->t = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
		sn->wall = (int64_t)time(NULL);
	}
	read_all(s, sn);
	if (s->fixture)
		sn->wall = sn->stat.ok ? (int64_t)sn->stat.btime + (int64_t)sn->t : 0;
	sn->seq = s->nsamples++;
	s->cur = next;
	if (s->with_procs) {
		uint64_t swap_used = 0;
		if (sn->mem_ok && meminfo_has(&sn->mem, MI_SWAPTOTAL) && meminfo_has(&sn->mem, MI_SWAPFREE) &&
		    sn->mem.v[MI_SWAPTOTAL] > sn->mem.v[MI_SWAPFREE])
			swap_used = sn->mem.v[MI_SWAPTOTAL] - sn->mem.v[MI_SWAPFREE];
		procs_sample(&s->procs, &s->root, sn->t, swap_used, lc);
	}
}

const struct snap *sampler_cur(const struct sampler *s)
{
	return s->cur < 0 ? NULL : &s->snap[s->cur];
}

const struct snap *sampler_prev(const struct sampler *s)
{
	return s->nsamples < 2 ? NULL : &s->snap[1 - s->cur];
}

unsigned sampler_grows(const struct sampler *s)
{
	unsigned g = 0;
	for (int f = 0; f < SF__COUNT; f++)
		g += s->f[f].grows;
	return g;
}

void sampler_close(struct sampler *s)
{
	for (int f = 0; f < SF__COUNT; f++)
		pfile_close(&s->f[f]);
	for (int i = 0; i < 2; i++) {
		free(s->snap[i].stat.cpu);
		free(s->snap[i].softnet.row);
		free(s->snap[i].net);
		free(s->snap[i].disk);
	}
	mbm_close(s);
	if (s->with_procs)
		procs_close(&s->procs);
	rootfs_close(&s->root);
}
