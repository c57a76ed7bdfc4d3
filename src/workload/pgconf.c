// SPDX-License-Identifier: MIT
/* PostgreSQL configuration files as the server reads them: the lexical rules of
 * src/backend/utils/misc/guc-file.l, the include directives of ParseConfigFp(),
 * ParseConfigFile() and ParseConfigDirectory(), and guc.c's parse_int() and
 * bool.c's parse_bool() for turning setting values into numbers. */
#include "workload/pgconf.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Configuration files are tens of kB (Debian's stock one is 30 kB); anything
 * bigger is not one, and reading it whole would only cost memory. */
#define PGCONF_MAX_SIZE (4u << 20)
/* ParseConfigFile() refuses a depth over 10 (CONF_FILE_MAX_DEPTH in conffiles.h
 * since PostgreSQL 16): the top file is depth 0 and each include adds one. */
#define PGCONF_MAX_DEPTH 10
/* PostgreSQL has no such bound; kres keeps one so that includes fanning out over
 * ten levels of directories cannot keep an audit busy for hours. */
#define PGCONF_MAX_FILES 1000
/* Spells a number macro as a string literal, for messages. */
#define STR(x)  STR_(x)
#define STR_(x) #x
/* Bytes of an offending token quoted in a syntax error. */
#define NEAR_MAX 32
/* guc.c's MAX_UNIT_LEN: "min" is the longest unit. */
#define MAX_UNIT_LEN 3
/* BLCKSZ of a default build; PGU_BLOCKS counts pages of this size. */
#define BLCKSZ 8192.0

/* ---- lexer (guc-file.l) ---- */

/* LETTER in guc-file.l: ASCII letters, '_' and every byte with the high bit set,
 * so that UTF-8 names and words lex as letters. */
static bool is_letter(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch >= 0x80;
}

