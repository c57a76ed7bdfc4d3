// SPDX-License-Identifier: MIT
/* Busy network services: discovery by socket count. */
#include "workload/netsvc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/net.h"
#include "util/xalloc.h"
#include "util/banned.h"

bool netsvc_count_sockets(const struct rootfs *r, int64_t pid, uint64_t *n)
{
	ssize_t k = proc_socket_inodes(r, pid, NULL);
	if (k < 0)
		return false;
	*n = (uint64_t)k;
	return true;
}

static void fill(const struct rootfs *r, struct netsvc *ns)
{
	char *comm;
	ssize_t len = svc_read_pid_file(r, ns->p.pid, "comm", &comm);
	if (len >= 0) {
		span_copy(span_trim((struct span){comm, (size_t)len}), ns->comm, sizeof(ns->comm));
		free(comm);
	}
	svc_unit(&ns->p, ns->unit, sizeof(ns->unit));
	if (ns->unit[0]) {
		unit_read(r, ns->unit, &ns->unit_info);
		ns->have_unit = ns->unit_info.src.state != SRC_UNAVAILABLE;
	}
}

bool netsvc_from_pid(const struct rootfs *r, int64_t pid, struct netsvc *ns)
{
	memset(ns, 0, sizeof(*ns));
	if (!svc_proc_read(r, pid, &ns->p))
		return false;
	netsvc_count_sockets(r, pid, &ns->sockets);
	fill(r, ns);
	return true;
}

size_t netsvc_discover(const struct rootfs *r, const int64_t *exclude, size_t nexclude,
		       uint64_t min_sockets, struct netsvc **out)
{
	struct strlist pids = {0};
	size_t n = 0, cap = 0;
	*out = NULL;
	if (rootfs_list(r, "/proc", &pids) < 0)
		return 0;
	for (size_t i = 0; i < pids.n; i++) {
		uint64_t pid;
		if (parse_u64(span_from(pids.v[i]), &pid) < 0 || pid == 0 || pid > INT32_MAX)
			continue;
		bool skip = false;
		for (size_t k = 0; k < nexclude && !skip; k++)
			skip = exclude[k] == (int64_t)pid;
		/* Listing the fd directory is cheap; reading every link only pays off for
		 * processes with enough descriptors to qualify. */
		char dir[64];
		struct strlist fds = {0};
		snprintf(dir, sizeof(dir), "/proc/%llu/fd", (unsigned long long)pid);
		if (skip || rootfs_list(r, dir, &fds) < (int)min_sockets) {
			strlist_release(&fds);
			continue;
		}
		strlist_release(&fds);
		uint64_t socks;
		if (!netsvc_count_sockets(r, (int64_t)pid, &socks) || socks < min_sockets)
			continue;
		ALLOC_GROW(*out, n + 1, cap);
		struct netsvc *ns = &(*out)[n];
		memset(ns, 0, sizeof(*ns));
		if (!svc_proc_read(r, (int64_t)pid, &ns->p))
			continue;
		ns->sockets = socks;
		fill(r, ns);
		n++;
	}
	strlist_release(&pids);
	return n;
}

void netsvc_subject(const struct netsvc *ns, char *buf, size_t n)
{
	snprintf(buf, n, "network service %s (pid %lld, %llu sockets)", ns->comm[0] ? ns->comm : "?",
		 (long long)ns->p.pid, (unsigned long long)ns->sockets);
}

void netsvc_free(struct netsvc *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		svc_proc_release(&v[i].p);
		unit_release(&v[i].unit_info);
	}
	free(v);
}
