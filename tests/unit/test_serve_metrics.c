// SPDX-License-Identifier: MIT
/* serve/metrics: the /metrics page of kres serve. The fixture sequence
 * tests/fixtures/top/seq-basic is sampled as kres top samples it (sampler, rates,
 * pressure, process ranking) and the page is checked line by line against values
 * worked out by hand from the fixture files; hand-built views cover what the
 * fixture cannot (escaping, old kernels, the agent's own series, a page before the
 * first sample). Every page rendered also goes through a checker of the text
 * format's structure, which is itself tested on broken pages.
 *
 * KRES_METRICS_DUMP=FILE writes the seq-basic page to FILE and the hand-built
 * agent page to FILE.agent, for `promtool check metrics < FILE`. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sample/pressure.h"
#include "sample/rates.h"
#include "sample/sampler.h"
#include "serve/metrics.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define SEQ "tests/fixtures/top/seq-basic"

/* ---- the structure checker ---- */

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == ':';
}

/* The metric name at the start of s; its length. */
static size_t name_len(const char *s)
{
	size_t n = 0;
	while (name_char(s[n]))
		n++;
	return n;
}

/* Checks {k="v",...} at *p; moves *p past it. */
static bool labels_ok(const char **p)
{
	const char *s = *p;
	if (*s != '{')
		return true;
	s++;
	while (*s != '}') {
		size_t k = name_len(s);
		if (!k || s[k] != '=' || s[k + 1] != '"')
			return false;
		s += k + 2;
		while (*s != '"') {
			if (*s == '\n' || !*s)
				return false;
			if (*s == '\\' && s[1] != '\\' && s[1] != '"' && s[1] != 'n')
				return false;
			s += *s == '\\' ? 2 : 1;
		}
		s++;
		if (*s == ',')
			s++;
		else if (*s != '}')
			return false;
	}
	*p = s + 1;
	return true;
}

