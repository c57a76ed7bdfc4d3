/* SPDX-License-Identifier: MIT */
/* The Redis workload: running servers found under /proc (whose process title hides
 * the configuration file), their redis.conf resolved with Redis 7.0's defaults,
 * and what Redis does with the kernel at start-up — the exact maxclients reduction
 * of adjustOpenFilesLimit() and the warnings it logs about overcommit, THP and the
 * listen backlog. */
#ifndef KRES_REDIS_H
#define KRES_REDIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/host.h"
#include "host/unit.h"
#include "workload/redisconf.h"
#include "workload/svc.h"

/* CONFIG_MIN_RESERVED_FDS (src/server.h): descriptors Redis keeps for itself on top
 * of maxclients (listening sockets, persistence, logs). */
#define RD_RESERVED_FDS 32

/* What redis-server 7.0.15 logs, copied from its log on Debian 12 (the "can can"
 * is Redis's). Overcommit and THP come from src/syscheck.c, prefixed "WARNING " by
 * linuxMemoryWarnings(); the backlog one from checkTcpBacklogSettings() in
 * src/server.c takes the tcp-backlog and somaxconn values (printf %d, %d). */
#define RD_WARN_OVERCOMMIT                                                                         \
	"WARNING Memory overcommit must be enabled! Without it, a background save or "             \
	"replication may fail under low memory condition. Being disabled, it can can also "        \
	"cause failures without low memory condition, see "                                        \
	"https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add "                 \
	"'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command "       \
	"'sysctl vm.overcommit_memory=1' for this to take effect."
#define RD_WARN_THP                                                                                \
	"WARNING You have Transparent Huge Pages (THP) support enabled in your kernel. This "      \
	"will create latency and memory usage issues with Redis. To fix this issue run the "       \
	"command 'echo madvise > /sys/kernel/mm/transparent_hugepage/enabled' as root, and "       \
	"add it to your /etc/rc.local in order to retain the setting after a reboot. Redis "       \
	"must be restarted after THP is disabled (set to 'madvise' or 'never')."
#define RD_WARN_BACKLOG_FMT                                                                        \
	"WARNING: The TCP backlog setting of %d cannot be enforced because "                       \
	"/proc/sys/net/core/somaxconn is set to the lower value of %d."

/* An integer setting and where its value came from. */
struct rd_val {
	int64_t v;
	char origin[288]; /* "'/etc/redis/redis.conf' line 138", "the command line", "default" */
};

struct rd_instance {
	char version[32];   /* "" when unknown: kres does not run the binary */
	char conffile[256]; /* "" when none was found */
	char conf_how[288]; /* how conffile was found, or why none was */
	bool conf_ok;       /* the configuration loaded and every setting kres reads is valid */
	int conf_rc;        /* rdconf_load(): 0, -ENOENT no file, -EINVAL broken, other -errno */
	char conf_err[320];
	struct rdconf conf;
	bool overridden; /* settings changed with --set: the live state no longer applies */

	struct svc_proc live; /* live.pid == 0: not running */
	char listen[80];      /* from the process title: "127.0.0.1:6379", "*:6379" */
	int64_t listen_port;  /* the title's port; -1 when it shows none */
	char unit[128];       /* systemd unit, "" when none */
	struct unit_info unit_info;
	bool have_unit;
	char user[64]; /* the OS user that runs (or would run) the server, "" unknown */
	bool have_uid;
	uint32_t uid;

	/* Settings, resolved with Redis 7.0's defaults (src/config.c). */
	struct rd_val port;        /* 6379 */
	struct rd_val maxclients;  /* 10000, as configured: see rd_open_files() for the effect */
	struct rd_val tcp_backlog; /* 511 */
	struct rd_val maxmemory;   /* bytes, 0 = no limit; saturates at INT64_MAX */
	bool disable_thp;          /* yes: Redis turns THP off for itself (prctl) */
	char disable_thp_origin[288];
	char oom_score_adj[16]; /* no, yes, relative, absolute */
	char oom_score_adj_origin[288];
	int64_t oom_values[3]; /* oom-score-adj-values: master, replica, background child */
	char oom_values_origin[288];
	bool forks; /* save points or appendonly: BGSAVE / AOF rewrites fork() */
	char forks_origin[288];
	char dir[256]; /* working directory ('dir'); "" when not set */
};

