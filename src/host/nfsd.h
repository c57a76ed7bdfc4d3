/* SPDX-License-Identifier: MIT */
/* The kernel NFS server: whether it runs and with how many threads (/proc/fs/nfsd,
 * present only while the nfsd filesystem is mounted), how its thread pools cope
 * (pool_stats), how many threads the configuration asks for (nfs.conf and the
 * distributions' shell files), and what is exported, live and configured, with the
 * "async" option that acknowledges writes before they are on disk. */
#ifndef KRES_NFSD_H
#define KRES_NFSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/src.h"
#include "util/rootfs.h"
#include "util/text.h"

/* /proc/fs/nfsd/threads: "%d\n", the running nfsd threads, 0 when stopped
 * (fs/nfsd/nfsctl.c write_threads). Returns 0 or -EINVAL with *err. */
int nfsd_threads_parse(const char *buf, size_t len, unsigned *threads, struct perr *err);

/* /proc/fs/nfsd/pool_threads: threads per pool, space separated, one line
 * (fs/nfsd/nfsctl.c write_pool_threads; "0\n" when nfsd is stopped). Returns 0 or
 * -EINVAL with *err. */
int pool_threads_parse(const char *buf, size_t len, unsigned *npools, uint64_t *total,
                       struct perr *err);

/* /proc/fs/nfsd/pool_stats (net/sunrpc/svc_xprt.c svc_pool_stats_show): a "# name ..."
 * header, then one row of decimal counters per pool. Columns are found by the header
 * names, because the set changed:
 *   2.6.30-2.6.32  pool packets-arrived sockets-enqueued threads-woken
 *                  overloads-avoided threads-timedout (the SVC_MAX_WAKING throttle,
 *                  reverted for 2.6.33)
 *   2.6.33-6.5     pool packets-arrived sockets-enqueued threads-woken threads-timedout
 *   6.6 and later  the same header, but packets-arrived counts RPC messages and
 *                  threads-timedout is the constant 0 (svc_recv lost its timeout)
 * A later "no-threads-avail" column (proposed in 2025) and the name "xprts-enqueued"
 * (proposed for sockets-enqueued) are read when present. Other lines starting with
 * '#' are comments (Documentation/filesystems/nfs/knfsd-stats.rst). */
struct pool_stats {
	size_t npools;                     /* rows */
	uint64_t packets, enqueued, woken; /* sums over the pools */
	bool have_timedout;
	uint64_t timedout;
	bool have_overloads;
	uint64_t overloads;
	bool have_no_threads;
	uint64_t no_threads;
};
/* Needs pool, packets-arrived, sockets-enqueued and threads-woken. Returns 0 or
 * -EINVAL with *err. */
int pool_stats_parse(const char *buf, size_t len, struct pool_stats *ps, struct perr *err);

/* A configured thread count and where it was found. */
struct conf_count {
	bool set;
	unsigned value;
	unsigned line;
};

/* nfs.conf(5) as nfs-utils support/nfs/conffile.c reads it: "[section]" headers
 * (case-insensitive, an optional "subsection" in quotes), "key = value" lines, '#' and
 * ';' comments, values optionally in double quotes, an unquoted value ending at '#' or
 * ';'. Finds the last "threads" of section [nfsd]; include directives are not
 * followed. A line that is none of these, or a threads value that is not a number,
 * is an error. Returns 0 (out->set tells if found) or -EINVAL with *err. */
int nfsconf_threads(const char *buf, size_t len, struct conf_count *out, struct perr *err);

/* A shell variable file (Debian /etc/default/nfs-kernel-server, RHEL
 * /etc/sysconfig/nfs): the last "NAME=value" or "export NAME=value" for name, the
 * value bare or in single or double quotes, optionally followed by a # comment. Other
 * lines are shell code and skipped; an empty value means unset; a value that is not a
 * plain number is an error. Returns 0 or -EINVAL with *err. */
int shellvar_count(const char *buf, size_t len, const char *name, struct conf_count *out,
                   struct perr *err);

/* One export: a path and one client. */
struct nfs_export {
	char path[256], client[128];
	bool async;       /* "async" in effect: writes acknowledged before stable storage */
	bool kernel;      /* from the kernel's table, not a configuration file */
	char origin[288]; /* "'/etc/exports' line 12" */
};

/* exports(5): "path [-defaults] client(options) client ..." with '#' comments, lines
 * continued by a trailing backslash, a path in double quotes when it has spaces. A
 * client without options gets the line's -defaults; "(options)" without a name is
 * the world ("*"), as is a path with no client at all (exportfs warns about both).
 * "sync" is the default since nfs-utils 1.0.0; the last of sync/async wins. Appends
 * to *v (n used, cap allocated); origin names path and the line the entry starts on.
 * On error nothing is appended. Returns 0 or -EINVAL with *err. */
int exports_parse(const char *buf, size_t len, const char *path, struct nfs_export **v, size_t *n,
                  size_t *cap, struct perr *err);

/* The kernel's table /proc/fs/nfs/exports (fs/nfsd/export.c e_show, svc_export_show):
 * "# Version 1.1" and "# Path Client(Flags) # IPs" comments, then "path\tclient(flags)"
 * with space, tab, newline and backslash in path and client escaped as \ooo
 * (seq_escape). Flags come from exp_flags: "async" or "sync" always. It lists only
 * exports clients have used since the cache was last flushed. Appends as
 * exports_parse does. */
int kexports_parse(const char *buf, size_t len, const char *path, struct nfs_export **v, size_t *n,
                   size_t *cap, struct perr *err);

struct nfsd_state {
	struct src threads_src; /* /proc/fs/nfsd/threads: unavailable when nfsd's filesystem
	                         * is not mounted (no nfsd module, or a client-only host) */
	bool running;           /* threads > 0 */
	unsigned threads;
	unsigned npools;      /* values of pool_threads while running, else 0 */
	struct src stats_src; /* /proc/fs/nfsd/pool_stats: unavailable when stopped */
	uint64_t packets, enqueued, woken, timedout; /* sums over the pools */
	bool have_timedout;
	/* configured: the value rpc.nfsd will use, later sources winning: /etc/nfs.conf,
	 * the .conf files of /etc/nfs.conf.d in name order, then RPCNFSDCOUNT of
	 * /etc/sysconfig/nfs and /etc/default/nfs-kernel-server, which the distributions'
	 * units pass to rpc.nfsd as its count argument, and that overrides nfs.conf. */
	struct src conf_src; /* OK when a file was read; the first error otherwise
	                      * (a broken file contributes nothing); unavailable when
	                      * none exists */
	bool conf_threads_set;
	unsigned conf_threads;
	char conf_origin[288]; /* "'/etc/nfs.conf' line 12" */
	/* exports, configured ones first, then the kernel's */
	struct nfs_export *exp; /* owned */
	size_t nexp, exp_cap;
	struct src exports_src;  /* /etc/exports and /etc/exports.d: the first error, OK
	                          * when one was read, unavailable when neither exists */
	struct src kexports_src; /* /proc/fs/nfs/exports (or /proc/fs/nfsd/exports) */
};

/* Reads everything under the root; never fails as a whole. */
void nfsd_read(const struct rootfs *r, struct nfsd_state *st);
void nfsd_release(struct nfsd_state *st);

#endif
