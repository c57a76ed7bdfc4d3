// SPDX-License-Identifier: MIT
/* kres top's batch lines (vmstat-like) and JSON lines (docs/top-json.md). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "out/top_out.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/banned.h"

void top_batch_header(FILE *out)
{
	fprintf(out, "%-8s %5s %7s %5s %6s %6s %6s %6s %6s %5s %5s %5s %5s %3s %3s %3s %3s %3s %3s %8s %8s %6s %6s %5s %6s %-5s\n",
		"time", "mem%", "availMB", "swap%", "si/s", "so/s", "majf/s", "scan/s", "recl/m", "psiMs", "psiMf",
		"psiIf", "psiCs", "us", "sy", "wa", "st", "r", "b", "rxKB/s", "txKB/s", "drop/s", "sqz/s", "util%",
		"await", "grade");
}

static void clock_str(const struct top_view *v, char *b, size_t n)
{
	struct tm tm;
	time_t w = (time_t)v->snap->wall;
	if (w > 0 && localtime_r(&w, &tm))
		strftime(b, n, "%H:%M:%S", &tm);
	else
		snprintf(b, n, "%.1f", v->snap->t);
}

/* A rate column: "-" before there is a rate. */
static void col(FILE *out, bool ok, int width, int prec, double x)
{
	if (!ok || x < 0)
		fprintf(out, " %*s", width, "-");
	else
		fprintf(out, " %*.*f", width, prec, x);
}

void top_batch_line(FILE *out, const struct top_view *v)
{
	const struct rates *r = v->r;
	bool ok = r->valid;
	char tb[32];
	clock_str(v, tb, sizeof(tb));
	fprintf(out, "%-8s", tb);
	col(out, true, 5, 1, r->mem_used_pct);
	col(out, true, 7, 0, (double)r->mem_avail_kb / 1024);
	col(out, true, 5, 1, r->swap_used_pct);
	col(out, ok, 6, 0, r->pswpin);
	col(out, ok, 6, 0, r->pswpout);
	col(out, ok, 6, 0, r->pgmajfault);
	col(out, ok, 6, 0, r->pgscan_direct + r->pgscan_kswapd);
	col(out, ok, 6, 0, v->p->reclaims_min);
	col(out, ok && r->psi_ok[PSI_MEMORY], 5, 1, r->psi_some[PSI_MEMORY]);
	col(out, ok && r->psi_ok[PSI_MEMORY], 5, 1, r->psi_full[PSI_MEMORY]);
	col(out, ok && r->psi_ok[PSI_IO], 5, 1, r->psi_full[PSI_IO]);
	col(out, ok && r->psi_ok[PSI_CPU], 5, 1, r->psi_some[PSI_CPU]);
	col(out, ok && r->ncpu, 3, 0, r->cpu_pct[CPU_USER] + r->cpu_pct[CPU_NICE]);
	col(out, ok && r->ncpu, 3, 0, r->cpu_pct[CPU_SYSTEM] + r->cpu_pct[CPU_IRQ] + r->cpu_pct[CPU_SOFTIRQ]);
	col(out, ok && r->ncpu, 3, 0, r->cpu_pct[CPU_IOWAIT]);
	col(out, ok && r->ncpu, 3, 0, r->cpu_pct[CPU_STEAL]);
	fprintf(out, " %3" PRIu64 " %3" PRIu64, r->procs_running, r->procs_blocked);
	col(out, ok, 8, 0, r->rx_bytes / 1024);
	col(out, ok, 8, 0, r->tx_bytes / 1024);
	col(out, ok, 6, 0, r->rx_drop + r->tx_drop + r->softnet_dropped);
	col(out, ok, 6, 0, r->softnet_squeezed);
	bool d = ok && r->busiest_disk >= 0;
	col(out, d, 5, 1, d ? r->disk[r->busiest_disk].util_pct : 0);
	col(out, d, 6, 1, d ? r->disk[r->busiest_disk].await_ms : 0);
	fprintf(out, " %-5s\n", grade_name(v->p->grade));
}

static void human_dur(char *b, size_t n, double s)
{
	if (s < 0)
		snprintf(b, n, "-");
	else if (s < 120)
		snprintf(b, n, "%.0fs", s);
	else if (s < 7200)
		snprintf(b, n, "%.0fm", s / 60);
	else if (s < 172800)
		snprintf(b, n, "%.1fh", s / 3600);
	else
		snprintf(b, n, "%.1fd", s / 86400);
}

