// SPDX-License-Identifier: MIT
/* Rules about the server's processes: OOM scores of the master and its children,
 * resource limits (open files, processes, tasks), host-wide file handles, and the
 * systemd settings that remove IPC objects or stop the unit on an OOM kill. */
#include "check/rules.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/banned.h"

bool systemd_booted(const struct check_ctx *c)
{
	return rootfs_isdir(c->h->root, "/run/systemd/system");
}

/* The fix that protects the master and resets its children (PostgreSQL docs,
 * 'Linux Memory Overcommit'): a unit drop-in under systemd, else the lines for the
 * root-owned script that starts the server. */
static void oom_fix(struct check_ctx *c, struct finding *f, const struct pg_instance *in)
{
	if (systemd_booted(c) && in->unit[0]) {
		char d[300];
		finding_set(f, FF_FIX_FILE, "%s", unit_dropin(in, d, sizeof(d)));
		finding_set(f, FF_FIX_PERSIST,
			    "[Service]\nOOMScoreAdjust=-1000\nEnvironment=%s=/proc/self/oom_score_adj\nEnvironment=%s=0",
			    in->fl->oom_file_env, in->fl->oom_value_env);
		finding_set(f, FF_FIX_RUNTIME, "systemctl daemon-reload && systemctl restart %s", in->unit);
	} else {
		finding_set(f, FF_FIX_FILE, "the root-owned script that starts the server");
		finding_set(f, FF_FIX_PERSIST,
			    "echo -1000 > /proc/self/oom_score_adj\nexport %s=/proc/self/oom_score_adj %s=0",
			    in->fl->oom_file_env, in->fl->oom_value_env);
		finding_set(f, FF_FIX_RUNTIME, "restart the server from that script");
	}
	/* postgresql-common's pg_ctlcluster, run as root, writes -900 and sets
	 * PG_OOM_ADJUST_FILE itself: a server started with plain pg_ctl misses both. */
	if (in->fl->semmodel == PGSEM_POSTGRESQL && rootfs_exists(c->h->root, "/usr/bin/pg_ctlcluster"))
		finding_set(f, FF_NOTE,
			    "on Debian, starting the cluster as root with pg_ctlcluster (or its systemd unit) sets -900 and PG_OOM_ADJUST_FILE by itself");
}

void rule_oom_master(struct check_ctx *c, const struct rule *r)
{
	uint64_t mode = 0;
	sysctl_get(&c->h->sc, SC_OVERCOMMIT_MEMORY, &mode);
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		struct finding *f;
		int adj;
		const char *from;
		char buf[300];
		if (in->live.pid && in->live.have_oom) {
			adj = in->live.oom_adj;
			char p[64];
			snprintf(p, sizeof(p), "/proc/%lld/oom_score_adj", (long long)in->live.pid);
			str_copy(buf, sizeof(buf), rootfs_show(c->h->root, p));
			from = buf;
		} else if (!in->live.pid && in->have_unit && in->unit_info.s[UK_OOM_SCORE_ADJUST].set) {
			const struct unit_setting *u = &in->unit_info.s[UK_OOM_SCORE_ADJUST];
			int64_t v;
			if (parse_i64(span_from(u->value), &v) < 0 || v < -1000 || v > 1000) {
				f = finding_add(c, r, FS_UNKNOWN, s, "OOMScoreAdjust='%s' is invalid", u->value);
				finding_set(f, FF_SOURCE, "'%s' line %u", u->file, u->line);
				continue;
			}
			adj = (int)v;
			snprintf(buf, sizeof(buf), "OOMScoreAdjust in '%s' line %u", u->file, u->line);
			from = buf;
		} else if (!in->live.pid) {
			adj = 0;
			from = in->have_unit ? "the unit does not set OOMScoreAdjust (0)" : "no unit: inherited (0)";
		} else {
			f = finding_add(c, r, FS_UNKNOWN, s, "oom_score_adj unreadable");
			continue;
		}
		bool ok = adj <= OOM_PROTECTED;
		f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s, "master oom_score_adj = %d", adj);
		/* In strict overcommit mode the OOM killer is the last resort only. */
		if (!ok && mode == 2)
			f->sev = SEV_LOW;
		finding_set(f, FF_OBSERVED, "%d", adj);
		finding_set(f, FF_SOURCE, "%s", from);
		finding_set(f, FF_REQUIRED, "-1000 (-900 as Debian sets it), with %s so children reset (OOM-02)",
			    in->fl->oom_file_env);
		if (!ok)
			oom_fix(c, f, in);
	}
}

