// SPDX-License-Identifier: MIT
/* Assembles events from matched lines. A kernel report is a header line followed
 * by context lines (reference kernel-log-signatures.md section 3): the header's
 * signature says which kind of report it opens, and for how many lines; parts of
 * the report (the OOM summary, the Killed process line, a WARNING block) join it,
 * and the report becomes one event when it closes. */
#include <stdlib.h>
#include <string.h>

#include "klog/asm.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/banned.h"

bool klog_field_numeric(const char *name)
{
	static const char *const numeric[] = {"pid",   "cpu",	"seconds",	 "queue", "order",
					      "sector", "uid",	"jiffies",	 "oom_score_adj",
					      "index", "errno", "count",	 "usecs", "ms",
					      "port",  "qid",	"threshold", "tgid", "line"};
	size_t n = strlen(name);
	if (n > 3 && !strcmp(name + n - 3, "_kb"))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(numeric); i++)
		if (!strcmp(name, numeric[i]))
			return true;
	return false;
}

void klog_event_release(struct klog_event *ev)
{
	free(ev->message);
	free(ev->kdevice);
	free(ev->subject);
	for (size_t i = 0; i < ev->nfields; i++)
		free(ev->fields[i].val);
	for (size_t i = 0; i < ev->nframes; i++)
		free(ev->frames[i]);
	memset(ev, 0, sizeof(*ev));
}

const char *klog_event_field(const struct klog_event *ev, const char *name)
{
	for (size_t i = 0; i < ev->nfields; i++)
		if (!strcmp(ev->fields[i].name, name))
			return ev->fields[i].val;
	return NULL;
}

/* A NUL-terminated copy of at most max bytes; NUL bytes in log text become '?'. */
static char *copy_span(const char *p, size_t n, size_t max)
{
	if (n > max)
		n = max;
	char *s = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = p[i] ? p[i] : '?';
	s[n] = '\0';
	return s;
}

static void set_field(struct klog_event *ev, const char *name, const char *p, size_t n)
{
	for (size_t i = 0; i < ev->nfields; i++)
		if (!strcmp(ev->fields[i].name, name)) {
			free(ev->fields[i].val);
			ev->fields[i].val = copy_span(p, n, KLOG_VAL_MAX);
			return;
		}
	if (ev->nfields == ARRAY_SIZE(ev->fields))
		return;
	struct klog_kv *kv = &ev->fields[ev->nfields++];
	str_copy(kv->name, sizeof(kv->name), name);
	kv->val = copy_span(p, n, KLOG_VAL_MAX);
}

static void set_field_once(struct klog_event *ev, const char *name, const char *p, size_t n)
{
	if (!klog_event_field(ev, name))
		set_field(ev, name, p, n);
}

static void merge_fields(struct klog_event *ev, const struct klog_field *f, size_t nf)
{
	for (size_t i = 0; i < nf; i++)
		set_field(ev, f[i].name, f[i].val.p, f[i].val.n);
}

void klog_asm_init(struct klog_asm *a, const struct klog_catalog *c, const struct klog_asm_ops *ops,
		   void *ctx)
{
	memset(a, 0, sizeof(*a));
	a->cat = c;
	a->ops = *ops;
	a->ctx = ctx;
	a->last_emit = xcalloc(c->nsigs ? c->nsigs : 1, sizeof(*a->last_emit));
}

void klog_asm_release(struct klog_asm *a)
{
	klog_event_release(&a->ev);
	free(a->last_emit);
	a->last_emit = NULL;
}

static void event_start(struct klog_asm *a, struct klog_event *ev, uint32_t sig,
			const struct klog_rec *r)
{
	const struct klog_sig *s = &a->cat->sigs[sig];
	memset(ev, 0, sizeof(*ev));
	ev->sig = sig;
	ev->category = s->category;
	ev->sev = s->sev;
	ev->count = 1;
	ev->first_mono = ev->last_mono = r->mono_us;
	ev->first_wall = ev->last_wall = r->wall_us;
	ev->wall_utc = r->wall_utc;
	ev->level = r->level;
	ev->facility = r->facility;
	ev->has_seq = r->has_seq;
	ev->seq = r->seq;
	memcpy(ev->boot_id, r->boot_id, sizeof(ev->boot_id));
	ev->message = copy_span(r->msg, r->len, KLOG_MSG_MAX);
	ev->kdevice = r->device ? xstrdup(r->device) : NULL;
	ev->source = a->source;
	ev->input = a->input;
	ev->lineno = r->lineno;
}

