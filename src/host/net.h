/* SPDX-License-Identifier: MIT */
/* The network state a server depends on: socket and TCP memory counters
 * (/proc/net/sockstat, tcp_mem), the TCP tables and how many ephemeral ports each
 * destination uses, the per-CPU receive backlog (softnet_stat), conntrack fill, the
 * sockets of one process, and the queues and rings of each NIC. The parsers are pure
 * functions over a file's bytes; the readers go through a struct rootfs. One concept
 * per file behind this header: net.c (counters and netstate_read), net_tcp.c (TCP
 * tables, ports, process sockets) and net_nic.c (NICs and ethtool). */
#ifndef KRES_NET_H
#define KRES_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "host/src.h"
#include "util/rootfs.h"
#include "util/text.h"

/* /proc/net/sockstat, printed by net/ipv4/proc.c sockstat_seq_show() and
 * net/socket.c socket_seq_show(). The mem values are pages, the unit of tcp_mem. */
struct sockstat {
	uint64_t sockets_used; /* "sockets: used N" */
	bool have_tcp;         /* the "TCP:" line was there */
	uint64_t tcp_inuse, tcp_orphan, tcp_tw, tcp_alloc, tcp_mem_pages;
	bool have_udp;
	uint64_t udp_inuse, udp_mem_pages;
};

/* Parses /proc/net/sockstat. Lines are "PROTO: name value name value ..."; names
 * kres does not use and protocols it does not know are skipped, so a newer kernel's
 * extra pairs are harmless. A value the kernel printed as a negative int (a transient
 * per-CPU sum on old kernels) reads as 0. The "sockets:" line is required. Returns 0
 * or -EINVAL with *err. */
int sockstat_parse(const char *buf, size_t len, struct sockstat *s, struct perr *err);

/* A sysctl holding exactly three numbers on one line, such as
 * /proc/sys/net/ipv4/tcp_mem ("min pressure max", pages; proc_doulongvec_minmax).
 * Returns 0 or -EINVAL/-ERANGE with *err. */
int sysctl_triple_parse(const char *buf, size_t len, uint64_t v[3], struct perr *err);

/* /proc/sys/net/ipv4/ip_local_port_range: "lo\thi" (net/ipv4/sysctl_net_ipv4.c
 * ipv4_local_port_range, which refuses lo > hi and ports above 65535, so this parser
 * does too). Returns 0 or -EINVAL/-ERANGE with *err. */
int port_range_parse(const char *buf, size_t len, uint64_t *lo, uint64_t *hi, struct perr *err);

/* TCP states as the kernel numbers them (include/net/tcp_states.h). */
enum tcp_state {
	TCPS_ESTABLISHED = 1,
	TCPS_SYN_SENT,
	TCPS_SYN_RECV,
	TCPS_FIN_WAIT1,
	TCPS_FIN_WAIT2,
	TCPS_TIME_WAIT,
	TCPS_CLOSE,
	TCPS_CLOSE_WAIT,
	TCPS_LAST_ACK,
	TCPS_LISTEN,
	TCPS_CLOSING,
	TCPS_NEW_SYN_RECV,
};

/* One row of /proc/net/tcp or /proc/net/tcp6. */
struct tcp_row {
	bool v6;
	uint8_t laddr[16], raddr[16]; /* network byte order; IPv4 fills the first 4 bytes */
	uint16_t lport, rport;
	uint8_t state; /* enum tcp_state; a TIME_WAIT row may say FIN_WAIT2 (tw_substate) */
	uint32_t uid;
	uint64_t inode; /* 0 for TIME_WAIT and SYN_RECV rows, which have no socket */
	unsigned line;  /* where the row is in its file */
};

/* Called for each row; a non-zero return stops the parse and is returned. */
typedef int (*tcp_row_fn)(const struct tcp_row *row, void *ctx);

/* Parses /proc/net/tcp (v6 false: net/ipv4/tcp_ipv4.c get_tcp4_sock,
 * get_timewait4_sock, get_openreq4) or /proc/net/tcp6 (v6 true: net/ipv6/tcp_ipv6.c
 * get_tcp6_sock and friends). The first line must be the "sl local_address ..."
 * header. Addresses are the kernel's __be32 words printed with %08X, that is in the
 * byte order of the machine that printed them; kres reads them in its own, so a table
 * from a machine of the other endianness shows byte-swapped addresses (ports are
 * host-order integers and are always right). fn may be NULL to only check the table.
 * Rows before a bad line have already been handed to fn when the error is found. A
 * last line without its newline is an error like any malformed row: the kernel ends
 * every row with one, so it means a cut copy. Returns 0, fn's value, or -EINVAL with
 * *err naming the line. */
int tcp_table_parse(const char *buf, size_t len, bool v6, tcp_row_fn fn, void *ctx,
                    struct perr *err);

/* Writes "10.0.0.5:6379" or "[2001:db8::5]:5432" into out. */
void tcp_endpoint_format(const uint8_t addr[16], bool v6, uint16_t port, char *out, size_t n);

