// SPDX-License-Identifier: MIT
/* The system configuration that decides whether a database user's IPC objects
 * survive a logout: logind's RemoveIPC= with its drop-ins, the system uid boundary
 * from /etc/login.defs, and /etc/passwd entries. */
#include "host/sysconf.h"

#include "host/dropins.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/ini.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* No configuration file kres reads is anywhere near this. */
#define CONF_MAX_BYTES (1024 * 1024)

/* ---- logind.conf ---- */

struct logind_ctx {
	const char *shown;
	struct logind *lg;
	struct perr *err;
	int rc; /* the first error; parsing goes on past it, as logind does */
};

static int logind_assign(const char *section, const char *key, const char *value, unsigned line,
			 void *ctx)
{
	struct logind_ctx *c = ctx;
	if (strcmp(section, "Login") != 0 || strcmp(key, "RemoveIPC") != 0)
		return 0;
	int b = ini_parse_bool(value);
	if (b < 0) {
		/* logind logs "Failed to parse boolean value, ignoring" and keeps the
		 * previous value (systemd src/shared/conf-parser.c config_parse_bool). */
		if (!c->rc) {
			struct buf q = BUF_INIT;
			buf_put_escaped(&q, value, strnlen(value, 64));
			perr_set(c->err, line, "invalid boolean for 'RemoveIPC': '%s'",
			         buf_str(&q));
			buf_release(&q);
			c->rc = -EINVAL;
		}
		return 0;
	}
	c->lg->remove_ipc = b;
	c->lg->set = true;
	str_copy(c->lg->file, sizeof(c->lg->file), c->shown);
	c->lg->line = line;
	return 0;
}

int logind_parse(const char *buf, size_t len, const char *shown, struct logind *lg,
		 struct perr *err)
{
	struct logind_ctx c = {shown, lg, err, 0};
	lg->nfiles++;
	int rc = ini_parse(buf, len, logind_assign, &c, err);
	return rc ? rc : c.rc;
}

/* Drop-in directories, highest priority first: a file name found in an earlier
 * directory masks the same name in the later ones (logind.conf(5) "CONFIGURATION
 * DIRECTORIES AND PRECEDENCE"; systemd src/basic/conf-files.c). */
static const char *const logind_dropin_dirs[] = {
	"/etc/systemd/logind.conf.d",
	"/run/systemd/logind.conf.d",
	"/usr/local/lib/systemd/logind.conf.d",
	"/usr/lib/systemd/logind.conf.d",
};


/* A symlink to /dev/null masks a file: it is an empty file to systemd. Checked by
 * name because under a fixture root /dev/null resolves inside the tree. */
static bool is_masked(const struct rootfs *r, const char *path)
{
	char target[64];
	return rootfs_readlink(r, path, target, sizeof(target)) > 0 &&
	       strcmp(target, "/dev/null") == 0;
}

/* The main file: the first found of these (logind.conf(5) since systemd 256; before,
 * only /etc/systemd/logind.conf existed, which comes first here). */
static const char *const logind_main_files[] = {
	"/etc/systemd/logind.conf",
	"/run/systemd/logind.conf",
	"/usr/local/lib/systemd/logind.conf",
	"/usr/lib/systemd/logind.conf",
};

/* Reads and applies one file. Returns false when it does not exist. */
static bool logind_apply(const struct rootfs *r, const char *path, struct logind *lg)
{
	if (is_masked(r, path))
		return true;
	char *text;
	ssize_t n = rootfs_read(r, path, CONF_MAX_BYTES, &text);
	if (n < 0) {
		if (n != -ENOENT && lg->src.state != SRC_ERROR)
			src_set_read_error(&lg->src, r, path, (int)n);
		return n != -ENOENT;
	}
	struct perr e = {0};
	char shown[sizeof(lg->file)];
	str_copy(shown, sizeof(shown), rootfs_show(r, path));
	if (logind_parse(text, (size_t)n, shown, lg, &e) && lg->src.state != SRC_ERROR)
		src_set_parse_error(&lg->src, r, path, &e);
	free(text);
	return true;
}

void logind_read(const struct rootfs *r, struct logind *lg)
{
	memset(lg, 0, sizeof(*lg));
	lg->src.state = SRC_OK;
	/* logind.conf(5): "RemoveIPC= ... Defaults to yes." */
	lg->remove_ipc = true;
	for (size_t i = 0; i < ARRAY_SIZE(logind_main_files); i++)
		if (logind_apply(r, logind_main_files[i], lg))
			break;

	struct dropins d = {0};
	for (size_t i = 0; i < ARRAY_SIZE(logind_dropin_dirs); i++)
		dropins_add_dir(r, logind_dropin_dirs[i], &d);
	/* All drop-ins apply after the main file, sorted by file name whatever their
	 * directory (systemd.syntax(7)). */
	dropins_sort(&d);
	for (size_t i = 0; i < d.n; i++)
		logind_apply(r, d.v[i].path, lg);
	dropins_release(&d);
}

/* ---- /etc/login.defs ---- */

