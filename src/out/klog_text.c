// SPDX-License-Identifier: MIT
/* kres log for people: a timeline of events, and a summary per category with what
 * each means and what to do. Log text is hostile: it is printed escaped. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "out/klog_out.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* "2024-03-05 10:21:33" (UTC with a Z when the source said UTC), else "[ 7712.345678]". */
static void put_time(struct buf *b, int64_t wall, bool utc, int64_t mono, bool pad)
{
	if (wall >= 0) {
		time_t t = (time_t)(wall / 1000000);
		struct tm tm;
		char s[32];
		gmtime_r(&t, &tm);
		strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
		buf_appendf(b, "%s%s", s, utc ? "Z" : pad ? " " : "");
	} else if (mono >= 0) {
		buf_appendf(b, "[%5" PRId64 ".%06" PRId64 "]%s", mono / 1000000, mono % 1000000,
			    pad ? "    " : "");
	} else {
		buf_appendf(b, pad ? "%-20s" : "%s", "-");
	}
}

void klog_out_event_text(struct buf *b, const struct klog_catalog *c, const struct klog_event *ev,
			 bool verbose)
{
	const struct klog_sig *s = &c->sigs[ev->sig];
	put_time(b, ev->first_wall, ev->wall_utc, ev->first_mono, true);
	buf_appendf(b, " %-8s %-18s ", klog_sev_name(ev->sev), ev->category);
	size_t n = strlen(ev->message);
	buf_put_escaped(b, ev->message, n > 200 ? 200 : n);
	if (ev->facility > 0)
		buf_puts(b, " (written by a user process)");
	buf_puts(b, "\n");
	buf_appendf(b, "%20s", "");
	if (ev->count > 1) {
		buf_appendf(b, " %" PRIu64 " times until ", ev->count);
		put_time(b, ev->last_wall, ev->wall_utc, ev->last_mono, false);
		buf_puts(b, ";");
	}
	if (ev->suppressed)
		buf_appendf(b, " +%" PRIu64 " suppressed by the kernel's rate limit;", ev->suppressed);
	buf_appendf(b, " %s", s->id);
	for (size_t i = 0; i < ev->nfields; i++) {
		buf_appendf(b, " %s=", ev->fields[i].name);
		buf_put_escaped(b, ev->fields[i].val, strlen(ev->fields[i].val));
	}
	if (ev->nframes) {
		buf_puts(b, " frames=");
		for (size_t i = 0; i < ev->nframes; i++) {
			if (i)
				buf_putc(b, ',');
			buf_put_escaped(b, ev->frames[i], strlen(ev->frames[i]));
		}
	}
	buf_puts(b, "\n");
	if (verbose && s->explain) {
		buf_appendf(b, "%20s means: %s\n%20s do:    %s\n", "", s->explain, "", s->remedy);
		if (s->checks.n) {
			buf_appendf(b, "%20s check:", "");
			for (size_t i = 0; i < s->checks.n; i++)
				buf_appendf(b, " %s", s->checks.v[i]);
			buf_puts(b, " (kres check)\n");
		}
	}
}

static uint64_t input_lines(const struct klog_input_info *in, size_t nin)
{
	uint64_t n = 0;
	for (size_t i = 0; i < nin; i++)
		n += in[i].st.lines;
	return n;
}

void klog_out_footer_text(struct buf *b, const struct klog_fold *f,
			  const struct klog_input_info *in, size_t nin, const struct klog_totals *t)
{
	buf_appendf(b, "%" PRIu64 " lines read from %zu input%s: %" PRIu64 " events", input_lines(in, nin),
		    nin, nin == 1 ? "" : "s", t->events);
	if (f->n && f->n != t->events)
		buf_appendf(b, " (%zu after folding repeats)", f->n);
	buf_puts(b, "\n");
	if (t->suppressed)
		buf_appendf(b, "%" PRIu64 " messages were suppressed by kernel rate limits: counts are "
			       "lower bounds\n", t->suppressed);
	if (t->lost)
		buf_appendf(b, "%" PRIu64 " records were lost before kres read them: counts are lower "
			       "bounds\n", t->lost);
	if (t->overflow)
		buf_appendf(b, "%" PRIu64 " events were not kept (more than %d distinct events)\n",
			    t->overflow, KLOG_FOLD_MAX);
}

static int catrow_cmp(const void *a, const void *b)
{
	const struct klog_catrow *x = a, *y = b;
	if (x->sev != y->sev)
		return x->sev > y->sev ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->category, y->category);
}

/* Builds the category rows (caller frees). */
struct klog_catrow *klog_out_category_rows(const struct klog_catalog *c, const struct klog_fold *f,
				    size_t *nrows)
{
	struct klog_catrow *rows = xcalloc(f->n ? f->n : 1, sizeof(*rows));
	uint64_t *sigcount = xcalloc(c->nsigs ? c->nsigs : 1, sizeof(*sigcount));
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		sigcount[f->ev[i]->sig] += f->ev[i]->count;
	for (size_t i = 0; i < f->n; i++) {
		const struct klog_event *e = f->ev[i];
		size_t k = 0;
		while (k < n && strcmp(rows[k].category, e->category))
			k++;
		if (k == n)
			rows[n++] = (struct klog_catrow){.category = e->category, .sev = e->sev};
		struct klog_catrow *r = &rows[k];
		r->count += e->count;
		r->suppressed += e->suppressed;
		if (e->sev > r->sev)
			r->sev = e->sev;
		if (sigcount[e->sig] > r->top_count) {
			r->top_count = sigcount[e->sig];
			r->top_sig = e->sig;
		}
	}
	free(sigcount);
	qsort(rows, n, sizeof(*rows), catrow_cmp);
	*nrows = n;
	return rows;
}

void klog_out_summary_text(struct buf *b, const struct klog_catalog *c, const struct klog_fold *f,
			   const struct klog_input_info *in, size_t nin, const struct klog_totals *t)
{
	size_t n;
	struct klog_catrow *rows = klog_out_category_rows(c, f, &n);
	if (!n)
		buf_puts(b, "no known faults found\n");
	for (size_t i = 0; i < n; i++) {
		const struct klog_sig *s = &c->sigs[rows[i].top_sig];
		buf_appendf(b, "%-20s %-8s %6" PRIu64, rows[i].category, klog_sev_name(rows[i].sev),
			    rows[i].count);
		if (rows[i].suppressed)
			buf_appendf(b, " (+%" PRIu64 " suppressed)", rows[i].suppressed);
		buf_puts(b, "\n");
		if (s->explain)
			buf_appendf(b, "    means: %s\n    do:    %s\n", s->explain, s->remedy);
		if (s->checks.n) {
			buf_puts(b, "    check:");
			for (size_t k = 0; k < s->checks.n; k++)
				buf_appendf(b, " %s", s->checks.v[k]);
			buf_puts(b, " (kres check)\n");
		}
	}
	free(rows);
	klog_out_footer_text(b, f, in, nin, t);
}

