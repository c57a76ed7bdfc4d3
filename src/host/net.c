// SPDX-License-Identifier: MIT
/* The counter files of the network state (sockstat, tcp_mem, the port range,
 * softnet_stat) and netstate_read(), which reads every input of net.h under a root. */
#include "host/net.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "host/sysctl.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* What one "PROTO: name value ..." pair of sockstat feeds. Every name listed is
 * printed by every kernel since 2.6 (net/ipv4/proc.c sockstat_seq_show,
 * net/socket.c socket_seq_show), so a known line lacking one is not sockstat. */
static const struct {
	const char *proto; /* the line's first token, colon included */
	const char *name;
	size_t off; /* into struct sockstat */
} ss_fields[] = {
    {"sockets:", "used", offsetof(struct sockstat, sockets_used)},
    {"TCP:", "inuse", offsetof(struct sockstat, tcp_inuse)},
    {"TCP:", "orphan", offsetof(struct sockstat, tcp_orphan)},
    {"TCP:", "tw", offsetof(struct sockstat, tcp_tw)},
    {"TCP:", "alloc", offsetof(struct sockstat, tcp_alloc)},
    {"TCP:", "mem", offsetof(struct sockstat, tcp_mem_pages)}, /* pages */
    {"UDP:", "inuse", offsetof(struct sockstat, udp_inuse)},
    {"UDP:", "mem", offsetof(struct sockstat, udp_mem_pages)}, /* pages */
};

/* Longest known line is TCP's 11 tokens; later kernels may append pairs. */
#define SS_MAX_TOKENS 32

static uint64_t *ss_slot(struct sockstat *s, size_t i)
{
	return (uint64_t *)(void *)((char *)s + ss_fields[i].off);
}

/* One value: the kernel prints these with %d or %ld, so a negative number is
 * possible in principle and reads as 0. */
static int ss_value(struct span v, uint64_t *out)
{
	int64_t i;
	if (v.n && v.p[0] == '-') {
		int rc = parse_i64(v, &i);
		*out = 0;
		return rc;
	}
	return parse_u64(v, out);
}

/* Fills the fields of proto from the name/value pairs in tok. */
static int ss_line(struct sockstat *s, struct span proto, const struct span *tok, size_t nt,
                   unsigned line, struct perr *err)
{
	for (size_t f = 0; f < ARRAY_SIZE(ss_fields); f++) {
		if (!span_eq(proto, ss_fields[f].proto))
			continue;
		bool found = false;
		for (size_t i = 0; i + 1 < nt && !found; i += 2) {
			if (!span_eq(tok[i], ss_fields[f].name))
				continue;
			if (ss_value(tok[i + 1], ss_slot(s, f))) {
				perr_set(err, line, "value of '%s %s' is not a number",
				         ss_fields[f].proto, ss_fields[f].name);
				return -EINVAL;
			}
			found = true;
		}
		if (!found) {
			perr_set(err, line, "'%s' line has no '%s' value", ss_fields[f].proto,
			         ss_fields[f].name);
			return -EINVAL;
		}
	}
	return 0;
}

static int ss_parse_line(struct sockstat *s, struct span line, unsigned lineno, bool *seen_used,
                         struct perr *err)
{
	struct span tok[SS_MAX_TOKENS + 1];
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt == 0 || !(tok[0].n && tok[0].p[tok[0].n - 1] == ':')) {
		perr_set(err, lineno, "expected 'PROTO:' at the start of the line");
		return -EINVAL;
	}
	bool tcp = span_eq(tok[0], "TCP:"), udp = span_eq(tok[0], "UDP:");
	bool used = span_eq(tok[0], "sockets:");
	if (!tcp && !udp && !used)
		return 0; /* UDPLITE, RAW, FRAG, or a protocol of a newer kernel */
	if (nt > ARRAY_SIZE(tok) - 1 || (nt - 1) % 2) {
		perr_set(err, lineno, "expected name/value pairs after '%.*s'", (int)tok[0].n,
		         tok[0].p);
		return -EINVAL;
	}
	if ((tcp && s->have_tcp) || (udp && s->have_udp) || (used && *seen_used)) {
		perr_set(err, lineno, "'%.*s' appears twice", (int)tok[0].n, tok[0].p);
		return -EINVAL;
	}
	if (ss_line(s, tok[0], tok + 1, nt - 1, lineno, err))
		return -EINVAL;
	s->have_tcp |= tcp;
	s->have_udp |= udp;
	*seen_used |= used;
	return 0;
}

int sockstat_parse(const char *buf, size_t len, struct sockstat *s, struct perr *err)
{
	struct lineiter it;
	struct span line;
	bool seen_used = false;
	memset(s, 0, sizeof(*s));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		if (ss_parse_line(s, line, it.lineno, &seen_used, err))
			goto fail;
	}
	if (!seen_used) {
		perr_set(err, 0, "no 'sockets: used' line");
		goto fail;
	}
	return 0;
fail:
	memset(s, 0, sizeof(*s));
	return -EINVAL;
}

