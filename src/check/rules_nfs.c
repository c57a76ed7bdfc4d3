// SPDX-License-Identifier: MIT
/* The kernel NFS server: its thread count against the vCPUs it runs on, whether
 * the threads keep up, and exports that acknowledge writes before they are safe. */
#include "check/rules.h"

#include <stdio.h>
#include <string.h>

#include "host/nfsd.h"
#include "util/banned.h"

/* Threads per vCPU above which a VM is at risk. The incident behind this rule: 64
 * nfsd threads on 8 vCPUs of an AWS VM under bonnie++ load gave "watchdog: BUG:
 * soft lockup" and ENA "TX hasn't completed"; 8 threads fixed it. nfs-utils
 * defaults to 8 threads (16 in late-2024 releases). kres's threshold, not a
 * documented one. */
#define NFSD_PER_VCPU 4

void rule_nfs_threads(struct check_ctx *c, const struct rule *r)
{
	const struct nfsd_state *n = c->nfsd;
	unsigned ncpus = c->h->ncpus;
	bool vm = c->h->virt.kind != VIRT_NONE;
	bool many = ncpus && n->threads > NFSD_PER_VCPU * ncpus;
	struct finding *f = finding_add(c, r, many && vm ? FS_FAIL : many ? FS_INFO : FS_OK, "nfsd",
					"%u nfsd threads on %u vCPUs%s", n->threads, ncpus,
					vm ? " in a VM" : "");
	finding_set(f, FF_SOURCE, "%s; /sys/devices/system/cpu/online",
		    rootfs_show(c->h->root, "/proc/fs/nfsd/threads"));
	if (n->conf_threads_set)
		finding_set(f, FF_OBSERVED, "configured threads = %u in %s", n->conf_threads, n->conf_origin);
	finding_set(f, FF_REQUIRED, "in a VM, at most %u threads per vCPU (%u here)", NFSD_PER_VCPU,
		    NFSD_PER_VCPU * ncpus);
	if (!many)
		return;
	unsigned want = ncpus > 8 ? ncpus : 8;
	finding_set(f, FF_FIX_RUNTIME, "rpc.nfsd %u", want);
	finding_set(f, FF_FIX_FILE, "/etc/nfs.conf");
	finding_set(f, FF_FIX_PERSIST, "[nfsd]\nthreads=%u", want);
	finding_set(f, FF_NOTE, "many runnable nfsd threads under I/O load keep few vCPUs busy in the kernel; when the host also steals time the soft-lockup watchdog fires (20 s = 2 x kernel.watchdog_thresh)%s",
		    n->conf_threads_set && n->conf_threads != n->threads
			    ? "; the running count differs from the configured one" : "");
}

void rule_nfs_pool(struct check_ctx *c, const struct rule *r)
{
	const struct nfsd_state *n = c->nfsd;
	if (n->stats_src.state != SRC_OK) {
		struct finding *f = finding_add(c, r, FS_UNKNOWN, "nfsd", "/proc/fs/nfsd/pool_stats unreadable");
		finding_set(f, FF_NOTE, "%s", n->stats_src.err);
		return;
	}
	/* svc_xprt_enqueue counts sockets-enqueued when a transport had data and no
	 * idle thread took it (net/sunrpc/svc_xprt.c). Lifetime totals: the share is
	 * an average since nfsd started. */
	unsigned pct = n->packets ? (unsigned)(n->enqueued * 100 / n->packets) : 0;
	bool busy = n->packets >= 1000 && pct > 10;
	struct finding *f = finding_add(c, r, busy ? FS_FAIL : FS_OK, "nfsd",
					"%llu of %llu arrivals waited for a thread (%u%%)",
					(unsigned long long)n->enqueued, (unsigned long long)n->packets, pct);
	finding_set(f, FF_SOURCE, "%s (since nfsd started)", rootfs_show(c->h->root, "/proc/fs/nfsd/pool_stats"));
	finding_set(f, FF_OBSERVED, "packets-arrived %llu, sockets-enqueued %llu, threads-woken %llu",
		    (unsigned long long)n->packets, (unsigned long long)n->enqueued,
		    (unsigned long long)n->woken);
	finding_set(f, FF_REQUIRED, "at most 10 %% of arrivals wait for a thread (kres's threshold)");
	if (busy)
		finding_set(f, FF_NOTE, "the threads are often all busy: add threads only while NFS-01 allows it; in a VM more vCPUs help more than more threads");
}

void rule_nfs_exports(struct check_ctx *c, const struct rule *r)
{
	const struct nfsd_state *n = c->nfsd;
	size_t before = c->nf;
	for (size_t i = 0; i < n->nexp; i++) {
		const struct nfs_export *e = &n->exp[i];
		if (!e->async)
			continue;
		/* The kernel's table repeats what /etc/exports configured: report it once. */
		bool dup = false;
		for (size_t k = 0; k < n->nexp && e->kernel && !dup; k++)
			dup = !n->exp[k].kernel && !strcmp(n->exp[k].path, e->path) &&
			      !strcmp(n->exp[k].client, e->client);
		if (dup)
			continue;
		char s[400];
		snprintf(s, sizeof(s), "export %s %s", e->path, e->client);
		struct finding *f = finding_add(c, r, FS_FAIL, s, "exported async%s",
						e->kernel ? " (in the kernel's table)" : "");
		finding_set(f, FF_SOURCE, "%s", e->origin);
		finding_set(f, FF_REQUIRED, "sync: with async the server acknowledges writes before they reach stable storage, so a server crash loses data the clients (a database) were told was committed");
		if (!e->kernel) {
			finding_set(f, FF_FIX_FILE, "%s", e->origin);
			finding_set(f, FF_FIX_PERSIST, "replace 'async' with 'sync' in the options of %s %s", e->path, e->client);
			finding_set(f, FF_FIX_RUNTIME, "exportfs -ra");
		}
	}
	if (c->nf == before) {
		if (n->exports_src.state == SRC_ERROR || n->kexports_src.state == SRC_ERROR) {
			struct finding *f = finding_add(c, r, FS_UNKNOWN, "nfsd", "exports unreadable");
			finding_set(f, FF_NOTE, "%s", n->exports_src.state == SRC_ERROR ? n->exports_src.err : n->kexports_src.err);
		} else {
			finding_add(c, r, FS_OK, "nfsd", "%zu exports, none async", n->nexp);
		}
	}
}
