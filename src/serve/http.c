// SPDX-License-Identifier: MIT
/* libmicrohttpd glue of kres serve: one daemon without a thread of its own, methods,
 * authentication, bodies and the request deadline. See http.h. */
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "serve/http.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Per connection: when it opened or last answered, and whether a request is in. */
struct conn {
	struct conn *prev, *next;
	int fd;
	double since;
	bool busy;  /* a complete request arrived and is not finished */
	bool cut;
};

/* libmicrohttpd's memory per connection: the request's header block and the
 * response's headers share it, so a header block of more than about 16 KiB gets 431. */
#define HTTP_POOL (16 * 1024)

struct http {
	struct MHD_Daemon *d;
	int fd;                   /* our dup of the listen socket */
	http_route_fn route;
	void *ctx;
	struct http_stats *st;
	struct webcfg *web;
	unsigned timeout;
	struct conn conns;        /* list head */
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct blob *blob_new(const char *p, size_t n)
{
	struct blob *b = xmalloc(sizeof(*b) + n + 1);
	b->refs = 1;
	b->len = n;
	if (p && n)
		memcpy(b->data, p, n);
	b->data[n] = '\0';
	return b;
}

struct blob *blob_ref(struct blob *b)
{
	if (b)
		b->refs++;
	return b;
}

void blob_unref(struct blob *b)
{
	if (b && --b->refs == 0)
		free(b);
}

static void blob_free_cb(void *cls)
{
	blob_unref(cls);
}

static void count(struct http_stats *st, int code)
{
	size_t i = 0;
	while (i < st->ncode && st->code[i].code < code)
		i++;
	if (i < st->ncode && st->code[i].code == code) {
		st->code[i].n++;
		return;
	}
	if (st->ncode == sizeof(st->code) / sizeof(st->code[0]))
		return; /* the codes kres sends are few; never more than 16 */
	memmove(&st->code[i + 1], &st->code[i], (st->ncode - i) * sizeof(st->code[0]));
	st->code[i].code = code;
	st->code[i].n = 1;
	st->ncode++;
}

static enum MHD_Result send_resp(struct http *h, struct MHD_Connection *c, struct http_resp *rs,
				 const char *allow)
{
	struct MHD_Response *r;
	if (rs->body)
		r = MHD_create_response_from_buffer_with_free_callback_cls(rs->body->len, rs->body->data,
									   blob_free_cb, rs->body);
	else
		r = MHD_create_response_from_buffer(0, (void *)(uintptr_t) "", MHD_RESPMEM_PERSISTENT);
	if (!r) {
		blob_unref(rs->body);
		return MHD_NO;
	}
	if (rs->ctype)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rs->ctype);
	if (rs->gzip)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	if (rs->status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Basic realm=\"kres\"");
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	count(h->st, rs->status);
	return ret;
}

static enum MHD_Result send_text(struct http *h, struct MHD_Connection *c, int status,
				 const char *text, const char *allow)
{
	struct http_resp rs = {.status = status, .ctype = "text/plain; charset=utf-8",
			       .body = blob_new(text, strlen(text))};
	return send_resp(h, c, &rs, allow);
}

/* Accept-Encoding offers gzip unless with q=0. */
static bool offers_gzip(const char *ae)
{
	for (const char *p = ae; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",");
		if (n >= 4 && !strncasecmp(p, "gzip", 4) && (n == 4 || p[4] == ';' || p[4] == ' ')) {
			const char *q = memmem(p, n, "q=0", 3);
			if (!q || (q + 3 < p + n && q[3] == '.' && strspn(q + 4, "0") < (size_t)(p + n - q - 4)))
				return true;
			return false;
		}
		p += n;
	}
	return false;
}

static struct conn *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Per request: whether the first call (headers complete) has been seen. */
static int seen_headers, answered, bad_uri;

