// SPDX-License-Identifier: MIT
/* Tests for workload/mysql: the open-files arithmetic against what mariadbd
 * 10.11.19 (Debian 12) did when started with the given limits and settings, and
 * against MySQL's documented log lines; settings and their defaults; --set; and
 * discovery over a fixture /proc with option files. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/proc.h"
#include "util/xalloc.h"
#include "workload/mysql.h"
#include "tree.h"
#include "util/banned.h"

#define UNL RLIM_UNLIMITED_U64

/* ---- the open-files arithmetic ---- */

static const struct files_case {
	const char *what;
	enum my_flavor fl;
	uint64_t soft;
	int64_t mc, toc, inst, ofl, emc, tps;
	bool pool;
	/* what the server did */
	int64_t request, files, mc2, toc2, inst2;
	bool changed, underflow;
	const char *log_changed; /* NULL: not checked */
} files_cases[] = {
    /* mariadbd 10.11.19 with soft = hard = the limit, 2 CPUs (thread_pool_size 2),
     * extra_max_connections 1; SELECT @@max_connections, @@table_open_cache,
     * @@table_open_cache_instances, @@open_files_limit and the error log. */
    {"defaults at 1024", MYF_MARIADB, 1024, 151, 2000, 8, 0, 1, 2, false, 32184, 1024, 151, 421, 1,
     true, false,
     "Changed limits: max_open_files: 1024  max_connections: 151 (was 151)  table_cache: 421 "
     "(was 2000)"},
    {"mc 500", MYF_MARIADB, 1024, 500, 2000, 8, 0, 1, 2, false, 32533, 1024, 500, 247, 1, true,
     false, NULL},
    {"mc 1000 toc 400: no change", MYF_MARIADB, 1024, 1000, 400, 8, 0, 1, 2, false, 7433, 1024,
     1000, 400, 8, false, true, ""},
    {"mc 1000 toc 2000: no change", MYF_MARIADB, 1024, 1000, 2000, 8, 0, 1, 2, false, 33033, 1024,
     1000, 2000, 8, false, true, ""},
    {"limit 4096", MYF_MARIADB, 4096, 500, 2000, 8, 0, 1, 2, false, 32533, 4096, 500, 1783, 1, true,
     false, NULL},
    {"mc 900 toc 100", MYF_MARIADB, 1024, 900, 100, 8, 0, 1, 2, false, 4505, 1024, 794, 100, 1,
     true, false,
     "Changed limits: max_open_files: 1024  max_connections: 794 (was 900)  table_cache: 100 "
     "(was 100)"},
    {"mc 900 toc 300", MYF_MARIADB, 1024, 900, 300, 8, 0, 1, 2, false, 5733, 1024, 594, 200, 1,
     true, false,
     "Changed limits: max_open_files: 1024  max_connections: 594 (was 900)  table_cache: 200 "
     "(was 300)"},
    {"mc 700", MYF_MARIADB, 1024, 700, 2000, 8, 0, 1, 2, false, 32733, 1024, 594, 200, 1, true,
     false,
     "Changed limits: max_open_files: 1024  max_connections: 594 (was 700)  table_cache: 200 "
     "(was 2000)"},
    {"only the instances", MYF_MARIADB, 1024, 300, 100, 8, 0, 1, 2, false, 1933, 1024, 300, 100, 3,
     false, false, ""},
    {"one instance", MYF_MARIADB, 1024, 500, 50, 1, 0, 1, 2, false, 2505, 1024, 500, 50, 1, false,
     false, ""},
    {"limit 2000", MYF_MARIADB, 2000, 1500, 100, 1, 0, 1, 2, false, 7505, 2000, 1500, 100, 1, false,
     false, ""},
    {"limit 3000", MYF_MARIADB, 3000, 900, 100, 8, 0, 1, 2, false, 4505, 3000, 900, 100, 8, false,
     false, ""},
    {"toc 450", MYF_MARIADB, 1024, 151, 450, 8, 0, 1, 2, false, 7384, 1024, 151, 421, 1, true,
     false,
     "Changed limits: max_open_files: 1024  max_connections: 151 (was 151)  table_cache: 421 "
     "(was 450)"},
    {"thread_pool_size 7", MYF_MARIADB, 1024, 151, 2000, 8, 0, 1, 7, false, 32189, 1024, 151, 421,
     1, true, false, NULL},
    {"pool-of-threads", MYF_MARIADB, 1024, 151, 2000, 8, 0, 1, 2, true, 32182, 1024, 151, 421, 1,
     true, false, NULL},
    {"pool-of-threads, 7 threads", MYF_MARIADB, 1024, 151, 2000, 8, 0, 1, 7, true, 32182, 1024, 151,
     421, 1, true, false, NULL},
    {"extra_max_connections 5", MYF_MARIADB, 1024, 151, 2000, 8, 0, 5, 2, false, 32188, 1024, 151,
     421, 1, true, false, NULL},
    /* soft 20000 above the request: @@open_files_limit is the request */
    {"soft over request", MYF_MARIADB, 20000, 900, 100, 8, 0, 1, 2, false, 4505, 4505, 900, 100, 8,
     false, false, ""},
    {"soft 20000, 5000 connections", MYF_MARIADB, 20000, 5000, 2000, 8, 0, 1, 2, false, 37033,
     20000, 5000, 2000, 3, false, false, ""},
    /* rows of a random sweep of 80 starts of the server, soft = hard unless said;
     * the soft limit is the one /proc showed afterwards */
    {"sweep 512, ofl 3000", MYF_MARIADB, 512, 300, 300, 1, 3000, 5, 7, false, 3000, 512, 82, 200, 1,
     true, false, NULL},
    {"sweep 512, pool", MYF_MARIADB, 512, 4783, 10, 16, 0, 5, 64, true, 23940, 512, 162, 10, 16,
     true, false, NULL},
    {"sweep 2000, pool, ofl 3000", MYF_MARIADB, 2000, 500, 3457, 3, 3000, 1, 2, true, 21273, 2000,
     500, 735, 1, true, false, NULL},
    {"sweep 512, ofl 500", MYF_MARIADB, 512, 700, 50, 1, 500, 5, 2, false, 3525, 512, 382, 50, 1,
     true, false, NULL},
    {"sweep 1500, pool", MYF_MARIADB, 1500, 2815, 3630, 2, 0, 100, 7, true, 17465, 1500, 670, 200,
     2, true, false, NULL},
    {"sweep 300, 10 connections", MYF_MARIADB, 300, 10, 400, 16, 500, 5, 64, false, 12909, 300, 10,
     200, 1, true, false, NULL},
    {"sweep 1500, 58 instances", MYF_MARIADB, 1500, 300, 10, 64, 0, 100, 2, false, 2000, 1500, 300,
     10, 58, false, false, ""},
    {"sweep 2000, pool, 3000 connections", MYF_MARIADB, 2000, 3000, 10, 1, 0, 100, 64, true, 15500,
     2000, 1950, 10, 1, true, false, NULL},
    {"sweep 512, 10 connections", MYF_MARIADB, 512, 10, 300, 1, 0, 100, 2, false, 742, 512, 10, 236,
     1, true, false, NULL},
    {"sweep 512, ofl 10000", MYF_MARIADB, 512, 3000, 50, 2, 10000, 100, 7, false, 15500, 512, 282,
     50, 2, true, false, NULL},
    {"sweep 300, 64 instances", MYF_MARIADB, 300, 900, 2000, 64, 0, 100, 2, false, 257032, 300, 900,
     2000, 64, false, true, ""},
    {"sweep 8192, 19 instances", MYF_MARIADB, 8192, 500, 200, 64, 0, 1, 7, false, 26138, 8192, 500,
     200, 19, false, false, ""},
    {"sweep 300, ofl 10000", MYF_MARIADB, 300, 700, 100, 8, 10000, 1, 2, false, 10000, 300, 700,
     100, 8, false, true, ""},
    {"sweep 4096:20000 raised to 6731", MYF_MARIADB, 6731, 300, 200, 16, 0, 1, 2, true, 6731, 6731,
     300, 200, 16, false, false, ""},
    {"sweep 8192 over 4525", MYF_MARIADB, 8192, 900, 300, 2, 500, 5, 64, false, 4525, 4525, 900,
     300, 2, false, false, ""},
    {"unlimited", MYF_MARIADB, UNL, 151, 2000, 8, 0, 1, 2, false, 32184, 32184, 151, 2000, 8, false,
     false, ""},

    /* MySQL 5.7/8.0: the log lines of the MySQL 5.6 blog example ("Changed limits:
     * max_open_files: 1024 (requested 5010)", "max_connections: 214 (requested
     * 1000)", "table_open_cache: 400 (requested 2000)") and the formula of
     * adjust_table_cache_size(). */
    {"mysql 1024/1000/2000", MYF_MYSQL, 1024, 1000, 2000, 16, 0, 0, 0, false, 5010, 1024, 214, 400,
     0, true, false,
     "Changed limits: max_open_files: 1024 (requested 5010); Changed limits: "
     "max_connections: 214 (requested 1000); Changed limits: table_open_cache: 400 "
     "(requested 2000)"},
    {"mysql 1024/151/2000", MYF_MYSQL, 1024, 151, 2000, 16, 0, 0, 0, false, 5000, 1024, 151, 431, 0,
     true, false,
     "Changed limits: max_open_files: 1024 (requested 5000); Changed limits: "
     "table_open_cache: 431 (requested 2000)"},
    {"mysql 1024/200/2000", MYF_MYSQL, 1024, 200, 2000, 16, 0, 0, 0, false, 5000, 1024, 200, 407, 0,
     true, false, NULL},
    {"mysql defaults", MYF_MYSQL, 1024, 151, 4000, 16, 0, 0, 0, false, 8161, 1024, 151, 431, 0,
     true, false, NULL},
    {"mysql enough", MYF_MYSQL, 65536, 151, 4000, 16, 0, 0, 0, false, 8161, 8161, 151, 4000, 0,
     false, false, ""},
    {"mysql unlimited", MYF_MYSQL, UNL, 1000, 2000, 16, 0, 0, 0, false, 5010, 5010, 1000, 2000, 0,
     false, false, ""},
    /* open_files_limit set: "Could not increase" instead of the first line */
    {"mysql ofl 30000", MYF_MYSQL, 1024, 1000, 1000, 16, 30000, 0, 0, false, 30000, 1024, 214, 400,
     0, true, false,
     "Changed limits: max_connections: 214 (requested 1000); Changed limits: "
     "table_open_cache: 400 (requested 1000)"},
    /* under 810 files "files - 10 - 800" wraps: nothing is lowered */
    {"mysql 512", MYF_MYSQL, 512, 1000, 2000, 16, 0, 0, 0, false, 5010, 512, 1000, 2000, 0, false,
     true, "Changed limits: max_open_files: 512 (requested 5010)"},
};

