// SPDX-License-Identifier: MIT
/* The NFS server's configuration text: nfs.conf, the distributions' shell variable
 * files, exports(5), and the kernel's export table. All hostile input: every length
 * is bounded and every truncation is an error. */
#include "host/nfsd.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

static bool span_eq_ci(struct span s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && strncasecmp(s.p, lit, n) == 0;
}

/* A thread count as rpc.nfsd takes it: a plain decimal int. */
static int count_value(struct span v, unsigned *out)
{
	uint64_t x;
	if (parse_u64(v, &x) || x > INT_MAX)
		return -EINVAL;
	*out = (unsigned)x;
	return 0;
}

/* "[nfsd]" or "[nfsd "sub"]": true when the section is exactly [nfsd]. */
static int conf_section(struct span s, unsigned line, bool *nfsd, struct perr *err)
{
	const char *close = memchr(s.p, ']', s.n);
	if (!close) {
		perr_set(err, line, "'[' without ']'");
		return -EINVAL;
	}
	struct span name = span_trim((struct span){s.p + 1, (size_t)(close - s.p - 1)});
	*nfsd = span_eq_ci(name, "nfsd");
	return 0;
}

/* The value part of "key = value": quoted, or up to a '#' or ';' comment. */
static int conf_value(struct span v, unsigned line, struct span *out, struct perr *err)
{
	if (v.n && v.p[0] == '"') {
		const char *q = memchr(v.p + 1, '"', v.n - 1);
		if (!q) {
			perr_set(err, line, "value has no closing '\"'");
			return -EINVAL;
		}
		*out = (struct span){v.p + 1, (size_t)(q - v.p - 1)};
		return 0;
	}
	size_t n = 0;
	while (n < v.n && v.p[n] != '#' && v.p[n] != ';')
		n++;
	*out = span_trim((struct span){v.p, n});
	return 0;
}

