// SPDX-License-Identifier: MIT
/* MySQL and MariaDB option files. The behaviour follows MariaDB's
 * mysys/my_default.c (search_default_file_with_ext(), remove_end_comment(),
 * get_argument()) and mysys/my_getopt.c (handle_options() prefixes,
 * eval_num_suffix()), and was checked against my_print_defaults and mariadbd of
 * MariaDB 10.11.19 (Debian 12); tests/unit/test_mycnf.c holds those cases. */
#include "workload/mycnf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The server reads lines with fgets(buff, sizeof(buff) - 1) into a 4096-byte
 * buffer: at most 4094 bytes a line, a longer line going on as the next one. */
#define MYCNF_LINE_MAX 4094
/* max_recursion_level of search_default_file_with_ext(). */
#define MYCNF_MAX_DEPTH 10
/* kres's own bound on the files of one load (see mycnf_load()). */
#define MYCNF_MAX_FILES 1000
/* Option files are a few kB; a bigger file is not one. */
#define MYCNF_MAX_SIZE (4u << 20)

/* my_isspace() of latin1 for the ASCII range: space, \t, \n, \v, \f, \r. */
static bool my_isspace(unsigned char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool ascii_caseeq(const char *a, const char *b)
{
	while (*a && ascii_lower(*a) == ascii_lower(*b)) {
		a++;
		b++;
	}
	return ascii_lower(*a) == ascii_lower(*b);
}

/* ---- names (my_getopt.c) ---- */

/* The special prefixes of handle_options(), tried in its order. */
enum prefix { PFX_SKIP, PFX_DISABLE, PFX_ENABLE, PFX_MAXIMUM, PFX_LOOSE, PFX_AUTOSET, PFX_NONE };
static const char *const prefixes[] = {"skip_",    "disable_", "enable_",
                                       "maximum_", "loose_",   "autoset_"};

static enum prefix prefix_of(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return (enum prefix)i;
	return PFX_NONE;
}

/* Appends the assignment, writing '-' as '_' and applying the prefixes: loose_
 * is dropped; skip_/disable_/enable_ are dropped and decide the value (the last
 * one counts, as only it is in force when the server finds the option);
 * maximum_ and autoset_ stop the stripping. */
static void opt_append(struct mycnf *c, const char *group, const char *name, size_t nlen,
                       const char *value, const char *origin)
{
	char *nm = xstrndup(name, nlen);
	for (char *p = nm; *p; p++)
		if (*p == '-')
			*p = '_';
	const char *rest = nm;
	enum prefix last = PFX_NONE;
	for (;;) {
		enum prefix pf = prefix_of(rest);
		if (pf == PFX_NONE || pf == PFX_MAXIMUM || pf == PFX_AUTOSET)
			break;
		rest += strlen(prefixes[pf]);
		if (pf != PFX_LOOSE)
			last = pf;
	}
	bool zero = value && !strcmp(value, "0");
	if (last == PFX_SKIP || last == PFX_DISABLE)
		value = zero ? "1" : "0";
	else if (last == PFX_ENABLE)
		value = zero ? "0" : "1";

	ALLOC_GROW(c->v, c->n + 1, c->cap);
	struct mycnf_opt *o = &c->v[c->n++];
	o->group = group ? xstrdup(group) : NULL;
	o->name = xstrdup(rest);
	o->value = value ? xstrdup(value) : NULL;
	str_copy(o->origin, sizeof(o->origin), origin);
	free(nm);
}

void mycnf_add(struct mycnf *c, const char *name, const char *value, const char *origin)
{
	opt_append(c, NULL, name, strlen(name), value, origin ? origin : "");
}

/* ---- one file ---- */

struct parse {
	struct mycnf *c;
	const char *shown;
	const struct mycnf_include_cb *cb;
	struct perr *err;
	struct buf group;
	bool have_group;
	unsigned line;
};

/* "'<shown>' line N" with control bytes escaped: paths come from configuration. */
static void origin_of(const char *shown, unsigned line, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	buf_putc(&b, '\'');
	buf_put_escaped(&b, shown, strlen(shown));
	buf_appendf(&b, "' line %u", line);
	str_copy(out, n, buf_str(&b));
	buf_release(&b);
}

static void warn(struct mycnf *c, const char *shown, unsigned line, const char *what, const char *s,
                 size_t n)
{
	struct buf b = BUF_INIT;
	char at[320];
	origin_of(shown, line, at, sizeof(at));
	buf_appendf(&b, "%s: %s", at, what);
	if (s) {
		buf_puts(&b, " '");
		buf_put_escaped(&b, s, n > 64 ? 64 : n);
		buf_puts(&b, n > 64 ? "...'" : "'");
	}
	strlist_push(&c->warnings, buf_str(&b));
	buf_release(&b);
}

/* A directive line; s[0] is its '!' and s[n] ends the line's text, newline kept. */
static int parse_directive(struct parse *ps, const char *s, size_t n)
{
	if (ps->cb && ps->cb->at_max_depth) {
		size_t k = n;
		while (k && my_isspace((unsigned char)s[k - 1]))
			k--;
		warn(ps->c, ps->shown, ps->line,
		     "directive skipped as the maximum include recursion level was reached", s, k);
		return 0;
	}
	size_t i = 1;
	while (i < n && my_isspace((unsigned char)s[i]))
		i++;
	enum mycnf_directive kind;
	/* The keyword must be followed by a blank, which may be the newline. */
	if (n - i > 10 && !memcmp(s + i, "includedir", 10) &&
	    my_isspace((unsigned char)s[i + 10])) {
		kind = MYCNF_INCLUDEDIR;
		i += 10;
	} else if (n - i > 7 && !memcmp(s + i, "include", 7) &&
	           my_isspace((unsigned char)s[i + 7])) {
		kind = MYCNF_INCLUDE;
		i += 7;
	} else {
		return 0; /* other directives are ignored */
	}
	while (i < n && my_isspace((unsigned char)s[i]))
		i++;
	/* get_argument() trims from the byte before the last one, which is the newline
	 * of a whole line: on a file's last line without one, the argument loses its
	 * last byte ("!include /etc/x.cnf" opens "/etc/x.cn"), as in the server. */
	size_t e = n - 1;
	while (e > 0 && my_isspace((unsigned char)s[e - 1]))
		e--;
	if (e <= i) {
		perr_set(ps->err, ps->line, "'!%s' without an argument",
		         kind == MYCNF_INCLUDEDIR ? "includedir" : "include");
		return -EINVAL;
	}
	if (!ps->cb || !ps->cb->fn)
		return 0;
	char *arg = xstrndup(s + i, e - i);
	int rc = ps->cb->fn(kind, arg, ps->line, ps->cb->ctx);
	free(arg);
	return rc < 0 ? rc : 0;
}

static int parse_group(struct parse *ps, const char *s, size_t n)
{
	const char *close = memchr(s + 1, ']', n - 1);
	if (!close) {
		perr_set(ps->err, ps->line, "group header without ']'");
		return -EINVAL;
	}
	size_t e = (size_t)(close - s);
	while (my_isspace((unsigned char)s[e - 1]))
		e--;
	buf_reset(&ps->group);
	buf_append(&ps->group, s + 1, e - 1);
	ps->have_group = true;
	return 0;
}

/* remove_end_comment(): the index of the first '#' outside quotes, or n. A
 * backslash escapes a quote only inside quotes. */
static size_t comment_start(const char *s, size_t n)
{
	char quote = 0;
	bool escape = false;
	for (size_t i = 0; i < n; i++) {
		if ((s[i] == '\'' || s[i] == '"') && !escape) {
			if (!quote)
				quote = s[i];
			else if (quote == s[i])
				quote = 0;
		}
		if (!quote && s[i] == '#')
			return i;
		escape = quote && s[i] == '\\' && !escape;
	}
	return n;
}

/* The escapes of a value; an unknown one keeps its backslash, and so does a
 * backslash that ends the value. */
static void unescape(struct buf *out, const char *v, size_t n)
{
	static const char from[] = "ntrbs\"'\\", to[] = "\n\t\r\b \"'\\";
	for (size_t i = 0; i < n; i++) {
		if (v[i] != '\\' || i + 1 == n) {
			buf_putc(out, v[i]);
			continue;
		}
		const char *k = memchr(from, v[++i], sizeof(from) - 1);
		if (k) {
			buf_putc(out, to[k - from]);
		} else {
			buf_putc(out, '\\');
			buf_putc(out, v[i]);
		}
	}
}

static int parse_option(struct parse *ps, const char *s, size_t n)
{
	if (!ps->have_group) {
		perr_set(ps->err, ps->line, "option without a preceding [group]");
		return -EINVAL;
	}
	n = comment_start(s, n);
	const char *eq = memchr(s, '=', n);
	size_t ne = eq ? (size_t)(eq - s) : n;
	while (ne && my_isspace((unsigned char)s[ne - 1]))
		ne--;
	char origin[288];
	origin_of(ps->shown, ps->line, origin, sizeof(origin));
	if (!eq) {
		opt_append(ps->c, buf_str(&ps->group), s, ne, NULL, origin);
		return 0;
	}
	size_t v = (size_t)(eq - s) + 1, ve = n;
	while (v < n && my_isspace((unsigned char)s[v]))
		v++;
	while (ve > v && my_isspace((unsigned char)s[ve - 1]))
		ve--;
	if (ve - v > 1 && (s[v] == '"' || s[v] == '\'') && s[ve - 1] == s[v]) {
		v++;
		ve--;
	}
	struct buf val = BUF_INIT;
	unescape(&val, s + v, ve - v);
	opt_append(ps->c, buf_str(&ps->group), s, ne, buf_str(&val), origin);
	buf_release(&val);
	return 0;
}

/* One line's text: s[0..n) without its leading blanks, the newline kept. */
static int parse_line(struct parse *ps, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && my_isspace((unsigned char)s[i]))
		i++;
	s += i, n -= i;
	if (!n || s[0] == '#' || s[0] == ';')
		return 0;
	if (s[0] == '!')
		return parse_directive(ps, s, n);
	if (s[0] == '[')
		return parse_group(ps, s, n);
	return parse_option(ps, s, n);
}

