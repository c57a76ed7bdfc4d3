// SPDX-License-Identifier: MIT
/* Leak detection: a bucketed history of a process's anonymous memory and a robust
 * trend test over it (see leak.h for the rules and their sources). */
#include "sample/leak.h"

#include <math.h>
#include <string.h>

#include "util/banned.h"

void leak_cfg_default(struct leak_cfg *c)
{
	c->window = 600;
	c->min_rate = 1.0;     /* KiB/s: 60 KiB/min, 84 MiB a day; the guide's example leak is 200 MB a day */
	c->min_growth = 1024;  /* KiB over the window */
	c->min_trend = 0.5;
	c->plateau_ratio = 0.25;
}

void leak_clock_init(struct leak_clock *c, double t0, double window, double interval)
{
	c->t0 = t0;
	c->dt = window / (LEAK_PTS - 1);
	if (c->dt < interval)
		c->dt = interval;
}

void leak_hist_init(struct leak_hist *h)
{
	for (size_t i = 0; i < LEAK_PTS; i++)
		h->kb[i] = LEAK_EMPTY;
	h->last = -1;
	h->first = -1;
}

static int64_t bucket_of(const struct leak_clock *c, double t)
{
	double b = floor((t - c->t0) / c->dt + 1e-9);
	return b < 0 ? 0 : (int64_t)b;
}

/* Where t lies within its bucket, in 1/65536 of the bucket. */
static uint16_t frac_of(const struct leak_clock *c, double t, int64_t b)
{
	double f = (t - c->t0) / c->dt - (double)b;
	return f <= 0 ? 0 : f >= 1 ? 65535 : (uint16_t)(f * 65536);
}

void leak_hist_push(struct leak_hist *h, const struct leak_clock *c, double t, uint64_t kb)
{
	int64_t b = bucket_of(c, t);
	uint32_t v = kb >= LEAK_EMPTY ? LEAK_EMPTY - 1 : (uint32_t)kb;
	if (h->last >= 0 && b < h->last)
		return; /* the clock never goes back; ignore rather than corrupt */
	if (h->last >= 0 && b == h->last) {
		uint32_t *slot = &h->kb[b % LEAK_PTS];
		if (*slot == LEAK_EMPTY || v > *slot) {
			*slot = v; /* maximum filter within the bucket */
			h->at[b % LEAK_PTS] = frac_of(c, t, b);
		}
		return;
	}
	/* Buckets skipped since the last value (the process was not read) are empty. */
	int64_t from = h->last < 0 ? b : h->last + 1;
	if (b - from >= LEAK_PTS)
		from = b - LEAK_PTS + 1;
	for (int64_t k = from; k < b; k++)
		h->kb[k % LEAK_PTS] = LEAK_EMPTY;
	h->kb[b % LEAK_PTS] = v;
	h->at[b % LEAK_PTS] = frac_of(c, t, b);
	h->last = b;
	if (h->first < 0)
		h->first = b;
}

/* The scratch of theil_sen: every pairwise slope of LEAK_PTS points. */
static double pair_slopes[LEAK_PTS * (LEAK_PTS - 1) / 2];

/* Quickselect (Hoare) for the k-th smallest of a[0..n). */
static double select_kth(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		double pivot = a[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;
		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				double tmp = a[i];
				a[i] = a[j];
				a[j] = tmp;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return a[k];
	}
	return a[k];
}

double theil_sen(const double *x, const double *y, unsigned n, double *trend)
{
	size_t m = 0;
	long rising = 0, falling = 0;
	*trend = 0;
	if (n < 2)
		return 0;
	if (n > LEAK_PTS)
		n = LEAK_PTS;
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++) {
			double dx = x[j] - x[i];
			if (dx <= 0)
				continue;
			double dy = y[j] - y[i];
			rising += dy > 0;
			falling += dy < 0;
			pair_slopes[m++] = dy / dx;
		}
	if (m == 0)
		return 0;
	*trend = (double)(rising - falling) / (double)m;
	/* The median; for an even count, the mean of the two middle slopes. */
	double hi = select_kth(pair_slopes, m, m / 2);
	if (m % 2)
		return hi;
	double lo = select_kth(pair_slopes, m / 2, m / 2 - 1); /* the lower half is left of m/2 */
	return (lo + hi) / 2;
}

void leak_eval(const struct leak_hist *h, const struct leak_clock *c, const struct leak_cfg *cfg,
	       double t, struct leak_est *e)
{
	double x[LEAK_PTS], y[LEAK_PTS];
	unsigned n = 0;
	memset(e, 0, sizeof(*e));
	if (h->last < 0)
		return;
	/* Buckets whose start lies within the window ending at t, oldest first. */
	int64_t now_b = bucket_of(c, t);
	int64_t oldest = h->last - LEAK_PTS + 1;
	if (oldest < h->first)
		oldest = h->first;
	for (int64_t b = oldest; b <= h->last; b++) {
		uint32_t v = h->kb[b % LEAK_PTS];
		/* the time the kept value was read, not the bucket's start */
		double bt = c->t0 + ((double)b + h->at[b % LEAK_PTS] / 65536.0) * c->dt;
		if (v == LEAK_EMPTY || (double)(now_b - b) * c->dt > cfg->window + c->dt / 2)
			continue;
		x[n] = bt;
		y[n] = v;
		n++;
	}
	e->npts = n;
	if (n < 2)
		return;
	e->span = x[n - 1] - x[0];
	e->slope = theil_sen(x, y, n, &e->trend);
	/* The window is full when the history reaches back a whole window (one
	 * bucket of slack for the bucket boundaries). */
	e->full = n >= LEAK_MIN_PTS && e->span + c->dt >= cfg->window;
	unsigned r0 = n - n / 3;
	double rt;
	e->recent_slope = n - r0 >= 3 ? theil_sen(x + r0, y + r0, n - r0, &rt) : e->slope;
	e->leaking = e->full && e->slope >= cfg->min_rate && e->slope * cfg->window >= cfg->min_growth &&
		     e->trend >= cfg->min_trend && e->recent_slope >= cfg->plateau_ratio * e->slope;
}
