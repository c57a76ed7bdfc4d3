// SPDX-License-Identifier: MIT
/* Tests of kres top's rates (sample/rates.h) on hand-built snapshot pairs: counter
 * wraps and resets, CPUs going offline and coming back (never read from the
 * aggregate line), devices appearing and disappearing, the pgsteal family choice,
 * PSI shares and the iostat formulas. Every expected number is worked out by hand
 * in the comments. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sample/parse.h"
#include "sample/rates.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define CAP 8

/* A snapshot with its arrays. */
struct fx {
	struct snap s;
	struct snap_cpu cpu[CAP];
	struct snap_netdev net[CAP];
	struct snap_softnet sn[CAP];
	struct snap_disk disk[CAP];
};

static void fx_init(struct fx *f, double t)
{
	memset(f, 0, sizeof(*f));
	f->s.t = t;
	f->s.stat.cpu = f->cpu;
	f->s.stat.cpu_cap = CAP;
	f->s.net = f->net;
	f->s.net_cap = CAP;
	f->s.softnet.row = f->sn;
	f->s.softnet.row_cap = CAP;
	f->s.disk = f->disk;
	f->s.disk_cap = CAP;
}

static void add_cpu(struct fx *f, int id, const uint64_t t[CPU__MODES])
{
	struct snap_cpu *c = &f->cpu[f->s.stat.ncpu++];
	c->id = id;
	c->nfields = CPU__MODES;
	memcpy(c->t, t, sizeof(c->t));
	f->s.stat.ok = true;
}
#define T(...) ((const uint64_t[CPU__MODES]){__VA_ARGS__})

static struct snap_netdev *add_net(struct fx *f, const char *name)
{
	struct snap_netdev *d = &f->net[f->s.nnet++];
	str_copy(d->name, sizeof(d->name), name);
	f->s.net_ok = true;
	return d;
}

static struct snap_disk *add_disk(struct fx *f, const char *name)
{
	struct snap_disk *d = &f->disk[f->s.ndisk++];
	str_copy(d->name, sizeof(d->name), name);
	d->nfields = 17;
	f->s.disk_ok = true;
	return d;
}

static void add_sn(struct fx *f, unsigned ncols, int64_t cpu, uint32_t processed, uint32_t dropped,
                   uint32_t squeeze)
{
	f->sn[f->s.softnet.nrow++] = (struct snap_softnet){
	    .cpu = cpu, .processed = processed, .dropped = dropped, .time_squeeze = squeeze};
	f->s.softnet.ncols = ncols;
	f->s.softnet.ok = true;
}

static void vm_set(struct fx *f, enum vs_field field, uint64_t v)
{
	f->s.vm.v[field] = v;
	f->s.vm.present |= 1u << field;
	f->s.vm_ok = true;
}

#define assert_near(a, b) assert_near_((a), (b), __FILE__, __LINE__)
static void assert_near_(double a, double b, const char *file, int line)
{
	if (fabs(a - b) <= 1e-9 * (1.0 + fabs(b)))
		return;
	print_error("%s:%d: got %.15g, expected %.15g\n", file, line, a, b);
	fail();
}

/* ---- counters ---- */

static void test_ctr_delta(void **state)
{
	(void)state;
	unsigned resets = 0;
	assert_int_equal(ctr_delta64(10, 25, &resets), 15);
	assert_int_equal(ctr_delta64(7, 7, &resets), 0);
	assert_int_equal(ctr_delta64(0, UINT64_MAX, &resets), UINT64_MAX);
	assert_int_equal(resets, 0);
	assert_int_equal(ctr_delta64(UINT64_MAX, 0, &resets), 0); /* a reset, never a wrap */
	assert_int_equal(ctr_delta64(26, 25, &resets), 0);
	assert_int_equal(resets, 2);
	assert_int_equal(ctr_delta64(26, 25, NULL), 0);

	resets = 0;
	assert_int_equal(ctr_delta32(5, 9, &resets), 4);
	/* Wrapped: 0xfffffff0 -> 0x10 is 0x20 events. */
	assert_int_equal(ctr_delta32(0xfffffff0u, 0x10, &resets), 0x20);
	assert_int_equal(ctr_delta32(UINT32_MAX, 0, &resets), 1);
	/* Back by 2^31 + 1: a wrap of 2^31 - 1. */
	assert_int_equal(ctr_delta32(0x80000001u, 0, &resets), 0x7fffffffu);
	assert_int_equal(resets, 0);
	/* Back by exactly 2^31, or less: a reset. */
	assert_int_equal(ctr_delta32(0x80000000u, 0, &resets), 0);
	assert_int_equal(ctr_delta32(1000, 10, &resets), 0);
	assert_int_equal(resets, 2);
	assert_int_equal(ctr_delta32(1000, 10, NULL), 0);
}

