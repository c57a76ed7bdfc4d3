// SPDX-License-Identifier: MIT
/* kres top: samples the kernel's pressure counters and every process's anonymous
 * memory each interval, grades pressure for the host's workload and finds leaking
 * processes. Full-screen on a terminal, vmstat-like lines with -b, JSON lines with
 * --format json. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "out/top_out.h"
#include "sample/leak.h"
#include "sample/pressure.h"
#include "sample/rates.h"
#include "sample/sampler.h"
#include "util/rootfs.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: kres top [options]\n"
	"\n"
	"Watches memory, swap, reclaim, PSI, CPU steal, network and disks every interval,\n"
	"grades the pressure for the host's workload, and finds processes whose anonymous\n"
	"memory (RssAnon + VmSwap: not page cache, not shared buffers) keeps growing, with\n"
	"the time until they exhaust MemAvailable or their cgroup's limit.\n"
	"\n"
	"options:\n"
	"  -b, --batch            one vmstat-like line per interval (the default when\n"
	"                         standard output is not a terminal)\n"
	"  -d, --delay SECS       interval in seconds, fractions allowed (default 1)\n"
	"  -n, --count N          stop after N samples\n"
	"  --format FMT           text (default) or json (one object per sample per line)\n"
	"  --profile P            the workload whose memory grade to show: oltp\n"
	"                         (transaction applications: memory in use > 75 %% for 5\n"
	"                         minutes), db (swap in use > 30 %% or > 50 direct reclaims\n"
	"                         a minute), compute (memory bandwidth > 15 GB/s for 10\n"
	"                         minutes) or auto (default: db when PostgreSQL, MySQL,\n"
	"                         MariaDB or Redis runs, else oltp)\n"
	"  --set KEY=VALUE        a threshold: oltp.mem_pct, oltp.hold (seconds),\n"
	"                         db.swap_pct, db.reclaims_min, db.hold, compute.gbps,\n"
	"                         compute.hold, crit.full_pct (PSI memory full, percent)\n"
	"  --top N                processes to show (default 10)\n"
	"  --leak-window SECS     history a leak must span (default 600)\n"
	"  --leak-min-rate KIB    smallest growth called a leak, KiB a minute (default 60)\n"
	"  --no-procs             do not read processes\n"
	"  --root DIR             read /proc and /sys under DIR\n"
	"  --root-seq DIR         one sample per snapshot root in DIR's subdirectories, in\n"
	"                         name order, timed by each root's /proc/uptime (tests)\n"
	"  -h, --help             this text\n"
	"\n"
	"Keys on the screen: q quits. JSON keys: docs/top-json.md.\n";

struct top_opts {
	bool batch, json, procs;
	double delay;
	long count;
	int top_n;
	bool prof_set;
	enum profile prof;
	struct pressure_cfg pcfg;
	struct leak_cfg lcfg;
	const char *root, *seq;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage_err(const char *fmt, const char *arg) __attribute__((format(printf, 1, 0)));
static int usage_err(const char *fmt, const char *arg)
{
	fprintf(stderr, "kres top: ");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	fprintf(stderr, fmt, arg);
#pragma GCC diagnostic pop
	fprintf(stderr, "\n(kres top --help lists the options)\n");
	return 3;
}

static bool parse_num(const char *s, double lo, double hi, double *v)
{
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(d) || d < lo || d > hi)
		return false;
	*v = d;
	return true;
}

enum { O_FORMAT = 256, O_PROFILE, O_SET, O_TOP, O_LEAK_WINDOW, O_LEAK_RATE, O_NO_PROCS, O_ROOT, O_SEQ };

static int parse_opts(int argc, char **argv, struct top_opts *o)
{
	static const struct option longopts[] = {
	    {"batch", no_argument, NULL, 'b'},
	    {"delay", required_argument, NULL, 'd'},
	    {"count", required_argument, NULL, 'n'},
	    {"format", required_argument, NULL, O_FORMAT},
	    {"profile", required_argument, NULL, O_PROFILE},
	    {"set", required_argument, NULL, O_SET},
	    {"top", required_argument, NULL, O_TOP},
	    {"leak-window", required_argument, NULL, O_LEAK_WINDOW},
	    {"leak-min-rate", required_argument, NULL, O_LEAK_RATE},
	    {"no-procs", no_argument, NULL, O_NO_PROCS},
	    {"root", required_argument, NULL, O_ROOT},
	    {"root-seq", required_argument, NULL, O_SEQ},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;
	double d;
	memset(o, 0, sizeof(*o));
	o->procs = true;
	o->delay = 1;
	o->count = -1;
	o->top_n = 10;
	o->root = "/";
	pressure_cfg_default(&o->pcfg);
	leak_cfg_default(&o->lcfg);
	while ((c = getopt_long(argc, argv, "bd:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->batch = true;
			break;
		case 'd':
			if (!parse_num(optarg, 0.1, 86400, &o->delay))
				return usage_err("-d wants seconds from 0.1 to 86400, not '%s'", optarg);
			break;
		case 'n':
			if (!parse_num(optarg, 1, 1e9, &d) || d != floor(d))
				return usage_err("-n wants a positive count, not '%s'", optarg);
			o->count = (long)d;
			break;
		case O_FORMAT:
			if (!strcmp(optarg, "json"))
				o->json = o->batch = true;
			else if (strcmp(optarg, "text"))
				return usage_err("--format is text or json, not '%s'", optarg);
			break;
		case O_PROFILE:
			if (!strcmp(optarg, "auto"))
				o->prof_set = false;
			else if (profile_parse(optarg, &o->prof))
				return usage_err("--profile is auto, oltp, db or compute, not '%s'", optarg);
			else
				o->prof_set = true;
			break;
		case O_SET: {
			char key[64];
			const char *eq = strchr(optarg, '=');
			if (!eq || (size_t)(eq - optarg) >= sizeof(key))
				return usage_err("--set wants KEY=VALUE, not '%s'", optarg);
			snprintf(key, sizeof(key), "%.*s", (int)(eq - optarg), optarg);
			if (pressure_cfg_set(&o->pcfg, key, eq + 1))
				return usage_err("--set: unknown key or bad value in '%s'", optarg);
			break;
		}
		case O_TOP:
			if (!parse_num(optarg, 0, 1000, &d) || d != floor(d))
				return usage_err("--top wants 0 to 1000, not '%s'", optarg);
			o->top_n = (int)d;
			break;
		case O_LEAK_WINDOW:
			if (!parse_num(optarg, 1, 30 * 86400, &o->lcfg.window))
				return usage_err("--leak-window wants seconds, not '%s'", optarg);
			break;
		case O_LEAK_RATE:
			if (!parse_num(optarg, 0, 1e9, &d))
				return usage_err("--leak-min-rate wants KiB a minute, not '%s'", optarg);
			o->lcfg.min_rate = d / 60;
			break;
		case O_NO_PROCS:
			o->procs = false;
			break;
		case O_ROOT:
			o->root = optarg;
			break;
		case O_SEQ:
			o->seq = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			return usage_err("%s", "unknown option");
		}
	}
	if (optind < argc)
		return usage_err("unexpected argument '%s'", argv[optind]);
	if (!o->batch && !isatty(STDOUT_FILENO))
		o->batch = true;
	return 0;
}

/* The snapshot roots of --root-seq: DIR's subdirectories in name order. */
static int seq_dirs(const char *dir, struct strlist *out)
{
	DIR *d = opendir(dir);
	if (!d)
		return -errno;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		if (!stat(p, &st) && S_ISDIR(st.st_mode))
			strlist_push(out, p);
		free(p);
	}
	closedir(d);
	strlist_sort(out);
	return (int)out->n;
}

