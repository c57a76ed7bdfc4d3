// SPDX-License-Identifier: MIT
/* Tests for workload/redisconf and workload/redis: the argument splitter and line
 * rules, setting values and start-up messages checked against redis-server 7.0.15
 * (Debian 12, 5:7.0.15-1~deb12u10), loading trees of files with includes, the
 * maxclients reduction measured with the real server under chosen ulimits, and
 * discovery of running servers on fixture /proc trees. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "workload/redis.h"
#include "tree.h"
#include "util/banned.h"

/* ---- rdconf_split_args ---- */

/* want: the arguments joined with '|', or NULL for -EINVAL. Rows marked "7.0.15"
 * were run through redis-server (a config line, then CONFIG GET). */
static const struct split_case {
	const char *in;
	size_t n; /* 0: strlen(in) */
	const char *want;
} split_cases[] = {
    {"maxclients \"12\\x33\"", 0, "maxclients|123"}, /* 7.0.15: 123 */
    {"MAXCLIENTS 77", 0, "MAXCLIENTS|77"},           /* lower-cased later, by the parser */
    {"maxclients \"123", 0, NULL},                   /* 7.0.15: Unbalanced quotes */
    {"port '63'79", 0, NULL},                        /* 7.0.15: quote then a letter */
    {"ma\"xclients\" 99", 0, "maxclients|99"},       /* 7.0.15: a quote inside a word */
    {"maxclients\f7 8", 0, "maxclients\f7|8"},       /* 7.0.15: \f does not end a word */
    {"maxclients 'a\\'b'", 0, "maxclients|a'b"},     /* 7.0.15 */
    {"a 'b\\'", 0, NULL},                            /* \' is no closing quote */
    {"a 'b\\n'", 0, "a|b\\n"},                       /* no escapes in single quotes */
    {"a \"\\n\\r\\t\\b\\a\\\\\\\"\\q\"", 0, "a|\n\r\t\b\a\\\"q"},
    {"a \"\\x4\"", 0, "a|x4"}, /* \x needs two hex digits */
    {"a \"\\x4g\"", 0, "a|x4g"},
    {"a \"\\xfF\"", 0, "a|\xff"},
    {"a \"x\"y", 0, NULL},
    {"a \"\"", 0, "a|"},
    {"a ''", 0, "a|"},
    {"  a\t\tb  ", 0, "a|b"},
    {"a \"b\"\tc", 0, "a|b|c"},
    {"a \"b\"\vc", 0, "a|b|c"}, /* isspace() after a quote */
    {"a\vb", 0, "a\vb"},        /* but not inside a word */
    {"", 0, ""},
    {" \f\v ", 0, ""},
    {"a\0b", 3, "a"}, /* the line ends at a NUL */
    {"a \"b", 0, NULL},
    {"a \"b\\", 0, NULL},
    {"#x y", 0, "#x|y"}, /* comments are the parser's */
};

static void join_args(const struct rd_arg *v, size_t n, struct buf *b)
{
	buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, '|');
		buf_append(b, v[i].s, v[i].n);
	}
}

static void test_split_args(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < ARRAY_SIZE(split_cases); i++) {
		const struct split_case *t = &split_cases[i];
		struct rd_arg *v;
		size_t n;
		int rc = rdconf_split_args(t->in, t->n ? t->n : strlen(t->in), &v, &n);
		if (!t->want) {
			if (rc != -EINVAL)
				fail_msg("split(\"%s\") = %d, want -EINVAL", t->in, rc);
			assert_null(v);
			continue;
		}
		if (rc != 0)
			fail_msg("split(\"%s\") = %d", t->in, rc);
		join_args(v, n, &b);
		if (strcmp(buf_str(&b), t->want))
			fail_msg("split(\"%s\") = \"%s\", want \"%s\"", t->in, buf_str(&b),
			         t->want);
		rd_args_free(v, n);
	}
	/* "\x00" puts a NUL inside an argument: the length keeps it. */
	struct rd_arg *v;
	size_t n;
	assert_int_equal(rdconf_split_args("a \"x\\x00y\"", 10, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].n, 3);
	assert_memory_equal(v[1].s, "x\0y", 3);
	rd_args_free(v, n);
	buf_release(&b);
}

/* ---- rdconf_parse ---- */

static int collect(const struct rd_arg *argv, size_t argc, unsigned line, void *ctx)
{
	struct buf *b = ctx;
	buf_appendf(b, "%u:", line);
	for (size_t i = 0; i < argc; i++) {
		buf_putc(b, i ? '|' : ' ');
		buf_append(b, argv[i].s, argv[i].n);
	}
	buf_putc(b, '\n');
	return 0;
}

static void test_parse_lines(void **state)
{
	(void)state;
	static const char text[] = "# comment\n"
	                           "   # indented comment\n"
	                           "\n"
	                           " \t \r\n"
	                           "\f\n"                        /* a line of other blanks */
	                           "port 6379 # not a comment\n" /* 7.0.15: wrong number of args */
	                           "MaxClients 7\r\n"
	                           "Dir \"/var/lib/Redis\"\n"
	                           "x\0 ignored\n"
	                           "last";
	struct buf b = BUF_INIT;
	struct perr err = {0};
	assert_int_equal(rdconf_parse(text, sizeof(text) - 1, collect, &b, &err), 0);
	assert_string_equal(buf_str(&b), "6: port|6379|#|not|a|comment\n"
	                                 "7: maxclients|7\n"
	                                 "8: dir|/var/lib/Redis\n"
	                                 "9: x\n"
	                                 "10: last\n");
	buf_release(&b);
}

static int stop_at_two(const struct rd_arg *argv, size_t argc, unsigned line, void *ctx)
{
	(void)argv, (void)argc, (void)ctx;
	return line == 2 ? -E2BIG : 0;
}