/* Ephemeral port use, from both TCP tables. A socket "in range" is a non-LISTEN one
 * whose local port is in [lo, hi] and is not a port something listens on: the
 * connections a listener accepted share its port and took no ephemeral port. Bound but
 * unconnected sockets (remote port 0) count in sockets_in_range but have no
 * destination. */
struct eph_usage {
	uint64_t lo, hi;           /* ip_local_port_range; both 0 when it is unknown */
	uint64_t range;            /* hi - lo + 1, or 0 */
	uint64_t max_tuple;        /* most in-range sockets one (local address, remote address,
	                            * remote port) holds: the ports one source uses toward one
	                            * destination, which the kernel keeps at most range */
	char max_dst[64];          /* that destination, "10.0.0.5:6379"; "" when none */
	uint64_t sockets_in_range; /* in-range sockets of all destinations */
	uint64_t listen, established, time_wait; /* rows in those states */
	uint64_t rows;                           /* rows of both tables */
};

/* The aggregator over the TCP tables: per-destination counts of sockets in the
 * ephemeral range (a hash table, linear in the rows) and the sockets by inode, so
 * that a process's sockets can be matched to their rows. IPv4-mapped IPv6 endpoints
 * (::ffff:a.b.c.d, a dual-stack socket talking IPv4) count as the IPv4 endpoint,
 * since they take ports from the same space. */
struct tcp_agg;

/* A new, empty aggregator for the port range [lo, hi] (lo = hi = 0: unknown, no
 * socket is in range). Free with tcp_agg_free(). */
struct tcp_agg *tcp_agg_new(uint64_t lo, uint64_t hi);
/* Adds one table's text. All or nothing: a table with a bad row adds no row. Its
 * listeners are found first, so the order of rows does not matter within a table; a
 * listener that only a later table shows frees its port from sockets_in_range but not
 * from the destinations already counted (accepted sockets are in their listener's
 * table, so the kernel's tables never need that). Returns 0 or -EINVAL with *err. */
int tcp_agg_add(struct tcp_agg *a, const char *buf, size_t len, bool v6, struct perr *err);
/* The totals of what was added. Ties for max_tuple go to the smaller endpoint, so
 * the answer does not depend on row order. */
void tcp_agg_usage(const struct tcp_agg *a, struct eph_usage *u);

/* The row of a socket inode. */
struct tcp_sock_ref {
	uint8_t state;
	bool v6;
	uint16_t lport;
	bool in_range; /* local port in [lo, hi] and not LISTEN */
};
/* Looks inode up; false when no row has it (not TCP, or closed meanwhile). */
bool tcp_agg_inode(const struct tcp_agg *a, uint64_t inode, struct tcp_sock_ref *ref);

/* What a process's sockets are, given their inodes (from proc_socket_inodes). */
struct tcp_proc_socks {
	uint64_t sockets; /* inodes given */
	uint64_t tcp;     /* of them, found in a TCP table */
	uint64_t listen, established, in_range;
};
void tcp_agg_match(const struct tcp_agg *a, const uint64_t *inodes, size_t n,
                   struct tcp_proc_socks *out);
void tcp_agg_free(struct tcp_agg *a);
/* Adds rows from any source (sock_diag): all listeners are marked first, so that
 * accepted connections are known whatever the order. */
void tcp_agg_add_rows(struct tcp_agg *a, const struct tcp_row *rows, size_t n);
/* The live host's TCP sockets (IPv4, then IPv6 when the kernel has it) through one
 * NETLINK_SOCK_DIAG dump each, as ss(8) reads them; *rows is owned by the caller.
 * Returns 0 or -errno (no netlink, a seccomp filter): the caller then reads /proc. */
int tcp_diag_dump(struct tcp_row **rows, size_t *n, bool *have_v6);

/* The inode of a /proc/PID/fd link target "socket:[12345]" (fs/proc and
 * net/socket.c sockfs_dname). Returns 0, or -EINVAL when the target is anything else. */
int socket_link_inode(const char *target, uint64_t *inode);

/* Counts the sockets process pid has open: readlink of each /proc/PID/fd/N, one
 * syscall per descriptor. With inodes non-NULL, *inodes receives them (owned by the
 * caller, free(); NULL when there are none). Descriptors closed during the walk are
 * skipped. Returns the count, or -errno when /proc/PID/fd cannot be listed (-ENOENT:
 * gone; -EACCES: another user's process without privilege). */
ssize_t proc_socket_inodes(const struct rootfs *r, int64_t pid, uint64_t **inodes);

