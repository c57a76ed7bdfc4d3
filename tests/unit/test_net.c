// SPDX-License-Identifier: MIT
/* Tests of the network parsers (sockstat, tcp_mem, the port range, the TCP tables,
 * softnet_stat), the ephemeral-port aggregator on real and 100k-row tables, process
 * sockets, NICs and netstate_read() on fixture trees. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "host/net.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "tree.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1

/* Captured on a Debian 12 Firecracker guest, kernel 6.18, with a test program holding
 * loopback connections to 127.0.0.1:6379 and a dual-stack [::]:5432. */
static const char real_sockstat[] = "sockets: used 24\n"
                                    "TCP: inuse 7 orphan 0 tw 1 alloc 13 mem 131\n"
                                    "UDP: inuse 0 mem 0\n"
                                    "UDPLITE: inuse 0\n"
                                    "RAW: inuse 0\n"
                                    "FRAG: inuse 0 memory 0\n";
static const char real_tcp[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode                                                     \n"
    "   0: 0100007F:18EB 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 "
    "179528 3 000000009160cbc7 100 0 0 10 0                    \n"
    "   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
    "1061 1 00000000f43bd89c 100 0 0 10 0                      \n"
    "   2: 0100007F:18EB 0100007F:90A8 01 00000000:00000000 00:00000000 00000000     0        0 "
    "0 1 000000001e708d50 20 0 0 10 -1                         \n"
    "   3: 0100007F:18EB 0100007F:9098 01 00000000:00000000 00:00000000 00000000     0        0 "
    "0 1 00000000ad9602dc 20 0 0 10 -1                         \n"
    "   4: 0100007F:9096 0100007F:18EB 06 00000000:00000000 03:0000175B 00000000     0        0 "
    "0 3 00000000252a7ff6                                      \n"
    "   5: 0100007F:9098 0100007F:18EB 01 00000000:00000000 00:00000000 00000000     0        0 "
    "179531 2 00000000cb55436a 20 0 0 10 -1                    \n"
    "   6: 0100007F:90A8 0100007F:18EB 01 00000000:00000000 00:00000000 00000000     0        0 "
    "179532 2 00000000dd68767c 20 0 0 10 -1                    \n"
    "   7: 0100007F:D74E 0100007F:1538 01 00000000:00000000 00:00000000 00000000     0        0 "
    "179535 2 00000000c3f094e4 20 0 0 10 -1                    \n";
static const char real_tcp6[] =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000000000000:1538 00000000000000000000000000000000:0000 0A "
    "00000000:00000003 00:00000000 00000000     0        0 179529 4 00000000d2519235 100 0 0 10 "
    "0\n"
    "   1: 0000000000000000FFFF00000100007F:1538 0000000000000000FFFF00000100007F:D74E 01 "
    "00000000:00000000 00:00000000 00000000     0        0 0 1 0000000086e8545a 20 0 0 10 -1\n"
    "   2: 00000000000000000000000001000000:A6EA 00000000000000000000000001000000:1538 01 "
    "00000000:00000000 00:00000000 00000000     0        0 179533 2 000000007dbb8f4e 20 0 0 10 "
    "-1\n"
    "   3: 00000000000000000000000001000000:A6EC 00000000000000000000000001000000:1538 01 "
    "00000000:00000000 00:00000000 00000000     0        0 179534 2 0000000092c846a9 20 0 0 10 "
    "-1\n"
    "   4: 00000000000000000000000001000000:1538 00000000000000000000000001000000:A6EC 01 "
    "00000000:00000000 00:00000000 00000000     0        0 0 1 0000000051e6b878 20 0 0 10 -1\n"
    "   5: 00000000000000000000000001000000:1538 00000000000000000000000001000000:A6EA 01 "
    "00000000:00000000 00:00000000 00000000     0        0 0 1 00000000793f67a7 20 0 0 10 -1\n";
static const char real_softnet[] =
    "0000012f 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 "
    "00000000 00000000 00000000 00000000 00000000\n"
    "00000318 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 "
    "00000000 00000000 00000001 00000000 00000000\n";

#define TCP4_HDR                                                                                   \
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "      \
	"timeout inode\n"
#define TCP6_HDR                                                                                   \
	"  sl  local_address                         remote_address                        st "    \
	"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"

/* ---- sockstat ---- */

static void test_sockstat(void **state)
{
	struct sockstat s;
	struct perr e = {0};
	(void)state;
	assert_int_equal(sockstat_parse(S(real_sockstat), &s, &e), 0);
	assert_int_equal(s.sockets_used, 24);
	assert_true(s.have_tcp);
	assert_int_equal(s.tcp_inuse, 7);
	assert_int_equal(s.tcp_orphan, 0);
	assert_int_equal(s.tcp_tw, 1);
	assert_int_equal(s.tcp_alloc, 13);
	assert_int_equal(s.tcp_mem_pages, 131);
	assert_true(s.have_udp);
	assert_int_equal(s.udp_mem_pages, 0);

	/* Hand-written in the 2.6.32 layout ("mem %d"), a busy host. */
	static const char old[] = "sockets: used 1370\n"
	                          "TCP: inuse 4900 orphan 12 tw 31000 alloc 5000 mem 98304\n"
	                          "UDP: inuse 11 mem 7\n"
	                          "UDPLITE: inuse 0\n"
	                          "RAW: inuse 0\n"
	                          "FRAG: inuse 0 memory 0\n";
	assert_int_equal(sockstat_parse(S(old), &s, &e), 0);
	assert_int_equal(s.tcp_tw, 31000);
	assert_int_equal(s.tcp_mem_pages, 98304);
	assert_int_equal(s.udp_inuse, 11);
	assert_int_equal(s.udp_mem_pages, 7);

	/* A pair appended by a newer kernel (a 2023 proposal adds "pressure"), pairs in
	 * another order, the widest %ld, a negative per-CPU sum, no UDP line. */
	static const char newer[] = "sockets: used -3\n"
	                            "TCP: mem 9223372036854775807 inuse 1 orphan 2 tw 3 alloc 4 "
	                            "pressure 1\n"
	                            "SCTP: inuse 9\n";
	assert_int_equal(sockstat_parse(S(newer), &s, &e), 0);
	assert_int_equal(s.sockets_used, 0);
	assert_int_equal(s.tcp_mem_pages, 9223372036854775807ull);
	assert_int_equal(s.tcp_alloc, 4);
	assert_false(s.have_udp);
}

static const struct {
	const char *name, *in;
	size_t len;
	unsigned line;
	const char *msg;
} sockstat_bad[] = {
    {"empty", S(""), 0, "no 'sockets: used' line"},
    {"no sockets line", S("TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 1\n"), 0,
     "no 'sockets: used' line"},
    {"no mem", S("sockets: used 1\nTCP: inuse 1 orphan 0 tw 0 alloc 1\n"), 2,
     "'TCP:' line has no 'mem' value"},
    {"odd pairs", S("sockets: used 1\nTCP: inuse 1 orphan\n"), 2,
     "expected name/value pairs after 'TCP:'"},
    {"text value", S("sockets: used 1\nUDP: inuse x mem 0\n"), 2,
     "value of 'UDP: inuse' is not a number"},
    {"overflow", S("sockets: used 99999999999999999999\n"), 1,
     "value of 'sockets: used' is not a number"},
    {"twice", S("sockets: used 1\nUDP: inuse 0 mem 0\nUDP: inuse 0 mem 0\n"), 3,
     "'UDP:' appears twice"},
    {"no colon", S("sockets used 1\n"), 1, "expected 'PROTO:' at the start of the line"},
    {"blank line", S("sockets: used 1\n\n"), 2, "expected 'PROTO:' at the start of the line"},
    {"truncated", S("sockets: used 1\nTCP: inuse 1 orphan 0 tw 0 al"), 2,
     "file ends in the middle of a line (truncated?)"},
};

static void test_sockstat_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sockstat_bad); i++) {
		struct sockstat s;
		struct perr e = {0};
		print_message("case %s\n", sockstat_bad[i].name);
		assert_int_equal(sockstat_parse(sockstat_bad[i].in, sockstat_bad[i].len, &s, &e),
		                 -EINVAL);
		assert_int_equal(e.line, sockstat_bad[i].line);
		assert_string_equal(e.msg, sockstat_bad[i].msg);
		assert_int_equal(s.sockets_used, 0);
		assert_false(s.have_tcp);
	}
}

