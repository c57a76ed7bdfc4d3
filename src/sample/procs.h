/* SPDX-License-Identifier: MIT */
/* The process table of kres top: every process's anonymous memory each interval,
 * read from /proc/PID/statm (resident - shared = the anonymous pages, RssAnon,
 * mm/task_mmu.c task_statm) through an fd kept open per process, and VmSwap from
 * /proc/PID/status, read only when swap use changed since the last interval (with
 * no swap activity VmSwap cannot change). New processes are found with getdents
 * on /proc each interval. The table is allocated at start with room for
 * max(8192, 4x) the processes then running; processes beyond that are counted,
 * not tracked. Kernel threads (no mm) are skipped. */
#ifndef KRES_SAMPLE_PROCS_H
#define KRES_SAMPLE_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/leak.h"
#include "util/rootfs.h"

struct proc_slot {
	int32_t pid;             /* 0 when the slot is free */
	int fd;                  /* /proc/PID/statm, -1 when it could not be kept open */
	uint32_t seen;           /* sample number of the last successful read */
	bool kthread;            /* no mm: listed so it is not probed again, never read */
	char comm[16];
	bool have_cgroup;
	char cgroup[128];        /* the memory controller's path (v1) or the unified one (v2) */
	uint64_t anon_kb, swap_kb, rss_kb;
	double born;             /* time first seen */
	struct leak_hist hist;
	struct leak_est est;     /* as of the last evaluation */
	int64_t eval_at;         /* the history's newest bucket at that evaluation */
	bool top;                /* among the n largest this interval */
	double headroom_kb;      /* min(MemAvailable, cgroup limit - usage) when leaking */
	bool cg_limited;         /* headroom came from the cgroup */
	double tte;              /* seconds to exhaustion at the slope, -1 unknown */
};

struct procs {
	struct proc_slot *slot;
	size_t cap, used;        /* slots allocated, slots in use */
	size_t hi;               /* slots ever handed out: every loop stops here */
	uint32_t *freel;         /* indexes below hi that were freed, reused first */
	size_t nfree;
	int32_t *hash;           /* open addressing pid -> slot index + 1 */
	size_t hcap;
	uint32_t *order;         /* slot indexes sorted by anon+swap, descending (top_n of them) */
	size_t norder;
	size_t untracked;        /* processes seen this interval that did not fit */
	size_t nprocs;           /* user processes alive this interval */
	int procdir;             /* /proc under the root */
	char *dents;             /* getdents buffer */
	size_t dents_cap;
	unsigned long page_kb;
	unsigned seq;
	bool read_swap;          /* VmSwap read this interval */
	uint64_t last_swap_used; /* SwapTotal - SwapFree at the last VmSwap read */
	bool cgv2;               /* the unified hierarchy is mounted at /sys/fs/cgroup */
};

/* Opens /proc under r and sizes the table. Returns 0 or -errno. */
int procs_open(struct procs *p, const struct rootfs *r);
/* Re-opens /proc and every process fd under r (fixture sequences). */
int procs_reroot(struct procs *p, const struct rootfs *r);
/* Reads every process. swap_used_kb is the system's swap in use now. */
void procs_sample(struct procs *p, const struct rootfs *r, double t, uint64_t swap_used_kb,
		  const struct leak_clock *lc);
/* Orders the n processes with the most anon+swap, then any leaking process not
 * among them, into order[]. Leaks are evaluated once per history bucket, for the
 * top n and for processes whose history grew by half min_growth or more (the
 * others cannot pass). A leaking process's headroom is MemAvailable or, when
 * smaller, what its cgroup and the cgroup's ancestors have left under their
 * limits; time to exhaustion is headroom / slope. */
void procs_rank(struct procs *p, const struct rootfs *r, const struct leak_clock *lc,
		const struct leak_cfg *cfg, double t, uint64_t mem_avail_kb, size_t n);
void procs_close(struct procs *p);

#endif
