// SPDX-License-Identifier: MIT
/* Tests for workload/mycnf: option-file syntax, the prefixes of names, loading
 * trees with !include and !includedir under a temporary root, and the number and
 * boolean readers. Cases marked "server" were run through my_print_defaults or
 * mariadbd of MariaDB 10.11.19 (Debian 12), which read option files with the
 * server's own code, and gave the result written here. */
#include <errno.h>
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
#include "workload/mycnf.h"
#include "tree.h"
#include "util/banned.h"

/* "group|name=value" per assignment and line; "*" for no group, no "=" for a
 * bare name. */
static char *dump(const struct mycnf *c)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < c->n; i++) {
		const struct mycnf_opt *o = &c->v[i];
		buf_appendf(&b, "%s|%s", o->group ? o->group : "*", o->name);
		if (o->value)
			buf_appendf(&b, "=%s", o->value);
		buf_putc(&b, '\n');
	}
	return buf_detach(&b);
}

/* ---- syntax ---- */

/* A literal with its exact length, for inputs holding a NUL byte. */
#define BYTES(s) s, sizeof(s) - 1

static const struct syntax_case {
	const char *in;
	size_t len; /* 0: strlen(in) */
	const char *want;
} syntax_cases[] = {
    /* server: names, '-' as '_', blanks around '=' */
    {"[mysqld]\nmax_connections = 500\nmax-connections=600\n  table_open_cache\t=\t42  \n", 0,
     "mysqld|max_connections=500\nmysqld|max_connections=600\nmysqld|table_open_cache=42\n"},
    /* server: comments at line start, and a '#' outside quotes anywhere */
    {"# c\n; c\n   # c\n\t; c\n[mysqld]\na=b#c\nb = x # y\nna#me = 1\n", 0,
     "mysqld|a=b\nmysqld|b=x\nmysqld|na\n"},
    /* server: ';' is a comment only at line start */
    {"[mysqld]\na = b ; c\n", 0, "mysqld|a=b ; c\n"},
    /* server: quotes */
    {"[mysqld]\nc = \"q # r\" # s\nd = 'it''s'\nj = '\"'\ni = \"\nk = \"a' \nl = ''\n", 0,
     "mysqld|c=q # r\nmysqld|d=it''s\nmysqld|j=\"\nmysqld|i=\"\nmysqld|k=\"a'\nmysqld|l=\n"},
    /* server: escapes, in quoted and bare values; unknown ones keep the backslash */
    {"[mysqld]\ne = \"a\\tb\\sc\\x\\\\\"\nf = a\\nb\\r\\b\\\"\\'\ng = x\\\n", 0,
     "mysqld|e=a\tb c\\x\\\nmysqld|f=a\nb\r\b\"'\nmysqld|g=x\\\n"},
    /* server: an escaped quote inside quotes does not end them for the comment */
    {"[mysqld]\nv = 'a\\'#b' #c\n", 0, "mysqld|v=a'#b\n"},
    /* server: bare names and empty values */
    {"[mysqld]\nf\n g = 1\nh=\nh2 =   \n", 0, "mysqld|f\nmysqld|g=1\nmysqld|h=\nmysqld|h2=\n"},
    /* server: group headers keep leading blanks and case, drop what follows ']' */
    {"[ Mysqld ]\nk=1\n[MYSQLD]\nl=2\n[mysqld]junk\nm=3\n[mysqld ]\nn=4\n[]\no=5\n[a#b]\np=6\n", 0,
     " Mysqld|k=1\nMYSQLD|l=2\nmysqld|m=3\nmysqld|n=4\n|o=5\na#b|p=6\n"},
    /* server: CR LF line ends */
    {"[mysqld]\r\nx = 1\r\ny\r\n", 0, "mysqld|x=1\nmysqld|y\n"},
    /* server: unknown directives, and "!include" at the very end without a
     * newline, which is not followed by a blank and so no directive */
    {"[mysqld]\n!foo bar\n!\nx=1\n!include", 0, "mysqld|x=1\n"},
    /* server: a NUL ends a line's text */
    {BYTES("[mysqld]\nab\0cd=1\nx=2\n"), "mysqld|ab\nmysqld|x=2\n"},
    /* getopt prefixes (my_getopt.c handle_options) */
    {"[mysqld]\nloose-max-connections=5\nloose_skip_large_pages\nskip-x=0\nskip-y=1\n"
     "enable-z\nenable-w=0\nenable-v=5\ndisable_u\nmaximum-max_connections=9\n"
     "autoset-back-log\nloose-loose-t=3\nskip-loose-s\nskip-enable-r\n",
     0,
     "mysqld|max_connections=5\nmysqld|large_pages=0\nmysqld|x=1\nmysqld|y=0\nmysqld|z=1\n"
     "mysqld|w=0\nmysqld|v=1\nmysqld|u=0\nmysqld|maximum_max_connections=9\n"
     "mysqld|autoset_back_log\nmysqld|t=3\nmysqld|s=0\nmysqld|r=1\n"},
    /* names are case-sensitive in the server: kept as written */
    {"[mysqld]\nMax_Connections=1\n", 0, "mysqld|Max_Connections=1\n"},
    /* each group applies to the lines after it */
    {"[client]\nsocket=/s\n[mysqld]\nsocket=/t\n[client-server]\nport=1\n", 0,
     "client|socket=/s\nmysqld|socket=/t\nclient-server|port=1\n"},
    /* an empty file and one of comments only */
    {"", 0, ""},
    {"# only\n\n", 0, ""},
};

