// SPDX-License-Identifier: MIT
/* Rules across workloads: policies two services on one host want differently,
 * descriptors in use against each process's limit, writeback limits, and the I/O
 * scheduler under each server's data. */
#include "check/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/blockdev.h"
#include "workload/mysql.h"
#include "workload/netsvc.h"
#include "workload/redis.h"
#include "util/banned.h"

void rule_fix_policies(struct check_ctx *c, const struct rule *r)
{
	/* vm.overcommit_memory: PostgreSQL recommends 2 unless the master is protected
	 * (PostgreSQL docs, 'Linux Memory Overcommit'); Redis requires 1 (src/syscheck.c
	 * checkOvercommit); MySQL has no requirement. */
	if (c->npg && c->nrd) {
		char pgs[320], rds[320];
		size_t unprot = 0, first = 0;
		for (size_t i = 0; i < c->npg; i++)
			if (!pg_master_protected(&c->pg[i]) && !unprot++)
				first = i;
		pg_subj(c, unprot ? first : 0, pgs, sizeof(pgs));
		rd_subject(&c->rd[0], rds, sizeof(rds));
		char subj[660];
		snprintf(subj, sizeof(subj), "%s / %s", pgs, rds);
		struct finding *f;
		if (unprot) {
			f = finding_add(c, r, FS_FAIL, subj,
					"vm.overcommit_memory: PostgreSQL wants 2 (strict), Redis requires 1");
			finding_set(f, FF_REQUIRED, "one value for both: 1, with every PostgreSQL master at oom_score_adj -1000 (MEM-01's alternative)");
			finding_set(f, FF_NOTE, "%zu PostgreSQL-family master(s) unprotected; protect them (OOM-01) and keep vm.overcommit_memory = 1 for Redis",
				    unprot);
		} else {
			f = finding_add(c, r, FS_INFO, subj,
					"vm.overcommit_memory: PostgreSQL prefers 2, Redis requires 1; resolved: the masters are protected from the OOM killer, so 1 serves both");
		}
	}
	/* Transparent huge pages: PostgreSQL (tuned postgresql profile: never), MySQL
	 * (never or madvise), Redis (not always, unless it disables THP for itself). All
	 * three accept "madvise" and "never"; report it when more than one kind runs. */
	unsigned kinds = (c->npg > 0) + (c->nmy > 0) + (c->nrd > 0);
	if (kinds > 1) {
		bool rd_needs = false;
		for (size_t i = 0; i < c->nrd; i++)
			rd_needs |= !c->rd[i].disable_thp;
		const char *names[3];
		size_t k = 0;
		if (c->npg)
			names[k++] = "PostgreSQL";
		if (c->nmy)
			names[k++] = "MySQL/MariaDB";
		if (c->nrd)
			names[k++] = "Redis";
		finding_add(c, r, FS_INFO, "host",
			    "transparent huge pages: %s%s%s%s%s accept 'madvise' and 'never'%s", names[0],
			    k == 3 ? ", " : " and ", names[1], k == 3 ? " and " : "", k == 3 ? names[2] : "",
			    rd_needs ? "" : " (Redis disables THP for itself)");
	}
	if (!(c->npg && c->nrd) && kinds <= 1)
		finding_add(c, r, FS_OK, "host", "%s",
			    kinds ? "one kind of server: no policy to share"
				  : "no database server: no policy to share");
}

