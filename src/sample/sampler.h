/* SPDX-License-Identifier: MIT */
/* The sampler: every file kres top and kres serve watch, opened once and re-read
 * each interval into the next of two snapshots, plus the process table. After
 * sampler_open() nothing is allocated unless a file outgrows its buffer (counted
 * in sampler_grows()). Missing files (no PSI before 4.20, no nf_conntrack, no
 * nfsd) leave their part not ok; a malformed one does too, and its message is kept
 * in err[] for the caller to show once. */
#ifndef KRES_SAMPLE_SAMPLER_H
#define KRES_SAMPLE_SAMPLER_H

#include <stdbool.h>

#include "sample/leak.h"
#include "sample/pfile.h"
#include "sample/procs.h"
#include "sample/snap.h"
#include "util/rootfs.h"

enum sfile {
	SF_UPTIME,
	SF_MEMINFO,
	SF_VMSTAT,
	SF_STAT,
	SF_PSI_CPU,
	SF_PSI_MEMORY,
	SF_PSI_IO,
	SF_NETDEV,
	SF_SOFTNET,
	SF_SNMP,
	SF_NETSTAT,
	SF_SOCKSTAT,
	SF_TCP_MEM,
	SF_CT_COUNT,
	SF_CT_MAX,
	SF_DISKSTATS,
	SF_NFSD_THREADS,
	SF_NFSD_POOL,
	SF__COUNT
};

struct sampler {
	struct rootfs root;
	bool fixture;             /* time from proc/uptime, wall from proc/.kres-wall */
	bool with_procs;
	struct pfile f[SF__COUNT];
	char err[SF__COUNT][200]; /* the latest parse error per file, "" when none */
	struct snap snap[2];
	int cur;                  /* index of the newest snapshot; -1 before the first */
	unsigned nsamples;
	struct procs procs;
	int mbm_fd[16];           /* resctrl mbm_total_bytes per L3 domain */
	size_t nmbm;
};

/* Opens every file under root. Returns 0, or -errno when the root itself cannot be
 * opened (msg says why). fixture: take time from the root's proc/uptime. */
int sampler_open(struct sampler *s, const char *root, bool fixture, bool with_procs, char *msg,
		 size_t n);
/* Moves to another root (the next snapshot of a fixture sequence). */
int sampler_reroot(struct sampler *s, const char *root, char *msg, size_t n);
/* Reads everything into the next snapshot. */
void sampler_sample(struct sampler *s, const struct leak_clock *lc);
const struct snap *sampler_cur(const struct sampler *s);
const struct snap *sampler_prev(const struct sampler *s); /* NULL before the second sample */
unsigned sampler_grows(const struct sampler *s);
void sampler_close(struct sampler *s);

#endif