static void test_syntax(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(syntax_cases); i++) {
		const struct syntax_case *t = &syntax_cases[i];
		struct mycnf c = {0};
		struct perr e = {0};
		int rc =
		    mycnf_parse(t->in, t->len ? t->len : strlen(t->in), "/t.cnf", &c, NULL, &e);
		char *got = dump(&c);
		if (rc != 0 || strcmp(got, t->want))
			fail_msg("case %zu: rc %d (%s), got\n%s\nwant\n%s", i, rc, e.msg, got,
			         t->want);
		free(got);
		mycnf_release(&c);
	}
}

/* server: a line longer than the 4094 bytes fgets() takes goes on as the next
 * line: the tail of a long comment becomes an option, and line numbers count the
 * pieces. */
static void test_long_lines(void **state)
{
	(void)state;
	struct buf in = BUF_INIT;
	buf_puts(&in, "[mysqld]\n#");
	for (int i = 0; i < 4100; i++)
		buf_putc(&in, 'a');
	buf_puts(&in, "\nx=1\n");
	struct mycnf c = {0};
	struct perr e = {0};
	assert_int_equal(mycnf_parse(buf_str(&in), in.len, "/t.cnf", &c, NULL, &e), 0);
	char *got = dump(&c);
	assert_string_equal(got, "mysqld|aaaaaaa\nmysqld|x=1\n");
	assert_string_equal(c.v[0].origin, "'/t.cnf' line 3");
	assert_string_equal(c.v[1].origin, "'/t.cnf' line 4");
	free(got);
	mycnf_release(&c);
	buf_release(&in);
}

static const struct error_case {
	const char *in;
	unsigned line;
	const char *msg;
	const char *kept; /* assignments before the error */
} error_cases[] = {
    /* server: "Found option without preceding group" */
    {"x=1\n", 1, "option without a preceding [group]", ""},
    {"# c\n\n  y\n", 3, "option without a preceding [group]", ""},
    /* server: "Wrong group definition" */
    {"[mysqld]\na=1\n[mysqld\nb=2\n", 3, "group header without ']'", "mysqld|a=1\n"},
    /* server: "Wrong '!include' directive" */
    {"[mysqld]\n!include\n", 2, "'!include' without an argument", ""},
    {"[mysqld]\n!include   \t\n", 2, "'!include' without an argument", ""},
    {"[mysqld]\n! includedir \n", 2, "'!includedir' without an argument", ""},
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(error_cases); i++) {
		const struct error_case *t = &error_cases[i];
		struct mycnf c = {0};
		struct perr e = {0};
		int rc = mycnf_parse(t->in, strlen(t->in), "/t.cnf", &c, NULL, &e);
		char *got = dump(&c);
		if (rc != -EINVAL || e.line != t->line || strcmp(e.msg, t->msg) ||
		    strcmp(got, t->kept))
			fail_msg("case %zu: rc %d line %u '%s' kept '%s'", i, rc, e.line, e.msg,
			         got);
		free(got);
		mycnf_release(&c);
	}
}

