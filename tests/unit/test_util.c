// SPDX-License-Identifier: MIT
/* util/: checked numbers, spans and lines, the buffer, the JSON writer, the root
 * reader; and the exit-code precedence of findings. */
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

#include "check/check.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/rootfs.h"
#include "util/text.h"
#include "tree.h"

static void test_parse_numbers(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		uint64_t v;
	} u[] = {
		{"0", 0, 0},
		{"18446744073692774399", 0, 18446744073692774399ull}, /* default kernel.shmall */
		{"18446744073709551615", 0, UINT64_MAX},
		{"18446744073709551616", -ERANGE, 0},
		{"99999999999999999999999", -ERANGE, 0},
		{"", -EINVAL, 0},
		{"-1", -EINVAL, 0},
		{"12a", -EINVAL, 0},
		{" 1", -EINVAL, 0},
	};
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		uint64_t v = 7;
		assert_int_equal(parse_u64(span_from(u[i].in), &v), u[i].rc);
		if (!u[i].rc)
			assert_true(v == u[i].v);
	}
	int64_t s;
	assert_int_equal(parse_i64(span_from("-1000"), &s), 0);
	assert_int_equal(s, -1000);
	assert_int_equal(parse_i64(span_from("-9223372036854775808"), &s), 0);
	assert_true(s == INT64_MIN);
	assert_int_equal(parse_i64(span_from("9223372036854775808"), &s), -ERANGE);
	assert_int_equal(parse_i64(span_from("-"), &s), -EINVAL);
}

static void test_lines_and_tokens(void **state)
{
	(void)state;
	const char text[] = "a b\tc\n\nlast";
	struct lineiter it;
	struct span line, tok[2];
	lineiter_init(&it, text, strlen(text));
	assert_true(lineiter_next(&it, &line));
	assert_int_equal(span_split_ws(line, tok, 2), 3); /* counts beyond max */
	assert_true(span_eq(tok[0], "a") && span_eq(tok[1], "b"));
	assert_false(it.unterminated);
	assert_true(lineiter_next(&it, &line));
	assert_int_equal(line.n, 0);
	assert_true(lineiter_next(&it, &line));
	assert_true(span_eq(line, "last"));
	assert_true(it.unterminated);
	assert_int_equal(it.lineno, 3);
	assert_false(lineiter_next(&it, &line));
	char small[4];
	assert_false(span_copy(span_from("toolong"), small, sizeof(small)));
	assert_string_equal(small, "too");
	assert_true(span_eq(span_trim(span_from(" \t x \n")), "x"));
}

static void test_buf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		buf_appendf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.p));
	assert_memory_equal(b.p, "0,1,2,", 6);
	buf_reset(&b);
	buf_put_escaped(&b, "a\x01\\\xff", 4);
	assert_string_equal(buf_str(&b), "a\\x01\\x5c\\xff");
	buf_release(&b);
}

static void test_json(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct json j;
	json_init(&j, &b, false);
	json_obj_begin(&j);
	json_kv_str(&j, "s", "q\"\\\n\x01\xc3\xa9\xff");
	json_kv_int(&j, "i", -5);
	json_kv_uint(&j, "u", UINT64_MAX);
	json_key(&j, "a");
	json_arr_begin(&j);
	json_null(&j);
	json_bool(&j, true);
	json_str(&j, NULL);
	json_arr_end(&j);
	json_key(&j, "e");
	json_obj_begin(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	assert_string_equal(buf_str(&b),
			    "{\"s\":\"q\\\"\\\\\\n\\u0001\xc3\xa9\\ufffd\",\"i\":-5,"
			    "\"u\":18446744073709551615,\"a\":[null,true,null],\"e\":{}}");
	buf_release(&b);
}

static void test_rootfs(void **state)
{
	(void)state;
	struct tree t;
	tree_init(&t);
	tree_put(&t, "/etc/f", "hello\n");
	/* An absolute symlink inside the tree resolves inside the tree. */
	tree_symlink(&t, "/etc/link", "/etc/f");
	struct rootfs r;
	assert_int_equal(rootfs_open(&r, t.root), 0);
	char *buf;
	assert_int_equal(rootfs_read(&r, "/etc/f", 1024, &buf), 6);
	assert_string_equal(buf, "hello\n");
	free(buf);
	assert_int_equal(rootfs_read(&r, "/etc/link", 1024, &buf), 6);
	free(buf);
	assert_int_equal(rootfs_read(&r, "/etc/f", 3, &buf), -EFBIG);
	assert_null(buf);
	assert_int_equal(rootfs_read(&r, "/etc/missing", 1024, &buf), -ENOENT);
	struct strlist l = {0};
	assert_int_equal(rootfs_list(&r, "/etc", &l), 2);
	assert_string_equal(l.v[0], "f");
	assert_string_equal(l.v[1], "link");
	strlist_release(&l);
	assert_true(rootfs_isdir(&r, "/etc"));
	assert_false(rootfs_exists(&r, "/nope"));
	char shown[300];
	snprintf(shown, sizeof(shown), "%s/etc/f", t.root);
	assert_string_equal(rootfs_show(&r, "/etc/f"), shown);
	rootfs_close(&r);
	tree_release(&t);
}

static void noop(struct check_ctx *c, const struct rule *r)
{
	(void)c;
	(void)r;
}

/* Monitoring-plugin precedence: CRITICAL > WARNING > UNKNOWN > OK; low findings
 * do not warn. */
static void test_exit_code(void **state)
{
	(void)state;
	static const struct rule rc = {"T-1", "t", "t", "t", SEV_CRITICAL, "w", "s", noop, false};
	static const struct rule rm = {"T-2", "t", "t", "t", SEV_MEDIUM, "w", "s", noop, false};
	static const struct rule rl = {"T-3", "t", "t", "t", SEV_LOW, "w", "s", noop, false};
	struct check_ctx c = {0};
	assert_int_equal(check_exit_code(&c), 0);
	finding_add(&c, &rl, FS_FAIL, "host", "low");
	assert_int_equal(check_exit_code(&c), 0);
	finding_add(&c, &rl, FS_UNKNOWN, "host", "unknown");
	assert_int_equal(check_exit_code(&c), 3);
	finding_add(&c, &rm, FS_FAIL, "host", "medium %d", 1);
	assert_int_equal(check_exit_code(&c), 1);
	struct finding *f = finding_add(&c, &rc, FS_OK, "host", "ok");
	assert_int_equal(f->sev, SEV_INFO);
	assert_int_equal(check_exit_code(&c), 1);
	f = finding_add(&c, &rc, FS_FAIL, "host", "crit");
	assert_int_equal(f->sev, SEV_CRITICAL);
	finding_fix_sysctl(f, "kernel.sem", "250 32000 32 128");
	assert_string_equal(f->fix_runtime, "sysctl -w kernel.sem='250 32000 32 128'");
	assert_string_equal(f->fix_persist, "kernel.sem = 250 32000 32 128");
	assert_string_equal(f->fix_file, KRES_SYSCTL_FILE);
	assert_int_equal(check_exit_code(&c), 2);
	assert_string_equal(c.f[2].summary, "medium 1");
	check_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_numbers), cmocka_unit_test(test_lines_and_tokens),
		cmocka_unit_test(test_buf),           cmocka_unit_test(test_json),
		cmocka_unit_test(test_rootfs),        cmocka_unit_test(test_exit_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
