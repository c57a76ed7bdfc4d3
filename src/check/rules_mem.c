// SPDX-License-Identifier: MIT
/* Memory rules: overcommit mode and the commit limit arithmetic, swap, swappiness,
 * transparent huge pages, zone reclaim, and the server's cgroup limit. */
#include "check/rules.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

bool pg_master_protected(const struct pg_instance *in)
{
	if (in->live.pid)
		return in->live.have_oom && in->live.oom_adj <= OOM_PROTECTED;
	const struct unit_setting *u = &in->unit_info.s[UK_OOM_SCORE_ADJUST];
	int64_t v;
	return in->have_unit && u->set && parse_i64(span_from(u->value), &v) == 0 &&
	       v <= OOM_PROTECTED;
}

/* Memory the kernel may lend in strict mode, without huge pages (kB). */
static uint64_t hugetlb_kb(const struct host *h)
{
	if (meminfo_has(&h->mi, MI_HUGETLB))
		return h->mi.v[MI_HUGETLB];
	if (meminfo_has(&h->mi, MI_HUGEPAGES_TOTAL) && meminfo_has(&h->mi, MI_HUGEPAGESIZE))
		return h->mi.v[MI_HUGEPAGES_TOTAL] * h->mi.v[MI_HUGEPAGESIZE];
	return 0;
}

/* The overcommit_ratio that makes CommitLimit cover 1.25 x what is committed now,
 * never below 80: the default 50 leaves half of RAM unusable without swap. */
static uint64_t suggest_ratio(const struct host *h)
{
	const struct meminfo *mi = &h->mi;
	uint64_t ram = mi->v[MI_MEMTOTAL] - hugetlb_kb(h), swap = mi->v[MI_SWAPTOTAL];
	uint64_t want = mi->v[MI_COMMITTED_AS] / 4 * 5;
	uint64_t ratio = 80;
	if (ram && want > swap) {
		uint64_t r = (want - swap) * 100 / ram + 1;
		if (r > ratio)
			ratio = r > 100 ? 100 : r;
	}
	return ratio;
}

void rule_mem_overcommit(struct check_ctx *c, const struct rule *r)
{
	uint64_t mode;
	if (!rule_sysctl(c, r, "host", SC_OVERCOMMIT_MEMORY, &mode))
		return;
	static const char *const modes[] = {"heuristic", "always", "strict"};
	const char *mname = mode < 3 ? modes[mode] : "invalid";
	if (!c->npg) {
		finding_add(c, r, FS_INFO, "host", "vm.overcommit_memory = %llu (%s)",
			    (unsigned long long)mode, mname);
		return;
	}
	for (size_t i = 0; i < c->npg; i++) {
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		bool prot = pg_master_protected(&c->pg[i]);
		bool ok = mode == 2 || prot;
		struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s,
						"vm.overcommit_memory = %llu (%s)%s",
						(unsigned long long)mode, mname,
						mode == 2 ? ""
						: prot ? ", master protected from the OOM killer"
						       : " and the master is not protected");
		finding_set(f, FF_OBSERVED, "vm.overcommit_memory = %llu", (unsigned long long)mode);
		finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, sysctl_path(SC_OVERCOMMIT_MEMORY)));
		finding_set(f, FF_REQUIRED, "2 (strict), or the master at oom_score_adj -1000 (OOM-01)");
		if (ok || !meminfo_has(&c->h->mi, MI_COMMITTED_AS))
			continue;
		if (c->nrd) {
			/* Strict mode would break Redis (RD-01): the other way is the only one. */
			finding_set(f, FF_NOTE, "Redis on this host requires vm.overcommit_memory = 1 (FIX-02): protect the master instead (OOM-01)");
			continue;
		}
		char ratio[16];
		snprintf(ratio, sizeof(ratio), "%llu", (unsigned long long)suggest_ratio(c->h));
		finding_set(f, FF_FIX_RUNTIME, "sysctl -w vm.overcommit_ratio=%s vm.overcommit_memory=2",
			    ratio);
		finding_set(f, FF_FIX_FILE, "%s", KRES_SYSCTL_FILE);
		finding_set(f, FF_FIX_PERSIST, "vm.overcommit_ratio = %s\nvm.overcommit_memory = 2", ratio);
		finding_set(f, FF_NOTE,
			    "the ratio keeps CommitLimit above 1.25 x today's Committed_AS (see MEM-02); or protect the master instead (OOM-01)");
	}
}