/* What the callback gets: the trimmed argument, with the last byte of an
 * unterminated last line cut as get_argument() cuts it. */
struct seen {
	struct buf b;
	int rc;
};

static int seen_cb(enum mycnf_directive kind, const char *arg, unsigned line, void *ctx)
{
	struct seen *s = ctx;
	buf_appendf(&s->b, "%s %s @%u\n", kind == MYCNF_INCLUDE ? "inc" : "dir", arg, line);
	return s->rc;
}

static void test_directives(void **state)
{
	(void)state;
	struct seen s = {BUF_INIT, 0};
	struct mycnf_include_cb cb = {seen_cb, &s, false};
	struct mycnf c = {0};
	struct perr e = {0};
	const char *in = "!include /a.cnf  \n  !  includedir\t/d/ \r\n[x]\n!includex /no\n"
	                 "!include rel.cnf\n!include /last.cnf";
	assert_int_equal(mycnf_parse(in, strlen(in), "/t.cnf", &c, &cb, &e), 0);
	assert_string_equal(buf_str(&s.b), "inc /a.cnf @1\ndir /d/ @2\ninc rel.cnf @5\n"
	                                   "inc /last.cn @6\n");
	/* A negative return stops the file with that value. */
	buf_reset(&s.b);
	s.rc = -E2BIG;
	assert_int_equal(mycnf_parse("[x]\na=1\n!include /a\nb=2\n", 22, "/t.cnf", &c, &cb, &e),
	                 -E2BIG);
	char *got = dump(&c);
	assert_string_equal(got, "x|a=1\n");
	free(got);
	mycnf_release(&c);
	/* At the maximum depth every '!' line is skipped with a warning, unchecked. */
	cb.at_max_depth = true;
	assert_int_equal(mycnf_parse("[x]\n!include\n!include /a\n", 26, "/t.cnf", &c, &cb, &e), 0);
	assert_int_equal(c.warnings.n, 2);
	assert_string_equal(c.warnings.v[1], "'/t.cnf' line 3: directive skipped as the maximum "
	                                     "include recursion level was reached '!include /a'");
	mycnf_release(&c);
	buf_release(&s.b);
}

/* ---- mycnf_get and mycnf_add ---- */

static void test_get(void **state)
{
	(void)state;
	const char *in = "[mysqld]\nmax_connections=100\n[client]\nmax_connections=1\n"
	                 "[MariaDB-10.11]\nmax-connections=200\n[mysqld]\nuser=mysql\n";
	struct mycnf c = {0};
	struct perr e = {0};
	assert_int_equal(mycnf_parse(in, strlen(in), "/m.cnf", &c, NULL, &e), 0);
	const char *const server[] = {"mysqld", "mariadb-10.11", NULL};
	const char *const mysqld[] = {"mysqld", NULL};
	const char *const none[] = {NULL};

	const struct mycnf_opt *o = mycnf_get(&c, server, "max-connections");
	assert_non_null(o);
	assert_string_equal(o->value, "200");
	assert_string_equal(o->origin, "'/m.cnf' line 6");
	o = mycnf_get(&c, mysqld, "max_connections");
	assert_string_equal(o->value, "100");
	assert_null(mycnf_get(&c, none, "max_connections"));
	assert_null(mycnf_get(&c, NULL, "max_connections"));
	assert_null(mycnf_get(&c, server, "table_open_cache"));
	assert_null(mycnf_get(&c, server, NULL));

	/* Options without a group (the command line) apply to every group list, and
	 * a later file line still wins over an earlier one of them. */
	mycnf_add(&c, "skip-large-pages", NULL, "command line");
	mycnf_add(&c, "max-connections", "500", "command line");
	o = mycnf_get(&c, none, "max_connections");
	assert_string_equal(o->value, "500");
	assert_string_equal(o->origin, "command line");
	o = mycnf_get(&c, mysqld, "large_pages");
	assert_string_equal(o->value, "0");
	assert_null(o->group);
	mycnf_release(&c);
}

/* ---- loading trees ---- */

