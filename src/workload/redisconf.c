// SPDX-License-Identifier: MIT
/* Redis configuration files as Redis 7.0 reads them: sdssplitargs() of src/sds.c,
 * loadServerConfigFromString() and loadServerConfig() of src/config.c, the option
 * handling of main() in src/server.c, and string2ll(), memtoull() and yesnotoi()
 * for setting values. Each rule was checked against redis-server 7.0.15. */
#include "workload/redisconf.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* Debian's stock redis.conf is 107 kB; a bigger file is not a configuration. */
#define RDCONF_MAX_SIZE (4u << 20)
/* All files of one load together, so that a glob over a big directory cannot make
 * kres read gigabytes. */
#define RDCONF_MAX_TOTAL (32u << 20)
/* Redis has no depth limit: a file that includes itself recurses until the stack
 * overflows (redis-server 7.0.15 dies with SIGSEGV). */
#define RDCONF_MAX_DEPTH 10
#define RDCONF_MAX_FILES 1000
/* Bounds on the work a hostile file can cause: every directive is kept, so memory
 * follows the number of directives and arguments, not the bytes read. */
#define RDCONF_MAX_DIRS       10000
#define RDCONF_MAX_DIRECTIVES 100000
#define RDCONF_MAX_ARGS       1000000
/* fgets(buf, CONFIG_READ_LEN+1, fp) in loadServerConfig(). */
#define CONFIG_READ_LEN 1024
/* string2ll() refuses strings of LONG_STR_SIZE (21) bytes or more. */
#define LONG_STR_SIZE 21

/* ---- sdssplitargs() ---- */

/* isspace() in the C locale: Redis only sets LC_COLLATE from the environment. */
static bool c_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The escapes of a double-quoted argument; any other escaped byte is itself. */
static char unescape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'b':
		return '\b';
	case 'a':
		return '\a';
	default:
		return c;
	}
}

/* A view of the line that reads '\0' at and past its end, as the C string
 * sdssplitargs() walks does. */
struct cline {
	const char *s;
	size_t end;
};

static char at(const struct cline *l, size_t i)
{
	return i < l->end ? l->s[i] : '\0';
}

/* One step inside "double quotes" at *i. Returns 1 at the closing quote, 0 to go
 * on, -EINVAL for an unbalanced quote. */
static int dq_step(const struct cline *l, size_t *i, struct buf *cur)
{
	char c = at(l, *i);
	if (c == '\\' && at(l, *i + 1) == 'x' && hexval(at(l, *i + 2)) >= 0 &&
	    hexval(at(l, *i + 3)) >= 0) {
		buf_putc(cur, (char)(hexval(at(l, *i + 2)) * 16 + hexval(at(l, *i + 3))));
		*i += 3;
	} else if (c == '\\' && at(l, *i + 1)) {
		*i += 1;
		buf_putc(cur, unescape(at(l, *i)));
	} else if (c == '"') {
		/* The closing quote must be followed by a blank or nothing at all. */
		return at(l, *i + 1) && !c_isspace((unsigned char)at(l, *i + 1)) ? -EINVAL : 1;
	} else if (!c) {
		return -EINVAL;
	} else {
		buf_putc(cur, c);
	}
	return 0;
}

/* The same inside 'single quotes', where only \' is an escape. */
static int sq_step(const struct cline *l, size_t *i, struct buf *cur)
{
	char c = at(l, *i);
	if (c == '\\' && at(l, *i + 1) == '\'') {
		*i += 1;
		buf_putc(cur, '\'');
	} else if (c == '\'') {
		return at(l, *i + 1) && !c_isspace((unsigned char)at(l, *i + 1)) ? -EINVAL : 1;
	} else if (!c) {
		return -EINVAL;
	} else {
		buf_putc(cur, c);
	}
	return 0;
}

/* Reads the argument starting at *i into cur, leaving *i after it. Outside quotes
 * only ' ', '\n', '\r', '\t' end an argument: a '\v' or '\f' is part of it. */
static int split_one(const struct cline *l, size_t *i, struct buf *cur)
{
	bool inq = false, insq = false, done = false;
	while (!done) {
		int rc = 0;
		if (inq) {
			rc = dq_step(l, i, cur);
		} else if (insq) {
			rc = sq_step(l, i, cur);
		} else {
			char c = at(l, *i);
			if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0')
				done = true;
			else if (c == '"')
				inq = true;
			else if (c == '\'')
				insq = true;
			else
				buf_putc(cur, c);
		}
		if (rc < 0)
			return rc;
		if (rc > 0)
			done = true;
		if (at(l, *i))
			*i += 1;
	}
	return 0;
}

