// SPDX-License-Identifier: MIT
/* Tests of the /proc/PID parsers (status, limits, oom_score_adj, environ, cmdline,
 * maps, cgroup) on real, hand-written and malformed input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host/proc.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1
#define UNL    RLIM_UNLIMITED_U64
#define D10    "0123456789"
#define D240                                                                                       \
	D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10    \
	    D10 D10

/* ---- status ---- */

/* Captured on a Debian 12 Firecracker guest, kernel 6.18 (/proc/self/status of
 * cat, the signal and capability lines trimmed). */
static const char status_618[] = "Name:\tcat\n"
                                 "Umask:\t0022\n"
                                 "State:\tR (running)\n"
                                 "Tgid:\t7825\n"
                                 "Ngid:\t0\n"
                                 "Pid:\t7825\n"
                                 "PPid:\t7818\n"
                                 "TracerPid:\t0\n"
                                 "Uid:\t0\t0\t0\t0\n"
                                 "Gid:\t0\t0\t0\t0\n"
                                 "FDSize:\t256\n"
                                 "Groups:\t \n"
                                 "NStgid:\t7825\n"
                                 "Kthread:\t0\n"
                                 "VmPeak:\t    3060 kB\n"
                                 "VmSize:\t    3060 kB\n"
                                 "VmLck:\t       0 kB\n"
                                 "VmHWM:\t    1692 kB\n"
                                 "VmRSS:\t    1692 kB\n"
                                 "RssAnon:\t     116 kB\n"
                                 "RssFile:\t    1576 kB\n"
                                 "RssShmem:\t       0 kB\n"
                                 "VmData:\t     360 kB\n"
                                 "VmSwap:\t       0 kB\n"
                                 "HugetlbPages:\t       0 kB\n"
                                 "CoreDumping:\t0\n"
                                 "THP_enabled:\t1\n"
                                 "untag_mask:\t0xffffffffffffffff\n"
                                 "Threads:\t1\n"
                                 "SigQ:\t0/96365\n"
                                 "Cpus_allowed_list:\t0-1\n"
                                 "voluntary_ctxt_switches:\t0\n";

/* Hand-written in the 5.10 format: a PostgreSQL master (uid 106) with 1.1 GB of
 * shared buffers touched, some of its memory swapped out. */
static const char status_pg[] = "Name:\tpostgres\n"
                                "Umask:\t0077\n"
                                "State:\tS (sleeping)\n"
                                "Tgid:\t812\n"
                                "Pid:\t812\n"
                                "PPid:\t1\n"
                                "Uid:\t106\t106\t106\t106\n"
                                "Gid:\t113\t113\t113\t113\n"
                                "VmPeak:\t 4396512 kB\n"
                                "VmRSS:\t 1153044 kB\n"
                                "RssAnon:\t   10452 kB\n"
                                "RssFile:\t   21980 kB\n"
                                "RssShmem:\t 1120612 kB\n"
                                "VmSwap:\t    2048 kB\n"
                                "Threads:\t1\n";

/* Hand-written in the 5.x format of a kernel thread: no Vm or Rss lines, and a
 * name that holds a slash and a colon. */
static const char status_kthread[] = "Name:\tkworker/0:1H-kblockd\n"
                                     "Umask:\t0000\n"
                                     "State:\tI (idle)\n"
                                     "Tgid:\t92\n"
                                     "Pid:\t92\n"
                                     "PPid:\t2\n"
                                     "Uid:\t0\t0\t0\t0\n"
                                     "Gid:\t0\t0\t0\t0\n"
                                     "Threads:\t1\n";

/* Hand-written in the 2.6.32 format (RHEL 6): VmSwap but no RssAnon/RssShmem,
 * an escaped name with a blank, and ids that differ. */
static const char status_2632[] = "Name:\tmy\\nproc x\n"
                                  "State:\tS (sleeping)\n"
                                  "Tgid:\t4242\n"
                                  "Pid:\t4242\n"
                                  "PPid:\t4100\n"
                                  "TracerPid:\t0\n"
                                  "Uid:\t500\t0\t500\t4294967295\n"
                                  "Gid:\t500\t500\t500\t500\n"
                                  "VmRSS:\t     748 kB\n"
                                  "VmSwap:\t       0 kB\n"
                                  "Threads:\t3\n";

struct status_case {
	const char *name;
	const char *in;
	size_t len;
	struct pid_status want;
};

