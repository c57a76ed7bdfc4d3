// SPDX-License-Identifier: MIT
/* Tests of the NFS server readers: /proc/fs/nfsd threads and pool_stats of each
 * kernel era, nfs.conf and the distributions' shell files with their precedence,
 * exports(5) and the kernel's export table, and nfsd_read() on fixture trees. The
 * machine these tests were written on has no nfsd, so every sample is hand-written
 * in the format the cited kernel or nfs-utils version prints or reads. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host/nfsd.h"
#include "util/xalloc.h"
#include "tree.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1

/* ---- threads and pool_threads ---- */

static void test_threads(void **state)
{
	unsigned t = 99, np = 0;
	uint64_t total = 0;
	struct perr e = {0};
	(void)state;
	/* fs/nfsd/nfsctl.c write_threads: "%d\n" */
	assert_int_equal(nfsd_threads_parse(S("8\n"), &t, &e), 0);
	assert_int_equal(t, 8);
	assert_int_equal(nfsd_threads_parse(S("0\n"), &t, &e), 0);
	assert_int_equal(t, 0);
	assert_int_equal(nfsd_threads_parse(S("-1\n"), &t, &e), -EINVAL);
	assert_int_equal(nfsd_threads_parse(S("2147483648\n"), &t, &e), -EINVAL);
	assert_string_equal(e.msg, "thread count 2147483648 is out of range");
	assert_int_equal(nfsd_threads_parse(S("8 8\n"), &t, &e), -EINVAL);
	assert_int_equal(nfsd_threads_parse(S(""), &t, &e), -EINVAL);

	/* write_pool_threads: "%d%c" per pool, ' ' between and '\n' after the last. */
	assert_int_equal(pool_threads_parse(S("8\n"), &np, &total, &e), 0);
	assert_int_equal(np, 1);
	assert_int_equal(total, 8);
	assert_int_equal(pool_threads_parse(S("16 16 16 16\n"), &np, &total, &e), 0);
	assert_int_equal(np, 4);
	assert_int_equal(total, 64);
	assert_int_equal(pool_threads_parse(S("3 x\n"), &np, &total, &e), -EINVAL);
	assert_string_equal(e.msg, "pool 1: expected a thread count");
	assert_int_equal(pool_threads_parse(S("\n"), &np, &total, &e), -EINVAL);
	assert_int_equal(pool_threads_parse(S("1\n2\n"), &np, &total, &e), -EINVAL);
	assert_int_equal(np, 4); /* untouched */
}

/* ---- pool_stats ---- */

static const struct {
	const char *name, *in;
	size_t len;
	size_t npools;
	uint64_t packets, enqueued, woken, timedout;
	bool have_timedout, have_overloads, have_no_threads;
	uint64_t overloads, no_threads;
} eras[] = {
    /* 2.6.30-2.6.32 (SLES 11, RHEL 6 before backports): overloads-avoided. */
    {"2.6.32",
     S("# pool packets-arrived sockets-enqueued threads-woken overloads-avoided "
       "threads-timedout\n"
       "0 101 3 98 4 2\n"),
     1, 101, 3, 98, 2, true, true, false, 4, 0},
    /* 2.6.33 to 6.5 (e.g. 5.15 on Bottlerocket): two NUMA pools. */
    {"5.15",
     S("# pool packets-arrived sockets-enqueued threads-woken threads-timedout\n"
       "0 123456 789 120000 12\n"
       "1 654321 11 650000 0\n"),
     2, 777777, 800, 770000, 12, true, false, false, 0, 0},
    /* 6.6 and later: threads-timedout printed as the constant 0. */
    {"6.6",
     S("# pool packets-arrived sockets-enqueued threads-woken threads-timedout\n"
       "0 5000 40 4900 0\n"),
     1, 5000, 40, 4900, 0, true, false, false, 0, 0},
    /* The 2025 proposal: a sixth column no-threads-avail. */
    {"no-threads-avail",
     S("# pool packets-arrived sockets-enqueued threads-woken threads-timedout "
       "no-threads-avail\n"
       "0 5000 40 4900 0 37\n"),
     1, 5000, 40, 4900, 0, true, false, true, 0, 37},
    /* A patch series' names: xprts-enqueued, and no threads-timedout column. */
    {"xprts-enqueued",
     S("#pool packets-arrived xprts-enqueued threads-woken\n"
       "0 10 2 8\n"
       "# a comment line\n"),
     1, 10, 2, 8, 0, false, false, false, 0, 0},
    /* Running with no pools yet: the header alone. */
    {"header only", S("# pool packets-arrived sockets-enqueued threads-woken threads-timedout\n"),
     0, 0, 0, 0, 0, true, false, false, 0, 0},
    /* Counters are 64-bit and saturate when summed. */
    {"saturate",
     S("# pool packets-arrived sockets-enqueued threads-woken\n"
       "0 18446744073709551615 0 0\n"
       "1 1 0 0\n"),
     2, UINT64_MAX, 0, 0, 0, false, false, false, 0, 0},
};