static bool is_digit(unsigned char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Bytes after the first of a name part: LETTER_OR_DIGIT, and '$', which guc.c
 * allows in custom names (the lexer of PostgreSQL 15 does not: kres is lenient). */
static bool is_name_ch(unsigned char ch)
{
	return is_letter(ch) || is_digit(ch) || ch == '$';
}

/* Bytes of an unquoted value: UNQUOTED_STRING's letters, digits and "-._:/" plus
 * the signs of INTEGER and REAL. The lexer splits some such words into two
 * tokens (an unquoted 1.5GB is REAL then ID, a syntax error there); kres reads
 * them as one value rather than fail on a file the server may well reject. */
static bool is_value_ch(unsigned char ch)
{
	return is_letter(ch) || is_digit(ch) || ch == '-' || ch == '.' || ch == ':' || ch == '/' ||
	       ch == '+';
}

/* A bare word of either kind, so that an error quotes the whole of it. */
static bool is_word_ch(unsigned char ch)
{
	return is_value_ch(ch) || ch == '$';
}

/* The lexer skips [ \t\r]+; any other control byte is a syntax error. */
static bool is_blank(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* isspace() in the C locale, whatever locale kres runs in. */
static bool c_isspace(unsigned char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* One line of a file being lexed; nothing in the syntax spans lines. */
struct lex {
	const char *p;
	size_t n, i;
	unsigned line;
	struct perr *err;
};

static void lex_skip_blank(struct lex *lx)
{
	while (lx->i < lx->n && is_blank((unsigned char)lx->p[lx->i]))
		lx->i++;
}

/* End of line, or a '#' comment running to it. */
static bool lex_at_end(const struct lex *lx)
{
	return lx->i >= lx->n || lx->p[lx->i] == '#';
}

static size_t lex_run(const struct lex *lx, size_t i, bool (*cls)(unsigned char))
{
	size_t k = i;
	while (k < lx->n && cls((unsigned char)lx->p[k]))
		k++;
	return k - i;
}

/* Length of the quoted string at i, quotes included, or 0 when it does not end on
 * this line. STRING is \'([^'\\\n]|\\.|\'\')*\': a backslash takes the next byte
 * whatever it is, and a doubled quote stands for one. */
static size_t lex_quoted_len(const struct lex *lx, size_t i)
{
	size_t k = i + 1;
	while (k < lx->n) {
		if (lx->p[k] == '\\') {
			if (k + 1 >= lx->n)
				return 0;
			k += 2;
		} else if (lx->p[k] == '\'') {
			if (k + 1 < lx->n && lx->p[k + 1] == '\'')
				k += 2;
			else
				return k + 1 - i;
		} else {
			k++;
		}
	}
	return 0;
}

/* Reports the token at i as flex would see it: a word, a quoted string or one
 * byte, escaped and shortened, since configuration bytes are hostile. */
static int lex_syntax_error(const struct lex *lx, size_t i)
{
	if (i >= lx->n || lx->p[i] == '#') {
		perr_set(lx->err, lx->line, "syntax error near end of line");
		return -EINVAL;
	}
	size_t n = 1;
	if (is_word_ch((unsigned char)lx->p[i]))
		n = lex_run(lx, i, is_word_ch);
	else if (lx->p[i] == '\'')
		n = lex_quoted_len(lx, i) ? lex_quoted_len(lx, i) : lx->n - i;
	struct buf b = BUF_INIT;
	buf_put_escaped(&b, lx->p + i, n < NEAR_MAX ? n : NEAR_MAX);
	perr_set(lx->err, lx->line, "syntax error near '%s%s'", buf_str(&b),
	         n > NEAR_MAX ? "..." : "");
	buf_release(&b);
	return -EINVAL;
}

/* ID or QUALIFIED_ID: a letter and then letters, digits or '$', and at most one
 * dot joining two such parts ("auto_explain.log_min_duration"); "a.b.c" lexes as
 * UNQUOTED_STRING, which cannot start a line. */
static bool name_valid(const char *s, size_t n)
{
	bool part_start = true;
	unsigned dots = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '.') {
			if (part_start || ++dots > 1)
				return false;
			part_start = true;
		} else if (part_start ? !is_letter(ch) : !is_name_ch(ch)) {
			return false;
		} else {
			part_start = false;
		}
	}
	return !part_start;
}

static int lex_name(struct lex *lx, struct buf *name)
{
	size_t n = lex_run(lx, lx->i, is_word_ch);
	if (!n || !name_valid(lx->p + lx->i, n))
		return lex_syntax_error(lx, lx->i);
	buf_reset(name);
	for (size_t k = 0; k < n; k++)
		buf_putc(name, ascii_lower(lx->p[lx->i + k]));
	lx->i += n;
	return 0;
}

/* The escapes guc-file.l's GUC_scanstr() (DeescapeQuotedString() in newer
 * releases) knows; any other escaped byte stands for itself. */
static const struct {
	char esc, ch;
} escapes[] = {
    {'b', '\b'}, /* backspace */
    {'f', '\f'}, /* form feed */
    {'n', '\n'}, /* newline */
    {'r', '\r'}, /* carriage return */
    {'t', '\t'}, /* tab */
};

/* Resolves the escape after the backslash at s[i]; returns the index of its
 * last byte. Octal takes up to three digits and keeps the low byte. */
static size_t unescape_one(const char *s, size_t n, size_t i, struct buf *out)
{
	char ch = s[i];
	if (ch >= '0' && ch <= '7') {
		unsigned v = 0;
		size_t k = 0;
		while (k < 3 && i + k < n && s[i + k] >= '0' && s[i + k] <= '7')
			v = v * 8 + (unsigned)(s[i + k++] - '0');
		buf_putc(out, (char)(v & 0xff));
		return i + k - 1;
	}
	for (size_t e = 0; e < ARRAY_SIZE(escapes); e++) {
		if (escapes[e].esc == ch) {
			ch = escapes[e].ch;
			break;
		}
	}
	buf_putc(out, ch);
	return i;
}

/* The value of a quoted string, s being what lies between the quotes. */
static void unquote(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i = unescape_one(s, n, i + 1, out);
		else if (s[i] == '\'' && i + 1 < n && s[i + 1] == '\'')
			buf_putc(out, s[i++]);
		else
			buf_putc(out, s[i]);
	}
}

