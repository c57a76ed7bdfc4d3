// SPDX-License-Identifier: MIT
/* The /metrics page of kres serve: every family of docs/metrics.md, in that order,
 * rendered from the agent's last snapshots into one buffer. node_* families copy
 * node_exporter's names, labels and types; the kres_* ones are what it does not
 * export. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "serve/metrics.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char GAUGE[] = "gauge", COUNTER[] = "counter", UNTYPED[] = "untyped";

const char *serve_collector_name(enum serve_collector c)
{
	static const char *const names[SC__COUNT] = {"sample", "check", "kmsg"};
	return (unsigned)c < SC__COUNT ? names[c] : "?";
}

/* ---- families and samples ---- */

/* A family being written. Its header goes out just before its first sample, so a
 * family none of whose series exist is left out, as node_exporter leaves out what
 * a kernel does not print. */
struct fam {
	struct buf *b;
	const char *name, *type, *help;
	bool open;
};

struct lab {
	const char *k, *v;
};

static struct fam fam(struct buf *b, const char *name, const char *type, const char *help)
{
	return (struct fam){b, name, type, help, false};
}

/* Writes the header now: for families that are always present, even empty. */
static void fam_open(struct fam *f)
{
	if (!f->open)
		prom_family(f->b, f->name, f->type, f->help);
	f->open = true;
}

/* name{k="v",...} value */
static void put(struct fam *f, const struct lab *l, size_t nl, double v)
{
	fam_open(f);
	buf_puts(f->b, f->name);
	for (size_t i = 0; i < nl; i++) {
		buf_putc(f->b, i ? ',' : '{');
		buf_puts(f->b, l[i].k);
		buf_puts(f->b, "=\"");
		prom_label_value(f->b, l[i].v);
		buf_putc(f->b, '"');
	}
	buf_puts(f->b, nl ? "} " : " ");
	prom_value(f->b, v);
	buf_putc(f->b, '\n');
}

static void put1(struct fam *f, const char *k, const char *lv, double v)
{
	put(f, &(struct lab){k, lv}, 1, v);
}

/* A family of one unlabelled sample. */
static void single(struct buf *b, const char *name, const char *type, const char *help, double v)
{
	struct fam f = fam(b, name, type, help);
	put(&f, NULL, 0, v);
}

static double kib(uint64_t kb)
{
	return (double)kb * 1024;
}

/* ---- node_memory_*, node_vmstat_* ---- */

static bool is_hugepage_count(enum mi_field f)
{
	return f >= MI_HUGEPAGES_TOTAL && f <= MI_HUGEPAGES_SURP;
}

/* node_exporter collector/meminfo_linux.go: every field in bytes with a _bytes
 * suffix, except the HugePages_* counts, which keep their name and value. */
static void render_meminfo(struct buf *b, const struct snap *s)
{
	if (!s->mem_ok)
		return;
	for (int i = 0; i < MI__COUNT; i++) {
		enum mi_field f = (enum mi_field)i;
		if (!meminfo_has(&s->mem, f))
			continue;
		bool count = is_hugepage_count(f);
		char name[80], help[80];
		snprintf(name, sizeof(name), "node_memory_%s%s", meminfo_name(f),
		         count ? "" : "_bytes");
		snprintf(help, sizeof(help), "Memory information field %s.", meminfo_name(f));
		single(b, name, GAUGE, help, count ? (double)s->mem.v[f] : kib(s->mem.v[f]));
	}
}

/* node_exporter collector/vmstat_linux.go names each field node_vmstat_<name>,
 * untyped. allocstall and workingset_refault are sums kres makes over several
 * kernel fields, so they are kres_vmstat_* instead. */
static const struct {
	enum vs_field f;
	const char *name;
} vm_fields[] = {
    {VS_PSWPIN, "pswpin"},                   /* pages swapped in */
    {VS_PSWPOUT, "pswpout"},                 /* pages swapped out */
    {VS_PGMAJFAULT, "pgmajfault"},           /* faults that read from disk */
    {VS_OOM_KILL, "oom_kill"},               /* OOM killer victims, 4.13+ */
    {VS_COMPACT_STALL, "compact_stall"},     /* direct compaction entries */
    {VS_THP_FAULT_ALLOC, "thp_fault_alloc"}, /* huge pages allocated at fault */
    {VS_PGSCAN_KSWAPD, "pgscan_kswapd"},
    {VS_PGSCAN_DIRECT, "pgscan_direct"},
    {VS_PGSTEAL_ANON, "pgsteal_anon"},
    {VS_PGSTEAL_FILE, "pgsteal_file"},
    {VS_PGSTEAL_KSWAPD, "pgsteal_kswapd"},
    {VS_PGSTEAL_DIRECT, "pgsteal_direct"},
    {VS_PGFAULT, "pgfault"},
    {VS_PAGEOUTRUN, "pageoutrun"}, /* kswapd reclaim loops */
    {VS_PGPGIN, "pgpgin"},         /* KiB read from block devices */
    {VS_PGPGOUT, "pgpgout"},
};

static void render_vmstat(struct buf *b, const struct snap *s)
{
	if (!s->vm_ok)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(vm_fields); i++) {
		if (!vmstat_has(&s->vm, vm_fields[i].f))
			continue;
		char name[64], help[80];
		snprintf(name, sizeof(name), "node_vmstat_%s", vm_fields[i].name);
		snprintf(help, sizeof(help), "/proc/vmstat information field %s.",
		         vm_fields[i].name);
		single(b, name, UNTYPED, help, (double)s->vm.v[vm_fields[i].f]);
	}
}