static void test_pool_stats(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(eras); i++) {
		struct pool_stats ps;
		struct perr e = {0};
		print_message("case %s\n", eras[i].name);
		assert_int_equal(pool_stats_parse(eras[i].in, eras[i].len, &ps, &e), 0);
		assert_int_equal(ps.npools, eras[i].npools);
		assert_int_equal(ps.packets, eras[i].packets);
		assert_int_equal(ps.enqueued, eras[i].enqueued);
		assert_int_equal(ps.woken, eras[i].woken);
		assert_int_equal(ps.timedout, eras[i].timedout);
		assert_int_equal(ps.have_timedout, eras[i].have_timedout);
		assert_int_equal(ps.have_overloads, eras[i].have_overloads);
		assert_int_equal(ps.overloads, eras[i].overloads);
		assert_int_equal(ps.have_no_threads, eras[i].have_no_threads);
		assert_int_equal(ps.no_threads, eras[i].no_threads);
	}
}

#define PS_HDR "# pool packets-arrived sockets-enqueued threads-woken threads-timedout\n"

static const struct {
	const char *name, *in;
	size_t len;
	unsigned line;
	const char *msg;
} ps_bad[] = {
    {"empty", S(""), 0, "empty file, expected a header line"},
    {"no header", S("0 1 2 3 4\n"), 1, "expected the '# pool packets-arrived ...' header"},
    {"no woken", S("# pool packets-arrived sockets-enqueued threads-timedout\n"), 1,
     "header has no 'threads-woken' column"},
    {"short row", S(PS_HDR "0 1 2 3\n"), 2, "expected 5 fields as in the header, found 4"},
    {"long row", S(PS_HDR "0 1 2 3 4 5\n"), 2, "expected 5 fields as in the header, found 6"},
    {"text", S(PS_HDR "0 1 x 3 4\n"), 2, "value in column 'sockets-enqueued' is not a number"},
    {"negative", S(PS_HDR "0 1 2 -3 4\n"), 2, "value in column 'threads-woken' is not a number"},
    {"truncated", S(PS_HDR "0 1 2 3"), 2, "file ends in the middle of a line (truncated?)"},
    {"blank row", S(PS_HDR "\n"), 2, "expected 5 fields as in the header, found 0"},
};

static void test_pool_stats_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ps_bad); i++) {
		struct pool_stats ps;
		struct perr e = {0};
		print_message("case %s\n", ps_bad[i].name);
		assert_int_equal(pool_stats_parse(ps_bad[i].in, ps_bad[i].len, &ps, &e), -EINVAL);
		assert_int_equal(e.line, ps_bad[i].line);
		assert_string_equal(e.msg, ps_bad[i].msg);
		assert_int_equal(ps.npools, 0);
		assert_int_equal(ps.packets, 0);
	}
}

/* ---- nfs.conf and the shell files ---- */