/* The fold key: the subject fields' values (default: device, else comm, else server). */
static void event_subject(const struct klog_sig *s, struct klog_event *ev)
{
	struct buf b = BUF_INIT;
	if (s->subject.n) {
		for (size_t i = 0; i < s->subject.n; i++) {
			const char *v = klog_event_field(ev, s->subject.v[i]);
			if (i)
				buf_putc(&b, ' ');
			buf_puts(&b, v ? v : "-");
		}
	} else {
		static const char *const defaults[] = {"device", "comm", "server"};
		for (size_t i = 0; i < ARRAY_SIZE(defaults); i++) {
			const char *v = klog_event_field(ev, defaults[i]);
			if (v) {
				buf_puts(&b, v);
				break;
			}
		}
	}
	ev->subject = xstrdup(buf_str(&b));
	buf_release(&b);
}

static void emit(struct klog_asm *a, struct klog_event *ev)
{
	struct klog_event *out = xmalloc(sizeof(*out));
	event_subject(&a->cat->sigs[ev->sig], ev);
	*out = *ev;
	memset(ev, 0, sizeof(*ev));
	/* Position of the event (input, line), for rate-limit attribution: reports are
	 * emitted when they close, which can be after events that followed them. */
	uint64_t pos = ((uint64_t)out->input << 44) | (out->lineno & ((1ull << 44) - 1));
	if (pos + 1 > a->last_emit[out->sig])
		a->last_emit[out->sig] = pos + 1;
	a->events++;
	a->ops.emit(a->ctx, out);
}

void klog_asm_flush(struct klog_asm *a)
{
	if (!a->open)
		return;
	if (a->has_event) {
		if (a->promote)
			a->ev.category = a->promote;
		emit(a, &a->ev);
	}
	klog_event_release(&a->ev);
	a->open = a->has_event = a->in_trace = a->trace_done = false;
	a->promote = NULL;
}

void klog_asm_lost(struct klog_asm *a, uint64_t n)
{
	a->lost += n;
}

static bool report_takes(const struct klog_asm *a, const struct klog_sig *s)
{
	const struct klog_sig *o = &a->cat->sigs[a->opener];
	if (!strcmp(s->category, o->category) || klog_words_has(&o->absorbs, s->category))
		return true;
	/* after a take-over, the event's own signature says what it absorbs */
	return a->has_event && klog_words_has(&a->cat->sigs[a->ev.sig].absorbs, s->category);
}

/* A second report of the opener's own category (another soft lockup, another hung
 * task) starts a report of its own instead of joining the first. */
static bool repeats_opener(const struct klog_asm *a, const struct klog_sig *s)
{
	return s->report && !s->part && a->has_event &&
	       !strcmp(s->category, a->cat->sigs[a->opener].category);
}

static uint64_t field_u64(const struct klog_field *f, size_t nf, const char *name, uint64_t dflt)
{
	for (size_t i = 0; i < nf; i++)
		if (!strcmp(f[i].name, name)) {
			uint64_t v;
			return parse_u64(f[i].val, &v) ? dflt : v;
		}
	return dflt;
}

static void ratelimit(struct klog_asm *a, const struct klog_field *f, size_t nf)
{
	uint64_t n = field_u64(f, nf, "count", 0);
	char name[64] = "";
	for (size_t i = 0; i < nf; i++)
		if (!strcmp(f[i].name, "name"))
			span_copy(f[i].val, name, sizeof(name));
	long best = -1;
	a->suppressed += n;
	/* The open report's event is the latest one when its signature counts the name. */
	if (a->open && a->has_event && klog_words_has(&a->cat->sigs[a->ev.sig].ratelimit, name)) {
		a->ev.suppressed += n;
		return;
	}
	for (size_t i = 0; i < a->cat->nsigs; i++)
		if (a->last_emit[i] && klog_words_has(&a->cat->sigs[i].ratelimit, name) &&
		    (best < 0 || a->last_emit[i] > a->last_emit[best]))
			best = (long)i;
	a->ops.suppressed(a->ctx, best, n);
}

