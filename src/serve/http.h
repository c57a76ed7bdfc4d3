/* SPDX-License-Identifier: MIT */
/* The HTTP side of kres serve, on libmicrohttpd driven by the agent's own epoll loop
 * (no thread of its own): MHD's epoll fd sits in the agent's epoll set and
 * http_run() is called when it is readable or its timeout passes. Only GET and HEAD
 * are answered by the agent's route function; anything else is refused here (405,
 * 413 for a request body, 401 without valid basic auth). Limits: at most max_conn
 * connections, a 24 KiB memory pool per connection (a larger header block gets
 * libmicrohttpd's 431), and a deadline: a connection that has not delivered a
 * complete request within timeout seconds of opening (or of its previous response)
 * is shut down, which libmicrohttpd's idle timeout alone does not do for a client
 * trickling a byte at a time. */
#ifndef KRES_SERVE_HTTP_H
#define KRES_SERVE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "serve/webcfg.h"

/* A reference-counted response body, shared by every response that sends it. */
struct blob {
	unsigned refs;
	size_t len;
	char data[];
};
struct blob *blob_new(const char *p, size_t n); /* refs = 1 */
struct blob *blob_ref(struct blob *b);
void blob_unref(struct blob *b);

struct http_req {
	const char *path;
	const char *category; /* ?category= of /events, or NULL */
	bool gzip_ok;         /* Accept-Encoding offers gzip */
};

struct http_resp {
	int status;
	const char *ctype;
	struct blob *body;    /* the route passes one reference; NULL: empty */
	bool gzip;            /* body is gzip-encoded */
};

typedef void (*http_route_fn)(void *ctx, const struct http_req *rq, struct http_resp *rs);

struct http_stats {
	struct {
		int code;
		uint64_t n;
	} code[16];               /* responses by status, in increasing code order */
	size_t ncode;
	uint64_t cut;             /* connections shut by the request deadline */
};

struct http_cfg {
	int listen_fd;            /* bound and listening; http keeps a dup of it */
	unsigned max_conn;
	unsigned timeout;         /* seconds */
	struct webcfg *web;       /* TLS and users, or NULL */
};

struct http;
/* Starts serving on cfg->listen_fd. NULL with err on failure (bad certificate...). */
struct http *http_start(const struct http_cfg *cfg, http_route_fn fn, void *ctx,
			struct http_stats *st, char *err, size_t n);
int http_epoll_fd(const struct http *h);
/* Lets libmicrohttpd do all pending work without blocking. */
void http_run(struct http *h);
/* Milliseconds until libmicrohttpd needs http_run() for a timeout, or -1. */
int http_timeout_ms(struct http *h);
/* Enforces the request deadline; call about once a second. */
void http_tick(struct http *h, double now);
/* Closes every connection and the dup of the listen socket. */
void http_stop(struct http *h);

#endif