/* ---- node_pressure_* ---- */

static const struct {
	const char *name;
	enum psi_res res;
	bool full; /* the "full" line, else "some" */
	const char *help;
} psi_fams[] = {
    {"node_pressure_cpu_waiting_seconds_total", PSI_CPU, false,
     "Seconds in which at least one runnable task waited for a CPU (PSI cpu some total, "
     "/proc/pressure/cpu)."},
    {"node_pressure_io_waiting_seconds_total", PSI_IO, false,
     "Seconds in which at least one task was stalled on I/O (PSI io some total, "
     "/proc/pressure/io)."},
    {"node_pressure_io_stalled_seconds_total", PSI_IO, true,
     "Seconds in which all non-idle tasks were stalled on I/O at once (PSI io full total, "
     "/proc/pressure/io)."},
    {"node_pressure_memory_waiting_seconds_total", PSI_MEMORY, false,
     "Seconds in which at least one task was stalled on memory: reclaim, refaults, swap-in "
     "(PSI memory some total, /proc/pressure/memory)."},
    {"node_pressure_memory_stalled_seconds_total", PSI_MEMORY, true,
     "Seconds in which all non-idle tasks were stalled on memory at once (PSI memory full "
     "total, /proc/pressure/memory)."},
};

static void render_psi(struct buf *b, const struct snap *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(psi_fams); i++) {
		const struct snap_psi *p = &s->psi[psi_fams[i].res];
		const struct psi_line *l = psi_fams[i].full ? &p->full : &p->some;
		if (p->ok && l->have)
			single(b, psi_fams[i].name, COUNTER, psi_fams[i].help,
			       (double)l->total / 1e6);
	}
}

/* ---- /proc/stat ---- */

static const char *const cpu_mode_names[CPU__MODES] = {
    "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "user", "nice",
};

/* Modes [lo, hi) of every CPU; a mode the kernel did not print (nfields) is left out. */
static void cpu_modes(struct fam *f, const struct snap_stat *st, long clk_tck, int lo, int hi)
{
	for (size_t i = 0; i < st->ncpu; i++) {
		const struct snap_cpu *c = &st->cpu[i];
		char id[24];
		snprintf(id, sizeof(id), "%d", c->id);
		for (int m = lo; m < hi && m < c->nfields; m++)
			put(f, (const struct lab[]){{"cpu", id}, {"mode", cpu_mode_names[m]}}, 2,
			    (double)c->t[m] / (double)clk_tck);
	}
}

static void render_stat(struct buf *b, const struct snap_stat *st, long clk_tck)
{
	if (!st->ok)
		return;
	if (clk_tck <= 0)
		clk_tck = 100; /* USER_HZ on every common architecture */
	struct fam f = fam(b, "node_cpu_seconds_total", COUNTER,
	                   "Seconds each CPU spent in each mode since boot (/proc/stat; user and "
	                   "nice include guest time).");
	cpu_modes(&f, st, clk_tck, CPU_USER, CPU_GUEST);
	f = fam(b, "node_cpu_guest_seconds_total", COUNTER,
	        "Seconds each CPU spent running guests (mode user) and niced guests (mode nice) "
	        "since boot, also counted in node_cpu_seconds_total (/proc/stat).");
	cpu_modes(&f, st, clk_tck, CPU_GUEST, CPU__MODES);
	single(b, "node_context_switches_total", COUNTER,
	       "Context switches since boot (/proc/stat ctxt).", (double)st->ctxt);
	single(b, "node_forks_total", COUNTER,
	       "Processes and threads created since boot (/proc/stat processes).",
	       (double)st->forks);
	single(b, "node_intr_total", COUNTER,
	       "Interrupts serviced since boot, all sources (/proc/stat intr).", (double)st->intr);
	single(b, "node_boot_time_seconds", GAUGE, "Boot time, Unix seconds (/proc/stat btime).",
	       (double)st->btime);
	if (!st->have_procs)
		return;
	single(b, "node_procs_running", GAUGE,
	       "Tasks runnable (running or waiting for a CPU) when sampled (/proc/stat).",
	       (double)st->procs_running);
	single(b, "node_procs_blocked", GAUGE,
	       "Tasks blocked waiting for I/O to complete when sampled (/proc/stat).",
	       (double)st->procs_blocked);
}

/* ---- /proc/net/dev, softnet_stat ---- */

