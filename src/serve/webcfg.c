// SPDX-License-Identifier: MIT
/* The exporter-toolkit web configuration (docs/web-configuration.md): a small YAML
 * reader for the part of YAML that file needs, the TLS file names, and HTTP Basic
 * authentication against bcrypt hashes with crypt_r(). */
#include "serve/webcfg.h"

#include <crypt.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/rootfs.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* A web-config, cert or key file is a few KiB; 1 MiB bounds a wrong path (a log, a
 * device) without refusing any real file. */
#define WEBCFG_MAX_FILE (1 << 20)
/* Keys and values: a path is at most PATH_MAX (4096). */
#define WEBCFG_MAX_FIELD 4096
/* Decoded "user:password" of an Authorization header. bcrypt reads 72 bytes of a
 * password; 1 KiB leaves room for long names without letting a header grow a
 * buffer. */
#define WEBCFG_MAX_CRED 1024
#define WEBCFG_MAX_B64  ((WEBCFG_MAX_CRED + 2) / 3 * 4)

enum sect {
	SECT_NONE,
	SECT_TLS,   /* tls_server_config: cert_file, key_file */
	SECT_HTTP,  /* http_server_config: nothing implemented */
	SECT_USERS, /* basic_auth_users: name -> hash */
	SECT_UNSUPPORTED,
};

/* The top-level keys of exporter-toolkit's file, one bit each for duplicates. */
static const struct {
	const char *key;
	enum sect sect;
} top_keys[] = {
    {"tls_server_config", SECT_TLS},
    {"http_server_config", SECT_HTTP},
    {"basic_auth_users", SECT_USERS},
    {"rate_limit", SECT_UNSUPPORTED}, /* the token bucket of newer toolkits */
};

/* tls_server_config keys the toolkit knows and kres does not implement. */
static const char *const tls_unsupported[] = {
    "cert",
    "key",
    "client_ca", /* inline PEM instead of files */
    "client_auth_type",
    "client_ca_file",
    "client_allowed_sans",
    "min_version",
    "max_version",
    "cipher_suites",
    "prefer_server_cipher_suites",
    "curve_preferences",
};

/* http_server_config keys: kres sets its own headers and speaks HTTP/1.1. */
static const char *const http_unsupported[] = {"http2", "headers"};