/* ---- CPU ---- */

static void test_cpu_offline(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	fx_init(&a, 100);
	fx_init(&b, 102);
	/* user nice system idle iowait irq softirq steal guest guest_nice */
	add_cpu(&a, 0, T(1000, 0, 500, 10000, 100, 50, 50, 100, 400, 0));
	add_cpu(&a, 1, T(1000, 0, 500, 10000, 0, 0, 0, 0, 0, 0));
	add_cpu(&a, 2, T(2000, 0, 1000, 20000, 0, 0, 0, 500, 0, 0));
	add_cpu(&a, 3, T(0, 0, 0, 5000, 20, 0, 0, 0, 0, 0));
	a.s.stat.all = (struct snap_cpu){.id = -1, .t = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}};
	a.s.stat.ctxt = 1000;
	a.s.stat.forks = 10;
	/* CPU 1 went offline, CPU 5 came online; the rows shifted. The aggregate line
	 * went backwards, as it does when a CPU leaves: it must not be read. */
	add_cpu(&b, 0, T(1050, 0, 520, 10100, 110, 55, 55, 110, 440, 0));
	add_cpu(&b, 2, T(2010, 0, 1010, 20060, 0, 0, 0, 520, 0, 0));
	add_cpu(&b, 3, T(0, 0, 0, 5100, 17, 0, 0, 0, 0, 0));
	add_cpu(&b, 5, T(10, 0, 10, 10, 0, 0, 0, 0, 0, 0));
	b.s.stat.ctxt = 3000;
	b.s.stat.forks = 14;
	b.s.stat.procs_running = 3;
	b.s.stat.procs_blocked = 1;

	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	assert_true(r.valid);
	assert_near(r.dt, 2);
	assert_int_equal(r.resets, 0); /* iowait 20 -> 17 is clamped, not a reset */
	assert_int_equal(r.ncpu, 3);
	assert_int_equal(r.ncpu_rows, 3);
	assert_int_equal(r.cpu[0].id, 0);
	assert_int_equal(r.cpu[1].id, 2);
	assert_int_equal(r.cpu[2].id, 3);
	/* CPU 0: deltas 50 0 20 100 10 5 5 10 | guest 40; total of the first 8 = 200. */
	const double cpu0[CPU__MODES] = {25, 0, 10, 50, 5, 2.5, 2.5, 5, 20, 0};
	/* CPU 2: 10 0 10 60 0 0 0 20 of 100. CPU 3: idle 100 of 100, iowait -3 -> 0. */
	const double cpu2[CPU__MODES] = {10, 0, 10, 60, 0, 0, 0, 20, 0, 0};
	const double cpu3[CPU__MODES] = {0, 0, 0, 100, 0, 0, 0, 0, 0, 0};
	for (int m = 0; m < CPU__MODES; m++) {
		assert_near(r.cpu[0].pct[m], cpu0[m]);
		assert_near(r.cpu[1].pct[m], cpu2[m]);
		assert_near(r.cpu[2].pct[m], cpu3[m]);
		assert_near(r.cpu_pct[m], (cpu0[m] + cpu2[m] + cpu3[m]) / 3);
	}
	assert_near(r.cpu_pct[CPU_USER], 35.0 / 3);
	assert_near(r.cpu_pct[CPU_IDLE], 70);
	assert_near(r.cpu_pct[CPU_STEAL], 25.0 / 3);
	assert_int_equal(r.steal_max_cpu, 2);
	assert_near(r.steal_max_pct, 20);
	assert_near(r.ctxt, 1000);
	assert_near(r.forks, 2);
	assert_int_equal(r.procs_running, 3);
	assert_int_equal(r.procs_blocked, 1);
	rates_release(&r);
}