#define NETDEV(f) offsetof(struct snap_netdev, f)
static const struct {
	const char *name;
	size_t off; /* a uint64_t of struct snap_netdev */
	const char *help;
} net_fams[] = {
    {"node_network_receive_bytes_total", NETDEV(rx_bytes), "Bytes received by the interface"},
    {"node_network_receive_packets_total", NETDEV(rx_packets), "Packets received"},
    {"node_network_receive_errs_total", NETDEV(rx_errs), "Receive errors the driver detected"},
    {"node_network_receive_drop_total", NETDEV(rx_drop),
     "Received packets dropped (no buffer, filtered, unknown protocol)"},
    {"node_network_receive_fifo_total", NETDEV(rx_fifo), "Receive FIFO (ring buffer) overruns"},
    {"node_network_receive_frame_total", NETDEV(rx_frame),
     "Receive framing (alignment, CRC) errors"},
    {"node_network_receive_compressed_total", NETDEV(rx_compressed), "Compressed packets received"},
    {"node_network_receive_multicast_total", NETDEV(rx_multicast), "Multicast packets received"},
    {"node_network_transmit_bytes_total", NETDEV(tx_bytes), "Bytes transmitted by the interface"},
    {"node_network_transmit_packets_total", NETDEV(tx_packets), "Packets transmitted"},
    {"node_network_transmit_errs_total", NETDEV(tx_errs), "Transmit errors the driver detected"},
    {"node_network_transmit_drop_total", NETDEV(tx_drop), "Packets dropped on transmit"},
    {"node_network_transmit_fifo_total", NETDEV(tx_fifo), "Transmit FIFO underruns"},
    {"node_network_transmit_colls_total", NETDEV(tx_colls), "Collisions detected on transmit"},
    {"node_network_transmit_carrier_total", NETDEV(tx_carrier), "Carrier losses on transmit"},
    {"node_network_transmit_compressed_total", NETDEV(tx_compressed),
     "Compressed packets transmitted"},
};

static void render_netdev(struct buf *b, const struct snap *s)
{
	if (!s->net_ok)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(net_fams); i++) {
		char help[160];
		snprintf(help, sizeof(help), "%s, since the interface was created (/proc/net/dev).",
		         net_fams[i].help);
		struct fam f = fam(b, net_fams[i].name, COUNTER, help);
		for (size_t d = 0; d < s->nnet; d++) {
			const struct snap_netdev *n = &s->net[d];
			uint64_t v;
			memcpy(&v, (const char *)n + net_fams[i].off, sizeof(v));
			put1(&f, "device", n->name, (double)v);
		}
	}
}

#define SOFTNET(f) offsetof(struct snap_softnet, f)
static const struct {
	const char *name, *type;
	size_t off;     /* a uint32_t of struct snap_softnet */
	unsigned ncols; /* columns the file must have */
	const char *help;
} softnet_fams[] = {
    {"node_softnet_processed_total", COUNTER, SOFTNET(processed), 0,
     "Packets processed by this CPU's network receive softirq (/proc/net/softnet_stat "
     "column 1)."},
    {"node_softnet_dropped_total", COUNTER, SOFTNET(dropped), 0,
     "Packets this CPU dropped because its input backlog (net.core.netdev_max_backlog) was "
     "full (column 2)."},
    {"node_softnet_times_squeezed_total", COUNTER, SOFTNET(time_squeeze), 0,
     "Times this CPU's receive softirq stopped with work left because its budget "
     "(net.core.netdev_budget, netdev_budget_usecs) ran out (column 3)."},
    {"node_softnet_received_rps_total", COUNTER, SOFTNET(received_rps), 10,
     "Times this CPU was woken by an inter-processor interrupt to process packets that "
     "RPS/RFS steered to it (column 10)."},
    {"node_softnet_flow_limit_count_total", COUNTER, SOFTNET(flow_limit), 11,
     "Packets this CPU dropped by the flow limit (net.core.flow_limit_cpu_bitmap) "
     "(column 11)."},
    {"node_softnet_backlog_len", GAUGE, SOFTNET(backlog), 13,
     "Packets queued in this CPU's input and process backlogs when sampled (column 12)."},
};

static void render_softnet(struct buf *b, const struct snap_softnet_all *sn)
{
	if (!sn->ok)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(softnet_fams); i++) {
		if (sn->ncols < softnet_fams[i].ncols)
			continue;
		struct fam f =
		    fam(b, softnet_fams[i].name, softnet_fams[i].type, softnet_fams[i].help);
		for (size_t r = 0; r < sn->nrow; r++) {
			char cpu[24];
			uint32_t v;
			snprintf(cpu, sizeof(cpu), "%" PRId64, sn->row[r].cpu);
			memcpy(&v, (const char *)&sn->row[r] + softnet_fams[i].off, sizeof(v));
			put1(&f, "cpu", cpu, (double)v);
		}
	}
}

/* ---- /proc/net/snmp and netstat ---- */

