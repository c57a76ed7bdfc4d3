// SPDX-License-Identifier: MIT
/* Finds running Redis servers and their configuration. Redis rewrites its process
 * title (proc-title-template, default "{title} {listen-addr} {server-mode}"), so
 * /proc/PID/cmdline of a running server reads "/usr/bin/redis-server
 * 127.0.0.1:6379" and no longer names the file it was started with: kres looks for
 * it on the command line when the title still shows it, then in the systemd unit's
 * ExecStart, then in Debian's and the source tree's default places. */
#include "workload/redis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

static const char *const rd_comms[] = {"redis-server", NULL};

/* Where a configuration may live when nothing names it: Debian's redis-server
 * package, then the path of the source tree's utils/install_server.sh and many
 * hand-made setups. */
static const char *const fallback_confs[] = {"/etc/redis/redis.conf", "/etc/redis.conf"};

/* ---- the process title ---- */

/* Copies w (n bytes) into out, control and non-ASCII bytes shown as '?': the
 * title is whatever the process wrote. */
static void copy_printable(const char *w, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < cap; i++)
		out[k++] = w[i] >= 0x20 && w[i] < 0x7f ? w[i] : '?';
	out[k] = '\0';
}

/* {listen-addr}: "bind0:port", "*:port" or "unixsocket:PATH". */
static bool listen_word(struct span w, int64_t *port)
{
	*port = -1;
	if (span_startswith(w, "unixsocket:"))
		return true;
	const char *colon = NULL;
	for (size_t i = 0; i < w.n; i++)
		if (w.p[i] == ':')
			colon = w.p + i;
	if (!colon || colon == w.p)
		return false;
	uint64_t v;
	struct span d = {colon + 1, (size_t)(w.p + w.n - colon - 1)};
	if (d.n > 5 || parse_u64(d, &v) < 0 || v > 65535)
		return false;
	*port = (int64_t)v;
	return true;
}

bool rd_title_parse(const char *const *argv, size_t argc, char *listen, size_t n, int64_t *port,
                    char *conf, size_t confn)
{
	listen[0] = '\0';
	conf[0] = '\0';
	*port = -1;
	/* setproctitle() writes the title over the arguments and pads with NULs. */
	if (argc == 0 || !strchr(argv[0], ' '))
		return false;
	for (size_t i = 1; i < argc; i++)
		if (argv[i][0])
			return false;
	struct span tok[16];
	size_t nt = span_split_ws(span_from(argv[0]), tok, ARRAY_SIZE(tok));
	if (nt > ARRAY_SIZE(tok))
		nt = ARRAY_SIZE(tok);
	for (size_t i = 0; i < nt; i++) {
		int64_t p;
		if (!listen[0] && listen_word(tok[i], &p)) {
			copy_printable(tok[i].p, tok[i].n, listen, n);
			*port = p;
		} else if (!conf[0] && tok[i].n > 5 && tok[i].p[0] == '/' &&
		           !memcmp(tok[i].p + tok[i].n - 5, ".conf", 5)) {
			span_copy(tok[i], conf, confn);
		}
	}
	return true;
}

/* ---- where the configuration comes from ---- */

/* main() of src/server.c: the first argument is the configuration file unless it
 * starts with '-'; the options follow it. Returns the index of the first option. */
static size_t argv_conf(const char *const *argv, size_t argc, const char **conf)
{
	*conf = NULL;
	if (argc >= 2 && argv[1][0] != '-') {
		*conf = argv[1];
		return 2;
	}
	return 1;
}

/* Expands the unit specifiers an ExecStart of a Redis unit uses (Debian's
 * redis-server@.service: /etc/redis/redis-%i.conf): %i, %I (the instance), %n
 * (the unit name), %N (without its type), %p (the prefix) and %%. */
static void expand_specifiers(const char *s, const char *unit, struct buf *out)
{
	const char *at = strchr(unit, '@'), *dot = strrchr(unit, '.');
	size_t ulen = strlen(unit), nlen = dot ? (size_t)(dot - unit) : ulen;
	size_t plen = at ? (size_t)(at - unit) : nlen;
	const char *inst = at ? at + 1 : "";
	size_t ilen = at && dot > at ? (size_t)(dot - at - 1) : 0;
	for (; *s; s++) {
		if (s[0] != '%' || !s[1]) {
			buf_putc(out, s[0]);
			continue;
		}
		switch (*++s) {
		case 'i':
		case 'I':
			buf_append(out, inst, ilen);
			break;
		case 'n':
			buf_append(out, unit, ulen);
			break;
		case 'N':
			buf_append(out, unit, nlen);
			break;
		case 'p':
			buf_append(out, unit, plen);
			break;
		case '%':
			buf_putc(out, '%');
			break;
		default:
			buf_putc(out, '%');
			buf_putc(out, *s);
		}
	}
}