void rd_args_free(struct rd_arg *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].s);
	free(v);
}

int rdconf_split_args(const char *s, size_t n, struct rd_arg **argv, size_t *argc)
{
	const char *z = memchr(s, '\0', n);
	struct cline l = {s, z ? (size_t)(z - s) : n};
	struct rd_arg *v = NULL;
	size_t cnt = 0, cap = 0, i = 0;
	struct buf cur = BUF_INIT;

	*argv = NULL;
	*argc = 0;
	for (;;) {
		while (i < l.end && c_isspace((unsigned char)l.s[i]))
			i++;
		if (i >= l.end)
			break;
		buf_reset(&cur);
		if (split_one(&l, &i, &cur) < 0) {
			buf_release(&cur);
			rd_args_free(v, cnt);
			return -EINVAL;
		}
		ALLOC_GROW(v, cnt + 1, cap);
		v[cnt].n = cur.len;
		v[cnt].s = buf_detach(&cur);
		cnt++;
	}
	buf_release(&cur);
	*argv = v;
	*argc = cnt;
	return 0;
}

/* ---- loadServerConfigFromString() ---- */

/* sdstrim(line, " \t\r\n") of the line up to its first NUL. */
static struct span line_trim(struct span s)
{
	const char *z = memchr(s.p, '\0', s.n);
	if (z)
		s.n = (size_t)(z - s.p);
	while (s.n && strchr(" \t\r\n", s.p[0]))
		s.p++, s.n--;
	while (s.n && strchr(" \t\r\n", s.p[s.n - 1]))
		s.n--;
	return s;
}

int rdconf_parse(const char *buf, size_t len, rdconf_cb cb, void *ctx, struct perr *err)
{
	struct lineiter it;
	struct span line;
	int rc = 0;
	if (!buf)
		return 0;
	lineiter_init(&it, buf, len);
	while (rc >= 0 && lineiter_next(&it, &line)) {
		struct span t = line_trim(line);
		if (!t.n || t.p[0] == '#')
			continue;
		struct rd_arg *argv;
		size_t argc;
		if (rdconf_split_args(t.p, t.n, &argv, &argc) < 0) {
			/* Redis: "Unbalanced quotes in configuration line", and it exits. */
			perr_set(err, it.lineno, "unbalanced quotes");
			return -EINVAL;
		}
		if (argc) {
			/* sdstolower() of the name, in the C locale. */
			for (size_t k = 0; k < argv[0].n; k++)
				if (argv[0].s[k] >= 'A' && argv[0].s[k] <= 'Z')
					argv[0].s[k] = (char)(argv[0].s[k] - 'A' + 'a');
			rc = cb ? cb(argv, argc, it.lineno, ctx) : 0;
		}
		rd_args_free(argv, argc);
	}
	return rc < 0 ? rc : 0;
}

void rdconf_fgets_filter(const char *p, size_t n, struct buf *out)
{
	size_t i = 0;
	while (i < n) {
		size_t max = n - i < CONFIG_READ_LEN ? n - i : CONFIG_READ_LEN;
		const char *nl = memchr(p + i, '\n', max);
		size_t k = nl ? (size_t)(nl - (p + i)) + 1 : max;
		const char *z = memchr(p + i, '\0', k);
		buf_append(out, p + i, z ? (size_t)(z - (p + i)) : k);
		i += k;
	}
}

/* ---- main()'s command-line options ---- */

/* sdscatrepr(): the argument in double quotes, escaped so that sdssplitargs()
 * gives the same bytes back. isprint() of the C locale. */
static void cat_repr(struct buf *out, const char *p)
{
	buf_putc(out, '"');
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\\' || c == '"') {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
		} else if (c == '\n' || c == '\r' || c == '\t' || c == '\a' || c == '\b') {
			buf_putc(out, '\\');
			buf_putc(out, "nrtab"[strchr("\n\r\t\a\b", c) - "\n\r\t\a\b"]);
		} else if (c >= 0x20 && c < 0x7f) {
			buf_putc(out, (char)c);
		} else {
			buf_appendf(out, "\\x%02x", c);
		}
	}
	buf_putc(out, '"');
}

/* How many arguments sdssplitargs() finds in s; 0 when its quotes are unbalanced. */
static size_t count_args(const char *s)
{
	struct rd_arg *v;
	size_t n;
	if (rdconf_split_args(s, strlen(s), &v, &n) < 0)
		return 0;
	rd_args_free(v, n);
	return n;
}

