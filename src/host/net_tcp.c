// SPDX-License-Identifier: MIT
/* The TCP tables (/proc/net/tcp and tcp6), the ephemeral-port aggregator over them,
 * and the socket inodes of a process. The aggregator holds two open-addressing hash
 * tables, so hundreds of thousands of rows cost one pass each and no sorting. */
#include "host/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* Fixed widths of the row fields: "%08X:%04X" (v4) or "%08X%08X%08X%08X:%04X" (v6),
 * "%02X" for the state. */
#define V4_HEX   8
#define V6_HEX   32
#define PORT_HEX 4

/* Tokens of a row: "sl:" local remote st tx:rx tr:when retrnsmt uid timeout inode. */
enum { TOK_SL, TOK_LOCAL, TOK_REMOTE, TOK_ST, TOK_UID = 7, TOK_INODE = 9, TOK_MIN = 10 };

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly n hex digits at p into *out (n <= 8). */
static bool hex_fixed(const char *p, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		int d = hexval((unsigned char)p[i]);
		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

/* "0100007F:1F90" into addr and port. Each 32-bit word is the kernel's __be32 printed
 * as a host integer, so copying it back in host order restores the network bytes. */
static bool parse_endpoint(struct span t, bool v6, uint8_t addr[16], uint16_t *port)
{
	size_t hex = v6 ? V6_HEX : V4_HEX;
	if (t.n != hex + 1 + PORT_HEX || t.p[hex] != ':')
		return false;
	memset(addr, 0, 16);
	for (size_t w = 0; w < hex / 8; w++) {
		uint32_t word;
		if (!hex_fixed(t.p + w * 8, 8, &word))
			return false;
		memcpy(addr + w * 4, &word, 4);
	}
	uint32_t p;
	if (!hex_fixed(t.p + hex + 1, PORT_HEX, &p))
		return false;
	*port = (uint16_t)p;
	return true;
}

/* "  sl  local_address rem_address ..." (v4) or "... remote_address ..." (v6). */
static bool is_header(struct span line)
{
	struct span tok[2];
	return span_split_ws(line, tok, 2) >= 2 && span_eq(tok[0], "sl") &&
	       span_eq(tok[1], "local_address");
}

/* The first max blank-separated fields of s; unlike span_split_ws it stops there,
 * since the rest of a row (and tcp4_seq_show's padding to 149 columns) is not used. */
static size_t split_first(struct span s, struct span *tok, size_t max)
{
	size_t n = 0, i = 0;
	while (n < max) {
		while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t'))
			i++;
		if (i == s.n)
			break;
		size_t start = i;
		while (i < s.n && s.p[i] != ' ' && s.p[i] != '\t')
			i++;
		tok[n++] = (struct span){s.p + start, i - start};
	}
	return n;
}

static int parse_row(struct span line, unsigned lineno, bool v6, struct tcp_row *row,
                     struct perr *err)
{
	struct span tok[TOK_MIN];
	size_t nt = split_first(line, tok, ARRAY_SIZE(tok));
	if (nt < TOK_MIN) {
		perr_set(err, lineno, "expected at least %d fields, found %zu", TOK_MIN, nt);
		return -EINVAL;
	}
	uint64_t sl, v;
	if (tok[TOK_SL].n < 2 || tok[TOK_SL].p[tok[TOK_SL].n - 1] != ':' ||
	    parse_u64((struct span){tok[TOK_SL].p, tok[TOK_SL].n - 1}, &sl)) {
		perr_set(err, lineno, "expected 'N:' as the first field");
		return -EINVAL;
	}
	row->v6 = v6;
	row->line = lineno;
	if (!parse_endpoint(tok[TOK_LOCAL], v6, row->laddr, &row->lport) ||
	    !parse_endpoint(tok[TOK_REMOTE], v6, row->raddr, &row->rport)) {
		perr_set(err, lineno, "expected %s addresses as %d hex digits ':' 4 hex digits",
		         v6 ? "IPv6" : "IPv4", v6 ? V6_HEX : V4_HEX);
		return -EINVAL;
	}
	uint32_t st;
	if (tok[TOK_ST].n != 2 || !hex_fixed(tok[TOK_ST].p, 2, &st)) {
		perr_set(err, lineno, "expected the state as 2 hex digits");
		return -EINVAL;
	}
	row->state = (uint8_t)st;
	if (parse_u64(tok[TOK_UID], &v) || v > UINT32_MAX) {
		perr_set(err, lineno, "uid is not a 32-bit decimal number");
		return -EINVAL;
	}
	row->uid = (uint32_t)v;
	if (parse_u64(tok[TOK_INODE], &row->inode)) {
		perr_set(err, lineno, "inode is not a decimal number");
		return -EINVAL;
	}
	return 0;
}

int tcp_table_parse(const char *buf, size_t len, bool v6, tcp_row_fn fn, void *ctx,
                    struct perr *err)
{
	struct lineiter it;
	struct span line;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			return -EINVAL;
		}
		if (it.lineno == 1) {
			if (!is_header(line)) {
				perr_set(err, 1, "expected the 'sl local_address' header");
				return -EINVAL;
			}
			continue;
		}
		struct tcp_row row;
		if (parse_row(line, it.lineno, v6, &row, err))
			return -EINVAL;
		int rc = fn ? fn(&row, ctx) : 0;
		if (rc)
			return rc;
	}
	if (it.lineno == 0) {
		perr_set(err, 0, "empty file, expected a header line");
		return -EINVAL;
	}
	return 0;
}

