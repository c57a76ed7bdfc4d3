// SPDX-License-Identifier: MIT
/* Tests for workload/pgconf: parse_int() and parse_bool() values checked against
 * PostgreSQL 15's own results (postgres -C), the guc-file.l lexer, and loading
 * trees of files with includes under a temporary root, among them Debian's stock
 * postgresql.conf. */
#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "workload/pgconf.h"
#include "tree.h"
#include "util/banned.h"

/* ---- pg_parse_int ---- */

/* Every row agrees with PostgreSQL 15 (postgres -C on a setting of that base
 * unit), except that the server calls 1e400 invalid where kres says ERANGE. Rows
 * marked "pg" are the cases that show a rule. */
static const struct int_case {
	const char *in;
	enum pg_unit base;
	int rc;
	int64_t want;
} int_cases[] = {
    {"128MB", PGU_BLOCKS, 0, 16384},   /* pg: Debian's shared_buffers */
    {"1GB", PGU_KB, 0, 1048576},       /* pg */
    {"16384", PGU_BLOCKS, 0, 16384},   /* no unit: already blocks */
    {"-1", PGU_BLOCKS, 0, -1},         /* wal_buffers' "auto" */
    {"1.5GB", PGU_MB, 0, 1536},        /* pg: fraction, PostgreSQL 12+ */
    {"2MB", PGU_KB, 0, 2048},          /* pg */
    {"64kB", PGU_BLOCKS, 0, 8},        /* pg */
    {"4MB", PGU_BYTE, 0, 4194304},     /* */
    {"10s", PGU_MS, 0, 10000},         /* pg */
    {"1min", PGU_S, 0, 60},            /* pg */
    {"128mb", PGU_BLOCKS, -EINVAL, 0}, /* units are case-sensitive */
    {"100", PGU_NONE, 0, 100},         /* */
    {"1kB", PGU_NONE, -EINVAL, 0},     /* no unit on a unitless setting */
    {"abc", PGU_NONE, -EINVAL, 0},     /* */
    {"5 MB", PGU_KB, 0, 5120},         /* pg: blank before the unit */
    {"1TB", PGU_MB, 0, 1048576},       /* */
    {"2TB", PGU_BLOCKS, 0, 268435456}, /* */
    {"2GB", PGU_KB, 0, 2097152},       /* */
    {"2TB", PGU_KB, -ERANGE, 0},       /* 2^31 kB does not fit an int */
    {"0.1GB", PGU_MB, 0, 102},         /* pg: 102.4 MB rounds to 102 */
    {"0.1GB", PGU_KB, 0, 104448},      /* pg: rounded to whole MB first */
    {"0.1GB", PGU_BLOCKS, 0, 13056},   /* pg */
    {"1.7kB", PGU_BYTE, 0, 1741},      /* pg: 1740.8 B */
    {"4kB", PGU_BLOCKS, 0, 0},         /* pg: half a block, ties to even */
    {"12kB", PGU_BLOCKS, 0, 2},        /* pg: 1.5 blocks */
    {"20kB", PGU_BLOCKS, 0, 2},        /* pg: 2.5 blocks */
    {"8191B", PGU_BLOCKS, 0, 1},       /* pg */
    {"8191B", PGU_KB, 0, 8},           /* pg */
    {"1B", PGU_KB, 0, 0},              /* pg */
    {"1h", PGU_MS, 0, 3600000},        /* */
    {"1d", PGU_S, 0, 86400},           /* */
    {"1d", PGU_MIN, 0, 1440},          /* */
    {"30s", PGU_MIN, 0, 0},            /* pg: half a minute, ties to even */
    {"90s", PGU_MIN, 0, 2},            /* pg */
    {"150s", PGU_MIN, 0, 2},           /* pg */
    {"1500us", PGU_MS, 0, 2},          /* pg */
    {"2500us", PGU_MS, 0, 2},          /* pg */
    {"1500us", PGU_S, 0, 0},           /* pg */
    {" 10s ", PGU_MS, 0, 10000},       /* pg: blanks around */
    {"1 min", PGU_S, 0, 60},           /* */
    {"10 s x", PGU_MS, -EINVAL, 0},    /* pg: garbage after the unit */
    {"10S", PGU_MS, -EINVAL, 0},       /* */
    {"1mins", PGU_S, -EINVAL, 0},      /* longer than any unit */
    {"1m", PGU_S, -EINVAL, 0},         /* */
    {"10MB", PGU_MS, -EINVAL, 0},      /* memory unit on a time setting */
    {"10s", PGU_KB, -EINVAL, 0},       /* time unit on a memory setting */
    {"0x1F", PGU_NONE, 0, 31},         /* pg */
    {"010", PGU_NONE, 0, 8},           /* pg: strtol base 0 reads octal */
    {"0640", PGU_NONE, 0, 416},        /* pg: log_file_mode */
    {"0x10kB", PGU_BYTE, 0, 16384},    /* */
    {"1e3", PGU_NONE, 0, 1000},        /* pg */
    {"2.5", PGU_NONE, 0, 2},           /* pg */
    {"1.5", PGU_NONE, 0, 2},           /* */
    {"-1.5", PGU_NONE, 0, -2},         /* */
    {".5", PGU_NONE, 0, 0},            /* */
    {" .5", PGU_NONE, -EINVAL, 0},     /* pg: strtol's quirk, kept */
    {"  42  ", PGU_NONE, 0, 42},       /* pg */
    {"+7", PGU_NONE, 0, 7},            /* */
    {"2147483647", PGU_NONE, 0, INT32_MAX},
    {"-2147483648", PGU_NONE, 0, INT32_MIN},
    {"2147483648", PGU_NONE, -ERANGE, 0}, /* pg: exceeds integer range */
    {"-2147483649", PGU_NONE, -ERANGE, 0},
    {"99999999999999999999", PGU_NONE, -ERANGE, 0},
    {"1e400", PGU_NONE, -ERANGE, 0}, /* strtod overflow */
    {"", PGU_NONE, -EINVAL, 0},
    {"   ", PGU_NONE, -EINVAL, 0},
    {"-", PGU_NONE, -EINVAL, 0},
    {"0x", PGU_NONE, -EINVAL, 0}, /* pg */
    {"1e", PGU_NONE, -EINVAL, 0},
    {"nan", PGU_NONE, -EINVAL, 0},
    {"inf", PGU_NONE, -EINVAL, 0},
    {"5 MB", PGU_NONE, -EINVAL, 0},
};

static void test_parse_int(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(int_cases); i++) {
		const struct int_case *t = &int_cases[i];
		int64_t got = 12345;
		int rc = pg_parse_int(t->in, t->base, &got);
		if (rc != t->rc || (rc == 0 && got != t->want))
			fail_msg("pg_parse_int(\"%s\", %d) = %d, %lld; want %d, %lld", t->in,
			         (int)t->base, rc, (long long)got, t->rc, (long long)t->want);
		if (rc != 0 && got != 12345)
			fail_msg("pg_parse_int(\"%s\") wrote *out on failure", t->in);
	}
	assert_int_equal(pg_parse_int(NULL, PGU_NONE, &(int64_t){0}), -EINVAL);
}

/* The server reads numbers in the C locale; kres must too, whatever LC_NUMERIC
 * its user has. Runs only where a locale with a decimal comma is installed. */
static void test_parse_int_locale(void **state)
{
	(void)state;
	static const char *const comma[] = {"de_DE.UTF-8", "de_DE.utf8",  "fr_FR.UTF-8",
	                                    "fr_FR.utf8",  "ru_RU.UTF-8", "ru_RU.utf8"};
	size_t i = 0;
	while (i < ARRAY_SIZE(comma) && !setlocale(LC_NUMERIC, comma[i]))
		i++;
	if (i == ARRAY_SIZE(comma))
		skip();
	int64_t v = 0;
	int rc = pg_parse_int("1.5GB", PGU_MB, &v);
	setlocale(LC_NUMERIC, "C");
	assert_int_equal(rc, 0);
	assert_int_equal(v, 1536);
}

/* ---- pg_parse_bool ---- */

static const struct bool_case {
	const char *in;
	int want;
} bool_cases[] = {
    {"on", 1},         {"off", 0},        {"true", 1},      {"false", 0},    {"yes", 1},
    {"no", 0},         {"1", 1},          {"0", 0},         {"ON", 1},       {"Off", 0},
    {"TRUE", 1},       {"t", 1},          {"f", 0},         {"y", 1},        {"n", 0},
    {"of", 0},         {"tru", 1},        {"fa", 0},        {"ye", 1},       {" on ", 1},
    {"\toff\n", 0},    {"o", -EINVAL},    {"", -EINVAL},    {"  ", -EINVAL}, {"truex", -EINVAL},
    {"onn", -EINVAL},  {"offf", -EINVAL}, {"01", -EINVAL},  {"10", -EINVAL}, {"2", -EINVAL},
    {"nope", -EINVAL}, {"yess", -EINVAL}, {"o n", -EINVAL},
};

static void test_parse_bool(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bool_cases); i++) {
		int got = pg_parse_bool(bool_cases[i].in);
		if (got != bool_cases[i].want)
			fail_msg("pg_parse_bool(\"%s\") = %d, want %d", bool_cases[i].in, got,
			         bool_cases[i].want);
	}
	assert_int_equal(pg_parse_bool(NULL), -EINVAL);
}

/* ---- pgconf_parse ---- */

