// SPDX-License-Identifier: MIT
/* kres serve: the host agent Prometheus scrapes. Options come from the [serve]
 * section of the configuration file, then the command line (which wins); SIGHUP
 * reads both again. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "host/ini.h"
#include "serve/agent.h"
#include "util/rootfs.h"
#include "util/text.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: kres serve [options]\n"
	"\n"
	"The host agent for Prometheus. Samples memory, swap, reclaim, PSI, CPU, network\n"
	"and disks on its own timer (node_exporter's metric names where it exports the same\n"
	"quantity), follows the kernel log for faults, runs kres check periodically and\n"
	"finds leaking processes. A scrape is answered from what the agent already holds.\n"
	"\n"
	"  /metrics    Prometheus text format (docs/metrics.md)\n"
	"  /findings   the last check, JSON (docs/check-json.md)\n"
	"  /events     recent kernel events, JSON (?category=NAME filters)\n"
	"  /healthz    200 while sampling runs\n"
	"\n"
	"options:\n"
	"  --listen ADDR:PORT     default 127.0.0.1:9816 (loopback); ':9816' listens on every\n"
	"                         address, '[::1]:9816' on IPv6 loopback\n"
	"  --interval SECS        sampler interval (default 5)\n"
	"  --check-interval SECS  run kres check every SECS (default 300; 0: never)\n"
	"  --no-kmsg              do not follow the kernel log\n"
	"  --kmsg PATH            read PATH as /dev/kmsg (a regular file is re-read each second)\n"
	"  --no-procs             no per-process memory and leak metrics\n"
	"  --top N                processes exported (default 10), plus every leaking one\n"
	"  --leak-window SECS     history a leak must span (default 600)\n"
	"  --leak-min-rate KIB    smallest growth called a leak, KiB a minute (default 60)\n"
	"  --profile P            oltp, db, compute or auto (default; see kres top --help)\n"
	"  --set KEY=VALUE        a pressure threshold (see kres top --help)\n"
	"  --web-config FILE      TLS and basic auth, in the Prometheus exporters' format\n"
	"  --config FILE          INI file whose [serve] section holds these options without\n"
	"                         the leading -- (default /etc/kres/kres.conf if it exists)\n"
	"  --user USER            run as USER once the kernel log and socket are open, keeping\n"
	"                         only CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE (for the check)\n"
	"  --root DIR             read /proc, /sys and /etc under DIR (fixture trees)\n"
	"  --signatures-dir DIR   user signatures (default /etc/kres/signatures.d)\n"
	"  --max-connections N    concurrent connections (default 512); more wait in the\n"
	"                         kernel's accept queue until one closes\n"
	"  --http-timeout SECS    a connection without a complete request for SECS is closed\n"
	"                         (default 15)\n"
	"  --events N             kernel events kept for /events (default 256)\n"
	"  -h, --help             this text\n"
	"\n"
	"SIGHUP re-reads the configuration and web-config files (a bad file keeps the running\n"
	"configuration); SIGTERM and SIGINT stop the agent.\n";

#define DEFAULT_CONFIG "/etc/kres/kres.conf"

struct serve_args {
	int argc;
	char **argv;
	const char *config;  /* --config, or NULL */
};

static bool num(const char *s, double lo, double hi, double *v)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(d) || d < lo || d > hi)
		return false;
	*v = d;
	return true;
}

static bool copy(char *dst, size_t n, const char *s)
{
	if (strlen(s) >= n)
		return false;
	memcpy(dst, s, strlen(s) + 1);
	return true;
}

