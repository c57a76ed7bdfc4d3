/* SPDX-License-Identifier: MIT */
/* The MySQL and MariaDB model: running servers found under /proc, their option
 * files and command line, the settings kres audits with each flavor's defaults,
 * and the open-files arithmetic by which the server clamps max_connections and
 * table_open_cache to the RLIMIT_NOFILE it gets. */
#ifndef KRES_MYSQL_H
#define KRES_MYSQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/host.h"
#include "host/unit.h"
#include "util/rootfs.h"
#include "workload/mycnf.h"
#include "workload/svc.h"

enum my_flavor { MYF_MYSQL, MYF_MARIADB };

/* An integer setting and where its value came from. */
struct my_val {
	int64_t v;
	char origin[288]; /* "default", "'/etc/mysql/my.cnf' line 27", "command line", "--set",
	                   * with what the server did to the value in parentheses */
};

struct my_instance {
	enum my_flavor fl;
	char version[48]; /* as <datadir>/mysql_upgrade_info says ("10.11.19-MariaDB"),
	                   * "" when unknown */
	char version_origin[288];
	char conffile[256]; /* the first option file read (host path), "" when none */
	struct mycnf conf;  /* files, then the command line, then --set */
	bool conf_ok;
	char conf_err[320];
	char datadir[256];
	char user[64];  /* the OS user that runs (or would run) the server */
	char unit[128]; /* systemd unit, "" when none */
	struct unit_info unit_info;
	bool have_unit;
	bool overridden;      /* --set used: live state no longer describes these settings */
	struct svc_proc live; /* pid 0 when not running */
	unsigned ncpus;       /* what my_resolve() was given */

	/* Settings, resolved with the flavor's defaults (my_resolve()). */
	struct my_val max_connections, table_open_cache, table_open_cache_instances,
	    open_files_limit, extra_max_connections, thread_pool_size, innodb_buffer_pool_size,
	    large_pages, back_log;
	char thread_handling[48]; /* lower case */
	char thread_handling_origin[288];
	bool pool_of_threads; /* MariaDB with thread_handling = pool-of-threads */

	/* [mysqld_safe] settings: mysqld_safe applies them, systemd does not. */
	bool safe_open_files_set;
	struct my_val safe_open_files; /* open-files-limit / open_files_limit */
	bool safe_core_set;            /* core-file-size */
	bool safe_malloc_lib_set;      /* malloc-lib */
};

/* "MariaDB" / "MySQL" */
const char *my_flavor_name(enum my_flavor fl);

/* The option groups the server reads, in a caller's buffer: MariaDB mysqld,
 * server, mysqld-M.m, mariadb, mariadb-M.m, mariadbd, mariadbd-M.m, client-server,
 * galera (what mariadbd 10.11 --help lists); MySQL mysqld, server, mysqld-M.m.
 * The versioned ones need the version; --defaults-group-suffix adds each group
 * with the suffix. v is NULL-terminated and points into buf. */
struct my_groups {
	const char *v[24];
	char buf[23][80];
};
void my_groups_of(const struct my_instance *in, struct my_groups *g);

/* Finds running servers: processes whose comm is "mariadbd" or "mysqld" (not
 * "mysqld_safe"). For each: the live state (svc_proc_read()), the flavor (MariaDB
 * when comm or the executable's name is mariadbd, or when the data directory's
 * mysql_upgrade_info or mariadb_upgrade_info names MariaDB), the version from that
 * file, the option files its command line selects (--no-defaults,
 * --defaults-file, --defaults-extra-file, --defaults-group-suffix, which the
 * server honours only before other options) with the command line over them, the
 * data directory (the process's working directory, where the server changes to),
 * the user from the process's uid, and the unit from its cgroup. Settings are
 * resolved with h->ncpus. Returns the count; *out is owned by the caller
 * (my_instances_free()). Never fails: problems are recorded per instance. */
size_t my_discover(const struct rootfs *r, const struct host *h, struct my_instance **out);

/* Builds an instance that is not running from the option file conf (read as
 * --defaults-file reads it), or from the default files /etc/my.cnf and
 * /etc/mysql/my.cnf when conf is NULL. The data directory is the datadir option,
 * else /var/lib/mysql (the default of Debian's MariaDB build); the unit is
 * mariadb.service (MariaDB) or mysql.service / mysqld.service (MySQL) when one
 * exists; the user is the user option, else the unit's User=. in is overwritten. */
void my_from_conf(const struct rootfs *r, const struct host *h, enum my_flavor fl, const char *conf,
                  struct my_instance *in);

/* Applies "name=value" overrides (from --set) after the configuration and
 * resolves again with in->ncpus. Names are the settings of struct my_instance,
 * '-' and '_' alike. Returns -EINVAL with a message in err for an item without
 * '=', a name kres does not model, or a value the setting cannot take. */
int my_apply_sets(struct my_instance *in, char *const *sets, size_t nsets, char *err, size_t n);

