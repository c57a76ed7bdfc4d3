// SPDX-License-Identifier: MIT
/* The web-config file of kres serve: the YAML subset with its errors and their
 * lines, relative paths, the strict base64 decoder, Basic authentication against
 * bcrypt hashes (and its cache), and loading the file with its cert and key. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "serve/webcfg.h"
#include "util/buf.h"
#include "tree.h"

/* Made once with `htpasswd -nbB -C 4 user pass` and `htpasswd -nbB -C 4 alice
 * 'pa:ss w0rd'` (cost 4 keeps the test fast). */
#define HASH_USER  "$2y$04$2PXjnWmXTXwv0UPchbqvNeB4pGW1zgeISz31fna7t7hA5odDop1H6"
#define HASH_ALICE "$2y$04$y0FHjh.Kv36Dlbo78jamI.W9BrfLTpcGjbkV0W7i.HuzQWrO9pbD6"

static int parse(const char *text, struct webcfg *w, struct perr *e)
{
	return webcfg_parse(text, strlen(text), "/etc/kres", w, e);
}

static void test_parse_full(void **state)
{
	(void)state;
	static const char text[] = "tls_server_config:\n"
	                           "  cert_file: /etc/ssl/kres.crt\n"
	                           "  key_file: tls/kres.key\n"
	                           "\n"
	                           "basic_auth_users:\n"
	                           "  user: " HASH_USER "\n"
	                           "  alice: " HASH_ALICE "\n";
	struct webcfg w;
	struct perr e = {0};
	assert_int_equal(parse(text, &w, &e), 0);
	assert_true(w.tls);
	assert_string_equal(w.cert_file, "/etc/ssl/kres.crt");
	assert_string_equal(w.key_file, "/etc/kres/tls/kres.key");
	assert_null(w.cert_pem);
	assert_null(w.key_pem);
	assert_int_equal(w.nuser, 2);
	assert_string_equal(w.user[0].name, "user");
	assert_string_equal(w.user[0].hash, HASH_USER);
	assert_null(w.user[0].ok_cache);
	assert_string_equal(w.user[1].name, "alice");
	assert_string_equal(w.user[1].hash, HASH_ALICE);
	webcfg_release(&w);
	assert_int_equal(w.nuser, 0);
	assert_null(w.cert_file);
	webcfg_release(&w); /* twice is harmless */
}

/* Accepted spellings: the fields a parse should give. */
static const struct {
	const char *name, *text;
	bool tls;
	const char *cert, *key;
	size_t nuser;
	const char *user0, *hash0;
} ok_cases[] = {
    {"empty", "", false, NULL, NULL, 0, NULL, NULL},
    {"only comments", "# web config\n\n   # indented\n\t# tab\n", false, NULL, NULL, 0, NULL, NULL},
    {"document marker", "--- # start\n# c\nbasic_auth_users:\n  u: $1$x\n", false, NULL, NULL, 1,
     "u", "$1$x"},
    {"comment before marker", "# c\n---\nbasic_auth_users:\n  u: $1$x\n", false, NULL, NULL, 1, "u",
     "$1$x"},
    {"quotes and comments",
     "tls_server_config:   # tls\n"
     "    cert_file: 'a ''b'' #c.crt'   # comment\n"
     "    \"key_file\" : \"/k \\\"q\\\" \\\\.key\"\n"
     "basic_auth_users:\n"
     "    'bob smith': \"$2y$04$2PXjnWmXTXwv0UPchbqvNeB4pGW1zgeISz31fna7t7hA5odDop1H6\"\n",
     true, "/etc/kres/a 'b' #c.crt", "/k \"q\" \\.key", 1, "bob smith", HASH_USER},
    {"hash in a plain scalar keeps '#' and ':' not after a blank",
     "basic_auth_users:\n  u: $1$a#b:c  # note\n", false, NULL, NULL, 1, "u", "$1$a#b:c"},
    {"crlf and bom", "\xef\xbb\xbftls_server_config:\r\n  cert_file: c\r\n  key_file: k\r\n", true,
     "/etc/kres/c", "/etc/kres/k", 0, NULL, NULL},
    {"empty sections", "tls_server_config:\nhttp_server_config: ~\nbasic_auth_users: null\n", false,
     NULL, NULL, 0, NULL, NULL},
    {"empty cert and key mean no tls", "tls_server_config:\n  cert_file: ''\n  key_file:\n", false,
     NULL, NULL, 0, NULL, NULL},
    {"indented root, any child indent", "  basic_auth_users:\n      u: $1$x\n", false, NULL, NULL,
     1, "u", "$1$x"},
    {"no final newline", "basic_auth_users:\n  u: $5$abc", false, NULL, NULL, 1, "u", "$5$abc"},
    {"plain scalars starting with - ? :", "basic_auth_users:\n  -u: $1$x\n", false, NULL, NULL, 1,
     "-u", "$1$x"},
};

