// SPDX-License-Identifier: MIT
/* The full-screen view of kres top: meters for the resources that come under
 * pressure, each resource's grade with its reasons, the vm, network and disk rates,
 * the process table with leak estimates, and the kernel events. The screen is
 * rebuilt from one struct top_view each frame in stack buffers; panels are dropped
 * from the bottom when the window is short. comm, cgroup and kernel text are not
 * ours: every string is clipped to the window and its control bytes replaced. */
#include "out/top_out.h"

#include <curses.h>
#include <term.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "util/banned.h"

enum { P_OK = 1, P_WATCH, P_HIGH, P_CRIT, P_HEAD, P_LEAK };

/* The curses API is one global screen; this is its state, valid between start
 * and stop. rows and cols are re-read at each frame (the window may have been
 * resized since). */
static struct {
	SCREEN *scr;
	bool color;
	int rows, cols;
} tc;

#define LINE_CH 512 /* widest line drawn; wider terminals get blank space */

/* ---- clipped, sanitised output ---- */

/* Converts s to at most w columns of printable characters. A byte that is not
 * valid in the locale, a control or a zero-width character each become one '?',
 * so hostile text can neither move the cursor nor shift the columns after it.
 * Returns the characters stored; *used gets their width in columns. */
static size_t clean(const char *s, int w, wchar_t *out, size_t cap, int *used)
{
	mbstate_t st;
	size_t n = 0, len = strlen(s);
	int cols = 0;
	memset(&st, 0, sizeof(st));
	while (len > 0 && n < cap) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, len, &st);
		int cw = 1;
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			wc = L'?';
			k = 1;
			memset(&st, 0, sizeof(st));
		} else if (!iswprint((wint_t)wc) || (cw = wcwidth(wc)) < 1) {
			wc = L'?';
			cw = 1;
		}
		if (cols + cw > w)
			break;
		out[n++] = wc;
		cols += cw;
		s += k;
		len -= k;
	}
	*used = cols;
	return n;
}

/* Writes s at (y, x) in at most w columns, inside the window, right-aligned in
 * them when right is set. The bottom-right cell is never written: on many
 * terminals that scrolls the screen. Returns the columns taken. */
static int put_in(int y, int x, int w, attr_t a, const char *s, bool right)
{
	if (y < 0 || y >= tc.rows || x < 0 || x >= tc.cols)
		return 0;
	int lim = tc.cols - x - (y == tc.rows - 1);
	if (w > lim)
		w = lim;
	if (w <= 0)
		return 0;
	wchar_t ws[LINE_CH];
	int used;
	size_t n = clean(s, w, ws, LINE_CH, &used);
	attrset(a);
	mvaddnwstr(y, right ? x + w - used : x, ws, (int)n);
	attrset(A_NORMAL);
	return right ? w : used;
}

static int put(int y, int x, int w, attr_t a, const char *s)
{
	return put_in(y, x, w, a, s, false);
}

