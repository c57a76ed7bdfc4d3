// SPDX-License-Identifier: MIT
/* The kres serve agent loop: see agent.h. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <malloc.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "klog/asm.h"
#include "klog/catalog.h"
#include "klog/match.h"
#include "klog/scan.h"
#include "out/klog_out.h"
#include "sample/rates.h"
#include "sample/sampler.h"
#include "serve/agent.h"
#include "serve/http.h"
#include "serve/metrics.h"
#include "serve/webcfg.h"
#include "util/buf.h"
#include "util/rootfs.h"
#include "util/xalloc.h"
#include "util/banned.h"

enum { EV_SAMPLE = 1, EV_CHECK, EV_TICK, EV_SIGNAL, EV_KMSG, EV_HTTP, EV_CHILD };

/* A finished event as /events shows it. */
struct ev_json {
	const char *category;
	char *json;
};

struct agent {
	struct serve_opts o;
	serve_check_fn check;
	serve_reload_fn reload;
	void *reload_ctx;
	int ep, tfd_sample, tfd_check, tfd_tick, sfd, listen_fd;
	bool stop;
	uint64_t gen;               /* bumped whenever what /metrics shows changes */
	double started_mono, started_wall;

	/* sampler */
	struct sampler s;
	struct rates r;
	struct pressure p;
	struct leak_clock lc;
	bool sampled;
	double last_sample;         /* monotonic */
	const char *file_err[SF__COUNT];
	const char *file_name[SF__COUNT];

	/* kernel log */
	bool klog_ok;
	struct klog_catalog cat;
	struct klog_matcher m;
	struct klog_asm a;
	struct klog_scan scan;
	int kmsg_fd;
	bool kmsg_file;             /* a regular file (tests): read on the tick */
	double kmsg_last;           /* monotonic time of the last record */
	struct serve_evcount *evc;
	size_t nevc, capevc;
	struct ev_json *ring;
	size_t ring_head, ring_n;

	/* check */
	pid_t check_pid;
	int check_fd;
	double check_started;
	struct buf check_in;
	struct blob *findings;      /* the last check's JSON */
	char *fail_text;            /* the failure lines; fail[] points into it */
	struct serve_failure *fail;
	size_t nfail;
	bool check_ran;

	/* http */
	struct webcfg web;
	bool have_web;
	struct http *http;
	struct http_stats hst;
	struct blob *metrics, *metrics_gz;
	uint64_t metrics_gen;
	double last_render;

	struct serve_colstat col[SC__COUNT];
	int statm_fd;
	uint64_t rss, vsize, nfds;
};

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logmsg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("kres serve: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- timers ---- */

static int timer_new(void)
{
	return timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
}

/* Fires after first seconds, then every every seconds (0: once). */
static void timer_arm(int fd, double first, double every)
{
	struct itimerspec it = {0};
	if (first > 0) {
		it.it_value.tv_sec = (time_t)first;
		it.it_value.tv_nsec = (long)((first - floor(first)) * 1e9);
		if (!it.it_value.tv_sec && !it.it_value.tv_nsec)
			it.it_value.tv_nsec = 1;
	}
	if (every > 0) {
		it.it_interval.tv_sec = (time_t)every;
		it.it_interval.tv_nsec = (long)((every - floor(every)) * 1e9);
	}
	timerfd_settime(fd, 0, &it, NULL);
}

static void timer_drain(int fd)
{
	uint64_t n;
	while (read(fd, &n, sizeof(n)) == (ssize_t)sizeof(n))
		;
}

static int ep_add(int ep, int fd, uint32_t tag)
{
	struct epoll_event e = {.events = EPOLLIN, .data.u32 = tag};
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

/* ---- listen socket ---- */

/* "ADDR:PORT", "[V6]:PORT", ":PORT" (every address). */
static int listen_open(const char *spec, char *err, size_t n)
{
	char host[128], port[16];
	const char *colon = strrchr(spec, ':');
	if (!colon || !colon[1] || strlen(colon + 1) >= sizeof(port) || (size_t)(colon - spec) >= sizeof(host)) {
		snprintf(err, n, "--listen '%s': expected ADDR:PORT", spec);
		return -1;
	}
	snprintf(port, sizeof(port), "%s", colon + 1);
	snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
	if (host[0] == '[') {
		size_t l = strlen(host);
		if (l < 2 || host[l - 1] != ']') {
			snprintf(err, n, "--listen '%s': unbalanced [", spec);
			return -1;
		}
		memmove(host, host + 1, l - 2);
		host[l - 2] = '\0';
	}
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV};
	struct addrinfo *res;
	int rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
	if (rc) {
		snprintf(err, n, "--listen '%s': %s (a numeric address and port)", spec, gai_strerror(rc));
		return -1;
	}
	int fd = -1;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (!host[0] && ai->ai_family != AF_INET6 && ai->ai_next)
			continue; /* every address: the IPv6 socket takes IPv4 too */
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		int one = 1, zero = 0;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6 && !host[0])
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0)
			break;
		snprintf(err, n, "--listen '%s': %s", spec, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* ---- privileges ---- */

/* Becomes user, keeping only CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE, which the
 * periodic check needs to read database configuration files in their owners' 0700
 * directories and other users' /proc/PID/{environ,limits,fd}. */
static int drop_to(const char *user, char *err, size_t n)
{
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, n, "--user '%s': no such user", user);
		return -1;
	}
	if (prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) || initgroups(user, pw->pw_gid) ||
	    setgid(pw->pw_gid) || setuid(pw->pw_uid)) {
		snprintf(err, n, "--user '%s': cannot switch to it: %s", user, strerror(errno));
		return -1;
	}
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2] = {{0}};
	uint32_t keep = (1u << CAP_DAC_READ_SEARCH) | (1u << CAP_SYS_PTRACE);
	data[0].effective = data[0].permitted = keep;
	if (syscall(SYS_capset, &hdr, data)) {
		snprintf(err, n, "--user '%s': cannot keep CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE: %s", user,
			 strerror(errno));
		return -1;
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L);
	return 0;
}