/* Applies one option by its long name. Returns 0 or -1 with err. */
static int apply(struct serve_opts *o, const char *name, const char *val, char *err, size_t n)
{
	double d;
	bool ok = true;
	if (!strcmp(name, "listen"))
		ok = copy(o->listen, sizeof(o->listen), val);
	else if (!strcmp(name, "interval"))
		ok = num(val, 0.1, 86400, &o->interval);
	else if (!strcmp(name, "check-interval"))
		ok = num(val, 0, 30 * 86400, &o->check_interval) && (o->check_interval == 0 || o->check_interval >= 1);
	else if (!strcmp(name, "no-kmsg"))
		ok = !val || ini_parse_bool(val) >= 0 ? (o->kmsg = val && ini_parse_bool(val) == 0, true) : false;
	else if (!strcmp(name, "kmsg"))
		ok = copy(o->kmsg_path, sizeof(o->kmsg_path), val);
	else if (!strcmp(name, "no-procs"))
		ok = !val || ini_parse_bool(val) >= 0 ? (o->procs = val && ini_parse_bool(val) == 0, true) : false;
	else if (!strcmp(name, "top"))
		ok = num(val, 0, 1000, &d) && d == floor(d) && (o->top_n = (int)d, true);
	else if (!strcmp(name, "leak-window"))
		ok = num(val, 1, 30 * 86400, &o->lcfg.window);
	else if (!strcmp(name, "leak-min-rate"))
		ok = num(val, 0, 1e9, &d) && (o->lcfg.min_rate = d / 60, true);
	else if (!strcmp(name, "profile")) {
		if (!strcmp(val, "auto"))
			o->prof_set = false;
		else
			ok = profile_parse(val, &o->prof) == 0 && (o->prof_set = true);
	} else if (!strcmp(name, "set")) {
		char key[64];
		const char *eq = strchr(val, '=');
		ok = eq && (size_t)(eq - val) < sizeof(key);
		if (ok) {
			snprintf(key, sizeof(key), "%.*s", (int)(eq - val), val);
			ok = pressure_cfg_set(&o->pcfg, key, eq + 1) == 0;
		}
	} else if (!strcmp(name, "web-config"))
		ok = copy(o->web_config, sizeof(o->web_config), val);
	else if (!strcmp(name, "user"))
		ok = copy(o->user, sizeof(o->user), val);
	else if (!strcmp(name, "root"))
		ok = copy(o->root, sizeof(o->root), val);
	else if (!strcmp(name, "signatures-dir"))
		ok = copy(o->sigdir, sizeof(o->sigdir), val);
	else if (!strcmp(name, "max-connections"))
		ok = num(val, 1, 65536, &d) && d == floor(d) && (o->max_conn = (unsigned)d, true);
	else if (!strcmp(name, "http-timeout"))
		ok = num(val, 1, 3600, &d) && d == floor(d) && (o->http_timeout = (unsigned)d, true);
	else if (!strcmp(name, "events"))
		ok = num(val, 1, 100000, &d) && d == floor(d) && (o->nevents = (unsigned)d, true);
	else {
		snprintf(err, n, "unknown option '%s'", name);
		return -1;
	}
	if (!ok) {
		snprintf(err, n, "bad value '%s' for %s", val ? val : "", name);
		return -1;
	}
	return 0;
}

static void defaults(struct serve_opts *o)
{
	memset(o, 0, sizeof(*o));
	copy(o->listen, sizeof(o->listen), "127.0.0.1:9816");
	o->interval = 5;
	o->check_interval = 300;
	o->kmsg = o->procs = true;
	copy(o->kmsg_path, sizeof(o->kmsg_path), "/dev/kmsg");
	o->top_n = 10;
	leak_cfg_default(&o->lcfg);
	pressure_cfg_default(&o->pcfg);
	copy(o->root, sizeof(o->root), "/");
	copy(o->sigdir, sizeof(o->sigdir), "/etc/kres/signatures.d");
	o->max_conn = 512;
	o->http_timeout = 15;
	o->nevents = 256;
}

struct ini_ctx {
	struct serve_opts *o;
	const char *path;
	char *err;
	size_t n;
};

static int on_ini(const char *section, const char *key, const char *value, unsigned line, void *ctx)
{
	struct ini_ctx *c = ctx;
	char e[300];
	if (!section || strcmp(section, "serve"))
		return 0; /* other sections belong to other subcommands */
	if (apply(c->o, key, value, e, sizeof(e))) {
		snprintf(c->err, c->n, "%s:%u: %s", c->path, line, e);
		return -1;
	}
	return 0;
}

