/* SPDX-License-Identifier: MIT */
/* Pressure grades. A workload profile says what "memory pressure" means for the
 * host's workload, with the KVM memory-tuning guide's thresholds as defaults:
 *   oltp     (transaction applications)  memory in use > 75 % for 5 minutes
 *   db       (databases)                 swap in use > 30 %, or more than 50
 *                                        reclaims a minute (direct reclaims:
 *                                        vmstat allocstall)
 *   compute                              memory bandwidth > 15 GB/s for 10
 *                                        minutes (resctrl MBM; unknown without it)
 * Each condition is WATCH while it holds for less than its duration and HIGH once
 * it has held that long; HIGH turns CRIT when tasks are losing time to memory
 * (PSI memory full over the last minute at least crit_full percent) or the kernel
 * OOM-killed within the last 5 minutes. Other resources get their own grades from
 * widely used thresholds, each cited where it is set (pressure.c). */
#ifndef KRES_SAMPLE_PRESSURE_H
#define KRES_SAMPLE_PRESSURE_H

#include <stdbool.h>
#include <stddef.h>

#include "sample/rates.h"
#include "sample/snap.h"

enum grade { GRADE_OK, GRADE_WATCH, GRADE_HIGH, GRADE_CRIT };
const char *grade_name(enum grade g); /* "ok" "watch" "high" "crit" */

enum profile { PROF_OLTP, PROF_DB, PROF_COMPUTE };
const char *profile_name(enum profile p);
int profile_parse(const char *s, enum profile *p);
struct procs;
/* db when a database server runs (PostgreSQL and SeaboxSQL, MySQL, MariaDB, Redis),
 * else oltp. p may be NULL (no process table): oltp. */
enum profile profile_auto(const struct procs *p);

struct pressure_cfg {
	double oltp_mem_pct, oltp_hold;          /* 75, 300 s */
	double db_swap_pct, db_reclaims_min;     /* 30, 50 */
	double db_hold;                          /* 0 s */
	double compute_gbps, compute_hold;       /* 15 (GB/s, 10^9), 600 s */
	double crit_full_pct;                    /* 10 */
};
void pressure_cfg_default(struct pressure_cfg *c);
/* Sets "oltp.mem_pct=80" style keys (docs in kres top --help). Returns 0 or -EINVAL. */
int pressure_cfg_set(struct pressure_cfg *c, const char *key, const char *value);

enum resource { RES_MEMORY, RES_SWAP, RES_CPU, RES_IO, RES_NET, RES_DISK, RES__COUNT };
const char *resource_name(enum resource r);

struct pressure_sig {
	enum grade grade;
	char why[160];           /* the values behind the grade, "" when ok */
};

#define PRESSURE_HIST 1024
/* One interval's values, kept for the windows of the grades (at 1 s, 17 minutes). */
struct pressure_pt {
	double t, dt;
	double mem_used_pct, swap_used_pct;
	double allocstall, pswpin, oom_kills;       /* per second; oom_kills a count */
	double mem_full, cpu_some, io_full, steal;  /* percent; -1 unknown */
	double softnet_drop, softnet_sqz, listen_ovf; /* per second */
	double disk_util, disk_aqu;                 /* the busiest whole disk */
	double tcp_mem_pct, tcp_mem_max_pct, ct_pct; /* -1 unknown */
	double mbm_gbps;                            /* -1 unknown */
};

struct pressure {
	struct pressure_cfg cfg;
	enum profile prof;
	/* when each profile condition started to hold, or < 0 */
	double since_mem, since_swap, since_reclaim, since_bw;
	struct pressure_pt hist[PRESSURE_HIST]; /* ring of recent intervals */
	size_t nhist, head;
	/* results */
	enum grade grade;                       /* memory, for the profile */
	char why[200];
	struct pressure_sig sig[RES__COUNT];
	double reclaims_min;                    /* direct reclaims over the last minute, scaled to a minute */
	double mem_full_min;                    /* PSI memory full over the last minute, percent; -1 */
	double bw_gbps;                         /* -1 when unknown */
};

void pressure_init(struct pressure *p, const struct pressure_cfg *cfg, enum profile prof);
void pressure_update(struct pressure *p, const struct snap *cur, const struct rates *r);

#endif