void rule_oom_children(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		const struct pg_live *l = &in->live;
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		if (!l->pid) {
			finding_add(c, r, FS_SKIP, s, "not running (the unit is checked by OOM-03)");
			continue;
		}
		if (!l->have_oom) {
			finding_add(c, r, FS_UNKNOWN, s, "master oom_score_adj unreadable");
			continue;
		}
		char env[320] = "environment unreadable (run as root)";
		if (l->have_environ)
			snprintf(env, sizeof(env), "%s=%s, %s=%s", in->fl->oom_file_env,
				 l->oom_file_set ? l->oom_file : "(unset)", in->fl->oom_value_env,
				 l->oom_value_set ? l->oom_value : "(unset: 0)");
		char kids[160] = "no children";
		if (l->children_oom_read)
			snprintf(kids, sizeof(kids), "%zu children: oom_score_adj %d..%d, %zu negative",
				 l->children_oom_read, l->child_oom_min, l->child_oom_max,
				 l->children_oom_negative);
		bool reset = l->have_environ && l->oom_file_set && l->oom_file[0];
		bool bad = l->oom_adj < 0 && (l->children_oom_negative > 0 || (l->have_environ && !reset));
		struct finding *f;
		if (l->oom_adj >= 0)
			f = finding_add(c, r, FS_OK, s, "children inherit oom_score_adj %d (master unprotected)",
					l->oom_adj);
		else if (bad)
			f = finding_add(c, r, FS_FAIL, s, "master at %d and its children are not reset: %s",
					l->oom_adj, kids);
		else
			f = finding_add(c, r, FS_OK, s, "children reset from the master's %d: %s", l->oom_adj,
					kids);
		finding_set(f, FF_OBSERVED, "%s; %s", env, kids);
		finding_set(f, FF_SOURCE, "/proc/%lld/environ and the children's oom_score_adj",
			    (long long)l->pid);
		finding_set(f, FF_REQUIRED, "with a negative master score, %s=/proc/self/oom_score_adj",
			    in->fl->oom_file_env);
		if (bad)
			oom_fix(c, f, in);
	}
}

void rule_oom_unit(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		if (!in->have_unit) {
			finding_add(c, r, FS_SKIP, s, "no systemd unit found for the server");
			continue;
		}
		const struct unit_setting *u = &in->unit_info.s[UK_OOM_SCORE_ADJUST];
		int64_t v = 0;
		if (!u->set || parse_i64(span_from(u->value), &v) < 0 || v >= 0) {
			finding_add(c, r, FS_OK, s, "unit %s does not lower OOMScoreAdjust", in->unit);
			continue;
		}
		const struct unit_env *e = unit_env_get(&in->unit_info, in->fl->oom_file_env);
		struct finding *f = finding_add(c, r, e ? FS_OK : FS_FAIL, s,
						"unit sets OOMScoreAdjust=%lld %s %s",
						(long long)v, e ? "and" : "without", in->fl->oom_file_env);
		finding_set(f, FF_SOURCE, "'%s' line %u%s%s", u->file, u->line,
			    e ? "; Environment in " : "", e ? e->file : "");
		finding_set(f, FF_REQUIRED, "Environment=%s=/proc/self/oom_score_adj beside it",
			    in->fl->oom_file_env);
		if (!e)
			oom_fix(c, f, in);
	}
}

struct svc_view pg_view(const struct pg_instance *in)
{
	return (struct svc_view){in->unit, &in->unit_info, in->have_unit, in->live.pid,
				 in->live.have_limits, &in->live.lim};
}

struct svc_view svc_view_of(const char *unit, const struct unit_info *ui, bool have_unit,
			    const struct svc_proc *p)
{
	return (struct svc_view){unit, ui, have_unit, p->pid, p->have_limits, &p->lim};
}