static int lex_value(struct lex *lx, struct buf *val)
{
	buf_reset(val);
	if (lx->p[lx->i] == '\'') {
		size_t n = lex_quoted_len(lx, lx->i);
		if (!n) {
			perr_set(lx->err, lx->line, "unterminated quoted string");
			return -EINVAL;
		}
		unquote(lx->p + lx->i + 1, n - 2, val);
		lx->i += n;
		return 0;
	}
	size_t n = lex_run(lx, lx->i, is_value_ch);
	if (!n)
		return lex_syntax_error(lx, lx->i);
	buf_append(val, lx->p + lx->i, n);
	lx->i += n;
	return 0;
}

/* One line as ParseConfigFp() reads it: blank, or a name, an optional '=', a
 * value and nothing but a comment after it. Returns 1 for an item, 0 for a blank
 * line, -EINVAL with lx->err set on a syntax error. */
static int lex_line(struct lex *lx, struct buf *name, struct buf *val)
{
	lex_skip_blank(lx);
	if (lex_at_end(lx))
		return 0;
	int rc = lex_name(lx, name);
	if (rc)
		return rc;
	lex_skip_blank(lx);
	if (lx->i < lx->n && lx->p[lx->i] == '=') {
		lx->i++;
		lex_skip_blank(lx);
	}
	if (lex_at_end(lx))
		return lex_syntax_error(lx, lx->i);
	rc = lex_value(lx, val);
	if (rc)
		return rc;
	lex_skip_blank(lx);
	if (!lex_at_end(lx))
		return lex_syntax_error(lx, lx->i);
	return 1;
}

/* The names ParseConfigFp() acts on itself instead of recording them as
 * settings (compared with guc_name_compare(), so in any case). */
static const struct {
	const char *name;
	enum pgconf_item kind;
} directives[] = {
    {"include", PGC_INCLUDE},                     /* a file that must exist */
    {"include_if_exists", PGC_INCLUDE_IF_EXISTS}, /* a file that may be missing */
    {"include_dir", PGC_INCLUDE_DIR},             /* the *.conf files of a directory */
};

static enum pgconf_item item_kind(const char *lname)
{
	for (size_t i = 0; i < ARRAY_SIZE(directives); i++)
		if (!strcmp(lname, directives[i].name))
			return directives[i].kind;
	return PGC_SET;
}

int pgconf_parse(const char *buf, size_t len, pgconf_cb cb, void *ctx, struct perr *err)
{
	if (!buf || !len)
		return 0;
	struct lineiter it;
	struct span line;
	struct buf name = BUF_INIT, val = BUF_INIT;
	int rc = 0;

	lineiter_init(&it, buf, len);
	while (rc == 0 && lineiter_next(&it, &line)) {
		struct lex lx = {line.p, line.n, 0, it.lineno, err};
		rc = lex_line(&lx, &name, &val);
		if (rc <= 0)
			continue;
		const char *n = buf_str(&name);
		rc = cb ? cb(item_kind(n), n, buf_str(&val), it.lineno, ctx) : 0;
		if (rc > 0)
			rc = 0;
	}
	buf_release(&name);
	buf_release(&val);
	return rc;
}

/* ---- settings ---- */

static bool name_eq(const char *a, const char *b)
{
	while (*a && ascii_lower(*a) == ascii_lower(*b)) {
		a++;
		b++;
	}
	return ascii_lower(*a) == ascii_lower(*b);
}

static size_t guc_find(const struct pgconf *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (name_eq(c->v[i].name, name))
			return i;
	return c->n;
}

/* Sets entry i, appending a new one when i is c->n. The new strings are copied
 * before the old ones are freed, as value may be the entry's own. */
static void guc_assign(struct pgconf *c, size_t i, const char *lname, const char *value,
                       const char *file, unsigned line)
{
	char *v = xstrdup(value), *f = xstrdup(file);
	if (i == c->n) {
		ALLOC_GROW(c->v, c->n + 1, c->cap);
		c->v[c->n++] = (struct pg_guc){.name = xstrdup(lname)};
	}
	struct pg_guc *g = &c->v[i];
	free(g->value);
	free(g->file);
	g->value = v;
	g->file = f;
	g->line = line;
}