/* ---- tcp_mem and the port range ---- */

static void test_triple_and_range(void **state)
{
	uint64_t v[3] = {9, 9, 9}, lo = 1, hi = 1;
	struct perr e = {0};
	(void)state;
	/* This machine's values (24 GiB guest): tcp_mem is sized from RAM at boot. */
	assert_int_equal(sysctl_triple_parse(S("287901\t383870\t575802\n"), v, &e), 0);
	assert_int_equal(v[0], 287901);
	assert_int_equal(v[1], 383870);
	assert_int_equal(v[2], 575802);
	assert_int_equal(sysctl_triple_parse(S("18446744073709551615 1 2"), v, &e), 0);
	assert_int_equal(v[0], UINT64_MAX);
	assert_int_equal(sysctl_triple_parse(S("1 2\n"), v, &e), -EINVAL);
	assert_string_equal(e.msg, "expected 3 numbers, found 2");
	assert_int_equal(v[0], UINT64_MAX); /* untouched on failure */
	assert_int_equal(sysctl_triple_parse(S("1 2 3 4\n"), v, &e), -EINVAL);
	assert_int_equal(sysctl_triple_parse(S("1 2 x\n"), v, &e), -EINVAL);
	assert_int_equal(sysctl_triple_parse(S("1 2 3\n4\n"), v, &e), -EINVAL);
	assert_int_equal(sysctl_triple_parse(S(""), v, &e), -EINVAL);

	assert_int_equal(port_range_parse(S("32768\t60999\n"), &lo, &hi, &e), 0);
	assert_int_equal(lo, 32768);
	assert_int_equal(hi, 60999);
	/* tuned's oracle profile */
	assert_int_equal(port_range_parse(S("9000\t65499\n"), &lo, &hi, &e), 0);
	assert_int_equal(lo, 9000);
	assert_int_equal(port_range_parse(S("1024 1024\n"), &lo, &hi, &e), 0);
	assert_int_equal(hi, 1024);
	assert_int_equal(port_range_parse(S("60999 32768\n"), &lo, &hi, &e), -EINVAL);
	assert_string_equal(e.msg, "first port 60999 is above the last 32768");
	assert_int_equal(port_range_parse(S("1 65536\n"), &lo, &hi, &e), -ERANGE);
	assert_int_equal(port_range_parse(S("32768\n"), &lo, &hi, &e), -EINVAL);
	assert_int_equal(port_range_parse(S("1 2 3\n"), &lo, &hi, &e), -EINVAL);
	assert_int_equal(lo, 1024); /* untouched */
}

/* ---- TCP tables ---- */

struct rows {
	struct tcp_row v[16];
	size_t n;
};

static int collect(const struct tcp_row *row, void *ctx)
{
	struct rows *r = ctx;
	if (r->n < ARRAY_SIZE(r->v))
		r->v[r->n] = *row;
	r->n++;
	return 0;
}

static void endpoint(const struct tcp_row *row, bool local, char *out, size_t n)
{
	tcp_endpoint_format(local ? row->laddr : row->raddr, row->v6,
	                    local ? row->lport : row->rport, out, n);
}

