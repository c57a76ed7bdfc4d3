/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer over a struct buf: it tracks nesting and commas so
 * callers only say what comes next. Strings are escaped per RFC 8259; invalid
 * UTF-8 bytes are replaced with U+FFFD so the output is always valid JSON. */
#ifndef KRES_JSON_H
#define KRES_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct buf *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
	bool pretty;
};

void json_init(struct json *j, struct buf *out, bool pretty);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s); /* NULL writes null */
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
void json_double(struct json *j, double v);
/* v / scale printed exactly with decimals digits (scale = 10^decimals): 7712.345678. */
void json_fixed(struct json *j, int64_t v, int64_t scale, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Shorthands for a key followed by a value. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

#endif
