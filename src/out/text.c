// SPDX-License-Identifier: MIT
/* The text report of kres check: a header naming the host and its servers, the
 * findings grouped by area (details for problems, one line for the rest), the
 * persistent fixes collected per file, and a closing summary line. */
#include "out/out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "host/nfsd.h"
#include "workload/mysql.h"
#include "workload/netsvc.h"
#include "workload/redis.h"
#include "util/banned.h"

#define RED "\033[31m"
#define YEL "\033[33m"
#define GRN "\033[32m"
#define CYN "\033[36m"
#define DIM "\033[2m"
#define BLD "\033[1m"
#define RST "\033[0m"

static void color(struct buf *b, const struct out_opts *o, const char *c, const char *s)
{
	if (o->color)
		buf_appendf(b, "%s%s%s", c, s, RST);
	else
		buf_puts(b, s);
}

/* A fixed-width label for the outcome, e.g. "CRIT", "ok". */
static void label(struct buf *b, const struct out_opts *o, const struct finding *f)
{
	static const char *const fail[] = {"INFO", "LOW ", "MED ", "HIGH", "CRIT"};
	static const char *const fcol[] = {CYN, CYN, YEL, RED, RED};
	switch (f->status) {
	case FS_FAIL: color(b, o, fcol[f->sev], fail[f->sev]); break;
	case FS_OK: color(b, o, GRN, "ok  "); break;
	case FS_INFO: color(b, o, CYN, "info"); break;
	case FS_SKIP: color(b, o, DIM, "skip"); break;
	case FS_UNKNOWN: color(b, o, YEL, "UNKN"); break;
	}
}

/* Prints "          name  text", indenting continuation lines of text. */
static void detail(struct buf *b, const char *name, const char *text)
{
	if (!text || !text[0])
		return;
	buf_appendf(b, "        %-9s ", name);
	for (const char *p = text; *p; p++) {
		buf_putc(b, *p);
		if (*p == '\n' && p[1])
			buf_puts(b, "                  ");
	}
	buf_putc(b, '\n');
}

static void finding_text(struct buf *b, const struct out_opts *o, const struct finding *f)
{
	buf_puts(b, "  ");
	label(b, o, f);
	buf_appendf(b, "  %-7s %s: %s\n", f->rule->id, f->subject, f->summary);
	bool full = f->status == FS_FAIL || f->status == FS_UNKNOWN || o->verbose;
	if (!full)
		return;
	detail(b, "observed", f->observed);
	detail(b, "read from", f->source);
	detail(b, "required", f->required);
	detail(b, "formula", f->formula);
	if (f->status == FS_FAIL)
		detail(b, "why", f->why ? f->why : f->rule->why);
	detail(b, "fix now", f->fix_runtime);
	if (f->fix_file) {
		char *t = xasprintf("%s:\n%s", f->fix_file, f->fix_persist ? f->fix_persist : "");
		detail(b, "persist", t);
		free(t);
	}
	detail(b, "note", f->note);
	if (f->status == FS_FAIL || o->verbose)
		detail(b, "source", f->rule->src);
}