int mycnf_parse(const char *buf, size_t len, const char *shown, struct mycnf *c,
                const struct mycnf_include_cb *cb, struct perr *err)
{
	struct parse ps = {.c = c, .shown = shown ? shown : "", .cb = cb, .err = err};
	size_t pos = 0;
	int rc = 0;
	while (rc == 0 && pos < len) {
		size_t max = len - pos < MYCNF_LINE_MAX ? len - pos : MYCNF_LINE_MAX;
		const char *nl = memchr(buf + pos, '\n', max);
		size_t n = nl ? (size_t)(nl - (buf + pos)) + 1 : max;
		/* fgets() keeps a NUL byte, but the server's string functions stop there. */
		const char *nul = memchr(buf + pos, '\0', n);
		ps.line++;
		rc = parse_line(&ps, buf + pos, nul ? (size_t)(nul - (buf + pos)) : n);
		pos += n;
	}
	buf_release(&ps.group);
	return rc;
}

/* ---- loading ---- */

struct load {
	const struct rootfs *r;
	struct mycnf *c;
	char *err;
	size_t errn;
	unsigned nfiles;
};

struct frame {
	struct load *ld;
	const char *path;
	char *shown;
	unsigned depth;
};

static void set_err(struct load *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(struct load *ld, const char *fmt, ...)
{
	if (!ld->err || !ld->errn)
		return;
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vappendf(&b, fmt, ap);
	va_end(ap);
	str_copy(ld->err, ld->errn, buf_str(&b));
	buf_release(&b);
}

static char *escaped(const char *s)
{
	struct buf b = BUF_INIT;
	buf_put_escaped(&b, s, strlen(s));
	return buf_detach(&b);
}

static int load_file(struct load *ld, const char *path, unsigned depth);

/* A directive's path: relative ones are taken from "/" (see mycnf.h). */
static char *path_abs(const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	while (dl && dir[dl - 1] == '/')
		dl--;
	return xasprintf("%s%.*s/%s", dir[0] == '/' ? "" : "/", (int)dl, dir, name);
}

/* search_default_file_with_ext() takes a file's extension after its last dot. */
static bool cnf_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && !strcmp(dot, ".cnf");
}