/* Descriptors in use against the soft limit, for one live process. */
static void fds_finding(struct check_ctx *c, const struct rule *r, const char *subj,
			const struct svc_proc *p, const struct svc_view *v)
{
	if (!p->pid)
		return;
	if (!p->have_fds || !p->have_limits || !p->lim.l[PL_NOFILE].present) {
		finding_add(c, r, FS_UNKNOWN, subj, "/proc/%lld/fd or limits unreadable", (long long)p->pid);
		return;
	}
	uint64_t soft = p->lim.l[PL_NOFILE].soft;
	if (soft == RLIM_UNLIMITED_U64 || soft == 0) {
		finding_add(c, r, FS_OK, subj, "%llu descriptors open, no limit", (unsigned long long)p->nfds);
		return;
	}
	unsigned pct = (unsigned)(p->nfds * 100 / soft);
	struct finding *f = finding_add(c, r, pct > 80 ? FS_FAIL : FS_OK, subj,
					"%llu of %llu descriptors open (%u%%)", (unsigned long long)p->nfds,
					(unsigned long long)soft, pct);
	if (pct > 95)
		f->sev = SEV_HIGH;
	finding_set(f, FF_SOURCE, "/proc/%lld/fd, /proc/%lld/limits", (long long)p->pid, (long long)p->pid);
	finding_set(f, FF_REQUIRED, "below 80 %% of the soft RLIMIT_NOFILE (kres's threshold; at 100 %% accept() and open() fail with EMFILE)");
	if (f->status == FS_FAIL) {
		char val[32];
		snprintf(val, sizeof(val), "%llu", (unsigned long long)(soft * 2));
		svc_limit_fix(c, f, v, "LimitNOFILE", "n", val);
	}
}

void rule_lim_fds_used(struct check_ctx *c, const struct rule *r)
{
	char s[320];
	size_t before = c->nf;
	for (size_t i = 0; i < c->nmy; i++) {
		const struct my_instance *in = &c->my[i];
		struct svc_view v = svc_view_of(in->unit, &in->unit_info, in->have_unit, &in->live);
		my_subject(in, s, sizeof(s));
		fds_finding(c, r, s, &in->live, &v);
	}
	for (size_t i = 0; i < c->nrd; i++) {
		const struct rd_instance *in = &c->rd[i];
		struct svc_view v = svc_view_of(in->unit, &in->unit_info, in->have_unit, &in->live);
		rd_subject(in, s, sizeof(s));
		fds_finding(c, r, s, &in->live, &v);
	}
	for (size_t i = 0; i < c->nnet; i++) {
		const struct netsvc *ns = &c->netsvc[i];
		struct svc_view v = svc_view_of(ns->unit, &ns->unit_info, ns->have_unit, &ns->p);
		netsvc_subject(ns, s, sizeof(s));
		fds_finding(c, r, s, &ns->p, &v);
	}
	if (c->nf == before)
		finding_add(c, r, FS_SKIP, "host", "no running server to measure");
}

void rule_mem_dirty(struct check_ctx *c, const struct rule *r)
{
	const struct sysctls *sc = &c->h->sc;
	uint64_t ratio = 0, bg_ratio = 0, bytes = 0, bg_bytes = 0;
	if (!rule_sysctl(c, r, "host", SC_DIRTY_RATIO, &ratio) ||
	    !rule_sysctl(c, r, "host", SC_DIRTY_BG_RATIO, &bg_ratio))
		return;
	sysctl_get(sc, SC_DIRTY_BYTES, &bytes);
	sysctl_get(sc, SC_DIRTY_BG_BYTES, &bg_bytes);
	if (!meminfo_has(&c->h->mi, MI_MEMAVAILABLE)) {
		finding_add(c, r, FS_UNKNOWN, "host", "MemAvailable unreadable in /proc/meminfo");
		return;
	}
	/* The thresholds apply to dirtyable memory (free + reclaimable file pages,
	 * mm/page-writeback.c global_dirtyable_memory); MemAvailable is close to it.
	 * *_bytes, when set, wins over *_ratio (Documentation/admin-guide/sysctl/vm.rst). */
	uint64_t avail = c->h->mi.v[MI_MEMAVAILABLE] * 1024;
	uint64_t dirty = bytes ? bytes : avail / 100 * ratio;
	uint64_t bg = bg_bytes ? bg_bytes : avail / 100 * bg_ratio;
	char b1[32], b2[32];
	bool big = dirty > (4ull << 30) || bg > (1ull << 30);
	bool applies = check_ndb(c) || c->nfsd_running;
	struct finding *f = finding_add(c, r, big && applies ? FS_FAIL : applies ? FS_OK : FS_INFO, "host",
					"writeback starts at %s dirty, writers block at %s",
					fmt_bytes(bg, b1, sizeof(b1)), fmt_bytes(dirty, b2, sizeof(b2)));
	finding_set(f, FF_OBSERVED, "vm.dirty_ratio %llu, dirty_background_ratio %llu, dirty_bytes %llu, dirty_background_bytes %llu",
		    (unsigned long long)ratio, (unsigned long long)bg_ratio, (unsigned long long)bytes,
		    (unsigned long long)bg_bytes);
	finding_set(f, FF_FORMULA, "threshold = *_bytes if set, else *_ratio %% of MemAvailable");
	finding_set(f, FF_REQUIRED, "on a database or NFS server: background <= 1 GiB and dirty <= 4 GiB (kres's heuristic), so a checkpoint or fsync does not flush gigabytes at once");
	if (f->status == FS_FAIL) {
		finding_fix_sysctl(f, "vm.dirty_background_bytes", "67108864");
		finding_set(f, FF_NOTE, "tuned's postgresql profile sets vm.dirty_background_bytes = 64 MiB and vm.dirty_bytes = 512 MiB; setting *_bytes zeroes the matching *_ratio");
	}
}

