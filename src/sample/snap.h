/* SPDX-License-Identifier: MIT */
/* One sample of the kernel's counters and gauges: what the sampler reads each
 * interval. Every array is allocated once when the sampler starts (its capacity is
 * in the *_cap field) and is filled in place afterwards, so sampling never
 * allocates. Rows beyond a capacity are counted in *_over and skipped. Counters are
 * raw kernel values; rates come from two snapshots (sample/rates.h). */
#ifndef KRES_SAMPLE_SNAP_H
#define KRES_SAMPLE_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/meminfo.h"
#include "host/net.h"
#include "host/nfsd.h"
#include "host/vmstat.h"

/* ---- /proc/stat ---- */
enum cpu_mode {
	CPU_USER,
	CPU_NICE,
	CPU_SYSTEM,
	CPU_IDLE,
	CPU_IOWAIT,
	CPU_IRQ,
	CPU_SOFTIRQ,
	CPU_STEAL,
	CPU_GUEST,
	CPU_GUEST_NICE,
	CPU__MODES
};
struct snap_cpu {
	int id;                   /* N of "cpuN" */
	int nfields;              /* columns the kernel printed (4 on 2.4, 8 since 2.6.11, 10 since 2.6.33) */
	uint64_t t[CPU__MODES];   /* USER_HZ ticks; missing columns are 0 */
};
struct snap_stat {
	bool ok;
	struct snap_cpu all;      /* the "cpu" line */
	struct snap_cpu *cpu;     /* online CPUs, in file order */
	size_t ncpu, cpu_cap, cpu_over;
	uint64_t ctxt, forks, intr, btime;
	uint64_t procs_running, procs_blocked;
	bool have_procs;          /* procs_running/blocked printed (2.6+) */
};

/* ---- /proc/pressure/{cpu,memory,io} ---- */
enum psi_res { PSI_CPU, PSI_MEMORY, PSI_IO, PSI__RES };
struct psi_line {
	bool have;
	double avg10, avg60, avg300; /* percent, the kernel's exponentially weighted averages */
	uint64_t total;              /* microseconds stalled since boot */
};
struct snap_psi {
	bool ok;                     /* the file could be read */
	struct psi_line some, full;  /* cpu "full" exists since 5.13 (always 0 system-wide) */
};

/* ---- /proc/net/dev ---- */
struct snap_netdev {
	char name[32];
	uint64_t rx_bytes, rx_packets, rx_errs, rx_drop, rx_fifo, rx_frame, rx_compressed, rx_multicast;
	uint64_t tx_bytes, tx_packets, tx_errs, tx_drop, tx_fifo, tx_colls, tx_carrier, tx_compressed;
};

/* ---- /proc/net/softnet_stat (one row per online CPU; u32 counters in hex) ---- */
struct snap_softnet {
	int64_t cpu;          /* column 13 when printed, else the row number */
	uint32_t processed, dropped, time_squeeze;
	uint32_t received_rps;      /* column 10, since 2.6.35 */
	uint32_t flow_limit;        /* column 11, since 3.11 */
	uint32_t backlog;           /* column 12, since 5.10 (a gauge) */
};
struct snap_softnet_all {
	bool ok;
	unsigned ncols;             /* 9, 10, 11, 13, 15 or more */
	struct snap_softnet *row;
	size_t nrow, row_cap, row_over;
};

