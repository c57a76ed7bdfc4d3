/* SPDX-License-Identifier: MIT */
/* Redis configuration files (redis.conf) read the way Redis 7.0 reads them: its
 * line splitter and argument quoting, include with glob patterns, the working
 * directory that 'dir' changes on the way, the command-line options that follow
 * the file, and the number and boolean syntaxes of its settings. */
#ifndef KRES_REDISCONF_H
#define KRES_REDISCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/rootfs.h"
#include "util/text.h"

/* One argument. A double-quoted "\x00" puts a NUL byte inside an argument, so the
 * length is kept; s is NUL-terminated as well, which is how Redis hands paths and
 * yes/no words to C functions that stop at the first NUL. */
struct rd_arg {
	char *s;
	size_t n;
};

/* One configuration line: argv[0] is the directive name in lower case (Redis
 * lower-cases it before looking it up), the rest its arguments. */
struct rd_directive {
	struct rd_arg *argv;
	size_t argc;      /* at least 1 */
	const char *file; /* shown path of the file, or an origin such as "the command
	                   * line"; a string of the rdconf's names */
	unsigned line;    /* 1-based line in file; 0 for origins that have no lines */
};

struct rdconf {
	struct rd_directive *v; /* owned; every directive in reading order */
	size_t n, cap;
	struct strlist files; /* shown paths of every file read, in reading order */
	struct strlist names; /* the strings the directives' file point to */
};

/* Splits one line into arguments as sdssplitargs() (src/sds.c) does: blanks
 * (isspace) separate arguments; "double quotes" know \n \r \t \b \a, \xHH and a
 * backslash before any other byte; 'single quotes' know only \'; a quote may open
 * inside a word (ab"c d" is one argument "abc d") but a closing quote must be
 * followed by a blank or the end. Returns 0 with *argv (free with rd_args_free) or
 * -EINVAL for unbalanced quotes. The line ends at its first NUL byte. */
int rdconf_split_args(const char *s, size_t n, struct rd_arg **argv, size_t *argc);
void rd_args_free(struct rd_arg *v, size_t n);

/* Called per directive; argv[0] is lower case. A negative return stops the parse. */
typedef int (*rdconf_cb)(const struct rd_arg *argv, size_t argc, unsigned line, void *ctx);

/* Parses text with the rules of loadServerConfigFromString() (src/config.c): lines
 * split at '\n' and trimmed of " \t\r\n"; a line whose first byte is then '#' is a
 * comment ('#' later in a line is an ordinary argument byte); blank lines and lines
 * of only other blanks are skipped; a NUL byte ends its line. Calls cb per
 * directive. Returns 0, cb's negative value, or -EINVAL with err ("unbalanced
 * quotes", Redis's "Unbalanced quotes in configuration line") at the line. */
int rdconf_parse(const char *buf, size_t len, rdconf_cb cb, void *ctx, struct perr *err);

/* Keeps what Redis keeps of a file read with fgets() into a 1025-byte buffer and
 * appended with sdscat(): in each piece of at most 1024 bytes (or up to and
 * including a newline) the bytes from the first NUL on are lost. Appends to out. */
void rdconf_fgets_filter(const char *p, size_t n, struct buf *out);

/* Builds the configuration text that Redis's main() makes of the command-line
 * options after the file name: each "--name" starts a line, the arguments after it
 * are appended quoted (sdscatrepr), with the two "--save" special cases of 7.0. */
void rdconf_options_text(const char *const *argv, size_t argc, struct buf *out);

/* Loads path (absolute on the host, read under the root; NULL for none) and then
 * the options (the arguments after the file on Redis's command line; opt_origin
 * names them in directives, e.g. "the command line"), as loadServerConfig() does.
 * "include PATH" reads PATH at once, resolved against the working directory of the
 * moment: cwd at first ("/" when NULL), then each 'dir' directive's directory, as
 * Redis chdir()s while it reads. A PATH with '*', '?' or '[' is a glob(3) pattern:
 * the matches are read in name order and concatenated before parsing (a file that
 * does not end in a newline joins its last line to the next file's first), and no
 * match is no error; any other missing include is an error, as it is fatal to
 * Redis. Includes nested deeper than 10 are an error (Redis has no limit and
 * crashes on a cycle), and so are loads beyond kres's bounds on work: 1000 files,
 * 32 MiB, 10000 directories searched by globs, 100000 directives or a million
 * arguments (a stock redis.conf has 71 directives). Returns 0, or -errno /
 * -EINVAL / -E2BIG with a message naming the file and line in errmsg; a missing
 * top file is -ENOENT. */
int rdconf_load(const struct rootfs *r, const char *path, const char *cwd, const char *const *opts,
                size_t nopts, const char *opt_origin, struct rdconf *c, char *errmsg,
                size_t errlen);

/* Appends one directive "name args..." with the given origin (line 0). */
void rdconf_add(struct rdconf *c, const struct rd_arg *argv, size_t argc, const char *origin);
/* The last directive with that name (lower case), or NULL. */
const struct rd_directive *rdconf_get(const struct rdconf *c, const char *name);
void rdconf_release(struct rdconf *c);

/* string2ll() of src/util.c: optional '-', no '+', no blanks, no leading zeros
 * ("0" alone is fine), no overflow. Returns 0 or -EINVAL. */
int rd_parse_ll(const char *s, size_t n, int64_t *out);
/* memtoull() of src/util.c on a C string: digits then an optional unit b, k
 * (1000), kb (1024), m, mb, g, gb in any case; no sign, no blanks. As in Redis, a
 * unit with no digits is 0 ("gb" reads as 0) and a number too long for strtoull()
 * saturates when it has no unit. Returns 0 or -EINVAL. */
int rd_parse_memory(const char *s, uint64_t *out);
/* yesnotoi(): "yes" 1, "no" 0 (any case), else -EINVAL. */
int rd_parse_yesno(const char *s);

#endif
