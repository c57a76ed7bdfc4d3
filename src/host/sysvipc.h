/* SPDX-License-Identifier: MIT */
/* System V IPC objects in use, from /proc/sysvipc/shm and /proc/sysvipc/sem.
 * Columns are found by the header line, so layouts of other kernel versions work. */
#ifndef KRES_SYSVIPC_H
#define KRES_SYSVIPC_H

#include <stddef.h>
#include <stdint.h>

#include "util/text.h"

struct ipc_shm {
	int64_t key;
	int64_t shmid;
	uint64_t size; /* bytes */
	uint32_t uid;  /* owner */
	uint64_t nattch;
};

struct ipc_sem {
	int64_t key;
	int64_t semid;
	uint64_t nsems;
	uint32_t uid; /* owner */
};

struct sysvipc {
	struct ipc_shm *shm; /* owned; free with sysvipc_release() */
	size_t nshm, shm_cap;
	struct ipc_sem *sem; /* owned */
	size_t nsem, sem_cap;
};

/* Parse /proc/sysvipc/shm (needs columns key, shmid, size, uid; nattch optional) and
 * /proc/sysvipc/sem (needs key, semid, nsems, uid), appending to ipc. The first line
 * must be the header. Return 0 or -EINVAL with *err. */
int sysvipc_parse_shm(const char *buf, size_t len, struct sysvipc *ipc, struct perr *err);
int sysvipc_parse_sem(const char *buf, size_t len, struct sysvipc *ipc, struct perr *err);
void sysvipc_release(struct sysvipc *ipc);

/* Totals, optionally only for objects whose owner is (or is not) uid. */
enum ipc_who { IPC_ALL, IPC_OWNED_BY, IPC_NOT_OWNED_BY };
uint64_t sysvipc_shm_bytes(const struct sysvipc *ipc, enum ipc_who who, uint32_t uid);
size_t sysvipc_shm_count(const struct sysvipc *ipc, enum ipc_who who, uint32_t uid);
uint64_t sysvipc_sem_total(const struct sysvipc *ipc, enum ipc_who who, uint32_t uid);
size_t sysvipc_sem_sets(const struct sysvipc *ipc, enum ipc_who who, uint32_t uid);

#endif
