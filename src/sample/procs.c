// SPDX-License-Identifier: MIT
/* The process table of kres top (see procs.h): one statm fd kept open per
 * process, getdents on /proc to find new ones, VmSwap only while swap moves. */
#include "sample/procs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/cgroup.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define DENTS_CAP (64 * 1024)

static bool is_pid_name(const char *s, int32_t *pid)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > INT32_MAX)
			return false;
	}
	*pid = (int32_t)v;
	return v > 0;
}

/* ---- pid -> slot: linear probing with backward-shift deletion ---- */

static size_t hslot(const struct procs *p, int32_t pid)
{
	return ((uint32_t)pid * 2654435761u) & (p->hcap - 1);
}

static struct proc_slot *lookup(const struct procs *p, int32_t pid)
{
	for (size_t h = hslot(p, pid);; h = (h + 1) & (p->hcap - 1)) {
		int32_t e = p->hash[h];
		if (!e)
			return NULL;
		if (p->slot[e - 1].pid == pid)
			return &p->slot[e - 1];
	}
}

static void hash_put(struct procs *p, int32_t pid, size_t idx)
{
	size_t h = hslot(p, pid);
	while (p->hash[h])
		h = (h + 1) & (p->hcap - 1);
	p->hash[h] = (int32_t)idx + 1;
}

static void hash_del(struct procs *p, int32_t pid)
{
	size_t h = hslot(p, pid);
	while (p->hash[h] && p->slot[p->hash[h] - 1].pid != pid)
		h = (h + 1) & (p->hcap - 1);
	if (!p->hash[h])
		return;
	/* Shift later members of the probe run back over the hole. */
	size_t hole = h;
	for (size_t j = (h + 1) & (p->hcap - 1); p->hash[j]; j = (j + 1) & (p->hcap - 1)) {
		size_t home = hslot(p, p->slot[p->hash[j] - 1].pid);
		bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
		if (movable) {
			p->hash[hole] = p->hash[j];
			hole = j;
		}
	}
	p->hash[hole] = 0;
}

/* ---- reading one process ---- */

