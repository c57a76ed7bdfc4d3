// SPDX-License-Identifier: MIT
/* The systemd INI dialect: sections, comments, continuation lines, whitespace, the
 * errors with their line numbers, and systemd's boolean words. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/ini.h"
#include "util/buf.h"

/* Records every assignment as "section|key|value|line\n". */
static int record(const char *section, const char *key, const char *value, unsigned line,
		  void *ctx)
{
	buf_appendf(ctx, "%s|%s|%s|%u\n", section, key, value, line);
	return 0;
}

static const struct {
	const char *name, *text, *want;
} ok_cases[] = {
	{"sections", "[Unit]\nDescription=PostgreSQL RDBMS\n\n[Service]\nType=notify\n",
	 "Unit|Description|PostgreSQL RDBMS|2\nService|Type|notify|5\n"},
	{"comments", "# c\n; c\n  # indented\n\t; tab\n[S]\nA=1 # not a comment\n",
	 "S|A|1 # not a comment|6\n"},
	{"whitespace", "  [S]  \n  Key  =  value with  spaces  \n\tK2\t=\tv\t\n",
	 "S|Key|value with  spaces|2\nS|K2|v|3\n"},
	{"continuation",
	 "[Service]\nExecStart=/usr/bin/pg \\\n  -D /data \\\n  -c x=1\nUser=postgres\n",
	 "Service|ExecStart|/usr/bin/pg    -D /data    -c x=1|2\nService|User|postgres|5\n"},
	{"comment inside continuation", "[S]\nA=1 \\\n# comment\n; other\n2\nB=3\n",
	 "S|A|1  2|2\nS|B|3|6\n"},
	{"escaped backslash", "[S]\nA=x\\\\\nB=y\n", "S|A|x\\\\|2\nS|B|y|3\n"},
	{"continuation at eof", "[S]\nA=1\\", "S|A|1|2\n"},
	{"blank line ends continuation", "[S]\nA=1\\\n\nB=2\n", "S|A|1|2\nS|B|2|4\n"},
	{"key before section", "A=1\n[S]\nB=2\n", "|A|1|1\nS|B|2|3\n"},
	{"repeated keys", "[S]\nEnvironment=A=1\nEnvironment=B=2\n",
	 "S|Environment|A=1|2\nS|Environment|B=2|3\n"},
	{"crlf", "[S]\r\nA=1\r\nB=2 \\\r\n3\r\n", "S|A|1|2\nS|B|2  3|3\n"},
	{"empty value", "[S]\nA=\nB =  \n", "S|A||2\nS|B||3\n"},
	{"section names", "[Section A]\nx=1\n[]\ny=2\n", "Section A|x|1|2\n|y|2|4\n"},
	{"empty input", "", ""},
	{"only comments", "#\n;\n\n", ""},
};

static void parse_ok(const char *text, size_t len, const char *want)
{
	struct buf got = BUF_INIT;
	struct perr e = {0};
	assert_int_equal(ini_parse(text, len, record, &got, &e), 0);
	assert_string_equal(buf_str(&got), want);
	buf_release(&got);
}

static void test_ok(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		print_message("case: %s\n", ok_cases[i].name);
		parse_ok(ok_cases[i].text, strlen(ok_cases[i].text), ok_cases[i].want);
	}
}

static const struct {
	const char *text;
	unsigned line;
	const char *msg;
	const char *before; /* what was delivered before the error */
} err_cases[] = {
	{"[S]\nnoequals\n", 2, "'key=value'", ""},
	{"[S\nA=1\n", 1, "']'", ""},
	{"[S]\nA=1\n =v\n", 3, "missing key", "S|A|1|2\n"},
	{"[S]\nA=1 \\\nfoo\nbar\n", 4, "'key=value'", "S|A|1  foo|2\n"},
	{"[S]\nfoo \\\n# c\nbar", 2, "'key=value'", ""}, /* reported where it began */
	{"[S]\nA=1\n[\n", 3, "']'", "S|A|1|2\n"},
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		struct buf got = BUF_INIT;
		struct perr e = {0};
		const char *t = err_cases[i].text;
		assert_int_equal(ini_parse(t, strlen(t), record, &got, &e), -EINVAL);
		assert_int_equal(e.line, err_cases[i].line);
		assert_non_null(strstr(e.msg, err_cases[i].msg));
		assert_string_equal(buf_str(&got), err_cases[i].before);
		buf_release(&got);
	}
}