/* node_exporter collector/netstat_linux.go: node_netstat_<Proto>_<Field>, untyped. */
static const struct {
	enum tcpx_field f;
	const char *proto, *field;
} netstat_fields[] = {
    {TX_ACTIVE_OPENS, "Tcp", "ActiveOpens"},
    {TX_PASSIVE_OPENS, "Tcp", "PassiveOpens"},
    {TX_ATTEMPT_FAILS, "Tcp", "AttemptFails"},
    {TX_ESTAB_RESETS, "Tcp", "EstabResets"},
    {TX_CURR_ESTAB, "Tcp", "CurrEstab"},
    {TX_IN_SEGS, "Tcp", "InSegs"},
    {TX_OUT_SEGS, "Tcp", "OutSegs"},
    {TX_RETRANS_SEGS, "Tcp", "RetransSegs"},
    {TX_IN_ERRS, "Tcp", "InErrs"},
    {TX_OUT_RSTS, "Tcp", "OutRsts"},
    {TX_UDP_RCVBUF_ERRORS, "Udp", "RcvbufErrors"},
    {TX_UDP_SNDBUF_ERRORS, "Udp", "SndbufErrors"},
    {TX_UDP_IN_ERRORS, "Udp", "InErrors"},
    {TX_IP_IN_DISCARDS, "Ip", "InDiscards"},
    {TX_IP_OUT_DISCARDS, "Ip", "OutDiscards"},
    {TX_LISTEN_OVERFLOWS, "TcpExt", "ListenOverflows"},
    {TX_LISTEN_DROPS, "TcpExt", "ListenDrops"},
    {TX_BACKLOG_DROP, "TcpExt", "TCPBacklogDrop"},
    {TX_PRUNE_CALLED, "TcpExt", "PruneCalled"},
    {TX_RCV_PRUNED, "TcpExt", "RcvPruned"},
    {TX_OFO_PRUNED, "TcpExt", "OfoPruned"},
    {TX_MEMORY_PRESSURES, "TcpExt", "TCPMemoryPressures"},
    {TX_MEMORY_PRESSURES_CHRONO, "TcpExt", "TCPMemoryPressuresChrono"},
    {TX_ABORT_ON_MEMORY, "TcpExt", "TCPAbortOnMemory"},
    {TX_TIMEOUTS, "TcpExt", "TCPTimeouts"},
    {TX_SYN_RETRANS, "TcpExt", "TCPSynRetrans"},
    {TX_REQQ_FULL_DROP, "TcpExt", "TCPReqQFullDrop"},
    {TX_REQQ_FULL_DO_COOKIES, "TcpExt", "TCPReqQFullDoCookies"},
    {TX_RCVQ_DROP, "TcpExt", "TCPRcvQDrop"},
};

static void render_netstat(struct buf *b, const struct snap_tcpx *x)
{
	if (!x->ok)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(netstat_fields); i++) {
		enum tcpx_field f = netstat_fields[i].f;
		if (!(x->present & (UINT64_C(1) << f)))
			continue;
		char name[80], help[80];
		snprintf(name, sizeof(name), "node_netstat_%s_%s", netstat_fields[i].proto,
		         netstat_fields[i].field);
		snprintf(help, sizeof(help), "Statistic %s%s.", netstat_fields[i].proto,
		         netstat_fields[i].field);
		single(b, name, UNTYPED, help, (double)x->v[f]);
	}
}

/* ---- /proc/net/sockstat, nf_conntrack ---- */

enum sock_need { NEED_NONE, NEED_TCP, NEED_UDP };
#define SOCK(f) offsetof(struct snap_sock, ss.f)
static const struct {
	const char *name;
	enum sock_need need;
	size_t off; /* a uint64_t of struct snap_sock */
	bool bytes; /* pages times the page size */
	const char *help;
} sock_fams[] = {
    {"node_sockstat_sockets_used", NEED_NONE, SOCK(sockets_used), false,
     "Sockets in use, all families and protocols (/proc/net/sockstat)."},
    {"node_sockstat_TCP_inuse", NEED_TCP, SOCK(tcp_inuse), false,
     "TCP sockets in use, listening ones included."},
    {"node_sockstat_TCP_orphan", NEED_TCP, SOCK(tcp_orphan), false,
     "TCP sockets no longer attached to a file descriptor (orphans)."},
    {"node_sockstat_TCP_tw", NEED_TCP, SOCK(tcp_tw), false, "TCP sockets in TIME_WAIT."},
    {"node_sockstat_TCP_alloc", NEED_TCP, SOCK(tcp_alloc), false, "TCP sockets allocated."},
    {"node_sockstat_TCP_mem", NEED_TCP, SOCK(tcp_mem_pages), false,
     "Pages used by TCP socket buffers (compare with net.ipv4.tcp_mem, also in pages)."},
    {"node_sockstat_TCP_mem_bytes", NEED_TCP, SOCK(tcp_mem_pages), true,
     "Bytes used by TCP socket buffers (node_sockstat_TCP_mem times the page size)."},
    {"node_sockstat_UDP_inuse", NEED_UDP, SOCK(udp_inuse), false, "UDP sockets in use."},
    {"node_sockstat_UDP_mem", NEED_UDP, SOCK(udp_mem_pages), false,
     "Pages used by UDP socket buffers (compare with net.ipv4.udp_mem)."},
    {"node_sockstat_UDP_mem_bytes", NEED_UDP, SOCK(udp_mem_pages), true,
     "Bytes used by UDP socket buffers (node_sockstat_UDP_mem times the page size)."},
};

static void render_sock(struct buf *b, const struct snap_sock *so, double page)
{
	for (size_t i = 0; so->ok && i < ARRAY_SIZE(sock_fams); i++) {
		if ((sock_fams[i].need == NEED_TCP && !so->ss.have_tcp) ||
		    (sock_fams[i].need == NEED_UDP && !so->ss.have_udp))
			continue;
		uint64_t v;
		memcpy(&v, (const char *)so + sock_fams[i].off, sizeof(v));
		single(b, sock_fams[i].name, GAUGE, sock_fams[i].help,
		       sock_fams[i].bytes ? (double)v * page : (double)v);
	}
	if (!so->have_conntrack)
		return;
	single(b, "node_nf_conntrack_entries", GAUGE,
	       "Connections in the connection tracking table (nf_conntrack_count).",
	       (double)so->ct_count);
	single(b, "node_nf_conntrack_entries_limit", GAUGE,
	       "Size of the connection tracking table (nf_conntrack_max): new connections are "
	       "dropped when it is full.",
	       (double)so->ct_max);
}

/* ---- /proc/diskstats ---- */