/* ---- kernel log ---- */

/* Counts by (category, signature) text: a promoted category is a string of its own. */

static void evc_add(struct agent *ag, const char *cat, const char *sig, uint64_t n)
{
	for (size_t i = 0; i < ag->nevc; i++)
		if (!strcmp(ag->evc[i].category, cat) && !strcmp(ag->evc[i].signature, sig)) {
			ag->evc[i].n += n;
			return;
		}
	ALLOC_GROW(ag->evc, ag->nevc + 1, ag->capevc);
	ag->evc[ag->nevc++] = (struct serve_evcount){.category = cat, .signature = sig, .n = n};
}

static int evc_cmp(const void *x, const void *y)
{
	const struct serve_evcount *a = x, *b = y;
	int c = strcmp(a->category, b->category);
	return c ? c : strcmp(a->signature, b->signature);
}

static void on_event(void *ctx, struct klog_event *ev)
{
	struct agent *ag = ctx;
	const struct klog_sig *sig = &ag->cat.sigs[ev->sig];
	size_t before = ag->nevc;
	evc_add(ag, ev->category, sig->id, 1);
	if (ag->nevc != before)
		qsort(ag->evc, ag->nevc, sizeof(*ag->evc), evc_cmp);
	struct buf b = BUF_INIT;
	klog_out_event_json(&b, &ag->cat, ev);
	while (b.len && b.p[b.len - 1] == '\n')
		b.len--;
	struct ev_json *slot = &ag->ring[(ag->ring_head + ag->ring_n) % ag->o.nevents];
	if (ag->ring_n == ag->o.nevents) {
		free(ag->ring[ag->ring_head].json);
		slot = &ag->ring[ag->ring_head];
		ag->ring_head = (ag->ring_head + 1) % ag->o.nevents;
	} else {
		ag->ring_n++;
	}
	slot->category = ev->category;
	slot->json = xstrndup(b.p ? b.p : "", b.len);
	buf_release(&b);
	klog_event_release(ev);
	free(ev);
	ag->gen++;
}

static void on_suppressed(void *ctx, long sig, uint64_t n)
{
	(void)sig;
	(void)n;
	((struct agent *)ctx)->gen++; /* the total is the assembler's */
}

/* Reads every record /dev/kmsg has now. */
static void kmsg_drain(struct agent *ag)
{
	char rec[8193];
	double t0 = now_mono();
	bool any = false, bad = false;
	if (ag->kmsg_file) {
		enum klog_fmt used;
		const char *what;
		off_t before = lseek(ag->kmsg_fd, 0, SEEK_CUR);
		if (klog_scan_fd(&ag->scan, ag->kmsg_fd, KFMT_KMSG, 0, &used, &what) < 0)
			bad = true;
		any = lseek(ag->kmsg_fd, 0, SEEK_CUR) != before;
	} else {
		for (;;) {
			ssize_t n = read(ag->kmsg_fd, rec, sizeof(rec) - 1);
			if (n > 0) {
				klog_scan_kmsg_record(&ag->scan, rec, (size_t)n);
				any = true;
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EPIPE)
				continue; /* overwritten records: the sequence gap counts them */
			if (n < 0 && errno != EAGAIN)
				bad = true;
			break;
		}
	}
	struct serve_colstat *c = &ag->col[SC_KMSG];
	if (any)
		ag->kmsg_last = now_mono();
	if (any || bad || !c->ran) {
		c->ran = true;
		c->success = !bad;
		c->duration = now_mono() - t0;
		c->last_run = now_wall();
		c->errors = ag->a.lost + (bad ? 1 : 0);
		ag->gen++;
	}
}

