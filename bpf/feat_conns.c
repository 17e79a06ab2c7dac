// SPDX-License-Identifier: GPL-2.0
/* Feature "connects": connect/accept attribution and connect outcomes
 * (conns.bpf.c), with the capture filters set before load. */
#include "conns.skel.h"
#include "loader.h"
#include "netns.h"

static void *conns_open(void)
{
	return conns_bpf__open();
}

static void conns_destroy(void *skel)
{
	conns_bpf__destroy(skel);
}

static void conns_knobs(void *p, const struct capture *c, const struct loader *l)
{
	struct conns_bpf *skel = p;

	skel->rodata->cgroup_filter_id = c->cgroup_id;
	skel->rodata->cgroup_filter_level = c->cgroup_level;
	NETNS_FILTER_KNOBS(skel, c);
	for (int i = 0; i < c->lports.n; i++)
		skel->rodata->lports[i] = c->lports.port[i];
	skel->rodata->nlports = (__u32)c->lports.n;
	for (int i = 0; i < c->conn_rports.n; i++)
		skel->rodata->rports[i] = c->conn_rports.port[i];
	skel->rodata->nrports = (__u32)c->conn_rports.n;
	skel->rodata->only_family = c->family;
	skel->rodata->filter_pid = c->pid;
	skel->rodata->filter_uid_on = c->uid_on;
	skel->rodata->filter_uid = c->uid;
	skel->rodata->wakeup_bytes = loader_wakeup_bytes(l);
}

static const struct feature_ops feat_connects = {
	.name = "connects",
	.order = 20,
	.min_kernel = "5.10",
	.min_kernel_why = "syscall tracepoints, tp_btf (5.5), BPF ring buffer (5.8)",
	.captures = "TCP connects",
	.programs = "connect/accept programs",
	.open = conns_open,
	.destroy = conns_destroy,
	.set_knobs = conns_knobs,
};
FEATURE(feat_connects);
