/* SPDX-License-Identifier: MIT */
/* What kres reads of one live server process, for the workloads other than the
 * PostgreSQL family (which keeps its own richer record): status, limits,
 * oom_score_adj, cgroup and systemd unit, mount namespace, cwd and executable, the
 * command line, how many descriptors are open, and its anonymous huge pages. */
#ifndef KRES_SVC_H
#define KRES_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/cgroup.h"
#include "host/mounts.h"
#include "host/proc.h"
#include "host/unit.h"
#include "util/rootfs.h"

#define SVC_MAX_ARGS 64
/* The largest /proc file kres reads (maps and mountinfo of a big server). */
#define SVC_FILE_MAX (4u << 20)

struct svc_proc {
	int64_t pid;              /* 0: not running */
	struct pid_status st;
	bool have_limits;
	struct pid_limits lim;
	bool have_oom;
	int oom_adj;
	bool have_cgroup;
	struct pid_cgroup cg;
	struct cg_memlimit memlimit;
	bool have_mounts;
	struct mounts mounts;     /* the process's mount namespace */
	char cwd[256];            /* "" when unreadable */
	char exe[256];            /* target of /proc/PID/exe, " (deleted)" stripped */
	char *cmdline;            /* owned: the NUL-separated bytes of /proc/PID/cmdline */
	const char *argv[SVC_MAX_ARGS]; /* pointers into cmdline */
	size_t argc;
	bool have_fds;
	uint64_t nfds;            /* entries in /proc/PID/fd */
	bool have_smaps;
	uint64_t anon_huge_kb;    /* AnonHugePages of /proc/PID/smaps_rollup */
};

/* Reads what it can of process pid into p (zeroed first). Returns false when the
 * process is gone (its status cannot be read); every other part has its own flag. */
bool svc_proc_read(const struct rootfs *r, int64_t pid, struct svc_proc *p);
void svc_proc_release(struct svc_proc *p);

/* The pids whose comm is one of names (NULL-terminated), ascending; *out is owned
 * by the caller. Threads are not listed (only /proc/PID directories). */
size_t svc_find_comm(const struct rootfs *r, const char *const *names, int64_t **out);

/* The unit of the process from its cgroup ("redis-server.service"), or "". */
void svc_unit(const struct svc_proc *p, char *unit, size_t n);

/* The AnonHugePages value of smaps or smaps_rollup text (kB). Returns 0 or -EINVAL. */
int smaps_anon_huge(const char *buf, size_t len, uint64_t *kb, struct perr *err);

/* Reads /proc/PID/<name> into *buf (NUL-terminated, caller frees). Returns the
 * length or -errno. */
ssize_t svc_read_pid_file(const struct rootfs *r, int64_t pid, const char *name, char **buf);

#endif