/* Records items as "<kind>:<name>=<value>@<line>;" with control bytes escaped. */
static int collect(enum pgconf_item kind, const char *name, const char *value, unsigned line,
                   void *ctx)
{
	static const char kinds[] = {[PGC_SET] = 's',
	                             [PGC_INCLUDE] = 'i',
	                             [PGC_INCLUDE_IF_EXISTS] = 'e',
	                             [PGC_INCLUDE_DIR] = 'd'};
	struct buf *b = ctx;
	buf_appendf(b, "%c:", kinds[kind]);
	buf_put_escaped(b, name, strlen(name));
	buf_putc(b, '=');
	buf_put_escaped(b, value, strlen(value));
	buf_appendf(b, "@%u;", line);
	return 0;
}

#define TEXT(s) s, sizeof(s) - 1

static const struct lex_case {
	const char *in;
	size_t len;
	const char *want;
} lex_cases[] = {
    {TEXT("a = 1\n"), "s:a=1@1;"},
    {TEXT("a 1"), "s:a=1@1;"}, /* no '=', no final newline */
    {TEXT("a=1\n\n# comment = x\n  \t\nB=2 # trailing\n"), "s:a=1@1;s:b=2@5;"},
    {TEXT("x = 'it''s'\n"), "s:x=it's@1;"},
    {TEXT("x = 'a\\nb\\tc'\n"), "s:x=a\\x0ab\\x09c@1;"},
    {TEXT("x = '\\101\\q\\\\\\'\\b\\f\\r'"), "s:x=Aq\\x5c'\\x08\\x0c\\x0d@1;"},
    {TEXT("x = '\\0061'"), "s:x=\\x061@1;"}, /* octal stops after 3 digits */
    {TEXT("x = ''"), "s:x=@1;"},
    {TEXT("x='a#b' # c"), "s:x=a#b@1;"},
    {TEXT("x='a'#c"), "s:x=a@1;"},
    {TEXT("x'a'"), "s:x=a@1;"}, /* the lexer needs no blank before a string */
    {TEXT("auto_explain.log_min_duration = 250ms"), "s:auto_explain.log_min_duration=250ms@1;"},
    {TEXT("Include 'other.conf'\ninclude_if_exists = x.conf\nINCLUDE_DIR conf.d\n"),
     "i:include=other.conf@1;e:include_if_exists=x.conf@2;d:include_dir=conf.d@3;"},
    {TEXT("search_path = '\"$user\", public'"), "s:search_path=\"$user\", public@1;"},
    {TEXT("a=-1\nb=+5\nc=0x1F\nd=1e3\ne=0.5\nf=/abs/p:x\ng=on\n"),
     "s:a=-1@1;s:b=+5@2;s:c=0x1F@3;s:d=1e3@4;s:e=0.5@5;s:f=/abs/p:x@6;s:g=on@7;"},
    {TEXT("shared_buffers = 1.5GB\n"), "s:shared_buffers=1.5GB@1;"},
    {TEXT("a = 1\r\nb = 2\r\n"), "s:a=1@1;s:b=2@2;"},
    {TEXT("a$b = 1\n_x = 2\n"), "s:a$b=1@1;s:_x=2@2;"},
    {TEXT("\xc3\xa9t\xc3\xa9 = '\xc3\xa9'"), "s:\\xc3\\xa9t\\xc3\\xa9=\\xc3\\xa9@1;"},
    {TEXT("x = 'a\0b'"), "s:x=a@1;"}, /* a NUL ends the value, as in C */
    {TEXT("\n\n\n"), ""},
    {TEXT(""), ""},
};

static void test_lex_ok(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(lex_cases); i++) {
		struct buf b = BUF_INIT;
		struct perr err = {0};
		int rc = pgconf_parse(lex_cases[i].in, lex_cases[i].len, collect, &b, &err);
		if (rc != 0 || strcmp(buf_str(&b), lex_cases[i].want))
			fail_msg("case %zu: rc %d (%s) items \"%s\", want \"%s\"", i, rc, err.msg,
			         buf_str(&b), lex_cases[i].want);
		buf_release(&b);
	}
}

static const struct lex_err_case {
	const char *in;
	size_t len;
	unsigned line;
	const char *msg;
} lex_err_cases[] = {
    {TEXT("a\n"), 1, "syntax error near end of line"},
    {TEXT("a =\n"), 1, "syntax error near end of line"},
    {TEXT("ok = 1\na = # no value\n"), 2, "syntax error near end of line"},
    {TEXT("\n\nx = 1 2\n"), 3, "syntax error near '2'"},
    {TEXT("x = 'abc\ny = 1\n"), 1, "unterminated quoted string"},
    {TEXT("x = 'abc\\'\n"), 1, "unterminated quoted string"},
    {TEXT("x = 'abc\\\n'"), 1, "unterminated quoted string"},
    {TEXT("x = 'abc''\n"), 1, "unterminated quoted string"},
    {TEXT("5 = x"), 1, "syntax error near '5'"},
    {TEXT("= x"), 1, "syntax error near '='"},
    {TEXT("a-b = 1"), 1, "syntax error near 'a-b'"},
    {TEXT("a. = 1"), 1, "syntax error near 'a.'"},
    {TEXT(".a = 1"), 1, "syntax error near '.a'"},
    {TEXT("a..b = 1"), 1, "syntax error near 'a..b'"},
    {TEXT("a.1 = 1"), 1, "syntax error near 'a.1'"},
    {TEXT("a.b.c = 1"), 1, "syntax error near 'a.b.c'"}, /* one dot at most */
    {TEXT("'a' = 1"), 1, "syntax error near ''a''"},
    {TEXT("x = a$b"), 1, "syntax error near '$b'"},
    {TEXT("x = \"q\""), 1, "syntax error near '\"'"},
    {TEXT("x = 'a'b"), 1, "syntax error near 'b'"},
    {TEXT("x = a 'b'"), 1, "syntax error near ''b''"},
    {TEXT("x = 1 = 2"), 1, "syntax error near '='"},
    {TEXT("x = = 2"), 1, "syntax error near '='"},
    {TEXT("x = /path/a b"), 1, "syntax error near 'b'"},
    {TEXT("x = 1\0y"), 1, "syntax error near '\\x00'"},
    {TEXT("x = \x01"), 1, "syntax error near '\\x01'"},
    {TEXT("\fx = 1"), 1, "syntax error near '\\x0c'"},
    {TEXT("x = 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"), 1,
     "syntax error near 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'"},
    {TEXT("a = 1\nb = 2\nc = 3\nd = 4\ne = 5 6\n"), 5, "syntax error near '6'"},
};

static void test_lex_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(lex_err_cases); i++) {
		const struct lex_err_case *t = &lex_err_cases[i];
		struct buf b = BUF_INIT;
		struct perr err = {0};
		int rc = pgconf_parse(t->in, t->len, collect, &b, &err);
		if (rc != -EINVAL || err.line != t->line || strcmp(err.msg, t->msg))
			fail_msg("case %zu: rc %d line %u \"%s\", want line %u \"%s\"", i, rc,
			         err.line, err.msg, t->line, t->msg);
		buf_release(&b);
	}
	/* The error record is optional. */
	assert_int_equal(pgconf_parse(TEXT("bad"), collect, &(struct buf){0}, NULL), -EINVAL);
}

static int stop_second(enum pgconf_item kind, const char *name, const char *value, unsigned line,
                       void *ctx)
{
	(void)kind, (void)name, (void)value, (void)line;
	return ++*(int *)ctx == 2 ? -ECANCELED : 1;
}

/* A callback's negative value ends the parse and comes back; positive is fine. */
static void test_parse_cb_stops(void **state)
{
	(void)state;
	int calls = 0;
	assert_int_equal(pgconf_parse(TEXT("a=1\nb=2\nc=3\n"), stop_second, &calls, NULL),
	                 -ECANCELED);
	assert_int_equal(calls, 2);
	assert_int_equal(pgconf_parse(NULL, 0, stop_second, &calls, NULL), 0);
	assert_int_equal(pgconf_parse(TEXT("a=1\n"), NULL, NULL, NULL), 0);
}

/* ---- pgconf_set / pgconf_get ---- */

static void test_set_get(void **state)
{
	(void)state;
	struct pgconf c = {0};
	pgconf_set(&c, "Shared_Buffers", "128MB", "--set");
	pgconf_set(&c, "work_mem", "4MB", "--set");
	pgconf_set(&c, "SHARED_BUFFERS", "1GB", "postgres -c");
	assert_int_equal(c.n, 2);
	assert_string_equal(c.v[0].name, "shared_buffers");
	assert_string_equal(c.v[0].value, "1GB");
	assert_string_equal(c.v[0].file, "postgres -c");
	assert_int_equal(c.v[0].line, 0);
	const struct pg_guc *g = pgconf_get(&c, "Work_Mem");
	assert_non_null(g);
	assert_string_equal(g->value, "4MB");
	assert_null(pgconf_get(&c, "work_mem2"));
	assert_null(pgconf_get(&c, "work_me"));
	/* Setting a value to itself must not read freed memory. */
	pgconf_set(&c, "work_mem", g->value, g->file);
	assert_string_equal(pgconf_get(&c, "work_mem")->value, "4MB");
	pgconf_release(&c);
	assert_int_equal(c.n, 0);
	assert_null(c.v);
}

/* ---- pgconf_load on fixture trees ---- */

#define MAIN "/etc/postgresql/15/main/postgresql.conf"

