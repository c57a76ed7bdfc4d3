/* SPDX-License-Identifier: MIT */
/* What happened between two snapshots: per-second rates and shares of the
 * interval. Counters that went backwards are resets (a device re-created, a CPU
 * re-onlined, a driver reset): that interval's delta is 0 and the reset is
 * counted, as sysstat and node_exporter do. 32-bit counters (softnet, the
 * diskstats milliseconds) that went backwards by more than half their range
 * wrapped and are taken modulo 2^32. CPU shares are summed per CPU over the CPUs
 * online in both snapshots, never from the aggregate line, which shrinks when a
 * CPU goes offline. Devices are matched by name; new ones have no rate yet. */
#ifndef KRES_SAMPLE_RATES_H
#define KRES_SAMPLE_RATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/snap.h"

struct rate_net {
	char name[32];
	bool fresh;                       /* not in the previous snapshot */
	double rx_bytes, tx_bytes, rx_packets, tx_packets;
	double rx_drop, tx_drop, rx_errs, tx_errs, rx_fifo, tx_fifo;
};

struct rate_disk {
	char name[32];
	bool fresh;
	bool whole;                       /* not a partition, ram, loop or fd device */
	double rd_ios, wr_ios, rd_kb, wr_kb; /* per second */
	double util_pct;                  /* io_ticks share of the interval */
	double await_ms;                  /* per completed request (read+write+discard+flush) */
	double r_await_ms, w_await_ms;
	double aqu_sz;                    /* average queue depth: time_in_queue / interval */
	uint32_t in_flight;
};

struct rate_cpu {
	int id;
	double pct[CPU__MODES];           /* percent of this CPU's interval */
};

struct rates {
	bool valid;                       /* a previous snapshot existed and dt > 0 */
	double dt;                        /* seconds */
	unsigned resets;                  /* counters that went backwards this interval */

	/* levels of the current snapshot (valid even when !valid) */
	uint64_t mem_total_kb, mem_avail_kb, swap_total_kb, swap_used_kb;
	double mem_used_pct;              /* (MemTotal - MemAvailable) / MemTotal */
	double swap_used_pct;             /* 0 without swap */
	bool have_avail;                  /* MemAvailable printed (3.14+); else estimated */

	/* /proc/vmstat, per second */
	double pswpin, pswpout, pgfault, pgmajfault, pgpgin, pgpgout;
	double pgscan_kswapd, pgscan_direct, pgsteal, allocstall, refault, pageoutrun;
	uint64_t oom_kills;               /* kills in the interval */

	/* /proc/stat */
	int ncpu;                         /* CPUs online in both snapshots */
	double cpu_pct[CPU__MODES];       /* mean over those CPUs, percent */
	struct rate_cpu *cpu;             /* per CPU; capacity = the snapshot's */
	size_t ncpu_rows;
	int steal_max_cpu;                /* the CPU with the most steal, -1 if none */
	double steal_max_pct;
	double ctxt, forks;
	uint64_t procs_running, procs_blocked;

	/* PSI: share of the interval stalled (percent), from the totals */
	bool psi_ok[PSI__RES];
	double psi_some[PSI__RES], psi_full[PSI__RES];
	double psi_some_avg10[PSI__RES], psi_full_avg10[PSI__RES];

	/* network: sums over interfaces except lo */
	struct rate_net *net;
	size_t nnet;
	double rx_bytes, tx_bytes, rx_packets, tx_packets, rx_drop, tx_drop, rx_errs, tx_errs;
	double softnet_processed, softnet_dropped, softnet_squeezed; /* per second, all CPUs */
	int softnet_top_cpu;              /* the CPU that processed most, -1 if none */
	double softnet_top_share;         /* its share of all processed, percent */
	double listen_overflows, listen_drops, backlog_drop, prune_called, rcv_pruned;
	double mem_pressures, abort_on_memory, retrans_segs, out_segs, tcp_timeouts;
	double retrans_pct;               /* RetransSegs / OutSegs over the interval */
	double tcp_mem_pct;               /* sockstat TCP mem / tcp_mem pressure, percent; -1 unknown */
	double tcp_mem_max_pct;           /* / tcp_mem max */
	double conntrack_pct;             /* count / max, percent; -1 when not loaded */

	/* disks */
	struct rate_disk *disk;
	size_t ndisk;
	int busiest_disk;                 /* index in disk[] of the whole disk with most util, -1 */

	/* nfsd */
	bool nfsd_ok;
	unsigned nfsd_threads;
	double nfsd_packets, nfsd_enqueued, nfsd_woken, nfsd_no_threads;
	bool nfsd_have_no_threads;

	/* memory bandwidth (resctrl MBM) */
	bool mbm_ok;
	double mbm_bytes;                 /* per second */

	/* capacities of cpu[], net[] and disk[], set by rates_init(): rates_compute()
	 * never writes more rows, whatever the snapshots hold */
	size_t cpu_cap, net_cap, disk_cap;
};

/* Allocates the per-device arrays for snapshots of the given capacities. */
void rates_init(struct rates *r, const struct snap *like);
/* Frees the arrays rates_init() allocated. */
void rates_release(struct rates *r);
/* Computes r from prev (may be NULL) and cur. Never allocates. */
void rates_compute(struct rates *r, const struct snap *prev, const struct snap *cur);

/* Counter deltas. For 32-bit counters a backward move of more than 2^31 is a wrap. */
uint64_t ctr_delta64(uint64_t prev, uint64_t cur, unsigned *resets);
uint32_t ctr_delta32(uint32_t prev, uint32_t cur, unsigned *resets);

#endif