/* Fills the settings from the configuration (files, command line, --set) and the
 * flavor's defaults: MariaDB 10.11 / MySQL 8.0 max_connections 151;
 * table_open_cache 2000 / 4000; table_open_cache_instances 8 / 16;
 * open_files_limit 0 (sized by the server); extra_max_connections 1 / not in
 * MySQL (0); thread_pool_size ncpus / not in MySQL (0); thread_handling
 * one-thread-per-connection; innodb_buffer_pool_size 134217728; large_pages off;
 * back_log autosized (see my_back_log_auto()), also when set to 0 in MariaDB or
 * -1 in MySQL, from the configured max_connections (a server that clamps
 * max_connections at start sizes back_log from the clamped value: pass
 * my_files.max_connections to my_back_log_auto() for that). MariaDB values outside the variable's
 * range are brought into it as mariadbd does (max_connections 10..100000,
 * table_open_cache 10..1048576, table_open_cache_instances 1..64, extra_max_connections and
 * thread_pool_size 1..100000, back_log ..65535, as information_schema.SYSTEM_VARIABLES of 10.11
 * gives them); MySQL values are taken as written. A value the server cannot
 * parse keeps the default and the origin says so. */
void my_resolve(struct my_instance *in, unsigned ncpus);
void my_instances_free(struct my_instance *v, size_t n);

/* "MariaDB 10.11.19 (pid 1234, /var/lib/mysql)", "MySQL (/etc/mysql/my.cnf)". */
void my_subject(const struct my_instance *in, char *out, size_t n);

/* back_log when autosized, from the max_connections in force: MariaDB 10.11
 * min(900, 50 + max_connections / 5) (measured: 80 for 151, 208 for 794, 900 for
 * 5000; mariadbd computes it after clamping max_connections); MySQL 8.0
 * max_connections, at most 65535 (WL#9704). */
int64_t my_back_log_auto(enum my_flavor fl, int64_t max_connections);

/* The open-files arithmetic of server start-up. */
struct my_files {
	int64_t wanted;  /* MariaDB: descriptors for connections and tables; MySQL: the
	                  * first term of request */
	int64_t request; /* what the server asks setrlimit() for */
	int64_t files;   /* what it works with: request, or less when it could not get it */
	/* after the server's adjustment; instances is 0 for MySQL, which has no such step */
	int64_t max_connections, table_open_cache, table_open_cache_instances;
	bool could_not_increase; /* files < request */
	bool changed;            /* max_connections or table_open_cache was lowered */
	bool underflow;          /* files < 30 (MySQL 10) + max_connections: nothing is clamped
	                          * although connections cannot all get a descriptor */
	char formula[512];
	char log_increase[192]; /* the server's "Could not increase ..." line, or "" */
	char log_changed[256];  /* its "Changed limits: ..." line(s), "; "-joined, or "" */
};

/* What the server does with RLIMIT_NOFILE at start-up (MariaDB 10.11
 * sql/mysqld.cc init_common_variables(); MySQL 5.7/8.0 adjust_open_files_limit(),
 * adjust_max_connections(), adjust_table_cache_size()), from settings as resolved
 * (within their ranges). nofile_soft is the soft limit the server has once it has
 * tried to raise it: for a live process the soft limit read now; for one not
 * running, my_nofile_after_start(). RLIM_UNLIMITED_U64 (host/proc.h) is unlimited.
 * MariaDB:
 *   wanted  = 30 + max_connections + extra_max_connections
 *             + table_open_cache x 2 x instances (+ thread_pool_size unless
 *             pool_of_threads: measured, 10.11.19 adds it only then)
 *   request = max(wanted, (max_connections + extra_max_connections) x 5,
 *                 open_files_limit)
 *   files   = request if the soft limit reaches it, else the soft limit
 *   then instances, max_connections and table_open_cache are lowered with the
 *   server's unsigned arithmetic, where a negative difference wraps to a huge
 *   number and so lowers nothing (see mysql.c).
 * MySQL: request = max(10 + max_connections + 2 x table_open_cache,
 *   5 x max_connections, open_files_limit or 5000); max_connections is lowered to
 *   files - 810 and table_open_cache to max((files - 10 - max_connections) / 2, 400)
 *   when those are smaller. */
void my_open_files(enum my_flavor fl, int64_t max_connections, int64_t table_open_cache,
                   int64_t instances, int64_t open_files_limit, int64_t extra_max_connections,
                   int64_t thread_pool_size, bool pool_of_threads, uint64_t nofile_soft,
                   struct my_files *o);
/* my_open_files() with the instance's settings. */
void my_instance_files(const struct my_instance *in, uint64_t nofile_soft, struct my_files *o);
/* The soft limit a server started with soft/hard limits ends up with when it asks
 * for request: it keeps a soft limit that reaches request; else it sets the soft
 * limit to request, which works up to the hard limit; beyond it setrlimit() fails
 * and the old soft limit stays. Measured with mariadbd 10.11.19 started by root
 * with --user=mysql: 1024/20000 asking 4505 got 4505 (hard still 20000), 1024/1024
 * asking 4505 kept 1024 (the hard limit is not raised). */
uint64_t my_nofile_after_start(uint64_t soft, uint64_t hard, int64_t request);

#endif
