// SPDX-License-Identifier: MIT
/* Tests of the cpu range list, /proc/stat and /proc/cpuinfo parsers on real,
 * hand-written and malformed input. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host/cpu.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1

static const struct {
	const char *name;
	const char *in;
	size_t len;
	unsigned count;
} lists_good[] = {
    /* Captured on a Debian 12 Firecracker guest, kernel 6.18: cpu/online,
     * node/online and the empty cpu/isolated. */
    {"online", S("0-1\n"), 2},        {"node", S("0\n"), 1},
    {"isolated", S("\n"), 0},         {"empty", S(""), 0},
    {"mixed", S("0-3,8,10-11\n"), 7}, {"no newline", S("0-3,8,10-11"), 7},
    {"big", S("0-127\n"), 128},       {"singles", S("0,2,4,6\n"), 4},
    {"one-cpu range", S("5-5\n"), 1}, {"highest", S("1048575\n"), 1},
};

static void test_cpulist_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(lists_good); i++) {
		unsigned n = 99;
		struct perr e = {0};
		print_message("case %s\n", lists_good[i].name);
		assert_int_equal(cpulist_parse(lists_good[i].in, lists_good[i].len, &n, &e), 0);
		assert_int_equal(n, lists_good[i].count);
	}
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	const char *msg;
} lists_bad[] = {
    {"backwards", S("3-1\n"), "range 3-1 runs backwards"},
    {"garbage", S("a\n"), "expected 'N' or 'N-M' between commas"},
    {"double comma", S("0,,1\n"), "expected 'N' or 'N-M' between commas"},
    {"trailing comma", S("0,\n"), "expected 'N' or 'N-M' between commas"},
    {"leading comma", S(",0\n"), "expected 'N' or 'N-M' between commas"},
    {"open range", S("0-\n"), "expected 'N' or 'N-M' between commas"},
    {"negative", S("-1\n"), "expected 'N' or 'N-M' between commas"},
    {"two dashes", S("0-1-2\n"), "expected 'N' or 'N-M' between commas"},
    {"blank", S("0-3 \n"), "expected 'N' or 'N-M' between commas"},
    {"stride", S("0-7:2/4\n"), "expected 'N' or 'N-M' between commas"},
    {"NUL",
     S("0\0"
       "1\n"),
     "expected 'N' or 'N-M' between commas"},
    {"overlap", S("0-3,2-5\n"), "ranges overlap or are out of order"},
    {"out of order", S("4,2\n"), "ranges overlap or are out of order"},
    {"repeat", S("1,1\n"), "ranges overlap or are out of order"},
    {"too large", S("1048576\n"), "number too large for a cpu or node"},
    {"overflow", S("0-99999999999999999999999\n"), "number too large for a cpu or node"},
    {"two lines", S("0\n1\n"), "expected one line"},
};

static void test_cpulist_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(lists_bad); i++) {
		unsigned n = 99;
		struct perr e = {0};
		print_message("case %s\n", lists_bad[i].name);
		assert_int_equal(cpulist_parse(lists_bad[i].in, lists_bad[i].len, &n, &e), -EINVAL);
		assert_int_equal(n, 0);
		assert_int_equal(e.line, 1);
		assert_string_equal(e.msg, lists_bad[i].msg);
	}
}

/* Captured on a Debian 12 Firecracker guest, kernel 6.18 (intr line trimmed). */
static const char stat_618[] = "cpu  1462 0 2016 156922 287 0 44 8 0 0\n"
                               "cpu0 414 0 730 79188 6 0 13 2 0 0\n"
                               "cpu1 1047 0 1286 77734 280 0 30 6 0 0\n"
                               "intr 137354 0 0 0 0 0 0 0 0 0\n"
                               "ctxt 278907\n"
                               "btime 1795345334\n"
                               "processes 7824\n"
                               "procs_running 1\n"
                               "procs_blocked 0\n"
                               "softirq 110419 0 15279 3 609 37439 0 2 31255 0 25832\n";

