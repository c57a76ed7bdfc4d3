// SPDX-License-Identifier: MIT
/* The built-in signature catalog: src/klog/signatures.conf, embedded as it is so the
 * data file stays the one source (the Makefile makes this object depend on it). */
#include <stddef.h>

#include "klog/catalog.h"

__asm__(".section .rodata\n"
	".global klog_builtin_catalog\n"
	".type klog_builtin_catalog, @object\n"
	"klog_builtin_catalog:\n"
	".incbin \"src/klog/signatures.conf\"\n"
	"klog_builtin_catalog_end:\n"
	".byte 0\n"
	".balign 8\n"
	".global klog_builtin_catalog_len\n"
	".type klog_builtin_catalog_len, @object\n"
	"klog_builtin_catalog_len:\n"
	".quad klog_builtin_catalog_end - klog_builtin_catalog\n"
	".previous\n");
