// SPDX-License-Identifier: MIT
/* kres log: reads kernel and VM-console logs (files, gzip files, stdin, /dev/kmsg, the
 * systemd journal), recognises known faults with the signature catalog and prints
 * them as a timeline, JSON lines or a summary per category. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "klog/asm.h"
#include "klog/catalog.h"
#include "klog/fold.h"
#include "klog/journal.h"
#include "klog/match.h"
#include "klog/scan.h"
#include "out/klog_out.h"
#include "util/rootfs.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const char usage_text[] =
	"usage: kres log [options] [FILE...]\n"
	"\n"
	"Finds known faults in kernel and VM-console logs: soft lockups, RCU stalls, hung\n"
	"tasks, OOM kills, NIC TX timeouts, virtio and ENA errors, NFS, block, NVMe, ext4\n"
	"and XFS errors, machine checks, segfaults, conntrack and TCP memory, oopses, BUGs,\n"
	"WARNINGs, panics, and VMM console messages. Each event says what it means, what to\n"
	"do and which kres check rules audit its cause. Signatures: docs/signatures.md.\n"
	"\n"
	"FILE is a log in any of these formats, detected per file: /dev/kmsg records, dmesg\n"
	"(also -T, -r, -x), syslog (RFC 3164 and 5424, rsyslog ISO), journalctl (short,\n"
	"short-monotonic, -o json), or a plain VM console log; gzip-compressed or not.\n"
	"'-' reads standard input. Without FILE, kres log reads /dev/kmsg.\n"
	"\n"
	"options:\n"
	"  -f, --follow         keep reading /dev/kmsg (or the journal) and print events as\n"
	"                       they come; stop with SIGINT or SIGTERM\n"
	"  --new                with /dev/kmsg: only records that arrive from now on\n"
	"  --state FILE         keep the follow cursor (boot id and sequence number) in FILE,\n"
	"                       so a restart neither loses nor repeats events\n"
	"  --kmsg PATH          read PATH as /dev/kmsg (default /dev/kmsg)\n"
	"  --journal            read kernel records of this boot from the systemd journal\n"
	"  --journal-dir DIR    read kernel records from the journal files in DIR\n"
	"  --input-format FMT   do not detect: kmsg, dmesg, dmesg-T, syslog, syslog-iso,\n"
	"                       rfc5424, journal-monotonic, journal-json or plain\n"
	"  --year YEAR          the year of syslog lines, which carry none (default: the\n"
	"                       year of the file's modification time)\n"
	"  --tag NAME           also read syslog lines of program NAME (e.g. a VMM's)\n"
	"  --format FMT         text (default) or json (one object per event per line)\n"
	"  --summary            counts per category with explanation and remedy\n"
	"  --fail-on SEVERITY   exit 1 (2 if critical) when events of SEVERITY or worse\n"
	"                       were found: critical, high, medium or low\n"
	"  --signatures-dir DIR user signatures (default /etc/kres/signatures.d)\n"
	"  -v, --verbose        explanation and remedy under every event\n"
	"  --list-signatures    print the catalog as markdown (docs/signatures.md) and exit\n"
	"  --patterns KIND      print every pattern, pcre or ere (for grep -E), and exit\n"
	"  --test-samples       check that every signature matches its samples, and exit\n"
	"  -h, --help           this text\n"
	"\n"
	"exit status: 0 no event at the --fail-on severity, 1 such events, 2 critical ones,\n"
	"3 an input or the catalog could not be read, or a usage error.\n";

enum log_fmt { LOG_TEXT, LOG_JSON };

struct log_opts {
	const char *state, *kmsg, *journal_dir, *sigdir, *patterns;
	bool follow, from_end, journal, summary, verbose, list, test_samples, fail_set;
	enum klog_fmt input_fmt;
	enum log_fmt fmt;
	enum klog_sev fail_on;
	int year;
	char **tags;
	size_t ntags;
};

/* Everything one run holds. */
struct log_run {
	struct log_opts o;
	struct klog_catalog cat;
	struct klog_matcher m;
	struct klog_asm a;
	struct klog_fold fold;
	struct klog_scan scan;
	struct klog_input_info *in;
	size_t nin;
	bool streaming;    /* print events as they come (follow) instead of folding */
	bool input_error;
	enum klog_sev worst;
	bool any_event;
	char boot_id[33];
	uint64_t saved_seq;
	char *saved_jcursor; /* the journal cursor last written to the state file */
	bool state_error;
	struct buf out;
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int parse_opts(struct log_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"follow", no_argument, NULL, 'f'},	      {"new", no_argument, NULL, 'N'},
		{"state", required_argument, NULL, 'S'},     {"kmsg", required_argument, NULL, 'K'},
		{"journal", no_argument, NULL, 'J'},	      {"journal-dir", required_argument, NULL, 'D'},
		{"input-format", required_argument, NULL, 'I'}, {"year", required_argument, NULL, 'Y'},
		{"tag", required_argument, NULL, 'T'},	      {"format", required_argument, NULL, 'F'},
		{"summary", no_argument, NULL, 's'},	      {"fail-on", required_argument, NULL, 'X'},
		{"signatures-dir", required_argument, NULL, 'G'},
		{"verbose", no_argument, NULL, 'v'},	      {"list-signatures", no_argument, NULL, 'L'},
		{"patterns", required_argument, NULL, 'P'},  {"test-samples", no_argument, NULL, 'A'},
		{"help", no_argument, NULL, 'h'},	      {NULL, 0, NULL, 0}};
	int ch;
	o->kmsg = "/dev/kmsg";
	o->sigdir = "/etc/kres/signatures.d";
	o->input_fmt = KFMT_COUNT;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "fvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': o->follow = true; break;
		case 'N': o->from_end = true; break;
		case 'S': o->state = optarg; break;
		case 'K': o->kmsg = optarg; break;
		case 'J': o->journal = true; break;
		case 'D': o->journal = true; o->journal_dir = optarg; break;
		case 's': o->summary = true; break;
		case 'v': o->verbose = true; break;
		case 'L': o->list = true; break;
		case 'A': o->test_samples = true; break;
		case 'G': o->sigdir = optarg; break;
		case 'T':
			o->tags = xreallocarray(o->tags, o->ntags + 1, sizeof(*o->tags));
			o->tags[o->ntags++] = optarg;
			break;
		case 'h': fputs(usage_text, stdout); return 1;
		case 'I':
			if (klog_fmt_parse(optarg, &o->input_fmt)) {
				fprintf(stderr, "kres log: unknown input format '%s'\n", optarg);
				return -1;
			}
			break;
		case 'F':
			if (!strcmp(optarg, "text"))
				o->fmt = LOG_TEXT;
			else if (!strcmp(optarg, "json"))
				o->fmt = LOG_JSON;
			else {
				fprintf(stderr, "kres log: unknown --format '%s' (text or json)\n", optarg);
				return -1;
			}
			break;
		case 'X':
			if (klog_sev_parse(optarg, &o->fail_on)) {
				fprintf(stderr, "kres log: --fail-on '%s' is not critical, high, medium or low\n",
					optarg);
				return -1;
			}
			o->fail_set = true;
			break;
		case 'P':
			if (strcmp(optarg, "pcre") && strcmp(optarg, "ere")) {
				fprintf(stderr, "kres log: --patterns '%s' is not pcre or ere\n", optarg);
				return -1;
			}
			o->patterns = optarg;
			break;
		case 'Y': {
			uint64_t y;
			if (parse_u64(span_from(optarg), &y) || y < 1970 || y > 9999) {
				fprintf(stderr, "kres log: --year '%s' is not a year\n", optarg);
				return -1;
			}
			o->year = (int)y;
			break;
		}
		default:
			fprintf(stderr, "kres log: unknown option '%s'\n", argv[optind - 1]);
			return -1;
		}
	}
	if (o->follow && optind < argc) {
		fprintf(stderr, "kres log: --follow reads /dev/kmsg or the journal, not files\n");
		return -1;
	}
	if (o->journal && optind < argc) {
		fprintf(stderr, "kres log: --journal and files cannot be combined\n");
		return -1;
	}
	return 0;
}

