// SPDX-License-Identifier: MIT
/* Line iteration, tokens and checked number parsing. */
#include "util/text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

void perr_set(struct perr *e, unsigned line, const char *fmt, ...)
{
	if (!e)
		return;
	va_list ap;
	va_start(ap, fmt);
	e->line = line;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void lineiter_init(struct lineiter *it, const char *buf, size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->lineno = 0;
	it->unterminated = false;
}

bool lineiter_next(struct lineiter *it, struct span *line)
{
	if (it->p >= it->end)
		return false;
	const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	line->p = it->p;
	if (nl) {
		line->n = (size_t)(nl - it->p);
		it->p = nl + 1;
		it->unterminated = false;
	} else {
		line->n = (size_t)(it->end - it->p);
		it->p = it->end;
		it->unterminated = true;
	}
	it->lineno++;
	return true;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

size_t span_split_ws(struct span s, struct span *tok, size_t max)
{
	size_t n = 0, i = 0;
	while (i < s.n) {
		while (i < s.n && is_ws(s.p[i]))
			i++;
		if (i >= s.n)
			break;
		size_t start = i;
		while (i < s.n && !is_ws(s.p[i]))
			i++;
		if (n < max) {
			tok[n].p = s.p + start;
			tok[n].n = i - start;
		}
		n++;
	}
	return n;
}

struct span span_trim(struct span s)
{
	while (s.n && (is_ws(s.p[0]) || s.p[0] == '\n')) {
		s.p++;
		s.n--;
	}
	while (s.n && (is_ws(s.p[s.n - 1]) || s.p[s.n - 1] == '\n'))
		s.n--;
	return s;
}

bool span_eq(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool span_startswith(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

bool span_copy(struct span s, char *dst, size_t n)
{
	if (n == 0)
		return false;
	size_t k = s.n < n - 1 ? s.n : n - 1;
	memcpy(dst, s.p, k);
	dst[k] = '\0';
	return k == s.n;
}

struct span span_from(const char *s)
{
	struct span r = {s, strlen(s)};
	return r;
}

int parse_u64(struct span s, uint64_t *out)
{
	if (s.n == 0)
		return -EINVAL;
	uint64_t v = 0;
	for (size_t i = 0; i < s.n; i++) {
		unsigned d = (unsigned)(unsigned char)s.p[i] - '0';
		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_i64(struct span s, int64_t *out)
{
	bool neg = s.n && s.p[0] == '-';
	if (neg) {
		s.p++;
		s.n--;
	}
	uint64_t u;
	int rc = parse_u64(s, &u);
	if (rc)
		return rc;
	if (neg) {
		if (u > (uint64_t)INT64_MAX + 1)
			return -ERANGE;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX)
			return -ERANGE;
		*out = (int64_t)u;
	}
	return 0;
}

bool str_copy(char *dst, size_t cap, const char *src)
{
	return span_copy(span_from(src), dst, cap);
}

bool span_next_tok(struct span *rest, struct span *tok)
{
	size_t i = 0;
	while (i < rest->n && (rest->p[i] == ' ' || rest->p[i] == '\t' || rest->p[i] == '\r'))
		i++;
	size_t start = i;
	while (i < rest->n && rest->p[i] != ' ' && rest->p[i] != '\t' && rest->p[i] != '\r')
		i++;
	tok->p = rest->p + start;
	tok->n = i - start;
	rest->p += i;
	rest->n -= i;
	return tok->n > 0;
}
