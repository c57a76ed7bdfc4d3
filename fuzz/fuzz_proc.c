// SPDX-License-Identifier: MIT
/* libFuzzer target for every /proc/PID parser: status, limits, oom_score_adj,
 * environ, cmdline, maps and cgroup all read the same input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/proc.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* Pointers the NUL-separated parsers return must point into buf. */
static void check_inside(const char *p, const char *buf, size_t n)
{
	if (p && (p < buf || p > buf + n))
		__builtin_trap();
}

static void fuzz_strings(const char *buf, size_t n)
{
	const char *argv[8];
	check_inside(environ_get(buf, n, "PGDATA"), buf, n);
	check_inside(environ_get(buf, n, "A"), buf, n);
	size_t argc = cmdline_split(buf, n, argv, 8);
	if (argc > 8)
		__builtin_trap();
	for (size_t i = 0; i < argc; i++)
		check_inside(argv[i], buf, n);
	(void)cmdline_split(buf, n, argv, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct perr e = {0};
	struct pid_status st;
	(void)pidstatus_parse(buf, n, &st, &e);
	struct pid_limits pl;
	(void)pidlimits_parse(buf, n, &pl, &e);
	int adj;
	if (oomadj_parse(buf, n, &adj, &e) == 0 && (adj < -1000 || adj > 1000))
		__builtin_trap();
	fuzz_strings(buf, n);
	struct pid_maps pm;
	(void)maps_parse(buf, n, &pm, &e);
	struct pid_cgroup cg;
	char unit[32];
	if (cgroup_parse(buf, n, &cg, &e) == 0)
		(void)cgroup_unit(&cg, unit, sizeof(unit));
	free(buf);
	return 0;
}