static int klog_start(struct agent *ag, char *err, size_t n)
{
	struct perr e = {0};
	const char *bad = NULL;
	long pat;
	if (klog_catalog_load_builtin(&ag->cat, &e)) {
		snprintf(err, n, "built-in catalog line %u: %s", e.line, e.msg);
		return -1;
	}
	int rc = klog_catalog_load_dir(&ag->cat, ag->o.sigdir, &bad, &e);
	if (rc) {
		snprintf(err, n, "signatures %s%s%u: %s", bad ? bad : ag->o.sigdir, e.line ? ":" : "", e.line,
			 e.msg[0] ? e.msg : strerror(-rc));
		return -1;
	}
	klog_catalog_index(&ag->cat);
	if (klog_matcher_build_jit(&ag->m, &ag->cat, &e, &pat, false)) {
		snprintf(err, n, "cannot compile the signatures: %s", e.msg);
		return -1;
	}
	struct klog_asm_ops ops = {.emit = on_event, .suppressed = on_suppressed};
	klog_asm_init(&ag->a, &ag->cat, &ops, ag);
	klog_scan_init(&ag->scan, &ag->m, &ag->a);
	ag->klog_ok = true;
	/* Every signature's series exists at 0 before its first event, so increase()
	 * sees the first one. */
	for (size_t i = 0; i < ag->cat.nsigs; i++)
		if (!ag->cat.sigs[i].part)
			evc_add(ag, ag->cat.sigs[i].category, ag->cat.sigs[i].id, 0);
	qsort(ag->evc, ag->nevc, sizeof(*ag->evc), evc_cmp);
	ag->ring = xcalloc(ag->o.nevents, sizeof(*ag->ring));
	if (!ag->o.kmsg)
		return 0;
	ag->kmsg_fd = open(ag->o.kmsg_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (ag->kmsg_fd < 0) {
		snprintf(err, n, "cannot open %s: %s (kres serve --no-kmsg runs without it)", ag->o.kmsg_path,
			 strerror(errno));
		return -1;
	}
	struct stat st;
	ag->kmsg_file = !fstat(ag->kmsg_fd, &st) && S_ISREG(st.st_mode);
	ag->scan.lc.fmt = KFMT_KMSG;
	if (!ag->kmsg_file) {
		klog_boot_id(ag->scan.boot_id);
		ag->scan.boot_wall_us = klog_boot_wall_us();
	}
	ag->a.source = ag->o.kmsg_path;
	/* The records already in the buffer are counted before the first scrape can
	 * come, so a restarted agent's counters do not look like new events. */
	kmsg_drain(ag);
	return 0;
}

/* ---- sampler ---- */

static void self_stats(struct agent *ag)
{
	char b[128];
	ssize_t n = ag->statm_fd >= 0 ? pread(ag->statm_fd, b, sizeof(b) - 1, 0) : -1;
	if (n > 0) {
		unsigned long long size = 0, res = 0;
		b[n] = '\0';
		if (sscanf(b, "%llu %llu", &size, &res) == 2) {
			long pg = sysconf(_SC_PAGESIZE);
			ag->vsize = size * (uint64_t)pg;
			ag->rss = res * (uint64_t)pg;
		}
	}
	DIR *d = opendir("/proc/self/fd");
	if (d) {
		uint64_t k = 0;
		struct dirent *e;
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				k++;
		closedir(d);
		ag->nfds = k ? k - 1 : 0; /* not the directory's own fd */
	}
}

static void do_sample(struct agent *ag)
{
	double t0 = now_mono();
	sampler_sample(&ag->s, &ag->lc);
	const struct snap *cur = sampler_cur(&ag->s), *prev = sampler_prev(&ag->s);
	if (!ag->sampled) {
		rates_init(&ag->r, cur);
		pressure_init(&ag->p, &ag->o.pcfg, ag->o.prof_set ? ag->o.prof : profile_auto(ag->o.procs ? &ag->s.procs : NULL));
		ag->sampled = true;
	}
	rates_compute(&ag->r, prev, cur);
	pressure_update(&ag->p, cur, &ag->r);
	if (ag->o.procs)
		procs_rank(&ag->s.procs, &ag->s.root, &ag->lc, &ag->o.lcfg, cur->t, ag->r.mem_avail_kb,
			   (size_t)ag->o.top_n);
	bool ok = cur->mem_ok && cur->stat.ok;
	for (int f = 0; f < SF__COUNT; f++)
		if (ag->s.err[f][0])
			ok = false;
	self_stats(ag);
	struct serve_colstat *c = &ag->col[SC_SAMPLE];
	c->ran = true;
	c->success = ok;
	if (!ok)
		c->errors++;
	c->duration = now_mono() - t0;
	c->last_run = now_wall();
	ag->last_sample = now_mono();
	ag->gen++;
}

/* ---- check ---- */

static void check_start(struct agent *ag)
{
	if (ag->check_pid > 0)
		return; /* the previous one still runs */
	int p[2];
	if (pipe2(p, O_CLOEXEC)) {
		logmsg("check: pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		logmsg("check: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return;
	}
	if (pid == 0) {
		/* The child: one audit, written as "kres-check 1 RC JSONLEN FAILLEN\n" then
		 * the JSON and the failure lines (or the error text). */
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(p[0]);
		struct buf json = BUF_INIT, fails = BUF_INIT, all = BUF_INIT;
		char err[300] = "";
		int rc = ag->check(ag->o.root, &json, &fails, err, sizeof(err));
		if (rc)
			buf_puts(&json, err);
		buf_appendf(&all, "kres-check 1 %d %zu %zu\n", rc, json.len, fails.len);
		buf_append(&all, json.p ? json.p : "", json.len);
		buf_append(&all, fails.p ? fails.p : "", fails.len);
		for (size_t off = 0; off < all.len;) {
			ssize_t w = write(p[1], all.p + off, all.len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				_exit(1);
			off += (size_t)w;
		}
		_exit(0);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	ag->check_pid = pid;
	ag->check_fd = p[0];
	ag->check_started = now_mono();
	buf_reset(&ag->check_in);
	ep_add(ag->ep, p[0], EV_CHILD);
}

/* The child's whole message arrived (EOF): take it. */
static void check_finish(struct agent *ag, bool killed)
{
	int status = 0;
	epoll_ctl(ag->ep, EPOLL_CTL_DEL, ag->check_fd, NULL);
	close(ag->check_fd);
	ag->check_fd = -1;
	if (ag->check_pid > 0)
		waitpid(ag->check_pid, &status, 0);
	ag->check_pid = 0;
	struct serve_colstat *c = &ag->col[SC_CHECK];
	c->ran = true;
	c->duration = now_mono() - ag->check_started;
	c->last_run = now_wall();
	c->success = false;
	ag->gen++;
	int rc;
	size_t jl, fl;
	int hdr = 0;
	const char *in = ag->check_in.p ? ag->check_in.p : "";
	if (killed || sscanf(in, "kres-check 1 %d %zu %zu\n%n", &rc, &jl, &fl, &hdr) != 3 || hdr <= 0 ||
	    (size_t)hdr + jl + fl != ag->check_in.len) {
		c->errors++;
		logmsg("check: %s", killed ? "took too long and was stopped"
				 : WIFSIGNALED(status) ? "the check process died" : "malformed result");
		return;
	}
	if (rc) {
		c->errors++;
		logmsg("check: %.*s", (int)jl, in + hdr);
		return;
	}
	c->success = true;
	blob_unref(ag->findings);
	ag->findings = blob_new(in + hdr, jl);
	free(ag->fail_text);
	free(ag->fail);
	ag->fail_text = xstrndup(in + hdr + jl, fl);
	ag->fail = NULL;
	ag->nfail = 0;
	size_t cap = 0;
	for (char *l = ag->fail_text, *nl; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		if (!nl)
			break;
		*nl = '\0';
		char *t1 = strchr(l, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2)
			continue;
		*t1 = *t2 = '\0';
		ALLOC_GROW(ag->fail, ag->nfail + 1, cap);
		ag->fail[ag->nfail++] = (struct serve_failure){.id = l, .severity = t1 + 1, .subject = t2 + 1};
	}
	ag->check_ran = true;
}

static void check_read(struct agent *ag)
{
	char b[16384];
	for (;;) {
		ssize_t n = read(ag->check_fd, b, sizeof(b));
		if (n > 0) {
			if (ag->check_in.len + (size_t)n > 64u << 20) { /* a runaway child */
				kill(ag->check_pid, SIGKILL);
				check_finish(ag, true);
				return;
			}
			buf_append(&ag->check_in, b, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		check_finish(ag, false);
		return;
	}
}

/* ---- HTTP routes ---- */

static void render_metrics(struct agent *ag)
{
	double t0 = now_mono();
	struct buf b = BUF_INIT;
	struct serve_view v = {0};
	if (ag->sampled) {
		v.cur = sampler_cur(&ag->s);
		v.prev = sampler_prev(&ag->s);
		v.r = &ag->r;
		v.p = &ag->p;
	}
	v.procs = ag->o.procs && ag->sampled ? &ag->s.procs : NULL;
	v.leak = &ag->o.lcfg;
	for (int f = 0; f < SF__COUNT; f++)
		ag->file_err[f] = ag->s.err[f];
	v.file_err = ag->file_err;
	v.file_name = ag->file_name;
	v.nfile = SF__COUNT;
	v.clk_tck = sysconf(_SC_CLK_TCK);
	v.ev = ag->evc;
	v.nev = ag->nevc;
	v.klog_lost = ag->a.lost;
	v.klog_suppressed = ag->a.suppressed;
	v.check_ran = ag->check_ran;
	v.fail = ag->fail;
	v.nfail = ag->nfail;
	memcpy(v.col, ag->col, sizeof(v.col));
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	v.self.cpu_seconds = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	v.self.rss_bytes = ag->rss;
	v.self.vsize_bytes = ag->vsize;
	v.self.open_fds = ag->nfds;
	struct rlimit rl;
	v.self.max_fds = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? (uint64_t)rl.rlim_cur : 0;
	v.self.start_time = ag->started_wall;
	size_t nc = ag->hst.ncode < 16 ? ag->hst.ncode : 16;
	for (size_t i = 0; i < nc; i++) {
		v.self.http[i].code = ag->hst.code[i].code;
		v.self.http[i].n = ag->hst.code[i].n;
	}
	v.self.nhttp = nc;
	v.self.http_rejected = ag->hst.cut;
	v.self.last_render = ag->last_render;
	v.self.sampler_grows = sampler_grows(&ag->s);
	v.version = KRES_VERSION;
	serve_metrics_render(&b, &v);
	blob_unref(ag->metrics);
	blob_unref(ag->metrics_gz);
	ag->metrics = blob_new(b.p, b.len);
	ag->metrics_gz = NULL;
	ag->metrics_gen = ag->gen;
	buf_release(&b);
	ag->last_render = now_mono() - t0;
}

/* gzip (RFC 1952) of the cached page, made on the first request that wants it. */
static struct blob *gzip_blob(const struct blob *in)
{
	z_stream z = {0};
	if (deflateInit2(&z, 1, Z_DEFLATED, 12 + 16, 4, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	uLong bound = deflateBound(&z, (uLong)in->len) + 32;
	struct blob *out = blob_new(NULL, bound);
	z.next_in = (Bytef *)(uintptr_t)in->data;
	z.avail_in = (uInt)in->len;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	out->len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		blob_unref(out);
		return NULL;
	}
	return out;
}

static struct blob *text_blob(const char *s)
{
	return blob_new(s, strlen(s));
}

static void route_events(struct agent *ag, const struct http_req *rq, struct http_resp *rs)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "{\"events\":[");
	bool first = true;
	for (size_t i = 0; i < ag->ring_n; i++) {
		const struct ev_json *e = &ag->ring[(ag->ring_head + i) % ag->o.nevents];
		if (rq->category && strcmp(rq->category, e->category))
			continue;
		if (!first)
			buf_putc(&b, ',');
		first = false;
		buf_puts(&b, "\n");
		buf_puts(&b, e->json);
	}
	buf_appendf(&b, "%s],\"lost\":%" PRIu64 ",\"suppressed\":%" PRIu64 ",\"kept\":%u}\n", first ? "" : "\n",
		    ag->a.lost, ag->a.suppressed, ag->o.nevents);
	rs->status = 200;
	rs->ctype = "application/json";
	rs->body = blob_new(b.p, b.len);
	buf_release(&b);
}

static void route(void *ctx, const struct http_req *rq, struct http_resp *rs)
{
	struct agent *ag = ctx;
	const char *p = rq->path;
	if (!strcmp(p, "/metrics")) {
		if (!ag->metrics || ag->metrics_gen != ag->gen)
			render_metrics(ag);
		rs->status = 200;
		rs->ctype = "text/plain; version=0.0.4; charset=utf-8";
		if (rq->gzip_ok && !ag->metrics_gz)
			ag->metrics_gz = gzip_blob(ag->metrics);
		if (rq->gzip_ok && ag->metrics_gz) {
			rs->body = blob_ref(ag->metrics_gz);
			rs->gzip = true;
		} else {
			rs->body = blob_ref(ag->metrics);
		}
	} else if (!strcmp(p, "/findings")) {
		rs->ctype = "application/json";
		if (ag->findings) {
			rs->status = 200;
			rs->body = blob_ref(ag->findings);
		} else {
			rs->status = 503;
			rs->body = text_blob(ag->o.check_interval > 0 ? "{\"error\":\"the first check has not finished\"}\n"
								      : "{\"error\":\"the periodic check is off (--check-interval 0)\"}\n");
		}
	} else if (!strcmp(p, "/events")) {
		if (!ag->klog_ok) {
			rs->status = 503;
			rs->ctype = "application/json";
			rs->body = text_blob("{\"error\":\"the kernel log is not followed\"}\n");
		} else {
			route_events(ag, rq, rs);
		}
	} else if (!strcmp(p, "/healthz")) {
		double age = now_mono() - ag->last_sample;
		rs->ctype = "text/plain; charset=utf-8";
		if (ag->sampled && age <= 3 * ag->o.interval + 1) {
			rs->status = 200;
			rs->body = text_blob("ok\n");
		} else {
			char m[128];
			snprintf(m, sizeof(m), "stale: no sample for %.1f s (interval %.1f s)\n", ag->sampled ? age : -1.0,
				 ag->o.interval);
			rs->status = 503;
			rs->body = text_blob(m);
		}
	} else if (!strcmp(p, "/")) {
		rs->status = 200;
		rs->ctype = "text/html; charset=utf-8";
		rs->body = text_blob("<!DOCTYPE html><html><head><title>kres serve</title></head><body>"
				     "<h1>kres serve</h1><ul>"
				     "<li><a href=\"metrics\">metrics</a> (Prometheus)</li>"
				     "<li><a href=\"findings\">findings</a> (the last kres check, JSON)</li>"
				     "<li><a href=\"events\">events</a> (recent kernel faults, JSON)</li>"
				     "<li><a href=\"healthz\">healthz</a></li></ul></body></html>\n");
	} else {
		rs->status = 404;
		rs->ctype = "text/plain; charset=utf-8";
		rs->body = text_blob("not found: /metrics /findings /events /healthz\n");
	}
}

/* ---- HTTP server (re)start ---- */

static int http_restart(struct agent *ag, char *err, size_t n)
{
	struct http_cfg cfg = {.listen_fd = ag->listen_fd, .max_conn = ag->o.max_conn,
			       .timeout = ag->o.http_timeout, .web = ag->have_web ? &ag->web : NULL};
	struct http *h = http_start(&cfg, route, ag, &ag->hst, err, n);
	if (!h)
		return -1;
	if (ag->http) {
		epoll_ctl(ag->ep, EPOLL_CTL_DEL, http_epoll_fd(ag->http), NULL);
		http_stop(ag->http);
	}
	ag->http = h;
	ep_add(ag->ep, http_epoll_fd(h), EV_HTTP);
	return 0;
}

static void do_reload(struct agent *ag)
{
	struct serve_opts o = ag->o;
	char err[400];
	if (ag->reload(&o, err, sizeof(err), ag->reload_ctx)) {
		logmsg("reload: %s; the running configuration is kept", err);
		return;
	}
	struct webcfg w = {0};
	bool have = o.web_config[0];
	if (have && webcfg_load(o.web_config, &w, err, sizeof(err))) {
		logmsg("reload: %s; the running configuration is kept", err);
		webcfg_release(&w);
		return;
	}
	if (strcmp(o.listen, ag->o.listen) || strcmp(o.user, ag->o.user) || strcmp(o.root, ag->o.root) ||
	    o.kmsg != ag->o.kmsg || o.procs != ag->o.procs || strcmp(o.sigdir, ag->o.sigdir) ||
	    o.nevents != ag->o.nevents || o.lcfg.window != ag->o.lcfg.window)
		logmsg("reload: listen, user, root, kmsg, procs, signatures-dir, events and leak-window change "
		       "only with a restart");
	struct webcfg old = ag->web;
	bool had = ag->have_web;
	struct serve_opts prev = ag->o;
	ag->web = w;
	ag->have_web = have;
	ag->o.interval = o.interval;
	ag->o.check_interval = o.check_interval;
	ag->o.top_n = o.top_n;
	ag->o.max_conn = o.max_conn;
	ag->o.http_timeout = o.http_timeout;
	ag->o.lcfg.min_rate = o.lcfg.min_rate;
	memcpy(ag->o.web_config, o.web_config, sizeof(o.web_config));
	if (http_restart(ag, err, sizeof(err))) {
		logmsg("reload: %s; the running configuration is kept", err);
		webcfg_release(&ag->web);
		ag->web = old;
		ag->have_web = had;
		ag->o = prev;
		return;
	}
	if (had)
		webcfg_release(&old);
	timer_arm(ag->tfd_sample, ag->o.interval, ag->o.interval);
	timer_arm(ag->tfd_check, ag->o.check_interval > 0 ? ag->o.check_interval : 0, ag->o.check_interval);
	ag->gen++;
	logmsg("reloaded: interval %g s, check every %g s, %s%s", ag->o.interval, ag->o.check_interval,
	       ag->have_web && ag->web.tls ? "TLS" : "plain HTTP",
	       ag->have_web && ag->web.nuser ? ", basic auth" : "");
}

/* ---- the loop ---- */

static void tick(struct agent *ag)
{
	double now = now_mono();
	if (ag->http)
		http_tick(ag->http, now);
	if (ag->klog_ok && ag->kmsg_fd >= 0) {
		if (ag->kmsg_file)
			kmsg_drain(ag);
		/* A report whose lines stopped two seconds ago is complete. */
		if (klog_asm_open(&ag->a) && now - ag->kmsg_last >= 2) {
			klog_asm_flush(&ag->a);
			ag->gen++;
		}
	}
	double limit = ag->o.check_interval > 0 && ag->o.check_interval < 300 ? ag->o.check_interval : 300;
	if (ag->check_pid > 0 && now - ag->check_started > limit) {
		kill(ag->check_pid, SIGKILL);
		check_finish(ag, true);
	}
}

static void on_signal(struct agent *ag)
{
	struct signalfd_siginfo si;
	while (read(ag->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			do_reload(ag);
		else if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			ag->stop = true;
	}
}

static const char *const sf_names[SF__COUNT] = {
	[SF_UPTIME] = "/proc/uptime",
	[SF_MEMINFO] = "/proc/meminfo",
	[SF_VMSTAT] = "/proc/vmstat",
	[SF_STAT] = "/proc/stat",
	[SF_PSI_CPU] = "/proc/pressure/cpu",
	[SF_PSI_MEMORY] = "/proc/pressure/memory",
	[SF_PSI_IO] = "/proc/pressure/io",
	[SF_NETDEV] = "/proc/net/dev",
	[SF_SOFTNET] = "/proc/net/softnet_stat",
	[SF_SNMP] = "/proc/net/snmp",
	[SF_NETSTAT] = "/proc/net/netstat",
	[SF_SOCKSTAT] = "/proc/net/sockstat",
	[SF_TCP_MEM] = "/proc/sys/net/ipv4/tcp_mem",
	[SF_CT_COUNT] = "/proc/sys/net/netfilter/nf_conntrack_count",
	[SF_CT_MAX] = "/proc/sys/net/netfilter/nf_conntrack_max",
	[SF_DISKSTATS] = "/proc/diskstats",
	[SF_NFSD_THREADS] = "/proc/fs/nfsd/threads",
	[SF_NFSD_POOL] = "/proc/fs/nfsd/pool_stats",
};

/* Start-up touched pages the agent never uses again: compiling the signatures pulls
 * megabytes of Vectorscan's compiler (libhs, libstdc++) into the resident set, and
 * binding every symbol at load (-z now) reads each library's symbol tables. Pages
 * of read-only file mappings that the process never wrote (smaps "Anonymous: 0")
 * are dropped from this process: they stay in the page cache, and what the loop
 * runs faults back in at once. A mapping holding a page the process wrote (RELRO
 * after relocation) is left alone, so no data of the process can be lost. The heap
 * the compiler freed is returned too. */
static void trim_startup(void)
{
	malloc_trim(0);
	FILE *f = fopen("/proc/self/smaps", "re");
	if (!f)
		return;
	char line[512], perms[8] = "";
	unsigned long lo = 0, hi = 0, ino = 0;
	bool have = false;
	while (fgets(line, sizeof(line), f)) {
		/* A mapping's header; parsed into temporaries, since a field line such as
		 * "FilePmdMapped:" starts with hex digits too and would clobber a partial
		 * match. */
		unsigned long l, h, o, i, anon;
		char p[8], d[16];
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu", &l, &h, p, &o, d, &i) == 6 && strchr(line, '-') &&
		    strchr(line, '-') < strchr(line, ' ')) {
			lo = l, hi = h, ino = i;
			memcpy(perms, p, sizeof(perms));
			have = true;
			continue;
		}
		if (!have || strncmp(line, "Anonymous:", 10) || sscanf(line + 10, "%lu", &anon) != 1)
			continue;
		have = false; /* one decision per mapping */
		if (anon == 0 && ino != 0 && perms[0] == 'r' && perms[1] == '-' && perms[3] == 'p' && hi > lo)
			madvise((void *)lo, hi - lo, MADV_DONTNEED);
	}
	fclose(f);
}

static int setup(struct agent *ag, char *err, size_t n)
{
	ag->started_mono = now_mono();
	ag->started_wall = now_wall();
	ag->kmsg_fd = ag->check_fd = ag->listen_fd = -1;
	ag->ep = ag->tfd_sample = ag->tfd_check = ag->tfd_tick = ag->sfd = -1;
	for (int f = 0; f < SF__COUNT; f++)
		ag->file_name[f] = sf_names[f];
	/* Connections need fds: as many as the hard limit allows. */
	struct rlimit rl;
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	ag->listen_fd = listen_open(ag->o.listen, err, n);
	if (ag->listen_fd < 0)
		return -1;
	if (ag->o.web_config[0]) {
		if (webcfg_load(ag->o.web_config, &ag->web, err, n))
			return -1;
		ag->have_web = true;
	}
	if (klog_start(ag, err, n))
		return -1;
	bool fixture = strcmp(ag->o.root, "/") != 0;
	char msg[300];
	if (sampler_open(&ag->s, ag->o.root, fixture, ag->o.procs, msg, sizeof(msg))) {
		snprintf(err, n, "cannot read %s", msg);
		return -1;
	}
	leak_clock_init(&ag->lc, 0, ag->o.lcfg.window, ag->o.interval);
	ag->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (ag->o.user[0] && drop_to(ag->o.user, err, n))
		return -1;
	ag->ep = epoll_create1(EPOLL_CLOEXEC);
	ag->tfd_sample = timer_new();
	ag->tfd_check = timer_new();
	ag->tfd_tick = timer_new();
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	ag->sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (ag->ep < 0 || ag->tfd_sample < 0 || ag->tfd_check < 0 || ag->tfd_tick < 0 || ag->sfd < 0) {
		snprintf(err, n, "epoll, timerfd or signalfd: %s", strerror(errno));
		return -1;
	}
	ep_add(ag->ep, ag->tfd_sample, EV_SAMPLE);
	ep_add(ag->ep, ag->tfd_check, EV_CHECK);
	ep_add(ag->ep, ag->tfd_tick, EV_TICK);
	ep_add(ag->ep, ag->sfd, EV_SIGNAL);
	if (ag->kmsg_fd >= 0 && !ag->kmsg_file)
		ep_add(ag->ep, ag->kmsg_fd, EV_KMSG);
	/* The first sample before the first scrape can arrive. */
	do_sample(ag);
	if (http_restart(ag, err, n))
		return -1;
	timer_arm(ag->tfd_sample, ag->o.interval, ag->o.interval);
	if (ag->o.check_interval > 0)
		timer_arm(ag->tfd_check, 0.01, ag->o.check_interval);
	timer_arm(ag->tfd_tick, 1, 1);
	trim_startup();
	return 0;
}

static void teardown(struct agent *ag)
{
	if (ag->check_pid > 0) {
		kill(ag->check_pid, SIGKILL);
		waitpid(ag->check_pid, NULL, 0);
	}
	if (ag->check_fd >= 0)
		close(ag->check_fd);
	http_stop(ag->http);
	if (ag->klog_ok) {
		klog_asm_flush(&ag->a);
		klog_scan_release(&ag->scan);
		klog_asm_release(&ag->a);
		klog_matcher_release(&ag->m);
	}
	klog_catalog_release(&ag->cat);
	for (size_t i = 0; i < ag->ring_n; i++)
		free(ag->ring[(ag->ring_head + i) % (ag->o.nevents ? ag->o.nevents : 1)].json);
	free(ag->ring);
	free(ag->evc);
	if (ag->sampled)
		rates_release(&ag->r);
	sampler_close(&ag->s);
	blob_unref(ag->metrics);
	blob_unref(ag->metrics_gz);
	blob_unref(ag->findings);
	free(ag->fail_text);
	free(ag->fail);
	buf_release(&ag->check_in);
	if (ag->have_web)
		webcfg_release(&ag->web);
	int fds[] = {ag->kmsg_fd, ag->listen_fd, ag->ep, ag->tfd_sample, ag->tfd_check, ag->tfd_tick, ag->sfd,
		     ag->statm_fd};
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int serve_run(struct serve_opts *o, serve_check_fn check, serve_reload_fn reload, void *ctx)
{
	static struct agent ag; /* large (the sampler): not on the stack */
	memset(&ag, 0, sizeof(ag));
	ag.o = *o;
	ag.check = check;
	ag.reload = reload;
	ag.reload_ctx = ctx;
	if (ag.o.nevents == 0)
		ag.o.nevents = 1;
	char err[400];
	ag.statm_fd = -1;
	if (setup(&ag, err, sizeof(err))) {
		logmsg("%s", err);
		teardown(&ag);
		return 3;
	}
	logmsg("listening on %s (%s%s), sampling every %g s, check every %g s%s", ag.o.listen,
	       ag.have_web && ag.web.tls ? "https" : "http", ag.have_web && ag.web.nuser ? ", basic auth" : "",
	       ag.o.interval, ag.o.check_interval, ag.kmsg_fd >= 0 ? ", following the kernel log" : "");
	while (!ag.stop) {
		struct epoll_event evs[16];
		int n = epoll_wait(ag.ep, evs, 16, ag.http ? http_timeout_ms(ag.http) : -1);
		if (n < 0 && errno != EINTR) {
			logmsg("epoll_wait: %s", strerror(errno));
			break;
		}
		bool run_http = n == 0;
		for (int i = 0; i < n; i++) {
			switch (evs[i].data.u32) {
			case EV_SAMPLE:
				timer_drain(ag.tfd_sample);
				do_sample(&ag);
				break;
			case EV_CHECK:
				timer_drain(ag.tfd_check);
				check_start(&ag);
				break;
			case EV_TICK:
				timer_drain(ag.tfd_tick);
				tick(&ag);
				run_http = true;
				break;
			case EV_SIGNAL:
				on_signal(&ag);
				break;
			case EV_KMSG:
				kmsg_drain(&ag);
				break;
			case EV_CHILD:
				if (ag.check_fd >= 0)
					check_read(&ag);
				break;
			case EV_HTTP:
				run_http = true;
				break;
			}
		}
		if (run_http && ag.http)
			http_run(ag.http);
	}
	logmsg("stopping");
	teardown(&ag);
	return 0;
}
