// SPDX-License-Identifier: GPL-2.0
/* Feature "states": the inet_sock_set_state tracepoint program. */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>

#include "cgroup.h"
#include "loader.h"
#include "opts.h"
#include "states.skel.h"

static void states_destroy(void *skel)
{
	states_bpf__destroy(skel);
}

static int states_start(struct loader *l, const struct opts *o, char *why, size_t whysz)
{
	struct states_bpf *skel;
	uint64_t cg_id;
	uint32_t cg_level;
	int err;

	skel = states_bpf__open();
	if (!skel) {
		err = -errno;
		loader_explain(l, err, "open states program", why, whysz);
		return err;
	}
	for (int i = 0; i < o->lports.n; i++)
		skel->rodata->lports[i] = o->lports.port[i];
	skel->rodata->nlports = (__u32)o->lports.n;
	for (int i = 0; i < o->rports.n; i++)
		skel->rodata->rports[i] = o->rports.port[i];
	skel->rodata->nrports = (__u32)o->rports.n;
	skel->rodata->only_family = o->only4 ? AF_INET : o->only6 ? AF_INET6 : 0;
	err = cgroup_filter_opts(o, &cg_id, &cg_level, why, whysz);
	if (err)
		goto fail;
	skel->rodata->cgroup_filter_id = cg_id;
	skel->rodata->cgroup_filter_level = cg_level;
	skel->rodata->wakeup_bytes = loader_wakeup_bytes(l);
	/* three kernel reads a new socket that no stream prints */
	skel->rodata->want_cgroup = !o->stream || o->record;
	err = loader_prepare(l, skel->obj);
	if (!err)
		err = states_bpf__load(skel);
	if (err) {
		loader_explain(l, err, "load sock/inet_sock_set_state program", why, whysz);
		goto fail;
	}
	err = states_bpf__attach(skel);
	if (err) {
		loader_explain(l, err, "attach sock/inet_sock_set_state", why, whysz);
		goto fail;
	}
	err = loader_track(l, skel->obj, states_destroy, skel);
	if (err) {
		loader_explain(l, err, "ring buffer", why, whysz);
		goto fail;
	}
	return 0;
fail:
	states_bpf__destroy(skel);
	return err;
}

const struct feature_ops feat_states = { "states", states_start };
