// SPDX-License-Identifier: MIT
/* klog/journal: kernel records read through sd-journal from journal files that
 * systemd-journal-remote builds at start-up out of the export-format fixture
 * tests/fixtures/klog/journal/kernel.export (no journald needed). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "klog/journal.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "tree.h"

#define FIXTURE "tests/fixtures/klog/journal/kernel.export"
#define BOOT_A  "0f3c5a1e2b8d4c6f9a7e1d2c3b4a5f60"
#define BOOT_B  "7d2e9b41c6a84f0e8b35a1c9d0e2f471"
/* Longer than the 64 KiB journal.c keeps of a MESSAGE. */
#define BIG_LEN 70000

static const char *const remote_paths[] = {
    "/lib/systemd/systemd-journal-remote",
    "/usr/lib/systemd/systemd-journal-remote",
};

static struct {
	const char *remote; /* systemd-journal-remote, or NULL when not installed */
	struct tree t;      /* /all: the fixture; /big: one huge MESSAGE; /log: stderr */
} g;

/* The kernel records of kernel.export, in order; the two syslog entries are absent. */
static const struct want {
	const char *msg;
	size_t len; /* 0: strlen(msg) */
	int64_t mono_us, wall_us;
	int level, facility;
	const char *device, *boot;
} want[] = {
    {"Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian "
     "12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC "
     "Debian 6.1.76-1 (2024-02-01)",
     0, 0, 1710146400123456, 5, 0, NULL, BOOT_A},
    {"nvme nvme0: 8/0/0 default/read/poll queues", 0, 1734012, 1710146400223456, 6, 0, "c246:0",
     BOOT_A},
    {"Out of memory: Killed process 41234 (postgres) total-vm:8912340kB, "
     "anon-rss:6012344kB, file-rss:2048kB, shmem-rss:1536000kB, UID:105 pgtables:13120kB "
     "oom_score_adj:0",
     0, 86400123456, 1710232800500000, 3, 0, NULL, BOOT_A},
    /* The binary MESSAGE: 0xff and a NUL in the middle. */
    {"usb 1-1: Product: USB\xff\0Keyboard", 31, 86401000000, 1710232801000000, 6, 0, "+usb:1-1",
     BOOT_A},
    {"Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) #1 SMP "
     "PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
     0, 0, 1710320000000000, 5, 0, NULL, BOOT_B},
    {"watchdog: BUG: soft lockup - CPU#7 stuck for 22s! [postgres:41234]", 0, 3605123456,
     1710323605200000, 0, 0, NULL, BOOT_B},
    /* No _SOURCE_MONOTONIC_TIMESTAMP: the entry's own; no PRIORITY, no SYSLOG_FACILITY. */
    {"sd 0:0:0:0: [sda] tag#12 timing out command, waited 180s", 0, 3700000000, 1710323700000000,
     -1, 0, "+scsi:0:0:0:0", BOOT_B},
    /* Written to /dev/kmsg by systemd: facility 3; PRIORITY=12 is out of range. */
    {"Inserted module 'autofs4'", 0, 3799990000, 1710323800000000, -1, 3, NULL, BOOT_B},
};

/* Runs systemd-journal-remote on the export file in, writing the journal file out;
 * extra is one more option or NULL. Its output goes to /log, shown on failure. */
static void make_journal(const char *out, const char *in, const char *extra)
{
	char o[PATH_MAX + 16];
	snprintf(o, sizeof(o), "--output=%s", out);
	/* posix_spawn takes char *const[]: copies, not casts that drop const. */
	char *argv[] = {xstrdup(g.remote), xstrdup(o), xstrdup(extra ? extra : in),
	                extra ? xstrdup(in) : NULL, NULL};
	const char *log = tree_path(&g.t, "/log");
	posix_spawn_file_actions_t fa;
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	assert_int_equal(
	    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, 1, 2), 0);
	pid_t pid;
	int st;
	assert_int_equal(posix_spawn(&pid, g.remote, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		char buf[2000] = "";
		FILE *f = fopen(log, "r");
		if (f) {
			buf[fread(buf, 1, sizeof(buf) - 1, f)] = '\0';
			fclose(f);
		}
		fail_msg("%s %s %s failed (status %d):\n%s", g.remote, o, in, st, buf);
	}
}

/* The export text of one kernel record at monotonic time mono seconds whose MESSAGE is
 * BIG_LEN letters. */
