// SPDX-License-Identifier: MIT
/* Tests of huge page pool reading from fixture sysfs trees, of the pool directory
 * names and of the transparent huge page selector parser. */
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

#include "host/hugepages.h"
#include "util/xalloc.h"
#include "tree.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1
#define HP     "/sys/kernel/mm/hugepages"

static const struct {
	const char *name;
	int rc;
	uint64_t kb;
} dirnames[] = {
    {"hugepages-2048kB", 0, 2048},
    {"hugepages-1048576kB", 0, 1048576},
    {"hugepages-64kB", 0, 64},             /* arm64 contiguous PTEs */
    {"hugepages-16777216kB", 0, 16777216}, /* ppc64 16 GB pages */
    {"hugepages-18446744073709551615kB", 0, UINT64_MAX},
    {"hugepages-99999999999999999999999kB", -ERANGE, 0},
    {"hugepages-kB", -EINVAL, 0},
    {"hugepages-2048", -EINVAL, 0},
    {"hugepages-2048KB", -EINVAL, 0},
    {"hugepages-2048kB/", -EINVAL, 0},
    {"hugepages--1kB", -EINVAL, 0},
    {"hugepages-0kB", -EINVAL, 0},
    {"hugepages-02048kB", -EINVAL, 0},
    {"hugepages-20 48kB", -EINVAL, 0},
    {"Hugepages-2048kB", -EINVAL, 0},
    {"hugepages", -EINVAL, 0},
    {"", -EINVAL, 0},
};

static void test_dirname(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(dirnames); i++) {
		uint64_t kb = 0;
		print_message("case '%s'\n", dirnames[i].name);
		assert_int_equal(hugepages_parse_dirname(dirnames[i].name, &kb), dirnames[i].rc);
		assert_int_equal(kb, dirnames[i].kb);
	}
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	int rc;
	const char *out;
} thp[] = {
    /* Captured on a Debian 12 Firecracker guest, kernel 6.18. */
    {"enabled", S("always [madvise] never\n"), 0, "madvise"},
    {"defrag", S("always defer defer+madvise [madvise] never\n"), 0, "madvise"},
    /* Hand-written: a RHEL 7 (3.10) default and a 6.x shmem_enabled. */
    {"always", S("[always] madvise never\n"), 0, "always"},
    {"shmem", S("always within_size advise [never] deny force\n"), 0, "never"},
    {"no newline", S("always madvise [never]"), 0, "never"},
    {"alone", S("[never]\n"), 0, "never"},
    {"empty", S(""), -EINVAL, ""},
    {"newline only", S("\n"), -EINVAL, ""},
    {"none selected", S("always madvise never\n"), -EINVAL, ""},
    {"two selected", S("[always] [madvise] never\n"), -EINVAL, ""},
    {"empty brackets", S("always [] never\n"), -EINVAL, ""},
    {"open only", S("always [madvise never\n"), -EINVAL, ""},
    {"spaced", S("always [ madvise ] never\n"), -EINVAL, ""},
    {"nested", S("always [[madvise]] never\n"), -EINVAL, ""},
    {"stray bracket", S("al]ways [madvise] never\n"), -EINVAL, ""},
    {"NUL", S("always [mad\0vise] never\n"), -EINVAL, ""},
    {"second line", S("always [madvise] never\nx\n"), -EINVAL, ""},
    {"binary", S("[\xff\xfe]"), -EINVAL, ""},
};

static void test_thp(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(thp); i++) {
		char out[32] = "junk";
		print_message("case %s\n", thp[i].name);
		assert_int_equal(thp_parse(thp[i].in, thp[i].len, out, sizeof(out)), thp[i].rc);
		assert_string_equal(out, thp[i].out);
	}
}

static void test_thp_small_out(void **state)
{
	char out[7] = "junk";
	(void)state;
	assert_int_equal(thp_parse(S("always [madvise] never\n"), out, sizeof(out)), -ERANGE);
	assert_string_equal(out, "");
	char out8[8];
	assert_int_equal(thp_parse(S("always [madvise] never\n"), out8, sizeof(out8)), 0);
	assert_string_equal(out8, "madvise");
}

/* ---- fixture trees ---- */

static struct tree fx;

/* Writes one pool directory with the five counters. */
static void put_pool(const char *dir, unsigned nr, unsigned fr, unsigned resv, unsigned surp,
                     unsigned over)
{
	static const char *const files[] = {"nr_hugepages", "free_hugepages", "resv_hugepages",
	                                    "surplus_hugepages", "nr_overcommit_hugepages"};
	const unsigned v[] = {nr, fr, resv, surp, over};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char path[256], text[32];
		snprintf(path, sizeof(path), HP "/%s/%s", dir, files[i]);
		snprintf(text, sizeof(text), "%u\n", v[i]);
		tree_put(&fx, path, text);
	}
}

/* Laid out like a 6.x x86 host with 2 MB pages reserved for a database and a few
 * 1 GB pages; the 1 GB pool also has the demote files of 5.16+. */
