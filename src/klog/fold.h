/* SPDX-License-Identifier: MIT */
/* Folds repeated events: the same signature with the same subject becomes one event
 * with a count and its first and last time, kept in order of first occurrence. */
#ifndef KRES_KLOG_FOLD_H
#define KRES_KLOG_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "klog/asm.h"

#define KLOG_FOLD_MAX 100000 /* distinct events kept; more are counted in overflow */

struct klog_fold {
	struct klog_event **ev; /* in order of first occurrence */
	size_t n, cap;
	uint32_t *slots; /* open-addressing hash: index + 1, 0 empty */
	size_t nslots;
	size_t *last_of_sig; /* per signature: index + 1 of its last event */
	size_t nsigs;
	uint64_t overflow;   /* events not kept because KLOG_FOLD_MAX was reached */
	uint64_t suppressed; /* suppressed messages no event could take */
};

void klog_fold_init(struct klog_fold *f, size_t nsigs);
void klog_fold_release(struct klog_fold *f);
/* Takes ownership of ev. */
void klog_fold_add(struct klog_fold *f, struct klog_event *ev);
void klog_fold_suppressed(struct klog_fold *f, long sig, uint64_t n);
/* Orders the events by where they first occurred (input, then line): a report's
 * event is emitted when the report closes, after shorter events that followed it. */
void klog_fold_sort(struct klog_fold *f);

#endif