/* One data directory to place on its block device. */
struct datadir {
	const char *subject;
	const char *path;
	const struct mounts *mounts; /* the server's mount namespace, or NULL */
};

static void io_one(struct check_ctx *c, const struct rule *r, const struct datadir *d,
		   const struct mounts *host_mounts)
{
	const struct mounts *m = d->mounts && d->mounts->n ? d->mounts : host_mounts;
	const struct mount *mt = m ? mounts_find(m, d->path) : NULL;
	if (!mt) {
		finding_add(c, r, FS_UNKNOWN, d->subject, "no mount found for %s", d->path);
		return;
	}
	if (mt->major == 0) {
		finding_add(c, r, FS_SKIP, d->subject, "%s is on %s (%s), not a block device", d->path,
			    mt->target, mt->fstype);
		return;
	}
	struct blockdev bd;
	if (blockdev_of_mount(c->h->root, mt->major, mt->minor, &bd) < 0) {
		struct finding *f = finding_add(c, r, FS_SKIP, d->subject,
						"block device %u:%u of %s not found in /sys/dev/block",
						mt->major, mt->minor, d->path);
		finding_set(f, FF_NOTE, "sysfs is missing or partial here (a container, or a fixture tree)");
		return;
	}
	/* A device-mapper or md device has no scheduler of its own (bio-based): the
	 * disks below it decide. */
	if (!bd.scheduler[0] && bd.nslaves) {
		struct blockdev sb;
		for (size_t k = 0; k < bd.nslaves; k++)
			if (blockdev_read(c->h->root, bd.slaves[k], &sb) == 0 && sb.scheduler[0]) {
				bd = sb;
				break;
			}
	}
	/* bfq and the legacy cfq trade throughput for fairness between processes,
	 * which a database does not want (MariaDB 'Configuring Linux for MariaDB';
	 * RHEL 'Setting the disk scheduler'). */
	bool bad = !strcmp(bd.scheduler, "bfq") || !strcmp(bd.scheduler, "cfq");
	struct finding *f = finding_add(c, r, bad ? FS_FAIL : FS_OK, d->subject,
					"%s on %s: scheduler %s (%s)", d->path, bd.name,
					bd.scheduler[0] ? bd.scheduler : "unknown",
					bd.rotational ? "rotational" : "non-rotational");
	finding_set(f, FF_SOURCE, "/sys/block/%s/queue/scheduler", bd.name);
	finding_set(f, FF_REQUIRED, "none or mq-deadline (kyber also fine): none for SSD/NVMe and virtual disks, mq-deadline for spinning disks");
	if (bad) {
		const char *want = bd.rotational ? "mq-deadline" : "none";
		finding_set(f, FF_FIX_RUNTIME, "echo %s > /sys/block/%s/queue/scheduler", want, bd.name);
		finding_set(f, FF_FIX_FILE, "/etc/udev/rules.d/60-kres-scheduler.rules");
		finding_set(f, FF_FIX_PERSIST, "ACTION==\"add|change\", KERNEL==\"%s\", ATTR{queue/scheduler}=\"%s\"",
			    bd.name, want);
	}
}

