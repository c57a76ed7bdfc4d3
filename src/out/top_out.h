/* SPDX-License-Identifier: MIT */
/* Renderers of kres top: vmstat-like batch lines, JSON lines, and the full-screen
 * ncurses view. They read one struct top_view and never touch /proc. */
#ifndef KRES_TOP_OUT_H
#define KRES_TOP_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sample/leak.h"
#include "sample/pressure.h"
#include "sample/procs.h"
#include "sample/rates.h"
#include "sample/snap.h"

#define TOP_EVENTS 8

struct top_event {
	char when[32];           /* "14:03:07" or "+1234.5s" */
	char category[32];
	char text[200];          /* one line: signature subject and fields */
};

struct top_view {
	const struct snap *snap;         /* current snapshot */
	const struct rates *r;           /* NULL-safe: r->valid false on the first sample */
	const struct pressure *p;
	const struct procs *procs;       /* order[0..norder) are the processes to show */
	const struct leak_cfg *leak;
	double interval;
	const char *hostname;
	/* kernel events from /dev/kmsg, newest last; nevents 0 when the follower is off */
	bool events_on;
	const char *events_off_why;      /* why not, shown in the panel */
	struct top_event ev[TOP_EVENTS];
	size_t nevents;
	const char *errv[32];            /* "path[ line N]: message" per file that failed */
	size_t nerrv;
};

/* Batch: a header every 'every' lines (0: once) and one line per sample. */
void top_batch_header(FILE *out);
void top_batch_line(FILE *out, const struct top_view *v);
/* Lines under each sample line in batch mode: the reason for every grade that is
 * not ok, every leaking process with its rate and time to exhaustion, and every
 * file that could not be read. They repeat while the condition lasts. */
void top_batch_notes(FILE *out, const struct top_view *v);
/* One JSON object per sample (docs/top-json.md). */
void top_json_line(FILE *out, const struct top_view *v);

/* The full-screen view. top_curses_start fails (returns -1) without a terminal. */
int top_curses_start(void);
void top_curses_draw(const struct top_view *v);
/* Waits up to ms for a key; returns 'q' to quit, 0 on timeout, or the key. */
int top_curses_wait(int ms);
void top_curses_stop(void);

#endif