void pgconf_set(struct pgconf *c, const char *name, const char *value, const char *origin)
{
	if (!name)
		return;
	char *lname = xstrdup(name);
	for (char *p = lname; *p; p++)
		*p = ascii_lower(*p);
	guc_assign(c, guc_find(c, lname), lname, value ? value : "", origin ? origin : "", 0);
	free(lname);
}

const struct pg_guc *pgconf_get(const struct pgconf *c, const char *name)
{
	if (!name)
		return NULL;
	size_t i = guc_find(c, name);
	return i < c->n ? &c->v[i] : NULL;
}

void pgconf_release(struct pgconf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].name);
		free(c->v[i].value);
		free(c->v[i].file);
	}
	free(c->v);
	strlist_release(&c->files);
	memset(c, 0, sizeof(*c));
}

/* Where each name sits in c->v while a load runs, so that a hostile file of a
 * million distinct names costs linear time, not quadratic. Open addressing, at
 * most half full; a slot holds the index plus one, 0 being empty. */
struct gucidx {
	size_t *slot;
	size_t cap; /* a power of two */
};

static size_t name_hash(const char *s)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

static size_t *idx_slot(const struct gucidx *x, const struct pgconf *c, const char *lname)
{
	size_t h = name_hash(lname) & (x->cap - 1);
	while (x->slot[h] && strcmp(c->v[x->slot[h] - 1].name, lname))
		h = (h + 1) & (x->cap - 1);
	return &x->slot[h];
}

static void idx_rebuild(struct gucidx *x, const struct pgconf *c)
{
	size_t cap = 64;
	while (cap < 2 * (c->n + 1))
		cap *= 2;
	free(x->slot);
	x->slot = xcalloc(cap, sizeof(*x->slot));
	x->cap = cap;
	for (size_t i = 0; i < c->n; i++)
		*idx_slot(x, c, c->v[i].name) = i + 1;
}

/* ---- loading files (ParseConfigFile, ParseConfigDirectory) ---- */

struct load {
	const struct rootfs *r;
	struct pgconf *c;
	struct gucidx idx;
	char *errmsg;
	size_t errlen;
	unsigned nfiles;
};

/* The file whose items are being handled. */
struct frame {
	struct load *ld;
	const char *path;  /* host path, which relative includes are resolved against */
	const char *shown; /* rootfs_show() of it, for messages and pg_guc.file */
	unsigned depth;    /* 0 for the top file */
};

static void load_set(struct load *ld, const char *lname, const char *value, const char *file,
                     unsigned line)
{
	if (2 * (ld->c->n + 1) > ld->idx.cap)
		idx_rebuild(&ld->idx, ld->c);
	size_t *slot = idx_slot(&ld->idx, ld->c, lname);
	size_t i = *slot ? *slot - 1 : ld->c->n;
	guc_assign(ld->c, i, lname, value, file, line);
	*slot = i + 1;
}

/* Writes "'<file>' line N: <what> '<path>': <why>" (parts left out when NULL)
 * into the caller's errmsg and returns rc. Paths come from configuration text,
 * so their control bytes are escaped. */
static int load_fail(struct load *ld, const struct frame *at, unsigned line, int rc,
                     const char *what, const char *path, const char *why)
{
	struct buf b = BUF_INIT;
	if (at) {
		buf_putc(&b, '\'');
		buf_put_escaped(&b, at->shown, strlen(at->shown));
		buf_appendf(&b, "' line %u: ", line);
	}
	buf_puts(&b, what);
	if (path) {
		buf_puts(&b, " '");
		buf_put_escaped(&b, path, strlen(path));
		buf_putc(&b, '\'');
	}
	if (why)
		buf_appendf(&b, ": %s", why);
	if (ld->errmsg && ld->errlen)
		str_copy(ld->errmsg, ld->errlen, buf_str(&b));
	buf_release(&b);
	return rc;
}

/* A missing included file is the configuration's fault (-EINVAL), so that only a
 * missing top file reads as -ENOENT; include_if_exists skips it, as
 * ParseConfigFile() does with a "skipping missing configuration file" log line.
 * Other failures (EACCES, EFBIG) are kept: a file kres cannot read is not absent. */