static void sleep_until(struct timespec *next, double delay)
{
	long long ns = next->tv_nsec + (long long)(delay * 1e9);
	next->tv_sec += (time_t)(ns / 1000000000);
	next->tv_nsec = (long)(ns % 1000000000);
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > next->tv_sec + 2) /* suspended or stalled: do not catch up */
		*next = now;
	while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
		;
}

int cmd_top(int argc, char **argv)
{
	struct top_opts o;
	int rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	struct strlist seq = {0};
	if (o.seq) {
		int n = seq_dirs(o.seq, &seq);
		if (n <= 0) {
			fprintf(stderr, "kres top: %s: %s\n", o.seq, n < 0 ? strerror(-n) : "no snapshot directories");
			strlist_release(&seq);
			return 3;
		}
		if (o.count < 0 || o.count > n)
			o.count = n;
	}
	bool fixture = o.seq || strcmp(o.root, "/");
	static struct sampler s; /* large: not on the stack */
	char msg[300];
	if (sampler_open(&s, o.seq ? seq.v[0] : o.root, fixture, o.procs, msg, sizeof(msg))) {
		fprintf(stderr, "kres top: cannot read %s\n", msg);
		strlist_release(&seq);
		return 3;
	}
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	bool screen = !o.batch && top_curses_start() == 0;
	if (!o.batch && !screen)
		o.batch = true;
	if (o.batch && !o.json)
		top_batch_header(stdout);

	static struct rates r;
	static struct pressure p;
	struct leak_clock lc;
	bool inited = false;
	char host[64] = "";
	gethostname(host, sizeof(host) - 1);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	unsigned lines = 0;
	for (long i = 0; !stop && (o.count < 0 || i < o.count); i++) {
		if (o.seq && i > 0 && sampler_reroot(&s, seq.v[i], msg, sizeof(msg))) {
			fprintf(stderr, "kres top: cannot read %s\n", msg);
			break;
		}
		/* Leak buckets count from time 0 of the sampler's clock, one per interval
		 * at most (-d, which a fixture sequence's uptimes should match). */
		if (!inited)
			leak_clock_init(&lc, 0, o.lcfg.window, o.delay);
		sampler_sample(&s, &lc);
		const struct snap *cur = sampler_cur(&s), *prev = sampler_prev(&s);
		if (!inited) {
			rates_init(&r, cur);
			pressure_init(&p, &o.pcfg, o.prof_set ? o.prof : profile_auto(o.procs ? &s.procs : NULL));
			inited = true;
		}
		rates_compute(&r, prev, cur);
		pressure_update(&p, cur, &r);
		uint64_t avail = r.mem_avail_kb;
		if (o.procs)
			procs_rank(&s.procs, &s.root, &lc, &o.lcfg, cur->t, avail, (size_t)o.top_n);
		struct top_view v = {0};
		v.snap = cur;
		v.r = &r;
		v.p = &p;
		v.procs = o.procs ? &s.procs : NULL;
		v.leak = &o.lcfg;
		v.interval = o.delay;
		v.hostname = host;
		v.events_on = false;
		v.events_off_why = "kernel events: run 'kres log -f' beside kres top";
		for (int f = 0; f < SF__COUNT && v.nerrv < sizeof(v.errv) / sizeof(v.errv[0]); f++)
			if (s.err[f][0])
				v.errv[v.nerrv++] = s.err[f];
		if (screen) {
			top_curses_draw(&v);
		} else if (o.json) {
			top_json_line(stdout, &v);
		} else {
			if (lines && lines % 20 == 0)
				top_batch_header(stdout);
			top_batch_line(stdout, &v);
			top_batch_notes(stdout, &v);
			lines++;
		}
		fflush(stdout);
		if (o.count >= 0 && i + 1 >= o.count)
			break;
		if (screen) {
			int key = top_curses_wait((int)(o.delay * 1000));
			if (key == 'q')
				break;
		} else if (!o.seq) {
			sleep_until(&next, o.delay);
		}
	}
	if (screen)
		top_curses_stop();
	rates_release(&r);
	sampler_close(&s);
	strlist_release(&seq);
	return 0;
}
