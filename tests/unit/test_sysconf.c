// SPDX-License-Identifier: MIT
/* logind.conf RemoveIPC= with drop-ins and masking (on temporary fixture trees),
 * /etc/login.defs and its system uid boundary, and /etc/passwd lookups. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/sysconf.h"
#include "tree.h"

/* ---- fixture trees ---- */

static struct tree fx;

/* ---- logind ---- */

static void test_logind_default(void **state)
{
	(void)state;
	struct logind lg;
	/* A logind.conf with only the shipped comments, and an unrelated file. */
	tree_put(&fx, "/etc/systemd/logind.conf",
	         "[Login]\n#RemoveIPC=yes\n#KillUserProcesses=no\n");
	tree_put(&fx, "/etc/systemd/logind.conf.d/README", "RemoveIPC=no\n");
	tree_put(&fx, "/etc/systemd/logind.conf.d/.hidden.conf", "[Login]\nRemoveIPC=no\n");
	logind_read(&fx.r, &lg);
	assert_int_equal(lg.src.state, SRC_OK);
	assert_true(lg.remove_ipc);
	assert_false(lg.set);
	assert_int_equal(lg.nfiles, 1);
}

static void test_logind_empty_tree(void **state)
{
	(void)state;
	struct logind lg;
	logind_read(&fx.r, &lg);
	assert_int_equal(lg.src.state, SRC_OK);
	assert_true(lg.remove_ipc);
	assert_false(lg.set);
	assert_int_equal(lg.nfiles, 0);
	assert_string_equal(lg.file, "");
}

static void test_logind_main_no(void **state)
{
	(void)state;
	struct logind lg;
	tree_put(&fx, "/etc/systemd/logind.conf",
	         "#  This file is part of systemd.\n[Login]\n#NAutoVTs=6\nRemoveIPC=no\n");
	logind_read(&fx.r, &lg);
	assert_int_equal(lg.src.state, SRC_OK);
	assert_false(lg.remove_ipc);
	assert_true(lg.set);
	assert_string_equal(lg.file, tree_path(&fx, "/etc/systemd/logind.conf"));
	assert_int_equal(lg.line, 4);
	assert_int_equal(lg.nfiles, 1);
}

/* systemd 256 ships the main file in /usr/lib; the first one found is used. */
static void test_logind_vendor_main(void **state)
{
	(void)state;
	struct logind lg;
	tree_put(&fx, "/usr/lib/systemd/logind.conf", "[Login]\nRemoveIPC=no\n");
	logind_read(&fx.r, &lg);
	assert_false(lg.remove_ipc);
	assert_string_equal(lg.file, tree_path(&fx, "/usr/lib/systemd/logind.conf"));
	assert_int_equal(lg.nfiles, 1);

	tree_put(&fx, "/etc/systemd/logind.conf", "[Login]\n#RemoveIPC=yes\n");
	logind_read(&fx.r, &lg);
	assert_true(lg.remove_ipc);
	assert_false(lg.set);
	assert_int_equal(lg.nfiles, 1);
}

static void test_logind_dropin_overrides(void **state)
{
	(void)state;
	struct logind lg;
	tree_put(&fx, "/etc/systemd/logind.conf", "[Login]\nRemoveIPC=no\n");
	tree_put(&fx, "/run/systemd/logind.conf.d/50-ipc.conf", "[Login]\n\nRemoveIPC=yes\n");
	logind_read(&fx.r, &lg);
	assert_true(lg.remove_ipc);
	assert_string_equal(lg.file, tree_path(&fx, "/run/systemd/logind.conf.d/50-ipc.conf"));
	assert_int_equal(lg.line, 3);
	assert_int_equal(lg.nfiles, 2);
}

/* /etc masks /usr/lib for the same name; the survivors apply by file name,
 * whatever their directory. */
static void test_logind_masking_and_order(void **state)
{
	(void)state;
	struct logind lg;
	tree_put(&fx, "/usr/lib/systemd/logind.conf.d/10-vendor.conf", "[Login]\nRemoveIPC=yes\n");
	tree_put(&fx, "/etc/systemd/logind.conf.d/10-vendor.conf", "[Login]\nRemoveIPC=no\n");
	tree_put(&fx, "/usr/local/lib/systemd/logind.conf.d/05-early.conf",
	         "[Login]\nRemoveIPC=yes\n");
	logind_read(&fx.r, &lg);
	assert_false(lg.remove_ipc);
	assert_string_equal(lg.file, tree_path(&fx, "/etc/systemd/logind.conf.d/10-vendor.conf"));
	assert_int_equal(lg.nfiles, 2);

	tree_put(&fx, "/usr/lib/systemd/logind.conf.d/20-later.conf",
	         "[Login]\n#x\nRemoveIPC=on\n");
	logind_read(&fx.r, &lg);
	assert_true(lg.remove_ipc);
	assert_string_equal(lg.file,
	                    tree_path(&fx, "/usr/lib/systemd/logind.conf.d/20-later.conf"));
	assert_int_equal(lg.line, 3);
	assert_int_equal(lg.nfiles, 3);
}