static bool digits_to_end(const char *s)
{
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == '\0';
}

/* Skips a run of at least one digit; NULL when there is none. */
static const char *skip_digits(const char *s)
{
	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9')
		s++;
	return s;
}

/* node_exporter's default --collector.diskstats.device-exclude, by hand:
 * ^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$ (collector/diskstats_linux.go).
 * Exactly the regex, so the series match node_exporter's: mmcblk0p1 and sdaa1 are
 * kept, dm-0 and md0 are whole devices. (disk_is_partition_or_virtual() of kres top
 * differs on purpose for its busiest-disk choice.) */
static bool disk_excluded(const char *name)
{
	static const char *const plain[] = {"ram", "zram", "loop", "fd"};
	for (size_t i = 0; i < ARRAY_SIZE(plain); i++) {
		size_t n = strlen(plain[i]);
		if (!strncmp(name, plain[i], n) && digits_to_end(name + n))
			return true;
	}
	const char *p = name;
	if (!strncmp(p, "xv", 2))
		p += 2;
	else if (*p == 'h' || *p == 's' || *p == 'v')
		p++;
	else
		p = NULL;
	if (p && p[0] == 'd' && p[1] >= 'a' && p[1] <= 'z' && digits_to_end(p + 2))
		return true;
	if (strncmp(name, "nvme", 4))
		return false;
	p = skip_digits(name + 4);
	if (!p || *p++ != 'n')
		return false;
	p = skip_digits(p);
	return p && *p == 'p' && digits_to_end(p + 1);
}

#define DISK(f) offsetof(struct snap_disk, f), sizeof(((struct snap_disk *)0)->f)
static const struct {
	const char *name, *type;
	size_t off, size; /* a uint64_t or uint32_t of struct snap_disk */
	double mul, div;  /* to base units: sectors * 512, milliseconds / 1000 */
	unsigned need;    /* fields the row must have: 11, 15 (4.18+), 17 (5.5+) */
	bool old;         /* also in the 4-field partition rows of 2.6.0 to 2.6.24 */
	const char *help;
} disk_fams[] = {
    {"node_disk_reads_completed_total", COUNTER, DISK(rd_ios), 1, 1, 11, true,
     "Reads completed successfully (/proc/diskstats field 1)."},
    {"node_disk_reads_merged_total", COUNTER, DISK(rd_merges), 1, 1, 11, false,
     "Reads merged with an adjacent one before issue (field 2)."},
    {"node_disk_read_bytes_total", COUNTER, DISK(rd_sectors), 512, 1, 11, true,
     "Bytes read (field 3: sectors of 512 bytes)."},
    {"node_disk_read_time_seconds_total", COUNTER, DISK(rd_ticks), 1, 1000, 11, false,
     "Seconds spent by all reads, summed over requests (field 4)."},
    {"node_disk_writes_completed_total", COUNTER, DISK(wr_ios), 1, 1, 11, true,
     "Writes completed successfully (field 5)."},
    {"node_disk_writes_merged_total", COUNTER, DISK(wr_merges), 1, 1, 11, false,
     "Writes merged with an adjacent one before issue (field 6)."},
    {"node_disk_written_bytes_total", COUNTER, DISK(wr_sectors), 512, 1, 11, true,
     "Bytes written (field 7: sectors of 512 bytes)."},
    {"node_disk_write_time_seconds_total", COUNTER, DISK(wr_ticks), 1, 1000, 11, false,
     "Seconds spent by all writes, summed over requests (field 8)."},
    {"node_disk_io_now", GAUGE, DISK(in_flight), 1, 1, 11, false,
     "Requests issued to the driver and not yet completed, when sampled (field 9)."},
    {"node_disk_io_time_seconds_total", COUNTER, DISK(io_ticks), 1, 1000, 11, false,
     "Seconds during which the device had at least one request in flight (field 10)."},
    {"node_disk_io_time_weighted_seconds_total", COUNTER, DISK(time_in_queue), 1, 1000, 11, false,
     "Seconds spent by requests in flight weighted by their number, the integral of the "
     "queue depth (field 11)."},
    {"node_disk_discards_completed_total", COUNTER, DISK(dc_ios), 1, 1, 15, false,
     "Discards completed successfully (field 12, 4.18+)."},
    {"node_disk_discards_merged_total", COUNTER, DISK(dc_merges), 1, 1, 15, false,
     "Discards merged with an adjacent one before issue (field 13)."},
    {"node_disk_discarded_sectors_total", COUNTER, DISK(dc_sectors), 1, 1, 15, false,
     "Sectors of 512 bytes discarded (field 14)."},
    {"node_disk_discard_time_seconds_total", COUNTER, DISK(dc_ticks), 1, 1000, 15, false,
     "Seconds spent by all discards, summed over requests (field 15)."},
    {"node_disk_flush_requests_total", COUNTER, DISK(fl_ios), 1, 1, 17, false,
     "Flush requests completed successfully (field 16, 5.5+)."},
    {"node_disk_flush_requests_time_seconds_total", COUNTER, DISK(fl_ticks), 1, 1000, 17, false,
     "Seconds spent by all flush requests (field 17)."},
};

static double disk_field(const struct snap_disk *d, size_t i)
{
	const char *p = (const char *)d + disk_fams[i].off;
	uint64_t v;
	if (disk_fams[i].size == sizeof(uint32_t)) {
		uint32_t v32;
		memcpy(&v32, p, sizeof(v32));
		v = v32;
	} else {
		memcpy(&v, p, sizeof(v));
	}
	return (double)v * disk_fams[i].mul / disk_fams[i].div;
}

