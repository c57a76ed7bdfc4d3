/* SPDX-License-Identifier: MIT */
/* Parsers for the files of one process under /proc/PID: status, limits,
 * oom_score_adj, environ, cmdline, maps and cgroup. Each is a pure function over
 * the file's bytes. */
#ifndef KRES_PROC_H
#define KRES_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/text.h"

/* /proc/PID/status */
struct pid_status {
	char name[64];
	int64_t pid, ppid;
	uint32_t uid[4]; /* real, effective, saved, filesystem */
	uint32_t gid[4];
	uint64_t vmrss_kb, rssanon_kb, rssshmem_kb, vmswap_kb; /* 0 when absent */
	uint64_t threads;
};
int pidstatus_parse(const char *buf, size_t len, struct pid_status *st, struct perr *err);

/* /proc/PID/limits. RLIM_UNLIMITED_U64 stands for "unlimited". */
#define RLIM_UNLIMITED_U64 UINT64_MAX
struct rlim {
	bool present;
	uint64_t soft, hard;
};
enum pl_limit { PL_NOFILE, PL_NPROC, PL_MEMLOCK, PL_CORE, PL_AS, PL__COUNT };
struct pid_limits {
	struct rlim l[PL__COUNT];
};
/* The limit's row title in the file ("Max open files"). */
const char *pidlimits_name(enum pl_limit l);
int pidlimits_parse(const char *buf, size_t len, struct pid_limits *pl, struct perr *err);

/* /proc/PID/oom_score_adj: one integer in [-1000, 1000]. */
int oomadj_parse(const char *buf, size_t len, int *adj, struct perr *err);

/* /proc/PID/environ: NUL-separated NAME=value. Returns the value of name as a
 * pointer into buf (which the reader NUL-terminates), or NULL. */
const char *environ_get(const char *buf, size_t len, const char *name);

/* /proc/PID/cmdline: NUL-separated arguments. Fills argv with pointers into buf
 * (up to max) and returns the count. */
size_t cmdline_split(const char *buf, size_t len, const char **argv, size_t max);

/* /proc/PID/maps: the shared memory of a PostgreSQL-style master process. */
enum shm_kind {
	SHM_NONE = 0,
	SHM_DEVZERO,  /* "/dev/zero (deleted)": anonymous shared mmap, normal pages */
	SHM_ANONHUGE, /* "/anon_hugepage (deleted)": anonymous shared mmap on huge pages */
	SHM_SYSV,     /* "/SYSV<key> (deleted)": a System V segment */
	SHM_POSIX,    /* "/dev/shm/...": POSIX shared memory (dynamic segments) */
};
struct shm_map {
	enum shm_kind kind;
	uint64_t bytes; /* end - start */
};
struct pid_maps {
	struct shm_map main;    /* the largest SHM_DEVZERO or SHM_ANONHUGE mapping */
	uint64_t sysv_bytes;    /* sum of SysV mappings */
	size_t sysv_count;
	uint64_t posix_bytes;   /* sum of /dev/shm mappings */
};
int maps_parse(const char *buf, size_t len, struct pid_maps *pm, struct perr *err);

/* /proc/PID/cgroup: "hierarchy-ID:controllers:path" lines (v1 and v2). */
struct pid_cgroup {
	bool has_v2;           /* a "0::" line */
	char v2[256];          /* its path */
	bool has_v1_memory;    /* a v1 hierarchy with the memory controller */
	char v1_memory[256];   /* its path */
	char systemd[256];     /* the name=systemd v1 path, else the v2 path */
};
int cgroup_parse(const char *buf, size_t len, struct pid_cgroup *cg, struct perr *err);
/* The systemd unit the process belongs to: the last path component ending in
 * ".service" (e.g. "postgresql@15-main.service"). Returns false if none. */
bool cgroup_unit(const struct pid_cgroup *cg, char *unit, size_t n);

#endif