static void test_cpu_reonline(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	fx_init(&a, 10);
	fx_init(&b, 11);
	add_cpu(&a, 0, T(500, 0, 0, 10000, 0, 0, 0, 0, 0, 0));
	add_cpu(&a, 1, T(100, 0, 0, 1000, 0, 0, 0, 0, 0, 0));
	/* CPU 0: idle back by 300 ticks (3 s): offlined and onlined, counters zeroed. */
	add_cpu(&b, 0, T(600, 0, 0, 9700, 0, 0, 0, 0, 0, 0));
	/* CPU 1: idle back by 299: clamped to 0, user 100 of 100. */
	add_cpu(&b, 1, T(200, 0, 0, 701, 0, 0, 0, 0, 0, 0));
	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	assert_int_equal(r.resets, 1);
	assert_int_equal(r.ncpu, 1);
	assert_int_equal(r.cpu[0].id, 1);
	assert_near(r.cpu[0].pct[CPU_USER], 100);
	assert_near(r.cpu_pct[CPU_USER], 100);
	assert_near(r.cpu_pct[CPU_IDLE], 0);
	/* No steal anywhere: the first CPU with a rate is the maximum. */
	assert_int_equal(r.steal_max_cpu, 1);
	assert_near(r.steal_max_pct, 0);

	/* The clock stood still or went back: no rates, and no resets counted. */
	for (double t = 10; t >= 9; t--) {
		b.s.t = t;
		rates_compute(&r, &a.s, &b.s);
		assert_false(r.valid);
		assert_near(r.dt, 0);
		assert_int_equal(r.resets, 0);
		assert_int_equal(r.ncpu, 0);
		assert_int_equal(r.steal_max_cpu, -1);
	}
	rates_release(&r);
}

/* ---- memory and vmstat ---- */

static void test_mem(void **state)
{
	(void)state;
	struct fx a;
	struct rates r;
	fx_init(&a, 1);
	a.s.mem_ok = true;
	a.s.mem.present = 1u << MI_MEMTOTAL | 1u << MI_MEMAVAILABLE | 1u << MI_SWAPTOTAL |
	                  1u << MI_SWAPFREE | 1u << MI_MEMFREE;
	a.s.mem.v[MI_MEMTOTAL] = 1000;
	a.s.mem.v[MI_MEMAVAILABLE] = 250;
	a.s.mem.v[MI_MEMFREE] = 900; /* not used when MemAvailable is there */
	a.s.mem.v[MI_SWAPTOTAL] = 400;
	a.s.mem.v[MI_SWAPFREE] = 100;
	rates_init(&r, &a.s);
	rates_compute(&r, NULL, &a.s);
	assert_false(r.valid);
	assert_true(r.have_avail);
	assert_int_equal(r.mem_total_kb, 1000);
	assert_int_equal(r.mem_avail_kb, 250);
	assert_near(r.mem_used_pct, 75);
	assert_int_equal(r.swap_total_kb, 400);
	assert_int_equal(r.swap_used_kb, 300);
	assert_near(r.swap_used_pct, 75);

	/* Before 3.14: MemFree + Cached + Buffers - Shmem = 100 + 300 + 50 - 150. */
	a.s.mem.present = 1u << MI_MEMTOTAL | 1u << MI_MEMFREE | 1u << MI_CACHED |
	                  1u << MI_BUFFERS | 1u << MI_SHMEM;
	a.s.mem.v[MI_MEMFREE] = 100;
	a.s.mem.v[MI_CACHED] = 300;
	a.s.mem.v[MI_BUFFERS] = 50;
	a.s.mem.v[MI_SHMEM] = 150;
	a.s.mem.v[MI_SWAPTOTAL] = 0;
	a.s.mem.v[MI_SWAPFREE] = 0;
	rates_compute(&r, NULL, &a.s);
	assert_false(r.have_avail);
	assert_int_equal(r.mem_avail_kb, 300);
	assert_near(r.mem_used_pct, 70);
	assert_near(r.swap_used_pct, 0);
	/* More shmem than the estimate: nothing available. */
	a.s.mem.v[MI_SHMEM] = 5000;
	rates_compute(&r, NULL, &a.s);
	assert_int_equal(r.mem_avail_kb, 0);
	assert_near(r.mem_used_pct, 100);
	rates_release(&r);
}