struct fx {
	struct tree t;
	struct pgconf c;
	char err[512];
};

static int fx_setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	*state = f;
	tree_init(&f->t);
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	pgconf_release(&f->c);
	tree_release(&f->t);
	free(f);
	return 0;
}

static int fx_load(struct fx *f, const char *path)
{
	return pgconf_load(&f->t.r, path, &f->c, f->err, sizeof(f->err));
}

/* Checks a setting's value and where it came from (a host path, shown under the
 * root as pgconf_load records it). */
static void fx_assert(struct fx *f, const char *name, const char *value, const char *file,
                      unsigned line)
{
	const struct pg_guc *g = pgconf_get(&f->c, name);
	if (!g)
		fail_msg("%s is not set", name);
	char *shown = xasprintf("%s%s", f->t.root, file);
	if (strcmp(g->value, value) || strcmp(g->file, shown) || g->line != line)
		fail_msg("%s = '%s' (%s:%u), want '%s' (%s:%u)", name, g->value, g->file, g->line,
		         value, shown, line);
	free(shown);
}

/* Checks c.files, the shown paths of the files read, in order. */
static void fx_assert_files(struct fx *f, const char *const *want, size_t n)
{
	assert_int_equal(f->c.files.n, n);
	for (size_t i = 0; i < n; i++) {
		char *shown = xasprintf("%s%s", f->t.root, want[i]);
		assert_string_equal(f->c.files.v[i], shown);
		free(shown);
	}
}

/* Checks errmsg with each "%s" standing for the root. */
static void fx_assert_err(struct fx *f, const char *fmt_with_roots)
{
	struct buf want = BUF_INIT;
	for (const char *p = fmt_with_roots; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			buf_puts(&want, f->t.root);
			p++;
		} else {
			buf_putc(&want, *p);
		}
	}
	assert_string_equal(f->err, buf_str(&want));
	buf_release(&want);
}

static void test_load_includes(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN,
	         "a = 1\n"
	         "include 'extra.conf'\n"
	         "include = '/etc/kres-test/abs.conf'\n"
	         "z = 26\n");
	tree_put(&f->t, "/etc/postgresql/15/main/extra.conf", "b = 2\n");
	tree_put(&f->t, "/etc/kres-test/abs.conf", "c = 3\ninclude 'sub/deeper.conf'\n");
	tree_put(&f->t, "/etc/kres-test/sub/deeper.conf", "# deeper\nd = 4");
	assert_int_equal(fx_load(f, MAIN), 0);
	assert_string_equal(f->err, "");
	fx_assert(f, "a", "1", MAIN, 1);
	fx_assert(f, "b", "2", "/etc/postgresql/15/main/extra.conf", 1);
	fx_assert(f, "c", "3", "/etc/kres-test/abs.conf", 1);
	fx_assert(f, "d", "4", "/etc/kres-test/sub/deeper.conf", 2);
	fx_assert(f, "z", "26", MAIN, 4);
	static const char *const order[] = {"a", "b", "c", "d", "z"};
	assert_int_equal(f->c.n, ARRAY_SIZE(order));
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		assert_string_equal(f->c.v[i].name, order[i]);
	static const char *const files[] = {MAIN, "/etc/postgresql/15/main/extra.conf",
	                                    "/etc/kres-test/abs.conf",
	                                    "/etc/kres-test/sub/deeper.conf"};
	fx_assert_files(f, files, ARRAY_SIZE(files));
	assert_null(pgconf_get(&f->c, "include"));
}

static void test_load_include_if_exists(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN,
	         "include_if_exists 'missing.conf'\n"
	         "include_if_exists 'nodir/missing.conf'\n"
	         "include_if_exists 'present.conf'\n"
	         "a = 1\n");
	tree_put(&f->t, "/etc/postgresql/15/main/present.conf", "b = 2\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "a", "1", MAIN, 4);
	fx_assert(f, "b", "2", "/etc/postgresql/15/main/present.conf", 1);
	static const char *const files[] = {MAIN, "/etc/postgresql/15/main/present.conf"};
	fx_assert_files(f, files, ARRAY_SIZE(files));
}

static void test_load_include_missing(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, "a = 1\n\ninclude 'nope.conf'\nb = 2\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 3: could not open configuration file "
	                 "'%s/etc/postgresql/15/main/nope.conf': No such file or directory");
	assert_null(pgconf_get(&f->c, "b"));
}

static void test_load_include_dir(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, "x = 0\ninclude_dir 'conf.d'\nlast = 1\n");
	tree_put(&f->t, "/etc/postgresql/15/main/conf.d/02.conf", "x = 2\nonly02 = yes\n");
	tree_put(&f->t, "/etc/postgresql/15/main/conf.d/01.conf", "\nx = 1\ny = 1\n");
	tree_put(&f->t, "/etc/postgresql/15/main/conf.d/.hidden.conf", "x = hidden\n");
	tree_put(&f->t, "/etc/postgresql/15/main/conf.d/x.txt", "x = txt\n");
	tree_put(&f->t, "/etc/postgresql/15/main/conf.d/03.conf.bak", "x = bak\n");
	tree_put(&f->t, "/etc/postgresql/15/main/conf.d/sub.conf/inner.conf", "x = inner\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "x", "2", "/etc/postgresql/15/main/conf.d/02.conf", 1);
	fx_assert(f, "y", "1", "/etc/postgresql/15/main/conf.d/01.conf", 3);
	fx_assert(f, "only02", "yes", "/etc/postgresql/15/main/conf.d/02.conf", 2);
	fx_assert(f, "last", "1", MAIN, 3);
	static const char *const files[] = {MAIN, "/etc/postgresql/15/main/conf.d/01.conf",
	                                    "/etc/postgresql/15/main/conf.d/02.conf"};
	fx_assert_files(f, files, ARRAY_SIZE(files));
}

static void test_load_include_dir_missing(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, "include_dir '/etc/nowhere/'\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 1: could not open configuration directory "
	                 "'%s/etc/nowhere/': No such file or directory");
}

static void test_load_later_wins(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN,
	         "shared_buffers = 128MB\n"
	         "work_mem = 4MB\n"
	         "include 'override.conf'\n"
	         "WORK_MEM = 8MB\n");
	tree_put(&f->t, "/etc/postgresql/15/main/override.conf", "\n\nShared_Buffers = '1GB'\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "shared_buffers", "1GB", "/etc/postgresql/15/main/override.conf", 3);
	fx_assert(f, "work_mem", "8MB", MAIN, 4);
	assert_int_equal(f->c.n, 2);
	assert_string_equal(f->c.v[0].name, "shared_buffers");
	assert_string_equal(f->c.v[1].name, "work_mem");
	/* A later --set replaces what the files said. */
	pgconf_set(&f->c, "work_mem", "16MB", "--set");
	assert_string_equal(pgconf_get(&f->c, "work_mem")->file, "--set");
	assert_int_equal(f->c.n, 2);
}

/* A second load into the same pgconf (postgresql.auto.conf after postgresql.conf)
 * overrides in place. */
static void test_load_twice(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, "a = 1\nb = 2\n");
	tree_put(&f->t, "/var/lib/postgresql/15/main/postgresql.auto.conf",
	         "# Do not edit this file manually!\nb = '3'\nc = 4\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	assert_int_equal(fx_load(f, "/var/lib/postgresql/15/main/postgresql.auto.conf"), 0);
	fx_assert(f, "a", "1", MAIN, 1);
	fx_assert(f, "b", "3", "/var/lib/postgresql/15/main/postgresql.auto.conf", 2);
	assert_int_equal(f->c.n, 3);
	assert_string_equal(f->c.v[2].name, "c");
}

static void test_load_loop(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, "a = 1\ninclude 'postgresql.conf'\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 2: could not open configuration file '%s" MAIN
	                 "': maximum nesting depth exceeded");
	/* Depths 0 to 10 were read, as in PostgreSQL. */
	assert_int_equal(f->c.files.n, 11);
}

/* A chain of n + 1 files, d0.conf including d1.conf and so on. */
static void fx_chain(struct fx *f, unsigned n)
{
	for (unsigned i = 0; i <= n; i++) {
		char path[64], text[64];
		snprintf(path, sizeof(path), "/etc/chain/d%u.conf", i);
		if (i < n)
			snprintf(text, sizeof(text), "v%u = %u\ninclude 'd%u.conf'\n", i, i, i + 1);
		else
			snprintf(text, sizeof(text), "v%u = %u\n", i, i);
		tree_put(&f->t, path, text);
	}
}

static void test_load_depth(void **state)
{
	struct fx *f = *state;
	fx_chain(f, 10);
	assert_int_equal(fx_load(f, "/etc/chain/d0.conf"), 0);
	fx_assert(f, "v10", "10", "/etc/chain/d10.conf", 1);
	pgconf_release(&f->c);
	fx_chain(f, 11);
	assert_int_equal(fx_load(f, "/etc/chain/d0.conf"), -EINVAL);
	fx_assert_err(f, "'%s/etc/chain/d10.conf' line 2: could not open configuration file "
	                 "'%s/etc/chain/d11.conf': maximum nesting depth exceeded");
}

