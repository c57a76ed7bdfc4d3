/* SPDX-License-Identifier: MIT */
/* Generic network services: processes that are not a known database but hold many
 * sockets (a Go HTTP service with thousands of Redis connections, a proxy), found
 * under /proc or named with --pid. kres audits their descriptor limits; the host's
 * network limits they press on (ports, conntrack, tcp_mem) are host rules. */
#ifndef KRES_NETSVC_H
#define KRES_NETSVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/unit.h"
#include "workload/svc.h"

/* A process with at least this many sockets is a busy network service. */
#define NETSVC_MIN_SOCKETS 500

struct netsvc {
	struct svc_proc p;
	char comm[64];
	uint64_t sockets;   /* descriptors that are sockets */
	char unit[128];
	struct unit_info unit_info;
	bool have_unit;
};

/* Finds processes with at least min_sockets sockets, skipping the pids in exclude
 * (the database servers already audited). Returns the count; *out is owned. */
size_t netsvc_discover(const struct rootfs *r, const int64_t *exclude, size_t nexclude,
		       uint64_t min_sockets, struct netsvc **out);
/* Reads one process as a network service (--pid). Returns false when it is gone. */
bool netsvc_from_pid(const struct rootfs *r, int64_t pid, struct netsvc *ns);
/* Counts the socket descriptors of pid ("socket:[N]" links in /proc/PID/fd). */
bool netsvc_count_sockets(const struct rootfs *r, int64_t pid, uint64_t *n);
/* "network service envoy (pid 4242)" */
void netsvc_subject(const struct netsvc *ns, char *buf, size_t n);
void netsvc_free(struct netsvc *v, size_t n);

#endif
