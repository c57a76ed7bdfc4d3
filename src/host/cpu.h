/* SPDX-License-Identifier: MIT */
/* CPUs and NUMA nodes: counts from sysfs range lists, time totals from /proc/stat,
 * and flags from /proc/cpuinfo. */
#ifndef KRES_CPU_H
#define KRES_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/text.h"

/* Parses a kernel range list ("0-3,8,10-11\n") and counts its members. An empty list
 * counts 0. Returns 0 or -EINVAL. */
int cpulist_parse(const char *buf, size_t len, unsigned *count, struct perr *err);

/* The aggregate "cpu" line of /proc/stat, in USER_HZ ticks. Fields missing on old
 * kernels (steal before 2.6.11) are 0 and nfields says how many were present. */
struct cpustat {
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal;
	int nfields;
};
int cpustat_parse(const char *buf, size_t len, struct cpustat *cs, struct perr *err);
/* Total ticks of the first eight fields (guest time is already in user and nice). */
uint64_t cpustat_total(const struct cpustat *cs);

/* True when the first "flags" line of /proc/cpuinfo holds the word flag. */
bool cpuinfo_has_flag(const char *buf, size_t len, const char *flag);
/* Copies the value of the first line starting with key (e.g. "model name") into out. */
bool cpuinfo_field(const char *buf, size_t len, const char *key, char *out, size_t n);

#endif