static void test_parse_ok(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		struct webcfg w;
		struct perr e = {0};
		print_message("case: %s\n", ok_cases[i].name);
		int rc = parse(ok_cases[i].text, &w, &e);
		if (rc)
			print_message("line %u: %s\n", e.line, e.msg);
		assert_int_equal(rc, 0);
		assert_int_equal(w.tls, ok_cases[i].tls);
		if (ok_cases[i].cert) {
			assert_string_equal(w.cert_file, ok_cases[i].cert);
			assert_string_equal(w.key_file, ok_cases[i].key);
		} else {
			assert_null(w.cert_file);
			assert_null(w.key_file);
		}
		assert_int_equal(w.nuser, ok_cases[i].nuser);
		if (ok_cases[i].nuser) {
			assert_string_equal(w.user[0].name, ok_cases[i].user0);
			assert_string_equal(w.user[0].hash, ok_cases[i].hash0);
		}
		webcfg_release(&w);
	}
}

/* Relative names are joined to dir, with or without its trailing '/'. */
static void test_parse_paths(void **state)
{
	(void)state;
	static const struct {
		const char *dir, *want;
	} cases[] = {
	    {"/etc/kres", "/etc/kres/tls.crt"},
	    {"/etc/kres/", "/etc/kres/tls.crt"},
	    {"/", "/tls.crt"},
	};
	static const char text[] = "tls_server_config:\n  cert_file: tls.crt\n  key_file: /k\n";
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct webcfg w;
		assert_int_equal(webcfg_parse(text, strlen(text), cases[i].dir, &w, NULL), 0);
		assert_string_equal(w.cert_file, cases[i].want);
		assert_string_equal(w.key_file, "/k");
		webcfg_release(&w);
	}
}

