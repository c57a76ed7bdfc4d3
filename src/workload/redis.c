// SPDX-License-Identifier: MIT
/* The settings of a Redis instance resolved from its configuration with Redis
 * 7.0's defaults and checks (src/config.c), --set overrides, and what Redis does
 * with the kernel at start-up: adjustOpenFilesLimit(), linuxMemoryWarnings() and
 * checkTcpBacklogSettings() of src/server.c, checkOvercommit() and
 * checkTHPEnabled() of src/syscheck.c. Each was checked against redis-server
 * 7.0.15 on Debian 12. */
#include "workload/redis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* ---- settings ---- */

enum rd_type {
	RT_INT,        /* string2ll(), then bounds */
	RT_MEMORY,     /* memtoull(), then bounds */
	RT_BOOL,       /* yes / no */
	RT_OOM_ENUM,   /* oom_score_adj_enum */
	RT_OOM_VALUES, /* three integers in [-2000, 2000] */
	RT_SAVE,       /* pairs of seconds >= 1 and changes >= 0 */
	RT_PATH,       /* any one argument */
};

/* The settings kres reads, with the type, bounds and defaults of Redis 7.0's
 * static_configs[] (src/config.c) and initServerConfig() (save). multi marks
 * MULTI_ARG_CONFIG: one non-empty argument is split again into several. */
static const struct rd_setting {
	const char *name;
	enum rd_type type;
	int64_t lo, hi;
	bool multi;
	const char *def;
} settings[] = {
    {"port", RT_INT, 0, 65535, false, "6379"},                        /* createIntConfig */
    {"maxclients", RT_INT, 1, UINT32_MAX, false, "10000"},            /* createUIntConfig */
    {"tcp-backlog", RT_INT, 0, INT32_MAX, false, "511"},              /* createIntConfig */
    {"maxmemory", RT_MEMORY, 0, 0, false, "0"},                       /* createULongLongConfig */
    {"disable-thp", RT_BOOL, 0, 0, false, "yes"},                     /* createBoolConfig */
    {"appendonly", RT_BOOL, 0, 0, false, "no"},                       /* createBoolConfig */
    {"oom-score-adj", RT_OOM_ENUM, 0, 0, false, "no"},                /* createEnumConfig */
    {"oom-score-adj-values", RT_OOM_VALUES, 0, 0, true, "0 200 800"}, /* special */
    {"save", RT_SAVE, 0, 0, true, "3600 1 300 100 60 10000"},         /* special */
    {"dir", RT_PATH, 0, 0, false, ""},                                /* special: chdir() */
};

static const struct rd_setting *setting_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
		if (!strcmp(settings[i].name, name))
			return &settings[i];
	return NULL;
}

/* oom_score_adj_enum of src/config.c, compared with strcasecmp(). */
static const char *const oom_modes[] = {"no", "yes", "relative", "absolute"};

/* One directive's value as a setting takes it. */
struct parsed {
	int64_t v;
	uint64_t mem;
	int64_t vals[3];
	size_t npoints;   /* save: number of (seconds, changes) pairs */
	const char *word; /* oom-score-adj, dir */
};

/* strtoll(s, &end, 10) with *end == '\0', as setConfigSaveOption() and
 * setConfigOOMScoreAdjValuesOption() check their numbers. */
static bool strtoll_whole(const char *s, int64_t *v)
{
	char *end;
	long long x = strtoll(s, &end, 10);
	*v = x;
	return *end == '\0';
}

static const char *check_int(const struct rd_setting *s, const struct rd_arg *a, struct parsed *p,
                             char *buf, size_t n)
{
	if (rd_parse_ll(a->s, a->n, &p->v) < 0)
		return "argument couldn't be parsed into an integer";
	/* numericBoundaryCheck(): unsigned settings compare as unsigned, so -1 is
	 * out of range for maxclients rather than below 1. */
	bool out = s->lo >= 0 && s->hi > INT32_MAX
	               ? (uint64_t)p->v > (uint64_t)s->hi || p->v < s->lo
	               : p->v > s->hi || p->v < s->lo;
	if (!out)
		return NULL;
	if (s->hi > INT32_MAX)
		snprintf(buf, n, "argument must be between %lld and %llu inclusive",
		         (long long)s->lo, (unsigned long long)s->hi);
	else
		snprintf(buf, n, "argument must be between %lld and %lld inclusive",
		         (long long)s->lo, (long long)s->hi);
	return buf;
}