bool svc_limit(const struct svc_view *v, enum pl_limit pl,
	       enum unit_key uk, uint64_t *soft, char *from, size_t n)
{
	if (v->pid && v->have_limits && v->lim->l[pl].present) {
		*soft = v->lim->l[pl].soft;
		snprintf(from, n, "/proc/%lld/limits '%s'", (long long)v->pid, pidlimits_name(pl));
		return true;
	}
	if (v->pid || !v->have_unit || !v->ui->s[uk].set)
		return false;
	const struct unit_setting *u = &v->ui->s[uk];
	struct span sv = span_from(u->value);
	const char *colon = strchr(u->value, ':');
	if (colon)
		sv.n = (size_t)(colon - u->value);
	if (span_eq(sv, "infinity"))
		*soft = RLIM_UNLIMITED_U64;
	else if (parse_u64(sv, soft) < 0)
		return false;
	snprintf(from, n, "%s in '%s' line %u", unit_key_name(uk), u->file, u->line);
	return true;
}

void svc_limit_fix(struct check_ctx *c, struct finding *f, const struct svc_view *v,
		   const char *key, const char *ulimit_opt, const char *val)
{
	if (systemd_booted(c) && v->unit[0]) {
		char d[300];
		finding_set(f, FF_FIX_FILE, "%s", unit_dropin_name(v->unit, d, sizeof(d)));
		finding_set(f, FF_FIX_PERSIST, "[Service]\n%s=%s", key, val);
		finding_set(f, FF_FIX_RUNTIME, "systemctl daemon-reload && systemctl restart %s", v->unit);
		return;
	}
	finding_set(f, FF_FIX_FILE, "the root-owned script that starts the server");
	finding_set(f, FF_FIX_PERSIST, "ulimit -%s %s", ulimit_opt, val);
	finding_set(f, FF_FIX_RUNTIME, "restart the server from that script");
}

static bool server_limit(const struct pg_instance *in, enum pl_limit pl,
			 enum unit_key uk, uint64_t *soft, char *from, size_t n)
{
	struct svc_view v = pg_view(in);
	return svc_limit(&v, pl, uk, soft, from, n);
}

static void limit_fix(struct check_ctx *c, struct finding *f, const struct pg_instance *in,
		      const char *key, const char *ulimit_opt, long long val)
{
	struct svc_view v = pg_view(in);
	char b[32];
	snprintf(b, sizeof(b), "%lld", val);
	svc_limit_fix(c, f, &v, key, ulimit_opt, b);
}

void rule_lim_nofile(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		char s[320], from[320];
		uint64_t soft;
		pg_subj(c, i, s, sizeof(s));
		if (!server_limit(in, PL_NOFILE, UK_LIMIT_NOFILE, &soft, from, sizeof(from))) {
			struct finding *f = finding_add(c, r, FS_UNKNOWN, s, "the server's open-files limit is unknown");
			finding_set(f, FF_NOTE, "%s", in->live.pid ? "its /proc/PID/limits is unreadable"
							  : "not running, and no unit sets LimitNOFILE");
			continue;
		}
		int64_t mfp = in->max_files_per_process.v;
		/* fd.c: a backend uses min(RLIMIT_NOFILE - open, max_files_per_process) -
		 * NUM_RESERVED_FDS (10) and refuses to start below FD_MINFREE (48). */
		bool fatal = soft != RLIM_UNLIMITED_U64 && soft < 58;
		bool ok = soft == RLIM_UNLIMITED_U64 || (int64_t)soft >= mfp;
		char sum[160];
		if (soft == RLIM_UNLIMITED_U64)
			snprintf(sum, sizeof(sum), "open files: soft limit unlimited");
		else
			snprintf(sum, sizeof(sum), "open files: soft limit %llu %s max_files_per_process %lld",
				 (unsigned long long)soft, ok ? ">=" : "<", (long long)mfp);
		struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s, "%s", sum);
		if (fatal)
			f->sev = SEV_CRITICAL;
		finding_set(f, FF_OBSERVED, "%llu", (unsigned long long)soft);
		finding_set(f, FF_SOURCE, "%s; max_files_per_process from %s", from,
			    in->max_files_per_process.origin);
		finding_set(f, FF_REQUIRED, "soft RLIMIT_NOFILE >= max_files_per_process (%lld)", (long long)mfp);
		if (!ok)
			limit_fix(c, f, in, "LimitNOFILE", "n", mfp + 64);
	}
}

