// SPDX-License-Identifier: MIT
/* Finds running PostgreSQL-family masters under /proc and reads what kres needs of
 * each: command line, environment, limits, OOM score, shared mapping, cgroup,
 * systemd unit, mounts and children; then its configuration files and version. */
#include "workload/pgfamily.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workload/svc.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A process whose comm is a flavor's master or backend name. */
struct cand {
	int64_t pid, ppid;
	const struct pg_flavor *fl;
	bool master_name; /* comm is a master name (a master if its parent is not one of ours) */
};

static const struct pg_flavor *flavor_of_comm(const char *comm, bool *master)
{
	for (size_t i = 0; i < pg_nflavors; i++) {
		const struct pg_flavor *fl = &pg_flavors[i];
		for (size_t k = 0; k < 2; k++)
			if (fl->master_comm[k] && !strcmp(fl->master_comm[k], comm)) {
				*master = true;
				return fl;
			}
		if (!strcmp(fl->backend_comm, comm)) {
			*master = false;
			return fl;
		}
	}
	return NULL;
}

static bool read_status(const struct rootfs *r, int64_t pid, struct pid_status *st)
{
	char *buf;
	ssize_t n = svc_read_pid_file(r, pid, "status", &buf);
	if (n < 0)
		return false;
	struct perr e;
	int rc = pidstatus_parse(buf, (size_t)n, st, &e);
	free(buf);
	return rc == 0;
}

/* Lists every process whose comm is a master name, with its parent. */
static size_t scan_candidates(const struct rootfs *r, struct cand **out)
{
	struct strlist pids = {0};
	size_t n = 0, cap = 0;
	*out = NULL;
	if (rootfs_list(r, "/proc", &pids) < 0)
		return 0;
	for (size_t i = 0; i < pids.n; i++) {
		uint64_t pid;
		if (parse_u64(span_from(pids.v[i]), &pid) < 0 || pid > INT32_MAX)
			continue;
		char *comm;
		ssize_t len = svc_read_pid_file(r, (int64_t)pid, "comm", &comm);
		if (len < 0)
			continue;
		struct span c = span_trim((struct span){comm, (size_t)len});
		char name[32];
		span_copy(c, name, sizeof(name));
		free(comm);
		bool master;
		const struct pg_flavor *fl = flavor_of_comm(name, &master);
		if (!fl)
			continue;
		struct pid_status st;
		if (!read_status(r, (int64_t)pid, &st))
			continue;
		ALLOC_GROW(*out, n + 1, cap);
		(*out)[n++] = (struct cand){(int64_t)pid, st.ppid, fl, master};
	}
	strlist_release(&pids);
	return n;
}

static bool is_cand(const struct cand *c, size_t n, int64_t pid, const struct pg_flavor *fl)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].pid == pid && c[i].fl == fl)
			return true;
	return false;
}

/* Makes path absolute against base (a directory) when it is relative. */
static void absolutize(char *path, size_t n, const char *base)
{
	if (path[0] == '/' || !path[0] || !base[0])
		return;
	char tmp[512];
	snprintf(tmp, sizeof(tmp), "%s/%s", base, path);
	str_copy(path, n, tmp);
}

/* Applies "-c name=value", "--name=value", "-D dir", "-N n" and "-B n" of the
 * master's command line (postgres(1)); other options are not settings. */
static void apply_cmdline(struct pg_instance *in, const char **argv, size_t argc, const char *cwd)
{
	for (size_t i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		char opt = 0;
		if (a[0] == '-' && a[1] && a[1] != '-' && !a[2] && i + 1 < argc)
			opt = a[1], val = argv[++i];
		else if (a[0] == '-' && a[1] && a[1] != '-')
			opt = a[1], val = a + 2;
		if (opt == 'D') {
			str_copy(in->datadir, sizeof(in->datadir), val);
			absolutize(in->datadir, sizeof(in->datadir), cwd);
		} else if (opt == 'N') {
			pgconf_set(&in->conf, "max_connections", val, "command line -N");
		} else if (opt == 'B') {
			pgconf_set(&in->conf, "shared_buffers", val, "command line -B");
		} else if (opt == 'c' || (a[0] == '-' && a[1] == '-')) {
			const char *kv = opt == 'c' ? val : a + 2;
			const char *eq = strchr(kv, '=');
			if (!eq)
				continue;
			char name[128];
			snprintf(name, sizeof(name), "%.*s", (int)(eq - kv), kv);
			for (char *p = name; *p; p++)
				if (*p == '-')
					*p = '_';
			pgconf_set(&in->conf, name, eq + 1, "command line");
		}
	}
}