static int putf(int y, int x, int w, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int putf(int y, int x, int w, attr_t a, const char *fmt, ...)
{
	char b[LINE_CH];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	return put(y, x, w, a, b);
}

/* Paints row y in attribute a (table headers, leaking processes). */
static void fill_row(int y, attr_t a)
{
	if (y >= 0 && y < tc.rows)
		mvhline(y, 0, ' ' | a, tc.cols - (y == tc.rows - 1));
}

/* ---- looks ---- */

/* A grade's look: colour where the terminal has it, else bold, underline and
 * reverse, so a monochrome terminal still tells the four apart. g < 0: no grade. */
static attr_t grade_attr(int g)
{
	static const attr_t mono[] = {A_NORMAL, A_BOLD, A_BOLD | A_UNDERLINE, A_BOLD | A_REVERSE};
	static const attr_t extra[] = {A_NORMAL, A_BOLD, A_BOLD, A_BOLD | A_REVERSE};
	static const short pair[] = {P_OK, P_WATCH, P_HIGH, P_CRIT};
	if (g < GRADE_OK || g > GRADE_CRIT)
		return A_NORMAL;
	return tc.color ? (attr_t)COLOR_PAIR(pair[g]) | extra[g] : mono[g];
}

static attr_t head_attr(void)
{
	return tc.color ? (attr_t)COLOR_PAIR(P_HEAD) : A_REVERSE;
}

static attr_t leak_attr(void)
{
	return tc.color ? (attr_t)COLOR_PAIR(P_LEAK) | A_BOLD : A_BOLD | A_REVERSE;
}

static int res_grade(const struct top_view *v, enum resource r)
{
	return v->p ? (int)v->p->sig[r].grade : -1;
}

/* "HIGH": grades other than ok are shouted so they stand out in a line. */
static const char *grade_label(int g, char *b, size_t n)
{
	const char *s = g < 0 ? "?" : grade_name((enum grade)g);
	size_t i = 0;
	for (; s[i] && i + 1 < n; i++)
		b[i] = (char)(g > GRADE_OK && s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	b[i] = '\0';
	return b;
}

/* ---- numbers for people ---- */

/* v in units of units[0], scaled by base while it has 4 digits or more: "512K",
 * "1.5M", "12G". A space as a unit letter prints none. frac: one decimal below 10
 * in the first unit too (0.3 faults a second matter; 0.3 KiB does not). */
static const char *fmt_scaled(char *b, size_t n, double v, double base, const char *units,
			      bool frac)
{
	size_t u = 0;
	double a = v < 0 ? -v : v;
	while (a >= 999.5 && units[u + 1]) {
		a /= base;
		v /= base;
		u++;
	}
	char unit[2] = {units[u] == ' ' ? '\0' : units[u], '\0'};
	if (v == 0)
		snprintf(b, n, "0%s", unit);
	else if (a < 9.95 && (u > 0 || frac))
		snprintf(b, n, "%.1f%s", v, unit);
	else
		snprintf(b, n, "%.0f%s", v, unit);
	return b;
}

static const char *fmt_kib(char *b, size_t n, double kib)
{
	return fmt_scaled(b, n, kib, 1024, "KMGTP", false);
}

static const char *fmt_bytes(char *b, size_t n, double bytes)
{
	return fmt_scaled(b, n, bytes, 1024, "BKMGT", false);
}

/* A count or a rate: "0.3", "45", "12k", "1.2M". */
static const char *fmt_count(char *b, size_t n, double v)
{
	return fmt_scaled(b, n, v, 1000, " kMGT", true);
}

/* A per-second rate, "12k/s", or a bare "-" when there is no previous sample to
 * take it from. */
static const char *fmt_per_s(char *b, size_t n, bool valid, double v)
{
	char t[16];
	if (!valid)
		return "-";
	snprintf(b, n, "%s/s", fmt_count(t, sizeof(t), v));
	return b;
}

/* "45s", "12m30s", "3h12m", "12d04h"; "-" when unknown (negative or NaN). */
static const char *fmt_dur(char *b, size_t n, double s)
{
	if (!(s >= 0))
		return "-";
	if (s >= 100 * 86400.0)
		return ">99d";
	unsigned long t = (unsigned long)(s + 0.5);
	if (t < 60)
		snprintf(b, n, "%lus", t);
	else if (t < 3600)
		snprintf(b, n, "%lum%02lus", t / 60, t % 60);
	else if (t < 86400)
		snprintf(b, n, "%luh%02lum", t / 3600, t % 3600 / 60);
	else
		snprintf(b, n, "%lud%02luh", t / 86400, t % 86400 / 3600);
	return b;
}

/* Growth of anonymous memory: KiB/min while small, MiB/h or GiB/h above; '~'
 * marks an estimate from less than the leak window. "-" without two points. */
static const char *fmt_slope(char *b, size_t n, const struct leak_est *e)
{
	if (e->npts < 2 || !isfinite(e->slope))
		return "-";
	const char *mark = e->full ? "" : "~";
	double kmin = e->slope * 60, mh = e->slope * 3600 / 1024;
	double a = kmin < 0 ? -kmin : kmin;
	if (kmin == 0)
		snprintf(b, n, "%s0K/min", mark);
	else if (a < 9.95)
		snprintf(b, n, "%s%.1fK/min", mark, kmin);
	else if (a < 999.5)
		snprintf(b, n, "%s%.0fK/min", mark, kmin);
	else if (mh > -9999.5 && mh < 9999.5)
		snprintf(b, n, "%s%.0fM/h", mark, mh);
	else
		snprintf(b, n, "%s%.1fG/h", mark, mh / 1024);
	return b;
}

/* ---- title ---- */

/* "kres top  host  every 1s  profile db  HIGH  reasons ... 14:03:07"; on a
 * narrow screen the host and interval go first, then the name: the grade stays. */
static void draw_title(const struct top_view *v)
{
	char clock[16] = "", host[96], prof[32] = "", g[16] = "";
	if (v->snap && v->snap->wall > 0) {
		time_t t = (time_t)v->snap->wall;
		struct tm tm;
		if (localtime_r(&t, &tm))
			strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	}
	int right = clock[0] && tc.cols >= 40 ? (int)strlen(clock) + 1 : 0;
	int w = tc.cols - right;
	bool named = v->hostname && v->hostname[0];
	snprintf(host, sizeof(host), "%s%s  every %gs", named ? "  " : "", named ? v->hostname : "",
		 v->interval);
	if (v->p) {
		snprintf(prof, sizeof(prof), "  profile %s ", profile_name(v->p->prof));
		grade_label(v->p->grade, g, sizeof(g));
	}
	const char *name = "kres top";
	if ((int)(8 + strlen(host) + strlen(prof) + strlen(g) + 2 + 12) > w)
		host[0] = '\0';
	if ((int)(8 + strlen(prof) + strlen(g) + 2) > w && v->p) {
		name = "";
		snprintf(prof, sizeof(prof), "%s ", profile_name(v->p->prof));
	}
	int x = put(0, 0, w, A_BOLD, name);
	x += put(0, x, w - x, A_NORMAL, host);
	if (v->p) {
		attr_t a = grade_attr(v->p->grade);
		x += put(0, x, w - x, A_NORMAL, prof);
		x += putf(0, x, w - x, a, " %s ", g);
		put(0, x + 1, w - x - 1, a & ~(attr_t)A_REVERSE, v->p->why);
	}
	if (right)
		put(0, tc.cols - right + 1, right - 1, A_NORMAL, clock);
}

/* ---- meters ---- */

struct meter_val {
	double pct;    /* bar length; < 0: no bar (unknown or not applicable) */
	char main[16]; /* the number, always shown */
	char more[48]; /* details, shown when they fit */
};

struct meter_def {
	const char *label, *shrt;
	enum resource res;             /* whose grade colours the bar */
	enum psi_res psi;              /* for the PSI meters */
	bool full;                     /* PSI "full" rather than "some" */
	void (*fill)(const struct top_view *v, const struct meter_def *d, struct meter_val *m);
};

static void meter_mem(const struct top_view *v, const struct meter_def *d, struct meter_val *m)
{
	const struct rates *r = v->r;
	char a[16], t[16];
	(void)d;
	if (!r || !r->mem_total_kb || (v->snap && !v->snap->mem_ok))
		return;
	m->pct = r->mem_used_pct;
	snprintf(m->main, sizeof(m->main), "%.1f%%", r->mem_used_pct);
	/* Without MemAvailable (before 3.14) the figure is an estimate: say so. */
	snprintf(m->more, sizeof(m->more), "avail %s%s/%s", r->have_avail ? "" : "~",
		 fmt_kib(a, sizeof(a), (double)r->mem_avail_kb),
		 fmt_kib(t, sizeof(t), (double)r->mem_total_kb));
}

static void meter_swap(const struct top_view *v, const struct meter_def *d, struct meter_val *m)
{
	const struct rates *r = v->r;
	char a[16], t[16];
	(void)d;
	/* An unreadable meminfo is not "no swap". */
	if (!r || (v->snap && !v->snap->mem_ok))
		return;
	if (!r->swap_total_kb) {
		snprintf(m->main, sizeof(m->main), "none");
		return;
	}
	m->pct = r->swap_used_pct;
	snprintf(m->main, sizeof(m->main), "%.1f%%", r->swap_used_pct);
	snprintf(m->more, sizeof(m->more), "%s/%s", fmt_kib(a, sizeof(a), (double)r->swap_used_kb),
		 fmt_kib(t, sizeof(t), (double)r->swap_total_kb));
}

/* PSI: the share of this interval stalled, from the totals, with the kernel's own
 * 10-second average for comparison. Missing before 4.20 or with psi=0. */
static void meter_psi(const struct top_view *v, const struct meter_def *d, struct meter_val *m)
{
	const struct rates *r = v->r;
	if (!r || !r->psi_ok[d->psi]) {
		snprintf(m->main, sizeof(m->main), "n/a");
		return;
	}
	double avg = d->full ? r->psi_full_avg10[d->psi] : r->psi_some_avg10[d->psi];
	double now = d->full ? r->psi_full[d->psi] : r->psi_some[d->psi];
	snprintf(m->more, sizeof(m->more), "avg10 %.1f", avg);
	if (!r->valid) {
		snprintf(m->main, sizeof(m->main), "-");
		return;
	}
	m->pct = now;
	snprintf(m->main, sizeof(m->main), "%.1f%%", now);
}

/* Busy is user + nice + system + irq + softirq: guest time is already in user,
 * iowait is idle time, and steal has its own meter. */
static void meter_cpu(const struct top_view *v, const struct meter_def *d, struct meter_val *m)
{
	const struct rates *r = v->r;
	(void)d;
	if (!r || !r->valid) {
		snprintf(m->main, sizeof(m->main), "-");
		return;
	}
	const double *c = r->cpu_pct;
	m->pct = c[CPU_USER] + c[CPU_NICE] + c[CPU_SYSTEM] + c[CPU_IRQ] + c[CPU_SOFTIRQ];
	snprintf(m->main, sizeof(m->main), "%.1f%%", m->pct);
	snprintf(m->more, sizeof(m->more), "us %.0f sy %.0f wa %.0f x%d", c[CPU_USER] + c[CPU_NICE],
		 c[CPU_SYSTEM] + c[CPU_IRQ] + c[CPU_SOFTIRQ], c[CPU_IOWAIT], r->ncpu);
}

static void meter_steal(const struct top_view *v, const struct meter_def *d, struct meter_val *m)
{
	const struct rates *r = v->r;
	(void)d;
	if (!r || !r->valid) {
		snprintf(m->main, sizeof(m->main), "-");
		return;
	}
	m->pct = r->cpu_pct[CPU_STEAL];
	snprintf(m->main, sizeof(m->main), "%.1f%%", m->pct);
	if (r->steal_max_cpu >= 0)
		snprintf(m->more, sizeof(m->more), "max %.0f%% cpu%d", r->steal_max_pct,
			 r->steal_max_cpu);
}

/* Two columns of four: the left one what is used, the right one who waits. */
static const struct meter_def meters[] = {
	{"memory", "Mem", RES_MEMORY, 0, false, meter_mem},
	{"swap", "Swp", RES_SWAP, 0, false, meter_swap},
	{"cpu busy", "CPU", RES_CPU, 0, false, meter_cpu},
	{"cpu steal", "Stl", RES_CPU, 0, false, meter_steal},
	{"psi mem some", "MSom", RES_MEMORY, PSI_MEMORY, false, meter_psi},
	{"psi mem full", "MFul", RES_MEMORY, PSI_MEMORY, true, meter_psi},
	{"psi io full", "IFul", RES_IO, PSI_IO, true, meter_psi},
	{"psi cpu some", "CSom", RES_CPU, PSI_CPU, false, meter_psi},
};
#define NMETERS (sizeof(meters) / sizeof(meters[0]))

/* "label [||||||||       62.3% avail 1.2G/16G]" as htop draws it, the numbers at
 * the right end of the bar. */
static void draw_meter(const struct top_view *v, const struct meter_def *d, int y, int x, int w)
{
	struct meter_val m = {.pct = -1, .main = "n/a"};
	d->fill(v, d, &m);
	int lw = w >= 36 ? 13 : 5;
	int inner = w - lw - 2;
	put(y, x, lw, A_BOLD, w >= 36 ? d->label : d->shrt);
	if (inner < 1)
		return;
	if (inner >= LINE_CH)
		inner = LINE_CH - 1;
	char text[72], bar[LINE_CH];
	snprintf(text, sizeof(text), "%s%s%s", m.main, m.more[0] ? " " : "", m.more);
	if ((int)strlen(text) > inner)
		snprintf(text, sizeof(text), "%s", m.main);
	if ((int)strlen(text) > inner)
		text[0] = '\0';
	int tl = (int)strlen(text);
	int bars = !(m.pct > 0) ? 0 : m.pct >= 100 ? inner : (int)(m.pct / 100 * inner + 0.5);
	memset(bar, '|', (size_t)bars);
	bar[bars] = '\0';
	/* The text over the filled part is reversed, so the bar keeps its length. */
	int at = inner - tl, ov = bars - at < 0 ? 0 : bars - at;
	attr_t ba = grade_attr(res_grade(v, d->res));
	x += lw + 1;
	put(y, x - 1, 1, A_BOLD, "[");
	put(y, x, bars < at ? bars : at, ba, bar);
	snprintf(bar, sizeof(bar), "%.*s", ov, text);
	put(y, x + at, ov, ba | A_REVERSE, bar);
	put(y, x + at + ov, tl - ov, A_BOLD, text + ov);
	put(y, x + inner, 1, A_BOLD, "]");
}

static int draw_meters(const struct top_view *v, int y, int n)
{
	int ncol = tc.cols >= 40 ? 2 : 1;
	int per = ((int)NMETERS + ncol - 1) / ncol;
	int rows = per < n ? per : n;
	int cw = tc.cols / ncol;
	for (int i = 0; i < (int)NMETERS; i++) {
		int col = i / per, row = i % per;
		if (row < rows)
			draw_meter(v, &meters[i], y + row, col * cw, cw - (col < ncol - 1));
	}
	return rows > 0 ? rows : 0;
}

/* ---- lines of labelled values ---- */

/* A labelled value: the label plain, the value bold, or in the watch colour when
 * it counts something lost. The reasons of the grades reuse it. */
struct fields {
	struct {
		char lead[24], s[168];
		attr_t la, a;
	} f[16];
	size_t n;
};

static void field_put(struct fields *fs, attr_t la, const char *lead, attr_t a, const char *text)
{
	if (fs->n >= sizeof(fs->f) / sizeof(fs->f[0]))
		return;
	snprintf(fs->f[fs->n].lead, sizeof(fs->f[0].lead), "%s", lead);
	snprintf(fs->f[fs->n].s, sizeof(fs->f[0].s), "%s", text);
	fs->f[fs->n].la = la;
	fs->f[fs->n++].a = a;
}

static void field(struct fields *fs, bool bad, const char *lead, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void field(struct fields *fs, bool bad, const char *lead, const char *fmt, ...)
{
	char b[168];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	field_put(fs, A_NORMAL, lead, bad ? grade_attr(GRADE_WATCH) : A_BOLD, b);
}

/* Lays the fields out after head, wrapping between fields, on at most n rows. */
static int draw_fields(int y, int n, const char *head, const struct fields *fs)
{
	if (n <= 0 || (!head[0] && !fs->n))
		return 0;
	int ind = head[0] ? put(y, 0, 4, A_BOLD, head) + 1 : 0, x = ind, row = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const char *l = fs->f[i].lead;
		int w = (int)(strlen(l) + (l[0] != 0) + strlen(fs->f[i].s));
		if (x + w > tc.cols && x > ind) {
			if (++row >= n)
				return n;
			x = ind;
		}
		if (l[0])
			x += put(y + row, x, tc.cols - x, fs->f[i].la, l) + 1;
		x += put(y + row, x, tc.cols - x, fs->f[i].a, fs->f[i].s) + 2;
	}
	return row + 1;
}

/* ---- grades per resource ---- */

/* One line per resource with its reasons, on a screen with room for them. */
static int draw_res_lines(const struct top_view *v, int y, int n)
{
	int k = 0;
	for (int i = 0; i < RES__COUNT && k < n; i++, k++) {
		const struct pressure_sig *s = &v->p->sig[i];
		char g[16];
		put(y + k, 0, 8, A_BOLD, resource_name((enum resource)i));
		put(y + k, 8, 6, grade_attr(s->grade), grade_label(s->grade, g, sizeof(g)));
		put(y + k, 15, tc.cols - 15, A_NORMAL, s->why);
	}
	return k;
}

/* Resources not ok, worst first (skip_ok), or all in their usual order. */
static int res_order(const struct pressure *p, bool skip_ok, int *idx)
{
	int n = 0;
	for (int g = skip_ok ? GRADE_CRIT : GRADE_OK; g >= (skip_ok ? GRADE_WATCH : GRADE_OK); g--)
		for (int i = 0; i < RES__COUNT; i++)
			if (!skip_ok || (int)p->sig[i].grade == g)
				idx[n++] = i;
	return n;
}

/* A short screen: the grades on one line (when they do not all fit, those not
 * ok, worst first), then the reasons, worst first, wrapped on a few rows. */
static int draw_res_compact(const struct top_view *v, int y, int n)
{
	struct fields fs = {.n = 0}, why = {.n = 0};
	int idx[RES__COUNT], len = 0, k;
	char g[16];
	for (int i = 0; i < RES__COUNT; i++)
		len += (int)(strlen(resource_name((enum resource)i)) +
			     strlen(grade_name(v->p->sig[i].grade))) + 3;
	k = res_order(v->p, len > tc.cols, idx);
	for (int i = 0; i < k; i++) {
		enum grade gr = v->p->sig[idx[i]].grade;
		field_put(&fs, A_BOLD, resource_name((enum resource)idx[i]), grade_attr(gr),
			   grade_label(gr, g, sizeof(g)));
	}
	if (k < RES__COUNT)
		field_put(&fs, A_NORMAL, k ? "rest" : "all", grade_attr(GRADE_OK), "ok");
	k = res_order(v->p, true, idx);
	for (int i = 0; i < k; i++) {
		const struct pressure_sig *s = &v->p->sig[idx[i]];
		char lead[24];
		snprintf(lead, sizeof(lead), "%s:", resource_name((enum resource)idx[i]));
		if (s->why[0])
			field_put(&why, grade_attr(s->grade), lead, A_NORMAL, s->why);
	}
	int rows = tc.rows >= 30 ? 3 : tc.rows >= 20 ? 2 : 1;
	int used = draw_fields(y, 1, "", &fs);
	return used + draw_fields(y + used, rows < n - used ? rows : n - used, "", &why);
}

static int draw_res(const struct top_view *v, int y, int n)
{
	if (n <= 0)
		return 0;
	if (!v->p) {
		put(y, 0, tc.cols, A_NORMAL, "grades: not computed");
		return 1;
	}
	if (tc.rows >= 40 && n >= RES__COUNT)
		return draw_res_lines(v, y, n);
	return draw_res_compact(v, y, n);
}

/* Whether the kernel prints counter f: oom_kill came in 4.13, workingset_refault
 * in 3.15. Without a snapshot to ask, the rate is shown as it is. */
static bool vm_has(const struct top_view *v, enum vs_field f)
{
	return !v->snap || (v->snap->vm_ok && vmstat_has(&v->snap->vm, f));
}

/* One vm rate; "n/a" when the kernel has no such counter (never 0). */
static void vm_field(struct fields *fs, const struct top_view *v, const char *lead,
		     enum vs_field f, double rate, bool bad_if_any)
{
	char b[24];
	bool ok = v->r->valid;
	if (!vm_has(v, f))
		field(fs, false, lead, "n/a");
	else
		field(fs, bad_if_any && ok && rate > 0, lead, "%s", fmt_per_s(b, sizeof(b), ok, rate));
}

/* The paging and reclaim rates: swapping, stalls in direct reclaim, OOM kills
 * are highlighted whenever they happen. */
static int draw_vm(const struct top_view *v, int y, int n)
{
	const struct rates *r = v->r;
	struct fields fs = {.n = 0};
	if (!r) {
		field(&fs, false, "", "n/a");
		return draw_fields(y, n, "vm", &fs);
	}
	vm_field(&fs, v, "si", VS_PSWPIN, r->pswpin, true);
	vm_field(&fs, v, "so", VS_PSWPOUT, r->pswpout, true);
	vm_field(&fs, v, "majflt", VS_PGMAJFAULT, r->pgmajfault, false);
	vm_field(&fs, v, "dscan", VS_PGSCAN_DIRECT, r->pgscan_direct, true);
	vm_field(&fs, v, "stall", VS_ALLOCSTALL, r->allocstall, true);
	if (v->p && vm_has(v, VS_ALLOCSTALL))
		field(&fs, v->p->reclaims_min >= v->p->cfg.db_reclaims_min, "reclaims", "%.0f/min",
		      v->p->reclaims_min);
	vm_field(&fs, v, "refault", VS_WORKINGSET_REFAULT, r->refault, false);
	if (!vm_has(v, VS_OOM_KILL))
		field(&fs, false, "oom", "n/a");
	else if (r->valid)
		field(&fs, r->oom_kills > 0, "oom", "%" PRIu64, r->oom_kills);
	else
		field(&fs, false, "oom", "-");
	field(&fs, false, "run", "%" PRIu64, r->procs_running);
	field(&fs, r->procs_blocked > 0, "blk", "%" PRIu64, r->procs_blocked);
	return draw_fields(y, n, "vm", &fs);
}

/* Highlighted: counts that mean lost packets or connections, and TCP memory at
 * or past tcp_mem[1], where the kernel starts to shrink buffers
 * (Documentation/networking/ip-sysctl.rst, tcp_mem). */
static int draw_net(const struct top_view *v, int y, int n)
{
	const struct rates *r = v->r;
	struct fields fs = {.n = 0};
	char a[16];
	bool ok = r && r->valid;
	if (!r) {
		field(&fs, false, "", "n/a");
		return draw_fields(y, n, "net", &fs);
	}
	if (ok) {
		field(&fs, false, "rx", "%s/s", fmt_bytes(a, sizeof(a), r->rx_bytes));
		field(&fs, false, "tx", "%s/s", fmt_bytes(a, sizeof(a), r->tx_bytes));
	} else {
		field(&fs, false, "rx", "-");
		field(&fs, false, "tx", "-");
	}
	field(&fs, ok && r->rx_drop + r->tx_drop > 0, "drop", "%s",
	      fmt_per_s(a, sizeof(a), ok, r->rx_drop + r->tx_drop));
	field(&fs, ok && r->softnet_dropped > 0, "softnet drop", "%s",
	      fmt_per_s(a, sizeof(a), ok, r->softnet_dropped));
	field(&fs, false, "squeeze", "%s", fmt_per_s(a, sizeof(a), ok, r->softnet_squeezed));
	if (ok && r->softnet_top_cpu >= 0 && r->softnet_top_share > 0)
		field(&fs, false, "softnet on", "cpu%d %.0f%%", r->softnet_top_cpu,
		      r->softnet_top_share);
	field(&fs, ok && r->listen_overflows > 0, "listen ovf", "%s",
	      fmt_per_s(a, sizeof(a), ok, r->listen_overflows));
	if (r->tcp_mem_pct >= 0)
		field(&fs, r->tcp_mem_pct >= 100, "tcp_mem", "%.0f%%", r->tcp_mem_pct);
	else
		field(&fs, false, "tcp_mem", "-");
	if (r->conntrack_pct >= 0)
		field(&fs, r->conntrack_pct >= 100, "conntrack", "%.0f%%", r->conntrack_pct);
	if (ok)
		field(&fs, false, "retrans", "%.1f%%", r->retrans_pct);
	else
		field(&fs, false, "retrans", "-");
	return draw_fields(y, n, "net", &fs);
}

/* ---- disks ---- */

/* Picks up to max whole disks, busiest first, into idx; returns the count and
 * sets *nwhole to how many whole disks there are. */
static size_t disks_pick(const struct rates *r, size_t *idx, size_t max, size_t *nwhole)
{
	size_t n = 0;
	*nwhole = 0;
	for (size_t i = 0; i < r->ndisk; i++)
		*nwhole += r->disk[i].whole;
	while (n < max) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < r->ndisk; i++) {
			bool taken = false;
			for (size_t j = 0; j < n; j++)
				taken |= idx[j] == i;
			if (r->disk[i].whole && !taken &&
			    (best == SIZE_MAX || r->disk[i].util_pct > r->disk[best].util_pct))
				best = i;
		}
		if (best == SIZE_MAX)
			break;
		idx[n++] = best;
	}
	return n;
}

