/* SPDX-License-Identifier: MIT */
/* A process whose anonymous memory follows a known curve, for tests/real/t-top.sh:
 *   leaker grow RATE_KIB_S SECONDS               grows at RATE KiB/s, then exits
 *   leaker plateau TOTAL_KIB RAMP_SECONDS HOLD_SECONDS
 *                                                allocates TOTAL over RAMP, holds HOLD
 * Every 100 ms it mallocs what the schedule owes (target = rate * elapsed, paced
 * against the start on CLOCK_MONOTONIC so the rate does not drift) and writes every
 * byte, so the pages are resident and anonymous (RssAnon). Nothing is freed. At
 * start it prints "PID START" (START: CLOCK_MONOTONIC seconds, the clock of kres
 * top's "t") and flushes. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TICK_NS 100000000L /* 100 ms */

/* Chunks are chained through their first word; a global volatile head keeps the
 * compiler from proving the allocations dead. */
static void *volatile head;

static double arg_num(const char *s, const char *what)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "leaker: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

/* Returns the bytes allocated: 0 for less than a pointer (left for the next tick). */
static size_t grab(size_t bytes)
{
	if (bytes < sizeof(void *))
		return 0;
	void **p = malloc(bytes);
	if (!p) {
		fprintf(stderr, "leaker: out of memory allocating %zu bytes\n", bytes);
		exit(1);
	}
	memset(p, 0xa5, bytes);
	*p = head;
	head = p;
	return bytes;
}

/* Allocates rate KiB/s for secs seconds from start, on 100 ms ticks. */
static void ramp(struct timespec start, double rate, double secs)
{
	size_t done = 0; /* bytes allocated */
	long ticks = (long)(secs * 10 + 0.5);
	for (long k = 1; k <= ticks; k++) {
		struct timespec at = start;
		long long ns = (long long)at.tv_nsec + (long long)k * TICK_NS;
		at.tv_sec += (time_t)(ns / 1000000000LL);
		at.tv_nsec = (long)(ns % 1000000000LL);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
			;
		size_t want = (size_t)(rate * 1024.0 * (double)k / 10.0);
		done += grab(want - done);
	}
}

int main(int argc, char **argv)
{
	struct timespec start;
	double rate, ramp_s, hold = 0;

	if (argc == 4 && !strcmp(argv[1], "grow")) {
		rate = arg_num(argv[2], "rate");
		ramp_s = arg_num(argv[3], "seconds");
	} else if (argc == 5 && !strcmp(argv[1], "plateau")) {
		ramp_s = arg_num(argv[3], "ramp seconds");
		hold = arg_num(argv[4], "hold seconds");
		rate = ramp_s > 0 ? arg_num(argv[2], "total") / ramp_s : 0;
		if (ramp_s <= 0)
			grab((size_t)(arg_num(argv[2], "total") * 1024));
	} else {
		fprintf(stderr, "usage: leaker grow RATE_KIB_S SECONDS\n"
				"       leaker plateau TOTAL_KIB RAMP_SECONDS HOLD_SECONDS\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	printf("%d %lld.%03ld\n", (int)getpid(), (long long)start.tv_sec, start.tv_nsec / 1000000);
	fflush(stdout);
	ramp(start, rate, ramp_s);
	struct timespec h = {(time_t)hold, (long)((hold - (double)(time_t)hold) * 1e9)};
	while (nanosleep(&h, &h) == -1 && errno == EINTR)
		;
	return 0;
}