static int load_dir(struct frame *f, const char *dir, unsigned line)
{
	struct load *ld = f->ld;
	struct strlist names = {0};
	char *abs = dir[0] == '/' ? xstrdup(dir) : xasprintf("/%s", dir);
	int rc = rootfs_list(ld->r, abs, &names);
	if (rc < 0) {
		char *e = escaped(rootfs_show(ld->r, abs)), *sh = escaped(f->shown);
		set_err(ld, "%s:%u: cannot read directory '%s': %s", sh, line, e, strerror(-rc));
		free(e);
		free(sh);
		free(abs);
		return -EINVAL;
	}
	rc = 0;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		if (!cnf_name(names.v[i]))
			continue;
		char *path = path_abs(abs, names.v[i]);
		rc = load_file(ld, path, f->depth + 1);
		free(path);
	}
	strlist_release(&names);
	free(abs);
	return rc;
}

static int on_directive(enum mycnf_directive kind, const char *arg, unsigned line, void *ctx)
{
	struct frame *f = ctx;
	if (kind == MYCNF_INCLUDEDIR)
		return load_dir(f, arg, line);
	char *path = arg[0] == '/' ? xstrdup(arg) : xasprintf("/%s", arg);
	int rc = load_file(f->ld, path, f->depth + 1);
	free(path);
	return rc;
}