static const struct status_case status_good[] = {
    {"6.18", S(status_618), {"cat", 7825, 7818, {0, 0, 0, 0}, {0, 0, 0, 0}, 1692, 116, 0, 0, 1}},
    {"postgres",
     S(status_pg),
     {"postgres",
      812,
      1,
      {106, 106, 106, 106},
      {113, 113, 113, 113},
      1153044,
      10452,
      1120612,
      2048,
      1}},
    {"kthread",
     S(status_kthread),
     {"kworker/0:1H-kblockd", 92, 2, {0, 0, 0, 0}, {0, 0, 0, 0}, 0, 0, 0, 0, 1}},
    {"2.6.32",
     S(status_2632),
     {"my\\nproc x",
      4242,
      4100,
      {500, 0, 500, 4294967295u},
      {500, 500, 500, 500},
      748,
      0,
      0,
      0,
      3}},
    {"minimal", S("Name:\tx\nPid:\t-1\n"), {"x", -1, 0, {0}, {0}, 0, 0, 0, 0, 0}},
    {"leading blank in name", S("Name:\t sp\nPid:\t1\n"), {" sp", 1, 0, {0}, {0}, 0, 0, 0, 0, 0}},
    {"unknown lines",
     S("Name:\tx\nnot a key line\nFoo:\tbar\0baz\nPid:\t1\n"),
     {"x", 1, 0, {0}, {0}, 0, 0, 0, 0, 0}},
};

static void test_status_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(status_good); i++) {
		const struct pid_status *w = &status_good[i].want;
		struct pid_status st;
		struct perr e = {0};
		print_message("case %s\n", status_good[i].name);
		assert_int_equal(pidstatus_parse(status_good[i].in, status_good[i].len, &st, &e),
		                 0);
		assert_string_equal(st.name, w->name);
		assert_int_equal(st.pid, w->pid);
		assert_int_equal(st.ppid, w->ppid);
		assert_memory_equal(st.uid, w->uid, sizeof(st.uid));
		assert_memory_equal(st.gid, w->gid, sizeof(st.gid));
		assert_int_equal(st.vmrss_kb, w->vmrss_kb);
		assert_int_equal(st.rssanon_kb, w->rssanon_kb);
		assert_int_equal(st.rssshmem_kb, w->rssshmem_kb);
		assert_int_equal(st.vmswap_kb, w->vmswap_kb);
		assert_int_equal(st.threads, w->threads);
	}
}

struct bad_case {
	const char *name;
	const char *in;
	size_t len;
	unsigned line;
	const char *msg;
};

static const struct bad_case status_bad[] = {
    {"empty", S(""), 0, "no 'Name:' line"},
    {"no Pid", S("Name:\tx\nPPid:\t1\n"), 0, "no 'Pid:' line"},
    {"no Name", S("Pid:\t1\n"), 0, "no 'Name:' line"},
    {"bad Pid", S("Name:\tx\nPid:\tabc\n"), 2, "expected a number after 'Pid:'"},
    {"empty Pid", S("Name:\tx\nPid:\n"), 2, "expected a number after 'Pid:'"},
    {"two Pids", S("Name:\tx\nPid:\t1 2\n"), 2, "expected a number after 'Pid:'"},
    {"pid overflow", S("Name:\tx\nPid:\t99999999999999999999999\n"), 2,
     "expected a number after 'Pid:'"},
    {"3 uids", S("Name:\tx\nPid:\t1\nUid:\t0\t0\t0\n"), 3, "expected 4 ids after 'Uid:'"},
    {"5 gids", S("Name:\tx\nPid:\t1\nGid:\t0\t0\t0\t0\t0\n"), 3, "expected 4 ids after 'Gid:'"},
    {"uid overflow", S("Name:\tx\nPid:\t1\nUid:\t0\t0\t0\t4294967296\n"), 3,
     "expected 4 ids after 'Uid:'"},
    {"negative uid", S("Name:\tx\nPid:\t1\nUid:\t-1\t0\t0\t0\n"), 3, "expected 4 ids after 'Uid:'"},
    {"no kB", S("Name:\tx\nPid:\t1\nVmRSS:\t 1692\n"), 3, "expected a number of kB after 'VmRSS:'"},
    {"MB", S("Name:\tx\nPid:\t1\nVmSwap:\t 1692 MB\n"), 3,
     "expected a number of kB after 'VmSwap:'"},
    {"negative threads", S("Name:\tx\nPid:\t1\nThreads:\t-1\n"), 3,
     "expected a number after 'Threads:'"},
    {"truncated", S("Name:\tx\nPid:\t1\nVmRSS:\t  16"), 3,
     "file ends in the middle of a line (truncated?)"},
    {"NUL",
     S("Name:\tx\nPid:\t1\0"
       "2\n"),
     2, "expected a number after 'Pid:'"},
};