static char *big_export(int mono, size_t *n)
{
	char head[300];
	int hl = snprintf(head, sizeof(head),
	                  "__REALTIME_TIMESTAMP=17104000%02d000000\n"
	                  "__MONOTONIC_TIMESTAMP=%d000000\n"
	                  "_BOOT_ID=" BOOT_B "\n"
	                  "_TRANSPORT=kernel\n"
	                  "PRIORITY=4\n"
	                  "MESSAGE=",
	                  mono, mono);
	assert_true(hl > 0 && (size_t)hl < sizeof(head));
	*n = (size_t)hl + BIG_LEN + 2;
	char *s = xmalloc(*n);
	memcpy(s, head, (size_t)hl);
	for (size_t i = 0; i < BIG_LEN; i++)
		s[hl + i] = (char)('a' + i % 26);
	memcpy(s + *n - 2, "\n\n", 2);
	return s;
}

static int group_setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(remote_paths) && !g.remote; i++)
		if (access(remote_paths[i], X_OK) == 0)
			g.remote = remote_paths[i];
	if (!g.remote)
		return 0;
	if (access(FIXTURE, R_OK))
		fail_msg("cannot read '%s' (run from the top of the tree): %s", FIXTURE,
		         strerror(errno));
	tree_init(&g.t);
	tree_mkdir(&g.t, "/all");
	tree_mkdir(&g.t, "/big");
	make_journal(tree_path(&g.t, "/all/kernel.journal"), FIXTURE, NULL);
	/* The same message twice: compressed (as journald stores a big field) and not.
	 * The times differ, else sd-journal shows the two entries as one. */
	size_t n;
	char *big = big_export(5, &n);
	tree_put_n(&g.t, "/big-z.export", big, n);
	free(big);
	big = big_export(6, &n);
	tree_put_n(&g.t, "/big-raw.export", big, n);
	free(big);
	make_journal(tree_path(&g.t, "/big/z.journal"), tree_path(&g.t, "/big-z.export"), NULL);
	make_journal(tree_path(&g.t, "/big/raw.journal"), tree_path(&g.t, "/big-raw.export"),
	             "--compress=no");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (g.remote)
		tree_release(&g.t);
	return 0;
}

static void need_remote(void)
{
	if (!g.remote) {
		print_message("skipped: systemd-journal-remote is not installed (it builds the "
		              "test journal; apt-get install systemd-journal-remote)\n");
		skip();
	}
}

static struct klog_journal *open_ok(const char *dir, const char *boot, const char *cursor)
{
	struct klog_journal *j = NULL;
	char err[512] = "";
	int rc = klog_journal_open(&j, tree_path(&g.t, dir), boot, cursor, err, sizeof(err));
	if (rc)
		fail_msg("klog_journal_open: %d %s", rc, err);
	assert_non_null(j);
	return j;
}

/* Asserts that r is want[i] and the lineno-th record read. */
static void check_rec(const struct klog_rec *r, size_t i, uint64_t lineno)
{
	const struct want *w = &want[i];
	size_t len = w->len ? w->len : strlen(w->msg);
	struct buf shown = BUF_INIT;
	buf_put_escaped(&shown, w->msg, len < 40 ? len : 40);
	print_message("record %zu: '%s'\n", i + 1, buf_str(&shown));
	buf_release(&shown);
	assert_int_equal(r->len, len);
	assert_memory_equal(r->msg, w->msg, len);
	assert_true(r->mono_us == w->mono_us);
	assert_true(r->wall_us == w->wall_us);
	assert_true(r->wall_utc);
	assert_int_equal(r->level, w->level);
	assert_int_equal(r->facility, w->facility);
	assert_false(r->has_seq);
	if (w->device)
		assert_string_equal(r->device, w->device);
	else
		assert_null(r->device);
	assert_string_equal(r->boot_id, w->boot);
	assert_int_equal(r->lineno, lineno);
}

/* Every kernel record with every field, the syslog entries skipped; the end is sticky
 * and the cursor then is the last record's. */
static void test_all_records(void **state)
{
	(void)state;
	need_remote();
	struct klog_journal *j = open_ok("/all", NULL, NULL);
	struct klog_rec r;
	assert_null(klog_journal_cursor(j));
	char *last = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(klog_journal_next(j, &r), 1);
		check_rec(&r, i, i + 1);
		free(last);
		last = klog_journal_cursor(j);
		assert_non_null(last);
	}
	/* 10 entries in the export, 8 from the kernel. */
	assert_int_equal(klog_journal_next(j, &r), 0);
	assert_int_equal(klog_journal_next(j, &r), 0);
	char *end = klog_journal_cursor(j);
	assert_non_null(end);
	assert_string_equal(end, last);
	free(end);
	free(last);
	klog_journal_close(j);
}