/* Reads and parses one file at depth. Included files (depth > 0) that are missing
 * or unreadable are skipped, as the server skips them; their errors become
 * warnings, except the file limit, which ends the whole load. */
static int load_file(struct load *ld, const char *path, unsigned depth)
{
	char *shown = xstrdup(rootfs_show(ld->r, path)), *text = NULL;
	struct stat st;
	int rc = rootfs_stat(ld->r, path, &st);
	if (rc < 0) {
		if (depth == 0) {
			char *e = escaped(shown);
			set_err(ld, "cannot read '%s': %s", e, strerror(-rc));
			free(e);
		}
		free(shown);
		return depth == 0 ? rc : 0;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & S_IWOTH)) {
		/* "Warning: World-writable config file '%s' is ignored" */
		char *e = escaped(shown), *w = xasprintf("'%s': world-writable, ignored", e);
		strlist_push(&ld->c->warnings, w);
		free(w);
		free(e);
		free(shown);
		return 0;
	}
	if (++ld->nfiles > MYCNF_MAX_FILES) {
		set_err(ld, "more than %d option files included", MYCNF_MAX_FILES);
		free(shown);
		return -E2BIG;
	}
	ssize_t n = rootfs_read(ld->r, path, MYCNF_MAX_SIZE, &text);
	if (n < 0) {
		/* A directory opens in the server and reads as empty. */
		if (depth == 0 && n != -EISDIR) {
			char *e = escaped(shown);
			set_err(ld, "cannot read '%s': %s", e, strerror((int)-n));
			free(e);
		}
		free(shown);
		return depth == 0 && n != -EISDIR ? (int)n : 0;
	}
	strlist_push(&ld->c->files, shown);
	struct frame f = {ld, path, shown, depth};
	struct mycnf_include_cb cb = {on_directive, &f, depth >= MYCNF_MAX_DEPTH};
	struct perr e = {0};
	rc = mycnf_parse(text, (size_t)n, shown, ld->c, &cb, &e);
	if (rc == -EINVAL && e.msg[0]) {
		char *sh = escaped(shown);
		if (depth == 0) {
			set_err(ld, "%s:%u: %s", sh, e.line, e.msg);
		} else {
			char *w = xasprintf("%s:%u: %s; the rest of the file is not read", sh,
			                    e.line, e.msg);
			strlist_push(&ld->c->warnings, w);
			free(w);
		}
		free(sh);
	} else if (rc == -EINVAL && depth > 0 && ld->err && ld->err[0]) {
		/* An !includedir that failed here: the server stops this file only. */
		char *w = xasprintf("%s; the rest of the file is not read", ld->err);
		strlist_push(&ld->c->warnings, w);
		free(w);
		ld->err[0] = '\0';
	}
	free(text);
	free(shown);
	if (rc == -E2BIG)
		return depth == 0 ? -EINVAL : rc;
	return depth == 0 ? rc : 0;
}