static const struct {
	const char *name;
	const char *in;
	size_t len;
	struct cpustat want;
	uint64_t total;
} stat_good[] = {
    {"6.18", S(stat_618), {1462, 0, 2016, 156922, 287, 0, 44, 8, 10}, 160739},
    /* Hand-written in the 2.6.9 format (RHEL 4): no steal yet. */
    {"2.6.9",
     S("cpu  5735 53 4102 1403474 8741 240 170\ncpu0 5735 53 4102 1403474 8741 "
       "240 170\nintr 3612358 1403744\n"),
     {5735, 53, 4102, 1403474, 8741, 240, 170, 0, 7},
     1422515},
    /* Hand-written in the 2.4 format: user nice system idle only. */
    {"2.4",
     S("cpu  1279 0 3217 1193960\ncpu0 1279 0 3217 1193960\npage 1 2\n"),
     {1279, 0, 3217, 1193960, 0, 0, 0, 0, 4},
     1198456},
    /* 2.6.24 to 2.6.32: guest but no guest_nice. */
    {"2.6.24", S("cpu  10 20 30 40 50 60 70 80 90\n"), {10, 20, 30, 40, 50, 60, 70, 80, 9}, 360},
    {"not first", S("intr 5\ncpu  1 2 3 4\n"), {1, 2, 3, 4, 0, 0, 0, 0, 4}, 10},
    /* A future kernel with more columns: the first eleven are read. */
    {"future", S("cpu  1 2 3 4 5 6 7 8 9 10 11 12\n"), {1, 2, 3, 4, 5, 6, 7, 8, 11}, 36},
    {"saturating total",
     S("cpu  18446744073709551615 1 0 0\n"),
     {UINT64_MAX, 1, 0, 0, 0, 0, 0, 0, 4},
     UINT64_MAX},
};

static void test_cpustat_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(stat_good); i++) {
		struct cpustat cs;
		struct perr e = {0};
		const struct cpustat *w = &stat_good[i].want;
		print_message("case %s\n", stat_good[i].name);
		assert_int_equal(cpustat_parse(stat_good[i].in, stat_good[i].len, &cs, &e), 0);
		assert_int_equal(cs.user, w->user);
		assert_int_equal(cs.nice, w->nice);
		assert_int_equal(cs.system, w->system);
		assert_int_equal(cs.idle, w->idle);
		assert_int_equal(cs.iowait, w->iowait);
		assert_int_equal(cs.irq, w->irq);
		assert_int_equal(cs.softirq, w->softirq);
		assert_int_equal(cs.steal, w->steal);
		assert_int_equal(cs.nfields, w->nfields);
		assert_int_equal(cpustat_total(&cs), stat_good[i].total);
	}
}

static const struct {
	const char *name;
	const char *in;
	size_t len;
	unsigned line;
	const char *msg;
} stat_bad[] = {
    {"empty", S(""), 0, "no aggregate 'cpu' line"},
    {"only per-cpu", S("cpu0 1 2 3 4\n"), 0, "no aggregate 'cpu' line"},
    {"glued", S("cpu1 2 3 4 5\n"), 0, "no aggregate 'cpu' line"},
    {"too few", S("cpu  1 2 3\n"), 1, "expected at least 4 numbers after 'cpu', found 3"},
    {"none", S("intr 1\ncpu \n"), 2, "expected at least 4 numbers after 'cpu', found 0"},
    {"garbage", S("cpu  1 2 x 4\n"), 1, "number 3 after 'cpu' is not a number"},
    {"negative", S("cpu  1 2 3 -4\n"), 1, "number 4 after 'cpu' is not a number"},
    {"overflow", S("cpu  99999999999999999999999 2 3 4\n"), 1,
     "number 1 after 'cpu' is out of range"},
    {"truncated", S("cpu  1462 0 2016 15"), 1, "file ends in the middle of a line (truncated?)"},
    {"NUL", S("cpu  1 2 3 4\0 5\n"), 1, "number 4 after 'cpu' is not a number"},
    {"binary", S("\x01\x02\xff\n"), 0, "no aggregate 'cpu' line"},
};

static void test_cpustat_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(stat_bad); i++) {
		struct cpustat cs;
		struct perr e = {0};
		print_message("case %s\n", stat_bad[i].name);
		assert_int_not_equal(cpustat_parse(stat_bad[i].in, stat_bad[i].len, &cs, &e), 0);
		assert_int_equal(e.line, stat_bad[i].line);
		assert_string_equal(e.msg, stat_bad[i].msg);
		assert_int_equal(cs.nfields, 0);
		assert_int_equal(cpustat_total(&cs), 0);
	}
}

/* Captured on a Debian 12 Firecracker guest, kernel 6.18 (flags trimmed), with the
 * second processor's flags changed to show that only the first line counts. */
static const char cpuinfo_618[] =
    "processor\t: 0\n"
    "vendor_id\t: AuthenticAMD\n"
    "cpu family\t: 26\n"
    "model\t\t: 2\n"
    "model name\t: AMD EPYC\n"
    "stepping\t: 1\n"
    "cpu MHz\t\t: 2596.124\n"
    "cache size\t: 1024 KB\n"
    "fpu\t\t: yes\n"
    "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
    "clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc "
    "hypervisor avx2 avx512f avx512dq adx smap avx512_vp2intersect\n"
    "bugs\t\t: sysret_ss_attrs null_seg spectre_v1 spectre_v2\n"
    "power management:\n"
    "\n"
    "processor\t: 1\n"
    "vendor_id\t: AuthenticAMD\n"
    "flags\t\t: fpu only_on_cpu1\n"
    "\n";