struct fx {
	struct tree t;
	struct mycnf c;
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
	mycnf_release(&f->c);
	tree_release(&f->t);
	free(f);
	return 0;
}

static int fx_load(struct fx *f, const char *path)
{
	return mycnf_load(&f->t.r, path, &f->c, f->err, sizeof(f->err));
}

static void fx_assert_dump(struct fx *f, const char *want)
{
	char *got = dump(&f->c);
	if (strcmp(got, want))
		fail_msg("got\n%s\nwant\n%s", got, want);
	free(got);
}

/* Checks text with each "%s" standing for the root. */
static void assert_rooted(const struct tree *t, const char *got, const char *fmt_with_roots)
{
	struct buf want = BUF_INIT;
	for (const char *p = fmt_with_roots; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			buf_puts(&want, t->root);
			p++;
		} else {
			buf_putc(&want, *p);
		}
	}
	assert_string_equal(got, buf_str(&want));
	buf_release(&want);
}

static void fx_assert_files(struct fx *f, const char *const *want, size_t n)
{
	assert_int_equal(f->c.files.n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(f->c.files.v[i], tree_path(&f->t, want[i]));
}

/* server: !include by absolute and relative path (from "/"), the includer's group
 * going on after the include, a missing include skipped. */
static void test_load_include(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/etc/my.cnf",
	         "[mysqld]\na=1\n!include /etc/mysql/x.cnf\nb=2\n!include etc/rel.cnf\n"
	         "!include /etc/missing.cnf\nc=3\n");
	tree_put(&f->t, "/etc/mysql/x.cnf", "[client]\nx=1\n");
	tree_put(&f->t, "/etc/rel.cnf", "[mysqld]\nr=1\n");
	assert_int_equal(fx_load(f, "/etc/my.cnf"), 0);
	fx_assert_dump(f, "mysqld|a=1\nclient|x=1\nmysqld|b=2\nmysqld|r=1\nmysqld|c=3\n");
	const char *files[] = {"/etc/my.cnf", "/etc/mysql/x.cnf", "/etc/rel.cnf"};
	fx_assert_files(f, files, 3);
	assert_int_equal(f->c.warnings.n, 0);
	assert_rooted(&f->t, f->c.v[3].origin, "'%s/etc/rel.cnf' line 2");
}

/* server: !includedir reads names ending in ".cnf" after their last dot, hidden
 * ones too, in strcmp() order; directories are passed over. */
static void test_load_includedir(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/etc/mysql/my.cnf", "[mysqld]\nx=0\n!includedir /etc/mysql/d/\nlast=1\n");
	tree_put(&f->t, "/etc/mysql/d/b.cnf", "[mysqld]\nx=1\n");
	tree_put(&f->t, "/etc/mysql/d/a.cnf", "[mysqld]\nx=2\n");
	tree_put(&f->t, "/etc/mysql/d/c.conf", "[mysqld]\nx=3\n");
	tree_put(&f->t, "/etc/mysql/d/.h.cnf", "[mysqld]\nx=4\n");
	tree_put(&f->t, "/etc/mysql/d/Z.cnf", "[mysqld]\nx=5\n");
	tree_put(&f->t, "/etc/mysql/d/a.b.cnf", "[mysqld]\nx=6\n");
	tree_put(&f->t, "/etc/mysql/d/e.cnf.bak", "[mysqld]\nx=7\n");
	tree_put(&f->t, "/etc/mysql/d/f.CNF", "[mysqld]\nx=8\n");
	tree_put(&f->t, "/etc/mysql/d/sub.cnf/in.cnf", "[mysqld]\nx=9\n");
	assert_int_equal(fx_load(f, "/etc/mysql/my.cnf"), 0);
	fx_assert_dump(f, "mysqld|x=0\nmysqld|x=4\nmysqld|x=5\nmysqld|x=6\nmysqld|x=2\n"
	                  "mysqld|x=1\nmysqld|last=1\n");
	const char *const g[] = {"mysqld", NULL};
	assert_string_equal(mycnf_get(&f->c, g, "x")->value, "1");
}

/* server: a file including itself is read 11 times (levels 0 to 10) and the
 * directive at level 10 is skipped with a warning; A and B including each other
 * end on A, whose value wins. */
