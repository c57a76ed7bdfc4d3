// SPDX-License-Identifier: MIT
/* libFuzzer target for kres log's line parsers: format detection, every text
 * rendering's prefix parser on each line, /dev/kmsg records and journal JSON lines.
 * The parsed message must lie inside the input (or the scratch buffer). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "klog/line.h"
#include "util/text.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void check_inside(const struct klog_rec *r, const char *buf, size_t n,
			 const struct klog_linectx *ctx)
{
	bool in_buf = r->msg >= buf && r->msg + r->len <= buf + n;
	bool in_scratch = ctx->scratch && r->msg >= ctx->scratch &&
			  r->msg + r->len <= ctx->scratch + ctx->scratch_cap;
	if (!in_buf && !in_scratch)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n ? n : 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	(void)klog_fmt_detect(buf, n);
	for (int f = 0; f < KFMT_COUNT; f++) {
		struct klog_linectx ctx;
		struct klog_rec r;
		struct lineiter it;
		struct span l;
		klog_linectx_init(&ctx, (enum klog_fmt)f, 2024);
		lineiter_init(&it, buf, n);
		while (lineiter_next(&it, &l)) {
			if (f == KFMT_KMSG) {
				if (!klog_kmsg_parse(&ctx, l.p, l.n, &r))
					check_inside(&r, buf, n, &ctx);
			} else if (f == KFMT_JSON) {
				if (klog_json_parse(&ctx, l.p, l.n, &r) > 0)
					check_inside(&r, buf, n, &ctx);
			} else if (klog_line_parse(&ctx, l.p, l.n, &r)) {
				check_inside(&r, buf, n, &ctx);
			}
		}
		/* the whole input as one kmsg record with continuation lines */
		if (f == KFMT_KMSG && !klog_kmsg_parse(&ctx, buf, n, &r))
			check_inside(&r, buf, n, &ctx);
		klog_linectx_release(&ctx);
	}
	free(buf);
	return 0;
}