static void draw_disk(const struct top_view *v, const struct rate_disk *d, int y, attr_t a)
{
	char rs[16], ws[16], rk[16], wk[16];
	bool ok = v->r->valid && !d->fresh;
	if (!ok) {
		putf(y, 0, tc.cols, a, "%-10.10s %6s %7s %7s %8s %8s %7s %6s", d->name, "-", "-", "-",
		     "-", "-", "-", "-");
		return;
	}
	putf(y, 0, tc.cols, a, "%-10.10s %6.1f %7s %7s %8s %8s %7.1f %6.2f", d->name, d->util_pct,
	     fmt_count(rs, sizeof(rs), d->rd_ios), fmt_count(ws, sizeof(ws), d->wr_ios),
	     fmt_kib(rk, sizeof(rk), d->rd_kb), fmt_kib(wk, sizeof(wk), d->wr_kb), d->await_ms,
	     d->aqu_sz);
}

static int draw_disks(const struct top_view *v, int y, int n)
{
	size_t idx[16], nwhole, k;
	if (n <= 0 || !v->r)
		return 0;
	k = disks_pick(v->r, idx, n - 1 < 16 ? (size_t)(n - 1) : 16, &nwhole);
	if (nwhole == 0) {
		put(y, 0, tc.cols, A_NORMAL, "disks: none");
		return 1;
	}
	fill_row(y, head_attr());
	putf(y, 0, tc.cols, head_attr(), "%-10s %6s %7s %7s %8s %8s %7s %6s  %zu of %zu",
	     "DISK", "UTIL%", "R/S", "W/S", "READ/S", "WRITE/S", "AWAIT", "AQU-SZ", k, nwhole);
	for (size_t i = 0; i < k; i++) {
		/* The disk the grade is about carries its colour. */
		int g = (int)idx[i] == v->r->busiest_disk ? res_grade(v, RES_DISK) : -1;
		draw_disk(v, &v->r->disk[idx[i]], y + 1 + (int)i, g > GRADE_OK ? grade_attr(g) : 0);
	}
	return 1 + (int)k;
}

