// SPDX-License-Identifier: MIT
/* Tests of the /proc/meminfo parser against real and hand-written files of several
 * kernel eras, and against malformed input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "host/meminfo.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A string literal and its length, so that inputs may hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

/* Captured on a Debian 12 Firecracker guest, kernel 6.18 (a few lines trimmed). */
static const char real_618[] = "MemTotal:       24684100 kB\n"
                               "MemFree:        24290568 kB\n"
                               "MemAvailable:   24358288 kB\n"
                               "Buffers:            1212 kB\n"
                               "Cached:           256976 kB\n"
                               "SwapCached:            0 kB\n"
                               "Active:           168404 kB\n"
                               "Inactive:          87856 kB\n"
                               "Active(anon):       1528 kB\n"
                               "Inactive(anon):     5272 kB\n"
                               "Unevictable:       13444 kB\n"
                               "Mlocked:           12572 kB\n"
                               "SwapTotal:             0 kB\n"
                               "SwapFree:              0 kB\n"
                               "Zswap:                 0 kB\n"
                               "Zswapped:              0 kB\n"
                               "Dirty:               176 kB\n"
                               "AnonPages:         11524 kB\n"
                               "Mapped:            10660 kB\n"
                               "Shmem:              8724 kB\n"
                               "Slab:              68016 kB\n"
                               "SecPageTables:         0 kB\n"
                               "CommitLimit:    12342048 kB\n"
                               "Committed_AS:      54068 kB\n"
                               "VmallocTotal:   34359738367 kB\n"
                               "Percpu:              688 kB\n"
                               "AnonHugePages:         0 kB\n"
                               "ShmemHugePages:        0 kB\n"
                               "FilePmdMapped:         0 kB\n"
                               "Balloon:               0 kB\n"
                               "HugePages_Total:       0\n"
                               "HugePages_Free:        0\n"
                               "HugePages_Rsvd:        0\n"
                               "HugePages_Surp:        0\n"
                               "Hugepagesize:       2048 kB\n"
                               "Hugetlb:               0 kB\n"
                               "DirectMap4k:       30720 kB\n"
                               "DirectMap2M:     2066432 kB\n"
                               "DirectMap1G:    25165824 kB\n";

/* Hand-written in the format of a vanilla 3.10 kernel: no MemAvailable (3.14) and
 * no Hugetlb (4.16); huge page counts without a unit. */
static const char k310[] = "MemTotal:        3882456 kB\n"
                           "MemFree:          181304 kB\n"
                           "Buffers:            2084 kB\n"
                           "Cached:          2993740 kB\n"
                           "SwapCached:         1028 kB\n"
                           "Active:          1510788 kB\n"
                           "Inactive:        1688480 kB\n"
                           "SwapTotal:       2097148 kB\n"
                           "SwapFree:        2090300 kB\n"
                           "Shmem:           2371200 kB\n"
                           "CommitLimit:     4038376 kB\n"
                           "Committed_AS:    3050828 kB\n"
                           "VmallocTotal:   34359738367 kB\n"
                           "HardwareCorrupted:     0 kB\n"
                           "AnonHugePages:    120832 kB\n"
                           "HugePages_Total:       0\n"
                           "HugePages_Free:        0\n"
                           "HugePages_Rsvd:        0\n"
                           "HugePages_Surp:        0\n"
                           "Hugepagesize:       2048 kB\n"
                           "DirectMap4k:       73664 kB\n"
                           "DirectMap2M:     4120576 kB\n";

/* Hand-written in the format of a 5.15 kernel on a PostgreSQL host with 8200
 * huge pages of 2 MB reserved for shared_buffers. */
static const char k515_huge[] = "MemTotal:       65843896 kB\n"
                                "MemFree:         2893412 kB\n"
                                "MemAvailable:   30213364 kB\n"
                                "Buffers:          402812 kB\n"
                                "Cached:         26501860 kB\n"
                                "SwapCached:            0 kB\n"
                                "SwapTotal:             0 kB\n"
                                "SwapFree:              0 kB\n"
                                "Shmem:            181052 kB\n"
                                "AnonHugePages:         0 kB\n"
                                "CommitLimit:    24527548 kB\n"
                                "Committed_AS:   21938112 kB\n"
                                "HugePages_Total:    8200\n"
                                "HugePages_Free:     1312\n"
                                "HugePages_Rsvd:      912\n"
                                "HugePages_Surp:        0\n"
                                "Hugepagesize:       2048 kB\n"
                                "Hugetlb:        16793600 kB\n";

struct good_case {
	const char *name;
	const char *in;
	size_t len;
	uint32_t present;
	uint64_t v[MI__COUNT];
};

#define ALL    ((1u << MI__COUNT) - 1)
#define BIT(f) (1u << (f))

static const struct good_case good[] = {
    {"real 6.18",
     S(real_618),
     ALL,
     {24684100, 24290568, 24358288, 1212, 256976, 0, 0, 0, 8724, 0, 12342048, 54068, 0, 0, 0, 0,
      2048, 0}},
    {"3.10",
     S(k310),
     ALL & ~BIT(MI_MEMAVAILABLE) & ~BIT(MI_HUGETLB),
     {3882456, 181304, 0, 2084, 2993740, 1028, 2097148, 2090300, 2371200, 120832, 4038376, 3050828,
      0, 0, 0, 0, 2048, 0}},
    {"5.15 huge pages",
     S(k515_huge),
     ALL,
     {65843896, 2893412, 30213364, 402812, 26501860, 0, 0, 0, 181052, 0, 24527548, 21938112, 8200,
      1312, 912, 0, 2048, 16793600}},
    {"only MemTotal", S("MemTotal: 1 kB\n"), BIT(MI_MEMTOTAL), {1}},
    /* Unknown keys are skipped whatever they hold, NUL bytes included. */
    {"unknown keys",
     S("Foo\0bar: x y z\nMemTotal:\t7 kB\nNew_Field: 12 MB\n"),
     BIT(MI_MEMTOTAL),
     {7}},
    {"max u64", S("MemTotal: 18446744073709551615 kB\n"), BIT(MI_MEMTOTAL), {UINT64_MAX}},
};

