// SPDX-License-Identifier: MIT
/* MySQL and MariaDB settings with their defaults, --set, and the open-files
 * arithmetic of server start-up. Discovery of running servers is in
 * mydiscover.c. Numbers marked "measured" were read from mariadbd 10.11.19
 * (Debian 12) started under the given limits, with SELECT @@variables and its
 * error log. */
#include "workload/mysql.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/proc.h"
#include "util/xalloc.h"
#include "util/banned.h"

const char *my_flavor_name(enum my_flavor fl)
{
	return fl == MYF_MARIADB ? "MariaDB" : "MySQL";
}

/* "10.11" of "10.11.19-MariaDB": the major.minor the versioned groups use;
 * false when the version does not start with one. */
static bool major_minor(const char *version, char *out, size_t n)
{
	size_t i = 0, minor;
	while (version[i] >= '0' && version[i] <= '9')
		i++;
	if (!i || version[i] != '.')
		return false;
	for (i++, minor = i; version[i] >= '0' && version[i] <= '9'; i++)
		;
	if (i == minor)
		return false;
	return (size_t)snprintf(out, n, "%.*s", (int)i, version) < n;
}

/* mariadbd 10.11 --help: "The following groups are read: mysqld server mysqld-10.11
 * mariadb mariadb-10.11 mariadbd mariadbd-10.11 client-server galera". MySQL
 * 8.0: load_default_groups in sql/mysqld.cc, mysqld, server and MYSQL_BASE_VERSION
 * ("mysqld-8.0"), as quoted in secondary sources: not checked against a MySQL
 * server. */
static const char *const mariadb_groups[] = {"mysqld",      "server",        "mysqld-%s",
                                             "mariadb",     "mariadb-%s",    "mariadbd",
                                             "mariadbd-%s", "client-server", "galera"};
static const char *const mysql_groups[] = {"mysqld", "server", "mysqld-%s"};

/* The suffix of --defaults-group-suffix, if the command line has one (it counts
 * only among the leading --defaults-* options, see mydiscover.c). */
static const char *group_suffix(const struct my_instance *in)
{
	const char *pfx = "--defaults-group-suffix=";
	for (size_t i = 1; i < in->live.argc; i++) {
		const char *a = in->live.argv[i];
		if (strncmp(a, "--defaults-", 11) && strcmp(a, "--no-defaults"))
			break;
		if (!strncmp(a, pfx, strlen(pfx)))
			return a + strlen(pfx);
	}
	return NULL;
}

void my_groups_of(const struct my_instance *in, struct my_groups *g)
{
	const char *const *tmpl = in->fl == MYF_MARIADB ? mariadb_groups : mysql_groups;
	size_t nt = in->fl == MYF_MARIADB ? ARRAY_SIZE(mariadb_groups) : ARRAY_SIZE(mysql_groups);
	char mm[24];
	bool have_mm = major_minor(in->version, mm, sizeof(mm));
	const char *suffix = group_suffix(in);
	size_t n = 0;
	memset(g, 0, sizeof(*g));
	for (size_t pass = 0; pass < (suffix ? 2u : 1u); pass++)
		for (size_t i = 0; i < nt; i++) {
			bool versioned = strstr(tmpl[i], "%s") != NULL;
			if (versioned && !have_mm)
				continue;
			char name[64];
			if (versioned)
				snprintf(name, sizeof(name), "%.*s%s", (int)(strlen(tmpl[i]) - 2),
				         tmpl[i], mm);
			else
				snprintf(name, sizeof(name), "%s", tmpl[i]);
			snprintf(g->buf[n], sizeof(g->buf[n]), "%s%.40s", name, pass ? suffix : "");
			g->v[n] = g->buf[n];
			n++;
		}
	g->v[n] = NULL;
}

/* ---- settings ---- */

/* How a setting's value is read. */
enum my_kind { MYK_INT, MYK_BOOL, MYK_BACKLOG };

