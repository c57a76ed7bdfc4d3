// SPDX-License-Identifier: MIT
/* Redis audits the kernel for itself at start-up (src/syscheck.c, src/server.c);
 * these rules ask the same questions before the start, for every Redis on the host,
 * and predict the maxclients it will end up with. */
#include "check/rules.h"

#include <stdio.h>
#include <string.h>

#include "workload/redis.h"
#include "util/banned.h"

static const char *rd_subj(const struct check_ctx *c, size_t i, char *buf, size_t n)
{
	rd_subject(&c->rd[i], buf, n);
	return buf;
}

static struct svc_view rd_view(const struct rd_instance *in)
{
	return svc_view_of(in->unit, &in->unit_info, in->have_unit, &in->live);
}

void rule_rd_config(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->nrd; i++) {
		const struct rd_instance *in = &c->rd[i];
		char s[320];
		rd_subj(c, i, s, sizeof(s));
		if (!in->conf_ok && in->conffile[0]) {
			/* Redis refuses to start on a configuration it cannot parse. */
			struct finding *f = finding_add(c, r, FS_FAIL, s, "configuration unreadable: %s",
							in->conf_err);
			f->sev = SEV_HIGH;
			continue;
		}
		if (!in->conffile[0]) {
			struct finding *f = finding_add(c, r, FS_INFO, s,
							"configuration file not found: Redis defaults assumed");
			finding_set(f, FF_NOTE, "%s%sgive it with --workload redis --conf FILE",
				    in->conf_how, in->conf_how[0] ? "; " : "");
			continue;
		}
		struct finding *f = finding_add(c, r, FS_OK, s, "read %s", in->conffile);
		finding_set(f, FF_SOURCE, "%s", in->conf_how);
	}
}

void rule_rd_overcommit(struct check_ctx *c, const struct rule *r)
{
	uint64_t mode;
	if (!rule_sysctl(c, r, "host", SC_OVERCOMMIT_MEMORY, &mode))
		return;
	for (size_t i = 0; i < c->nrd; i++) {
		char s[320];
		bool ok = mode == 1;
		struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, rd_subj(c, i, s, sizeof(s)),
						"vm.overcommit_memory = %llu%s", (unsigned long long)mode,
						ok ? "" : ": Redis warns 'Memory overcommit must be enabled!'");
		finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, sysctl_path(SC_OVERCOMMIT_MEMORY)));
		finding_set(f, FF_REQUIRED, "1: fork() for BGSAVE and replication copies the whole dataset's page tables; under heuristic or strict accounting the fork can fail");
		if (ok)
			continue;
		finding_fix_sysctl(f, "vm.overcommit_memory", "1");
		if (c->npg)
			finding_set(f, FF_NOTE, "a PostgreSQL-family server shares this host: see FIX-02");
	}
}

void rule_rd_thp(struct check_ctx *c, const struct rule *r)
{
	const struct host *h = c->h;
	for (size_t i = 0; i < c->nrd; i++) {
		const struct rd_instance *in = &c->rd[i];
		char s[320];
		rd_subj(c, i, s, sizeof(s));
		if (h->thp_src.state != SRC_OK) {
			finding_add(c, r, FS_SKIP, s, "transparent huge pages not readable or not built in");
			continue;
		}
		bool warns = rd_thp_warns(h->thp_enabled, in->disable_thp);
		struct finding *f;
		if (warns)
			f = finding_add(c, r, FS_FAIL, s, "THP enabled = %s and disable-thp no: Redis warns about latency and memory use",
					h->thp_enabled);
		else if (!strcmp(h->thp_enabled, "always"))
			f = finding_add(c, r, FS_OK, s, "THP always, but Redis turns it off for itself (disable-thp yes)");
		else
			f = finding_add(c, r, FS_OK, s, "THP enabled = %s", h->thp_enabled);
		finding_set(f, FF_SOURCE, "%s; disable-thp from %s",
			    rootfs_show(h->root, "/sys/kernel/mm/transparent_hugepage/enabled"),
			    in->disable_thp_origin);
		finding_set(f, FF_REQUIRED, "THP not 'always', or disable-thp yes (the default since Redis 6.2.7)");
		if (warns) {
			finding_set(f, FF_FIX_RUNTIME, "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled");
			finding_set(f, FF_FIX_FILE, "%s", in->conffile[0] ? in->conffile : "redis.conf");
			finding_set(f, FF_FIX_PERSIST, "disable-thp yes");
		}
	}
}