int sysctl_triple_parse(const char *buf, size_t len, uint64_t v[3], struct perr *err)
{
	uint64_t tmp[3];
	int n;
	int rc = sysctl_parse(buf, len, tmp, 3, &n, err);
	if (rc == 0 && n != 3) {
		perr_set(err, 1, "expected 3 numbers, found %d", n);
		rc = -EINVAL;
	}
	if (rc)
		return rc;
	memcpy(v, tmp, sizeof(tmp));
	return 0;
}

int port_range_parse(const char *buf, size_t len, uint64_t *lo, uint64_t *hi, struct perr *err)
{
	uint64_t v[2];
	int n;
	int rc = sysctl_parse(buf, len, v, 2, &n, err);
	if (rc)
		return rc;
	if (n != 2) {
		perr_set(err, 1, "expected 2 numbers, found %d", n);
		return -EINVAL;
	}
	if (v[0] > 65535 || v[1] > 65535) {
		perr_set(err, 1, "port above 65535");
		return -ERANGE;
	}
	if (v[0] > v[1]) {
		perr_set(err, 1, "first port %llu is above the last %llu", (unsigned long long)v[0],
		         (unsigned long long)v[1]);
		return -EINVAL;
	}
	*lo = v[0];
	*hi = v[1];
	return 0;
}

/* A %08x value of softnet_stat: 1 to 8 hex digits (the kernel pads to 8). */
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

/* Columns kres reads (0-based); the CPU id exists from 13 columns on. */
enum { SN_PROCESSED, SN_DROPPED, SN_SQUEEZE, SN_MIN_COLS = 9, SN_CPU = 12, SN_MAX_COLS = 64 };

static int softnet_row(struct softnet *sn, struct span line, unsigned lineno, struct perr *err)
{
	struct span tok[SN_MAX_COLS + 1];
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt < SN_MIN_COLS || nt > SN_MAX_COLS) {
		perr_set(err, lineno, "expected 9 to %d columns, found %zu", SN_MAX_COLS, nt);
		return -EINVAL;
	}
	if (sn->ncpu == 0) {
		sn->ncols = (unsigned)nt;
		sn->have_cpu_index = nt > SN_CPU;
	} else if (nt != sn->ncols) {
		perr_set(err, lineno, "expected %u columns as on line 1, found %zu", sn->ncols, nt);
		return -EINVAL;
	}
	uint32_t v[SN_MAX_COLS];
	for (size_t i = 0; i < nt; i++) {
		if (parse_hex32(tok[i], &v[i])) {
			perr_set(err, lineno, "column %zu is not a 32-bit hex number", i + 1);
			return -EINVAL;
		}
	}
	/* The capacity is implied by ncpu: 8, then doubled whenever ncpu reaches a
	 * power of two from 8 on. */
	size_t n = sn->ncpu;
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0))
		sn->cpu = xreallocarray(sn->cpu, n ? n * 2 : 8, sizeof(*sn->cpu));
	sn->cpu[sn->ncpu] = (struct softnet_cpu){
	    .cpu = sn->have_cpu_index ? (int64_t)v[SN_CPU] : (int64_t)sn->ncpu,
	    .processed = v[SN_PROCESSED],
	    .dropped = v[SN_DROPPED],
	    .time_squeeze = v[SN_SQUEEZE],
	};
	sn->ncpu++;
	/* At most 2^32 rows fit in a bounded file, so u64 sums of u32 cannot wrap. */
	sn->processed += v[SN_PROCESSED];
	sn->dropped += v[SN_DROPPED];
	sn->time_squeeze += v[SN_SQUEEZE];
	return 0;
}

int softnet_parse(const char *buf, size_t len, struct softnet *sn, struct perr *err)
{
	struct lineiter it;
	struct span line;
	memset(sn, 0, sizeof(*sn));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		if (softnet_row(sn, line, it.lineno, err))
			goto fail;
	}
	if (sn->ncpu == 0) {
		perr_set(err, 0, "no rows (every system has a CPU online)");
		goto fail;
	}
	return 0;
fail:
	softnet_release(sn);
	return -EINVAL;
}

void softnet_release(struct softnet *sn)
{
	free(sn->cpu);
	memset(sn, 0, sizeof(*sn));
}

/* /proc files are small; the TCP tables are not: 150 bytes a socket (tcp4_seq_show
 * pads rows to TMPSZ), so 256 MiB is 1.7 million sockets. rootfs_read may hold twice
 * the limit while it finds out a file is larger. */
#define NET_SMALL_FILE (1u << 20)
#define TCP_TABLE_MAX  (256u << 20)

typedef int (*parse_fn)(const char *buf, size_t len, void *out, struct perr *err);

/* Reads path and hands its text to fn; records the outcome in s. */
static void read_parse(const struct rootfs *r, const char *path, struct src *s, parse_fn fn,
                       void *out)
{
	char *buf;
	size_t len;
	if (!src_read(s, r, path, NET_SMALL_FILE, &buf, &len))
		return;
	struct perr e = {0};
	if (fn(buf, len, out, &e) < 0)
		src_set_parse_error(s, r, path, &e);
	free(buf);
}