static int load_read_failed(struct load *ld, const struct frame *from, unsigned line,
                            const char *shown, int rc, bool strict)
{
	bool missing = rc == -ENOENT || rc == -ENOTDIR;
	if (!from)
		return load_fail(ld, NULL, 0, rc, "could not open configuration file", shown,
		                 strerror(-rc));
	if (missing && !strict)
		return 0;
	return load_fail(ld, from, line, missing ? -EINVAL : rc,
	                 "could not open configuration file", shown, strerror(-rc));
}

static int load_item(enum pgconf_item kind, const char *name, const char *value, unsigned line,
                     void *ctx);

static int load_text(struct frame *f, const char *text, size_t len)
{
	struct perr err = {0};
	int rc = pgconf_parse(text, len, load_item, f, &err);
	/* Errors from includes were reported where they happened. */
	if (rc < 0 && err.msg[0])
		load_fail(f->ld, f, err.line, rc, err.msg, NULL, NULL);
	return rc;
}

/* ParseConfigFile(): checks the depth before opening, as PostgreSQL does, so a
 * file that includes itself fails on its eleventh opening. */
static int load_file(struct load *ld, const char *path, const struct frame *from, unsigned line,
                     bool strict)
{
	unsigned depth = from ? from->depth + 1 : 0;
	char *shown = xstrdup(rootfs_show(ld->r, path));
	char *text = NULL;
	int rc;

	if (depth > PGCONF_MAX_DEPTH) {
		rc = load_fail(ld, from, line, -EINVAL, "could not open configuration file", shown,
		               "maximum nesting depth exceeded");
	} else if (ld->nfiles >= PGCONF_MAX_FILES) {
		rc = load_fail(ld, from, line, -EINVAL, "could not open configuration file", shown,
		               "more than " STR(PGCONF_MAX_FILES) " files included");
	} else {
		ssize_t n = rootfs_read(ld->r, path, PGCONF_MAX_SIZE, &text);
		if (n < 0) {
			rc = load_read_failed(ld, from, line, shown, (int)n, strict);
		} else {
			ld->nfiles++;
			strlist_push(&ld->c->files, shown);
			struct frame f = {ld, path, shown, depth};
			rc = load_text(&f, text, (size_t)n);
		}
	}
	free(text);
	free(shown);
	return rc;
}

/* AbsoluteConfigLocation(): a relative path is taken from the directory of the
 * file that names it. */
static char *path_resolve(const char *base, const char *rel)
{
	const char *slash = strrchr(base, '/');
	if (rel[0] == '/' || !slash)
		return xstrdup(rel);
	return xasprintf("%.*s/%s", (int)(slash - base), base, rel);
}

/* GetConfFilesInDir() (ParseConfigDirectory() before PostgreSQL 16): names ending
 * in ".conf", longer than that suffix, not hidden. */
static bool conf_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".conf");
}

/* Reads the directory's *.conf files in strcmp() order (rootfs_list() sorts),
 * skipping subdirectories, each one level deeper than the includer. */
static int load_dir(const struct frame *f, unsigned line, const char *dir)
{
	struct load *ld = f->ld;
	struct strlist names = {0};
	int rc = rootfs_list(ld->r, dir, &names);
	if (rc < 0) {
		/* As with files, a missing directory is the configuration's fault. */
		int e = rc == -ENOENT || rc == -ENOTDIR ? -EINVAL : rc;
		load_fail(ld, f, line, e, "could not open configuration directory",
		          rootfs_show(ld->r, dir), strerror(-rc));
		strlist_release(&names);
		return e;
	}
	size_t dlen = strlen(dir);
	while (dlen && dir[dlen - 1] == '/')
		dlen--;
	rc = 0;
	for (size_t i = 0; i < names.n && rc == 0; i++) {
		if (!conf_name(names.v[i]))
			continue;
		char *path = xasprintf("%.*s/%s", (int)dlen, dir, names.v[i]);
		if (!rootfs_isdir(ld->r, path))
			rc = load_file(ld, path, f, line, true);
		free(path);
	}
	strlist_release(&names);
	return rc;
}