/* How many rows the disk panel gets from the n left: a few, so that the process
 * table below keeps most of a short screen. */
static int disk_rows(const struct top_view *v, int n)
{
	size_t nwhole = 0;
	if (!v->r)
		return 0;
	for (size_t i = 0; i < v->r->ndisk; i++)
		nwhole += v->r->disk[i].whole;
	int want = nwhole ? 1 + (int)(nwhole < 8 ? nwhole : 8) : 1;
	int cap = n >= 30 ? want : n >= 14 ? 4 : 2;
	cap = cap < want ? cap : want;
	return cap < n ? cap : n;
}

/* ---- processes ---- */

static void cell_pid(const struct proc_slot *s, char *b, size_t n, int w)
{
	(void)w;
	snprintf(b, n, "%" PRId32, s->pid);
}

static void cell_comm(const struct proc_slot *s, char *b, size_t n, int w)
{
	(void)w;
	snprintf(b, n, "%.*s", (int)sizeof(s->comm), s->comm);
}

static void cell_anon(const struct proc_slot *s, char *b, size_t n, int w)
{
	(void)w;
	fmt_kib(b, n, (double)s->anon_kb);
}

static void cell_swap(const struct proc_slot *s, char *b, size_t n, int w)
{
	(void)w;
	fmt_kib(b, n, (double)s->swap_kb);
}