static void test_load_errors(void **state)
{
	struct fx *f = *state;
	assert_int_equal(fx_load(f, MAIN), -ENOENT);
	fx_assert_err(f,
	              "could not open configuration file '%s" MAIN "': No such file or directory");

	tree_put(&f->t, MAIN, "include 'bad.conf'\n");
	tree_put(&f->t, "/etc/postgresql/15/main/bad.conf", "ok = 1\noops\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s/etc/postgresql/15/main/bad.conf' line 2: syntax error near end "
	                 "of line");

	tree_put(&f->t, MAIN, "\ninclude ' '\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 2: empty configuration file name");

	tree_put(&f->t, MAIN, "include_dir ''\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 1: empty configuration directory name");

	/* A directory named as a file cannot be read: the error is kept. */
	tree_mkdir(&f->t, "/etc/postgresql/15/main/conf.d");
	tree_put(&f->t, MAIN, "include_if_exists 'conf.d'\n");
	assert_int_equal(fx_load(f, MAIN), -EISDIR);
	fx_assert_err(f, "'%s" MAIN "' line 1: could not open configuration file "
	                 "'%s/etc/postgresql/15/main/conf.d': Is a directory");

	/* Paths from the file are escaped in messages. */
	tree_put(&f->t, MAIN, "include 'a\\nb'\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 1: could not open configuration file "
	                 "'%s/etc/postgresql/15/main/a\\x0ab': No such file or directory");

	/* A too small errmsg is cut, not overrun. */
	char small[8];
	assert_int_equal(pgconf_load(&f->t.r, MAIN, &f->c, small, sizeof(small)), -EINVAL);
	assert_string_equal(small, "'/tmp/k");
	assert_int_equal(pgconf_load(&f->t.r, MAIN, &f->c, NULL, 0), -EINVAL);
}

/* Enough names to grow the load's index several times; each is set twice and
 * must keep its first place and take its second value. */
static void test_load_many(void **state)
{
	struct fx *f = *state;
	struct buf text = BUF_INIT;
	enum { N = 3000 };
	for (unsigned i = 0; i < N; i++)
		buf_appendf(&text, "n%u = %u\n", i, i);
	for (unsigned i = N; i-- > 0;)
		buf_appendf(&text, "N%u = 'x%u'\n", i, i);
	tree_put(&f->t, MAIN, buf_str(&text));
	buf_release(&text);
	assert_int_equal(fx_load(f, MAIN), 0);
	assert_int_equal(f->c.n, N);
	for (unsigned i = 0; i < N; i++) {
		char name[16], value[16];
		snprintf(name, sizeof(name), "n%u", i);
		snprintf(value, sizeof(value), "x%u", i);
		assert_string_equal(f->c.v[i].name, name);
		assert_string_equal(f->c.v[i].value, value);
		assert_int_equal(f->c.v[i].line, 2 * N - i);
	}
}

/* kres stops after 1000 files where PostgreSQL would go on. */
static void test_load_too_many_files(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, "include_dir 'conf.d'\n");
	for (unsigned i = 0; i < 1000; i++) {
		char path[64];
		snprintf(path, sizeof(path), "/etc/postgresql/15/main/conf.d/f%04u.conf", i);
		tree_put(&f->t, path, "a = 1\n");
	}
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 1: could not open configuration file "
	                 "'%s/etc/postgresql/15/main/conf.d/f0999.conf': more than 1000 files "
	                 "included");
	assert_int_equal(f->c.files.n, 1000);
}

/* ---- Debian's stock configuration ---- */

/* /etc/postgresql/15/main/postgresql.conf as pg_createcluster wrote it on Debian 12
 * (postgresql-15 15.18-0+deb12u1, postgresql-common 248+deb12u1), unchanged. */