void top_batch_notes(FILE *out, const struct top_view *v)
{
	const struct procs *pr = v->procs;
	if (v->p->grade != GRADE_OK && v->p->why[0])
		fprintf(out, "  %s %s: %s\n", profile_name(v->p->prof), grade_name(v->p->grade), v->p->why);
	for (int i = RES_SWAP; i < RES__COUNT; i++)
		if (v->p->sig[i].grade != GRADE_OK)
			fprintf(out, "  %s %s: %s\n", resource_name((enum resource)i),
				grade_name(v->p->sig[i].grade), v->p->sig[i].why);
	for (size_t i = 0; pr && i < pr->norder; i++) {
		const struct proc_slot *s = &pr->slot[pr->order[i]];
		if (!s->est.leaking)
			continue;
		char d[32];
		human_dur(d, sizeof(d), s->tte);
		fprintf(out, "  leak: pid %d (%s) anon+swap %" PRIu64 " MiB, +%.0f KiB/min, exhausts %s in %s\n",
			s->pid, s->comm, (s->anon_kb + s->swap_kb) / 1024, s->est.slope * 60,
			s->cg_limited ? "its cgroup limit" : "MemAvailable", d);
	}
	for (size_t i = 0; i < v->nerrv; i++)
		fprintf(out, "  error: %s\n", v->errv[i]);
}

/* ---- JSON ---- */

static void num(struct json *j, const char *k, bool ok, double x)
{
	json_key(j, k);
	if (!ok || !isfinite(x))
		json_null(j);
	else
		json_fixed(j, (int64_t)llround(x * 1000), 1000, 3);
}

static void psi_obj(struct json *j, const struct rates *r, int res)
{
	static const char *const names[] = {"cpu", "memory", "io"};
	json_key(j, names[res]);
	if (!r->psi_ok[res]) {
		json_null(j);
		return;
	}
	json_obj_begin(j);
	num(j, "some", r->valid, r->psi_some[res]);
	num(j, "full", r->valid, r->psi_full[res]);
	num(j, "some_avg10", true, r->psi_some_avg10[res]);
	num(j, "full_avg10", true, r->psi_full_avg10[res]);
	json_obj_end(j);
}