/* Loads the built-in catalog and the user files, and compiles the patterns. */
static int load_catalog(struct log_run *r)
{
	struct perr e = {0};
	const char *bad = NULL;
	long pat;
	if (klog_catalog_load_builtin(&r->cat, &e)) {
		fprintf(stderr, "kres log: built-in catalog line %u: %s\n", e.line, e.msg);
		return -1;
	}
	int rc = klog_catalog_load_dir(&r->cat, r->o.sigdir, &bad, &e);
	if (rc) {
		if (e.line)
			fprintf(stderr, "kres log: %s:%u: %s\n", bad, e.line, e.msg);
		else if (bad)
			fprintf(stderr, "kres log: cannot read '%s': %s\n", bad, e.msg[0] ? e.msg : strerror(-rc));
		else
			fprintf(stderr, "kres log: cannot read '%s': %s\n", r->o.sigdir, strerror(-rc));
		return -1;
	}
	klog_catalog_index(&r->cat);
	if (klog_matcher_build(&r->m, &r->cat, &e, &pat)) {
		if (pat >= 0 && (size_t)pat < r->cat.npats)
			fprintf(stderr, "kres log: %s:%u: invalid pattern of '%s': %s\n",
				r->cat.pats[pat].file, r->cat.pats[pat].line,
				r->cat.sigs[r->cat.pats[pat].sig].id, e.msg);
		else
			fprintf(stderr, "kres log: cannot compile the signatures: %s\n", e.msg);
		return -1;
	}
	return 0;
}