static void read_environ(const struct rootfs *r, struct pg_instance *in)
{
	char *buf;
	ssize_t n = svc_read_pid_file(r, in->live.pid, "environ", &buf);
	if (n < 0)
		return;
	struct pg_live *l = &in->live;
	l->have_environ = true;
	const char *v = environ_get(buf, (size_t)n, in->fl->oom_file_env);
	if (v) {
		l->oom_file_set = true;
		str_copy(l->oom_file, sizeof(l->oom_file), v);
	}
	v = environ_get(buf, (size_t)n, in->fl->oom_value_env);
	if (v) {
		l->oom_value_set = true;
		str_copy(l->oom_value, sizeof(l->oom_value), v);
	}
	v = environ_get(buf, (size_t)n, in->fl->data_env);
	if (v && !in->datadir[0])
		str_copy(in->datadir, sizeof(in->datadir), v);
	free(buf);
}

/* Parses one /proc/PID file with fn; returns true on success. */
typedef int (*pid_parse_fn)(const char *buf, size_t len, void *out, struct perr *err);
static bool read_pid_parsed(const struct rootfs *r, int64_t pid, const char *name,
			    pid_parse_fn fn, void *out)
{
	char *buf;
	ssize_t n = svc_read_pid_file(r, pid, name, &buf);
	if (n < 0)
		return false;
	struct perr e;
	bool ok = fn(buf, (size_t)n, out, &e) == 0;
	free(buf);
	return ok;
}

static int p_limits(const char *b, size_t n, void *o, struct perr *e) { return pidlimits_parse(b, n, o, e); }
static int p_oom(const char *b, size_t n, void *o, struct perr *e) { return oomadj_parse(b, n, o, e); }
static int p_maps(const char *b, size_t n, void *o, struct perr *e) { return maps_parse(b, n, o, e); }
static int p_cgroup(const char *b, size_t n, void *o, struct perr *e) { return cgroup_parse(b, n, o, e); }
static int p_mounts(const char *b, size_t n, void *o, struct perr *e) { return mounts_parse(b, n, o, e); }

/* oom_score_adj of the master's children, so OOM-02 can show what they really got. */
static void read_children(const struct rootfs *r, struct pg_instance *in, const struct cand *c,
			  size_t nc)
{
	struct pg_live *l = &in->live;
	l->child_oom_min = 1001;
	l->child_oom_max = -1001;
	for (size_t i = 0; i < nc; i++) {
		if (c[i].ppid != l->pid)
			continue;
		l->nchildren++;
		int adj;
		if (!read_pid_parsed(r, c[i].pid, "oom_score_adj", p_oom, &adj))
			continue;
		l->children_oom_read++;
		if (adj < l->child_oom_min)
			l->child_oom_min = adj;
		if (adj > l->child_oom_max)
			l->child_oom_max = adj;
		if (adj < 0)
			l->children_oom_negative++;
	}
}