/* One row per integer setting: MariaDB 10.11 and MySQL 8.0 defaults, and
 * MariaDB's range from information_schema.SYSTEM_VARIABLES (NUMERIC_MIN_VALUE,
 * NUMERIC_MAX_VALUE) of 10.11.19; max 0 is no bound. MySQL's ranges are not
 * applied: kres has not checked them against a MySQL server. A default of -1 is
 * "the number of CPUs". */
static const struct my_setting {
	const char *name;
	size_t off;
	enum my_kind kind;
	int64_t def_mariadb, def_mysql;
	int64_t min, max; /* MariaDB */
	bool mariadb_only;
} settings[] = {
#define S(f) #f, offsetof(struct my_instance, f)
    {S(max_connections), MYK_INT, 151, 151, 10, 100000, false},
    {S(table_open_cache), MYK_INT, 2000, 4000, 10, 1048576, false},
    {S(table_open_cache_instances), MYK_INT, 8, 16, 1, 64, false},
    {S(open_files_limit), MYK_INT, 0, 0, 0, 4294967295, false},
    {S(extra_max_connections), MYK_INT, 1, 0, 1, 100000, true},
    {S(thread_pool_size), MYK_INT, -1, 0, 1, 100000, true},
    {S(innodb_buffer_pool_size), MYK_INT, 134217728, 134217728, 0, 0, false},
    {S(large_pages), MYK_BOOL, 0, 0, 0, 1, false},
    /* back_log last: its default follows max_connections */
    {S(back_log), MYK_BACKLOG, 0, -1, 0, 65535, false},
#undef S
};

static const struct my_setting *setting_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		const char *a = settings[i].name, *b = name;
		while (*a && (*a == *b || (*a == '_' && *b == '-'))) {
			a++;
			b++;
		}
		if (!*a && !*b)
			return &settings[i];
	}
	return NULL;
}

int64_t my_back_log_auto(enum my_flavor fl, int64_t max_connections)
{
	if (fl == MYF_MARIADB) {
		int64_t v = 50 + max_connections / 5;
		return v < 900 ? v : 900;
	}
	return max_connections < 65535 ? max_connections : 65535;
}

/* Reads a value the way the server would; returns false when it cannot. back_log
 * of MySQL may be -1 (autosize). */
static bool value_parse(const struct my_setting *s, enum my_flavor fl, const char *v, int64_t *out)
{
	if (s->kind == MYK_BOOL) {
		int b = my_parse_bool(v);
		*out = b == 1;
		return b >= 0;
	}
	if (s->kind == MYK_BACKLOG && fl == MYF_MYSQL && v && !strcmp(v, "-1")) {
		*out = -1;
		return true;
	}
	uint64_t u;
	if (my_parse_size(v, &u) < 0 || u > INT64_MAX)
		return false;
	*out = (int64_t)u;
	return true;
}