/* The [nfsd] part of nfs-utils 2.6's shipped nfs.conf, threads uncommented on line 7. */
static const char nfsconf_shipped[] = "#\n"
                                      "# This is a general configuration for the\n"
                                      "# NFS daemons and tools\n"
                                      "#\n"
                                      "[nfsd]\n"
                                      "# debug=0\n"
                                      "threads=16\n"
                                      "# host=\n"
                                      "# port=0\n"
                                      "# grace-time=90\n"
                                      "# lease-time=90\n"
                                      "# udp=n\n"
                                      "# tcp=y\n"
                                      "# vers3=y\n"
                                      "[mountd]\n"
                                      "threads=99\n";

static const struct {
	const char *name, *in;
	size_t len;
	bool set;
	unsigned value, line;
} nfsconf[] = {
    {"shipped", S(nfsconf_shipped), true, 16, 7},
    {"commented out", S("[nfsd]\n# threads=8\n;threads=9\n"), false, 0, 0},
    {"no section", S("threads=8\n"), false, 0, 0},
    {"other section", S("[mountd]\nthreads=8\n"), false, 0, 0},
    {"subsection", S("[nfsd \"extra\"]\nthreads=8\n"), false, 0, 0},
    {"case and quotes", S("[ NFSD ]\n  Threads = \"32\"  # many\n"), true, 32, 2},
    {"semicolon comment", S("[nfsd]\nthreads = 24 ; for 24 vCPUs\n"), true, 24, 2},
    {"last wins", S("[nfsd]\nthreads=8\n[mountd]\nthreads=2\n[nfsd]\nthreads=12\n"), true, 12, 6},
    {"no final newline", S("[nfsd]\nthreads=64"), true, 64, 2},
    {"other keys", S("[nfsd]\nvers4.2=y\nrdma=nfsrdma\nhost = \"a b\"\n"), false, 0, 0},
    {"empty", S(""), false, 0, 0},
};

static void test_nfsconf(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(nfsconf); i++) {
		struct conf_count c;
		struct perr e = {0};
		print_message("case %s\n", nfsconf[i].name);
		assert_int_equal(nfsconf_threads(nfsconf[i].in, nfsconf[i].len, &c, &e), 0);
		assert_int_equal(c.set, nfsconf[i].set);
		assert_int_equal(c.value, nfsconf[i].value);
		assert_int_equal(c.line, nfsconf[i].line);
	}
	static const struct {
		const char *in;
		size_t len;
		unsigned line;
		const char *msg;
	} bad[] = {
	    {S("[nfsd]\nthreads = lots\n"), 2, "threads value is not a number"},
	    {S("[nfsd]\nthreads = -1\n"), 2, "threads value is not a number"},
	    {S("[nfsd]\nthreads =\n"), 2, "threads value is not a number"},
	    {S("[nfsd]\nthreads = \"8\n"), 2, "value has no closing '\"'"},
	    {S("[nfsd\nthreads=8\n"), 1, "'[' without ']'"},
	    {S("[nfsd]\njust words\n"), 2, "expected '[section]' or 'key = value'"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct conf_count c;
		struct perr e = {0};
		print_message("bad case %zu\n", i);
		assert_int_equal(nfsconf_threads(bad[i].in, bad[i].len, &c, &e), -EINVAL);
		assert_int_equal(e.line, bad[i].line);
		assert_string_equal(e.msg, bad[i].msg);
		assert_false(c.set);
	}
}

/* Debian 12's shipped /etc/default/nfs-kernel-server. */
static const char debian_default[] =
    "# Number of servers to start up\n"
    "RPCNFSDCOUNT=8\n"
    "\n"
    "# Runtime priority of server (see nice(1))\n"
    "RPCNFSDPRIORITY=0\n"
    "\n"
    "# Options for rpc.mountd.\n"
    "RPCMOUNTDOPTS=\"--manage-gids\"\n"
    "\n"
    "# Do you want to start the svcgssd daemon? It is only required for Kerberos\n"
    "# exports. Valid alternatives are \"yes\" and \"no\"; the default is \"no\".\n"
    "NEED_SVCGSSD=\"\"\n"
    "\n"
    "# Options for rpc.svcgssd.\n"
    "RPCSVCGSSDOPTS=\"\"\n";

