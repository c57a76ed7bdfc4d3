// SPDX-License-Identifier: MIT
/* Tests of the /proc/vmstat parser across the renames of allocstall and the arrival
 * of oom_kill, the per-zone and per-node reclaim counters kres top reads, and on
 * malformed input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "host/vmstat.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1
#define BIT(f) (1u << (f))
/* The counters kres check reads; test_good looks at these only. */
#define CHECK_N VS_PGSCAN_KSWAPD
#define ALL     ((1u << CHECK_N) - 1)

/* Captured on a Debian 12 Firecracker guest, kernel 6.18 (most lines trimmed). */
static const char real_618[] = "nr_free_pages 940533\n"
                               "workingset_refault_file 189436\n"
                               "pgpgin 1849421\n"
                               "pgpgout 142660\n"
                               "pswpin 0\n"
                               "pswpout 0\n"
                               "allocstall_dma 0\n"
                               "allocstall_dma32 0\n"
                               "allocstall_normal 0\n"
                               "allocstall_movable 0\n"
                               "allocstall_device 0\n"
                               "pgfault 2553660\n"
                               "pgmajfault 1627\n"
                               "pgsteal_kswapd 0\n"
                               "oom_kill 0\n"
                               "compact_stall 0\n"
                               "compact_fail 0\n"
                               "thp_fault_alloc 0\n"
                               "thp_fault_fallback 0\n";

/* Hand-written in the 4.14 format of a host under memory pressure: per-zone
 * allocstall (4.10+, no allocstall_device yet) and oom_kill (4.13+). */
static const char k414[] = "nr_free_pages 31871\n"
                           "pswpin 1224\n"
                           "pswpout 88812\n"
                           "allocstall_dma 0\n"
                           "allocstall_dma32 12\n"
                           "allocstall_normal 4077\n"
                           "allocstall_movable 301\n"
                           "pgmajfault 90210\n"
                           "oom_kill 3\n"
                           "compact_stall 57\n"
                           "thp_fault_alloc 1490\n";

/* Hand-written in the 3.10 format: one allocstall counter, no oom_kill. */
static const char k310[] = "nr_free_pages 45322\n"
                           "pswpin 17\n"
                           "pswpout 2048\n"
                           "pgmajfault 3301\n"
                           "allocstall 91\n"
                           "compact_stall 4\n"
                           "thp_fault_alloc 28\n";

/* Hand-written: a 32-bit 4.19 kernel with highmem and no THP or compaction. */
static const char k419_32[] = "pswpin 5\n"
                              "pswpout 6\n"
                              "allocstall_dma 1\n"
                              "allocstall_normal 2\n"
                              "allocstall_high 4\n"
                              "allocstall_movable 8\n"
                              "pgmajfault 7\n"
                              "oom_kill 0\n";

static const struct {
	const char *name;
	const char *in;
	size_t len;
	uint32_t present;
	uint64_t v[CHECK_N]; /* pswpin pswpout pgmajfault oom_kill allocstall compact thp */
} good[] = {
    {"6.18", S(real_618), ALL, {0, 0, 1627, 0, 0, 0, 0}},
    {"4.14", S(k414), ALL, {1224, 88812, 90210, 3, 4390, 57, 1490}},
    {"3.10", S(k310), ALL & ~BIT(VS_OOM_KILL), {17, 2048, 3301, 0, 91, 4, 28}},
    {"4.19 32-bit",
     S(k419_32),
     ALL & ~BIT(VS_COMPACT_STALL) & ~BIT(VS_THP_FAULT_ALLOC),
     {5, 6, 7, 0, 15, 0, 0}},
    {"one zone", S("allocstall_normal 9\n"), BIT(VS_ALLOCSTALL), {0, 0, 0, 0, 9, 0, 0}},
    {"saturating sum",
     S("allocstall_dma32 18446744073709551615\nallocstall_normal 2\n"),
     BIT(VS_ALLOCSTALL),
     {0, 0, 0, 0, UINT64_MAX, 0, 0}},
    {"nothing known", S("nr_free_pages 5\n"), 0, {0}},
    /* Lines of names kres does not use are not looked at. */
    {"odd unknown lines",
     S("nr_foo -5\nsome garbage line\n\n\xff\x00\nvm\0x 1\npswpin 4\n"),
     BIT(VS_PSWPIN),
     {4}},
    {"names are whole words", S("pswpin_extra 9\npswpi 8\n"), 0, {0}},
};