/* Hand-written like an Intel host on 5.x: "vmx flags" is not "flags". */
static const char cpuinfo_vmx[] = "processor\t: 0\n"
                                  "model name\t: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz\n"
                                  "vmx flags\t: vnmi preemption_timer ept\n"
                                  "flags\t\t: fpu vmx pdpe1gb\n";

/* Hand-written like arm64 (arch/arm64/kernel/cpuinfo.c): "Features", no "flags". */
static const char cpuinfo_arm[] = "processor\t: 0\n"
                                  "BogoMIPS\t: 50.00\n"
                                  "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\n"
                                  "CPU implementer\t: 0x41\n";

static const struct {
	const char *buf;
	const char *flag;
	bool has;
} flags[] = {
    {cpuinfo_618, "fpu", true},                 /* first word */
    {cpuinfo_618, "avx512_vp2intersect", true}, /* last word */
    {cpuinfo_618, "hypervisor", true},
    {cpuinfo_618, "pdpe1gb", true},
    {cpuinfo_618, "avx2", true},
    {cpuinfo_618, "avx", false}, /* whole words only */
    {cpuinfo_618, "avx51", false},
    {cpuinfo_618, "sse4", false},
    {cpuinfo_618, "yes", false},        /* the "fpu" line is not the flags line */
    {cpuinfo_618, "spectre_v1", false}, /* "bugs" */
    {cpuinfo_618, "only_on_cpu1", false},
    {cpuinfo_618, "", false},
    {cpuinfo_vmx, "ept", false},
    {cpuinfo_vmx, "vmx", true},
    {cpuinfo_vmx, "pdpe1gb", true},
    {cpuinfo_arm, "aes", false},
    {"", "fpu", false},
    {"flags\t\t:\n", "fpu", false},
    {"flags: fpu", "fpu", true}, /* no newline, no tab */
};

static void test_flags(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		print_message("case %zu '%s'\n", i, flags[i].flag);
		assert_int_equal(
		    cpuinfo_has_flag(flags[i].buf, strlen(flags[i].buf), flags[i].flag),
		    flags[i].has);
	}
	/* A flag past len is not seen. */
	static const char cut[] = "flags\t\t: fpu vme\n";
	assert_true(cpuinfo_has_flag(cut, 12, "fpu"));
	assert_false(cpuinfo_has_flag(cut, 15, "vme"));
	assert_false(cpuinfo_has_flag(S("flags : fpu\0vme\n"), "vme"));
}

static const struct {
	const char *buf;
	const char *key;
	size_t n;
	bool found;
	const char *out;
} fields[] = {
    {cpuinfo_618, "model name", 64, true, "AMD EPYC"},
    {cpuinfo_618, "model", 64, true, "2"}, /* not the "model name" line */
    {cpuinfo_618, "vendor_id", 64, true, "AuthenticAMD"},
    {cpuinfo_618, "cpu MHz", 64, true, "2596.124"},
    {cpuinfo_618, "processor", 64, true, "0"}, /* the first one */
    {cpuinfo_618, "power management", 64, true, ""},
    {cpuinfo_618, "model name", 4, true, "AMD"}, /* cut to fit */
    {cpuinfo_618, "stepping ", 64, false, "x"},
    {cpuinfo_618, "microcode", 64, false, "x"},
    {cpuinfo_618, "cpu", 64, false, "x"},
    {cpuinfo_vmx, "model name", 64, true, "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz"},
    {cpuinfo_arm, "CPU implementer", 64, true, "0x41"},
    {"", "model name", 64, false, "x"},
};

static void test_fields(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		char out[64] = "x";
		print_message("case %zu '%s'\n", i, fields[i].key);
		assert_int_equal(cpuinfo_field(fields[i].buf, strlen(fields[i].buf), fields[i].key,
		                               out, fields[i].n),
		                 fields[i].found);
		assert_string_equal(out, fields[i].out);
	}
	char out[4] = "x";
	assert_false(cpuinfo_field(S(cpuinfo_618), "model name", out, 0));
	assert_string_equal(out, "x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cpulist_good), cmocka_unit_test(test_cpulist_bad),
	    cmocka_unit_test(test_cpustat_good), cmocka_unit_test(test_cpustat_bad),
	    cmocka_unit_test(test_flags),        cmocka_unit_test(test_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