void tcp_endpoint_format(const uint8_t addr[16], bool v6, uint16_t port, char *out, size_t n)
{
	char a[INET6_ADDRSTRLEN];
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, addr, a, sizeof(a)))
		a[0] = '\0';
	snprintf(out, n, v6 ? "[%s]:%u" : "%s:%u", a, (unsigned)port);
}

/* A destination as the ephemeral port allocator sees it: local address, remote
 * address and port (net/ipv4/inet_hashtables.c __inet_hash_connect checks a port
 * for each such tuple). */
struct dst_key {
	uint8_t l[16], r[16];
	uint16_t rport;
	uint8_t v6;
	uint8_t pad;
};

struct dst_slot {
	struct dst_key k;
	uint32_t count; /* 0: empty slot */
};

struct ino_slot {
	uint64_t inode; /* 0: empty slot (rows without a socket are not stored) */
	struct tcp_sock_ref ref;
};

struct tcp_agg {
	uint64_t lo, hi; /* the range, or 0 0 */
	struct dst_slot *dst;
	size_t dst_cap, dst_n; /* cap is a power of two, kept at most half full */
	struct ino_slot *ino;
	size_t ino_cap, ino_n;
	uint8_t listening[65536 / 8]; /* bitmap of ports with a LISTEN socket */
	uint32_t *in_range;           /* per port of [lo, hi]: non-LISTEN sockets */
	struct eph_usage u;           /* state counts and rows so far */
};

/* FNV-1a, 64 bits. */
static uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* splitmix64's finalizer: inode numbers are sequential, so they need mixing. */
static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static void dst_grow(struct tcp_agg *a)
{
	size_t cap = a->dst_cap ? a->dst_cap * 2 : 1024;
	struct dst_slot *t = xcalloc(cap, sizeof(*t));
	for (size_t i = 0; i < a->dst_cap; i++) {
		if (!a->dst[i].count)
			continue;
		size_t j = hash_bytes(&a->dst[i].k, sizeof(a->dst[i].k)) & (cap - 1);
		while (t[j].count)
			j = (j + 1) & (cap - 1);
		t[j] = a->dst[i];
	}
	free(a->dst);
	a->dst = t;
	a->dst_cap = cap;
}

static void dst_add(struct tcp_agg *a, const struct dst_key *k)
{
	if ((a->dst_n + 1) * 2 > a->dst_cap)
		dst_grow(a);
	size_t j = hash_bytes(k, sizeof(*k)) & (a->dst_cap - 1);
	while (a->dst[j].count && memcmp(&a->dst[j].k, k, sizeof(*k)))
		j = (j + 1) & (a->dst_cap - 1);
	if (!a->dst[j].count) {
		a->dst[j].k = *k;
		a->dst_n++;
	}
	if (a->dst[j].count < UINT32_MAX)
		a->dst[j].count++;
}

