// SPDX-License-Identifier: MIT
/* Loads a systemd service unit the way systemd does (fragment, then drop-ins in
 * file-name order) and keeps the [Service] settings that bound a database: limits,
 * OOM handling, memory, user and environment. */
#include "host/unit.h"

#include "host/dropins.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/ini.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Unit files are small; this bounds what a hostile tree can make kres read. */
#define UNIT_MAX_BYTES (1024 * 1024)

/* The [Service] keys kres keeps, in enum unit_key order (systemd.exec(5),
 * systemd.resource-control(5), systemd.service(5)). */
static const char *const unit_keys[UK__COUNT] = {
	[UK_LIMIT_NOFILE] = "LimitNOFILE",       /* RLIMIT_NOFILE: connections, files */
	[UK_LIMIT_NPROC] = "LimitNPROC",         /* RLIMIT_NPROC: backends per uid */
	[UK_LIMIT_MEMLOCK] = "LimitMEMLOCK",     /* RLIMIT_MEMLOCK: locked/huge pages */
	[UK_TASKS_MAX] = "TasksMax",             /* pids.max of the unit's cgroup */
	[UK_OOM_SCORE_ADJUST] = "OOMScoreAdjust", /* oom_score_adj of the main process */
	[UK_OOM_POLICY] = "OOMPolicy",           /* what systemd does after an OOM kill */
	[UK_MEMORY_MAX] = "MemoryMax",           /* memory.max of the unit's cgroup */
	[UK_USER] = "User",                      /* the uid RemoveIPC= may act on */
	[UK_EXEC_START] = "ExecStart",           /* the command: where a config file is named */
	[UK_LIMIT_CORE] = "LimitCORE",           /* RLIMIT_CORE (mysqld_safe core-file-size) */
};

const char *unit_key_name(enum unit_key k)
{
	if ((unsigned)k >= UK__COUNT)
		return "?";
	return unit_keys[k];
}

