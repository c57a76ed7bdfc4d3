// SPDX-License-Identifier: MIT
/* MySQL and MariaDB: the option files, the open-files arithmetic that silently
 * lowers max_connections and table_open_cache, mysqld_safe settings systemd never
 * reads, large pages and the host's AIO headroom. */
#include "check/rules.h"

#include <stdio.h>
#include <string.h>

#include "workload/mysql.h"
#include "util/banned.h"

static const char *my_subj(const struct check_ctx *c, size_t i, char *buf, size_t n)
{
	my_subject(&c->my[i], buf, n);
	return buf;
}

static struct svc_view my_view(const struct my_instance *in)
{
	return svc_view_of(in->unit, &in->unit_info, in->have_unit, &in->live);
}

void rule_my_config(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->nmy; i++) {
		const struct my_instance *in = &c->my[i];
		char s[320];
		my_subj(c, i, s, sizeof(s));
		if (!in->conf_ok) {
			struct finding *f = finding_add(c, r, FS_FAIL, s, "option files unreadable: %s",
							in->conf_err[0] ? in->conf_err : "unknown error");
			finding_set(f, FF_NOTE, "the figures below use the server's defaults and its command line");
			continue;
		}
		struct finding *f = finding_add(c, r, FS_OK, s, "read %s%s%s",
						in->conffile[0] ? in->conffile : "no option file (defaults)",
						in->version[0] ? "; version " : "", in->version);
		if (in->version_origin[0])
			finding_set(f, FF_SOURCE, "version from %s", in->version_origin);
	}
}

bool check_my_files(const struct check_ctx *c, size_t i, struct my_files *mf, char *from, size_t n)
{
	const struct my_instance *in = &c->my[i];
	struct svc_view v = my_view(in);
	uint64_t soft;
	if (!svc_limit(&v, PL_NOFILE, UK_LIMIT_NOFILE, &soft, from, n))
		return false;
	my_instance_files(in, soft, mf);
	return true;
}

void rule_my_open_files(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->nmy; i++) {
		const struct my_instance *in = &c->my[i];
		char s[320], from[320];
		my_subj(c, i, s, sizeof(s));
		struct my_files mf;
		if (!check_my_files(c, i, &mf, from, sizeof(from))) {
			/* Without a limit, the request itself is still worth showing. */
			my_instance_files(in, RLIM_UNLIMITED_U64, &mf);
			struct finding *f = finding_add(c, r, FS_INFO, s,
							"needs RLIMIT_NOFILE >= %lld; its limit is unknown",
							(long long)mf.request);
			finding_set(f, FF_FORMULA, "%s", mf.formula);
			finding_set(f, FF_NOTE, "%s", in->live.pid ? "its /proc/PID/limits is unreadable"
								  : "not running, and no unit sets LimitNOFILE");
			continue;
		}
		struct finding *f;
		if (mf.changed)
			f = finding_add(c, r, FS_FAIL, s,
					"%s %s with max_connections %lld (configured %lld) and table_open_cache %lld (configured %lld): only %lld files",
					my_flavor_name(in->fl), in->live.pid && !in->overridden ? "runs" : "will run",
					(long long)mf.max_connections, (long long)in->max_connections.v,
					(long long)mf.table_open_cache, (long long)in->table_open_cache.v,
					(long long)mf.files);
		else if (mf.underflow)
			f = finding_add(c, r, FS_FAIL, s,
					"max_connections %lld with only %lld files: connections will fail with 'Too many open files' under load",
					(long long)in->max_connections.v, (long long)mf.files);
		else if (mf.could_not_increase) {
			f = finding_add(c, r, FS_FAIL, s, "open files %lld < %lld requested (no setting lowered)",
					(long long)mf.files, (long long)mf.request);
			f->sev = SEV_LOW;
		} else
			f = finding_add(c, r, FS_OK, s, "open files: %lld requested, limit allows it",
					(long long)mf.request);
		finding_set(f, FF_OBSERVED, "RLIMIT_NOFILE soft %s",
			    mf.files < mf.request ? "below the request" : ">= the request");
		finding_set(f, FF_SOURCE, "%s; max_connections from %s; table_open_cache from %s", from,
			    in->max_connections.origin, in->table_open_cache.origin);
		finding_set(f, FF_REQUIRED, "RLIMIT_NOFILE >= %lld (the server's request)", (long long)mf.request);
		finding_set(f, FF_FORMULA, "%s", mf.formula);
		if (f->status != FS_FAIL)
			continue;
		if (mf.log_increase[0] || mf.log_changed[0])
			finding_set(f, FF_NOTE, "the server logs at start: %s%s%s", mf.log_increase,
				    mf.log_increase[0] && mf.log_changed[0] ? " / " : "", mf.log_changed);
		struct svc_view v = my_view(in);
		char val[32];
		int64_t want = mf.request;
		if (in->safe_open_files_set && in->have_unit && in->safe_open_files.v > want)
			want = in->safe_open_files.v; /* as MY-02 proposes */
		snprintf(val, sizeof(val), "%lld", (long long)want);
		svc_limit_fix(c, f, &v, "LimitNOFILE", "n", val);
	}
}