/* "" selects this machine's boot: a journal with one record of it among the others. */
static void test_current_boot(void)
{
	char id[64] = "", hex[33], exp[400];
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	if (!f || !fgets(id, sizeof(id), f)) {
		print_message("no /proc/sys/kernel/random/boot_id: current boot not tested\n");
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	size_t n = 0;
	for (const char *p = id; *p && *p != '\n' && n < 32; p++)
		if (*p != '-')
			hex[n++] = *p;
	hex[n] = '\0';
	assert_int_equal(n, 32);
	snprintf(exp, sizeof(exp),
	         "__REALTIME_TIMESTAMP=1710500000000000\n__MONOTONIC_TIMESTAMP=7000000\n"
	         "_BOOT_ID=%s\n_TRANSPORT=kernel\nPRIORITY=6\nMESSAGE=this boot\n\n",
	         hex);
	tree_put(&g.t, "/now.export", exp);
	tree_mkdir(&g.t, "/now");
	make_journal(tree_path(&g.t, "/now/a.journal"), FIXTURE, NULL);
	make_journal(tree_path(&g.t, "/now/b.journal"), tree_path(&g.t, "/now.export"), NULL);
	struct klog_journal *j = open_ok("/now", "", NULL);
	struct klog_rec r;
	assert_int_equal(klog_journal_next(j, &r), 1);
	assert_true(span_eq((struct span){r.msg, r.len}, "this boot"));
	assert_string_equal(r.boot_id, hex);
	assert_int_equal(klog_journal_next(j, &r), 0);
	klog_journal_close(j);
}

static void test_boot_filter(void **state)
{
	(void)state;
	need_remote();
	static const struct {
		const char *boot;
		size_t first, n; /* the want[] records expected */
	} cases[] = {
	    {BOOT_B, 4, 4},
	    {"0F3C5A1E2B8D4C6F9A7E1D2C3B4A5F60", 0, 4}, /* upper case is the same id */
	    {"", 0, 0},                                 /* the current boot: not in the fixture */
	};
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		print_message("boot '%s'\n", cases[c].boot);
		struct klog_journal *j = open_ok("/all", cases[c].boot, NULL);
		struct klog_rec r;
		for (size_t i = 0; i < cases[c].n; i++) {
			assert_int_equal(klog_journal_next(j, &r), 1);
			check_rec(&r, cases[c].first + i, i + 1);
		}
		assert_int_equal(klog_journal_next(j, &r), 0);
		klog_journal_close(j);
	}
	test_current_boot();
}

/* The cursor of record i (0-based) with no filter. */
static char *cursor_of(size_t i)
{
	struct klog_journal *j = open_ok("/all", NULL, NULL);
	struct klog_rec r;
	for (size_t k = 0; k <= i; k++)
		assert_int_equal(klog_journal_next(j, &r), 1);
	char *c = klog_journal_cursor(j);
	assert_non_null(c);
	klog_journal_close(j);
	return c;
}

static void test_cursor_resume(void **state)
{
	(void)state;
	need_remote();
	char *c2 = cursor_of(1);
	struct klog_journal *j = open_ok("/all", NULL, c2);
	struct klog_rec r;
	/* Before reading, the cursor to save is the one resumed from. */
	char *c = klog_journal_cursor(j);
	assert_string_equal(c, c2);
	free(c);
	for (size_t i = 2; i < ARRAY_SIZE(want); i++) {
		assert_int_equal(klog_journal_next(j, &r), 1);
		check_rec(&r, i, i - 1);
	}
	assert_int_equal(klog_journal_next(j, &r), 0);
	klog_journal_close(j);

	/* Record 2 is not of boot B: the first record after its place is, and it must
	 * not be stepped over. */
	j = open_ok("/all", BOOT_B, c2);
	assert_int_equal(klog_journal_next(j, &r), 1);
	check_rec(&r, 4, 1);
	klog_journal_close(j);
	free(c2);

	/* After the last record there is nothing more. */
	char *c8 = cursor_of(ARRAY_SIZE(want) - 1);
	j = open_ok("/all", NULL, c8);
	assert_int_equal(klog_journal_next(j, &r), 0);
	c = klog_journal_cursor(j);
	assert_string_equal(c, c8);
	free(c);
	klog_journal_close(j);
	free(c8);
}

/* A MESSAGE over 64 KiB is cut there, whether the journal compressed it or not. */
static void test_truncation(void **state)
{
	(void)state;
	need_remote();
	struct klog_journal *j = open_ok("/big", NULL, NULL);
	struct klog_rec r;
	for (int mono = 5; mono <= 6; mono++) {
		size_t n;
		char *big = big_export(mono, &n);
		const char *text = strstr(big, "MESSAGE=") + strlen("MESSAGE=");
		assert_int_equal(klog_journal_next(j, &r), 1);
		assert_int_equal(r.len, 64 * 1024);
		assert_memory_equal(r.msg, text, r.len);
		assert_int_equal(r.level, 4);
		assert_true(r.mono_us == mono * INT64_C(1000000));
		free(big);
	}
	assert_int_equal(klog_journal_next(j, &r), 0);
	klog_journal_close(j);
}

