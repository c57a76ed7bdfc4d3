// SPDX-License-Identifier: MIT
/* The network parsers of kres top: /proc/net/dev, /proc/net/softnet_stat and the
 * name/value line pairs of /proc/net/snmp and /proc/net/netstat. They fill arrays
 * the sampler allocated once and never allocate themselves. */
#include "sample/parse.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* ---- /proc/net/dev ---- */

/* net/core/net-procfs.c dev_seq_printf_stats() prints "%6s: %7llu ..."; older
 * kernels printed "%6s:%8lu ...", where a wide counter touches the colon. The 16
 * numbers in struct snap_netdev order. */
#define NETDEV_NUMBERS 16

static const size_t netdev_off[NETDEV_NUMBERS] = {
    offsetof(struct snap_netdev, rx_bytes),      offsetof(struct snap_netdev, rx_packets),
    offsetof(struct snap_netdev, rx_errs),       offsetof(struct snap_netdev, rx_drop),
    offsetof(struct snap_netdev, rx_fifo),       offsetof(struct snap_netdev, rx_frame),
    offsetof(struct snap_netdev, rx_compressed), offsetof(struct snap_netdev, rx_multicast),
    offsetof(struct snap_netdev, tx_bytes),      offsetof(struct snap_netdev, tx_packets),
    offsetof(struct snap_netdev, tx_errs),       offsetof(struct snap_netdev, tx_drop),
    offsetof(struct snap_netdev, tx_fifo),       offsetof(struct snap_netdev, tx_colls),
    offsetof(struct snap_netdev, tx_carrier),    offsetof(struct snap_netdev, tx_compressed),
};

/* Parses one device row into d (which may be a scratch row when over capacity). */
static int netdev_row(struct span line, unsigned lineno, struct snap_netdev *d, struct perr *err)
{
	/* dev_valid_name() (net/core/dev.c) refuses ':' in names and the numbers have
	 * none, so the last ':' of the line ends the name. */
	const char *colon = NULL;
	for (size_t i = line.n; i > 0; i--)
		if (line.p[i - 1] == ':') {
			colon = line.p + i - 1;
			break;
		}
	if (!colon) {
		perr_set(err, lineno, "expected 'name:' before the numbers");
		return -EINVAL;
	}
	struct span name = span_trim((struct span){line.p, (size_t)(colon - line.p)});
	struct span rest = name, tok;
	if (!span_next_tok(&rest, &tok) || tok.n != name.n) {
		perr_set(err, lineno, "expected one interface name before ':'");
		return -EINVAL;
	}
	/* dev_valid_name() allows any byte but '/', ':' and spaces, but a NUL would cut
	 * the name short and make it another interface's. */
	if (memchr(name.p, '\0', name.n)) {
		perr_set(err, lineno, "interface name contains a NUL byte");
		return -EINVAL;
	}
	/* IFNAMSIZ is 16, so a longer name is not an interface. */
	if (!span_copy(name, d->name, sizeof(d->name))) {
		perr_set(err, lineno, "interface name longer than %zu bytes", sizeof(d->name) - 1);
		return -EINVAL;
	}
	rest = (struct span){colon + 1, line.n - (size_t)(colon + 1 - line.p)};
	size_t k = 0;
	while (span_next_tok(&rest, &tok)) {
		uint64_t v;
		if (k == NETDEV_NUMBERS) {
			perr_set(err, lineno, "more than %d numbers after '%s:'", NETDEV_NUMBERS,
			         d->name);
			return -EINVAL;
		}
		if (parse_u64(tok, &v)) {
			perr_set(err, lineno, "column %zu of '%s' is not a number", k + 1, d->name);
			return -EINVAL;
		}
		*(uint64_t *)(void *)((char *)d + netdev_off[k++]) = v;
	}
	if (k != NETDEV_NUMBERS) {
		perr_set(err, lineno, "expected %d numbers after '%s:', found %zu", NETDEV_NUMBERS,
		         d->name, k);
		return -EINVAL;
	}
	return 0;
}

