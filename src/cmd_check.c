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
#include "host/net.h"
#include "host/nfsd.h"
#include "workload/mysql.h"
#include "workload/netsvc.h"
#include "workload/redis.h"
#include "out/out.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: kres check [options]\n"
	"\n"
	"Audits the kernel resources of this host (or of a fixture tree given with --root)\n"
	"against what its servers need: PostgreSQL and its forks, MySQL and MariaDB, Redis,\n"
	"the kernel NFS server and busy network services. It covers System V IPC, memory\n"
	"and overcommit, huge pages, the OOM killer, limits, systemd, the VM, storage and\n"
	"the network. Running servers are found under /proc; --conf audits a configuration.\n"
	"\n"
	"options:\n"
	"  --root DIR          read /proc, /sys and /etc under DIR (default /)\n"
	"  --format FMT        text (default), json or nagios\n"
	"  --workload NAME     postgresql (default), seaboxsql, mysql, mariadb, redis or net:\n"
	"                      the kind of server --conf, --set and --pid refer to\n"
	"  --conf FILE         audit the server configured by FILE instead of running ones\n"
	"  --pid PID           with --workload net: audit process PID as a network service\n"
	"  --flavor NAME       same as --workload, for the PostgreSQL family\n"
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
	int64_t pid;
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
		{"workload", required_argument, NULL, 'F'}, {"pid", required_argument, NULL, 'p'},
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
		case 'p':
			if (parse_u64(span_from(optarg), &v) < 0 || v == 0 || v > INT32_MAX) {
				fprintf(stderr, "kres: --pid '%s': expected a process id\n", optarg);
				return -1;
			}
			o->pid = (int64_t)v;
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

enum wk { WK_PG, WK_MY, WK_RD, WK_NET };

/* The workload named by --workload (or --flavor). */
static int workload_of(const char *name, enum wk *w, const struct pg_flavor **pgf,
		       enum my_flavor *myf)
{
	if (!name || pg_flavor_find(name)) {
		*w = WK_PG;
		*pgf = pg_flavor_find(name ? name : "postgresql");
	} else if (!strcmp(name, "mysql") || !strcmp(name, "mariadb")) {
		*w = WK_MY;
		*myf = !strcmp(name, "mysql") ? MYF_MYSQL : MYF_MARIADB;
	} else if (!strcmp(name, "redis")) {
		*w = WK_RD;
	} else if (!strcmp(name, "net")) {
		*w = WK_NET;
	} else {
		fprintf(stderr, "kres: --workload '%s': expected postgresql, seaboxsql, mysql, mariadb, redis or net\n",
			name);
		return -1;
	}
	return 0;
}

static int check_conf_file(const struct rootfs *r, const char *conf)
{
	struct stat st;
	int e = rootfs_stat(r, conf, &st);
	if (e < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "kres: --conf '%s': %s\n", rootfs_show(r, conf),
			e < 0 ? strerror(-e) : "not a regular file");
		return -1;
	}
	return 0;
}

/* --unit for a server given with --conf. */
static void set_unit(const struct check_opts *o, const struct rootfs *r, char *unit, size_t n,
		     struct unit_info *ui, bool *have)
{
	if (!o->unit)
		return;
	unit_release(ui);
	str_copy(unit, n, o->unit);
	unit_read(r, o->unit, ui);
	*have = ui->src.state != SRC_UNAVAILABLE;
}

