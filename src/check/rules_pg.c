// SPDX-License-Identifier: MIT
/* PostgreSQL-family rules: what each server needs (semaphores, shared memory, huge
 * pages), its configuration, /dev/shm and NFS data directories; and the huge page
 * pool rules that follow from the shared memory figure. */
#include "check/rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host/mounts.h"
#include "util/buf.h"
#include "util/banned.h"

void rule_pg_config(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		struct finding *f;
		if (in->conf_ok) {
			f = finding_add(c, r, FS_OK, s, "configuration read: %zu file(s), %zu settings",
					in->conf.files.n, in->conf.n);
			struct buf b = BUF_INIT;
			for (size_t k = 0; k < in->conf.files.n; k++)
				buf_appendf(&b, "%s%s", k ? ", " : "", in->conf.files.v[k]);
			finding_set(f, FF_SOURCE, "%s", buf_str(&b));
			buf_release(&b);
		} else if (in->conf_rc == -EINVAL) {
			/* PostgreSQL refuses to start on a broken configuration file; a
			 * running server keeps the settings it started with. */
			f = finding_add(c, r, FS_FAIL, s, "the configuration has an error: %s",
					in->live.pid ? "the next restart will fail"
						     : "the server will not start");
			f->sev = in->live.pid ? SEV_HIGH : SEV_CRITICAL;
			finding_set(f, FF_OBSERVED, "%s", in->conf_err);
			finding_set(f, FF_REQUIRED, "a configuration PostgreSQL can load");
			finding_set(f, FF_NOTE,
				    "kres uses the settings read before the error and defaults for the rest");
		} else {
			f = finding_add(c, r, FS_UNKNOWN, s, "configuration not read: kres uses defaults");
			finding_set(f, FF_NOTE, "%s", in->conf_err);
		}
		if (!in->major) {
			f = finding_add(c, r, FS_UNKNOWN, s, "the major version is unknown");
			finding_set(f, FF_NOTE,
				    "no PG_VERSION in the data directory and no version in the executable's path; give --pg-version");
		} else {
			char v[16];
			snprintf(v, sizeof(v), "%d", in->major);
			f = finding_add(c, r, FS_INFO, s, "%s major version %s", in->fl->display,
					in->version[0] ? in->version : v);
			finding_set(f, FF_SOURCE, "%s", in->version_origin);
		}
	}
}

void rule_pg_semaphores(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		const struct pg_needs *nd = &c->pgneeds[i];
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		if (nd->nsems < 0) {
			struct finding *f = finding_add(c, r, FS_UNKNOWN, s, "semaphore count unknown");
			finding_set(f, FF_NOTE, "%s", nd->sem_formula);
			continue;
		}
		struct finding *f = finding_add(c, r, FS_INFO, s, "%lld semaphores (%s)",
						(long long)nd->nsems,
						nd->sysv_sem ? "System V" : "POSIX, no kernel limit");
		finding_set(f, FF_FORMULA, "%s", nd->sem_formula);
		if (nd->sysv_sem)
			finding_set(f, FF_REQUIRED,
				    "%lld sets of %lld + 1: SEMMNI >= %lld, SEMMNS >= %lld, SEMMSL >= %lld",
				    (long long)nd->sets, (long long)nd->sem_per_set, (long long)nd->sets,
				    (long long)nd->semmns, (long long)nd->semmsl);
		finding_set(f, FF_SOURCE, "max_connections from %s; %s from %s",
			    in->max_connections.origin, in->autovacuum_workers_name,
			    in->autovacuum_workers.origin);
		if (in->live.pid)
			finding_set(f, FF_NOTE,
				    "from the configuration files: what the server uses after its next restart");
	}
}