static void render_disks(struct buf *b, const struct snap *s)
{
	if (!s->disk_ok)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(disk_fams); i++) {
		struct fam f = fam(b, disk_fams[i].name, disk_fams[i].type, disk_fams[i].help);
		for (size_t k = 0; k < s->ndisk; k++) {
			const struct snap_disk *d = &s->disk[k];
			bool has =
			    d->nfields == 4 ? disk_fams[i].old : d->nfields >= disk_fams[i].need;
			if (has && !disk_excluded(d->name))
				put1(&f, "device", d->name, disk_field(d, i));
		}
	}
}

static void render_node(struct buf *b, const struct serve_view *v)
{
	const struct snap *s = v->cur;
	if (!s)
		return;
	long page = sysconf(_SC_PAGESIZE);
	render_meminfo(b, s);
	render_vmstat(b, s);
	render_psi(b, s);
	render_stat(b, &s->stat, v->clk_tck);
	render_netdev(b, s);
	render_softnet(b, &s->softnet);
	render_netstat(b, &s->tcpx);
	render_sock(b, &s->sock, page > 0 ? (double)page : 4096);
	render_disks(b, s);
	if (s->nfsd.ok)
		single(b, "node_nfsd_server_threads", GAUGE,
		       "nfsd threads running (/proc/fs/nfsd/threads).", (double)s->nfsd.threads);
}

/* ---- kres_*: pressure ---- */

/* cpu "full" is always 0 system-wide (it exists for cgroups, 5.13+): not exported. */
static const struct {
	enum psi_res res;
	const char *name;
	bool full;
} psi_res_names[] = {{PSI_CPU, "cpu", false}, {PSI_MEMORY, "memory", true}, {PSI_IO, "io", true}};

/* The share of the last interval stalled, 0..1, from the two totals (rates.c's
 * psi_share() without its percent, so 20 ms of 1 s prints 0.02 exactly). Needs
 * the line in both snapshots. */
static bool psi_ratio(const struct serve_view *v, enum psi_res res, bool full, double *out)
{
	const struct rates *r = v->r;
	if (!r || !r->valid || !r->psi_ok[res] || !v->prev || !v->prev->psi[res].ok)
		return false;
	const struct snap_psi *o = &v->prev->psi[res], *c = &v->cur->psi[res];
	const struct psi_line *lo = full ? &o->full : &o->some, *lc = full ? &c->full : &c->some;
	if (!lo->have || !lc->have)
		return false;
	double x = (double)ctr_delta64(lo->total, lc->total, NULL) / (r->dt * 1e6);
	*out = x < 0 ? 0 : x > 1 ? 1 : x;
	return true;
}

static void render_kres_psi(struct buf *b, const struct serve_view *v)
{
	double x;
	struct fam f = fam(b, "kres_pressure_waiting_ratio", GAUGE,
	                   "Share of the sampler's last interval (kres_sample_interval_seconds) in "
	                   "which at least one task was stalled on the resource, 0 to 1 (PSI some, "
	                   "from the totals of /proc/pressure/*).");
	for (size_t i = 0; v->cur && i < ARRAY_SIZE(psi_res_names); i++)
		if (psi_ratio(v, psi_res_names[i].res, false, &x))
			put1(&f, "resource", psi_res_names[i].name, x);
	f = fam(b, "kres_pressure_stalled_ratio", GAUGE,
	        "Share of the sampler's last interval in which all non-idle tasks were stalled on "
	        "the resource at once, 0 to 1 (PSI full; cpu is left out: always 0 system-wide).");
	for (size_t i = 0; v->cur && i < ARRAY_SIZE(psi_res_names); i++)
		if (psi_res_names[i].full && psi_ratio(v, psi_res_names[i].res, true, &x))
			put1(&f, "resource", psi_res_names[i].name, x);
	if (v->r && v->r->valid)
		single(b, "kres_sample_interval_seconds", GAUGE,
		       "Seconds between the sampler's last two snapshots: the interval the "
		       "kres_pressure_*_ratio gauges cover.",
		       v->r->dt);
}

static void render_kres_vm(struct buf *b, const struct snap *s)
{
	if (!s || !s->vm_ok)
		return;
	if (vmstat_has(&s->vm, VS_ALLOCSTALL))
		single(b, "kres_vmstat_allocstall_total", COUNTER,
		       "Times a task entered direct reclaim because an allocation found too little "
		       "free memory (/proc/vmstat allocstall, summed over zones).",
		       (double)s->vm.v[VS_ALLOCSTALL]);
	if (vmstat_has(&s->vm, VS_WORKINGSET_REFAULT))
		single(
		    b, "kres_vmstat_workingset_refault_total", COUNTER,
		    "Pages faulted back in soon after reclaim evicted them: the working set does "
		    "not fit (/proc/vmstat workingset_refault, anon + file on 5.9+).",
		    (double)s->vm.v[VS_WORKINGSET_REFAULT]);
}