/* first is true when opts[0] is the first argument of the command (no file name
 * before it): a lone "-" there or last asks Redis to read stdin, which kres
 * cannot see, so it is skipped. */
static void options_text(const char *const *opts, size_t n, bool first, struct buf *out)
{
	bool handled_last = true;
	for (size_t j = 0; j < n; j++) {
		const char *a = opts[j];
		if (a[0] == '-' && a[1] == '\0' && ((j == 0 && first) || j == n - 1))
			continue;
		if (!(handled_last && a[0] == '-' && a[1] == '-')) {
			cat_repr(out, a);
			buf_putc(out, ' ');
			handled_last = true;
			continue;
		}
		if (out->len)
			buf_putc(out, '\n');
		buf_puts(out, a + 2);
		buf_putc(out, ' ');
		handled_last = count_args(a) != 1;
		/* "--save --port 1" and a trailing "--save" mean an empty save, as
		 * before 7.0 (server.c, "Special case"). */
		bool save = !strcasecmp(a, "--save");
		if (!handled_last && save && j + 1 < n && opts[j + 1][0] == '-' &&
		    opts[j + 1][1] == '-') {
			buf_puts(out, "\"\"");
			handled_last = true;
		} else if (!handled_last && save && j + 1 == n) {
			buf_puts(out, "\"\"");
		}
	}
}

void rdconf_options_text(const char *const *argv, size_t argc, struct buf *out)
{
	options_text(argv, argc, false, out);
}

/* ---- the directive list ---- */

static struct rd_arg *args_dup(const struct rd_arg *argv, size_t argc)
{
	struct rd_arg *v = xcalloc(argc, sizeof(*v));
	for (size_t i = 0; i < argc; i++) {
		v[i].s = xmalloc(argv[i].n + 1);
		memcpy(v[i].s, argv[i].s, argv[i].n);
		v[i].s[argv[i].n] = '\0';
		v[i].n = argv[i].n;
	}
	return v;
}

/* The copy of s in c->names that directives point to; consecutive directives
 * mostly come from the same file, so the last one is tried first. */
static const char *intern(struct rdconf *c, const char *s)
{
	if (!c->names.n || strcmp(c->names.v[c->names.n - 1], s))
		strlist_push(&c->names, s);
	return c->names.v[c->names.n - 1];
}

static void push(struct rdconf *c, const struct rd_arg *argv, size_t argc, const char *file,
                 unsigned line)
{
	ALLOC_GROW(c->v, c->n + 1, c->cap);
	c->v[c->n++] = (struct rd_directive){args_dup(argv, argc), argc, intern(c, file), line};
}

void rdconf_add(struct rdconf *c, const struct rd_arg *argv, size_t argc, const char *origin)
{
	if (argc)
		push(c, argv, argc, origin ? origin : "", 0);
}

const struct rd_directive *rdconf_get(const struct rdconf *c, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = c->n; i-- > 0;)
		if (c->v[i].argv[0].n == n && !memcmp(c->v[i].argv[0].s, name, n))
			return &c->v[i];
	return NULL;
}

void rdconf_release(struct rdconf *c)
{
	for (size_t i = 0; i < c->n; i++)
		rd_args_free(c->v[i].argv, c->v[i].argc);
	free(c->v);
	strlist_release(&c->files);
	strlist_release(&c->names);
	memset(c, 0, sizeof(*c));
}

/* ---- loading (loadServerConfig) ---- */

/* One file's part of a text being parsed: glob matches are concatenated. */
struct seg {
	char *shown;
	unsigned start_line; /* line of the text its first byte is on */
	bool at_bol;         /* its first byte starts that line */
};

struct load {
	const struct rootfs *r;
	struct rdconf *c;
	char *cwd; /* owned; the directory relative paths are read from */
	char *errmsg;
	size_t errlen;
	unsigned nfiles, ndirs;
	size_t total, nargs;
};

struct frame {
	struct load *ld;
	const struct seg *segs; /* none for the options */
	size_t nsegs;
	const char *origin; /* for the options */
	unsigned depth;
};

/* The file and line a line of the frame's text came from: the last part that
 * starts before the line, or on it at a line start. */