/* Splits a command line of a unit into words: blanks separate them, "double" and
 * 'single' quotes group, a backslash takes the next byte. The prefixes "-", "@",
 * ":", "+" and "!" of the executable are dropped. A simplification of systemd's
 * extract_first_word(); environment variables are not substituted. */
static void exec_split(const char *s, struct strlist *words)
{
	struct buf w = BUF_INIT;
	while (*s == ' ' || *s == '\t')
		s++;
	while (*s && strchr("-@:+!", *s))
		s++;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		char q = 0;
		buf_reset(&w);
		for (; *s && (q || (*s != ' ' && *s != '\t')); s++) {
			if (!q && (*s == '"' || *s == '\'')) {
				q = *s;
			} else if (q && *s == q) {
				q = 0;
			} else if (*s == '\\' && s[1] && q != '\'') {
				buf_putc(&w, *++s);
			} else {
				buf_putc(&w, *s);
			}
		}
		strlist_push(words, buf_str(&w));
	}
	buf_release(&w);
}

/* Loads conf (NULL for none) and opts into in, relative paths taken from cwd. */
static void load(const struct rootfs *r, struct rd_instance *in, const char *conf, const char *cwd,
                 const char *const *opts, size_t nopts, const char *opt_origin)
{
	char path[512];
	rdconf_release(&in->conf);
	in->conffile[0] = '\0';
	if (conf) {
		if (conf[0] != '/')
			snprintf(path, sizeof(path), "%s/%s", strcmp(cwd, "/") ? cwd : "", conf);
		else
			str_copy(path, sizeof(path), conf);
		str_copy(in->conffile, sizeof(in->conffile), path);
	}
	in->conf_rc = rdconf_load(r, conf ? path : NULL, cwd, opts, nopts, opt_origin, &in->conf,
	                          in->conf_err, sizeof(in->conf_err));
	rd_resolve(in);
}

/* Appends to conf_how when the file's port is not the one the process shows. */
static void note_port(struct rd_instance *in)
{
	if (in->listen_port < 0 || in->port.v == in->listen_port)
		return;
	size_t l = strlen(in->conf_how);
	snprintf(in->conf_how + l, sizeof(in->conf_how) - l,
	         "; it sets port %lld but the process title shows %lld (changed since start?)",
	         (long long)in->port.v, (long long)in->listen_port);
}

/* (a) The original command line, when Redis did not rewrite it
 * (set-proc-title no), or a title that shows the file ({config-file}). */
static bool conf_from_cmdline(const struct rootfs *r, struct rd_instance *in, bool title,
                              const char *title_conf)
{
	const struct svc_proc *p = &in->live;
	if (title) {
		if (!title_conf[0])
			return false;
		load(r, in, title_conf, "/", NULL, 0, NULL);
		snprintf(in->conf_how, sizeof(in->conf_how), "named in the process title");
		return true;
	}
	const char *conf;
	size_t first = argv_conf(p->argv, p->argc, &conf);
	/* A bare "redis-server" may be a title that shows only {title}: let the
	 * unit or a default file speak first. */
	if (!conf && first >= p->argc)
		return false;
	/* A relative name was relative to the directory Redis started in, which 'dir'
	 * may have changed since: the process's cwd is the best guess there is. */
	load(r, in, conf, p->cwd[0] ? p->cwd : "/", p->argv + first, p->argc - first,
	     "the command line");
	snprintf(in->conf_how, sizeof(in->conf_how),
	         conf ? "named on the command line"
	              : "the command line names no file: Redis's defaults and its options");
	return true;
}

/* (b) The ExecStart of the process's systemd unit, read from "/" (systemd's
 * default WorkingDirectory for system services). */
static bool conf_from_unit(const struct rootfs *r, struct rd_instance *in)
{
	const struct unit_setting *es = &in->unit_info.s[UK_EXEC_START];
	if (!in->have_unit || !es->set || !es->value[0])
		return false;
	struct buf cmd = BUF_INIT;
	struct strlist w = {0};
	expand_specifiers(es->value, in->unit, &cmd);
	exec_split(buf_str(&cmd), &w);
	/* Only Redis's own command line says where its file is, not a wrapper's. */
	const char *base = w.n ? strrchr(w.v[0], '/') : NULL;
	base = base ? base + 1 : w.n ? w.v[0] : "";
	bool ok = !strncmp(base, "redis-server", 12);
	if (ok) {
		const char *conf;
		char origin[200];
		size_t first = argv_conf((const char *const *)w.v, w.n, &conf);
		snprintf(origin, sizeof(origin), "ExecStart of '%s'", in->unit);
		load(r, in, conf, "/", (const char *const *)w.v + first, w.n - first, origin);
		snprintf(in->conf_how, sizeof(in->conf_how), "%s in '%s'",
		         conf ? "named by ExecStart"
		              : "ExecStart names no file: defaults and options",
		         es->file);
	}
	strlist_release(&w);
	buf_release(&cmd);
	return ok;
}

