// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side's capture config from the command line, once: which
 * features this mode needs and uses, and what every program filters on
 * (the bcc tools' flags mean slightly different things per stream).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "capture.h"
#include "cgroup.h"
#include "feature.h"
#include "netns.h"
#include "opts.h"

static void ports(struct capture_ports *to, const struct port_list *from)
{
	to->n = from->n;
	memcpy(to->port, from->port, sizeof(to->port[0]) * (size_t)from->n);
}

/* the stream that prints a feature's events needs it; states always */
static uint32_t needed(const struct opts *o)
{
	uint32_t need = feature_bit("states");

	if (o->stream == STREAM_BINDS)
		need |= feature_bit("binds");
	if (o->stream == STREAM_CONNECTS)
		need |= feature_bit("connects");
	if (o->stream == STREAM_LIFE || o->stream == STREAM_RETRANS)
		need |= feature_bit("traffic");
	return need;
}

/* A stream does not load what it never prints; tcplife and tcpretrans
 * lines name the owner, so they want what finds it (all but binds). */
static uint32_t used(const struct opts *o, uint32_t need)
{
	uint32_t all = (uint32_t)((1ull << features_count()) - 1);

	if (o->metrics) /* --metrics counts what every hook sees, whatever is printed */
		return all;
	if (o->stream == STREAM_LIFE || o->stream == STREAM_RETRANS)
		return all & ~feature_bit("binds");
	return o->stream ? need : all;
}

int opts_capture(const struct opts *o, struct capture *c, char *err, size_t errsz)
{
	memset(c, 0, sizeof(*c));
	ports(&c->lports, &o->lports);
	ports(&c->rports, &o->rports);
	ports(&c->bind_ports, &o->bind_ports);
	/* tcpconnect's -P: destination ports of the connects stream */
	ports(&c->conn_rports, o->stream == STREAM_CONNECTS && o->bind_ports.n ? &o->bind_ports :
										  &o->rports);
	c->family = o->only4 ? AF_INET : o->only6 ? AF_INET6 : 0;
	c->pid = o->pid > 0 ? (uint32_t)o->pid : 0;
	c->uid_on = o->uid >= 0;
	c->uid = o->uid >= 0 ? (uint32_t)o->uid : 0;
	/* failed binds: always for the UI and recordings, with -E in the
	 * bindsnoop stream (as bindsnoop) */
	c->bind_errors = o->errors || o->metrics || o->stream != STREAM_BINDS;
	/* three kernel reads a new socket that no stream prints */
	c->want_cgroup = !o->stream || o->record || o->metrics; /* --metrics: by container */
	c->ring_kb = o->ringbuf_kb;
	c->need = needed(o);
	c->use = used(o, c->need);
	c->disabled = o->disabled;
	c->memory_off = o->memory_off & ~c->need;
	c->cgroup = o->cgroup;
	if (o->netns && netns_resolve_list(o->netns, c->netns, &c->nnetns, err, errsz))
		return -EINVAL;
	if (o->cgroup)
		return cgroup_resolve(o->cgroup, &c->cgroup_id, &c->cgroup_level, err, errsz);
	return 0;
}
