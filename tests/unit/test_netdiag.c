// SPDX-License-Identifier: MIT
/* The sock_diag reader against sockets this test opens on loopback: a listener, a
 * client connected to it and the accepted side must all appear with their ports,
 * states and inodes, and the aggregator must count the client's ephemeral port
 * toward the listener's address (and not the accepted side's). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/net.h"

static uint64_t inode_of(int fd)
{
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	return (uint64_t)st.st_ino;
}

static const struct tcp_row *find(const struct tcp_row *rows, size_t n, uint64_t inode)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].inode == inode)
			return &rows[i];
	return NULL;
}

static void test_loopback(void **state)
{
	(void)state;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(l >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 4), 0);
	socklen_t al = sizeof(a);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &al), 0);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	int s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	struct sockaddr_in ca;
	socklen_t cl = sizeof(ca);
	assert_int_equal(getsockname(c, (struct sockaddr *)&ca, &cl), 0);

	struct tcp_row *rows;
	size_t n;
	bool v6;
	int rc = tcp_diag_dump(&rows, &n, &v6);
	if (rc == -EPROTONOSUPPORT || rc == -EACCES) {
		close(s), close(c), close(l);
		skip();
	}
	assert_int_equal(rc, 0);
	const struct tcp_row *rl = find(rows, n, inode_of(l)), *rc_ = find(rows, n, inode_of(c)),
			     *rs = find(rows, n, inode_of(s));
	assert_non_null(rl);
	assert_non_null(rc_);
	assert_non_null(rs);
	assert_int_equal(rl->state, TCPS_LISTEN);
	assert_int_equal(rl->lport, ntohs(a.sin_port));
	assert_int_equal(rc_->state, TCPS_ESTABLISHED);
	assert_int_equal(rc_->lport, ntohs(ca.sin_port));
	assert_int_equal(rc_->rport, ntohs(a.sin_port));
	assert_memory_equal(rc_->raddr, "\x7f\x00\x00\x01", 4);
	assert_int_equal(rs->lport, ntohs(a.sin_port));
	assert_int_equal(rs->rport, ntohs(ca.sin_port));

	/* The client's port is ephemeral toward 127.0.0.1:<listener>; the accepted side
	 * shares the listener's port and takes none. */
	uint16_t p = ntohs(ca.sin_port);
	struct tcp_agg *agg = tcp_agg_new(p, p);
	tcp_agg_add_rows(agg, rows, n);
	struct eph_usage u;
	tcp_agg_usage(agg, &u);
	assert_int_equal(u.max_tuple, 1);
	char want[64];
	snprintf(want, sizeof(want), "127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
	assert_string_equal(u.max_dst, want);
	struct tcp_sock_ref ref;
	assert_true(tcp_agg_inode(agg, inode_of(c), &ref));
	assert_true(ref.in_range);
	tcp_agg_free(agg);
	free(rows);
	close(s), close(c), close(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loopback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