static void test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct vmstat vs;
		struct perr e = {0};
		print_message("case %s\n", good[i].name);
		assert_int_equal(vmstat_parse(good[i].in, good[i].len, &vs, &e), 0);
		assert_int_equal(vs.present & ALL, good[i].present);
		for (int f = 0; f < CHECK_N; f++) {
			assert_int_equal(vmstat_has(&vs, (enum vs_field)f),
			                 (good[i].present >> f) & 1);
			assert_int_equal(vs.v[f], good[i].v[f]);
		}
	}
	struct vmstat vs = {.present = UINT32_MAX};
	assert_false(vmstat_has(&vs, VS__COUNT));
}

/* Hand-written in the 3.10 format (RHEL 7): reclaim counted per zone, the
 * direct-reclaim throttle counter next to them, no workingset counters. */
static const char k310_reclaim[] = "pgpgin 4001\n"
                                   "pgpgout 4002\n"
                                   "pgfault 4003\n"
                                   "pgsteal_kswapd_dma 1\n"
                                   "pgsteal_kswapd_dma32 20\n"
                                   "pgsteal_kswapd_normal 300\n"
                                   "pgsteal_kswapd_movable 4000\n"
                                   "pgsteal_direct_dma 5\n"
                                   "pgsteal_direct_dma32 60\n"
                                   "pgsteal_direct_normal 700\n"
                                   "pgsteal_direct_movable 8000\n"
                                   "pgscan_kswapd_dma 2\n"
                                   "pgscan_kswapd_dma32 30\n"
                                   "pgscan_kswapd_normal 400\n"
                                   "pgscan_kswapd_movable 5000\n"
                                   "pgscan_direct_dma 6\n"
                                   "pgscan_direct_dma32 70\n"
                                   "pgscan_direct_normal 800\n"
                                   "pgscan_direct_movable 9000\n"
                                   "pgscan_direct_throttle 123\n"
                                   "pageoutrun 77\n";

/* Hand-written in the 6.7 format of a host under reclaim: both pgsteal
 * families, khugepaged counters, the split workingset_refault. */
static const char k67_reclaim[] = "workingset_refault_anon 11\n"
                                  "workingset_refault_file 1000\n"
                                  "pgpgin 1\n"
                                  "pgpgout 2\n"
                                  "pgfault 3\n"
                                  "pgsteal_kswapd 900\n"
                                  "pgsteal_direct 90\n"
                                  "pgsteal_khugepaged 9\n"
                                  "pgscan_kswapd 1800\n"
                                  "pgscan_direct 180\n"
                                  "pgscan_khugepaged 18\n"
                                  "pgscan_direct_throttle 4\n"
                                  "pgscan_anon 98\n"
                                  "pgscan_file 1900\n"
                                  "pgsteal_anon 99\n"
                                  "pgsteal_file 900\n"
                                  "pageoutrun 5\n";

/* Hand-written 4.14: per-node counters, one workingset_refault. */
static const char k414_reclaim[] = "workingset_refault 4242\n"
                                   "pgsteal_kswapd 10\n"
                                   "pgsteal_direct 20\n"
                                   "pgscan_kswapd 30\n"
                                   "pgscan_direct 40\n"
                                   "pgscan_direct_throttle 50\n";

