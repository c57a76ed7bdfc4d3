// SPDX-License-Identifier: MIT
/* kres check: reads the host, finds the services on it (or takes a configuration
 * from the command line), runs every rule and prints the findings. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check/check.h"
#include "cmd.h"
#include "out/out.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: kres check [options]\n"
	"\n"
	"Audits the kernel resources of this host (or of a fixture tree given with --root)\n"
	"against what the PostgreSQL-family servers on it need: System V IPC, memory and\n"
	"overcommit, huge pages, the OOM killer, limits, systemd, the VM and the network.\n"
	"Running servers are found under /proc; --conf audits one that is not running.\n"
	"\n"
	"options:\n"
	"  --root DIR          read /proc, /sys and /etc under DIR (default /)\n"
	"  --format FMT        text (default), json or nagios\n"
	"  --conf FILE         audit the server configured by FILE instead of running ones\n"
	"  --flavor NAME       postgresql (default) or seaboxsql, with --conf\n"
	"  --data DIR          the data directory, with --conf (default: data_directory)\n"
	"  --pg-version N      the major version, when PG_VERSION cannot be read\n"
	"  --unit NAME         the server's systemd unit, with --conf\n"
	"  --set NAME=VALUE    override a server setting (repeatable): what-if analysis\n"
	"  -v, --verbose       show details of passing checks too\n"
	"  --list-rules        print every rule as markdown (docs/checks.md) and exit\n"
	"  --color WHEN        auto (default), always or never\n"
	"  -h, --help          this text\n"
	"\n"
	"exit status: 0 OK, 1 WARNING (high or medium findings), 2 CRITICAL, 3 UNKNOWN\n"
	"(an input could not be read, or a usage error). Rules: docs/checks.md.\n";

enum fmt { FMT_TEXT, FMT_JSON, FMT_NAGIOS };

struct check_opts {
	const char *root, *conf, *flavor, *data, *unit, *color;
	int pg_version;
	enum fmt fmt;
	bool verbose;
	char **sets;
	size_t nsets, capsets;
};

static int parse_opts(int argc, char **argv, struct check_opts *o)
{
	static const struct option longopts[] = {
		{"root", required_argument, NULL, 'r'},    {"format", required_argument, NULL, 'f'},
		{"conf", required_argument, NULL, 'c'},    {"flavor", required_argument, NULL, 'F'},
		{"data", required_argument, NULL, 'D'},    {"pg-version", required_argument, NULL, 'P'},
		{"unit", required_argument, NULL, 'u'},    {"set", required_argument, NULL, 's'},
		{"verbose", no_argument, NULL, 'v'},       {"color", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},          {"list-rules", no_argument, NULL, 'L'},
		{NULL, 0, NULL, 0},
	};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		uint64_t v;
		switch (ch) {
		case 'r': o->root = optarg; break;
		case 'c': o->conf = optarg; break;
		case 'F': o->flavor = optarg; break;
		case 'D': o->data = optarg; break;
		case 'u': o->unit = optarg; break;
		case 'C': o->color = optarg; break;
		case 'v': o->verbose = true; break;
		case 'h': fputs(usage_text, stdout); return 1;
		case 'L': {
			struct buf b = BUF_INIT;
			out_rules_markdown(&b);
			fwrite(buf_str(&b), 1, b.len, stdout);
			buf_release(&b);
			return 1;
		}
		case 's':
			ALLOC_GROW(o->sets, o->nsets + 1, o->capsets);
			o->sets[o->nsets++] = optarg;
			break;
		case 'P':
			if (parse_u64(span_from(optarg), &v) < 0 || v < 9 || v > 99) {
				fprintf(stderr, "kres: --pg-version '%s': expected a major version such as 15\n", optarg);
				return -1;
			}
			o->pg_version = (int)v;
			break;
		case 'f':
			if (!strcmp(optarg, "text"))
				o->fmt = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				o->fmt = FMT_JSON;
			else if (!strcmp(optarg, "nagios"))
				o->fmt = FMT_NAGIOS;
			else {
				fprintf(stderr, "kres: --format '%s': expected text, json or nagios\n", optarg);
				return -1;
			}
			break;
		default: fputs(usage_text, stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kres: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static void print_input_error(const char *err, void *arg)
{
	(void)arg;
	fprintf(stderr, "kres: %s\n", err);
}

/* Finds the servers: the one configured by --conf, or every running master. */
static int load_services(const struct check_opts *o, const struct rootfs *r, const struct host *h,
			 struct check_ctx *c)
{
	if (o->conf) {
		const struct pg_flavor *fl = pg_flavor_find(o->flavor ? o->flavor : "postgresql");
		if (!fl) {
			fprintf(stderr, "kres: --flavor '%s': expected postgresql or seaboxsql\n", o->flavor);
			return -1;
		}
		struct stat st;
		int e = rootfs_stat(r, o->conf, &st);
		if (e < 0 || !S_ISREG(st.st_mode)) {
			fprintf(stderr, "kres: --conf '%s': %s\n", rootfs_show(r, o->conf),
				e < 0 ? strerror(-e) : "not a regular file");
			return -1;
		}
		c->pg = xcalloc(1, sizeof(*c->pg));
		c->npg = 1;
		pg_from_conf(r, h, fl, o->conf, o->data, o->pg_version, c->pg);
		if (o->unit) {
			unit_release(&c->pg->unit_info);
			str_copy(c->pg->unit, sizeof(c->pg->unit), o->unit);
			unit_read(r, o->unit, &c->pg->unit_info);
			c->pg->have_unit = c->pg->unit_info.src.state != SRC_UNAVAILABLE;
		}
	} else {
		c->npg = pg_discover(r, h, &c->pg);
	}
	for (size_t i = 0; i < c->npg; i++) {
		struct pg_instance *in = &c->pg[i];
		if (o->pg_version && !o->conf && !in->major) {
			in->major = o->pg_version;
			str_copy(in->version_origin, sizeof(in->version_origin), "--pg-version");
		}
		char err[256];
		if (pg_apply_sets(in, o->sets, o->nsets, err, sizeof(err)) < 0) {
			fprintf(stderr, "kres: %s\n", err);
			return -1;
		}
	}
	c->pgneeds = xcalloc(c->npg ? c->npg : 1, sizeof(*c->pgneeds));
	for (size_t i = 0; i < c->npg; i++)
		pg_compute_needs(&c->pg[i], h, &c->pgneeds[i]);
	return 0;
}