/* (c) A default file, but only when its port is the one the title shows: a file
 * with another port belongs to another instance. why gets the reasons. */
static bool conf_from_fallback(const struct rootfs *r, struct rd_instance *in, struct buf *why)
{
	for (size_t i = 0; i < ARRAY_SIZE(fallback_confs); i++) {
		const char *f = fallback_confs[i];
		if (!rootfs_exists(r, f))
			continue;
		char shown[300];
		str_copy(shown, sizeof(shown), rootfs_show(r, f));
		if (in->listen_port < 0) {
			buf_appendf(why, "; '%s' exists but the title shows no port to match",
			            shown);
			continue;
		}
		load(r, in, f, "/", NULL, 0, NULL);
		if (in->conf_rc == 0 && in->port.v == in->listen_port) {
			snprintf(in->conf_how, sizeof(in->conf_how),
			         "nothing names a file; '%s' sets the port the title shows (%lld)",
			         shown, (long long)in->listen_port);
			return true;
		}
		if (in->conf_rc == 0)
			buf_appendf(why, "; '%s' sets port %lld, not %lld: another instance's",
			            shown, (long long)in->port.v, (long long)in->listen_port);
		else
			buf_appendf(why, "; '%s' does not load: %s", shown, in->conf_err);
	}
	return false;
}

static void find_conf(const struct rootfs *r, struct rd_instance *in, bool title,
                      const char *title_conf)
{
	struct buf why = BUF_INIT;
	if (conf_from_cmdline(r, in, title, title_conf) || conf_from_unit(r, in)) {
		note_port(in);
		return;
	}
	if (conf_from_fallback(r, in, &why)) {
		buf_release(&why);
		return;
	}
	/* Nothing known: Redis's defaults, and the port the process shows. */
	load(r, in, NULL, "/", NULL, 0, NULL);
	in->conf_rc = -ENOENT;
	in->conf_ok = false;
	snprintf(in->conf_how, sizeof(in->conf_how), "none found");
	snprintf(in->conf_err, sizeof(in->conf_err),
	         "the configuration file is unknown (or there is none): the process's command "
	         "line does not name it, no systemd unit names it%s",
	         buf_str(&why));
	if (in->listen_port >= 0) {
		in->port.v = in->listen_port;
		str_copy(in->port.origin, sizeof(in->port.origin), "the process title");
	}
	buf_release(&why);
}

/* ---- instances ---- */

static void set_user(const struct host *h, struct rd_instance *in)
{
	struct pwent pw;
	if (in->live.pid) {
		in->have_uid = true;
		in->uid = in->live.st.uid[0];
		if (host_user_by_uid(h, in->uid, &pw) == 0)
			str_copy(in->user, sizeof(in->user), pw.name);
		return;
	}
	/* A stopped server runs as its unit's User=. */
	const struct unit_setting *u = &in->unit_info.s[UK_USER];
	if (in->have_unit && u->set && host_user_by_name(h, u->value, &pw) == 0) {
		in->have_uid = true;
		in->uid = pw.uid;
		str_copy(in->user, sizeof(in->user), pw.name);
	}
}

static void read_unit(const struct rootfs *r, struct rd_instance *in)
{
	if (!in->unit[0])
		return;
	unit_read(r, in->unit, &in->unit_info);
	in->have_unit = in->unit_info.src.state != SRC_UNAVAILABLE;
}

static bool is_child(const int64_t *pids, size_t n, int64_t ppid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == ppid)
			return true;
	return false;
}

/* A Sentinel (redis-server --sentinel) monitors servers and holds no data:
 * checkForSentinelMode() looks for that argument, and the title then ends in
 * "[sentinel]" ({server-mode}). */
static bool is_sentinel(const struct svc_proc *p, bool title)
{
	if (title)
		return strstr(p->argv[0], " [sentinel]") != NULL;
	for (size_t i = 1; i < p->argc; i++)
		if (!strcmp(p->argv[i], "--sentinel"))
			return true;
	return false;
}

