// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal client of journald's native protocol (one datagram per entry,
 * KEY=value lines; values that may hold a newline use the length-prefixed
 * binary form), so -Y needs no libsystemd. Field names follow tcpstates -Y.
 */
#include "journal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "app.h"
#include "fmt.h"
#include "stream.h"
#include "table.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

struct journal {
	int fd;
	struct sockaddr_un sa;
	uint64_t failed;
};

struct journal *journal_open(char *err, size_t errsz)
{
	const char *path = getenv("SOCKTOP_JOURNAL_SOCKET");
	struct journal *j;

	if (!path || !*path)
		path = JOURNAL_SOCKET;
	if (strlen(path) >= sizeof(j->sa.sun_path)) {
		snprintf(err, errsz, "journal socket path too long");
		return NULL;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	j->sa.sun_family = AF_UNIX;
	strcpy(j->sa.sun_path, path);
	j->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (j->fd < 0 || connect(j->fd, (struct sockaddr *)&j->sa, sizeof(j->sa)) < 0) {
		snprintf(err, errsz, "-Y: cannot reach the systemd journal at %s: %s "
			 "(is systemd-journald running?)", path, strerror(errno));
		if (j->fd >= 0)
			close(j->fd);
		free(j);
		return NULL;
	}
	return j;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	close(j->fd);
	free(j);
}

struct jbuf {
	char b[2048];
	size_t n;
};

static void jtext(struct jbuf *j, const char *key, const char *val)
{
	int w = snprintf(j->b + j->n, sizeof(j->b) - j->n, "%s=%s\n", key, val);

	if (w > 0 && (size_t)w < sizeof(j->b) - j->n)
		j->n += (size_t)w;
}

/* binary form: KEY\n, little-endian u64 length, value, \n */
static void jbin(struct jbuf *j, const char *key, const char *val)
{
	size_t kl = strlen(key), vl = strlen(val);
	uint64_t le = vl;

	if (j->n + kl + 1 + 8 + vl + 1 > sizeof(j->b))
		return;
	memcpy(j->b + j->n, key, kl);
	j->n += kl;
	j->b[j->n++] = '\n';
	memcpy(j->b + j->n, &le, 8); /* x86 and arm64 are little-endian */
	j->n += 8;
	memcpy(j->b + j->n, val, vl);
	j->n += vl;
	j->b[j->n++] = '\n';
}

void journal_send_state(const struct app *a, const struct event *ev, uint64_t prev_ns,
			const char *laddr, const char *raddr)
{
	const char *pfx = ev->family == AF_INET6 ? "IPV6" : "IPV4";
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)], key[64], val[64], msg[512];
	struct jbuf j = { .n = 0 };

	if (!a->journal)
		return;
	fmt_escape(comm, sizeof(comm), ev->comm, sizeof(ev->comm), ESC_TEXT);
	jtext(&j, "SYSLOG_IDENTIFIER", "tcpstates");
	jtext(&j, "PRIORITY", "5");
	snprintf(val, sizeof(val), "%llu",
		 (unsigned long long)(stream_wall_ns(a, ev->ts_ns) / 1000));
	jtext(&j, "_SOURCE_REALTIME_TIMESTAMP", val);
	snprintf(val, sizeof(val), "%u", ev->pid);
	jtext(&j, "OBJECT_PID", val);
	jbin(&j, "OBJECT_COMM", comm);
	snprintf(key, sizeof(key), "OBJECT_%s_SOURCE_ADDRESS", pfx);
	jtext(&j, key, laddr);
	snprintf(val, sizeof(val), "%u", ev->lport);
	jtext(&j, "OBJECT_TCP_SOURCE_PORT", val);
	snprintf(key, sizeof(key), "OBJECT_%s_DESTINATION_ADDRESS", pfx);
	jtext(&j, key, raddr);
	snprintf(val, sizeof(val), "%u", ev->rport);
	jtext(&j, "OBJECT_TCP_DESTINATION_PORT", val);
	jtext(&j, "OBJECT_TCP_OLD_STATE", tcp_state_name(ev->oldstate));
	jtext(&j, "OBJECT_TCP_NEW_STATE", tcp_state_name(ev->newstate));
	snprintf(val, sizeof(val), "%llu", (unsigned long long)(prev_ns / 1000));
	jtext(&j, "OBJECT_TCP_SPAN_TIME", val);
	snprintf(msg, sizeof(msg), "%s %s %u \u2192 %s %u %s \u2192 %s", comm, laddr, ev->lport,
		 raddr, ev->rport, tcp_state_name(ev->oldstate), tcp_state_name(ev->newstate));
	jbin(&j, "MESSAGE", msg);
	if (send(a->journal->fd, j.b, j.n, MSG_NOSIGNAL) < 0)
		a->journal->failed++;
}
