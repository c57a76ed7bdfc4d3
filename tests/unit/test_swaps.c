// SPDX-License-Identifier: MIT
/* Tests of the /proc/swaps parser on real, hand-written and malformed input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "host/swaps.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1
#define D10    "0123456789"
#define D120   D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10 D10
#define HDR    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"

static const struct {
	const char *name;
	const char *in;
	size_t len;
	unsigned n;
	uint64_t size_kb, used_kb;
	const char *first;
} good[] = {
    /* Captured on a Debian 12 Firecracker guest, kernel 6.18: no swap. */
    {"6.18 none", S(HDR), 0, 0, 0, ""},
    /* Hand-written in the 5.x/6.x format (mm/swapfile.c swap_show, padded to 40). */
    {"ubuntu swapfile",
     S(HDR "/swap.img                               file\t\t2097148\t\t"
           "524288\t\t-2\n"),
     1, 2097148, 524288, "/swap.img"},
    {"two areas",
     S(HDR "/dev/dm-1                               partition\t8388604\t\t0\t\t-2\n"
           "/var/swapfile                           file\t\t1048572\t\t12\t\t10\n"),
     2, 9437176, 12, "/dev/dm-1"},
    /* Sizes of 10 GB and more lose the second tab. */
    {"big", S(HDR "/dev/nvme0n1p3                          partition\t33554428\t1048576\t\t-2\n"),
     1, 33554428, 1048576, "/dev/nvme0n1p3"},
    /* Hand-written in the 2.6 format ("%-39s %s\t%u\t%u\t%d\n"). */
    {"2.6", S(HDR "/dev/sda2                               partition\t2096472\t0\t-1\n"), 1,
     2096472, 0, "/dev/sda2"},
    /* seq_file_path escapes blanks in names as octal; they stay escaped. */
    {"escaped name", S(HDR "/mnt/my\\040swap file\t\t1024\t\t0\t\t-3\n"), 1, 1024, 0,
     "/mnt/my\\040swap"},
    {"saturating", S(HDR "/a file 18446744073709551615 1 -2\n/b file 5 1 -3\n"), 2, UINT64_MAX, 2,
     "/a"},
    /* Names longer than first[] are cut for messages; the row still counts. */
    {"long name", S(HDR "/" D120 "0123456789 file 1 0 -2\n"), 1, 1, 0, "/" D120 "012345"},
};

static void test_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		struct swaps sw;
		struct perr e = {0};
		print_message("case %s\n", good[i].name);
		assert_int_equal(swaps_parse(good[i].in, good[i].len, &sw, &e), 0);
		assert_int_equal(sw.n, good[i].n);
		assert_int_equal(sw.size_kb, good[i].size_kb);
		assert_int_equal(sw.used_kb, good[i].used_kb);
		assert_string_equal(sw.first, good[i].first);
	}
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	unsigned line;
	const char *msg;
} bad[] = {
    {"empty", S(""), 0, "empty file, expected a header line"},
    {"no header", S("/dev/sda2 partition 1 0 -1\n"), 1,
     "expected the header 'Filename Type Size Used Priority'"},
    {"short header", S("Filename Type Size Used\n"), 1,
     "expected the header 'Filename Type Size Used Priority'"},
    {"blank header", S("\n"), 1, "expected the header 'Filename Type Size Used Priority'"},
    {"4 fields", S(HDR "/dev/sda2 partition 1 0\n"), 2,
     "expected 5 fields (name type size used priority), found 4"},
    {"6 fields", S(HDR "/dev/my swap partition 1 0 -1\n"), 2,
     "expected 5 fields (name type size used priority), found 6"},
    {"blank row", S(HDR "\n"), 2, "expected 5 fields (name type size used priority), found 0"},
    {"bad size", S(HDR "/s file 12k 0 -1\n"), 2, "size and used must be numbers of kB"},
    {"negative used", S(HDR "/s file 12 -1 -1\n"), 2, "size and used must be numbers of kB"},
    {"overflow", S(HDR "/s file 99999999999999999999999 0 -1\n"), 2,
     "size and used must be numbers of kB"},
    {"bad priority", S(HDR "/s file 1 0 high\n"), 2, "priority must be a number"},
    {"truncated", S(HDR "/dev/sda2                               partition\t2096"), 2,
     "file ends in the middle of a line (truncated?)"},
    {"truncated header", S("Filename\t\t\t\tType"), 1,
     "file ends in the middle of a line (truncated?)"},
    {"NUL", S(HDR "/s file 1\0 0 -1\n"), 2, "size and used must be numbers of kB"},
    {"binary", S("\xff\xfe\x00\n"), 1, "expected the header 'Filename Type Size Used Priority'"},
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct swaps sw;
		struct perr e = {0};
		print_message("case %s\n", bad[i].name);
		assert_int_equal(swaps_parse(bad[i].in, bad[i].len, &sw, &e), -EINVAL);
		assert_int_equal(e.line, bad[i].line);
		assert_string_equal(e.msg, bad[i].msg);
		assert_int_equal(sw.n, 0);
		assert_int_equal(sw.size_kb, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