/* Sees the request line's URI before libmicrohttpd decodes it: a %00 in the path
 * would cut the decoded path at the NUL ("/metrics%00.html" read as "/metrics"). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	size_t n = uri ? strcspn(uri, "?") : 0; /* the path; a NUL in the query only filters nothing */
	for (size_t i = 0; i + 2 < n; i++)
		if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0')
			return &bad_uri;
	return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct http *h = cls;
	(void)version;
	(void)upload;
	if (*req_cls == &answered) {
		/* A body after a refusal was queued: libmicrohttpd drops the rest. */
		*upload_size = 0;
		return MHD_YES;
	}
	if (!*req_cls || *req_cls == &bad_uri) {
		struct conn *cn = conn_of(c);
		if (*req_cls == &bad_uri) {
			*req_cls = &answered;
			return send_text(h, c, MHD_HTTP_BAD_REQUEST, "a NUL byte in the request target\n", NULL);
		}
		if (cn)
			cn->busy = true;
		bool get = !strcmp(method, MHD_HTTP_METHOD_GET), head = !strcmp(method, MHD_HTTP_METHOD_HEAD);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
		/* Refusals are queued at once (the connection then closes, its body unread). */
		*req_cls = &answered;
		if (!get && !head)
			return send_text(h, c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n", "GET, HEAD");
		if ((cl && strcmp(cl, "0")) || te)
			return send_text(h, c, MHD_HTTP_CONTENT_TOO_LARGE, "no request body is accepted\n", NULL);
		if (h->web && h->web->nuser &&
		    !webcfg_auth(h->web, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION)))
			return send_text(h, c, MHD_HTTP_UNAUTHORIZED, "unauthorized\n", NULL);
		/* A bodiless request is answered on the next call, once libmicrohttpd has
		 * read the whole request: answering now would cost the keep-alive. */
		*req_cls = &seen_headers;
		return MHD_YES;
	}
	*req_cls = &answered;
	struct http_req rq = {
		.path = url,
		.category = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "category"),
		.gzip_ok = offers_gzip(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
								  MHD_HTTP_HEADER_ACCEPT_ENCODING)),
	};
	struct http_resp rs = {.status = 500};
	h->route(h->ctx, &rq, &rs);
	return send_resp(h, c, &rs, NULL);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)toe;
	*req_cls = NULL;
	struct conn *cn = conn_of(c);
	if (cn) {
		cn->busy = false;
		cn->since = mono_now();
	}
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http *h = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn *cn = xcalloc(1, sizeof(*cn));
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		cn->fd = ci ? ci->connect_fd : -1;
		cn->since = mono_now();
		cn->next = h->conns.next;
		cn->prev = &h->conns;
		h->conns.next->prev = cn;
		h->conns.next = cn;
		*socket_ctx = cn;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_ctx) {
		struct conn *cn = *socket_ctx;
		cn->prev->next = cn->next;
		cn->next->prev = cn->prev;
		free(cn);
		*socket_ctx = NULL;
	}
}

struct http *http_start(const struct http_cfg *cfg, http_route_fn fn, void *ctx,
			struct http_stats *st, char *err, size_t n)
{
	struct http *h = xcalloc(1, sizeof(*h));
	h->route = fn;
	h->ctx = ctx;
	h->st = st;
	h->web = cfg->web;
	h->timeout = cfg->timeout;
	h->conns.next = h->conns.prev = &h->conns;
	h->fd = dup(cfg->listen_fd);
	if (h->fd < 0) {
		snprintf(err, n, "dup of the listen socket: %s", strerror(errno));
		free(h);
		return NULL;
	}
	unsigned flags = MHD_USE_EPOLL;
	bool tls = cfg->web && cfg->web->tls;
	if (tls)
		flags |= MHD_USE_TLS;
	/* The dup is libmicrohttpd's to close; the agent keeps its own fd for reloads. */
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
				MHD_OPTION_LISTEN_SOCKET, h->fd,
				MHD_OPTION_CONNECTION_LIMIT, cfg->max_conn,
				MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_POOL,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, h,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				MHD_OPTION_STRICT_FOR_CLIENT, 1,
				tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, tls ? cfg->web->key_pem : NULL,
				MHD_OPTION_HTTPS_MEM_CERT, tls ? cfg->web->cert_pem : NULL,
				MHD_OPTION_END);
	if (!h->d) {
		snprintf(err, n, "libmicrohttpd could not start%s", tls ? " (is the TLS key or certificate valid?)" : "");
		close(h->fd);
		free(h);
		return NULL;
	}
	return h;
}

int http_epoll_fd(const struct http *h)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD);
	return di ? di->epoll_fd : -1;
}

void http_run(struct http *h)
{
	MHD_run(h->d);
}

int http_timeout_ms(struct http *h)
{
	MHD_UNSIGNED_LONG_LONG ms;
	if (MHD_get_timeout(h->d, &ms) != MHD_YES)
		return -1;
	return ms > 60000 ? 60000 : (int)ms;
}

void http_tick(struct http *h, double now)
{
	for (struct conn *cn = h->conns.next; cn != &h->conns; cn = cn->next) {
		if (cn->busy || cn->cut || cn->fd < 0 || now - cn->since < h->timeout)
			continue;
		/* libmicrohttpd sees the shutdown as the client going away and closes it. */
		shutdown(cn->fd, SHUT_RDWR);
		cn->cut = true;
		h->st->cut++;
	}
}

void http_stop(struct http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	while (h->conns.next != &h->conns) { /* connections libmicrohttpd did not report closed */
		struct conn *cn = h->conns.next;
		h->conns.next = cn->next;
		free(cn);
	}
	free(h);
}