static const struct {
	const char *name, *in;
	size_t len;
	int rc;
	bool set;
	unsigned value, line;
	const char *msg;
} shell[] = {
    {"debian 12", S(debian_default), 0, true, 8, 2, NULL},
    {"double quotes", S("RPCNFSDCOUNT=\"16\"\n"), 0, true, 16, 1, NULL},
    {"single quotes", S("RPCNFSDCOUNT='32'\n"), 0, true, 32, 1, NULL},
    {"export", S("export RPCNFSDCOUNT=12\n"), 0, true, 12, 1, NULL},
    {"comment after", S("  RPCNFSDCOUNT=64   # RHEL 7 tuning\n"), 0, true, 64, 1, NULL},
    {"last wins", S("RPCNFSDCOUNT=8\nRPCNFSDCOUNT=24\n"), 0, true, 24, 2, NULL},
    {"unset again", S("RPCNFSDCOUNT=8\nRPCNFSDCOUNT=\n"), 0, false, 0, 0, NULL},
    {"empty quotes", S("RPCNFSDCOUNT=\"\"\n"), 0, false, 0, 0, NULL},
    {"commented", S("#RPCNFSDCOUNT=8\n"), 0, false, 0, 0, NULL},
    {"spaces: a command", S("RPCNFSDCOUNT = 8\n"), 0, false, 0, 0, NULL},
    {"longer name", S("RPCNFSDCOUNTS=8\n"), 0, false, 0, 0, NULL},
    {"no final newline", S("RPCNFSDCOUNT=4"), 0, true, 4, 1, NULL},
    {"expansion", S("RPCNFSDCOUNT=\"$(nproc)\"\n"), -EINVAL, false, 0, 0,
     "value of RPCNFSDCOUNT is not a plain number"},
    {"open quote", S("RPCNFSDCOUNT=\"8\n"), -EINVAL, false, 0, 0,
     "value of RPCNFSDCOUNT has no closing quote"},
    {"command after", S("RPCNFSDCOUNT=8 rpc.nfsd\n"), -EINVAL, false, 0, 0,
     "unexpected text after the value of RPCNFSDCOUNT"},
};

static void test_shellvar(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(shell); i++) {
		struct conf_count c;
		struct perr e = {0};
		print_message("case %s\n", shell[i].name);
		assert_int_equal(shellvar_count(shell[i].in, shell[i].len, "RPCNFSDCOUNT", &c, &e),
		                 shell[i].rc);
		assert_int_equal(c.set, shell[i].set);
		assert_int_equal(c.value, shell[i].value);
		assert_int_equal(c.line, shell[i].line);
		if (shell[i].msg)
			assert_string_equal(e.msg, shell[i].msg);
	}
}

/* ---- exports ---- */

struct exports {
	struct nfs_export *v;
	size_t n, cap;
};

static const char etc_exports[] =
    "# /etc/exports: the access control list for filesystems which may be exported\n"
    "#\t\tto NFS clients.  See exports(5).\n"
    "/srv/db      10.0.0.0/24(rw,async,no_subtree_check) backup(ro)\n"
    "/srv/home    -async,no_root_squash host1 \\\n"
    "             host2(sync) (ro)\n"
    "\"/srv/with space\" *(rw)   # a comment\n"
    "/srv/plain\n"
    "/srv/def -ro\n"
    "\n"
    "/srv/flip    *(async,rw,sync) @admins(sync,async)\n";

static const struct {
	const char *path, *client;
	bool async;
	unsigned line;
} want_exports[] = {
    {"/srv/db", "10.0.0.0/24", true, 3}, {"/srv/db", "backup", false, 3},
    {"/srv/home", "host1", true, 4},     {"/srv/home", "host2", false, 4},
    {"/srv/home", "*", true, 4}, /* "(ro)": the world, with the line's -async */
    {"/srv/with space", "*", false, 6},  {"/srv/plain", "*", false, 7},
    {"/srv/def", "*", false, 8},         {"/srv/flip", "*", false, 10},
    {"/srv/flip", "@admins", true, 10},
};

