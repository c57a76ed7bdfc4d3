/* SPDX-License-Identifier: MIT */
/* A growable, always NUL-terminated byte buffer (git's strbuf, smaller).
 * A zeroed struct buf is valid and empty; buf_release() frees its memory. */
#ifndef KRES_BUF_H
#define KRES_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *p;    /* NUL-terminated contents, or NULL while empty and unallocated */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
};

#define BUF_INIT {0}

void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_appendf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vappendf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s with control characters and non-ASCII bytes shown as \xNN, so hostile
 * input can be printed safely. */
void buf_put_escaped(struct buf *b, const char *s, size_t n);
/* Returns the contents, "" when empty; valid until the next change. */
const char *buf_str(const struct buf *b);
/* Hands the contents to the caller (free() them) and leaves b empty. */
char *buf_detach(struct buf *b);
void buf_reset(struct buf *b);
void buf_release(struct buf *b);

#endif