static void test_parse_errors(void **state)
{
	(void)state;
	struct perr err = {0};
	static const char bad[] = "port 1\n\nmaxclients \"123\nport 2\n";
	assert_int_equal(rdconf_parse(bad, sizeof(bad) - 1, NULL, NULL, &err), -EINVAL);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.msg, "unbalanced quotes");
	assert_int_equal(rdconf_parse("a\nb\nc\n", 6, stop_at_two, NULL, &err), -E2BIG);
	assert_int_equal(rdconf_parse(NULL, 0, NULL, NULL, &err), 0);
}

static void test_fgets_filter(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	/* A NUL loses the rest of its fgets() piece, the newline included here:
	 * the line runs into the next one. */
	rdconf_fgets_filter("port 1\0x\nmaxclients 2\n", 22, &b);
	assert_string_equal(buf_str(&b), "port 1maxclients 2\n");
	/* A line longer than 1024 bytes is read in pieces of 1024. */
	char big[2100];
	memset(big, 'a', sizeof(big));
	big[10] = '\0';
	big[sizeof(big) - 1] = '\n';
	buf_reset(&b);
	rdconf_fgets_filter(big, sizeof(big), &b);
	assert_int_equal(b.len, 10 + (sizeof(big) - 1024));
	buf_release(&b);
}

/* main()'s options: values are quoted back with sdscatrepr(). */
static void test_options_text(void **state)
{
	(void)state;
	static const char *const opts[] = {
	    "--supervised",     "systemd",   "--daemonize", "no",
	    "--maxclients 100", "--save",    "--dir",       "/a b/\"c\"",
	    "--bind",           "127.0.0.1", "-::1",        "--save"};
	struct buf b = BUF_INIT, got = BUF_INIT;
	rdconf_options_text(opts, ARRAY_SIZE(opts), &b);
	assert_string_equal(buf_str(&b), "supervised \"systemd\" \n"
	                                 "daemonize \"no\" \n"
	                                 "maxclients 100 \n"
	                                 "save \"\"\n"
	                                 "dir \"/a b/\\\"c\\\"\" \n"
	                                 "bind \"127.0.0.1\" \"-::1\" \n"
	                                 "save \"\"");
	struct perr err;
	assert_int_equal(rdconf_parse(b.p, b.len, collect, &got, &err), 0);
	assert_string_equal(buf_str(&got), "1: supervised|systemd\n"
	                                   "2: daemonize|no\n"
	                                   "3: maxclients|100\n"
	                                   "4: save|\n"
	                                   "5: dir|/a b/\"c\"\n"
	                                   "6: bind|127.0.0.1|-::1\n"
	                                   "7: save|\n");
	buf_release(&b);
	buf_release(&got);
}

/* ---- values ---- */

static void test_values(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		int64_t want;
	} ll[] = {
	    {"0", 0, 0},
	    {"10000", 0, 10000},
	    {"-1", 0, -1},
	    {"010", -EINVAL, 0}, /* 7.0.15: couldn't be parsed */
	    {"+5", -EINVAL, 0},  /* 7.0.15 */
	    {"-0", -EINVAL, 0},
	    {"", -EINVAL, 0},
	    {"-", -EINVAL, 0},
	    {" 5", -EINVAL, 0},
	    {"5 ", -EINVAL, 0},
	    {"9223372036854775807", 0, INT64_MAX},
	    {"-9223372036854775808", 0, INT64_MIN},
	    {"9223372036854775808", -EINVAL, 0},
	    {"99999999999999999999", -EINVAL, 0},
	};
	for (size_t i = 0; i < ARRAY_SIZE(ll); i++) {
		int64_t v = 42;
		int rc = rd_parse_ll(ll[i].in, strlen(ll[i].in), &v);
		if (rc != ll[i].rc || (rc == 0 && v != ll[i].want))
			fail_msg("rd_parse_ll(\"%s\") = %d, %lld", ll[i].in, rc, (long long)v);
	}
	int64_t v;
	assert_int_equal(rd_parse_ll("12\0", 3, &v), -EINVAL); /* the length counts */

	static const struct {
		const char *in;
		int rc;
		uint64_t want;
	} mem[] = {
	    {"1gb", 0, 1073741824}, /* 7.0.15 */
	    {"1G", 0, 1000000000},  /* 7.0.15 */
	    {"gb", 0, 0},           /* 7.0.15: no digits is 0 */
	    {"100mb", 0, 104857600},
	    {"5k", 0, 5000},
	    {"5KB", 0, 5120},
	    {"7b", 0, 7},
	    {"123", 0, 123},
	    {"", 0, 0},
	    {"1tb", -EINVAL, 0},
	    {"-1", -EINVAL, 0},
	    {"1.5gb", -EINVAL, 0},
	    {" 1", -EINVAL, 0},
	    {"99999999999999999999999", 0, UINT64_MAX}, /* strtoull saturates */
	    {"99999999999999999999999k", -EINVAL, 0},
	    {"17179869184gb", -EINVAL, 0}, /* 2^34 GiB overflows */
	};
	for (size_t i = 0; i < ARRAY_SIZE(mem); i++) {
		uint64_t m = 42;
		int rc = rd_parse_memory(mem[i].in, &m);
		if (rc != mem[i].rc || (rc == 0 && m != mem[i].want))
			fail_msg("rd_parse_memory(\"%s\") = %d, %llu", mem[i].in, rc,
			         (unsigned long long)m);
	}
	assert_int_equal(rd_parse_yesno("YES"), 1); /* 7.0.15: disable-thp YES */
	assert_int_equal(rd_parse_yesno("no"), 0);
	assert_int_equal(rd_parse_yesno("true"), -EINVAL);
	assert_int_equal(rd_parse_yesno(""), -EINVAL);
}

/* ---- loading files ---- */

struct fx {
	struct tree t;
	struct rdconf c;
	char err[320];
};

static int fx_setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	tree_init(&f->t);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	rdconf_release(&f->c);
	tree_release(&f->t);
	free(f);
	return 0;
}

#define MAIN "/etc/redis/redis.conf"

static int fx_load(struct fx *f, const char *path)
{
	rdconf_release(&f->c);
	return rdconf_load(&f->t.r, path, "/", NULL, 0, NULL, &f->c, f->err, sizeof(f->err));
}

