/* SPDX-License-Identifier: MIT */
/* A hostile HTTP/1.1 client for tests/real/t-serve-hostile.sh: it does to an HTTP agent
 * what a broken or malicious client would, and prints what the server did, one line
 * per result: words first, then key=value fields (no spaces inside a value).
 *   hostile HOST PORT headers SIZE        GET /metrics with one SIZE-byte header
 *   hostile HOST PORT slowloris N SECS    N connections that send a request line and a
 *                                         Host header, then one more header byte a
 *                                         second, never the blank line, for SECS seconds
 *   hostile HOST PORT idle N SECS         N connections that send nothing
 *   hostile HOST PORT keepalive N SECS    N connections that send one complete request
 *                                         (keep-alive), then nothing
 *   hostile HOST PORT flood N             N concurrent GET /metrics, Connection: close,
 *                                         all started at once (nonblocking, epoll)
 *   hostile HOST PORT methods             odd methods and malformed requests, one per
 *                                         connection, each with the answers kres serve's
 *                                         contract (spec/serve-cli.md) allows
 * HOST is a numeric IPv4 or IPv6 address. A result is the HTTP status the server sent,
 * "closed" (it closed or reset the connection without a status line), "refused" (the
 * connect failed) or "timeout" (no answer in time). Every mode runs under alarm(), so it
 * never hangs. Exit status: 0 when the server behaved (what "behaved" means is said per
 * mode), 1 when it did not, 2 for a usage or local error, 3 when the overall timeout
 * fired. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_storage peer;
static socklen_t peer_len;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_alarm(int sig)
{
	static const char msg[] = "hostile: overall timeout, giving up\n";
	(void)sig;
	ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)w;
	_exit(3);
}

/* Every mode's hard limit: whatever the server does, the process ends by then. */
static void arm(unsigned secs)
{
	signal(SIGALRM, on_alarm);
	alarm(secs);
}

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("hostile: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		die("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

static long arg_long(const char *s, const char *what, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("bad %s '%s' (want %ld..%ld)", what, s, min, max);
	return v;
}

static void resolve(const char *host, const char *port)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV};
	struct addrinfo *res;
	int e = getaddrinfo(host, port, &hints, &res);
	if (e)
		die("bad address '%s' port '%s': %s", host, port, gai_strerror(e));
	memcpy(&peer, res->ai_addr, res->ai_addrlen);
	peer_len = res->ai_addrlen;
	freeaddrinfo(res);
}

/* Starts a nonblocking connect to the server: the socket, or -errno. */
static int conn_start(void)
{
	int fd = socket(peer.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&peer, peer_len) < 0 && errno != EINPROGRESS) {
		int e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

/* Once the socket polled writable: 0 when connected, else -errno. */
static int conn_result(int fd)
{
	int e = 0;
	socklen_t l = sizeof e;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l) < 0)
		return -errno;
	return -e;
}

/* ---- what came back ------------------------------------------------------------------ */

/* One response as it arrives: the first cap bytes are kept (status line, headers and
 * the start of the body), the rest only counted. */
struct reply {
	char *buf;
	size_t cap, n;
	size_t total;    /* bytes received */
	size_t hlen;     /* header block length with its blank line; 0 until complete */
	int status;      /* 0 until a status line arrived */
	long long clen;  /* Content-Length, -1 without */
	bool chunked;    /* Transfer-Encoding: chunked */
	char tail[5];    /* the last bytes received, to see a chunked body's end */
	bool eof;        /* the server closed the connection */
	int err;         /* errno of a failed connect or receive (ECONNRESET ...) */
	bool refused;    /* the connect failed */
};

static void reply_init(struct reply *r, size_t cap)
{
	memset(r, 0, sizeof *r);
	r->buf = xcalloc(1, cap);
	r->cap = cap;
	r->clen = -1;
}

/* The value of header NAME in the complete header block, trimmed, in out (truncated to
 * its size); false when absent. */
static bool reply_header(const struct reply *r, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);
	const char *p = r->buf, *end = r->buf + r->hlen;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			break;
		if ((size_t)(eol - p) > nl && !strncasecmp(p, name, nl) && p[nl] == ':') {
			const char *v = p + nl + 1, *ve = eol;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			size_t k = (size_t)(ve - v) < size - 1 ? (size_t)(ve - v) : size - 1;
			memcpy(out, v, k);
			out[k] = 0;
			return true;
		}
		p = eol + 1;
	}
	return false;
}