/* Finds running redis-server processes (comm "redis-server"; forked children of one
 * are skipped) and fills one instance each. The configuration file is the one the
 * command line names when the title still shows it, else the one the unit's
 * ExecStart names, else /etc/redis/redis.conf or /etc/redis.conf when that file's
 * port equals the title's; options after it (--port 6380) apply as Redis applies
 * them. Returns the count; *out is owned by the caller (rd_instances_free). Never
 * fails: problems are recorded per instance (conf_ok, conf_err, conf_how). */
size_t rd_discover(const struct rootfs *r, const struct host *h, struct rd_instance **out);

/* Builds one instance from a configuration file named on the command line. When a
 * running redis-server's title shows the port the file sets, that process's live
 * state, unit and user are attached, so that its real limits are judged. */
void rd_from_conf(const struct rootfs *r, const struct host *h, const char *conf,
                  struct rd_instance *in);

/* Applies name=value overrides (from --set), e.g. "maxclients=20000",
 * "tcp-backlog=1024", "disable-thp=no", "save=900 1", and re-resolves the settings;
 * sets overridden. Returns -EINVAL with a message naming the item in err when an
 * item has no '=', names a setting kres does not use, or has a value Redis would
 * refuse. */
int rd_apply_sets(struct rd_instance *in, char *const *sets, size_t nsets, char *err, size_t n);

void rd_instances_free(struct rd_instance *v, size_t n);

/* Resolves the settings of in from in->conf, in order, over Redis 7.0's defaults.
 * conf_ok becomes false at the first setting kres reads that Redis would refuse
 * (wrong number of arguments, a bad value), with conf_err naming it. */
void rd_resolve(struct rd_instance *in);

/* "Redis (pid 1234, 127.0.0.1:6379)", "Redis ('/etc/redis/redis.conf')"; the
 * version follows "Redis" when known. */
void rd_subject(const struct rd_instance *in, char *out, size_t n);

/* What adjustOpenFilesLimit() (src/server.c) does at start-up. */
struct rd_files {
	int64_t need;       /* maxclients + 32: what Redis asks for */
	int64_t limit;      /* the soft (and, when Redis set it, hard) limit it ends with */
	int64_t maxclients; /* maxclients in effect after the adjustment */
	bool reduced;       /* maxclients was lowered */
	bool fatal;         /* the limit leaves no client: Redis exits */
	char formula[256];
	char log[3][200]; /* the lines Redis logs, "" when fewer */
};

/* Predicts the adjustment for maxclients and the RLIMIT_NOFILE soft and hard limits
 * Redis starts with. When soft < maxclients + 32 it tries setrlimit(cur = max = f)
 * for f = maxclients + 32, then 16 fewer each time while f > soft; the first f
 * that succeeds is kept. setrlimit succeeds when f <= hard or can_raise_hard (for
 * a process with CAP_SYS_RESOURCE pass fs.nr_open as hard instead: the kernel
 * refuses more than that to anyone). If no f succeeds the limit stays soft. Below
 * maxclients + 32, maxclients becomes limit - 32 and a limit of 32 or less makes
 * Redis exit. For a running server pass soft = hard = its current soft limit: that
 * is already the outcome. As in Redis, maxclients + 32 is computed in 32 bits. */
void rd_open_files(int64_t maxclients, uint64_t soft, uint64_t hard, bool can_raise_hard,
                   struct rd_files *o);

/* linuxMemoryWarnings(): Redis warns about THP only when the enabled file reads
 * "[always]" and it could not turn THP off for itself, i.e. disable-thp is no
 * (prctl(PR_SET_THP_DISABLE) exists since Linux 3.5). thp_enabled is the file's
 * line ("always [madvise] never") or the selected word as struct host keeps it
 * ("madvise"). */
bool rd_thp_warns(const char *thp_enabled, bool disable_thp);
/* checkOvercommit(): any vm.overcommit_memory other than 1 draws RD_WARN_OVERCOMMIT. */
bool rd_overcommit_warns(int64_t overcommit_memory);
/* checkTcpBacklogSettings(): somaxconn > 0 and below tcp-backlog. */
bool rd_backlog_warns(int64_t tcp_backlog, int64_t somaxconn);

/* Reads a process title Redis set (proc-title-template, default "{title}
 * {listen-addr} {server-mode}"): returns true when argv is such a title (one
 * argument with blanks, any others empty) and then fills listen ("" when none) and
 * *port (-1 when none; a "unixsocket:PATH" title has none). conf gets a title word
 * ending in ".conf" (a template with {config-file}), else "". */
bool rd_title_parse(const char *const *argv, size_t argc, char *listen, size_t n, int64_t *port,
                    char *conf, size_t confn);

#endif