/* The last value of name, its file (relative to the root) and line. */
static void fx_assert(const struct fx *f, const char *name, const char *value, const char *file,
                      unsigned line)
{
	const struct rd_directive *d = rdconf_get(&f->c, name);
	if (!d)
		fail_msg("'%s' is not set", name);
	struct buf b = BUF_INIT;
	join_args(d->argv + 1, d->argc - 1, &b);
	if (strcmp(buf_str(&b), value) || strcmp(d->file, tree_path(&f->t, file)) ||
	    d->line != line)
		fail_msg("%s = '%s' at %s:%u; want '%s' at %s:%u", name, buf_str(&b), d->file,
		         d->line, value, file, line);
	buf_release(&b);
}

/* err with every %s replaced by the root. */
static void fx_assert_err(const struct fx *f, const char *fmt)
{
	struct buf want = BUF_INIT;
	for (const char *p = fmt; *p; p++) {
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

static void test_load_glob(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, "maxclients 1\ninclude /etc/redis/conf.d/*.conf\nPORT 7000\n");
	tree_put(&f->t, "/etc/redis/conf.d/b.conf", "maxclients 20\n");
	tree_put(&f->t, "/etc/redis/conf.d/a.conf", "maxclients 10\nport 1\n");
	tree_put(&f->t, "/etc/redis/conf.d/.h.conf", "maxclients 30\n"); /* 7.0.15: skipped */
	tree_put(&f->t, "/etc/redis/conf.d/c.conf.bak", "maxclients 40\n");
	tree_mkdir(&f->t, "/etc/redis/conf.d/d.conf"); /* a directory reads as empty */
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "maxclients", "20", "/etc/redis/conf.d/b.conf", 1); /* 7.0.15: 20 */
	fx_assert(f, "port", "7000", MAIN, 3);                           /* last wins */
	assert_int_equal(f->c.files.n, 3);
	assert_string_equal(f->c.files.v[1], tree_path(&f->t, "/etc/redis/conf.d/a.conf"));
	/* A pattern that matches nothing is no error (7.0.15). */
	tree_put(&f->t, MAIN, "include /etc/redis/none/*.conf\nmaxclients 55\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "maxclients", "55", MAIN, 2);
	/* Wildcards in a directory component too, in path order (7.0.15: 72). */
	tree_put(&f->t, "/srv/w1/x.conf", "maxclients 71\n");
	tree_put(&f->t, "/srv/w2/x.conf", "maxclients 72\n");
	tree_put(&f->t, MAIN, "include /srv/w?/x.conf\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "maxclients", "72", "/srv/w2/x.conf", 1);
}

/* Redis concatenates the matches before parsing: a file without a final newline
 * joins the next file's first line (7.0.15: "maxclients 11 3", wrong number of
 * arguments). The line is the first file's. */
static void test_load_glob_join(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/g/a.conf", "port 1\nmaxclients 11");
	tree_put(&f->t, "/g/b.conf", " 3\ntcp-backlog 9\n");
	tree_put(&f->t, MAIN, "include /g/*.conf\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "maxclients", "11|3", "/g/a.conf", 2);
	fx_assert(f, "tcp-backlog", "9", "/g/b.conf", 2);
	fx_assert(f, "port", "1", "/g/a.conf", 1);
}

static void test_load_include_errors(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, "port 1\ninclude /etc/redis/nope.conf\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 2: can't open config file '%s/etc/redis/nope.conf': "
	                 "No such file or directory");
	tree_put(&f->t, MAIN, "include a b\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 1: Bad directive or wrong number of arguments");
	assert_int_equal(fx_load(f, "/etc/redis/missing.conf"), -ENOENT);
	fx_assert_err(f, "can't open config file '%s/etc/redis/missing.conf': No such file or "
	                 "directory");
	tree_put(&f->t, "/etc/redis/inc.conf", "\n\nmaxclients \"5\n");
	tree_put(&f->t, MAIN, "include /etc/redis/inc.conf\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s/etc/redis/inc.conf' line 3: unbalanced quotes");
}

/* A file that includes itself crashes redis-server 7.0.15 (SIGSEGV); kres stops
 * at a depth of 10. */
static void test_load_cycle(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, MAIN, "port 1\ninclude /etc/redis/redis.conf\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 2: include '/etc/redis/redis.conf': nested deeper "
	                 "than 10 (an include cycle crashes Redis)");
	assert_int_equal(f->c.files.n, 11);
}

/* 'dir' chdir()s while Redis reads, so a relative include after it is read from
 * there (7.0.15: 66), and one before it from the starting directory (7.0.15:
 * "can't open config file 'rel.conf'"). */
static void test_load_dir(void **state)
{
	struct fx *f = *state;
	tree_put(&f->t, "/var/lib/redis/rel.conf", "maxclients 66\n");
	tree_put(&f->t, MAIN, "dir /var/lib/redis\ninclude rel.conf\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "maxclients", "66", "/var/lib/redis/rel.conf", 1);
	tree_put(&f->t, MAIN, "include rel.conf\n");
	assert_int_equal(fx_load(f, MAIN), -EINVAL);
	fx_assert_err(f, "'%s" MAIN "' line 1: can't open config file '%s/rel.conf': No such "
	                 "file or directory");
	tree_put(&f->t, MAIN, "dir /var\ndir lib/redis\ninclude ./rel.conf\n");
	assert_int_equal(fx_load(f, MAIN), 0);
	fx_assert(f, "maxclients", "66", "/var/lib/redis/rel.conf", 1);
}

/* The options after the file are read after it and win. */
static void test_load_options(void **state)
{
	struct fx *f = *state;
	static const char *const opts[] = {"--port", "6380", "--maxclients", "100"};
	tree_put(&f->t, MAIN, "port 6379\nmaxclients 5000\n");
	rdconf_release(&f->c);
	assert_int_equal(rdconf_load(&f->t.r, MAIN, "/", opts, 4, "the command line", &f->c, f->err,
	                             sizeof(f->err)),
	                 0);
	const struct rd_directive *d = rdconf_get(&f->c, "port");
	assert_string_equal(d->argv[1].s, "6380");
	assert_string_equal(d->file, "the command line");
	assert_int_equal(d->line, 0);
	assert_int_equal(f->c.n, 4);
}

/* kres's bounds on work: a stock file has 71 directives. */
static void test_load_bounds(void **state)
{
	struct fx *f = *state;
	struct buf b = BUF_INIT;
	for (unsigned i = 0; i <= 100000; i++)
		buf_puts(&b, "a 1\n");
	tree_put_n(&f->t, MAIN, b.p, b.len);
	buf_release(&b);
	assert_int_equal(fx_load(f, MAIN), -E2BIG);
	fx_assert_err(f, "'%s" MAIN "' line 100001: more than 100000 directives or 1000000 "
	                 "arguments: not a configuration");
}

/* Debian's stock file, read from the fuzz corpus where it is kept unchanged. */
static char *read_corpus(const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof(path), "fuzz/corpus/fuzz_redisconf/%s", name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open '%s' (run the tests from the top directory)", path);
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	*len = b.len;
	return buf_detach(&b);
}

static void test_load_debian(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *text = read_corpus("debian12-redis.conf", &len);
	tree_put_n(&f->t, MAIN, text, len);
	free(text);
	assert_int_equal(fx_load(f, MAIN), 0);
	assert_int_equal(f->c.n, 71);
	fx_assert(f, "bind", "127.0.0.1|-::1", MAIN, 87);
	fx_assert(f, "port", "6379", MAIN, 138);
	fx_assert(f, "tcp-backlog", "511", MAIN, 147);
	fx_assert(f, "dir", "/var/lib/redis", MAIN, 504);
	fx_assert(f, "oom-score-adj-values", "0|200|800", MAIN, 1344);
	fx_assert(f, "disable-thp", "yes", MAIN, 1357);
	fx_assert(f, "notify-keyspace-events", "", MAIN, 1906);
	fx_assert(f, "client-output-buffer-limit", "pubsub|32mb|8mb|60", MAIN, 2047);
	assert_null(rdconf_get(&f->c, "maxclients")); /* commented out */
	assert_null(rdconf_get(&f->c, "save"));
}

/* ---- rd_open_files ---- */

/* Every row but the marked ones was run: redis-server 7.0.15 started with
 * "ulimit -Sn soft; ulimit -Hn hard" and --maxclients, then /proc/PID/limits and
 * CONFIG GET maxclients read. */
static const struct files_case {
	int64_t maxclients;
	uint64_t soft, hard;
	bool raise;
	int64_t limit, clients;
	bool reduced, fatal;
} files_cases[] = {
    {5000, 1024, 4096, false, 4088, 4056, true, false}, /* 5032 - 59 x 16 */
    {5000, 1024, 1024, false, 1024, 992, true, false},
    {10000, 1024, 20000, false, 10032, 10000, false, false},
    {10000, 40, 40, false, 40, 8, true, false},
    {10000, 33, 33, false, 33, 1, true, false},
    {10000, 32, 32, false, 32, 0, true, true}, /* Redis exits */
    {10000, 20000, 20000, false, 20000, 10000, false, false},
    {1000, 1024, 1030, false, 1024, 992, true, false}, /* 1016 < soft: limit stays */
    {1000, 1000, 1030, false, 1016, 984, true, false},
    {5000, 100, 1040, false, 1032, 1000, true, false},
    {10000, 1024, 1024, true, 10032, 10000, false, false},           /* model: CAP_SYS_RESOURCE */
    {10000, 4088, 4088, false, 4088, 4056, true, false},             /* model: a live server */
    {UINT32_MAX, 1024, 1024, false, 1024, UINT32_MAX, false, false}, /* source: 32-bit sum */
    {10000, UINT64_MAX, UINT64_MAX, false, INT64_MAX, 10000, false, false},
    {10, 5, 5, false, 5, -27, true, true},
};

static void test_open_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(files_cases); i++) {
		const struct files_case *t = &files_cases[i];
		struct rd_files o;
		rd_open_files(t->maxclients, t->soft, t->hard, t->raise, &o);
		if (o.limit != t->limit || o.maxclients != t->clients || o.reduced != t->reduced ||
		    o.fatal != t->fatal)
			fail_msg("row %zu: limit %lld maxclients %lld reduced %d fatal %d (%s)", i,
			         (long long)o.limit, (long long)o.maxclients, o.reduced, o.fatal,
			         o.formula);
	}
}