static bool want_color(const struct check_opts *o)
{
	if (o->color && !strcmp(o->color, "always"))
		return true;
	if (o->color && !strcmp(o->color, "never"))
		return false;
	const char *nc = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(nc && nc[0]);
}

int cmd_check(int argc, char **argv)
{
	struct check_opts o = {.root = "/"};
	int rc = parse_opts(argc, argv, &o);
	if (rc) {
		free(o.sets);
		return rc > 0 ? 0 : 3;
	}
	struct rootfs r;
	int e = rootfs_open(&r, o.root);
	if (e < 0) {
		fprintf(stderr, "kres: cannot open root '%s': %s\n", o.root, strerror(-e));
		free(o.sets);
		return 3;
	}
	struct host h;
	host_read(&r, &h);
	struct check_ctx c = {.h = &h};
	int code = 3;
	if (load_services(&o, &r, &h, &c) == 0) {
		check_run(&c);
		out_each_input_error(&c, print_input_error, NULL);
		struct buf b = BUF_INIT;
		struct out_opts oo = {.color = want_color(&o), .verbose = o.verbose};
		if (o.fmt == FMT_JSON)
			out_json(&c, &b);
		else if (o.fmt == FMT_NAGIOS)
			out_nagios(&c, &b);
		else
			out_text(&c, &oo, &b);
		fwrite(buf_str(&b), 1, b.len, stdout);
		buf_release(&b);
		code = check_exit_code(&c);
	}
	check_release(&c);
	pg_instances_free(c.pg, c.npg);
	free(c.pgneeds);
	host_release(&h);
	rootfs_close(&r);
	free(o.sets);
	return fflush(stdout) == 0 ? code : 3;
}
