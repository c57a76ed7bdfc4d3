// SPDX-License-Identifier: MIT
/* The pieces of the Prometheus text format 0.0.4 (prometheus/docs
 * docs/instrumenting/exposition_formats.md) that every family of /metrics uses:
 * the HELP and TYPE header, escaped label values and sample values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/metrics.h"
#include "util/banned.h"

/* Appends s with each byte of special (a subset of \, " and newline) escaped. */
static void put_escaped(struct buf *b, const char *s, const char *special)
{
	for (;;) {
		size_t n = strcspn(s, special);
		buf_append(b, s, n);
		s += n;
		if (!*s)
			return;
		buf_puts(b, *s == '\n' ? "\\n" : *s == '"' ? "\\\"" : "\\\\");
		s++;
	}
}

void prom_family(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_puts(b, "# HELP ");
	buf_puts(b, name);
	buf_putc(b, ' ');
	/* HELP escapes only backslash and newline: a '"' stays as it is. */
	put_escaped(b, help, "\\\n");
	buf_puts(b, "\n# TYPE ");
	buf_puts(b, name);
	buf_putc(b, ' ');
	buf_puts(b, type);
	buf_putc(b, '\n');
}

void prom_label_value(struct buf *b, const char *s)
{
	put_escaped(b, s, "\\\"\n");
}

/* 2^53: every integer below it is exact in a double. */
#define EXACT_INT 9007199254740992.0

/* Go's ParseFloat reads what %g prints. The shortest precision that reads back
 * equal keeps 0.1 as "0.1" rather than %.17g's "0.10000000000000001". This needs
 * the C locale's decimal point, which kres never changes (only LC_CTYPE is set). */
void prom_value(struct buf *b, double v)
{
	if (isnan(v)) {
		buf_puts(b, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_puts(b, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (v == 0) { /* also -0, which %.0f would print with its sign */
		buf_putc(b, '0');
		return;
	}
	if (fabs(v) < EXACT_INT && v == trunc(v)) {
		buf_appendf(b, "%.0f", v);
		return;
	}
	char s[32];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	buf_puts(b, s);
}