static void test_load_cycle(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/etc/self.cnf", "[mysqld]\nx=1\n!include /etc/self.cnf\n");
	assert_int_equal(fx_load(f, "/etc/self.cnf"), 0);
	assert_int_equal(f->c.n, 11);
	assert_int_equal(f->c.files.n, 11);
	assert_int_equal(f->c.warnings.n, 1);
	assert_rooted(&f->t, f->c.warnings.v[0],
	              "'%s/etc/self.cnf' line 3: directive skipped as the maximum include "
	              "recursion level was reached '!include /etc/self.cnf'");
	mycnf_release(&f->c);

	tree_put(&f->t, "/etc/A.cnf", "[mysqld]\nx=1\n!include /etc/B.cnf\n");
	tree_put(&f->t, "/etc/B.cnf", "[mysqld]\nx=2\n!include /etc/A.cnf\n");
	assert_int_equal(fx_load(f, "/etc/A.cnf"), 0);
	assert_int_equal(f->c.n, 11);
	const char *const g[] = {"mysqld", NULL};
	assert_string_equal(mycnf_get(&f->c, g, "x")->value, "1");
}

/* A chain of twelve files: the top is level 0, so files 0 to 10 are read and the
 * include in file 10 is skipped. */
static void test_load_depth(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 12; i++) {
		char path[32], text[64];
		snprintf(path, sizeof(path), "/etc/d%d.cnf", i);
		snprintf(text, sizeof(text), "[mysqld]\nlevel=%d\n!include /etc/d%d.cnf\n", i,
		         i + 1);
		tree_put(&f->t, path, text);
	}
	assert_int_equal(fx_load(f, "/etc/d0.cnf"), 0);
	assert_int_equal(f->c.files.n, 11);
	const char *const g[] = {"mysqld", NULL};
	assert_string_equal(mycnf_get(&f->c, g, "level")->value, "10");
	assert_int_equal(f->c.warnings.n, 1);
}

/* server: an error in an included file ends that file, keeps what it set before
 * and lets the includer go on; MariaDB starts with it. */
static void test_load_included_errors(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/etc/my.cnf",
	         "[mysqld]\n!include /etc/nogroup.cnf\n!include /etc/bad.cnf\n"
	         "!include /etc/nodir.cnf\ny=after\n");
	tree_put(&f->t, "/etc/nogroup.cnf", "x=2\n");
	tree_put(&f->t, "/etc/bad.cnf", "[mysqld]\nb=1\n[oops\nb=2\n");
	tree_put(&f->t, "/etc/nodir.cnf", "[mysqld]\nn=1\n!includedir /etc/none\nn=2\n");
	assert_int_equal(fx_load(f, "/etc/my.cnf"), 0);
	fx_assert_dump(f, "mysqld|b=1\nmysqld|n=1\nmysqld|y=after\n");
	assert_int_equal(f->c.warnings.n, 3);
	assert_rooted(&f->t, f->c.warnings.v[0],
	              "%s/etc/nogroup.cnf:1: option without a preceding [group]; the rest of "
	              "the file is not read");
	assert_rooted(&f->t, f->c.warnings.v[1],
	              "%s/etc/bad.cnf:3: group header without ']'; the rest of the file is not "
	              "read");
	assert_rooted(&f->t, f->c.warnings.v[2],
	              "%s/etc/nodir.cnf:3: cannot read directory '%s/etc/none': No such file or "
	              "directory; the rest of the file is not read");
	assert_string_equal(f->err, "");
}

/* Errors of the top file are the load's. */
static void test_load_errors(void **state)
{
	struct fx *f = *state;
	assert_int_equal(fx_load(f, "/etc/my.cnf"), -ENOENT);
	assert_rooted(&f->t, f->err, "cannot read '%s/etc/my.cnf': No such file or directory");

	/* server: "Found option without preceding group", fatal for the top file */
	tree_put(&f->t, "/etc/my.cnf", "# c\nx=1\n");
	assert_int_equal(fx_load(f, "/etc/my.cnf"), -EINVAL);
	assert_rooted(&f->t, f->err, "%s/etc/my.cnf:2: option without a preceding [group]");

	/* server: a missing !includedir is fatal: "Can't read dir of '/nonexistent/dir'" */
	tree_put(&f->t, "/etc/my.cnf", "[mysqld]\na=1\n!includedir /nonexistent/dir\n");
	mycnf_release(&f->c);
	assert_int_equal(fx_load(f, "/etc/my.cnf"), -EINVAL);
	assert_rooted(&f->t, f->err,
	              "%s/etc/my.cnf:3: cannot read directory '%s/nonexistent/dir': No such file "
	              "or directory");
	fx_assert_dump(f, "mysqld|a=1\n");
	mycnf_release(&f->c);

	/* A directory where the file should be reads as nothing. */
	tree_mkdir(&f->t, "/etc/dir.cnf");
	assert_int_equal(fx_load(f, "/etc/dir.cnf"), 0);
	assert_int_equal(f->c.n, 0);
}