static void test_exports(void **state)
{
	struct exports x = {0};
	struct perr e = {0};
	char origin[64];
	(void)state;
	assert_int_equal(exports_parse(S(etc_exports), "/etc/exports", &x.v, &x.n, &x.cap, &e), 0);
	assert_int_equal(x.n, ARRAY_SIZE(want_exports));
	for (size_t i = 0; i < x.n; i++) {
		print_message("export %zu\n", i);
		assert_string_equal(x.v[i].path, want_exports[i].path);
		assert_string_equal(x.v[i].client, want_exports[i].client);
		assert_int_equal(x.v[i].async, want_exports[i].async);
		assert_false(x.v[i].kernel);
		snprintf(origin, sizeof(origin), "'/etc/exports' line %u", want_exports[i].line);
		assert_string_equal(x.v[i].origin, origin);
	}
	/* Appends; a file ending in a backslash still ends its entry. */
	assert_int_equal(
	    exports_parse(S("/a b(async) \\"), "/etc/exports.d/a.exports", &x.v, &x.n, &x.cap, &e),
	    0);
	assert_int_equal(x.n, ARRAY_SIZE(want_exports) + 1);
	assert_string_equal(x.v[x.n - 1].client, "b");
	assert_true(x.v[x.n - 1].async);
	assert_string_equal(x.v[x.n - 1].origin, "'/etc/exports.d/a.exports' line 1");
	free(x.v);
}

static void test_exports_bad(void **state)
{
	static char long_path[400];
	static const struct {
		const char *in;
		size_t len;
		unsigned line;
		const char *msg;
	} bad[] = {
	    {S("/ok *\nsrv *(rw)\n"), 2, "expected an absolute path to export"},
	    {S("/srv host(rw\n"), 1, "expected 'client(options)'"},
	    {S("/srv host(rw)x\n"), 1, "expected 'client(options)'"},
	    {S("/srv host((rw))\n"), 1, "expected 'client(options)'"},
	    {S("\"/srv/open *(rw)\n"), 1, "'\"' without its closing '\"'"},
	    {S("/srv \\\n host(rw\n"), 1, "expected 'client(options)'"},
	    {S("/srv a\0b(rw)\n"), 1, "NUL byte in the line"},
	    /* Found by fuzz_nfsd: quotes around nothing. */
	    {S("/srv \"\"\n"), 1, "empty client name"},
	    {S("\"\" *(rw)\n"), 1, "expected an absolute path to export"},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct exports x = {0};
		struct perr e = {0};
		print_message("case %zu\n", i);
		assert_int_equal(
		    exports_parse(bad[i].in, bad[i].len, "/etc/exports", &x.v, &x.n, &x.cap, &e),
		    -EINVAL);
		assert_int_equal(e.line, bad[i].line);
		assert_string_equal(e.msg, bad[i].msg);
		assert_int_equal(x.n, 0); /* the good first line was dropped too */
		free(x.v);
	}
	struct exports x = {0};
	struct perr e = {0};
	memset(long_path, 'a', sizeof(long_path) - 2);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 2] = '\n';
	assert_int_equal(
	    exports_parse(long_path, strlen(long_path), "/etc/exports", &x.v, &x.n, &x.cap, &e),
	    -EINVAL);
	assert_string_equal(e.msg, "path longer than 255 bytes");
	assert_int_equal(
	    exports_parse(S("/srv "
	                    "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
	                    "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
	                    "cccccccccccc(rw)\n"),
	                  "/etc/exports", &x.v, &x.n, &x.cap, &e),
	    -EINVAL);
	assert_string_equal(e.msg, "client longer than 127 bytes");
	free(x.v);
}