static void reply_parse_head(struct reply *r)
{
	if (!r->status && r->n >= 12 && !memcmp(r->buf, "HTTP/", 5)) {
		const char *sp = memchr(r->buf, ' ', r->n);
		if (sp && sp + 4 <= r->buf + r->n) {
			int s = 0;
			for (int i = 1; i <= 3; i++)
				s = s * 10 + (sp[i] >= '0' && sp[i] <= '9' ? sp[i] - '0' : 0);
			r->status = s;
		}
	}
	if (r->hlen)
		return;
	const char *e = memmem(r->buf, r->n, "\r\n\r\n", 4);
	if (e)
		r->hlen = (size_t)(e - r->buf) + 4;
	else if ((e = memmem(r->buf, r->n, "\n\n", 2)))
		r->hlen = (size_t)(e - r->buf) + 2;
	if (!r->hlen)
		return;
	char v[64];
	if (reply_header(r, "content-length", v, sizeof v)) {
		char *end;
		errno = 0;
		long long c = strtoll(v, &end, 10);
		if (!errno && end != v && !*end && c >= 0)
			r->clen = c;
	}
	if (reply_header(r, "transfer-encoding", v, sizeof v) && strcasestr(v, "chunked"))
		r->chunked = true;
}

static void reply_feed(struct reply *r, const char *data, size_t len)
{
	size_t k = len < r->cap - r->n ? len : r->cap - r->n;
	memcpy(r->buf + r->n, data, k);
	r->n += k;
	r->total += len;
	for (size_t i = len > 5 ? len - 5 : 0; i < len; i++) {
		memmove(r->tail, r->tail + 1, 4);
		r->tail[4] = data[i];
	}
	reply_parse_head(r);
}

static size_t reply_body(const struct reply *r)
{
	return r->hlen ? r->total - r->hlen : 0;
}

/* The whole response is in (by Content-Length or the chunked body's last chunk). */
static bool reply_complete(const struct reply *r)
{
	if (!r->hlen)
		return false;
	if (r->chunked)
		return !memcmp(r->tail, "0\r\n\r\n", 5);
	return r->clen >= 0 && (long long)reply_body(r) >= r->clen;
}

/* The result word: the status, or what happened instead. */
static const char *reply_result(const struct reply *r, char *tmp, size_t size)
{
	if (r->status) {
		snprintf(tmp, size, "%d", r->status);
		return tmp;
	}
	if (r->refused)
		return "refused";
	if (r->eof || r->err)
		return "closed";
	return "timeout";
}

/* How the exchange ended: eof, reset (or another receive error), refused, or open. */
static const char *reply_how(const struct reply *r)
{
	if (r->refused)
		return "refused";
	if (r->err == ECONNRESET)
		return "reset";
	if (r->err)
		return strerrorname_np(r->err) ? strerrorname_np(r->err) : "error";
	return r->eof ? "eof" : "open";
}

/* Sends len bytes of req on a new connection while reading what comes back, until the
 * server closes the connection or wait_s seconds pass. The server may answer early
 * and close: sending then stops, reading goes on. Sets *sent. */
