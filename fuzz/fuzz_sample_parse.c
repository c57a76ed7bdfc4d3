// SPDX-License-Identifier: MIT
/* libFuzzer target for kres top's per-interval parsers (sample/parse.h): the first
 * byte picks /proc/net/dev, softnet_stat, snmp/netstat, diskstats or the whole-disk
 * rule, or (5) parses both halves of the rest as two snapshots of each file and
 * computes their rates. Capacities are small so that overflow rows are common; the
 * slot past each capacity holds a guard pattern that must survive. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/parse.h"
#include "sample/rates.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

#define CAP   4
#define GUARD 0x5a

static void check_guard(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != GUARD)
			__builtin_trap();
}

static void check_name(const char *name, size_t n)
{
	if (!memchr(name, '\0', n) || !name[0])
		__builtin_trap();
}

static void fuzz_netdev(const char *buf, size_t len)
{
	struct snap_netdev dev[CAP + 1];
	size_t n = 99, over = 99;
	struct perr e = {0};
	memset(dev, GUARD, sizeof(dev));
	int rc = netdev_parse(buf, len, dev, CAP, &n, &over, &e);
	if (n > CAP || (rc != 0 && (n || over)) || (rc != 0 && !e.msg[0]))
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		check_name(dev[i].name, sizeof(dev[i].name));
	check_guard(&dev[CAP], sizeof(dev[CAP]));
}

static void fuzz_softnet(const char *buf, size_t len)
{
	struct snap_softnet row[CAP + 1];
	memset(row, GUARD, sizeof(row));
	struct snap_softnet_all sn = {.row = row, .row_cap = CAP};
	struct perr e = {0};
	int rc = softnet_rows_parse(buf, len, &sn, &e);
	if (sn.nrow > CAP || (rc == 0) != sn.ok ||
	    (rc == 0 && (sn.ncols < 9 || sn.nrow + sn.row_over == 0)))
		__builtin_trap();
	if (rc != 0 && (sn.nrow || sn.row_over || sn.ncols))
		__builtin_trap();
	for (size_t i = 0; i < sn.nrow; i++)
		if (sn.ncols < 13 ? row[i].cpu != (int64_t)i : row[i].cpu > UINT32_MAX)
			__builtin_trap();
	check_guard(&row[CAP], sizeof(row[CAP]));
}

static void fuzz_tcpx(const char *buf, size_t len)
{
	struct snap_tcpx x, before;
	struct perr e = {0};
	tcpx_clear(&x);
	x.present = UINT64_C(1) << TX_OUT_SEGS;
	x.v[TX_OUT_SEGS] = 42;
	before = x;
	int rc = tcpx_parse(buf, len, &x, &e);
	if (x.present >> TX__COUNT)
		__builtin_trap();
	if (rc != 0 && (x.ok || x.present != before.present || memcmp(x.v, before.v, sizeof(x.v))))
		__builtin_trap();
	if (rc == 0 && !x.ok)
		__builtin_trap();
}

static void fuzz_disk(const char *buf, size_t len)
{
	struct snap_disk dev[CAP + 1];
	size_t n = 99, over = 99;
	struct perr e = {0};
	memset(dev, GUARD, sizeof(dev));
	int rc = diskstats_parse(buf, len, dev, CAP, &n, &over, &e);
	if (n > CAP || (rc != 0 && (n || over)))
		__builtin_trap();
	for (size_t i = 0; i < n; i++) {
		check_name(dev[i].name, sizeof(dev[i].name));
		unsigned k = dev[i].nfields;
		if (k != 4 && k != 11 && k != 15 && k < 17)
			__builtin_trap();
		(void)disk_is_partition_or_virtual(dev[i].name);
	}
	check_guard(&dev[CAP], sizeof(dev[CAP]));
}

/* One snapshot from the same text given to every parser. */
struct fsnap {
	struct snap s;
	struct snap_netdev net[CAP];
	struct snap_softnet sn[CAP];
	struct snap_disk disk[CAP];
};

