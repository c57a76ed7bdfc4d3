// SPDX-License-Identifier: MIT
/* Streaming JSON writer. */
#include "util/json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "util/banned.h"

void json_init(struct json *j, struct buf *out, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
}

static void indent(struct json *j)
{
	if (!j->pretty)
		return;
	buf_putc(j->out, '\n');
	for (int i = 0; i < j->depth; i++)
		buf_puts(j->out, "  ");
}

/* Called before every value and key: writes the comma and indentation. */
static void before_value(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			buf_putc(j->out, ',');
		j->need_comma[j->depth] = true;
		indent(j);
	}
}

static void open_(struct json *j, char c)
{
	before_value(j);
	buf_putc(j->out, c);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(struct json *j, char c)
{
	bool had = j->need_comma[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (had)
		indent(j);
	buf_putc(j->out, c);
}

void json_obj_begin(struct json *j) { open_(j, '{'); }
void json_obj_end(struct json *j) { close_(j, '}'); }
void json_arr_begin(struct json *j) { open_(j, '['); }
void json_arr_end(struct json *j) { close_(j, ']'); }

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned min;
	unsigned cp;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, min = 0x80, cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, min = 0x800, cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void put_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	buf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
			i++;
		} else if (c == '\n') {
			buf_puts(b, "\\n"), i++;
		} else if (c == '\t') {
			buf_puts(b, "\\t"), i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_appendf(b, "\\u%04x", c), i++;
		} else {
			size_t k = utf8_len(p + i, n - i);
			if (k == 0) {
				buf_puts(b, "\\ufffd");
				i++;
			} else {
				buf_append(b, s + i, k);
				i += k;
			}
		}
	}
	buf_putc(b, '"');
}

void json_key(struct json *j, const char *key)
{
	before_value(j);
	put_string(j->out, key);
	buf_puts(j->out, j->pretty ? ": " : ":");
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	before_value(j);
	put_string(j->out, s);
}

void json_int(struct json *j, int64_t v)
{
	before_value(j);
	buf_appendf(j->out, "%lld", (long long)v);
}

void json_uint(struct json *j, uint64_t v)
{
	before_value(j);
	buf_appendf(j->out, "%llu", (unsigned long long)v);
}

void json_double(struct json *j, double v)
{
	before_value(j);
	if (isfinite(v))
		buf_appendf(j->out, "%.6g", v);
	else
		buf_puts(j->out, "null");
}

void json_fixed(struct json *j, int64_t v, int64_t scale, int decimals)
{
	before_value(j);
	if (v < 0) {
		buf_putc(j->out, '-');
		v = -v;
	}
	buf_appendf(j->out, "%" PRId64, v / scale);
	if (decimals > 0)
		buf_appendf(j->out, ".%0*" PRId64, decimals, v % scale);
}

void json_bool(struct json *j, bool v)
{
	before_value(j);
	buf_puts(j->out, v ? "true" : "false");
}

void json_null(struct json *j)
{
	before_value(j);
	buf_puts(j->out, "null");
}

void json_kv_str(struct json *j, const char *key, const char *s) { json_key(j, key); json_str(j, s); }
void json_kv_int(struct json *j, const char *key, int64_t v) { json_key(j, key); json_int(j, v); }
void json_kv_uint(struct json *j, const char *key, uint64_t v) { json_key(j, key); json_uint(j, v); }
void json_kv_bool(struct json *j, const char *key, bool v) { json_key(j, key); json_bool(j, v); }