void top_json_line(FILE *out, const struct top_view *v)
{
	static struct buf b; /* reused: its capacity stays from line to line */
	const struct rates *r = v->r;
	const struct pressure *p = v->p;
	bool ok = r->valid;
	struct json j;
	buf_reset(&b);
	json_init(&j, &b, false);
	json_obj_begin(&j);
	json_kv_uint(&j, "seq", v->snap->seq);
	num(&j, "t", true, v->snap->t);
	num(&j, "dt", ok, r->dt);
	char tb[32] = "";
	time_t w = (time_t)v->snap->wall;
	struct tm tm;
	if (w > 0 && gmtime_r(&w, &tm))
		strftime(tb, sizeof(tb), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_kv_str(&j, "time", tb[0] ? tb : NULL);
	json_kv_str(&j, "profile", profile_name(p->prof));
	json_kv_str(&j, "grade", grade_name(p->grade));
	json_kv_str(&j, "why", p->why);
	json_key(&j, "resources");
	json_obj_begin(&j);
	for (int i = 0; i < RES__COUNT; i++) {
		json_key(&j, resource_name((enum resource)i));
		json_obj_begin(&j);
		json_kv_str(&j, "grade", grade_name(p->sig[i].grade));
		json_kv_str(&j, "why", p->sig[i].why);
		json_obj_end(&j);
	}
	json_obj_end(&j);

	json_key(&j, "memory");
	json_obj_begin(&j);
	json_kv_uint(&j, "total_kb", r->mem_total_kb);
	json_kv_uint(&j, "available_kb", r->mem_avail_kb);
	json_kv_bool(&j, "available_estimated", !r->have_avail);
	num(&j, "used_pct", true, r->mem_used_pct);
	json_kv_uint(&j, "swap_total_kb", r->swap_total_kb);
	json_kv_uint(&j, "swap_used_kb", r->swap_used_kb);
	num(&j, "swap_used_pct", true, r->swap_used_pct);
	json_obj_end(&j);

	/* A counter this kernel does not print is null, not 0 (oom_kill before 4.13,
	 * workingset_refault before 3.15). */
	const struct vmstat *vs = &v->snap->vm;
#define VM(k, f, x) num(&j, k, ok && v->snap->vm_ok && vmstat_has(vs, f), x)
	json_key(&j, "vm");
	json_obj_begin(&j);
	VM("pswpin", VS_PSWPIN, r->pswpin);
	VM("pswpout", VS_PSWPOUT, r->pswpout);
	VM("pgfault", VS_PGFAULT, r->pgfault);
	VM("pgmajfault", VS_PGMAJFAULT, r->pgmajfault);
	VM("pgscan_kswapd", VS_PGSCAN_KSWAPD, r->pgscan_kswapd);
	VM("pgscan_direct", VS_PGSCAN_DIRECT, r->pgscan_direct);
	num(&j, "pgsteal",
	    ok && v->snap->vm_ok &&
		((vmstat_has(vs, VS_PGSTEAL_ANON) && vmstat_has(vs, VS_PGSTEAL_FILE)) ||
		 vmstat_has(vs, VS_PGSTEAL_KSWAPD) || vmstat_has(vs, VS_PGSTEAL_DIRECT)),
	    r->pgsteal);
	VM("allocstall", VS_ALLOCSTALL, r->allocstall);
	VM("refault", VS_WORKINGSET_REFAULT, r->refault);
#undef VM
	json_key(&j, "oom_kills");
	if (ok && v->snap->vm_ok && vmstat_has(vs, VS_OOM_KILL))
		json_uint(&j, r->oom_kills);
	else
		json_null(&j);
	num(&j, "reclaims_min", ok, p->reclaims_min);
	json_obj_end(&j);

	json_key(&j, "psi");
	json_obj_begin(&j);
	for (int i = 0; i < PSI__RES; i++)
		psi_obj(&j, r, i);
	json_obj_end(&j);

	static const char *const modes[] = {"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"};
	bool c = ok && r->ncpu > 0;
	json_key(&j, "cpu");
	json_obj_begin(&j);
	json_kv_int(&j, "n", r->ncpu);
	for (int m = 0; m < 8; m++)
		num(&j, modes[m], c, r->cpu_pct[m]);
	json_key(&j, "steal_max_cpu");
	if (c && r->steal_max_cpu >= 0)
		json_int(&j, r->steal_max_cpu);
	else
		json_null(&j);
	num(&j, "steal_max_pct", c && r->steal_max_cpu >= 0, r->steal_max_pct);
	num(&j, "ctxt", ok, r->ctxt);
	num(&j, "forks", ok, r->forks);
	json_kv_uint(&j, "running", r->procs_running);
	json_kv_uint(&j, "blocked", r->procs_blocked);
	json_key(&j, "per_cpu");
	json_arr_begin(&j);
	for (size_t i = 0; ok && i < r->ncpu_rows; i++) {
		const struct rate_cpu *rc = &r->cpu[i];
		json_obj_begin(&j);
		json_kv_int(&j, "cpu", rc->id);
		num(&j, "user", true, rc->pct[CPU_USER]);
		num(&j, "system", true, rc->pct[CPU_SYSTEM]);
		num(&j, "idle", true, rc->pct[CPU_IDLE]);
		num(&j, "iowait", true, rc->pct[CPU_IOWAIT]);
		num(&j, "steal", true, rc->pct[CPU_STEAL]);
		num(&j, "softirq", true, rc->pct[CPU_SOFTIRQ]);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);

	json_key(&j, "net");
	json_obj_begin(&j);
	num(&j, "rx_bytes", ok, r->rx_bytes);
	num(&j, "tx_bytes", ok, r->tx_bytes);
	num(&j, "rx_packets", ok, r->rx_packets);
	num(&j, "tx_packets", ok, r->tx_packets);
	num(&j, "rx_drop", ok, r->rx_drop);
	num(&j, "tx_drop", ok, r->tx_drop);
	num(&j, "rx_errs", ok, r->rx_errs);
	num(&j, "tx_errs", ok, r->tx_errs);
	bool sn = ok && v->snap->softnet.ok;
	num(&j, "softnet_processed", sn, r->softnet_processed);
	num(&j, "softnet_dropped", sn, r->softnet_dropped);
	num(&j, "softnet_squeezed", sn, r->softnet_squeezed);
	json_key(&j, "softnet_top_cpu");
	if (sn && r->softnet_top_cpu >= 0)
		json_int(&j, r->softnet_top_cpu);
	else
		json_null(&j);
	num(&j, "softnet_top_share", sn && r->softnet_top_cpu >= 0, r->softnet_top_share);
	bool tx = ok && v->snap->tcpx.ok;
	num(&j, "listen_overflows", tx, r->listen_overflows);
	num(&j, "listen_drops", tx, r->listen_drops);
	num(&j, "backlog_drop", tx, r->backlog_drop);
	num(&j, "prune_called", tx, r->prune_called);
	num(&j, "tcp_mem_pressures", tx, r->mem_pressures);
	num(&j, "retrans_pct", tx, r->retrans_pct);
	num(&j, "tcp_mem_pct", r->tcp_mem_pct >= 0, r->tcp_mem_pct);
	num(&j, "conntrack_pct", r->conntrack_pct >= 0, r->conntrack_pct);
	json_key(&j, "devices");
	json_arr_begin(&j);
	for (size_t i = 0; i < r->nnet; i++) {
		const struct rate_net *n = &r->net[i];
		bool f = ok && !n->fresh;
		json_obj_begin(&j);
		json_kv_str(&j, "name", n->name);
		num(&j, "rx_bytes", f, n->rx_bytes);
		num(&j, "tx_bytes", f, n->tx_bytes);
		num(&j, "rx_packets", f, n->rx_packets);
		num(&j, "tx_packets", f, n->tx_packets);
		num(&j, "rx_drop", f, n->rx_drop);
		num(&j, "tx_drop", f, n->tx_drop);
		num(&j, "rx_errs", f, n->rx_errs);
		num(&j, "tx_errs", f, n->tx_errs);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);

	json_key(&j, "disks");
	json_arr_begin(&j);
	for (size_t i = 0; i < r->ndisk; i++) {
		const struct rate_disk *d = &r->disk[i];
		if (!d->whole)
			continue;
		bool f = ok && !d->fresh;
		json_obj_begin(&j);
		json_kv_str(&j, "name", d->name);
		num(&j, "r_s", f, d->rd_ios);
		num(&j, "w_s", f, d->wr_ios);
		num(&j, "rkb_s", f, d->rd_kb);
		num(&j, "wkb_s", f, d->wr_kb);
		num(&j, "util_pct", f, d->util_pct);
		num(&j, "await_ms", f, d->await_ms);
		num(&j, "r_await_ms", f, d->r_await_ms);
		num(&j, "w_await_ms", f, d->w_await_ms);
		num(&j, "aqu_sz", f, d->aqu_sz);
		json_kv_uint(&j, "in_flight", d->in_flight);
		json_obj_end(&j);
	}
	json_arr_end(&j);

	json_key(&j, "nfsd");
	if (!r->nfsd_ok) {
		json_null(&j);
	} else {
		json_obj_begin(&j);
		json_kv_uint(&j, "threads", r->nfsd_threads);
		num(&j, "packets", ok, r->nfsd_packets);
		num(&j, "enqueued", ok, r->nfsd_enqueued);
		num(&j, "woken", ok, r->nfsd_woken);
		num(&j, "no_threads", ok && r->nfsd_have_no_threads, r->nfsd_no_threads);
		json_obj_end(&j);
	}

	const struct procs *pr = v->procs;
	json_key(&j, "procs");
	if (!pr) {
		json_null(&j);
	} else {
		json_obj_begin(&j);
		json_kv_uint(&j, "count", pr->nprocs);
		json_kv_uint(&j, "untracked", pr->untracked);
		json_key(&j, "top");
		json_arr_begin(&j);
		for (size_t i = 0; i < pr->norder; i++) {
			const struct proc_slot *s = &pr->slot[pr->order[i]];
			if (!s->top)
				continue;
			bool e = s->est.npts >= 2;
			json_obj_begin(&j);
			json_kv_int(&j, "pid", s->pid);
			json_kv_str(&j, "comm", s->comm);
			json_kv_uint(&j, "anon_kb", s->anon_kb);
			json_kv_uint(&j, "swap_kb", s->swap_kb);
			json_kv_str(&j, "cgroup", s->cgroup[0] ? s->cgroup : NULL);
			num(&j, "slope_kb_s", e, s->est.slope);
			num(&j, "trend", e, s->est.trend);
			json_kv_bool(&j, "window_full", s->est.full);
			json_kv_bool(&j, "leaking", s->est.leaking);
			num(&j, "tte_s", s->tte >= 0, s->tte);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_key(&j, "leaks");
	json_arr_begin(&j);
	for (size_t i = 0; pr && i < pr->norder; i++) {
		const struct proc_slot *s = &pr->slot[pr->order[i]];
		if (!s->est.leaking)
			continue;
		json_obj_begin(&j);
		json_kv_int(&j, "pid", s->pid);
		json_kv_str(&j, "comm", s->comm);
		json_kv_uint(&j, "anon_kb", s->anon_kb);
		json_kv_uint(&j, "swap_kb", s->swap_kb);
		num(&j, "slope_kb_s", true, s->est.slope);
		num(&j, "trend", true, s->est.trend);
		num(&j, "tte_s", s->tte >= 0, s->tte);
		json_kv_uint(&j, "headroom_kb", (uint64_t)(s->headroom_kb + 0.5));
		json_kv_str(&j, "limit", s->cg_limited ? "cgroup" : "memavailable");
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "errors");
	json_arr_begin(&j);
	for (size_t i = 0; i < v->nerrv; i++) {
		const char *e = v->errv[i];
		size_t fl = strcspn(e, ": ");
		char file[200];
		snprintf(file, sizeof(file), "%.*s", (int)fl, e);
		json_obj_begin(&j);
		json_kv_str(&j, "file", file);
		json_kv_str(&j, "error", e);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	buf_putc(&b, '\n');
	fwrite(b.p, 1, b.len, out);
}
