// SPDX-License-Identifier: MIT
/* Host rules for virtual machines (hypervisor, steal, watchdog panics) and the
 * network backlog the servers ask for. */
#include "check/rules.h"

#include <stdio.h>
#include <string.h>

#include "host/mounts.h"
#include "util/buf.h"
#include "util/banned.h"

static bool in_vm(const struct check_ctx *c)
{
	return c->h->virt.kind != VIRT_NONE;
}

void rule_vm_hypervisor(struct check_ctx *c, const struct rule *r)
{
	const struct host *h = c->h;
	char cpus[32] = "unknown";
	if (h->cpus_src.state == SRC_OK)
		snprintf(cpus, sizeof(cpus), "%u", h->ncpus);
	struct finding *f = finding_add(c, r, FS_INFO, "host", "%s, %s CPUs%s%s",
					in_vm(c) ? virt_name(h->virt.kind) : "bare metal (no hypervisor found)",
					cpus, h->release[0] ? ", kernel " : "", h->release);
	finding_set(f, FF_SOURCE, "%s", h->virt.evidence);
	if (h->nodes_src.state == SRC_OK && h->nnodes > 1)
		finding_set(f, FF_OBSERVED, "%u NUMA nodes", h->nnodes);
}

void rule_vm_steal(struct check_ctx *c, const struct rule *r)
{
	const struct host *h = c->h;
	if (!in_vm(c)) {
		finding_add(c, r, FS_SKIP, "host", "not a virtual machine");
		return;
	}
	if (h->stat_src.state != SRC_OK || h->cs.nfields < 8) {
		struct finding *f = finding_add(c, r, FS_UNKNOWN, "host", "no steal time in /proc/stat");
		finding_set(f, FF_NOTE, "%s", h->stat_src.err[0] ? h->stat_src.err : "fewer than 8 fields");
		return;
	}
	uint64_t total = cpustat_total(&h->cs);
	unsigned pm = total ? (unsigned)(h->cs.steal * 1000 / total) : 0; /* per mille */
	bool ok = pm < 100;
	struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, "host",
					"steal %u.%u%% of CPU time since boot", pm / 10, pm % 10);
	finding_set(f, FF_OBSERVED, "steal %llu of %llu ticks", (unsigned long long)h->cs.steal,
		    (unsigned long long)total);
	finding_set(f, FF_SOURCE, "%s (cpu line)", rootfs_show(h->root, "/proc/stat"));
	finding_set(f, FF_REQUIRED, "below 10%% (netdata's warning level); kres top shows it live");
	if (!ok)
		finding_set(f, FF_NOTE,
			    "the host overcommits CPUs: ask for dedicated vCPUs or fewer busy threads in the guest (e.g. nfsd threads)");
}

void rule_vm_softlockup_panic(struct check_ctx *c, const struct rule *r)
{
	uint64_t v, th = 10;
	if (!rule_sysctl(c, r, "host", SC_SOFTLOCKUP_PANIC, &v))
		return;
	sysctl_get(&c->h->sc, SC_WATCHDOG_THRESH, &th);
	bool bad = v && in_vm(c);
	struct finding *f = finding_add(c, r, bad ? FS_FAIL : FS_OK, "host",
					"kernel.softlockup_panic = %llu%s; soft lockups reported after %llu s",
					(unsigned long long)v, in_vm(c) ? " in a VM" : "",
					(unsigned long long)(2 * th));
	finding_set(f, FF_SOURCE, "%s, kernel.watchdog_thresh = %llu",
		    rootfs_show(c->h->root, sysctl_path(SC_SOFTLOCKUP_PANIC)), (unsigned long long)th);
	finding_set(f, FF_FORMULA, "soft lockup threshold = 2 x kernel.watchdog_thresh");
	if (bad) {
		finding_set(f, FF_REQUIRED, "0 in a virtual machine");
		finding_fix_sysctl(f, "kernel.softlockup_panic", "0");
	}
}

/* True when any server keeps its data on NFS. */
static bool data_on_nfs(const struct check_ctx *c)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		const struct mount *m = in->live.have_mounts && in->datadir[0]
						? mounts_find(&in->live.mounts, in->datadir) : NULL;
		if (m && !strncmp(m->fstype, "nfs", 3))
			return true;
	}
	return false;
}

