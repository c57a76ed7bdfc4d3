// SPDX-License-Identifier: MIT
/* Finds running MySQL and MariaDB servers under /proc and reads what kres needs of
 * each: the live process (workload/svc.h), the option files its command line
 * selects with that command line over them, its data directory, version, flavor,
 * user and systemd unit. Also builds a server that is not running from its option
 * file. */
#include "workload/mysql.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* The default option files on Linux, read in this order when both exist
 * (mariadbd 10.11 --help: "/etc/my.cnf /etc/mysql/my.cnf ~/.my.cnf"; kres skips
 * the home directory's file, which belongs to whoever starts the server). */
static const char *const default_files[] = {"/etc/my.cnf", "/etc/mysql/my.cnf"};
/* The compiled-in data directory of Debian's MariaDB (mariadbd --verbose --help:
 * "datadir /var/lib/mysql/"); Oracle's packages use the same. */
#define MY_DEFAULT_DATADIR "/var/lib/mysql"

/* The options my_search_option_files() takes from the head of the command line:
 * --no-defaults only as the first argument (my_load_defaults()), then each of
 * --defaults-file=, --defaults-extra-file= and --defaults-group-suffix= once, in
 * any order, until another argument comes (get_defaults_options()). */
struct defaults_args {
	bool no_defaults;
	const char *file, *extra;
	size_t next; /* index of the first other argument */
};

static void defaults_args_parse(const char *const *argv, size_t argc, struct defaults_args *d)
{
	static const char f[] = "--defaults-file=", e[] = "--defaults-extra-file=",
	                  s[] = "--defaults-group-suffix=";
	const char *suffix = NULL;
	memset(d, 0, sizeof(*d));
	d->next = 1;
	if (argc > 1 && !strcmp(argv[1], "--no-defaults")) {
		d->no_defaults = true;
		d->next = 2;
	}
	for (; d->next < argc; d->next++) {
		const char *a = argv[d->next];
		if (!d->file && !strncmp(a, f, sizeof(f) - 1))
			d->file = a + sizeof(f) - 1;
		else if (!d->extra && !strncmp(a, e, sizeof(e) - 1))
			d->extra = a + sizeof(e) - 1;
		else if (!suffix && !strncmp(a, s, sizeof(s) - 1))
			suffix = a + sizeof(s) - 1;
		else
			break;
	}
}

/* A path from the command line or an option, taken from "/" when relative: the
 * working directory systemd gives the server, before it changes to its data
 * directory. */
static void path_from_root(const char *p, char *out, size_t n)
{
	snprintf(out, n, "%s%s", p[0] == '/' ? "" : "/", p);
}

/* Loads one option file; a missing file is no error when optional. Records the
 * first file read as conffile and the first failure in conf_err. */
static void load_one(const struct rootfs *r, struct my_instance *in, const char *path,
                     bool optional)
{
	char abs[256], err[320];
	path_from_root(path, abs, sizeof(abs));
	size_t nfiles = in->conf.files.n;
	int rc = mycnf_load(r, abs, &in->conf, err, sizeof(err));
	if (rc == -ENOENT && optional)
		return;
	if (rc < 0 && in->conf_ok) {
		in->conf_ok = false;
		/* The server: "Could not open required defaults file: <file>". */
		str_copy(in->conf_err, sizeof(in->conf_err), err);
	}
	if (!in->conffile[0] && in->conf.files.n > nfiles)
		str_copy(in->conffile, sizeof(in->conffile), abs);
}

static void load_files(const struct rootfs *r, struct my_instance *in,
                       const struct defaults_args *d)
{
	in->conf_ok = true;
	if (d->no_defaults)
		return;
	if (d->file) {
		load_one(r, in, d->file, false);
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(default_files); i++)
		load_one(r, in, default_files[i], true);
	if (d->extra)
		load_one(r, in, d->extra, false);
}

/* Options of the server's own that take their value from the next argument when
 * written without '=' (REQUIRED_ARG in mysqld's option list) and that kres reads. */
static bool takes_value(const char *arg)
{
	static const char *const names[] = {
	    "max_connections",
	    "table_open_cache",
	    "table_open_cache_instances",
	    "open_files_limit",
	    "extra_max_connections",
	    "thread_pool_size",
	    "innodb_buffer_pool_size",
	    "back_log",
	    "thread_handling",
	    "datadir",
	    "user",
	};
	char name[64];
	snprintf(name, sizeof(name), "%s", arg);
	for (char *p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	const char *n = name;
	while (!strncmp(n, "loose_", 6))
		n += 6;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(n, names[i]))
			return true;
	return false;
}

/* The options of the command line after the --defaults-* ones: "--name=value",
 * "--name value" for the options above, "--name", and the short -h DIR (datadir)
 * and -u USER; "--" ends them. They come after the files' and so win. */
static void apply_cmdline(struct my_instance *in, size_t first)
{
	const char *const *argv = in->live.argv;
	size_t argc = in->live.argc;
	for (size_t i = first; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--"))
			break;
		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] != '-') {
			const char *name = a[1] == 'h' ? "datadir" : a[1] == 'u' ? "user" : NULL;
			const char *val = a[2] ? a + 2 : i + 1 < argc ? argv[i + 1] : NULL;
			if (name && val) {
				mycnf_add(&in->conf, name, val, "command line");
				i += a[2] ? 0 : 1;
			}
			continue;
		}
		const char *body = a + 2, *eq = strchr(body, '=');
		char *name = eq ? xstrndup(body, (size_t)(eq - body)) : xstrdup(body);
		const char *val = eq ? eq + 1 : NULL;
		if (!eq && takes_value(name) && i + 1 < argc)
			val = argv[++i];
		mycnf_add(&in->conf, name, val, "command line");
		free(name);
	}
}