/* A link to /dev/null masks the vendor file and applies nothing. */
static void test_logind_devnull_mask(void **state)
{
	(void)state;
	struct logind lg;
	tree_put(&fx, "/etc/systemd/logind.conf", "[Login]\nRemoveIPC=no\n");
	tree_put(&fx, "/usr/lib/systemd/logind.conf.d/10-vendor.conf", "[Login]\nRemoveIPC=yes\n");
	tree_symlink(&fx, "/etc/systemd/logind.conf.d/10-vendor.conf", "/dev/null");
	logind_read(&fx.r, &lg);
	assert_int_equal(lg.src.state, SRC_OK);
	assert_false(lg.remove_ipc);
	assert_string_equal(lg.file, tree_path(&fx, "/etc/systemd/logind.conf"));
	assert_int_equal(lg.nfiles, 1);
}

static void test_logind_bad_bool(void **state)
{
	(void)state;
	struct logind lg;
	char want[1024];
	tree_put(&fx, "/etc/systemd/logind.conf",
	         "[Login]\nKillUserProcesses=no\nRemoveIPC=maybe\n");
	tree_put(&fx, "/etc/systemd/logind.conf.d/60-ipc.conf", "[Login]\nRemoveIPC=false\n");
	tree_put(&fx, "/etc/systemd/logind.conf.d/70-bad.conf", "[Login]\nno equals sign\n");
	logind_read(&fx.r, &lg);
	assert_int_equal(lg.src.state, SRC_ERROR);
	snprintf(want, sizeof(want), "'%s' line 3: invalid boolean for 'RemoveIPC': 'maybe'",
	         tree_path(&fx, "/etc/systemd/logind.conf"));
	assert_string_equal(lg.src.err, want);
	/* Reading went on: the drop-in still applied. */
	assert_false(lg.remove_ipc);
	assert_string_equal(lg.file, tree_path(&fx, "/etc/systemd/logind.conf.d/60-ipc.conf"));
	assert_int_equal(lg.nfiles, 3);
}

static const struct {
	const char *text;
	int rc;
	bool remove_ipc, set;
	unsigned line;
} logind_cases[] = {
	{"[Login]\nRemoveIPC=no\n", 0, false, true, 2},
	{"[Login]\nRemoveIPC = No \n", 0, false, true, 2},
	{"[Login]\nRemoveIPC=no\nRemoveIPC=yes\n", 0, true, true, 3},
	{"[Other]\nRemoveIPC=no\n", 0, true, false, 0},
	{"RemoveIPC=no\n", 0, true, false, 0}, /* outside any section: ignored */
	{"[Login]\nremoveipc=no\n", 0, true, false, 0}, /* keys are case-sensitive */
	{"[Login]\nRemoveIPC=\n", -EINVAL, true, false, 0},
	{"[Login]\nRemoveIPC=2\nRemoveIPC=0\n", -EINVAL, false, true, 3},
	{"[Login]\nRemoveIPC=no\ngarbage\n", -EINVAL, false, true, 2},
};

static void test_logind_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(logind_cases) / sizeof(logind_cases[0]); i++) {
		struct logind lg = {.remove_ipc = true};
		struct perr e = {0};
		const char *t = logind_cases[i].text;
		assert_int_equal(logind_parse(t, strlen(t), "f.conf", &lg, &e), logind_cases[i].rc);
		assert_int_equal(lg.remove_ipc, logind_cases[i].remove_ipc);
		assert_int_equal(lg.set, logind_cases[i].set);
		assert_int_equal(lg.line, logind_cases[i].line);
		assert_int_equal(lg.nfiles, 1);
		if (lg.set)
			assert_string_equal(lg.file, "f.conf");
	}
}

/* ---- login.defs ---- */