static void vm_pair(struct fx *a, struct fx *b)
{
	fx_init(a, 50);
	fx_init(b, 52);
	static const struct {
		enum vs_field f;
		uint64_t prev, cur;
	} v[] = {
	    {VS_PSWPIN, 10, 30},
	    {VS_PSWPOUT, 20, 60},
	    {VS_PGFAULT, 1000, 3000},
	    {VS_PGMAJFAULT, 5, 15},
	    {VS_PGPGIN, 100, 300},
	    {VS_PGPGOUT, 200, 600},
	    {VS_PGSCAN_KSWAPD, 1000, 1600},
	    {VS_PGSCAN_DIRECT, 50, 150},
	    {VS_ALLOCSTALL, 2, 6},
	    {VS_WORKINGSET_REFAULT, 30, 90},
	    {VS_PAGEOUTRUN, 7, 9},
	    {VS_OOM_KILL, 1, 3},
	    {VS_PGSTEAL_ANON, 100, 200},
	    {VS_PGSTEAL_FILE, 400, 700},
	    {VS_PGSTEAL_KSWAPD, 450, 800},
	    {VS_PGSTEAL_DIRECT, 50, 70},
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		vm_set(a, v[i].f, v[i].prev);
		vm_set(b, v[i].f, v[i].cur);
	}
}

static void test_vm(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	vm_pair(&a, &b);
	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	assert_near(r.pswpin, 10);
	assert_near(r.pswpout, 20);
	assert_near(r.pgfault, 1000);
	assert_near(r.pgmajfault, 5);
	assert_near(r.pgpgin, 100);
	assert_near(r.pgpgout, 200);
	assert_near(r.pgscan_kswapd, 300);
	assert_near(r.pgscan_direct, 50);
	assert_near(r.allocstall, 2);
	assert_near(r.refault, 30);
	assert_near(r.pageoutrun, 1);
	assert_int_equal(r.oom_kills, 2);
	/* Both families: anon + file = (100 + 300) / 2 s; kswapd + direct would be
	 * (350 + 20) / 2 = 185 (khugepaged stole the rest), the sum of all 385. */
	assert_near(r.pgsteal, 200);
	assert_int_equal(r.resets, 0);

	/* A kernel without the anon/file pair in one snapshot: kswapd + direct. */
	a.s.vm.present &= ~(1u << VS_PGSTEAL_ANON);
	rates_compute(&r, &a.s, &b.s);
	assert_near(r.pgsteal, 185);

	/* A counter only in one snapshot has no rate; one that went back is a reset. */
	a.s.vm.present &= ~(1u << VS_OOM_KILL);
	b.s.vm.v[VS_PGFAULT] = 999;
	rates_compute(&r, &a.s, &b.s);
	assert_int_equal(r.oom_kills, 0);
	assert_near(r.pgfault, 0);
	assert_int_equal(r.resets, 1);

	/* vmstat unreadable in the previous snapshot: no rates at all. */
	a.s.vm_ok = false;
	rates_compute(&r, &a.s, &b.s);
	assert_true(r.valid);
	assert_near(r.pswpin, 0);
	assert_near(r.pgsteal, 0);
	rates_release(&r);
}

/* ---- PSI ---- */