static void test_tcp_real(void **state)
{
	struct rows r = {0};
	struct perr e = {0};
	char a[64];
	(void)state;
	assert_int_equal(tcp_table_parse(S(real_tcp), false, collect, &r, &e), 0);
	assert_int_equal(r.n, 8);
	endpoint(&r.v[0], true, a, sizeof(a));
	assert_string_equal(a, "127.0.0.1:6379");
	assert_int_equal(r.v[0].state, TCPS_LISTEN);
	assert_int_equal(r.v[0].inode, 179528);
	assert_int_equal(r.v[0].line, 2);
	endpoint(&r.v[1], true, a, sizeof(a));
	assert_string_equal(a, "0.0.0.0:2024");
	/* A TIME_WAIT row has only 12 fields and no inode. */
	assert_int_equal(r.v[4].state, TCPS_TIME_WAIT);
	assert_int_equal(r.v[4].inode, 0);
	assert_int_equal(r.v[4].lport, 0x9096);
	endpoint(&r.v[4], false, a, sizeof(a));
	assert_string_equal(a, "127.0.0.1:6379");
	assert_int_equal(r.v[7].state, TCPS_ESTABLISHED);
	assert_int_equal(r.v[7].rport, 5432);

	memset(&r, 0, sizeof(r));
	assert_int_equal(tcp_table_parse(S(real_tcp6), true, collect, &r, &e), 0);
	assert_int_equal(r.n, 6);
	endpoint(&r.v[0], true, a, sizeof(a));
	assert_string_equal(a, "[::]:5432");
	endpoint(&r.v[1], false, a, sizeof(a));
	assert_string_equal(a, "[::ffff:127.0.0.1]:55118");
	endpoint(&r.v[2], false, a, sizeof(a));
	assert_string_equal(a, "[::1]:5432");
	assert_int_equal(r.v[2].inode, 179533);

	/* Header only: this machine without connections. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(tcp_table_parse(S(TCP6_HDR), true, collect, &r, &e), 0);
	assert_int_equal(r.n, 0);
	/* No callback: only checks. */
	assert_int_equal(tcp_table_parse(S(real_tcp), false, NULL, NULL, &e), 0);
}

/* A callback's non-zero value stops the walk and comes back. */
static int stop_at_second(const struct tcp_row *row, void *ctx)
{
	(void)row;
	return ++*(int *)ctx == 2 ? 42 : 0;
}

static void test_tcp_v6_and_stop(void **state)
{
	/* Hand-written in the tcp6 layout: 2001:db8::10 port 40000 to 2001:db8::5 port 5432,
	 * each 32-bit word as a little-endian host prints it. */
	static const char in[] = TCP6_HDR
	    "   0: B80D0120000000000000000010000000:9C40 B80D0120000000000000000005000000:1538 01 "
	    "00000000:00000000 00:00000000 00000000  1000        0 5551 1 0 20 4 30 10 -1\n";
	struct rows r = {0};
	struct perr e = {0};
	char a[64];
	int calls = 0;
	(void)state;
	assert_int_equal(tcp_table_parse(S(in), true, collect, &r, &e), 0);
	assert_int_equal(r.n, 1);
	assert_true(r.v[0].v6);
	assert_int_equal(r.v[0].uid, 1000);
	endpoint(&r.v[0], true, a, sizeof(a));
	assert_string_equal(a, "[2001:db8::10]:40000");
	endpoint(&r.v[0], false, a, sizeof(a));
	assert_string_equal(a, "[2001:db8::5]:5432");
	assert_int_equal(tcp_table_parse(S(real_tcp), false, stop_at_second, &calls, &e), 42);
	assert_int_equal(calls, 2);
}

static const struct {
	const char *name;
	bool v6;
	const char *in;
	size_t len;
	unsigned line;
	const char *msg;
} tcp_bad[] = {
    {"empty", false, S(""), 0, "empty file, expected a header line"},
    {"no header", false,
     S("   0: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1\n"), 1,
     "expected the 'sl local_address' header"},
    {"short row", false, S(TCP4_HDR "   0: 0100007F:18EB 00000000:0000 0A\n"), 2,
     "expected at least 10 fields, found 4"},
    {"v6 row in v4 table", false,
     S(TCP4_HDR "   0: 00000000000000000000000000000000:1538 "
                "00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 1\n"),
     2, "expected IPv4 addresses as 8 hex digits ':' 4 hex digits"},
    {"v4 row in v6 table", true,
     S(TCP6_HDR "   0: 0100007F:18EB 00000000:0000 0A 0:0 0:0 0 0 0 1\n"), 2,
     "expected IPv6 addresses as 32 hex digits ':' 4 hex digits"},
    {"bad hex", false, S(TCP4_HDR "   0: 0100007G:18EB 00000000:0000 0A 0:0 0:0 0 0 0 1\n"), 2,
     "expected IPv4 addresses as 8 hex digits ':' 4 hex digits"},
    {"short port", false, S(TCP4_HDR "   0: 0100007F:18E 00000000:0000 0A 0:0 0:0 0 0 0 1\n"), 2,
     "expected IPv4 addresses as 8 hex digits ':' 4 hex digits"},
    {"bad state", false, S(TCP4_HDR "   0: 0100007F:18EB 00000000:0000 A 0:0 0:0 0 0 0 1\n"), 2,
     "expected the state as 2 hex digits"},
    {"bad sl", false, S(TCP4_HDR "   x: 0100007F:18EB 00000000:0000 0A 0:0 0:0 0 0 0 1\n"), 2,
     "expected 'N:' as the first field"},
    {"uid overflow", false,
     S(TCP4_HDR "   0: 0100007F:18EB 00000000:0000 0A 0:0 0:0 0 4294967296 0 1\n"), 2,
     "uid is not a 32-bit decimal number"},
    {"bad inode", false, S(TCP4_HDR "   0: 0100007F:18EB 00000000:0000 0A 0:0 0:0 0 0 0 -1\n"), 2,
     "inode is not a decimal number"},
    {"truncated", false,
     S(TCP4_HDR "   0: 0100007F:18EB 00000000:0000 0A 0:0 0:0 0 0 0 1\n   1: 0100007F:18"), 3,
     "file ends in the middle of a line (truncated?)"},
    {"blank row", false, S(TCP4_HDR "\n"), 2, "expected at least 10 fields, found 0"},
};

static void test_tcp_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(tcp_bad); i++) {
		struct perr e = {0};
		struct rows r = {0};
		print_message("case %s\n", tcp_bad[i].name);
		assert_int_equal(
		    tcp_table_parse(tcp_bad[i].in, tcp_bad[i].len, tcp_bad[i].v6, collect, &r, &e),
		    -EINVAL);
		assert_int_equal(e.line, tcp_bad[i].line);
		assert_string_equal(e.msg, tcp_bad[i].msg);
	}
}