void rule_pg_shmem(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_needs *nd = &c->pgneeds[i];
		char s[320], b[32];
		pg_subj(c, i, s, sizeof(s));
		struct finding *f;
		if (nd->hp_pages >= 0)
			f = finding_add(c, r, FS_INFO, s,
					"shared memory %s%s: %lld huge pages of %llu kB",
					fmt_bytes(nd->shm_bytes, b, sizeof(b)),
					nd->shm_measured ? "" : " (estimated)", (long long)nd->hp_pages,
					(unsigned long long)nd->hp_size_kb);
		else
			f = finding_add(c, r, FS_INFO, s, "shared memory %s%s",
					fmt_bytes(nd->shm_bytes, b, sizeof(b)),
					nd->shm_measured ? "" : " (estimated)");
		finding_set(f, FF_OBSERVED, "%llu bytes", (unsigned long long)nd->shm_bytes);
		finding_set(f, FF_SOURCE, "%s", nd->shm_formula);
		finding_set(f, FF_FORMULA, "shared_memory_size_in_huge_pages = %s", nd->hp_formula);
		if (!nd->shm_measured)
			finding_set(f, FF_NOTE,
				    "for the exact figure run as the server's user while it is stopped: postgres -D DATADIR -C shared_memory_size_in_huge_pages (15+)");
	}
}

/* Effective huge page pool of a size: free minus reserved pages, and the total. */
static bool pool_of(const struct host *h, uint64_t size_kb, uint64_t *avail, uint64_t *total,
		    const char **src)
{
	const struct hpool *p = hugepages_pool(&h->hp, size_kb);
	if (p) {
		*avail = p->free > p->resv ? p->free - p->resv : 0;
		*total = p->nr;
		*src = "/sys/kernel/mm/hugepages";
		return true;
	}
	const struct meminfo *mi = &h->mi;
	if (meminfo_has(mi, MI_HUGEPAGESIZE) && mi->v[MI_HUGEPAGESIZE] == size_kb &&
	    meminfo_has(mi, MI_HUGEPAGES_TOTAL)) {
		uint64_t fr = mi->v[MI_HUGEPAGES_FREE], rs = mi->v[MI_HUGEPAGES_RSVD];
		*avail = fr > rs ? fr - rs : 0;
		*total = mi->v[MI_HUGEPAGES_TOTAL];
		*src = "/proc/meminfo";
		return true;
	}
	return false;
}

/* The fix for a pool of size_kb that must hold pages more pages than it has. */
static void hp_fix(struct finding *f, uint64_t size_kb, uint64_t total, uint64_t add,
		   const struct host *h)
{
	char val[32];
	snprintf(val, sizeof(val), "%llu", (unsigned long long)(total + add));
	bool dflt = meminfo_has(&h->mi, MI_HUGEPAGESIZE) && h->mi.v[MI_HUGEPAGESIZE] == size_kb;
	if (dflt) {
		finding_fix_sysctl(f, "vm.nr_hugepages", val);
		return;
	}
	finding_set(f, FF_FIX_RUNTIME, "echo %s > /sys/kernel/mm/hugepages/hugepages-%llukB/nr_hugepages",
		    val, (unsigned long long)size_kb);
	finding_set(f, FF_FIX_FILE, "the kernel command line (/etc/default/grub)");
	finding_set(f, FF_FIX_PERSIST, "hugepagesz=%lluK hugepages=%s", (unsigned long long)size_kb,
		    val);
}

/* Huge pages a running server holds now and gives back when it restarts: they
 * count as available for a what-if (--set) restart. */
static uint64_t own_pages(const struct pg_instance *in, const struct pg_needs *nd)
{
	const struct shm_map *m = &in->live.maps.main;
	if (!in->live.pid || !in->overridden || m->kind != SHM_ANONHUGE || !nd->hp_size_kb)
		return 0;
	return m->bytes / (nd->hp_size_kb * 1024);
}

/* Pages instance i will take from its pool when it (re)starts: 0 when it does not
 * use huge pages or already has its segment on them. */
static uint64_t hp_need(const struct check_ctx *c, size_t i)
{
	const struct pg_instance *in = &c->pg[i];
	const struct pg_needs *nd = &c->pgneeds[i];
	if (!strcmp(in->huge_pages, "off") || nd->hp_pages < 0 || nd->shm_on_huge)
		return 0;
	return (uint64_t)nd->hp_pages;
}