static void ino_grow(struct tcp_agg *a)
{
	size_t cap = a->ino_cap ? a->ino_cap * 2 : 1024;
	struct ino_slot *t = xcalloc(cap, sizeof(*t));
	for (size_t i = 0; i < a->ino_cap; i++) {
		if (!a->ino[i].inode)
			continue;
		size_t j = hash_u64(a->ino[i].inode) & (cap - 1);
		while (t[j].inode)
			j = (j + 1) & (cap - 1);
		t[j] = a->ino[i];
	}
	free(a->ino);
	a->ino = t;
	a->ino_cap = cap;
}

/* A repeated inode (a table changing while it was read) keeps the later row. */
static void ino_put(struct tcp_agg *a, uint64_t inode, const struct tcp_sock_ref *ref)
{
	if ((a->ino_n + 1) * 2 > a->ino_cap)
		ino_grow(a);
	size_t j = hash_u64(inode) & (a->ino_cap - 1);
	while (a->ino[j].inode && a->ino[j].inode != inode)
		j = (j + 1) & (a->ino_cap - 1);
	if (!a->ino[j].inode)
		a->ino_n++;
	a->ino[j].inode = inode;
	a->ino[j].ref = *ref;
}

struct tcp_agg *tcp_agg_new(uint64_t lo, uint64_t hi)
{
	struct tcp_agg *a = xcalloc(1, sizeof(*a));
	if (lo <= hi && hi <= 65535 && hi > 0) {
		a->lo = lo;
		a->hi = hi;
		a->in_range = xcalloc(hi - lo + 1, sizeof(*a->in_range));
	}
	return a;
}

void tcp_agg_free(struct tcp_agg *a)
{
	if (!a)
		return;
	free(a->dst);
	free(a->ino);
	free(a->in_range);
	free(a);
}

static bool is_listening(const struct tcp_agg *a, uint16_t port)
{
	return a->listening[port / 8] & (1u << (port % 8));
}

/* First pass: the listening ports, so that the connections a listener accepted (they
 * share its local port and take no ephemeral port) are known wherever they appear. */
static int mark_listener(const struct tcp_row *row, void *ctx)
{
	struct tcp_agg *a = ctx;
	if (row->state == TCPS_LISTEN)
		a->listening[row->lport / 8] |= (uint8_t)(1u << (row->lport % 8));
	return 0;
}