static void test_open_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(files_cases); i++) {
		const struct files_case *t = &files_cases[i];
		struct my_files o;
		memset(&o, 0xa5, sizeof(o));
		my_open_files(t->fl, t->mc, t->toc, t->inst, t->ofl, t->emc, t->tps, t->pool,
		              t->soft, &o);
		if (o.request != t->request || o.files != t->files || o.max_connections != t->mc2 ||
		    o.table_open_cache != t->toc2 || o.table_open_cache_instances != t->inst2 ||
		    o.changed != t->changed || o.underflow != t->underflow ||
		    o.could_not_increase != (t->files < t->request) ||
		    (t->log_changed && strcmp(o.log_changed, t->log_changed)))
			fail_msg(
			    "%s: request %lld files %lld mc %lld toc %lld inst %lld changed %d "
			    "underflow %d log '%s'\n%s",
			    t->what, (long long)o.request, (long long)o.files,
			    (long long)o.max_connections, (long long)o.table_open_cache,
			    (long long)o.table_open_cache_instances, o.changed, o.underflow,
			    o.log_changed, o.formula);
		if (strlen(o.formula) >= sizeof(o.formula) - 1 || !o.formula[0])
			fail_msg("%s: formula '%s'", t->what, o.formula);
	}
}

static void test_open_files_text(void **state)
{
	(void)state;
	struct my_files o;
	my_open_files(MYF_MARIADB, 151, 2000, 8, 0, 1, 2, false, 1024, &o);
	assert_string_equal(o.log_increase,
	                    "Could not increase number of max_open_files to more than 1024 "
	                    "(request: 32184)");
	assert_string_equal(o.formula,
	                    "request = max(30 + 151 + 1 + 2000 x 2 x 8 + 2, (151 + 1) x 5, 0) = "
	                    "32184; files = min(32184, RLIMIT_NOFILE 1024) = 1024; instances = "
	                    "min(max((1024 - 30 - 151) / 2 / 2000, 1), 8) = 1; max_connections = "
	                    "max(min(1024 - 30 - 200 x 2 x 1, 151), 10) = 151; table_open_cache = "
	                    "min(max((1024 - 30 - 151) / 2 / 1, 200), 2000) = 421");
	my_open_files(MYF_MARIADB, 151, 2000, 8, 0, 1, 2, true, UNL, &o);
	assert_string_equal(o.formula, "request = max(30 + 151 + 1 + 2000 x 2 x 8, (151 + 1) x 5, "
	                               "0) = 32182; files = min(32182, RLIMIT_NOFILE unlimited) = "
	                               "32182");
	assert_string_equal(o.log_increase, "");
	my_open_files(MYF_MYSQL, 1000, 1000, 16, 30000, 0, 0, false, 1024, &o);
	assert_string_equal(o.log_increase,
	                    "Could not increase number of max_open_files to more than 1024 "
	                    "(request: 30000)");
}