/* ---- the aggregator ---- */

static void test_agg_real(void **state)
{
	struct perr e = {0};
	struct eph_usage u;
	(void)state;
	struct tcp_agg *a = tcp_agg_new(32768, 60999);
	assert_int_equal(tcp_agg_add(a, S(real_tcp), false, &e), 0);
	assert_int_equal(tcp_agg_add(a, S(real_tcp6), true, &e), 0);
	tcp_agg_usage(a, &u);
	assert_int_equal(u.lo, 32768);
	assert_int_equal(u.hi, 60999);
	assert_int_equal(u.range, 28232);
	assert_int_equal(u.rows, 14);
	assert_int_equal(u.listen, 3);
	assert_int_equal(u.established, 10);
	assert_int_equal(u.time_wait, 1);
	/* Client ends only: 3 to :6379 (one in TIME_WAIT), 1 to :5432 over IPv4 and 2 over
	 * ::1; the server ends have local ports 6379 and 5432, outside the range. */
	assert_int_equal(u.sockets_in_range, 6);
	assert_int_equal(u.max_tuple, 3);
	assert_string_equal(u.max_dst, "127.0.0.1:6379");

	struct tcp_sock_ref ref;
	assert_true(tcp_agg_inode(a, 179531, &ref));
	assert_int_equal(ref.state, TCPS_ESTABLISHED);
	assert_int_equal(ref.lport, 0x9098);
	assert_true(ref.in_range);
	assert_false(ref.v6);
	assert_true(tcp_agg_inode(a, 179529, &ref));
	assert_int_equal(ref.state, TCPS_LISTEN);
	assert_true(ref.v6);
	assert_false(ref.in_range);
	assert_false(tcp_agg_inode(a, 0, &ref));
	assert_false(tcp_agg_inode(a, 12345, &ref));

	static const uint64_t inodes[] = {179528, 179531, 179532, 179533, 5, 6};
	struct tcp_proc_socks ps;
	tcp_agg_match(a, inodes, ARRAY_SIZE(inodes), &ps);
	assert_int_equal(ps.sockets, 6);
	assert_int_equal(ps.tcp, 4);
	assert_int_equal(ps.listen, 1);
	assert_int_equal(ps.established, 3);
	assert_int_equal(ps.in_range, 3);

	/* A bad table adds nothing. */
	assert_int_equal(tcp_agg_add(a, S(TCP4_HDR "   0: x\n"), false, &e), -EINVAL);
	tcp_agg_usage(a, &u);
	assert_int_equal(u.rows, 14);
	tcp_agg_free(a);

	/* Unknown range: state counts only. */
	a = tcp_agg_new(0, 0);
	assert_int_equal(tcp_agg_add(a, S(real_tcp), false, &e), 0);
	tcp_agg_usage(a, &u);
	assert_int_equal(u.range, 0);
	assert_int_equal(u.rows, 8);
	assert_int_equal(u.sockets_in_range, 0);
	assert_int_equal(u.max_tuple, 0);
	assert_string_equal(u.max_dst, "");
	tcp_agg_free(a);
	tcp_agg_free(NULL);
}

/* The 32-bit word the kernel prints for the IPv4 address a.b.c.d on this machine. */
static uint32_t w4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t bytes[4] = {a, b, c, d};
	uint32_t w;
	memcpy(&w, bytes, 4);
	return w;
}

static void row4(struct buf *b, size_t *sl, uint32_t la, unsigned lp, uint32_t ra, unsigned rp,
                 unsigned st, uint64_t inode)
{
	buf_appendf(b,
	            "%4zu: %08X:%04X %08X:%04X %02X 00000000:00000000 00:00000000 00000000   "
	            "  0        0 %llu 1 0000000000000000 20 0 0 10 -1\n",
	            (*sl)++, la, lp, ra, rp, st, (unsigned long long)inode);
}

/* 100002 rows: 28000 sockets from 10.0.0.1 and 22000 from 10.0.0.2 to 10.0.0.5:6379,
 * 20000 TIME_WAIT from 10.0.0.1 to 10.0.0.7:80 (re-using the ports of the first group,
 * which a different destination allows), and 30000 connections accepted by a listener
 * on 10.0.0.1:60900, a port inside the range, which use no ephemeral port. */
