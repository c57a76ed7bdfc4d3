// SPDX-License-Identifier: MIT
/* Pressure grades per resource and the workload profile's memory grade (see
 * pressure.h). Every threshold below names where it comes from. */
#include "sample/pressure.h"
#include "sample/procs.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/banned.h"

const char *grade_name(enum grade g)
{
	static const char *const n[] = {"ok", "watch", "high", "crit"};
	return (unsigned)g < 4 ? n[g] : "?";
}

static const char *const prof_names[] = {"oltp", "db", "compute"};

const char *profile_name(enum profile p)
{
	return (unsigned)p < 3 ? prof_names[p] : "?";
}

int profile_parse(const char *s, enum profile *p)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, prof_names[i])) {
			*p = (enum profile)i;
			return 0;
		}
	return -EINVAL;
}

const char *resource_name(enum resource r)
{
	static const char *const n[] = {"memory", "swap", "cpu", "io", "net", "disk"};
	return (unsigned)r < RES__COUNT ? n[r] : "?";
}

/* The KVM memory-tuning guide's grades (the project's source document; DESIGN.md). */
void pressure_cfg_default(struct pressure_cfg *c)
{
	c->oltp_mem_pct = 75;
	c->oltp_hold = 300;
	c->db_swap_pct = 30;
	c->db_reclaims_min = 50;
	c->db_hold = 0;
	c->compute_gbps = 15;
	c->compute_hold = 600;
	/* PSI memory full: oomd and systemd-oomd act on "full"; 10 % sustained is the
	 * upper end of the 5-10 % warning band (reference metrics-agents.md 4.5). */
	c->crit_full_pct = 10;
}

int pressure_cfg_set(struct pressure_cfg *c, const char *key, const char *value)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
	    {"oltp.mem_pct", offsetof(struct pressure_cfg, oltp_mem_pct)},
	    {"oltp.hold", offsetof(struct pressure_cfg, oltp_hold)},
	    {"db.swap_pct", offsetof(struct pressure_cfg, db_swap_pct)},
	    {"db.reclaims_min", offsetof(struct pressure_cfg, db_reclaims_min)},
	    {"db.hold", offsetof(struct pressure_cfg, db_hold)},
	    {"compute.gbps", offsetof(struct pressure_cfg, compute_gbps)},
	    {"compute.hold", offsetof(struct pressure_cfg, compute_hold)},
	    {"crit.full_pct", offsetof(struct pressure_cfg, crit_full_pct)},
	};
	char *end;
	double v = strtod(value, &end);
	if (end == value || *end || v < 0 || v > 1e12)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i].key)) {
			*(double *)(void *)((char *)c + keys[i].off) = v;
			return 0;
		}
	return -EINVAL;
}

void pressure_init(struct pressure *p, const struct pressure_cfg *cfg, enum profile prof)
{
	memset(p, 0, sizeof(*p));
	p->cfg = *cfg;
	p->prof = prof;
	p->since_mem = p->since_swap = p->since_reclaim = p->since_bw = -1;
	p->mem_full_min = p->bw_gbps = -1;
}

/* dt-weighted mean of a field over the intervals ending within the last 'win'
 * seconds; -1 when no interval has a known value. */
static double mean_over(const struct pressure *p, double now, double win, size_t off, double *covered)
{
	double sum = 0, wsum = 0;
	for (size_t i = 0; i < p->nhist; i++) {
		const struct pressure_pt *pt = &p->hist[(p->head + PRESSURE_HIST - 1 - i) % PRESSURE_HIST];
		if (now - pt->t >= win)
			break;
		double v = *(const double *)(const void *)((const char *)pt + off);
		if (v < 0)
			continue;
		sum += v * pt->dt;
		wsum += pt->dt;
	}
	if (covered)
		*covered = wsum;
	return wsum > 0 ? sum / wsum : -1;
}

static double sum_over(const struct pressure *p, double now, double win, size_t off)
{
	double sum = 0;
	for (size_t i = 0; i < p->nhist; i++) {
		const struct pressure_pt *pt = &p->hist[(p->head + PRESSURE_HIST - 1 - i) % PRESSURE_HIST];
		if (now - pt->t >= win)
			break;
		sum += *(const double *)(const void *)((const char *)pt + off);
	}
	return sum;
}