/* Servers sharing a pool add up: the pool must hold all their needs at once, so
 * the fix grows it by their sum minus what is free (plus what a what-if restart
 * gives back), and two servers never get two different vm.nr_hugepages lines. */
static uint64_t hp_deficit_all(const struct check_ctx *c, uint64_t size_kb)
{
	uint64_t need = 0, own = 0, avail = 0, total = 0;
	const char *src;
	for (size_t i = 0; i < c->npg; i++)
		if (c->pgneeds[i].hp_size_kb == size_kb) {
			need += hp_need(c, i);
			own += own_pages(&c->pg[i], &c->pgneeds[i]);
		}
	pool_of(c->h, size_kb, &avail, &total, &src);
	return need > avail + own ? need - avail - own : 0;
}

static void hp_one(struct check_ctx *c, const struct rule *r, size_t i)
{
	const struct pg_instance *in = &c->pg[i];
	const struct pg_needs *nd = &c->pgneeds[i];
	char s[320];
	pg_subj(c, i, s, sizeof(s));
	if (!strcmp(in->huge_pages, "off")) {
		struct finding *f = finding_add(c, r, FS_SKIP, s, "huge_pages = off");
		finding_set(f, FF_NOTE, "huge_pages from %s", in->huge_pages_origin);
		return;
	}
	if (nd->hp_pages < 0) {
		bool broken = c->h->meminfo_src.state != SRC_OK;
		struct finding *f = finding_add(c, r, broken ? FS_UNKNOWN : FS_SKIP, s,
						broken ? "the huge page size is unknown"
						       : "the kernel offers no huge pages");
		finding_set(f, FF_NOTE, "%s", broken ? c->h->meminfo_src.err
						      : "no Hugepagesize in /proc/meminfo and no pool in /sys/kernel/mm/hugepages (CONFIG_HUGETLBFS off)");
		return;
	}
	if (nd->shm_on_huge) {
		finding_add(c, r, FS_OK, s, "the shared segment is on huge pages (%lld pages of %llu kB)",
			    (long long)nd->hp_pages, (unsigned long long)nd->hp_size_kb);
		return;
	}
	uint64_t avail = 0, total = 0;
	const char *src = "";
	pool_of(c->h, nd->hp_size_kb, &avail, &total, &src);
	uint64_t own = own_pages(in, nd), raw = avail;
	avail += own;
	bool on = !strcmp(in->huge_pages, "on");
	/* With --set overrides the question is the next start, as for a stopped one. */
	bool running = in->live.pid != 0 && !in->overridden;
	/* A running server with huge_pages = try and its segment on normal pages has
	 * fallen back; a stopped one will if the pool is short. */
	/* The pool must hold every server that will take pages from it. */
	uint64_t need_all = 0;
	for (size_t k = 0; k < c->npg; k++)
		if (c->pgneeds[k].hp_size_kb == nd->hp_size_kb)
			need_all += hp_need(c, k);
	bool shared = need_all > (uint64_t)nd->hp_pages;
	bool short_pool = running || hp_deficit_all(c, nd->hp_size_kb) > 0;
	enum fstatus st = short_pool ? FS_FAIL : FS_OK;
	struct finding *f;
	char with[64] = "";
	if (shared)
		snprintf(with, sizeof(with), ", %llu for all servers on this pool",
			 (unsigned long long)need_all);
	if (running)
		f = finding_add(c, r, st, s, "huge_pages = %s but the segment is on normal pages (pool: %llu free of %llu, %lld needed%s)",
				in->huge_pages, (unsigned long long)avail, (unsigned long long)total,
				(long long)nd->hp_pages, with);
	else
		f = finding_add(c, r, st, s, "%llu huge pages available %s %lld needed%s (huge_pages = %s)",
				(unsigned long long)avail, short_pool ? "<" : ">=",
				(long long)nd->hp_pages, with, in->huge_pages);
	/* Only 'on' stops the server; a silent fallback costs TLB misses and page
	 * table memory per backend, which matters from about 2 GB (pgtune). */
	if (st == FS_FAIL)
		f->sev = on ? SEV_CRITICAL : nd->shm_bytes >= (2ull << 30) ? SEV_MEDIUM : SEV_LOW;
	finding_set(f, FF_OBSERVED, "pool of %llu kB pages: %llu total, %llu free minus reserved%s",
		    (unsigned long long)nd->hp_size_kb, (unsigned long long)total,
		    (unsigned long long)raw, own ? ", plus the pages the server holds now" : "");
	finding_set(f, FF_SOURCE, "%s; huge_pages from %s", rootfs_show(c->h->root, src),
		    in->huge_pages_origin);
	finding_set(f, FF_REQUIRED, "%lld free huge pages of %llu kB", (long long)nd->hp_pages,
		    (unsigned long long)nd->hp_size_kb);
	finding_set(f, FF_FORMULA, "shared_memory_size_in_huge_pages = %s", nd->hp_formula);
	if (st == FS_FAIL) {
		hp_fix(f, nd->hp_size_kb, total, hp_deficit_all(c, nd->hp_size_kb), c->h);
		if (running)
			finding_set(f, FF_NOTE, "restart the server after growing the pool");
	}
}