int netdev_parse(const char *buf, size_t len, struct snap_netdev *dev, size_t cap, size_t *n,
                 size_t *over, struct perr *err)
{
	struct lineiter it;
	struct span line;
	*n = 0;
	*over = 0;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		if (it.lineno <= 2) {
			/* "Inter-|   Receive ...|  Transmit" and " face |bytes ...". */
			if (!memchr(line.p, '|', line.n)) {
				perr_set(err, it.lineno, "expected a header line with '|'");
				goto fail;
			}
			continue;
		}
		struct snap_netdev scratch;
		struct snap_netdev *d = *n < cap ? &dev[*n] : &scratch;
		memset(d, 0, sizeof(*d));
		if (netdev_row(line, it.lineno, d, err))
			goto fail;
		if (d == &scratch)
			(*over)++;
		else
			(*n)++;
	}
	if (it.lineno < 2) {
		perr_set(err, 0, "expected the two header lines of /proc/net/dev");
		goto fail;
	}
	return 0;
fail:
	*n = 0;
	*over = 0;
	return -EINVAL;
}

/* ---- /proc/net/softnet_stat ---- */

/* A %08x value: 1 to 8 hex digits (the kernel pads to 8). */
static int parse_hex32(struct span s, uint32_t *out)
{
	if (s.n == 0 || s.n > 8)
		return -EINVAL;
	uint32_t v = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* Columns (0-based) of net/core/net-procfs.c softnet_seq_show(); the eras are in
 * host/net.h. Column 12 (backlog) and 13 (CPU id) came together in 5.10. */
enum {
	SNC_PROCESSED,
	SNC_DROPPED,
	SNC_SQUEEZE,
	SNC_RPS = 9,      /* 2.6.35 */
	SNC_FLOW = 10,    /* 3.11 */
	SNC_BACKLOG = 11, /* 5.10 */
	SNC_CPU = 12,     /* 5.10 */
	SNC_KEEP = 13,    /* columns stored; the rest are only checked */
	SNC_MIN = 9,
};

static int softnet_row(struct span line, unsigned lineno, struct snap_softnet_all *sn, size_t rowno,
                       struct perr *err)
{
	uint32_t v[SNC_KEEP] = {0};
	struct span rest = line, tok;
	size_t k = 0;
	while (span_next_tok(&rest, &tok)) {
		uint32_t x;
		if (parse_hex32(tok, &x)) {
			perr_set(err, lineno, "column %zu is not a 32-bit hex number", k + 1);
			return -EINVAL;
		}
		if (k < SNC_KEEP)
			v[k] = x;
		k++;
	}
	if (k < SNC_MIN) {
		perr_set(err, lineno, "expected at least %d columns, found %zu", SNC_MIN, k);
		return -EINVAL;
	}
	if (rowno == 0) {
		sn->ncols = k > UINT32_MAX ? UINT32_MAX : (unsigned)k;
	} else if (k != sn->ncols) {
		/* Every row comes from the same seq_printf format. */
		perr_set(err, lineno, "expected %u columns as on line 1, found %zu", sn->ncols, k);
		return -EINVAL;
	}
	if (sn->nrow == sn->row_cap) {
		sn->row_over++;
		return 0;
	}
	sn->row[sn->nrow++] = (struct snap_softnet){
	    /* Without column 13 the row number is not the CPU id once a CPU is offline. */
	    .cpu = k > SNC_CPU ? (int64_t)v[SNC_CPU] : (int64_t)rowno,
	    .processed = v[SNC_PROCESSED],
	    .dropped = v[SNC_DROPPED],
	    .time_squeeze = v[SNC_SQUEEZE],
	    .received_rps = v[SNC_RPS],
	    .flow_limit = v[SNC_FLOW],
	    .backlog = k > SNC_CPU ? v[SNC_BACKLOG] : 0,
	};
	return 0;
}

int softnet_rows_parse(const char *buf, size_t len, struct snap_softnet_all *sn, struct perr *err)
{
	struct lineiter it;
	struct span line;
	size_t rows = 0;
	sn->ok = false;
	sn->ncols = 0;
	sn->nrow = 0;
	sn->row_over = 0;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		if (softnet_row(line, it.lineno, sn, rows, err))
			goto fail;
		rows++;
	}
	if (rows == 0) {
		perr_set(err, 0, "no rows (every system has a CPU online)");
		goto fail;
	}
	sn->ok = true;
	return 0;
fail:
	sn->ncols = 0;
	sn->nrow = 0;
	sn->row_over = 0;
	return -EINVAL;
}