static void test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct meminfo mi;
		struct perr e = {0};
		print_message("case %s\n", good[i].name);
		assert_int_equal(meminfo_parse(good[i].in, good[i].len, &mi, &e), 0);
		assert_int_equal(mi.present, good[i].present);
		for (int f = 0; f < MI__COUNT; f++) {
			assert_int_equal(meminfo_has(&mi, (enum mi_field)f),
			                 (good[i].present >> f) & 1);
			assert_int_equal(mi.v[f], good[i].v[f]);
		}
	}
}

struct bad_case {
	const char *name;
	const char *in;
	size_t len;
	unsigned line;
	const char *msg;
};

static const struct bad_case bad[] = {
    {"empty", S(""), 0, "no 'MemTotal:' line"},
    {"no MemTotal", S("MemFree: 1 kB\n"), 0, "no 'MemTotal:' line"},
    {"truncated", S("MemTotal: 100 kB\nMemFree:  12"), 2,
     "file ends in the middle of a line (truncated?)"},
    {"truncated unknown key", S("MemTotal: 100 kB\nDirectMa"), 2,
     "file ends in the middle of a line (truncated?)"},
    {"garbage number", S("MemTotal: 12x4 kB\n"), 1, "expected a number after 'MemTotal:'"},
    {"negative", S("MemTotal: 1 kB\nMemFree: -5 kB\n"), 2, "expected a number after 'MemFree:'"},
    {"empty value", S("MemTotal:\n"), 1, "expected a number after 'MemTotal:'"},
    {"overflow", S("MemTotal: 99999999999999999999999 kB\n"), 1,
     "value of 'MemTotal' is out of range"},
    {"no unit", S("MemTotal: 1234\n"), 1, "expected 'kB' after the value of 'MemTotal'"},
    {"wrong unit", S("MemTotal: 1234 MB\n"), 1, "expected 'kB' after the value of 'MemTotal'"},
    {"count with unit", S("MemTotal: 1 kB\nHugePages_Total: 5 kB\n"), 2,
     "unexpected text after the value of 'HugePages_Total'"},
    {"extra text", S("MemTotal: 1 kB kB\n"), 1, "unexpected text after the value of 'MemTotal'"},
    {"no colon", S("MemTotal 100 kB\n"), 1, "expected 'key:' at the start of the line"},
    {"blank line", S("MemTotal: 1 kB\n\nMemFree: 1 kB\n"), 2,
     "expected 'key:' at the start of the line"},
    {"key not at line start", S(" MemTotal: 1 kB\n:5\n"), 2,
     "expected 'key:' at the start of the line"},
    {"NUL in value",
     S("MemTotal: 12\0"
       "34 kB\n"),
     1, "expected a number after 'MemTotal:'"},
    {"NUL line", S("MemTotal: 1 kB\n\0\0\0\n"), 2, "expected 'key:' at the start of the line"},
    {"duplicate", S("MemTotal: 1 kB\nMemFree: 1 kB\nMemTotal: 2 kB\n"), 3,
     "'MemTotal' appears twice"},
    {"binary", S("\xff\xfe\x01\x02:\x80\n"), 0, "no 'MemTotal:' line"},
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct meminfo mi;
		struct perr e = {0};
		print_message("case %s\n", bad[i].name);
		assert_int_equal(meminfo_parse(bad[i].in, bad[i].len, &mi, &e), -EINVAL);
		assert_int_equal(e.line, bad[i].line);
		assert_string_equal(e.msg, bad[i].msg);
		assert_int_equal(mi.present, 0); /* nothing half-parsed is left behind */
	}
}

static void test_names(void **state)
{
	static const char *const want[MI__COUNT] = {
	    "MemTotal",       "MemFree",      "MemAvailable",    "Buffers",        "Cached",
	    "SwapCached",     "SwapTotal",    "SwapFree",        "Shmem",          "AnonHugePages",
	    "CommitLimit",    "Committed_AS", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd",
	    "HugePages_Surp", "Hugepagesize", "Hugetlb",
	};
	(void)state;
	for (int f = 0; f < MI__COUNT; f++)
		assert_string_equal(meminfo_name((enum mi_field)f), want[f]);
	assert_string_equal(meminfo_name(MI__COUNT), "?");
	struct meminfo mi = {.present = UINT32_MAX};
	assert_false(meminfo_has(&mi, MI__COUNT));
}

/* The parser must not look at a byte past len: the last line is cut by len. */
static void test_len_bounds(void **state)
{
	static const char in[] = "MemTotal: 100 kB\nMemFree: 5 kB\n";
	struct meminfo mi;
	struct perr e = {0};
	(void)state;
	assert_int_equal(meminfo_parse(in, 17, &mi, &e), 0);
	assert_int_equal(mi.v[MI_MEMTOTAL], 100);
	assert_false(meminfo_has(&mi, MI_MEMFREE));
	assert_int_equal(meminfo_parse(in, 15, &mi, &e), -EINVAL);
	assert_int_equal(e.line, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_len_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