static void test_psi(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	fx_init(&a, 0);
	fx_init(&b, 2);
	for (int i = 0; i < PSI__RES; i++) {
		a.s.psi[i].ok = b.s.psi[i].ok = true;
		a.s.psi[i].some.have = b.s.psi[i].some.have = true;
	}
	/* cpu: 500 ms stalled in 2 s = 25 %; no "full" line (before 5.13). */
	a.s.psi[PSI_CPU].some.total = 1000000;
	b.s.psi[PSI_CPU].some.total = 1500000;
	b.s.psi[PSI_CPU].some.avg10 = 24.5;
	/* memory: some 3 s in 2 s (impossible, clamped to 100 %); full 20 ms = 1 %. */
	a.s.psi[PSI_MEMORY].full.have = b.s.psi[PSI_MEMORY].full.have = true;
	a.s.psi[PSI_MEMORY].some.total = 7;
	b.s.psi[PSI_MEMORY].some.total = 3000007;
	a.s.psi[PSI_MEMORY].full.total = 100000;
	b.s.psi[PSI_MEMORY].full.total = 120000;
	b.s.psi[PSI_MEMORY].some.avg10 = 12.5;
	b.s.psi[PSI_MEMORY].full.avg10 = 0.75;
	/* io: unreadable before, readable now: levels but no share. */
	a.s.psi[PSI_IO].ok = false;
	b.s.psi[PSI_IO].some.total = 999999;
	b.s.psi[PSI_IO].some.avg10 = 3;

	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	assert_true(r.psi_ok[PSI_CPU] && r.psi_ok[PSI_MEMORY] && r.psi_ok[PSI_IO]);
	assert_near(r.psi_some[PSI_CPU], 25);
	assert_near(r.psi_full[PSI_CPU], 0);
	assert_near(r.psi_some_avg10[PSI_CPU], 24.5);
	assert_near(r.psi_some[PSI_MEMORY], 100);
	assert_near(r.psi_full[PSI_MEMORY], 1);
	assert_near(r.psi_some_avg10[PSI_MEMORY], 12.5);
	assert_near(r.psi_full_avg10[PSI_MEMORY], 0.75);
	assert_near(r.psi_some[PSI_IO], 0);
	assert_near(r.psi_some_avg10[PSI_IO], 3);
	assert_int_equal(r.resets, 0);

	/* A total that went back is a reset; a missing file is not ok. */
	a.s.psi[PSI_IO].ok = true;
	a.s.psi[PSI_IO].some.total = 5000000;
	b.s.psi[PSI_CPU].ok = false;
	rates_compute(&r, &a.s, &b.s);
	assert_near(r.psi_some[PSI_IO], 0);
	assert_int_equal(r.resets, 1);
	assert_false(r.psi_ok[PSI_CPU]);
	assert_near(r.psi_some[PSI_CPU], 0);
	assert_near(r.psi_some_avg10[PSI_CPU], 0);
	rates_release(&r);
}

/* ---- network ---- */

static void test_net(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	fx_init(&a, 0);
	fx_init(&b, 2);
	add_net(&a, "lo")->rx_bytes = 1000;
	*add_net(&a, "eth0") = (struct snap_netdev){.name = "eth0",
	                                            .rx_bytes = 10000,
	                                            .tx_bytes = 5000,
	                                            .rx_packets = 100,
	                                            .tx_packets = 50,
	                                            .rx_drop = 1,
	                                            .tx_drop = 2,
	                                            .rx_errs = 3,
	                                            .tx_errs = 4,
	                                            .rx_fifo = 5,
	                                            .tx_fifo = 6};
	add_net(&a, "eth1")->rx_bytes = 7;
	/* eth1 went away, eth2 appeared; eth0's tx_bytes went back (a driver reset). */
	add_net(&b, "eth2")->rx_bytes = 999999;
	*add_net(&b, "eth0") = (struct snap_netdev){.name = "eth0",
	                                            .rx_bytes = 12000,
	                                            .tx_bytes = 4000,
	                                            .rx_packets = 120,
	                                            .tx_packets = 60,
	                                            .rx_drop = 3,
	                                            .tx_drop = 2,
	                                            .rx_errs = 5,
	                                            .tx_errs = 8,
	                                            .rx_fifo = 9,
	                                            .tx_fifo = 6};
	add_net(&b, "lo")->rx_bytes = 3000;
	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	assert_int_equal(r.nnet, 3);
	assert_string_equal(r.net[0].name, "eth2");
	assert_true(r.net[0].fresh);
	assert_near(r.net[0].rx_bytes, 0);
	const struct rate_net *e = &r.net[1];
	assert_string_equal(e->name, "eth0");
	assert_false(e->fresh);
	assert_near(e->rx_bytes, 1000);
	assert_near(e->tx_bytes, 0);
	assert_near(e->rx_packets, 10);
	assert_near(e->tx_packets, 5);
	assert_near(e->rx_drop, 1);
	assert_near(e->tx_drop, 0);
	assert_near(e->rx_errs, 1);
	assert_near(e->tx_errs, 2);
	assert_near(e->rx_fifo, 2);
	assert_near(e->tx_fifo, 0);
	assert_string_equal(r.net[2].name, "lo");
	assert_near(r.net[2].rx_bytes, 1000);
	assert_int_equal(r.resets, 1);
	/* Totals: eth0 only (lo excluded, eth2 has no rate yet). */
	assert_near(r.rx_bytes, 1000);
	assert_near(r.tx_bytes, 0);
	assert_near(r.rx_packets, 10);
	assert_near(r.tx_packets, 5);
	assert_near(r.rx_drop, 1);
	assert_near(r.tx_drop, 0);
	assert_near(r.rx_errs, 1);
	assert_near(r.tx_errs, 2);

	/* The first sample: names and no rates. */
	rates_compute(&r, NULL, &b.s);
	assert_false(r.valid);
	assert_int_equal(r.nnet, 3);
	assert_true(r.net[1].fresh);
	assert_near(r.rx_bytes, 0);
	rates_release(&r);
}