static void cell_growth(const struct proc_slot *s, char *b, size_t n, int w)
{
	const char *t = fmt_slope(b, n, &s->est);
	(void)w;
	if (t != b)
		snprintf(b, n, "%s", t);
}

static void cell_trend(const struct proc_slot *s, char *b, size_t n, int w)
{
	(void)w;
	if (s->est.npts < 2)
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%+.2f", s->est.trend);
}

static void cell_tte(const struct proc_slot *s, char *b, size_t n, int w)
{
	const char *t = fmt_dur(b, n, s->tte);
	(void)w;
	if (t != b)
		snprintf(b, n, "%s", t);
}

/* "LEAK cg" when the cgroup limit, not the host, is what runs out first. */
static void cell_leak(const struct proc_slot *s, char *b, size_t n, int w)
{
	(void)w;
	snprintf(b, n, "%s", !s->est.leaking ? "" : s->cg_limited ? "LEAK cg" : "LEAK");
}

/* The last part of the path names the service or container; when the whole
 * path does not fit, that part is shown. */
static void cell_cgroup(const struct proc_slot *s, char *b, size_t n, int w)
{
	size_t len = strnlen(s->cgroup, sizeof(s->cgroup));
	const char *base = memrchr(s->cgroup, '/', len);
	if (!s->have_cgroup || !len)
		snprintf(b, n, "-");
	else if (len <= (size_t)w || !base || base == s->cgroup)
		snprintf(b, n, "%.*s", (int)len, s->cgroup);
	else
		snprintf(b, n, "..%.*s", (int)(len - (size_t)(base - s->cgroup)), base);
}

