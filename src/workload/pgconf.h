/* SPDX-License-Identifier: MIT */
/* PostgreSQL-family configuration files (postgresql.conf, seaboxsql.conf and their
 * .auto.conf) with PostgreSQL's own syntax and include rules, and the conversion of
 * setting values with units into numbers. */
#ifndef KRES_PGCONF_H
#define KRES_PGCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rootfs.h"
#include "util/text.h"

/* One setting as last assigned. */
struct pg_guc {
	char *name;  /* lower case, as PostgreSQL compares names case-insensitively */
	char *value; /* unquoted, escapes resolved */
	char *file;  /* shown path of the file, or the origin given to pgconf_set() */
	unsigned line;
};

struct pgconf {
	struct pg_guc *v; /* owned; one entry per name, in first-assignment order */
	size_t n, cap;
	struct strlist files; /* shown paths of every file read, in reading order */
};

/* What a line of a configuration file says. */
enum pgconf_item {
	PGC_SET,               /* name = value */
	PGC_INCLUDE,           /* include 'file' */
	PGC_INCLUDE_IF_EXISTS, /* include_if_exists 'file' */
	PGC_INCLUDE_DIR,       /* include_dir 'dir' */
};
typedef int (*pgconf_cb)(enum pgconf_item kind, const char *name, const char *value,
			 unsigned line, void *ctx);

/* Parses one file's text with PostgreSQL's lexical rules (guc-file.l): '#' comments,
 * "name = value" or "name value", names of letters, digits, '_', '$' and dots,
 * values as bare words/numbers (e.g. 128MB) or single-quoted strings where '' and
 * backslash escapes stand for a quote. Calls cb per item. Returns 0, cb's negative
 * value, or -EINVAL with *err on a syntax error. */
int pgconf_parse(const char *buf, size_t len, pgconf_cb cb, void *ctx, struct perr *err);

/* Loads path (absolute on the host, read under the root) and, recursively, what it
 * includes: relative include paths are relative to the including file's directory;
 * include_dir reads the *.conf files of the directory in name order (skipping names
 * starting with '.'); nesting deeper than 10 is an error, as in PostgreSQL. Later
 * assignments replace earlier ones. On failure returns -errno or -EINVAL and writes
 * a message naming the file and line into errmsg. A missing top file is -ENOENT. */
int pgconf_load(const struct rootfs *r, const char *path, struct pgconf *c, char *errmsg,
		size_t errlen);
/* Sets name = value with the given origin (e.g. "--set" or "postgres -c"). */
void pgconf_set(struct pgconf *c, const char *name, const char *value, const char *origin);
/* The setting, or NULL when no file sets it. name is matched case-insensitively. */
const struct pg_guc *pgconf_get(const struct pgconf *c, const char *name);
void pgconf_release(struct pgconf *c);

/* Base units of integer settings (PostgreSQL's GUC_UNIT_*). */
enum pg_unit {
	PGU_NONE,
	PGU_BYTE,
	PGU_KB,     /* e.g. work_mem, huge_page_size */
	PGU_BLOCKS, /* 8 kB pages: shared_buffers, wal_buffers */
	PGU_MB,     /* e.g. max_wal_size */
	PGU_MS,
	PGU_S,
	PGU_MIN,
};
/* Converts a setting value into an integer in the given base unit, as PostgreSQL's
 * parse_int() does: an optional sign, decimal or 0x hex digits, an optional
 * fraction (PostgreSQL 12+), then an optional unit — memory B, kB, MB, GB, TB
 * (case-sensitive, 1024-based), time us, ms, s, min, h, d — rounded to the nearest
 * base unit. Values of -1 (e.g. wal_buffers = -1) come back as -1. Returns 0 or
 * -EINVAL (bad number, unknown unit, unit of the wrong kind) / -ERANGE. */
int pg_parse_int(const char *v, enum pg_unit base, int64_t *out);
/* PostgreSQL's booleans: on/off, true/false, yes/no, 1/0 and unique prefixes of
 * them (case-insensitive, "o" alone is ambiguous). Returns 1, 0 or -EINVAL. */
int pg_parse_bool(const char *v);

#endif