/* ---- Environment= words (systemd src/basic/extract-word.c, escape.c) ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads n hex digits of the NUL-terminated p (stopping at the NUL). */
static long hexn(const char *p, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		int d = hexval(p[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static void put_utf8(struct buf *w, unsigned long c)
{
	if (c < 0x80) {
		buf_putc(w, (char)c);
	} else if (c < 0x800) {
		buf_putc(w, (char)(0xc0 | (c >> 6)));
		buf_putc(w, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_putc(w, (char)(0xe0 | (c >> 12)));
		buf_putc(w, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(w, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_putc(w, (char)(0xf0 | (c >> 18)));
		buf_putc(w, (char)(0x80 | ((c >> 12) & 0x3f)));
		buf_putc(w, (char)(0x80 | ((c >> 6) & 0x3f)));
		buf_putc(w, (char)(0x80 | (c & 0x3f)));
	}
}

/* The one-letter C escapes of cunescape_one(), plus systemd's "\s" for a space. */
static const char c_escapes[][2] = {
	{'a', '\a'}, {'b', '\b'}, {'f', '\f'},  {'n', '\n'},  {'r', '\r'},  {'t', '\t'},
	{'v', '\v'}, {'s', ' '},  {'\\', '\\'}, {'"', '"'}, {'\'', '\''},
};

/* Decodes the escape after a backslash at p into w, as systemd's cunescape_one():
 * returns the bytes consumed, or -EINVAL (unknown escape, or one that gives NUL). */
static int unescape_one(const char *p, struct buf *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(c_escapes); i++) {
		if (p[0] == c_escapes[i][0]) {
			buf_putc(w, c_escapes[i][1]);
			return 1;
		}
	}
	long v;
	int used;
	if (p[0] == 'x' || p[0] == 'u' || p[0] == 'U') {
		int digits = p[0] == 'x' ? 2 : p[0] == 'u' ? 4 : 8;
		v = hexn(p + 1, digits);
		used = digits + 1;
		/* No NUL, nothing past Unicode, no UTF-16 surrogates. */
		if (v <= 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return -EINVAL;
		if (p[0] == 'x')
			buf_putc(w, (char)v); /* \xNN is a raw byte */
		else
			put_utf8(w, (unsigned long)v);
		return used;
	}
	if (p[0] >= '0' && p[0] <= '7' && p[1] >= '0' && p[1] <= '7' && p[2] >= '0' &&
	    p[2] <= '7') {
		v = (p[0] - '0') * 64 + (p[1] - '0') * 8 + (p[2] - '0');
		if (v == 0 || v > 255)
			return -EINVAL;
		buf_putc(w, (char)v);
		return 3;
	}
	return -EINVAL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The next word of *p with quotes removed and escapes decoded, as systemd's
 * extract_first_word(EXTRACT_CUNESCAPE | EXTRACT_UNQUOTE): quotes may start
 * anywhere in a word and backslash escapes work inside both kinds of quotes.
 * Returns 1 with the word in w, 0 at the end, -EINVAL on an unbalanced quote or
 * a bad escape. */
static int env_next_word(const char **p, struct buf *w)
{
	const char *s = *p;
	char quote = 0;
	buf_reset(w);
	while (is_space(*s))
		s++;
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s == '\\') {
			int k = unescape_one(s + 1, w);
			if (k < 0)
				return -EINVAL;
			s += k;
		} else if (quote) {
			if (*s == quote)
				quote = 0;
			else
				buf_putc(w, *s);
		} else if (*s == '"' || *s == '\'') {
			quote = *s;
		} else if (is_space(*s)) {
			break;
		} else {
			buf_putc(w, *s);
		}
	}
	if (quote)
		return -EINVAL;
	*p = s;
	return 1;
}

/* systemd env_name_is_valid(): letters, digits and '_', not starting with a digit. */
static bool env_name_ok(const char *s, size_t n)
{
	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			return false;
	}
	return true;
}

/* Sets one NAME=VALUE word; other words are ignored, as systemd logs and ignores
 * them ("Invalid environment assignment, ignoring"). */
static void env_set(struct unit_info *u, const char *word, const char *shown, unsigned line)
{
	const char *eq = strchr(word, '=');
	if (!eq)
		return;
	size_t nl = (size_t)(eq - word);
	if (!env_name_ok(word, nl) || nl >= sizeof(u->env[0].name))
		return;
	struct unit_env *e = NULL;
	for (size_t i = 0; i < u->nenv && !e; i++)
		if (strncmp(u->env[i].name, word, nl) == 0 && u->env[i].name[nl] == '\0')
			e = &u->env[i];
	if (!e) {
		if (u->nenv >= UNIT_MAX_ENV)
			return;
		e = &u->env[u->nenv++];
		span_copy((struct span){word, nl}, e->name, sizeof(e->name));
	}
	str_copy(e->value, sizeof(e->value), eq + 1);
	str_copy(e->file, sizeof(e->file), shown);
	e->line = line;
}

/* ---- unit_parse ---- */

struct unit_ctx {
	const char *shown;
	struct unit_info *u;
	struct perr *err;
	int rc; /* the first error; like systemd, the rest of the file still applies */
};

static void unit_env_assign(struct unit_ctx *c, const char *value, unsigned line)
{
	/* systemd.exec(5): "If the empty string is assigned to this option, the list
	 * of environment variables is reset." */
	if (!*value) {
		c->u->nenv = 0;
		return;
	}
	struct buf w = BUF_INIT;
	const char *p = value;
	int r;
	/* Words before a syntax error stay set: systemd's config_parse_environ()
	 * applies each word as it goes and stops at the error. */
	while ((r = env_next_word(&p, &w)) > 0)
		env_set(c->u, buf_str(&w), c->shown, line);
	if (r < 0 && !c->rc) {
		perr_set(c->err, line, "unbalanced quote or bad escape in 'Environment'");
		c->rc = -EINVAL;
	}
	buf_release(&w);
}

static int unit_assign(const char *section, const char *key, const char *value, unsigned line,
		       void *ctx)
{
	struct unit_ctx *c = ctx;
	if (strcmp(section, "Service") != 0)
		return 0;
	if (strcmp(key, "Environment") == 0) {
		unit_env_assign(c, value, line);
		return 0;
	}
	for (size_t k = 0; k < UK__COUNT; k++) {
		if (strcmp(key, unit_keys[k]) != 0)
			continue;
		struct unit_setting *s = &c->u->s[k];
		memset(s, 0, sizeof(*s));
		/* An empty assignment resets the setting to systemd's default. */
		if (*value) {
			s->set = true;
			str_copy(s->value, sizeof(s->value), value);
			str_copy(s->file, sizeof(s->file), c->shown);
			s->line = line;
		}
		break;
	}
	return 0;
}

int unit_parse(const char *buf, size_t len, const char *shown, struct unit_info *u,
	       struct perr *err)
{
	struct unit_ctx c = {shown, u, err, 0};
	int rc = ini_parse(buf, len, unit_assign, &c, err);
	return rc ? rc : c.rc;
}

void unit_release(struct unit_info *u)
{
	strlist_release(&u->dropins);
}

const struct unit_env *unit_env_get(const struct unit_info *u, const char *name)
{
	for (size_t i = 0; i < u->nenv; i++)
		if (strcmp(u->env[i].name, name) == 0)
			return &u->env[i];
	return NULL;
}

/* ---- unit_read ---- */

/* The system unit search path, highest priority first (systemd.unit(5) "System
 * Unit Search Path"; systemd src/basic/path-lookup.c lookup_paths_init()). */
static const char *const unit_dirs[] = {
	"/etc/systemd/system.control",   /* systemctl set-property */
	"/run/systemd/system.control",   /* systemctl set-property --runtime */
	"/run/systemd/transient",        /* systemd-run, transient units */
	"/run/systemd/generator.early",  /* generators that must override /etc */
	"/etc/systemd/system",           /* the administrator's units and drop-ins */
	"/etc/systemd/system.attached",  /* portable services, persistent */
	"/run/systemd/system",           /* runtime units */
	"/run/systemd/system.attached",  /* portable services, runtime */
	"/run/systemd/generator",        /* generators (fstab, sysv, postgresql on Debian) */
	"/usr/local/lib/systemd/system", /* locally installed software */
	"/usr/lib/systemd/system",       /* packages */
	"/lib/systemd/system",           /* packages on systems without the /usr merge */
	"/run/systemd/generator.late",   /* generators that only fill gaps */
};

/* Parts of a unit name "prefix@instance.type". */
struct unit_name {
	char prefix[128], instance[128], type[32]; /* instance "" for plain units, templates */
};

/* systemd unit names: no '/', a ".type" suffix, at most one '@' before it. */
static bool unit_name_split(const char *name, struct unit_name *n)
{
	memset(n, 0, sizeof(*n));
	const char *dot = strrchr(name, '.');
	const char *at = strchr(name, '@');
	if (!*name || strchr(name, '/') || !dot || dot == name || !dot[1] || strlen(name) >= 128)
		return false;
	if (at && (at > dot || strchr(at + 1, '@')))
		return false;
	const char *pend = at ? at : dot;
	span_copy((struct span){name, (size_t)(pend - name)}, n->prefix, sizeof(n->prefix));
	if (at)
		span_copy((struct span){at + 1, (size_t)(dot - at - 1)}, n->instance,
			  sizeof(n->instance));
	return str_copy(n->type, sizeof(n->type), dot + 1) && n->prefix[0];
}

/* The names whose "<name>.d" directories hold drop-ins for name, in systemd's order
 * (src/shared/dropin.c unit_file_find_dirs()): the name, its template, then the
 * same for each dash prefix ("a-b-c.service" -> "a-b-.service" -> "a-.service"). */
static void dropin_names(const char *name, struct strlist *out, int depth)
{
	struct unit_name n;
	if (depth > 64 || !unit_name_split(name, &n))
		return;
	strlist_push(out, name);
	if (n.instance[0]) {
		char *t = xasprintf("%s@.%s", n.prefix, n.type);
		dropin_names(t, out, depth + 1);
		free(t);
	}
	char *dash = strrchr(n.prefix, '-');
	if (dash && dash[1] == '\0') { /* a trailing dash is chopped once */
		*dash = '\0';
		dash = strrchr(n.prefix, '-');
	}
	if (!dash || dash == n.prefix)
		return;
	dash[1] = '\0';
	char *built = n.instance[0] ? xasprintf("%s@%s.%s", n.prefix, n.instance, n.type)
			       : xasprintf("%s.%s", n.prefix, n.type);
	dropin_names(built, out, depth + 1);
	free(built);
}

/* A symlink to /dev/null masks (an empty file does too); checked by the link text
 * since under a fixture root /dev/null resolves inside the tree. */
static bool is_devnull_link(const struct rootfs *r, const char *path)
{
	char target[64];
	return rootfs_readlink(r, path, target, sizeof(target)) > 0 &&
	       strcmp(target, "/dev/null") == 0;
}

/* The fragment of name: the first unit directory holding it. Returns 1 with the
 * path in *out (caller frees), 0 when absent, -ENXIO when masked. */
static int fragment_find(const struct rootfs *r, const char *name, char **out)
{
	for (size_t i = 0; i < ARRAY_SIZE(unit_dirs); i++) {
		char *path = xasprintf("%s/%s", unit_dirs[i], name);
		if (is_devnull_link(r, path)) {
			free(path);
			return -ENXIO;
		}
		if (rootfs_exists(r, path) && !rootfs_isdir(r, path)) {
			*out = path;
			return 1;
		}
		free(path);
	}
	return 0;
}

static void dropins_collect(const struct rootfs *r, const char *name, const char *type,
			    struct dropins *d)
{
	struct strlist names = {0};
	dropin_names(name, &names, 0);
	for (size_t i = 0; i < ARRAY_SIZE(unit_dirs); i++) {
		for (size_t j = 0; j < names.n; j++) {
			char *dir = xasprintf("%s/%s.d", unit_dirs[i], names.v[j]);
			dropins_add_dir(r, dir, d);
			free(dir);
		}
	}
	/* "service.d" applies to every service; being the most generic it comes last
	 * so specific drop-ins of the same file name win (systemd.unit(5)). */
	for (size_t i = 0; i < ARRAY_SIZE(unit_dirs); i++) {
		char *dir = xasprintf("%s/%s.d", unit_dirs[i], type);
		dropins_add_dir(r, dir, d);
		free(dir);
	}
	strlist_release(&names);
	dropins_sort(d);
}

/* Reads and applies one file; returns its length or -errno. Errors go to u->src
 * (the first one is kept) and the next file is read all the same. */
static ssize_t unit_apply(const struct rootfs *r, const char *path, struct unit_info *u)
{
	char *text;
	ssize_t n = rootfs_read(r, path, UNIT_MAX_BYTES, &text);
	if (n < 0) {
		/* A dangling link is skipped, as systemd skips files it cannot open. */
		if (n != -ENOENT && u->src.state != SRC_ERROR) {
			src_set_read_error(&u->src, r, path, (int)n);
			u->src.state = SRC_ERROR;
		}
		return n;
	}
	char shown[sizeof(u->fragment)];
	str_copy(shown, sizeof(shown), rootfs_show(r, path));
	struct perr e = {0};
	if (unit_parse(text, (size_t)n, shown, u, &e) && u->src.state != SRC_ERROR)
		src_set_parse_error(&u->src, r, path, &e);
	free(text);
	return n;
}

static void unit_unavailable(struct unit_info *u, const char *why)
{
	struct buf q = BUF_INIT;
	buf_put_escaped(&q, u->name, strlen(u->name));
	u->src.state = SRC_UNAVAILABLE;
	snprintf(u->src.err, sizeof(u->src.err), "unit '%s' %s", buf_str(&q), why);
	buf_release(&q);
}

/* Finds the fragment of the unit or of its template; false when there is none. */
static bool unit_fragment(const struct rootfs *r, const struct unit_name *n, struct unit_info *u,
			  char **path)
{
	int rc = fragment_find(r, u->name, path);
	if (rc == 0 && n->instance[0]) {
		char *t = xasprintf("%s@.%s", n->prefix, n->type);
		rc = fragment_find(r, t, path);
		free(t);
	}
	if (rc < 0)
		unit_unavailable(u, "is masked");
	else if (rc == 0)
		unit_unavailable(u, "not found");
	return rc > 0;
}

void unit_read(const struct rootfs *r, const char *name, struct unit_info *u)
{
	struct unit_name n;
	char *frag = NULL;
	struct dropins d = {0};

	memset(u, 0, sizeof(*u));
	u->src.state = SRC_OK;
	str_copy(u->name, sizeof(u->name), name);
	if (!unit_name_split(name, &n)) {
		unit_unavailable(u, "is not a valid unit name");
		return;
	}
	if (!unit_fragment(r, &n, u, &frag))
		return;
	str_copy(u->fragment, sizeof(u->fragment), rootfs_show(r, frag));
	/* An empty fragment masks the unit like a link to /dev/null (systemd
	 * src/core/load-fragment.c: null_or_empty()). */
	if (unit_apply(r, frag, u) == 0) {
		unit_unavailable(u, "is masked");
		goto out;
	}
	dropins_collect(r, name, n.type, &d);
	for (size_t i = 0; i < d.n; i++) {
		if (is_devnull_link(r, d.v[i].path))
			continue;
		if (unit_apply(r, d.v[i].path, u) >= 0)
			strlist_push(&u->dropins, rootfs_show(r, d.v[i].path));
	}
out:
	dropins_release(&d);
	free(frag);
}