/* "CPU: 7 PID: 41234 Comm: postgres Tainted: ..." (also "CPU: 7 UID: 0 PID: ..."). */
static void ctx_cpu_line(struct klog_event *ev, const char *m, size_t n)
{
	struct span s = {m, n};
	if (!span_startswith(s, "CPU: "))
		return;
	const char *end = m + n, *p = m + 5, *q;
	for (q = p; q < end && *q >= '0' && *q <= '9'; q++)
		;
	set_field_once(ev, "cpu", p, (size_t)(q - p));
	const char *pid = memmem(m, n, " PID: ", 6), *comm = memmem(m, n, " Comm: ", 7);
	if (pid) {
		p = pid + 6;
		for (q = p; q < end && *q >= '0' && *q <= '9'; q++)
			;
		if (q > p)
			set_field_once(ev, "pid", p, (size_t)(q - p));
	}
	if (comm) {
		p = comm + 7;
		for (q = p; q < end && *q != ' '; q++)
			;
		if (q > p)
			set_field_once(ev, "comm", p, (size_t)(q - p));
	}
}

/* A call trace frame: " func+0x1/0x2 [mod]", " [<ffffffff81234567>] func+0x1/0x2",
 * "? func+..." (unreliable, skipped). Returns 1 frame (name in *f), 0 a marker line
 * to skip (<IRQ>, <TASK>, an unreliable frame), -1 not part of a trace. */
static int frame_of(const char *m, size_t n, struct span *f)
{
	struct span s = span_trim((struct span){m, n});
	if (s.n && s.p[0] == '<' && s.p[s.n - 1] == '>')
		return 0;
	/* 3.x put the first frame of an interrupt stack on the marker's line:
	 * "<IRQ>  [<ffffffff81234567>] func+0x1/0x2" */
	if (s.n && s.p[0] == '<') {
		const char *gt = memchr(s.p, '>', s.n);
		if (!gt || gt[1] == ']')
			return -1;
		s = span_trim((struct span){gt + 1, s.n - (size_t)(gt + 1 - s.p)});
	}
	if (span_startswith(s, "? "))
		return 0;
	if (span_startswith(s, "[<")) {
		const char *close = memchr(s.p, ']', s.n);
		if (!close)
			return -1;
		s = span_trim((struct span){close + 1, s.n - (size_t)(close + 1 - s.p)});
		if (span_startswith(s, "? "))
			return 0;
	}
	const char *plus = memmem(s.p, s.n, "+0x", 3);
	if (!plus || plus == s.p || memchr(s.p, ' ', (size_t)(plus - s.p)))
		return -1;
	*f = (struct span){s.p, (size_t)(plus - s.p)};
	return 1;
}

/* Context lines of a stack report. The report stays open after its call trace (to
 * its window's end) because parts can follow the trace: the hung-task blocker line,
 * "Future hung task reports are suppressed", an RCU stall's "kthread starved". */
static void stack_context(struct klog_asm *a, const struct klog_rec *r)
{
	struct klog_event *ev = &a->ev;
	struct span s = {r->msg, r->len}, t = span_trim(s), f;
	if (a->trace_done || r->bare)
		return; /* console output of user space can land inside a trace */
	if (a->in_trace) {
		int k = frame_of(r->msg, r->len, &f);
		if (k < 0) {
			a->trace_done = ev->nframes > 0;
			return;
		}
		if (k > 0 && ev->nframes < KLOG_MAX_FRAMES)
			ev->frames[ev->nframes++] = copy_span(f.p, f.n, 128);
		a->trace_done = ev->nframes == KLOG_MAX_FRAMES;
		return;
	}
	if (span_startswith(t, "Call Trace:")) {
		a->in_trace = true;
	} else if (span_startswith(t, "CPU: ")) {
		ctx_cpu_line(ev, t.p, t.n);
	} else if (span_startswith(t, "RIP: ")) {
		/* RIP: 0010:func+0x6e/0x2e0, or old "RIP: 0010:[<ffff...>]  [<ffff...>] func+0x.." */
		const char *end = t.p + t.n, *p = end;
		while (p > t.p && p[-1] != ' ' && p[-1] != ':')
			p--;
		if (end > p && memmem(p, (size_t)(end - p), "+0x", 3))
			set_field_once(ev, "rip", p, (size_t)(end - p));
	}
}