/* Hand-written after fs/nfsd/export.c e_show and exp_flags of 5.x/6.x: flags in the
 * expflags[] order, then uuid and sec; a space in the path escaped as \040. */
static const char kernel_exports[] =
    "# Version 1.1\n"
    "# Path Client(Flags) # IPs\n"
    "/srv/db\t10.0.0.0/24(rw,root_squash,async,wdelay,no_subtree_check,"
    "uuid=8c2a5a2e:6f1b4c3d:9e8f7a6b:5c4d3e2f,sec=1)\n"
    "/srv/with\\040space\t*(ro,root_squash,sync,wdelay,no_subtree_check,"
    "uuid=1a2b3c4d:5e6f7a8b:9c0d1e2f:3a4b5c6d,sec=1)\n"
    "/srv/neg\tgss/krb5()\n";

static void test_kexports(void **state)
{
	struct exports x = {0};
	struct perr e = {0};
	(void)state;
	assert_int_equal(
	    kexports_parse(S(kernel_exports), "/proc/fs/nfs/exports", &x.v, &x.n, &x.cap, &e), 0);
	assert_int_equal(x.n, 3);
	assert_string_equal(x.v[0].path, "/srv/db");
	assert_string_equal(x.v[0].client, "10.0.0.0/24");
	assert_true(x.v[0].async);
	assert_true(x.v[0].kernel);
	assert_string_equal(x.v[0].origin, "'/proc/fs/nfs/exports' line 3");
	assert_string_equal(x.v[1].path, "/srv/with space");
	assert_false(x.v[1].async);
	assert_string_equal(x.v[2].client, "gss/krb5");
	assert_false(x.v[2].async); /* a negative cache entry: no flags */
	/* Header only: no client has mounted anything yet. */
	assert_int_equal(kexports_parse(S("# Version 1.1\n# Path Client(Flags) # IPs\n"), "/x",
	                                &x.v, &x.n, &x.cap, &e),
	                 0);
	assert_int_equal(x.n, 3);

	static const struct {
		const char *in;
		size_t len;
		unsigned line;
		const char *msg;
	} bad[] = {
	    {S("/srv\n"), 1, "expected 'path<TAB>client(flags)'"},
	    {S("/srv a(rw) b(rw)\n"), 1, "expected 'path<TAB>client(flags)'"},
	    {S("/srv\t*\n"), 1, "expected 'client(flags)' after the path"},
	    {S("/srv\\04\t*(rw)\n"), 1, "bad \\ooo escape, or path or client too long"},
	    {S("/srv\\\t*(rw)\n"), 1, "bad \\ooo escape, or path or client too long"},
	    {S("/srv\\999\t*(rw)\n"), 1, "bad \\ooo escape, or path or client too long"},
	    {S("/srv\\000\t*(rw)\n"), 1, "bad \\ooo escape, or path or client too long"},
	    {S("/s\0rv\t*(rw)\n"), 1, "bad \\ooo escape, or path or client too long"},
	    /* Found by fuzz_nfsd: an exports(5) continuation line is not a kernel row. */
	    {S("  host2(sync) (ro)\n"), 1, "expected 'client(flags)' after the path"},
	    {S("/srv\t(rw)\n"), 1, "expected 'client(flags)' after the path"},
	    {S("/srv\t*(rw,async)"), 1, "file ends in the middle of a line (truncated?)"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		print_message("case %zu\n", i);
		assert_int_equal(
		    kexports_parse(bad[i].in, bad[i].len, "/x", &x.v, &x.n, &x.cap, &e), -EINVAL);
		assert_int_equal(e.line, bad[i].line);
		assert_string_equal(e.msg, bad[i].msg);
		assert_int_equal(x.n, 3);
	}
	free(x.v);
}

/* ---- nfsd_read on fixture trees ---- */

static struct tree fx;

/* A running 6.6+ server with one pool, configured in three places. */
static void put_running(struct tree *t)
{
	tree_put(t, "/proc/fs/nfsd/threads", "8\n");
	tree_put(t, "/proc/fs/nfsd/pool_threads", "8\n");
	tree_put(t, "/proc/fs/nfsd/pool_stats", PS_HDR "0 5000 40 4900 0\n");
	tree_put(t, "/proc/fs/nfs/exports", kernel_exports);
	tree_put(t, "/etc/nfs.conf", nfsconf_shipped);
	tree_put(t, "/etc/nfs.conf.d/10-threads.conf", "[nfsd]\nthreads=20\n");
	tree_put(t, "/etc/nfs.conf.d/20-more.conf", "\n[nfsd]\nthreads=24\n");
	tree_put(t, "/etc/nfs.conf.d/30-other.conf", "[mountd]\nthreads=2\n");
	tree_put(t, "/etc/nfs.conf.d/99-disabled.conf.bak", "[nfsd]\nthreads=1\n");
	tree_put(t, "/etc/exports", etc_exports);
	tree_put(t, "/etc/exports.d/zz.exports", "/data *(rw,async)\n");
	tree_put(t, "/etc/exports.d/readme.txt", "not an export\n");
}

static void test_read_running(void **state)
{
	struct tree *t = *state;
	struct nfsd_state st;
	put_running(t);
	nfsd_read(&t->r, &st);
	assert_int_equal(st.threads_src.state, SRC_OK);
	assert_true(st.running);
	assert_int_equal(st.threads, 8);
	assert_int_equal(st.npools, 1);
	assert_int_equal(st.stats_src.state, SRC_OK);
	assert_int_equal(st.packets, 5000);
	assert_int_equal(st.enqueued, 40);
	assert_int_equal(st.woken, 4900);
	assert_true(st.have_timedout);
	/* nfs.conf, then the drop-ins in name order: the last [nfsd] threads wins. */
	assert_int_equal(st.conf_src.state, SRC_OK);
	assert_true(st.conf_threads_set);
	assert_int_equal(st.conf_threads, 24);
	assert_string_equal(st.conf_origin, "'/etc/nfs.conf.d/20-more.conf' line 3");
	assert_int_equal(st.exports_src.state, SRC_OK);
	assert_int_equal(st.kexports_src.state, SRC_OK);
	assert_int_equal(st.nexp, ARRAY_SIZE(want_exports) + 1 + 3);
	assert_string_equal(st.exp[ARRAY_SIZE(want_exports)].path, "/data");
	assert_true(st.exp[ARRAY_SIZE(want_exports)].async);
	assert_string_equal(st.exp[ARRAY_SIZE(want_exports)].origin,
	                    "'/etc/exports.d/zz.exports' line 1");
	assert_true(st.exp[st.nexp - 1].kernel);
	nfsd_release(&st);
	assert_null(st.exp);

	/* Debian's RPCNFSDCOUNT becomes rpc.nfsd's count argument and beats nfs.conf. */
	tree_put(t, "/etc/default/nfs-kernel-server", debian_default);
	nfsd_read(&t->r, &st);
	assert_int_equal(st.conf_threads, 8);
	assert_string_equal(st.conf_origin, "'/etc/default/nfs-kernel-server' line 2");
	nfsd_release(&st);
	/* ...unless it is unset there. */
	tree_put(t, "/etc/default/nfs-kernel-server", "RPCNFSDCOUNT=\n");
	tree_put(t, "/etc/sysconfig/nfs", "RPCNFSDCOUNT=\"32\"\n");
	nfsd_read(&t->r, &st);
	assert_int_equal(st.conf_threads, 32);
	assert_string_equal(st.conf_origin, "'/etc/sysconfig/nfs' line 1");
	nfsd_release(&st);

	/* Two NUMA pools: counted from pool_threads. */
	tree_put(t, "/proc/fs/nfsd/pool_threads", "4 4\n");
	nfsd_read(&t->r, &st);
	assert_int_equal(st.npools, 2);
	nfsd_release(&st);
}

static void test_read_broken(void **state)
{
	struct tree *t = *state;
	struct nfsd_state st;
	char want[512];
	put_running(t);
	tree_put(t, "/etc/nfs.conf.d/20-more.conf", "[nfsd]\nthreads=many\n");
	tree_put(t, "/etc/exports.d/zz.exports", "relative *(rw)\n");
	tree_put(t, "/proc/fs/nfsd/pool_stats", "0 1 2 3 4\n");
	nfsd_read(&t->r, &st);
	/* The broken drop-in contributes nothing; the one before it still counts. */
	assert_int_equal(st.conf_src.state, SRC_ERROR);
	snprintf(want, sizeof(want), "'%s' line 2: threads value is not a number",
	         tree_path(t, "/etc/nfs.conf.d/20-more.conf"));
	assert_string_equal(st.conf_src.err, want);
	assert_int_equal(st.conf_threads, 20);
	assert_int_equal(st.exports_src.state, SRC_ERROR);
	snprintf(want, sizeof(want), "'%s' line 1: expected an absolute path to export",
	         tree_path(t, "/etc/exports.d/zz.exports"));
	assert_string_equal(st.exports_src.err, want);
	assert_int_equal(st.nexp, ARRAY_SIZE(want_exports) + 3); /* /etc/exports and kernel */
	assert_int_equal(st.stats_src.state, SRC_ERROR);
	assert_int_equal(st.packets, 0);
	assert_int_equal(st.npools, 1); /* from pool_threads */
	nfsd_release(&st);
}

/* Stopped: threads says 0 (pool_stats then fails with ENODEV, here simply absent). */
static void test_read_stopped(void **state)
{
	struct tree *t = *state;
	struct nfsd_state st;
	tree_put(t, "/proc/fs/nfsd/threads", "0\n");
	tree_put(t, "/proc/fs/nfsd/pool_threads", "0\n");
	tree_put(t, "/proc/fs/nfsd/exports", "# Version 1.1\n# Path Client(Flags) # IPs\n");
	nfsd_read(&t->r, &st);
	assert_int_equal(st.threads_src.state, SRC_OK);
	assert_false(st.running);
	assert_int_equal(st.npools, 0);
	assert_int_equal(st.stats_src.state, SRC_UNAVAILABLE);
	/* The nfsd filesystem's copy of the table stands in for /proc/fs/nfs/exports. */
	assert_int_equal(st.kexports_src.state, SRC_OK);
	assert_int_equal(st.nexp, 0);
	assert_int_equal(st.conf_src.state, SRC_UNAVAILABLE);
	assert_false(st.conf_threads_set);
	assert_int_equal(st.exports_src.state, SRC_UNAVAILABLE);
	nfsd_release(&st);
}

/* This machine: /proc/fs/nfsd is an empty mount point (no nfsd module). */
static void test_read_absent(void **state)
{
	struct tree *t = *state;
	struct nfsd_state st;
	tree_mkdir(t, "/proc/fs/nfsd");
	nfsd_read(&t->r, &st);
	assert_int_equal(st.threads_src.state, SRC_UNAVAILABLE);
	assert_false(st.running);
	assert_int_equal(st.stats_src.state, SRC_UNAVAILABLE);
	assert_int_equal(st.kexports_src.state, SRC_UNAVAILABLE);
	assert_int_equal(st.exports_src.state, SRC_UNAVAILABLE);
	assert_int_equal(st.conf_src.state, SRC_UNAVAILABLE);
	assert_null(st.exp);
	nfsd_release(&st);
}

#define FX(t) cmocka_unit_test_prestate_setup_teardown(t, tree_setup, tree_teardown, &fx)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_pool_stats),
	    cmocka_unit_test(test_pool_stats_bad),
	    cmocka_unit_test(test_nfsconf),
	    cmocka_unit_test(test_shellvar),
	    cmocka_unit_test(test_exports),
	    cmocka_unit_test(test_exports_bad),
	    cmocka_unit_test(test_kexports),
	    FX(test_read_running),
	    FX(test_read_broken),
	    FX(test_read_stopped),
	    FX(test_read_absent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
