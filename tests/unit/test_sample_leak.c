// SPDX-License-Identifier: MIT
/* Tests of leak detection (Theil-Sen, bucket history, plateau and trend tests),
 * the pressure grades per profile, and the /proc/stat and PSI parsers. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sample/leak.h"
#include "sample/parse.h"
#include "sample/pressure.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1

static void theil_sen_line_and_outliers(void **state)
{
	(void)state;
	double x[20], y[20], trend;
	for (int i = 0; i < 20; i++) {
		x[i] = i;
		y[i] = 100 + 3.0 * i;
	}
	assert_float_equal(theil_sen(x, y, 20, &trend), 3.0, 1e-12);
	assert_float_equal(trend, 1.0, 1e-12);
	/* Three wild points (a GC spike, a transient buffer) do not move the median
	 * of the pairwise slopes much; least squares would. */
	y[5] = 10000;
	y[11] = 0;
	y[17] = 5000;
	double s = theil_sen(x, y, 20, &trend);
	assert_true(fabs(s - 3.0) < 0.5);
	assert_true(trend > 0.6);
	/* Even number of slopes: mean of the middle two. x = 0,1,2 y = 0,1,3:
	 * slopes 1, 1.5, 2 (odd); with a fourth point y=3 at x=3: 1,1.5,1,2,1,0 ->
	 * sorted 0 1 1 1 1.5 2, median (1+1)/2 = 1. */
	double x2[] = {0, 1, 2, 3}, y2[] = {0, 1, 3, 3};
	assert_float_equal(theil_sen(x2, y2, 4, &trend), 1.0, 1e-12);
	/* rising 5, falling 0, flat 1 -> 5/6 */
	assert_float_equal(trend, 5.0 / 6.0, 1e-12);
	assert_float_equal(theil_sen(x2, y2, 1, &trend), 0, 0);
}

static void run_series(struct leak_est *e, double window, double interval, double secs,
		       uint64_t (*f)(double t))
{
	struct leak_cfg cfg;
	struct leak_clock lc;
	struct leak_hist h;
	leak_cfg_default(&cfg);
	cfg.window = window;
	leak_clock_init(&lc, 0, window, interval);
	leak_hist_init(&h);
	double t = 1000;
	for (double s = 0; s <= secs + 1e-9; s += interval, t += interval)
		leak_hist_push(&h, &lc, t, f(s));
	leak_eval(&h, &lc, &cfg, t - interval, e);
}

/* 1 MiB/s with a 2 MiB sawtooth every 7 s (a collector): the maximum filter and the
 * median keep the slope. */
static uint64_t leak_saw(double s)
{
	return 50000 + (uint64_t)(1024 * s) + (uint64_t)(2048 * fmod(s, 7.0) / 7.0);
}
static uint64_t plateau(double s)
{
	return s < 3 ? 10000 + (uint64_t)(20000 * s) : 70000;
}
static uint64_t flat_noise(double s)
{
	static const int noise[] = {0, 300, -200, 500, -400, 100, 0, -100};
	return (uint64_t)(80000 + noise[(int)s % 8]);
}
static uint64_t staircase(double s)
{
	return 20000 + 4096 * (uint64_t)(s / 20); /* +4 MiB every 20 s */
}

static void leak_detected_with_slope(void **state)
{
	(void)state;
	struct leak_est e;
	run_series(&e, 60, 1, 61, leak_saw);
	assert_true(e.full);
	assert_true(e.leaking);
	assert_true(fabs(e.slope - 1024) / 1024 < 0.05);
	/* Before a whole window there is no verdict, however steep. */
	run_series(&e, 60, 1, 30, leak_saw);
	assert_false(e.full);
	assert_false(e.leaking);
	/* The window at a 0.5 s interval: 64 buckets of 60/63 s. */
	run_series(&e, 60, 0.5, 61, leak_saw);
	assert_true(e.leaking);
	assert_true(fabs(e.slope - 1024) / 1024 < 0.05);
}

static void plateau_and_noise_not_leaks(void **state)
{
	(void)state;
	struct leak_est e;
	run_series(&e, 20, 0.5, 40, plateau);
	assert_true(e.full);
	assert_false(e.leaking);
	assert_float_equal(e.recent_slope, 0, 1e-9);
	run_series(&e, 60, 1, 120, flat_noise);
	assert_false(e.leaking);
	assert_true(fabs(e.slope) < 50);
	/* A staircase leak is one: most pairs rise and the newest third still does. */
	run_series(&e, 120, 1, 240, staircase);
	assert_true(e.leaking);
	assert_true(fabs(e.slope - 4096.0 / 20) / (4096.0 / 20) < 0.15);
}