/* Lines 160-185 of Debian 12's /etc/login.defs (this build machine's). */
static const char defs_debian[] =
	"#\n"
	"#\tPASS_MAX_DAYS\tMaximum number of days a password may be used.\n"
	"#\tPASS_MIN_DAYS\tMinimum number of days allowed between password changes.\n"
	"#\tPASS_WARN_AGE\tNumber of days warning given before a password expires.\n"
	"#\n"
	"PASS_MAX_DAYS\t99999\n"
	"PASS_MIN_DAYS\t0\n"
	"PASS_WARN_AGE\t7\n"
	"\n"
	"#\n"
	"# Min/max values for automatic uid selection in useradd\n"
	"#\n"
	"UID_MIN\t\t\t 1000\n"
	"UID_MAX\t\t\t60000\n"
	"# System accounts\n"
	"#SYS_UID_MIN\t\t  100\n"
	"#SYS_UID_MAX\t\t  999\n"
	"# Extra per user uids\n"
	"SUB_UID_MIN\t\t   100000\n"
	"SUB_UID_MAX\t\t600100000\n"
	"SUB_UID_COUNT\t\t    65536\n"
	"\n"
	"ENV_PATH\tPATH=/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games\n"
	"ENCRYPT_METHOD SHA512\n";

/* Fedora's shadow-utils sets both. */
static const char defs_fedora[] = "MAIL_DIR\t/var/spool/mail\n"
				  "UID_MIN                  1000\n"
				  "UID_MAX                 60000\n"
				  "SYS_UID_MIN               201\n"
				  "SYS_UID_MAX               999\n";

static const struct {
	const char *text;
	int rc;
	bool has_sys, has_min;
	uint64_t sys, min, boundary;
	unsigned line; /* of SYS_UID_MAX, or of the error */
} defs_cases[] = {
	{defs_debian, 0, false, true, 0, 1000, 999, 0},
	{defs_fedora, 0, true, true, 999, 1000, 999, 5},
	{"UID_MIN 500\n", 0, false, true, 0, 500, 499, 0},
	{"SYS_UID_MAX 4999\nUID_MIN 5000\n", 0, true, true, 4999, 5000, 4999, 1},
	{"", 0, false, false, 0, 0, 999, 0},
	{"UID_MIN 0\n", 0, false, true, 0, 0, 999, 0},
	{"  # indented comment\n\r\nUID_MIN 1000\r\n", 0, false, true, 0, 1000, 999, 0},
	{"UID_MIN\n", -EINVAL, false, false, 0, 0, 999, 1},
	{"\nSYS_UID_MAX 0x3e7\n", -EINVAL, false, false, 0, 0, 999, 2},
	{"UID_MIN 1000 2000\n", -EINVAL, false, false, 0, 0, 999, 1},
	{"UID_MIN 99999999999\n", -EINVAL, false, false, 0, 0, 999, 1},
};

static void test_logindefs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(defs_cases) / sizeof(defs_cases[0]); i++) {
		struct logindefs ld = {0};
		struct perr e = {0};
		const char *t = defs_cases[i].text;
		assert_int_equal(logindefs_parse(t, strlen(t), &ld, &e), defs_cases[i].rc);
		assert_int_equal(ld.has_sys_uid_max, defs_cases[i].has_sys);
		assert_int_equal(ld.has_uid_min, defs_cases[i].has_min);
		assert_int_equal(ld.sys_uid_max, defs_cases[i].sys);
		assert_int_equal(ld.uid_min, defs_cases[i].min);
		assert_int_equal(logindefs_sys_uid_max(&ld), defs_cases[i].boundary);
		if (defs_cases[i].rc)
			assert_int_equal(e.line, defs_cases[i].line);
		else
			assert_int_equal(ld.line_sys_uid_max, defs_cases[i].line);
	}
}

static void test_logindefs_read(void **state)
{
	(void)state;
	struct rootfs r;
	struct logindefs ld;
	char want[1024];
	assert_int_equal(rootfs_open(&r, fx.root), 0);
	logindefs_read(&r, &ld);
	assert_int_equal(ld.src.state, SRC_UNAVAILABLE);
	assert_int_equal(logindefs_sys_uid_max(&ld), 999);

	tree_put(&fx, "/etc/login.defs", defs_fedora);
	logindefs_read(&r, &ld);
	assert_int_equal(ld.src.state, SRC_OK);
	assert_int_equal(ld.sys_uid_max, 999);
	assert_int_equal(ld.line_sys_uid_max, 5);

	tree_put(&fx, "/etc/login.defs", "UID_MIN 1000\nSYS_UID_MAX lots\n");
	logindefs_read(&r, &ld);
	assert_int_equal(ld.src.state, SRC_ERROR);
	snprintf(want, sizeof(want), "'%s' line 2: 'SYS_UID_MAX' needs one decimal uid",
	         tree_path(&fx, "/etc/login.defs"));
	assert_string_equal(ld.src.err, want);
	rootfs_close(&r);
}

/* ---- passwd ---- */