/* Finds the servers: the one configured by --conf (or --pid), or every running one. */
static int load_services(const struct check_opts *o, const struct rootfs *r, const struct host *h,
			 struct check_ctx *c)
{
	enum wk w;
	const struct pg_flavor *fl = NULL;
	enum my_flavor myf = MYF_MARIADB;
	if (workload_of(o->flavor, &w, &fl, &myf) < 0)
		return -1;
	if (o->pid && w != WK_NET) {
		fputs("kres: --pid goes with --workload net\n", stderr);
		return -1;
	}
	if (w == WK_NET && (o->conf || o->nsets)) {
		fputs("kres: --workload net takes --pid, not --conf or --set\n", stderr);
		return -1;
	}
	if (w != WK_PG && (o->data || o->pg_version)) {
		fputs("kres: --data and --pg-version go with the PostgreSQL family\n", stderr);
		return -1;
	}
	if (o->conf && check_conf_file(r, o->conf) < 0)
		return -1;
	if (o->conf && w == WK_PG) {
		c->pg = xcalloc(1, sizeof(*c->pg));
		c->npg = 1;
		pg_from_conf(r, h, fl, o->conf, o->data, o->pg_version, c->pg);
		set_unit(o, r, c->pg->unit, sizeof(c->pg->unit), &c->pg->unit_info, &c->pg->have_unit);
	} else if (o->conf && w == WK_MY) {
		c->my = xcalloc(1, sizeof(*c->my));
		c->nmy = 1;
		my_from_conf(r, h, myf, o->conf, c->my);
		set_unit(o, r, c->my->unit, sizeof(c->my->unit), &c->my->unit_info, &c->my->have_unit);
	} else if (o->conf && w == WK_RD) {
		c->rd = xcalloc(1, sizeof(*c->rd));
		c->nrd = 1;
		rd_from_conf(r, h, o->conf, c->rd);
		set_unit(o, r, c->rd->unit, sizeof(c->rd->unit), &c->rd->unit_info, &c->rd->have_unit);
	} else if (o->pid) {
		c->netsvc = xcalloc(1, sizeof(*c->netsvc));
		if (!netsvc_from_pid(r, o->pid, c->netsvc)) {
			fprintf(stderr, "kres: --pid %lld: no such process under %s\n", (long long)o->pid,
				rootfs_show(r, "/proc"));
			return -1;
		}
		c->nnet = 1;
	} else {
		c->npg = pg_discover(r, h, &c->pg);
		c->nmy = my_discover(r, h, &c->my);
		c->nrd = rd_discover(r, h, &c->rd);
		/* The database servers are audited as such, not as network services. */
		int64_t *ex = xcalloc(c->npg + c->nmy + c->nrd + 1, sizeof(*ex));
		size_t nex = 0;
		for (size_t i = 0; i < c->npg; i++)
			ex[nex++] = c->pg[i].live.pid;
		for (size_t i = 0; i < c->nmy; i++)
			ex[nex++] = c->my[i].live.pid;
		for (size_t i = 0; i < c->nrd; i++)
			ex[nex++] = c->rd[i].live.pid;
		c->nnet = netsvc_discover(r, ex, nex, NETSVC_MIN_SOCKETS, &c->netsvc);
		free(ex);
	}
	for (size_t i = 0; i < c->npg; i++) {
		struct pg_instance *in = &c->pg[i];
		if (o->pg_version && !o->conf && !in->major) {
			in->major = o->pg_version;
			str_copy(in->version_origin, sizeof(in->version_origin), "--pg-version");
		}
	}
	/* --set changes the servers of the chosen workload. */
	char err[256];
	size_t n = w == WK_PG ? c->npg : w == WK_MY ? c->nmy : w == WK_RD ? c->nrd : 0;
	for (size_t i = 0; i < n && o->nsets; i++) {
		int rc = w == WK_PG ? pg_apply_sets(&c->pg[i], o->sets, o->nsets, err, sizeof(err))
		       : w == WK_MY ? my_apply_sets(&c->my[i], o->sets, o->nsets, err, sizeof(err))
				    : rd_apply_sets(&c->rd[i], o->sets, o->nsets, err, sizeof(err));
		if (rc < 0) {
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

/* Subject and id fields of the failure lines carry no tab or newline. */
static void put_field(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		buf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* One audit: the host read under the root, the services found, every rule run. */
struct audit {
	struct rootfs r;
	struct host h;
	struct netstate ns;
	struct nfsd_state nfsd;
	struct check_ctx c;
	bool opened;
};

/* Returns 0 with the findings in a->c, -2 when the root cannot be opened (errno in
 * *e), or -1 when the services could not be loaded (said on stderr). Either way
 * audit_release() frees what was read. */
static int audit_run(const struct check_opts *o, struct audit *a, int *e)
{
	memset(a, 0, sizeof(*a));
	*e = rootfs_open(&a->r, o->root);
	if (*e < 0)
		return -2;
	a->opened = true;
	host_read(&a->r, &a->h);
	netstate_read(&a->r, &a->ns);
	nfsd_read(&a->r, &a->nfsd);
	a->c = (struct check_ctx){.h = &a->h, .net = &a->ns, .nfsd = &a->nfsd, .nfsd_running = a->nfsd.running};
	if (load_services(o, &a->r, &a->h, &a->c) < 0)
		return -1;
	check_run(&a->c);
	return 0;
}

static void audit_release(struct audit *a)
{
	if (!a->opened)
		return;
	struct check_ctx *c = &a->c;
	check_release(c);
	pg_instances_free(c->pg, c->npg);
	my_instances_free(c->my, c->nmy);
	rd_instances_free(c->rd, c->nrd);
	netsvc_free(c->netsvc, c->nnet);
	netstate_release(&a->ns);
	nfsd_release(&a->nfsd);
	free(c->pgneeds);
	host_release(&a->h);
	rootfs_close(&a->r);
}

int check_report(const char *root, struct buf *json, struct buf *fails, char *err, size_t n)
{
	struct check_opts o = {.root = root};
	static struct audit a; /* large: not on the stack */
	int e;
	int rc = audit_run(&o, &a, &e);
	if (rc == -2)
		snprintf(err, n, "cannot open root '%s': %s", root, strerror(-e));
	else if (rc < 0)
		snprintf(err, n, "the services could not be read (see the agent's stderr)");
	if (rc == 0) {
		out_json(&a.c, json);
		for (size_t i = 0; i < a.c.nf; i++) {
			const struct finding *f = &a.c.f[i];
			if (f->status != FS_FAIL)
				continue;
			put_field(fails, f->rule->id);
			buf_putc(fails, '\t');
			buf_puts(fails, sev_name(f->sev));
			buf_putc(fails, '\t');
			put_field(fails, f->subject);
			buf_putc(fails, '\n');
		}
	}
	audit_release(&a);
	return rc == 0 ? 0 : -1;
}

int cmd_check(int argc, char **argv)
{
	struct check_opts o = {.root = "/"};
	int rc = parse_opts(argc, argv, &o);
	if (rc) {
		free(o.sets);
		return rc > 0 ? 0 : 3;
	}
	static struct audit a;
	int e, code = 3;
	rc = audit_run(&o, &a, &e);
	if (rc == -2)
		fprintf(stderr, "kres: cannot open root '%s': %s\n", o.root, strerror(-e));
	if (rc == 0) {
		out_each_input_error(&a.c, print_input_error, NULL);
		struct buf b = BUF_INIT;
		struct out_opts oo = {.color = want_color(&o), .verbose = o.verbose};
		if (o.fmt == FMT_JSON)
			out_json(&a.c, &b);
		else if (o.fmt == FMT_NAGIOS)
			out_nagios(&a.c, &b);
		else
			out_text(&a.c, &oo, &b);
		fwrite(buf_str(&b), 1, b.len, stdout);
		buf_release(&b);
		code = check_exit_code(&a.c);
	}
	audit_release(&a);
	free(o.sets);
	return fflush(stdout) == 0 ? code : 3;
}