struct parser {
	struct webcfg *w;
	const char *dir;
	struct perr *err;
	unsigned line;
	int top_indent;   /* of the top-level keys; -1 before the first */
	int child_indent; /* of the open section's keys; -1 before its first */
	enum sect sect;   /* the section the following indented keys belong to */
	unsigned seen_top;
	bool started; /* a key or '---' was seen */
	bool seen_cert, seen_key;
	unsigned tls_line;
	struct buf key, val;
	bool val_null; /* nothing after "key:" (or ~, null) */
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parser *p, const char *fmt, ...)
{
	if (p->err) {
		va_list ap;
		va_start(ap, fmt);
		p->err->line = p->line;
		vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A key as a message shows it: bytes outside printable ASCII escaped, cut short so
 * the message keeps its end. Returns out. */
static const char *shown(const struct buf *b, char *out, size_t n)
{
	struct buf t = BUF_INIT;
	buf_put_escaped(&t, buf_str(b), b->len > 40 ? 40 : b->len);
	if (b->len > 40)
		buf_puts(&t, "...");
	str_copy(out, n, buf_str(&t));
	buf_release(&t);
	return out;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Whether s starts with c followed by a blank or the end: YAML's indicators '-',
 * '?' and ':' mean something only then ("-x" is a plain scalar). */
static bool indicator(struct span s, char c)
{
	return s.n && s.p[0] == c && (s.n == 1 || is_blank(s.p[1]));
}

/* YAML syntax that is outside the subset, at the start of a key or value. */
static int check_start(struct parser *p, struct span s)
{
	static const struct {
		char c;
		const char *what;
	} unsupported[] = {
	    {'{', "flow mappings ('{')"},  {'[', "flow sequences ('[')"},
	    {'&', "anchors ('&')"},        {'*', "aliases ('*')"},
	    {'!', "tags ('!')"},           {'|', "block scalars ('|')"},
	    {'>', "folded scalars ('>')"}, {'%', "directives ('%')"},
	    {'@', "the reserved '@'"},     {'`', "the reserved '`'"},
	    {',', "a leading ','"},        {']', "a leading ']'"},
	    {'}', "a leading '}'"},
	};
	if (!s.n)
		return 0;
	if (indicator(s, '-'))
		return fail(p, "sequences ('- ') are not supported");
	if (indicator(s, '?'))
		return fail(p, "complex keys ('? ') are not supported");
	if (indicator(s, ':'))
		return fail(p, "a ':' without a key before it");
	for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++)
		if (s.p[0] == unsupported[i].c)
			return fail(p, "%s are not supported", unsupported[i].what);
	return 0;
}

static void advance(struct span *s, size_t k)
{
	s->p += k;
	s->n -= k;
}

static void skip_blanks(struct span *s)
{
	while (s->n && is_blank(s->p[0]))
		advance(s, 1);
}

/* Reads the quoted scalar at the start of *s into out and moves *s past it. YAML
 * lets quoted scalars run over lines; here they end on their line. */
static int scan_quoted(struct parser *p, struct span *s, struct buf *out)
{
	char q = s->p[0];
	buf_reset(out);
	buf_puts(out, "");
	for (size_t i = 1; i < s->n;) {
		char c = s->p[i];
		if (out->len >= WEBCFG_MAX_FIELD)
			return fail(p, "a value longer than %d bytes", WEBCFG_MAX_FIELD);
		if (c == q && q == '\'' && i + 1 < s->n && s->p[i + 1] == '\'') {
			buf_putc(out, '\'');
			i += 2;
		} else if (c == q) {
			advance(s, i + 1);
			return 0;
		} else if (q == '"' && c == '\\' && i + 1 < s->n) {
			unsigned char e = (unsigned char)s->p[i + 1];
			if (e != '"' && e != '\\')
				return fail(p,
				            "escape '\\%c' in a double-quoted value (only \\\" and "
				            "\\\\ are supported)",
				            e >= 0x20 && e < 0x7f ? e : '?');
			buf_putc(out, (char)e);
			i += 2;
		} else {
			buf_putc(out, c);
			i++;
		}
	}
	return fail(p, "no closing %c on the line (multi-line values are not supported)", q);
}

/* The plain scalar at the start of *s, up to end (exclusive), trailing blanks cut. */
static int take_plain(struct parser *p, struct span *s, size_t end, struct buf *out)
{
	size_t n = end;
	while (n && is_blank(s->p[n - 1]))
		n--;
	if (n > WEBCFG_MAX_FIELD)
		return fail(p, "a key or value longer than %d bytes", WEBCFG_MAX_FIELD);
	buf_reset(out);
	buf_append(out, s->p, n);
	advance(s, end);
	return 0;
}

/* What may follow a quoted value: nothing, or blanks and a comment. */
static int check_rest(struct parser *p, struct span s)
{
	size_t n = s.n;
	skip_blanks(&s);
	if (s.n && (s.p[0] != '#' || s.n == n))
		return fail(p, "unexpected text after a quoted value");
	return 0;
}

/* "key:" with the key plain or quoted; leaves *s after the ':'. */
static int scan_key(struct parser *p, struct span *s)
{
	int rc;
	if (s->p[0] == '"' || s->p[0] == '\'') {
		if ((rc = scan_quoted(p, s, &p->key)))
			return rc;
		skip_blanks(s);
		if (!indicator(*s, ':'))
			return fail(p, "expected ':' after the quoted key");
		advance(s, 1);
		return 0;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (s->p[i] == '#' && i && is_blank(s->p[i - 1]))
			break;
		if (s->p[i] == ':' && (i + 1 == s->n || is_blank(s->p[i + 1]))) {
			if ((rc = take_plain(p, s, i, &p->key)))
				return rc;
			advance(s, 1);
			return 0;
		}
	}
	return fail(p, "expected 'key: value' (multi-line values are not supported)");
}

/* The value after "key:", into p->val; p->val_null when there is none. */
static int scan_value(struct parser *p, struct span s)
{
	int rc;
	skip_blanks(&s);
	p->val_null = false;
	buf_reset(&p->val);
	if (!s.n || s.p[0] == '#') {
		p->val_null = true;
		return 0;
	}
	if ((rc = check_start(p, s)))
		return rc;
	if (s.p[0] == '"' || s.p[0] == '\'') {
		if ((rc = scan_quoted(p, &s, &p->val)))
			return rc;
		return check_rest(p, s);
	}
	size_t end = 0;
	while (end < s.n && !(s.p[end] == '#' && is_blank(s.p[end - 1]))) {
		if (s.p[end] == ':' && (end + 1 == s.n || is_blank(s.p[end + 1])))
			return fail(p, "': ' inside a value (quote the value; nested mappings are "
			               "not supported here)");
		end++;
	}
	if ((rc = take_plain(p, &s, end, &p->val)))
		return rc;
	/* YAML's null words: the key is there without a value, as the toolkit reads it. */
	const char *v = buf_str(&p->val);
	p->val_null =
	    !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
	return 0;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* Relative paths are taken from the file's directory, as exporter-toolkit does. */
static char *resolve(const char *dir, const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	if (!dir || !dir[0])
		dir = ".";
	size_t n = strlen(dir);
	return xasprintf("%s%s%s", dir, dir[n - 1] == '/' ? "" : "/", path);
}

static int tls_key(struct parser *p)
{
	bool cert = !strcmp(buf_str(&p->key), "cert_file");
	bool *seen = cert ? &p->seen_cert : &p->seen_key;
	if (*seen)
		return fail(p, "duplicate key '%s'", cert ? "cert_file" : "key_file");
	*seen = true;
	/* An empty name means unset, as in the toolkit. */
	if (p->val_null || !p->val.len)
		return 0;
	char **dst = cert ? &p->w->cert_file : &p->w->key_file;
	*dst = resolve(p->dir, buf_str(&p->val));
	return 0;
}

/* bcrypt as crypt(3) spells it: $2a$, $2b$, $2x$ or $2y$, a two-digit cost, then 22
 * characters of salt and 31 of hash. A cut-off hash would refuse every password. */
static bool bcrypt_complete(const char *h)
{
	static const char alphabet[] =
	    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	if (strlen(h) != 60 || !strchr("abxy", h[2]) || h[3] != '$' || h[6] != '$')
		return false;
	if (h[4] < '0' || h[4] > '3' || h[5] < '0' || h[5] > '9')
		return false;
	return strspn(h + 7, alphabet) == 53;
}

static int user_key(struct parser *p)
{
	char k[64];
	struct webcfg *w = p->w;
	const char *name = buf_str(&p->key), *hash = buf_str(&p->val);
	if (!p->key.len)
		return fail(p, "empty user name");
	if (strchr(name, ':'))
		return fail(p,
		            "user name '%s' contains ':', which Basic authentication cannot "
		            "carry",
		            shown(&p->key, k, sizeof(k)));
	for (size_t i = 0; i < w->nuser; i++)
		if (!strcmp(w->user[i].name, name))
			return fail(p, "duplicate user '%s'", shown(&p->key, k, sizeof(k)));
	if (w->nuser == WEBCFG_MAX_USERS)
		return fail(p, "more than %d users", WEBCFG_MAX_USERS);
	if (p->val_null || hash[0] != '$')
		return fail(p,
		            "the password of user '%s' is not a crypt(3) hash starting with '$' "
		            "(htpasswd -nB makes one)",
		            shown(&p->key, k, sizeof(k)));
	if (!strncmp(hash, "$2", 2) && !bcrypt_complete(hash))
		return fail(p,
		            "the bcrypt hash of user '%s' is incomplete (bcrypt hashes have 60 "
		            "characters)",
		            shown(&p->key, k, sizeof(k)));
	w->user[w->nuser].name = xstrdup(name);
	w->user[w->nuser].hash = xstrdup(hash);
	w->nuser++;
	return 0;
}

static size_t top_index(const struct buf *key)
{
	size_t i = 0;
	while (i < ARRAY_SIZE(top_keys) && strcmp(top_keys[i].key, buf_str(key)))
		i++;
	return i;
}

/* Whether kres reads the key just scanned where it stands. Checked before the value
 * is, so that the error names a key kres does not implement, whatever YAML its value
 * is written in. */
static int check_name(struct parser *p, bool top)
{
	char k[64];
	const char *key = buf_str(&p->key);
	if (top) {
		size_t i = top_index(&p->key);
		if (i == ARRAY_SIZE(top_keys))
			return fail(p, "unknown key '%s'", shown(&p->key, k, sizeof(k)));
		if (top_keys[i].sect == SECT_UNSUPPORTED)
			return fail(p, "'%s' is not supported by kres", key);
		return 0;
	}
	switch (p->sect) {
	case SECT_TLS:
		if (!strcmp(key, "cert_file") || !strcmp(key, "key_file"))
			return 0;
		if (in_list(tls_unsupported, ARRAY_SIZE(tls_unsupported), key))
			return fail(p, "'%s' in tls_server_config is not supported by kres", key);
		return fail(p, "unknown key '%s' in tls_server_config",
		            shown(&p->key, k, sizeof(k)));
	case SECT_HTTP:
		if (in_list(http_unsupported, ARRAY_SIZE(http_unsupported), key))
			return fail(p, "'%s' in http_server_config is not supported by kres", key);
		return fail(p, "unknown key '%s' in http_server_config",
		            shown(&p->key, k, sizeof(k)));
	case SECT_USERS:
		return 0;
	case SECT_NONE:
	case SECT_UNSUPPORTED:
		break;
	}
	return fail(p, "unexpected indentation");
}

/* A top-level key (check_name passed) and its value. */
static int top_key(struct parser *p)
{
	size_t i = top_index(&p->key);
	const char *key = top_keys[i].key;
	if (p->seen_top & (1u << i))
		return fail(p, "duplicate key '%s'", key);
	p->seen_top |= 1u << i;
	if (!p->val_null)
		return fail(p, "'%s' holds a mapping of keys, not a value", key);
	p->sect = top_keys[i].sect;
	p->child_indent = -1;
	if (p->sect == SECT_TLS)
		p->tls_line = p->line;
	return 0;
}

/* Places a key line by its indentation: a top-level key, a key of the open section,
 * or an error. */
static int place(struct parser *p, int indent)
{
	if (p->top_indent < 0)
		p->top_indent = indent;
	if (indent < p->top_indent)
		return fail(p, "bad indentation: less than the first key's");
	if (indent == p->top_indent)
		return 1;
	if (p->child_indent < 0)
		p->child_indent = indent;
	if (indent > p->child_indent)
		return fail(p, "unexpected indentation (nested mappings and multi-line values are "
		               "not supported here)");
	if (indent < p->child_indent)
		return fail(p, "bad indentation: does not line up with the keys above");
	return 0;
}

/* The document markers: one leading '---' is allowed, nothing else. Returns 1 when
 * the line was a marker, 0 when it is not one, or an error. */
static int marker(struct parser *p, struct span s)
{
	bool start = s.n >= 3 && !memcmp(s.p, "---", 3) && (s.n == 3 || is_blank(s.p[3]));
	bool end = s.n >= 3 && !memcmp(s.p, "...", 3) && (s.n == 3 || is_blank(s.p[3]));
	if (end)
		return fail(p, "the document end marker '...' is not supported");
	if (!start)
		return 0;
	if (p->started)
		return fail(p, "a second YAML document ('---') is not supported");
	p->started = true;
	advance(&s, 3);
	skip_blanks(&s);
	if (s.n && s.p[0] != '#')
		return fail(p, "content on the '---' line is not supported");
	return 1;
}

static int parse_line(struct parser *p, struct span s)
{
	int rc;
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(p, "control character 0x%02x", c);
	}
	size_t indent = 0;
	while (indent < s.n && s.p[indent] == ' ')
		indent++;
	struct span c = {s.p + indent, s.n - indent};
	bool tab = c.n && c.p[0] == '\t';
	skip_blanks(&c);
	if (!c.n || c.p[0] == '#')
		return 0;
	if (tab)
		return fail(p, "a tab in the indentation (YAML indents with spaces)");
	if (indent == 0 && (rc = marker(p, c)))
		return rc < 0 ? rc : 0;
	if ((rc = check_start(p, c)))
		return rc;
	if (indent > WEBCFG_MAX_FIELD)
		return fail(p, "unexpected indentation");
	p->started = true;
	int top = place(p, (int)indent);
	if (top < 0)
		return top;
	if ((rc = scan_key(p, &c)) || (rc = check_name(p, top)) || (rc = scan_value(p, c)))
		return rc;
	if (top)
		return top_key(p);
	return p->sect == SECT_TLS ? tls_key(p) : user_key(p);
}

static int parse_end(struct parser *p)
{
	/* Neither is plain HTTP, as in the toolkit; one alone is a mistake. */
	if (!p->w->cert_file != !p->w->key_file) {
		p->line = p->tls_line;
		return fail(p,
		            "tls_server_config needs both cert_file and key_file (%s is missing)",
		            p->w->cert_file ? "key_file" : "cert_file");
	}
	p->w->tls = p->w->cert_file != NULL;
	return 0;
}

int webcfg_parse(const char *text, size_t len, const char *dir, struct webcfg *w, struct perr *err)
{
	struct parser p = {.w = w, .dir = dir, .err = err, .top_indent = -1, .child_indent = -1};
	struct lineiter it;
	struct span s;
	int rc = 0;

	memset(w, 0, sizeof(*w));
	/* A byte order mark, as some editors write. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		text += 3;
		len -= 3;
	}
	lineiter_init(&it, text, len);
	while (!rc && lineiter_next(&it, &s)) {
		p.line = it.lineno;
		if (s.n && s.p[s.n - 1] == '\r')
			s.n--;
		rc = parse_line(&p, s);
	}
	if (!rc)
		rc = parse_end(&p);
	buf_release(&p.key);
	buf_release(&p.val);
	if (rc)
		webcfg_release(w);
	return rc;
}

/* Reads a PEM file named in the config. */
static int read_pem(const struct rootfs *root, const char *cfg, const char *what, const char *path,
                    char **out, char *msg, size_t n)
{
	ssize_t len = rootfs_read(root, path, WEBCFG_MAX_FILE, out);
	if (len == -EFBIG) {
		snprintf(msg, n, "web-config %s: %s '%s' is larger than %d bytes", cfg, what, path,
		         WEBCFG_MAX_FILE);
		return -EFBIG;
	}
	if (len < 0) {
		snprintf(msg, n, "web-config %s: cannot read %s '%s': %s", cfg, what, path,
		         strerror((int)-len));
		return (int)len;
	}
	if (!strstr(*out, "-----BEGIN ")) {
		snprintf(msg, n, "web-config %s: %s '%s' holds no PEM block", cfg, what, path);
		return -EINVAL;
	}
	return 0;
}

/* path made absolute against the working directory, so the directory handed to the
 * parser (and so cert_file and key_file) is absolute too. */
static char *absolute(const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	char *cwd = getcwd(NULL, 0);
	if (!cwd)
		return NULL;
	char *abs = resolve(cwd, path);
	free(cwd);
	return abs;
}

int webcfg_load(const char *path, struct webcfg *w, char *msg, size_t n)
{
	struct rootfs root;
	struct perr e = {0};
	char *text = NULL, *abs = absolute(path), *dir = NULL;
	int rc;

	memset(w, 0, sizeof(*w));
	if (!abs) {
		rc = -errno;
		snprintf(msg, n, "web-config %s: cannot getcwd: %s", path, strerror(-rc));
		return rc;
	}
	if ((rc = rootfs_open(&root, "/"))) {
		snprintf(msg, n, "web-config %s: cannot open '/': %s", path, strerror(-rc));
		free(abs);
		return rc;
	}
	ssize_t len = rootfs_read(&root, abs, WEBCFG_MAX_FILE, &text);
	if (len < 0) {
		rc = (int)len;
		if (rc == -EFBIG)
			snprintf(msg, n, "web-config %s: larger than %d bytes", path,
			         WEBCFG_MAX_FILE);
		else
			snprintf(msg, n, "web-config: cannot read '%s': %s", path, strerror(-rc));
		goto out;
	}
	dir = xstrndup(abs, (size_t)(strrchr(abs, '/') - abs));
	if ((rc = webcfg_parse(text, (size_t)len, dir[0] ? dir : "/", w, &e))) {
		snprintf(msg, n, "web-config %s:%u: %s", path, e.line, e.msg);
		goto out;
	}
	if (w->tls &&
	    ((rc = read_pem(&root, path, "cert_file", w->cert_file, &w->cert_pem, msg, n)) ||
	     (rc = read_pem(&root, path, "key_file", w->key_file, &w->key_pem, msg, n))))
		webcfg_release(w);
out:
	rootfs_close(&root);
	free(text);
	free(dir);
	free(abs);
	return rc;
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void webcfg_release(struct webcfg *w)
{
	for (size_t i = 0; i < w->nuser; i++) {
		free(w->user[i].name);
		free(w->user[i].hash);
		free_secret(w->user[i].ok_cache);
	}
	free(w->cert_file);
	free(w->key_file);
	free(w->cert_pem);
	free_secret(w->key_pem);
	memset(w, 0, sizeof(*w));
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* RFC 4648 section 4, strictly: whole quanta, '=' only as the last one or two
 * characters, and the unused bits of the last character zero (section 3.5), so
 * each byte string has one encoding. */
long base64_decode(const char *in, size_t len, char *out, size_t n)
{
	size_t pad = 0;
	if (len % 4)
		return -1;
	if (len && in[len - 1] == '=')
		pad = len >= 2 && in[len - 2] == '=' ? 2 : 1;
	size_t dlen = len / 4 * 3 - pad;
	if (dlen >= n)
		return -1;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		int v[4];
		for (size_t j = 0; j < 4; j++) {
			v[j] = b64_value((unsigned char)in[i + j]);
			if (last && j >= 4 - pad)
				v[j] = 0;
			else if (v[j] < 0)
				return -1;
		}
		unsigned long q = (unsigned long)v[0] << 18 | (unsigned long)v[1] << 12 |
		                  (unsigned long)v[2] << 6 | (unsigned long)v[3];
		if (last && ((pad == 1 && (q & 0xff)) || (pad == 2 && (q & 0xffff))))
			return -1;
		out[o++] = (char)(q >> 16);
		if (!last || pad < 2)
			out[o++] = (char)(q >> 8 & 0xff);
		if (!last || pad < 1)
			out[o++] = (char)(q & 0xff);
	}
	out[o] = '\0';
	return (long)o;
}

/* Whether a equals b, reading every byte of b whatever the contents, so the time
 * depends on the lengths alone, never on where the strings differ. */
static bool ct_equal(const char *a, size_t an, const char *b, size_t bn)
{
	unsigned char d = an != bn;
	for (size_t i = 0; i < bn; i++)
		d |= (unsigned char)b[i] ^ (unsigned char)(i < an ? a[i] : 0);
	return d == 0;
}

/* webcfg_auth may run in several of libmicrohttpd's threads: the lock guards the
 * password caches, and bcrypt runs one at a time, as in exporter-toolkit, so a
 * flood of guesses takes one CPU, not all. */
static pthread_mutex_t auth_lock = PTHREAD_MUTEX_INITIALIZER;

/* Checks user and password (NUL-terminated, with their lengths); under auth_lock. */
static bool auth_check(struct webcfg *w, const char *user, size_t ulen, const char *pass,
                       size_t plen)
{
	/* Every name is compared, and the match is picked without a branch on it. */
	size_t found = w->nuser;
	for (size_t i = 0; i < w->nuser; i++) {
		size_t mask = (size_t)0 - (size_t)ct_equal(w->user[i].name, strlen(w->user[i].name),
		                                           user, ulen);
		found = (found & ~mask) | (i & mask);
	}
	struct webcfg_user *u = found < w->nuser ? &w->user[found] : NULL;
	if (u && u->ok_cache && ct_equal(u->ok_cache, strlen(u->ok_cache), pass, plen))
		return true;
	/* An unknown name costs one crypt_r too, against a configured hash so that it
	 * has the same algorithm and cost; the result is never accepted. */
	const char *hash = u ? u->hash : w->user[0].hash;
	struct crypt_data *cd = xcalloc(1, sizeof(*cd));
	const char *got = crypt_r(pass, hash, cd);
	bool ok = u && got && got[0] == '$' && ct_equal(hash, strlen(hash), got, strlen(got));
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	if (ok) {
		free_secret(u->ok_cache);
		u->ok_cache = xstrndup(pass, plen);
	}
	return ok;
}

bool webcfg_auth(struct webcfg *w, const char *authorization)
{
	if (!w->nuser)
		return true;
	if (!authorization || strncasecmp(authorization, "Basic ", 6))
		return false;
	/* RFC 7235 section 2.1: the scheme, one or more spaces, the token68. */
	const char *b64 = authorization + 6;
	while (*b64 == ' ')
		b64++;
	size_t blen = strnlen(b64, WEBCFG_MAX_B64 + 1);
	if (blen > WEBCFG_MAX_B64)
		return false;
	char cred[WEBCFG_MAX_CRED + 1];
	bool ok = false;
	long n = base64_decode(b64, blen, cred, sizeof(cred));
	char *colon = n > 0 ? memchr(cred, ':', (size_t)n) : NULL;
	/* A NUL would end the password early for crypt_r: "pass\0x" would pass. */
	if (colon && !memchr(cred, '\0', (size_t)n)) {
		*colon = '\0';
		size_t ulen = (size_t)(colon - cred);
		pthread_mutex_lock(&auth_lock);
		ok = auth_check(w, cred, ulen, colon + 1, (size_t)n - ulen - 1);
		pthread_mutex_unlock(&auth_lock);
	}
	explicit_bzero(cred, sizeof(cred));
	return ok;
}