/* server: "World-writable config file ... is ignored", for the top file and for
 * included ones, without failing. */
static void test_load_world_writable(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/etc/my.cnf", "[mysqld]\na=1\n!include /etc/ww.cnf\n");
	tree_put(&f->t, "/etc/ww.cnf", "[mysqld]\nw=1\n");
	assert_int_equal(chmod(tree_path(&f->t, "/etc/ww.cnf"), 0666), 0);
	assert_int_equal(fx_load(f, "/etc/my.cnf"), 0);
	fx_assert_dump(f, "mysqld|a=1\n");
	assert_int_equal(f->c.warnings.n, 1);
	assert_rooted(&f->t, f->c.warnings.v[0], "'%s/etc/ww.cnf': world-writable, ignored");
	mycnf_release(&f->c);
	assert_int_equal(fx_load(f, "/etc/ww.cnf"), 0);
	assert_int_equal(f->c.n, 0);
	assert_int_equal(f->c.files.n, 0);
}

/* server: the last line of a file without a newline loses its last byte as a
 * directive argument, so "!include /etc/b.cnf" there opens "/etc/b.cn". */
static void test_load_unterminated_include(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/etc/b.cnf", "[mysqld]\nb=1\n");
	tree_put(&f->t, "/etc/my.cnf", "[mysqld]\na=1\n!include /etc/b.cnf");
	assert_int_equal(fx_load(f, "/etc/my.cnf"), 0);
	fx_assert_dump(f, "mysqld|a=1\n");
	mycnf_release(&f->c);
	tree_put(&f->t, "/etc/my.cnf", "[mysqld]\na=1\n!include /etc/b.cnf ");
	assert_int_equal(fx_load(f, "/etc/my.cnf"), 0);
	fx_assert_dump(f, "mysqld|a=1\nmysqld|b=1\n");
}

/* Three files in a directory each including the directory would make 3^10 reads;
 * kres stops at 1000 files. */
static void test_load_too_many(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/etc/my.cnf", "[mysqld]\n!includedir /etc/d\n");
	tree_put(&f->t, "/etc/d/1.cnf", "[mysqld]\na=1\n!includedir /etc/d\n");
	tree_put(&f->t, "/etc/d/2.cnf", "[mysqld]\na=2\n!includedir /etc/d\n");
	tree_put(&f->t, "/etc/d/3.cnf", "[mysqld]\na=3\n!includedir /etc/d\n");
	assert_int_equal(fx_load(f, "/etc/my.cnf"), -EINVAL);
	assert_string_equal(f->err, "more than 1000 option files included");
	assert_int_equal(f->c.files.n, 1000);
}

/* Debian 12's stock MariaDB 10.11 files (mariadb-common, mariadb-server). */
static const char debian_mariadb_cnf[] =
#include "mycnf_debian_mariadb.inc"
    ;
static const char debian_50_server_cnf[] =
#include "mycnf_debian_50_server.inc"
    ;

/* server: the tree as Debian installs it, with my.cnf a link through
 * /etc/alternatives; the groups mariadbd reads give what
 * "my_print_defaults --defaults-file=/etc/mysql/my.cnf <its groups>" printed. */