/* processes of the user and tasks of the unit, against what the server may fork. */
void rule_lim_nproc(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		const struct pg_needs *nd = &c->pgneeds[i];
		char s[320], from[320];
		uint64_t soft;
		pg_subj(c, i, s, sizeof(s));
		if (nd->procs <= 0) {
			finding_add(c, r, FS_UNKNOWN, s, "the server's process count is unknown");
			continue;
		}
		if (!server_limit(in, PL_NPROC, UK_LIMIT_NPROC, &soft, from, sizeof(from))) {
			struct finding *f = finding_add(c, r, FS_UNKNOWN, s, "the server's process limit is unknown");
			finding_set(f, FF_NOTE, "%s", in->live.pid ? "its /proc/PID/limits is unreadable"
							  : "not running, and no unit sets LimitNPROC");
			continue;
		}
		bool ok = soft == RLIM_UNLIMITED_U64 || (int64_t)soft >= nd->procs;
		struct finding *f;
		if (soft == RLIM_UNLIMITED_U64)
			f = finding_add(c, r, FS_OK, s, "processes: unlimited, %lld needed", (long long)nd->procs);
		else
			f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s, "processes: soft limit %llu %s %lld needed",
					(unsigned long long)soft, ok ? ">=" : "<", (long long)nd->procs);
		finding_set(f, FF_SOURCE, "%s", from);
		finding_set(f, FF_REQUIRED, "RLIMIT_NPROC >= %lld, plus the user's other processes",
			    (long long)nd->procs);
		finding_set(f, FF_FORMULA, "%s", nd->procs_formula);
		if (!ok)
			limit_fix(c, f, in, "LimitNPROC", "u", nd->procs * 2);
	}
}

/* TasksMax as systemd resolves it: "infinity", N, or N% of the kernel's task limit
 * (min of kernel.pid_max and kernel.threads-max); unset means DefaultTasksMax, 15 %
 * since systemd 240 (systemd-system.conf(5)). */
static bool tasks_max(const struct check_ctx *c, const struct pg_instance *in, uint64_t *v,
		      char *from, size_t n)
{
	const struct unit_setting *u = &in->unit_info.s[UK_TASKS_MAX];
	const char *val = u->set ? u->value : "15%";
	if (!strcmp(val, "infinity")) {
		*v = RLIM_UNLIMITED_U64;
	} else if (val[0] && val[strlen(val) - 1] == '%') {
		uint64_t pct, pm = 0, tm = 0;
		struct span sp = {val, strlen(val) - 1};
		if (parse_u64(sp, &pct) < 0 || !sysctl_get(&c->h->sc, SC_PID_MAX, &pm) ||
		    !sysctl_get(&c->h->sc, SC_THREADS_MAX, &tm))
			return false;
		*v = (pm < tm ? pm : tm) * pct / 100;
	} else if (parse_u64(span_from(val), v) < 0) {
		return false;
	}
	if (u->set)
		snprintf(from, n, "TasksMax=%s in '%s' line %u", val, u->file, u->line);
	else
		snprintf(from, n, "systemd's DefaultTasksMax (15%% of min(kernel.pid_max, kernel.threads-max))");
	return true;
}

void rule_lim_tasksmax(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		const struct pg_needs *nd = &c->pgneeds[i];
		char s[320], from[320];
		uint64_t v;
		pg_subj(c, i, s, sizeof(s));
		if (!in->have_unit) {
			finding_add(c, r, FS_SKIP, s, "no systemd unit found for the server");
			continue;
		}
		if (nd->procs <= 0 || !tasks_max(c, in, &v, from, sizeof(from))) {
			finding_add(c, r, FS_UNKNOWN, s, "TasksMax or the process count is unknown");
			continue;
		}
		bool ok = v == RLIM_UNLIMITED_U64 || (int64_t)v >= nd->procs;
		struct finding *f;
		if (v == RLIM_UNLIMITED_U64)
			f = finding_add(c, r, FS_OK, s, "TasksMax=infinity");
		else
			f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s, "TasksMax %llu %s %lld needed",
					(unsigned long long)v, ok ? ">=" : "<", (long long)nd->procs);
		finding_set(f, FF_SOURCE, "%s", from);
		finding_set(f, FF_FORMULA, "%s", nd->procs_formula);
		if (!ok)
			limit_fix(c, f, in, "TasksMax", "u", nd->procs * 2);
	}
}