/* adjustOpenFilesLimit()'s loop as server.c writes it, with setrlimit()
 * succeeding at or below hard: rd_open_files() computes its outcome directly. */
static uint64_t loop_limit(uint64_t maxfiles, uint64_t soft, uint64_t hard)
{
	uint64_t best = maxfiles;
	if (soft >= maxfiles)
		return soft;
	while (best > soft) {
		if (best <= hard)
			break;
		if (best < 16) {
			best = soft;
			break;
		}
		best -= 16;
	}
	return best < soft ? soft : best;
}

static void test_open_files_loop(void **state)
{
	(void)state;
	for (int64_t mc = 1; mc <= 120; mc += 7)
		for (uint64_t soft = 0; soft <= 200; soft += 3)
			for (uint64_t hard = soft; hard <= 220; hard += 5) {
				struct rd_files o;
				rd_open_files(mc, soft, hard, false, &o);
				uint64_t want = loop_limit((uint64_t)mc + 32, soft, hard);
				if ((uint64_t)o.limit != want)
					fail_msg(
					    "maxclients %lld soft %llu hard %llu: %lld, loop %llu",
					    (long long)mc, (unsigned long long)soft,
					    (unsigned long long)hard, (long long)o.limit,
					    (unsigned long long)want);
			}
}