static void test_status_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(status_bad); i++) {
		struct pid_status st;
		struct perr e = {0};
		print_message("case %s\n", status_bad[i].name);
		assert_int_equal(pidstatus_parse(status_bad[i].in, status_bad[i].len, &st, &e),
		                 -EINVAL);
		assert_int_equal(e.line, status_bad[i].line);
		assert_string_equal(e.msg, status_bad[i].msg);
		assert_int_equal(st.pid, 0);
		assert_string_equal(st.name, "");
	}
}

/* ---- limits ---- */

/* Captured on a Debian 12 Firecracker guest, kernel 6.18 (/proc/self/limits). */
static const char limits_618[] =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max file size             unlimited            unlimited            bytes     \n"
    "Max data size             unlimited            unlimited            bytes     \n"
    "Max stack size            8388608              unlimited            bytes     \n"
    "Max core file size        0                    unlimited            bytes     \n"
    "Max resident set          unlimited            unlimited            bytes     \n"
    "Max processes             96365                96365                processes \n"
    "Max open files            20000                20000                files     \n"
    "Max locked memory         8388608              8388608              bytes     \n"
    "Max address space         unlimited            unlimited            bytes     \n"
    "Max file locks            unlimited            unlimited            locks     \n"
    "Max pending signals       96365                96365                signals   \n"
    "Max msgqueue size         819200               819200               bytes     \n"
    "Max nice priority         0                    0                    \n"
    "Max realtime priority     0                    0                    \n"
    "Max realtime timeout      unlimited            unlimited            us        \n";

/* Hand-written in the 3.10 format for a PostgreSQL master started by systemd with
 * its defaults (LimitNOFILE=1024:524288, LimitMEMLOCK=64K); rows trimmed. */
static const char limits_pg[] =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max core file size        0                    unlimited            bytes     \n"
    "Max processes             63448                63448                processes \n"
    "Max open files            1024                 524288               files     \n"
    "Max locked memory         65536                65536                bytes     \n";

struct limits_case {
	const char *name;
	const char *in;
	size_t len;
	struct rlim want[PL__COUNT];
};

static const struct limits_case limits_good[] = {
    {"6.18",
     S(limits_618),
     {[PL_NOFILE] = {true, 20000, 20000},
      [PL_NPROC] = {true, 96365, 96365},
      [PL_MEMLOCK] = {true, 8388608, 8388608},
      [PL_CORE] = {true, 0, UNL},
      [PL_AS] = {true, UNL, UNL}}},
    {"postgres",
     S(limits_pg),
     {[PL_NOFILE] = {true, 1024, 524288},
      [PL_NPROC] = {true, 63448, 63448},
      [PL_MEMLOCK] = {true, 65536, 65536},
      [PL_CORE] = {true, 0, UNL}}},
    {"header only",
     S("Limit                     Soft Limit           Hard Limit           Units     \n"),
     {{0}}},
    /* Rows kres does not use are not looked at; a row with single spaces only has
     * no title kres knows. */
    {"odd rows",
     S("Limit Soft Limit Hard Limit Units\n"
       "Max cpu time              garbage\n"
       "Max open files 1 2 files\n"
       "Max open filesystems      1                    2\n"
       "\n"
       "Max processes  5  6\n"),
     {[PL_NPROC] = {true, 5, 6}}},
};

static void test_limits_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(limits_good); i++) {
		struct pid_limits pl;
		struct perr e = {0};
		print_message("case %s\n", limits_good[i].name);
		assert_int_equal(pidlimits_parse(limits_good[i].in, limits_good[i].len, &pl, &e),
		                 0);
		for (int l = 0; l < PL__COUNT; l++) {
			const struct rlim *w = &limits_good[i].want[l];
			assert_int_equal(pl.l[l].present, w->present);
			assert_int_equal(pl.l[l].soft, w->soft);
			assert_int_equal(pl.l[l].hard, w->hard);
		}
	}
	assert_string_equal(pidlimits_name(PL_NOFILE), "Max open files");
	assert_string_equal(pidlimits_name(PL_NPROC), "Max processes");
	assert_string_equal(pidlimits_name(PL_MEMLOCK), "Max locked memory");
	assert_string_equal(pidlimits_name(PL_CORE), "Max core file size");
	assert_string_equal(pidlimits_name(PL_AS), "Max address space");
	assert_string_equal(pidlimits_name(PL__COUNT), "?");
}

#define LHDR "Limit                     Soft Limit           Hard Limit           Units     \n"