/* ---- /proc/net/snmp and /proc/net/netstat ---- */

/* The fields kres reads, by section and name as net/ipv4/proc.c prints them
 * (snmp4_ipstats_list, snmp4_tcp_list, snmp4_udp_list, snmp4_net_list). The list
 * grew over the years: 2.6.32 (RHEL 6) has no TCPSynRetrans, TCPReqQFull*,
 * TCPMemoryPressuresChrono or TCPRcvQDrop, which present then leaves out. */
static const struct {
	const char *prefix; /* without the ':' */
	const char *name;
} tx_names[TX__COUNT] = {
    [TX_ACTIVE_OPENS] = {"Tcp", "ActiveOpens"},
    [TX_PASSIVE_OPENS] = {"Tcp", "PassiveOpens"},
    [TX_ATTEMPT_FAILS] = {"Tcp", "AttemptFails"},
    [TX_ESTAB_RESETS] = {"Tcp", "EstabResets"},
    [TX_CURR_ESTAB] = {"Tcp", "CurrEstab"},
    [TX_IN_SEGS] = {"Tcp", "InSegs"},
    [TX_OUT_SEGS] = {"Tcp", "OutSegs"},
    [TX_RETRANS_SEGS] = {"Tcp", "RetransSegs"},
    [TX_IN_ERRS] = {"Tcp", "InErrs"},
    [TX_OUT_RSTS] = {"Tcp", "OutRsts"},
    [TX_UDP_RCVBUF_ERRORS] = {"Udp", "RcvbufErrors"},
    [TX_UDP_SNDBUF_ERRORS] = {"Udp", "SndbufErrors"},
    [TX_UDP_IN_ERRORS] = {"Udp", "InErrors"},
    [TX_IP_IN_DISCARDS] = {"Ip", "InDiscards"},
    [TX_IP_OUT_DISCARDS] = {"Ip", "OutDiscards"},
    [TX_LISTEN_OVERFLOWS] = {"TcpExt", "ListenOverflows"},
    [TX_LISTEN_DROPS] = {"TcpExt", "ListenDrops"},
    [TX_BACKLOG_DROP] = {"TcpExt", "TCPBacklogDrop"},
    [TX_PRUNE_CALLED] = {"TcpExt", "PruneCalled"},
    [TX_RCV_PRUNED] = {"TcpExt", "RcvPruned"},
    [TX_OFO_PRUNED] = {"TcpExt", "OfoPruned"},
    [TX_MEMORY_PRESSURES] = {"TcpExt", "TCPMemoryPressures"},
    [TX_MEMORY_PRESSURES_CHRONO] = {"TcpExt", "TCPMemoryPressuresChrono"},
    [TX_ABORT_ON_MEMORY] = {"TcpExt", "TCPAbortOnMemory"},
    [TX_TIMEOUTS] = {"TcpExt", "TCPTimeouts"},
    [TX_SYN_RETRANS] = {"TcpExt", "TCPSynRetrans"},
    [TX_REQQ_FULL_DROP] = {"TcpExt", "TCPReqQFullDrop"},
    [TX_REQQ_FULL_DO_COOKIES] = {"TcpExt", "TCPReqQFullDoCookies"},
    [TX_RCVQ_DROP] = {"TcpExt", "TCPRcvQDrop"},
};

static int tx_lookup(struct span prefix, struct span name)
{
	for (size_t i = 0; i < ARRAY_SIZE(tx_names); i++)
		if (span_eq(prefix, tx_names[i].prefix) && span_eq(name, tx_names[i].name))
			return (int)i;
	return -1;
}

/* A span's length for "%.*s" in a message: bounded, since the bytes are the file's. */
static int msg_len(struct span s)
{
	return s.n > 32 ? 32 : (int)s.n;
}

/* Splits "Prefix: rest" into its prefix (without ':') and the rest. */
static bool tx_prefix(struct span line, struct span *prefix, struct span *rest)
{
	struct span r = line, tok;
	if (!span_next_tok(&r, &tok) || tok.n < 2 || tok.p[tok.n - 1] != ':' || tok.p != line.p)
		return false;
	*prefix = (struct span){tok.p, tok.n - 1};
	*rest = r;
	return true;
}