static const char debian15_conf[] =
    "# -----------------------------\n"
    "# PostgreSQL configuration file\n"
    "# -----------------------------\n"
    "#\n"
    "# This file consists of lines of the form:\n"
    "#\n"
    "#   name = value\n"
    "#\n"
    "# (The \"=\" is optional.)  Whitespace may be used.  Comments are introduced with\n"
    "# \"#\" anywhere on a line.  The complete list of parameter names and allowed\n"
    "# values can be found in the PostgreSQL documentation.\n"
    "#\n"
    "# The commented-out settings shown in this file represent the default values.\n"
    "# Re-commenting a setting is NOT sufficient to revert it to the default value;\n"
    "# you need to reload the server.\n"
    "#\n"
    "# This file is read on server startup and when the server receives a SIGHUP\n"
    "# signal.  If you edit the file on a running system, you have to SIGHUP the\n"
    "# server for the changes to take effect, run \"pg_ctl reload\", or execute\n"
    "# \"SELECT pg_reload_conf()\".  Some parameters, which are marked below,\n"
    "# require a server shutdown and restart to take effect.\n"
    "#\n"
    "# Any parameter can also be given as a command-line option to the server, e.g.,\n"
    "# \"postgres -c log_connections=on\".  Some parameters can be changed at run time\n"
    "# with the \"SET\" SQL command.\n"
    "#\n"
    "# Memory units:  B  = bytes            Time units:  us  = microseconds\n"
    "#                kB = kilobytes                     ms  = milliseconds\n"
    "#                MB = megabytes                     s   = seconds\n"
    "#                GB = gigabytes                     min = minutes\n"
    "#                TB = terabytes                     h   = hours\n"
    "#                                                   d   = days\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# FILE LOCATIONS\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# The default values of these variables are driven from the -D command-line\n"
    "# option or PGDATA environment variable, represented here as ConfigDir.\n"
    "\n"
    "data_directory = '/var/lib/postgresql/15/main'\t\t# use data in another directory\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "hba_file = '/etc/postgresql/15/main/pg_hba.conf'\t# host-based authentication file\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "ident_file = '/etc/postgresql/15/main/pg_ident.conf'\t# ident configuration file\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "\n"
    "# If external_pid_file is not explicitly set, no extra PID file is written.\n"
    "external_pid_file = '/var/run/postgresql/15-main.pid'\t\t\t# write an extra PID file\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# CONNECTIONS AND AUTHENTICATION\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# - Connection Settings -\n"
    "\n"
    "#listen_addresses = 'localhost'\t\t# what IP address(es) to listen on;\n"
    "\t\t\t\t\t# comma-separated list of addresses;\n"
    "\t\t\t\t\t# defaults to 'localhost'; use '*' for all\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "port = 5432\t\t\t\t# (change requires restart)\n"
    "max_connections = 100\t\t\t# (change requires restart)\n"
    "#superuser_reserved_connections = 3\t# (change requires restart)\n"
    "unix_socket_directories = '/var/run/postgresql'\t# comma-separated list of directories\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#unix_socket_group = ''\t\t\t# (change requires restart)\n"
    "#unix_socket_permissions = 0777\t\t# begin with 0 to use octal notation\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#bonjour = off\t\t\t\t# advertise server via Bonjour\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#bonjour_name = ''\t\t\t# defaults to the computer name\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "\n"
    "# - TCP settings -\n"
    "# see \"man tcp\" for details\n"
    "\n"
    "#tcp_keepalives_idle = 0\t\t# TCP_KEEPIDLE, in seconds;\n"
    "\t\t\t\t\t# 0 selects the system default\n"
    "#tcp_keepalives_interval = 0\t\t# TCP_KEEPINTVL, in seconds;\n"
    "\t\t\t\t\t# 0 selects the system default\n"
    "#tcp_keepalives_count = 0\t\t# TCP_KEEPCNT;\n"
    "\t\t\t\t\t# 0 selects the system default\n"
    "#tcp_user_timeout = 0\t\t\t# TCP_USER_TIMEOUT, in milliseconds;\n"
    "\t\t\t\t\t# 0 selects the system default\n"
    "\n"
    "#client_connection_check_interval = 0\t# time between checks for client\n"
    "\t\t\t\t\t# disconnection while running queries;\n"
    "\t\t\t\t\t# 0 for never\n"
    "\n"
    "# - Authentication -\n"
    "\n"
    "#authentication_timeout = 1min\t\t# 1s-600s\n"
    "#password_encryption = scram-sha-256\t# scram-sha-256 or md5\n"
    "#db_user_namespace = off\n"
    "\n"
    "# GSSAPI using Kerberos\n"
    "#krb_server_keyfile = 'FILE:${sysconfdir}/krb5.keytab'\n"
    "#krb_caseins_users = off\n"
    "\n"
    "# - SSL -\n"
    "\n"
    "ssl = off\n"
    "#ssl_ca_file = ''\n"
    "ssl_cert_file = '/etc/ssl/certs/ssl-cert-snakeoil.pem'\n"
    "#ssl_crl_file = ''\n"
    "#ssl_crl_dir = ''\n"
    "ssl_key_file = '/etc/ssl/private/ssl-cert-snakeoil.key'\n"
    "#ssl_ciphers = 'HIGH:MEDIUM:+3DES:!aNULL' # allowed SSL ciphers\n"
    "#ssl_prefer_server_ciphers = on\n"
    "#ssl_ecdh_curve = 'prime256v1'\n"
    "#ssl_min_protocol_version = 'TLSv1.2'\n"
    "#ssl_max_protocol_version = ''\n"
    "#ssl_dh_params_file = ''\n"
    "#ssl_passphrase_command = ''\n"
    "#ssl_passphrase_command_supports_reload = off\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# RESOURCE USAGE (except WAL)\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# - Memory -\n"
    "\n"
    "shared_buffers = 128MB\t\t\t# min 128kB\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#huge_pages = try\t\t\t# on, off, or try\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#huge_page_size = 0\t\t\t# zero for system default\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#temp_buffers = 8MB\t\t\t# min 800kB\n"
    "#max_prepared_transactions = 0\t\t# zero disables the feature\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "# Caution: it is not advisable to set max_prepared_transactions nonzero unless\n"
    "# you actively intend to use prepared transactions.\n"
    "#work_mem = 4MB\t\t\t\t# min 64kB\n"
    "#hash_mem_multiplier = 2.0\t\t# 1-1000.0 multiplier on hash table work_mem\n"
    "#maintenance_work_mem = 64MB\t\t# min 1MB\n"
    "#autovacuum_work_mem = -1\t\t# min 1MB, or -1 to use maintenance_work_mem\n"
    "#logical_decoding_work_mem = 64MB\t# min 64kB\n"
    "#max_stack_depth = 2MB\t\t\t# min 100kB\n"
    "#shared_memory_type = mmap\t\t# the default is the first option\n"
    "\t\t\t\t\t# supported by the operating system:\n"
    "\t\t\t\t\t#   mmap\n"
    "\t\t\t\t\t#   sysv\n"
    "\t\t\t\t\t#   windows\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "dynamic_shared_memory_type = posix\t# the default is usually the first option\n"
    "\t\t\t\t\t# supported by the operating system:\n"
    "\t\t\t\t\t#   posix\n"
    "\t\t\t\t\t#   sysv\n"
    "\t\t\t\t\t#   windows\n"
    "\t\t\t\t\t#   mmap\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#min_dynamic_shared_memory = 0MB\t# (change requires restart)\n"
    "\n"
    "# - Disk -\n"
    "\n"
    "#temp_file_limit = -1\t\t\t# limits per-process temp file space\n"
    "\t\t\t\t\t# in kilobytes, or -1 for no limit\n"
    "\n"
    "# - Kernel Resources -\n"
    "\n"
    "#max_files_per_process = 1000\t\t# min 64\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "\n"
    "# - Cost-Based Vacuum Delay -\n"
    "\n"
    "#vacuum_cost_delay = 0\t\t\t# 0-100 milliseconds (0 disables)\n"
    "#vacuum_cost_page_hit = 1\t\t# 0-10000 credits\n"
    "#vacuum_cost_page_miss = 2\t\t# 0-10000 credits\n"
    "#vacuum_cost_page_dirty = 20\t\t# 0-10000 credits\n"
    "#vacuum_cost_limit = 200\t\t# 1-10000 credits\n"
    "\n"
    "# - Background Writer -\n"
    "\n"
    "#bgwriter_delay = 200ms\t\t\t# 10-10000ms between rounds\n"
    "#bgwriter_lru_maxpages = 100\t\t# max buffers written/round, 0 disables\n"
    "#bgwriter_lru_multiplier = 2.0\t\t# 0-10.0 multiplier on buffers scanned/round\n"
    "#bgwriter_flush_after = 512kB\t\t# measured in pages, 0 disables\n"
    "\n"
    "# - Asynchronous Behavior -\n"
    "\n"
    "#backend_flush_after = 0\t\t# measured in pages, 0 disables\n"
    "#effective_io_concurrency = 1\t\t# 1-1000; 0 disables prefetching\n"
    "#maintenance_io_concurrency = 10\t# 1-1000; 0 disables prefetching\n"
    "#max_worker_processes = 8\t\t# (change requires restart)\n"
    "#max_parallel_workers_per_gather = 2\t# limited by max_parallel_workers\n"
    "#max_parallel_maintenance_workers = 2\t# limited by max_parallel_workers\n"
    "#max_parallel_workers = 8\t\t# number of max_worker_processes that\n"
    "\t\t\t\t\t# can be used in parallel operations\n"
    "#parallel_leader_participation = on\n"
    "#old_snapshot_threshold = -1\t\t# 1min-60d; -1 disables; 0 is immediate\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# WRITE-AHEAD LOG\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# - Settings -\n"
    "\n"
    "#wal_level = replica\t\t\t# minimal, replica, or logical\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#fsync = on\t\t\t\t# flush data to disk for crash safety\n"
    "\t\t\t\t\t# (turning this off can cause\n"
    "\t\t\t\t\t# unrecoverable data corruption)\n"
    "#synchronous_commit = on\t\t# synchronization level;\n"
    "\t\t\t\t\t# off, local, remote_write, remote_apply, or on\n"
    "#wal_sync_method = fsync\t\t# the default is the first option\n"
    "\t\t\t\t\t# supported by the operating system:\n"
    "\t\t\t\t\t#   open_datasync\n"
    "\t\t\t\t\t#   fdatasync (default on Linux and FreeBSD)\n"
    "\t\t\t\t\t#   fsync\n"
    "\t\t\t\t\t#   fsync_writethrough\n"
    "\t\t\t\t\t#   open_sync\n"
    "#full_page_writes = on\t\t\t# recover from partial page writes\n"
    "#wal_log_hints = off\t\t\t# also do full page writes of non-critical updates\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#wal_compression = off\t\t\t# enables compression of full-page writes;\n"
    "\t\t\t\t\t# off, pglz, lz4, zstd, or on\n"
    "#wal_init_zero = on\t\t\t# zero-fill new WAL files\n"
    "#wal_recycle = on\t\t\t# recycle WAL files\n"
    "#wal_buffers = -1\t\t\t# min 32kB, -1 sets based on shared_buffers\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#wal_writer_delay = 200ms\t\t# 1-10000 milliseconds\n"
    "#wal_writer_flush_after = 1MB\t\t# measured in pages, 0 disables\n"
    "#wal_skip_threshold = 2MB\n"
    "\n"
    "#commit_delay = 0\t\t\t# range 0-100000, in microseconds\n"
    "#commit_siblings = 5\t\t\t# range 0-1000\n"
    "\n"
    "# - Checkpoints -\n"
    "\n"
    "#checkpoint_timeout = 5min\t\t# range 30s-1d\n"
    "#checkpoint_completion_target = 0.9\t# checkpoint target duration, 0.0 - 1.0\n"
    "#checkpoint_flush_after = 256kB\t\t# measured in pages, 0 disables\n"
    "#checkpoint_warning = 30s\t\t# 0 disables\n"
    "max_wal_size = 1GB\n"
    "min_wal_size = 80MB\n"
    "\n"
    "# - Prefetching during recovery -\n"
    "\n"
    "#recovery_prefetch = try\t\t# prefetch pages referenced in the WAL?\n"
    "#wal_decode_buffer_size = 512kB\t\t# lookahead window used for prefetching\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "\n"
    "# - Archiving -\n"
    "\n"
    "#archive_mode = off\t\t# enables archiving; off, on, or always\n"
    "\t\t\t\t# (change requires restart)\n"
    "#archive_library = ''\t\t# library to use to archive a logfile segment\n"
    "\t\t\t\t# (empty string indicates archive_command should\n"
    "\t\t\t\t# be used)\n"
    "#archive_command = ''\t\t# command to use to archive a logfile segment\n"
    "\t\t\t\t# placeholders: %p = path of file to archive\n"
    "\t\t\t\t#               %f = file name only\n"
    "\t\t\t\t# e.g. 'test ! -f /mnt/server/archivedir/%f && cp %p /mnt/server/archivedir/%f'\n"
    "#archive_timeout = 0\t\t# force a logfile segment switch after this\n"
    "\t\t\t\t# number of seconds; 0 disables\n"
    "\n"
    "# - Archive Recovery -\n"
    "\n"
    "# These are only used in recovery mode.\n"
    "\n"
    "#restore_command = ''\t\t# command to use to restore an archived logfile segment\n"
    "\t\t\t\t# placeholders: %p = path of file to restore\n"
    "\t\t\t\t#               %f = file name only\n"
    "\t\t\t\t# e.g. 'cp /mnt/server/archivedir/%f %p'\n"
    "#archive_cleanup_command = ''\t# command to execute at every restartpoint\n"
    "#recovery_end_command = ''\t# command to execute at completion of recovery\n"
    "\n"
    "# - Recovery Target -\n"
    "\n"
    "# Set these only when performing a targeted recovery.\n"
    "\n"
    "#recovery_target = ''\t\t# 'immediate' to end recovery as soon as a\n"
    "                                # consistent state is reached\n"
    "\t\t\t\t# (change requires restart)\n"
    "#recovery_target_name = ''\t# the named restore point to which recovery will proceed\n"
    "\t\t\t\t# (change requires restart)\n"
    "#recovery_target_time = ''\t# the time stamp up to which recovery will proceed\n"
    "\t\t\t\t# (change requires restart)\n"
    "#recovery_target_xid = ''\t# the transaction ID up to which recovery will proceed\n"
    "\t\t\t\t# (change requires restart)\n"
    "#recovery_target_lsn = ''\t# the WAL LSN up to which recovery will proceed\n"
    "\t\t\t\t# (change requires restart)\n"
    "#recovery_target_inclusive = on # Specifies whether to stop:\n"
    "\t\t\t\t# just after the specified recovery target (on)\n"
    "\t\t\t\t# just before the recovery target (off)\n"
    "\t\t\t\t# (change requires restart)\n"
    "#recovery_target_timeline = 'latest'\t# 'current', 'latest', or timeline ID\n"
    "\t\t\t\t# (change requires restart)\n"
    "#recovery_target_action = 'pause'\t# 'pause', 'promote', 'shutdown'\n"
    "\t\t\t\t# (change requires restart)\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# REPLICATION\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# - Sending Servers -\n"
    "\n"
    "# Set these on the primary and on any standby that will send replication data.\n"
    "\n"
    "#max_wal_senders = 10\t\t# max number of walsender processes\n"
    "\t\t\t\t# (change requires restart)\n"
    "#max_replication_slots = 10\t# max number of replication slots\n"
    "\t\t\t\t# (change requires restart)\n"
    "#wal_keep_size = 0\t\t# in megabytes; 0 disables\n"
    "#max_slot_wal_keep_size = -1\t# in megabytes; -1 disables\n"
    "#wal_sender_timeout = 60s\t# in milliseconds; 0 disables\n"
    "#track_commit_timestamp = off\t# collect timestamp of transaction commit\n"
    "\t\t\t\t# (change requires restart)\n"
    "\n"
    "# - Primary Server -\n"
    "\n"
    "# These settings are ignored on a standby server.\n"
    "\n"
    "#synchronous_standby_names = ''\t# standby servers that provide sync rep\n"
    "\t\t\t\t# method to choose sync standbys, number of sync standbys,\n"
    "\t\t\t\t# and comma-separated list of application_name\n"
    "\t\t\t\t# from standby(s); '*' = all\n"
    "#vacuum_defer_cleanup_age = 0\t# number of xacts by which cleanup is delayed\n"
    "\n"
    "# - Standby Servers -\n"
    "\n"
    "# These settings are ignored on a primary server.\n"
    "\n"
    "#primary_conninfo = ''\t\t\t# connection string to sending server\n"
    "#primary_slot_name = ''\t\t\t# replication slot on sending server\n"
    "#promote_trigger_file = ''\t\t# file name whose presence ends recovery\n"
    "#hot_standby = on\t\t\t# \"off\" disallows queries during recovery\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#max_standby_archive_delay = 30s\t# max delay before canceling queries\n"
    "\t\t\t\t\t# when reading WAL from archive;\n"
    "\t\t\t\t\t# -1 allows indefinite delay\n"
    "#max_standby_streaming_delay = 30s\t# max delay before canceling queries\n"
    "\t\t\t\t\t# when reading streaming WAL;\n"
    "\t\t\t\t\t# -1 allows indefinite delay\n"
    "#wal_receiver_create_temp_slot = off\t# create temp slot if primary_slot_name\n"
    "\t\t\t\t\t# is not set\n"
    "#wal_receiver_status_interval = 10s\t# send replies at least this often\n"
    "\t\t\t\t\t# 0 disables\n"
    "#hot_standby_feedback = off\t\t# send info from standby to prevent\n"
    "\t\t\t\t\t# query conflicts\n"
    "#wal_receiver_timeout = 60s\t\t# time that receiver waits for\n"
    "\t\t\t\t\t# communication from primary\n"
    "\t\t\t\t\t# in milliseconds; 0 disables\n"
    "#wal_retrieve_retry_interval = 5s\t# time to wait before retrying to\n"
    "\t\t\t\t\t# retrieve WAL after a failed attempt\n"
    "#recovery_min_apply_delay = 0\t\t# minimum delay for applying changes during recovery\n"
    "\n"
    "# - Subscribers -\n"
    "\n"
    "# These settings are ignored on a publisher.\n"
    "\n"
    "#max_logical_replication_workers = 4\t# taken from max_worker_processes\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#max_sync_workers_per_subscription = 2\t# taken from max_logical_replication_workers\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# QUERY TUNING\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# - Planner Method Configuration -\n"
    "\n"
    "#enable_async_append = on\n"
    "#enable_bitmapscan = on\n"
    "#enable_gathermerge = on\n"
    "#enable_hashagg = on\n"
    "#enable_hashjoin = on\n"
    "#enable_incremental_sort = on\n"
    "#enable_indexscan = on\n"
    "#enable_indexonlyscan = on\n"
    "#enable_material = on\n"
    "#enable_memoize = on\n"
    "#enable_mergejoin = on\n"
    "#enable_nestloop = on\n"
    "#enable_parallel_append = on\n"
    "#enable_parallel_hash = on\n"
    "#enable_partition_pruning = on\n"
    "#enable_partitionwise_join = off\n"
    "#enable_partitionwise_aggregate = off\n"
    "#enable_seqscan = on\n"
    "#enable_sort = on\n"
    "#enable_tidscan = on\n"
    "\n"
    "# - Planner Cost Constants -\n"
    "\n"
    "#seq_page_cost = 1.0\t\t\t# measured on an arbitrary scale\n"
    "#random_page_cost = 4.0\t\t\t# same scale as above\n"
    "#cpu_tuple_cost = 0.01\t\t\t# same scale as above\n"
    "#cpu_index_tuple_cost = 0.005\t\t# same scale as above\n"
    "#cpu_operator_cost = 0.0025\t\t# same scale as above\n"
    "#parallel_setup_cost = 1000.0\t# same scale as above\n"
    "#parallel_tuple_cost = 0.1\t\t# same scale as above\n"
    "#min_parallel_table_scan_size = 8MB\n"
    "#min_parallel_index_scan_size = 512kB\n"
    "#effective_cache_size = 4GB\n"
    "\n"
    "#jit_above_cost = 100000\t\t# perform JIT compilation if available\n"
    "\t\t\t\t\t# and query more expensive than this;\n"
    "\t\t\t\t\t# -1 disables\n"
    "#jit_inline_above_cost = 500000\t\t# inline small functions if query is\n"
    "\t\t\t\t\t# more expensive than this; -1 disables\n"
    "#jit_optimize_above_cost = 500000\t# use expensive JIT optimizations if\n"
    "\t\t\t\t\t# query is more expensive than this;\n"
    "\t\t\t\t\t# -1 disables\n"
    "\n"
    "# - Genetic Query Optimizer -\n"
    "\n"
    "#geqo = on\n"
    "#geqo_threshold = 12\n"
    "#geqo_effort = 5\t\t\t# range 1-10\n"
    "#geqo_pool_size = 0\t\t\t# selects default based on effort\n"
    "#geqo_generations = 0\t\t\t# selects default based on effort\n"
    "#geqo_selection_bias = 2.0\t\t# range 1.5-2.0\n"
    "#geqo_seed = 0.0\t\t\t# range 0.0-1.0\n"
    "\n"
    "# - Other Planner Options -\n"
    "\n"
    "#default_statistics_target = 100\t# range 1-10000\n"
    "#constraint_exclusion = partition\t# on, off, or partition\n"
    "#cursor_tuple_fraction = 0.1\t\t# range 0.0-1.0\n"
    "#from_collapse_limit = 8\n"
    "#jit = on\t\t\t\t# allow JIT compilation\n"
    "#join_collapse_limit = 8\t\t# 1 disables collapsing of explicit\n"
    "\t\t\t\t\t# JOIN clauses\n"
    "#plan_cache_mode = auto\t\t\t# auto, force_generic_plan or\n"
    "\t\t\t\t\t# force_custom_plan\n"
    "#recursive_worktable_factor = 10.0\t# range 0.001-1000000\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# REPORTING AND LOGGING\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# - Where to Log -\n"
    "\n"
    "#log_destination = 'stderr'\t\t# Valid values are combinations of\n"
    "\t\t\t\t\t# stderr, csvlog, jsonlog, syslog, and\n"
    "\t\t\t\t\t# eventlog, depending on platform.\n"
    "\t\t\t\t\t# csvlog and jsonlog require\n"
    "\t\t\t\t\t# logging_collector to be on.\n"
    "\n"
    "# This is used when logging to stderr:\n"
    "#logging_collector = off\t\t# Enable capturing of stderr, jsonlog,\n"
    "\t\t\t\t\t# and csvlog into log files. Required\n"
    "\t\t\t\t\t# to be on for csvlogs and jsonlogs.\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "\n"
    "# These are only used if logging_collector is on:\n"
    "#log_directory = 'log'\t\t\t# directory where log files are written,\n"
    "\t\t\t\t\t# can be absolute or relative to PGDATA\n"
    "#log_filename = 'postgresql-%Y-%m-%d_%H%M%S.log'\t# log file name pattern,\n"
    "\t\t\t\t\t# can include strftime() escapes\n"
    "#log_file_mode = 0600\t\t\t# creation mode for log files,\n"
    "\t\t\t\t\t# begin with 0 to use octal notation\n"
    "#log_rotation_age = 1d\t\t\t# Automatic rotation of logfiles will\n"
    "\t\t\t\t\t# happen after that time.  0 disables.\n"
    "#log_rotation_size = 10MB\t\t# Automatic rotation of logfiles will\n"
    "\t\t\t\t\t# happen after that much log output.\n"
    "\t\t\t\t\t# 0 disables.\n"
    "#log_truncate_on_rotation = off\t\t# If on, an existing log file with the\n"
    "\t\t\t\t\t# same name as the new log file will be\n"
    "\t\t\t\t\t# truncated rather than appended to.\n"
    "\t\t\t\t\t# But such truncation only occurs on\n"
    "\t\t\t\t\t# time-driven rotation, not on restarts\n"
    "\t\t\t\t\t# or size-driven rotation.  Default is\n"
    "\t\t\t\t\t# off, meaning append to existing files\n"
    "\t\t\t\t\t# in all cases.\n"
    "\n"
    "# These are relevant when logging to syslog:\n"
    "#syslog_facility = 'LOCAL0'\n"
    "#syslog_ident = 'postgres'\n"
    "#syslog_sequence_numbers = on\n"
    "#syslog_split_messages = on\n"
    "\n"
    "# This is only relevant when logging to eventlog (Windows):\n"
    "# (change requires restart)\n"
    "#event_source = 'PostgreSQL'\n"
    "\n"
    "# - When to Log -\n"
    "\n"
    "#log_min_messages = warning\t\t# values in order of decreasing detail:\n"
    "\t\t\t\t\t#   debug5\n"
    "\t\t\t\t\t#   debug4\n"
    "\t\t\t\t\t#   debug3\n"
    "\t\t\t\t\t#   debug2\n"
    "\t\t\t\t\t#   debug1\n"
    "\t\t\t\t\t#   info\n"
    "\t\t\t\t\t#   notice\n"
    "\t\t\t\t\t#   warning\n"
    "\t\t\t\t\t#   error\n"
    "\t\t\t\t\t#   log\n"
    "\t\t\t\t\t#   fatal\n"
    "\t\t\t\t\t#   panic\n"
    "\n"
    "#log_min_error_statement = error\t# values in order of decreasing detail:\n"
    "\t\t\t\t\t#   debug5\n"
    "\t\t\t\t\t#   debug4\n"
    "\t\t\t\t\t#   debug3\n"
    "\t\t\t\t\t#   debug2\n"
    "\t\t\t\t\t#   debug1\n"
    "\t\t\t\t\t#   info\n"
    "\t\t\t\t\t#   notice\n"
    "\t\t\t\t\t#   warning\n"
    "\t\t\t\t\t#   error\n"
    "\t\t\t\t\t#   log\n"
    "\t\t\t\t\t#   fatal\n"
    "\t\t\t\t\t#   panic (effectively off)\n"
    "\n"
    "#log_min_duration_statement = -1\t# -1 is disabled, 0 logs all statements\n"
    "\t\t\t\t\t# and their durations, > 0 logs only\n"
    "\t\t\t\t\t# statements running at least this number\n"
    "\t\t\t\t\t# of milliseconds\n"
    "\n"
    "#log_min_duration_sample = -1\t\t# -1 is disabled, 0 logs a sample of statements\n"
    "\t\t\t\t\t# and their durations, > 0 logs only a sample of\n"
    "\t\t\t\t\t# statements running at least this number\n"
    "\t\t\t\t\t# of milliseconds;\n"
    "\t\t\t\t\t# sample fraction is determined by log_statement_sample_rate\n"
    "\n"
    "#log_statement_sample_rate = 1.0\t# fraction of logged statements exceeding\n"
    "\t\t\t\t\t# log_min_duration_sample to be logged;\n"
    "\t\t\t\t\t# 1.0 logs all such statements, 0.0 never logs\n"
    "\n"
    "\n"
    "#log_transaction_sample_rate = 0.0\t# fraction of transactions whose statements\n"
    "\t\t\t\t\t# are logged regardless of their duration; 1.0 logs all\n"
    "\t\t\t\t\t# statements from all transactions, 0.0 never logs\n"
    "\n"
    "#log_startup_progress_interval = 10s\t# Time between progress updates for\n"
    "\t\t\t\t\t# long-running startup operations.\n"
    "\t\t\t\t\t# 0 disables the feature, > 0 indicates\n"
    "\t\t\t\t\t# the interval in milliseconds.\n"
    "\n"
    "# - What to Log -\n"
    "\n"
    "#debug_print_parse = off\n"
    "#debug_print_rewritten = off\n"
    "#debug_print_plan = off\n"
    "#debug_pretty_print = on\n"
    "#log_autovacuum_min_duration = 10min\t# log autovacuum activity;\n"
    "\t\t\t\t\t# -1 disables, 0 logs all actions and\n"
    "\t\t\t\t\t# their durations, > 0 logs only\n"
    "\t\t\t\t\t# actions running at least this number\n"
    "\t\t\t\t\t# of milliseconds.\n"
    "#log_checkpoints = on\n"
    "#log_connections = off\n"
    "#log_disconnections = off\n"
    "#log_duration = off\n"
    "#log_error_verbosity = default\t\t# terse, default, or verbose messages\n"
    "#log_hostname = off\n"
    "log_line_prefix = '%m [%p] %q%u@%d '\t\t# special values:\n"
    "\t\t\t\t\t#   %a = application name\n"
    "\t\t\t\t\t#   %u = user name\n"
    "\t\t\t\t\t#   %d = database name\n"
    "\t\t\t\t\t#   %r = remote host and port\n"
    "\t\t\t\t\t#   %h = remote host\n"
    "\t\t\t\t\t#   %b = backend type\n"
    "\t\t\t\t\t#   %p = process ID\n"
    "\t\t\t\t\t#   %P = process ID of parallel group leader\n"
    "\t\t\t\t\t#   %t = timestamp without milliseconds\n"
    "\t\t\t\t\t#   %m = timestamp with milliseconds\n"
    "\t\t\t\t\t#   %n = timestamp with milliseconds (as a Unix epoch)\n"
    "\t\t\t\t\t#   %Q = query ID (0 if none or not computed)\n"
    "\t\t\t\t\t#   %i = command tag\n"
    "\t\t\t\t\t#   %e = SQL state\n"
    "\t\t\t\t\t#   %c = session ID\n"
    "\t\t\t\t\t#   %l = session line number\n"
    "\t\t\t\t\t#   %s = session start timestamp\n"
    "\t\t\t\t\t#   %v = virtual transaction ID\n"
    "\t\t\t\t\t#   %x = transaction ID (0 if none)\n"
    "\t\t\t\t\t#   %q = stop here in non-session\n"
    "\t\t\t\t\t#        processes\n"
    "\t\t\t\t\t#   %% = '%'\n"
    "\t\t\t\t\t# e.g. '<%u%%%d> '\n"
    "#log_lock_waits = off\t\t\t# log lock waits >= deadlock_timeout\n"
    "#log_recovery_conflict_waits = off\t# log standby recovery conflict waits\n"
    "\t\t\t\t\t# >= deadlock_timeout\n"
    "#log_parameter_max_length = -1\t\t# when logging statements, limit logged\n"
    "\t\t\t\t\t# bind-parameter values to N bytes;\n"
    "\t\t\t\t\t# -1 means print in full, 0 disables\n"
    "#log_parameter_max_length_on_error = 0\t# when logging an error, limit logged\n"
    "\t\t\t\t\t# bind-parameter values to N bytes;\n"
    "\t\t\t\t\t# -1 means print in full, 0 disables\n"
    "#log_statement = 'none'\t\t\t# none, ddl, mod, all\n"
    "#log_replication_commands = off\n"
    "#log_temp_files = -1\t\t\t# log temporary files equal or larger\n"
    "\t\t\t\t\t# than the specified size in kilobytes;\n"
    "\t\t\t\t\t# -1 disables, 0 logs all temp files\n"
    "log_timezone = 'Etc/UTC'\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# PROCESS TITLE\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "cluster_name = '15/main'\t\t\t# added to process titles if nonempty\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#update_process_title = on\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# STATISTICS\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# - Cumulative Query and Index Statistics -\n"
    "\n"
    "#track_activities = on\n"
    "#track_activity_query_size = 1024\t# (change requires restart)\n"
    "#track_counts = on\n"
    "#track_io_timing = off\n"
    "#track_wal_io_timing = off\n"
    "#track_functions = none\t\t\t# none, pl, all\n"
    "#stats_fetch_consistency = cache\n"
    "\n"
    "\n"
    "# - Monitoring -\n"
    "\n"
    "#compute_query_id = auto\n"
    "#log_statement_stats = off\n"
    "#log_parser_stats = off\n"
    "#log_planner_stats = off\n"
    "#log_executor_stats = off\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# AUTOVACUUM\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "#autovacuum = on\t\t\t# Enable autovacuum subprocess?  'on'\n"
    "\t\t\t\t\t# requires track_counts to also be on.\n"
    "#autovacuum_max_workers = 3\t\t# max number of autovacuum subprocesses\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#autovacuum_naptime = 1min\t\t# time between autovacuum runs\n"
    "#autovacuum_vacuum_threshold = 50\t# min number of row updates before\n"
    "\t\t\t\t\t# vacuum\n"
    "#autovacuum_vacuum_insert_threshold = 1000\t# min number of row inserts\n"
    "\t\t\t\t\t# before vacuum; -1 disables insert\n"
    "\t\t\t\t\t# vacuums\n"
    "#autovacuum_analyze_threshold = 50\t# min number of row updates before\n"
    "\t\t\t\t\t# analyze\n"
    "#autovacuum_vacuum_scale_factor = 0.2\t# fraction of table size before vacuum\n"
    "#autovacuum_vacuum_insert_scale_factor = 0.2\t# fraction of inserts over table\n"
    "\t\t\t\t\t# size before insert vacuum\n"
    "#autovacuum_analyze_scale_factor = 0.1\t# fraction of table size before analyze\n"
    "#autovacuum_freeze_max_age = 200000000\t# maximum XID age before forced vacuum\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#autovacuum_multixact_freeze_max_age = 400000000\t# maximum multixact age\n"
    "\t\t\t\t\t# before forced vacuum\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#autovacuum_vacuum_cost_delay = 2ms\t# default vacuum cost delay for\n"
    "\t\t\t\t\t# autovacuum, in milliseconds;\n"
    "\t\t\t\t\t# -1 means use vacuum_cost_delay\n"
    "#autovacuum_vacuum_cost_limit = -1\t# default vacuum cost limit for\n"
    "\t\t\t\t\t# autovacuum, -1 means use\n"
    "\t\t\t\t\t# vacuum_cost_limit\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# CLIENT CONNECTION DEFAULTS\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# - Statement Behavior -\n"
    "\n"
    "#client_min_messages = notice\t\t# values in order of decreasing detail:\n"
    "\t\t\t\t\t#   debug5\n"
    "\t\t\t\t\t#   debug4\n"
    "\t\t\t\t\t#   debug3\n"
    "\t\t\t\t\t#   debug2\n"
    "\t\t\t\t\t#   debug1\n"
    "\t\t\t\t\t#   log\n"
    "\t\t\t\t\t#   notice\n"
    "\t\t\t\t\t#   warning\n"
    "\t\t\t\t\t#   error\n"
    "#search_path = '\"$user\", public'\t# schema names\n"
    "#row_security = on\n"
    "#default_table_access_method = 'heap'\n"
    "#default_tablespace = ''\t\t# a tablespace name, '' uses the default\n"
    "#default_toast_compression = 'pglz'\t# 'pglz' or 'lz4'\n"
    "#temp_tablespaces = ''\t\t\t# a list of tablespace names, '' uses\n"
    "\t\t\t\t\t# only default tablespace\n"
    "#check_function_bodies = on\n"
    "#default_transaction_isolation = 'read committed'\n"
    "#default_transaction_read_only = off\n"
    "#default_transaction_deferrable = off\n"
    "#session_replication_role = 'origin'\n"
    "#statement_timeout = 0\t\t\t# in milliseconds, 0 is disabled\n"
    "#lock_timeout = 0\t\t\t# in milliseconds, 0 is disabled\n"
    "#idle_in_transaction_session_timeout = 0\t# in milliseconds, 0 is disabled\n"
    "#idle_session_timeout = 0\t\t# in milliseconds, 0 is disabled\n"
    "#vacuum_freeze_table_age = 150000000\n"
    "#vacuum_freeze_min_age = 50000000\n"
    "#vacuum_failsafe_age = 1600000000\n"
    "#vacuum_multixact_freeze_table_age = 150000000\n"
    "#vacuum_multixact_freeze_min_age = 5000000\n"
    "#vacuum_multixact_failsafe_age = 1600000000\n"
    "#bytea_output = 'hex'\t\t\t# hex, escape\n"
    "#xmlbinary = 'base64'\n"
    "#xmloption = 'content'\n"
    "#gin_pending_list_limit = 4MB\n"
    "\n"
    "# - Locale and Formatting -\n"
    "\n"
    "datestyle = 'iso, mdy'\n"
    "#intervalstyle = 'postgres'\n"
    "timezone = 'Etc/UTC'\n"
    "#timezone_abbreviations = 'Default'     # Select the set of available time zone\n"
    "\t\t\t\t\t# abbreviations.  Currently, there are\n"
    "\t\t\t\t\t#   Default\n"
    "\t\t\t\t\t#   Australia (historical usage)\n"
    "\t\t\t\t\t#   India\n"
    "\t\t\t\t\t# You can create your own file in\n"
    "\t\t\t\t\t# share/timezonesets/.\n"
    "#extra_float_digits = 1\t\t\t# min -15, max 3; any value >0 actually\n"
    "\t\t\t\t\t# selects precise output mode\n"
    "#client_encoding = sql_ascii\t\t# actually, defaults to database\n"
    "\t\t\t\t\t# encoding\n"
    "\n"
    "# These settings are initialized by initdb, but they can be changed.\n"
    "lc_messages = 'C.UTF-8'\t\t\t# locale for system error message\n"
    "\t\t\t\t\t# strings\n"
    "lc_monetary = 'C.UTF-8'\t\t\t# locale for monetary formatting\n"
    "lc_numeric = 'C.UTF-8'\t\t\t# locale for number formatting\n"
    "lc_time = 'C.UTF-8'\t\t\t\t# locale for time formatting\n"
    "\n"
    "# default configuration for text search\n"
    "default_text_search_config = 'pg_catalog.english'\n"
    "\n"
    "# - Shared Library Preloading -\n"
    "\n"
    "#local_preload_libraries = ''\n"
    "#session_preload_libraries = ''\n"
    "#shared_preload_libraries = ''\t# (change requires restart)\n"
    "#jit_provider = 'llvmjit'\t\t# JIT library to use\n"
    "\n"
    "# - Other Defaults -\n"
    "\n"
    "#dynamic_library_path = '$libdir'\n"
    "#extension_destdir = ''\t\t\t# prepend path when loading extensions\n"
    "\t\t\t\t\t# and shared objects (added by Debian)\n"
    "#gin_fuzzy_search_limit = 0\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# LOCK MANAGEMENT\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "#deadlock_timeout = 1s\n"
    "#max_locks_per_transaction = 64\t\t# min 10\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#max_pred_locks_per_transaction = 64\t# min 10\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#max_pred_locks_per_relation = -2\t# negative values mean\n"
    "\t\t\t\t\t# (max_pred_locks_per_transaction\n"
    "\t\t\t\t\t#  / -max_pred_locks_per_relation) - 1\n"
    "#max_pred_locks_per_page = 2            # min 0\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# VERSION AND PLATFORM COMPATIBILITY\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# - Previous PostgreSQL Versions -\n"
    "\n"
    "#array_nulls = on\n"
    "#backslash_quote = safe_encoding\t# on, off, or safe_encoding\n"
    "#escape_string_warning = on\n"
    "#lo_compat_privileges = off\n"
    "#quote_all_identifiers = off\n"
    "#standard_conforming_strings = on\n"
    "#synchronize_seqscans = on\n"
    "\n"
    "# - Other Platforms and Clients -\n"
    "\n"
    "#transform_null_equals = off\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# ERROR HANDLING\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "#exit_on_error = off\t\t\t# terminate session on any error?\n"
    "#restart_after_crash = on\t\t# reinitialize after backend crash?\n"
    "#data_sync_retry = off\t\t\t# retry or panic on failure to fsync\n"
    "\t\t\t\t\t# data?\n"
    "\t\t\t\t\t# (change requires restart)\n"
    "#recovery_init_sync_method = fsync\t# fsync, syncfs (Linux 5.8+)\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# CONFIG FILE INCLUDES\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# These options allow settings to be loaded from files other than the\n"
    "# default postgresql.conf.  Note that these are directives, not variable\n"
    "# assignments, so they can usefully be given more than once.\n"
    "\n"
    "include_dir = 'conf.d'\t\t\t# include files ending in '.conf' from\n"
    "\t\t\t\t\t# a directory, e.g., 'conf.d'\n"
    "#include_if_exists = '...'\t\t# include file only if it exists\n"
    "#include = '...'\t\t\t# include file\n"
    "\n"
    "\n"
    "#------------------------------------------------------------------------------\n"
    "# CUSTOMIZED OPTIONS\n"
    "#------------------------------------------------------------------------------\n"
    "\n"
    "# Add settings for extensions here\n";