static void hist_gaps_and_max_filter(void **state)
{
	(void)state;
	struct leak_clock lc;
	struct leak_hist h;
	leak_clock_init(&lc, 0, 63, 0.1); /* dt = 1 s */
	assert_float_equal(lc.dt, 1.0, 1e-12);
	leak_hist_init(&h);
	leak_hist_push(&h, &lc, 10.2, 100);
	leak_hist_push(&h, &lc, 10.5, 300); /* same bucket: the maximum stays */
	leak_hist_push(&h, &lc, 10.9, 200);
	assert_int_equal(h.kb[10 % LEAK_PTS], 300);
	leak_hist_push(&h, &lc, 14.0, 400); /* 11..13 were not read: empty */
	assert_int_equal(h.kb[11 % LEAK_PTS], LEAK_EMPTY);
	assert_int_equal(h.kb[13 % LEAK_PTS], LEAK_EMPTY);
	assert_int_equal(h.kb[14 % LEAK_PTS], 400);
	leak_hist_push(&h, &lc, 5.0, 999); /* the clock going back is ignored */
	assert_int_equal(h.last, 14);
	/* A jump past the whole ring empties it except the newest bucket. */
	leak_hist_push(&h, &lc, 500.0, 7);
	unsigned filled = 0;
	for (int i = 0; i < LEAK_PTS; i++)
		filled += h.kb[i] != LEAK_EMPTY;
	assert_int_equal(filled, 1);
}

static void stat_and_psi_parse(void **state)
{
	(void)state;
	struct snap_cpu cpus[4];
	struct snap_stat st = {.cpu = cpus, .cpu_cap = 2};
	struct perr e;
	static const char stat[] = "cpu  100 2 30 400 5 6 7 8 9 10\n"
				   "cpu0 50 1 15 200 2 3 3 4 4 5\n"
				   "cpu2 50 1 15 200 3 3 4 4 5 5\n"
				   "cpu3 1 1 1 1\n"
				   "intr 123 4 5 6\n"
				   "ctxt 9999\n"
				   "btime 1700000000\n"
				   "processes 4242\n"
				   "procs_running 3\n"
				   "procs_blocked 1\n";
	assert_int_equal(stat_parse(S(stat), &st, &e), 0);
	assert_true(st.ok);
	assert_int_equal(st.ncpu, 2);
	assert_int_equal(st.cpu_over, 1);
	assert_int_equal(st.cpu[1].id, 2);
	assert_int_equal(st.cpu[1].t[CPU_IOWAIT], 3);
	assert_int_equal(st.all.t[CPU_GUEST_NICE], 10);
	assert_int_equal(st.all.nfields, 10);
	assert_int_equal(st.intr, 123);
	assert_int_equal(st.ctxt, 9999);
	assert_int_equal(st.btime, 1700000000);
	assert_int_equal(st.forks, 4242);
	assert_int_equal(st.procs_running, 3);
	assert_int_equal(st.procs_blocked, 1);
	/* 2.6.9-era 7-column line: steal and guest read as 0 */
	static const char old[] = "cpu  1 2 3 4 5 6 7\n";
	assert_int_equal(stat_parse(S(old), &st, &e), 0);
	assert_int_equal(st.all.nfields, 7);
	assert_int_equal(st.all.t[CPU_STEAL], 0);
	assert_int_equal(stat_parse(S("cpu  1 2 3\n"), &st, &e), -EINVAL);
	assert_int_equal(stat_parse(S("cpu  1 2 3 4\ncpuX 1 2 3 4\n"), &st, &e), -EINVAL);
	assert_int_equal(stat_parse(S("ctxt 5\n"), &st, &e), -EINVAL); /* no cpu line */
	assert_int_equal(stat_parse(S("cpu  1 2 3 4\nctxt 12"), &st, &e), -EINVAL); /* cut short */
	assert_int_equal(e.line, 2);

	struct snap_psi p;
	static const char mem[] = "some avg10=1.50 avg60=0.75 avg300=0.10 total=123456\n"
				  "full avg10=0.25 avg60=0.00 avg300=0.00 total=7890\n";
	assert_int_equal(psi_parse(S(mem), &p, &e), 0);
	assert_true(p.ok && p.some.have && p.full.have);
	assert_float_equal(p.some.avg10, 1.5, 1e-12);
	assert_float_equal(p.some.avg60, 0.75, 1e-12);
	assert_int_equal(p.some.total, 123456);
	assert_int_equal(p.full.total, 7890);
	assert_int_equal(psi_parse(S("some avg10=1.50 avg60=0.75 total=1\n"), &p, &e), -EINVAL);
	assert_int_equal(psi_parse(S("some avg10=x avg60=0.75 avg300=0 total=1\n"), &p, &e), -EINVAL);
	assert_int_equal(psi_parse(S("half avg10=1 avg60=0.75 avg300=0 total=1\n"), &p, &e), -EINVAL);
	assert_false(p.ok);
}

