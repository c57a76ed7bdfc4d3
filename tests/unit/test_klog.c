// SPDX-License-Identifier: MIT
/* Tests of kres log's pieces: the prefix parsers of every rendering, format detection,
 * /dev/kmsg records and journal JSON, the catalog parser and its errors, the matcher,
 * the event assembler (stack and OOM reports, absorbed lines, rate limits, folding)
 * and the block reader on hostile input (NUL bytes, a line longer than a block,
 * invalid UTF-8, gzip, kmsg sequence gaps). Inputs are hand-written from the formats
 * in reference/kernel-log-signatures.md section 1.2 unless marked as captured. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "klog/asm.h"
#include "klog/catalog.h"
#include "klog/fold.h"
#include "klog/line.h"
#include "klog/match.h"
#include "klog/scan.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1

/* ---- line prefixes ---- */

static const struct {
	enum klog_fmt fmt;
	const char *line, *msg;
	int64_t mono, wall;
	int level;
	bool kernel;
} lines[] = {
    {KFMT_DMESG, "[ 7712.345678] watchdog: BUG: x", "watchdog: BUG: x", 7712345678, -1, -1, true},
    {KFMT_DMESG, "[    0.000000] [    T0] Linux version 6.1", "Linux version 6.1", 0, -1, -1, true},
    {KFMT_DMESG, "<3>[ 12.5] I/O error", "I/O error", 12500000, -1, 3, true},
    {KFMT_DMESG, "kern  :err   : [   12.000001] I/O error", "I/O error", 12000001, -1, 3, true},
    {KFMT_DMESG, "not a dmesg line", "not a dmesg line", -1, -1, -1, true},
    /* 2024-03-05 10:21:33 = 1709634093 */
    {KFMT_DMESG_T, "[Tue Mar  5 10:21:33 2024] watchdog: x", "watchdog: x", -1, 1709634093000000, -1, true},
    {KFMT_SYSLOG, "Mar  5 10:21:33 db-1 kernel: [ 7712.345678] BUG: x", "BUG: x", 7712345678, 1709634093000000, -1, true},
    {KFMT_SYSLOG, "Mar 05 10:21:33 db-1 kernel: BUG: x", "BUG: x", -1, 1709634093000000, -1, true},
    {KFMT_SYSLOG, "Mar  5 10:21:33 db-1 sshd[812]: BUG: x", NULL, -1, -1, -1, false},
    {KFMT_SYSLOG_ISO, "2024-03-05T10:21:33.123456+00:00 db-1 kernel: BUG: x", "BUG: x", -1, 1709634093123456, -1, true},
    {KFMT_SYSLOG_ISO, "2024-03-05T12:21:33.5+02:00 db-1 kernel: BUG: x", "BUG: x", -1, 1709634093500000, -1, true},
    {KFMT_RFC5424, "<3>1 2024-03-05T10:21:33.123456Z db-1 kernel - - - I/O error", "I/O error", -1, 1709634093123456, 3, true},
    {KFMT_RFC5424, "<30>1 2024-03-05T10:21:33Z db-1 systemd 1 - [x@1 a=\"]\"] Started", NULL, -1, -1, -1, false},
    {KFMT_JOURNAL_MONO, "[ 7712.345678] db-1 kernel: BUG: x", "BUG: x", 7712345678, -1, -1, true},
    {KFMT_PLAIN, "[ 7712.345678] BUG: x", "[ 7712.345678] BUG: x", -1, -1, -1, true},
};

static void test_line_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		struct klog_linectx ctx;
		struct klog_rec r;
		klog_linectx_init(&ctx, lines[i].fmt, 2024);
		bool k = klog_line_parse(&ctx, lines[i].line, strlen(lines[i].line), &r);
		if (k != lines[i].kernel)
			fail_msg("%s: kernel %d", lines[i].line, k);
		if (k) {
			if (r.len != strlen(lines[i].msg) || memcmp(r.msg, lines[i].msg, r.len))
				fail_msg("%s: msg '%.*s'", lines[i].line, (int)r.len, r.msg);
			if (r.mono_us != lines[i].mono || r.wall_us != lines[i].wall ||
			    r.level != lines[i].level)
				fail_msg("%s: mono %lld wall %lld level %d", lines[i].line,
					 (long long)r.mono_us, (long long)r.wall_us, r.level);
		}
		klog_linectx_release(&ctx);
	}
}