int nfsconf_threads(const char *buf, size_t len, struct conf_count *out, struct perr *err)
{
	struct lineiter it;
	struct span line;
	bool in_nfsd = false;
	memset(out, 0, sizeof(*out));
	lineiter_init(&it, buf, len);
	/* A configuration file may lack its last newline: that is not a cut copy. */
	while (lineiter_next(&it, &line)) {
		struct span s = span_trim(line);
		if (s.n == 0 || s.p[0] == '#' || s.p[0] == ';')
			continue;
		if (s.p[0] == '[') {
			if (conf_section(s, it.lineno, &in_nfsd, err))
				goto fail;
			continue;
		}
		const char *eq = memchr(s.p, '=', s.n);
		if (!eq) {
			perr_set(err, it.lineno, "expected '[section]' or 'key = value'");
			goto fail;
		}
		struct span key = span_trim((struct span){s.p, (size_t)(eq - s.p)});
		struct span rhs = {eq + 1, s.n - (size_t)(eq - s.p) - 1};
		struct span val;
		if (conf_value(span_trim(rhs), it.lineno, &val, err))
			goto fail;
		if (!in_nfsd || !span_eq_ci(key, "threads"))
			continue;
		if (count_value(val, &out->value)) {
			perr_set(err, it.lineno, "threads value is not a number");
			goto fail;
		}
		out->set = true;
		out->line = it.lineno;
	}
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

/* The value after "NAME=": bare, '...' or "..."; then only blanks and a # comment. */
static int shell_value(struct span v, unsigned line, const char *name, struct span *out,
                       struct perr *err)
{
	size_t end;
	if (v.n && (v.p[0] == '"' || v.p[0] == '\'')) {
		const char *q = memchr(v.p + 1, v.p[0], v.n - 1);
		if (!q) {
			perr_set(err, line, "value of %s has no closing quote", name);
			return -EINVAL;
		}
		*out = (struct span){v.p + 1, (size_t)(q - v.p - 1)};
		end = (size_t)(q - v.p) + 1;
	} else {
		end = 0;
		while (end < v.n && v.p[end] != ' ' && v.p[end] != '\t')
			end++;
		*out = (struct span){v.p, end};
	}
	struct span rest = span_trim((struct span){v.p + end, v.n - end});
	if (rest.n && rest.p[0] != '#') {
		perr_set(err, line, "unexpected text after the value of %s", name);
		return -EINVAL;
	}
	return 0;
}

int shellvar_count(const char *buf, size_t len, const char *name, struct conf_count *out,
                   struct perr *err)
{
	struct lineiter it;
	struct span line;
	size_t nl = strlen(name);
	memset(out, 0, sizeof(*out));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		struct span s = span_trim(line);
		if (span_startswith(s, "export ") || span_startswith(s, "export\t"))
			s = span_trim((struct span){s.p + 7, s.n - 7});
		if (s.n <= nl || memcmp(s.p, name, nl) || s.p[nl] != '=')
			continue; /* a comment, another variable, or shell code */
		struct span val;
		if (shell_value((struct span){s.p + nl + 1, s.n - nl - 1}, it.lineno, name, &val,
		                err))
			goto fail;
		if (val.n == 0) { /* NAME= unsets it: the default applies again */
			memset(out, 0, sizeof(*out));
			continue;
		}
		if (count_value(val, &out->value)) {
			perr_set(err, it.lineno, "value of %s is not a plain number", name);
			goto fail;
		}
		out->set = true;
		out->line = it.lineno;
	}
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

/* Applies a comma-separated option list to the async state; the last wins. */
static bool opts_async(struct span opts, bool async)
{
	size_t i = 0;
	while (i <= opts.n) {
		size_t start = i;
		while (i < opts.n && opts.p[i] != ',')
			i++;
		struct span o = span_trim((struct span){opts.p + start, i - start});
		if (span_eq(o, "async"))
			async = true;
		else if (span_eq(o, "sync"))
			async = false;
		i++;
	}
	return async;
}

static int add_export(struct nfs_export **v, size_t *n, size_t *cap, struct span path,
                      struct span client, bool async, bool kernel, const char *file, unsigned line,
                      struct perr *err)
{
	struct nfs_export e;
	memset(&e, 0, sizeof(e));
	if (!span_copy(path, e.path, sizeof(e.path))) {
		perr_set(err, line, "path longer than %zu bytes", sizeof(e.path) - 1);
		return -EINVAL;
	}
	if (!span_copy(client, e.client, sizeof(e.client))) {
		perr_set(err, line, "client longer than %zu bytes", sizeof(e.client) - 1);
		return -EINVAL;
	}
	e.async = async;
	e.kernel = kernel;
	snprintf(e.origin, sizeof(e.origin), "'%s' line %u", file, line);
	ALLOC_GROW(*v, *n + 1, *cap);
	(*v)[(*n)++] = e;
	return 0;
}

/* Splits a logical exports line into tokens at blanks, double quotes grouping and
 * dropped (nfs-utils support/nfs/xio.c xgettok), a '#' at a token start ending the
 * line. The tokens are NUL-separated in out. */
#define EXP_MAX_TOKENS 1024
static int exp_tokens(const char *p, size_t n, struct buf *out, size_t *off, size_t *nt,
                      unsigned line, struct perr *err)
{
	size_t i = 0;
	*nt = 0;
	buf_reset(out);
	for (;;) {
		while (i < n && isblank((unsigned char)p[i]))
			i++;
		if (i == n || p[i] == '#')
			return 0;
		if (*nt == EXP_MAX_TOKENS) {
			perr_set(err, line, "more than %d clients", EXP_MAX_TOKENS - 1);
			return -EINVAL;
		}
		off[(*nt)++] = out->len;
		bool quoted = false;
		while (i < n && (quoted || !isblank((unsigned char)p[i]))) {
			if (p[i] == '"')
				quoted = !quoted;
			else if (p[i] == '\0') {
				perr_set(err, line, "NUL byte in the line");
				return -EINVAL;
			} else
				buf_putc(out, p[i]);
			i++;
		}
		if (quoted) {
			perr_set(err, line, "'\"' without its closing '\"'");
			return -EINVAL;
		}
		buf_putc(out, '\0');
	}
}

/* One client token: "name(options)", "name", or "(options)" for the world. */
static int exp_client(const char *tok, bool dflt, struct span *name, bool *async, unsigned line,
                      struct perr *err)
{
	const char *paren = strchr(tok, '(');
	size_t n = strlen(tok);
	if (n == 0) { /* the token was only quotes: "" */
		perr_set(err, line, "empty client name");
		return -EINVAL;
	}
	if (!paren) {
		*name = (struct span){tok, n};
		*async = dflt;
		return 0;
	}
	if (tok[n - 1] != ')' || memchr(paren + 1, '(', (size_t)(tok + n - 1 - paren - 1))) {
		perr_set(err, line, "expected 'client(options)'");
		return -EINVAL;
	}
	*name = paren == tok ? span_from("*") : (struct span){tok, (size_t)(paren - tok)};
	*async = opts_async((struct span){paren + 1, (size_t)(tok + n - 1 - paren - 1)}, dflt);
	return 0;
}

static int exp_line(const char *p, size_t n, unsigned line, const char *file, struct nfs_export **v,
                    size_t *cnt, size_t *cap, struct perr *err)
{
	struct buf toks = BUF_INIT;
	size_t *off = xmalloc(EXP_MAX_TOKENS * sizeof(*off)), nt;
	int rc = exp_tokens(p, n, &toks, off, &nt, line, err);
	if (rc || nt == 0)
		goto out;
	rc = -EINVAL;
	const char *path = toks.p + off[0];
	if (path[0] != '/') {
		perr_set(err, line, "expected an absolute path to export");
		goto out;
	}
	bool dflt = false, clients = false; /* sync is the default */
	for (size_t i = 1; i < nt; i++) {
		const char *tok = toks.p + off[i];
		if (tok[0] == '-') { /* default options for the clients after it */
			dflt = opts_async(span_from(tok + 1), dflt);
			continue;
		}
		struct span name;
		bool async;
		if (exp_client(tok, dflt, &name, &async, line, err) ||
		    add_export(v, cnt, cap, span_from(path), name, async, false, file, line, err))
			goto out;
		clients = true;
	}
	/* A path alone (or with defaults only) is exported to everyone. */
	if (!clients &&
	    add_export(v, cnt, cap, span_from(path), span_from("*"), dflt, false, file, line, err))
		goto out;
	rc = 0;
out:
	free(off);
	buf_release(&toks);
	return rc;
}

int exports_parse(const char *buf, size_t len, const char *path, struct nfs_export **v, size_t *n,
                  size_t *cap, struct perr *err)
{
	struct lineiter it;
	struct span line;
	struct buf logical = BUF_INIT;
	unsigned start = 0;
	size_t before = *n;
	int rc = 0;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (logical.len == 0)
			start = it.lineno;
		/* A backslash at the end joins the next line in place of a blank (xio.c
		 * xgetc), including the next line's leading blanks. */
		bool cont = line.n && line.p[line.n - 1] == '\\';
		struct span part = line;
		if (start != it.lineno)
			part = span_trim(part);
		buf_append(&logical, part.p, cont ? part.n - 1 : part.n);
		if (cont) {
			buf_putc(&logical, ' ');
			continue;
		}
		rc = exp_line(buf_str(&logical), logical.len, start, path, v, n, cap, err);
		buf_reset(&logical);
		if (rc)
			break;
	}
	if (!rc && logical.len)
		rc = exp_line(buf_str(&logical), logical.len, start, path, v, n, cap, err);
	buf_release(&logical);
	if (rc)
		*n = before;
	return rc;
}