struct pcol {
	const char *head;
	int w;     /* 0: the rest of the line, at least 8 */
	bool right;
	int drop;  /* on a narrow screen the columns with the highest go first */
	void (*cell)(const struct proc_slot *s, char *b, size_t n, int w);
};

static const struct pcol pcols[] = {
	{"PID", 7, true, 0, cell_pid},
	{"COMM", 15, false, 0, cell_comm},
	{"ANON", 6, true, 0, cell_anon},      /* RssAnon: what a leak grows */
	{"SWAP", 6, true, 3, cell_swap},      /* VmSwap: where a leak goes under pressure */
	{"GROWTH", 10, true, 1, cell_growth}, /* Theil-Sen slope over the leak window */
	{"TREND", 5, true, 4, cell_trend},    /* consistency of the growth, -1 .. 1 */
	{"TTE", 6, true, 2, cell_tte},        /* time until the headroom is used up */
	{"", 7, false, 1, cell_leak},
	{"CGROUP", 0, false, 5, cell_cgroup},
};
#define NPCOLS (sizeof(pcols) / sizeof(pcols[0]))
#define PCOL_DROP_MAX 5

/* The highest drop level whose columns fit in the window; *rest gets the width
 * of the stretching column. */
static int pcols_fit(int *rest)
{
	for (int lvl = PCOL_DROP_MAX; lvl > 0; lvl--) {
		int w = -1;
		for (size_t i = 0; i < NPCOLS; i++)
			if (pcols[i].drop <= lvl)
				w += (pcols[i].w ? pcols[i].w : 8) + 1;
		if (w <= tc.cols) {
			*rest = tc.cols - w + 8;
			return lvl;
		}
	}
	*rest = 8;
	return 0;
}

