// SPDX-License-Identifier: MIT
/* Tests of the sysctl value parser and of reading the sysctl table from a fixture
 * tree: present, missing, malformed and unreadable files. */
#include <errno.h>
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

#include "host/sysctl.h"
#include "util/xalloc.h"
#include "tree.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1

struct good_case {
	const char *name;
	const char *in;
	size_t len;
	int max;
	int n;
	uint64_t v[SYSCTL_MAXVALS];
};

static const struct good_case good[] = {
    /* Captured on a Debian 12 Firecracker guest, kernel 6.18: kernel.sem and
     * fs.file-nr, tab separated as proc_dointvec prints them. */
    {"kernel.sem", S("32000\t1024000000\t500\t32000\n"), 4, 4, {32000, 1024000000, 500, 32000}},
    {"fs.file-nr", S("418\t0\t2466190\n"), 4, 3, {418, 0, 2466190}},
    /* The 2.6-era default of kernel.sem, space separated in old docs and tools. */
    {"old sem", S("250 32000 32 128\n"), 4, 4, {250, 32000, 32, 128}},
    {"one", S("60\n"), 1, 1, {60}},
    {"no newline", S("0"), 1, 1, {0}},
    {"blanks around", S("  7 \t\n"), 1, 1, {7}},
    /* kernel.shmmax default on 64-bit since 3.16: ULONG_MAX - (1 << 24). */
    {"shmmax", S("18446744073692774399\n"), 1, 1, {18446744073692774399u}},
    {"max u64", S("18446744073709551615\n"), 1, 1, {UINT64_MAX}},
    {"fewer than max", S("1 2\n"), 4, 2, {1, 2}},
};

static void test_parse_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		uint64_t v[SYSCTL_MAXVALS] = {0};
		int n = -1;
		struct perr e = {0};
		print_message("case %s\n", good[i].name);
		assert_int_equal(sysctl_parse(good[i].in, good[i].len, v, good[i].max, &n, &e), 0);
		assert_int_equal(n, good[i].n);
		for (int k = 0; k < SYSCTL_MAXVALS; k++)
			assert_int_equal(v[k], good[i].v[k]);
	}
}

struct bad_case {
	const char *name;
	const char *in;
	size_t len;
	int max;
	int rc;
	unsigned line;
	const char *msg;
};

static const struct bad_case bad[] = {
    {"empty", S(""), 1, -EINVAL, 1, "expected a number, found an empty line"},
    {"newline only", S("\n"), 1, -EINVAL, 1, "expected a number, found an empty line"},
    {"negative", S("-1\n"), 1, -EINVAL, 1, "field 1 ('-1') is not an unsigned decimal number"},
    {"garbage", S("1 2 x\n"), 4, -EINVAL, 1, "field 3 ('x') is not an unsigned decimal number"},
    {"hex", S("0x10\n"), 1, -EINVAL, 1, "field 1 ('0x10') is not an unsigned decimal number"},
    {"plus", S("+5\n"), 1, -EINVAL, 1, "field 1 ('+5') is not an unsigned decimal number"},
    {"fraction", S("1.5\n"), 1, -EINVAL, 1, "field 1 ('1.5') is not an unsigned decimal number"},
    {"overflow", S("99999999999999999999999\n"), 1, -ERANGE, 1, "field 1 ('99999999999999999999999') is out of range"},
    {"overflow by one", S("18446744073709551616\n"), 1, -ERANGE, 1, "field 1 ('18446744073709551616') is out of range"},
    {"too many", S("1 2 3 4 5\n"), 4, -EINVAL, 1, "expected at most 4 numbers, found 5"},
    {"too many for one", S("1 2\n"), 1, -EINVAL, 1, "expected at most 1 number, found 2"},
    {"second line", S("1\n2\n"), 1, -EINVAL, 2, "unexpected text after the first line"},
    {"blank second line", S("1\n\n"), 1, -EINVAL, 2, "unexpected text after the first line"},
    {"NUL in number",
     S("1\0"
       "2\n"),
     1, -EINVAL, 1, "field 1 ('1\\x002') is not an unsigned decimal number"},
    {"NUL after newline", S("1\n\0"), 1, -EINVAL, 2, "unexpected text after the first line"},
    {"binary", S("\xff\xfe"), 1, -EINVAL, 1, "field 1 ('\\xff\\xfe') is not an unsigned decimal number"},
    {"no room", S("1\n"), 0, -EINVAL, 0, "no room for any number"},
};

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t v[SYSCTL_MAXVALS];
		int n = -1;
		struct perr e = {0};
		print_message("case %s\n", bad[i].name);
		assert_int_equal(sysctl_parse(bad[i].in, bad[i].len, v, bad[i].max, &n, &e),
		                 bad[i].rc);
		assert_int_equal(n, 0);
		assert_int_equal(e.line, bad[i].line);
		assert_string_equal(e.msg, bad[i].msg);
	}
}

