// SPDX-License-Identifier: MIT
/* libFuzzer target for the signature catalog parser (users' signatures.d files are
 * input too) and the pattern compilers behind it: a file either parses and compiles
 * or is rejected with a line number and a reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "klog/catalog.h"
#include "klog/match.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct klog_catalog c = {0};
	struct perr e = {0};
	int rc = klog_catalog_parse(&c, (const char *)d, n, "fuzz", &e);
	if (rc && !e.msg[0])
		__builtin_trap();
	if (!rc && c.nsigs && n < 4096) {
		struct klog_matcher m;
		long pat;
		klog_catalog_index(&c);
		if (klog_matcher_build(&m, &c, &e, &pat) == 0) {
			struct klog_field f[KLOG_MAX_FIELDS];
			size_t nf;
			for (size_t i = 0; i < c.nsigs; i++)
				for (size_t k = 0; k < c.sigs[i].sample.n; k++)
					(void)klog_matcher_match(&m, c.sigs[i].sample.v[k],
								 strlen(c.sigs[i].sample.v[k]), f, &nf);
		} else if (!e.msg[0]) {
			__builtin_trap();
		}
		klog_matcher_release(&m);
	}
	klog_catalog_release(&c);
	return 0;
}