/* ---- /proc/net/snmp and /proc/net/netstat, mapped by header name ---- */
enum tcpx_field {
	/* Tcp: (snmp) */
	TX_ACTIVE_OPENS,
	TX_PASSIVE_OPENS,
	TX_ATTEMPT_FAILS,
	TX_ESTAB_RESETS,
	TX_CURR_ESTAB, /* a gauge */
	TX_IN_SEGS,
	TX_OUT_SEGS,
	TX_RETRANS_SEGS,
	TX_IN_ERRS,
	TX_OUT_RSTS,
	/* Udp: (snmp) */
	TX_UDP_RCVBUF_ERRORS,
	TX_UDP_SNDBUF_ERRORS,
	TX_UDP_IN_ERRORS,
	/* Ip: (snmp) */
	TX_IP_IN_DISCARDS,
	TX_IP_OUT_DISCARDS,
	/* TcpExt: (netstat) */
	TX_LISTEN_OVERFLOWS,
	TX_LISTEN_DROPS,
	TX_BACKLOG_DROP,
	TX_PRUNE_CALLED,
	TX_RCV_PRUNED,
	TX_OFO_PRUNED,
	TX_MEMORY_PRESSURES,
	TX_MEMORY_PRESSURES_CHRONO, /* ms */
	TX_ABORT_ON_MEMORY,
	TX_TIMEOUTS,
	TX_SYN_RETRANS,
	TX_REQQ_FULL_DROP,
	TX_REQQ_FULL_DO_COOKIES,
	TX_RCVQ_DROP,
	TX__COUNT
};
struct snap_tcpx {
	bool ok;
	uint64_t present;           /* bit (1 << field) when the kernel printed it */
	uint64_t v[TX__COUNT];
};

/* ---- /proc/net/sockstat with /proc/sys/net/ipv4/tcp_mem; conntrack ---- */
struct snap_sock {
	bool ok;
	struct sockstat ss;         /* host/net.h; mem in pages */
	bool have_tcp_mem;
	uint64_t tcp_mem[3];        /* min pressure max, pages */
	bool have_conntrack;        /* nf_conntrack loaded */
	uint64_t ct_count, ct_max;
};

/* ---- /proc/diskstats ---- */
struct snap_disk {
	unsigned major, minor;
	char name[32];
	unsigned nfields;           /* numbers after the name: 11 (<=4.17), 15 (4.18+), 17 (5.5+), or 4 (old partitions) */
	uint64_t rd_ios, rd_merges, rd_sectors;
	uint64_t wr_ios, wr_merges, wr_sectors;
	uint64_t dc_ios, dc_merges, dc_sectors;
	uint64_t fl_ios;
	/* Milliseconds. The kernel prints these as unsigned int (jiffies_to_msecs),
	 * so they wrap at 2^32: deltas are taken modulo 2^32. */
	uint32_t rd_ticks, wr_ticks, dc_ticks, fl_ticks, io_ticks, time_in_queue;
	uint32_t in_flight;         /* a gauge */
};

/* ---- nfsd ---- */
struct snap_nfsd {
	bool ok;                    /* /proc/fs/nfsd/threads readable (nfsd filesystem mounted) */
	unsigned threads;
	bool have_pool;
	struct pool_stats pool;     /* host/nfsd.h */
};

/* ---- memory bandwidth (resctrl MBM), for the compute profile ---- */
struct snap_mbm {
	bool ok;                    /* /sys/fs/resctrl/mon_data/ * /mbm_total_bytes found */
	uint64_t total_bytes;       /* sum over the monitoring domains */
};

struct snap {
	double t;                   /* seconds on CLOCK_MONOTONIC (or a fixture's /proc/uptime) */
	int64_t wall;               /* Unix seconds (a fixture's proc/.kres-wall when present) */
	unsigned seq;               /* 0, 1, 2 ... */
	bool mem_ok;
	struct meminfo mem;
	bool vm_ok;
	struct vmstat vm;
	struct snap_stat stat;
	struct snap_psi psi[PSI__RES];
	bool net_ok;
	struct snap_netdev *net;
	size_t nnet, net_cap, net_over;
	struct snap_softnet_all softnet;
	struct snap_tcpx tcpx;
	struct snap_sock sock;
	bool disk_ok;
	struct snap_disk *disk;
	size_t ndisk, disk_cap, disk_over;
	struct snap_nfsd nfsd;
	struct snap_mbm mbm;
};

#endif