static void test_softnet(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	fx_init(&a, 0);
	fx_init(&b, 2);
	/* 13 columns: rows named by CPU id. CPU 1 goes offline, CPU 4 comes online. */
	add_sn(&a, 13, 0, 100, 0, 1);
	add_sn(&a, 13, 1, 200, 0, 2);
	add_sn(&a, 13, 2, 0xfffffff0u, 0, 3);
	add_sn(&b, 13, 0, 300, 4, 5);
	add_sn(&b, 13, 2, 0x10, 0, 1); /* processed wrapped (+32); squeeze went back */
	add_sn(&b, 13, 4, 50, 0, 0);
	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	/* processed 200 + 32 = 232 in 2 s; CPU 0 did 200 of them. */
	assert_near(r.softnet_processed, 116);
	assert_near(r.softnet_dropped, 2);
	assert_near(r.softnet_squeezed, 2);
	assert_int_equal(r.softnet_top_cpu, 0);
	assert_near(r.softnet_top_share, 200.0 * 100 / 232);
	assert_int_equal(r.resets, 1);

	/* 11 columns: rows are numbered; a change in the row count makes them
	 * incomparable. */
	fx_init(&a, 0);
	fx_init(&b, 2);
	add_sn(&a, 11, 0, 100, 0, 0);
	add_sn(&a, 11, 1, 100, 0, 0);
	add_sn(&b, 11, 0, 200, 0, 0);
	rates_compute(&r, &a.s, &b.s);
	assert_int_equal(r.softnet_top_cpu, -1);
	assert_near(r.softnet_processed, 0);
	add_sn(&b, 11, 1, 400, 0, 0);
	rates_compute(&r, &a.s, &b.s);
	assert_int_equal(r.softnet_top_cpu, 1);
	assert_near(r.softnet_processed, 200);
	assert_near(r.softnet_top_share, 75);
	rates_release(&r);
}

static void test_tcp(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	fx_init(&a, 0);
	fx_init(&b, 2);
	tcpx_clear(&a.s.tcpx);
	tcpx_clear(&b.s.tcpx);
	a.s.tcpx.ok = b.s.tcpx.ok = true;
	static const struct {
		enum tcpx_field f;
		uint64_t prev, cur;
	} v[] = {
	    {TX_LISTEN_OVERFLOWS, 10, 16}, {TX_LISTEN_DROPS, 10, 18}, {TX_RETRANS_SEGS, 100, 130},
	    {TX_OUT_SEGS, 10000, 11000},   {TX_TIMEOUTS, 5, 7},       {TX_CURR_ESTAB, 50, 20},
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		a.s.tcpx.v[v[i].f] = v[i].prev;
		b.s.tcpx.v[v[i].f] = v[i].cur;
		a.s.tcpx.present |= UINT64_C(1) << v[i].f;
		b.s.tcpx.present |= UINT64_C(1) << v[i].f;
	}
	/* Printed only by the newer snapshot: no rate. */
	b.s.tcpx.v[TX_BACKLOG_DROP] = 77;
	b.s.tcpx.present |= UINT64_C(1) << TX_BACKLOG_DROP;
	b.s.sock = (struct snap_sock){.ok = true,
	                              .ss = {.have_tcp = true, .tcp_mem_pages = 300},
	                              .have_tcp_mem = true,
	                              .tcp_mem = {100, 200, 400},
	                              .have_conntrack = true,
	                              .ct_count = 900,
	                              .ct_max = 1000};
	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	assert_near(r.listen_overflows, 3);
	assert_near(r.listen_drops, 4);
	assert_near(r.retrans_segs, 15);
	assert_near(r.out_segs, 500);
	assert_near(r.tcp_timeouts, 1);
	assert_near(r.retrans_pct, 3);
	assert_near(r.backlog_drop, 0);
	assert_int_equal(r.resets, 0); /* CurrEstab is a gauge, not a counter */
	assert_near(r.tcp_mem_pct, 150);
	assert_near(r.tcp_mem_max_pct, 75);
	assert_near(r.conntrack_pct, 90);

	/* Unknown levels are -1; no segments out is 0 % retransmitted. */
	b.s.sock = (struct snap_sock){.ok = true, .ss = {.have_tcp = true, .tcp_mem_pages = 300}};
	b.s.tcpx.v[TX_OUT_SEGS] = 10000;
	b.s.tcpx.v[TX_RETRANS_SEGS] = 100;
	rates_compute(&r, &a.s, &b.s);
	assert_near(r.tcp_mem_pct, -1);
	assert_near(r.tcp_mem_max_pct, -1);
	assert_near(r.conntrack_pct, -1);
	assert_near(r.retrans_pct, 0);
	rates_release(&r);
}