static void test_read_two_pools(void **state)
{
	struct hugepages hp;
	(void)state;
	put_pool("hugepages-2048kB", 8200, 1312, 912, 3, 16);
	put_pool("hugepages-1048576kB", 4, 4, 0, 0, 0);
	tree_put(&fx, HP "/hugepages-1048576kB/demote", "0\n");
	tree_put(&fx, HP "/hugepages-1048576kB/demote_size", "2048kB\n");
	tree_put(&fx, HP "/README", "not a pool\n");
	tree_put(&fx, HP "/hugepages-xkB/nr_hugepages", "oops\n");
	hugepages_read(&fx.r, &hp);
	assert_int_equal(hp.src.state, SRC_OK);
	assert_int_equal(hp.n, 2);
	/* Sorted by size, not by name ("hugepages-1048576kB" < "hugepages-2048kB"). */
	assert_int_equal(hp.pool[0].size_kb, 2048);
	assert_int_equal(hp.pool[0].nr, 8200);
	assert_int_equal(hp.pool[0].free, 1312);
	assert_int_equal(hp.pool[0].resv, 912);
	assert_int_equal(hp.pool[0].surplus, 3);
	assert_int_equal(hp.pool[0].overcommit, 16);
	assert_int_equal(hp.pool[1].size_kb, 1048576);
	assert_int_equal(hp.pool[1].nr, 4);
	assert_int_equal(hp.pool[1].free, 4);
	assert_ptr_equal(hugepages_pool(&hp, 2048), &hp.pool[0]);
	assert_ptr_equal(hugepages_pool(&hp, 1048576), &hp.pool[1]);
	assert_null(hugepages_pool(&hp, 64));
}

static void test_read_missing(void **state)
{
	struct hugepages hp;
	char want[256];
	(void)state;
	hugepages_read(&fx.r, &hp);
	assert_int_equal(hp.src.state, SRC_UNAVAILABLE);
	assert_int_equal(hp.n, 0);
	snprintf(want, sizeof(want), "'%s" HP "' is unavailable", fx.root);
	assert_string_equal(hp.src.err, want);
	assert_null(hugepages_pool(&hp, 2048));
}

static void test_read_empty(void **state)
{
	struct hugepages hp;
	(void)state;
	tree_put(&fx, HP "/README", "\n");
	tree_drop(&fx, HP "/README");
	hugepages_read(&fx.r, &hp);
	assert_int_equal(hp.src.state, SRC_OK);
	assert_int_equal(hp.n, 0);
}

static void test_read_missing_file(void **state)
{
	struct hugepages hp;
	char want[512];
	(void)state;
	put_pool("hugepages-2048kB", 1, 1, 0, 0, 0);
	tree_drop(&fx, HP "/hugepages-2048kB/surplus_hugepages");
	hugepages_read(&fx.r, &hp);
	assert_int_equal(hp.src.state, SRC_ERROR);
	assert_int_equal(hp.n, 0);
	snprintf(want, sizeof(want),
	         "cannot read '%s" HP "/hugepages-2048kB/surplus_hugepages': %s", fx.root,
	         strerror(ENOENT));
	assert_string_equal(hp.src.err, want);
}

static void test_read_malformed(void **state)
{
	struct hugepages hp;
	char want[512];
	(void)state;
	put_pool("hugepages-2048kB", 1, 1, 0, 0, 0);
	put_pool("hugepages-1048576kB", 1, 1, 0, 0, 0);
	tree_put(&fx, HP "/hugepages-2048kB/free_hugepages", "-1\n");
	hugepages_read(&fx.r, &hp);
	assert_int_equal(hp.src.state, SRC_ERROR);
	assert_int_equal(hp.n, 0);
	snprintf(want, sizeof(want),
	         "'%s" HP "/hugepages-2048kB/free_hugepages' line 1: field 1 ('-1') is not an "
	         "unsigned decimal number",
	         fx.root);
	assert_string_equal(hp.src.err, want);
	tree_put(&fx, HP "/hugepages-2048kB/free_hugepages", "1 2\n");
	hugepages_read(&fx.r, &hp);
	assert_int_equal(hp.src.state, SRC_ERROR);
	snprintf(want, sizeof(want),
	         "'%s" HP "/hugepages-2048kB/free_hugepages' line 1: expected at most 1 number, "
	         "found 2",
	         fx.root);
	assert_string_equal(hp.src.err, want);
}

static void test_read_too_many(void **state)
{
	struct hugepages hp;
	char want[256];
	(void)state;
	for (unsigned i = 0; i < HP_MAX_POOLS + 1; i++) {
		char dir[64];
		snprintf(dir, sizeof(dir), "hugepages-%ukB", 64u << i);
		put_pool(dir, i, i, 0, 0, 0);
	}
	hugepages_read(&fx.r, &hp);
	assert_int_equal(hp.src.state, SRC_ERROR);
	assert_int_equal(hp.n, 0);
	snprintf(want, sizeof(want), "'%s" HP "': more than 8 pools", fx.root);
	assert_string_equal(hp.src.err, want);
	/* Exactly HP_MAX_POOLS fit. */
	tree_drop(&fx, HP "/hugepages-64kB/nr_hugepages");
	tree_drop(&fx, HP "/hugepages-64kB/free_hugepages");
	tree_drop(&fx, HP "/hugepages-64kB/resv_hugepages");
	tree_drop(&fx, HP "/hugepages-64kB/surplus_hugepages");
	tree_drop(&fx, HP "/hugepages-64kB/nr_overcommit_hugepages");
	tree_drop(&fx, HP "/hugepages-64kB");
	hugepages_read(&fx.r, &hp);
	assert_int_equal(hp.src.state, SRC_OK);
	assert_int_equal(hp.n, HP_MAX_POOLS);
	for (size_t i = 0; i < hp.n; i++)
		assert_int_equal(hp.pool[i].size_kb, 128u << i);
}

/* A test run on a fresh fixture tree. */
#define FX(t) cmocka_unit_test_prestate_setup_teardown(t, tree_setup, tree_teardown, &fx)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dirname),
	    cmocka_unit_test(test_thp),
	    cmocka_unit_test(test_thp_small_out),
	    FX(test_read_two_pools),
	    FX(test_read_missing),
	    FX(test_read_empty),
	    FX(test_read_missing_file),
	    FX(test_read_malformed),
	    FX(test_read_too_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
