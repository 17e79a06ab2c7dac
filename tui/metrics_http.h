/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --metrics ADDR:PORT: GET /metrics over HTTP, served by libmicrohttpd in
 * its external epoll mode from socktop's one loop (no thread of its own),
 * so a scrape reads the model between two events, never during one.
 * Anything but GET /metrics gets a 4xx; MHD answers malformed requests.
 */
#ifndef SOCKTOP_METRICS_HTTP_H
#define SOCKTOP_METRICS_HTTP_H

#include <stddef.h>
#include <sys/socket.h>

struct app;
struct metrics_http;

/* "PORT" (loopback), "ADDR:PORT", "[ADDR6]:PORT", "localhost:PORT";
 * numeric addresses only, port 0-65535 (0: the kernel picks). 0 or
 * -EINVAL. */
int metrics_addr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len);
/* Bind and listen now (before privileges are dropped, so a port below
 * 1024 works) and register with a->loop. NULL with a message in err. */
struct metrics_http *metrics_http_open(struct app *a, const char *addr, char *err, size_t errsz);
/* Per tick: connection timeouts and anything MHD left pending. */
void metrics_http_tick(struct metrics_http *h);
/* "http://127.0.0.1:9470/metrics": where it listens (the port the kernel
 * picked for 0) */
const char *metrics_http_url(const struct metrics_http *h);
void metrics_http_close(struct metrics_http *h);

#endif
