// SPDX-License-Identifier: MIT
/* cgroup memory limits: the limit file format, and the smallest limit on the path
 * to the root on v2 (unified), hybrid and v1 fixture trees. */
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

#include "host/cgroup.h"
#include "tree.h"

static const struct {
	const char *text;
	int rc;
	bool unlimited;
	uint64_t bytes;
} parse_cases[] = {
	{"max\n", 0, true, UINT64_MAX},
	{"max", 0, true, UINT64_MAX},
	{"8589934592\n", 0, false, 8589934592ULL},
	{"0\n", 0, false, 0},
	{" 100 \n", 0, false, 100},
	/* v1 "unlimited": PAGE_COUNTER_MAX * 4096 */
	{"9223372036854771712\n", 0, true, UINT64_MAX},
	/* with 64 KiB pages (arm64, ppc64le) */
	{"9223372036854710272\n", 0, true, UINT64_MAX},
	{"4611686018427387904\n", 0, true, UINT64_MAX},
	{"4611686018427387903\n", 0, false, 4611686018427387903ULL},
	{"", -EINVAL, false, 0},
	{"\n", -EINVAL, false, 0},
	{"-1\n", -EINVAL, false, 0},
	{"12k\n", -EINVAL, false, 0},
	{"18446744073709551616\n", -EINVAL, false, 0},
	{"max\nmax\n", -EINVAL, false, 0},
	{"MAX\n", -EINVAL, false, 0},
};

static void test_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		uint64_t bytes = 42;
		bool unl = true;
		const char *t = parse_cases[i].text;
		print_message("case '%s'\n", t);
		assert_int_equal(cgroup_parse_limit(t, strlen(t), &bytes, &unl), parse_cases[i].rc);
		if (parse_cases[i].rc)
			continue;
		assert_int_equal(unl, parse_cases[i].unlimited);
		assert_int_equal(bytes, parse_cases[i].bytes);
	}
	/* Only len bytes are read. */
	uint64_t bytes;
	bool unl;
	assert_int_equal(cgroup_parse_limit("12345", 3, &bytes, &unl), 0);
	assert_int_equal(bytes, 123);
}

/* ---- fixture trees ---- */

static struct tree fx;

static void v2(struct pid_cgroup *cg, const char *path)
{
	memset(cg, 0, sizeof(*cg));
	cg->has_v2 = true;
	snprintf(cg->v2, sizeof(cg->v2), "%s", path);
	snprintf(cg->systemd, sizeof(cg->systemd), "%s", path);
}

#define PGCG "/system.slice/system-postgresql.slice/postgresql@15-main.service"

static void test_v2(void **state)
{
	(void)state;
	struct pid_cgroup cg;
	struct cg_memlimit m;
	tree_put(&fx, "/sys/fs/cgroup/cgroup.controllers",
	         "cpuset cpu io memory hugetlb pids rdma misc\n");
	tree_put(&fx, "/sys/fs/cgroup/system.slice/memory.max", "max\n");
	tree_put(&fx, "/sys/fs/cgroup/system.slice/system-postgresql.slice/memory.max", "max\n");
	tree_put(&fx, "/sys/fs/cgroup" PGCG "/memory.max", "8589934592\n");
	v2(&cg, PGCG);
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.version, 2);
	assert_true(m.limited);
	assert_int_equal(m.bytes, 8589934592ULL);
	assert_string_equal(m.file, tree_path(&fx, "/sys/fs/cgroup" PGCG "/memory.max"));

	/* A tighter ancestor wins. */
	tree_put(&fx, "/sys/fs/cgroup/system.slice/memory.max", "4294967296\n");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.bytes, 4294967296ULL);
	assert_string_equal(m.file, tree_path(&fx, "/sys/fs/cgroup/system.slice/memory.max"));

	/* Nothing set anywhere: the controller is there, no limit. */
	tree_put(&fx, "/sys/fs/cgroup/system.slice/memory.max", "max\n");
	tree_put(&fx, "/sys/fs/cgroup" PGCG "/memory.max", "max\n");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.version, 2);
	assert_false(m.limited);
	assert_string_equal(m.file, "");

	/* Trailing slashes and a malformed file (skipped). */
	tree_put(&fx, "/sys/fs/cgroup" PGCG "/memory.max", "garbage\n");
	tree_put(&fx, "/sys/fs/cgroup/system.slice/system-postgresql.slice/memory.max",
	         "1073741824\n");
	v2(&cg, PGCG "//");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_true(m.limited);
	assert_int_equal(m.bytes, 1073741824ULL);
}

