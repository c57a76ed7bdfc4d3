/* SPDX-License-Identifier: MIT */
/* Leak detection on one process's anonymous memory (RssAnon + VmSwap): page cache
 * and shared memory (a database's shared buffers) are not in it, so they are not
 * leaks by construction.
 *
 * The history is LEAK_PTS buckets spanning the window; each bucket keeps the
 * largest value seen in it (a maximum filter, so a garbage collector's sawtooth
 * reads as its peaks; Jindal et al., arXiv 2106.08938, "PrecogMF"). A process is
 * leaking when, over a full window:
 *   - the Theil-Sen slope (median of all pairwise slopes, robust to outliers and
 *     steps) is at least min_rate and the growth it implies over the window at
 *     least min_growth;
 *   - growth is consistent: (rising pairs - falling pairs) / all pairs, Kendall's
 *     S normalised, is at least min_trend;
 *   - it has not levelled off: the Theil-Sen slope of the newest third of the
 *     window is at least plateau_ratio times the whole window's.
 * A process that allocates and then plateaus fails the last test once its window
 * has moved past the ramp. */
#ifndef KRES_SAMPLE_LEAK_H
#define KRES_SAMPLE_LEAK_H

#include <stdbool.h>
#include <stdint.h>

#define LEAK_PTS 64
#define LEAK_EMPTY UINT32_MAX
#define LEAK_MIN_PTS 6 /* fewer values cannot tell a trend from noise */

struct leak_cfg {
	double window;        /* seconds (default 600) */
	double min_rate;      /* KiB per second (default 1 KiB/s, 84 MiB a day) */
	double min_growth;    /* KiB over the window (default 1024) */
	double min_trend;     /* default 0.5 */
	double plateau_ratio; /* default 0.25 */
};
void leak_cfg_default(struct leak_cfg *c);

/* The clock of all histories: bucket k covers [t0 + k*dt, t0 + (k+1)*dt). */
struct leak_clock {
	double t0, dt;
};
/* dt = max(window / (LEAK_PTS - 1), interval): with a long interval the ring holds
 * fewer buckets of the window. */
void leak_clock_init(struct leak_clock *c, double t0, double window, double interval);

struct leak_hist {
	uint32_t kb[LEAK_PTS];   /* ring by bucket number % LEAK_PTS; LEAK_EMPTY when no value */
	uint16_t at[LEAK_PTS];   /* where in its bucket the kept value was read, in 1/65536 of dt */
	int64_t last;            /* newest bucket number, -1 when empty */
	int64_t first;           /* oldest bucket number with a value since the process appeared */
};
void leak_hist_init(struct leak_hist *h);
void leak_hist_push(struct leak_hist *h, const struct leak_clock *c, double t, uint64_t kb);

struct leak_est {
	bool full;            /* history spans the window with at least LEAK_MIN_PTS values */
	bool leaking;
	double slope;         /* KiB per second over the window (Theil-Sen) */
	double recent_slope;  /* KiB per second over its newest third */
	double trend;         /* normalised Kendall S, -1 .. 1 */
	double span;          /* seconds of history used */
	unsigned npts;
};
/* Evaluates the history at time t. Never allocates. */
void leak_eval(const struct leak_hist *h, const struct leak_clock *c, const struct leak_cfg *cfg,
	       double t, struct leak_est *e);

/* The Theil-Sen estimator over n points (x, y): the median of (yj-yi)/(xj-xi) for
 * i < j with xj > xi; *trend gets (rising - falling) / pairs. Works in a static
 * scratch of LEAK_PTS*(LEAK_PTS-1)/2 slopes. Returns 0 when n < 2. */
double theil_sen(const double *x, const double *y, unsigned n, double *trend);

#endif