void rule_my_safe(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->nmy; i++) {
		const struct my_instance *in = &c->my[i];
		char s[320];
		my_subj(c, i, s, sizeof(s));
		bool any = in->safe_open_files_set || in->safe_core_set || in->safe_malloc_lib_set;
		if (!any) {
			finding_add(c, r, FS_OK, s, "no [mysqld_safe] limits that systemd would ignore");
			continue;
		}
		bool sysd = in->have_unit && systemd_booted(c);
		if (!sysd) {
			finding_add(c, r, FS_SKIP, s, "not started by systemd: mysqld_safe applies its settings");
			continue;
		}
		char what[64] = "";
		const char *names[] = {in->safe_open_files_set ? "open-files-limit" : NULL,
				       in->safe_core_set ? "core-file-size" : NULL,
				       in->safe_malloc_lib_set ? "malloc-lib" : NULL};
		for (size_t k = 0; k < 3; k++)
			if (names[k]) {
				size_t l = strlen(what);
				snprintf(what + l, sizeof(what) - l, "%s%s", l ? ", " : "", names[k]);
			}
		struct finding *f = finding_add(c, r, FS_FAIL, s,
						"[mysqld_safe] %s ignored: %s starts the server without mysqld_safe",
						what, in->unit);
		if (in->safe_open_files_set) {
			finding_set(f, FF_SOURCE, "%s", in->safe_open_files.origin);
			/* The unit needs the larger of that value and the server's request
			 * (MY-01), so the two fixes agree. */
			int64_t want = in->safe_open_files.v;
			struct my_files mf;
			char from[320];
			if (check_my_files(c, i, &mf, from, sizeof(from)) && mf.request > want)
				want = mf.request;
			struct svc_view v = my_view(in);
			char val[32];
			snprintf(val, sizeof(val), "%lld", (long long)want);
			svc_limit_fix(c, f, &v, "LimitNOFILE", "n", val);
		}
		finding_set(f, FF_REQUIRED, "the unit's LimitNOFILE=, LimitCORE= and Environment=LD_PRELOAD= instead");
	}
}