static const char *check_save(const struct rd_arg *a, size_t n, struct parsed *p)
{
	/* A single "" is an empty list. */
	if (n == 1 && !a[0].s[0])
		n = 0;
	if (n & 1)
		return "Invalid save parameters";
	for (size_t j = 0; j < n; j++) {
		int64_t v;
		if (!strtoll_whole(a[j].s, &v) || ((j & 1) == 0 && v < 1) || ((j & 1) && v < 0))
			return "Invalid save parameters";
	}
	p->npoints = n / 2;
	return NULL;
}

static const char *check_oom_values(const struct rd_arg *a, size_t n, struct parsed *p)
{
	if (n != 3)
		return "wrong number of arguments";
	for (size_t i = 0; i < 3; i++)
		if (!strtoll_whole(a[i].s, &p->vals[i]) || p->vals[i] < -2000 || p->vals[i] > 2000)
			return "Invalid oom-score-adj-values, elements must be between -2000 and "
			       "2000.";
	return NULL;
}

/* Checks the arguments a[0..n) of setting s as Redis's set function does; returns
 * NULL with *p filled, or Redis's error message. */
static const char *check_args(const struct rd_setting *s, const struct rd_arg *a, size_t n,
                              struct parsed *p, char *buf, size_t bn)
{
	memset(p, 0, sizeof(*p));
	if (!s->multi && n != 1)
		return "wrong number of arguments";
	switch (s->type) {
	case RT_INT:
		return check_int(s, &a[0], p, buf, bn);
	case RT_MEMORY:
		return rd_parse_memory(a[0].s, &p->mem) < 0 ? "argument must be a memory value"
		                                            : NULL;
	case RT_BOOL:
		p->v = rd_parse_yesno(a[0].s);
		return p->v < 0 ? "argument must be 'yes' or 'no'" : NULL;
	case RT_OOM_ENUM:
		for (size_t i = 0; i < ARRAY_SIZE(oom_modes); i++)
			if (!strcasecmp(a[0].s, oom_modes[i]))
				p->word = oom_modes[i];
		return p->word
		           ? NULL
		           : "argument must be one of the following: no, yes, relative, absolute";
	case RT_OOM_VALUES:
		return check_oom_values(a, n, p);
	case RT_SAVE:
		return check_save(a, n, p);
	case RT_PATH:
		p->word = a[0].s;
		return NULL;
	}
	return NULL;
}

/* Checks a directive: loadServerConfigFromString() splits the one argument of a
 * multi-argument setting again ("save '900 1'" is "save 900 1"). */
static const char *check_directive(const struct rd_setting *s, const struct rd_directive *d,
                                   struct parsed *p, char *buf, size_t bn)
{
	const struct rd_arg *a = d->argv + 1;
	size_t n = d->argc - 1;
	if (!s->multi || n != 1 || !a[0].n)
		return check_args(s, a, n, p, buf, bn);
	struct rd_arg *v = NULL;
	size_t vn = 0;
	rdconf_split_args(a[0].s, a[0].n, &v, &vn);
	const char *e = check_args(s, v, vn, p, buf, bn);
	/* The message may point into buf, never into v. */
	rd_args_free(v, vn);
	return e;
}

static void origin_of(const struct rd_directive *d, char *out, size_t n)
{
	if (d->line)
		snprintf(out, n, "'%s' line %u", d->file, d->line);
	else
		snprintf(out, n, "%s", d->file);
}

/* What resolve() accumulates over the directives. */
struct rstate {
	size_t save_points; /* the three default points until a save line */
	bool save_seen, aof;
	char save_origin[288], aof_origin[288];
};

/* Applies one valid directive of setting s. save: the first save line of a load
 * drops the defaults, "save ''" drops what came before, others add points
 * (measured with redis-server 7.0.15: "save 900 1", "save ''", "save 60 5" leaves
 * "60 5"). */