void rule_lim_filemax(struct check_ctx *c, const struct rule *r)
{
	struct buf fml = BUF_INIT;
	uint64_t need = 0, alloc = 0;
	const struct sysctl_val *nr = &c->h->sc.k[SC_FILE_NR];
	if (nr->state == SRC_OK)
		alloc = nr->v[0];
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_needs *nd = &c->pgneeds[i];
		char s[320];
		if (nd->fds_worst <= 0)
			continue;
		need += (uint64_t)nd->fds_worst;
		buf_appendf(&fml, "%s: %lld processes x max_files_per_process %lld = %lld\n",
			    pg_subj(c, i, s, sizeof(s)), (long long)nd->procs,
			    (long long)c->pg[i].max_files_per_process.v, (long long)nd->fds_worst);
	}
	buf_appendf(&fml, "+ %llu file handles allocated now (fs.file-nr)", (unsigned long long)alloc);
	rule_sysctl_atleast(c, r, "host", SC_FILE_MAX, need + alloc, "handles in the worst case",
			    buf_str(&fml));
	buf_release(&fml);
}

void rule_lim_filenr(struct check_ctx *c, const struct rule *r)
{
	const struct sysctl_val *nr = &c->h->sc.k[SC_FILE_NR];
	uint64_t dummy;
	if (!rule_sysctl(c, r, "host", SC_FILE_NR, &dummy))
		return;
	uint64_t alloc = nr->v[0], max = nr->v[2];
	unsigned pct = max ? (unsigned)(alloc * 100 / max) : 100;
	bool ok = pct <= 80;
	struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, "host",
					"%llu of %llu file handles allocated (%u%%)",
					(unsigned long long)alloc, (unsigned long long)max, pct);
	if (pct > 95)
		f->sev = SEV_HIGH;
	finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, sysctl_path(SC_FILE_NR)));
	finding_set(f, FF_REQUIRED, "at most 80%% of fs.file-max");
	if (!ok) {
		char v[32];
		snprintf(v, sizeof(v), "%llu", (unsigned long long)(alloc * 2));
		finding_fix_sysctl(f, "fs.file-max", v);
	}
}

void rule_lim_nr_open(struct check_ctx *c, const struct rule *r)
{
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		const struct unit_setting *u = &in->unit_info.s[UK_LIMIT_NOFILE];
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		if (!in->have_unit || !u->set) {
			finding_add(c, r, FS_SKIP, s, "no LimitNOFILE in a unit of the server");
			continue;
		}
		const char *hard = strchr(u->value, ':');
		hard = hard ? hard + 1 : u->value;
		uint64_t want, nr_open;
		if (!strcmp(hard, "infinity")) {
			finding_add(c, r, FS_OK, s, "LimitNOFILE=%s: systemd uses fs.nr_open for infinity", u->value);
			continue;
		}
		if (parse_u64(span_from(hard), &want) < 0) {
			struct finding *f = finding_add(c, r, FS_UNKNOWN, s, "LimitNOFILE='%s' is not a number", u->value);
			finding_set(f, FF_SOURCE, "'%s' line %u", u->file, u->line);
			continue;
		}
		if (!rule_sysctl(c, r, s, SC_NR_OPEN, &nr_open))
			continue;
		bool ok = want <= nr_open;
		struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s,
						"LimitNOFILE hard %llu %s fs.nr_open %llu",
						(unsigned long long)want, ok ? "<=" : ">",
						(unsigned long long)nr_open);
		finding_set(f, FF_SOURCE, "'%s' line %u; %s", u->file, u->line,
			    rootfs_show(c->h->root, sysctl_path(SC_NR_OPEN)));
		finding_set(f, FF_REQUIRED, "fs.nr_open >= %llu", (unsigned long long)want);
		if (!ok) {
			char v[32];
			snprintf(v, sizeof(v), "%llu", (unsigned long long)want);
			finding_fix_sysctl(f, "fs.nr_open", v);
		}
	}
}

