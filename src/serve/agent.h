/* SPDX-License-Identifier: MIT */
/* The agent of kres serve: one thread, one epoll set holding a timerfd for the
 * sampler, one for the periodic check, a one-second housekeeping timer, a signalfd
 * (SIGTERM and SIGINT end it, SIGHUP reloads), /dev/kmsg, libmicrohttpd's epoll fd
 * and, while a check runs, the pipe from the child process that runs it. A scrape
 * renders from what the agent already holds and never reads /proc; the rendering is
 * cached until the next sample, check or kernel event. The check runs in a forked
 * child so that neither its time nor a fault in it stops the agent. */
#ifndef KRES_SERVE_AGENT_H
#define KRES_SERVE_AGENT_H

#include <stdbool.h>

#include "sample/leak.h"
#include "sample/pressure.h"

struct serve_opts {
	char listen[128];          /* ADDR:PORT */
	double interval;           /* sampler, seconds */
	double check_interval;     /* seconds, 0 never */
	bool kmsg, procs;
	char kmsg_path[256];
	int top_n;
	struct leak_cfg lcfg;
	struct pressure_cfg pcfg;
	bool prof_set;
	enum profile prof;
	char web_config[256];      /* "" none */
	char user[64];             /* "" stay */
	char root[256];            /* "/" or a fixture tree */
	char sigdir[256];
	unsigned max_conn, http_timeout, nevents;
};

/* Reads the options again (the configuration file, then the command line) for a
 * SIGHUP. Returns 0, or -1 with err. */
typedef int (*serve_reload_fn)(struct serve_opts *o, char *err, size_t n, void *ctx);

/* Runs until SIGTERM or SIGINT. Returns the exit code. */
int serve_run(struct serve_opts *o, serve_reload_fn reload, void *ctx);

#endif