/* Keys and values are bounded (4 KiB), continuation included; NUL bytes are refused. */
static void test_limits(void **state)
{
	(void)state;
	struct buf t = BUF_INIT, got = BUF_INIT;
	struct perr e = {0};

	buf_puts(&t, "[S]\nA=");
	for (int i = 0; i < 4096; i++)
		buf_putc(&t, 'v');
	buf_puts(&t, "\n");
	assert_int_equal(ini_parse(t.p, t.len, record, &got, &e), 0);
	assert_int_equal(got.len, strlen("S|A||2\n") + 4096);

	buf_reset(&t);
	buf_reset(&got);
	buf_puts(&t, "[S]\nA=");
	for (int i = 0; i < 4097; i++)
		buf_putc(&t, 'v');
	assert_int_equal(ini_parse(t.p, t.len, record, &got, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "4096"));

	buf_reset(&t);
	buf_puts(&t, "[S]\n");
	for (int i = 0; i < 4097; i++)
		buf_putc(&t, 'k');
	buf_puts(&t, "=1\n");
	assert_int_equal(ini_parse(t.p, t.len, record, &got, &e), -EINVAL);
	assert_int_equal(e.line, 2);

	buf_reset(&t);
	buf_puts(&t, "[S]\nA=1\\\n");
	for (int i = 0; i < 5000; i++)
		buf_puts(&t, "xxxx\\\n");
	assert_int_equal(ini_parse(t.p, t.len, record, &got, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "longer"));

	static const char nul[] = "[S]\nA=1\nB=\0x\n";
	assert_int_equal(ini_parse(nul, sizeof(nul) - 1, record, &got, &e), -EINVAL);
	assert_int_equal(e.line, 3);
	assert_non_null(strstr(e.msg, "NUL"));

	/* Parsing stops at len: the bytes after it are not seen. */
	buf_reset(&got);
	parse_ok("[S]\nA=1\nB=2\n", 8, "S|A|1|2\n");
	buf_release(&t);
	buf_release(&got);
}

static int stop_at_b(const char *section, const char *key, const char *value, unsigned line,
		     void *ctx)
{
	(void)section;
	(void)value;
	(void)line;
	++*(int *)ctx;
	return strcmp(key, "B") == 0 ? -42 : 0;
}

static void test_callback_stops(void **state)
{
	(void)state;
	int calls = 0;
	static const char t[] = "[S]\nA=1\nB=2\nC=3\n";
	assert_int_equal(ini_parse(t, strlen(t), stop_at_b, &calls, NULL), -42);
	assert_int_equal(calls, 2);
}

static const struct {
	const char *word;
	int want;
} bool_cases[] = {
	{"1", 1},   {"yes", 1},   {"YES", 1},  {"y", 1},   {"true", 1}, {"True", 1},  {"t", 1},
	{"on", 1},  {"On", 1},    {"0", 0},    {"no", 0},  {"No", 0},   {"n", 0},     {"false", 0},
	{"f", 0},   {"off", 0},   {"OFF", 0},  {"", -EINVAL}, {"2", -EINVAL}, {"yes ", -EINVAL},
	{"nope", -EINVAL}, {"enable", -EINVAL}, {"o", -EINVAL},
};

static void test_bool(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bool_cases) / sizeof(bool_cases[0]); i++) {
		print_message("bool: '%s'\n", bool_cases[i].word);
		assert_int_equal(ini_parse_bool(bool_cases[i].word), bool_cases[i].want);
	}
	assert_int_equal(ini_parse_bool(NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),     cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits), cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_bool),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