static void fsnap_fill(struct fsnap *f, const char *buf, size_t len, double t)
{
	struct perr e = {0};
	memset(f, 0, sizeof(*f));
	f->s.t = t;
	f->s.net = f->net;
	f->s.net_cap = CAP;
	f->s.softnet.row = f->sn;
	f->s.softnet.row_cap = CAP;
	f->s.disk = f->disk;
	f->s.disk_cap = CAP;
	f->s.net_ok = netdev_parse(buf, len, f->net, CAP, &f->s.nnet, &f->s.net_over, &e) == 0;
	(void)softnet_rows_parse(buf, len, &f->s.softnet, &e);
	tcpx_clear(&f->s.tcpx);
	(void)tcpx_parse(buf, len, &f->s.tcpx, &e);
	f->s.disk_ok =
	    diskstats_parse(buf, len, f->disk, CAP, &f->s.ndisk, &f->s.disk_over, &e) == 0;
}

static bool in_range(double v, double lo, double hi)
{
	return !isnan(v) && v >= lo && v <= hi;
}

static void fuzz_rates(const char *buf, size_t len)
{
	static struct fsnap a, b;
	size_t half = len / 2;
	fsnap_fill(&a, buf, half, 0);
	fsnap_fill(&b, buf + half, len - half, 1.5);
	struct rates r;
	rates_init(&r, &a.s);
	rates_compute(&r, &a.s, &b.s);
	if (!r.valid || r.nnet > CAP || r.ndisk > CAP || r.busiest_disk >= (int)r.ndisk)
		__builtin_trap();
	if (!in_range(r.softnet_top_share, 0, 100) || !in_range(r.retrans_pct, 0, INFINITY))
		__builtin_trap();
	for (size_t i = 0; i < r.ndisk; i++) {
		const struct rate_disk *d = &r.disk[i];
		if (!in_range(d->util_pct, 0, 100) || !in_range(d->aqu_sz, 0, INFINITY) ||
		    !in_range(d->await_ms, 0, INFINITY) || (d->fresh && d->rd_ios != 0))
			__builtin_trap();
	}
	for (size_t i = 0; i < r.nnet; i++)
		if (!in_range(r.net[i].rx_bytes, 0, INFINITY))
			__builtin_trap();
	rates_release(&r);
}

/* /proc/stat into a small CPU table, and PSI. */
static void fuzz_stat_psi(const char *buf, size_t len, bool psi)
{
	struct perr e;
	if (psi) {
		struct snap_psi p;
		if (!psi_parse(buf, len, &p, &e) &&
		    (!p.ok || p.some.avg10 < 0 || p.some.avg10 > 100.0001 || p.full.avg300 > 100.0001))
			__builtin_trap();
		return;
	}
	struct snap_cpu cpu[3];
	struct snap_stat st = {.cpu = cpu, .cpu_cap = 3};
	if (!stat_parse(buf, len, &st, &e) && (!st.ok || st.ncpu > 3))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n == 0)
		return 0;
	/* Exactly the input's bytes, so that ASan sees a read past the length. */
	size_t len = n - 1;
	char *buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, d + 1, len);
	switch (d[0] % 8) {
	case 0:
		fuzz_netdev(buf, len);
		break;
	case 1:
		fuzz_softnet(buf, len);
		break;
	case 2:
		fuzz_tcpx(buf, len);
		break;
	case 3:
		fuzz_disk(buf, len);
		break;
	case 4: {
		char *name = strndup(buf, len);
		if (name)
			(void)disk_is_partition_or_virtual(name);
		free(name);
		break;
	}
	case 6:
		fuzz_stat_psi(buf, len, false);
		break;
	case 7:
		fuzz_stat_psi(buf, len, true);
		break;
	default:
		fuzz_rates(buf, len);
		break;
	}
	free(buf);
	return 0;
}