static void exchange(const char *req, size_t len, double wait_s, struct reply *r, size_t *sent)
{
	double end = now() + wait_s;
	bool connected = false, can_send = true;
	static char chunk[65536];
	*sent = 0;
	int fd = conn_start();
	if (fd < 0) {
		r->err = -fd;
		r->refused = true;
		return;
	}
	for (;;) {
		double left = end - now();
		if (left <= 0)
			break;
		bool want_out = !connected || (can_send && *sent < len);
		struct pollfd p = {.fd = fd, .events = POLLIN | (want_out ? POLLOUT : 0)};
		int k = poll(&p, 1, (int)(left * 1000) + 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			die("poll: %s", strerror(errno));
		if (k == 0)
			break;
		if (!connected) {
			int e = conn_result(fd);
			if (e) {
				r->err = -e;
				r->refused = true;
				break;
			}
			connected = true;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t m = recv(fd, chunk, sizeof chunk, 0);
			if (m > 0) {
				reply_feed(r, chunk, (size_t)m);
			} else if (m == 0) {
				r->eof = true;
				break;
			} else if (errno != EAGAIN && errno != EINTR) {
				r->err = errno;
				break;
			}
		}
		if (can_send && *sent < len && (p.revents & POLLOUT)) {
			ssize_t m = send(fd, req + *sent, len - *sent, MSG_NOSIGNAL);
			if (m > 0)
				*sent += (size_t)m;
			else if (m < 0 && errno != EAGAIN && errno != EINTR)
				can_send = false; /* EPIPE, ECONNRESET: read what it said */
		}
	}
	close(fd);
}

/* ---- headers ------------------------------------------------------------------------- */

/* Behaved: a 4xx or a closed connection (never a 2xx: the header is far too big). */
static int mode_headers(long size)
{
	static const char pre[] = "GET /metrics HTTP/1.1\r\nHost: localhost\r\nX-Big: ";
	static const char post[] = "\r\nConnection: close\r\n\r\n";
	size_t len = sizeof pre - 1 + (size_t)size + sizeof post - 1;
	char *req = xcalloc(1, len);
	memcpy(req, pre, sizeof pre - 1);
	memset(req + sizeof pre - 1, 'a', (size_t)size);
	memcpy(req + sizeof pre - 1 + (size_t)size, post, sizeof post - 1);

	arm(60);
	struct reply r;
	reply_init(&r, 65536);
	size_t sent;
	double t0 = now();
	exchange(req, len, 30, &r, &sent);
	char tmp[16];
	const char *res = reply_result(&r, tmp, sizeof tmp);
	printf("headers size=%ld result=%s how=%s sent=%zu of=%zu ms=%.0f\n", size, res,
	       reply_how(&r), sent, len, (now() - t0) * 1000);
	free(req);
	free(r.buf);
	bool ok = (r.status >= 400 && r.status < 500) || (!r.status && (r.eof || r.err));
	return ok ? 0 : 1;
}

/* Adds status to the comma-separated list codes (once). */
static void codes_add(char *codes, size_t size, int status)
{
	char s[16];
	snprintf(s, sizeof s, "%d", status);
	for (const char *p = codes; (p = strstr(p, s)); p += strlen(s))
		if ((p == codes || p[-1] == ',') && (p[strlen(s)] == ',' || !p[strlen(s)]))
			return;
	size_t n = strlen(codes);
	snprintf(codes + n, size - n, "%s%s", n ? "," : "", s);
}

/* ---- slowloris, idle, keepalive ---------------------------------------------------- */

enum slow_kind { SLOW_TRICKLE, SLOW_IDLE, SLOW_KEEPALIVE };

struct slow {
	int fd;            /* -1 once closed */
	double t0;         /* when the connect completed */
	double closed_s;   /* seconds after t0 the server closed it; -1 while open */
	size_t trickled;   /* trickle bytes sent */
	bool connected;
	struct reply r;
};

/* Sends the connection's opening bytes: a request line and Host header (trickle), a
 * whole request (keepalive), nothing (idle). */
static void slow_open(struct slow *c, enum slow_kind kind)
{
	static const char partial[] = "GET /metrics HTTP/1.1\r\nHost: localhost\r\n";
	static const char whole[] = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
	const char *s = kind == SLOW_TRICKLE ? partial : kind == SLOW_KEEPALIVE ? whole : NULL;
	c->connected = true;
	c->t0 = now();
	if (s && send(c->fd, s, strlen(s), MSG_NOSIGNAL) < 0)
		c->r.err = errno;
}

static void slow_close(struct slow *c)
{
	c->closed_s = now() - c->t0;
	close(c->fd);
	c->fd = -1;
}

/* One poll round over the open connections (at most 50 ms); returns how many are open. */
static int slow_round(struct slow *cs, int n, struct pollfd *pf, enum slow_kind kind)
{
	static const char trickle[] = "X-a: b\r\n"; /* one header after another, a byte a second */
	int open = 0;
	for (int i = 0; i < n; i++) {
		pf[i].fd = cs[i].fd;
		pf[i].events = POLLIN | (cs[i].connected ? 0 : POLLOUT);
		pf[i].revents = 0;
		open += cs[i].fd >= 0;
	}
	if (!open)
		return 0;
	if (poll(pf, (nfds_t)n, 50) < 0 && errno != EINTR)
		die("poll: %s", strerror(errno));
	double t = now();
	for (int i = 0; i < n; i++) {
		struct slow *c = &cs[i];
		if (c->fd < 0)
			continue;
		if (!c->connected && pf[i].revents) {
			int e = conn_result(c->fd);
			if (e) {
				c->r.refused = true;
				c->r.err = -e;
				close(c->fd);
				c->fd = -1;
				continue;
			}
			slow_open(c, kind);
		}
		if (pf[i].revents & (POLLIN | POLLHUP | POLLERR)) {
			char b[4096];
			ssize_t m = recv(c->fd, b, sizeof b, 0);
			if (m > 0) {
				reply_feed(&c->r, b, (size_t)m);
			} else if (m == 0 || (errno != EAGAIN && errno != EINTR)) {
				c->r.eof = m == 0;
				c->r.err = m < 0 ? errno : 0;
				slow_close(c);
				continue;
			}
		}
		if (kind == SLOW_TRICKLE && c->connected && t - c->t0 >= (double)(c->trickled + 1)) {
			char byte = trickle[c->trickled % (sizeof trickle - 1)];
			if (send(c->fd, &byte, 1, MSG_NOSIGNAL) == 1) {
				c->trickled++;
			} else if (errno != EAGAIN && errno != EINTR) {
				c->r.err = errno;
				slow_close(c);
			}
		}
	}
	return open;
}

/* Behaved: the server closed every connection within secs. */
static int mode_slow(enum slow_kind kind, long n, long secs)
{
	static const char *const names[] = {"slowloris", "idle", "keepalive"};
	arm((unsigned)secs + 30);
	struct slow *cs = xcalloc((size_t)n, sizeof *cs);
	struct pollfd *pf = xcalloc((size_t)n, sizeof *pf);
	for (long i = 0; i < n; i++) {
		reply_init(&cs[i].r, 4096);
		cs[i].closed_s = -1;
		cs[i].fd = conn_start();
		if (cs[i].fd < 0) {
			cs[i].r.refused = true;
			cs[i].r.err = -cs[i].fd;
		}
	}
	double end = now() + (double)secs;
	while (now() < end && slow_round(cs, (int)n, pf, kind) > 0)
		;
	int closed = 0, refused = 0, answered = 0, still = 0;
	double lo = -1, hi = -1;
	char codes[256] = "";
	for (long i = 0; i < n; i++) {
		struct slow *c = &cs[i];
		if (c->r.refused) {
			refused++;
			continue;
		}
		if (c->r.status) {
			answered++;
			codes_add(codes, sizeof codes, c->r.status);
		}
		if (c->fd >= 0) {
			still++;
			close(c->fd);
			continue;
		}
		closed++;
		lo = lo < 0 || c->closed_s < lo ? c->closed_s : lo;
		hi = c->closed_s > hi ? c->closed_s : hi;
	}
	printf("%s conns=%ld secs=%ld closed=%d open=%d refused=%d answered=%d codes=%s "
	       "first_close_s=%.2f last_close_s=%.2f\n",
	       names[kind], n, secs, closed, still, refused, answered, *codes ? codes : "-", lo, hi);
	for (long i = 0; i < n; i++)
		free(cs[i].r.buf);
	free(cs);
	free(pf);
	return closed == n ? 0 : 1;
}

/* ---- flood ----------------------------------------------------------------------------- */

enum fstate { F_CONNECTING, F_READING, F_DONE };

struct fconn {
	int fd;
	enum fstate state;
	double t0, t1;     /* connect started, response complete (or failure) */
	struct reply r;
};

static void flood_raise_nofile(long n)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit: %s", strerror(errno));
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit RLIMIT_NOFILE %llu: %s", (unsigned long long)rl.rlim_max, strerror(errno));
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)n + 16)
		die("RLIMIT_NOFILE hard limit %llu is below %ld connections",
		    (unsigned long long)rl.rlim_cur, n + 16);
}

