// SPDX-License-Identifier: MIT
/* Builds the host snapshot from the individual readers and parsers. */
#include "host/host.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

/* /proc and /sys files are small; 1 MiB bounds a hostile or broken fixture. */
#define SMALL_FILE (1u << 20)

/* Reads path and hands its text to parse; records the outcome in s. */
typedef int (*parse_fn)(const char *buf, size_t len, void *out, struct perr *err);

static void read_parse(const struct rootfs *r, const char *path, struct src *s, parse_fn fn,
		       void *out)
{
	char *buf;
	size_t len;
	if (!src_read(s, r, path, SMALL_FILE, &buf, &len))
		return;
	struct perr e = {0};
	if (fn(buf, len, out, &e) < 0)
		src_set_parse_error(s, r, path, &e);
	free(buf);
}

static int p_meminfo(const char *b, size_t n, void *o, struct perr *e) { return meminfo_parse(b, n, o, e); }
static int p_vmstat(const char *b, size_t n, void *o, struct perr *e) { return vmstat_parse(b, n, o, e); }
static int p_shm(const char *b, size_t n, void *o, struct perr *e) { return sysvipc_parse_shm(b, n, o, e); }
static int p_sem(const char *b, size_t n, void *o, struct perr *e) { return sysvipc_parse_sem(b, n, o, e); }
static int p_cpulist(const char *b, size_t n, void *o, struct perr *e) { return cpulist_parse(b, n, o, e); }
static int p_cpustat(const char *b, size_t n, void *o, struct perr *e) { return cpustat_parse(b, n, o, e); }
static int p_swaps(const char *b, size_t n, void *o, struct perr *e) { return swaps_parse(b, n, o, e); }

static int p_thp(const char *b, size_t n, void *o, struct perr *e)
{
	if (thp_parse(b, n, o, 24) < 0) {
		perr_set(e, 1, "expected one [bracketed] choice");
		return -EINVAL;
	}
	return 0;
}

/* One line of text, whitespace trimmed, into a 32-byte field (64 with p_word64). */
static int word(const char *b, size_t n, void *o, size_t cap, struct perr *e)
{
	struct span s = span_trim((struct span){b, n});
	if (memchr(s.p, '\n', s.n)) {
		perr_set(e, 2, "expected one line");
		return -EINVAL;
	}
	span_copy(s, o, cap);
	return 0;
}

static int p_word(const char *b, size_t n, void *o, struct perr *e) { return word(b, n, o, 64, e); }
static int p_word32(const char *b, size_t n, void *o, struct perr *e) { return word(b, n, o, 32, e); }
static int p_line160(const char *b, size_t n, void *o, struct perr *e) { return word(b, n, o, 160, e); }

void host_read(const struct rootfs *r, struct host *h)
{
	memset(h, 0, sizeof(*h));
	h->root = r;
	struct src tmp;
	read_parse(r, "/proc/sys/kernel/osrelease", &tmp, p_word, h->release);
	read_parse(r, "/proc/sys/kernel/hostname", &tmp, p_word, h->hostname);
	read_parse(r, "/proc/meminfo", &h->meminfo_src, p_meminfo, &h->mi);
	read_parse(r, "/proc/vmstat", &h->vmstat_src, p_vmstat, &h->vs);
	sysctls_read(r, &h->sc);
	read_parse(r, "/proc/sysvipc/shm", &h->shm_src, p_shm, &h->ipc);
	read_parse(r, "/proc/sysvipc/sem", &h->sem_src, p_sem, &h->ipc);
	hugepages_read(r, &h->hp);
	read_parse(r, "/sys/kernel/mm/transparent_hugepage/enabled", &h->thp_src, p_thp,
		   h->thp_enabled);
	read_parse(r, "/sys/kernel/mm/transparent_hugepage/defrag", &h->thp_defrag_src, p_thp,
		   h->thp_defrag);
	read_parse(r, "/sys/devices/system/cpu/online", &h->cpus_src, p_cpulist, &h->ncpus);
	read_parse(r, "/sys/devices/system/node/online", &h->nodes_src, p_cpulist, &h->nnodes);
	read_parse(r, "/proc/stat", &h->stat_src, p_cpustat, &h->cs);
	read_parse(r, "/proc/swaps", &h->swaps_src, p_swaps, &h->sw);
	read_parse(r, "/sys/devices/system/clocksource/clocksource0/current_clocksource",
		   &h->clock_src, p_word32, h->clocksource);
	read_parse(r, "/sys/devices/system/clocksource/clocksource0/available_clocksource", &tmp,
		   p_line160, h->clocksources);
	struct virt_inputs vin;
	virt_read(r, &vin);
	virt_decide(&vin, &h->virt);
	logind_read(r, &h->logind);
	logindefs_read(r, &h->logindefs);
	src_read(&h->passwd_src, r, "/etc/passwd", 16u << 20, &h->passwd, &h->passwd_len);
}

void host_release(struct host *h)
{
	sysvipc_release(&h->ipc);
	free(h->passwd);
	h->passwd = NULL;
}

int host_user_by_uid(const struct host *h, uint32_t uid, struct pwent *pw)
{
	if (h->passwd_src.state != SRC_OK)
		return -ENOENT;
	struct perr e;
	return passwd_find_uid(h->passwd, h->passwd_len, uid, pw, &e);
}

int host_user_by_name(const struct host *h, const char *name, struct pwent *pw)
{
	if (h->passwd_src.state != SRC_OK)
		return -ENOENT;
	struct perr e;
	return passwd_find_name(h->passwd, h->passwd_len, name, pw, &e);
}
