/* SPDX-License-Identifier: MIT */
/* Huge page pools (/sys/kernel/mm/hugepages/hugepages-<N>kB/) and the transparent
 * huge page mode (/sys/kernel/mm/transparent_hugepage/{enabled,defrag}). */
#ifndef KRES_HUGEPAGES_H
#define KRES_HUGEPAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/src.h"
#include "util/rootfs.h"
#include "util/text.h"

#define HP_MAX_POOLS 8

struct hpool {
	uint64_t size_kb; /* page size of this pool */
	uint64_t nr;      /* nr_hugepages: persistent pool size */
	uint64_t free;    /* free_hugepages */
	uint64_t resv;    /* resv_hugepages: promised to mappings, not yet faulted */
	uint64_t surplus; /* surplus_hugepages */
	uint64_t overcommit; /* nr_overcommit_hugepages */
};

struct hugepages {
	struct src src; /* of the pools directory */
	size_t n;       /* pools, sorted by size */
	struct hpool pool[HP_MAX_POOLS];
};

/* Parses a pool directory name "hugepages-2048kB" into its size in kB. */
int hugepages_parse_dirname(const char *name, uint64_t *size_kb);
/* Reads every pool; a missing directory leaves src UNAVAILABLE and n = 0. */
void hugepages_read(const struct rootfs *r, struct hugepages *out);
/* The pool of the given page size, or NULL. */
const struct hpool *hugepages_pool(const struct hugepages *hp, uint64_t size_kb);

/* Parses a sysfs selector such as "always [madvise] never" and copies the bracketed
 * choice into out. Returns 0, or -EINVAL when there is no single bracketed word. */
int thp_parse(const char *buf, size_t len, char *out, size_t n);

#endif