static void test_errors(void **state)
{
	(void)state;
	static const struct {
		const char *dir;
		int rc;
	} cases[] = {
	    {"/nonexistent/kres-journal", -ENOENT},
	    {"/dev/null", -ENOTDIR},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct klog_journal *j = (struct klog_journal *)&j;
		char err[256] = "";
		assert_int_equal(klog_journal_open(&j, cases[i].dir, NULL, NULL, err, sizeof(err)),
		                 cases[i].rc);
		assert_null(j);
		print_message("%s\n", err);
		assert_non_null(strstr(err, cases[i].dir));
		assert_non_null(strstr(err, strerror(-cases[i].rc)));
	}

	need_remote();
	static const struct {
		const char *boot, *cursor, *in_err;
	} bad[] = {
	    {"0f3c5a1e2b8d4c6f9a7e1d2c3b4a5f6", NULL, "invalid boot id"}, /* 31 digits */
	    {"0f3c5a1e2b8d4c6f9a7e1d2c3b4a5f600", NULL, "invalid boot id"},
	    {"0f3c5a1e-2b8d-4c6f-9a7e-1d2c3b4a5f60", NULL, "invalid boot id"},
	    {"0f3c5a1e2b8d4c6f9a7e1d2c3b4a5fgg", NULL, "invalid boot id"},
	    {NULL, "s=nonsense", "cannot seek to cursor 's=nonsense'"},
	    {NULL, "", "cannot seek to cursor"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct klog_journal *j = NULL;
		char err[512] = "";
		const char *dir = tree_path(&g.t, "/all");
		assert_int_equal(
		    klog_journal_open(&j, dir, bad[i].boot, bad[i].cursor, err, sizeof(err)),
		    -EINVAL);
		assert_null(j);
		print_message("%s\n", err);
		assert_non_null(strstr(err, bad[i].in_err));
		assert_non_null(strstr(err, dir));
	}
	klog_journal_close(NULL);
}

/* Following: nothing new gives a timeout; a journal file added to the directory wakes
 * the waiter and its record is read after the old ones. */
static void test_wait(void **state)
{
	(void)state;
	need_remote();
	tree_mkdir(&g.t, "/follow");
	make_journal(tree_path(&g.t, "/follow/a.journal"), FIXTURE, NULL);
	struct klog_journal *j = open_ok("/follow", BOOT_B, NULL);
	struct klog_rec r;
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(klog_journal_next(j, &r), 1);
	assert_int_equal(klog_journal_next(j, &r), 0);
	/* The first wait sets up inotify and returns at once. */
	int rc = klog_journal_wait(j, 0);
	assert_true(rc == 0 || rc == 1);
	assert_int_equal(klog_journal_wait(j, 0), 0);
	assert_int_equal(klog_journal_next(j, &r), 0);

	tree_put(&g.t, "/follow.export",
	         "__REALTIME_TIMESTAMP=1710323900000000\n"
	         "__MONOTONIC_TIMESTAMP=3900000000\n"
	         "_BOOT_ID=" BOOT_B "\n"
	         "_TRANSPORT=kernel\n"
	         "PRIORITY=2\n"
	         "_SOURCE_MONOTONIC_TIMESTAMP=3899000000\n"
	         "MESSAGE=EXT4-fs error (device nvme0n1p2): ext4_find_entry:1683: inode #2: "
	         "comm ls: reading directory lblock 0\n\n");
	make_journal(tree_path(&g.t, "/follow/b.journal"), tree_path(&g.t, "/follow.export"), NULL);
	/* The new file's events are queued on the inotify descriptor already: the wait
	 * returns at once, the timeout only bounds a failure. */
	assert_int_equal(klog_journal_wait(j, 5000), 1);
	assert_int_equal(klog_journal_next(j, &r), 1);
	assert_true(span_eq((struct span){r.msg, r.len},
	                    "EXT4-fs error (device nvme0n1p2): ext4_find_entry:1683: inode #2: "
	                    "comm ls: reading directory lblock 0"));
	assert_int_equal(r.level, 2);
	assert_true(r.mono_us == 3899000000);
	assert_int_equal(r.lineno, 5);
	assert_int_equal(klog_journal_next(j, &r), 0);
	klog_journal_close(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_records),   cmocka_unit_test(test_boot_filter),
	    cmocka_unit_test(test_cursor_resume), cmocka_unit_test(test_truncation),
	    cmocka_unit_test(test_errors),        cmocka_unit_test(test_wait),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