static const struct {
	const char *text;
	unsigned line;
	const char *msg;
} err_cases[] = {
    /* outside the YAML subset */
    {"basic_auth_users: {}\n", 1, "flow mappings"},
    {"basic_auth_users:\n  u: [a]\n", 2, "flow sequences"},
    {"basic_auth_users:\n  - u\n", 2, "sequences"},
    {"- a\n", 1, "sequences"},
    {"basic_auth_users:\n  u: &a $1$x\n", 2, "anchors"},
    {"basic_auth_users:\n  u: *a\n", 2, "aliases"},
    {"basic_auth_users:\n  u: !!str $1$x\n", 2, "tags"},
    {"basic_auth_users:\n  u: |\n    $1$x\n", 2, "block scalars"},
    {"basic_auth_users:\n  u: >\n    $1$x\n", 2, "folded scalars"},
    {"%YAML 1.2\n---\n", 1, "directives"},
    {"? a\n", 1, "complex keys"},
    {"basic_auth_users:\n  u: $1$x\n    more\n", 3, "multi-line"},
    {"basic_auth_users:\n  u: '$1$x\n    more'\n", 2, "no closing '"},
    {"basic_auth_users:\n  u: \"$1$x\\n\"\n", 2, "escape '\\n'"},
    {"basic_auth_users:\n  u: '$1' x\n", 2, "after a quoted value"},
    {"basic_auth_users:\n  u: '$1'# x\n", 2, "after a quoted value"},
    {"basic_auth_users:\n  u: $1: x\n", 2, "': ' inside a value"},
    {"basic_auth_users:\n  novalue\n", 2, "expected 'key: value'"},
    {"basic_auth_users:\n  u:$1$x\n", 2, "expected 'key: value'"},
    {"basic_auth_users:\n\tu: $1$x\n", 2, "tab"},
    {"basic_auth_users:\n  \tu: $1$x\n", 2, "tab"},
    {"basic_auth_users:\n  u: $1$\x01x\n", 2, "control character 0x01"},
    {"---\nbasic_auth_users:\n---\n", 3, "second YAML document"},
    {"--- a\n", 1, "content on the '---' line"},
    {"basic_auth_users:\n...\n", 2, "'...'"},
    /* structure */
    {"\n# c\nfoo: 1\n", 3, "unknown key 'foo'"},
    {"basic_auth_users:\nbasic_auth_users:\n", 2, "duplicate key 'basic_auth_users'"},
    {"tls_server_config: /etc/x.crt\n", 1, "'tls_server_config' holds a mapping"},
    {"basic_auth_users: ''\n", 1, "'basic_auth_users' holds a mapping"},
    {"  basic_auth_users:\nx: 1\n", 2, "bad indentation"},
    {"basic_auth_users:\n    u: $1$x\n  v: $1$y\n", 3, "bad indentation"},
    {"basic_auth_users:\n  u:\n    v: $1$x\n", 2, "not a crypt(3) hash"},
    {"tls_server_config:\n  cert_file:\n    x: y\n", 3, "unexpected indentation"},
    {"rate_limit:\n  interval: 1s\n", 1, "'rate_limit' is not supported by kres"},
    /* tls_server_config */
    {"tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS13\n", 4,
     "'min_version' in tls_server_config is not supported by kres"},
    {"tls_server_config:\n  client_auth_type: RequireAndVerifyClientCert\n", 2,
     "'client_auth_type' in tls_server_config is not supported"},
    {"tls_server_config:\n  cipher_suites:\n    - TLS_AES_128_GCM_SHA256\n", 2,
     "'cipher_suites' in tls_server_config is not supported"},
    {"tls_server_config:\n  key: |\n    -----BEGIN\n", 2,
     "'key' in tls_server_config is not supported"},
    {"tls_server_config:\n  certfile: a\n", 2, "unknown key 'certfile' in tls_server_config"},
    {"tls_server_config:\n  cert_file: a\n  cert_file: b\n", 3, "duplicate key 'cert_file'"},
    {"# tls\ntls_server_config:\n  cert_file: a\n", 2, "key_file is missing"},
    {"tls_server_config:\n  key_file: a\nbasic_auth_users:\n", 1, "cert_file is missing"},
    /* http_server_config */
    {"http_server_config:\n  http2: true\n", 2,
     "'http2' in http_server_config is not supported by kres"},
    {"http_server_config:\n  headers:\n    X-Frame-Options: deny\n", 2,
     "'headers' in http_server_config is not supported"},
    {"http_server_config:\n  gzip: true\n", 2, "unknown key 'gzip' in http_server_config"},
    /* basic_auth_users */
    {"basic_auth_users:\n  '': $1$x\n", 2, "empty user name"},
    {"basic_auth_users:\n  'a:b': $1$x\n", 2, "contains ':'"},
    {"basic_auth_users:\n  u: $1$x\n  u: $1$y\n", 3, "duplicate user 'u'"},
    {"basic_auth_users:\n  u: secret\n", 2, "user 'u' is not a crypt(3) hash"},
    {"basic_auth_users:\n  u:\n", 2, "user 'u' is not a crypt(3) hash"},
    {"basic_auth_users:\n  u: $2y$04$2PXjnWmXTXwv0UPchbqvNeB4pGW1zgeISz31fna7t7hA5\n", 2,
     "bcrypt hash of user 'u' is incomplete"},
    {"basic_auth_users:\n  \"\\\\x\xff\": x\n", 2, "user '\\x5cx\\xff' is not"},
};

static void test_parse_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		struct webcfg w;
		struct perr e = {0};
		print_message("case %zu: %s\n", i, err_cases[i].text);
		assert_int_equal(parse(err_cases[i].text, &w, &e), -EINVAL);
		print_message("-> %u: %s\n", e.line, e.msg);
		assert_int_equal(e.line, err_cases[i].line);
		assert_non_null(strstr(e.msg, err_cases[i].msg));
		/* A failed parse leaves nothing to free. */
		assert_int_equal(w.nuser, 0);
		assert_null(w.cert_file);
	}
}