void rule_hp_pool(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++)
		hp_one(c, r, i);
}

void rule_hp_idle(struct check_ctx *c, const struct rule *r)
{
	const struct hugepages *hp = &c->h->hp;
	bool any = false;
	for (size_t i = 0; i < hp->n; i++) {
		const struct hpool *p = &hp->pool[i];
		if (!p->nr)
			continue;
		any = true;
		char b[32];
		uint64_t idle = p->free > p->resv ? p->free - p->resv : 0;
		bool bad = idle == p->nr;
		/* A pool kept for a configured server that is not running is not waste. */
		size_t waiting = c->npg;
		for (size_t k = 0; k < c->npg; k++)
			if (!c->pg[k].live.pid && strcmp(c->pg[k].huge_pages, "off") &&
			    c->pgneeds[k].hp_size_kb == p->size_kb)
				waiting = k;
		if (bad && waiting < c->npg) {
			char s[320];
			struct finding *f = finding_add(c, r, FS_INFO, "host",
							"%llu huge pages of %llu kB wait for %s",
							(unsigned long long)p->nr,
							(unsigned long long)p->size_kb,
							pg_subj(c, waiting, s, sizeof(s)));
			finding_set(f, FF_NOTE, "the pool is idle until that server starts (huge_pages = %s)",
				    c->pg[waiting].huge_pages);
			continue;
		}
		struct finding *f = finding_add(c, r, bad ? FS_FAIL : FS_OK, "host",
						"%llu of %llu huge pages of %llu kB are idle (%s)",
						(unsigned long long)idle, (unsigned long long)p->nr,
						(unsigned long long)p->size_kb,
						fmt_bytes(idle * p->size_kb * 1024, b, sizeof(b)));
		char dir[64];
		snprintf(dir, sizeof(dir), "/sys/kernel/mm/hugepages/hugepages-%llukB",
			 (unsigned long long)p->size_kb);
		finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, dir));
		finding_set(f, FF_OBSERVED, "nr_hugepages %llu, free %llu, resv %llu",
			    (unsigned long long)p->nr, (unsigned long long)p->free,
			    (unsigned long long)p->resv);
		if (bad) {
			finding_set(f, FF_REQUIRED, "a pool that a server maps, or none");
			finding_set(f, FF_NOTE,
				    "no process maps these pages; set huge_pages = on/try in the server that should use them, or release the pool");
		}
	}
	if (!any)
		finding_add(c, r, FS_OK, "host", "no huge page pool is reserved");
}