static void draw_proc_row(const struct proc_slot *s, int y, int lvl, int rest, attr_t a)
{
	int x = 0;
	char b[128];
	if (a)
		fill_row(y, a);
	for (size_t i = 0; i < NPCOLS && x < tc.cols; i++) {
		const struct pcol *c = &pcols[i];
		int w = c->w ? c->w : rest;
		if (c->drop > lvl)
			continue;
		if (s) {
			c->cell(s, b, sizeof(b), w);
			put_in(y, x, w, a, b, c->right);
		} else {
			put_in(y, x, w, head_attr(), c->head, c->right);
		}
		x += w + 1;
	}
}

static bool slot_leaking(const struct procs *pr, size_t i)
{
	return pr->order[i] < pr->cap && pr->slot[pr->order[i]].est.leaking;
}

/* The largest processes in their order; when the rows run out before the list,
 * the leaking ones still get rows: they are why the table is there. */
static int draw_procs(const struct top_view *v, int y, int n)
{
	const struct procs *pr = v->procs;
	int rest, lvl = pcols_fit(&rest), k = 1;
	if (n <= 0)
		return 0;
	if (!pr) {
		put(y, 0, tc.cols, A_NORMAL, "processes: not read");
		return 1;
	}
	fill_row(y, head_attr());
	draw_proc_row(NULL, y, lvl, rest, 0);
	size_t want = (size_t)(n - 1), leaks = 0, shown_leaks = 0, shown_other = 0;
	for (size_t i = 0; i < pr->norder; i++)
		leaks += slot_leaking(pr, i);
	leaks = leaks < want ? leaks : want;
	for (size_t i = 0; i < pr->norder && k < n; i++) {
		if (pr->order[i] >= pr->cap)
			continue;
		const struct proc_slot *s = &pr->slot[pr->order[i]];
		if (s->est.leaking ? shown_leaks++ >= leaks : shown_other++ >= want - leaks)
			continue;
		draw_proc_row(s, y + k++, lvl, rest, s->est.leaking ? leak_attr() : 0);
	}
	if (k == 1 && n > 1)
		put(y + k++, 0, tc.cols, A_NORMAL, "no processes with anonymous memory");
	return k;
}

/* ---- kernel events ---- */

static int draw_events(const struct top_view *v, int y, int n)
{
	if (n <= 0)
		return 0;
	fill_row(y, head_attr());
	put(y, 0, tc.cols, head_attr(), v->events_on ? "KERNEL EVENTS" : "KERNEL EVENTS (off)");
	if (n < 2)
		return 1;
	if (!v->events_on) {
		put(y + 1, 0, tc.cols, A_NORMAL, v->events_off_why ? v->events_off_why : "not followed");
		return 2;
	}
	size_t ne = v->nevents < TOP_EVENTS ? v->nevents : TOP_EVENTS;
	if (ne == 0) {
		put(y + 1, 0, tc.cols, A_NORMAL, "none since start");
		return 2;
	}
	/* Newest last, as they arrived; on a short panel the oldest are left out. */
	size_t show = ne < (size_t)(n - 1) ? ne : (size_t)(n - 1);
	for (size_t i = 0; i < show; i++) {
		const struct top_event *e = &v->ev[ne - show + i];
		int row = y + 1 + (int)i;
		put(row, 0, 10, A_NORMAL, e->when);
		put(row, 11, 18, A_BOLD, e->category);
		put(row, 30, tc.cols - 30, A_NORMAL, e->text);
	}
	return 1 + (int)show;
}

