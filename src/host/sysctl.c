// SPDX-License-Identifier: MIT
/* Reading the sysctls kres audits from /proc/sys. Each file is printed by
 * kernel/sysctl.c (proc_dointvec, proc_doulongvec_minmax): numbers separated by
 * tabs, one line, ending in a newline. */
#include "host/sysctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/buf.h"
#include "util/banned.h"

/* Every sysctl file is one short line; anything bigger is not a sysctl. */
#define SYSCTL_MAX_BYTES 4096

static const struct {
	const char *name;
	const char *path;
	int nvals; /* how many numbers the file must hold */
} keys[SC__COUNT] = {
    [SC_SHMMAX] = {"kernel.shmmax", "/proc/sys/kernel/shmmax", 1},
    [SC_SHMALL] = {"kernel.shmall", "/proc/sys/kernel/shmall", 1},
    [SC_SHMMNI] = {"kernel.shmmni", "/proc/sys/kernel/shmmni", 1},
    /* ipc/ipc_sysctl.c: semmsl, semmns, semopm, semmni in one array. */
    [SC_SEM] = {"kernel.sem", "/proc/sys/kernel/sem", 4},
    [SC_FILE_MAX] = {"fs.file-max", "/proc/sys/fs/file-max", 1},
    /* fs/file_table.c proc_nr_files: nr_files, nr_free_files (0 since 2.6), max_files. */
    [SC_FILE_NR] = {"fs.file-nr", "/proc/sys/fs/file-nr", 3},
    [SC_NR_OPEN] = {"fs.nr_open", "/proc/sys/fs/nr_open", 1},
    [SC_OVERCOMMIT_MEMORY] = {"vm.overcommit_memory", "/proc/sys/vm/overcommit_memory", 1},
    [SC_OVERCOMMIT_RATIO] = {"vm.overcommit_ratio", "/proc/sys/vm/overcommit_ratio", 1},
    [SC_OVERCOMMIT_KBYTES] = {"vm.overcommit_kbytes", "/proc/sys/vm/overcommit_kbytes", 1},
    [SC_SWAPPINESS] = {"vm.swappiness", "/proc/sys/vm/swappiness", 1},
    [SC_NR_HUGEPAGES] = {"vm.nr_hugepages", "/proc/sys/vm/nr_hugepages", 1},
    [SC_HUGETLB_SHM_GROUP] = {"vm.hugetlb_shm_group", "/proc/sys/vm/hugetlb_shm_group", 1},
    [SC_ZONE_RECLAIM_MODE] = {"vm.zone_reclaim_mode", "/proc/sys/vm/zone_reclaim_mode", 1},
    [SC_MIN_FREE_KBYTES] = {"vm.min_free_kbytes", "/proc/sys/vm/min_free_kbytes", 1},
    [SC_SOMAXCONN] = {"net.core.somaxconn", "/proc/sys/net/core/somaxconn", 1},
    [SC_TCP_MAX_SYN_BACKLOG] = {"net.ipv4.tcp_max_syn_backlog",
                                "/proc/sys/net/ipv4/tcp_max_syn_backlog", 1},
    [SC_WATCHDOG_THRESH] = {"kernel.watchdog_thresh", "/proc/sys/kernel/watchdog_thresh", 1},
    [SC_SOFTLOCKUP_PANIC] = {"kernel.softlockup_panic", "/proc/sys/kernel/softlockup_panic", 1},
    [SC_HUNG_TASK_PANIC] = {"kernel.hung_task_panic", "/proc/sys/kernel/hung_task_panic", 1},
    [SC_HUNG_TASK_TIMEOUT] = {"kernel.hung_task_timeout_secs",
                              "/proc/sys/kernel/hung_task_timeout_secs", 1},
    [SC_PANIC_ON_OOPS] = {"kernel.panic_on_oops", "/proc/sys/kernel/panic_on_oops", 1},
    [SC_PID_MAX] = {"kernel.pid_max", "/proc/sys/kernel/pid_max", 1},
    [SC_THREADS_MAX] = {"kernel.threads-max", "/proc/sys/kernel/threads-max", 1},
    [SC_AIO_MAX_NR] = {"fs.aio-max-nr", "/proc/sys/fs/aio-max-nr", 1},
    [SC_AIO_NR] = {"fs.aio-nr", "/proc/sys/fs/aio-nr", 1},
    [SC_DIRTY_RATIO] = {"vm.dirty_ratio", "/proc/sys/vm/dirty_ratio", 1},
    [SC_DIRTY_BG_RATIO] = {"vm.dirty_background_ratio", "/proc/sys/vm/dirty_background_ratio", 1},
    [SC_DIRTY_BYTES] = {"vm.dirty_bytes", "/proc/sys/vm/dirty_bytes", 1},
    [SC_DIRTY_BG_BYTES] = {"vm.dirty_background_bytes", "/proc/sys/vm/dirty_background_bytes", 1},
};

