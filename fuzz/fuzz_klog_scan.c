// SPDX-License-Identifier: MIT
/* libFuzzer target for the whole of kres log on one input: the block reader (with
 * gzip and format detection), the built-in catalog's matcher and the event assembler
 * with folding. The catalog is compiled once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "klog/asm.h"
#include "klog/fold.h"
#include "klog/match.h"
#include "klog/scan.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static struct klog_catalog cat;
static struct klog_matcher m;

static void emit(void *ctx, struct klog_event *ev)
{
	klog_fold_add(ctx, ev);
}

static void suppressed(void *ctx, long sig, uint64_t k)
{
	klog_fold_suppressed(ctx, sig, k);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (!cat.nsigs) {
		struct perr e;
		long pat;
		if (klog_catalog_load_builtin(&cat, &e))
			__builtin_trap();
		klog_catalog_index(&cat);
		if (klog_matcher_build(&m, &cat, &e, &pat))
			__builtin_trap();
	}
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	if (write(fd, d, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return 0;
	}
	struct klog_fold fold;
	struct klog_asm a;
	struct klog_scan s;
	struct klog_asm_ops ops = {.emit = emit, .suppressed = suppressed};
	klog_fold_init(&fold, cat.nsigs);
	klog_asm_init(&a, &cat, &ops, &fold);
	klog_scan_init(&s, &m, &a);
	enum klog_fmt used;
	const char *what;
	(void)klog_scan_fd(&s, fd, KFMT_COUNT, 2024, &used, &what);
	klog_asm_flush(&a);
	klog_fold_sort(&fold);
	uint64_t total = 0;
	for (size_t i = 0; i < fold.n; i++) {
		const struct klog_event *ev = fold.ev[i];
		if (!ev->count || !ev->message || !ev->subject || ev->nframes > KLOG_MAX_FRAMES ||
		    (i && (fold.ev[i - 1]->input > ev->input ||
			   (fold.ev[i - 1]->lineno > ev->lineno))))
			__builtin_trap();
		total += ev->count;
	}
	if (total + fold.overflow != a.events || s.st.lines > n + 1)
		__builtin_trap();
	klog_scan_release(&s);
	klog_asm_release(&a);
	klog_fold_release(&fold);
	close(fd);
	return 0;
}