/* Fills in from running process pid. Returns false for a process that is gone
 * or exiting (an empty command line), a child Redis forked for a save (its comm
 * is redis-server too) and a Sentinel. */
static bool fill_live(const struct rootfs *r, const struct host *h, struct rd_instance *in,
                      int64_t pid, const int64_t *pids, size_t npids)
{
	char title_conf[256];
	memset(in, 0, sizeof(*in));
	in->listen_port = -1;
	if (!svc_proc_read(r, pid, &in->live))
		return false;
	if (in->live.argc == 0 || is_child(pids, npids, in->live.st.ppid)) {
		svc_proc_release(&in->live);
		memset(in, 0, sizeof(*in));
		return false;
	}
	bool title = rd_title_parse(in->live.argv, in->live.argc, in->listen, sizeof(in->listen),
	                            &in->listen_port, title_conf, sizeof(title_conf));
	if (is_sentinel(&in->live, title)) {
		svc_proc_release(&in->live);
		memset(in, 0, sizeof(*in));
		return false;
	}
	svc_unit(&in->live, in->unit, sizeof(in->unit));
	read_unit(r, in);
	set_user(h, in);
	find_conf(r, in, title, title_conf);
	return true;
}

size_t rd_discover(const struct rootfs *r, const struct host *h, struct rd_instance **out)
{
	int64_t *pids;
	size_t np = svc_find_comm(r, rd_comms, &pids), n = 0;
	*out = NULL;
	if (np) {
		*out = xcalloc(np, sizeof(**out));
		for (size_t i = 0; i < np; i++)
			if (fill_live(r, h, &(*out)[n], pids[i], pids, np))
				n++;
	}
	free(pids);
	if (!n) {
		free(*out);
		*out = NULL;
	}
	return n;
}

/* The running server that serves conf: its title shows conf's port, or its
 * untouched command line names conf itself. */
static void attach_live(const struct rootfs *r, struct rd_instance *in, const char *conf)
{
	int64_t *pids;
	size_t np = svc_find_comm(r, rd_comms, &pids);
	for (size_t i = 0; i < np && !in->live.pid; i++) {
		struct svc_proc p;
		char listen[80], tconf[256];
		int64_t port;
		const char *c;
		if (!svc_proc_read(r, pids[i], &p))
			continue;
		bool title = rd_title_parse(p.argv, p.argc, listen, sizeof(listen), &port, tconf,
		                            sizeof(tconf));
		bool match = !is_child(pids, np, p.st.ppid) && p.argc > 0 &&
		             (title ? port >= 0 && port == in->port.v
		                    : argv_conf(p.argv, p.argc, &c) == 2 && !strcmp(c, conf));
		if (!match) {
			svc_proc_release(&p);
			continue;
		}
		in->live = p;
		str_copy(in->listen, sizeof(in->listen), listen);
		in->listen_port = port;
	}
	free(pids);
}

/* Debian's units: redis-server.service runs /etc/redis/redis.conf and
 * redis-server@NAME.service /etc/redis/redis-NAME.conf. */
static void guess_debian_unit(const struct rootfs *r, struct rd_instance *in, const char *conf)
{
	const char *pfx = "/etc/redis/redis-", *sfx = ".conf";
	size_t pl = strlen(pfx), cl = strlen(conf);
	if (!strcmp(conf, "/etc/redis/redis.conf"))
		str_copy(in->unit, sizeof(in->unit), "redis-server.service");
	else if (!strncmp(conf, pfx, pl) && cl > pl + 5 && !strcmp(conf + cl - 5, sfx) &&
	         !memchr(conf + pl, '/', cl - pl - 5))
		snprintf(in->unit, sizeof(in->unit), "redis-server@%.*s.service",
		         (int)(cl - pl - 5), conf + pl);
	read_unit(r, in);
	if (!in->have_unit) {
		unit_release(&in->unit_info);
		memset(&in->unit_info, 0, sizeof(in->unit_info));
		in->unit[0] = '\0';
	}
}

void rd_from_conf(const struct rootfs *r, const struct host *h, const char *conf,
                  struct rd_instance *in)
{
	memset(in, 0, sizeof(*in));
	in->listen_port = -1;
	load(r, in, conf, "/", NULL, 0, NULL);
	snprintf(in->conf_how, sizeof(in->conf_how), "given on the kres command line");
	attach_live(r, in, conf);
	if (in->live.pid) {
		svc_unit(&in->live, in->unit, sizeof(in->unit));
		read_unit(r, in);
	} else {
		guess_debian_unit(r, in, conf);
	}
	set_user(h, in);
}