/* The lines are those of the log of redis-server 7.0.15. */
static void test_open_files_log(void **state)
{
	(void)state;
	struct rd_files o;
	rd_open_files(5000, 1024, 1024, false, &o);
	assert_int_equal(o.need, 5032);
	assert_string_equal(o.log[0],
	                    "You requested maxclients of 5000 requiring at least 5032 max file "
	                    "descriptors.");
	assert_string_equal(o.log[1], "Server can't set maximum open files to 5032 because of OS "
	                              "error: Operation not permitted.");
	assert_string_equal(
	    o.log[2], "Current maximum open files is 1024. maxclients has been reduced to 992 "
	              "to compensate for low ulimit. If you need higher maxclients increase "
	              "'ulimit -n'.");
	rd_open_files(5000, 1024, 4096, false, &o);
	assert_string_equal(o.log[2],
	                    "Current maximum open files is 4088. maxclients has been reduced to "
	                    "4056 to compensate for low ulimit. If you need higher maxclients "
	                    "increase 'ulimit -n'.");
	assert_string_equal(o.formula, "maxclients 5000 + 32 = 5032 > soft limit 1024, hard 4096: "
	                               "set to 4088 = 5032 - 59 x 16; maxclients 4088 - 32 = 4056");
	rd_open_files(10000, 32, 32, false, &o);
	assert_string_equal(o.log[0], "Your current 'ulimit -n' of 32 is not enough for the server "
	                              "to start. Please increase your open file limit to at least "
	                              "10032. Exiting.");
	assert_string_equal(o.log[1], "");
	rd_open_files(10000, 1024, 20000, false, &o);
	assert_string_equal(o.log[0], "Increased maximum number of open files to 10032 (it was "
	                              "originally set to 1024).");
	rd_open_files(10000, 65536, 65536, false, &o);
	assert_string_equal(o.log[0], "");
	assert_string_equal(o.formula, "maxclients 10000 + 32 = 10032 <= soft limit 65536: "
	                               "nothing to change");
}

/* ---- warnings ---- */

static void test_warnings(void **state)
{
	(void)state;
	/* Measured: THP "[always]" bind-mounted over the sysfs file in a private
	 * mount namespace; overcommit_memory likewise. */
	assert_true(rd_thp_warns("[always] madvise never", false));
	assert_false(rd_thp_warns("[always] madvise never", true));
	assert_false(rd_thp_warns("always [madvise] never", false));
	assert_false(rd_thp_warns("always madvise [never]", false));
	assert_true(rd_thp_warns("always", false));
	assert_false(rd_thp_warns("madvise", false));
	assert_false(rd_thp_warns(NULL, false));
	assert_true(rd_overcommit_warns(0));
	assert_false(rd_overcommit_warns(1));
	assert_true(rd_overcommit_warns(2));
	assert_true(rd_backlog_warns(70000, 4096));
	assert_false(rd_backlog_warns(511, 4096));
	assert_false(rd_backlog_warns(4096, 4096));
	assert_false(rd_backlog_warns(5000, 0));

	char line[256];
	snprintf(line, sizeof(line), RD_WARN_BACKLOG_FMT, 70000, 4096);
	assert_string_equal(line,
	                    "WARNING: The TCP backlog setting of 70000 cannot be enforced "
	                    "because /proc/sys/net/core/somaxconn is set to the lower value of "
	                    "4096.");
	/* The lines of the log, after "pid:M date time # ". */
	assert_string_equal(
	    RD_WARN_OVERCOMMIT,
	    "WARNING Memory overcommit must be enabled! Without it, a background "
	    "save or replication may fail under low memory condition. Being "
	    "disabled, it can can also cause failures without low memory condition, "
	    "see https://github.com/jemalloc/jemalloc/issues/1328. To fix this "
	    "issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then "
	    "reboot or run the command 'sysctl vm.overcommit_memory=1' for this to "
	    "take effect.");
	assert_string_equal(RD_WARN_THP,
	                    "WARNING You have Transparent Huge Pages (THP) support enabled in your "
	                    "kernel. This will create latency and memory usage issues with Redis. "
	                    "To fix this issue run the command 'echo madvise > "
	                    "/sys/kernel/mm/transparent_hugepage/enabled' as root, and add it to "
	                    "your /etc/rc.local in order to retain the setting after a reboot. "
	                    "Redis must be restarted after THP is disabled (set to 'madvise' or "
	                    "'never').");
}

/* ---- the process title ---- */

static void test_title(void **state)
{
	(void)state;
	static const struct {
		const char *argv[4];
		size_t argc;
		bool title;
		const char *listen;
		int64_t port;
		const char *conf;
	} cases[] = {
	    {{"redis-server 127.0.0.1:16379", "", ""}, 3, true, "127.0.0.1:16379", 16379, ""},
	    {{"/usr/bin/redis-server *:6379"}, 1, true, "*:6379", 6379, ""},
	    {{"redis-server unixsocket:/tmp/s.sock"}, 1, true, "unixsocket:/tmp/s.sock", -1, ""},
	    {{"redis-server -::1:6380 [cluster]"}, 1, true, "-::1:6380", 6380, ""},
	    {{"/usr/bin/redis-server /etc/redis/a.conf *:7000"},
	     1,
	     true,
	     "*:7000",
	     7000,
	     "/etc/redis/a.conf"},
	    {{"redis-server", "/etc/redis/redis.conf"}, 2, false, "", -1, ""},
	    {{"redis-server"}, 1, false, "", -1, ""},
	    {{"redis-server *:6379", "x"}, 2, false, "", -1, ""},
	    {{"redis-server *:99999"}, 1, true, "", -1, ""},
	    {{"redis-server a:\x01:1"}, 1, true, "a:?:1", 1, ""},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char listen[80], conf[256];
		int64_t port;
		bool t = rd_title_parse(cases[i].argv, cases[i].argc, listen, sizeof(listen), &port,
		                        conf, sizeof(conf));
		if (t != cases[i].title || strcmp(listen, cases[i].listen) ||
		    port != cases[i].port || strcmp(conf, cases[i].conf))
			fail_msg("title %zu: %d '%s' %lld '%s'", i, t, listen, (long long)port,
			         conf);
	}
	assert_false(rd_title_parse(NULL, 0, (char[8]){0}, 8, &(int64_t){0}, (char[8]){0}, 8));
}

/* ---- discovery ---- */