/* Undoes seq_escape's \ooo into out (size cap); false for a lone backslash, a NUL
 * (which no path or domain name holds), or when it does not fit. */
static bool unescape(struct span s, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (c == '\\') {
			unsigned v = 0;
			for (size_t k = 1; k <= 3; k++) {
				if (i + k >= s.n || s.p[i + k] < '0' || s.p[i + k] > '7')
					return false;
				v = v * 8 + (unsigned)(s.p[i + k] - '0');
			}
			if (v == 0 || v > 0377)
				return false;
			c = (char)v;
			i += 3;
		}
		if (c == '\0' || o + 1 >= cap)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return true;
}

static int kexp_line(struct span line, unsigned lineno, const char *file, struct nfs_export **v,
                     size_t *n, size_t *cap, struct perr *err)
{
	struct span tok[3];
	if (span_split_ws(line, tok, ARRAY_SIZE(tok)) != 2) {
		perr_set(err, lineno, "expected 'path<TAB>client(flags)'");
		return -EINVAL;
	}
	/* The kernel prints an absolute path and a non-empty domain name. */
	const char *paren = memchr(tok[1].p, '(', tok[1].n);
	if (tok[0].p[0] != '/' || !paren || paren == tok[1].p || tok[1].p[tok[1].n - 1] != ')') {
		perr_set(err, lineno, "expected 'client(flags)' after the path");
		return -EINVAL;
	}
	char path[256], client[128];
	struct span cname = {tok[1].p, (size_t)(paren - tok[1].p)};
	if (!unescape(tok[0], path, sizeof(path)) || !unescape(cname, client, sizeof(client))) {
		perr_set(err, lineno, "bad \\ooo escape, or path or client too long");
		return -EINVAL;
	}
	struct span flags = {paren + 1, (size_t)(tok[1].p + tok[1].n - 1 - paren - 1)};
	return add_export(v, n, cap, span_from(path), span_from(client), opts_async(flags, false),
	                  true, file, lineno, err);
}

int kexports_parse(const char *buf, size_t len, const char *path, struct nfs_export **v, size_t *n,
                   size_t *cap, struct perr *err)
{
	struct lineiter it;
	struct span line;
	size_t before = *n;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			goto fail;
		}
		struct span t = span_trim(line);
		if (t.n == 0 || t.p[0] == '#')
			continue;
		if (kexp_line(line, it.lineno, path, v, n, cap, err))
			goto fail;
	}
	return 0;
fail:
	*n = before;
	return -EINVAL;
}