void rule_mem_commit(struct check_ctx *c, const struct rule *r)
{
	uint64_t mode, ratio = 50, kbytes = 0;
	if (!rule_sysctl(c, r, "host", SC_OVERCOMMIT_MEMORY, &mode))
		return;
	const struct meminfo *mi = &c->h->mi;
	if (c->h->meminfo_src.state != SRC_OK || !meminfo_has(mi, MI_COMMITLIMIT) ||
	    !meminfo_has(mi, MI_COMMITTED_AS)) {
		struct finding *f = finding_add(c, r, FS_UNKNOWN, "host", "commit accounting unavailable");
		finding_set(f, FF_NOTE, "%s", c->h->meminfo_src.err[0] ? c->h->meminfo_src.err
								     : "/proc/meminfo has no CommitLimit");
		return;
	}
	sysctl_get(&c->h->sc, SC_OVERCOMMIT_RATIO, &ratio);
	sysctl_get(&c->h->sc, SC_OVERCOMMIT_KBYTES, &kbytes);
	uint64_t ht = hugetlb_kb(c->h), total = mi->v[MI_MEMTOTAL], swap = mi->v[MI_SWAPTOTAL];
	uint64_t limit = kbytes ? kbytes + swap : (total > ht ? total - ht : 0) * ratio / 100 + swap;
	uint64_t used = mi->v[MI_COMMITTED_AS], klimit = mi->v[MI_COMMITLIMIT];
	char formula[384];
	if (kbytes)
		snprintf(formula, sizeof(formula),
			 "overcommit_kbytes %llu + SwapTotal %llu kB = %llu kB (the kernel shows %llu kB)",
			 (unsigned long long)kbytes, (unsigned long long)swap,
			 (unsigned long long)limit, (unsigned long long)klimit);
	else
		snprintf(formula, sizeof(formula),
			 "(MemTotal %llu kB - huge pages %llu kB) x overcommit_ratio %llu / 100 + SwapTotal %llu kB = %llu kB (the kernel shows %llu kB)",
			 (unsigned long long)total, (unsigned long long)ht, (unsigned long long)ratio,
			 (unsigned long long)swap, (unsigned long long)limit, (unsigned long long)klimit);
	unsigned pct = klimit ? (unsigned)(used * 100 / klimit) : 100;
	if (mode != 2) {
		struct finding *f = finding_add(c, r, FS_SKIP, "host",
						"not in strict mode: Committed_AS %llu kB is %u%% of CommitLimit %llu kB",
						(unsigned long long)used, pct, (unsigned long long)klimit);
		finding_set(f, FF_FORMULA, "%s", formula);
		return;
	}
	bool ok = pct < 90;
	struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, "host",
					"Committed_AS %llu kB is %u%% of CommitLimit %llu kB",
					(unsigned long long)used, pct, (unsigned long long)klimit);
	finding_set(f, FF_OBSERVED, "Committed_AS %llu kB, CommitLimit %llu kB",
		    (unsigned long long)used, (unsigned long long)klimit);
	finding_set(f, FF_SOURCE, "/proc/meminfo; vm.overcommit_ratio, vm.overcommit_kbytes");
	finding_set(f, FF_REQUIRED, "Committed_AS below 90%% of CommitLimit");
	finding_set(f, FF_FORMULA, "CommitLimit = %s", formula);
	if (!ok) {
		char val[16];
		snprintf(val, sizeof(val), "%llu", (unsigned long long)suggest_ratio(c->h));
		finding_fix_sysctl(f, "vm.overcommit_ratio", val);
		if (pct >= 100)
			f->sev = SEV_CRITICAL;
	}
}