static const char limits_fmt[] =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max processes             15431                15431                processes \n"
    "Max open files            %s                 %s                 files     \n"
    "Max locked memory         8388608              8388608              bytes     \n";

/* A process under /proc/<pid>: its comm, status, limits and cmdline (n bytes). */
static void put_proc(struct tree *t, int pid, int ppid, const char *cmdline, size_t n,
                     const char *nofile, const char *cgroup)
{
	char path[64], text[1024];
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	tree_put(t, path, "redis-server\n");
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	snprintf(text, sizeof(text),
	         "Name:\tredis-server\nUmask:\t0007\nState:\tS (sleeping)\nTgid:\t%d\nPid:\t%d\n"
	         "PPid:\t%d\nUid:\t108\t108\t108\t108\nGid:\t112\t112\t112\t112\nThreads:\t5\n",
	         pid, pid, ppid);
	tree_put(t, path, text);
	snprintf(path, sizeof(path), "/proc/%d/limits", pid);
	snprintf(text, sizeof(text), limits_fmt, nofile, nofile);
	tree_put(t, path, text);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	tree_put_n(t, path, cmdline, n);
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	tree_put(t, path, "0\n");
	if (cgroup) {
		snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
		tree_put(t, path, cgroup);
	}
}

/* A title as setproctitle() leaves it: the text, then NUL padding. */
#define TITLE(s) s "\0\0\0\0\0\0\0\0", sizeof(s "\0\0\0\0\0\0\0\0") - 1

static void put_host(struct tree *t, struct host *h)
{
	tree_put(t, "/etc/passwd",
	         "root:x:0:0:root:/root:/bin/bash\n"
	         "redis:x:108:112::/var/lib/redis:/usr/sbin/nologin\n");
	host_read(&t->r, h);
}

static void put_unit(struct tree *t, const char *exec)
{
	char text[512];
	snprintf(text, sizeof(text),
	         "[Unit]\nDescription=Advanced key-value store\n\n[Service]\nType=notify\n"
	         "ExecStart=%s\nUser=redis\nGroup=redis\nLimitNOFILE=65535\n",
	         exec);
	tree_put(t, "/lib/systemd/system/redis-server.service", text);
}

#define CG_REDIS "0::/system.slice/redis-server.service\n"

static void test_discover_unit(void **state)
{
	struct tree *t = *state;
	struct host h;
	struct rd_instance *v;
	put_proc(t, 4242, 1, TITLE("/usr/bin/redis-server 127.0.0.1:6379"), "4088", CG_REDIS);
	/* A child forked for BGSAVE keeps the comm: not a server of its own. */
	put_proc(t, 4300, 4242, TITLE("redis-rdb-bgsave 127.0.0.1:6379"), "4088", CG_REDIS);
	put_unit(t, "/usr/bin/redis-server /etc/redis/redis.conf --supervised systemd "
	            "--daemonize no --maxclients 5000");
	tree_put(t, MAIN,
	         "bind 127.0.0.1 -::1\nport 6379\nmaxclients 10000\ndir /var/lib/redis\n"
	         "disable-thp no\n");
	put_host(t, &h);
	size_t n = rd_discover(&t->r, &h, &v);
	assert_int_equal(n, 1);
	struct rd_instance *in = &v[0];
	assert_int_equal(in->live.pid, 4242);
	assert_string_equal(in->listen, "127.0.0.1:6379");
	assert_int_equal(in->listen_port, 6379);
	assert_string_equal(in->unit, "redis-server.service");
	assert_true(in->have_unit);
	assert_string_equal(in->user, "redis");
	assert_string_equal(in->conffile, MAIN);
	assert_true(in->conf_ok);
	assert_non_null(strstr(in->conf_how, "named by ExecStart"));
	assert_int_equal(in->maxclients.v, 5000);
	assert_string_equal(in->maxclients.origin, "ExecStart of 'redis-server.service'");
	assert_int_equal(in->port.v, 6379);
	char origin[300];
	snprintf(origin, sizeof(origin), "'%s' line 2", tree_path(t, MAIN));
	assert_string_equal(in->port.origin, origin);
	assert_false(in->disable_thp);
	assert_string_equal(in->dir, "/var/lib/redis");
	assert_true(in->forks); /* the default save points */
	assert_true(in->live.have_limits);
	struct rd_files o;
	uint64_t soft = in->live.lim.l[PL_NOFILE].soft;
	rd_open_files(in->maxclients.v, soft, soft, false, &o);
	assert_int_equal(o.maxclients, 4056);
	char subject[128];
	rd_subject(in, subject, sizeof(subject));
	assert_string_equal(subject, "Redis (pid 4242, 127.0.0.1:6379)");
	rd_instances_free(v, n);
	host_release(&h);
}

/* Debian's template unit: /etc/redis/redis-%i.conf. */
static void test_discover_template(void **state)
{
	struct tree *t = *state;
	struct host h;
	struct rd_instance *v;
	put_proc(t, 500, 1, TITLE("/usr/bin/redis-server 127.0.0.1:6390"), "65535",
	         "0::/system.slice/system-redis\\x2dserver.slice/redis-server@cache.service\n");
	tree_put(t, "/lib/systemd/system/redis-server@.service",
	         "[Service]\nExecStart=/usr/bin/redis-server /etc/redis/redis-%i.conf "
	         "--supervised systemd --daemonize no\nUser=redis\n");
	tree_put(t, "/etc/redis/redis-cache.conf", "port 6390\nmaxclients 20000\n");
	put_host(t, &h);
	size_t n = rd_discover(&t->r, &h, &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].unit, "redis-server@cache.service");
	assert_string_equal(v[0].conffile, "/etc/redis/redis-cache.conf");
	assert_int_equal(v[0].maxclients.v, 20000);
	char origin[300];
	snprintf(origin, sizeof(origin), "'%s' line 2",
	         tree_path(t, "/etc/redis/redis-cache.conf"));
	assert_string_equal(v[0].maxclients.origin, origin);
	rd_instances_free(v, n);
	host_release(&h);
}