/* Every key's file is its dotted name under /proc/sys, as sysctl(8) maps them. */
static void test_names(void **state)
{
	(void)state;
	for (int k = 0; k < SC__COUNT; k++) {
		char want[128];
		snprintf(want, sizeof(want), "/proc/sys/%s", sysctl_name((enum sc_key)k));
		for (char *p = want + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		assert_string_equal(sysctl_path((enum sc_key)k), want);
	}
	assert_string_equal(sysctl_name(SC_SEM), "kernel.sem");
	assert_string_equal(sysctl_path(SC_FILE_NR), "/proc/sys/fs/file-nr");
	assert_string_equal(sysctl_name(SC_TCP_MAX_SYN_BACKLOG), "net.ipv4.tcp_max_syn_backlog");
	assert_string_equal(sysctl_name(SC__COUNT), "?");
}

/* ---- fixture trees ---- */

static struct tree fx;

/* A file for every key with a plausible value: the key's index plus one. */
static void put_all(void)
{
	for (int k = 0; k < SC__COUNT; k++) {
		char v[32];
		if (k == SC_SEM)
			snprintf(v, sizeof(v), "250\t32000\t32\t128\n");
		else if (k == SC_FILE_NR)
			snprintf(v, sizeof(v), "1024\t0\t9223372036854775807\n");
		else
			snprintf(v, sizeof(v), "%d\n", k + 1);
		tree_put(&fx, sysctl_path((enum sc_key)k), v);
	}
}

static void test_read_ok(void **state)
{
	struct rootfs r;
	struct sysctls s;
	uint64_t v;
	(void)state;
	put_all();
	assert_int_equal(rootfs_open(&r, fx.root), 0);
	sysctls_read(&r, &s);
	for (int k = 0; k < SC__COUNT; k++) {
		print_message("key %s\n", sysctl_name((enum sc_key)k));
		assert_int_equal(s.k[k].state, SRC_OK);
		assert_string_equal(s.k[k].err, "");
		assert_true(sysctl_get(&s, (enum sc_key)k, &v));
		if (k != SC_SEM && k != SC_FILE_NR) {
			assert_int_equal(s.k[k].n, 1);
			assert_int_equal(v, (uint64_t)k + 1);
		}
	}
	assert_int_equal(s.k[SC_SEM].n, 4);
	assert_int_equal(s.k[SC_SEM].v[0], 250);
	assert_int_equal(s.k[SC_SEM].v[3], 128);
	assert_int_equal(s.k[SC_FILE_NR].n, 3);
	assert_int_equal(s.k[SC_FILE_NR].v[2], 9223372036854775807u);
	assert_false(sysctl_get(&s, SC__COUNT, &v));
	rootfs_close(&r);
}

static void test_read_errors(void **state)
{
	struct rootfs r;
	struct sysctls s;
	char want[512];
	uint64_t v = 77;
	(void)state;
	put_all();
	tree_put(&fx, "/proc/sys/kernel/sem", "32000\t1024000000\t500\n");
	tree_put(&fx, "/proc/sys/vm/swappiness", "abc\n");
	tree_put(&fx, "/proc/sys/kernel/shmmax", "1 2\n");
	tree_drop(&fx, "/proc/sys/vm/overcommit_kbytes");
	tree_put(&fx, "/proc/sys/vm/overcommit_kbytes/x", "a directory where a file should be\n");
	tree_drop(&fx, "/proc/sys/kernel/panic_on_oops");
	assert_int_equal(rootfs_open(&r, fx.root), 0);
	sysctls_read(&r, &s);

	assert_int_equal(s.k[SC_SEM].state, SRC_ERROR);
	snprintf(want, sizeof(want), "'%s/proc/sys/kernel/sem' line 1: expected 4 numbers, found 3",
	         fx.root);
	assert_string_equal(s.k[SC_SEM].err, want);
	assert_int_equal(s.k[SC_SEM].n, 0);
	assert_false(sysctl_get(&s, SC_SEM, &v));
	assert_int_equal(v, 77);

	assert_int_equal(s.k[SC_SWAPPINESS].state, SRC_ERROR);
	snprintf(want, sizeof(want),
	         "'%s/proc/sys/vm/swappiness' line 1: field 1 ('abc') is not an unsigned decimal number",
	         fx.root);
	assert_string_equal(s.k[SC_SWAPPINESS].err, want);

	assert_int_equal(s.k[SC_SHMMAX].state, SRC_ERROR);
	snprintf(want, sizeof(want),
	         "'%s/proc/sys/kernel/shmmax' line 1: expected 1 number, found 2", fx.root);
	assert_string_equal(s.k[SC_SHMMAX].err, want);

	assert_int_equal(s.k[SC_OVERCOMMIT_KBYTES].state, SRC_ERROR);
	snprintf(want, sizeof(want), "cannot read '%s/proc/sys/vm/overcommit_kbytes': %s", fx.root,
	         strerror(EISDIR));
	assert_string_equal(s.k[SC_OVERCOMMIT_KBYTES].err, want);

	assert_int_equal(s.k[SC_PANIC_ON_OOPS].state, SRC_UNAVAILABLE);
	assert_false(sysctl_get(&s, SC_PANIC_ON_OOPS, &v));

	assert_int_equal(s.k[SC_SHMALL].state, SRC_OK);
	assert_true(sysctl_get(&s, SC_SHMALL, &v));
	assert_int_equal(v, SC_SHMALL + 1);
	rootfs_close(&r);
}

static void test_read_empty_tree(void **state)
{
	struct rootfs r;
	struct sysctls s;
	(void)state;
	assert_int_equal(rootfs_open(&r, fx.root), 0);
	sysctls_read(&r, &s);
	for (int k = 0; k < SC__COUNT; k++) {
		assert_int_equal(s.k[k].state, SRC_UNAVAILABLE);
		assert_int_equal(s.k[k].n, 0);
	}
	rootfs_close(&r);
}

/* A test run on a fresh fixture tree. */
#define FX(t) cmocka_unit_test_prestate_setup_teardown(t, tree_setup, tree_teardown, &fx)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_names),
	    FX(test_read_ok),
	    FX(test_read_errors),
	    FX(test_read_empty_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