/* mariadbd 10.11.19 started by root with --user=mysql: 1024/20000 asking 4505
 * went to 4505 (hard 20000 kept); 1024/1024 asking 4505 stayed at 1024. */
static void test_nofile_after_start(void **state)
{
	(void)state;
	assert_int_equal(my_nofile_after_start(1024, 20000, 4505), 4505);
	assert_int_equal(my_nofile_after_start(1024, 1024, 4505), 1024);
	assert_int_equal(my_nofile_after_start(1024, 20000, 32184), 1024);
	assert_int_equal(my_nofile_after_start(20000, 20000, 4505), 20000);
	assert_true(my_nofile_after_start(UNL, UNL, 4505) == UNL);
	assert_int_equal(my_nofile_after_start(1024, UNL, 32184), 32184);
}

/* mariadbd 10.11.19: @@back_log 80 (151 connections), 250 (1000), 208 (794 after
 * clamping 900), 168 (594), 900 (5000). */
static void test_back_log(void **state)
{
	(void)state;
	assert_int_equal(my_back_log_auto(MYF_MARIADB, 151), 80);
	assert_int_equal(my_back_log_auto(MYF_MARIADB, 1000), 250);
	assert_int_equal(my_back_log_auto(MYF_MARIADB, 794), 208);
	assert_int_equal(my_back_log_auto(MYF_MARIADB, 594), 168);
	assert_int_equal(my_back_log_auto(MYF_MARIADB, 5000), 900);
	assert_int_equal(my_back_log_auto(MYF_MYSQL, 151), 151);
	assert_int_equal(my_back_log_auto(MYF_MYSQL, 100000), 65535);
}

/* ---- settings ---- */

