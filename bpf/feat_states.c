// SPDX-License-Identifier: GPL-2.0
/* Feature "states": the inet_sock_set_state tracepoint program (the
 * connects feature's part of that tracepoint too: connects.bpf.h). */
#include <bpf/libbpf.h>

#include "feature.h"
#include "loader.h"
#include "netns.h"
#include "states.skel.h"

static void *states_open(void)
{
	return states_bpf__open();
}

static void states_destroy(void *skel)
{
	states_bpf__destroy(skel);
}

static void states_knobs(void *p, const struct capture *c, const struct loader *l)
{
	struct states_bpf *skel = p;

	for (int i = 0; i < c->lports.n; i++)
		skel->rodata->lports[i] = c->lports.port[i];
	skel->rodata->nlports = (__u32)c->lports.n;
	for (int i = 0; i < c->rports.n; i++)
		skel->rodata->rports[i] = c->rports.port[i];
	skel->rodata->nrports = (__u32)c->rports.n;
	skel->rodata->only_family = c->family;
	skel->rodata->cgroup_filter_id = c->cgroup_id;
	skel->rodata->cgroup_filter_level = c->cgroup_level;
	NETNS_FILTER_KNOBS(skel, c);
	skel->rodata->wakeup_bytes = loader_wakeup_bytes(l);
	/* three kernel reads a new socket that no stream prints */
	skel->rodata->want_cgroup = c->want_cgroup;
	for (int i = 0; i < c->conn_rports.n; i++)
		skel->rodata->conn_rports[i] = c->conn_rports.port[i];
	skel->rodata->nconn_rports = (__u32)c->conn_rports.n;
	/* the connects feature's maps are made here (feat_conns.c reuses
	 * them): a run without it keeps them one entry each */
	if (!(c->use & ~c->disabled & feature_bit("connects"))) {
		bpf_map__set_max_entries(skel->maps.pending, 1);
		bpf_map__set_max_entries(skel->maps.attempts, 1);
	}
}

static const struct feature_ops feat_states = {
	.name = "states",
	.order = 0,
	.min_kernel = "5.10",
	.min_kernel_why = "BTF, tp_btf (5.5), BPF ring buffer (5.8)",
	.captures = "TCP state changes",
	.programs = "sock/inet_sock_set_state program",
	.open = states_open,
	.destroy = states_destroy,
	.set_knobs = states_knobs,
};
FEATURE(feat_states);
