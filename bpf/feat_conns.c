// SPDX-License-Identifier: GPL-2.0
/* Feature "connects": connect/accept attribution and connect outcomes
 * (conns.bpf.c), with the capture filters set before load. Its part of
 * sock/inet_sock_set_state runs in the state program (states.bpf.c),
 * which makes the maps both share and starts first. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>

#include "conns.skel.h"
#include "feature.h"
#include "loader.h"
#include "probe.h"
#include "netns.h"
#include "states.skel.h"

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
	skel->rodata->kernel_cast = probe_rdonly_cast();
}

static struct states_bpf *states_of(const struct loader *l)
{
	return loader_feature_data(l, feature_index("states"));
}

/* The maps the state program made: left this object's own, the state
 * program would never see a connect */
static int conns_share(void *p, const struct loader *l)
{
	struct conns_bpf *skel = p;
	struct states_bpf *states = states_of(l);
	int err;

	if (!states)
		return -ENOENT;
	err = bpf_map__reuse_fd(skel->maps.pending, bpf_map__fd(states->maps.pending));
	if (!err)
		err = bpf_map__reuse_fd(skel->maps.attempts, bpf_map__fd(states->maps.attempts));
	return err;
}

/* The syscall programs, then the state program's part: it reads what
 * they write */
static int conns_attach(struct loader *l, void *p, char *why, size_t whysz)
{
	struct conns_bpf *skel = p;
	struct states_bpf *states = states_of(l);
	int err = conns_bpf__attach(skel);

	if (err) {
		loader_explain(l, err, "attach connect/accept programs", why, whysz);
		return err;
	}
	if (!states || !states->bss) {
		snprintf(why, whysz, "the state program is not running");
		return -ENOENT;
	}
	states->bss->connects_on = true;
	return 0;
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
	.share = conns_share,
	.attach = conns_attach,
};
FEATURE(feat_connects);