static void test_groups(void **state)
{
	(void)state;
	struct my_instance in = {.fl = MYF_MARIADB};
	struct my_groups g;
	my_groups_of(&in, &g);
	const char *const want0[] = {"mysqld",        "server", "mariadb", "mariadbd",
	                             "client-server", "galera", NULL};
	for (size_t i = 0; i < ARRAY_SIZE(want0); i++)
		if (want0[i] ? !g.v[i] || strcmp(g.v[i], want0[i]) : g.v[i] != NULL)
			fail_msg("group %zu: '%s'", i, g.v[i] ? g.v[i] : "(null)");
	str_copy(in.version, sizeof(in.version), "10.11.19-MariaDB");
	my_groups_of(&in, &g);
	const char *const want1[] = {"mysqld",        "server",   "mysqld-10.11",   "mariadb",
	                             "mariadb-10.11", "mariadbd", "mariadbd-10.11", "client-server",
	                             "galera",        NULL};
	for (size_t i = 0; i < ARRAY_SIZE(want1); i++)
		if (want1[i] ? !g.v[i] || strcmp(g.v[i], want1[i]) : g.v[i] != NULL)
			fail_msg("group %zu: '%s'", i, g.v[i] ? g.v[i] : "(null)");
	in.fl = MYF_MYSQL;
	str_copy(in.version, sizeof(in.version), "8.0.36");
	my_groups_of(&in, &g);
	assert_string_equal(g.v[0], "mysqld");
	assert_string_equal(g.v[1], "server");
	assert_string_equal(g.v[2], "mysqld-8.0");
	assert_null(g.v[3]);
}

/* Resolves a configuration text (as one file) for a flavor. */
static void resolve_text(struct my_instance *in, enum my_flavor fl, const char *version,
                         const char *text, unsigned ncpus)
{
	memset(in, 0, sizeof(*in));
	in->fl = fl;
	str_copy(in->version, sizeof(in->version), version);
	struct perr e = {0};
	assert_int_equal(mycnf_parse(text, strlen(text), "/etc/my.cnf", &in->conf, NULL, &e), 0);
	my_resolve(in, ncpus);
}

static void test_defaults(void **state)
{
	(void)state;
	struct my_instance in;
	resolve_text(&in, MYF_MARIADB, "", "", 2);
	assert_int_equal(in.max_connections.v, 151);
	assert_int_equal(in.table_open_cache.v, 2000);
	assert_int_equal(in.table_open_cache_instances.v, 8);
	assert_int_equal(in.open_files_limit.v, 0);
	assert_int_equal(in.extra_max_connections.v, 1);
	assert_int_equal(in.thread_pool_size.v, 2);
	assert_string_equal(in.thread_pool_size.origin, "default (the number of CPUs)");
	assert_int_equal(in.innodb_buffer_pool_size.v, 134217728);
	assert_int_equal(in.large_pages.v, 0);
	assert_int_equal(in.back_log.v, 80);
	assert_string_equal(in.back_log.origin, "default (autosized from max_connections 151)");
	assert_string_equal(in.thread_handling, "one-thread-per-connection");
	assert_false(in.pool_of_threads);
	assert_string_equal(in.max_connections.origin, "default");
	assert_false(in.safe_open_files_set);
	mycnf_release(&in.conf);

	resolve_text(&in, MYF_MYSQL, "", "", 2);
	assert_int_equal(in.max_connections.v, 151);
	assert_int_equal(in.table_open_cache.v, 4000);
	assert_int_equal(in.table_open_cache_instances.v, 16);
	assert_int_equal(in.extra_max_connections.v, 0);
	assert_int_equal(in.thread_pool_size.v, 0);
	assert_string_equal(in.thread_pool_size.origin, "not a MySQL setting");
	assert_int_equal(in.back_log.v, 151);
	mycnf_release(&in.conf);
}