/* Keys of shadow's login.defs(5) that kres reads; the rest are ignored. */
static int logindefs_line(struct span *tok, size_t nt, unsigned line, struct logindefs *ld,
			  struct perr *err)
{
	bool sys = span_eq(tok[0], "SYS_UID_MAX");
	if (!sys && !span_eq(tok[0], "UID_MIN"))
		return 0;
	uint64_t v;
	if (nt != 2 || parse_u64(tok[1], &v) || v > UINT32_MAX) {
		perr_set(err, line, "'%s' needs one decimal uid", sys ? "SYS_UID_MAX" : "UID_MIN");
		return -EINVAL;
	}
	if (sys) {
		ld->has_sys_uid_max = true;
		ld->sys_uid_max = v;
		ld->line_sys_uid_max = line;
	} else {
		ld->has_uid_min = true;
		ld->uid_min = v;
	}
	return 0;
}

int logindefs_parse(const char *buf, size_t len, struct logindefs *ld, struct perr *err)
{
	struct lineiter it;
	struct span ln, tok[3];
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &ln)) {
		struct span t = span_trim(ln);
		if (t.n == 0 || t.p[0] == '#')
			continue;
		size_t nt = span_split_ws(t, tok, ARRAY_SIZE(tok));
		int rc = logindefs_line(tok, nt, it.lineno, ld, err);
		if (rc)
			return rc;
	}
	return 0;
}

void logindefs_read(const struct rootfs *r, struct logindefs *ld)
{
	static const char path[] = "/etc/login.defs";
	memset(ld, 0, sizeof(*ld));
	char *text;
	size_t n;
	if (!src_read(&ld->src, r, path, CONF_MAX_BYTES, &text, &n))
		return;
	struct perr e = {0};
	if (logindefs_parse(text, n, ld, &e))
		src_set_parse_error(&ld->src, r, path, &e);
	free(text);
}

uint64_t logindefs_sys_uid_max(const struct logindefs *ld)
{
	/* shadow login.defs(5): "SYS_UID_MAX (default UID_MIN-1)". */
	if (ld->has_sys_uid_max)
		return ld->sys_uid_max;
	if (ld->has_uid_min && ld->uid_min > 0)
		return ld->uid_min - 1;
	/* systemd's compile-time SYS_UID_MAX (meson option system-uid-max), 999 on
	 * Debian and Fedora; logind's RemoveIPC spares uids up to it. */
	return 999;
}

/* ---- /etc/passwd ---- */

enum { PW_NAME, PW_PASSWD, PW_UID, PW_GID, PW_GECOS, PW_HOME, PW_SHELL, PW__COUNT };

/* Splits a passwd(5) line at ':' into PW__COUNT fields. The shell is the rest of
 * the line, colons included, as glibc's nss_files parser reads it. */
static bool pw_split(struct span ln, struct span *f)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i < ln.n && n < PW__COUNT - 1; i++) {
		if (ln.p[i] != ':')
			continue;
		f[n++] = (struct span){ln.p + start, i - start};
		start = i + 1;
	}
	if (n != PW__COUNT - 1)
		return false;
	f[n] = (struct span){ln.p + start, ln.n - start};
	return true;
}

static int pw_fill(const struct span *f, struct pwent *pw)
{
	uint64_t uid, gid;
	if (parse_u64(f[PW_UID], &uid) || uid > UINT32_MAX || parse_u64(f[PW_GID], &gid) ||
	    gid > UINT32_MAX)
		return -EINVAL;
	memset(pw, 0, sizeof(*pw));
	span_copy(f[PW_NAME], pw->name, sizeof(pw->name));
	pw->uid = (uint32_t)uid;
	pw->gid = (uint32_t)gid;
	span_copy(f[PW_HOME], pw->home, sizeof(pw->home));
	span_copy(f[PW_SHELL], pw->shell, sizeof(pw->shell));
	return 0;
}

/* Finds the first entry matching by uid (name NULL) or by name. */
static int passwd_find(const char *buf, size_t len, const char *name, uint32_t uid,
		       struct pwent *pw, struct perr *err)
{
	struct lineiter it;
	struct span ln, f[PW__COUNT];
	struct pwent tmp;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &ln)) {
		struct span t = span_trim(ln);
		/* Blank lines, comments and NIS compat entries ("+", "+name", "-name"
		 * in nsswitch "compat" mode) are not local users. */
		if (t.n == 0 || t.p[0] == '#' || t.p[0] == '+' || t.p[0] == '-')
			continue;
		if (!pw_split(t, f) || pw_fill(f, &tmp)) {
			perr_set(err, it.lineno,
			         "expected 'name:password:uid:gid:gecos:home:shell'");
			return -EINVAL;
		}
		if (name ? span_eq(f[PW_NAME], name) : tmp.uid == uid) {
			*pw = tmp;
			return 0;
		}
	}
	return -ENOENT;
}

int passwd_find_uid(const char *buf, size_t len, uint32_t uid, struct pwent *pw, struct perr *err)
{
	return passwd_find(buf, len, NULL, uid, pw, err);
}

int passwd_find_name(const char *buf, size_t len, const char *name, struct pwent *pw,
		     struct perr *err)
{
	return passwd_find(buf, len, name, 0, pw, err);
}