static void test_v2_root_and_namespace(void **state)
{
	(void)state;
	struct pid_cgroup cg;
	struct cg_memlimit m;
	tree_put(&fx, "/sys/fs/cgroup/cgroup.controllers", "memory pids\n");
	/* In the root cgroup there is no memory.max at all. */
	v2(&cg, "/");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.version, 0);
	assert_false(m.limited);

	/* Paths from another cgroup namespace are not followed. */
	tree_put(&fx, "/sys/fs/cgroup/memory.max", "2147483648\n");
	v2(&cg, "/../../system.slice/x.service");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.version, 0);
	assert_false(m.limited);

	/* Inside a container's cgroup namespace the mount's root is the container's
	 * cgroup, whose memory.max is its limit. */
	v2(&cg, "/");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.version, 2);
	assert_true(m.limited);
	assert_int_equal(m.bytes, 2147483648ULL);
	assert_string_equal(m.file, tree_path(&fx, "/sys/fs/cgroup/memory.max"));

	/* No memory controller of either kind. */
	memset(&cg, 0, sizeof(cg));
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.version, 0);
}

/* The layout of this build machine: a "0::/" line with the unified hierarchy at
 * /sys/fs/cgroup/unified, and the v1 memory controller. */
static void test_hybrid_v1(void **state)
{
	(void)state;
	struct pid_cgroup cg;
	struct cg_memlimit m;
	memset(&cg, 0, sizeof(cg));
	cg.has_v2 = true;
	snprintf(cg.v2, sizeof(cg.v2), "/");
	cg.has_v1_memory = true;
	snprintf(cg.v1_memory, sizeof(cg.v1_memory),
	         "/process_api/47f407d5ea376bc795ddd437d211f7d9");
	tree_put(&fx, "/sys/fs/cgroup/unified/cgroup.controllers", "");
	tree_put(&fx, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
	tree_put(&fx, "/sys/fs/cgroup/memory/process_api/memory.limit_in_bytes", "17179869184\n");
	tree_put(&fx,
	         "/sys/fs/cgroup/memory/process_api/47f407d5ea376bc795ddd437d211f7d9/"
	         "memory.limit_in_bytes",
	         "9223372036854771712\n");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.version, 1);
	assert_true(m.limited);
	assert_int_equal(m.bytes, 17179869184ULL);
	assert_string_equal(m.file, tree_path(&fx, "/sys/fs/cgroup/memory/process_api/"
	                                           "memory.limit_in_bytes"));

	/* The hierarchy root counts in v1 (it is the only file a process at "/" has). */
	tree_put(&fx, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "1073741824\n");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.bytes, 1073741824ULL);
	assert_string_equal(m.file, tree_path(&fx, "/sys/fs/cgroup/memory/memory.limit_in_bytes"));

	/* Unlimited everywhere. */
	tree_put(&fx, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
	tree_put(&fx, "/sys/fs/cgroup/memory/process_api/memory.limit_in_bytes",
	         "9223372036854771712\n");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.version, 1);
	assert_false(m.limited);

	/* A cgroup without a directory and a malformed root file: skipped silently. */
	snprintf(cg.v1_memory, sizeof(cg.v1_memory), "/elsewhere");
	tree_put(&fx, "/sys/fs/cgroup/memory/memory.limit_in_bytes", "");
	cgroup_memlimit_read(&fx.r, &cg, &m);
	assert_int_equal(m.version, 0);
	assert_false(m.limited);
}

/* A test run on a fresh fixture tree. */
#define FX(t) cmocka_unit_test_prestate_setup_teardown(t, tree_setup, tree_teardown, &fx)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		FX(test_v2),
		FX(test_v2_root_and_namespace),
		FX(test_hybrid_v1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