/* ---- disks ---- */

static void test_disk(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	struct snap_disk *d;
	fx_init(&a, 0);
	fx_init(&b, 2);
	d = add_disk(&a, "sda");
	d->rd_ios = 1000, d->wr_ios = 500, d->rd_sectors = 10000, d->wr_sectors = 5000;
	d->rd_ticks = 0xffffff00u, d->wr_ticks = 1000, d->io_ticks = 10000,
	d->time_in_queue = 50000;
	add_disk(&a, "sda1")->io_ticks = 100;
	add_disk(&a, "nvme0n1")->io_ticks = 400;
	add_disk(&a, "sdb")->io_ticks = 5;
	d = add_disk(&a, "loop0");
	d->time_in_queue = 100;

	d = add_disk(&b, "sda");
	d->rd_ios = 1100, d->wr_ios = 550, d->dc_ios = 10, d->fl_ios = 40;
	d->rd_sectors = 12000, d->wr_sectors = 5800;
	d->rd_ticks = 44, d->wr_ticks = 1200, d->dc_ticks = 50, d->fl_ticks = 50;
	d->io_ticks = 11500, d->time_in_queue = 52400, d->in_flight = 2;
	add_disk(&b, "sda1")->io_ticks = 2600;    /* +2500 ms in 2 s: 125 %, shown as 100 */
	add_disk(&b, "nvme0n1")->io_ticks = 2000; /* +1600: 80 %, and no request finished */
	d = add_disk(&b, "loop0");
	d->io_ticks = 2000, d->time_in_queue = 50; /* time_in_queue went back: a reset */
	add_disk(&b, "sdc")->io_ticks = 99999;     /* new */

	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	assert_int_equal(r.ndisk, 5);
	const struct rate_disk *s = &r.disk[0];
	assert_string_equal(s->name, "sda");
	assert_true(s->whole);
	assert_false(s->fresh);
	assert_near(s->rd_ios, 50);   /* 100 / 2 */
	assert_near(s->wr_ios, 25);   /* 50 / 2 */
	assert_near(s->rd_kb, 500);   /* 2000 sectors / 2 / 2 s */
	assert_near(s->wr_kb, 200);   /* 800 / 2 / 2 */
	assert_near(s->util_pct, 75); /* 1500 ms of 2000 */
	/* rd_ticks wrapped: 0xffffff00 -> 44 is 256 + 44 = 300 ms.
	 * await = (300 + 200 + 50 + 50) / (100 + 50 + 10 + 40) = 3 */
	assert_near(s->await_ms, 3);
	assert_near(s->r_await_ms, 3); /* 300 / 100 */
	assert_near(s->w_await_ms, 4); /* 200 / 50 */
	assert_near(s->aqu_sz, 1.2);   /* 2400 ms / 2000 ms */
	assert_int_equal(s->in_flight, 2);

	assert_string_equal(r.disk[1].name, "sda1");
	assert_false(r.disk[1].whole);
	assert_near(r.disk[1].util_pct, 100);
	assert_string_equal(r.disk[2].name, "nvme0n1");
	assert_true(r.disk[2].whole);
	assert_near(r.disk[2].util_pct, 80);
	assert_near(r.disk[2].await_ms, 0);
	assert_near(r.disk[2].r_await_ms, 0);
	assert_near(r.disk[2].w_await_ms, 0);
	assert_false(r.disk[3].whole);
	assert_near(r.disk[3].util_pct, 100);
	assert_near(r.disk[3].aqu_sz, 0);
	assert_string_equal(r.disk[4].name, "sdc");
	assert_true(r.disk[4].fresh);
	assert_near(r.disk[4].util_pct, 0);
	/* The busiest whole disk: nvme0n1 (80 %), not sda1 or loop0 (100 %). */
	assert_int_equal(r.busiest_disk, 2);
	assert_int_equal(r.resets, 1);

	/* No previous diskstats: every disk is new, none is busiest. */
	a.s.disk_ok = false;
	rates_compute(&r, &a.s, &b.s);
	assert_true(r.disk[0].fresh);
	assert_int_equal(r.busiest_disk, -1);
	assert_int_equal(r.disk[0].in_flight, 2);
	rates_release(&r);
}