/* WEBCFG_MAX_USERS users, not one more; a NUL byte; a key over 4 KiB; the length
 * bounds the text. */
static void test_parse_limits(void **state)
{
	(void)state;
	struct buf t = BUF_INIT;
	struct webcfg w;
	struct perr e = {0};

	buf_puts(&t, "basic_auth_users:\n");
	for (int i = 0; i < WEBCFG_MAX_USERS; i++)
		buf_appendf(&t, "  u%d: $1$x\n", i);
	assert_int_equal(webcfg_parse(t.p, t.len, "/", &w, &e), 0);
	assert_int_equal(w.nuser, WEBCFG_MAX_USERS);
	assert_string_equal(w.user[WEBCFG_MAX_USERS - 1].name, "u63");
	webcfg_release(&w);
	buf_puts(&t, "  one_more: $1$x\n");
	assert_int_equal(webcfg_parse(t.p, t.len, "/", &w, &e), -EINVAL);
	assert_int_equal(e.line, WEBCFG_MAX_USERS + 2);
	assert_non_null(strstr(e.msg, "more than 64 users"));

	static const char nul[] = "basic_auth_users:\n  u: $1$\0x\n";
	assert_int_equal(webcfg_parse(nul, sizeof(nul) - 1, "/", &w, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "control character 0x00"));

	buf_reset(&t);
	buf_puts(&t, "tls_server_config:\n  cert_file: /");
	for (int i = 0; i < 4096; i++)
		buf_putc(&t, 'a');
	assert_int_equal(webcfg_parse(t.p, t.len, "/", &w, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "longer than 4096"));
	buf_reset(&t);
	buf_puts(&t, "basic_auth_users:\n  u: \"$");
	for (int i = 0; i < 4096; i++)
		buf_putc(&t, 'a');
	buf_puts(&t, "\"\n");
	assert_int_equal(webcfg_parse(t.p, t.len, "/", &w, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "longer than 4096"));

	/* Parsing stops at len: the unknown key after it is not seen. */
	static const char cut[] = "basic_auth_users:\n  u: $1$x\nfoo: 1\n";
	assert_int_equal(webcfg_parse(cut, strlen(cut) - 7, "/", &w, &e), 0);
	assert_int_equal(w.nuser, 1);
	webcfg_release(&w);
	buf_release(&t);
}

static void test_base64(void **state)
{
	(void)state;
	/* RFC 4648 section 10, and bytes that are not text. */
	static const struct {
		const char *in, *out;
	} ok[] = {
	    {"", ""},
	    {"Zg==", "f"},
	    {"Zm8=", "fo"},
	    {"Zm9v", "foo"},
	    {"Zm9vYg==", "foob"},
	    {"Zm9vYmE=", "fooba"},
	    {"Zm9vYmFy", "foobar"},
	    {"dXNlcjpwYXNz", "user:pass"},
	    {"+/+/", "\xfb\xff\xbf"},
	};
	char out[16];
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(out, 'X', sizeof(out));
		print_message("ok: '%s'\n", ok[i].in);
		assert_int_equal(base64_decode(ok[i].in, strlen(ok[i].in), out, sizeof(out)),
		                 strlen(ok[i].out));
		assert_string_equal(out, ok[i].out);
	}
	static const char *const bad[] = {
	    "Zg",        /* no padding */
	    "Zg=",       /* short padding */
	    "Zm9",       /* length not a multiple of 4 */
	    "Zg==Zg==",  /* padding inside */
	    "Z===",      /* three '=' */
	    "====",      /* only padding */
	    "Zh==",      /* unused bits set: not the canonical encoding of "f" */
	    "Zm9=",      /* the same with one '=' */
	    "Zm9v\n",    /* newline */
	    "Zm 9v",     /* space */
	    " Zm9v",     /* leading space */
	    "Zm9v Zm9v", /* space between quanta */
	    "Zm-v",      /* base64url alphabet */
	    "Zm_v",      "Zm9v====", "Zm\x80v", /* not ASCII */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("bad: '%s'\n", bad[i]);
		assert_int_equal(base64_decode(bad[i], strlen(bad[i]), out, sizeof(out)), -1);
	}
	/* An embedded NUL is not a base64 character. */
	assert_int_equal(base64_decode("Zm\0v", 4, out, sizeof(out)), -1);
	/* The output bound counts the NUL: "foobar" needs 7 bytes. */
	assert_int_equal(base64_decode("Zm9vYmFy", 8, out, 7), 6);
	assert_int_equal(base64_decode("Zm9vYmFy", 8, out, 6), -1);
	assert_int_equal(base64_decode("Zm9vYg==", 8, out, 5), 4);
	assert_int_equal(base64_decode("Zm9vYg==", 8, out, 4), -1);
	assert_int_equal(base64_decode("", 0, out, 0), -1);
	/* Only len bytes are read. */
	assert_int_equal(base64_decode("Zm9vYmFy", 4, out, sizeof(out)), 3);
	assert_string_equal(out, "foo");
}