/* The data directory: the live process's working directory (the server changes
 * to its data directory at start), else the datadir option, else the default. */
static void find_datadir(struct my_instance *in)
{
	struct my_groups g;
	my_groups_of(in, &g);
	const struct mycnf_opt *o = mycnf_get(&in->conf, g.v, "datadir");
	if (in->live.pid && in->live.cwd[0])
		str_copy(in->datadir, sizeof(in->datadir), in->live.cwd);
	else if (o && o->value && o->value[0])
		path_from_root(o->value, in->datadir, sizeof(in->datadir));
	else
		str_copy(in->datadir, sizeof(in->datadir), MY_DEFAULT_DATADIR);
	size_t l = strlen(in->datadir);
	while (l > 1 && in->datadir[l - 1] == '/')
		in->datadir[--l] = '\0';
}

/* <datadir>/mysql_upgrade_info, written by mysql_upgrade / mariadb-upgrade, holds
 * the server version ("10.11.19-MariaDB"); newer MariaDB names it
 * mariadb_upgrade_info. Returns true when one was read; *maria when it names
 * MariaDB. */
static bool read_version(const struct rootfs *r, struct my_instance *in, bool *maria)
{
	static const char *const names[] = {"mariadb_upgrade_info", "mysql_upgrade_info"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char path[320], *buf;
		snprintf(path, sizeof(path), "%s/%s", in->datadir, names[i]);
		ssize_t n = rootfs_read(r, path, 4096, &buf);
		if (n < 0)
			continue;
		struct span s = span_trim((struct span){buf, strnlen(buf, (size_t)n)});
		size_t k = 0;
		while (k < s.n && s.p[k] > ' ' && s.p[k] < 0x7f)
			k++;
		span_copy((struct span){s.p, k}, in->version, sizeof(in->version));
		*maria = memmem(s.p, s.n, "MariaDB", 7) != NULL;
		snprintf(in->version_origin, sizeof(in->version_origin), "'%s'",
		         rootfs_show(r, path));
		free(buf);
		return in->version[0] != '\0';
	}
	return false;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void find_user(const struct host *h, struct my_instance *in)
{
	struct pwent pw;
	if (in->live.pid) {
		if (host_user_by_uid(h, in->live.st.uid[0], &pw) == 0)
			str_copy(in->user, sizeof(in->user), pw.name);
		return;
	}
	struct my_groups g;
	my_groups_of(in, &g);
	const struct mycnf_opt *o = mycnf_get(&in->conf, g.v, "user");
	const struct unit_setting *u = &in->unit_info.s[UK_USER];
	if (o && o->value)
		str_copy(in->user, sizeof(in->user), o->value);
	else if (in->have_unit && u->set)
		str_copy(in->user, sizeof(in->user), u->value);
}

static void read_unit(const struct rootfs *r, struct my_instance *in)
{
	if (!in->unit[0])
		return;
	unit_read(r, in->unit, &in->unit_info);
	in->have_unit = in->unit_info.src.state != SRC_UNAVAILABLE;
}

/* Fills a running server. Returns false for a process that is exiting (no
 * command line) or gone. */
static bool fill_live(const struct rootfs *r, const struct host *h, int64_t pid,
                      struct my_instance *in)
{
	if (!svc_proc_read(r, pid, &in->live) || in->live.argc == 0)
		return false;
	struct defaults_args d;
	defaults_args_parse(in->live.argv, in->live.argc, &d);
	load_files(r, in, &d);
	apply_cmdline(in, d.next);

	bool maria = false;
	in->fl =
	    !strcmp(in->live.st.name, "mariadbd") || !strcmp(base_name(in->live.exe), "mariadbd")
	        ? MYF_MARIADB
	        : MYF_MYSQL;
	find_datadir(in);
	if (read_version(r, in, &maria) && maria)
		in->fl = MYF_MARIADB;
	svc_unit(&in->live, in->unit, sizeof(in->unit));
	read_unit(r, in);
	find_user(h, in);
	my_resolve(in, h->ncpus);
	return true;
}

size_t my_discover(const struct rootfs *r, const struct host *h, struct my_instance **out)
{
	static const char *const comms[] = {"mariadbd", "mysqld", NULL};
	int64_t *pids;
	size_t np = svc_find_comm(r, comms, &pids), n = 0;
	*out = np ? xcalloc(np, sizeof(**out)) : NULL;
	for (size_t i = 0; i < np; i++) {
		struct my_instance *in = &(*out)[n];
		if (fill_live(r, h, pids[i], in)) {
			n++;
		} else {
			mycnf_release(&in->conf);
			svc_proc_release(&in->live);
			memset(in, 0, sizeof(*in));
		}
	}
	free(pids);
	if (!n) {
		free(*out);
		*out = NULL;
	}
	return n;
}

/* The unit a packaged server runs as: Debian's and upstream MariaDB ship
 * mariadb.service; MySQL is mysql.service (Debian, Ubuntu) or mysqld.service
 * (Oracle's RPMs). */
static void guess_unit(const struct rootfs *r, struct my_instance *in)
{
	static const char *const maria[] = {"mariadb.service", NULL};
	static const char *const mysql[] = {"mysql.service", "mysqld.service", NULL};
	for (const char *const *u = in->fl == MYF_MARIADB ? maria : mysql; *u; u++) {
		str_copy(in->unit, sizeof(in->unit), *u);
		read_unit(r, in);
		if (in->have_unit)
			return;
		unit_release(&in->unit_info);
		memset(&in->unit_info, 0, sizeof(in->unit_info));
	}
	in->unit[0] = '\0';
}

void my_from_conf(const struct rootfs *r, const struct host *h, enum my_flavor fl, const char *conf,
                  struct my_instance *in)
{
	memset(in, 0, sizeof(*in));
	in->fl = fl;
	struct defaults_args d = {.file = conf};
	load_files(r, in, &d);
	bool maria;
	find_datadir(in);
	if (read_version(r, in, &maria)) {
		/* With the version known, [mysqld-M.m] and the like may move datadir. */
		char before[256];
		str_copy(before, sizeof(before), in->datadir);
		find_datadir(in);
		if (strcmp(before, in->datadir) && !read_version(r, in, &maria))
			in->version[0] = in->version_origin[0] = '\0';
	}
	guess_unit(r, in);
	find_user(h, in);
	my_resolve(in, h->ncpus);
}