void rule_io_scheduler(struct check_ctx *c, const struct rule *r)
{
	struct mounts hm = {0};
	char *buf;
	ssize_t n = rootfs_read(c->h->root, "/proc/self/mountinfo", SVC_FILE_MAX, &buf);
	if (n >= 0) {
		struct perr e;
		if (mounts_parse(buf, (size_t)n, &hm, &e) < 0)
			mounts_release(&hm);
		free(buf);
	}
	size_t before = c->nf;
	char s[320];
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		if (!in->datadir[0])
			continue;
		pg_subj(c, i, s, sizeof(s));
		struct datadir d = {s, in->datadir, in->live.have_mounts ? &in->live.mounts : NULL};
		io_one(c, r, &d, &hm);
	}
	for (size_t i = 0; i < c->nmy; i++) {
		const struct my_instance *in = &c->my[i];
		if (!in->datadir[0])
			continue;
		my_subject(in, s, sizeof(s));
		struct datadir d = {s, in->datadir, in->live.have_mounts ? &in->live.mounts : NULL};
		io_one(c, r, &d, &hm);
	}
	for (size_t i = 0; i < c->nrd; i++) {
		const struct rd_instance *in = &c->rd[i];
		if (!in->dir[0] || in->dir[0] != '/')
			continue;
		rd_subject(in, s, sizeof(s));
		struct datadir d = {s, in->dir, in->live.have_mounts ? &in->live.mounts : NULL};
		io_one(c, r, &d, &hm);
	}
	mounts_release(&hm);
	if (c->nf == before)
		finding_add(c, r, FS_SKIP, "host", "no data directory known");
}

void rule_nfs_db_hard(struct check_ctx *c, const struct rule *r)
{
	char s[320];
	size_t before = c->nf;
	struct datadir d[1];
	for (size_t i = 0; i < c->nmy + c->nrd; i++) {
		const struct svc_proc *p;
		if (i < c->nmy) {
			my_subject(&c->my[i], s, sizeof(s));
			d[0] = (struct datadir){s, c->my[i].datadir, NULL};
			p = &c->my[i].live;
		} else {
			rd_subject(&c->rd[i - c->nmy], s, sizeof(s));
			d[0] = (struct datadir){s, c->rd[i - c->nmy].dir, NULL};
			p = &c->rd[i - c->nmy].live;
		}
		if (!d[0].path[0] || d[0].path[0] != '/' || !p->have_mounts)
			continue;
		const struct mount *mt = mounts_find(&p->mounts, d[0].path);
		if (!mt || strncmp(mt->fstype, "nfs", 3) != 0) {
			finding_add(c, r, FS_OK, s, "%s is not on NFS", d[0].path);
			continue;
		}
		bool soft = mount_opt(mt->superopts, "soft", NULL, 0) ||
			    mount_opt(mt->superopts, "softerr", NULL, 0) ||
			    mount_opt(mt->opts, "soft", NULL, 0);
		struct finding *f = finding_add(c, r, soft ? FS_FAIL : FS_OK, s, "%s on %s %s, mounted %s",
						d[0].path, mt->fstype, mt->source, soft ? "soft" : "hard");
		finding_set(f, FF_SOURCE, "/proc/%lld/mountinfo", (long long)p->pid);
		finding_set(f, FF_REQUIRED, "hard: a soft mount turns a slow server into I/O errors the database reads as corruption");
		if (soft) {
			finding_set(f, FF_FIX_FILE, "/etc/fstab");
			finding_set(f, FF_FIX_PERSIST, "%s %s %s hard,proto=tcp 0 0", mt->source, mt->target, mt->fstype);
		}
	}
	if (c->nf == before)
		finding_add(c, r, FS_SKIP, "host", "no running MySQL or Redis data directory to place");
}