static void config_users(struct webcfg *w)
{
	static const char text[] = "basic_auth_users:\n"
	                           "  user: " HASH_USER "\n"
	                           "  alice: " HASH_ALICE "\n";
	assert_int_equal(webcfg_parse(text, strlen(text), "/", w, NULL), 0);
}

/* Builds "Basic base64(cred)" into out, with cred of n bytes. */
static const char *basic(const char *scheme, const char *cred, size_t n, char *out, size_t cap)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf b = BUF_INIT;
	buf_puts(&b, scheme);
	for (size_t i = 0; i < n; i += 3) {
		unsigned long q = (unsigned long)(unsigned char)cred[i] << 16;
		if (i + 1 < n)
			q |= (unsigned long)(unsigned char)cred[i + 1] << 8;
		if (i + 2 < n)
			q |= (unsigned char)cred[i + 2];
		buf_putc(&b, a[q >> 18 & 63]);
		buf_putc(&b, a[q >> 12 & 63]);
		buf_putc(&b, i + 1 < n ? a[q >> 6 & 63] : '=');
		buf_putc(&b, i + 2 < n ? a[q & 63] : '=');
	}
	assert_true(str_copy(out, cap, buf_str(&b)));
	buf_release(&b);
	return out;
}

#define BASIC(scheme, cred) basic(scheme, cred, sizeof(cred) - 1, hdr, sizeof(hdr))