void rule_sysd_removeipc(struct check_ctx *c, const struct rule *r)
{
	const struct logind *lg = &c->h->logind;
	uint64_t sysmax = logindefs_sys_uid_max(&c->h->logindefs);
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		if (!systemd_booted(c)) {
			struct finding *f = finding_add(c, r, FS_SKIP, s, "systemd is not PID 1: logind removes nothing");
			finding_set(f, FF_NOTE, "/run/systemd/system does not exist (sd_booted(3))");
			continue;
		}
		if (!in->have_uid) {
			finding_add(c, r, FS_UNKNOWN, s, "the server's user is unknown");
			continue;
		}
		bool system_user = in->uid <= sysmax;
		bool bad = lg->remove_ipc && !system_user;
		struct finding *f = finding_add(c, r, bad ? FS_FAIL : FS_OK, s,
						"RemoveIPC=%s, user %s (uid %u) is %s system user",
						lg->remove_ipc ? "yes" : "no", in->user[0] ? in->user : "?",
						in->uid, system_user ? "a" : "not a");
		finding_set(f, FF_OBSERVED, "RemoveIPC=%s; uid %u; SYS_UID_MAX %llu",
			    lg->remove_ipc ? "yes" : "no", in->uid, (unsigned long long)sysmax);
		if (lg->set)
			finding_set(f, FF_SOURCE, "'%s' line %u; /etc/login.defs; /etc/passwd", lg->file, lg->line);
		else
			finding_set(f, FF_SOURCE, "logind default (yes): no logind.conf sets it; /etc/login.defs; /etc/passwd");
		finding_set(f, FF_REQUIRED, "RemoveIPC=no, or a system user (uid <= %llu)",
			    (unsigned long long)sysmax);
		if (lg->src.state == SRC_ERROR)
			finding_set(f, FF_NOTE, "%s", lg->src.err);
		if (!bad)
			continue;
		finding_set(f, FF_FIX_FILE, "/etc/systemd/logind.conf.d/90-kres.conf");
		finding_set(f, FF_FIX_PERSIST, "[Login]\nRemoveIPC=no");
		finding_set(f, FF_FIX_RUNTIME, "systemctl restart systemd-logind");
	}
}

void rule_sysd_oompolicy(struct check_ctx *c, const struct rule *r)
{
	bool v2 = rootfs_exists(c->h->root, "/sys/fs/cgroup/cgroup.controllers");
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_instance *in = &c->pg[i];
		char s[320];
		pg_subj(c, i, s, sizeof(s));
		if (!in->have_unit) {
			finding_add(c, r, FS_SKIP, s, "no systemd unit found for the server");
			continue;
		}
		if (!v2) {
			struct finding *f = finding_add(c, r, FS_SKIP, s, "cgroup v1: systemd does not act on OOM kills");
			finding_set(f, FF_NOTE, "OOMPolicy= needs the unified cgroup hierarchy");
			continue;
		}
		const struct unit_setting *u = &in->unit_info.s[UK_OOM_POLICY];
		const char *val = u->set ? u->value : "stop";
		bool ok = !strcmp(val, "continue");
		struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, s, "OOMPolicy=%s%s", val,
						u->set ? "" : " (default)");
		if (u->set)
			finding_set(f, FF_SOURCE, "'%s' line %u", u->file, u->line);
		else
			finding_set(f, FF_SOURCE, "unit %s does not set it", in->unit);
		finding_set(f, FF_REQUIRED, "continue: let the server recover from a killed backend");
		if (!ok) {
			char d[300];
			finding_set(f, FF_FIX_FILE, "%s", unit_dropin(in, d, sizeof(d)));
			finding_set(f, FF_FIX_PERSIST, "[Service]\nOOMPolicy=continue");
			finding_set(f, FF_FIX_RUNTIME, "systemctl daemon-reload");
		}
	}
}