static void test_agg_100k(void **state)
{
	struct buf b = BUF_INIT;
	size_t sl = 0;
	struct perr e = {0};
	struct eph_usage u;
	(void)state;
	buf_appendf(&b, TCP4_HDR);
	uint32_t h1 = w4(10, 0, 0, 1), h2 = w4(10, 0, 0, 2), redis = w4(10, 0, 0, 5);
	uint32_t web = w4(10, 0, 0, 7);
	/* The accepted connections come first: the listener's row is found anyway. */
	for (unsigned i = 0; i < 30000; i++)
		row4(&b, &sl, h1, 60900, w4(10, 0, (uint8_t)(1 + i / 250), (uint8_t)(i % 250)),
		     1024 + i % 50000, TCPS_ESTABLISHED, 2000000 + i);
	row4(&b, &sl, h1, 60900, 0, 0, TCPS_LISTEN, 7);
	row4(&b, &sl, 0, 22, 0, 0, TCPS_LISTEN, 8);
	for (unsigned i = 0; i < 28000; i++)
		row4(&b, &sl, h1, 32768 + i, redis, 6379, TCPS_ESTABLISHED, 1000000 + i);
	for (unsigned i = 0; i < 22000; i++)
		row4(&b, &sl, h2, 32768 + i, redis, 6379, TCPS_ESTABLISHED, 3000000 + i);
	for (unsigned i = 0; i < 20000; i++)
		row4(&b, &sl, h1, 32768 + i, web, 80, TCPS_TIME_WAIT, 0);
	assert_int_equal(sl, 100002);

	struct tcp_agg *a = tcp_agg_new(32768, 60999);
	assert_int_equal(tcp_agg_add(a, b.p, b.len, false, &e), 0);
	tcp_agg_usage(a, &u);
	assert_int_equal(u.rows, 100002);
	assert_int_equal(u.listen, 2);
	assert_int_equal(u.established, 80000);
	assert_int_equal(u.time_wait, 20000);
	assert_int_equal(u.sockets_in_range, 70000);
	assert_int_equal(u.max_tuple, 28000);
	assert_string_equal(u.max_dst, "10.0.0.5:6379");
	struct tcp_sock_ref ref;
	assert_true(tcp_agg_inode(a, 1000005, &ref));
	assert_int_equal(ref.lport, 32773);
	assert_true(ref.in_range);
	assert_true(tcp_agg_inode(a, 2000005, &ref));
	assert_int_equal(ref.lport, 60900);
	assert_false(ref.in_range); /* accepted by the listener */

	/* IPv4-mapped rows of tcp6 add to the same destination: 10.0.0.2 reaches 28000 too,
	 * and the tie goes to the smaller endpoint (same destination here). */
	struct buf b6 = BUF_INIT;
	buf_appendf(&b6, TCP6_HDR);
	for (unsigned i = 0; i < 6000; i++)
		buf_appendf(
		    &b6,
		    "%4u: 0000000000000000FFFF0000%08X:%04X 0000000000000000FFFF0000%08X:%04X "
		    "01 00000000:00000000 00:00000000 00000000     0        0 %u 1 0 20 4 30 "
		    "10 -1\n",
		    i, h2, 54000 + i, redis, 6379, 4000000 + i);
	assert_int_equal(tcp_agg_add(a, b6.p, b6.len, true, &e), 0);
	tcp_agg_usage(a, &u);
	assert_int_equal(u.rows, 106002);
	assert_int_equal(u.sockets_in_range, 76000);
	assert_int_equal(u.max_tuple, 28000);
	assert_string_equal(u.max_dst, "10.0.0.5:6379");
	tcp_agg_free(a);
	buf_release(&b);
	buf_release(&b6);
}

/* A listener that only shows up in the second table still frees its port from
 * sockets_in_range (computed at the end). */
static void test_agg_late_listener(void **state)
{
	struct buf b = BUF_INIT;
	size_t sl = 0;
	struct perr e = {0};
	struct eph_usage u;
	(void)state;
	buf_appendf(&b, TCP4_HDR);
	row4(&b, &sl, w4(10, 0, 0, 1), 45000, w4(10, 0, 0, 9), 50000, TCPS_ESTABLISHED, 11);
	row4(&b, &sl, w4(10, 0, 0, 1), 45001, w4(10, 0, 0, 9), 80, TCPS_SYN_SENT, 12);
	row4(&b, &sl, w4(10, 0, 0, 1), 45002, 0, 0, TCPS_CLOSE, 13); /* bound, unconnected */
	struct tcp_agg *a = tcp_agg_new(32768, 60999);
	assert_int_equal(tcp_agg_add(a, b.p, b.len, false, &e), 0);
	tcp_agg_usage(a, &u);
	assert_int_equal(u.sockets_in_range, 3);
	assert_int_equal(u.max_tuple, 1);
	static const char listener6[] = TCP6_HDR
	    "   0: 00000000000000000000000000000000:AFC8 00000000000000000000000000000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000     0        0 14 1 0 100 0 0 10 0\n";
	assert_int_equal(tcp_agg_add(a, S(listener6), true, &e), 0);
	tcp_agg_usage(a, &u);
	assert_int_equal(u.sockets_in_range, 2);
	tcp_agg_free(a);
	buf_release(&b);
}

/* ---- softnet_stat ---- */

static void test_softnet(void **state)
{
	struct softnet sn;
	struct perr e = {0};
	(void)state;
	assert_int_equal(softnet_parse(S(real_softnet), &sn, &e), 0);
	assert_int_equal(sn.ncpu, 2);
	assert_int_equal(sn.ncols, 15);
	assert_true(sn.have_cpu_index);
	assert_int_equal(sn.processed, 0x12f + 0x318);
	assert_int_equal(sn.cpu[1].cpu, 1);
	softnet_release(&sn);
	assert_null(sn.cpu);
}

/* Hand-written rows of every column era (see net.h), two CPUs each. */
static const struct {
	const char *name, *in;
	size_t len;
	unsigned ncols;
	int64_t cpu1; /* the id of the second row */
} eras[] = {
    /* 2.6.34 and before: cpu_collision last */
    {"9",
     S("0000a3c1 00000002 0000001f 00000000 00000000 00000000 00000000 00000000 00000005\n"
       "00000001 00000001 00000001 00000000 00000000 00000000 00000000 00000000 00000000\n"),
     9, 1},
    /* 2.6.35 to 3.10 (RHEL 7): received_rps */
    {"10",
     S("0000a3c1 00000002 0000001f 00000000 00000000 00000000 00000000 00000000 00000000 "
       "00000007\n"
       "00000001 00000001 00000001 00000000 00000000 00000000 00000000 00000000 00000000 "
       "00000000\n"),
     10, 1},
    /* 3.11 to 5.9: flow_limit_count */
    {"11",
     S("0000a3c1 00000002 0000001f 00000000 00000000 00000000 00000000 00000000 00000000 "
       "00000007 00000003\n"
       "00000001 00000001 00000001 00000000 00000000 00000000 00000000 00000000 00000000 "
       "00000000 00000000\n"),
     11, 1},
    /* 5.10 to 6.3: backlog length and CPU id; CPU 1 offline, so the rows are 0 and 2 */
    {"13",
     S("0000a3c1 00000002 0000001f 00000000 00000000 00000000 00000000 00000000 00000000 "
       "00000007 00000003 00000000 00000000\n"
       "00000001 00000001 00000001 00000000 00000000 00000000 00000000 00000000 00000000 "
       "00000000 00000000 00000004 00000002\n"),
     13, 2},
    /* 6.4 and later: input_qlen and process_qlen, uppercase hex accepted */
    {"15",
     S("0000A3C1 00000002 0000001F 00000000 00000000 00000000 00000000 00000000 00000000 "
       "00000007 00000003 00000000 00000000 00000000 00000000\n"
       "00000001 00000001 00000001 00000000 00000000 00000000 00000000 00000000 00000000 "
       "00000000 00000000 00000004 0000000a 00000001 00000003\n"),
     15, 10},
};