static void test_resolve(void **state)
{
	(void)state;
	struct my_instance in;
	resolve_text(&in, MYF_MARIADB, "10.11.19-MariaDB",
	             "[mysqld]\n"
	             "max_connections = 5\n"           /* line 2: below the minimum */
	             "table-open-cache = 2M\n"         /* line 3: above the maximum */
	             "table_open_cache_instances=65\n" /* line 4 */
	             "innodb_buffer_pool_size = 8G\n"  /* line 5 */
	             "large-pages = yes\n"             /* line 6: not a boolean for 10.11 */
	             "thread_handling = Pool-Of-Threads\n"
	             "back_log = 0\n" /* line 8: autosized */
	             "[mariadb-10.11]\n"
	             "extra_max_connections = 3\n" /* line 10 */
	             "[mariadb-10.6]\n"
	             "open_files_limit = 1\n" /* another version: not read */
	             "[client]\n"
	             "thread_pool_size = 1\n" /* a client group: not read */
	             "[mysqld_safe]\n"
	             "open-files-limit = 65535\n" /* line 16 */
	             "core-file-size = unlimited\n"
	             "[safe_mysqld]\n"
	             "malloc-lib = jemalloc\n",
	             4);
	assert_int_equal(in.max_connections.v, 10);
	assert_string_equal(in.max_connections.origin, "'/etc/my.cnf' line 2 (5, adjusted to 10)");
	assert_int_equal(in.table_open_cache.v, 1048576);
	assert_int_equal(in.table_open_cache_instances.v, 64);
	assert_int_equal(in.innodb_buffer_pool_size.v, 8589934592);
	assert_int_equal(in.large_pages.v, 0);
	assert_string_equal(in.large_pages.origin,
	                    "'/etc/my.cnf' line 6 ('yes' is not a boolean: the server sets OFF)");
	assert_string_equal(in.thread_handling, "pool-of-threads");
	assert_true(in.pool_of_threads);
	assert_int_equal(in.back_log.v, 52);
	assert_string_equal(in.back_log.origin,
	                    "'/etc/my.cnf' line 8 (autosized from max_connections 10)");
	assert_int_equal(in.extra_max_connections.v, 3);
	assert_string_equal(in.extra_max_connections.origin, "'/etc/my.cnf' line 10");
	assert_int_equal(in.open_files_limit.v, 0);
	assert_int_equal(in.thread_pool_size.v, 4);
	assert_true(in.safe_open_files_set);
	assert_int_equal(in.safe_open_files.v, 65535);
	assert_string_equal(in.safe_open_files.origin, "'/etc/my.cnf' line 16");
	assert_true(in.safe_core_set);
	assert_true(in.safe_malloc_lib_set);
	mycnf_release(&in.conf);

	/* Invalid numbers keep the default and say so; MySQL values are not clamped. */
	resolve_text(&in, MYF_MYSQL, "8.0.36",
	             "[mysqld]\nmax_connections=12x\ntable_open_cache=5\nback_log=-1\n"
	             "thread_handling=pool-of-threads\n[mysqld-8.0]\nlarge_pages=ON\n"
	             "extra_max_connections=9\n",
	             4);
	assert_int_equal(in.max_connections.v, 151);
	assert_string_equal(in.max_connections.origin,
	                    "default (the value '12x' of '/etc/my.cnf' line 2 is invalid)");
	assert_int_equal(in.table_open_cache.v, 5);
	assert_int_equal(in.back_log.v, 151);
	assert_string_equal(in.thread_handling, "one-thread-per-connection");
	assert_false(in.pool_of_threads);
	assert_int_equal(in.large_pages.v, 1);
	assert_int_equal(in.extra_max_connections.v, 0);
	mycnf_release(&in.conf);

	/* A bare name is "on" for a boolean and invalid for a number; back_log set. */
	resolve_text(&in, MYF_MARIADB, "",
	             "[server]\nlarge-pages\nmax_connections\nback_log=6000\n", 0);
	assert_int_equal(in.large_pages.v, 1);
	assert_int_equal(in.max_connections.v, 151);
	assert_int_equal(in.back_log.v, 6000);
	assert_int_equal(in.thread_pool_size.v, 0);
	assert_string_equal(in.thread_pool_size.origin, "default (the number of CPUs, unknown)");
	mycnf_release(&in.conf);
}

/* my_apply_sets() on copies of string literals (it takes char *const *). */
static int apply(struct my_instance *in, const char *const *items, size_t n, char *err, size_t en)
{
	char **v = xcalloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(items[i]);
	int rc = my_apply_sets(in, v, n, err, en);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return rc;
}