static int load_item(enum pgconf_item kind, const char *name, const char *value, unsigned line,
                     void *ctx)
{
	struct frame *f = ctx;
	if (kind == PGC_SET) {
		load_set(f->ld, name, value, f->shown, line);
		return 0;
	}
	/* ParseConfigFile() and ParseConfigDirectory() refuse a blank name rather
	 * than read the includer's own directory. */
	if (value[strspn(value, " \t\r\n")] == '\0')
		return load_fail(f->ld, f, line, -EINVAL,
		                 kind == PGC_INCLUDE_DIR ? "empty configuration directory name"
		                                         : "empty configuration file name",
		                 NULL, NULL);
	char *path = path_resolve(f->path, value);
	int rc = kind == PGC_INCLUDE_DIR ? load_dir(f, line, path)
	                                 : load_file(f->ld, path, f, line, kind == PGC_INCLUDE);
	free(path);
	return rc;
}

int pgconf_load(const struct rootfs *r, const char *path, struct pgconf *c, char *errmsg,
                size_t errlen)
{
	struct load ld = {.r = r, .c = c, .errmsg = errmsg, .errlen = errlen};
	if (errmsg && errlen)
		errmsg[0] = '\0';
	idx_rebuild(&ld.idx, c);
	int rc = load_file(&ld, path, NULL, 0, true);
	free(ld.idx.slot);
	return rc;
}

/* ---- values (guc.c parse_int, bool.c parse_bool) ---- */

/* guc.c's memory_unit_conversion_table and time_unit_conversion_table in one:
 * for each base unit, its units from the largest down. convert_to_base_unit()
 * rounds a fractional value ("1.5GB") to a whole number of the next row's unit
 * when that row has the same base, so the order matters. */
static const struct {
	const char *unit;
	enum pg_unit base;
	double mult; /* base units per unit */
} units[] = {
    {"TB", PGU_BYTE, 1024.0 * 1024.0 * 1024.0 * 1024.0},
    {"GB", PGU_BYTE, 1024.0 * 1024.0 * 1024.0},
    {"MB", PGU_BYTE, 1024.0 * 1024.0},
    {"kB", PGU_BYTE, 1024.0},
    {"B", PGU_BYTE, 1.0},

    {"TB", PGU_KB, 1024.0 * 1024.0 * 1024.0},
    {"GB", PGU_KB, 1024.0 * 1024.0},
    {"MB", PGU_KB, 1024.0},
    {"kB", PGU_KB, 1.0},
    {"B", PGU_KB, 1.0 / 1024.0},

    {"TB", PGU_MB, 1024.0 * 1024.0},
    {"GB", PGU_MB, 1024.0},
    {"MB", PGU_MB, 1.0},
    {"kB", PGU_MB, 1.0 / 1024.0},
    {"B", PGU_MB, 1.0 / (1024.0 * 1024.0)},

    {"TB", PGU_BLOCKS, (1024.0 * 1024.0 * 1024.0) / (BLCKSZ / 1024.0)},
    {"GB", PGU_BLOCKS, (1024.0 * 1024.0) / (BLCKSZ / 1024.0)},
    {"MB", PGU_BLOCKS, 1024.0 / (BLCKSZ / 1024.0)},
    {"kB", PGU_BLOCKS, 1.0 / (BLCKSZ / 1024.0)},
    {"B", PGU_BLOCKS, 1.0 / BLCKSZ},

    {"d", PGU_MS, 1000.0 * 60 * 60 * 24},
    {"h", PGU_MS, 1000.0 * 60 * 60},
    {"min", PGU_MS, 1000.0 * 60},
    {"s", PGU_MS, 1000.0},
    {"ms", PGU_MS, 1.0},
    {"us", PGU_MS, 1.0 / 1000},

    {"d", PGU_S, 60.0 * 60 * 24},
    {"h", PGU_S, 60.0 * 60},
    {"min", PGU_S, 60.0},
    {"s", PGU_S, 1.0},
    {"ms", PGU_S, 1.0 / 1000},
    {"us", PGU_S, 1.0 / (1000 * 1000)},

    {"d", PGU_MIN, 60.0 * 24},
    {"h", PGU_MIN, 60.0},
    {"min", PGU_MIN, 1.0},
    {"s", PGU_MIN, 1.0 / 60},
    {"ms", PGU_MIN, 1.0 / (1000 * 60)},
    {"us", PGU_MIN, 1.0 / (1000.0 * 1000 * 60)},
};