static const char *locate(const struct frame *f, unsigned line, unsigned *fline)
{
	if (!f->nsegs) {
		*fline = 0;
		return f->origin;
	}
	size_t k = 0;
	for (size_t i = 1; i < f->nsegs; i++)
		if (f->segs[i].start_line < line ||
		    (f->segs[i].start_line == line && f->segs[i].at_bol))
			k = i;
	*fline = line - f->segs[k].start_line + 1;
	return f->segs[k].shown;
}

/* Writes "'<file>' line N: <msg>" (or "<origin>: <msg>") into errmsg and returns
 * rc. Configuration bytes in msg were escaped by the caller. */
static int load_fail(struct load *ld, const struct frame *f, unsigned line, int rc, const char *fmt,
                     ...) __attribute__((format(printf, 5, 6)));
static int load_fail(struct load *ld, const struct frame *f, unsigned line, int rc, const char *fmt,
                     ...)
{
	struct buf b = BUF_INIT;
	if (f) {
		unsigned fl;
		const char *file = locate(f, line, &fl);
		if (fl)
			buf_appendf(&b, "'%s' line %u: ", file, fl);
		else
			buf_appendf(&b, "%s: ", file);
	}
	va_list ap;
	va_start(ap, fmt);
	buf_vappendf(&b, fmt, ap);
	va_end(ap);
	if (ld->errmsg && ld->errlen)
		str_copy(ld->errmsg, ld->errlen, buf_str(&b));
	buf_release(&b);
	return rc;
}

static char *path_join(const char *dir, const char *rel)
{
	if (rel[0] == '/')
		return xstrdup(rel);
	while (rel[0] == '.' && rel[1] == '/')
		for (rel += 2; rel[0] == '/'; rel++)
			;
	size_t n = strlen(dir);
	while (n && dir[n - 1] == '/')
		n--;
	return xasprintf("%.*s/%s", (int)n, dir, rel);
}

static bool has_magic(const char *p)
{
	return strpbrk(p, "*?[") != NULL;
}

/* glob(3) under the root, one component at a time: literal components are taken
 * as they are, the others matched with fnmatch() against the directory's names
 * (a leading '.' only by a leading '.', as glob does without GLOB_PERIOD). dir is
 * "" for the root; rest the components still to match. */
static int glob_walk(struct load *ld, const char *dir, const char *rest, struct strlist *out)
{
	while (*rest == '/')
		rest++;
	if (!*rest) {
		if (dir[0] && rootfs_exists(ld->r, dir))
			strlist_push(out, dir);
		return out->n > RDCONF_MAX_FILES ? -E2BIG : 0;
	}
	const char *slash = strchr(rest, '/');
	size_t clen = slash ? (size_t)(slash - rest) : strlen(rest);
	const char *next = rest + clen;
	char *comp = xstrndup(rest, clen);
	int rc = 0;
	if (!has_magic(comp)) {
		char *p = xasprintf("%s/%s", dir, comp);
		rc = glob_walk(ld, p, next, out);
		free(p);
	} else {
		struct strlist names = {0};
		if (++ld->ndirs > RDCONF_MAX_DIRS)
			rc = -E2BIG;
		else if (rootfs_list(ld->r, dir[0] ? dir : "/", &names) >= 0) {
			for (size_t i = 0; i < names.n && rc == 0; i++) {
				if (fnmatch(comp, names.v[i], FNM_PERIOD))
					continue;
				char *p = xasprintf("%s/%s", dir, names.v[i]);
				if (!*next || rootfs_isdir(ld->r, p))
					rc = glob_walk(ld, p, next, out);
				free(p);
			}
		}
		strlist_release(&names);
	}
	free(comp);
	return rc;
}

static int load_text(struct load *ld, const char *text, size_t len, const struct seg *segs,
                     size_t nsegs, const char *origin, unsigned depth);

/* Reads one file for the text being built. A directory reads as empty: Redis's
 * fopen() succeeds on one and fgets() then fails. */