static int read_config(struct serve_opts *o, const char *path, bool must, char *err, size_t n)
{
	struct rootfs root;
	char *text = NULL;
	if (rootfs_open(&root, "/")) {
		snprintf(err, n, "cannot open /");
		return -1;
	}
	ssize_t len = rootfs_read(&root, path, 1 << 20, &text);
	rootfs_close(&root);
	if (len < 0) {
		free(text);
		if (!must && len == -ENOENT)
			return 0;
		snprintf(err, n, "cannot read %s: %s", path, strerror((int)-len));
		return -1;
	}
	struct perr pe = {0};
	struct ini_ctx c = {.o = o, .path = path, .err = err, .n = n};
	err[0] = '\0';
	int rc = ini_parse(text, (size_t)len, on_ini, &c, &pe);
	free(text);
	if (rc && !err[0])
		snprintf(err, n, "%s:%u: %s", path, pe.line, pe.msg);
	return rc ? -1 : 0;
}

enum { O_HELP = 'h', O_BASE = 256 };

static const struct option longopts[] = {
	{"listen", required_argument, NULL, O_BASE},
	{"interval", required_argument, NULL, O_BASE},
	{"check-interval", required_argument, NULL, O_BASE},
	{"no-kmsg", no_argument, NULL, O_BASE},
	{"kmsg", required_argument, NULL, O_BASE},
	{"no-procs", no_argument, NULL, O_BASE},
	{"top", required_argument, NULL, O_BASE},
	{"leak-window", required_argument, NULL, O_BASE},
	{"leak-min-rate", required_argument, NULL, O_BASE},
	{"profile", required_argument, NULL, O_BASE},
	{"set", required_argument, NULL, O_BASE},
	{"web-config", required_argument, NULL, O_BASE},
	{"config", required_argument, NULL, O_BASE},
	{"user", required_argument, NULL, O_BASE},
	{"root", required_argument, NULL, O_BASE},
	{"signatures-dir", required_argument, NULL, O_BASE},
	{"max-connections", required_argument, NULL, O_BASE},
	{"http-timeout", required_argument, NULL, O_BASE},
	{"events", required_argument, NULL, O_BASE},
	{"help", no_argument, NULL, O_HELP},
	{NULL, 0, NULL, 0},
};

/* The configuration file, then the command line. Returns 0, 1 (help shown) or -1. */
static int load(struct serve_opts *o, struct serve_args *a, char *err, size_t n)
{
	defaults(o);
	/* --config first: it must be known before the others are applied over it. */
	a->config = NULL;
	for (int i = 1; i < a->argc; i++) {
		if (!strcmp(a->argv[i], "--config") && i + 1 < a->argc)
			a->config = a->argv[i + 1];
		else if (!strncmp(a->argv[i], "--config=", 9))
			a->config = a->argv[i] + 9;
	}
	if (read_config(o, a->config ? a->config : DEFAULT_CONFIG, a->config != NULL, err, n))
		return -1;
	optind = 1;
	opterr = 0;
	int ch, idx;
	while ((ch = getopt_long(a->argc, a->argv, ":h", longopts, &idx)) != -1) {
		if (ch == O_HELP)
			return 1;
		if (ch == '?') {
			snprintf(err, n, "unknown option '%s'", a->argv[optind - 1]);
			return -1;
		}
		if (ch == ':') {
			snprintf(err, n, "option '%s' wants a value", a->argv[optind - 1]);
			return -1;
		}
		if (!strcmp(longopts[idx].name, "config"))
			continue;
		if (apply(o, longopts[idx].name, longopts[idx].has_arg ? optarg : NULL, err, n))
			return -1;
	}
	if (optind < a->argc) {
		snprintf(err, n, "unexpected argument '%s'", a->argv[optind]);
		return -1;
	}
	return 0;
}

static int reload(struct serve_opts *o, char *err, size_t n, void *ctx)
{
	return load(o, ctx, err, n) == 0 ? 0 : -1;
}

int cmd_serve(int argc, char **argv)
{
	struct serve_opts o;
	struct serve_args a = {.argc = argc, .argv = argv};
	char err[400];
	int rc = load(&o, &a, err, sizeof(err));
	if (rc > 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (rc < 0) {
		fprintf(stderr, "kres serve: %s\n(kres serve --help lists the options)\n", err);
		return 3;
	}
	return serve_run(&o, check_report, reload, &a);
}