#define F(x) offsetof(struct pressure_pt, x)

static void setsig(struct pressure_sig *s, enum grade g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void setsig(struct pressure_sig *s, enum grade g, const char *fmt, ...)
{
	if (g < s->grade)
		return; /* the worst reason wins */
	va_list ap;
	va_start(ap, fmt);
	s->grade = g;
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
}

/* A condition that must hold for 'hold' seconds: WATCH until then, HIGH after. */
static enum grade held(double *since, bool now_true, double t, double hold, double *for_s)
{
	if (!now_true) {
		*since = -1;
		*for_s = 0;
		return GRADE_OK;
	}
	if (*since < 0)
		*since = t;
	*for_s = t - *since;
	return *for_s >= hold ? GRADE_HIGH : GRADE_WATCH;
}

static void fmt_dur(char *b, size_t n, double s)
{
	long sec = (long)s;
	if (sec < 120)
		snprintf(b, n, "%lds", sec);
	else if (sec < 7200)
		snprintf(b, n, "%ldm%02lds", sec / 60, sec % 60);
	else
		snprintf(b, n, "%ldh%02ldm", sec / 3600, sec / 60 % 60);
}

static void memory_grade(struct pressure *p, double t)
{
	const struct pressure_cfg *c = &p->cfg;
	const struct pressure_pt *pt = &p->hist[(p->head + PRESSURE_HIST - 1) % PRESSURE_HIST];
	char d[32];
	double for_s;
	enum grade g = GRADE_OK;
	p->why[0] = '\0';
	switch (p->prof) {
	case PROF_OLTP:
		g = held(&p->since_mem, pt->mem_used_pct > c->oltp_mem_pct, t, c->oltp_hold, &for_s);
		if (g) {
			fmt_dur(d, sizeof(d), for_s);
			snprintf(p->why, sizeof(p->why), "memory in use %.1f%% > %.0f%% for %s (limit %.0fs)",
				 pt->mem_used_pct, c->oltp_mem_pct, d, c->oltp_hold);
		}
		break;
	case PROF_DB: {
		enum grade g1 = held(&p->since_swap, pt->swap_used_pct > c->db_swap_pct, t, c->db_hold, &for_s);
		if (g1)
			snprintf(p->why, sizeof(p->why), "swap in use %.1f%% > %.0f%%", pt->swap_used_pct,
				 c->db_swap_pct);
		double for2;
		enum grade g2 = held(&p->since_reclaim, p->reclaims_min > c->db_reclaims_min, t, c->db_hold,
				     &for2);
		if (g2 > g1 || (g2 && !g1))
			snprintf(p->why, sizeof(p->why), "%.0f direct reclaims a minute > %.0f",
				 p->reclaims_min, c->db_reclaims_min);
		g = g1 > g2 ? g1 : g2;
		break;
	}
	case PROF_COMPUTE:
		if (p->bw_gbps < 0) {
			snprintf(p->why, sizeof(p->why),
				 "memory bandwidth unknown: no resctrl MBM counters (mount resctrl on a CPU with MBM)");
			break;
		}
		g = held(&p->since_bw, p->bw_gbps > c->compute_gbps, t, c->compute_hold, &for_s);
		if (g) {
			fmt_dur(d, sizeof(d), for_s);
			snprintf(p->why, sizeof(p->why), "memory bandwidth %.1f GB/s > %.0f for %s",
				 p->bw_gbps, c->compute_gbps, d);
		}
		break;
	}
	/* Stalls and kills override the profile: they are memory pressure for any
	 * workload. 40 % full is nohang's SIGTERM level (metrics-agents.md 4.5). */
	double kills = sum_over(p, t, 300, F(oom_kills));
	size_t w = strlen(p->why);
	if (p->mem_full_min >= c->crit_full_pct) {
		enum grade pg = p->mem_full_min >= 40 ? GRADE_CRIT : g >= GRADE_HIGH ? GRADE_CRIT : GRADE_HIGH;
		snprintf(p->why + w, sizeof(p->why) - w, "%stasks stalled on memory %.1f%% of the last minute",
			 w ? "; " : "", p->mem_full_min);
		if (pg > g)
			g = pg;
	}
	w = strlen(p->why);
	if (kills > 0) {
		snprintf(p->why + w, sizeof(p->why) - w, "%s%.0f OOM kill%s in the last 5 minutes", w ? "; " : "",
			 kills, kills == 1 ? "" : "s");
		g = GRADE_CRIT;
	}
	p->grade = g;
	p->sig[RES_MEMORY].grade = g;
	snprintf(p->sig[RES_MEMORY].why, sizeof(p->sig[0].why), "%s", p->why);
}

/* WATCH when the last interval crossed warn, HIGH when the last minute's mean
 * did, CRIT when the last minute's mean crossed crit (crit < 0: none). */
static void level(struct pressure *p, enum resource r, double t, size_t off, double warn, double crit,
		  const char *what, const char *unit)
{
	const struct pressure_pt *pt = &p->hist[(p->head + PRESSURE_HIST - 1) % PRESSURE_HIST];
	double now = *(const double *)(const void *)((const char *)pt + off);
	double m = mean_over(p, t, 60, off, NULL);
	if (now < 0)
		return;
	if (crit >= 0 && m >= crit)
		setsig(&p->sig[r], GRADE_CRIT, "%s %.1f%s over the last minute (>= %g)", what, m, unit, crit);
	else if (m >= warn)
		setsig(&p->sig[r], GRADE_HIGH, "%s %.1f%s over the last minute (>= %g)", what, m, unit, warn);
	else if (now >= warn)
		setsig(&p->sig[r], GRADE_WATCH, "%s %.1f%s (>= %g)", what, now, unit, warn);
}

void pressure_update(struct pressure *p, const struct snap *cur, const struct rates *r)
{
	(void)cur;
	for (int i = 0; i < RES__COUNT; i++) {
		p->sig[i].grade = GRADE_OK;
		p->sig[i].why[0] = '\0';
	}
	struct pressure_pt *pt = &p->hist[p->head];
	memset(pt, 0, sizeof(*pt));
	pt->t = cur->t;
	pt->dt = r->valid ? r->dt : 0;
	pt->mem_used_pct = r->mem_used_pct;
	pt->swap_used_pct = r->swap_used_pct;
	bool v = r->valid;
	pt->allocstall = v ? r->allocstall : -1;
	pt->pswpin = v ? r->pswpin : -1;
	pt->oom_kills = v ? (double)r->oom_kills : 0;
	pt->mem_full = v && r->psi_ok[PSI_MEMORY] ? r->psi_full[PSI_MEMORY] : -1;
	pt->cpu_some = v && r->psi_ok[PSI_CPU] ? r->psi_some[PSI_CPU] : -1;
	pt->io_full = v && r->psi_ok[PSI_IO] ? r->psi_full[PSI_IO] : -1;
	pt->steal = v && r->ncpu ? r->cpu_pct[CPU_STEAL] : -1;
	pt->softnet_drop = v ? r->softnet_dropped : -1;
	pt->softnet_sqz = v ? r->softnet_squeezed : -1;
	pt->listen_ovf = v ? r->listen_overflows : -1;
	pt->disk_util = v && r->busiest_disk >= 0 ? r->disk[r->busiest_disk].util_pct : -1;
	pt->disk_aqu = -1;
	for (size_t i = 0; v && i < r->ndisk; i++)
		if (r->disk[i].whole && !r->disk[i].fresh && r->disk[i].aqu_sz > pt->disk_aqu)
			pt->disk_aqu = r->disk[i].aqu_sz;
	pt->tcp_mem_pct = r->tcp_mem_pct;
	pt->tcp_mem_max_pct = r->tcp_mem_max_pct;
	pt->ct_pct = r->conntrack_pct;
	pt->mbm_gbps = v && r->mbm_ok ? r->mbm_bytes / 1e9 : -1;
	p->head = (p->head + 1) % PRESSURE_HIST;
	if (p->nhist < PRESSURE_HIST)
		p->nhist++;
	double t = cur->t;

	double covered;
	double as = mean_over(p, t, 60, F(allocstall), &covered);
	p->reclaims_min = as < 0 ? 0 : as * 60;
	p->mem_full_min = mean_over(p, t, 60, F(mem_full), NULL);
	p->bw_gbps = pt->mbm_gbps < 0 ? -1 : mean_over(p, t, 60, F(mbm_gbps), NULL);
	memory_grade(p, t);

	/* Swap: any swap-in on a database host is worth a look; swap-in in every
	 * interval of the last minute is thrashing (vmstat si, Gregg's USE method). */
	double sin = mean_over(p, t, 60, F(pswpin), &covered);
	if (sin > 0) {
		bool every = true;
		for (size_t i = 0; i < p->nhist; i++) {
			const struct pressure_pt *q = &p->hist[(p->head + PRESSURE_HIST - 1 - i) % PRESSURE_HIST];
			if (t - q->t >= 60)
				break;
			if (q->pswpin == 0)
				every = false;
		}
		if (every && covered >= 30)
			setsig(&p->sig[RES_SWAP],
			       p->mem_full_min >= p->cfg.crit_full_pct ? GRADE_CRIT : GRADE_HIGH,
			       "swapping in every interval of the last minute, %.0f pages/s", sin);
		else
			setsig(&p->sig[RES_SWAP], GRADE_WATCH, "swap-in %.1f pages/s over the last minute", sin);
	}
	if (pt->swap_used_pct > 0 && p->sig[RES_SWAP].grade == GRADE_OK && pt->swap_used_pct >= 90)
		/* netdata used_swap: warn at 90 % (clears at 80) */
		setsig(&p->sig[RES_SWAP], GRADE_WATCH, "swap %.0f%% in use", pt->swap_used_pct);

	/* CPU: steal over 10 % (netdata 20min_steal_cpu); PSI cpu some over 40 %
	 * (vm-net-io.md 1.8, proposed). */
	level(p, RES_CPU, t, F(steal), 10, -1, "steal", "%");
	level(p, RES_CPU, t, F(cpu_some), 40, -1, "runnable tasks waiting (PSI cpu some)", "%");
	/* I/O: PSI io full over 10 % (vm-net-io.md 1.8, proposed). */
	level(p, RES_IO, t, F(io_full), 10, -1, "all tasks stalled on I/O (PSI io full)", "%");
	/* Network: softnet drops and squeezes over 10/s (netdata softnet.conf); listen
	 * overflows over 1/s, 5/s critical (netdata tcp_listen.conf); TCP memory over
	 * the pressure threshold, 90 % of max critical (netdata tcp_mem.conf);
	 * conntrack over 90 %, 95 % critical (netdata netfilter.conf). */
	level(p, RES_NET, t, F(softnet_drop), 10, -1, "softnet backlog drops", "/s");
	level(p, RES_NET, t, F(softnet_sqz), 10, -1, "softnet budget squeezes", "/s");
	level(p, RES_NET, t, F(listen_ovf), 1, 5, "listen queue overflows", "/s");
	if (pt->tcp_mem_max_pct >= 90)
		setsig(&p->sig[RES_NET], GRADE_CRIT, "TCP memory %.0f%% of tcp_mem max", pt->tcp_mem_max_pct);
	else if (pt->tcp_mem_pct >= 100)
		setsig(&p->sig[RES_NET], GRADE_HIGH, "TCP memory above the tcp_mem pressure threshold");
	if (pt->ct_pct >= 95)
		setsig(&p->sig[RES_NET], GRADE_CRIT, "conntrack table %.0f%% full", pt->ct_pct);
	else if (pt->ct_pct >= 90)
		setsig(&p->sig[RES_NET], GRADE_HIGH, "conntrack table %.0f%% full", pt->ct_pct);
	/* Disk: average queue over 5 (netdata disks.conf "disk backlog" 5000 ms/s);
	 * utilisation over 98 % (netdata), which says little on multi-queue devices. */
	level(p, RES_DISK, t, F(disk_aqu), 5, -1, "average queue depth", "");
	level(p, RES_DISK, t, F(disk_util), 98, -1, "busiest disk utilisation", "%");
}

enum profile profile_auto(const struct procs *p)
{
	static const char *const db[] = {"postgres", "postmaster", "mysqld", "mariadbd", "redis-server",
					 "seaboxmaster", "seaboxs"};
	for (size_t i = 0; p && i < p->hi; i++) {
		if (!p->slot[i].pid || p->slot[i].kthread)
			continue;
		for (size_t k = 0; k < sizeof(db) / sizeof(db[0]); k++)
			if (!strcmp(p->slot[i].comm, db[k]))
				return PROF_DB;
	}
	return PROF_OLTP;
}