static bool value_ok(const char *s, size_t n)
{
	char v[64];
	if (!n || n >= sizeof(v))
		return false;
	memcpy(v, s, n);
	v[n] = '\0';
	if (!strcmp(v, "NaN") || !strcmp(v, "+Inf") || !strcmp(v, "-Inf"))
		return true;
	char *end;
	(void)strtod(v, &end);
	return *end == '\0' && strchr("0123456789-", v[0]);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct checker {
	char **fam; /* family names in order of their HELP */
	size_t nfam, famcap;
	char **key; /* name{labels} of every sample */
	size_t nkey, keycap;
	bool typed; /* the current family's TYPE was seen */
	char why[300];
};

static void checker_free(struct checker *c)
{
	for (size_t i = 0; i < c->nfam; i++)
		free(c->fam[i]);
	for (size_t i = 0; i < c->nkey; i++)
		free(c->key[i]);
	free(c->fam);
	free(c->key);
}

static const char *cur_fam(const struct checker *c)
{
	return c->nfam ? c->fam[c->nfam - 1] : "";
}

/* One line without its newline; false with c->why on a problem. */
static bool check_line(struct checker *c, const char *l, size_t n)
{
	char *line = xstrndup(l, n);
	bool ok = false;
	if (!strncmp(line, "# HELP ", 7)) {
		const char *name = line + 7;
		size_t k = name_len(name);
		for (size_t i = 0; i < c->nfam; i++)
			if (strlen(c->fam[i]) == k && !strncmp(c->fam[i], name, k)) {
				snprintf(c->why, sizeof(c->why), "family %.*s a second time",
				         (int)k, name);
				goto out;
			}
		if (!k || name[k] != ' ') {
			snprintf(c->why, sizeof(c->why), "bad HELP line '%s'", line);
			goto out;
		}
		ALLOC_GROW(c->fam, c->nfam + 1, c->famcap);
		c->fam[c->nfam++] = xstrndup(name, k);
		c->typed = false;
	} else if (!strncmp(line, "# TYPE ", 7)) {
		const char *name = line + 7;
		size_t k = name_len(name);
		const char *type = name + k + 1;
		if (c->typed || strlen(cur_fam(c)) != k || strncmp(name, cur_fam(c), k) ||
		    name[k] != ' ' ||
		    (strcmp(type, "counter") && strcmp(type, "gauge") && strcmp(type, "untyped"))) {
			snprintf(c->why, sizeof(c->why), "TYPE line '%s' not right after its HELP",
			         line);
			goto out;
		}
		c->typed = true;
	} else {
		size_t k = name_len(line);
		const char *p = line + k;
		if (!c->typed || strlen(cur_fam(c)) != k || strncmp(line, cur_fam(c), k)) {
			snprintf(c->why, sizeof(c->why), "sample '%s' outside its family's group",
			         line);
			goto out;
		}
		if (!labels_ok(&p) || *p != ' ' || !value_ok(p + 1, strlen(p + 1))) {
			snprintf(c->why, sizeof(c->why), "malformed sample '%s'", line);
			goto out;
		}
		ALLOC_GROW(c->key, c->nkey + 1, c->keycap);
		c->key[c->nkey++] = xstrndup(line, (size_t)(p - line));
	}
	ok = true;
out:
	free(line);
	return ok;
}

/* NULL when page is a well-formed 0.0.4 page: lines end with a newline; every
 * family has one HELP then one TYPE before its samples; its samples are contiguous
 * and named as it; no family appears twice, no series twice; label values use only
 * the three escapes; values parse as floats. Else the first problem (static). */
static const char *page_problem(const char *page)
{
	static char why[300];
	struct checker c = {0};
	const char *p = page;
	why[0] = '\0';
	while (*p) {
		const char *nl = strchr(p, '\n');
		if (!nl) {
			snprintf(why, sizeof(why), "last line without a newline");
			goto out;
		}
		if (!check_line(&c, p, (size_t)(nl - p))) {
			snprintf(why, sizeof(why), "%s", c.why);
			goto out;
		}
		p = nl + 1;
	}
	qsort(c.key, c.nkey, sizeof(c.key[0]), cmp_str);
	for (size_t i = 1; i < c.nkey; i++)
		if (!strcmp(c.key[i - 1], c.key[i])) {
			snprintf(why, sizeof(why), "series %s twice", c.key[i]);
			goto out;
		}
out:
	checker_free(&c);
	return why[0] ? why : NULL;
}

static void assert_page_ok(const char *page)
{
	const char *why = page_problem(page);
	if (why)
		fail_msg("%s in:\n%s", why, page);
}

/* ---- lines of a page ---- */

static bool has_line(const char *page, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = page; (p = strstr(p, line)); p++)
		if ((p == page || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

#define want(page, line)                                                                           \
	do {                                                                                       \
		if (!has_line((page), (line)))                                                     \
			fail_msg("no line '%s' in:\n%s", (line), (page));                          \
	} while (0)

/* No HELP, TYPE or sample line of the metric name. */
static bool has_family(const char *page, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = page; *p;) {
		const char *s = !strncmp(p, "# HELP ", 7) || !strncmp(p, "# TYPE ", 7) ? p + 7 : p;
		if (!strncmp(s, name, n) && (s[n] == ' ' || s[n] == '{'))
			return true;
		const char *nl = strchr(p, '\n');
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

#define want_family(page, name, yes)                                                               \
	do {                                                                                       \
		if (has_family((page), (name)) != (yes))                                           \
			fail_msg("family %s should%s be there:\n%s", (name), (yes) ? "" : " not",  \
			         (page));                                                          \
	} while (0)

/* Writes page to $KRES_METRICS_DUMP with suffix appended, when it is set. */
static void dump(const char *page, const char *suffix)
{
	const char *path = getenv("KRES_METRICS_DUMP");
	if (!path)
		return;
	char *p = xasprintf("%s%s", path, suffix);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(page, f);
	assert_int_equal(fclose(f), 0);
	free(p);
}

/* ---- seq-basic, sampled as kres top samples it ---- */

static const char *const file_names[SF__COUNT] = {
    "/proc/uptime",
    "/proc/meminfo",
    "/proc/vmstat",
    "/proc/stat",
    "/proc/pressure/cpu",
    "/proc/pressure/memory",
    "/proc/pressure/io",
    "/proc/net/dev",
    "/proc/net/softnet_stat",
    "/proc/net/snmp",
    "/proc/net/netstat",
    "/proc/net/sockstat",
    "/proc/sys/net/ipv4/tcp_mem",
    "/proc/sys/net/netfilter/nf_conntrack_count",
    "/proc/sys/net/netfilter/nf_conntrack_max",
    "/proc/diskstats",
    "/proc/fs/nfsd/threads",
    "/proc/fs/nfsd/pool_stats",
};

static struct {
	struct sampler s; /* large: not on the stack */
	struct rates r;
	struct pressure p;
	struct leak_cfg lcfg;
	struct leak_clock lc;
	const char *err[SF__COUNT];
} g;

/* Samples snapshots 00 .. n-1 as cmd_top.c does (1 s interval, profile db) and
 * renders the page into out. */
static void seq_render(unsigned n, double leak_window, struct buf *out)
{
	char root[128], msg[300];
	struct pressure_cfg pc;
	pressure_cfg_default(&pc);
	leak_cfg_default(&g.lcfg);
	g.lcfg.window = leak_window;
	for (unsigned i = 0; i < n; i++) {
		snprintf(root, sizeof(root), SEQ "/%02u", i);
		if (i == 0)
			assert_int_equal(sampler_open(&g.s, root, true, true, msg, sizeof(msg)), 0);
		else
			assert_int_equal(sampler_reroot(&g.s, root, msg, sizeof(msg)), 0);
		if (i == 0)
			leak_clock_init(&g.lc, 0, g.lcfg.window, 1);
		sampler_sample(&g.s, &g.lc);
		const struct snap *cur = sampler_cur(&g.s), *prev = sampler_prev(&g.s);
		if (i == 0) {
			rates_init(&g.r, cur);
			pressure_init(&g.p, &pc, PROF_DB);
		}
		rates_compute(&g.r, prev, cur);
		pressure_update(&g.p, cur, &g.r);
		procs_rank(&g.s.procs, &g.s.root, &g.lc, &g.lcfg, cur->t, g.r.mem_avail_kb, 10);
	}
	for (int f = 0; f < SF__COUNT; f++)
		g.err[f] = g.s.err[f];
	struct serve_view v = {
	    .cur = sampler_cur(&g.s),
	    .prev = sampler_prev(&g.s),
	    .r = &g.r,
	    .p = &g.p,
	    .procs = &g.s.procs,
	    .leak = &g.lcfg,
	    .file_err = g.err,
	    .file_name = file_names,
	    .nfile = SF__COUNT,
	    .clk_tck = 100,
	    .version = "0.9.0",
	};
	serve_metrics_render(out, &v);
	rates_release(&g.r);
	sampler_close(&g.s);
	assert_page_ok(buf_str(out));
}

/* Snapshots 00 and 01: counters as printed in 01, rates over the 1 s between. */
static void test_seq_basic(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	seq_render(2, 600, &b);
	const char *p = buf_str(&b);
	dump(p, "");
	char line[160];

	/* meminfo kB * 1024: MemAvailable 24147032 kB (01), Hugepagesize 2048 kB; the
	 * HugePages_* counts keep their name and value. */
	want(p, "# HELP node_memory_MemAvailable_bytes Memory information field MemAvailable.");
	want(p, "# TYPE node_memory_MemAvailable_bytes gauge");
	want(p, "node_memory_MemAvailable_bytes 24726560768");
	want(p, "node_memory_SwapFree_bytes 7516192768"); /* 7340032 kB */
	want(p, "node_memory_Hugepagesize_bytes 2097152");
	want(p, "# TYPE node_memory_HugePages_Total gauge");
	want(p, "node_memory_HugePages_Total 0");
	want_family(p, "node_memory_HugePages_Total_bytes", false);
	/* vmstat as printed; allocstall sums the zones (only normal moves: 1). */
	want(p, "# TYPE node_vmstat_pswpin untyped");
	want(p, "node_vmstat_pswpin 40100");
	want(p, "node_vmstat_pgsteal_kswapd 800");
	want(p, "node_vmstat_oom_kill 0");
	want(p, "kres_vmstat_allocstall_total 1");
	want(p, "kres_vmstat_workingset_refault_total 2234792"); /* 20 + 2234772 */
	/* PSI totals in µs / 1e6 (01): cpu some 450893295, memory full 20000, io full
	 * 25384662; cpu full has no node_exporter family. */
	want(p, "node_pressure_cpu_waiting_seconds_total 450.893295");
	want(p, "node_pressure_memory_waiting_seconds_total 0.1");
	want(p, "node_pressure_memory_stalled_seconds_total 0.02");
	want(p, "node_pressure_io_stalled_seconds_total 25.384662");
	want_family(p, "node_pressure_cpu_stalled_seconds_total", false);
	/* /proc/stat ticks / 100: cpu0 steal 45, cpu1 idle 736025; guest columns 0. */
	want(p, "node_cpu_seconds_total{cpu=\"0\",mode=\"steal\"} 0.45");
	want(p, "node_cpu_seconds_total{cpu=\"1\",mode=\"idle\"} 7360.25");
	want(p, "node_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 2607.74");
	want(p, "node_cpu_guest_seconds_total{cpu=\"1\",mode=\"nice\"} 0");
	want(p, "node_context_switches_total 6530898");
	want(p, "node_forks_total 296722");
	want(p, "node_intr_total 4741706");
	want(p, "node_boot_time_seconds 1795345334");
	want(p, "node_procs_running 3");
	want(p, "node_procs_blocked 1");
	/* net/dev (lo included, as node_exporter). */
	want(p, "node_network_receive_bytes_total{device=\"eth0\"} 28192234");
	want(p, "node_network_receive_bytes_total{device=\"lo\"} 133468");
	want(p, "node_network_receive_drop_total{device=\"eth0\"} 1");
	want(p, "node_network_transmit_packets_total{device=\"eth0\"} 1169");
	want(p, "node_network_transmit_colls_total{device=\"ifb1\"} 0");
	/* softnet_stat (15 columns, hex): cpu0 processed 0x6f1, dropped 2, squeezed 3;
	 * cpu1 processed 0x69a. */
	want(p, "node_softnet_processed_total{cpu=\"0\"} 1777");
	want(p, "node_softnet_processed_total{cpu=\"1\"} 1690");
	want(p, "node_softnet_dropped_total{cpu=\"0\"} 2");
	want(p, "node_softnet_times_squeezed_total{cpu=\"0\"} 3");
	want(p, "node_softnet_flow_limit_count_total{cpu=\"1\"} 0");
	want(p, "node_softnet_backlog_len{cpu=\"0\"} 0");
	/* snmp / netstat of 01. */
	want(p, "# TYPE node_netstat_Tcp_RetransSegs untyped");
	want(p, "node_netstat_Tcp_ActiveOpens 218"); /* 216 + 2 */
	want(p, "node_netstat_Tcp_OutSegs 3130");    /* 2130 + 1000 */
	want(p, "node_netstat_Tcp_RetransSegs 10");  /* 0 + 10 */
	want(p, "node_netstat_TcpExt_ListenOverflows 3");
	/* sockstat: TCP mem 38387 pages. */
	want(p, "node_sockstat_sockets_used 13");
	want(p, "node_sockstat_TCP_inuse 1");
	want(p, "node_sockstat_TCP_mem 38387");
	snprintf(line, sizeof(line), "node_sockstat_TCP_mem_bytes %ld",
	         38387L * sysconf(_SC_PAGESIZE));
	want(p, line);
	want(p, "node_sockstat_UDP_mem_bytes 0");
	want(p, "node_nf_conntrack_entries 65536");
	want(p, "node_nf_conntrack_entries_limit 262144");
	/* diskstats of 01, vda only (loop0..7 and zram0 are excluded): sectors * 512,
	 * milliseconds / 1000. */
	want(p, "node_disk_reads_completed_total{device=\"vda\"} 573976");
	want(p, "node_disk_read_bytes_total{device=\"vda\"} 11368186880"); /* 22203490 * 512 */
	want(p, "node_disk_read_time_seconds_total{device=\"vda\"} 333.072");
	want(p, "node_disk_written_bytes_total{device=\"vda\"} 21771440128"); /* 42522344 * 512 */
	want(p, "node_disk_io_now{device=\"vda\"} 1");
	want(p, "node_disk_io_time_seconds_total{device=\"vda\"} 73.384");
	want(p, "node_disk_io_time_weighted_seconds_total{device=\"vda\"} 548.836");
	want(p, "node_disk_discarded_sectors_total{device=\"vda\"} 55510600");
	want(p, "node_disk_flush_requests_time_seconds_total{device=\"vda\"} 7.06");
	assert_null(strstr(p, "device=\"loop0\""));
	assert_null(strstr(p, "device=\"zram0\""));
	want(p, "node_nfsd_server_threads 8");

	/* kres_*: PSI shares of the 1 s interval from the totals of 00 and 01: cpu some
	 * 50000 µs, memory some 100000 and full 20000, io some 30000 and full 10000. */
	want(p, "kres_build_info{version=\"0.9.0\"} 1");
	want(p, "kres_pressure_waiting_ratio{resource=\"cpu\"} 0.05");
	want(p, "kres_pressure_waiting_ratio{resource=\"memory\"} 0.1");
	want(p, "kres_pressure_waiting_ratio{resource=\"io\"} 0.03");
	want(p, "kres_pressure_stalled_ratio{resource=\"memory\"} 0.02");
	want(p, "kres_pressure_stalled_ratio{resource=\"io\"} 0.01");
	assert_null(strstr(p, "kres_pressure_stalled_ratio{resource=\"cpu\"}"));
	want(p, "kres_sample_interval_seconds 1");
	/* db: 60 direct reclaims a minute > 50, held 0 s: high; PSI memory full 2 % is
	 * under crit's 10 %. */
	want(p, "kres_memory_pressure_grade{profile=\"db\"} 2");
	want(p, "kres_pressure_grade{resource=\"memory\"} 2");
	/* statm (resident - shared) pages * 4 KiB: appleak (27904 - 2048) * 4 = 103424
	 * KiB; process_api 7720 KiB. No window is full after two samples. */
	want(p, "kres_process_anon_bytes{pid=\"4101\",comm=\"appleak\"} 105906176");
	want(p, "kres_process_anon_bytes{pid=\"1\",comm=\"process_api\"} 7905280");
	want(p, "kres_process_swap_bytes{pid=\"4103\",comm=\"shmwriter\"} 0");
	want(p, "kres_process_leaking{pid=\"4101\",comm=\"appleak\"} 0");
	want_family(p, "kres_process_leak_slope_bytes_per_second", false);
	want_family(p, "kres_process_leak_exhaustion_seconds", false);
	assert_null(strstr(p, "pid=\"2\"")); /* kthreadd: no mm */
	want(p, "kres_processes_untracked 0");
	/* Every file read cleanly: the family is there, empty. */
	want(p, "# TYPE kres_sample_file_error gauge");
	assert_null(strstr(p, "kres_sample_file_error{"));
	buf_release(&b);
}

/* All six snapshots with a 5 s leak window (the README's leak case): appleak grows
 * 1024 KiB/s, so its slope is 1048576 B/s, and MemAvailable 24134744 KiB lasts
 * 24134744 / 1024 = 23569.0859375 s. */
static void test_seq_basic_leak(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	seq_render(6, 5, &b);
	const char *p = buf_str(&b);
	want(p, "kres_process_leaking{pid=\"4101\",comm=\"appleak\"} 1");
	want(p, "kres_process_leak_slope_bytes_per_second{pid=\"4101\",comm=\"appleak\"} 1048576");
	want(p, "kres_process_leak_slope_bytes_per_second{pid=\"4102\",comm=\"idlesvc\"} 0");
	want(p, "kres_process_leak_slope_bytes_per_second{pid=\"4103\",comm=\"shmwriter\"} 0");
	want(p,
	     "kres_process_leak_exhaustion_seconds{pid=\"4101\",comm=\"appleak\"} 23569.0859375");
	assert_null(strstr(p, "kres_process_leak_exhaustion_seconds{pid=\"4102\""));
	assert_non_null(strstr(p, "over the leak window (5 s)"));
	want(p, "node_memory_MemAvailable_bytes 24713977856"); /* 24134744 * 1024 */
	buf_release(&b);
}

/* ---- hand-built views ---- */

/* An old kernel (3.10-like) and the agent's own state, built by hand. */
struct hand {
	struct snap s;
	struct snap_cpu cpu[2];
	struct snap_softnet sn[2];
	struct snap_disk disk[32];
	struct proc_slot slot[2];
	uint32_t order[2];
	struct procs procs;
	struct serve_view v;
};

/* Names and whether node_exporter's default device-exclude keeps them. */
static const struct {
	const char *name;
	bool kept;
} disk_names[] = {
    {"sda", true},      {"sda1", false},    {"nvme0n1", true}, {"nvme0n1p2", false},
    {"loop0", false},   {"ram0", false},    {"zram0", false},  {"fd0", false},
    {"dm-0", true},     {"md0", true},      {"xvda1", false},  {"mmcblk0p1", true},
    {"hda1", false},    {"vdb3", false},    {"sdaa1", true},   {"nvme10n12p3", false},
    {"nvmen1p1", true}, {"loop", true},     {"ram0a", true},   {"xvda", true},
    {"sr0", true},      {"nvme0n1p", true}, {"zzram0", true},  {"nvme0n1q2", true},
};

static const struct serve_evcount hand_ev[] = {
    {"memory", "oom-kill", 3},
    {"storage", "blk-io-error", 0},
};

static const struct serve_failure hand_fail[] = {
    {"IPC-05", "high", "host"},
    {"MEM-01", "critical", "postgresql:5432"},
    {"MEM-01", "critical", "postgresql:5432"}, /* the same series: once */
    {"NET-02", "low", "a\"b"},
};

static const char *const hand_err[] = {"", "/proc/vmstat: line 3: bad value", ""};
static const char *const hand_names[] = {"/proc/meminfo", "/proc/vmstat", "/proc/stat"};

static void hand_init(struct hand *h)
{
	memset(h, 0, sizeof(*h));
	struct snap *s = &h->s;
	/* meminfo without MemAvailable (before 3.14). */
	s->mem_ok = true;
	s->mem.present = 1u << MI_MEMTOTAL | 1u << MI_MEMFREE;
	s->mem.v[MI_MEMTOTAL] = 1000;
	s->mem.v[MI_MEMFREE] = 500;
	/* 8 columns per CPU (2.6.11 to 2.6.32): no guest family. */
	s->stat.ok = true;
	s->stat.cpu = h->cpu;
	s->stat.ncpu = 2;
	for (int i = 0; i < 2; i++) {
		h->cpu[i].id = i;
		h->cpu[i].nfields = 8;
		h->cpu[i].t[CPU_STEAL] = 250;
	}
	/* 10 softnet columns: received_rps, not flow_limit or backlog. */
	s->softnet.ok = true;
	s->softnet.ncols = 10;
	s->softnet.row = h->sn;
	s->softnet.nrow = 1;
	h->sn[0] = (struct snap_softnet){.cpu = 0, .processed = 7, .received_rps = 5};
	/* 11 diskstats fields (before 4.18): no discard or flush families. */
	s->disk_ok = true;
	s->disk = h->disk;
	for (size_t i = 0; i < ARRAY_SIZE(disk_names); i++) {
		struct snap_disk *d = &h->disk[s->ndisk++];
		str_copy(d->name, sizeof(d->name), disk_names[i].name);
		d->nfields = 11;
		d->rd_ios = i + 1;
	}
	/* The 4-field partition row of 2.6.0 to 2.6.24: the 4 columns it has. */
	struct snap_disk *old = &h->disk[s->ndisk++];
	str_copy(old->name, sizeof(old->name), "hdb");
	old->nfields = 4;
	old->rd_ios = 40;
	/* Processes: one with a hostile comm, leaking; one without a full window. */
	h->slot[0] = (struct proc_slot){.pid = 77, .anon_kb = 1, .swap_kb = 2, .tte = 3600.5};
	str_copy(h->slot[0].comm, sizeof(h->slot[0].comm), "a\"b\\c\nd");
	h->slot[0].est = (struct leak_est){.full = true, .leaking = true, .slope = 0.5};
	h->slot[1] = (struct proc_slot){.pid = 78, .anon_kb = 3, .tte = -1};
	str_copy(h->slot[1].comm, sizeof(h->slot[1].comm), "plain");
	h->order[0] = 0;
	h->order[1] = 1;
	h->procs = (struct procs){.slot = h->slot, .order = h->order, .norder = 2, .untracked = 4};

	struct serve_view *v = &h->v;
	v->cur = s;
	v->procs = &h->procs;
	v->clk_tck = 100;
	v->ev = hand_ev;
	v->nev = ARRAY_SIZE(hand_ev);
	v->klog_lost = 5;
	v->klog_suppressed = 6;
	v->check_ran = true;
	v->fail = hand_fail;
	v->nfail = ARRAY_SIZE(hand_fail);
	v->file_err = hand_err;
	v->file_name = hand_names;
	v->nfile = ARRAY_SIZE(hand_err);
	v->col[SC_SAMPLE] = (struct serve_colstat){true, true, 0.25, 1795345335.5, 2};
	v->col[SC_KMSG] = (struct serve_colstat){true, false, 0.001, 1795345336, 7};
	v->self = (struct serve_self){.cpu_seconds = 1.5,
	                              .rss_bytes = 1048576,
	                              .vsize_bytes = 4503599627370496, /* 2^52 */
	                              .open_fds = 9,
	                              .max_fds = 1024,
	                              .start_time = 1795345334.25,
	                              .http = {{200, 10}, {401, 2}},
	                              .nhttp = 2,
	                              .http_rejected = 1,
	                              .last_render = 0.000125,
	                              .sampler_grows = 3};
	v->version = "1.2.3";
}

static void test_old_kernel(void **state)
{
	(void)state;
	static struct hand h;
	hand_init(&h);
	struct buf b = BUF_INIT;
	serve_metrics_render(&b, &h.v);
	const char *p = buf_str(&b);
	assert_page_ok(p);
	want(p, "node_memory_MemTotal_bytes 1024000");
	want_family(p, "node_memory_MemAvailable_bytes", false);
	want_family(p, "node_vmstat_pswpin", false); /* vm not ok */
	want_family(p, "kres_vmstat_allocstall_total", false);
	want_family(p, "node_pressure_memory_waiting_seconds_total", false); /* no PSI */
	want_family(p, "kres_pressure_waiting_ratio", false);
	want_family(p, "kres_sample_interval_seconds", false); /* no rates */
	want_family(p, "kres_memory_pressure_grade", false);   /* no grades yet */
	want(p, "node_cpu_seconds_total{cpu=\"1\",mode=\"steal\"} 2.5");
	want_family(p, "node_cpu_guest_seconds_total", false);
	want_family(p, "node_procs_running", false);
	want_family(p, "node_network_receive_bytes_total", false);
	want_family(p, "node_sockstat_sockets_used", false);
	want_family(p, "node_nf_conntrack_entries", false);
	want_family(p, "node_nfsd_server_threads", false);
	want(p, "node_softnet_received_rps_total{cpu=\"0\"} 5");
	want_family(p, "node_softnet_flow_limit_count_total", false);
	want_family(p, "node_softnet_backlog_len", false);
	want_family(p, "node_disk_discards_completed_total", false);
	want_family(p, "node_disk_flush_requests_total", false);
	want(p, "node_disk_reads_completed_total{device=\"hdb\"} 40");
	want(p, "node_disk_read_bytes_total{device=\"hdb\"} 0");
	assert_null(strstr(p, "node_disk_reads_merged_total{device=\"hdb\"}"));
	assert_null(strstr(p, "node_disk_io_now{device=\"hdb\"}"));
	buf_release(&b);
}

/* node_exporter's default exclude ^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$. */
static void test_disk_exclude(void **state)
{
	(void)state;
	static struct hand h;
	hand_init(&h);
	struct buf b = BUF_INIT;
	serve_metrics_render(&b, &h.v);
	const char *p = buf_str(&b);
	for (size_t i = 0; i < ARRAY_SIZE(disk_names); i++) {
		char line[128], label[64];
		snprintf(line, sizeof(line), "node_disk_reads_completed_total{device=\"%s\"} %zu",
		         disk_names[i].name, i + 1);
		snprintf(label, sizeof(label), "device=\"%s\"}", disk_names[i].name);
		if (disk_names[i].kept)
			want(p, line);
		else if (strstr(p, label))
			fail_msg("%s should be excluded", disk_names[i].name);
	}
	buf_release(&b);
}

static void test_agent(void **state)
{
	(void)state;
	static struct hand h;
	hand_init(&h);
	struct buf b = BUF_INIT;
	serve_metrics_render(&b, &h.v);
	const char *p = buf_str(&b);
	assert_page_ok(p);
	dump(p, ".agent");
	/* The comm a"b\c<newline>d, escaped; anon 1 KiB, swap 2 KiB, slope 0.5 KiB/s. */
	want(p, "kres_process_anon_bytes{pid=\"77\",comm=\"a\\\"b\\\\c\\nd\"} 1024");
	want(p, "kres_process_swap_bytes{pid=\"77\",comm=\"a\\\"b\\\\c\\nd\"} 2048");
	want(p, "kres_process_leaking{pid=\"77\",comm=\"a\\\"b\\\\c\\nd\"} 1");
	want(p,
	     "kres_process_leak_slope_bytes_per_second{pid=\"77\",comm=\"a\\\"b\\\\c\\nd\"} 512");
	want(p, "kres_process_leak_exhaustion_seconds{pid=\"77\",comm=\"a\\\"b\\\\c\\nd\"} 3600.5");
	want(p, "kres_process_leaking{pid=\"78\",comm=\"plain\"} 0");
	assert_null(strstr(p, "kres_process_leak_slope_bytes_per_second{pid=\"78\""));
	assert_null(strstr(p, "kres_process_leak_exhaustion_seconds{pid=\"78\""));
	want(p, "kres_processes_untracked 4");
	/* The leak window is unknown without v->leak. */
	assert_non_null(strstr(p, "over the leak window, once"));

	want(p, "# TYPE kres_kernel_events_total counter");
	want(p, "kres_kernel_events_total{category=\"memory\",signature=\"oom-kill\"} 3");
	want(p, "kres_kernel_events_total{category=\"storage\",signature=\"blk-io-error\"} 0");
	want(p, "kres_kernel_log_lost_records_total 5");
	want(p, "kres_kernel_log_suppressed_total 6");

	want(p, "kres_check_finding{id=\"IPC-05\",severity=\"high\",subject=\"host\"} 1");
	want(p, "kres_check_finding{id=\"MEM-01\",severity=\"critical\",subject=\"postgresql:"
	        "5432\"} 1");
	want(p, "kres_check_finding{id=\"NET-02\",severity=\"low\",subject=\"a\\\"b\"} 1");
	want(p, "kres_check_failures{severity=\"critical\"} 1");
	want(p, "kres_check_failures{severity=\"high\"} 1");
	want(p, "kres_check_failures{severity=\"medium\"} 0");
	want(p, "kres_check_failures{severity=\"low\"} 1");
	want(p, "kres_check_failures{severity=\"info\"} 0");

	/* The check collector has not run: none of its series. */
	want(p, "kres_collector_duration_seconds{collector=\"sample\"} 0.25");
	want(p, "kres_collector_success{collector=\"sample\"} 1");
	want(p, "kres_collector_success{collector=\"kmsg\"} 0");
	want(p, "kres_collector_last_run_timestamp_seconds{collector=\"sample\"} 1795345335.5");
	want(p, "kres_collector_errors_total{collector=\"kmsg\"} 7");
	assert_null(strstr(p, "collector=\"check\""));
	want(p, "kres_sample_file_error{file=\"/proc/vmstat\"} 1");
	assert_null(strstr(p, "file=\"/proc/meminfo\""));

	want(p, "kres_build_info{version=\"1.2.3\"} 1");
	want(p, "kres_sampler_buffer_grows_total 3");
	want(p, "kres_http_responses_total{code=\"200\"} 10");
	want(p, "kres_http_responses_total{code=\"401\"} 2");
	want(p, "kres_http_rejected_connections_total 1");
	want(p, "kres_metrics_render_seconds 0.000125");
	want(p, "process_cpu_seconds_total 1.5");
	want(p, "process_resident_memory_bytes 1048576");
	want(p, "process_virtual_memory_bytes 4503599627370496");
	want(p, "process_open_fds 9");
	want(p, "process_max_fds 1024");
	want(p, "process_start_time_seconds 1795345334.25");
	buf_release(&b);
}

/* Before the first sample, without a check or kernel events: only the families
 * that are always there, in the spec's order. */
static void test_empty_view(void **state)
{
	(void)state;
	static const char *const always[] = {
	    "kres_build_info",
	    "kres_kernel_events_total",
	    "kres_kernel_log_lost_records_total",
	    "kres_kernel_log_suppressed_total",
	    "kres_sample_file_error",
	    "kres_sampler_buffer_grows_total",
	    "kres_http_responses_total",
	    "kres_http_rejected_connections_total",
	    "kres_metrics_render_seconds",
	    "process_cpu_seconds_total",
	    "process_resident_memory_bytes",
	    "process_virtual_memory_bytes",
	    "process_open_fds",
	    "process_max_fds",
	    "process_start_time_seconds",
	};
	struct serve_view v = {.version = "1"};
	struct buf b = BUF_INIT, want_help = BUF_INIT, got_help = BUF_INIT;
	serve_metrics_render(&b, &v);
	assert_page_ok(buf_str(&b));
	for (size_t i = 0; i < ARRAY_SIZE(always); i++)
		buf_appendf(&want_help, "%s\n", always[i]);
	for (const char *p = buf_str(&b); (p = strstr(p, "# HELP ")); p++)
		buf_appendf(&got_help, "%.*s\n", (int)strcspn(p + 7, " "), p + 7);
	assert_string_equal(buf_str(&got_help), buf_str(&want_help));
	buf_release(&b);
	buf_release(&want_help);
	buf_release(&got_help);
}

/* ---- the exposition helpers ---- */

static void test_prom_value(void **state)
{
	(void)state;
	static const struct {
		double v;
		const char *want;
	} cases[] = {
	    {0, "0"},
	    {-0.0, "0"},
	    {1, "1"},
	    {-1, "-1"},
	    {9007199254740991.0, "9007199254740991"}, /* 2^53 - 1: an integer */
	    {9007199254740992.0, "9007199254740992"}, /* 2^53: shortest %g, 16 digits */
	    {9007199254740994.0, "9007199254740994"},
	    {-9007199254740991.0, "-9007199254740991"},
	    {1e21, "1e+21"},
	    {0.1, "0.1"},
	    {1e-7, "1e-07"},
	    {1.5e300, "1.5e+300"},
	    {0.45, "0.45"},
	    {333.072, "333.072"},
	    {1.0 / 3, "0.3333333333333333"},            /* 16 digits suffice */
	    {0.1 + 0.2, "0.30000000000000004"},         /* needs all 17 */
	    {4503599627370495.5, "4503599627370495.5"}, /* 2^52 - 0.5 */
	    {NAN, "NaN"},
	    {INFINITY, "+Inf"},
	    {-INFINITY, "-Inf"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct buf b = BUF_INIT;
		prom_value(&b, cases[i].v);
		assert_string_equal(buf_str(&b), cases[i].want);
		if (isfinite(cases[i].v))
			assert_true(strtod(buf_str(&b), NULL) == cases[i].v);
		buf_release(&b);
	}
}

static void test_prom_escape(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	prom_label_value(&b, "a\"b\\c\nd");
	assert_string_equal(buf_str(&b), "a\\\"b\\\\c\\nd");
	buf_reset(&b);
	prom_label_value(&b, "");
	assert_string_equal(buf_str(&b), "");
	/* HELP escapes backslash and newline only. */
	prom_family(&b, "x_total", "counter", "a\\b\nc\"d");
	assert_string_equal(buf_str(&b), "# HELP x_total a\\\\b\\nc\"d\n# TYPE x_total counter\n");
	buf_release(&b);
}

/* The checker must be able to fail. */
static void test_checker(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "a 1\n",                                             /* no HELP, TYPE */
	    "# HELP a x\na 1\n",                                 /* no TYPE */
	    "# HELP a x\n# TYPE a gauge\na 1\n# TYPE a gauge\n", /* TYPE after samples */
	    ("# HELP a x\n# TYPE a gauge\na 1\n# HELP b x\n# TYPE b gauge\nb 1\n"
	     "# HELP a x\n# TYPE a gauge\na{l=\"2\"} 1\n"),                       /* a twice */
	    "# HELP a x\n# TYPE a gauge\na 1\n# HELP b x\n# TYPE b gauge\na 2\n", /* a in b */
	    "# HELP a x\n# TYPE a gauge\na{l=\"1\"} 1\na{l=\"1\"} 2\n",           /* twice */
	    "# HELP a x\n# TYPE a gauge\na{l=\"\\t\"} 1\n",                       /* bad escape */
	    "# HELP a x\n# TYPE a gauge\na 1 1700000000000\n",                    /* a timestamp */
	    "# HELP a x\n# TYPE a gauge\na one\n",                                /* not a number */
	    "# HELP a x\n# TYPE a gauge\na 1",    /* no last newline */
	    "# HELP a x\n# TYPE a summry\na 1\n", /* unknown type */
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (!page_problem(bad[i]))
			fail_msg("checker passed bad page %zu:\n%s", i, bad[i]);
	assert_null(page_problem("# HELP a x\n# TYPE a gauge\na{l=\"1\"} 1\na{l=\"2\"} -Inf\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prom_value),     cmocka_unit_test(test_prom_escape),
	    cmocka_unit_test(test_checker),        cmocka_unit_test(test_seq_basic),
	    cmocka_unit_test(test_seq_basic_leak), cmocka_unit_test(test_old_kernel),
	    cmocka_unit_test(test_disk_exclude),   cmocka_unit_test(test_agent),
	    cmocka_unit_test(test_empty_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