static void test_apply_sets(void **state)
{
	(void)state;
	struct my_instance in;
	char err[200];
	resolve_text(&in, MYF_MARIADB, "", "[mysqld]\nmax_connections=300\n", 2);
	const char *const ok[] = {"max-connections=500", "table_open_cache=1K",
	                          "thread_handling=pool-of-threads", "large_pages=ON"};
	assert_int_equal(apply(&in, ok, ARRAY_SIZE(ok), err, sizeof(err)), 0);
	assert_true(in.overridden);
	assert_int_equal(in.max_connections.v, 500);
	assert_string_equal(in.max_connections.origin, "--set");
	assert_int_equal(in.table_open_cache.v, 1024);
	assert_true(in.pool_of_threads);
	assert_int_equal(in.large_pages.v, 1);
	assert_int_equal(in.thread_pool_size.v, 2);

	static const struct {
		const char *item;
		const char *err;
	} bad[] = {
	    {"max_connections", "--set 'max_connections': expected name=value"},
	    {"=5", "--set '=5': expected name=value"},
	    {"max_user_connections=5",
	     "--set max_user_connections: not a MariaDB setting kres uses"},
	    {"max_connections=lots",
	     "--set max_connections='lots': not a valid value for max_connections"},
	    {"large_pages=yes", "--set large_pages='yes': not a valid value for large_pages"},
	    {"thread_handling=many",
	     "--set thread_handling='many': not a valid value for thread_handling"},
	    {"back_log=-1", "--set back_log='-1': not a valid value for back_log"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		if (apply(&in, &bad[i].item, 1, err, sizeof(err)) != -EINVAL ||
		    strcmp(err, bad[i].err))
			fail_msg("'%s': '%s'", bad[i].item, err);
	}
	assert_int_equal(in.max_connections.v, 500);
	mycnf_release(&in.conf);

	resolve_text(&in, MYF_MYSQL, "", "", 2);
	const char *const mysql_bad[] = {"thread_pool_size=4"};
	assert_int_equal(apply(&in, mysql_bad, 1, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--set thread_pool_size: not a MySQL setting");
	const char *const mysql_ok[] = {"back_log=-1", "thread_handling=loaded-dynamically"};
	assert_int_equal(apply(&in, mysql_ok, 2, err, sizeof(err)), 0);
	assert_int_equal(in.back_log.v, 151);
	mycnf_release(&in.conf);
}

static void test_subject(void **state)
{
	(void)state;
	struct my_instance in = {.fl = MYF_MARIADB};
	char s[128];
	str_copy(in.version, sizeof(in.version), "10.11.19-MariaDB");
	str_copy(in.datadir, sizeof(in.datadir), "/var/lib/mysql");
	in.live.pid = 1234;
	my_subject(&in, s, sizeof(s));
	assert_string_equal(s, "MariaDB 10.11.19 (pid 1234, /var/lib/mysql)");
	in.fl = MYF_MYSQL;
	in.live.pid = 0;
	in.version[0] = '\0';
	str_copy(in.conffile, sizeof(in.conffile), "/etc/mysql/my.cnf");
	my_subject(&in, s, sizeof(s));
	assert_string_equal(s, "MySQL (/etc/mysql/my.cnf)");
	assert_string_equal(my_flavor_name(MYF_MARIADB), "MariaDB");
	assert_string_equal(my_flavor_name(MYF_MYSQL), "MySQL");
}

/* ---- discovery over a fixture /proc ---- */

static const char limits_fmt[] =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max file size             unlimited            unlimited            bytes     \n"
    "Max data size             unlimited            unlimited            bytes     \n"
    "Max stack size            8388608              unlimited            bytes     \n"
    "Max core file size        0                    unlimited            bytes     \n"
    "Max resident set          unlimited            unlimited            bytes     \n"
    "Max processes             96365                96365                processes \n"
    "Max open files            %-20s %-20s files     \n"
    "Max locked memory         8388608              8388608              bytes     \n"
    "Max address space         unlimited            unlimited            bytes     \n"
    "Max file locks            unlimited            unlimited            locks     \n"
    "Max pending signals       96365                96365                signals   \n"
    "Max msgqueue size         819200               819200               bytes     \n"
    "Max nice priority         0                    0                    \n"
    "Max realtime priority     0                    0                    \n"
    "Max realtime timeout      unlimited            unlimited            us        \n";

/* A process under /proc/<pid>: comm, status (uid 102), limits, cmdline (args
 * separated by '|'), cgroup, cwd and exe. */
static void put_proc(struct tree *t, int pid, const char *comm, const char *exe, const char *cwd,
                     const char *args, const char *nofile, const char *unit)
{
	char path[64], text[2048];
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	snprintf(text, sizeof(text), "%s\n", comm);
	tree_put(t, path, text);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	snprintf(text, sizeof(text),
	         "Name:\t%s\nUmask:\t0007\nState:\tS (sleeping)\nTgid:\t%d\nPid:\t%d\nPPid:\t1\n"
	         "Uid:\t102\t102\t102\t102\nGid:\t105\t105\t105\t105\nThreads:\t9\n",
	         comm, pid, pid);
	tree_put(t, path, text);
	snprintf(path, sizeof(path), "/proc/%d/limits", pid);
	snprintf(text, sizeof(text), limits_fmt, nofile, nofile);
	tree_put(t, path, text);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	size_t n = 0;
	for (const char *p = args; *p && n + 1 < sizeof(text); p++)
		text[n++] = *p == '|' ? '\0' : *p;
	if (args[0])
		text[n++] = '\0';
	tree_put_n(t, path, text, n);
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	snprintf(text, sizeof(text), "0::/system.slice/%s\n", unit);
	tree_put(t, path, text);
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	tree_put(t, path, "0\n");
	snprintf(path, sizeof(path), "/proc/%d/cwd", pid);
	tree_symlink(t, path, cwd);
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	tree_symlink(t, path, exe);
}

static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
                             "mysql:x:102:105:MySQL Server,,,:/nonexistent:/bin/false\n";

static void host_init(struct host *h, const struct tree *t)
{
	memset(h, 0, sizeof(*h));
	h->root = &t->r;
	h->ncpus = 4;
	h->passwd = xstrdup(passwd);
	h->passwd_len = strlen(passwd);
	h->passwd_src.state = SRC_OK;
}

static const struct my_instance *find_pid(const struct my_instance *v, size_t n, int64_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].live.pid == pid)
			return &v[i];
	fail_msg("pid %lld not found", (long long)pid);
	return NULL;
}

static void test_discover(void **state)
{
	struct tree *t = *state;
	/* Debian's layout: my.cnf including two directories. */
	tree_put(t, "/etc/mysql/my.cnf",
	         "[client-server]\nsocket = /run/mysqld/mysqld.sock\n"
	         "!includedir /etc/mysql/conf.d/\n!includedir /etc/mysql/mariadb.conf.d/\n");
	tree_put(t, "/etc/mysql/conf.d/mysql.cnf", "[mysql]\n[mysqld]\nback_log = 300\n");
	tree_put(t, "/etc/mysql/mariadb.conf.d/50-server.cnf",
	         "[mysqld]\n"
	         "max_connections = 200\n"
	         "table_open_cache = 1000\n"
	         "thread_handling = pool-of-threads\n"
	         "[mariadb-10.11]\n"
	         "large-pages\n"
	         "[mariadb-10.6]\n"
	         "innodb_buffer_pool_size = 1G\n"
	         "[client]\n"
	         "max_connections = 1\n");
	tree_put(t, "/etc/mysql/mariadb.conf.d/50-mysqld_safe.cnf",
	         "[mysqld_safe]\nopen-files-limit = 65535\ncore-file-size = unlimited\n");
	tree_put(t, "/var/lib/mysql/mysql_upgrade_info", "10.11.19-MariaDB");
	tree_put(t, "/lib/systemd/system/mariadb.service",
	         "[Service]\nUser=mysql\nLimitNOFILE=32768\n");
	/* MariaDB under systemd, with settings on its command line. */
	put_proc(t, 4242, "mariadbd", "/usr/sbin/mariadbd", "/var/lib/mysql",
	         "/usr/sbin/mariadbd|--max-connections=500|--loose-table_open_cache|300", "32768",
	         "mariadb.service");

	/* Oracle MySQL with its own option file and no upgrade file. */
	tree_put(t, "/etc/mysql/other.cnf",
	         "[mysqld]\ntable_open_cache = 64\nmax_connections = 70\ndatadir = /srv/mysql\n"
	         "[mariadb]\nmax_connections = 9999\n");
	tree_mkdir(t, "/srv/mysql");
	put_proc(t, 5000, "mysqld", "/usr/sbin/mysqld", "/srv/mysql",
	         "/usr/sbin/mysqld|--defaults-file=/etc/mysql/other.cnf|--max_connections|50",
	         "1024", "mysql.service");

	/* Debian's /usr/sbin/mysqld is a link to mariadbd; --no-defaults; the data
	 * directory says MariaDB 11 in its newer file name. */
	tree_put(t, "/var/lib/mysql2/mariadb_upgrade_info", "11.4.2-MariaDB\n");
	put_proc(t, 6000, "mysqld", "/usr/sbin/mariadbd", "/var/lib/mysql2",
	         "/usr/sbin/mysqld|--no-defaults|-h|/var/lib/mysql2|-umysql", "unlimited",
	         "kres-test.service");

	/* An old MariaDB named mysqld, told apart by its upgrade file. */
	tree_put(t, "/var/lib/mysql3/mysql_upgrade_info", "10.3.39-MariaDB");
	put_proc(t, 6500, "mysqld", "/usr/sbin/mysqld", "/var/lib/mysql3",
	         "/usr/sbin/mysqld|--defaults-file=/etc/mysql/missing.cnf", "1024", "x.service");

	/* Not servers: mysqld_safe, and a mysqld that is exiting (empty cmdline). */
	put_proc(t, 7000, "mysqld_safe", "/usr/bin/dash", "/", "/bin/sh|/usr/bin/mysqld_safe",
	         "1024", "y.service");
	put_proc(t, 7100, "mysqld", "/usr/sbin/mysqld", "/", "", "1024", "z.service");

	struct host h;
	host_init(&h, t);
	struct my_instance *v;
	size_t n = my_discover(&t->r, &h, &v);
	assert_int_equal(n, 4);

	const struct my_instance *in = find_pid(v, n, 4242);
	assert_int_equal(in->fl, MYF_MARIADB);
	assert_string_equal(in->version, "10.11.19-MariaDB");
	char want[300];
	snprintf(want, sizeof(want), "'%s'", tree_path(t, "/var/lib/mysql/mysql_upgrade_info"));
	assert_string_equal(in->version_origin, want);
	assert_string_equal(in->datadir, "/var/lib/mysql");
	assert_string_equal(in->conffile, "/etc/mysql/my.cnf");
	assert_true(in->conf_ok);
	assert_int_equal(in->max_connections.v, 500);
	assert_string_equal(in->max_connections.origin, "command line");
	assert_int_equal(in->table_open_cache.v, 300);
	assert_int_equal(in->large_pages.v, 1);
	assert_int_equal(in->innodb_buffer_pool_size.v, 134217728);
	assert_int_equal(in->back_log.v, 300);
	assert_int_equal(in->thread_pool_size.v, 4);
	assert_true(in->pool_of_threads);
	assert_true(in->safe_open_files_set);
	assert_int_equal(in->safe_open_files.v, 65535);
	assert_true(in->safe_core_set);
	assert_false(in->safe_malloc_lib_set);
	assert_string_equal(in->unit, "mariadb.service");
	assert_true(in->have_unit);
	assert_string_equal(in->unit_info.s[UK_LIMIT_NOFILE].value, "32768");
	assert_string_equal(in->user, "mysql");
	assert_true(in->live.have_limits);
	assert_int_equal(in->live.lim.l[PL_NOFILE].soft, 32768);
	char s[128];
	my_subject(in, s, sizeof(s));
	assert_string_equal(s, "MariaDB 10.11.19 (pid 4242, /var/lib/mysql)");
	struct my_files f;
	my_instance_files(in, in->live.lim.l[PL_NOFILE].soft, &f);
	/* pool-of-threads: no thread_pool_size term */
	assert_int_equal(f.request, 30 + 500 + 1 + 300 * 2 * 8);
	assert_false(f.could_not_increase);

	in = find_pid(v, n, 5000);
	assert_int_equal(in->fl, MYF_MYSQL);
	assert_string_equal(in->version, "");
	assert_string_equal(in->conffile, "/etc/mysql/other.cnf");
	assert_string_equal(in->datadir, "/srv/mysql");
	assert_int_equal(in->max_connections.v, 50);
	assert_int_equal(in->table_open_cache.v, 64);
	assert_int_equal(in->table_open_cache_instances.v, 16);
	assert_int_equal(in->back_log.v, 50);
	assert_false(in->safe_open_files_set);
	assert_string_equal(in->unit, "mysql.service");
	assert_false(in->have_unit);
	my_subject(in, s, sizeof(s));
	assert_string_equal(s, "MySQL (pid 5000, /srv/mysql)");

	in = find_pid(v, n, 6000);
	assert_int_equal(in->fl, MYF_MARIADB);
	assert_string_equal(in->version, "11.4.2-MariaDB");
	assert_string_equal(in->conffile, "");
	assert_true(in->conf_ok);
	assert_int_equal(in->conf.files.n, 0);
	assert_int_equal(in->max_connections.v, 151);
	assert_true(in->live.lim.l[PL_NOFILE].soft == UNL);
	const char *const g[] = {NULL};
	assert_string_equal(mycnf_get(&in->conf, g, "datadir")->value, "/var/lib/mysql2");
	assert_string_equal(mycnf_get(&in->conf, g, "user")->value, "mysql");

	in = find_pid(v, n, 6500);
	assert_int_equal(in->fl, MYF_MARIADB);
	assert_false(in->conf_ok);
	snprintf(want, sizeof(want), "cannot read '%s': No such file or directory",
	         tree_path(t, "/etc/mysql/missing.cnf"));
	assert_string_equal(in->conf_err, want);

	my_instances_free(v, n);
	free(h.passwd);
}

/* A server that is not running, from its option file or the default ones. */
static void test_from_conf(void **state)
{
	struct tree *t = *state;
	tree_put(t, "/etc/my.cnf", "[mysqld]\nmax_connections = 400\n");
	tree_put(
	    t, "/etc/mysql/my.cnf",
	    "[mysqld]\ndatadir = /data/db/\nuser = dbuser\n[mysqld-10.11]\ntable_open_cache=99\n");
	tree_put(t, "/data/db/mysql_upgrade_info", "10.11.6-MariaDB");
	tree_put(t, "/lib/systemd/system/mariadb.service", "[Service]\nUser=mysql\n");
	struct host h;
	host_init(&h, t);
	struct my_instance in;
	my_from_conf(&t->r, &h, MYF_MARIADB, NULL, &in);
	assert_true(in.conf_ok);
	assert_string_equal(in.conffile, "/etc/my.cnf");
	assert_int_equal(in.conf.files.n, 2);
	assert_string_equal(in.datadir, "/data/db");
	assert_string_equal(in.version, "10.11.6-MariaDB");
	assert_int_equal(in.max_connections.v, 400);
	assert_int_equal(in.table_open_cache.v, 99);
	assert_string_equal(in.user, "dbuser");
	assert_string_equal(in.unit, "mariadb.service");
	assert_true(in.have_unit);
	char s[128];
	my_subject(&in, s, sizeof(s));
	assert_string_equal(s, "MariaDB 10.11.6 (/etc/my.cnf)");
	mycnf_release(&in.conf);
	unit_release(&in.unit_info);

	/* One given file only; a missing one is an error; the unit's user. */
	tree_put(t, "/etc/mysql/mysqld.cnf", "[mysqld]\nmax_connections = 77\n");
	my_from_conf(&t->r, &h, MYF_MYSQL, "/etc/mysql/mysqld.cnf", &in);
	assert_int_equal(in.conf.files.n, 1);
	assert_int_equal(in.max_connections.v, 77);
	assert_string_equal(in.datadir, "/var/lib/mysql");
	assert_string_equal(in.unit, "");
	assert_string_equal(in.user, "");
	mycnf_release(&in.conf);
	unit_release(&in.unit_info);
	my_from_conf(&t->r, &h, MYF_MARIADB, "/etc/none.cnf", &in);
	assert_false(in.conf_ok);
	assert_string_equal(in.user, "mysql");
	mycnf_release(&in.conf);
	unit_release(&in.unit_info);
	free(h.passwd);
}

int main(void)
{
	struct tree t1, t2;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_files),
	    cmocka_unit_test(test_open_files_text),
	    cmocka_unit_test(test_nofile_after_start),
	    cmocka_unit_test(test_back_log),
	    cmocka_unit_test(test_groups),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_resolve),
	    cmocka_unit_test(test_apply_sets),
	    cmocka_unit_test(test_subject),
	    cmocka_unit_test_prestate_setup_teardown(test_discover, tree_setup, tree_teardown, &t1),
	    cmocka_unit_test_prestate_setup_teardown(test_from_conf, tree_setup, tree_teardown,
	                                             &t2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