static void test_softnet_eras(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(eras); i++) {
		struct softnet sn;
		struct perr e = {0};
		print_message("case %s columns\n", eras[i].name);
		assert_int_equal(softnet_parse(eras[i].in, eras[i].len, &sn, &e), 0);
		assert_int_equal(sn.ncols, eras[i].ncols);
		assert_int_equal(sn.ncpu, 2);
		assert_int_equal(sn.have_cpu_index, eras[i].ncols >= 13);
		assert_int_equal(sn.processed, 0xa3c1 + 1);
		assert_int_equal(sn.dropped, 3);
		assert_int_equal(sn.time_squeeze, 0x20);
		assert_int_equal(sn.cpu[0].cpu, 0);
		assert_int_equal(sn.cpu[1].cpu, eras[i].cpu1);
		assert_int_equal(sn.cpu[0].dropped, 2);
		softnet_release(&sn);
	}
	/* u32 counters near the wrap sum without wrapping; 40 rows grow the array. */
	struct buf b = BUF_INIT;
	for (int i = 0; i < 40; i++)
		buf_appendf(&b, "ffffffff 00000000 00000000 0 0 0 0 0 0 0 0\n");
	struct softnet sn;
	struct perr e = {0};
	assert_int_equal(softnet_parse(b.p, b.len, &sn, &e), 0);
	assert_int_equal(sn.ncpu, 40);
	assert_int_equal(sn.processed, 40ull * 0xffffffffull);
	assert_int_equal(sn.cpu[39].cpu, 39);
	softnet_release(&sn);
	buf_release(&b);
}

static const struct {
	const char *name, *in;
	size_t len;
	unsigned line;
	const char *msg;
} softnet_bad[] = {
    {"empty", S(""), 0, "no rows (every system has a CPU online)"},
    {"8 columns", S("1 2 3 4 5 6 7 8\n"), 1, "expected 9 to 64 columns, found 8"},
    {"mixed widths", S("1 2 3 4 5 6 7 8 9 a b\n1 2 3 4 5 6 7 8 9 a b c d\n"), 2,
     "expected 11 columns as on line 1, found 13"},
    {"not hex", S("0000000g 0 0 0 0 0 0 0 0\n"), 1, "column 1 is not a 32-bit hex number"},
    {"33 bits", S("0 100000000 0 0 0 0 0 0 0\n"), 1, "column 2 is not a 32-bit hex number"},
    {"0x prefix", S("0 0 0x1 0 0 0 0 0 0\n"), 1, "column 3 is not a 32-bit hex number"},
    {"truncated", S("0 0 0 0 0 0 0 0 0\n0 0 0 0"), 2,
     "file ends in the middle of a line (truncated?)"},
    {"blank line", S("0 0 0 0 0 0 0 0 0\n\n"), 2, "expected 9 to 64 columns, found 0"},
};

static void test_softnet_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(softnet_bad); i++) {
		struct softnet sn;
		struct perr e = {0};
		print_message("case %s\n", softnet_bad[i].name);
		assert_int_equal(softnet_parse(softnet_bad[i].in, softnet_bad[i].len, &sn, &e),
		                 -EINVAL);
		assert_int_equal(e.line, softnet_bad[i].line);
		assert_string_equal(e.msg, softnet_bad[i].msg);
		assert_int_equal(sn.ncpu, 0);
		assert_null(sn.cpu);
	}
}

/* ---- process sockets ---- */

static const struct {
	const char *target;
	int rc;
	uint64_t inode;
} links[] = {
    {"socket:[179528]", 0, 179528},
    {"socket:[0]", 0, 0},
    {"socket:[18446744073709551615]", 0, UINT64_MAX},
    {"socket:[18446744073709551616]", -EINVAL, 0},
    {"socket:[]", -EINVAL, 0},
    {"socket:[12", -EINVAL, 0},
    {"socket:12]", -EINVAL, 0},
    {"socket:[1 2]", -EINVAL, 0},
    {"pipe:[179528]", -EINVAL, 0},
    {"anon_inode:[eventpoll]", -EINVAL, 0},
    {"/dev/null", -EINVAL, 0},
    {"", -EINVAL, 0},
};

static void test_socket_link(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
		uint64_t ino = 0;
		print_message("case '%s'\n", links[i].target);
		assert_int_equal(socket_link_inode(links[i].target, &ino), links[i].rc);
		assert_int_equal(ino, links[i].inode);
	}
}

static struct tree fx;

static void test_proc_sockets_tree(void **state)
{
	struct tree *t = *state;
	uint64_t *ino = NULL;
	tree_symlink(t, "/proc/4242/fd/0", "/dev/null");
	tree_symlink(t, "/proc/4242/fd/1", "socket:[111]");
	tree_symlink(t, "/proc/4242/fd/2", "pipe:[7]");
	tree_symlink(t, "/proc/4242/fd/3", "socket:[222]");
	tree_symlink(t, "/proc/4242/fd/10", "socket:[abc]");
	assert_int_equal(proc_socket_inodes(&t->r, 4242, &ino), 2);
	assert_non_null(ino);
	assert_int_equal(ino[0], 111); /* "1" sorts before "3" */
	assert_int_equal(ino[1], 222);
	free(ino);
	assert_int_equal(proc_socket_inodes(&t->r, 4242, NULL), 2);
	tree_mkdir(t, "/proc/4243/fd");
	assert_int_equal(proc_socket_inodes(&t->r, 4243, &ino), 0);
	assert_null(ino);
	assert_int_equal(proc_socket_inodes(&t->r, 1, &ino), -ENOENT);
	assert_null(ino);
}

/* This very process on the live root: the socket it just made is among its own. */
static void test_proc_sockets_live(void **state)
{
	struct rootfs r;
	struct stat st;
	uint64_t *ino = NULL;
	(void)state;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(rootfs_open(&r, "/"), 0);
	ssize_t n = proc_socket_inodes(&r, getpid(), &ino);
	assert_true(n >= 1);
	bool found = false;
	for (ssize_t i = 0; i < n; i++)
		found |= ino[i] == (uint64_t)st.st_ino;
	assert_true(found);
	free(ino);
	rootfs_close(&r);
	close(fd);
}