static void apply(struct rd_instance *in, const struct rd_setting *s, const struct parsed *p,
                  const char *origin, struct rstate *st)
{
	struct rd_val *val = NULL;
	if (!strcmp(s->name, "port"))
		val = &in->port;
	else if (!strcmp(s->name, "maxclients"))
		val = &in->maxclients;
	else if (!strcmp(s->name, "tcp-backlog"))
		val = &in->tcp_backlog;
	if (val) {
		val->v = p->v;
		str_copy(val->origin, sizeof(val->origin), origin);
	} else if (s->type == RT_MEMORY) {
		in->maxmemory.v = p->mem > INT64_MAX ? INT64_MAX : (int64_t)p->mem;
		str_copy(in->maxmemory.origin, sizeof(in->maxmemory.origin), origin);
	} else if (!strcmp(s->name, "disable-thp")) {
		in->disable_thp = p->v == 1;
		str_copy(in->disable_thp_origin, sizeof(in->disable_thp_origin), origin);
	} else if (!strcmp(s->name, "appendonly")) {
		st->aof = p->v == 1;
		str_copy(st->aof_origin, sizeof(st->aof_origin), origin);
	} else if (s->type == RT_OOM_ENUM) {
		str_copy(in->oom_score_adj, sizeof(in->oom_score_adj), p->word);
		str_copy(in->oom_score_adj_origin, sizeof(in->oom_score_adj_origin), origin);
	} else if (s->type == RT_OOM_VALUES) {
		memcpy(in->oom_values, p->vals, sizeof(in->oom_values));
		str_copy(in->oom_values_origin, sizeof(in->oom_values_origin), origin);
	} else if (s->type == RT_SAVE) {
		st->save_points =
		    (!st->save_seen || !p->npoints ? 0 : st->save_points) + p->npoints;
		st->save_seen = true;
		str_copy(st->save_origin, sizeof(st->save_origin), origin);
	} else if (s->type == RT_PATH) {
		str_copy(in->dir, sizeof(in->dir), p->word);
	}
}

/* Applies every setting's default from the table, as initServerConfig() and the
 * config table's init functions set them before any file is read. */
static void set_defaults(struct rd_instance *in, struct rstate *st)
{
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		const struct rd_setting *s = &settings[i];
		struct rd_arg *v;
		size_t n;
		struct parsed p;
		char buf[128];
		rdconf_split_args(s->def, strlen(s->def), &v, &n);
		/* "dir" has no default: the directory Redis was started in. */
		char empty[1] = "";
		struct rd_arg none = {empty, 0};
		if (!check_args(s, n ? v : &none, n ? n : 1, &p, buf, sizeof(buf)))
			apply(in, s, &p, "default", st);
		rd_args_free(v, n);
	}
	/* The first save line of a load replaces the default points. */
	st->save_seen = false;
}

/* Fills the settings from the directives, in order, and records the first one
 * Redis would refuse to start with. Directives kres does not read are not
 * checked: Redis refuses unknown names too, but kres does not know them all. */
void rd_resolve(struct rd_instance *in)
{
	struct rstate st = {0, false, false, "default", "default"};
	set_defaults(in, &st);
	in->conf_ok = in->conf_rc == 0;
	if (in->conf_ok)
		in->conf_err[0] = '\0';
	for (size_t i = 0; i < in->conf.n; i++) {
		const struct rd_directive *d = &in->conf.v[i];
		const struct rd_setting *s = setting_find(d->argv[0].s);
		/* A name with a NUL byte in it is no setting's (lookupConfig() uses
		 * the whole sds). */
		if (!s || strlen(d->argv[0].s) != d->argv[0].n)
			continue;
		struct parsed p;
		char buf[128], origin[288];
		origin_of(d, origin, sizeof(origin));
		const char *e = check_directive(s, d, &p, buf, sizeof(buf));
		if (!e) {
			apply(in, s, &p, origin, &st);
			continue;
		}
		if (in->conf_ok)
			snprintf(in->conf_err, sizeof(in->conf_err), "%s: %s: %s", origin, s->name,
			         e);
		in->conf_ok = false;
	}
	in->forks = st.save_points > 0 || st.aof;
	snprintf(in->forks_origin, sizeof(in->forks_origin),
	         "%zu save point%s (%s); appendonly %s (%s)", st.save_points,
	         st.save_points == 1 ? "" : "s", st.save_origin, st.aof ? "yes" : "no",
	         st.aof_origin);
}

/* ---- --set ---- */

/* Checks one "name=value"; returns its setting or NULL with err written. The
 * value is one argument, split again for multi-argument settings. */