static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
			     "# local accounts\n"
			     "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
			     "\n"
			     "+@netgroup::::::\n"
			     "-baduser\n"
			     "postgres:x:105:113:PostgreSQL administrator,,,:/var/lib/postgresql:"
			     "/bin/bash\n"
			     "mysql:x:106:114:MySQL Server,,,:/nonexistent:/bin/false\n"
			     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
			     "+\n";

static const struct {
	const char *name; /* NULL: by uid */
	uint32_t uid;
	int rc;
	const char *want_name, *home, *shell;
	uint32_t want_uid, gid;
} pw_cases[] = {
	{NULL, 0, 0, "root", "/root", "/bin/bash", 0, 0},
	{NULL, 105, 0, "postgres", "/var/lib/postgresql", "/bin/bash", 105, 113},
	{"mysql", 0, 0, "mysql", "/nonexistent", "/bin/false", 106, 114},
	{"nobody", 0, 0, "nobody", "/nonexistent", "/usr/sbin/nologin", 65534, 65534},
	{"postgre", 0, -ENOENT, NULL, NULL, NULL, 0, 0},
	{"baduser", 0, -ENOENT, NULL, NULL, NULL, 0, 0},
	{"", 0, -ENOENT, NULL, NULL, NULL, 0, 0},
	{NULL, 1000, -ENOENT, NULL, NULL, NULL, 0, 0},
};

static void test_passwd(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pw_cases) / sizeof(pw_cases[0]); i++) {
		struct pwent pw;
		struct perr e = {0};
		int rc = pw_cases[i].name ? passwd_find_name(passwd, strlen(passwd),
							      pw_cases[i].name, &pw, &e)
					  : passwd_find_uid(passwd, strlen(passwd), pw_cases[i].uid,
							    &pw, &e);
		assert_int_equal(rc, pw_cases[i].rc);
		if (rc)
			continue;
		assert_string_equal(pw.name, pw_cases[i].want_name);
		assert_string_equal(pw.home, pw_cases[i].home);
		assert_string_equal(pw.shell, pw_cases[i].shell);
		assert_int_equal(pw.uid, pw_cases[i].want_uid);
		assert_int_equal(pw.gid, pw_cases[i].gid);
	}
}

static void test_passwd_malformed(void **state)
{
	(void)state;
	static const char bad[] = "root:x:0:0:root:/root:/bin/bash\n"
				  "broken:x:7\n"
				  "postgres:x:105:113::/var/lib/postgresql:/bin/bash\n";
	static const char baduid[] = "root:x:0:0:root:/root:/bin/bash\n"
				     "\n"
				     "weird:x:abc:1::/:/bin/sh\n"
				     "postgres:x:105:113::/var/lib/postgresql:/bin/bash\n";
	struct pwent pw;
	struct perr e = {0};
	/* Before the match: an error with the line. */
	assert_int_equal(passwd_find_name(bad, strlen(bad), "postgres", &pw, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "name:password:uid:gid:gecos:home:shell"));
	assert_int_equal(passwd_find_uid(baduid, strlen(baduid), 105, &pw, &e), -EINVAL);
	assert_int_equal(e.line, 3);
	/* After the match: never looked at. */
	assert_int_equal(passwd_find_uid(bad, strlen(bad), 0, &pw, &e), 0);
	assert_string_equal(pw.name, "root");
	/* A home longer than the field is truncated, not overflowed. */
	char longhome[600];
	int n = snprintf(longhome, sizeof(longhome), "u:x:5:5::/");
	memset(longhome + n, 'h', 400);
	snprintf(longhome + n + 400, sizeof(longhome) - (size_t)n - 400, ":/bin/sh\n");
	assert_int_equal(passwd_find_uid(longhome, strlen(longhome), 5, &pw, &e), 0);
	assert_int_equal(strlen(pw.home), sizeof(pw.home) - 1);
	assert_string_equal(pw.shell, "/bin/sh");
}

/* A test run on a fresh fixture tree. */
#define FX(t) cmocka_unit_test_prestate_setup_teardown(t, tree_setup, tree_teardown, &fx)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX(test_logind_default),
		FX(test_logind_empty_tree),
		FX(test_logind_main_no),
		FX(test_logind_vendor_main),
		FX(test_logind_dropin_overrides),
		FX(test_logind_masking_and_order),
		FX(test_logind_devnull_mask),
		FX(test_logind_bad_bool),
		cmocka_unit_test(test_logind_parse),
		cmocka_unit_test(test_logindefs),
		FX(test_logindefs_read),
		cmocka_unit_test(test_passwd),
		cmocka_unit_test(test_passwd_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
