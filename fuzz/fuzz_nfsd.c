// SPDX-License-Identifier: MIT
/* libFuzzer target for the NFS server parsers: pool_stats, threads and pool_threads,
 * nfs.conf, the shell variable files, exports(5) and the kernel's export table. Each
 * gets the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/nfsd.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* Every entry is NUL-terminated within its fields and names a line of the input. */
static void check_exports(const struct nfs_export *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!memchr(v[i].path, '\0', sizeof(v[i].path)) ||
		    !memchr(v[i].client, '\0', sizeof(v[i].client)) ||
		    !memchr(v[i].origin, '\0', sizeof(v[i].origin)) || !v[i].client[0])
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct perr e = {0};

	struct pool_stats ps;
	if (pool_stats_parse(buf, n, &ps, &e) == 0 && ps.npools > n)
		__builtin_trap();
	unsigned u, np;
	uint64_t total;
	(void)nfsd_threads_parse(buf, n, &u, &e);
	if (pool_threads_parse(buf, n, &np, &total, &e) == 0 && (np == 0 || np > n))
		__builtin_trap();

	struct conf_count c;
	if (nfsconf_threads(buf, n, &c, &e) == 0 && c.set && c.line == 0)
		__builtin_trap();
	if (shellvar_count(buf, n, "RPCNFSDCOUNT", &c, &e) == 0 && c.set && c.line == 0)
		__builtin_trap();

	struct nfs_export *v = NULL;
	size_t cnt = 0, cap = 0;
	(void)exports_parse(buf, n, "/etc/exports", &v, &cnt, &cap, &e);
	size_t mid = cnt;
	if (kexports_parse(buf, n, "/proc/fs/nfs/exports", &v, &cnt, &cap, &e) != 0 && cnt != mid)
		__builtin_trap();
	check_exports(v, cnt);
	free(v);
	free(buf);
	return 0;
}