void rule_my_large_pages(struct check_ctx *c, const struct rule *r)
{
	const struct meminfo *mi = &c->h->mi;
	for (size_t i = 0; i < c->nmy; i++) {
		const struct my_instance *in = &c->my[i];
		char s[320];
		my_subj(c, i, s, sizeof(s));
		if (!in->large_pages.v) {
			finding_add(c, r, FS_SKIP, s, "large_pages is off");
			continue;
		}
		if (!meminfo_has(mi, MI_HUGEPAGESIZE) || !meminfo_has(mi, MI_HUGEPAGES_TOTAL)) {
			finding_add(c, r, FS_UNKNOWN, s, "huge page counters unreadable in /proc/meminfo");
			continue;
		}
		uint64_t hps = mi->v[MI_HUGEPAGESIZE] * 1024;
		uint64_t bp = (uint64_t)in->innodb_buffer_pool_size.v;
		uint64_t need = hps ? (bp + hps - 1) / hps : 0;
		uint64_t total = mi->v[MI_HUGEPAGES_TOTAL];
		bool ok = total >= need;
		char b1[32];
		struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s,
						"large_pages on: buffer pool %s needs %llu huge pages, the pool has %llu",
						fmt_bytes(bp, b1, sizeof(b1)), (unsigned long long)need,
						(unsigned long long)total);
		finding_set(f, FF_SOURCE, "innodb_buffer_pool_size from %s; /proc/meminfo",
			    in->innodb_buffer_pool_size.origin);
		finding_set(f, FF_FORMULA, "ceil(%llu / %llu)", (unsigned long long)bp, (unsigned long long)hps);
		finding_set(f, FF_REQUIRED, "HugePages_Total >= %llu (plus what other servers use, HP-01)",
			    (unsigned long long)need);
		if (!ok) {
			char v[32];
			snprintf(v, sizeof(v), "%llu", (unsigned long long)need);
			finding_fix_sysctl(f, "vm.nr_hugepages", v);
			finding_set(f, FF_NOTE, "without the pages the server falls back to normal pages and logs a warning");
		}
		/* MySQL maps the pool with shmget(SHM_HUGETLB): the user must be in
		 * vm.hugetlb_shm_group or may lock the memory (MySQL manual, 'Enabling Large
		 * Page Support'). MariaDB maps it with mmap(MAP_HUGETLB). */
		if (in->fl == MYF_MYSQL && ok) {
			uint64_t grp = 0, memlock = 0;
			char from[320];
			struct svc_view v = my_view(in);
			bool lk = svc_limit(&v, PL_MEMLOCK, UK_LIMIT_MEMLOCK, &memlock, from, sizeof(from));
			sysctl_get(&c->h->sc, SC_HUGETLB_SHM_GROUP, &grp);
			if (grp == 0 && lk && memlock != RLIM_UNLIMITED_U64 && memlock < bp) {
				f->status = FS_FAIL;
				f->sev = r->sev;
				finding_set(f, FF_NOTE, "MySQL's SysV huge page segment needs vm.hugetlb_shm_group = the mysql group, or RLIMIT_MEMLOCK >= the pool (%s)", from);
				svc_limit_fix(c, f, &v, "LimitMEMLOCK", "l", "infinity");
			}
		}
	}
}

void rule_my_aio(struct check_ctx *c, const struct rule *r)
{
	uint64_t max, nr;
	if (!rule_sysctl(c, r, "host", SC_AIO_MAX_NR, &max) || !rule_sysctl(c, r, "host", SC_AIO_NR, &nr))
		return;
	unsigned pct = max ? (unsigned)(nr * 100 / max) : 100;
	/* mysqltuner recommends fs.aio-max-nr >= 1048576; io_setup() fails with EAGAIN
	 * once aio-nr would pass aio-max-nr (fs/aio.c ioctx_alloc). */
	bool full = pct >= 90, low = max < 1048576;
	struct finding *f = finding_add(c, r, full || low ? FS_FAIL : FS_OK, "host",
					"fs.aio-nr %llu of fs.aio-max-nr %llu (%u%%)", (unsigned long long)nr,
					(unsigned long long)max, pct);
	if (full)
		f->sev = SEV_MEDIUM;
	finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, sysctl_path(SC_AIO_NR)));
	finding_set(f, FF_REQUIRED, "fs.aio-max-nr >= 1048576 and aio-nr below 90 %% of it");
	if (f->status == FS_FAIL) {
		char v[32];
		snprintf(v, sizeof(v), "%llu", (unsigned long long)(max >= 1048576 ? 2 * max : 1048576));
		finding_fix_sysctl(f, "fs.aio-max-nr", v);
	}
}
