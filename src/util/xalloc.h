/* SPDX-License-Identifier: MIT */
/* Allocation that never returns NULL: running out of memory is fatal and reported
 * with the size asked for. Everything returned is freed with free(). */
#ifndef KRES_XALLOC_H
#define KRES_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n) __attribute__((malloc, returns_nonnull));
void *xcalloc(size_t nmemb, size_t size) __attribute__((malloc, returns_nonnull));
/* Resizes p to nmemb * size bytes; the multiplication is overflow-checked. */
void *xreallocarray(void *p, size_t nmemb, size_t size) __attribute__((returns_nonnull));
char *xstrdup(const char *s) __attribute__((malloc, returns_nonnull));
char *xstrndup(const char *s, size_t n) __attribute__((malloc, returns_nonnull));
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2), returns_nonnull));

/* Grows an array *v of *cap elements so that it holds at least need elements. */
#define ALLOC_GROW(v, need, cap)                                                    \
	do {                                                                        \
		if ((need) > (cap)) {                                               \
			size_t alloc_grow_n_ = (cap) ? (cap) * 2 : 8;               \
			if (alloc_grow_n_ < (need))                                 \
				alloc_grow_n_ = (need);                             \
			(v) = xreallocarray((v), alloc_grow_n_, sizeof(*(v)));      \
			(cap) = alloc_grow_n_;                                      \
		}                                                                   \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