static void test_auth(void **state)
{
	(void)state;
	struct webcfg w;
	char hdr[4096];

	/* No users: every request passes, with or without a header. */
	assert_int_equal(webcfg_parse("", 0, "/", &w, NULL), 0);
	assert_true(webcfg_auth(&w, NULL));
	assert_true(webcfg_auth(&w, "Basic garbage"));
	webcfg_release(&w);

	config_users(&w);
	assert_string_equal(BASIC("Basic ", "user:pass"), "Basic dXNlcjpwYXNz");
	assert_true(webcfg_auth(&w, "Basic dXNlcjpwYXNz"));
	assert_true(webcfg_auth(&w, BASIC("basic ", "user:pass")));        /* scheme in any case */
	assert_true(webcfg_auth(&w, BASIC("BASIC   ", "user:pass")));      /* 1*SP */
	assert_true(webcfg_auth(&w, BASIC("Basic ", "alice:pa:ss w0rd"))); /* split at first ':' */

	assert_false(webcfg_auth(&w, BASIC("Basic ", "user:wrong")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "user:pas")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "user:pass ")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "user:")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "User:pass")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "use:pass")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "userx:pass")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "mallory:pass")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", ":pass")));
	assert_false(
	    webcfg_auth(&w, BASIC("Basic ", "alice:pa"))); /* the name is alice, not alice:pa */
	assert_false(webcfg_auth(&w, BASIC("Basic ", "alice:pass")));
	assert_false(
	    webcfg_auth(&w, BASIC("Basic ", "user:pass\0x")));      /* crypt_r would stop at NUL */
	assert_false(webcfg_auth(&w, BASIC("Basic ", "userpass"))); /* no ':' */
	assert_false(webcfg_auth(&w, BASIC("Basic ", "")));
	assert_false(webcfg_auth(&w, NULL));
	assert_false(webcfg_auth(&w, ""));
	assert_false(webcfg_auth(&w, "Bearer dXNlcjpwYXNz"));
	assert_false(webcfg_auth(&w, "Basic"));
	assert_false(webcfg_auth(&w, "BasicdXNlcjpwYXNz"));
	assert_false(webcfg_auth(&w, "Basic dXNlcjpwYXNz "));
	assert_false(webcfg_auth(&w, "Basic dXNlcjpwYXN"));
	assert_false(webcfg_auth(&w, "Basic dXNlcjpw\nYXNz"));
	assert_false(webcfg_auth(&w, "Basic dXNlcjpwYXNz===="));
	assert_false(webcfg_auth(&w, "Basic !!!!"));
	memset(hdr, 'A', sizeof(hdr) - 1);
	memcpy(hdr, "Basic ", 6);
	hdr[sizeof(hdr) - 1] = '\0';
	assert_false(webcfg_auth(&w, hdr)); /* too long */

	/* Only accepted passwords are cached. */
	assert_string_equal(w.user[0].ok_cache, "pass");
	assert_string_equal(w.user[1].ok_cache, "pa:ss w0rd");
	webcfg_release(&w);
	config_users(&w);
	assert_false(webcfg_auth(&w, BASIC("Basic ", "user:wrong")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "mallory:pass")));
	assert_null(w.user[0].ok_cache);
	assert_null(w.user[1].ok_cache);
	webcfg_release(&w);
}

/* A cached password is accepted without crypt_r: with the hash spoiled, the cached
 * password still passes and nothing else does. */
static void test_auth_cache(void **state)
{
	(void)state;
	struct webcfg w;
	char hdr[256];
	config_users(&w);
	assert_true(webcfg_auth(&w, BASIC("Basic ", "user:pass")));
	assert_string_equal(w.user[0].ok_cache, "pass");
	w.user[0].hash[10] ^= 1;
	assert_true(webcfg_auth(&w, BASIC("Basic ", "user:pass")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "user:pas")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "user:passs")));
	assert_false(webcfg_auth(&w, BASIC("Basic ", "alice:pass")));
	assert_string_equal(w.user[0].ok_cache, "pass");
	/* A new accepted password replaces the cached one. */
	w.user[0].hash[10] ^= 1;
	free(w.user[0].ok_cache);
	w.user[0].ok_cache = strdup("old");
	assert_true(webcfg_auth(&w, BASIC("Basic ", "user:pass")));
	assert_string_equal(w.user[0].ok_cache, "pass");
	webcfg_release(&w);
}

static const char pem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
static const char key_pem[] = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