static const struct bad_case limits_bad[] = {
    {"empty", S(""), 0, "empty file, expected a header line"},
    {"no header", S("Max open files            1024                 524288               files\n"),
     1, "expected the header 'Limit Soft Limit Hard Limit Units'"},
    {"blank header", S("\n"), 1, "expected the header 'Limit Soft Limit Hard Limit Units'"},
    {"garbage",
     S(LHDR "Max open files            x                    y                    files\n"), 2,
     "expected soft and hard limits after 'Max open files'"},
    {"one value", S(LHDR "Max processes             5\n"), 2,
     "expected soft and hard limits after 'Max processes'"},
    {"no value", S(LHDR "Max processes  \n"), 2,
     "expected soft and hard limits after 'Max processes'"},
    {"title alone", S(LHDR "Max processes\n"), 2,
     "expected soft and hard limits after 'Max processes'"},
    {"extra", S(LHDR "Max locked memory         1  2  bytes  more\n"), 2,
     "expected soft and hard limits after 'Max locked memory'"},
    {"overflow", S(LHDR "Max address space         99999999999999999999999  unlimited  bytes\n"), 2,
     "expected soft and hard limits after 'Max address space'"},
    {"negative", S(LHDR "Max core file size        -1  unlimited  bytes\n"), 2,
     "expected soft and hard limits after 'Max core file size'"},
    {"Unlimited", S(LHDR "Max core file size        Unlimited  unlimited  bytes\n"), 2,
     "expected soft and hard limits after 'Max core file size'"},
    {"truncated", S(LHDR "Max open files            1024                 5242"), 2,
     "file ends in the middle of a line (truncated?)"},
    {"NUL", S(LHDR "Max open files            1024\0                 524288  files\n"), 2,
     "expected soft and hard limits after 'Max open files'"},
};

static void test_limits_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(limits_bad); i++) {
		struct pid_limits pl;
		struct perr e = {0};
		print_message("case %s\n", limits_bad[i].name);
		assert_int_equal(pidlimits_parse(limits_bad[i].in, limits_bad[i].len, &pl, &e),
		                 -EINVAL);
		assert_int_equal(e.line, limits_bad[i].line);
		assert_string_equal(e.msg, limits_bad[i].msg);
		for (int l = 0; l < PL__COUNT; l++)
			assert_false(pl.l[l].present);
	}
}

/* ---- oom_score_adj ---- */

static const struct {
	const char *in;
	size_t len;
	int rc;
	int adj;
	const char *msg;
} oomadj[] = {
    {S("0\n"), 0, 0, ""}, /* captured on the 6.18 guest */
    {S("-1000\n"), 0, -1000, ""},
    {S("1000\n"), 0, 1000, ""},
    {S("-900"), 0, -900, ""},
    {S(""), -EINVAL, 0, "expected one integer"},
    {S("\n"), -EINVAL, 0, "expected one integer"},
    {S("abc\n"), -EINVAL, 0, "expected one integer"},
    {S("1\n\n"), -EINVAL, 0, "expected one integer"},
    {S(" 5\n"), -EINVAL, 0, "expected one integer"},
    {S("5 \n"), -EINVAL, 0, "expected one integer"},
    {S("+5\n"), -EINVAL, 0, "expected one integer"},
    {S("-\n"), -EINVAL, 0, "expected one integer"},
    {S("1\0"
       "2\n"),
     -EINVAL, 0, "expected one integer"},
    {S("1001\n"), -ERANGE, 0, "value is outside -1000..1000"},
    {S("-1001\n"), -ERANGE, 0, "value is outside -1000..1000"},
    {S("99999999999999999999999\n"), -ERANGE, 0, "value is outside -1000..1000"},
    {S("-9223372036854775808\n"), -ERANGE, 0, "value is outside -1000..1000"},
};

static void test_oomadj(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(oomadj); i++) {
		int adj = 77;
		struct perr e = {0};
		print_message("case %zu\n", i);
		assert_int_equal(oomadj_parse(oomadj[i].in, oomadj[i].len, &adj, &e), oomadj[i].rc);
		assert_int_equal(adj, oomadj[i].adj);
		assert_string_equal(e.msg, oomadj[i].msg);
		assert_int_equal(e.line, oomadj[i].rc ? 1 : 0);
	}
}

/* ---- environ and cmdline ---- */

/* Hand-written like the environ of a PostgreSQL master started by pg_ctlcluster. */
static const char environ_pg[] =
    "LANG=C.UTF-8\0"
    "PATH=/usr/local/bin:/usr/bin:/bin\0"
    "PGDATA=/var/lib/postgresql/15/main\0"
    "PG=short\0"
    "EMPTY=\0"
    "JUNK\0"
    "A=b=c\0"
    "PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj"; /* cut short: no NUL */

