// SPDX-License-Identifier: GPL-2.0
/* Feature "connects": connect/accept attribution and connect outcomes
 * (conns.bpf.c), with the capture filters set before load. */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include "cgroup.h"
#include "conns.skel.h"
#include "loader.h"
#include "opts.h"

static void conns_destroy(void *skel)
{
	conns_bpf__destroy(skel);
}

static int conns_knobs(struct conns_bpf *skel, const struct opts *o, char *why, size_t whysz)
{
	const struct port_list *rp = &o->rports;
	uint64_t cg_id;
	uint32_t cg_level;
	int err;

	err = cgroup_filter_opts(o, &cg_id, &cg_level, why, whysz);
	if (err)
		return err;
	skel->rodata->cgroup_filter_id = cg_id;
	skel->rodata->cgroup_filter_level = cg_level;
	for (int i = 0; i < o->lports.n; i++)
		skel->rodata->lports[i] = o->lports.port[i];
	skel->rodata->nlports = (__u32)o->lports.n;
	/* tcpconnect's -P: destination ports of the connects stream */
	if (o->stream == STREAM_CONNECTS && o->bind_ports.n)
		rp = &o->bind_ports;
	for (int i = 0; i < rp->n; i++)
		skel->rodata->rports[i] = rp->port[i];
	skel->rodata->nrports = (__u32)rp->n;
	skel->rodata->only_family = o->only4 ? AF_INET : o->only6 ? AF_INET6 : 0;
	skel->rodata->filter_pid = o->pid > 0 ? (__u32)o->pid : 0;
	skel->rodata->filter_uid_on = o->uid >= 0;
	skel->rodata->filter_uid = o->uid >= 0 ? (__u32)o->uid : 0;
	return 0;
}

static int conns_start(struct loader *l, const struct opts *o, char *why, size_t whysz)
{
	struct conns_bpf *skel;
	int err;

	skel = conns_bpf__open();
	if (!skel) {
		err = -errno;
		loader_explain(l, err, "open connects program", why, whysz);
		return err;
	}
	err = conns_knobs(skel, o, why, whysz);
	if (err)
		goto fail;
	skel->rodata->wakeup_bytes = loader_wakeup_bytes(l);
	err = loader_prepare(l, skel->obj);
	if (!err)
		err = conns_bpf__load(skel);
	if (err) {
		loader_explain(l, err, "load connect/accept programs", why, whysz);
		goto fail;
	}
	err = conns_bpf__attach(skel);
	if (err) {
		loader_explain(l, err, "attach syscalls connect/accept tracepoints", why, whysz);
		goto fail;
	}
	err = loader_track(l, skel->obj, conns_destroy, skel);
	if (err) {
		loader_explain(l, err, "ring buffer", why, whysz);
		goto fail;
	}
	return 0;
fail:
	conns_bpf__destroy(skel);
	return err;
}

const struct feature_ops feat_connects = { "connects", conns_start };