static void test_load_debian15(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, debian15_conf);
	tree_mkdir(&f->t, "/etc/postgresql/15/main/conf.d");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "data_directory", "/var/lib/postgresql/15/main", MAIN, 42);
	fx_assert(f, "port", "5432", MAIN, 64);
	fx_assert(f, "max_connections", "100", MAIN, 65);
	fx_assert(f, "shared_buffers", "128MB", MAIN, 127);
	fx_assert(f, "log_line_prefix", "%m [%p] %q%u@%d ", MAIN, 559);
	fx_assert(f, "datestyle", "iso, mdy", MAIN, 711);
	fx_assert(f, "ssl", "off", MAIN, 105);
	assert_int_equal(f->c.n, 24);
	int64_t v;
	assert_int_equal(pg_parse_int(pgconf_get(&f->c, "shared_buffers")->value, PGU_BLOCKS, &v),
	                 0);
	assert_int_equal(v, 16384);
	assert_int_equal(pg_parse_int(pgconf_get(&f->c, "max_wal_size")->value, PGU_MB, &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(pg_parse_bool(pgconf_get(&f->c, "ssl")->value), 0);
	assert_null(pgconf_get(&f->c, "work_mem")); /* commented out */

	/* What a tuning tool drops into conf.d wins over the stock file. */
	pgconf_release(&f->c);
	tree_put(&f->t, "/etc/postgresql/15/main/conf.d/50-tune.conf", "shared_buffers = '2GB'\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "shared_buffers", "2GB", "/etc/postgresql/15/main/conf.d/50-tune.conf", 1);
	assert_int_equal(f->c.files.n, 2);
}

#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_int),
	    cmocka_unit_test(test_parse_int_locale),
	    cmocka_unit_test(test_parse_bool),
	    cmocka_unit_test(test_lex_ok),
	    cmocka_unit_test(test_lex_errors),
	    cmocka_unit_test(test_parse_cb_stops),
	    cmocka_unit_test(test_set_get),
	    FX_TEST(test_load_includes),
	    FX_TEST(test_load_include_if_exists),
	    FX_TEST(test_load_include_missing),
	    FX_TEST(test_load_include_dir),
	    FX_TEST(test_load_include_dir_missing),
	    FX_TEST(test_load_later_wins),
	    FX_TEST(test_load_twice),
	    FX_TEST(test_load_loop),
	    FX_TEST(test_load_depth),
	    FX_TEST(test_load_errors),
	    FX_TEST(test_load_many),
	    FX_TEST(test_load_too_many_files),
	    FX_TEST(test_load_debian15),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