/* Every sample must be matched by its own signature (the first that matches wins). */
static int test_samples(struct log_run *r)
{
	struct klog_field f[KLOG_MAX_FIELDS];
	size_t nf, n = 0, bad = 0;
	for (size_t i = 0; i < r->cat.nsigs; i++) {
		const struct klog_sig *s = &r->cat.sigs[i];
		for (size_t k = 0; k < s->sample.n; k++, n++) {
			const char *t = s->sample.v[k];
			long p = klog_matcher_match(&r->m, t, strlen(t), f, &nf);
			if (p >= 0 && r->cat.pats[p].sig == i)
				continue;
			bad++;
			if (p < 0)
				printf("%s:%u: sample of '%s' matches no signature: %s\n", s->file,
				       s->line, s->id, t);
			else
				printf("%s:%u: sample of '%s' is taken by '%s': %s\n", s->file, s->line,
				       s->id, r->cat.sigs[r->cat.pats[p].sig].id, t);
		}
	}
	printf("%zu samples of %zu signatures: %zu wrong\n", n, r->cat.nsigs, bad);
	return bad ? 1 : 0;
}

static void flush_out(struct log_run *r)
{
	if (r->out.len) {
		fwrite(r->out.p, 1, r->out.len, stdout);
		buf_reset(&r->out);
	}
	fflush(stdout);
}

static void on_event(void *ctx, struct klog_event *ev)
{
	struct log_run *r = ctx;
	if (!r->any_event || ev->sev > r->worst)
		r->worst = ev->sev;
	r->any_event = true;
	if (!r->streaming) {
		klog_fold_add(&r->fold, ev);
		return;
	}
	if (r->o.fmt == LOG_JSON)
		klog_out_event_json(&r->out, &r->cat, ev);
	else
		klog_out_event_text(&r->out, &r->cat, ev, r->o.verbose);
	klog_event_release(ev);
	free(ev);
	flush_out(r);
}

static void on_suppressed(void *ctx, long sig, uint64_t n)
{
	struct log_run *r = ctx;
	if (!r->streaming) {
		klog_fold_suppressed(&r->fold, sig, n);
		return;
	}
	if (r->o.fmt == LOG_TEXT) {
		buf_appendf(&r->out, "%20s %" PRIu64 " messages suppressed by a kernel rate limit%s%s\n",
			    "", n, sig >= 0 ? " after " : "", sig >= 0 ? r->cat.sigs[sig].id : "");
		flush_out(r);
	}
}