/* ::ffff:a.b.c.d, an IPv4 peer of a dual-stack socket. */
static bool v4_mapped(const uint8_t a[16])
{
	static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

static void count_destination(struct tcp_agg *a, const struct tcp_row *row)
{
	struct dst_key k;
	memset(&k, 0, sizeof(k));
	if (row->v6 && v4_mapped(row->laddr) && v4_mapped(row->raddr)) {
		memcpy(k.l, row->laddr + 12, 4);
		memcpy(k.r, row->raddr + 12, 4);
	} else {
		memcpy(k.l, row->laddr, 16);
		memcpy(k.r, row->raddr, 16);
		k.v6 = row->v6;
	}
	k.rport = row->rport;
	dst_add(a, &k);
}

/* Second pass: counts, destinations and the inode index. */
static int add_row(const struct tcp_row *row, void *ctx)
{
	struct tcp_agg *a = ctx;
	a->u.rows++;
	a->u.listen += row->state == TCPS_LISTEN;
	a->u.established += row->state == TCPS_ESTABLISHED;
	a->u.time_wait += row->state == TCPS_TIME_WAIT;
	bool in_range = a->in_range && row->state != TCPS_LISTEN && row->lport >= a->lo &&
	                row->lport <= a->hi && !is_listening(a, row->lport);
	if (in_range) {
		uint32_t *c = &a->in_range[row->lport - a->lo];
		if (*c < UINT32_MAX)
			(*c)++;
		/* An unconnected socket (bound, remote port 0) has no destination. */
		if (row->rport)
			count_destination(a, row);
	}
	if (row->inode) {
		struct tcp_sock_ref ref = {row->state, row->v6, row->lport, in_range};
		ino_put(a, row->inode, &ref);
	}
	return 0;
}

int tcp_agg_add(struct tcp_agg *a, const char *buf, size_t len, bool v6, struct perr *err)
{
	uint8_t saved[sizeof(a->listening)];
	memcpy(saved, a->listening, sizeof(saved));
	if (tcp_table_parse(buf, len, v6, mark_listener, a, err)) {
		memcpy(a->listening, saved, sizeof(saved));
		return -EINVAL;
	}
	/* Checked whole above, so this pass cannot fail half way. */
	return tcp_table_parse(buf, len, v6, add_row, a, err);
}

void tcp_agg_add_rows(struct tcp_agg *a, const struct tcp_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mark_listener(&rows[i], a);
	for (size_t i = 0; i < n; i++)
		add_row(&rows[i], a);
}

void tcp_agg_usage(const struct tcp_agg *a, struct eph_usage *u)
{
	*u = a->u;
	u->lo = a->lo;
	u->hi = a->hi;
	u->range = a->in_range ? a->hi - a->lo + 1 : 0;
	u->max_tuple = 0;
	u->max_dst[0] = '\0';
	u->sockets_in_range = 0;
	/* Listeners found in a later table also free the ports counted before them. */
	for (uint64_t p = a->lo; a->in_range && p <= a->hi; p++)
		if (!is_listening(a, (uint16_t)p))
			u->sockets_in_range += a->in_range[p - a->lo];
	const struct dst_slot *best = NULL;
	for (size_t i = 0; i < a->dst_cap; i++) {
		const struct dst_slot *s = &a->dst[i];
		if (!s->count)
			continue;
		if (!best || s->count > best->count ||
		    (s->count == best->count && memcmp(&s->k, &best->k, sizeof(s->k)) < 0))
			best = s;
	}
	if (best) {
		u->max_tuple = best->count;
		tcp_endpoint_format(best->k.r, best->k.v6, best->k.rport, u->max_dst,
		                    sizeof(u->max_dst));
	}
}

bool tcp_agg_inode(const struct tcp_agg *a, uint64_t inode, struct tcp_sock_ref *ref)
{
	if (!inode || !a->ino_cap)
		return false;
	size_t j = hash_u64(inode) & (a->ino_cap - 1);
	while (a->ino[j].inode) {
		if (a->ino[j].inode == inode) {
			*ref = a->ino[j].ref;
			return true;
		}
		j = (j + 1) & (a->ino_cap - 1);
	}
	return false;
}

void tcp_agg_match(const struct tcp_agg *a, const uint64_t *inodes, size_t n,
                   struct tcp_proc_socks *out)
{
	memset(out, 0, sizeof(*out));
	out->sockets = n;
	for (size_t i = 0; i < n; i++) {
		struct tcp_sock_ref ref;
		if (!tcp_agg_inode(a, inodes[i], &ref))
			continue;
		out->tcp++;
		out->listen += ref.state == TCPS_LISTEN;
		out->established += ref.state == TCPS_ESTABLISHED;
		out->in_range += ref.in_range;
	}
}

int socket_link_inode(const char *target, uint64_t *inode)
{
	static const char pre[] = "socket:[";
	size_t n = strlen(target);
	if (n < sizeof(pre) + 1 || memcmp(target, pre, sizeof(pre) - 1) || target[n - 1] != ']')
		return -EINVAL;
	struct span digits = {target + sizeof(pre) - 1, n - sizeof(pre)};
	return parse_u64(digits, inode) ? -EINVAL : 0;
}

ssize_t proc_socket_inodes(const struct rootfs *r, int64_t pid, uint64_t **inodes)
{
	char path[64], target[64];
	struct strlist fds = {0};
	size_t n = 0, cap = 0;
	uint64_t *v = NULL;
	if (inodes)
		*inodes = NULL;
	snprintf(path, sizeof(path), "/proc/%lld/fd", (long long)pid);
	int rc = rootfs_list(r, path, &fds);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < fds.n; i++) {
		uint64_t ino;
		snprintf(path, sizeof(path), "/proc/%lld/fd/%s", (long long)pid, fds.v[i]);
		/* A descriptor closed since the listing is simply gone; a target too long
		 * for the buffer is a path, not a socket. */
		if (rootfs_readlink(r, path, target, sizeof(target)) < 0 ||
		    socket_link_inode(target, &ino))
			continue;
		if (inodes) {
			ALLOC_GROW(v, n + 1, cap);
			v[n] = ino;
		}
		n++;
	}
	strlist_release(&fds);
	if (inodes)
		*inodes = v;
	return (ssize_t)n;
}