static void test_environ(void **state)
{
	static const struct {
		const char *name;
		const char *value; /* NULL: not found */
	} cases[] = {
	    {"PGDATA", "/var/lib/postgresql/15/main"},
	    {"PG", "short"},
	    {"LANG", "C.UTF-8"},
	    {"EMPTY", ""},
	    {"A", "b=c"},
	    {"PG_OOM_ADJUST_FILE", "/proc/self/oom_score_adj"},
	    {"PGDAT", NULL},
	    {"PGDATAX", NULL},
	    {"JUNK", NULL},
	    {"ANG", NULL},
	    {"C.UTF-8", NULL},
	    {"", NULL},
	    {"LANG=C.UTF-8", NULL},
	    {"=", NULL},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *v = environ_get(environ_pg, sizeof(environ_pg) - 1, cases[i].name);
		print_message("case '%s'\n", cases[i].name);
		if (!cases[i].value) {
			assert_null(v);
			continue;
		}
		assert_non_null(v);
		assert_string_equal(v, cases[i].value);
		assert_true(v > environ_pg && v < environ_pg + sizeof(environ_pg)); /* into buf */
	}
	assert_null(environ_get("", 0, "PATH"));
	assert_null(environ_get(S("\0\0\0"), "PATH"));
	/* A name past len is not found. */
	assert_null(environ_get(environ_pg, 13, "PATH"));
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	size_t max;
	size_t n;
	const char *argv[4];
} cmdlines[] = {
    /* Captured on the 6.18 guest: /proc/self/cmdline of cat. */
    {"cat", S("cat\0/proc/self/cmdline\0"), 4, 2, {"cat", "/proc/self/cmdline"}},
    {"postgres",
     S("/usr/lib/postgresql/15/bin/postgres\0-D\0/var/lib/postgresql/15/main\0-c\0"
       "config_file=/etc/postgresql/15/main/postgresql.conf\0"),
     3,
     3,
     {"/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/15/main"}},
    /* A title rewritten with setproctitle: no NUL at all. */
    {"retitled", S("postgres: 15/main: checkpointer "), 4, 1, {"postgres: 15/main: checkpointer "}},
    {"empty", S(""), 4, 0, {NULL}},
    {"one empty arg", S("\0"), 4, 1, {""}},
    {"empty last arg", S("a\0\0"), 4, 2, {"a", ""}},
    {"empty middle arg", S("a\0\0b\0"), 4, 3, {"a", "", "b"}},
    {"no trailing NUL", S("a\0b"), 4, 2, {"a", "b"}},
    {"max 0", S("a\0b\0"), 0, 0, {NULL}},
};

static void test_cmdline(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cmdlines); i++) {
		const char *argv[4] = {NULL};
		print_message("case %s\n", cmdlines[i].name);
		assert_int_equal(
		    cmdline_split(cmdlines[i].in, cmdlines[i].len, argv, cmdlines[i].max),
		    cmdlines[i].n);
		for (size_t k = 0; k < cmdlines[i].n; k++)
			assert_string_equal(argv[k], cmdlines[i].argv[k]);
		if (cmdlines[i].n < 4)
			assert_null(argv[cmdlines[i].n]);
	}
}

/* ---- maps ---- */

/* Captured on a Debian 12 Firecracker guest, kernel 6.18 (/proc/self/maps of cat,
 * trimmed): only private and file mappings, one shared read-only file. */
static const char maps_618[] =
    "556858e1e000-556858e20000 r--p 00000000 fe:00 247134                     /usr/bin/cat\n"
    "556858e29000-556858e2a000 rw-p 0000a000 fe:00 247134                     /usr/bin/cat\n"
    "55688301f000-556883040000 rw-p 00000000 00:00 0                          [heap]\n"
    "7f4536330000-7f4536352000 rw-p 00000000 00:00 0 \n"
    "7eff448fd000-7eff44904000 r--s 00000000 fe:00 332280                     "
    "/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache\n"
    "7ffca5693000-7ffca56b4000 rw-p 00000000 00:00 0                          [stack]\n"
    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

/* Hand-written in the 5.x format: a PostgreSQL 15 master with huge_pages = off. Its
 * main segment is an anonymous shared mapping (shmem "/dev/zero"), plus the 56-byte
 * SysV segment keyed 5432001 (0x52e2c1) and a dynamic POSIX segment. */
static const char maps_pg_devzero[] =
    "55d0c0a00000-55d0c0b2c000 r--p 00000000 fd:01 1049179                    "
    "/usr/lib/postgresql/15/bin/postgres\n"
    "55d0c1d3e000-55d0c1e1f000 rw-p 00000000 00:00 0                          [heap]\n"
    "7f1b2c000000-7f1b3c6a2000 rw-s 00000000 00:01 12345                      "
    "/dev/zero (deleted)\n"
    "7f1b3c6a2000-7f1b3c6a3000 rw-p 00000000 00:00 0 \n"
    "7f1b3d000000-7f1b3d001000 rw-s 00000000 00:01 32768                      "
    "/SYSV0052e2c1 (deleted)\n"
    "7f1b3e000000-7f1b3e0b6000 rw-s 00000000 00:19 1234                       "
    "/dev/shm/PostgreSQL.1804289383\n"
    "7f1b3f000000-7f1b3f001000 r--p 00000000 00:05 4                          /dev/zero\n"
    "7ffd0e4a4000-7ffd0e4c5000 rw-p 00000000 00:00 0                          [stack]\n";