/* No unit, no file on the command line: /etc/redis/redis.conf counts only when it
 * sets the port the title shows. */
static void test_discover_fallback(void **state)
{
	struct tree *t = *state;
	struct host h;
	struct rd_instance *v;
	put_proc(t, 77, 1, TITLE("redis-server *:6379"), "1024", NULL);
	tree_put(t, MAIN, "port 6379\nmaxclients 5000\n");
	put_host(t, &h);
	size_t n = rd_discover(&t->r, &h, &v);
	assert_int_equal(n, 1);
	assert_true(v[0].conf_ok);
	assert_string_equal(v[0].conffile, MAIN);
	assert_non_null(strstr(v[0].conf_how, "sets the port the title shows (6379)"));
	assert_int_equal(v[0].maxclients.v, 5000);
	assert_string_equal(v[0].user, "redis");
	rd_instances_free(v, n);
	host_release(&h);
}

static void test_discover_port_mismatch(void **state)
{
	struct tree *t = *state;
	struct host h;
	struct rd_instance *v;
	put_proc(t, 77, 1, TITLE("redis-server *:6380"), "1024", NULL);
	put_proc(t, 78, 1, TITLE("redis-server *:26379 [sentinel]"), "1024", NULL);
	tree_put(t, MAIN, "port 6379\nmaxclients 5000\n");
	tree_put(t, "/etc/redis.conf", "port 6381\n");
	put_host(t, &h);
	size_t n = rd_discover(&t->r, &h, &v);
	assert_int_equal(n, 1);
	struct rd_instance *in = &v[0];
	assert_false(in->conf_ok);
	assert_int_equal(in->conf_rc, -ENOENT);
	assert_string_equal(in->conffile, "");
	char want[400];
	snprintf(want, sizeof(want),
	         "the configuration file is unknown (or there is none): the process's command "
	         "line does not name it, no systemd unit names it; '%s' sets port 6379, not "
	         "6380: another instance's; '%s' sets port 6381, not 6380: another instance's",
	         tree_path(t, MAIN), tree_path(t, "/etc/redis.conf"));
	assert_string_equal(in->conf_err, want);
	/* Redis's defaults, and the port the process shows. */
	assert_int_equal(in->maxclients.v, 10000);
	assert_string_equal(in->maxclients.origin, "default");
	assert_int_equal(in->port.v, 6380);
	assert_string_equal(in->port.origin, "the process title");
	assert_int_equal(in->conf.n, 0);
	rd_instances_free(v, n);
	host_release(&h);
}

/* set-proc-title no: the command line is still there, options and all. */
static void test_discover_cmdline(void **state)
{
	struct tree *t = *state;
	struct host h;
	struct rd_instance *v;
	static const char cmd[] = "redis-server\0/srv/r/a.conf\0--port\0"
	                          "7000\0--save\0";
	put_proc(t, 9, 1, cmd, sizeof(cmd) - 1, "1024", NULL);
	tree_put(t, "/srv/r/a.conf", "port 6379\nset-proc-title no\nappendonly no\n");
	put_host(t, &h);
	size_t n = rd_discover(&t->r, &h, &v);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].conffile, "/srv/r/a.conf");
	assert_string_equal(v[0].conf_how, "named on the command line");
	assert_int_equal(v[0].port.v, 7000);
	assert_string_equal(v[0].port.origin, "the command line");
	assert_false(v[0].forks); /* "--save" last is an empty save */
	char want[300];
	snprintf(want, sizeof(want),
	         "0 save points (the command line); appendonly no ('%s' line 3)",
	         tree_path(t, "/srv/r/a.conf"));
	assert_string_equal(v[0].forks_origin, want);
	assert_int_equal(v[0].listen_port, -1);
	rd_instances_free(v, n);
	host_release(&h);
}

static void test_from_conf(void **state)
{
	struct tree *t = *state;
	struct host h;
	struct rd_instance in;
	put_proc(t, 4242, 1, TITLE("/usr/bin/redis-server 127.0.0.1:6379"), "4088", CG_REDIS);
	put_unit(t, "/usr/bin/redis-server /etc/redis/redis.conf --supervised systemd");
	tree_put(t, MAIN, "port 6379\nmaxclients 5000\n");
	tree_put(t, "/etc/redis/redis-other.conf", "port 7777\n");
	put_host(t, &h);

	rd_from_conf(&t->r, &h, MAIN, &in);
	assert_true(in.conf_ok);
	assert_int_equal(in.live.pid, 4242);
	assert_string_equal(in.unit, "redis-server.service");
	assert_string_equal(in.user, "redis");
	assert_int_equal(in.live.lim.l[PL_NOFILE].soft, 4088);
	svc_proc_release(&in.live);
	unit_release(&in.unit_info);
	rdconf_release(&in.conf);

	/* Another port: not that process; no Debian unit for it either. */
	rd_from_conf(&t->r, &h, "/etc/redis/redis-other.conf", &in);
	assert_int_equal(in.live.pid, 0);
	assert_string_equal(in.unit, "");
	assert_int_equal(in.port.v, 7777);
	char subject[128];
	rd_subject(&in, subject, sizeof(subject));
	assert_string_equal(subject, "Redis ('/etc/redis/redis-other.conf')");
	unit_release(&in.unit_info);
	rdconf_release(&in.conf);
	host_release(&h);
}

/* ---- settings and --set ---- */

static void conf_instance(struct tree *t, const char *text, struct rd_instance *in)
{
	struct host h;
	tree_put(t, MAIN, text);
	put_host(t, &h);
	rd_from_conf(&t->r, &h, MAIN, in);
	host_release(&h);
}

static void instance_release(struct rd_instance *in)
{
	svc_proc_release(&in->live);
	unit_release(&in->unit_info);
	rdconf_release(&in->conf);
}

