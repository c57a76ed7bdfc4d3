// SPDX-License-Identifier: MIT
/* libFuzzer target for the network parsers: /proc/net/sockstat, the TCP tables and
 * the ephemeral-port aggregator, softnet_stat, tcp_mem, the port range and fd link
 * targets. Each gets the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/net.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void check_agg(const char *buf, size_t n, uint64_t lo, uint64_t hi)
{
	struct perr e = {0};
	struct eph_usage u;
	struct tcp_agg *a = tcp_agg_new(lo, hi);
	/* The same bytes as both tables, and twice as v4 so repeated rows meet. */
	(void)tcp_agg_add(a, buf, n, false, &e);
	(void)tcp_agg_add(a, buf, n, true, &e);
	(void)tcp_agg_add(a, buf, n, false, &e);
	tcp_agg_usage(a, &u);
	if (u.max_tuple > u.sockets_in_range + u.rows || u.listen + u.established > u.rows ||
	    (u.max_tuple && !u.max_dst[0]) || memchr(u.max_dst, '\0', sizeof(u.max_dst)) == NULL)
		__builtin_trap();
	uint64_t inodes[4] = {0, 1, 179528, UINT64_MAX};
	struct tcp_proc_socks ps;
	tcp_agg_match(a, inodes, 4, &ps);
	if (ps.tcp > 4 || ps.listen + ps.established > ps.tcp)
		__builtin_trap();
	tcp_agg_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct perr e = {0};

	struct sockstat ss;
	if (sockstat_parse(buf, n, &ss, &e) == 0 && ss.have_tcp && n == 0)
		__builtin_trap();

	uint64_t v[3], lo, hi;
	(void)sysctl_triple_parse(buf, n, v, &e);
	if (port_range_parse(buf, n, &lo, &hi, &e) == 0 && (lo > hi || hi > 65535))
		__builtin_trap();

	struct softnet sn;
	if (softnet_parse(buf, n, &sn, &e) == 0) {
		uint64_t sum = 0;
		for (size_t i = 0; i < sn.ncpu; i++)
			sum += sn.cpu[i].processed;
		if (sn.ncpu == 0 || sn.ncols < 9 || sum != sn.processed)
			__builtin_trap();
	}
	softnet_release(&sn);

	/* The whole port space, and no range at all (the two ends of tcp_agg_new). */
	check_agg(buf, n, 1, 65535);
	check_agg(buf, n, 0, 0);

	uint64_t ino;
	(void)socket_link_inode(buf, &ino);
	free(buf);
	return 0;
}