/* Splits the rows left between the process table and the events: the table
 * first, but never so far that the events lose their last rows to blank ones. */
static int draw_lower(const struct top_view *v, int y, int n)
{
	size_t np = v->procs ? v->procs->norder : 0, ne = v->events_on ? v->nevents : 1;
	int pw = 1 + (int)(np > 0 ? np : 1), ew = 1 + (int)(ne > 0 ? ne : 1);
	int pr = n >= pw + ew ? pw : n - ew > 6 ? n - ew : (pw < 6 ? pw : 6);
	if (pr > n)
		pr = n;
	int used = draw_procs(v, y, pr);
	return used + draw_events(v, y + used, n - used);
}

/* ---- status line ---- */

/* Errors first: a file that stopped parsing makes a panel wrong. The counts and
 * the legend of '~' go when there is no room for them. */
static void draw_status(const struct top_view *v, int y)
{
	char right[128], d[16], err[LINE_CH] = "";
	size_t cap = sizeof(v->errv) / sizeof(v->errv[0]), ne = v->nerrv < cap ? v->nerrv : cap;
	int rw = 0, el = 0;
	for (size_t i = 0; i < ne && el < (int)sizeof(err); i++)
		if (v->errv[i])
			el += snprintf(err + el, sizeof(err) - (size_t)el, "%s%s", el ? "; " : "",
				       v->errv[i]);
	if (v->procs && !el)
		rw = snprintf(right, sizeof(right), "%zu procs, %zu untracked  ", v->procs->nprocs,
			      v->procs->untracked);
	if (v->leak && !el)
		rw += snprintf(right + rw, sizeof(right) - (size_t)rw, "~ less than %s seen  ",
			       fmt_dur(d, sizeof(d), v->leak->window));
	rw += snprintf(right + rw, sizeof(right) - (size_t)rw, "q quit");
	if (rw + 20 > tc.cols)
		rw = snprintf(right, sizeof(right), "q quit");
	if (rw + 2 > tc.cols)
		rw = 0;
	if (rw)
		put(y, tc.cols - rw - 1, rw, A_NORMAL, right);
	int w = tc.cols - (rw ? rw + 2 : 0);
	if (el)
		putf(y, 0, w, grade_attr(GRADE_WATCH), "errors: %s", err);
	else if (v->r && !v->r->valid)
		put(y, 0, w, A_NORMAL, "first sample: rates from the next one");
}

/* ---- the public four ---- */

static void colors_init(void)
{
	short bg = COLOR_BLACK;
	if (use_default_colors() == OK)
		bg = -1;
	init_pair(P_OK, COLOR_GREEN, bg);
	init_pair(P_WATCH, COLOR_YELLOW, bg);
	init_pair(P_HIGH, COLOR_MAGENTA, bg);
	init_pair(P_CRIT, COLOR_RED, bg);
	init_pair(P_HEAD, COLOR_BLACK, COLOR_CYAN);
	init_pair(P_LEAK, COLOR_RED, bg);
}

void top_curses_stop(void)
{
	if (!tc.scr)
		return;
	endwin();
	delscreen(tc.scr);
	tc.scr = NULL;
}

int top_curses_start(void)
{
	if (tc.scr)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	/* Only LC_CTYPE: curses needs it for UTF-8 names, while numbers elsewhere
	 * (JSON, batch lines) keep their '.' decimal point. */
	setlocale(LC_CTYPE, "");
	/* The terminal is checked on its own first: newterm on an unknown TERM
	 * loses memory (ncurses 6.4), and initscr would exit the process. One that
	 * cannot place the cursor (TERM=dumb) would get frames run together; the
	 * caller prints batch lines instead. */
	int err;
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return -1;
	const char *cup = tigetstr("cup");
	bool addressable = cup && cup != (const char *)-1;
	del_curterm(cur_term);
	if (!addressable)
		return -1;
	tc.scr = newterm(NULL, stdout, stdin);
	if (!tc.scr)
		return -1;
	set_term(tc.scr);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	tc.color = has_colors() && start_color() == OK;
	if (tc.color)
		colors_init();
	return 0;
}

void top_curses_draw(const struct top_view *v)
{
	if (!tc.scr || !v)
		return;
	getmaxyx(stdscr, tc.rows, tc.cols);
	erase();
	if (tc.rows > 0 && tc.cols > 0) {
		int bottom = tc.rows - 1, y = 1; /* the last row is the status line */
		draw_title(v);
		y += draw_meters(v, y, bottom - y);
		y += draw_res(v, y, bottom - y);
		y += draw_vm(v, y, bottom - y > 2 ? 2 : bottom - y);
		y += draw_net(v, y, bottom - y > 2 ? 2 : bottom - y);
		y += draw_disks(v, y, disk_rows(v, bottom - y));
		draw_lower(v, y, bottom - y);
		if (tc.rows > 1)
			draw_status(v, bottom);
	}
	refresh();
}

int top_curses_wait(int ms)
{
	if (!tc.scr)
		return 0;
	timeout(ms > 0 ? ms : 0);
	int c = getch();
	switch (c) {
	case ERR: /* the time is up, or a signal arrived */
		return 0;
	case 'q':
	case 'Q':
		return 'q';
	case 'L' - '@': /* ^L: the screen was scribbled on; repaint it all */
		clearok(curscr, TRUE);
		return c;
	default: /* KEY_RESIZE among them: the caller draws again */
		return c;
	}
}