void rule_vm_hung_task_panic(struct check_ctx *c, const struct rule *r)
{
	uint64_t v, to = 120;
	if (!rule_sysctl(c, r, "host", SC_HUNG_TASK_PANIC, &v))
		return;
	sysctl_get(&c->h->sc, SC_HUNG_TASK_TIMEOUT, &to);
	bool nfs = data_on_nfs(c);
	struct finding *f = finding_add(c, r, v ? FS_FAIL : FS_OK, "host",
					"kernel.hung_task_panic = %llu (timeout %llu s)%s",
					(unsigned long long)v, (unsigned long long)to,
					nfs ? ", database data on NFS" : "");
	if (v && nfs)
		f->sev = SEV_HIGH;
	finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, sysctl_path(SC_HUNG_TASK_PANIC)));
	if (v) {
		finding_set(f, FF_REQUIRED, "0: report hung tasks, do not reboot");
		finding_fix_sysctl(f, "kernel.hung_task_panic", "0");
	}
}

/* True when word is one of the blank-separated words of list. */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

void rule_vm_clocksource(struct check_ctx *c, const struct rule *r)
{
	const struct host *h = c->h;
	if (h->clock_src.state != SRC_OK) {
		struct finding *f = finding_add(c, r, h->clock_src.state == SRC_ERROR ? FS_UNKNOWN : FS_SKIP,
						"host", "clocksource unavailable");
		finding_set(f, FF_NOTE, "%s", h->clock_src.err);
		return;
	}
	/* The slow ones trap to the hypervisor or read an I/O port on every call. */
	bool slow = !strcmp(h->clocksource, "xen") || !strcmp(h->clocksource, "hpet") ||
		    !strcmp(h->clocksource, "acpi_pm");
	bool tsc = has_word(h->clocksources, "tsc");
	bool fail = slow && check_ndb(c) && tsc;
	struct finding *f = finding_add(c, r, fail ? FS_FAIL : slow && check_ndb(c) ? FS_INFO : FS_OK, "host",
					"clocksource %s%s", h->clocksource,
					slow ? " (slow to read)" : "");
	finding_set(f, FF_SOURCE, "/sys/devices/system/clocksource/clocksource0");
	finding_set(f, FF_OBSERVED, "current %s; available: %s", h->clocksource,
		    h->clocksources[0] ? h->clocksources : "unknown");
	if (!fail) {
		if (slow && check_ndb(c))
			finding_set(f, FF_NOTE, "tsc is not offered: nothing faster to switch to");
		return;
	}
	finding_set(f, FF_REQUIRED, "tsc, which this kernel offers");
	finding_set(f, FF_FIX_RUNTIME,
		    "echo tsc > /sys/devices/system/clocksource/clocksource0/current_clocksource");
	finding_set(f, FF_FIX_FILE, "the kernel command line (/etc/default/grub GRUB_CMDLINE_LINUX)");
	finding_set(f, FF_FIX_PERSIST, "clocksource=tsc");
	finding_set(f, FF_NOTE, "check the result with pg_test_timing");
}

void rule_net_somaxconn(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		char s[320];
		const struct pg_needs *nd = &c->pgneeds[i];
		struct finding *f = rule_sysctl_atleast(c, r, pg_subj(c, i, s, sizeof(s)), SC_SOMAXCONN,
							(uint64_t)nd->backlog, "(listen backlog)",
							nd->backlog_formula);
		if (f && f->status == FS_FAIL)
			finding_set(f, FF_NOTE, "restart the server after raising it: listen() reads it once");
	}
}

void rule_net_synbacklog(struct check_ctx *c, const struct rule *r)
{
	int64_t need = 0;
	for (size_t i = 0; i < c->npg; i++)
		if (c->pgneeds[i].backlog > need)
			need = c->pgneeds[i].backlog;
	char fml[96];
	snprintf(fml, sizeof(fml), "the largest listen backlog of the servers (NET-01): %lld",
		 (long long)need);
	rule_sysctl_atleast(c, r, "host", SC_TCP_MAX_SYN_BACKLOG, (uint64_t)need, "", fml);
}
