// SPDX-License-Identifier: GPL-2.0
/*
 * The /metrics endpoint: a listening socket socktop makes itself (so a
 * bind error is told plainly), handed to libmicrohttpd in external epoll
 * mode; MHD's epoll fd sits in socktop's loop and MHD_run is called when
 * it is readable and on every tick. Bounded: a few connections, small
 * request memory, a short timeout. Renders with metrics_render.
 */
#include "metrics_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "loop.h"
#include "metrics.h"
#include "mhd_lib.h"

#define HTTP_MAX_CONNS 16
#define HTTP_MAX_PER_IP 8
#define HTTP_TIMEOUT_S 10
#define HTTP_MEMORY (32 * 1024)
#define HTTP_RUN_AGAIN 8 /* MHD_run rounds while MHD says work is pending */

#define CT_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define CT_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"

struct metrics_http {
	struct app *a;
	const struct mhd_lib *m; /* opened at the first --metrics */
	struct MHD_Daemon *d;
	int listen_fd, epoll_fd;
	double start_time;
	char url[96];
};

/* what a request's con_cls points at: seen once, or seen with a body */
static char req_seen, req_body;

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	if (!*s || *s == '+' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int metrics_addr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	uint16_t port;
	size_t n;

	memset(ss, 0, sizeof(*ss));
	colon = strrchr(s, ':');
	if (!colon) { /* a port alone: loopback, never every address by default */
		if (parse_port(s, &port))
			return -EINVAL;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*sin);
		return 0;
	}
	n = (size_t)(colon - s);
	if (!n || n >= sizeof(host) || parse_port(colon + 1, &port))
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	if (host[0] == '[') {
		if (n < 3 || host[n - 1] != ']')
			return -EINVAL;
		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &sin6->sin6_addr) != 1)
			return -EINVAL;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
		return 0;
	}
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return -EINVAL;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	*len = sizeof(*sin);
	return 0;
}

static int listen_on(const char *addr, char *url, size_t urlsz, char *err, size_t errsz)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;
	char host[INET6_ADDRSTRLEN];

	if (metrics_addr_parse(addr, &ss, &len)) {
		snprintf(err, errsz, "--metrics: bad address '%.100s'", addr);
		return -EINVAL;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (ss.ss_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, (struct sockaddr *)&ss, len) || listen(fd, HTTP_MAX_CONNS)) {
		int e = errno;

		snprintf(err, errsz, "--metrics %.100s: cannot listen: %s", addr, strerror(e));
		if (fd >= 0)
			close(fd);
		return -e;
	}
	/* the port the kernel picked, for port 0 */
	len = sizeof(ss);
	if (!getsockname(fd, (struct sockaddr *)&ss, &len)) {
		if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

			inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
			snprintf(url, urlsz, "http://[%s]:%u/metrics", host, ntohs(s6->sin6_port));
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

			inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
			snprintf(url, urlsz, "http://%s:%u/metrics", host, ntohs(s4->sin_port));
		}
	}
	return fd;
}