/* /proc/net/softnet_stat: one row per online CPU, every value "%08x" of a u32 (wraps
 * at 2^32: compare samples modulo 2^32). Columns by kernel (net/core/dev.c
 * softnet_seq_show, net/core/net-procfs.c since 3.x):
 *    9  up to 2.6.34: processed dropped time_squeeze 0 0 0 0 0 cpu_collision
 *   10  2.6.35 (RPS) to 3.10, RHEL 6 and 7: + received_rps
 *   11  3.11 (commit 99bbc70741, flow limit) to 5.9: + flow_limit_count
 *   13  5.10 (commit 7d58e6555870; RHEL 8.5 4.18.0-348): + backlog length, CPU id;
 *       cpu_collision is printed as 0 from here on
 *   15  6.4 (commit 59da2d7b0e99): + input_qlen, process_qlen
 * Only the first three columns and the CPU id are kept; any width from 9 up is read
 * the same way, and every row must have the width of the first. */
struct softnet_cpu {
	int64_t cpu; /* column 13 when there is one; else the row number, which is not
	              * the CPU id when CPUs are offline */
	uint32_t processed, dropped, time_squeeze;
};
struct softnet {
	size_t ncpu;                               /* rows */
	unsigned ncols;                            /* columns per row */
	bool have_cpu_index;                       /* ncols >= 13 */
	uint64_t processed, dropped, time_squeeze; /* sums over the rows */
	struct softnet_cpu *cpu;                   /* owned, ncpu rows; softnet_release() */
};
/* Returns 0 or -EINVAL with *err (sn is then empty). */
int softnet_parse(const char *buf, size_t len, struct softnet *sn, struct perr *err);
void softnet_release(struct softnet *sn);

/* A NIC: an interface of /sys/class/net with a "device" link (physical, SR-IOV or
 * virtio). lo, bridges, bonds, VLANs, veth, ifb and tunnels have none and are skipped. */
#define NIC_NOT_ASKED (-1) /* channels_err etc. under a fixture root: no ioctl was made */
struct nic {
	char name[32];
	char driver[32];    /* basename of device/driver ("virtio_net", "ena"), "" unknown */
	unsigned rxq, txq;  /* rx-* and tx-* directories under queues/ */
	int64_t speed_mbps; /* the speed file; -1 when unknown (virtio, link down) */
	char operstate[16]; /* "up", "down", "unknown", ...; "" when unreadable */
	/* ethtool ioctls (SIOCETHTOOL), made only on the live root */
	bool have_channels; /* ETHTOOL_GCHANNELS */
	struct {
		uint32_t max_combined, combined, max_rx, rx, max_tx, tx;
	} ch;
	bool have_ring; /* ETHTOOL_GRINGPARAM */
	struct {
		uint32_t rx_max, rx, tx_max, tx;
	} ring;
	bool have_drvinfo; /* ETHTOOL_GDRVINFO */
	char ethtool_driver[32], bus_info[32];
	/* 0 when the answer is there; else the errno of the ioctl (EOPNOTSUPP: the
	 * driver does not implement it, which is not an error), or NIC_NOT_ASKED */
	int channels_err, ring_err, drvinfo_err;
};

/* Reads the NICs under the root, sorted by name, into *out (owned by the caller,
 * free()). Returns 0, or -errno when /sys/class/net cannot be listed (*out NULL). */
int nics_read(const struct rootfs *r, struct nic **out, size_t *n);

/* Everything above for one host, each input with its own state. Missing files are
 * SRC_UNAVAILABLE (no IPv6, conntrack module not loaded), malformed ones SRC_ERROR
 * with "'<path>' line N: <why>". */
struct netstate {
	struct src sockstat_src; /* /proc/net/sockstat */
	struct sockstat ss;
	struct src tcp_mem_src;    /* /proc/sys/net/ipv4/tcp_mem */
	uint64_t tcp_mem[3];       /* min pressure max, pages */
	struct src port_range_src; /* /proc/sys/net/ipv4/ip_local_port_range */
	uint64_t port_lo, port_hi;
	struct src tcp_src, tcp6_src; /* /proc/net/tcp, /proc/net/tcp6 */
	struct eph_usage eph;         /* over the tables that were read; lo = hi = 0 when the
	                               * port range is unknown */
	bool tcp_diag;          /* the live tables came from sock_diag, not /proc */
	struct tcp_agg *tcp;    /* owned: sockets by inode; NULL when neither table was read */
	struct src softnet_src; /* /proc/net/softnet_stat */
	struct softnet sn;
	/* single-number sysctls */
	struct src ct_count_src, ct_max_src; /* /proc/sys/net/netfilter/nf_conntrack_{count,max} */
	uint64_t ct_count, ct_max;
	struct src backlog_src; /* net.core.netdev_max_backlog */
	uint64_t netdev_max_backlog;
	struct src budget_src; /* net.core.netdev_budget */
	uint64_t netdev_budget;
	struct src orphans_src; /* net.ipv4.tcp_max_orphans */
	uint64_t tcp_max_orphans;
	struct src nics_src; /* /sys/class/net */
	struct nic *nics;    /* owned */
	size_t nnics;
};

/* Reads everything; never fails as a whole. Release with netstate_release(). */
void netstate_read(const struct rootfs *r, struct netstate *ns);
void netstate_release(struct netstate *ns);

#endif
