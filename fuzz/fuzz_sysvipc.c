// SPDX-License-Identifier: MIT
/* libFuzzer target for the /proc/sysvipc/shm and /proc/sysvipc/sem parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/sysvipc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct sysvipc ipc = {0};
	struct perr e = {0};
	(void)sysvipc_parse_shm(buf, n, &ipc, &e);
	(void)sysvipc_parse_sem(buf, n, &ipc, &e);
	/* Parse twice so that appending to a non-empty table is exercised. */
	(void)sysvipc_parse_shm(buf, n, &ipc, &e);
	for (int who = IPC_ALL; who <= IPC_NOT_OWNED_BY; who++) {
		uint32_t uid = ipc.nshm ? ipc.shm[0].uid : 0;
		size_t a = sysvipc_shm_count(&ipc, (enum ipc_who)who, uid);
		size_t b = sysvipc_sem_sets(&ipc, (enum ipc_who)who, uid);
		(void)sysvipc_shm_bytes(&ipc, (enum ipc_who)who, uid);
		(void)sysvipc_sem_total(&ipc, (enum ipc_who)who, uid);
		if (a > ipc.nshm || b > ipc.nsem)
			__builtin_trap();
	}
	sysvipc_release(&ipc);
	free(buf);
	return 0;
}