void rule_mem_swap(struct check_ctx *c, const struct rule *r)
{
	const struct meminfo *mi = &c->h->mi;
	if (c->h->meminfo_src.state != SRC_OK) {
		struct finding *f = finding_add(c, r, FS_UNKNOWN, "host", "/proc/meminfo unreadable");
		finding_set(f, FF_NOTE, "%s", c->h->meminfo_src.err);
		return;
	}
	uint64_t total = mi->v[MI_SWAPTOTAL], free_ = mi->v[MI_SWAPFREE];
	if (!total) {
		finding_add(c, r, FS_INFO, "host", "no swap");
		return;
	}
	uint64_t used = total > free_ ? total - free_ : 0;
	unsigned pct = (unsigned)(used * 100 / total);
	/* The KVM memory guide grades a database under pressure at swap use > 30 %. */
	bool bad = check_ndb(c) && pct > 30;
	struct finding *f = finding_add(c, r, bad ? FS_FAIL : FS_INFO, "host",
					"swap %u%% used (%llu of %llu kB)", pct,
					(unsigned long long)used, (unsigned long long)total);
	if (bad)
		f->sev = SEV_MEDIUM;
	finding_set(f, FF_SOURCE, "/proc/meminfo%s", vmstat_has(&c->h->vs, VS_PSWPOUT) ? ", /proc/vmstat" : "");
	if (vmstat_has(&c->h->vs, VS_PSWPOUT))
		finding_set(f, FF_OBSERVED, "pages swapped in %llu, out %llu since boot",
			    (unsigned long long)c->h->vs.v[VS_PSWPIN],
			    (unsigned long long)c->h->vs.v[VS_PSWPOUT]);
	if (bad)
		finding_set(f, FF_REQUIRED, "swap use at most 30%% on a database host (KVM memory guide)");
}

void rule_mem_swappiness(struct check_ctx *c, const struct rule *r)
{
	if (!check_ndb(c)) {
		uint64_t v;
		if (rule_sysctl(c, r, "host", SC_SWAPPINESS, &v))
			finding_add(c, r, FS_INFO, "host", "vm.swappiness = %llu", (unsigned long long)v);
		return;
	}
	uint64_t v;
	if (!rule_sysctl(c, r, "host", SC_SWAPPINESS, &v))
		return;
	bool ok = v <= 10;
	struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, "host", "vm.swappiness = %llu",
					(unsigned long long)v);
	finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, sysctl_path(SC_SWAPPINESS)));
	finding_set(f, FF_REQUIRED, "<= 10 on a database host");
	if (!ok)
		finding_fix_sysctl(f, "vm.swappiness", "10");
}

static void thp_rule(struct check_ctx *c, const struct rule *r, const struct src *s,
		     const char *val, const char *file, const char *bad, const char *good)
{
	if (s->state != SRC_OK) {
		struct finding *f = finding_add(c, r, s->state == SRC_UNAVAILABLE ? FS_SKIP : FS_UNKNOWN,
						"host", "transparent huge pages %s",
						s->state == SRC_UNAVAILABLE ? "not built in" : "unreadable");
		finding_set(f, FF_NOTE, "%s", s->err);
		return;
	}
	bool fail = check_ndb(c) && !strcmp(val, bad);
	struct finding *f = finding_add(c, r, fail ? FS_FAIL : check_ndb(c) ? FS_OK : FS_INFO, "host",
					"%s = %s", file + strlen("/sys/kernel/mm/"), val);
	finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, file));
	if (!fail)
		return;
	finding_set(f, FF_REQUIRED, "not '%s'", bad);
	finding_set(f, FF_FIX_RUNTIME, "echo %s > %s", good, file);
	if (strstr(file, "enabled")) {
		finding_set(f, FF_FIX_FILE, "the kernel command line (/etc/default/grub GRUB_CMDLINE_LINUX)");
		finding_set(f, FF_FIX_PERSIST, "transparent_hugepage=%s", good);
		return;
	}
	/* defrag has no boot parameter: a oneshot unit sets it before the services. */
	finding_set(f, FF_FIX_FILE, "/etc/systemd/system/kres-thp-defrag.service (then systemctl enable it)");
	finding_set(f, FF_FIX_PERSIST,
		    "[Unit]\nDescription=THP defrag %s (kres)\nDefaultDependencies=no\n"
		    "After=sysinit.target local-fs.target\nBefore=basic.target\n[Service]\n"
		    "Type=oneshot\nExecStart=/bin/sh -c 'echo %s > %s'\n[Install]\nWantedBy=basic.target",
		    good, good, file);
}