static void render_grades(struct buf *b, const struct pressure *p)
{
	if (!p)
		return;
	struct fam f = fam(b, "kres_memory_pressure_grade", GAUGE,
	                   "Memory pressure graded for the workload profile, as kres top shows it: "
	                   "0 ok, 1 watch, 2 high, 3 crit.");
	put1(&f, "profile", profile_name(p->prof), (double)p->grade);
	f = fam(
	    b, "kres_pressure_grade", GAUGE,
	    "Pressure graded per resource, as kres top shows it: 0 ok, 1 watch, 2 high, 3 crit.");
	for (int r = 0; r < RES__COUNT; r++)
		put1(&f, "resource", resource_name((enum resource)r), (double)p->sig[r].grade);
}

/* ---- kres_process_* ---- */

enum proc_val { PV_ANON, PV_SWAP, PV_LEAKING, PV_SLOPE, PV_TTE };

/* The value of one process for a family; false when it has none. */
static bool proc_value(const struct proc_slot *s, enum proc_val which, double *x)
{
	switch (which) {
	case PV_ANON:
		*x = kib(s->anon_kb);
		return true;
	case PV_SWAP:
		*x = kib(s->swap_kb);
		return true;
	case PV_LEAKING:
		*x = s->est.leaking ? 1 : 0;
		return true;
	case PV_SLOPE:
		*x = s->est.slope * 1024;
		return s->est.full;
	case PV_TTE:
		*x = s->tte;
		return s->est.leaking && s->tte >= 0;
	}
	return false;
}

static void proc_fam(struct buf *b, const struct procs *ps, const char *name, const char *help,
                     enum proc_val which)
{
	struct fam f = fam(b, name, GAUGE, help);
	for (size_t i = 0; i < ps->norder; i++) {
		const struct proc_slot *s = &ps->slot[ps->order[i]];
		char pid[16];
		double x;
		if (!proc_value(s, which, &x))
			continue;
		snprintf(pid, sizeof(pid), "%" PRId32, s->pid);
		put(&f, (const struct lab[]){{"pid", pid}, {"comm", s->comm}}, 2, x);
	}
}

static void render_procs(struct buf *b, const struct serve_view *v)
{
	const struct procs *ps = v->procs;
	if (!ps)
		return;
	char win[48] = "the leak window";
	if (v->leak)
		snprintf(win, sizeof(win), "the leak window (%g s)", v->leak->window);
	char h_leak[256], h_slope[256];
	snprintf(h_leak, sizeof(h_leak),
	         "1 when the process's anonymous memory (RssAnon + VmSwap) grew steadily over %s "
	         "without levelling off, else 0.",
	         win);
	snprintf(h_slope, sizeof(h_slope),
	         "Growth of the process's anonymous memory (RssAnon + VmSwap) in bytes per second: "
	         "the Theil-Sen slope over %s, once its history spans the window.",
	         win);
	proc_fam(
	    b, ps, "kres_process_anon_bytes",
	    "Resident anonymous memory (RssAnon) of the processes kres follows: the largest by "
	    "RssAnon + VmSwap, and every leaking one.",
	    PV_ANON);
	proc_fam(b, ps, "kres_process_swap_bytes",
	         "Swapped-out memory (VmSwap) of the same processes.", PV_SWAP);
	proc_fam(b, ps, "kres_process_leaking", h_leak, PV_LEAKING);
	proc_fam(b, ps, "kres_process_leak_slope_bytes_per_second", h_slope, PV_SLOPE);
	proc_fam(b, ps, "kres_process_leak_exhaustion_seconds",
	         "Seconds until a leaking process exhausts MemAvailable, or its cgroup's memory "
	         "limit when that is nearer, at its current slope.",
	         PV_TTE);
	single(b, "kres_processes_untracked", GAUGE,
	       "Processes seen in the last interval that did not fit in kres's process table.",
	       (double)ps->untracked);
}

/* ---- kres_*: kernel log, check, collectors, the agent itself ---- */

static void render_klog(struct buf *b, const struct serve_view *v)
{
	struct fam f = fam(b, "kres_kernel_events_total", COUNTER,
	                   "Kernel log events matched since kres serve started, by category and "
	                   "signature of the catalog (kres log --list).");
	fam_open(&f);
	for (size_t i = 0; i < v->nev; i++)
		put(&f,
		    (const struct lab[]){{"category", v->ev[i].category},
		                         {"signature", v->ev[i].signature}},
		    2, (double)v->ev[i].n);
	single(b, "kres_kernel_log_lost_records_total", COUNTER,
	       "Kernel log records lost before kres read them (kmsg sequence gaps: the ring buffer "
	       "overwrote them).",
	       (double)v->klog_lost);
	single(
	    b, "kres_kernel_log_suppressed_total", COUNTER,
	    "Kernel log messages the kernel's rate limits suppressed (\"callbacks suppressed\").",
	    (double)v->klog_suppressed);
}

static bool same_failure(const struct serve_failure *a, const struct serve_failure *b)
{
	return !strcmp(a->id, b->id) && !strcmp(a->severity, b->severity) &&
	       !strcmp(a->subject, b->subject);
}

/* One series per distinct (id, severity, subject): a rule that fails twice for one
 * subject would otherwise give a duplicate series, which Prometheus drops. The
 * counts by severity count the same series, so they equal sum by (severity). */