static void header(const struct check_ctx *c, const struct out_opts *o, struct buf *b)
{
	const struct host *h = c->h;
	color(b, o, BLD, "kres check");
	buf_appendf(b, " %s: %s%s%s, %s\n", h->hostname[0] ? h->hostname : "(unknown host)",
		    h->release[0] ? "kernel " : "", h->release, h->release[0] ? "" : "kernel unknown",
		    h->virt.kind == VIRT_NONE ? "bare metal" : virt_name(h->virt.kind));
	for (size_t i = 0; i < c->npg; i++) {
		char s[320];
		pg_subject(&c->pg[i], s, sizeof(s));
		buf_appendf(b, "service: %s, config %s%s\n", s,
			    c->pg[i].conffile[0] ? c->pg[i].conffile : "unknown",
			    c->pg[i].overridden ? " (what if: settings overridden with --set)" : "");
	}
	for (size_t i = 0; i < c->nmy; i++) {
		char s[320];
		my_subject(&c->my[i], s, sizeof(s));
		buf_appendf(b, "service: %s, config %s%s\n", s,
			    c->my[i].conffile[0] ? c->my[i].conffile : "none",
			    c->my[i].overridden ? " (what if: settings overridden with --set)" : "");
	}
	for (size_t i = 0; i < c->nrd; i++) {
		char s[320];
		rd_subject(&c->rd[i], s, sizeof(s));
		buf_appendf(b, "service: %s, config %s%s\n", s,
			    c->rd[i].conffile[0] ? c->rd[i].conffile : "not found",
			    c->rd[i].overridden ? " (what if: settings overridden with --set)" : "");
	}
	for (size_t i = 0; i < c->nnet; i++) {
		char s[320];
		netsvc_subject(&c->netsvc[i], s, sizeof(s));
		buf_appendf(b, "service: %s\n", s);
	}
	if (c->nfsd_running)
		buf_appendf(b, "service: kernel NFS server, %u threads\n", c->nfsd->threads);
	if (!check_ndb(c) && !c->nnet && !c->nfsd_running)
		buf_puts(b, "service: no server found (use --workload and --conf to audit a configuration)\n");
}

/* One persistent-fix file with its lines, duplicates dropped. */
struct fixfile {
	const char *file;
	struct strlist lines;
};

static void add_lines(struct fixfile *ff, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n);
		bool dup = false;
		for (size_t i = 0; i < ff->lines.n && !dup; i++)
			dup = !strcmp(ff->lines.v[i], line);
		if (!dup)
			strlist_push(&ff->lines, line);
		free(line);
		p += n + (nl ? 1 : 0);
	}
}

static void fixes(const struct check_ctx *c, const struct out_opts *o, struct buf *b)
{
	struct fixfile ff[32];
	size_t n = 0;
	for (size_t i = 0; i < c->nf; i++) {
		const struct finding *f = &c->f[i];
		if (f->status != FS_FAIL || !f->fix_file || f->fix_file[0] != '/' || !f->fix_persist)
			continue;
		size_t k = 0;
		while (k < n && strcmp(ff[k].file, f->fix_file))
			k++;
		if (k == n) {
			if (n == 32)
				continue;
			ff[n].file = f->fix_file;
			memset(&ff[n].lines, 0, sizeof(ff[n].lines));
			n++;
		}
		add_lines(&ff[k], f->fix_persist);
	}
	if (!n)
		return;
	buf_putc(b, '\n');
	color(b, o, BLD, "Persistent fixes, collected per file");
	buf_putc(b, '\n');
	for (size_t k = 0; k < n; k++) {
		buf_appendf(b, "  %s\n", ff[k].file);
		for (size_t i = 0; i < ff[k].lines.n; i++)
			buf_appendf(b, "    %s\n", ff[k].lines.v[i]);
		strlist_release(&ff[k].lines);
	}
}

void out_text(const struct check_ctx *c, const struct out_opts *o, struct buf *b)
{
	header(c, o, b);
	const char *area = NULL;
	for (size_t i = 0; i < c->nf; i++) {
		const struct finding *f = &c->f[i];
		if (f->quiet && !o->verbose)
			continue;
		if (!area || strcmp(area, f->rule->area)) {
			area = f->rule->area;
			buf_putc(b, '\n');
			color(b, o, BLD, area);
			buf_putc(b, '\n');
		}
		finding_text(b, o, f);
	}
	fixes(c, o, b);
	struct out_counts n;
	out_count(c, &n);
	int code = check_exit_code(c);
	buf_appendf(b, "\n%s: %u critical, %u high, %u medium, %u low, %u ok, %u info, %u skipped, %u unknown\n",
		    out_state_name(code), n.crit, n.high, n.medium, n.low, n.ok, n.info, n.skip,
		    n.unknown);
}
