/* SPDX-License-Identifier: MIT */
/* Values of the sysctls kres audits, read from /proc/sys. The table in sysctl.c
 * names each key, its file and how many numbers it holds. */
#ifndef KRES_SYSCTL_H
#define KRES_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/src.h"
#include "util/rootfs.h"
#include "util/text.h"

enum sc_key {
	SC_SHMMAX,            /* kernel.shmmax, bytes */
	SC_SHMALL,            /* kernel.shmall, pages */
	SC_SHMMNI,            /* kernel.shmmni */
	SC_SEM,               /* kernel.sem: SEMMSL SEMMNS SEMOPM SEMMNI */
	SC_FILE_MAX,          /* fs.file-max */
	SC_FILE_NR,           /* fs.file-nr: allocated, free (always 0), max */
	SC_NR_OPEN,           /* fs.nr_open */
	SC_OVERCOMMIT_MEMORY, /* vm.overcommit_memory */
	SC_OVERCOMMIT_RATIO,  /* vm.overcommit_ratio, percent */
	SC_OVERCOMMIT_KBYTES, /* vm.overcommit_kbytes */
	SC_SWAPPINESS,        /* vm.swappiness */
	SC_NR_HUGEPAGES,      /* vm.nr_hugepages */
	SC_HUGETLB_SHM_GROUP, /* vm.hugetlb_shm_group */
	SC_ZONE_RECLAIM_MODE, /* vm.zone_reclaim_mode */
	SC_MIN_FREE_KBYTES,   /* vm.min_free_kbytes */
	SC_SOMAXCONN,         /* net.core.somaxconn */
	SC_TCP_MAX_SYN_BACKLOG, /* net.ipv4.tcp_max_syn_backlog */
	SC_WATCHDOG_THRESH,   /* kernel.watchdog_thresh, seconds */
	SC_SOFTLOCKUP_PANIC,  /* kernel.softlockup_panic */
	SC_HUNG_TASK_PANIC,   /* kernel.hung_task_panic */
	SC_HUNG_TASK_TIMEOUT, /* kernel.hung_task_timeout_secs */
	SC_PANIC_ON_OOPS,     /* kernel.panic_on_oops */
	SC_PID_MAX,           /* kernel.pid_max */
	SC_THREADS_MAX,       /* kernel.threads-max */
	SC_AIO_MAX_NR,        /* fs.aio-max-nr: io_setup() events, host-wide */
	SC_AIO_NR,            /* fs.aio-nr: events allocated now */
	SC_DIRTY_RATIO,       /* vm.dirty_ratio, percent of dirtyable memory */
	SC_DIRTY_BG_RATIO,    /* vm.dirty_background_ratio */
	SC_DIRTY_BYTES,       /* vm.dirty_bytes (0: the ratio applies) */
	SC_DIRTY_BG_BYTES,    /* vm.dirty_background_bytes */
	SC__COUNT
};

#define SYSCTL_MAXVALS 4

struct sysctl_val {
	enum src_state state;
	int n;                        /* numbers parsed */
	uint64_t v[SYSCTL_MAXVALS];
	char err[256];                /* for SRC_ERROR: what went wrong, with the path */
};

struct sysctls {
	struct sysctl_val k[SC__COUNT];
};

/* Parses the text of one /proc/sys file holding between 1 and max unsigned decimal
 * numbers separated by blanks, on one line. Returns 0 or -EINVAL/-ERANGE. */
int sysctl_parse(const char *buf, size_t len, uint64_t *v, int max, int *n, struct perr *err);
/* Reads every key of the table under the root; never fails as a whole. */
void sysctls_read(const struct rootfs *r, struct sysctls *out);
/* The dotted name ("kernel.sem") and the file ("/proc/sys/kernel/sem") of a key. */
const char *sysctl_name(enum sc_key k);
const char *sysctl_path(enum sc_key k);
/* True when the key was read; then *v is its first number. */
bool sysctl_get(const struct sysctls *s, enum sc_key k, uint64_t *v);

#endif