static enum MHD_Result reply(const struct mhd_lib *m, struct MHD_Connection *c, unsigned int code,
			     const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = m->MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	m->MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		m->MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, MHD_HTTP_METHOD_GET);
	ret = m->MHD_queue_response(c, code, r);
	m->MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result serve_metrics(struct metrics_http *h, struct MHD_Connection *c)
{
	const struct mhd_lib *m = h->m;
	const char *accept =
		m->MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	bool om = accept && strstr(accept, "application/openmetrics-text");
	struct mbuf b = { 0 };
	struct metrics_proc pr;
	struct MHD_Response *r;
	enum MHD_Result ret;

	metrics_proc_read(&pr, h->start_time);
	if (metrics_render(h->a->metrics, h->a, &pr, om, &b)) {
		mbuf_free(&b);
		return reply(m, c, MHD_HTTP_SERVICE_UNAVAILABLE, "socktop: out of memory\n");
	}
	r = m->MHD_create_response_from_buffer(b.len, b.p, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		mbuf_free(&b);
		return MHD_NO;
	}
	m->MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, om ? CT_OPENMETRICS : CT_TEXT);
	ret = m->MHD_queue_response(c, MHD_HTTP_OK, r);
	m->MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct metrics_http *h = cls;

	(void)version;
	(void)upload;
	if (!*con_cls) { /* headers only so far: answer once the request is whole */
		*con_cls = &req_seen;
		return MHD_YES;
	}
	if (*upload_size) { /* a body: read and ignore it, then refuse */
		*upload_size = 0;
		*con_cls = &req_body;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET))
		return reply(h->m, c, MHD_HTTP_METHOD_NOT_ALLOWED,
			     "socktop serves GET /metrics only\n");
	if (strcmp(url, "/metrics"))
		return reply(h->m, c, MHD_HTTP_NOT_FOUND, "socktop serves GET /metrics only\n");
	if (*con_cls == &req_body)
		return reply(h->m, c, MHD_HTTP_BAD_REQUEST, "a GET carries no body\n");
	return serve_metrics(h, c);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct metrics_http *h = cls;
	char line[200];
	size_t n;

	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	app_log(h->a, "metrics: %s", line); /* the log escapes what it prints */
}

static void run(struct metrics_http *h)
{
	const struct mhd_lib *m = h->m;
	MHD_UNSIGNED_LONG_LONG t;

	for (int i = 0; i < HTTP_RUN_AGAIN; i++)
		if (m->MHD_run(h->d) != MHD_YES || m->MHD_get_timeout(h->d, &t) != MHD_YES || t)
			break;
}

static int on_ready(void *ctx, uint32_t events)
{
	(void)events;
	run(ctx);
	return 0;
}

struct metrics_http *metrics_http_open(struct app *a, const char *addr, char *err, size_t errsz)
{
	struct metrics_http *h = calloc(1, sizeof(*h));
	const union MHD_DaemonInfo *info;
	char why[256];
	int rc;

	if (!h) {
		snprintf(err, errsz, "--metrics: %s", strerror(errno));
		return NULL;
	}
	h->m = mhd_lib_open(why, sizeof(why));
	if (!h->m) {
		snprintf(err, errsz, "--metrics: %s", why);
		free(h);
		return NULL;
	}
	h->a = a;
	h->epoll_fd = -1;
	h->start_time = (double)wall_now_ns() / 1e9;
	h->listen_fd = listen_on(addr, h->url, sizeof(h->url), err, errsz);
	if (h->listen_fd < 0) {
		free(h);
		return NULL;
	}
	/* no MHD_USE_INTERNAL_POLLING_THREAD: MHD runs only in MHD_run */
	h->d = h->m->MHD_start_daemon(
		MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, h,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, h, /* first, MHD says */
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)h->listen_fd, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned int)HTTP_MAX_CONNS, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned int)HTTP_MAX_PER_IP, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)HTTP_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)HTTP_MEMORY, MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_END);
	if (h->d)
		h->listen_fd = -1; /* MHD's now: MHD_stop_daemon closes it */
	info = h->d ? h->m->MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
	if (!info) {
		snprintf(err, errsz, "--metrics %.100s: libmicrohttpd would not start", addr);
		metrics_http_close(h);
		return NULL;
	}
	h->epoll_fd = info->epoll_fd;
	rc = loop_add(a->loop, h->epoll_fd, on_ready, h);
	if (rc) {
		snprintf(err, errsz, "--metrics: event loop: %s", strerror(-rc));
		h->epoll_fd = -1;
		metrics_http_close(h);
		return NULL;
	}
	return h;
}

void metrics_http_tick(struct metrics_http *h)
{
	if (h)
		run(h);
}

const char *metrics_http_url(const struct metrics_http *h)
{
	return h->url;
}

void metrics_http_close(struct metrics_http *h)
{
	if (!h)
		return;
	if (h->epoll_fd >= 0)
		loop_del(h->a->loop, h->epoll_fd);
	if (h->d)
		h->m->MHD_stop_daemon(h->d); /* its connections and the listening socket */
	if (h->listen_fd >= 0)
		close(h->listen_fd);
	free(h);
}