/* A value of a field kres uses. The kernel prints them with %lu; only Tcp MaxConn
 * is %ld (RFC 2012, -1 for "dynamic") and kres does not read it, but a negative
 * value is accepted anywhere and reads as 0, as sockstat's do. */
static int tx_value(struct span v, uint64_t *out)
{
	int64_t i;
	if (v.n && v.p[0] == '-') {
		int rc = parse_i64(v, &i);
		*out = 0;
		return rc;
	}
	return parse_u64(v, out);
}

/* Maps the values line onto the names line of the same prefix. *seen collects the
 * fields set by this call, to refuse a field printed twice. */
static int tx_pair(struct snap_tcpx *x, struct span prefix, struct span names, struct span vals,
                   unsigned lineno, uint64_t *seen, struct perr *err)
{
	struct span nt, vt;
	for (size_t k = 1;; k++) {
		bool hn = span_next_tok(&names, &nt), hv = span_next_tok(&vals, &vt);
		if (!hn && !hv)
			return 0;
		if (hn != hv) {
			perr_set(err, lineno, "'%.*s' values line has %s values than names",
			         msg_len(prefix), prefix.p, hn ? "fewer" : "more");
			return -EINVAL;
		}
		int f = tx_lookup(prefix, nt);
		if (f < 0)
			continue; /* a counter kres does not use; MaxConn may be -1 */
		if (*seen & (UINT64_C(1) << f)) {
			perr_set(err, lineno, "'%.*s %s' appears twice", msg_len(prefix), prefix.p,
			         tx_names[f].name);
			return -EINVAL;
		}
		if (tx_value(vt, &x->v[f])) {
			perr_set(err, lineno, "value %zu of '%.*s' (%s) is not a number", k,
			         msg_len(prefix), prefix.p, tx_names[f].name);
			return -EINVAL;
		}
		*seen |= UINT64_C(1) << f;
		x->present |= UINT64_C(1) << f;
	}
}

/* A values line starts with a number; a names line with a name. */
static bool tx_is_values(struct span rest)
{
	struct span tok;
	if (!span_next_tok(&rest, &tok))
		return false;
	return (tok.p[0] >= '0' && tok.p[0] <= '9') || tok.p[0] == '-';
}

void tcpx_clear(struct snap_tcpx *x)
{
	memset(x, 0, sizeof(*x));
}

/* On failure x is left as it was before the call: the fields of a file read
 * earlier (snmp before netstat) stay valid. ok is set by a successful call. */
int tcpx_parse(const char *buf, size_t len, struct snap_tcpx *x, struct perr *err)
{
	struct snap_tcpx save = *x;
	struct lineiter it;
	struct span line, prefix, rest, hprefix = {0}, hnames = {0};
	bool pending = false;
	unsigned hline = 0;
	uint64_t seen = 0;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		if (!tx_prefix(line, &prefix, &rest)) {
			perr_set(err, it.lineno, "expected 'Prefix:' at the start of the line");
			goto fail;
		}
		if (!pending) {
			if (tx_is_values(rest)) {
				perr_set(err, it.lineno, "'%.*s' values line without a names line",
				         msg_len(prefix), prefix.p);
				goto fail;
			}
			hprefix = prefix;
			hnames = rest;
			hline = it.lineno;
			pending = true;
			continue;
		}
		if (prefix.n != hprefix.n || memcmp(prefix.p, hprefix.p, prefix.n) != 0) {
			perr_set(err, it.lineno,
			         "'%.*s' names line %u is not followed by its values",
			         msg_len(hprefix), hprefix.p, hline);
			goto fail;
		}
		if (tx_pair(x, prefix, hnames, rest, it.lineno, &seen, err))
			goto fail;
		pending = false;
	}
	if (pending) {
		perr_set(err, hline, "'%.*s' names line has no values line (truncated?)",
		         msg_len(hprefix), hprefix.p);
		goto fail;
	}
	if (it.lineno == 0) {
		perr_set(err, 0, "empty file");
		goto fail;
	}
	x->ok = true;
	return 0;
fail:
	*x = save;
	return -EINVAL;
}
