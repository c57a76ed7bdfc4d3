// SPDX-License-Identifier: MIT
/* Folding of repeated events, keyed by (signature, subject). */
#include <stdlib.h>
#include <string.h>

#include "klog/fold.h"
#include "util/xalloc.h"
#include "util/banned.h"

void klog_fold_init(struct klog_fold *f, size_t nsigs)
{
	memset(f, 0, sizeof(*f));
	f->nsigs = nsigs;
	f->last_of_sig = xcalloc(nsigs ? nsigs : 1, sizeof(*f->last_of_sig));
	f->nslots = 1024;
	f->slots = xcalloc(f->nslots, sizeof(*f->slots));
}

void klog_fold_release(struct klog_fold *f)
{
	for (size_t i = 0; i < f->n; i++) {
		klog_event_release(f->ev[i]);
		free(f->ev[i]);
	}
	free(f->ev);
	free(f->slots);
	free(f->last_of_sig);
	memset(f, 0, sizeof(*f));
}

static uint64_t key_hash(uint32_t sig, const char *subject)
{
	uint64_t h = 1469598103934665603ull ^ sig;
	for (const unsigned char *p = (const unsigned char *)subject; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

static uint32_t *find_slot(struct klog_fold *f, uint32_t sig, const char *subject, bool *found)
{
	size_t mask = f->nslots - 1, i = (size_t)key_hash(sig, subject) & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t s = f->slots[i];
		if (!s) {
			*found = false;
			return &f->slots[i];
		}
		const struct klog_event *e = f->ev[s - 1];
		if (e->sig == sig && !strcmp(e->subject, subject)) {
			*found = true;
			return &f->slots[i];
		}
	}
}

static void rehash(struct klog_fold *f)
{
	free(f->slots);
	f->nslots *= 2;
	f->slots = xcalloc(f->nslots, sizeof(*f->slots));
	for (size_t k = 0; k < f->n; k++) {
		bool found;
		uint32_t *slot = find_slot(f, f->ev[k]->sig, f->ev[k]->subject, &found);
		*slot = (uint32_t)(k + 1);
	}
}

void klog_fold_add(struct klog_fold *f, struct klog_event *ev)
{
	bool found;
	uint32_t *slot = find_slot(f, ev->sig, ev->subject, &found);
	if (found) {
		struct klog_event *e = f->ev[*slot - 1];
		e->count += ev->count;
		e->suppressed += ev->suppressed;
		if (ev->last_mono >= 0)
			e->last_mono = ev->last_mono;
		if (ev->last_wall >= 0)
			e->last_wall = ev->last_wall;
		f->last_of_sig[ev->sig] = *slot;
		klog_event_release(ev);
		free(ev);
		return;
	}
	if (f->n >= KLOG_FOLD_MAX) {
		f->overflow += ev->count;
		klog_event_release(ev);
		free(ev);
		return;
	}
	ALLOC_GROW(f->ev, f->n + 1, f->cap);
	f->ev[f->n++] = ev;
	*slot = (uint32_t)f->n;
	f->last_of_sig[ev->sig] = f->n;
	if (f->n * 2 > f->nslots)
		rehash(f);
}

void klog_fold_suppressed(struct klog_fold *f, long sig, uint64_t n)
{
	if (sig >= 0 && (size_t)sig < f->nsigs && f->last_of_sig[sig])
		f->ev[f->last_of_sig[sig] - 1]->suppressed += n;
	else
		f->suppressed += n;
}

static int first_cmp(const void *a, const void *b)
{
	const struct klog_event *x = *(struct klog_event *const *)a, *y = *(struct klog_event *const *)b;
	if (x->input != y->input)
		return x->input < y->input ? -1 : 1;
	if (x->lineno != y->lineno)
		return x->lineno < y->lineno ? -1 : 1;
	return x->sig < y->sig ? -1 : x->sig > y->sig;
}

void klog_fold_sort(struct klog_fold *f)
{
	if (f->n > 1)
		qsort(f->ev, f->n, sizeof(*f->ev), first_cmp);
	/* The hash slots hold indexes: rebuild them. */
	memset(f->slots, 0, f->nslots * sizeof(*f->slots));
	memset(f->last_of_sig, 0, f->nsigs * sizeof(*f->last_of_sig));
	for (size_t k = 0; k < f->n; k++) {
		bool found;
		uint32_t *slot = find_slot(f, f->ev[k]->sig, f->ev[k]->subject, &found);
		*slot = (uint32_t)(k + 1);
	}
}