/* ---- NICs ---- */

#define VIRTIO "/sys/devices/pci0000:00/0000:00:03.0/virtio2"

/* The sysfs shape of this machine: eth0 a virtio-net PCI device, lo and two ifb
 * without a device link; plus a bridge and a 4-queue NIC of another driver. */
static void put_sysfs_net(struct tree *t)
{
	tree_symlink(t, "/sys/class/net/eth0",
	             "../../devices/pci0000:00/0000:00:03.0/virtio2/net/eth0");
	tree_symlink(t, VIRTIO "/net/eth0/device", "../../../virtio2");
	tree_symlink(t, VIRTIO "/driver", "../../../../bus/virtio/drivers/virtio_net");
	tree_mkdir(t, "/sys/bus/virtio/drivers/virtio_net");
	tree_mkdir(t, VIRTIO "/net/eth0/queues/rx-0");
	tree_mkdir(t, VIRTIO "/net/eth0/queues/tx-0");
	tree_put(t, VIRTIO "/net/eth0/speed", "-1\n");
	tree_put(t, VIRTIO "/net/eth0/operstate", "up\n");
	tree_symlink(t, "/sys/class/net/lo", "../../devices/virtual/net/lo");
	tree_mkdir(t, "/sys/devices/virtual/net/lo/queues/rx-0");
	tree_symlink(t, "/sys/class/net/ifb0", "../../devices/virtual/net/ifb0");
	tree_mkdir(t, "/sys/devices/virtual/net/ifb0");
	tree_symlink(t, "/sys/class/net/br0", "../../devices/virtual/net/br0");
	tree_mkdir(t, "/sys/devices/virtual/net/br0/bridge");
	/* An ENA-like NIC, link speed readable, 4 queue pairs; no driver bound. */
	tree_symlink(t, "/sys/class/net/ens5", "../../devices/pci0000:00/0000:00:05.0/net/ens5");
	tree_symlink(t, "/sys/devices/pci0000:00/0000:00:05.0/net/ens5/device",
	             "../../../0000:00:05.0");
	for (int i = 0; i < 4; i++) {
		char p[128];
		snprintf(p, sizeof(p), "/sys/devices/pci0000:00/0000:00:05.0/net/ens5/queues/rx-%d",
		         i);
		tree_mkdir(t, p);
		snprintf(p, sizeof(p), "/sys/devices/pci0000:00/0000:00:05.0/net/ens5/queues/tx-%d",
		         i);
		tree_mkdir(t, p);
	}
	tree_put(t, "/sys/devices/pci0000:00/0000:00:05.0/net/ens5/speed", "25000\n");
	tree_put(t, "/sys/devices/pci0000:00/0000:00:05.0/net/ens5/operstate", "down\n");
}

static void test_nics_tree(void **state)
{
	struct tree *t = *state;
	struct nic *v;
	size_t n;
	assert_int_equal(nics_read(&t->r, &v, &n), -ENOENT);
	assert_null(v);
	put_sysfs_net(t);
	assert_int_equal(nics_read(&t->r, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].name, "ens5");
	assert_string_equal(v[0].driver, "");
	assert_int_equal(v[0].rxq, 4);
	assert_int_equal(v[0].txq, 4);
	assert_int_equal(v[0].speed_mbps, 25000);
	assert_string_equal(v[0].operstate, "down");
	assert_string_equal(v[1].name, "eth0");
	assert_string_equal(v[1].driver, "virtio_net");
	assert_int_equal(v[1].rxq, 1);
	assert_int_equal(v[1].txq, 1);
	assert_int_equal(v[1].speed_mbps, -1);
	assert_string_equal(v[1].operstate, "up");
	for (size_t i = 0; i < n; i++) {
		/* No ioctl under a fixture root: it would describe this machine. */
		assert_false(v[i].have_channels);
		assert_false(v[i].have_ring);
		assert_false(v[i].have_drvinfo);
		assert_int_equal(v[i].channels_err, NIC_NOT_ASKED);
		assert_int_equal(v[i].ring_err, NIC_NOT_ASKED);
		assert_int_equal(v[i].drvinfo_err, NIC_NOT_ASKED);
	}
	free(v);
}

/* The live root: whatever NICs this machine has, each ioctl either answered or gave
 * an errno, never "not asked". */
static void test_nics_live(void **state)
{
	struct rootfs r;
	struct nic *v;
	size_t n;
	(void)state;
	assert_int_equal(rootfs_open(&r, "/"), 0);
	assert_int_equal(nics_read(&r, &v, &n), 0);
	for (size_t i = 0; i < n; i++) {
		print_message("nic %s driver %s\n", v[i].name, v[i].driver);
		assert_int_equal(v[i].have_channels, v[i].channels_err == 0);
		assert_int_equal(v[i].have_ring, v[i].ring_err == 0);
		assert_int_equal(v[i].have_drvinfo, v[i].drvinfo_err == 0);
		assert_true(v[i].channels_err >= 0);
		if (v[i].have_channels && v[i].ch.max_combined)
			assert_true(v[i].ch.combined <= v[i].ch.max_combined);
		if (v[i].have_ring)
			assert_true(v[i].ring.rx <= v[i].ring.rx_max);
		assert_string_not_equal(v[i].name, "lo");
	}
	free(v);
	rootfs_close(&r);
}

/* ---- netstate_read ---- */

