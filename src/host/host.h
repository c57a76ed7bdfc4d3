/* SPDX-License-Identifier: MIT */
/* The host snapshot: everything kres check reads about the machine itself (not its
 * services), read once under a root. Each input keeps its own state so a rule can
 * say "unavailable" or name the broken file instead of guessing. */
#ifndef KRES_HOST_H
#define KRES_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "host/cpu.h"
#include "host/hugepages.h"
#include "host/meminfo.h"
#include "host/src.h"
#include "host/swaps.h"
#include "host/sysconf.h"
#include "host/sysctl.h"
#include "host/sysvipc.h"
#include "host/virt.h"
#include "host/vmstat.h"
#include "util/rootfs.h"

struct host {
	const struct rootfs *root;
	char release[64];      /* /proc/sys/kernel/osrelease, "" when unavailable */
	char hostname[64];

	struct src meminfo_src;
	struct meminfo mi;
	struct src vmstat_src;
	struct vmstat vs;
	struct sysctls sc;
	struct src shm_src, sem_src; /* /proc/sysvipc/shm and sem */
	struct sysvipc ipc;
	struct hugepages hp;
	struct src thp_src, thp_defrag_src;
	char thp_enabled[24], thp_defrag[24];
	struct src cpus_src;   /* /sys/devices/system/cpu/online */
	unsigned ncpus;
	struct src nodes_src;  /* /sys/devices/system/node/online */
	unsigned nnodes;
	struct src stat_src;
	struct cpustat cs;
	struct src clock_src; /* clocksource0/current_clocksource */
	char clocksource[32];
	char clocksources[160]; /* available_clocksource, "" when unavailable */
	struct src swaps_src;
	struct swaps sw;
	struct virt virt;
	struct logind logind;
	struct logindefs logindefs;
	struct src passwd_src;
	char *passwd; /* text of /etc/passwd, owned */
	size_t passwd_len;
};

/* Reads the snapshot. It never fails as a whole: each part records its state. */
void host_read(const struct rootfs *r, struct host *h);
void host_release(struct host *h);
/* Looks a user up in /etc/passwd; returns 0 or -ENOENT/-EINVAL. */
int host_user_by_uid(const struct host *h, uint32_t uid, struct pwent *pw);
int host_user_by_name(const struct host *h, const char *name, struct pwent *pw);

#endif