static void render_check(struct buf *b, const struct serve_view *v)
{
	static const char *const sevs[] = {"critical", "high", "medium", "low", "info"};
	size_t count[ARRAY_SIZE(sevs)] = {0};
	if (!v->check_ran)
		return;
	struct fam f = fam(b, "kres_check_finding", GAUGE,
	                   "1 for each failing finding of the last kres check run.");
	for (size_t i = 0; i < v->nfail; i++) {
		const struct serve_failure *x = &v->fail[i];
		bool dup = false;
		for (size_t k = 0; k < i && !dup; k++)
			dup = same_failure(&v->fail[k], x);
		if (dup)
			continue;
		put(&f,
		    (const struct lab[]){
		        {"id", x->id}, {"severity", x->severity}, {"subject", x->subject}},
		    3, 1);
		for (size_t s = 0; s < ARRAY_SIZE(sevs); s++)
			count[s] += !strcmp(x->severity, sevs[s]);
	}
	f = fam(b, "kres_check_failures", GAUGE,
	        "Failing findings of the last kres check run, by severity.");
	for (size_t s = 0; s < ARRAY_SIZE(sevs); s++)
		put1(&f, "severity", sevs[s], (double)count[s]);
}

enum col_val { CV_DURATION, CV_SUCCESS, CV_LAST_RUN, CV_ERRORS };

static const struct {
	const char *name, *type;
	enum col_val which;
	const char *help;
} col_fams[] = {
    {"kres_collector_duration_seconds", GAUGE, CV_DURATION,
     "Seconds the collector's last run took."},
    {"kres_collector_success", GAUGE, CV_SUCCESS,
     "1 when the collector's last run read everything it needs, else 0."},
    {"kres_collector_last_run_timestamp_seconds", GAUGE, CV_LAST_RUN,
     "Unix time at which the collector's last run ended."},
    {"kres_collector_errors_total", COUNTER, CV_ERRORS,
     "Collector runs that failed since kres serve started (kmsg: records lost)."},
};

static double col_value(const struct serve_colstat *c, enum col_val which)
{
	switch (which) {
	case CV_DURATION:
		return c->duration;
	case CV_SUCCESS:
		return c->success ? 1 : 0;
	case CV_LAST_RUN:
		return c->last_run;
	case CV_ERRORS:
		return (double)c->errors;
	}
	return 0;
}

static void render_collectors(struct buf *b, const struct serve_view *v)
{
	for (size_t i = 0; i < ARRAY_SIZE(col_fams); i++) {
		struct fam f = fam(b, col_fams[i].name, col_fams[i].type, col_fams[i].help);
		for (int c = 0; c < SC__COUNT; c++)
			if (v->col[c].ran)
				put1(&f, "collector", serve_collector_name((enum serve_collector)c),
				     col_value(&v->col[c], col_fams[i].which));
	}
	struct fam f = fam(b, "kres_sample_file_error", GAUGE,
	                   "1 for each file the sampler could not parse in its last sample; files "
	                   "read cleanly or absent (an older kernel) have no series.");
	fam_open(&f);
	for (size_t i = 0; v->file_err && v->file_name && i < v->nfile; i++)
		if (v->file_err[i] && v->file_err[i][0])
			put1(&f, "file", v->file_name[i], 1);
}

static void render_self(struct buf *b, const struct serve_self *s)
{
	single(b, "kres_sampler_buffer_grows_total", COUNTER,
	       "Times the sampler grew a file buffer because a file outgrew it (an allocation; "
	       "none in the steady state).",
	       (double)s->sampler_grows);
	struct fam f = fam(b, "kres_http_responses_total", COUNTER,
	                   "HTTP responses sent since kres serve started, by status code.");
	fam_open(&f);
	for (size_t i = 0; i < s->nhttp && i < ARRAY_SIZE(s->http); i++) {
		char code[16];
		snprintf(code, sizeof(code), "%d", s->http[i].code);
		put1(&f, "code", code, (double)s->http[i].n);
	}
	single(b, "kres_http_rejected_connections_total", COUNTER,
	       "Connections closed without a response because a limit was reached (connection "
	       "count, header deadline).",
	       (double)s->http_rejected);
	single(b, "kres_metrics_render_seconds", GAUGE,
	       "Seconds the previous /metrics page took to render.", s->last_render);
	/* The Prometheus client libraries' process collector, its names and help. */
	single(b, "process_cpu_seconds_total", COUNTER,
	       "Total user and system CPU time spent in seconds.", s->cpu_seconds);
	single(b, "process_resident_memory_bytes", GAUGE, "Resident memory size in bytes.",
	       (double)s->rss_bytes);
	single(b, "process_virtual_memory_bytes", GAUGE, "Virtual memory size in bytes.",
	       (double)s->vsize_bytes);
	single(b, "process_open_fds", GAUGE, "Number of open file descriptors.",
	       (double)s->open_fds);
	single(b, "process_max_fds", GAUGE, "Maximum number of open file descriptors.",
	       (double)s->max_fds);
	single(b, "process_start_time_seconds", GAUGE,
	       "Start time of the process since unix epoch in seconds.", s->start_time);
}

void serve_metrics_render(struct buf *b, const struct serve_view *v)
{
	render_node(b, v);
	struct fam f =
	    fam(b, "kres_build_info", GAUGE, "The kres version running; the value is 1.");
	put1(&f, "version", v->version ? v->version : "", 1);
	render_kres_psi(b, v);
	render_kres_vm(b, v->cur);
	render_grades(b, v->p);
	render_procs(b, v);
	render_klog(b, v);
	render_check(b, v);
	render_collectors(b, v);
	render_self(b, &v->self);
}
