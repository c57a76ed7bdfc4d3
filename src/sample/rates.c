// SPDX-License-Identifier: MIT
/* Rates and shares between two snapshots, computed the way sysstat (sar, iostat)
 * and node_exporter compute them, into arrays allocated once by rates_init(). */
#include "sample/rates.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sample/parse.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* /proc/stat counts in USER_HZ: 100 on x86, arm64 and the other common
 * architectures (only alpha and ia64 used 1024). */
#define USER_HZ 100
/* node_exporter collector/cpu_linux.go (jumpBackSeconds): an idle counter that went
 * back by 3 s or more means the CPU was offlined and onlined again and its counters
 * started over. */
#define CPU_JUMP_BACK (3 * USER_HZ)
/* softnet_stat rows name their CPU from this width on (host/net.h). */
#define SOFTNET_CPU_COLS 13

uint64_t ctr_delta64(uint64_t prev, uint64_t cur, unsigned *resets)
{
	if (cur >= prev)
		return cur - prev;
	if (resets)
		(*resets)++;
	return 0;
}

uint32_t ctr_delta32(uint32_t prev, uint32_t cur, unsigned *resets)
{
	if (cur >= prev)
		return cur - prev;
	if (prev - cur > UINT32_C(1) << 31)
		return cur - prev; /* wrapped: unsigned arithmetic is modulo 2^32 */
	if (resets)
		(*resets)++;
	return 0;
}

void rates_init(struct rates *r, const struct snap *like)
{
	memset(r, 0, sizeof(*r));
	r->cpu_cap = like->stat.cpu_cap;
	r->net_cap = like->net_cap;
	r->disk_cap = like->disk_cap;
	r->cpu = xcalloc(r->cpu_cap, sizeof(*r->cpu));
	r->net = xcalloc(r->net_cap, sizeof(*r->net));
	r->disk = xcalloc(r->disk_cap, sizeof(*r->disk));
	r->steal_max_cpu = -1;
	r->softnet_top_cpu = -1;
	r->busiest_disk = -1;
	r->tcp_mem_pct = r->tcp_mem_max_pct = r->conntrack_pct = -1;
}

void rates_release(struct rates *r)
{
	free(r->cpu);
	free(r->net);
	free(r->disk);
	memset(r, 0, sizeof(*r));
}

static double per_s(const struct rates *r, uint64_t d)
{
	return (double)d / r->dt;
}