/* Feeds pressure_update one interval at a time. */
static void feed(struct pressure *p, double t, double mem_pct, double swap_pct, double allocstall_s,
		 double full_pct, uint64_t kills)
{
	struct snap sn;
	struct rates r;
	memset(&sn, 0, sizeof(sn));
	memset(&r, 0, sizeof(r));
	sn.t = t;
	r.valid = true;
	r.dt = 10;
	r.mem_used_pct = mem_pct;
	r.swap_used_pct = swap_pct;
	r.allocstall = allocstall_s;
	r.psi_ok[PSI_MEMORY] = true;
	r.psi_full[PSI_MEMORY] = full_pct;
	r.oom_kills = kills;
	r.busiest_disk = -1;
	r.tcp_mem_pct = r.tcp_mem_max_pct = r.conntrack_pct = -1;
	pressure_update(p, &sn, &r);
}

static void grades_per_profile(void **state)
{
	(void)state;
	struct pressure_cfg cfg;
	struct pressure p;
	pressure_cfg_default(&cfg);
	/* oltp: > 75 % for 300 s. */
	pressure_init(&p, &cfg, PROF_OLTP);
	feed(&p, 0, 80, 0, 0, 0, 0);
	assert_int_equal(p.grade, GRADE_WATCH);
	feed(&p, 290, 80, 0, 0, 0, 0);
	assert_int_equal(p.grade, GRADE_WATCH);
	feed(&p, 300, 80, 0, 0, 0, 0);
	assert_int_equal(p.grade, GRADE_HIGH);
	assert_non_null(strstr(p.why, "> 75%"));
	feed(&p, 310, 70, 0, 0, 0, 0);
	assert_int_equal(p.grade, GRADE_OK);
	/* The same host under db: memory in use is not the db signal. */
	pressure_init(&p, &cfg, PROF_DB);
	feed(&p, 0, 80, 10, 0, 0, 0);
	assert_int_equal(p.grade, GRADE_OK);
	feed(&p, 10, 80, 31, 0, 0, 0);
	assert_int_equal(p.grade, GRADE_HIGH); /* db.hold 0 */
	/* 50 reclaims a minute: 1/s over the last minute is 60 > 50. */
	pressure_init(&p, &cfg, PROF_DB);
	for (int i = 1; i <= 6; i++)
		feed(&p, 10 * i, 50, 0, 1.0, 0, 0);
	assert_float_equal(p.reclaims_min, 60, 1e-9);
	assert_int_equal(p.grade, GRADE_HIGH);
	assert_non_null(strstr(p.why, "direct reclaims"));
	/* Tasks stalled on memory turn it critical; an OOM kill always does. */
	feed(&p, 70, 50, 0, 1.0, 15, 0);
	assert_int_equal(p.grade, GRADE_HIGH); /* one interval of 15 %: minute mean 2.5 % */
	for (int i = 8; i <= 13; i++)
		feed(&p, 10 * i, 50, 0, 1.0, 15, 0);
	assert_int_equal(p.grade, GRADE_CRIT);
	pressure_init(&p, &cfg, PROF_OLTP);
	feed(&p, 0, 10, 0, 0, 0, 1);
	assert_int_equal(p.grade, GRADE_CRIT);
	feed(&p, 200, 10, 0, 0, 0, 0);
	assert_int_equal(p.grade, GRADE_CRIT); /* within 5 minutes */
	feed(&p, 400, 10, 0, 0, 0, 0);
	assert_int_equal(p.grade, GRADE_OK);
	/* compute without MBM: unknown, said so. */
	pressure_init(&p, &cfg, PROF_COMPUTE);
	feed(&p, 0, 99, 0, 0, 0, 0);
	assert_int_equal(p.grade, GRADE_OK);
	assert_non_null(strstr(p.why, "unknown"));
	/* --set */
	assert_int_equal(pressure_cfg_set(&cfg, "oltp.mem_pct", "90"), 0);
	assert_float_equal(cfg.oltp_mem_pct, 90, 0);
	assert_int_equal(pressure_cfg_set(&cfg, "oltp.nope", "90"), -EINVAL);
	assert_int_equal(pressure_cfg_set(&cfg, "db.hold", "-1"), -EINVAL);
	assert_int_equal(pressure_cfg_set(&cfg, "db.hold", "5s"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(theil_sen_line_and_outliers),
	    cmocka_unit_test(leak_detected_with_slope),
	    cmocka_unit_test(plateau_and_noise_not_leaks),
	    cmocka_unit_test(hist_gaps_and_max_filter),
	    cmocka_unit_test(stat_and_psi_parse),
	    cmocka_unit_test(grades_per_profile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