/* "<origin> (<what>)" into val->origin. */
static void origin_note(struct my_val *val, const char *origin, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void origin_note(struct my_val *val, const char *origin, const char *fmt, ...)
{
	char note[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	snprintf(val->origin, sizeof(val->origin), "%.200s (%s)", origin, note);
}

static void resolve_one(struct my_instance *in, const struct my_groups *g,
                        const struct my_setting *s)
{
	struct my_val *val = (struct my_val *)((char *)in + s->off);
	bool maria = in->fl == MYF_MARIADB;
	int64_t def = maria ? s->def_mariadb : s->def_mysql;
	if (def == -1 && s->kind == MYK_INT)
		def = in->ncpus;
	if (!maria && s->mariadb_only) {
		val->v = 0;
		snprintf(val->origin, sizeof(val->origin), "not a MySQL setting");
		return;
	}
	const struct mycnf_opt *o = mycnf_get(&in->conf, g->v, s->name);
	const char *shown = o && o->value ? o->value : "";
	val->v = def;
	snprintf(val->origin, sizeof(val->origin), "%s", o ? o->origin : "default");
	if (o && !value_parse(s, in->fl, o->value, &val->v)) {
		val->v = def;
		if (s->kind == MYK_BOOL)
			origin_note(val, o->origin, "'%.40s' is not a boolean: the server sets OFF",
			            shown);
		else
			origin_note(val, "default", "the value '%.40s' of %.100s is invalid", shown,
			            o->origin);
	}
	if (s->kind == MYK_BACKLOG && val->v == def) {
		char from[200];
		snprintf(from, sizeof(from), "%s", val->origin);
		val->v = my_back_log_auto(in->fl, in->max_connections.v);
		origin_note(val, from, "autosized from max_connections %lld",
		            (long long)in->max_connections.v);
		return;
	}
	if (!maria || !o || s->kind == MYK_BOOL || s->max == 0)
		return;
	/* getopt_ull_limit_value(): "option '...': unsigned value 5 adjusted to 10" */
	int64_t was = val->v;
	if (val->v < s->min)
		val->v = s->min;
	if (val->v > s->max)
		val->v = s->max;
	if (val->v != was)
		origin_note(val, o->origin, "%lld, adjusted to %lld", (long long)was,
		            (long long)val->v);
}

/* thread_handling: MariaDB 10.11 one-thread-per-connection, no-threads,
 * pool-of-threads; MySQL 8.0 one-thread-per-connection, no-threads,
 * loaded-dynamically. */
static bool handling_valid(enum my_flavor fl, const char *v)
{
	static const char *const common[] = {"one-thread-per-connection", "no-threads"};
	for (size_t i = 0; i < ARRAY_SIZE(common); i++)
		if (!strcmp(v, common[i]))
			return true;
	return !strcmp(v, fl == MYF_MARIADB ? "pool-of-threads" : "loaded-dynamically");
}

static void resolve_handling(struct my_instance *in, const struct my_groups *g)
{
	const struct mycnf_opt *o = mycnf_get(&in->conf, g->v, "thread_handling");
	char v[48] = "";
	if (o && o->value)
		snprintf(v, sizeof(v), "%s", o->value);
	for (char *p = v; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (o && handling_valid(in->fl, v)) {
		str_copy(in->thread_handling, sizeof(in->thread_handling), v);
		str_copy(in->thread_handling_origin, sizeof(in->thread_handling_origin), o->origin);
	} else {
		str_copy(in->thread_handling, sizeof(in->thread_handling),
		         "one-thread-per-connection");
		if (o)
			snprintf(in->thread_handling_origin, sizeof(in->thread_handling_origin),
			         "default (the value '%.40s' of %.200s is invalid)", v, o->origin);
		else
			str_copy(in->thread_handling_origin, sizeof(in->thread_handling_origin),
			         "default");
	}
	in->pool_of_threads =
	    in->fl == MYF_MARIADB && !strcmp(in->thread_handling, "pool-of-threads");
}

/* mysqld_safe reads these groups (Debian's MariaDB 10.11 /usr/bin/mysqld_safe:
 * "mysqld_safe safe_mysqld mariadb_safe mariadbd-safe"). */
static void resolve_safe(struct my_instance *in)
{
	const char *const safe[] = {"mysqld_safe", "safe_mysqld", "mariadb_safe", "mariadbd-safe",
	                            NULL};
	/* Options without a group belong to mariadbd's command line, not here. */
	const struct mycnf_opt *o = NULL;
	for (size_t i = in->conf.n; i-- > 0 && !o;) {
		const struct mycnf_opt *c = &in->conf.v[i];
		if (c->group && !strcmp(c->name, "open_files_limit"))
			for (size_t k = 0; safe[k]; k++)
				if (!strcmp(c->group, safe[k]))
					o = c;
	}
	in->safe_open_files_set = o != NULL;
	memset(&in->safe_open_files, 0, sizeof(in->safe_open_files));
	if (o) {
		uint64_t u = 0;
		bool ok = my_parse_size(o->value, &u) == 0 && u <= INT64_MAX;
		in->safe_open_files.v = ok ? (int64_t)u : -1;
		snprintf(in->safe_open_files.origin, sizeof(in->safe_open_files.origin), "%s%s",
		         o->origin, ok ? "" : " (not a number)");
	}
	in->safe_core_set = false;
	in->safe_malloc_lib_set = false;
	for (size_t i = 0; i < in->conf.n; i++) {
		const struct mycnf_opt *c = &in->conf.v[i];
		bool in_safe = false;
		for (size_t k = 0; c->group && safe[k]; k++)
			in_safe |= !strcmp(c->group, safe[k]);
		if (in_safe && !strcmp(c->name, "core_file_size"))
			in->safe_core_set = true;
		if (in_safe && !strcmp(c->name, "malloc_lib"))
			in->safe_malloc_lib_set = true;
	}
}

void my_resolve(struct my_instance *in, unsigned ncpus)
{
	struct my_groups g;
	in->ncpus = ncpus;
	my_groups_of(in, &g);
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
		resolve_one(in, &g, &settings[i]);
	if (in->fl == MYF_MARIADB && !mycnf_get(&in->conf, g.v, "thread_pool_size"))
		snprintf(in->thread_pool_size.origin, sizeof(in->thread_pool_size.origin),
		         ncpus ? "default (the number of CPUs)"
		               : "default (the number of CPUs, unknown)");
	resolve_handling(in, &g);
	resolve_safe(in);
}

int my_apply_sets(struct my_instance *in, char *const *sets, size_t nsets, char *err, size_t n)
{
	for (size_t i = 0; i < nsets; i++) {
		const char *eq = strchr(sets[i], '=');
		if (!eq || eq == sets[i]) {
			snprintf(err, n, "--set '%s': expected name=value", sets[i]);
			return -EINVAL;
		}
		char *name = xstrndup(sets[i], (size_t)(eq - sets[i]));
		const struct my_setting *s = setting_find(name);
		int64_t v;
		int rc = 0;
		if (!s && strcmp(name, "thread_handling") && strcmp(name, "thread-handling")) {
			snprintf(err, n, "--set %s: not a %s setting kres uses", name,
			         my_flavor_name(in->fl));
			rc = -EINVAL;
		} else if (s ? !value_parse(s, in->fl, eq + 1, &v)
		             : !handling_valid(in->fl, eq + 1)) {
			snprintf(err, n, "--set %s='%s': not a valid value for %s", name, eq + 1,
			         name);
			rc = -EINVAL;
		} else if (s && s->mariadb_only && in->fl != MYF_MARIADB) {
			snprintf(err, n, "--set %s: not a MySQL setting", name);
			rc = -EINVAL;
		}
		if (rc == 0)
			mycnf_add(&in->conf, name, eq + 1, "--set");
		free(name);
		if (rc)
			return rc;
		in->overridden = true;
	}
	my_resolve(in, in->ncpus);
	return 0;
}

void my_instances_free(struct my_instance *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		mycnf_release(&v[i].conf);
		unit_release(&v[i].unit_info);
		svc_proc_release(&v[i].live);
	}
	free(v);
}

void my_subject(const struct my_instance *in, char *out, size_t n)
{
	char ver[24] = "";
	if (in->version[0])
		snprintf(ver, sizeof(ver), " %.*s", (int)strcspn(in->version, "-"), in->version);
	if (in->live.pid)
		snprintf(out, n, "%s%s (pid %lld, %s)", my_flavor_name(in->fl), ver,
		         (long long)in->live.pid,
		         in->datadir[0] ? in->datadir : "data directory unknown");
	else
		snprintf(out, n, "%s%s (%s)", my_flavor_name(in->fl), ver,
		         in->conffile[0]  ? in->conffile
		         : in->datadir[0] ? in->datadir
		                          : "not running");
}

/* ---- open files ---- */

uint64_t my_nofile_after_start(uint64_t soft, uint64_t hard, int64_t request)
{
	uint64_t req = request < 0 ? 0 : (uint64_t)request;
	if (soft == RLIM_UNLIMITED_U64 || soft >= req)
		return soft;
	return hard == RLIM_UNLIMITED_U64 || req <= hard ? req : soft;
}

/* The inputs of my_open_files(), as unsigned as the server holds them. */
struct files_in {
	uint64_t mc, toc, inst, ofl, emc, tps;
	bool pool;
	uint64_t soft;
};

/* " (negative, wraps: unchanged)" after an expression whose unsigned result
 * wrapped, so that a reader of the formula sees why nothing was lowered. */
static const char *wrapnote(bool wrapped)
{
	return wrapped ? " (negative, wraps: unchanged)" : "";
}

static void soft_text(uint64_t soft, char *out, size_t n)
{
	if (soft == RLIM_UNLIMITED_U64)
		snprintf(out, n, "unlimited");
	else
		snprintf(out, n, "%llu", (unsigned long long)soft);
}

/* The log lines and the formula of files_mariadb(). */
static void mariadb_text(const struct files_in *a, uint32_t min_tc, struct my_files *o)
{
	unsigned long long mc = a->mc, toc = a->toc, inst = a->inst, files = (uint64_t)o->files;
	unsigned long long mc2 = (uint64_t)o->max_connections, toc2 = (uint64_t)o->table_open_cache;
	unsigned long long inst2 = (uint64_t)o->table_open_cache_instances;
	if (o->could_not_increase)
		snprintf(o->log_increase, sizeof(o->log_increase),
		         "Could not increase number of max_open_files to more than %llu "
		         "(request: %lld)",
		         files, (long long)o->request);
	/* sql_print_warning("Changed limits: max_open_files: %u  max_connections: %lu
	 * (was %lu)  table_cache: %lu (was %lu)"), two blanks and all */
	if (o->changed)
		snprintf(o->log_changed, sizeof(o->log_changed),
		         "Changed limits: max_open_files: %llu  max_connections: %llu (was %llu)  "
		         "table_cache: %llu (was %llu)",
		         files, mc2, mc, toc2, toc);
	char soft[32], tps[32] = "";
	soft_text(a->soft, soft, sizeof(soft));
	if (!a->pool)
		snprintf(tps, sizeof(tps), " + %llu", (unsigned long long)a->tps);
	int len = snprintf(o->formula, sizeof(o->formula),
	                   "request = max(30 + %llu + %llu + %llu x 2 x %llu%s, (%llu + %llu) x 5, "
	                   "%llu) = %lld; files = min(%lld, RLIMIT_NOFILE %s) = %llu",
	                   mc, (unsigned long long)a->emc, toc, inst, tps, mc,
	                   (unsigned long long)a->emc, (unsigned long long)a->ofl,
	                   (long long)o->request, (long long)o->request, soft, files);
	if (!o->could_not_increase || len < 0 || (size_t)len >= sizeof(o->formula))
		return;
	snprintf(o->formula + len, sizeof(o->formula) - (size_t)len,
	         "; instances = min(max((%llu - 30 - %llu) / 2 / %llu, 1), %llu) = %llu%s"
	         "; max_connections = max(min(%llu - 30 - %u x 2 x %llu, %llu), 10) = %llu%s"
	         "; table_open_cache = min(max((%llu - 30 - %llu) / 2 / %llu, %u), %llu) = %llu%s",
	         files, mc, toc, inst, inst2, wrapnote(files < 30 + mc), files, min_tc, inst2, mc,
	         mc2, wrapnote(files < 30 + (uint64_t)min_tc * 2 * inst2), files, mc2, inst2,
	         min_tc, toc, toc2, wrapnote(files < 30 + mc2));
}

/* MariaDB 10.11 init_common_variables(). The types are the server's: files,
 * extra_files (30), min_tc_size and tc_instances are 32-bit uint, max_connections
 * and tc_size 64-bit ulong, so "files - 30 - min_tc_size * 2 * instances" wraps in
 * 32 bits and "files - 30 - max_connections" in 64. Within the variables' ranges
 * a wrap lowers nothing, as in the server. */
static void files_mariadb(const struct files_in *a, struct my_files *o)
{
	const uint32_t extra = 30, instances = (uint32_t)a->inst;
	uint64_t tc = a->toc, con = a->mc;
	uint32_t wanted =
	    (uint32_t)(extra + con + a->emc + tc * 2 * instances + (a->pool ? 0 : a->tps));
	uint64_t req = wanted;
	if ((con + a->emc) * 5 > req)
		req = (con + a->emc) * 5;
	if (a->ofl > req)
		req = a->ofl;
	uint32_t request = (uint32_t)req;
	uint32_t files = a->soft >= request ? request : (uint32_t)a->soft;

	uint64_t i2 = ((uint64_t)(uint32_t)(files - extra) - con) / 2 / tc;
	uint32_t inst2 = (uint32_t)(i2 < 1 ? 1 : i2 < instances ? i2 : instances);
	uint32_t min_tc = (uint32_t)(tc < 200 ? tc : 200); /* TABLE_OPEN_CACHE_MIN */
	uint64_t y = (uint32_t)(files - extra - min_tc * 2 * inst2);
	uint64_t mc2 = y < con ? y : con;
	if (mc2 < 10) /* min_connections */
		mc2 = 10;
	uint64_t t2 = ((uint64_t)(uint32_t)(files - extra) - mc2) / 2 / inst2;
	if (t2 < min_tc)
		t2 = min_tc;
	if (t2 > tc)
		t2 = tc;

	*o = (struct my_files){.wanted = wanted, .request = request, .files = files};
	o->table_open_cache_instances = inst2;
	o->max_connections = (int64_t)mc2;
	o->table_open_cache = (int64_t)t2;
	o->could_not_increase = files < request;
	o->changed = mc2 < con || t2 < tc;
	o->underflow = files < extra + mc2;
	mariadb_text(a, min_tc, o);
}

static void join_log(char *dst, size_t n, const char *line)
{
	size_t l = strlen(dst);
	snprintf(dst + l, n - l, "%s%s", l ? "; " : "", line);
}

/* The log lines and the formula of files_mysql(). */
static void mysql_text(const struct files_in *a, uint64_t limit3, struct my_files *o)
{
	unsigned long long mc = a->mc, toc = a->toc, files = (uint64_t)o->files;
	unsigned long long request = (uint64_t)o->request, mc2 = (uint64_t)o->max_connections;
	unsigned long long toc2 = (uint64_t)o->table_open_cache;
	char line[128];
	if (o->could_not_increase && a->ofl == 0) {
		snprintf(line, sizeof(line),
		         "Changed limits: max_open_files: %llu (requested %llu)", files, request);
		join_log(o->log_changed, sizeof(o->log_changed), line);
	} else if (o->could_not_increase) {
		snprintf(o->log_increase, sizeof(o->log_increase),
		         "Could not increase number of max_open_files to more than %llu "
		         "(request: %llu)",
		         files, request);
	}
	if (mc2 < mc) {
		snprintf(line, sizeof(line),
		         "Changed limits: max_connections: %llu (requested %llu)", mc2, mc);
		join_log(o->log_changed, sizeof(o->log_changed), line);
	}
	if (toc2 < toc) {
		snprintf(line, sizeof(line),
		         "Changed limits: table_open_cache: %llu (requested %llu)", toc2, toc);
		join_log(o->log_changed, sizeof(o->log_changed), line);
	}
	char soft[32];
	soft_text(a->soft, soft, sizeof(soft));
	int len = snprintf(o->formula, sizeof(o->formula),
	                   "request = max(10 + %llu + 2 x %llu, 5 x %llu, %llu) = %llu; "
	                   "files = min(%llu, RLIMIT_NOFILE %s) = %llu",
	                   mc, toc, mc, (unsigned long long)limit3, request, request, soft, files);
	if (!o->could_not_increase || len < 0 || (size_t)len >= sizeof(o->formula))
		return;
	snprintf(o->formula + len, sizeof(o->formula) - (size_t)len,
	         "; max_connections = min(%llu - 10 - 2 x 400, %llu) = %llu%s"
	         "; table_open_cache = min(max((%llu - 10 - %llu) / 2, 400), %llu) = %llu%s",
	         files, mc, mc2, wrapnote(files < 810), files, mc2, toc, toc2,
	         wrapnote(files < 10 + mc2));
}

/* MySQL 5.7/8.0 adjust_open_files_limit(), adjust_max_connections(),
 * adjust_table_cache_size() (sql/mysqld.cc), all in 64-bit ulong; the server
 * goes on with min(effective, request) files. */
static void files_mysql(const struct files_in *a, struct my_files *o)
{
	uint64_t con = a->mc, tc = a->toc;
	uint64_t limit1 = 10 + con + tc * 2, limit2 = con * 5, limit3 = a->ofl ? a->ofl : 5000;
	uint64_t request = limit1 > limit2 ? limit1 : limit2;
	if (limit3 > request)
		request = limit3;
	uint64_t files = a->soft >= request ? request : a->soft;
	uint64_t mlim = files - 10 - 400 * 2; /* TABLE_OPEN_CACHE_MIN */
	uint64_t mc2 = mlim < con ? mlim : con;
	uint64_t tlim = (files - 10 - mc2) / 2;
	if (tlim < 400)
		tlim = 400;
	uint64_t t2 = tlim < tc ? tlim : tc;

	*o = (struct my_files){
	    .wanted = (int64_t)limit1, .request = (int64_t)request, .files = (int64_t)files};
	o->max_connections = (int64_t)mc2;
	o->table_open_cache = (int64_t)t2;
	o->could_not_increase = files < request;
	o->changed = mc2 < con || t2 < tc;
	o->underflow = files < 10 + mc2;
	mysql_text(a, limit3, o);
}

void my_open_files(enum my_flavor fl, int64_t max_connections, int64_t table_open_cache,
                   int64_t instances, int64_t open_files_limit, int64_t extra_max_connections,
                   int64_t thread_pool_size, bool pool_of_threads, uint64_t nofile_soft,
                   struct my_files *o)
{
	/* The divisions need what the variables' ranges guarantee; RLIM_INFINITY is
	 * "as much as asked" to set_max_open_files(). */
	struct files_in a = {
	    .mc = max_connections > 0 ? (uint64_t)max_connections : 0,
	    .toc = table_open_cache > 1 ? (uint64_t)table_open_cache : 1,
	    .inst = instances > 1 ? (uint64_t)instances : 1,
	    .ofl = open_files_limit > 0 ? (uint64_t)open_files_limit : 0,
	    .emc = extra_max_connections > 0 ? (uint64_t)extra_max_connections : 0,
	    .tps = thread_pool_size > 0 ? (uint64_t)thread_pool_size : 0,
	    .pool = pool_of_threads,
	    .soft = nofile_soft,
	};
	if (fl == MYF_MARIADB)
		files_mariadb(&a, o);
	else
		files_mysql(&a, o);
}

void my_instance_files(const struct my_instance *in, uint64_t nofile_soft, struct my_files *o)
{
	my_open_files(in->fl, in->max_connections.v, in->table_open_cache.v,
	              in->table_open_cache_instances.v, in->open_files_limit.v,
	              in->extra_max_connections.v, in->thread_pool_size.v, in->pool_of_threads,
	              nofile_soft, o);
}