static void test_load_debian(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/etc/mysql/mariadb.cnf", debian_mariadb_cnf);
	tree_symlink(&f->t, "/etc/alternatives/my.cnf", "/etc/mysql/mariadb.cnf");
	tree_symlink(&f->t, "/etc/mysql/my.cnf", "/etc/alternatives/my.cnf");
	tree_put(&f->t, "/etc/mysql/conf.d/mysql.cnf", "[mysql]\n");
	tree_put(&f->t, "/etc/mysql/conf.d/mysqldump.cnf",
	         "[mysqldump]\nquick\nquote-names\nmax_allowed_packet\t= 16M\n");
	tree_put(&f->t, "/etc/mysql/mariadb.conf.d/50-server.cnf", debian_50_server_cnf);
	tree_put(&f->t, "/etc/mysql/mariadb.conf.d/50-client.cnf", "[client]\n[client-mariadb]\n");
	tree_put(&f->t, "/etc/mysql/mariadb.conf.d/50-mysql-clients.cnf",
	         "[mysql]\n[mysql_upgrade]\n[mysqladmin]\n[mysqlbinlog]\n[mysqlcheck]\n"
	         "[mysqldump]\n[mysqlimport]\n[mysqlshow]\n[mysqlslap]\n");
	tree_put(&f->t, "/etc/mysql/mariadb.conf.d/60-galera.cnf", "[galera]\n#wsrep_on = ON\n");
	tree_put(&f->t, "/etc/mysql/mariadb.conf.d/50-mysqld_safe.cnf",
	         "[mysqld_safe]\nnice = 0\nskip_log_error\nsyslog\n");
	const char *providers[] = {"bzip2", "lz4", "lzma", "lzo", "snappy"};
	for (size_t i = 0; i < ARRAY_SIZE(providers); i++) {
		char path[96], text[128];
		snprintf(path, sizeof(path), "/etc/mysql/mariadb.conf.d/provider_%s.cnf",
		         providers[i]);
		snprintf(
		    text, sizeof(text),
		    "[server]\nplugin_load_add=provider_%s\nprovider_%s=force_plus_permanent\n",
		    providers[i], providers[i]);
		tree_put(&f->t, path, text);
	}
	assert_int_equal(fx_load(f, "/etc/mysql/my.cnf"), 0);
	const char *const groups[] = {
	    "mysqld",   "server",         "mysqld-10.11",  "mariadb", "mariadb-10.11",
	    "mariadbd", "mariadbd-10.11", "client-server", "galera",  NULL};
	struct buf got = BUF_INIT;
	for (size_t i = 0; i < f->c.n; i++) {
		const struct mycnf_opt *o = &f->c.v[i];
		for (size_t k = 0; groups[k]; k++)
			if (!strcmp(o->group, groups[k]))
				buf_appendf(&got, "--%s=%s\n", o->name, o->value);
	}
	assert_string_equal(buf_str(&got), "--socket=/run/mysqld/mysqld.sock\n"
	                                   "--pid_file=/run/mysqld/mysqld.pid\n"
	                                   "--basedir=/usr\n"
	                                   "--bind_address=127.0.0.1\n"
	                                   "--expire_logs_days=10\n"
	                                   "--character_set_server=utf8mb4\n"
	                                   "--collation_server=utf8mb4_general_ci\n"
	                                   "--plugin_load_add=provider_bzip2\n"
	                                   "--provider_bzip2=force_plus_permanent\n"
	                                   "--plugin_load_add=provider_lz4\n"
	                                   "--provider_lz4=force_plus_permanent\n"
	                                   "--plugin_load_add=provider_lzma\n"
	                                   "--provider_lzma=force_plus_permanent\n"
	                                   "--plugin_load_add=provider_lzo\n"
	                                   "--provider_lzo=force_plus_permanent\n"
	                                   "--plugin_load_add=provider_snappy\n"
	                                   "--provider_snappy=force_plus_permanent\n");
	buf_release(&got);
	const struct mycnf_opt *o = mycnf_get(&f->c, groups, "bind-address");
	assert_rooted(&f->t, o->origin, "'%s/etc/mysql/mariadb.conf.d/50-server.cnf' line 27");
	/* The files in reading order: my.cnf is shown by the path it was opened as. */
	assert_int_equal(f->c.files.n, 13);
	assert_string_equal(f->c.files.v[0], tree_path(&f->t, "/etc/mysql/my.cnf"));
	assert_string_equal(f->c.files.v[5],
	                    tree_path(&f->t, "/etc/mysql/mariadb.conf.d/50-mysqld_safe.cnf"));
	const char *const safe[] = {"mysqld_safe", NULL};
	assert_string_equal(mycnf_get(&f->c, safe, "log_error")->value, "0");
}