/* convert_to_base_unit(): the unit is at most MAX_UNIT_LEN bytes, case-sensitive,
 * and only blanks may follow it. A unit not listed for base (one of the other
 * kind, or any unit for PGU_NONE) is -EINVAL. */
static int unit_convert(const char *u, enum pg_unit base, double *val)
{
	size_t n = 0;
	while (u[n] && !c_isspace((unsigned char)u[n]))
		n++;
	const char *rest = u + n;
	while (c_isspace((unsigned char)*rest))
		rest++;
	if (*rest || n > MAX_UNIT_LEN)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (units[i].base != base || strlen(units[i].unit) != n ||
		    memcmp(units[i].unit, u, n))
			continue;
		double v = *val * units[i].mult;
		if (i + 1 < ARRAY_SIZE(units) && units[i + 1].base == base)
			v = rint(v / units[i + 1].mult) * units[i + 1].mult;
		*val = v;
		return 0;
	}
	return -EINVAL;
}

/* parse_int() reads the number with strtol(base 0) (strtoll here, the same on
 * LP64), so "0x1F" is hex and, as in PostgreSQL, a leading 0 means octal
 * (log_file_mode = 0600); it reads it again with strtod() when strtol() stops at
 * a '.' or an exponent or overflows. The server parses in the C locale; kres may
 * not run in one. */
static int number_parse(const char *v, double *val, const char **end)
{
	char *e;
	errno = 0;
	*val = (double)strtoll(v, &e, 0);
	if (*e == '.' || *e == 'e' || *e == 'E' || errno == ERANGE) {
		locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
		errno = 0;
		*val = c_locale ? strtod_l(v, &e, c_locale) : strtod(v, &e);
		if (c_locale)
			freelocale(c_locale);
	}
	if (e == v)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	if (isnan(*val))
		return -EINVAL;
	*end = e;
	return 0;
}

int pg_parse_int(const char *v, enum pg_unit base, int64_t *out)
{
	if (!v)
		return -EINVAL;
	double val;
	const char *end;
	int rc = number_parse(v, &val, &end);
	if (rc)
		return rc;
	while (c_isspace((unsigned char)*end))
		end++;
	if (*end) {
		rc = unit_convert(end, base, &val);
		if (rc)
			return rc;
	}
	/* Rounded to nearest (ties to even, as rint() does in the server), then
	 * checked against int, the type of PostgreSQL's integer settings. */
	val = rint(val);
	if (!(val >= INT32_MIN && val <= INT32_MAX))
		return -ERANGE;
	*out = (int64_t)val;
	return 0;
}

/* parse_bool_with_len() in bool.c: each word may be cut to any prefix at least
 * min bytes long, which leaves "o" ambiguous between on and off. */
static const struct {
	const char *word;
	size_t min;
	int value;
} bools[] = {
    {"true", 1, 1}, {"false", 1, 0}, {"yes", 1, 1}, {"no", 1, 0},
    {"on", 2, 1},   {"off", 2, 0},   {"1", 1, 1},   {"0", 1, 0},
};

/* The server's GUC code does not trim, but boolin() does; kres accepts blanks
 * around the word either way. */
int pg_parse_bool(const char *v)
{
	if (!v)
		return -EINVAL;
	while (c_isspace((unsigned char)*v))
		v++;
	size_t n = strlen(v);
	while (n && c_isspace((unsigned char)v[n - 1]))
		n--;
	for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
		size_t k = 0;
		if (n < bools[i].min || n > strlen(bools[i].word))
			continue;
		while (k < n && ascii_lower(v[k]) == bools[i].word[k])
			k++;
		if (k == n)
			return bools[i].value;
	}
	return -EINVAL;
}