/* Each file was given to redis-server 7.0.15; err is the message it printed. */
static void test_resolve(void **state)
{
	struct tree *t = *state;
	static const struct {
		const char *text;
		const char *err; /* NULL: valid */
	} cases[] = {
	    {"maxclients 100 # c\n", "wrong number of arguments"},
	    {"maxclients 010\n", "argument couldn't be parsed into an integer"},
	    {"tcp-backlog +5\n", "argument couldn't be parsed into an integer"},
	    {"maxclients 0\n", "argument must be between 1 and 4294967295 inclusive"},
	    {"save 0 1\n", "Invalid save parameters"},
	    {"save 5 x\n", "Invalid save parameters"},
	    {"port 65536\n", "argument must be between 0 and 65535 inclusive"},
	    {"disable-thp maybe\n", "argument must be 'yes' or 'no'"},
	    {"maxmemory 1tb\n", "argument must be a memory value"},
	    {"oom-score-adj-values 0 200\n", "wrong number of arguments"},
	    {"save \"900 1\"\nmaxclients 4294967295\noom-score-adj-values \"0 200 800\"\n", NULL},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct rd_instance in;
		conf_instance(t, cases[i].text, &in);
		bool ok = cases[i].err == NULL;
		if (in.conf_ok != ok || (!ok && !strstr(in.conf_err, cases[i].err)))
			fail_msg("'%s': conf_ok %d, '%s'", cases[i].text, in.conf_ok, in.conf_err);
		instance_release(&in);
	}
}

/* save as redis-server 7.0.15 keeps it (CONFIG GET save after each file). */
static void test_resolve_save(void **state)
{
	struct tree *t = *state;
	static const struct {
		const char *text;
		bool forks;
		const char *points;
	} cases[] = {
	    {"port 1\n", true, "3 save points (default)"},
	    {"save 900 1\nsave 300 10\n", true, "2 save points"},
	    {"save 900 1\nsave \"\"\n", false, "0 save points"},
	    {"save 900 1\nsave \"\"\nsave 60 5\n", true, "1 save point "},
	    {"save 900 1 300 10\n", true, "2 save points"},
	    {"save \"\"\nappendonly yes\n", true, "appendonly yes ('"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct rd_instance in;
		conf_instance(t, cases[i].text, &in);
		if (in.forks != cases[i].forks || !strstr(in.forks_origin, cases[i].points))
			fail_msg("'%s': forks %d, '%s'", cases[i].text, in.forks, in.forks_origin);
		instance_release(&in);
	}
}

static void test_apply_sets(void **state)
{
	struct tree *t = *state;
	struct rd_instance in;
	char err[256];
	conf_instance(t, "maxclients 5000\nmaxmemory 1gb\n", &in);
	assert_int_equal(in.maxmemory.v, 1073741824);
	static const char *const good[] = {"maxclients=20000",
	                                   "TCP-backlog=1024",
	                                   "disable-thp=no",
	                                   "save=",
	                                   "maxmemory=2G",
	                                   "oom-score-adj=absolute",
	                                   "oom-score-adj-values=-100 0 0"};
	char *items[ARRAY_SIZE(good)];
	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		items[i] = xstrdup(good[i]);
	assert_int_equal(rd_apply_sets(&in, items, ARRAY_SIZE(good), err, sizeof(err)), 0);
	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		free(items[i]);
	assert_true(in.overridden);
	assert_int_equal(in.maxclients.v, 20000);
	assert_string_equal(in.maxclients.origin, "--set");
	assert_int_equal(in.tcp_backlog.v, 1024);
	assert_false(in.disable_thp);
	assert_false(in.forks);
	assert_int_equal(in.maxmemory.v, 2000000000);
	assert_string_equal(in.oom_score_adj, "absolute");
	assert_int_equal(in.oom_values[0], -100);
	assert_true(in.conf_ok);

	static const struct {
		const char *item;
		const char *err;
	} bad[] = {
	    {"maxclients=abc",
	     "--set 'maxclients=abc': argument couldn't be parsed into an integer"},
	    {"maxclients=0", "--set 'maxclients=0': argument must be between 1 and 4294967295 "
	                     "inclusive"},
	    {"nosuch=1", "--set 'nosuch=1': 'nosuch' is not a Redis setting kres uses"},
	    {"maxclients", "--set 'maxclients': expected name=value"},
	    {"=5", "--set '=5': expected name=value"},
	    {"disable-thp=1", "--set 'disable-thp=1': argument must be 'yes' or 'no'"},
	    {"save=1", "--set 'save=1': Invalid save parameters"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *pair[] = {xstrdup("port=1"), xstrdup(bad[i].item)};
		assert_int_equal(rd_apply_sets(&in, pair, 2, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, bad[i].err);
		free(pair[0]);
		free(pair[1]);
	}
	/* Nothing of a refused batch applies. */
	assert_int_equal(in.port.v, 6379);
	instance_release(&in);
}

#define TREE_TEST(fn) cmocka_unit_test_prestate_setup_teardown(fn, tree_setup, tree_teardown, &tr)
#define FX_TEST(fn)   cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	static struct tree tr;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_split_args),
	    cmocka_unit_test(test_parse_lines),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_fgets_filter),
	    cmocka_unit_test(test_options_text),
	    cmocka_unit_test(test_values),
	    FX_TEST(test_load_glob),
	    FX_TEST(test_load_glob_join),
	    FX_TEST(test_load_include_errors),
	    FX_TEST(test_load_cycle),
	    FX_TEST(test_load_dir),
	    FX_TEST(test_load_options),
	    FX_TEST(test_load_bounds),
	    FX_TEST(test_load_debian),
	    cmocka_unit_test(test_open_files),
	    cmocka_unit_test(test_open_files_loop),
	    cmocka_unit_test(test_open_files_log),
	    cmocka_unit_test(test_warnings),
	    cmocka_unit_test(test_title),
	    TREE_TEST(test_discover_unit),
	    TREE_TEST(test_discover_template),
	    TREE_TEST(test_discover_fallback),
	    TREE_TEST(test_discover_port_mismatch),
	    TREE_TEST(test_discover_cmdline),
	    TREE_TEST(test_from_conf),
	    TREE_TEST(test_resolve),
	    TREE_TEST(test_resolve_save),
	    TREE_TEST(test_apply_sets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