static void test_load(void **state)
{
	struct tree *t = *state;
	struct webcfg w;
	char msg[512], want[PATH_MAX + 64];

	tree_put(t, "/etc/kres/web.yml",
	         "tls_server_config:\n  cert_file: tls/kres.crt\n  key_file: ../kres.key\n"
	         "basic_auth_users:\n  user: " HASH_USER "\n");
	tree_put(t, "/etc/kres/tls/kres.crt", pem);
	tree_put(t, "/etc/kres.key", key_pem);
	assert_int_equal(webcfg_load(tree_path(t, "/etc/kres/web.yml"), &w, msg, sizeof(msg)), 0);
	assert_true(w.tls);
	assert_string_equal(w.cert_file, tree_path(t, "/etc/kres/tls/kres.crt"));
	assert_string_equal(w.key_file, tree_path(t, "/etc/kres/../kres.key"));
	assert_string_equal(w.cert_pem, pem);
	assert_string_equal(w.key_pem, key_pem);
	assert_int_equal(w.nuser, 1);
	webcfg_release(&w);

	/* A relative path to the file itself: the cert is still found, by an absolute name. */
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tree_path(t, "/etc")), 0);
	int rc = webcfg_load("kres/web.yml", &w, msg, sizeof(msg));
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(rc, 0);
	assert_string_equal(w.cert_file, tree_path(t, "/etc/kres/tls/kres.crt"));
	webcfg_release(&w);

	/* A missing cert: the message names the web-config and the cert. */
	tree_drop(t, "/etc/kres/tls/kres.crt");
	assert_int_equal(webcfg_load(tree_path(t, "/etc/kres/web.yml"), &w, msg, sizeof(msg)),
	                 -ENOENT);
	snprintf(want, sizeof(want),
	         "web-config %s: cannot read cert_file '%s': ", tree_path(t, "/etc/kres/web.yml"),
	         tree_path(t, "/etc/kres/tls/kres.crt"));
	assert_non_null(strstr(msg, want));
	assert_non_null(strstr(msg, "No such file"));
	assert_null(w.cert_file);
	assert_int_equal(w.nuser, 0);

	/* A cert that is not PEM. */
	tree_put(t, "/etc/kres/tls/kres.crt", "not a certificate\n");
	assert_int_equal(webcfg_load(tree_path(t, "/etc/kres/web.yml"), &w, msg, sizeof(msg)),
	                 -EINVAL);
	assert_non_null(strstr(msg, "holds no PEM block"));

	/* A missing key. */
	tree_put(t, "/etc/kres/tls/kres.crt", pem);
	tree_drop(t, "/etc/kres.key");
	assert_int_equal(webcfg_load(tree_path(t, "/etc/kres/web.yml"), &w, msg, sizeof(msg)),
	                 -ENOENT);
	assert_non_null(strstr(msg, "cannot read key_file"));
}

static void test_load_errors(void **state)
{
	struct tree *t = *state;
	struct webcfg w;
	char msg[512], want[PATH_MAX + 64];
	const char *path = tree_path(t, "/web.yml");

	assert_int_equal(webcfg_load(path, &w, msg, sizeof(msg)), -ENOENT);
	snprintf(want, sizeof(want), "web-config: cannot read '%s': No such file", path);
	assert_non_null(strstr(msg, want));

	/* The message of a parse error: file, line, what. */
	tree_put(t, "/web.yml", "basic_auth_users:\n  user: " HASH_USER "\n\nfoo: bar\n");
	assert_int_equal(webcfg_load(path, &w, msg, sizeof(msg)), -EINVAL);
	snprintf(want, sizeof(want), "web-config %s:4: unknown key 'foo'", path);
	assert_string_equal(msg, want);
	assert_int_equal(w.nuser, 0);

	/* Files over 1 MiB are refused whole; 1 MiB of comments is read. */
	size_t big = 1 << 20;
	char *text = malloc(big + 1);
	assert_non_null(text);
	memset(text, '#', big + 1);
	text[big - 1] = '\n';
	tree_put_n(t, "/web.yml", text, big);
	assert_int_equal(webcfg_load(path, &w, msg, sizeof(msg)), 0);
	assert_false(w.tls);
	assert_int_equal(w.nuser, 0);
	tree_put_n(t, "/web.yml", text, big + 1);
	assert_int_equal(webcfg_load(path, &w, msg, sizeof(msg)), -EFBIG);
	assert_non_null(strstr(msg, "larger than 1048576 bytes"));
	free(text);

	/* Without TLS nothing else is read. */
	tree_put(t, "/web.yml", "basic_auth_users:\n  user: " HASH_USER "\n");
	assert_int_equal(webcfg_load(path, &w, msg, sizeof(msg)), 0);
	assert_false(w.tls);
	assert_null(w.cert_pem);
	assert_true(webcfg_auth(&w, "Basic dXNlcjpwYXNz"));
	webcfg_release(&w);
}

int main(void)
{
	struct tree t1, t2;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_full),
	    cmocka_unit_test(test_parse_ok),
	    cmocka_unit_test(test_parse_paths),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_parse_limits),
	    cmocka_unit_test(test_base64),
	    cmocka_unit_test(test_auth),
	    cmocka_unit_test(test_auth_cache),
	    cmocka_unit_test_prestate_setup_teardown(test_load, tree_setup, tree_teardown, &t1),
	    cmocka_unit_test_prestate_setup_teardown(test_load_errors, tree_setup, tree_teardown,
	                                             &t2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