static double rate64(struct rates *r, uint64_t prev, uint64_t cur)
{
	return per_s(r, ctr_delta64(prev, cur, &r->resets));
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* ---- memory ---- */

static void rates_mem(struct rates *r, const struct snap *cur)
{
	if (!cur->mem_ok)
		return;
	const struct meminfo *m = &cur->mem;
	uint64_t total = m->v[MI_MEMTOTAL], avail;
	r->have_avail = meminfo_has(m, MI_MEMAVAILABLE);
	if (r->have_avail) {
		avail = m->v[MI_MEMAVAILABLE];
	} else {
		/* Before 3.14 (commit 34e431b0ae39): earlyoom's estimate, free memory and
		 * page cache less shmem, which cannot be dropped. Shmem is 0 before
		 * 2.6.32, where it was not printed. */
		avail = m->v[MI_MEMFREE] + m->v[MI_CACHED] + m->v[MI_BUFFERS];
		avail = avail > m->v[MI_SHMEM] ? avail - m->v[MI_SHMEM] : 0;
	}
	r->mem_total_kb = total;
	r->mem_avail_kb = avail;
	if (total)
		r->mem_used_pct =
		    avail >= total ? 0 : (double)(total - avail) * 100.0 / (double)total;
	uint64_t st = m->v[MI_SWAPTOTAL], sf = m->v[MI_SWAPFREE];
	r->swap_total_kb = st;
	r->swap_used_kb = st > sf ? st - sf : 0;
	if (st)
		r->swap_used_pct = (double)r->swap_used_kb * 100.0 / (double)st;
}

/* ---- /proc/vmstat ---- */

/* The per-second vmstat rates, each from one counter. */
static const struct {
	enum vs_field f;
	size_t off; /* into struct rates */
} vm_rates[] = {
    {VS_PSWPIN, offsetof(struct rates, pswpin)},
    {VS_PSWPOUT, offsetof(struct rates, pswpout)},
    {VS_PGFAULT, offsetof(struct rates, pgfault)},
    {VS_PGMAJFAULT, offsetof(struct rates, pgmajfault)},
    {VS_PGPGIN, offsetof(struct rates, pgpgin)},
    {VS_PGPGOUT, offsetof(struct rates, pgpgout)},
    {VS_PGSCAN_KSWAPD, offsetof(struct rates, pgscan_kswapd)},
    {VS_PGSCAN_DIRECT, offsetof(struct rates, pgscan_direct)},
    {VS_ALLOCSTALL, offsetof(struct rates, allocstall)},
    {VS_WORKINGSET_REFAULT, offsetof(struct rates, refault)},
    {VS_PAGEOUTRUN, offsetof(struct rates, pageoutrun)},
};

static bool vm_both(const struct vmstat *a, const struct vmstat *b, enum vs_field f)
{
	return vmstat_has(a, f) && vmstat_has(b, f);
}

/* Delta of one counter printed in both snapshots, else 0. */
static uint64_t vm_delta(struct rates *r, const struct vmstat *a, const struct vmstat *b,
                         enum vs_field f)
{
	return vm_both(a, b, f) ? ctr_delta64(a->v[f], b->v[f], &r->resets) : 0;
}

static void rates_vm(struct rates *r, const struct snap *p, const struct snap *cur)
{
	if (!p || !p->vm_ok || !cur->vm_ok)
		return;
	const struct vmstat *a = &p->vm, *b = &cur->vm;
	for (size_t i = 0; i < ARRAY_SIZE(vm_rates); i++)
		*(double *)(void *)((char *)r + vm_rates[i].off) =
		    per_s(r, vm_delta(r, a, b, vm_rates[i].f));
	/* Newer kernels count each reclaimed page twice, by reclaimer (kswapd, direct,
	 * khugepaged) and by LRU type (anon, file); sysstat 12.7.9 (rd_stats.c) sums
	 * only the LRU-type pair, which also covers khugepaged. */
	uint64_t steal;
	if (vm_both(a, b, VS_PGSTEAL_ANON) && vm_both(a, b, VS_PGSTEAL_FILE))
		steal = vm_delta(r, a, b, VS_PGSTEAL_ANON) + vm_delta(r, a, b, VS_PGSTEAL_FILE);
	else
		steal = vm_delta(r, a, b, VS_PGSTEAL_KSWAPD) + vm_delta(r, a, b, VS_PGSTEAL_DIRECT);
	r->pgsteal = per_s(r, steal);
	r->oom_kills = vm_delta(r, a, b, VS_OOM_KILL);
}

/* ---- /proc/stat ---- */

static const struct snap_cpu *cpu_find(const struct snap_stat *st, size_t hint, int id)
{
	size_t n = min_size(st->ncpu, st->cpu_cap);
	if (hint < n && st->cpu[hint].id == id)
		return &st->cpu[hint];
	for (size_t i = 0; i < n; i++)
		if (st->cpu[i].id == id)
			return &st->cpu[i];
	return NULL;
}

/* Shares of one CPU's interval. False when it has none: re-onlined (counted as a
 * reset) or no tick elapsed. */
static bool cpu_delta(struct rates *r, const struct snap_cpu *o, const struct snap_cpu *c,
                      struct rate_cpu *out)
{
	if (o->t[CPU_IDLE] > c->t[CPU_IDLE] && o->t[CPU_IDLE] - c->t[CPU_IDLE] >= CPU_JUMP_BACK) {
		r->resets++;
		return false;
	}
	/* iowait can go back a little ("in certain conditions, the value of iowait
	 * field in /proc/stat will decrease", Documentation/filesystems/proc.rst):
	 * such a step is 0, not a reset. */
	double d[CPU__MODES], total = 0;
	for (int m = 0; m < CPU__MODES; m++)
		d[m] = c->t[m] >= o->t[m] ? (double)(c->t[m] - o->t[m]) : 0;
	/* guest and guest_nice are already inside user and nice (proc.rst). */
	for (int m = 0; m < CPU_GUEST; m++)
		total += d[m];
	if (total == 0)
		return false;
	out->id = c->id;
	for (int m = 0; m < CPU__MODES; m++) {
		double pct = d[m] * 100.0 / total;
		out->pct[m] = pct > 100 ? 100 : pct;
	}
	return true;
}

static void rates_cpu(struct rates *r, const struct snap *p, const struct snap *cur)
{
	const struct snap_stat *cs = &cur->stat;
	if (!cs->ok)
		return;
	r->procs_running = cs->procs_running;
	r->procs_blocked = cs->procs_blocked;
	if (!p || !p->stat.ok)
		return;
	r->ctxt = rate64(r, p->stat.ctxt, cs->ctxt);
	r->forks = rate64(r, p->stat.forks, cs->forks);
	double sum[CPU__MODES] = {0};
	size_t n = min_size(min_size(cs->ncpu, cs->cpu_cap), r->cpu_cap);
	for (size_t i = 0; i < n; i++) {
		const struct snap_cpu *o = cpu_find(&p->stat, i, cs->cpu[i].id);
		struct rate_cpu *rc = &r->cpu[r->ncpu_rows];
		if (!o || !cpu_delta(r, o, &cs->cpu[i], rc))
			continue; /* onlined since the last sample, or no rate yet */
		for (int m = 0; m < CPU__MODES; m++)
			sum[m] += rc->pct[m];
		if (r->ncpu_rows == 0 || rc->pct[CPU_STEAL] > r->steal_max_pct) {
			r->steal_max_cpu = rc->id;
			r->steal_max_pct = rc->pct[CPU_STEAL];
		}
		r->ncpu_rows++;
	}
	r->ncpu = (int)min_size(r->ncpu_rows, INT_MAX);
	for (int m = 0; m < CPU__MODES && r->ncpu_rows; m++)
		r->cpu_pct[m] = sum[m] / (double)r->ncpu_rows;
}

/* ---- PSI ---- */

/* Share of the interval stalled: total is in microseconds (psi.rst). */
static double psi_share(struct rates *r, const struct psi_line *o, const struct psi_line *c)
{
	double pct = (double)ctr_delta64(o->total, c->total, &r->resets) / (r->dt * 1e6) * 100.0;
	return pct < 0 ? 0 : pct > 100 ? 100 : pct;
}

static void rates_psi(struct rates *r, const struct snap *p, const struct snap *cur)
{
	for (int i = 0; i < PSI__RES; i++) {
		const struct snap_psi *c = &cur->psi[i];
		r->psi_ok[i] = c->ok;
		if (!c->ok)
			continue;
		r->psi_some_avg10[i] = c->some.have ? c->some.avg10 : 0;
		r->psi_full_avg10[i] = c->full.have ? c->full.avg10 : 0;
		if (!p || !p->psi[i].ok)
			continue;
		const struct snap_psi *o = &p->psi[i];
		if (o->some.have && c->some.have)
			r->psi_some[i] = psi_share(r, &o->some, &c->some);
		if (o->full.have && c->full.have)
			r->psi_full[i] = psi_share(r, &o->full, &c->full);
	}
}

/* ---- network ---- */

static const struct snap_netdev *net_find(const struct snap *s, size_t hint, const char *name)
{
	size_t n = min_size(s->nnet, s->net_cap);
	if (hint < n && strncmp(s->net[hint].name, name, sizeof(s->net[hint].name)) == 0)
		return &s->net[hint];
	for (size_t i = 0; i < n; i++)
		if (strncmp(s->net[i].name, name, sizeof(s->net[i].name)) == 0)
			return &s->net[i];
	return NULL;
}

static void net_delta(struct rates *r, const struct snap_netdev *o, const struct snap_netdev *c,
                      struct rate_net *rn)
{
	rn->rx_bytes = rate64(r, o->rx_bytes, c->rx_bytes);
	rn->tx_bytes = rate64(r, o->tx_bytes, c->tx_bytes);
	rn->rx_packets = rate64(r, o->rx_packets, c->rx_packets);
	rn->tx_packets = rate64(r, o->tx_packets, c->tx_packets);
	rn->rx_drop = rate64(r, o->rx_drop, c->rx_drop);
	rn->tx_drop = rate64(r, o->tx_drop, c->tx_drop);
	rn->rx_errs = rate64(r, o->rx_errs, c->rx_errs);
	rn->tx_errs = rate64(r, o->tx_errs, c->tx_errs);
	rn->rx_fifo = rate64(r, o->rx_fifo, c->rx_fifo);
	rn->tx_fifo = rate64(r, o->tx_fifo, c->tx_fifo);
}

static void net_add(struct rates *r, const struct rate_net *rn)
{
	r->rx_bytes += rn->rx_bytes;
	r->tx_bytes += rn->tx_bytes;
	r->rx_packets += rn->rx_packets;
	r->tx_packets += rn->tx_packets;
	r->rx_drop += rn->rx_drop;
	r->tx_drop += rn->tx_drop;
	r->rx_errs += rn->rx_errs;
	r->tx_errs += rn->tx_errs;
}

static void rates_net(struct rates *r, const struct snap *p, const struct snap *cur)
{
	if (!cur->net_ok)
		return;
	bool have_prev = p && p->net_ok;
	size_t n = min_size(min_size(cur->nnet, cur->net_cap), r->net_cap);
	for (size_t i = 0; i < n; i++) {
		const struct snap_netdev *c = &cur->net[i];
		struct rate_net *rn = &r->net[i];
		memset(rn, 0, sizeof(*rn));
		memcpy(rn->name, c->name, sizeof(rn->name) - 1);
		const struct snap_netdev *o = have_prev ? net_find(p, i, rn->name) : NULL;
		if (!o) {
			rn->fresh = true;
			continue;
		}
		net_delta(r, o, c, rn);
		/* Loopback traffic never leaves the host. */
		if (strcmp(rn->name, "lo") != 0)
			net_add(r, rn);
	}
	r->nnet = n;
}

static const struct snap_softnet *softnet_find(const struct snap_softnet_all *s, size_t hint,
                                               int64_t cpu)
{
	size_t n = min_size(s->nrow, s->row_cap);
	if (hint < n && s->row[hint].cpu == cpu)
		return &s->row[hint];
	for (size_t i = 0; i < n; i++)
		if (s->row[i].cpu == cpu)
			return &s->row[i];
	return NULL;
}

static void rates_softnet(struct rates *r, const struct snap *p, const struct snap *cur)
{
	const struct snap_softnet_all *c = &cur->softnet;
	if (!p || !p->softnet.ok || !c->ok)
		return;
	const struct snap_softnet_all *o = &p->softnet;
	/* Without the CPU id column (13, since 5.10) rows are numbered, not named: once
	 * the set of online CPUs changes, row k is another CPU and no row compares. */
	if (c->ncols != o->ncols || (c->ncols < SOFTNET_CPU_COLS && c->nrow != o->nrow))
		return;
	uint64_t proc = 0, drop = 0, sqz = 0, top = 0;
	int64_t top_cpu = -1;
	for (size_t i = 0; i < min_size(c->nrow, c->row_cap); i++) {
		const struct snap_softnet *cr = &c->row[i], *orow = softnet_find(o, i, cr->cpu);
		if (!orow)
			continue;
		uint32_t dp = ctr_delta32(orow->processed, cr->processed, &r->resets);
		drop += ctr_delta32(orow->dropped, cr->dropped, &r->resets);
		sqz += ctr_delta32(orow->time_squeeze, cr->time_squeeze, &r->resets);
		proc += dp;
		if (top_cpu < 0 || dp > top) {
			top = dp;
			top_cpu = cr->cpu;
		}
	}
	r->softnet_processed = per_s(r, proc);
	r->softnet_dropped = per_s(r, drop);
	r->softnet_squeezed = per_s(r, sqz);
	r->softnet_top_cpu = top_cpu > INT_MAX ? INT_MAX : (int)top_cpu;
	r->softnet_top_share = proc ? (double)top * 100.0 / (double)proc : 0;
}

/* The TCP counters shown as rates; gauges such as CurrEstab are not. */
static const struct {
	enum tcpx_field f;
	size_t off; /* into struct rates */
} tcp_rates[] = {
    {TX_LISTEN_OVERFLOWS, offsetof(struct rates, listen_overflows)},
    {TX_LISTEN_DROPS, offsetof(struct rates, listen_drops)},
    {TX_BACKLOG_DROP, offsetof(struct rates, backlog_drop)},
    {TX_PRUNE_CALLED, offsetof(struct rates, prune_called)},
    {TX_RCV_PRUNED, offsetof(struct rates, rcv_pruned)},
    {TX_MEMORY_PRESSURES, offsetof(struct rates, mem_pressures)},
    {TX_ABORT_ON_MEMORY, offsetof(struct rates, abort_on_memory)},
    {TX_RETRANS_SEGS, offsetof(struct rates, retrans_segs)},
    {TX_OUT_SEGS, offsetof(struct rates, out_segs)},
    {TX_TIMEOUTS, offsetof(struct rates, tcp_timeouts)},
};

static void rates_tcp(struct rates *r, const struct snap *p, const struct snap *cur)
{
	if (!p || !p->tcpx.ok || !cur->tcpx.ok)
		return;
	uint64_t both = p->tcpx.present & cur->tcpx.present;
	for (size_t i = 0; i < ARRAY_SIZE(tcp_rates); i++) {
		enum tcpx_field f = tcp_rates[i].f;
		if (both & (UINT64_C(1) << f))
			*(double *)(void *)((char *)r + tcp_rates[i].off) =
			    rate64(r, p->tcpx.v[f], cur->tcpx.v[f]);
	}
	if (r->out_segs > 0)
		r->retrans_pct = r->retrans_segs * 100.0 / r->out_segs;
}

/* Levels of the current snapshot: TCP memory against tcp_mem, conntrack fill. */
static void rates_sock(struct rates *r, const struct snap *cur)
{
	const struct snap_sock *s = &cur->sock;
	if (s->ok && s->ss.have_tcp && s->have_tcp_mem) {
		double mem = (double)s->ss.tcp_mem_pages;
		if (s->tcp_mem[1])
			r->tcp_mem_pct = mem * 100.0 / (double)s->tcp_mem[1];
		if (s->tcp_mem[2])
			r->tcp_mem_max_pct = mem * 100.0 / (double)s->tcp_mem[2];
	}
	if (s->have_conntrack && s->ct_max)
		r->conntrack_pct = (double)s->ct_count * 100.0 / (double)s->ct_max;
}

/* ---- disks ---- */

static const struct snap_disk *disk_find(const struct snap *s, size_t hint, const char *name)
{
	size_t n = min_size(s->ndisk, s->disk_cap);
	if (hint < n && strncmp(s->disk[hint].name, name, sizeof(s->disk[hint].name)) == 0)
		return &s->disk[hint];
	for (size_t i = 0; i < n; i++)
		if (strncmp(s->disk[i].name, name, sizeof(s->disk[i].name)) == 0)
			return &s->disk[i];
	return NULL;
}

/* iostat -x (sysstat rd_stats.c compute_ext_disk_stats), with flushes in await as
 * the kernel has counted them since 5.5. */
static void disk_delta(struct rates *r, const struct snap_disk *o, const struct snap_disk *c,
                       struct rate_disk *rd)
{
	unsigned *rs = &r->resets;
	uint64_t rio = ctr_delta64(o->rd_ios, c->rd_ios, rs);
	uint64_t wio = ctr_delta64(o->wr_ios, c->wr_ios, rs);
	uint64_t dio = ctr_delta64(o->dc_ios, c->dc_ios, rs);
	uint64_t fio = ctr_delta64(o->fl_ios, c->fl_ios, rs);
	uint64_t rsec = ctr_delta64(o->rd_sectors, c->rd_sectors, rs);
	uint64_t wsec = ctr_delta64(o->wr_sectors, c->wr_sectors, rs);
	uint64_t rt = ctr_delta32(o->rd_ticks, c->rd_ticks, rs);
	uint64_t wt = ctr_delta32(o->wr_ticks, c->wr_ticks, rs);
	uint64_t dt = ctr_delta32(o->dc_ticks, c->dc_ticks, rs);
	uint64_t ft = ctr_delta32(o->fl_ticks, c->fl_ticks, rs);
	uint64_t busy = ctr_delta32(o->io_ticks, c->io_ticks, rs);
	uint64_t queue = ctr_delta32(o->time_in_queue, c->time_in_queue, rs);
	double ms = r->dt * 1000.0;
	rd->rd_ios = per_s(r, rio);
	rd->wr_ios = per_s(r, wio);
	rd->rd_kb = per_s(r, rsec) / 2.0; /* sectors are 512 bytes whatever the device */
	rd->wr_kb = per_s(r, wsec) / 2.0;
	rd->util_pct = (double)busy * 100.0 / ms;
	if (rd->util_pct > 100)
		rd->util_pct = 100;
	double ios = (double)rio + (double)wio + (double)dio + (double)fio;
	rd->await_ms = ios > 0 ? (double)(rt + wt + dt + ft) / ios : 0;
	rd->r_await_ms = rio ? (double)rt / (double)rio : 0;
	rd->w_await_ms = wio ? (double)wt / (double)wio : 0;
	rd->aqu_sz = (double)queue / ms;
}

static void rates_disk(struct rates *r, const struct snap *p, const struct snap *cur)
{
	if (!cur->disk_ok)
		return;
	bool have_prev = p && p->disk_ok;
	size_t n = min_size(min_size(cur->ndisk, cur->disk_cap), r->disk_cap);
	for (size_t i = 0; i < n; i++) {
		const struct snap_disk *c = &cur->disk[i];
		struct rate_disk *rd = &r->disk[i];
		memset(rd, 0, sizeof(*rd));
		memcpy(rd->name, c->name, sizeof(rd->name) - 1);
		rd->whole = !disk_is_partition_or_virtual(rd->name);
		rd->in_flight = c->in_flight;
		const struct snap_disk *o = have_prev ? disk_find(p, i, rd->name) : NULL;
		if (!o) {
			rd->fresh = true;
			continue;
		}
		disk_delta(r, o, c, rd);
		if (rd->whole &&
		    (r->busiest_disk < 0 || rd->util_pct > r->disk[r->busiest_disk].util_pct))
			r->busiest_disk = (int)i;
	}
	r->ndisk = n;
}

/* ---- nfsd and memory bandwidth ---- */

static void rates_nfsd(struct rates *r, const struct snap *p, const struct snap *cur)
{
	const struct snap_nfsd *c = &cur->nfsd;
	r->nfsd_ok = c->ok;
	if (!c->ok)
		return;
	r->nfsd_threads = c->threads;
	if (!p || !p->nfsd.ok || !p->nfsd.have_pool || !c->have_pool)
		return;
	const struct pool_stats *a = &p->nfsd.pool, *b = &c->pool;
	r->nfsd_packets = rate64(r, a->packets, b->packets);
	r->nfsd_enqueued = rate64(r, a->enqueued, b->enqueued);
	r->nfsd_woken = rate64(r, a->woken, b->woken);
	r->nfsd_have_no_threads = a->have_no_threads && b->have_no_threads;
	if (r->nfsd_have_no_threads)
		r->nfsd_no_threads = rate64(r, a->no_threads, b->no_threads);
}

static void rates_mbm(struct rates *r, const struct snap *p, const struct snap *cur)
{
	r->mbm_ok = cur->mbm.ok;
	if (cur->mbm.ok && p && p->mbm.ok)
		r->mbm_bytes = rate64(r, p->mbm.total_bytes, cur->mbm.total_bytes);
}

void rates_compute(struct rates *r, const struct snap *prev, const struct snap *cur)
{
	struct rate_cpu *cpu = r->cpu;
	struct rate_net *net = r->net;
	struct rate_disk *disk = r->disk;
	size_t cpu_cap = r->cpu_cap, net_cap = r->net_cap, disk_cap = r->disk_cap;
	memset(r, 0, sizeof(*r));
	r->cpu = cpu;
	r->net = net;
	r->disk = disk;
	r->cpu_cap = cpu_cap;
	r->net_cap = net_cap;
	r->disk_cap = disk_cap;
	r->steal_max_cpu = -1;
	r->softnet_top_cpu = -1;
	r->busiest_disk = -1;
	r->tcp_mem_pct = r->tcp_mem_max_pct = r->conntrack_pct = -1;
	if (prev) {
		r->dt = cur->t - prev->t;
		r->valid = r->dt > 0;
	}
	/* A clock that stood still or went back gives no rates, only levels. */
	const struct snap *p = r->valid ? prev : NULL;
	if (!r->valid)
		r->dt = 0;
	rates_mem(r, cur);
	rates_vm(r, p, cur);
	rates_cpu(r, p, cur);
	rates_psi(r, p, cur);
	rates_net(r, p, cur);
	rates_softnet(r, p, cur);
	rates_tcp(r, p, cur);
	rates_sock(r, cur);
	rates_disk(r, p, cur);
	rates_nfsd(r, p, cur);
	rates_mbm(r, p, cur);
}
