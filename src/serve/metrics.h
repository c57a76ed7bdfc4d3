/* SPDX-License-Identifier: MIT */
/* The /metrics page of kres serve: Prometheus text format 0.0.4, rendered from what
 * the agent already holds (the sampler's last two snapshots, the rates and pressure
 * grades between them, the process table, the kernel-event counters, the last check's
 * failures and the agent's own statistics). Rendering never reads a file. Where
 * node_exporter exports the same quantity kres uses its name, labels and type, so
 * existing dashboards and rules work; everything else is kres_*. Every metric is
 * listed in docs/metrics.md. */
#ifndef KRES_SERVE_METRICS_H
#define KRES_SERVE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sample/leak.h"
#include "sample/pressure.h"
#include "sample/procs.h"
#include "sample/rates.h"
#include "sample/snap.h"
#include "util/buf.h"

/* One (category, signature) pair of kernel-log events. */
struct serve_evcount {
	const char *category; /* not owned (the catalog's strings) */
	const char *signature;
	uint64_t n;
};

/* One failing finding of the last check. */
struct serve_failure {
	const char *id;       /* "IPC-05" */
	const char *severity; /* "critical" "high" "medium" "low" "info" (sev_name) */
	const char *subject;  /* "host", "postgresql:5432" ... */
};

enum serve_collector { SC_SAMPLE, SC_CHECK, SC_KMSG, SC__COUNT };
const char *serve_collector_name(enum serve_collector c); /* "sample" "check" "kmsg" */

struct serve_colstat {
	bool ran;             /* has run at least once (else its series are absent) */
	bool success;         /* the last run read everything it needs */
	double duration;      /* seconds, the last run */
	double last_run;      /* Unix seconds of the last run's end */
	uint64_t errors;      /* runs that failed, or records lost (kmsg), since start */
};

struct serve_self {
	double cpu_seconds;   /* user + system of the agent */
	uint64_t rss_bytes;
	uint64_t vsize_bytes;
	uint64_t open_fds, max_fds;
	double start_time;    /* Unix seconds */
	struct { int code; uint64_t n; } http[16]; /* responses by status code, codes in increasing order */
	size_t nhttp;
	uint64_t http_rejected;    /* connections closed by a limit (count, header deadline) */
	double last_render;   /* seconds the previous /metrics render took */
	unsigned sampler_grows;
};

struct serve_view {
	const struct snap *cur, *prev;   /* prev NULL before the second sample */
	const struct rates *r;           /* valid only when r->valid */
	const struct pressure *p;        /* NULL before the first sample */
	const struct procs *procs;       /* NULL with --no-procs */
	const struct leak_cfg *leak;
	const char *const *file_err;     /* SF__COUNT strings ("" = no error), or NULL */
	const char *const *file_name;    /* SF__COUNT names ("/proc/meminfo") for the labels */
	size_t nfile;
	long clk_tck;                    /* sysconf(_SC_CLK_TCK): /proc/stat ticks per second */
	const struct serve_evcount *ev;  /* sorted by category, then signature */
	size_t nev;
	uint64_t klog_lost, klog_suppressed;
	bool check_ran;                  /* a check has finished */
	const struct serve_failure *fail;
	size_t nfail;
	struct serve_colstat col[SC__COUNT];
	struct serve_self self;
	const char *version;
};

/* Appends the whole exposition to b. */
void serve_metrics_render(struct buf *b, const struct serve_view *v);

/* Exposition helpers, also used for tests. */
/* Appends "# HELP name help\n# TYPE name type\n" (help escaped: \ and newline). */
void prom_family(struct buf *b, const char *name, const char *type, const char *help);
/* Appends a label value escaped for the text format (\ " and newline). */
void prom_label_value(struct buf *b, const char *s);
/* Appends a sample value: integers exactly, other finite values with the shortest
 * %.*g that round-trips, NaN, +Inf, -Inf. */
void prom_value(struct buf *b, double v);

#endif