static int p_sockstat(const char *b, size_t n, void *o, struct perr *e)
{
	return sockstat_parse(b, n, o, e);
}
static int p_triple(const char *b, size_t n, void *o, struct perr *e)
{
	return sysctl_triple_parse(b, n, o, e);
}
static int p_softnet(const char *b, size_t n, void *o, struct perr *e)
{
	return softnet_parse(b, n, o, e);
}

static int p_range(const char *b, size_t n, void *o, struct perr *e)
{
	struct netstate *ns = o;
	return port_range_parse(b, n, &ns->port_lo, &ns->port_hi, e);
}

static int p_one(const char *b, size_t n, void *o, struct perr *e)
{
	int got;
	uint64_t v;
	int rc = sysctl_parse(b, n, &v, 1, &got, e);
	if (rc == 0)
		*(uint64_t *)o = v;
	return rc;
}

/* The single-number files of struct netstate. */
static const struct {
	const char *path;
	size_t src, val; /* offsets into struct netstate */
} one_number[] = {
    /* net/netfilter/nf_conntrack_standalone.c: only while nf_conntrack is loaded. */
    {"/proc/sys/net/netfilter/nf_conntrack_count", offsetof(struct netstate, ct_count_src),
     offsetof(struct netstate, ct_count)},
    {"/proc/sys/net/netfilter/nf_conntrack_max", offsetof(struct netstate, ct_max_src),
     offsetof(struct netstate, ct_max)},
    {"/proc/sys/net/core/netdev_max_backlog", offsetof(struct netstate, backlog_src),
     offsetof(struct netstate, netdev_max_backlog)},
    {"/proc/sys/net/core/netdev_budget", offsetof(struct netstate, budget_src),
     offsetof(struct netstate, netdev_budget)},
    {"/proc/sys/net/ipv4/tcp_max_orphans", offsetof(struct netstate, orphans_src),
     offsetof(struct netstate, tcp_max_orphans)},
};

/* Adds one TCP table to ns->tcp, recording the outcome in s. */
static void read_table(const struct rootfs *r, const char *path, bool v6, struct src *s,
                       struct tcp_agg *agg)
{
	char *buf;
	size_t len;
	if (!src_read(s, r, path, TCP_TABLE_MAX, &buf, &len))
		return;
	struct perr e = {0};
	if (tcp_agg_add(agg, buf, len, v6, &e) < 0)
		src_set_parse_error(s, r, path, &e);
	free(buf);
}

static void read_tcp(const struct rootfs *r, struct netstate *ns)
{
	bool range = ns->port_range_src.state == SRC_OK;
	struct tcp_agg *agg = tcp_agg_new(range ? ns->port_lo : 0, range ? ns->port_hi : 0);
	struct tcp_row *rows;
	size_t n;
	bool v6;
	if (r->live && tcp_diag_dump(&rows, &n, &v6) == 0) {
		tcp_agg_add_rows(agg, rows, n);
		free(rows);
		ns->tcp_src.state = SRC_OK;
		ns->tcp6_src.state = v6 ? SRC_OK : SRC_UNAVAILABLE;
		ns->tcp_diag = true;
	} else {
		read_table(r, "/proc/net/tcp", false, &ns->tcp_src, agg);
		read_table(r, "/proc/net/tcp6", true, &ns->tcp6_src, agg);
	}
	if (ns->tcp_src.state != SRC_OK && ns->tcp6_src.state != SRC_OK) {
		tcp_agg_free(agg);
		return;
	}
	ns->tcp = agg;
	tcp_agg_usage(agg, &ns->eph);
}

void netstate_read(const struct rootfs *r, struct netstate *ns)
{
	memset(ns, 0, sizeof(*ns));
	read_parse(r, "/proc/net/sockstat", &ns->sockstat_src, p_sockstat, &ns->ss);
	read_parse(r, "/proc/sys/net/ipv4/tcp_mem", &ns->tcp_mem_src, p_triple, ns->tcp_mem);
	read_parse(r, "/proc/sys/net/ipv4/ip_local_port_range", &ns->port_range_src, p_range, ns);
	read_tcp(r, ns);
	read_parse(r, "/proc/net/softnet_stat", &ns->softnet_src, p_softnet, &ns->sn);
	for (size_t i = 0; i < ARRAY_SIZE(one_number); i++) {
		struct src *s = (struct src *)(void *)((char *)ns + one_number[i].src);
		uint64_t *v = (uint64_t *)(void *)((char *)ns + one_number[i].val);
		read_parse(r, one_number[i].path, s, p_one, v);
	}
	int rc = nics_read(r, &ns->nics, &ns->nnics);
	if (rc < 0)
		src_set_read_error(&ns->nics_src, r, "/sys/class/net", rc);
	else
		ns->nics_src.state = SRC_OK;
}

void netstate_release(struct netstate *ns)
{
	tcp_agg_free(ns->tcp);
	softnet_release(&ns->sn);
	free(ns->nics);
	memset(ns, 0, sizeof(*ns));
}