int sysctl_parse(const char *buf, size_t len, uint64_t *v, int max, int *n, struct perr *err)
{
	*n = 0;
	if (max < 1) {
		perr_set(err, 0, "no room for any number");
		return -EINVAL;
	}
	const char *nl = memchr(buf, '\n', len);
	struct span line = {buf, nl ? (size_t)(nl - buf) : len};
	if (nl && nl + 1 < buf + len) {
		perr_set(err, 2, "unexpected text after the first line");
		return -EINVAL;
	}
	struct span tok[SYSCTL_MAXVALS + 1];
	size_t cap = (size_t)max < ARRAY_SIZE(tok) ? (size_t)max : ARRAY_SIZE(tok);
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt == 0) {
		perr_set(err, 1, "expected a number, found an empty line");
		return -EINVAL;
	}
	if (nt > cap) {
		perr_set(err, 1, "expected at most %zu number%s, found %zu", cap,
		         cap == 1 ? "" : "s", nt);
		return -EINVAL;
	}
	for (size_t i = 0; i < nt; i++) {
		int rc = parse_u64(tok[i], &v[i]);
		if (rc) {
			struct buf shown = BUF_INIT;
			buf_put_escaped(&shown, tok[i].p, tok[i].n < 32 ? tok[i].n : 32);
			perr_set(err, 1,
			         rc == -ERANGE ? "field %zu ('%s') is out of range"
			                       : "field %zu ('%s') is not an unsigned decimal number",
			         i + 1, buf_str(&shown));
			buf_release(&shown);
			return rc;
		}
	}
	*n = (int)nt;
	return 0;
}

/* Reads and checks one key into out. */
static void read_key(const struct rootfs *r, enum sc_key k, struct sysctl_val *out)
{
	struct src s;
	struct perr e = {0};
	char *buf = NULL;
	size_t len;
	if (!src_read(&s, r, keys[k].path, SYSCTL_MAX_BYTES, &buf, &len))
		goto done;
	/* Parse up to the most any key holds so that a wrong count gets one message. */
	if (sysctl_parse(buf, len, out->v, SYSCTL_MAXVALS, &out->n, &e)) {
		src_set_parse_error(&s, r, keys[k].path, &e);
	} else if (out->n != keys[k].nvals) {
		perr_set(&e, 1, "expected %d number%s, found %d", keys[k].nvals,
		         keys[k].nvals == 1 ? "" : "s", out->n);
		src_set_parse_error(&s, r, keys[k].path, &e);
	}
done:
	free(buf);
	out->state = s.state;
	str_copy(out->err, sizeof(out->err), s.state == SRC_OK ? "" : s.err);
	if (s.state != SRC_OK) {
		out->n = 0;
		memset(out->v, 0, sizeof(out->v));
	}
}

void sysctls_read(const struct rootfs *r, struct sysctls *out)
{
	memset(out, 0, sizeof(*out));
	for (int k = 0; k < SC__COUNT; k++)
		read_key(r, (enum sc_key)k, &out->k[k]);
}

const char *sysctl_name(enum sc_key k)
{
	return (unsigned)k < SC__COUNT ? keys[k].name : "?";
}

const char *sysctl_path(enum sc_key k)
{
	return (unsigned)k < SC__COUNT ? keys[k].path : "?";
}

bool sysctl_get(const struct sysctls *s, enum sc_key k, uint64_t *v)
{
	if ((unsigned)k >= SC__COUNT || s->k[k].state != SRC_OK || s->k[k].n < 1)
		return false;
	*v = s->k[k].v[0];
	return true;
}