/* Hand-written in the 6.x format: the same master with huge_pages = on (hugetlbfs
 * names the mapping "anon_hugepage"), and a second, smaller /dev/zero mapping. */
static const char maps_pg_huge[] =
    "7f0a40000000-7f0a90400000 rw-s 00000000 00:0f 2049                       "
    "/anon_hugepage (deleted)\n"
    "7f0a90400000-7f0a90500000 rw-s 00000000 00:01 2050                       "
    "/dev/zero (deleted)\n"
    "7f0a91000000-7f0a91001000 rw-s 00000000 00:01 5                          "
    "/SYSV0052e2c1 (deleted)\n";

/* Hand-written: an Oracle-style SGA in three SysV segments on huge pages, a private
 * copy of a "/dev/zero (deleted)" (not shared: not counted) and a malformed SysV name. */
static const char maps_sysv[] =
    "60000000-60a00000 rw-s 00000000 00:0f 98304                              "
    "/SYSV00000000 (deleted)\n"
    "61000000-c1000000 rw-s 00000000 00:0f 131073                             "
    "/SYSV00000000 (deleted)\n"
    "c1000000-c1200000 rw-s 00000000 00:0f 163842                             "
    "/SYSVa1b2c3d4 (deleted)\n"
    "c2000000-c2001000 rw-s 00000000 00:0f 163843                             "
    "/SYSV12345 (deleted)\n"
    "d0000000-e0000000 rw-p 00000000 00:01 7                                  "
    "/dev/zero (deleted)\n"
    "e0000000-e0001000 rw-s 00000000 00:19 9                                  "
    "/dev/shm/x (deleted)\n";

static const struct {
	const char *name;
	const char *in;
	size_t len;
	struct pid_maps want;
} maps_good[] = {
    {"6.18", S(maps_618), {{SHM_NONE, 0}, 0, 0, 0}},
    {"pg devzero", S(maps_pg_devzero), {{SHM_DEVZERO, 0x106a2000}, 4096, 1, 0xb6000}},
    {"pg huge", S(maps_pg_huge), {{SHM_ANONHUGE, 0x50400000}, 4096, 1, 0}},
    {"sysv", S(maps_sysv), {{SHM_NONE, 0}, 0xa00000 + 0x60000000 + 0x200000, 3, 0x1000}},
    {"empty (kernel thread)", S(""), {{SHM_NONE, 0}, 0, 0, 0}},
    {"saturating",
     S("0-ffffffffffffffff rw-s 0 0:0 0 /dev/shm/a\n"
       "0-ffffffffffffffff rw-s 0 0:0 0 /dev/shm/b\n"),
     {{SHM_NONE, 0}, 0, 0, UINT64_MAX}},
};

static void test_maps_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(maps_good); i++) {
		const struct pid_maps *w = &maps_good[i].want;
		struct pid_maps pm;
		struct perr e = {0};
		print_message("case %s\n", maps_good[i].name);
		assert_int_equal(maps_parse(maps_good[i].in, maps_good[i].len, &pm, &e), 0);
		assert_int_equal(pm.main.kind, w->main.kind);
		assert_int_equal(pm.main.bytes, w->main.bytes);
		assert_int_equal(pm.sysv_bytes, w->sysv_bytes);
		assert_int_equal(pm.sysv_count, w->sysv_count);
		assert_int_equal(pm.posix_bytes, w->posix_bytes);
	}
}

#define MAPS_SYNTAX "expected 'start-end perms offset dev inode [path]'"
#define MAPS_FIELDS "malformed perms, offset, device or inode"