static void test_syslog_year_rollover(void **state)
{
	(void)state;
	struct klog_linectx ctx;
	struct klog_rec r;
	klog_linectx_init(&ctx, KFMT_SYSLOG, 2023);
	assert_true(klog_line_parse(&ctx, S("Dec 31 23:59:59 h kernel: a"), &r));
	assert_int_equal(r.wall_us, 1704067199000000);
	assert_true(klog_line_parse(&ctx, S("Jan  1 00:00:01 h kernel: b"), &r));
	assert_int_equal(r.wall_us, 1704067201000000);
}

static void test_detect(void **state)
{
	(void)state;
	static const struct {
		const char *buf;
		enum klog_fmt fmt;
	} t[] = {
	    {"6,1,2,-;a\n SUBSYSTEM=x\n 4,2,3,-;b\n", KFMT_KMSG},
	    {"[    1.000000] usb 1-1: new device\n[    1.1] x\n", KFMT_DMESG},
	    {"[    1.000000] db-1 kernel: usb 1-1: new\n", KFMT_JOURNAL_MONO},
	    {"[Tue Mar  5 10:21:33 2024] x\n", KFMT_DMESG_T},
	    {"Mar  5 10:21:33 db-1 kernel: x\nMar  5 10:21:34 db-1 cron[1]: y\n", KFMT_SYSLOG},
	    {"2024-03-05T10:21:33.1+00:00 db-1 kernel: x\n", KFMT_SYSLOG_ISO},
	    {"<4>1 2024-03-05T10:21:33Z db-1 kernel - - - x\n", KFMT_RFC5424},
	    {"{\"MESSAGE\":\"x\"}\n", KFMT_JSON},
	    {"Starting Journal Service...\n[    1.0] x\nlogin:\n[    2.0] y\n", KFMT_DMESG},
	    {"hello\nworld\n", KFMT_PLAIN},
	    {"", KFMT_PLAIN},
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (klog_fmt_detect(t[i].buf, strlen(t[i].buf)) != t[i].fmt)
			fail_msg("detect '%s' -> %s", t[i].buf,
				 klog_fmt_name(klog_fmt_detect(t[i].buf, strlen(t[i].buf))));
}

static void test_kmsg_record(void **state)
{
	(void)state;
	struct klog_linectx ctx;
	struct klog_rec r;
	klog_linectx_init(&ctx, KFMT_KMSG, 0);
	static const char rec[] = "2,98765,8123456789,-,caller=T12;virtio_net virtio1 eth0: "
				  "NETDEV WATCHDOG\\x0a tab\\x09\\x5c\n SUBSYSTEM=virtio\n"
				  " DEVICE=+virtio:virtio1\n";
	assert_int_equal(klog_kmsg_parse(&ctx, S(rec), &r), 0);
	assert_int_equal(r.level, 2);
	assert_int_equal(r.facility, 0);
	assert_int_equal(r.seq, 98765);
	assert_int_equal(r.mono_us, 8123456789);
	assert_int_equal(r.len, strlen("virtio_net virtio1 eth0: NETDEV WATCHDOG\n tab\t\\"));
	assert_memory_equal(r.msg, "virtio_net virtio1 eth0: NETDEV WATCHDOG\n tab\t\\", r.len);
	assert_string_equal(r.device, "+virtio:virtio1");
	/* user space wrote it: facility 1 */
	assert_int_equal(klog_kmsg_parse(&ctx, S("12,5,6,-;kres-test: hello"), &r), 0);
	assert_int_equal(r.facility, 1);
	assert_int_equal(r.level, 4);
	/* malformed and truncated records */
	static const char *const bad[] = {"", "6,1,2", "6,1,2,-", "x,1,2,-;a", "6,,2,-;a",
					  "6,1,2,-\n;a", "6,99999999999999999999,2,-;a"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (klog_kmsg_parse(&ctx, bad[i], strlen(bad[i]), &r) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	klog_linectx_release(&ctx);
}

static void test_json_line(void **state)
{
	(void)state;
	struct klog_linectx ctx;
	struct klog_rec r;
	klog_linectx_init(&ctx, KFMT_JSON, 0);
	static const char j1[] =
		"{\"__REALTIME_TIMESTAMP\":\"1709634093123456\",\"_BOOT_ID\":"
		"\"0123456789abcdef0123456789abcdef\",\"PRIORITY\":\"0\",\"_TRANSPORT\":\"kernel\","
		"\"_SOURCE_MONOTONIC_TIMESTAMP\":\"7712345678\",\"_KERNEL_DEVICE\":\"b8:0\","
		"\"MESSAGE\":\"watchdog: \\\"x\\\" \\u00e9\\ud83d\\ude00\",\"X\":[1,{\"a\":null}]}";
	assert_int_equal(klog_json_parse(&ctx, S(j1), &r), 1);
	assert_int_equal(r.len, strlen("watchdog: \"x\" \xc3\xa9\xf0\x9f\x98\x80"));
	assert_memory_equal(r.msg, "watchdog: \"x\" \xc3\xa9\xf0\x9f\x98\x80", r.len);
	assert_int_equal(r.wall_us, 1709634093123456);
	assert_int_equal(r.mono_us, 7712345678);
	assert_int_equal(r.level, 0);
	assert_string_equal(r.boot_id, "0123456789abcdef0123456789abcdef");
	assert_string_equal(r.device, "b8:0");
	/* a MESSAGE that is not UTF-8 comes as a byte array */
	assert_int_equal(klog_json_parse(&ctx, S("{\"_TRANSPORT\":\"kernel\",\"MESSAGE\":[66,255,0,67]}"), &r), 1);
	assert_int_equal(r.len, 4);
	assert_memory_equal(r.msg, "B\xff\0C", 4);
	assert_int_equal(klog_json_parse(&ctx, S("{\"_TRANSPORT\":\"syslog\",\"MESSAGE\":\"x\"}"), &r), 0);
	static const char *const bad[] = {"", "{", "{\"MESSAGE\":\"x\"", "{\"MESSAGE\":[300]}",
					  "{\"_TRANSPORT\":\"kernel\"}", "[1]", "{\"MESSAGE\":\"\\q\"}"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (klog_json_parse(&ctx, bad[i], strlen(bad[i]), &r) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
	klog_linectx_release(&ctx);
}

/* ---- catalog ---- */

static const char test_catalog[] =
	"# a catalog for the assembler tests\n"
	"[soft]\ncategory = soft_lockup\nseverity = critical\nreport = stack\n"
	"match = BUG: soft lockup - CPU#(?<cpu>\\d+) stuck for (?<seconds>\\d+)s! \\[(?<comm>.*):(?<pid>\\d+)\\]\n"
	"explain = stuck\n  on a CPU\nremedy = steal\nchecks = VM-02\n"
	"sample = watchdog: BUG: soft lockup - CPU#7 stuck for 22s! [kworker/1:1:99]\n"
	"[oom_hdr]\ncategory = oom_kill\npart = yes\nreport = oom\nabsorbs = memcg_oom_kill\n"
	"match = (?<invoker>\\S+) invoked oom-killer: gfp_mask=(?<gfp_mask>0x[0-9a-f]+)\n"
	"[oom_taskin]\ncategory = memcg_oom_kill\npart = yes\npromote = memcg_oom_kill\n"
	"match = Task in (?<task_memcg>\\S+) killed as a result of limit of (?<memcg>\\S+)\n"
	"[oom_sum]\ncategory = oom_kill\npart = yes\n"
	"match = oom-kill:constraint=(?<constraint>\\w+),.*,task=(?<task>[^,]*),pid=(?<tpid>\\d+),uid=(?<uid>\\d+)\n"
	"[oom_killed]\ncategory = oom_kill\nseverity = critical\nends = yes\nexplain = e\nremedy = r\n"
	"match = Killed process (?<pid>\\d+) \\((?<comm>.*)\\) total-vm:(?<total_vm_kb>\\d+)kB, anon-rss:(?<anon_rss_kb>\\d+)kB\n"
	"[netdev_old]\ncategory = netdev_tx_timeout\nseverity = high\nreport = group 3\nabsorbs = kernel_warning\n"
	"match = NETDEV WATCHDOG: (?<device>\\S+) \\((?<driver>[^)]+)\\): transmit queue (?<queue>\\d+) timed out\n"
	"explain = e\nremedy = r\nratelimit = net_ratelimit\n"
	"[warn]\ncategory = kernel_warning\nseverity = medium\nreport = stack\nexplain = e\nremedy = r\n"
	"match = WARNING: CPU: (?<cpu>\\d+) PID: (?<pid>\\d+) at (?<location>\\S+)\n"
	"[conntrack]\ncategory = conntrack_full\nseverity = high\nexplain = e\nremedy = r\n"
	"ratelimit = net_ratelimit\nmatch = nf_conntrack: table full, dropping packet\n"
	"[suppressed]\ncategory = ratelimit\nmatch = (?<name>\\S+): (?<count>\\d+) callbacks suppressed\n"
	"[missed]\ncategory = log_loss\nmatch = Missed (?<count>\\d+) kernel messages\n";

static void load(struct klog_catalog *c, struct klog_matcher *m)
{
	struct perr e = {0};
	long pat;
	memset(c, 0, sizeof(*c));
	if (klog_catalog_parse(c, test_catalog, strlen(test_catalog), "test", &e))
		fail_msg("line %u: %s", e.line, e.msg);
	klog_catalog_index(c);
	if (klog_matcher_build(m, c, &e, &pat))
		fail_msg("pattern %ld: %s", pat, e.msg);
}

static void test_catalog_parse(void **state)
{
	(void)state;
	struct klog_catalog c;
	struct klog_matcher m;
	load(&c, &m);
	assert_int_equal(c.nsigs, 10);
	const struct klog_sig *s = klog_catalog_find(&c, "soft");
	assert_non_null(s);
	assert_string_equal(s->explain, "stuck on a CPU"); /* a continuation line */
	assert_int_equal(s->report, KREP_STACK);
	assert_int_equal(s->window, 200);
	assert_int_equal(s->sev, KSEV_CRITICAL);
	assert_string_equal(s->checks.v[0], "VM-02");
	assert_int_equal(klog_catalog_find(&c, "suppressed")->special, KSPEC_RATELIMIT);
	assert_int_equal(c.pats[c.npats - 1].line, 62);
	klog_matcher_release(&m);
	klog_catalog_release(&c);
}

static void test_catalog_errors(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		unsigned line;
		const char *msg;
	} t[] = {
	    {"[a]\ncategory = x\nmatch = y\nexplain = e\nremedy = r\ncolour = red\n", 6, "unknown key 'colour'"},
	    {"[a]\ncategory = x\nmatch = y\n", 1, "signature 'a' has no 'explain'"},
	    {"[a]\nmatch = y\nexplain = e\nremedy = r\n", 1, "signature 'a' has no 'category'"},
	    {"[a]\ncategory = x\nseverity = urgent\n", 3, "severity 'urgent' is not critical, high, medium or low"},
	    {"category = x\n", 1, "'category = x' comes before any [signature] section"},
	    {"[A b]\n", 1, "signature id 'A b' is not [a-z][a-z0-9_]*"},
	    {"[a\n", 1, "section header '[a' does not end with ']'"},
	    {"[a]\ncategory = x\nmatch = y\npart = maybe\n", 4, "part = 'maybe': expected yes or no"},
	    {"[a]\ncategory = x\nmatch = y\nchecks = vm-01\n", 4, "checks: 'vm-01' is not valid here"},
	    {"[a]\ncategory = x\nmatch = y\nreport = tree\n", 4, "report 'tree' is not stack, oom or group"},
	    {"[a]\ncategory = x\nmatch = y\nexplain = e\nremedy = r\n[a]\ncategory = x\nmatch = y\nexplain = e\nremedy = r\n",
	     6, "signature 'a' is already defined in t:1"},
	    {"[a]\njust words\n", 2, "expected 'key = value' or '[signature]', got 'just words'"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct klog_catalog c = {0};
		struct perr e = {0};
		assert_int_equal(klog_catalog_parse(&c, t[i].text, strlen(t[i].text), "t", &e), -EINVAL);
		if (e.line != t[i].line || strcmp(e.msg, t[i].msg))
			fail_msg("case %zu: line %u '%s'", i, e.line, e.msg);
		klog_catalog_release(&c);
	}
	/* Patterns are checked by the matcher: the index names the file and line. */
	static const char *const badpats[] = {"a(b", "(?<=x)y", "a\\1", "x{2,1}"};
	for (size_t i = 0; i < ARRAY_SIZE(badpats); i++) {
		struct klog_catalog c = {0};
		struct klog_matcher m;
		struct perr e = {0};
		long pat;
		char *text = xasprintf("[ok]\ncategory = x\nmatch = fine\nexplain = e\nremedy = r\n"
				       "[bad]\ncategory = x\nexplain = e\nremedy = r\nmatch = %s\n",
				       badpats[i]);
		assert_int_equal(klog_catalog_parse(&c, text, strlen(text), "t", &e), 0);
		klog_catalog_index(&c);
		assert_int_equal(klog_matcher_build(&m, &c, &e, &pat), -EINVAL);
		assert_int_equal(pat, 1);
		assert_int_equal(c.pats[pat].line, 10);
		assert_true(e.msg[0] != '\0');
		klog_matcher_release(&m);
		klog_catalog_release(&c);
		free(text);
	}
}

/* ---- assembler, through the block reader ---- */

struct run {
	struct klog_catalog c;
	struct klog_matcher m;
	struct klog_asm a;
	struct klog_fold f;
	struct klog_scan s;
};

static void on_emit(void *ctx, struct klog_event *ev)
{
	klog_fold_add(&((struct run *)ctx)->f, ev);
}

static void on_supp(void *ctx, long sig, uint64_t n)
{
	klog_fold_suppressed(&((struct run *)ctx)->f, sig, n);
}

static struct run *run_new(void)
{
	struct run *r = xcalloc(1, sizeof(*r));
	struct klog_asm_ops ops = {.emit = on_emit, .suppressed = on_supp};
	load(&r->c, &r->m);
	klog_asm_init(&r->a, &r->c, &ops, r);
	klog_fold_init(&r->f, r->c.nsigs);
	klog_scan_init(&r->s, &r->m, &r->a);
	return r;
}

static void run_free(struct run *r)
{
	klog_scan_release(&r->s);
	klog_fold_release(&r->f);
	klog_asm_release(&r->a);
	klog_matcher_release(&r->m);
	klog_catalog_release(&r->c);
	free(r);
}

/* Feeds buf through an in-memory file, as `kres log FILE` would. */
static void run_buf(struct run *r, const void *buf, size_t n, enum klog_fmt fmt)
{
	int fd = memfd_create("klog", 0);
	assert_true(fd >= 0);
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, (const char *)buf + off, n - off);
		assert_true(w > 0);
		off += (size_t)w;
	}
	lseek(fd, 0, SEEK_SET);
	enum klog_fmt used;
	const char *what;
	assert_int_equal(klog_scan_fd(&r->s, fd, fmt, 2024, &used, &what), 0);
	klog_asm_flush(&r->a);
	klog_fold_sort(&r->f);
	close(fd);
}

static const char *field(const struct klog_event *ev, const char *name)
{
	const char *v = klog_event_field(ev, name);
	return v ? v : "(none)";
}

static const char soft_report[] =
	"[ 7712.345678] watchdog: BUG: soft lockup - CPU#7 stuck for 22s! [kworker/1:1:99]\n"
	"[ 7712.345702] Modules linked in: nfsd ena\n"
	"[ 7712.345710] CPU: 7 PID: 99 Comm: kworker/1:1 Tainted: G L 6.1.0 #1\n"
	"[ 7712.345715] RIP: 0010:native_queued_spin_lock_slowpath+0x6e/0x2e0\n"
	"[ 7712.345790] Call Trace:\n"
	"[ 7712.345791]  <IRQ>\n"
	"[ 7712.345792]  ? show_regs+0x1/0x2\n"
	"[ 7712.345793]  _raw_spin_lock+0x1e/0x30\n"
	"[ 7712.345794]  svc_xprt_enqueue+0x10/0x20 [sunrpc]\n"
	"[ 7712.345795]  [<ffffffff81234567>] nfsd_dispatch+0x1/0x2\n"
	"[ 7712.345796]  </IRQ>\n"
	"[ 7712.345796]  <<EOE>>\n"
	"[ 7712.345797]  e1+0x1/0x2\n"
	"[ 7712.345798]  e2+0x1/0x2\n"
	"[ 7712.345799]  e3+0x1/0x2\n";

static void test_asm_stack(void **state)
{
	(void)state;
	struct run *r = run_new();
	run_buf(r, S(soft_report), KFMT_COUNT);
	assert_int_equal(r->f.n, 1);
	const struct klog_event *ev = r->f.ev[0];
	assert_string_equal(ev->category, "soft_lockup");
	assert_string_equal(field(ev, "cpu"), "7");
	assert_string_equal(field(ev, "comm"), "kworker/1:1");
	assert_string_equal(field(ev, "pid"), "99");
	assert_string_equal(field(ev, "seconds"), "22");
	assert_string_equal(field(ev, "rip"), "native_queued_spin_lock_slowpath+0x6e/0x2e0");
	assert_int_equal(ev->nframes, 5);
	assert_string_equal(ev->frames[0], "_raw_spin_lock");
	assert_string_equal(ev->frames[1], "svc_xprt_enqueue");
	assert_string_equal(ev->frames[2], "nfsd_dispatch");
	assert_string_equal(ev->frames[4], "e2");
	assert_int_equal(ev->first_mono, 7712345678);
	assert_int_equal(ev->lineno, 1);
	assert_int_equal(r->s.st.lines, 15);
	run_free(r);
}

static void test_asm_two_lockups(void **state)
{
	(void)state;
	struct run *r = run_new();
	/* Two reports back to back on different CPUs: two events, each with its own
	 * context; the same comm folds them into one with a count. */
	static const char two[] =
		"BUG: soft lockup - CPU#1 stuck for 23s! [postgres:10]\n"
		"CPU: 1 PID: 10 Comm: postgres\n"
		"BUG: soft lockup - CPU#2 stuck for 24s! [redis-server:20]\n"
		"CPU: 2 PID: 20 Comm: redis-server\n"
		"BUG: soft lockup - CPU#3 stuck for 25s! [postgres:11]\n";
	run_buf(r, S(two), KFMT_PLAIN);
	assert_int_equal(r->a.events, 3);
	run_free(r);
	/* 3.x: the first frame shares the <IRQ> marker's line; a new boot's banner
	 * closes the report, so a later CPU line is not taken for it. */
	r = run_new();
	static const char old3[] =
		"BUG: soft lockup - CPU#0 stuck for 22s! [kswapd0:41]\n"
		"Call Trace:\n"
		" <IRQ>  [<ffffffff810d1f1d>] tick_sched_timer+0x4d/0x80\n"
		" [<ffffffff81093cc6>] __run_hrtimer+0x76/0x1f0\n"
		" <EOI>  [<ffffffff8115e2c1>] shrink_zone+0x1a1/0x2c0\n"
		"Linux version 4.19.0-6-amd64\n"
		"CPU: 5 PID: 9 Comm: other\n";
	run_buf(r, S(old3), KFMT_PLAIN);
	assert_int_equal(r->f.n, 1);
	assert_int_equal(r->f.ev[0]->nframes, 3);
	assert_string_equal(r->f.ev[0]->frames[0], "tick_sched_timer");
	assert_string_equal(r->f.ev[0]->frames[2], "shrink_zone");
	assert_string_equal(field(r->f.ev[0], "cpu"), "0");
	run_free(r);
	r = run_new();
	run_buf(r, S(two), KFMT_PLAIN);
	assert_int_equal(r->f.n, 2);
	assert_string_equal(field(r->f.ev[0], "cpu"), "1");
	assert_int_equal(r->f.ev[0]->count, 2);
	assert_string_equal(field(r->f.ev[1], "comm"), "redis-server");
	assert_int_equal(r->f.ev[1]->count, 1);
	run_free(r);
}

static void test_asm_oom(void **state)
{
	(void)state;
	struct run *r = run_new();
	/* 6.1 global OOM: header, task dump, summary, victim; then a 4.14 memcg OOM with
	 * "Task in ... killed as a result of limit of" that promotes the category; then
	 * a victim line whose header was rate-limited away. */
	static const char oom[] =
		"postgres invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0\n"
		"CPU: 3 PID: 41234 Comm: postgres Not tainted 6.1.0-18-cloud-amd64 #1\n"
		"Call Trace:\n dump_stack_lvl+0x44/0x5c\n"
		"Tasks state (memory values in pages):\n"
		"[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[    512]   105   512  1102345   401234  3661824        0         -1000 postgres\n"
		"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
		"task_memcg=/system.slice/a,b.service,task=postgres,pid=41234,uid=105\n"
		"Out of memory: Killed process 41234 (postgres) total-vm:8912340kB, anon-rss:6012344kB, file-rss:0kB\n"
		"mysqld invoked oom-killer: gfp_mask=0x14000c0(GFP_KERNEL), nodemask=(null), order=0\n"
		"Task in /docker/abc killed as a result of limit of /docker/abc\n"
		"Memory cgroup out of memory: Kill process 2345 (mysqld) score 998 or sacrifice child\n"
		"Killed process 2345 (mysqld) total-vm:2000kB, anon-rss:1000kB, file-rss:0kB, shmem-rss:0kB\n"
		"Killed process 777 (redis-server) total-vm:10kB, anon-rss:5kB, file-rss:0kB\n";
	run_buf(r, S(oom), KFMT_PLAIN);
	assert_int_equal(r->f.n, 3);
	const struct klog_event *a = r->f.ev[0], *b = r->f.ev[1], *c = r->f.ev[2];
	assert_string_equal(a->category, "oom_kill");
	assert_string_equal(field(a, "pid"), "41234");
	assert_string_equal(field(a, "anon_rss_kb"), "6012344");
	assert_string_equal(field(a, "constraint"), "CONSTRAINT_NONE");
	assert_string_equal(field(a, "invoker"), "postgres");
	assert_string_equal(field(a, "uid"), "105");
	assert_int_equal(a->lineno, 9); /* the victim line names the event */
	assert_string_equal(b->category, "memcg_oom_kill");
	assert_string_equal(field(b, "comm"), "mysqld");
	assert_string_equal(field(b, "memcg"), "/docker/abc");
	assert_string_equal(c->category, "oom_kill");
	assert_string_equal(field(c, "comm"), "redis-server");
	assert_string_equal(field(c, "invoker"), "(none)");
	run_free(r);
}

static void test_asm_absorb_ratelimit(void **state)
{
	(void)state;
	struct run *r = run_new();
	/* The old NETDEV WATCHDOG is a WARN: its WARNING line belongs to it. A WARNING
	 * outside the report is its own event. "callbacks suppressed" counts for the
	 * last event of a signature listing the name; journald's "Missed" is loss. */
	static const char log[] =
		"------------[ cut here ]------------\n"
		"NETDEV WATCHDOG: eth0 (virtio_net): transmit queue 0 timed out\n"
		"WARNING: CPU: 3 PID: 0 at net/sched/sch_generic.c:525 dev_watchdog+0x21f/0x230\n"
		"---[ end trace 1 ]---\n"
		"nf_conntrack: table full, dropping packet\n"
		"net_ratelimit: 3939 callbacks suppressed\n"
		"nf_conntrack: table full, dropping packet\n"
		"warn_alloc: 7 callbacks suppressed\n"
		"Missed 12 kernel messages\n"
		"WARNING: CPU: 1 PID: 5 at fs/ext4/inode.c:1 ext4_foo+0x1/0x2\n";
	run_buf(r, S(log), KFMT_PLAIN);
	assert_int_equal(r->f.n, 3);
	assert_string_equal(r->f.ev[0]->category, "netdev_tx_timeout");
	assert_string_equal(field(r->f.ev[0], "device"), "eth0");
	assert_string_equal(field(r->f.ev[0], "queue"), "0");
	assert_string_equal(field(r->f.ev[0], "location"), "net/sched/sch_generic.c:525");
	assert_string_equal(r->f.ev[1]->category, "conntrack_full");
	assert_int_equal(r->f.ev[1]->count, 2);
	assert_int_equal(r->f.ev[1]->suppressed, 3939);
	assert_string_equal(r->f.ev[2]->category, "kernel_warning");
	assert_int_equal(r->f.suppressed, 7); /* warn_alloc: no event took it */
	assert_int_equal(r->a.suppressed, 3946);
	assert_int_equal(r->a.lost, 12);
	run_free(r);
	/* Before 4.16 the WARNING line came first and the message after it: one
	 * netdev_tx_timeout event, with the WARNING's location and frames. */
	r = run_new();
	static const char old[] =
		"------------[ cut here ]------------\n"
		"WARNING: CPU: 0 PID: 0 at net/sched/sch_generic.c:306 dev_watchdog+0x237/0x240\n"
		"NETDEV WATCHDOG: ens3 (virtio_net): transmit queue 1 timed out\n"
		"CPU: 0 PID: 0 Comm: swapper/0 Not tainted 4.9.0-8-amd64 #1 Debian 4.9.130-2\n"
		"Call Trace:\n"
		" <IRQ>\n"
		" [<ffffffff8c52e6a4>] ? dump_stack+0x5c/0x78\n"
		" [<ffffffff8c278f5e>] __warn+0xbe/0xe0\n"
		" [<ffffffff8c278fdf>] warn_slowpath_fmt+0x5f/0x80\n"
		" [<ffffffff8c6fc227>] dev_watchdog+0x237/0x240\n"
		"---[ end trace 1 ]---\n";
	run_buf(r, S(old), KFMT_PLAIN);
	assert_int_equal(r->f.n, 1);
	assert_string_equal(r->f.ev[0]->category, "netdev_tx_timeout");
	assert_string_equal(field(r->f.ev[0], "device"), "ens3");
	assert_string_equal(field(r->f.ev[0], "queue"), "1");
	assert_string_equal(field(r->f.ev[0], "location"), "net/sched/sch_generic.c:306");
	assert_int_equal(r->f.ev[0]->nframes, 3);
	assert_string_equal(r->f.ev[0]->frames[2], "dev_watchdog");
	run_free(r);
}

static void test_scan_hostile(void **state)
{
	(void)state;
	struct run *r = run_new();
	/* NUL bytes, invalid UTF-8, a 5 MB line (longer than a block), binary garbage:
	 * the valid lines after each are still found. */
	size_t big = 5u << 20;
	struct buf b = BUF_INIT;
	buf_append(&b, S("a\0b\xff\xfe BUG: soft lockup - CPU#0 stuck for 1s! [x:1]\n"));
	char *line = xmalloc(big);
	memset(line, 'x', big);
	buf_append(&b, line, big);
	buf_append(&b, S("\nKilled process 5 (after-long) total-vm:1kB, anon-rss:1kB\n"));
	for (size_t i = 0; i < 4096; i++)
		buf_putc(&b, (char)((i * 7919) & 0xff));
	buf_append(&b, S("\nKilled process 6 (after-garbage) total-vm:1kB, anon-rss:1kB\n"));
	run_buf(r, b.p, b.len, KFMT_COUNT);
	assert_int_equal(r->f.n, 3);
	assert_string_equal(field(r->f.ev[0], "comm"), "x");
	assert_string_equal(field(r->f.ev[1], "comm"), "after-long");
	assert_string_equal(field(r->f.ev[2], "comm"), "after-garbage");
	assert_int_equal(r->s.st.truncated, 1);
	free(line);
	buf_release(&b);
	run_free(r);
}

static void test_scan_gzip_kmsg_gap(void **state)
{
	(void)state;
	struct run *r = run_new();
	static const char kmsg[] =
		"6,10,100,-;hello\n SUBSYSTEM=x\n"
		"0,11,200,-;watchdog: BUG: soft lockup - CPU#7 stuck for 22s! [postgres:4]\n"
		"4,12,300,-;CPU: 7 PID: 4 Comm: postgres\n"
		"4,20,400,-;truncated record without text\n"
		"4,21,500\n"
		"3,22,600,-;Killed process 9 (pg) total-vm:1kB, anon-rss:1kB\n DEVICE=b8:0\n";
	/* two gzip members, as logrotate's appends can make */
	unsigned char z[1024];
	size_t zn = 0, half = 120;
	for (int part = 0; part < 2; part++) {
		z_stream s = {0};
		assert_int_equal(deflateInit2(&s, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
		s.next_in = (unsigned char *)(uintptr_t)(kmsg + (part ? half : 0));
		s.avail_in = (unsigned)(part ? sizeof(kmsg) - 1 - half : half);
		s.next_out = z + zn;
		s.avail_out = (unsigned)(sizeof(z) - zn);
		assert_int_equal(deflate(&s, Z_FINISH), Z_STREAM_END);
		zn = sizeof(z) - s.avail_out;
		deflateEnd(&s);
	}
	run_buf(r, z, zn, KFMT_COUNT);
	assert_int_equal(r->s.lc.fmt, KFMT_KMSG);
	assert_int_equal(r->f.n, 2);
	assert_string_equal(field(r->f.ev[0], "cpu"), "7");
	assert_int_equal(r->f.ev[0]->seq, 11);
	assert_string_equal(r->f.ev[1]->kdevice, "b8:0");
	assert_int_equal(r->a.lost, 7 + 1); /* 13..19, and 21 is malformed: 20 -> 22 */
	assert_int_equal(r->s.st.bad, 1);
	assert_int_equal(r->s.st.lines, 6);
	run_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_parse),	 cmocka_unit_test(test_syslog_year_rollover),
		cmocka_unit_test(test_detect),		 cmocka_unit_test(test_kmsg_record),
		cmocka_unit_test(test_json_line),	 cmocka_unit_test(test_catalog_parse),
		cmocka_unit_test(test_catalog_errors),	 cmocka_unit_test(test_asm_stack),
		cmocka_unit_test(test_asm_two_lockups),	 cmocka_unit_test(test_asm_oom),
		cmocka_unit_test(test_asm_absorb_ratelimit), cmocka_unit_test(test_scan_hostile),
		cmocka_unit_test(test_scan_gzip_kmsg_gap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