int mycnf_load(const struct rootfs *r, const char *path, struct mycnf *c, char *err, size_t errn)
{
	struct load ld = {.r = r, .c = c, .err = err, .errn = errn};
	if (err && errn)
		err[0] = '\0';
	return load_file(&ld, path, 0);
}

const struct mycnf_opt *mycnf_get(const struct mycnf *c, const char *const *groups,
                                  const char *name)
{
	if (!name)
		return NULL;
	char *nm = xstrdup(name);
	for (char *p = nm; *p; p++)
		if (*p == '-')
			*p = '_';
	const struct mycnf_opt *found = NULL;
	for (size_t i = c->n; i-- > 0 && !found;) {
		const struct mycnf_opt *o = &c->v[i];
		if (strcmp(o->name, nm))
			continue;
		if (!o->group) {
			found = o;
			continue;
		}
		for (size_t k = 0; groups && groups[k]; k++)
			if (ascii_caseeq(groups[k], o->group)) {
				found = o;
				break;
			}
	}
	free(nm);
	return found;
}

void mycnf_release(struct mycnf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].group);
		free(c->v[i].name);
		free(c->v[i].value);
	}
	free(c->v);
	strlist_release(&c->files);
	strlist_release(&c->warnings);
	memset(c, 0, sizeof(*c));
}

/* ---- values ---- */

int my_parse_size(const char *v, uint64_t *out)
{
	if (!v)
		return -EINVAL;
	while (my_isspace((unsigned char)*v))
		v++;
	if (*v == '+')
		v++;
	uint64_t n = 0;
	const char *d = v;
	for (; *v >= '0' && *v <= '9'; v++) {
		unsigned dig = (unsigned)(*v - '0');
		if (n > (UINT64_MAX - dig) / 10)
			return -ERANGE;
		n = n * 10 + dig;
	}
	if (v == d)
		return -EINVAL;
	static const char suffixes[] = "kmgtpe";
	unsigned shift = 0;
	if (*v) {
		const char *k = memchr(suffixes, ascii_lower(*v), sizeof(suffixes) - 1);
		if (!k)
			return -EINVAL;
		shift = 10 * (unsigned)(k - suffixes + 1);
	}
	if (shift && n > (UINT64_MAX >> shift))
		return -ERANGE;
	*out = n << shift;
	return 0;
}

int my_parse_bool(const char *v)
{
	static const char *const on[] = {"on", "true", "1"}, *const off[] = {"off", "false", "0"};
	if (!v)
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(on); i++) {
		if (ascii_caseeq(v, on[i]))
			return 1;
		if (ascii_caseeq(v, off[i]))
			return 0;
	}
	return -1;
}