/* ---- nfsd, memory bandwidth, capacities ---- */

static void test_nfsd_mbm(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	fx_init(&a, 0);
	fx_init(&b, 2);
	a.s.nfsd = (struct snap_nfsd){.ok = true,
	                              .threads = 8,
	                              .have_pool = true,
	                              .pool = {.packets = 1000, .enqueued = 100, .woken = 90}};
	b.s.nfsd = (struct snap_nfsd){.ok = true,
	                              .threads = 16,
	                              .have_pool = true,
	                              .pool = {.packets = 1400, .enqueued = 180, .woken = 150}};
	a.s.mbm = (struct snap_mbm){.ok = true, .total_bytes = 1000000000};
	b.s.mbm = (struct snap_mbm){.ok = true, .total_bytes = 3000000000};
	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	assert_true(r.nfsd_ok);
	assert_int_equal(r.nfsd_threads, 16);
	assert_near(r.nfsd_packets, 200);
	assert_near(r.nfsd_enqueued, 40);
	assert_near(r.nfsd_woken, 30);
	assert_false(r.nfsd_have_no_threads);
	assert_true(r.mbm_ok);
	assert_near(r.mbm_bytes, 1e9);

	a.s.nfsd.pool.have_no_threads = b.s.nfsd.pool.have_no_threads = true;
	a.s.nfsd.pool.no_threads = 5;
	b.s.nfsd.pool.no_threads = 9;
	rates_compute(&r, &a.s, &b.s);
	assert_true(r.nfsd_have_no_threads);
	assert_near(r.nfsd_no_threads, 2);

	/* nfsd stopped: not ok, no rates. */
	b.s.nfsd = (struct snap_nfsd){0};
	b.s.mbm.ok = false;
	rates_compute(&r, &a.s, &b.s);
	assert_false(r.nfsd_ok);
	assert_near(r.nfsd_packets, 0);
	assert_false(r.mbm_ok);
	assert_near(r.mbm_bytes, 0);
	rates_release(&r);
}

/* rates_init sized the arrays from a smaller snapshot: never more rows. */
static void test_capacity(void **state)
{
	(void)state;
	struct fx a, b;
	struct rates r;
	fx_init(&a, 0);
	fx_init(&b, 1);
	struct snap like = a.s;
	like.stat.cpu_cap = 1;
	like.net_cap = 2;
	like.disk_cap = 0;
	for (int i = 0; i < 3; i++) {
		add_cpu(&a, i, T(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
		add_cpu(&b, i, T(1, 0, 0, 99, 0, 0, 0, 0, 0, 0));
		add_net(&a, i ? "eth" : "lo");
		add_net(&b, i ? "eth" : "lo");
		add_disk(&a, "vda");
		add_disk(&b, "vda");
	}
	rates_init(&r, &like);
	rates_compute(&r, &a.s, &b.s);
	assert_int_equal(r.ncpu_rows, 1);
	assert_int_equal(r.nnet, 2);
	assert_int_equal(r.ndisk, 0);
	assert_int_equal(r.busiest_disk, -1);
	rates_release(&r);
	assert_null(r.cpu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ctr_delta),    cmocka_unit_test(test_cpu_offline),
	    cmocka_unit_test(test_cpu_reonline), cmocka_unit_test(test_mem),
	    cmocka_unit_test(test_vm),           cmocka_unit_test(test_psi),
	    cmocka_unit_test(test_net),          cmocka_unit_test(test_softnet),
	    cmocka_unit_test(test_tcp),          cmocka_unit_test(test_disk),
	    cmocka_unit_test(test_nfsd_mbm),     cmocka_unit_test(test_capacity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