/* Reads a small file relative to dirfd into buf (NUL-terminated). */
static ssize_t read_at(int dirfd, const char *rel, char *buf, size_t n)
{
	int fd = openat(dirfd, rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	ssize_t k = pread(fd, buf, n - 1, 0);
	int e = errno;
	close(fd);
	if (k < 0)
		return -e;
	buf[k] = '\0';
	return k;
}

/* statm: "size resident shared text lib data dt" in pages (fs/proc/task_mmu.c
 * task_statm: shared = file + shmem pages, resident = shared + anon pages). */
static int statm_parse(const char *buf, size_t len, uint64_t *size, uint64_t *resident,
		       uint64_t *shared)
{
	struct span tok[7];
	struct span line = {buf, len};
	if (len && buf[len - 1] == '\n')
		line.n--;
	if (span_split_ws(line, tok, ARRAY_SIZE(tok)) < 3 || parse_u64(tok[0], size) ||
	    parse_u64(tok[1], resident) || parse_u64(tok[2], shared))
		return -EINVAL;
	return 0;
}

/* Returns 1 for a user process, 0 for a kernel thread or zombie (no mm), -1 when
 * the process is gone or the file is not statm. */
static int read_statm(struct procs *p, struct proc_slot *s)
{
	char buf[256], rel[32];
	ssize_t k;
	if (s->fd >= 0) {
		k = pread(s->fd, buf, sizeof(buf) - 1, 0);
	} else {
		snprintf(rel, sizeof(rel), "%d/statm", s->pid);
		k = read_at(p->procdir, rel, buf, sizeof(buf));
	}
	if (k <= 0)
		return -1;
	buf[k] = '\0';
	uint64_t size, res, shr;
	if (statm_parse(buf, (size_t)k, &size, &res, &shr))
		return -1;
	if (size == 0)
		return 0;
	s->rss_kb = res * p->page_kb;
	s->anon_kb = (res > shr ? res - shr : 0) * p->page_kb;
	return 1;
}

static void read_swap(struct procs *p, struct proc_slot *s)
{
	char buf[4096], rel[32];
	snprintf(rel, sizeof(rel), "%d/status", s->pid);
	ssize_t k = read_at(p->procdir, rel, buf, sizeof(buf));
	if (k <= 0)
		return;
	const char *v = strstr(buf, "\nVmSwap:");
	if (!v)
		return; /* kernel thread, or a kernel without VmSwap (before 2.6.34) */
	s->swap_kb = strtoull(v + 8, NULL, 10);
}

static void read_comm(struct procs *p, struct proc_slot *s)
{
	char buf[64], rel[32];
	snprintf(rel, sizeof(rel), "%d/comm", s->pid);
	ssize_t k = read_at(p->procdir, rel, buf, sizeof(buf));
	size_t n = 0;
	if (k > 0)
		for (; n < (size_t)k && n + 1 < sizeof(s->comm) && buf[n] != '\n'; n++)
			s->comm[n] = buf[n];
	s->comm[n] = '\0';
}

static void slot_free(struct procs *p, struct proc_slot *s)
{
	hash_del(p, s->pid);
	if (s->fd >= 0)
		close(s->fd);
	memset(s, 0, sizeof(*s));
	p->used--;
	p->freel[p->nfree++] = (uint32_t)(s - p->slot);
}

/* A free slot: one freed earlier, else the next never used. Slots stay packed
 * below hi, so the per-interval loops do not walk the whole table. */
static struct proc_slot *slot_alloc(struct procs *p)
{
	if (p->nfree) {
		p->used++;
		return &p->slot[p->freel[--p->nfree]];
	}
	if (p->hi == p->cap)
		return NULL;
	p->used++;
	return &p->slot[p->hi++];
}

static void slot_new(struct procs *p, int32_t pid, double t, uint64_t swap_used_kb,
		     const struct leak_clock *lc)
{
	struct proc_slot *s = slot_alloc(p);
	if (!s) {
		p->untracked++;
		return;
	}
	memset(s, 0, sizeof(*s));
	s->pid = pid;
	s->born = t;
	s->tte = -1;
	s->eval_at = -1;
	leak_hist_init(&s->hist);
	hash_put(p, pid, (size_t)(s - p->slot));
	char rel[32];
	snprintf(rel, sizeof(rel), "%d/statm", pid);
	/* EMFILE/ENFILE: keep the process, open its statm each time instead. */
	s->fd = openat(p->procdir, rel, O_RDONLY | O_CLOEXEC);
	int rc = read_statm(p, s);
	s->seen = p->seq;
	if (rc < 0) {
		slot_free(p, s);
		return;
	}
	s->kthread = rc == 0;
	if (s->kthread) {
		/* Kept so it is not opened again each interval, but never read. */
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		return;
	}
	read_comm(p, s);
	if (swap_used_kb)
		read_swap(p, s); /* a forked child inherits its parent's swap entries */
	p->nprocs++;
	leak_hist_push(&s->hist, lc, t, s->anon_kb + s->swap_kb);
}

struct linux_dirent64_ {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Calls fn for each pid directory in /proc. */
static size_t scan_pids(struct procs *p, void (*fn)(struct procs *, int32_t, void *), void *ctx)
{
	size_t count = 0;
	if (lseek(p->procdir, 0, SEEK_SET) < 0)
		return 0;
	for (;;) {
		long k = syscall(SYS_getdents64, p->procdir, p->dents, p->dents_cap);
		if (k <= 0)
			break;
		for (long off = 0; off < k;) {
			const struct linux_dirent64_ *d = (const void *)(p->dents + off);
			off += d->d_reclen;
			int32_t pid;
			if (is_pid_name(d->d_name, &pid)) {
				count++;
				if (fn)
					fn(p, pid, ctx);
			}
		}
	}
	return count;
}

int procs_open(struct procs *p, const struct rootfs *r)
{
	memset(p, 0, sizeof(*p));
	p->procdir = rootfs_openfd(r, "/proc", O_RDONLY | O_DIRECTORY);
	if (p->procdir < 0)
		return -errno;
	p->dents_cap = DENTS_CAP;
	p->dents = xmalloc(p->dents_cap);
	long pg = sysconf(_SC_PAGESIZE);
	p->page_kb = pg > 0 ? (unsigned long)pg / 1024 : 4;
	size_t now = scan_pids(p, NULL, NULL);
	p->cap = now * 4 > 8192 ? now * 4 : 8192;
	/* calloc: slots never used stay untouched pages, not resident memory. */
	p->slot = xcalloc(p->cap, sizeof(*p->slot)); /* a slot's fields mean something only while pid != 0 */
	for (p->hcap = 1; p->hcap < 2 * p->cap; p->hcap <<= 1)
		;
	p->hash = xcalloc(p->hcap, sizeof(*p->hash));
	p->order = xcalloc(p->cap, sizeof(*p->order));
	p->freel = xcalloc(p->cap, sizeof(*p->freel));
	p->cgv2 = rootfs_exists(r, "/sys/fs/cgroup/cgroup.controllers");
	/* One statm fd per process: lift the soft fd limit to the hard one. */
	struct rlimit rl;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	return 0;
}

int procs_reroot(struct procs *p, const struct rootfs *r)
{
	int fd = rootfs_openfd(r, "/proc", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -errno;
	close(p->procdir);
	p->procdir = fd;
	for (size_t i = 0; i < p->hi; i++) {
		struct proc_slot *s = &p->slot[i];
		if (!s->pid || s->fd < 0)
			continue;
		close(s->fd);
		char rel[32];
		snprintf(rel, sizeof(rel), "%d/statm", s->pid);
		s->fd = openat(p->procdir, rel, O_RDONLY | O_CLOEXEC);
	}
	return 0;
}

struct scan_ctx {
	double t;
	uint64_t swap_used_kb;
	const struct leak_clock *lc;
};

static void on_pid(struct procs *p, int32_t pid, void *vctx)
{
	const struct scan_ctx *c = vctx;
	struct proc_slot *s = lookup(p, pid);
	if (s) {
		if (s->kthread)
			s->seen = p->seq;
		return;
	}
	slot_new(p, pid, c->t, c->swap_used_kb, c->lc);
}

void procs_sample(struct procs *p, const struct rootfs *r, double t, uint64_t swap_used_kb,
		  const struct leak_clock *lc)
{
	(void)r;
	p->seq++;
	p->nprocs = 0;
	p->untracked = 0;
	/* VmSwap changes only when pages move to or from swap, which moves the
	 * system's swap use; read it for everyone only then. */
	p->read_swap = swap_used_kb != p->last_swap_used || (p->seq == 1 && swap_used_kb);
	p->last_swap_used = swap_used_kb;
	for (size_t i = 0; i < p->hi; i++) {
		struct proc_slot *s = &p->slot[i];
		if (!s->pid || s->kthread)
			continue;
		int rc = read_statm(p, s);
		if (rc <= 0) {
			/* exited, or now a zombie: its memory is gone */
			slot_free(p, s);
			continue;
		}
		s->seen = p->seq;
		if (p->read_swap)
			read_swap(p, s);
		else if (!swap_used_kb)
			s->swap_kb = 0;
		p->nprocs++;
		leak_hist_push(&s->hist, lc, t, s->anon_kb + s->swap_kb);
	}
	struct scan_ctx ctx = {t, swap_used_kb, lc};
	scan_pids(p, on_pid, &ctx);
	/* Kernel threads that were not listed any more have exited. */
	for (size_t i = 0; i < p->hi; i++)
		if (p->slot[i].pid && p->slot[i].kthread && p->slot[i].seen != p->seq)
			slot_free(p, &p->slot[i]);
}

/* ---- cgroups ---- */

/* The process's memory cgroup path from /proc/PID/cgroup: "0::/path" on v2,
 * "N:...memory...:/path" on v1. */
static void read_cgroup(struct procs *p, struct proc_slot *s)
{
	char buf[4096], rel[32];
	snprintf(rel, sizeof(rel), "%d/cgroup", s->pid);
	s->have_cgroup = true; /* tried: do not read again */
	s->cgroup[0] = '\0';
	ssize_t k = read_at(p->procdir, rel, buf, sizeof(buf));
	if (k <= 0)
		return;
	struct lineiter it;
	struct span line;
	lineiter_init(&it, buf, (size_t)k);
	while (lineiter_next(&it, &line)) {
		const char *c1 = memchr(line.p, ':', line.n);
		if (!c1)
			continue;
		const char *c2 = memchr(c1 + 1, ':', line.n - (size_t)(c1 + 1 - line.p));
		if (!c2)
			continue;
		struct span ctl = {c1 + 1, (size_t)(c2 - c1 - 1)};
		struct span path = {c2 + 1, line.n - (size_t)(c2 + 1 - line.p)};
		bool want;
		if (p->cgv2) {
			want = ctl.n == 0;
		} else {
			want = false;
			for (size_t a = 0; a < ctl.n;) {
				size_t b = a;
				while (b < ctl.n && ctl.p[b] != ',')
					b++;
				if (b - a == 6 && !memcmp(ctl.p + a, "memory", 6))
					want = true;
				a = b + 1;
			}
		}
		if (want && span_copy(path, s->cgroup, sizeof(s->cgroup)))
			return;
	}
	s->cgroup[0] = '\0';
}

static bool read_u64_file(const struct rootfs *r, const char *path, uint64_t *v, bool *unlimited)
{
	char buf[64];
	int fd = rootfs_openfd(r, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return false;
	ssize_t k = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (k <= 0)
		return false;
	buf[k] = '\0';
	return !cgroup_parse_limit(buf, (size_t)k, v, unlimited);
}

/* The least headroom (limit - usage, KiB) on the path from the process's cgroup
 * to the root; false when no level has a limit. */
static bool cgroup_headroom(const struct procs *p, const struct rootfs *r, const char *cg,
			    double *kb)
{
	char dir[256], file[300];
	const char *base = p->cgv2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory";
	const char *lim = p->cgv2 ? "memory.max" : "memory.limit_in_bytes";
	const char *use = p->cgv2 ? "memory.current" : "memory.usage_in_bytes";
	bool found = false;
	if (snprintf(dir, sizeof(dir), "%s%s", base, strcmp(cg, "/") ? cg : "") >= (int)sizeof(dir))
		return false;
	for (;;) {
		uint64_t limit, usage;
		bool unlimited, u2;
		snprintf(file, sizeof(file), "%s/%s", dir, lim);
		if (read_u64_file(r, file, &limit, &unlimited) && !unlimited) {
			snprintf(file, sizeof(file), "%s/%s", dir, use);
			if (read_u64_file(r, file, &usage, &u2)) {
				double left = limit > usage ? (double)(limit - usage) / 1024 : 0;
				if (!found || left < *kb)
					*kb = left;
				found = true;
			}
		}
		if (strlen(dir) <= strlen(base))
			break;
		char *slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	return found;
}

/* ---- ranking ---- */

static uint64_t weight(const struct proc_slot *s)
{
	return s->anon_kb + s->swap_kb;
}

/* Whether the history within the window rose by at least half of min_growth:
 * a process that did not cannot pass the leak test. */
static bool may_leak(const struct leak_hist *h, const struct leak_cfg *cfg, const struct leak_clock *lc)
{
	if (h->last < 0)
		return false;
	int64_t span = (int64_t)(cfg->window / lc->dt) + 1;
	uint32_t lo = LEAK_EMPTY, last = h->kb[h->last % LEAK_PTS];
	for (int64_t b = h->last; b >= 0 && b > h->last - span && b > h->last - LEAK_PTS && b >= h->first; b--) {
		uint32_t v = h->kb[b % LEAK_PTS];
		if (v != LEAK_EMPTY && v < lo)
			lo = v;
	}
	return lo != LEAK_EMPTY && last > lo && (double)(last - lo) >= cfg->min_growth / 2;
}

void procs_rank(struct procs *p, const struct rootfs *r, const struct leak_clock *lc,
		const struct leak_cfg *cfg, double t, uint64_t mem_avail_kb, size_t n)
{
	size_t k = 0;
	if (n > p->cap)
		n = p->cap;
	/* The n heaviest, by insertion into a short sorted list. */
	for (size_t i = 0; i < p->hi; i++) {
		struct proc_slot *s = &p->slot[i];
		if (!s->pid || s->kthread)
			continue;
		s->top = false;
		if (k == n && (n == 0 || weight(s) <= weight(&p->slot[p->order[k - 1]])))
			continue;
		size_t j = k < n ? k++ : k - 1;
		while (j > 0 && weight(&p->slot[p->order[j - 1]]) < weight(s)) {
			p->order[j] = p->order[j - 1];
			j--;
		}
		p->order[j] = (uint32_t)i;
	}
	for (size_t i = 0; i < k; i++)
		p->slot[p->order[i]].top = true;
	p->norder = k;
	for (size_t i = 0; i < p->hi; i++) {
		struct proc_slot *s = &p->slot[i];
		if (!s->pid || s->kthread)
			continue;
		if (s->hist.last != s->eval_at) {
			s->eval_at = s->hist.last;
			if (s->top || may_leak(&s->hist, cfg, lc))
				leak_eval(&s->hist, lc, cfg, t, &s->est);
			else
				memset(&s->est, 0, sizeof(s->est));
		}
		if (s->top && !s->have_cgroup)
			read_cgroup(p, s);
		s->tte = -1;
		if (!s->est.leaking)
			continue;
		if (!s->have_cgroup)
			read_cgroup(p, s);
		double head = (double)mem_avail_kb, cgkb;
		s->cg_limited = false;
		if (s->cgroup[0] && cgroup_headroom(p, r, s->cgroup, &cgkb) && cgkb < head) {
			head = cgkb;
			s->cg_limited = true;
		}
		s->headroom_kb = head;
		s->tte = s->est.slope > 0 ? head / s->est.slope : -1;
		if (!s->top)
			p->order[p->norder++] = (uint32_t)i;
	}
}

void procs_close(struct procs *p)
{
	for (size_t i = 0; i < p->hi; i++)
		if (p->slot && p->slot[i].pid && p->slot[i].fd >= 0)
			close(p->slot[i].fd);
	if (p->procdir >= 0)
		close(p->procdir);
	free(p->slot);
	free(p->hash);
	free(p->order);
	free(p->freel);
	free(p->dents);
	memset(p, 0, sizeof(*p));
	p->procdir = -1;
}