static int read_one(struct load *ld, const struct frame *from, unsigned line, const char *path,
                    struct buf *text)
{
	char *data = NULL;
	if (ld->nfiles >= RDCONF_MAX_FILES)
		return load_fail(ld, from, line, -E2BIG, "more than %u files included",
		                 RDCONF_MAX_FILES);
	ssize_t n = rootfs_read(ld->r, path, RDCONF_MAX_SIZE, &data);
	if (n == -EISDIR)
		return 0;
	if (n < 0) {
		/* A missing included file is the configuration's fault; Redis logs
		 * "Fatal error, can't open config file" and exits. */
		int rc = from && (n == -ENOENT || n == -ENOTDIR) ? -EINVAL : (int)n;
		struct buf e = BUF_INIT;
		const char *shown = rootfs_show(ld->r, path);
		buf_put_escaped(&e, shown, strlen(shown));
		load_fail(ld, from, line, rc, "can't open config file '%s': %s", buf_str(&e),
		          strerror((int)-n));
		buf_release(&e);
		return rc;
	}
	ld->nfiles++;
	ld->total += (size_t)n;
	if (ld->total > RDCONF_MAX_TOTAL) {
		free(data);
		return load_fail(ld, from, line, -EFBIG, "the files included exceed %u MiB",
		                 RDCONF_MAX_TOTAL >> 20);
	}
	strlist_push(&ld->c->files, rootfs_show(ld->r, path));
	rdconf_fgets_filter(data, (size_t)n, text);
	free(data);
	return 0;
}

/* Reads the files of paths into one text (each a part in segs) and parses it. */
static int load_paths(struct load *ld, const struct frame *from, unsigned line,
                      const struct strlist *paths, unsigned depth)
{
	struct buf text = BUF_INIT;
	struct seg *segs = xcalloc(paths->n ? paths->n : 1, sizeof(*segs));
	size_t nsegs = 0;
	unsigned lines = 1;
	int rc = 0;
	for (size_t i = 0; i < paths->n && rc == 0; i++) {
		size_t before = text.len;
		rc = read_one(ld, from, line, paths->v[i], &text);
		if (rc || text.len == before)
			continue;
		bool bol = before == 0 || text.p[before - 1] == '\n';
		segs[nsegs++] = (struct seg){xstrdup(rootfs_show(ld->r, paths->v[i])), lines, bol};
		for (size_t k = before; k < text.len; k++)
			lines += text.p[k] == '\n';
	}
	if (rc == 0)
		rc = load_text(ld, buf_str(&text), text.len, segs, nsegs, NULL, depth);
	for (size_t i = 0; i < nsegs; i++)
		free(segs[i].shown);
	free(segs);
	buf_release(&text);
	return rc;
}

/* "include PATH": a glob pattern, or one file that must exist. */
static int load_include(const struct frame *f, unsigned line, const struct rd_arg *arg)
{
	struct load *ld = f->ld;
	struct strlist paths = {0};
	struct buf e = BUF_INIT;
	int rc = 0;
	buf_put_escaped(&e, arg->s, strlen(arg->s));
	if (f->depth + 1 > RDCONF_MAX_DEPTH) {
		rc = load_fail(
		    ld, f, line, -EINVAL,
		    "include '%s': nested deeper than %u (an include cycle crashes Redis)",
		    buf_str(&e), RDCONF_MAX_DEPTH);
	} else if (has_magic(arg->s)) {
		char *pattern = path_join(ld->cwd, arg->s);
		rc = glob_walk(ld, "", pattern, &paths);
		strlist_sort(&paths);
		free(pattern);
		if (rc < 0)
			load_fail(
			    ld, f, line, rc,
			    "include '%s': more than %u files match or %u directories searched",
			    buf_str(&e), RDCONF_MAX_FILES, RDCONF_MAX_DIRS);
	} else {
		char *path = path_join(ld->cwd, arg->s);
		strlist_push(&paths, path);
		free(path);
	}
	if (rc == 0)
		rc = load_paths(ld, f, line, &paths, f->depth + 1);
	strlist_release(&paths);
	buf_release(&e);
	return rc;
}

/* Directives the loader itself acts on; every directive is recorded. */
static int load_item(const struct rd_arg *argv, size_t argc, unsigned line, void *ctx)
{
	const struct frame *f = ctx;
	struct load *ld = f->ld;
	unsigned fl;
	const char *file = locate(f, line, &fl);
	ld->nargs += argc;
	if (ld->c->n >= RDCONF_MAX_DIRECTIVES || ld->nargs > RDCONF_MAX_ARGS)
		return load_fail(ld, f, line, -E2BIG,
		                 "more than %u directives or %u arguments: not a configuration",
		                 RDCONF_MAX_DIRECTIVES, RDCONF_MAX_ARGS);
	push(ld->c, argv, argc, file, fl);
	if (!strcmp(argv[0].s, "include")) {
		/* Only "include PATH" is the directive; anything else falls through
		 * to Redis's last error. */
		if (argc != 2)
			return load_fail(ld, f, line, -EINVAL,
			                 "Bad directive or wrong number of arguments");
		return load_include(f, line, &argv[1]);
	}
	if (!strcmp(argv[0].s, "dir")) {
		/* setConfigDirOption() chdir()s at once, so later relative includes
		 * are read from there. */
		if (argc != 2)
			return load_fail(ld, f, line, -EINVAL, "wrong number of arguments");
		char *d = path_join(ld->cwd, argv[1].s);
		free(ld->cwd);
		ld->cwd = d;
	}
	return 0;
}