/* ---- values ---- */

static const struct size_case {
	const char *in;
	int rc;
	uint64_t want;
} size_cases[] = {
    {"0", 0, 0},
    {"151", 0, 151},
    {"1K", 0, 1024},                   /* server */
    {"1k", 0, 1024},                   /* */
    {"128M", 0, 134217728},            /* */
    {"128m", 0, 134217728},            /* */
    {"1G", 0, 1073741824},             /* server */
    {"2g", 0, 2147483648},             /* server */
    {"1T", 0, 1099511627776},          /* */
    {"1P", 0, 1125899906842624},       /* */
    {"1E", 0, 1152921504606846976},    /* */
    {"15E", 0, 17293822569102704640u}, /* */
    {"16E", -ERANGE, 0},               /* over 2^64 */
    {"1GB", 0, 1073741824},            /* server: what follows the suffix is ignored */
    {"1Gxyz", 0, 1073741824},          /* server */
    {" 5", 0, 5},                      /* server */
    {"+7", 0, 7},                      /* server */
    {"12x", -EINVAL, 0},               /* server: "Unknown suffix 'x'" */
    {"0x10", -EINVAL, 0},              /* server: "Unknown suffix 'x'" */
    {"-5", -EINVAL, 0},                /* server: "Incorrect unsigned value" */
    {"5 ", -EINVAL, 0},                /* the blank is an unknown suffix */
    {"", -EINVAL, 0},                  /* the server takes 0 */
    {"k", -EINVAL, 0},                 /* the server takes 0 */
    {"18446744073709551615", 0, UINT64_MAX},
    {"18446744073709551616", -ERANGE, 0}, /* server: "Incorrect integer value" */
    {"99999999999999999999999", -ERANGE, 0},
    {"17179869184G", -ERANGE, 0}, /* 2^34 G = 2^64 */
    {"17179869183G", 0, 18446744072635809792u},
};

static void test_parse_size(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(size_cases); i++) {
		const struct size_case *t = &size_cases[i];
		uint64_t got = 12345;
		int rc = my_parse_size(t->in, &got);
		if (rc != t->rc || (rc == 0 && got != t->want))
			fail_msg("my_parse_size(\"%s\") = %d, %llu; want %d, %llu", t->in, rc,
			         (unsigned long long)got, t->rc, (unsigned long long)t->want);
	}
	uint64_t v;
	assert_int_equal(my_parse_size(NULL, &v), -EINVAL);
}

/* server: mariadbd --large-pages=<v>; everything else it answers with "boolean
 * value '<v>' wasn't recognized. Set to OFF." */
static void test_parse_bool(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int want;
	} cases[] = {
	    {"ON", 1},  {"on", 1},    {"TRUE", 1}, {"true", 1}, {"1", 1},   {"OFF", 0},
	    {"off", 0}, {"FALSE", 0}, {"0", 0},    {"yes", -1}, {"no", -1}, {"1abc", -1},
	    {"0x", -1}, {"2", -1},    {"", -1},    {" on", -1},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (my_parse_bool(cases[i].in) != cases[i].want)
			fail_msg("my_parse_bool(\"%s\") = %d, want %d", cases[i].in,
			         my_parse_bool(cases[i].in), cases[i].want);
	assert_int_equal(my_parse_bool(NULL), 1);
}

#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syntax),
	    cmocka_unit_test(test_long_lines),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_directives),
	    cmocka_unit_test(test_get),
	    FX_TEST(test_load_include),
	    FX_TEST(test_load_includedir),
	    FX_TEST(test_load_cycle),
	    FX_TEST(test_load_depth),
	    FX_TEST(test_load_included_errors),
	    FX_TEST(test_load_errors),
	    FX_TEST(test_load_world_writable),
	    FX_TEST(test_load_unterminated_include),
	    FX_TEST(test_load_too_many),
	    FX_TEST(test_load_debian),
	    cmocka_unit_test(test_parse_size),
	    cmocka_unit_test(test_parse_bool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