static void flood_finish(int ep, struct fconn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->state = F_DONE;
	c->t1 = now();
}

/* Handles one epoll event of connection c. */
static void flood_event(int ep, struct fconn *c, uint32_t ev)
{
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
	static char b[65536];
	if (c->state == F_CONNECTING) {
		int e = conn_result(c->fd);
		if (e) {
			c->r.refused = true;
			c->r.err = -e;
			flood_finish(ep, c);
			return;
		}
		if (send(c->fd, req, sizeof req - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof req - 1)) {
			c->r.err = errno;
			flood_finish(ep, c);
			return;
		}
		c->state = F_READING;
		struct epoll_event e2 = {.events = EPOLLIN, .data.ptr = c};
		epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e2);
		if (!(ev & (EPOLLIN | EPOLLHUP | EPOLLERR)))
			return;
	}
	for (;;) {
		ssize_t m = recv(c->fd, b, sizeof b, 0);
		if (m > 0) {
			reply_feed(&c->r, b, (size_t)m);
			if (reply_complete(&c->r)) {
				flood_finish(ep, c);
				return;
			}
			continue;
		}
		if (m < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		c->r.eof = m == 0;
		c->r.err = m < 0 ? errno : 0;
		flood_finish(ep, c);
		return;
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static double pct(const double *v, int n, double p)
{
	if (n == 0)
		return -1;
	int k = (int)((p / 100.0) * n + 0.999999);
	return v[(k < 1 ? 1 : k) - 1];
}

/* Behaved: every connection ended (a complete 200, a 503, or refused/closed/reset);
 * none hung, none got a truncated body or another status. How many got 200 is for the
 * caller to judge: it depends on the server's connection limit. */
static int mode_flood(long n)
{
	flood_raise_nofile(n);
	arm(120);
	struct fconn *cs = xcalloc((size_t)n, sizeof *cs);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1: %s", strerror(errno));
	int pending = 0;
	double start = now();
	for (long i = 0; i < n; i++) {
		struct fconn *c = &cs[i];
		reply_init(&c->r, 4096);
		c->t0 = now();
		c->fd = conn_start();
		if (c->fd < 0) {
			c->r.refused = true;
			c->r.err = -c->fd;
			c->state = F_DONE;
			c->t1 = now();
			continue;
		}
		struct epoll_event e = {.events = EPOLLOUT | EPOLLIN, .data.ptr = c};
		if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e) < 0)
			die("epoll_ctl: %s", strerror(errno));
		pending++;
	}
	struct epoll_event evs[256];
	double deadline = start + 60;
	while (pending > 0 && now() < deadline) {
		int k = epoll_wait(ep, evs, 256, 100);
		if (k < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		for (int i = 0; i < k; i++) {
			struct fconn *c = evs[i].data.ptr;
			flood_event(ep, c, evs[i].events);
			pending -= c->state == F_DONE;
		}
	}
	double elapsed = now() - start;

	int ok = 0, refused = 0, reset = 0, closed = 0, truncated = 0, timeout = 0, other = 0, s503 = 0;
	double *lat = xcalloc((size_t)n, sizeof *lat);
	char codes[256] = "";
	for (long i = 0; i < n; i++) {
		struct fconn *c = &cs[i];
		struct reply *r = &c->r;
		if (c->state != F_DONE) {
			timeout++;
			close(c->fd);
		} else if (r->status == 200 && (reply_complete(r) || (r->eof && r->clen < 0 && !r->chunked))) {
			lat[ok++] = (c->t1 - c->t0) * 1000;
		} else if (r->status == 200) {
			truncated++;
		} else if (r->status) {
			if (r->status == 503)
				s503++;
			else
				other++;
			codes_add(codes, sizeof codes, r->status);
		} else if (r->refused) {
			refused++;
		} else if (r->err) {
			reset++;
		} else {
			closed++;
		}
	}
	qsort(lat, (size_t)ok, sizeof *lat, cmp_double);
	printf("flood conns=%ld ok=%d refused=%d reset=%d closed=%d s503=%d other=%d codes=%s "
	       "truncated=%d timeout=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f elapsed_s=%.2f\n",
	       n, ok, refused, reset, closed, s503, other, *codes ? codes : "-", truncated, timeout,
	       pct(lat, ok, 50), pct(lat, ok, 99), ok ? lat[ok - 1] : -1.0, elapsed);
	for (long i = 0; i < n; i++)
		free(cs[i].r.buf);
	free(cs);
	free(lat);
	close(ep);
	return timeout || truncated || other ? 1 : 0;
}

/* ---- methods and malformed requests ------------------------------------------------- */

#define H "Host: localhost\r\n"
#define CLOSE "Connection: close\r\n"
/* A literal request, its length counted by the compiler (some hold a NUL). */
#define REQ(s) s, sizeof(s) - 1

enum gen { GEN_NONE, GEN_LONG_PATH, GEN_MANY_HEADERS, GEN_PARTIAL_BODY };

/* One case: the request (or the fixed part of a generated one) and the results kres
 * serve's contract allows, "|"-separated. Endpoints take GET and HEAD only (others 405
 * with Allow), unknown paths 404, request bodies 413, header blocks over 16 KiB 431 or a
 * closed connection; a request HTTP cannot parse gets 400 (505 for a version it does
 * not speak) or a closed connection. */
static const struct hcase {
	const char *name;
	const char *req;
	size_t len;
	enum gen gen;
	const char *want;
} cases[] = {
	/* controls: the same connection handling answers a good request */
	{"get-metrics", REQ("GET /metrics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "200"},
	{"head-metrics", REQ("HEAD /metrics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "200"},
	{"http10-metrics", REQ("GET /metrics HTTP/1.0\r\n\r\n"), GEN_NONE, "200"},
	{"query-ignored", REQ("GET /metrics?a[]=1&%zz=%00 HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "200"},
	/* methods other than GET and HEAD, on an endpoint that exists */
	{"method-POST", REQ("POST /metrics HTTP/1.1\r\n" H "Content-Length: 0\r\n" CLOSE "\r\n"), GEN_NONE, "405"},
	{"method-PUT", REQ("PUT /metrics HTTP/1.1\r\n" H "Content-Length: 0\r\n" CLOSE "\r\n"), GEN_NONE, "405"},
	{"method-DELETE", REQ("DELETE /metrics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "405"},
	{"method-PATCH", REQ("PATCH /metrics HTTP/1.1\r\n" H "Content-Length: 0\r\n" CLOSE "\r\n"), GEN_NONE, "405"},
	{"method-OPTIONS", REQ("OPTIONS /metrics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "405"},
	{"method-TRACE", REQ("TRACE /metrics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "405"},
	{"method-CONNECT", REQ("CONNECT /metrics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "405"},
	{"method-BREW", REQ("BREW /metrics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "405"}, /* RFC 2324 */
	{"method-lowercase-get", REQ("get /metrics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "405|400"},
	{"method-POST-healthz", REQ("POST /healthz HTTP/1.1\r\n" H "Content-Length: 0\r\n" CLOSE "\r\n"), GEN_NONE, "405"},
	{"method-DELETE-events", REQ("DELETE /events HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "405"},
	/* paths that are not endpoints, traversal in every spelling */
	{"path-unknown", REQ("GET /nope HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404"},
	{"path-traversal", REQ("GET /../../etc/passwd HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404"},
	{"path-traversal-deep", REQ("GET /metrics/../../../../etc/passwd HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404"},
	{"path-traversal-pct", REQ("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404"},
	{"path-traversal-pct-slash", REQ("GET /..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404"},
	{"path-traversal-backslash", REQ("GET /..\\..\\etc\\passwd HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404|400"},
	{"path-traversal-nopath", REQ("GET ../../etc/passwd HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404|400"},
	/* percent-encoding: /%6d%65trics is /metrics (RFC 3986 6.2.2.2); an encoded NUL must
	 * not cut the path short */
	{"path-pct-metrics", REQ("GET /%6d%65trics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "200|404"},
	{"path-pct-nul", REQ("GET /metrics%00.html HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404|400"},
	{"path-pct-bad", REQ("GET /%zz%4 HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404|400"},
	{"path-nul", REQ("GET /met\0rics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "400|404|closed"},
	{"path-space", REQ("GET /met rics HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "400|404|closed"},
	{"path-asterisk", REQ("GET * HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404|400"},
	{"path-absolute-uri", REQ("GET http://localhost/nope HTTP/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "404|400"},
	{"path-64k", REQ("GET /"), GEN_LONG_PATH, "414|431|400|closed"},
	/* request lines and headers HTTP cannot parse */
	{"garbage-binary", REQ("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xde\xad\xbe\xef\r\n\r\n"), GEN_NONE, "400|closed"},
	{"garbage-text", REQ("\xff\xfe\x00\x01hello\x7f\x1b[2J\r\n\r\n"), GEN_NONE, "400|closed"},
	{"garbage-empty-lines", REQ("\r\n\r\n\r\n\r\n\r\n\r\n"), GEN_NONE, "400|closed"},
	{"http09", REQ("GET /\r\n"), GEN_NONE, "400|505|closed"},
	{"http09-blank", REQ("GET /\r\n\r\n"), GEN_NONE, "400|505|closed"},
	{"no-version", REQ("GET /metrics\r\n" H "\r\n"), GEN_NONE, "400|505|closed"},
	{"version-absurd", REQ("GET /metrics HTTP/9.9\r\n" H CLOSE "\r\n"), GEN_NONE, "505|400|closed"},
	{"version-huge", REQ("GET /metrics HTTP/1.99999999999999999999\r\n" H CLOSE "\r\n"), GEN_NONE, "505|400|closed"},
	{"version-garbage", REQ("GET /metrics FOO/1.1\r\n" H CLOSE "\r\n"), GEN_NONE, "505|400|closed"},
	{"header-no-colon", REQ("GET /metrics HTTP/1.1\r\n" H "Bogus header line\r\n" CLOSE "\r\n"), GEN_NONE, "400|200|closed"},
	{"header-nul", REQ("GET /metrics HTTP/1.1\r\n" H "X-A: a\0b\r\n" CLOSE "\r\n"), GEN_NONE, "400|200|closed"},
	{"headers-many", REQ("GET /metrics HTTP/1.1\r\n" H), GEN_MANY_HEADERS, "431|400|closed"},
	/* request bodies: none is accepted, and the server must not wait for 10 MiB */
	{"get-body", REQ("GET /metrics HTTP/1.1\r\n" H "Content-Length: 10\r\n" CLOSE "\r\n0123456789"), GEN_NONE, "413|closed"},
	{"post-10mib-partial", REQ("POST /metrics HTTP/1.1\r\n" H "Content-Length: 10485760\r\n" CLOSE "\r\n"), GEN_PARTIAL_BODY, "405|413|closed"},
	{"post-expect-100", REQ("POST /metrics HTTP/1.1\r\n" H "Content-Length: 10485760\r\nExpect: 100-continue\r\n" CLOSE "\r\n"), GEN_NONE, "405|413|417|closed"},
	{"post-chunked", REQ("POST /metrics HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n" CLOSE "\r\n5\r\nhello\r\n0\r\n\r\n"), GEN_NONE, "405|413|closed"},
	{"get-chunked", REQ("GET /metrics HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n" CLOSE "\r\n5\r\nhello\r\n0\r\n\r\n"), GEN_NONE, "413|400|closed"},
	{"chunked-bad-size", REQ("POST /metrics HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n" CLOSE "\r\nzzzz\r\nhello\r\n"), GEN_NONE, "400|405|413|closed"},
	{"chunked-huge-size", REQ("POST /metrics HTTP/1.1\r\n" H "Transfer-Encoding: chunked\r\n" CLOSE "\r\nffffffffffffffffffff\r\nhello\r\n"), GEN_NONE, "400|405|413|closed"},
	{"cl-and-te", REQ("GET /metrics HTTP/1.1\r\n" H "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n" CLOSE "\r\n0\r\n\r\n"), GEN_NONE, "400|413|closed"},
	{"cl-negative", REQ("GET /metrics HTTP/1.1\r\n" H "Content-Length: -1\r\n" CLOSE "\r\n"), GEN_NONE, "400|413|closed"},
	{"cl-overflow", REQ("GET /metrics HTTP/1.1\r\n" H "Content-Length: 184467440737095516160\r\n" CLOSE "\r\n"), GEN_NONE, "400|413|closed"},
	{"cl-garbage", REQ("GET /metrics HTTP/1.1\r\n" H "Content-Length: 12abc\r\n" CLOSE "\r\n"), GEN_NONE, "400|413|closed"},
};

/* Builds case c's request into *out (caller frees): the literal, or the literal with a
 * 64 KiB path, 40 KiB of small headers, or the first 64 KiB of a 10 MiB body. */
static size_t case_build(const struct hcase *c, char **out)
{
	size_t extra = c->gen == GEN_NONE ? 0 : 70000;
	char *b = xcalloc(1, c->len + extra + 64);
	size_t n = c->len;
	memcpy(b, c->req, n);
	switch (c->gen) {
	case GEN_NONE:
		break;
	case GEN_LONG_PATH:
		memset(b + n, 'a', 65536);
		n += 65536;
		n += (size_t)snprintf(b + n, 64, " HTTP/1.1\r\n" H CLOSE "\r\n");
		break;
	case GEN_MANY_HEADERS:
		for (int i = 0; i < 2000; i++) /* 20 bytes each */
			n += (size_t)snprintf(b + n, 32, "X-Hdr-%04d: vvvvvv\r\n", i);
		n += (size_t)snprintf(b + n, 64, CLOSE "\r\n");
		break;
	case GEN_PARTIAL_BODY:
		memset(b + n, 'b', 65536);
		n += 65536;
		break;
	}
	*out = b;
	return n;
}

/* Whether result res is one of want's "|"-separated words. */
static bool want_has(const char *want, const char *res)
{
	size_t rl = strlen(res);
	for (const char *p = want; *p;) {
		const char *bar = strchr(p, '|');
		size_t l = bar ? (size_t)(bar - p) : strlen(p);
		if (l == rl && !strncmp(p, res, l))
			return true;
		p += l + (bar != NULL);
	}
	return false;
}

/* Prints one line per case: NAME RESULT want=... ok=yes|no how=... allow=... body=BYTES
 * sent=BYTES ms=MS (allow only with a 405; body counts what followed the headers, so it
 * must be 0 for HEAD; "-" when the header block never completed). Behaved: every case
 * ok, and no answer holds a line of /etc/passwd. */
static int mode_methods(void)
{
	size_t ncases = sizeof cases / sizeof cases[0];
	arm((unsigned)(ncases * 6 + 30));
	int bad = 0;
	for (size_t i = 0; i < ncases; i++) {
		const struct hcase *c = &cases[i];
		char *req;
		size_t len = case_build(c, &req), sent;
		struct reply r;
		reply_init(&r, 65536);
		double t0 = now();
		exchange(req, len, 5, &r, &sent);
		char tmp[16], allow[64] = "-", body[24] = "-";
		const char *res = reply_result(&r, tmp, sizeof tmp);
		bool ok = want_has(c->want, res);
		if (memmem(r.buf, r.n, "root:x:0:0:", 11)) {
			res = "LEAKED-etc-passwd";
			ok = false;
		}
		if (r.status == 405 && r.hlen && reply_header(&r, "allow", allow, sizeof allow)) {
			char *w = allow;
			for (const char *p = allow; *p; p++) /* no spaces inside a field */
				if (*p != ' ')
					*w++ = *p;
			*w = 0;
		}
		if (r.hlen)
			snprintf(body, sizeof body, "%zu", reply_body(&r));
		printf("%s %s want=%s ok=%s how=%s allow=%s body=%s sent=%zu ms=%.0f\n", c->name, res,
		       c->want, ok ? "yes" : "no", reply_how(&r), *allow ? allow : "-", body, sent,
		       (now() - t0) * 1000);
		fflush(stdout);
		bad += !ok;
		free(req);
		free(r.buf);
	}
	return bad ? 1 : 0;
}

static void usage(void)
{
	fputs("usage: hostile HOST PORT headers SIZE\n"
	      "       hostile HOST PORT slowloris|idle|keepalive N SECS\n"
	      "       hostile HOST PORT flood N\n"
	      "       hostile HOST PORT methods\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		usage();
	resolve(argv[1], argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argv[3];
	if (!strcmp(m, "headers") && argc == 5)
		return mode_headers(arg_long(argv[4], "size", 1, 256L << 20));
	if (!strcmp(m, "flood") && argc == 5)
		return mode_flood(arg_long(argv[4], "connection count", 1, 100000));
	if (!strcmp(m, "methods") && argc == 4)
		return mode_methods();
	static const char *const slow[] = {"slowloris", "idle", "keepalive"};
	for (int k = 0; k < 3; k++)
		if (!strcmp(m, slow[k]) && argc == 6)
			return mode_slow((enum slow_kind)k, arg_long(argv[4], "connection count", 1, 10000),
					 arg_long(argv[5], "seconds", 1, 3600));
	usage();
}