void rule_pg_devshm(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		char s[320], b[32], size[32];
		pg_subj(c, i, s, sizeof(s));
		if (strcmp(in->dsm_type, "posix")) {
			finding_add(c, r, FS_SKIP, s, "dynamic_shared_memory_type = %s", in->dsm_type);
			continue;
		}
		const struct mount *m = in->live.have_mounts ? mounts_find(&in->live.mounts, "/dev/shm") : NULL;
		if (!m || strcmp(m->target, "/dev/shm")) {
			struct finding *f = finding_add(c, r, FS_UNKNOWN, s, "no /dev/shm mount found");
			finding_set(f, FF_NOTE, "the mount table was %s",
				    in->live.have_mounts ? "read but has no /dev/shm" : "unavailable");
			continue;
		}
		uint64_t kb = 0;
		struct span sz;
		if (!mount_opt(m->superopts, "size", size, sizeof(size))) {
			finding_add(c, r, FS_OK, s, "/dev/shm (%s) has no size= option: half of RAM by default",
				    m->fstype);
			continue;
		}
		sz = span_from(size);
		if (sz.n && sz.p[sz.n - 1] == 'k')
			sz.n--;
		if (parse_u64(sz, &kb) < 0) {
			finding_add(c, r, FS_UNKNOWN, s, "cannot read the size '%s' of /dev/shm", size);
			continue;
		}
		uint64_t bytes = kb * 1024;
		bool ok = bytes >= (1ull << 30);
		struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s, "/dev/shm is %s",
						fmt_bytes(bytes, b, sizeof(b)));
		finding_set(f, FF_OBSERVED, "%s on /dev/shm, size=%s", m->fstype, size);
		finding_set(f, FF_SOURCE, "the server's mountinfo");
		finding_set(f, FF_REQUIRED, ">= 1 GiB (heuristic: parallel hash joins and sorts)");
		if (!ok) {
			finding_set(f, FF_FIX_RUNTIME, "mount -o remount,size=1G /dev/shm");
			finding_set(f, FF_FIX_FILE, "/etc/fstab (or the container's --shm-size)");
			finding_set(f, FF_FIX_PERSIST, "tmpfs /dev/shm tmpfs defaults,size=1G 0 0");
		}
	}
}

void rule_pg_nfs(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		const struct mount *m = in->live.have_mounts && in->datadir[0]
						? mounts_find(&in->live.mounts, in->datadir) : NULL;
		if (!m) {
			struct finding *f = finding_add(c, r, FS_UNKNOWN, s, "the data directory's mount is unknown");
			finding_set(f, FF_NOTE, "data directory '%s', mount table %s", in->datadir,
				    in->live.have_mounts ? "read" : "unavailable");
			continue;
		}
		if (strncmp(m->fstype, "nfs", 3)) {
			struct finding *f = finding_add(c, r, FS_SKIP, s, "data directory on %s, not NFS",
							m->fstype);
			finding_set(f, FF_SOURCE, "mount %s (%s)", m->target, m->source);
			continue;
		}
		bool soft = mount_opt(m->opts, "soft", NULL, 0) || mount_opt(m->superopts, "soft", NULL, 0) ||
			    mount_opt(m->superopts, "softerr", NULL, 0);
		struct finding *f = finding_add(c, r, soft ? FS_FAIL : FS_OK, s, "data directory on %s mounted %s",
						m->fstype, soft ? "soft" : "hard");
		finding_set(f, FF_OBSERVED, "%s on %s type %s (%s)", m->source, m->target, m->fstype,
			    m->superopts);
		finding_set(f, FF_SOURCE, "the server's mountinfo");
		finding_set(f, FF_REQUIRED, "the hard mount option");
		if (soft) {
			finding_set(f, FF_FIX_RUNTIME, "stop the server, then: mount -o remount,hard %s", m->target);
			finding_set(f, FF_FIX_FILE, "/etc/fstab");
			finding_set(f, FF_FIX_PERSIST, "replace 'soft' with 'hard' in the options of %s", m->target);
		}
	}
}