static struct klog_input_info *add_input(struct log_run *r, const char *name)
{
	r->in = xreallocarray(r->in, r->nin + 1, sizeof(*r->in));
	struct klog_input_info *in = &r->in[r->nin++];
	memset(in, 0, sizeof(*in));
	in->name = name;
	in->format = "?";
	return in;
}

static int year_of(int fd)
{
	struct stat st;
	time_t t = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? st.st_mtime : time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* One file (or "-"): the whole of it. */
static void read_file(struct log_run *r, const char *name)
{
	struct klog_input_info *in = add_input(r, name);
	int fd = strcmp(name, "-") ? open(name, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		snprintf(in->error, sizeof(in->error), "cannot open '%s': %s", name, strerror(errno));
		fprintf(stderr, "kres log: %s\n", in->error);
		r->input_error = true;
		return;
	}
	enum klog_fmt used;
	const char *what;
	r->a.source = name;
	r->a.input = (unsigned)r->nin;
	int rc = klog_scan_fd(&r->scan, fd, r->o.input_fmt, r->o.year ? r->o.year : year_of(fd),
			      &used, &what);
	klog_asm_flush(&r->a);
	in->st = r->scan.st;
	in->format = klog_fmt_name(used);
	if (rc) {
		snprintf(in->error, sizeof(in->error), "cannot %s '%s': %s", what, name,
			 rc == -EBADMSG ? "the gzip data ends early" : rc == -EILSEQ ? "not valid gzip data" : strerror(-rc));
		fprintf(stderr, "kres log: %s (events before the error are reported)\n", in->error);
		r->input_error = true;
	}
	if (fd != STDIN_FILENO)
		close(fd);
}

/* The state file: "kres-log-cursor 1\nboot_id HEX\nseq N\n" (kmsg) or
 * "kres-log-cursor 1\njournal CURSOR\n". Returns true when it was read. */
static bool state_load(const char *path, char boot[33], uint64_t *seq, char **jcursor)
{
	struct rootfs root;
	char *text = NULL;
	bool ok = false;
	boot[0] = '\0';
	*jcursor = NULL;
	if (rootfs_open(&root, "/"))
		return false;
	ssize_t n = rootfs_read(&root, path, 64 * 1024, &text);
	rootfs_close(&root);
	if (n <= 0)
		return false;
	struct lineiter it;
	struct span l;
	lineiter_init(&it, text, (size_t)n);
	while (lineiter_next(&it, &l)) {
		if (span_startswith(l, "boot_id ") && l.n == 8 + 32)
			span_copy((struct span){l.p + 8, 32}, boot, 33);
		else if (span_startswith(l, "seq "))
			ok = parse_u64((struct span){l.p + 4, l.n - 4}, seq) == 0;
		else if (span_startswith(l, "journal ") && l.n > 8)
			*jcursor = xstrndup(l.p + 8, l.n - 8);
	}
	free(text);
	return (ok && boot[0]) || *jcursor;
}

static void state_save(struct log_run *r, const char *jcursor)
{
	if (!r->o.state)
		return;
	if (!jcursor && (!r->scan.has_safe_seq || r->scan.safe_seq == r->saved_seq))
		return;
	if (jcursor && r->saved_jcursor && !strcmp(jcursor, r->saved_jcursor))
		return; /* unchanged: no write (and fsync) per idle second */
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", r->o.state);
	FILE *f = fopen(tmp, "we");
	int rc = 0;
	if (f) {
		fprintf(f, "kres-log-cursor 1\n");
		if (jcursor)
			fprintf(f, "journal %s\n", jcursor);
		else
			fprintf(f, "boot_id %s\nseq %" PRIu64 "\n", r->boot_id, r->scan.safe_seq);
		rc = fflush(f) || fsync(fileno(f)) ? -errno : 0;
		if (fclose(f) && !rc)
			rc = -errno;
		if (!rc && rename(tmp, r->o.state))
			rc = -errno;
	} else {
		rc = -errno;
	}
	if (rc && !r->state_error)
		fprintf(stderr, "kres log: cannot write the state file '%s': %s\n", r->o.state,
			strerror(-rc));
	r->state_error = rc != 0;
	if (!rc && !jcursor)
		r->saved_seq = r->scan.safe_seq;
	if (!rc && jcursor) {
		free(r->saved_jcursor);
		r->saved_jcursor = xstrdup(jcursor);
	}
}

static void on_idle(void *ctx)
{
	struct log_run *r = ctx;
	flush_out(r);
	state_save(r, NULL);
}

/* /dev/kmsg, once or following. */
static void read_kmsg(struct log_run *r)
{
	struct klog_input_info *in = add_input(r, r->o.kmsg);
	char boot[33];
	uint64_t seq = 0;
	char *jc = NULL;
	bool skip = false;
	klog_boot_id(r->boot_id);
	memcpy(r->scan.boot_id, r->boot_id, sizeof(r->boot_id));
	struct stat st;
	/* Wall times from the boot time only for the live device, not a saved file. */
	if (!stat(r->o.kmsg, &st) && S_ISCHR(st.st_mode))
		r->scan.boot_wall_us = klog_boot_wall_us();
	if (r->o.state && state_load(r->o.state, boot, &seq, &jc) && !jc && r->boot_id[0] &&
	    !strcmp(boot, r->boot_id)) {
		/* Same boot: resume after the saved record; a gap before the oldest record
		 * still in the buffer is counted as lost. */
		skip = true;
		r->saved_seq = seq;
		r->scan.has_last_seq = true;
		r->scan.last_seq = seq;
	}
	free(jc);
	r->a.source = r->o.kmsg;
	memset(&r->scan.st, 0, sizeof(r->scan.st));
	r->scan.skip = skip;
	r->scan.skip_to = seq;
	int rc = klog_scan_kmsg(&r->scan, r->o.kmsg, r->o.from_end && !skip, r->o.follow,
				&stop_flag, on_idle, r);
	klog_asm_flush(&r->a);
	if (r->scan.has_last_seq) {
		r->scan.safe_seq = r->scan.last_seq;
		r->scan.has_safe_seq = true;
	}
	in->st = r->scan.st;
	in->format = "kmsg";
	if (rc) {
		snprintf(in->error, sizeof(in->error), "cannot read '%s': %s", r->o.kmsg, strerror(-rc));
		fprintf(stderr, "kres log: %s\n", in->error);
		r->input_error = true;
	}
	flush_out(r);
	state_save(r, NULL);
}

/* The systemd journal through sd-journal. */
static void read_journal(struct log_run *r)
{
	struct klog_input_info *in = add_input(r, r->o.journal_dir ? r->o.journal_dir : "journal");
	struct klog_journal *j = NULL;
	char err[512], boot[33];
	uint64_t seq;
	char *cursor = NULL;
	if (r->o.state)
		state_load(r->o.state, boot, &seq, &cursor);
	int rc = klog_journal_open(&j, r->o.journal_dir, r->o.journal_dir ? NULL : "", cursor, err,
				   sizeof(err));
	free(cursor);
	in->format = "journal";
	if (rc) {
		snprintf(in->error, sizeof(in->error), "%s", err);
		fprintf(stderr, "kres log: %s\n", err);
		r->input_error = true;
		return;
	}
	r->a.source = in->name;
	struct klog_rec rec;
	while (!stop_flag) {
		int k = klog_journal_next(j, &rec);
		if (k > 0) {
			in->st.lines++;
			in->st.bytes += rec.len;
			klog_scan_feed(&r->scan, &rec);
			continue;
		}
		if (k < 0) {
			snprintf(in->error, sizeof(in->error), "cannot read the journal: %s",
				 strerror(-k));
			fprintf(stderr, "kres log: %s\n", in->error);
			r->input_error = true;
			break;
		}
		if (!r->o.follow)
			break;
		if (!klog_asm_open(&r->a)) {
			char *c = klog_journal_cursor(j);
			flush_out(r);
			if (c)
				state_save(r, c);
			free(c);
		}
		if (klog_journal_wait(j, 1000) == 0 && klog_asm_open(&r->a))
			klog_asm_flush(&r->a);
	}
	klog_asm_flush(&r->a);
	flush_out(r);
	char *c = klog_journal_cursor(j);
	if (c)
		state_save(r, c);
	free(c);
	klog_journal_close(j);
}

static void print_results(struct log_run *r)
{
	struct klog_totals t = {.events = r->a.events,
				.suppressed = r->a.suppressed,
				.lost = r->a.lost,
				.overflow = r->fold.overflow};
	klog_fold_sort(&r->fold);
	if (r->o.summary) {
		if (r->o.fmt == LOG_JSON)
			klog_out_summary_json(&r->out, &r->cat, &r->fold, r->in, r->nin, &t);
		else
			klog_out_summary_text(&r->out, &r->cat, &r->fold, r->in, r->nin, &t);
	} else if (!r->streaming) {
		for (size_t i = 0; i < r->fold.n; i++) {
			if (r->o.fmt == LOG_JSON)
				klog_out_event_json(&r->out, &r->cat, r->fold.ev[i]);
			else
				klog_out_event_text(&r->out, &r->cat, r->fold.ev[i], r->o.verbose);
			if (r->out.len > (1u << 20))
				flush_out(r);
		}
		if (r->o.fmt == LOG_TEXT)
			klog_out_footer_text(&r->out, &r->fold, r->in, r->nin, &t);
	} else if (r->o.fmt == LOG_TEXT) {
		klog_out_footer_text(&r->out, &r->fold, r->in, r->nin, &t);
	}
	flush_out(r);
}

static int exit_code(const struct log_run *r)
{
	if (r->o.fail_set && r->any_event && r->worst >= r->o.fail_on)
		return r->worst == KSEV_CRITICAL ? 2 : 1;
	return r->input_error ? 3 : 0;
}

static void run_release(struct log_run *r)
{
	klog_scan_release(&r->scan);
	klog_fold_release(&r->fold);
	klog_asm_release(&r->a);
	klog_matcher_release(&r->m);
	klog_catalog_release(&r->cat);
	buf_release(&r->out);
	free(r->in);
	free(r->o.tags);
	free(r->saved_jcursor);
}

int cmd_log(int argc, char **argv)
{
	static struct log_run run;
	struct log_run *r = &run;
	int rc = parse_opts(&r->o, argc, argv);
	if (rc)
		return rc > 0 ? 0 : 3;
	if (load_catalog(r)) {
		run_release(r);
		return 3;
	}
	if (r->o.list || r->o.patterns || r->o.test_samples) {
		int code = 0;
		if (r->o.list)
			klog_out_signatures_md(&r->out, &r->cat);
		else if (r->o.patterns)
			klog_out_patterns(&r->out, &r->cat, !strcmp(r->o.patterns, "ere"));
		else
			code = test_samples(r);
		flush_out(r);
		run_release(r);
		return code;
	}
	struct klog_asm_ops ops = {.emit = on_event, .suppressed = on_suppressed};
	klog_asm_init(&r->a, &r->cat, &ops, r);
	klog_fold_init(&r->fold, r->cat.nsigs);
	klog_scan_init(&r->scan, &r->m, &r->a);
	r->scan.lc.tags = r->o.tags;
	r->scan.lc.ntags = r->o.ntags;
	r->streaming = r->o.follow && !r->o.summary;
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (r->o.journal)
		read_journal(r);
	else if (optind >= argc)
		read_kmsg(r);
	else
		for (int i = optind; i < argc && !stop_flag; i++)
			read_file(r, argv[i]);
	print_results(r);
	rc = exit_code(r);
	run_release(r);
	return rc;
}