void rule_rd_backlog(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->nrd; i++) {
		const struct rd_instance *in = &c->rd[i];
		char s[320], fml[320];
		snprintf(fml, sizeof(fml), "tcp-backlog %lld from %s", (long long)in->tcp_backlog.v,
			 in->tcp_backlog.origin);
		struct finding *f = rule_sysctl_atleast(c, r, rd_subj(c, i, s, sizeof(s)), SC_SOMAXCONN,
							(uint64_t)in->tcp_backlog.v, "(tcp-backlog)", fml);
		if (f && f->status == FS_FAIL)
			finding_set(f, FF_NOTE, "Redis logs 'The TCP backlog setting of %lld cannot be enforced'; restart it after raising somaxconn",
				    (long long)in->tcp_backlog.v);
	}
}

bool check_rd_files(const struct check_ctx *c, size_t i, struct rd_files *rf, char *from, size_t n)
{
	const struct rd_instance *in = &c->rd[i];
	struct svc_view v = rd_view(in);
	uint64_t soft;
	if (!svc_limit(&v, PL_NOFILE, UK_LIMIT_NOFILE, &soft, from, n))
		return false;
	uint64_t hard = soft;
	/* A unit's "soft:hard" lets Redis raise its soft limit up to hard. */
	if (!in->live.pid && in->have_unit) {
		const char *colon = strchr(in->unit_info.s[UK_LIMIT_NOFILE].value, ':');
		if (colon && parse_u64(span_from(colon + 1), &hard) < 0)
			hard = soft;
		if (colon && !strcmp(colon + 1, "infinity"))
			hard = RLIM_UNLIMITED_U64;
	}
	rd_open_files(in->maxclients.v, soft, hard, false, rf);
	return true;
}

void rule_rd_maxclients(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->nrd; i++) {
		const struct rd_instance *in = &c->rd[i];
		char s[320], from[320];
		rd_subj(c, i, s, sizeof(s));
		struct rd_files rf;
		if (!check_rd_files(c, i, &rf, from, sizeof(from))) {
			struct finding *f = finding_add(c, r, FS_INFO, s,
							"needs RLIMIT_NOFILE >= %lld; its limit is unknown",
							(long long)in->maxclients.v + 32);
			finding_set(f, FF_NOTE, "not running, and no unit sets LimitNOFILE");
			continue;
		}
		struct finding *f;
		if (rf.reduced)
			f = finding_add(c, r, FS_FAIL, s,
					"maxclients %s reduced to %lld (configured %lld): open files %lld < %lld",
					in->live.pid && !in->overridden ? "was" : "will be",
					(long long)rf.maxclients, (long long)in->maxclients.v,
					(long long)rf.limit, (long long)rf.need);
		else
			f = finding_add(c, r, FS_OK, s, "open files allow maxclients %lld (%lld needed)",
					(long long)in->maxclients.v, (long long)rf.need);
		if (rf.fatal)
			f->sev = SEV_CRITICAL;
		finding_set(f, FF_SOURCE, "%s; maxclients from %s", from, in->maxclients.origin);
		finding_set(f, FF_REQUIRED, "RLIMIT_NOFILE >= maxclients + 32 = %lld", (long long)rf.need);
		finding_set(f, FF_FORMULA, "%s", rf.formula);
		if (!rf.reduced)
			continue;
		finding_set(f, FF_NOTE, "Redis logs: %s", rf.log[2][0] ? rf.log[2] : rf.log[0]);
		struct svc_view v = rd_view(in);
		char val[32];
		snprintf(val, sizeof(val), "%lld", (long long)rf.need);
		svc_limit_fix(c, f, &v, "LimitNOFILE", "n", val);
	}
}

void rule_rd_anon_huge(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->nrd; i++) {
		const struct rd_instance *in = &c->rd[i];
		char s[320];
		rd_subj(c, i, s, sizeof(s));
		if (!in->live.pid || in->overridden) {
			finding_add(c, r, FS_SKIP, s, "not running");
			continue;
		}
		if (!in->live.have_smaps) {
			finding_add(c, r, FS_UNKNOWN, s, "smaps_rollup unreadable");
			continue;
		}
		bool ok = in->live.anon_huge_kb == 0;
		struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s,
						"AnonHugePages %llu kB", (unsigned long long)in->live.anon_huge_kb);
		finding_set(f, FF_SOURCE, "/proc/%lld/smaps_rollup", (long long)in->live.pid);
		finding_set(f, FF_REQUIRED, "0: huge pages make fork() copy-on-write copy 2 MB per touched page");
		if (!ok) {
			finding_set(f, FF_FIX_RUNTIME, "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled, then restart Redis");
			finding_set(f, FF_FIX_FILE, "%s", in->conffile[0] ? in->conffile : "redis.conf");
			finding_set(f, FF_FIX_PERSIST, "disable-thp yes");
		}
	}
}