static const struct rd_setting *check_set(const char *item, char *name, size_t namen, char *err,
                                          size_t n)
{
	const char *eq = strchr(item, '=');
	if (!eq || eq == item) {
		snprintf(err, n, "--set '%s': expected name=value", item);
		return NULL;
	}
	size_t len = (size_t)(eq - item);
	if (len >= namen)
		len = namen - 1;
	for (size_t i = 0; i < len; i++)
		name[i] = item[i] >= 'A' && item[i] <= 'Z' ? (char)(item[i] - 'A' + 'a') : item[i];
	name[len] = '\0';
	const struct rd_setting *s = setting_find(name);
	if (!s) {
		snprintf(err, n, "--set '%s': '%s' is not a Redis setting kres uses", item, name);
		return NULL;
	}
	char *value = xstrdup(eq + 1);
	struct rd_arg a[2] = {{name, strlen(name)}, {value, strlen(value)}};
	struct rd_directive d = {a, 2, NULL, 0};
	struct parsed p;
	char buf[128];
	const char *e = check_directive(s, &d, &p, buf, sizeof(buf));
	if (e)
		snprintf(err, n, "--set '%s': %s", item, e);
	free(value);
	return e ? NULL : s;
}

int rd_apply_sets(struct rd_instance *in, char *const *sets, size_t nsets, char *err, size_t n)
{
	char name[64];
	/* All or nothing: check every item before applying any. */
	for (size_t i = 0; i < nsets; i++)
		if (!check_set(sets[i], name, sizeof(name), err, n))
			return -EINVAL;
	for (size_t i = 0; i < nsets; i++) {
		check_set(sets[i], name, sizeof(name), err, n);
		const char *value = strchr(sets[i], '=') + 1;
		char *v = xstrdup(value);
		struct rd_arg a[2] = {{name, strlen(name)}, {v, strlen(v)}};
		rdconf_add(&in->conf, a, 2, "--set");
		free(v);
	}
	if (nsets)
		in->overridden = true;
	rd_resolve(in);
	return 0;
}

void rd_instances_free(struct rd_instance *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		svc_proc_release(&v[i].live);
		unit_release(&v[i].unit_info);
		rdconf_release(&v[i].conf);
	}
	free(v);
}

void rd_subject(const struct rd_instance *in, char *out, size_t n)
{
	char ver[40] = "";
	if (in->version[0])
		snprintf(ver, sizeof(ver), " %s", in->version);
	if (in->live.pid && in->listen[0])
		snprintf(out, n, "Redis%s (pid %lld, %s)", ver, (long long)in->live.pid,
		         in->listen);
	else if (in->live.pid)
		snprintf(out, n, "Redis%s (pid %lld)", ver, (long long)in->live.pid);
	else if (in->conffile[0])
		snprintf(out, n, "Redis%s ('%s')", ver, in->conffile);
	else
		snprintf(out, n, "Redis%s", ver);
}

/* ---- the kernel at start-up ---- */

static const char *lim_str(uint64_t v, char *buf, size_t n)
{
	if (v == UINT64_MAX)
		snprintf(buf, n, "unlimited");
	else
		snprintf(buf, n, "%llu", (unsigned long long)v);
	return buf;
}

/* The limit Redis ends with. Its loop tries f = maxfiles, maxfiles - 16, ...
 * while f > soft, stops at the first f setrlimit() accepts, and gives up once
 * f < 16 fails; a refusal is EPERM above the hard limit without CAP_SYS_RESOURCE
 * (and above fs.nr_open for anyone). With a maxclients near 2^32 that is hundreds
 * of millions of tries, so the first accepted f is computed: the k-th try, k =
 * ceil((maxfiles - hard) / 16), if it is still above soft and was reached (f >= 0).
 * *steps gets k. Else the limit stays soft. */
static uint64_t best_limit(uint64_t maxfiles, uint64_t soft, uint64_t hard, bool can_raise_hard,
                           unsigned *steps)
{
	*steps = 0;
	if (maxfiles <= soft)
		return soft;
	if (can_raise_hard || maxfiles <= hard)
		return maxfiles;
	uint64_t k = (maxfiles - hard + 15) / 16;
	if (k > maxfiles / 16 || maxfiles - 16 * k <= soft)
		return soft;
	*steps = (unsigned)k;
	return maxfiles - 16 * k;
}

/* The three lines of a reduction and the one of an exit, with Redis's formats
 * ("%d" of unsigned values included). strerror(EPERM) is glibc's text. */