void rule_mem_thp(struct check_ctx *c, const struct rule *r)
{
	thp_rule(c, r, &c->h->thp_src, c->h->thp_enabled,
		 "/sys/kernel/mm/transparent_hugepage/enabled", "always", "madvise");
}

void rule_mem_thp_defrag(struct check_ctx *c, const struct rule *r)
{
	thp_rule(c, r, &c->h->thp_defrag_src, c->h->thp_defrag,
		 "/sys/kernel/mm/transparent_hugepage/defrag", "always", "madvise");
}

void rule_mem_zone_reclaim(struct check_ctx *c, const struct rule *r)
{
	uint64_t v;
	if (!rule_sysctl(c, r, "host", SC_ZONE_RECLAIM_MODE, &v))
		return;
	unsigned nodes = c->h->nodes_src.state == SRC_OK ? c->h->nnodes : 1;
	if (nodes <= 1) {
		finding_add(c, r, FS_SKIP, "host", "one NUMA node (vm.zone_reclaim_mode = %llu)",
			    (unsigned long long)v);
		return;
	}
	bool ok = v == 0;
	struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, "host",
					"vm.zone_reclaim_mode = %llu on %u NUMA nodes",
					(unsigned long long)v, nodes);
	finding_set(f, FF_SOURCE, "%s, /sys/devices/system/node/online",
		    rootfs_show(c->h->root, sysctl_path(SC_ZONE_RECLAIM_MODE)));
	finding_set(f, FF_REQUIRED, "0");
	if (!ok)
		finding_fix_sysctl(f, "vm.zone_reclaim_mode", "0");
}

void rule_mem_cgroup(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		const struct cg_memlimit *ml = &in->live.memlimit;
		char s[320], b1[32], b2[32];
		pg_subj(c, i, s, sizeof(s));
		if (!in->live.pid) {
			finding_add(c, r, FS_SKIP, s, "not running: no cgroup to read");
			continue;
		}
		if (!ml->limited) {
			finding_add(c, r, FS_OK, s, "no cgroup memory limit%s",
				    ml->version ? "" : " (no memory controller found)");
			continue;
		}
		uint64_t shm = c->pgneeds[i].shm_bytes;
		/* The shared segment alone must fit with room for the backends' private
		 * memory: below 1.25 x the segment the cgroup OOM killer is near. */
		bool ok = ml->bytes >= shm / 4 * 5;
		struct finding *f = finding_add(c, r, ok ? FS_INFO : FS_FAIL, s,
						"cgroup v%d memory limit %s, shared segment %s",
						ml->version, fmt_bytes(ml->bytes, b1, sizeof(b1)),
						fmt_bytes(shm, b2, sizeof(b2)));
		finding_set(f, FF_SOURCE, "%s", ml->file);
		finding_set(f, FF_REQUIRED, ">= 1.25 x the shared segment = %llu bytes",
			    (unsigned long long)(shm / 4 * 5));
		if (!ok) {
			char d[300];
			finding_set(f, FF_FIX_RUNTIME, "systemctl set-property %s MemoryMax=%llu",
				    in->unit[0] ? in->unit : "<unit>",
				    (unsigned long long)(shm / 4 * 5));
			finding_set(f, FF_FIX_FILE, "%s", unit_dropin(in, d, sizeof(d)));
			finding_set(f, FF_FIX_PERSIST, "[Service]\nMemoryMax=%llu",
				    (unsigned long long)(shm / 4 * 5));
		}
	}
}