static void put_net_files(struct tree *t)
{
	tree_put(t, "/proc/net/sockstat", real_sockstat);
	tree_put(t, "/proc/sys/net/ipv4/tcp_mem", "287901\t383870\t575802\n");
	tree_put(t, "/proc/sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
	tree_put(t, "/proc/net/tcp", real_tcp);
	tree_put(t, "/proc/net/tcp6", real_tcp6);
	tree_put(t, "/proc/net/softnet_stat", real_softnet);
	tree_put(t, "/proc/sys/net/core/netdev_max_backlog", "1000\n");
	tree_put(t, "/proc/sys/net/core/netdev_budget", "300\n");
	tree_put(t, "/proc/sys/net/ipv4/tcp_max_orphans", "131072\n");
	tree_put(t, "/proc/sys/net/netfilter/nf_conntrack_count", "1234\n");
	tree_put(t, "/proc/sys/net/netfilter/nf_conntrack_max", "262144\n");
	put_sysfs_net(t);
}

static void test_netstate_tree(void **state)
{
	struct tree *t = *state;
	struct netstate ns;
	put_net_files(t);
	netstate_read(&t->r, &ns);
	assert_int_equal(ns.sockstat_src.state, SRC_OK);
	assert_int_equal(ns.ss.tcp_mem_pages, 131);
	assert_int_equal(ns.tcp_mem_src.state, SRC_OK);
	assert_int_equal(ns.tcp_mem[1], 383870);
	assert_int_equal(ns.port_range_src.state, SRC_OK);
	assert_int_equal(ns.port_lo, 32768);
	assert_int_equal(ns.tcp_src.state, SRC_OK);
	assert_int_equal(ns.tcp6_src.state, SRC_OK);
	assert_int_equal(ns.eph.rows, 14);
	assert_int_equal(ns.eph.max_tuple, 3);
	assert_string_equal(ns.eph.max_dst, "127.0.0.1:6379");
	assert_non_null(ns.tcp);
	assert_int_equal(ns.softnet_src.state, SRC_OK);
	assert_int_equal(ns.sn.ncpu, 2);
	assert_int_equal(ns.ct_count_src.state, SRC_OK);
	assert_int_equal(ns.ct_count, 1234);
	assert_int_equal(ns.ct_max, 262144);
	assert_int_equal(ns.netdev_max_backlog, 1000);
	assert_int_equal(ns.netdev_budget, 300);
	assert_int_equal(ns.tcp_max_orphans, 131072);
	assert_int_equal(ns.nics_src.state, SRC_OK);
	assert_int_equal(ns.nnics, 2);
	netstate_release(&ns);
	assert_null(ns.tcp);

	/* The conntrack module unloaded, no IPv6, a broken sockstat and a bad range. */
	tree_drop(t, "/proc/sys/net/netfilter/nf_conntrack_count");
	tree_drop(t, "/proc/sys/net/netfilter/nf_conntrack_max");
	tree_drop(t, "/proc/net/tcp6");
	tree_put(t, "/proc/net/sockstat", "sockets: used 1\nTCP: inuse x\n");
	tree_put(t, "/proc/sys/net/ipv4/ip_local_port_range", "61000 32768\n");
	netstate_read(&t->r, &ns);
	assert_int_equal(ns.ct_count_src.state, SRC_UNAVAILABLE);
	assert_int_equal(ns.ct_max_src.state, SRC_UNAVAILABLE);
	assert_int_equal(ns.ct_count, 0);
	assert_int_equal(ns.tcp6_src.state, SRC_UNAVAILABLE);
	assert_int_equal(ns.sockstat_src.state, SRC_ERROR);
	char want[512];
	snprintf(want, sizeof(want), "'%s' line 2: value of 'TCP: inuse' is not a number",
	         tree_path(t, "/proc/net/sockstat"));
	assert_string_equal(ns.sockstat_src.err, want);
	assert_int_equal(ns.port_range_src.state, SRC_ERROR);
	/* The tables are still counted, without a range. */
	assert_int_equal(ns.tcp_src.state, SRC_OK);
	assert_int_equal(ns.eph.rows, 8);
	assert_int_equal(ns.eph.range, 0);
	assert_int_equal(ns.eph.sockets_in_range, 0);
	netstate_release(&ns);

	/* A broken TCP table is an error of that file only. */
	tree_put(t, "/proc/net/tcp", TCP4_HDR "   0: 0100007F:18EB\n");
	netstate_read(&t->r, &ns);
	assert_int_equal(ns.tcp_src.state, SRC_ERROR);
	snprintf(want, sizeof(want), "'%s' line 2: expected at least 10 fields, found 2",
	         tree_path(t, "/proc/net/tcp"));
	assert_string_equal(ns.tcp_src.err, want);
	assert_null(ns.tcp); /* neither table read */
	assert_int_equal(ns.eph.rows, 0);
	netstate_release(&ns);
}

static void test_netstate_empty(void **state)
{
	struct tree *t = *state;
	struct netstate ns;
	netstate_read(&t->r, &ns);
	assert_int_equal(ns.sockstat_src.state, SRC_UNAVAILABLE);
	assert_int_equal(ns.tcp_mem_src.state, SRC_UNAVAILABLE);
	assert_int_equal(ns.tcp_src.state, SRC_UNAVAILABLE);
	assert_int_equal(ns.softnet_src.state, SRC_UNAVAILABLE);
	assert_int_equal(ns.budget_src.state, SRC_UNAVAILABLE);
	assert_int_equal(ns.nics_src.state, SRC_UNAVAILABLE);
	assert_null(ns.tcp);
	assert_null(ns.nics);
	netstate_release(&ns);
}

#define FX(t) cmocka_unit_test_prestate_setup_teardown(t, tree_setup, tree_teardown, &fx)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sockstat),
	    cmocka_unit_test(test_sockstat_bad),
	    cmocka_unit_test(test_triple_and_range),
	    cmocka_unit_test(test_tcp_real),
	    cmocka_unit_test(test_tcp_v6_and_stop),
	    cmocka_unit_test(test_tcp_bad),
	    cmocka_unit_test(test_agg_real),
	    cmocka_unit_test(test_agg_100k),
	    cmocka_unit_test(test_agg_late_listener),
	    cmocka_unit_test(test_softnet),
	    cmocka_unit_test(test_softnet_eras),
	    cmocka_unit_test(test_softnet_bad),
	    cmocka_unit_test(test_socket_link),
	    FX(test_proc_sockets_tree),
	    cmocka_unit_test(test_proc_sockets_live),
	    FX(test_nics_tree),
	    cmocka_unit_test(test_nics_live),
	    FX(test_netstate_tree),
	    FX(test_netstate_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