static void files_reduced(struct rd_files *o, uint32_t mc, uint64_t maxfiles, uint64_t best)
{
	o->reduced = true;
	o->maxclients = (int64_t)best - RD_RESERVED_FDS;
	snprintf(o->log[0], sizeof(o->log[0]),
	         "You requested maxclients of %d requiring at least %llu max file descriptors.",
	         (int)mc, (unsigned long long)maxfiles);
	snprintf(o->log[1], sizeof(o->log[1]),
	         "Server can't set maximum open files to %llu because of OS error: %s.",
	         (unsigned long long)maxfiles, "Operation not permitted");
	snprintf(o->log[2], sizeof(o->log[2]),
	         "Current maximum open files is %llu. maxclients has been reduced to %d to "
	         "compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
	         (unsigned long long)best, (int)(uint32_t)(best - RD_RESERVED_FDS));
}

void rd_open_files(int64_t maxclients, uint64_t soft, uint64_t hard, bool can_raise_hard,
                   struct rd_files *o)
{
	char s1[24];
	struct buf f = BUF_INIT;
	memset(o, 0, sizeof(*o));
	/* server.maxclients is an unsigned int and so is the sum. */
	uint32_t mc = (uint32_t)maxclients;
	uint64_t maxfiles = (uint32_t)(mc + RD_RESERVED_FDS);
	unsigned steps = 0;
	uint64_t best =
	    soft < maxfiles ? best_limit(maxfiles, soft, hard, can_raise_hard, &steps) : soft;
	o->need = (int64_t)maxfiles;
	o->maxclients = mc;
	o->limit = best > INT64_MAX ? INT64_MAX : (int64_t)best;
	buf_appendf(&f, "maxclients %u + %d = %llu", mc, RD_RESERVED_FDS,
	            (unsigned long long)maxfiles);
	if (soft >= maxfiles) {
		buf_appendf(&f, " <= soft limit %s: nothing to change",
		            lim_str(soft, s1, sizeof(s1)));
	} else {
		buf_appendf(&f, " > soft limit %llu, hard %s: ", (unsigned long long)soft,
		            can_raise_hard ? "may be raised" : lim_str(hard, s1, sizeof(s1)));
		if (best >= maxfiles)
			buf_appendf(&f, "raised to %llu", (unsigned long long)best);
		else if (best > soft)
			buf_appendf(&f, "set to %llu = %llu - %u x 16", (unsigned long long)best,
			            (unsigned long long)maxfiles, steps);
		else
			buf_appendf(&f, "no step above %llu allowed", (unsigned long long)soft);
	}
	if (best >= maxfiles && best > soft) {
		snprintf(o->log[0], sizeof(o->log[0]),
		         "Increased maximum number of open files to %llu (it was originally set to "
		         "%llu).",
		         (unsigned long long)maxfiles, (unsigned long long)soft);
	} else if (best < maxfiles && best <= RD_RESERVED_FDS) {
		/* server.c tests bestlimit, maxclients being unsigned. */
		o->fatal = o->reduced = true;
		o->maxclients = (int64_t)best - RD_RESERVED_FDS;
		buf_appendf(&f, "; %llu <= %d reserved: Redis exits", (unsigned long long)best,
		            RD_RESERVED_FDS);
		snprintf(o->log[0], sizeof(o->log[0]),
		         "Your current 'ulimit -n' of %llu is not enough for the server to start. "
		         "Please increase your open file limit to at least %llu. Exiting.",
		         (unsigned long long)soft, (unsigned long long)maxfiles);
	} else if (best < maxfiles) {
		files_reduced(o, mc, maxfiles, best);
		buf_appendf(&f, "; maxclients %llu - %d = %lld", (unsigned long long)best,
		            RD_RESERVED_FDS, (long long)o->maxclients);
	}
	str_copy(o->formula, sizeof(o->formula), buf_str(&f));
	buf_release(&f);
}

bool rd_thp_warns(const char *thp_enabled, bool disable_thp)
{
	if (!thp_enabled || disable_thp)
		return false;
	/* checkTHPEnabled() looks for "[always]" in the file's line. */
	if (strchr(thp_enabled, '['))
		return strstr(thp_enabled, "[always]") != NULL;
	return !strcmp(thp_enabled, "always");
}

bool rd_overcommit_warns(int64_t overcommit_memory)
{
	return overcommit_memory != 1;
}

bool rd_backlog_warns(int64_t tcp_backlog, int64_t somaxconn)
{
	return somaxconn > 0 && somaxconn < tcp_backlog;
}
