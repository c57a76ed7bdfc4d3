// SPDX-License-Identifier: MIT
/* The TCP sockets of the live host through NETLINK_SOCK_DIAG, as ss(8) reads them.
 * Reading /proc/net/tcp walks the whole established hash on every read() call
 * (about 2.5 ms per call on a 24 GiB guest, and a table takes at least two calls);
 * one sock_diag dump walks it once. Fixture trees still use the /proc tables. */
#include "host/net.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* Upper bound on rows kept, as TCP_TABLE_MAX bounds the /proc tables. */
#define DIAG_MAX_ROWS (4u << 20)

static int dump_family(int fd, int family, struct tcp_row **rows, size_t *n, size_t *cap)
{
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 req;
	} msg;
	memset(&msg, 0, sizeof(msg));
	msg.nh.nlmsg_len = sizeof(msg);
	msg.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nh.nlmsg_seq = (unsigned)family;
	msg.req.sdiag_family = (unsigned char)family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = ~0u; /* every state, TIME_WAIT and NEW_SYN_RECV included */
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	static char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (len == 0)
			return -EIO;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				return h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error ? e->error : -EIO;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				continue;
			const struct inet_diag_msg *m = NLMSG_DATA(h);
			if (*n >= DIAG_MAX_ROWS)
				return -EFBIG;
			ALLOC_GROW(*rows, *n + 1, *cap);
			struct tcp_row *row = &(*rows)[(*n)++];
			memset(row, 0, sizeof(*row));
			row->v6 = m->idiag_family == AF_INET6;
			/* idiag_src/dst are big-endian words, so their bytes are the address. */
			memcpy(row->laddr, m->id.idiag_src, row->v6 ? 16 : 4);
			memcpy(row->raddr, m->id.idiag_dst, row->v6 ? 16 : 4);
			row->lport = ntohs(m->id.idiag_sport);
			row->rport = ntohs(m->id.idiag_dport);
			row->state = m->idiag_state;
			row->uid = m->idiag_uid;
			row->inode = m->idiag_inode;
			row->line = (unsigned)*n;
		}
	}
}

int tcp_diag_dump(struct tcp_row **rows, size_t *n, bool *have_v6)
{
	size_t cap = 0;
	*rows = NULL;
	*n = 0;
	*have_v6 = false;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	int rc = dump_family(fd, AF_INET, rows, n, &cap);
	if (rc == 0) {
		/* A kernel without IPv6 answers the AF_INET6 dump with an error: no table. */
		*have_v6 = dump_family(fd, AF_INET6, rows, n, &cap) == 0;
	}
	close(fd);
	if (rc < 0) {
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}
