/* SPDX-License-Identifier: MIT */
/* System configuration files that decide the fate of a database's IPC objects and
 * users: logind.conf with its drop-ins (RemoveIPC), /etc/login.defs (the system
 * uid boundary) and /etc/passwd. */
#ifndef KRES_SYSCONF_H
#define KRES_SYSCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/src.h"
#include "util/rootfs.h"
#include "util/text.h"

/* The effective RemoveIPC= of systemd-logind, and where it was set. */
struct logind {
	struct src src;    /* of the whole read: ERROR if any file was malformed */
	bool remove_ipc;   /* effective value; systemd's default is yes */
	bool set;          /* false: no file sets it, the default applies */
	char file[256];    /* the file that set it last (shown path) */
	unsigned line;
	unsigned nfiles;   /* files read */
};
/* Applies the [Login] RemoveIPC= assignments of one file's text to lg. */
int logind_parse(const char *buf, size_t len, const char *shown, struct logind *lg,
		 struct perr *err);
/* Reads /etc/systemd/logind.conf, then the drop-ins *.conf of logind.conf.d under
 * /usr/lib/systemd, /usr/local/lib/systemd, /run/systemd and /etc/systemd in
 * file-name order (a name in /etc masks the same name in /run and /usr), as
 * logind.conf(5) says. */
void logind_read(const struct rootfs *r, struct logind *lg);

/* /etc/login.defs: the values that bound system users. */
struct logindefs {
	struct src src;
	bool has_sys_uid_max, has_uid_min;
	uint64_t sys_uid_max, uid_min;
	unsigned line_sys_uid_max;
};
int logindefs_parse(const char *buf, size_t len, struct logindefs *ld, struct perr *err);
void logindefs_read(const struct rootfs *r, struct logindefs *ld);
/* The highest system uid: SYS_UID_MAX if set, else UID_MIN - 1 (shadow's rule),
 * else 999 (the value systemd is built with on Debian and Fedora). */
uint64_t logindefs_sys_uid_max(const struct logindefs *ld);

/* /etc/passwd */
struct pwent {
	char name[64];
	uint32_t uid, gid;
	char home[256];
	char shell[128];
};
/* Find by uid or by name in the text of /etc/passwd. Return 0, -ENOENT when absent,
 * or -EINVAL on a malformed line before the match (with *err). */
int passwd_find_uid(const char *buf, size_t len, uint32_t uid, struct pwent *pw, struct perr *err);
int passwd_find_name(const char *buf, size_t len, const char *name, struct pwent *pw,
		     struct perr *err);

#endif