static void read_live(const struct rootfs *r, struct pg_instance *in, const struct cand *c,
		      size_t nc, char *cwd, size_t cwdn)
{
	struct pg_live *l = &in->live;
	int64_t pid = l->pid;
	read_status(r, pid, &l->st);
	l->have_limits = read_pid_parsed(r, pid, "limits", p_limits, &l->lim);
	l->have_oom = read_pid_parsed(r, pid, "oom_score_adj", p_oom, &l->oom_adj);
	l->have_maps = read_pid_parsed(r, pid, "maps", p_maps, &l->maps);
	l->have_cgroup = read_pid_parsed(r, pid, "cgroup", p_cgroup, &l->cg);
	l->have_mounts = read_pid_parsed(r, pid, "mountinfo", p_mounts, &l->mounts);
	if (l->have_cgroup) {
		cgroup_memlimit_read(r, &l->cg, &l->memlimit);
		cgroup_unit(&l->cg, in->unit, sizeof(in->unit));
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/%lld/cwd", (long long)pid);
	if (rootfs_readlink(r, path, cwd, cwdn) < 0)
		cwd[0] = '\0';
	read_environ(r, in);
	read_children(r, in, c, nc);
	in->have_uid = true;
	in->uid = l->st.uid[0];
}

/* Reads <datadir>/PG_VERSION ("15", "9.6"). */
static void read_version(const struct rootfs *r, struct pg_instance *in)
{
	if (in->major || !in->datadir[0])
		return;
	char path[300], *buf;
	snprintf(path, sizeof(path), "%s/PG_VERSION", in->datadir);
	ssize_t n = rootfs_read(r, path, 4096, &buf);
	if (n < 0)
		return;
	struct span s = span_trim((struct span){buf, (size_t)n});
	size_t k = 0;
	while (k < s.n && s.p[k] >= '0' && s.p[k] <= '9')
		k++;
	uint64_t v;
	if (parse_u64((struct span){s.p, k}, &v) == 0 && v > 0 && v < 100) {
		in->major = (int)v;
		/* "9.6": the 9.x series named its majors with two numbers. */
		size_t vn = k;
		if (v < 10 && vn < s.n && s.p[vn] == '.')
			for (vn++; vn < s.n && s.p[vn] >= '0' && s.p[vn] <= '9'; vn++)
				;
		span_copy((struct span){s.p, vn}, in->version, sizeof(in->version));
		snprintf(in->version_origin, sizeof(in->version_origin), "'%s'",
			 rootfs_show(r, path));
	}
	free(buf);
}

/* Loads <datadir>/postgresql.auto.conf (ALTER SYSTEM) over the main file, if it
 * exists; its errors count as the configuration's. */
static void load_auto_conf(const struct rootfs *r, struct pg_instance *in)
{
	char autoconf[320], err[320];
	snprintf(autoconf, sizeof(autoconf), "%s/%s", in->datadir, in->fl->auto_conf_name);
	if (!rootfs_exists(r, autoconf))
		return;
	int rc = pgconf_load(r, autoconf, &in->conf, err, sizeof(err));
	if (rc < 0 && in->conf_ok) {
		in->conf_ok = false;
		in->conf_rc = rc;
		str_copy(in->conf_err, sizeof(in->conf_err), err);
	}
}

/* Loads the configuration: the main file, postgresql.auto.conf of the data
 * directory, then the overrides of the command line (which PostgreSQL applies last). */
static void load_conf(const struct rootfs *r, struct pg_instance *in, const char **argv,
		      size_t argc, const char *cwd)
{
	char saved_dd[256];
	/* A first pass over the command line finds -D and config_file. */
	apply_cmdline(in, argv, argc, cwd);
	str_copy(saved_dd, sizeof(saved_dd), in->datadir);
	const struct pg_guc *cf = pgconf_get(&in->conf, "config_file");
	if (cf)
		str_copy(in->conffile, sizeof(in->conffile), cf->value);
	else if (in->datadir[0])
		snprintf(in->conffile, sizeof(in->conffile), "%s/%s", in->datadir, in->fl->conf_name);
	absolutize(in->conffile, sizeof(in->conffile), cwd);
	pgconf_release(&in->conf);
	memset(&in->conf, 0, sizeof(in->conf));
	if (in->conffile[0]) {
		in->conf_rc = pgconf_load(r, in->conffile, &in->conf, in->conf_err, sizeof(in->conf_err));
		in->conf_ok = in->conf_rc == 0;
	} else {
		in->conf_rc = -ENOENT;
		snprintf(in->conf_err, sizeof(in->conf_err),
			 "the configuration file is unknown (no -D, config_file or %s)",
			 in->fl->data_env);
	}
	const struct pg_guc *dd = pgconf_get(&in->conf, "data_directory");
	if (dd)
		str_copy(in->datadir, sizeof(in->datadir), dd->value);
	else
		str_copy(in->datadir, sizeof(in->datadir), saved_dd);
	if (in->datadir[0]) {
		load_auto_conf(r, in);
	}
	char dd_now[256];
	str_copy(dd_now, sizeof(dd_now), in->datadir);
	apply_cmdline(in, argv, argc, cwd);
	str_copy(in->datadir, sizeof(in->datadir), dd_now);
}

/* The version from the executable's path (/usr/lib/postgresql/15/bin/postgres). */
static void version_from_exe(const struct rootfs *r, struct pg_instance *in)
{
	char path[64], exe[512];
	snprintf(path, sizeof(path), "/proc/%lld/exe", (long long)in->live.pid);
	if (in->major || rootfs_readlink(r, path, exe, sizeof(exe)) < 0)
		return;
	const char *p = strstr(exe, "/postgresql/");
	if (!p)
		return;
	p += strlen("/postgresql/");
	size_t k = 0;
	while (p[k] >= '0' && p[k] <= '9')
		k++;
	uint64_t v;
	if (p[k] == '/' && parse_u64((struct span){p, k}, &v) == 0 && v >= 10 && v < 100) {
		in->major = (int)v;
		snprintf(in->version_origin, sizeof(in->version_origin), "the executable '%s'", exe);
	}
}

static void finish_instance(const struct rootfs *r, const struct host *h, struct pg_instance *in)
{
	read_version(r, in);
	if (in->live.pid)
		version_from_exe(r, in);
	struct pwent pw;
	if (in->have_uid && host_user_by_uid(h, in->uid, &pw) == 0)
		str_copy(in->user, sizeof(in->user), pw.name);
	if (in->unit[0]) {
		unit_read(r, in->unit, &in->unit_info);
		in->have_unit = in->unit_info.src.state != SRC_UNAVAILABLE;
	}
	/* A stopped server runs as its unit's User=. */
	const struct unit_setting *user = &in->unit_info.s[UK_USER];
	if (!in->have_uid && in->have_unit && user->set &&
	    host_user_by_name(h, user->value, &pw) == 0) {
		in->have_uid = true;
		in->uid = pw.uid;
		str_copy(in->user, sizeof(in->user), pw.name);
	}
	pg_resolve(in);
}

/* Fills a running master. Returns false for a process that is exiting (or a
 * zombie): its command line is empty and nothing it shows can be trusted. */
static bool fill_master(const struct rootfs *r, const struct host *h, struct pg_instance *in,
			const struct cand *c, size_t nc)
{
	char cwd[256], *buf;
	const char *argv[64];
	ssize_t n = svc_read_pid_file(r, in->live.pid, "cmdline", &buf);
	size_t argc = n > 0 ? cmdline_split(buf, (size_t)n, argv, ARRAY_SIZE(argv)) : 0;
	if (argc == 0) {
		free(buf);
		return false;
	}
	read_live(r, in, c, nc, cwd, sizeof(cwd));
	load_conf(r, in, argv, argc, cwd);
	free(buf);
	finish_instance(r, h, in);
	return true;
}

size_t pg_discover(const struct rootfs *r, const struct host *h, struct pg_instance **out)
{
	struct cand *c;
	size_t nc = scan_candidates(r, &c), n = 0;
	*out = NULL;
	for (size_t i = 0; i < nc; i++)
		if (c[i].master_name && !is_cand(c, nc, c[i].ppid, c[i].fl))
			n++;
	if (n) {
		*out = xcalloc(n, sizeof(**out));
		size_t k = 0;
		for (size_t i = 0; i < nc; i++) {
			if (!c[i].master_name || is_cand(c, nc, c[i].ppid, c[i].fl))
				continue;
			struct pg_instance *in = &(*out)[k];
			in->fl = c[i].fl;
			in->live.pid = c[i].pid;
			if (fill_master(r, h, in, c, nc))
				k++;
			else
				memset(in, 0, sizeof(*in));
		}
		n = k;
	}
	free(c);
	return n;
}

/* Debian runs cluster VER/NAME as postgresql@VER-NAME.service with its data in
 * /var/lib/postgresql/VER/NAME (postgresql-common). */
static void guess_debian_unit(const struct rootfs *r, struct pg_instance *in)
{
	const char *pfx = "/var/lib/postgresql/";
	size_t pl = strlen(pfx);
	if (strncmp(in->datadir, pfx, pl))
		return;
	const char *ver = in->datadir + pl, *slash = strchr(ver, '/');
	if (!slash || strchr(slash + 1, '/'))
		return;
	snprintf(in->unit, sizeof(in->unit), "postgresql@%.*s-%s.service", (int)(slash - ver), ver,
		 slash + 1);
	if (!rootfs_exists(r, "/lib/systemd/system/postgresql@.service") &&
	    !rootfs_exists(r, "/usr/lib/systemd/system/postgresql@.service"))
		in->unit[0] = '\0';
}

void pg_from_conf(const struct rootfs *r, const struct host *h, const struct pg_flavor *fl,
		  const char *conf, const char *datadir, int major, struct pg_instance *in)
{
	memset(in, 0, sizeof(*in));
	in->fl = fl;
	in->major = major;
	if (major)
		snprintf(in->version_origin, sizeof(in->version_origin), "--pg-version");
	str_copy(in->conffile, sizeof(in->conffile), conf);
	in->conf_rc = pgconf_load(r, conf, &in->conf, in->conf_err, sizeof(in->conf_err));
	in->conf_ok = in->conf_rc == 0;
	const struct pg_guc *dd = pgconf_get(&in->conf, "data_directory");
	if (datadir)
		str_copy(in->datadir, sizeof(in->datadir), datadir);
	else if (dd)
		str_copy(in->datadir, sizeof(in->datadir), dd->value);
	if (in->datadir[0]) {
		load_auto_conf(r, in);
		/* The owner of the data directory runs the server. Under a fixture root
		 * the owner is whoever unpacked the tree, so it is not evidence there. */
		struct stat st;
		if (r->live && rootfs_stat(r, in->datadir, &st) == 0) {
			in->have_uid = true;
			in->uid = st.st_uid;
		}
		guess_debian_unit(r, in);
	}
	char *buf;
	ssize_t n = rootfs_read(r, "/proc/self/mountinfo", SVC_FILE_MAX, &buf);
	if (n >= 0) {
		struct perr e;
		in->live.have_mounts = mounts_parse(buf, (size_t)n, &in->live.mounts, &e) == 0;
		free(buf);
	}
	finish_instance(r, h, in);
}