static int load_text(struct load *ld, const char *text, size_t len, const struct seg *segs,
                     size_t nsegs, const char *origin, unsigned depth)
{
	struct frame f = {ld, segs, nsegs, origin, depth};
	struct perr err = {0};
	int rc = rdconf_parse(text, len, load_item, &f, &err);
	/* Errors of callbacks were reported where they happened. */
	if (rc < 0 && err.msg[0])
		load_fail(ld, &f, err.line, rc, "%s", err.msg);
	return rc;
}

int rdconf_load(const struct rootfs *r, const char *path, const char *cwd, const char *const *opts,
                size_t nopts, const char *opt_origin, struct rdconf *c, char *errmsg, size_t errlen)
{
	struct load ld = {r, c, xstrdup(cwd && cwd[0] ? cwd : "/"), errmsg, errlen, 0, 0, 0, 0};
	int rc = 0;
	if (errmsg && errlen)
		errmsg[0] = '\0';
	if (path) {
		struct strlist one = {0};
		strlist_push(&one, path);
		rc = load_paths(&ld, NULL, 0, &one, 0);
		strlist_release(&one);
	}
	if (rc == 0 && nopts) {
		struct buf text = BUF_INIT;
		options_text(opts, nopts, path == NULL, &text);
		rc = load_text(&ld, buf_str(&text), text.len, NULL, 0,
		               opt_origin ? opt_origin : "the command line", 0);
		buf_release(&text);
	}
	free(ld.cwd);
	return rc;
}

/* ---- values ---- */

int rd_parse_ll(const char *s, size_t n, int64_t *out)
{
	size_t i = 0;
	bool neg = false;
	uint64_t v = 0;
	if (n == 0 || n >= LONG_STR_SIZE)
		return -EINVAL;
	if (n == 1 && s[0] == '0') {
		*out = 0;
		return 0;
	}
	if (s[0] == '-') {
		neg = true;
		if (++i == n)
			return -EINVAL;
	}
	/* The first digit is 1-9: no leading zeros. */
	if (s[i] < '1' || s[i] > '9')
		return -EINVAL;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > UINT64_MAX / 10 || v * 10 > UINT64_MAX - d)
			return -EINVAL;
		v = v * 10 + d;
	}
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return -EINVAL;
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > INT64_MAX)
			return -EINVAL;
		*out = (int64_t)v;
	}
	return 0;
}

/* memtoull()'s units; the multiplier is applied after an overflow check. */
static const struct {
	const char *unit;
	uint64_t mul;
} mem_units[] = {
    {"", 1},                     /* bytes */
    {"b", 1},                    /* bytes */
    {"k", 1000},                 /* kilo */
    {"kb", 1024},                /* kibi */
    {"m", 1000 * 1000},          /* mega */
    {"mb", 1024 * 1024},         /* mebi */
    {"g", 1000L * 1000 * 1000},  /* giga */
    {"gb", 1024L * 1024 * 1024}, /* gibi */
};

int rd_parse_memory(const char *s, uint64_t *out)
{
	size_t d = 0;
	uint64_t mul = 0, v = 0;
	if (s[0] == '-')
		return -EINVAL;
	while (s[d] >= '0' && s[d] <= '9')
		d++;
	for (size_t i = 0; i < ARRAY_SIZE(mem_units); i++)
		if (!strcasecmp(s + d, mem_units[i].unit))
			mul = mem_units[i].mul;
	/* memtoull() copies the digits into a 128-byte buffer first. */
	if (!mul || d >= 128)
		return -EINVAL;
	/* strtoull() saturates at ULLONG_MAX and memtoull() does not look at ERANGE. */
	for (size_t i = 0; i < d; i++) {
		unsigned k = (unsigned)(s[i] - '0');
		v = v > (UINT64_MAX - k) / 10 ? UINT64_MAX : v * 10 + k;
	}
	if (v > UINT64_MAX / mul)
		return -EINVAL;
	*out = v * mul;
	return 0;
}

int rd_parse_yesno(const char *s)
{
	if (!strcasecmp(s, "yes"))
		return 1;
	if (!strcasecmp(s, "no"))
		return 0;
	return -EINVAL;
}
