/* SPDX-License-Identifier: MIT */
/* A parser for systemd-style INI files (unit files, logind.conf and drop-ins), with
 * systemd's own rules: comments are lines starting with '#' or ';', a trailing
 * backslash continues the line, keys may repeat (each call is delivered in order),
 * and whitespace around '=' is dropped. inih would not do: it lacks backslash
 * continuation and treats inline ';' differently. */
#ifndef KRES_INI_H
#define KRES_INI_H

#include <stddef.h>

#include "util/text.h"

/* Called for each assignment; line is where it started. Return 0 to go on, or a
 * negative value to stop (it is returned by ini_parse). */
typedef int (*ini_cb)(const char *section, const char *key, const char *value, unsigned line,
		      void *ctx);

/* Parses buf. A line that is neither a comment, a [section] nor key=value is an
 * error (-EINVAL with *err). Keys and values longer than 4 KiB are errors. */
int ini_parse(const char *buf, size_t len, ini_cb cb, void *ctx, struct perr *err);

/* systemd's boolean words: 1/yes/y/true/t/on and 0/no/n/false/f/off (any case).
 * Returns 1, 0, or -EINVAL. */
int ini_parse_bool(const char *v);

#endif