#define NEW(f) BIT(VS_##f)
static const struct {
	const char *name;
	const char *in;
	size_t len;
	uint32_t present; /* of the reclaim fields only */
	uint64_t v[VS__COUNT];
} reclaim[] = {
    {"6.18",
     S(real_618),
     NEW(PGSTEAL_KSWAPD) | NEW(WORKINGSET_REFAULT) | NEW(PGFAULT) | NEW(PGPGIN) | NEW(PGPGOUT),
     {[VS_WORKINGSET_REFAULT] = 189436,
      [VS_PGFAULT] = 2553660,
      [VS_PGPGIN] = 1849421,
      [VS_PGPGOUT] = 142660}},
    {"3.10 zones",
     S(k310_reclaim),
     NEW(PGSCAN_KSWAPD) | NEW(PGSCAN_DIRECT) | NEW(PGSTEAL_KSWAPD) | NEW(PGSTEAL_DIRECT) |
         NEW(PGFAULT) | NEW(PAGEOUTRUN) | NEW(PGPGIN) | NEW(PGPGOUT),
     {[VS_PGSCAN_KSWAPD] = 5432,
      [VS_PGSCAN_DIRECT] = 9876,
      [VS_PGSTEAL_KSWAPD] = 4321,
      [VS_PGSTEAL_DIRECT] = 8765,
      [VS_PGFAULT] = 4003,
      [VS_PAGEOUTRUN] = 77,
      [VS_PGPGIN] = 4001,
      [VS_PGPGOUT] = 4002}},
    {"6.7 both families",
     S(k67_reclaim),
     NEW(PGSCAN_KSWAPD) | NEW(PGSCAN_DIRECT) | NEW(PGSTEAL_ANON) | NEW(PGSTEAL_FILE) |
         NEW(PGSTEAL_KSWAPD) | NEW(PGSTEAL_DIRECT) | NEW(WORKINGSET_REFAULT) | NEW(PGFAULT) |
         NEW(PAGEOUTRUN) | NEW(PGPGIN) | NEW(PGPGOUT),
     {[VS_PGSCAN_KSWAPD] = 1800,
      [VS_PGSCAN_DIRECT] = 180,
      [VS_PGSTEAL_ANON] = 99,
      [VS_PGSTEAL_FILE] = 900,
      [VS_PGSTEAL_KSWAPD] = 900,
      [VS_PGSTEAL_DIRECT] = 90,
      [VS_WORKINGSET_REFAULT] = 1011,
      [VS_PGFAULT] = 3,
      [VS_PAGEOUTRUN] = 5,
      [VS_PGPGIN] = 1,
      [VS_PGPGOUT] = 2}},
    {"4.14 nodes",
     S(k414_reclaim),
     NEW(PGSCAN_KSWAPD) | NEW(PGSCAN_DIRECT) | NEW(PGSTEAL_KSWAPD) | NEW(PGSTEAL_DIRECT) |
         NEW(WORKINGSET_REFAULT),
     {[VS_PGSCAN_KSWAPD] = 30,
      [VS_PGSCAN_DIRECT] = 40,
      [VS_PGSTEAL_KSWAPD] = 10,
      [VS_PGSTEAL_DIRECT] = 20,
      [VS_WORKINGSET_REFAULT] = 4242}},
};

static void test_reclaim(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(reclaim); i++) {
		struct vmstat vs;
		struct perr e = {0};
		print_message("case %s\n", reclaim[i].name);
		assert_int_equal(vmstat_parse(reclaim[i].in, reclaim[i].len, &vs, &e), 0);
		assert_int_equal(vs.present & ~ALL, reclaim[i].present);
		for (int f = CHECK_N; f < VS__COUNT; f++)
			assert_int_equal(vs.v[f], reclaim[i].v[f]);
	}
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	unsigned line;
	const char *msg;
} bad[] = {
    {"empty", S(""), 0, "empty file"},
    {"garbage", S("pswpin 0\npgmajfault x\n"), 2, "expected one number after 'pgmajfault'"},
    {"no value", S("pgmajfault\n"), 1, "expected one number after 'pgmajfault'"},
    {"two values", S("oom_kill 1 2\n"), 1, "expected one number after 'oom_kill'"},
    {"negative", S("allocstall_normal -1\n"), 1, "expected one number after 'allocstall_normal'"},
    {"overflow", S("pswpout 99999999999999999999999\n"), 1, "expected one number after 'pswpout'"},
    {"truncated", S("pswpin 0\npswpout 12"), 2, "file ends in the middle of a line (truncated?)"},
    {"truncated unknown", S("pswpin 0\nnr_fr"), 2,
     "file ends in the middle of a line (truncated?)"},
    {"NUL",
     S("compact_stall 1\0"
       "2\n"),
     1, "expected one number after 'compact_stall'"},
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct vmstat vs;
		struct perr e = {0};
		print_message("case %s\n", bad[i].name);
		assert_int_equal(vmstat_parse(bad[i].in, bad[i].len, &vs, &e), -EINVAL);
		assert_int_equal(e.line, bad[i].line);
		assert_string_equal(e.msg, bad[i].msg);
		assert_int_equal(vs.present, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_reclaim),
	    cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
