/* SPDX-License-Identifier: MIT */
/* Tools for parsing text from the kernel and config files: a line iterator that
 * counts lines, whitespace tokens, checked number parsing, and the parse error
 * record every parser fills in. All of them work on (pointer, length) spans and
 * never read past the length. */
#ifndef KRES_TEXT_H
#define KRES_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where and why a parse failed. line is 1-based; 0 means the whole input. */
struct perr {
	unsigned line;
	char msg[160];
};

void perr_set(struct perr *e, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A piece of a larger buffer: not NUL-terminated. */
struct span {
	const char *p;
	size_t n;
};

struct lineiter {
	const char *p, *end;
	unsigned lineno;   /* number of the line last returned */
	bool unterminated; /* the line last returned had no trailing newline */
};

void lineiter_init(struct lineiter *it, const char *buf, size_t len);
/* Returns the next line without its newline in *line; false at the end. */
bool lineiter_next(struct lineiter *it, struct span *line);

/* Splits s at runs of spaces and tabs into at most max tokens; returns the count
 * of tokens found (which may exceed max: the rest are not stored). */
size_t span_split_ws(struct span s, struct span *tok, size_t max);
struct span span_trim(struct span s);
/* Takes the next token (separated by spaces, tabs or CRs) off the front of *rest;
 * false when none is left. */
bool span_next_tok(struct span *rest, struct span *tok);
bool span_eq(struct span s, const char *lit);
bool span_startswith(struct span s, const char *lit);
/* Copies s into dst (size n), truncating; returns false if it did not fit. */
bool span_copy(struct span s, char *dst, size_t n);
struct span span_from(const char *s);

/* Checked decimal parsing of the whole span: no sign for u64, optional '-' for i64,
 * no empty input, no overflow, no trailing bytes. Return 0 or -EINVAL/-ERANGE. */
int parse_u64(struct span s, uint64_t *out);
int parse_i64(struct span s, int64_t *out);
/* Copies src (at most n bytes) into dst of size cap, always terminating; returns
 * false when truncated. The bounded replacement for strcpy/strncpy. */
bool str_copy(char *dst, size_t cap, const char *src);

#endif
