/* SPDX-License-Identifier: MIT */
/* MySQL and MariaDB option files ("my.cnf") as the server's option reader
 * (mysys/my_default.c) and option parser (mysys/my_getopt.c) take them: [group]
 * headers, name[=value] lines, comments, quotes and escapes, !include and
 * !includedir, and the loose-/skip-/disable-/enable- prefixes. Every assignment is
 * kept in reading order with its group and origin, so that a caller picks the
 * groups its server reads and the last assignment wins, as in the server. */
#ifndef KRES_MYCNF_H
#define KRES_MYCNF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rootfs.h"
#include "util/text.h"

/* One assignment. */
struct mycnf_opt {
	char *group;      /* as written between the brackets, trailing blanks removed;
	                   * NULL for an option not from a file (command line, --set),
	                   * which applies whatever groups are asked for */
	char *name;       /* '-' written as '_', prefixes applied (see mycnf_parse) */
	char *value;      /* quotes removed, escapes resolved; NULL for a bare name */
	char origin[288]; /* "'/etc/mysql/my.cnf' line 27", "command line", "--set" */
};

struct mycnf {
	struct mycnf_opt *v; /* owned, in reading order */
	size_t n, cap;
	struct strlist files;    /* shown paths of the files read, in order */
	struct strlist warnings; /* what the server warns about and reads past: a world-
	                          * writable file it ignores, a directive beyond the
	                          * include depth, an included file it stops reading */
};

/* What a directive line asks for. */
enum mycnf_directive {
	MYCNF_INCLUDE,    /* !include FILE */
	MYCNF_INCLUDEDIR, /* !includedir DIR */
};

/* How mycnf_parse() treats directives. fn is called with the argument of each
 * well-formed directive (blanks trimmed, never empty); its negative return stops
 * the file with that value. NULL fn: directives are checked and then ignored.
 * at_max_depth: the file is nested as deep as the server goes, so every line
 * starting with '!' is skipped with a warning, unchecked, as the server does. */
struct mycnf_include_cb {
	int (*fn)(enum mycnf_directive kind, const char *arg, unsigned line, void *ctx);
	void *ctx;
	bool at_max_depth;
};

/* Parses the text of one option file and appends its assignments to c, with
 * origins naming shown and the line. Lines are read as the server reads them with
 * fgets() into a 4096-byte buffer: a line longer than 4094 bytes is taken as
 * several, and a NUL byte ends a line's text. Rules (my_default.c):
 *  - blank lines and lines whose first non-blank byte is '#' or ';' are skipped;
 *  - "[group]": anything after the ']' is ignored; a header without ']' is an error;
 *  - an option before the file's first group is an error (each file starts
 *    without a group, and an included file does not change the includer's);
 *  - a '#' outside quotes ends the line anywhere (a=b#c sets "b");
 *  - name and value are split at the first '=' and trimmed; a value whose first and
 *    last bytes are the same quote (' or ") loses them; then \n \t \r \b \s (space)
 *    \" \' \\ are resolved and any other backslash is kept;
 *  - "!include FILE" and "!includedir DIR" (a blank must follow the keyword) go to
 *    cb; other '!' lines are ignored; a directive without an argument is an error.
 * Names then go through my_getopt's prefixes, repeatedly: "loose-" is dropped;
 * "skip-X" and "disable-X" set X to "0" ("1" when their value is exactly "0"),
 * "enable-X" sets X to "1" ("0" when its value is "0"). The server tries the whole
 * name first and the prefixes only when no option has it, so a real option whose
 * name starts with one ("skip_name_resolve") is stored as "name_resolve" = "0".
 * "maximum-" and "autoset-" names are kept as written.
 * Returns 0, cb's negative value, or -EINVAL with *err (line set). On an error
 * the assignments before the bad line stay in c, as they do in the server. */
int mycnf_parse(const char *buf, size_t len, const char *shown, struct mycnf *c,
                const struct mycnf_include_cb *cb, struct perr *err);

/* Loads the option file path (absolute on the host, read under the root) and what
 * it includes, the way the server reads one of its option files:
 *  - a world-writable regular file is ignored, with a warning in c->warnings;
 *  - !include of a missing or unreadable file is skipped silently;
 *  - !includedir reads the directory's files whose name ends in ".cnf" (after its
 *    last dot), sorted with strcmp(); a directory that cannot be listed is an
 *    error (MariaDB 10.11 aborts with "Can't read dir of ...");
 *  - the top file is level 0 and each include one deeper; at level 10 directives
 *    are skipped with a warning, so a file including itself is read 11 times, as
 *    by the server, and a cycle ends;
 *  - an error in an included file ends that file only: its earlier assignments
 *    are kept, the includer goes on, and the error is a warning (the server prints
 *    it and starts anyway); an error in the top file is the whole load's error;
 *  - relative paths of directives are taken from "/", the working directory
 *    systemd gives a service (the server resolves them against its own).
 * kres reads at most 1000 files per load, against fan-out loops. Returns 0;
 * -ENOENT when path does not exist; another -errno when it cannot be read;
 * -EINVAL for a malformed line of the top file, a directory that cannot be listed,
 * or too many files. err gets "<file>:<line>: <reason>" or "cannot read '<file>':
 * <reason>". Assignments read before a failure stay in c. */
int mycnf_load(const struct rootfs *r, const char *path, struct mycnf *c, char *err, size_t errn);

/* Appends one assignment from outside the files (group NULL) with the same name
 * rules as a file line ("--max-connections=500" arrives as "max-connections",
 * "500"). */
void mycnf_add(struct mycnf *c, const char *name, const char *value, const char *origin);

/* The last assignment of name (written with '-' or '_') in one of groups (a NULL-
 * terminated list, compared case-insensitively as the server does) or without a
 * group; NULL when there is none. */
const struct mycnf_opt *mycnf_get(const struct mycnf *c, const char *const *groups,
                                  const char *name);
void mycnf_release(struct mycnf *c);

/* A number as my_getopt reads one: blanks and a '+' may lead, decimal digits, then
 * an optional suffix K, M, G, T, P or E (either case, powers of 1024), after which
 * the server ignores what follows ("1GB" is 1G). kres also rejects a value without
 * digits and an overflow, where the server takes 0 or wraps. Returns 0, -EINVAL or
 * -ERANGE. */
int my_parse_size(const char *v, uint64_t *out);
/* A boolean as MariaDB 10.11 takes one: ON, TRUE, 1 and a bare name (v NULL) are 1;
 * OFF, FALSE and 0 are 0 (either case); anything else, YES and NO included, is -1
 * (the server warns "boolean value ... wasn't recognized. Set to OFF."). */
int my_parse_bool(const char *v);

#endif