static const struct bad_case maps_bad[] = {
    {"garbage", S("hello world\n"), 1, MAPS_SYNTAX},
    {"blank line", S("\n"), 1, MAPS_SYNTAX},
    {"bad start", S("zzzz-1000 r--p 00000000 fe:00 1 /x\n"), 1, MAPS_SYNTAX},
    {"no dash", S("10001000 r--p 00000000 fe:00 1 /x\n"), 1, MAPS_SYNTAX},
    {"backwards", S("2000-1000 r--p 00000000 fe:00 1 /x\n"), 1, MAPS_SYNTAX},
    {"overflow", S("10000000000000000-10000000000000001 r--p 0 0:0 0\n"), 1, MAPS_SYNTAX},
    {"4 fields", S("1000-2000 r--p 00000000 fe:00\n"), 1, MAPS_SYNTAX},
    {"bad perms", S("1000-2000 rwxq 00000000 fe:00 1\n"), 1, MAPS_FIELDS},
    {"short perms", S("1000-2000 rw- 00000000 fe:00 1\n"), 1, MAPS_FIELDS},
    {"bad offset", S("1000-2000 rw-s 0000000g fe:00 1\n"), 1, MAPS_FIELDS},
    {"bad dev", S("1000-2000 rw-s 00000000 fe00 1\n"), 1, MAPS_FIELDS},
    {"bad inode", S("1000-2000 rw-s 00000000 fe:00 -1\n"), 1, MAPS_FIELDS},
    {"second line", S("1000-2000 rw-s 0 0:0 0\n1000-2000 rw-s 0 0:0 x /dev/zero (deleted)\n"), 2,
     MAPS_FIELDS},
    {"truncated", S("1000-2000 rw-s 00000000 00:01 5 /dev/zero (del"), 1,
     "file ends in the middle of a line (truncated?)"},
    {"NUL",
     S("1000-2000 rw-s 0000\0"
       "0000 00:01 5 /dev/zero (deleted)\n"),
     1, MAPS_FIELDS},
};

static void test_maps_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(maps_bad); i++) {
		struct pid_maps pm;
		struct perr e = {0};
		print_message("case %s\n", maps_bad[i].name);
		assert_int_equal(maps_parse(maps_bad[i].in, maps_bad[i].len, &pm, &e), -EINVAL);
		assert_int_equal(e.line, maps_bad[i].line);
		assert_string_equal(e.msg, maps_bad[i].msg);
		assert_int_equal(pm.main.kind, SHM_NONE);
		assert_int_equal(pm.sysv_count, 0);
	}
}

/* ---- cgroup ---- */

/* Captured on a Debian 12 Firecracker guest, kernel 6.18: cgroup v1 (hybrid). */
static const char cgroup_618[] = "9:name=systemd:/\n"
                                 "8:pids:/\n"
                                 "7:blkio:/\n"
                                 "6:freezer:/\n"
                                 "5:devices:/\n"
                                 "4:memory:/process_api/b40e2ac9a596b326c36cbe90160a21d6\n"
                                 "3:cpuset:/\n"
                                 "2:cpuacct:/\n"
                                 "1:cpu:/\n"
                                 "0::/\n";

/* Hand-written: a RHEL 8 (4.18, systemd 239) hybrid host running PostgreSQL 13 with
 * controllers co-mounted as cpu,cpuacct. */
static const char cgroup_rhel8[] = "12:memory:/system.slice/postgresql-13.service\n"
                                   "11:cpu,cpuacct:/system.slice/postgresql-13.service\n"
                                   "1:name=systemd:/system.slice/postgresql-13.service\n"
                                   "0::/system.slice/postgresql-13.service\n";

static const struct {
	const char *name;
	const char *in;
	size_t len;
	struct pid_cgroup want;
	const char *unit; /* NULL: none */
} cgroups[] = {
    {"6.18 v1",
     S(cgroup_618),
     {true, "/", true, "/process_api/b40e2ac9a596b326c36cbe90160a21d6", "/"},
     NULL},
    /* Hand-written: a Debian 12 host, cgroup v2 only. */
    {"v2",
     S("0::/system.slice/postgresql@15-main.service\n"),
     {true, "/system.slice/postgresql@15-main.service", false, "",
      "/system.slice/postgresql@15-main.service"},
     "postgresql@15-main.service"},
    {"rhel8",
     S(cgroup_rhel8),
     {true, "/system.slice/postgresql-13.service", true, "/system.slice/postgresql-13.service",
      "/system.slice/postgresql-13.service"},
     "postgresql-13.service"},
    /* Hand-written: CentOS 7 (3.10), v1 only, memory co-mounted with others. */
    {"v1 only",
     S("11:hugetlb,memory:/system.slice/postgresql-11.service\n"
       "1:name=systemd:/system.slice/postgresql-11.service\n"),
     {false, "", true, "/system.slice/postgresql-11.service",
      "/system.slice/postgresql-11.service"},
     "postgresql-11.service"},
    {"session",
     S("0::/user.slice/user-1000.slice/session-3.scope\n"),
     {true, "/user.slice/user-1000.slice/session-3.scope", false, "",
      "/user.slice/user-1000.slice/session-3.scope"},
     NULL},
    {"docker v1",
     S("4:memory:/docker/8c1f\n1:name=systemd:/docker/8c1f\n"),
     {false, "", true, "/docker/8c1f", "/docker/8c1f"},
     NULL},
    /* A delegated service puts its processes in sub-cgroups. */
    {"delegated",
     S("0::/system.slice/patroni.service/payload\n"),
     {true, "/system.slice/patroni.service/payload", false, "",
      "/system.slice/patroni.service/payload"},
     "patroni.service"},
    {"colon in path",
     S("0::/a:b/c.service\n"),
     {true, "/a:b/c.service", false, "", "/a:b/c.service"},
     "c.service"},
    {"bare .service", S("0::/x/.service\n"), {true, "/x/.service", false, "", "/x/.service"}, NULL},
    {"not a suffix",
     S("0::/x.service.d/y\n"),
     {true, "/x.service.d/y", false, "", "/x.service.d/y"},
     NULL},
    {"no v2 no systemd", S("4:memory:/m\n"), {false, "", true, "/m", ""}, NULL},
    /* 255 bytes, the most the struct holds. */
    {"max path",
     S("0::/" D240 "012345.service\n"),
     {true, "/" D240 "012345.service", false, "", "/" D240 "012345.service"},
     NULL}, /* longer than the unit buffer of the test: not cut, refused */
};