/* An event line whose signature absorbs the category of the open report's event
 * takes the report over: kernels before 4.16 printed a WARN's message after its
 * WARNING line, so the old NETDEV WATCHDOG line arrives inside the WARNING report. */
static bool takes_over(const struct klog_asm *a, uint32_t sig, const struct klog_sig *s)
{
	return a->open && a->has_event && !s->part && a->ev.sig != sig &&
	       klog_words_has(&s->absorbs, a->ev.category);
}

static void take_over(struct klog_asm *a, uint32_t sig, const struct klog_sig *s,
		      const struct klog_rec *r, const struct klog_field *f, size_t nf)
{
	struct klog_event *ev = &a->ev;
	ev->sig = sig;
	ev->category = s->category;
	ev->sev = s->sev;
	free(ev->message);
	ev->message = copy_span(r->msg, r->len, KLOG_MSG_MAX);
	merge_fields(ev, f, nf);
	if (s->promote)
		a->promote = s->promote;
}

static void open_report(struct klog_asm *a, uint32_t sig, const struct klog_sig *s,
			const struct klog_rec *r, const struct klog_field *f, size_t nf)
{
	klog_asm_flush(a);
	a->open = true;
	a->opener = sig;
	a->left = s->window;
	a->in_trace = a->trace_done = false;
	a->promote = s->promote;
	event_start(a, &a->ev, sig, r);
	merge_fields(&a->ev, f, nf);
	a->has_event = !s->part;
}

static void join_report(struct klog_asm *a, uint32_t sig, const struct klog_sig *s,
			const struct klog_rec *r, const struct klog_field *f, size_t nf)
{
	if (!s->part && !a->has_event) {
		/* The event line of a report opened by a part: it names the event, the
		 * report's earlier fields stay unless the line sets them. */
		struct klog_event keep = a->ev;
		event_start(a, &a->ev, sig, r);
		for (size_t i = 0; i < keep.nfields; i++)
			set_field(&a->ev, keep.fields[i].name, keep.fields[i].val,
				  strlen(keep.fields[i].val));
		klog_event_release(&keep);
		a->has_event = true;
	}
	merge_fields(&a->ev, f, nf);
	if (s->promote)
		a->promote = s->promote;
	if (s->ends)
		klog_asm_flush(a);
}

void klog_asm_feed(struct klog_asm *a, const struct klog_rec *r, long pat,
		   const struct klog_field *f, size_t nf)
{
	bool was_open = a->open;
	if (pat < 0 && a->open && span_startswith((struct span){r->msg, r->len}, "Linux version ")) {
		/* A new boot: nothing of the last one's report follows. */
		klog_asm_flush(a);
		return;
	}
	if (pat < 0) {
		if (a->open && a->cat->sigs[a->opener].report == KREP_STACK)
			stack_context(a, r);
	} else {
		uint32_t sig = a->cat->pats[pat].sig;
		const struct klog_sig *s = &a->cat->sigs[sig];
		if (s->special == KSPEC_RATELIMIT) {
			ratelimit(a, f, nf);
		} else if (s->special == KSPEC_LOG_LOSS) {
			a->lost += field_u64(f, nf, "count", 1);
		} else if (takes_over(a, sig, s)) {
			take_over(a, sig, s, r, f, nf);
		} else if (a->open && report_takes(a, s) && !repeats_opener(a, s) &&
			   !(a->trace_done && !s->part)) {
			join_report(a, sig, s, r, f, nf);
		} else if (s->report) {
			open_report(a, sig, s, r, f, nf);
			return;
		} else if (!s->part) {
			struct klog_event ev;
			event_start(a, &ev, sig, r);
			merge_fields(&ev, f, nf);
			emit(a, &ev);
		}
	}
	if (was_open && a->open && !r->bare && --a->left == 0)
		klog_asm_flush(a);
}

void klog_asm_skip(struct klog_asm *a)
{
	if (a->open && --a->left == 0)
		klog_asm_flush(a);
}
