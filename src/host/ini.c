// SPDX-License-Identifier: MIT
/* The systemd INI dialect of unit files and logind.conf, parsed line by line the way
 * systemd's config_parse() does (src/shared/conf-parser.c, systemd.syntax(7)). */
#include "host/ini.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Bounds for hostile input: systemd allows lines of 1 MiB (LONG_LINE_MAX), but no
 * setting kres reads comes near 4 KiB. */
#define INI_MAX_FIELD 4096

/* Whether a line ends in a backslash that is not itself escaped: systemd scans the
 * line toggling an "escaped" flag, so "a\\" ends in a literal backslash. */
static bool ends_in_continuation(struct span s)
{
	bool escaped = false;
	for (size_t i = 0; i < s.n; i++) {
		if (escaped)
			escaped = false;
		else if (s.p[i] == '\\')
			escaped = true;
	}
	return escaped;
}

static bool is_comment(struct span line)
{
	struct span t = span_trim(line);
	return t.n && (t.p[0] == '#' || t.p[0] == ';');
}

/* Offsets of the trimmed piece [b, e) of l->p. */
static void trim_range(const char *p, size_t *b, size_t *e)
{
	while (*b < *e && (p[*b] == ' ' || p[*b] == '\t' || p[*b] == '\r' || p[*b] == '\n'))
		(*b)++;
	while (*e > *b && (p[*e - 1] == ' ' || p[*e - 1] == '\t' || p[*e - 1] == '\r' ||
			   p[*e - 1] == '\n'))
		(*e)--;
}

/* Handles one logical line (continuations joined) held in l, which it may modify. */
static int ini_line(struct buf *l, struct buf *section, unsigned line, ini_cb cb, void *ctx,
		    struct perr *err)
{
	size_t b = 0, e = l->len;
	char *p = l->p;
	trim_range(p, &b, &e);
	if (b == e)
		return 0;
	if (p[b] == '[') {
		if (p[e - 1] != ']' || e - b < 2) {
			perr_set(err, line, "section header without a closing ']'");
			return -EINVAL;
		}
		if (e - b - 2 > INI_MAX_FIELD) {
			perr_set(err, line, "section name longer than %d bytes", INI_MAX_FIELD);
			return -EINVAL;
		}
		buf_reset(section);
		buf_append(section, p + b + 1, e - b - 2);
		return 0;
	}
	char *eq = memchr(p + b, '=', e - b);
	if (!eq) {
		perr_set(err, line, "expected 'key=value', a '[section]' or a comment");
		return -EINVAL;
	}
	size_t kb = b, ke = (size_t)(eq - p), vb = ke + 1, ve = e;
	trim_range(p, &kb, &ke);
	trim_range(p, &vb, &ve);
	if (kb == ke) {
		perr_set(err, line, "missing key name before '='");
		return -EINVAL;
	}
	if (ke - kb > INI_MAX_FIELD || ve - vb > INI_MAX_FIELD) {
		perr_set(err, line, "key or value longer than %d bytes", INI_MAX_FIELD);
		return -EINVAL;
	}
	p[ke] = '\0';
	p[ve] = '\0';
	return cb(buf_str(section), p + kb, p + vb, line, ctx);
}

int ini_parse(const char *buf, size_t len, ini_cb cb, void *ctx, struct perr *err)
{
	struct buf logical = BUF_INIT, section = BUF_INIT;
	struct lineiter it;
	struct span ln;
	bool cont = false;
	unsigned start = 0;
	int rc = 0;

	buf_puts(&section, "");
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &ln)) {
		if (memchr(ln.p, '\0', ln.n)) {
			perr_set(err, it.lineno, "line contains a NUL byte");
			rc = -EINVAL;
			goto out;
		}
		/* systemd drops comment lines before joining, so a comment inside a
		 * continuation is skipped rather than ending it (systemd.syntax(7)). */
		if (is_comment(ln))
			continue;
		if (ln.n && ln.p[ln.n - 1] == '\r')
			ln.n--;
		if (!cont) {
			buf_reset(&logical);
			start = it.lineno;
		}
		if (logical.len + ln.n > 4 * INI_MAX_FIELD) {
			perr_set(err, start, "continued line longer than %d bytes",
			         4 * INI_MAX_FIELD);
			rc = -EINVAL;
			goto out;
		}
		buf_append(&logical, ln.p, ln.n);
		cont = ends_in_continuation(ln);
		if (cont) {
			/* The backslash becomes a space, as in systemd. */
			logical.p[logical.len - 1] = ' ';
			continue;
		}
		rc = ini_line(&logical, &section, start, cb, ctx, err);
		if (rc)
			goto out;
	}
	/* A continuation at the end of the file is still an assignment (systemd
	 * parses what it has collected when it reaches EOF). */
	if (cont)
		rc = ini_line(&logical, &section, start, cb, ctx, err);
out:
	buf_release(&logical);
	buf_release(&section);
	return rc;
}

/* systemd src/basic/parse-util.c parse_boolean(). */
static const struct {
	const char *word;
	int value;
} bool_words[] = {
	{"1", 1},     {"yes", 1}, {"y", 1}, {"true", 1},  {"t", 1}, {"on", 1},
	{"0", 0},     {"no", 0},  {"n", 0}, {"false", 0}, {"f", 0}, {"off", 0},
};

int ini_parse_bool(const char *v)
{
	if (!v)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(bool_words); i++)
		if (strcasecmp(v, bool_words[i].word) == 0)
			return bool_words[i].value;
	return -EINVAL;
}