static void test_cgroup_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cgroups); i++) {
		const struct pid_cgroup *w = &cgroups[i].want;
		struct pid_cgroup cg;
		struct perr e = {0};
		char unit[64] = "junk";
		print_message("case %s\n", cgroups[i].name);
		assert_int_equal(cgroup_parse(cgroups[i].in, cgroups[i].len, &cg, &e), 0);
		assert_int_equal(cg.has_v2, w->has_v2);
		assert_string_equal(cg.v2, w->v2);
		assert_int_equal(cg.has_v1_memory, w->has_v1_memory);
		assert_string_equal(cg.v1_memory, w->v1_memory);
		assert_string_equal(cg.systemd, w->systemd);
		assert_int_equal(cgroup_unit(&cg, unit, sizeof(unit)), cgroups[i].unit != NULL);
		assert_string_equal(unit, cgroups[i].unit ? cgroups[i].unit : "");
	}
}

static void test_cgroup_unit_small(void **state)
{
	struct pid_cgroup cg = {.systemd = "/system.slice/postgresql@15-main.service"};
	char unit[27];
	(void)state;
	assert_false(cgroup_unit(&cg, unit, sizeof(unit) - 1));
	assert_string_equal(unit, "");
	assert_true(cgroup_unit(&cg, unit, sizeof(unit)));
	assert_string_equal(unit, "postgresql@15-main.service");
	assert_false(cgroup_unit(&cg, unit, 0));
}

#define CG_SYNTAX "expected 'id:controllers:path'"

static const struct bad_case cgroup_bad[] = {
    {"empty", S(""), 0, "empty file"},
    {"garbage", S("garbage\n"), 1, CG_SYNTAX},
    {"blank line", S("0::/\n\n"), 2, CG_SYNTAX},
    {"one colon", S("4:memory\n"), 1, CG_SYNTAX},
    {"bad id", S("x::/\n"), 1, CG_SYNTAX},
    {"negative id", S("-1:memory:/\n"), 1, CG_SYNTAX},
    {"id overflow", S("99999999999999999999999:memory:/\n"), 1, CG_SYNTAX},
    {"truncated", S("1:name=systemd:/\n0::/system.sl"), 2,
     "file ends in the middle of a line (truncated?)"},
    {"NUL", S("0\0::/\n"), 1, CG_SYNTAX},
    {"too long", S("0::/" D240 "0123456.service\n"), 1, "cgroup path is longer than 255 bytes"},
    {"too long memory", S("4:memory:/" D240 "012345678901234\n"), 1,
     "cgroup path is longer than 255 bytes"},
};

static void test_cgroup_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cgroup_bad); i++) {
		struct pid_cgroup cg;
		struct perr e = {0};
		print_message("case %s\n", cgroup_bad[i].name);
		assert_int_equal(cgroup_parse(cgroup_bad[i].in, cgroup_bad[i].len, &cg, &e),
		                 -EINVAL);
		assert_int_equal(e.line, cgroup_bad[i].line);
		assert_string_equal(e.msg, cgroup_bad[i].msg);
		assert_false(cg.has_v2);
		assert_string_equal(cg.systemd, "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status_good),
	    cmocka_unit_test(test_status_bad),
	    cmocka_unit_test(test_limits_good),
	    cmocka_unit_test(test_limits_bad),
	    cmocka_unit_test(test_oomadj),
	    cmocka_unit_test(test_environ),
	    cmocka_unit_test(test_cmdline),
	    cmocka_unit_test(test_maps_good),
	    cmocka_unit_test(test_maps_bad),
	    cmocka_unit_test(test_cgroup_good),
	    cmocka_unit_test(test_cgroup_unit_small),
	    cmocka_unit_test(test_cgroup_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
