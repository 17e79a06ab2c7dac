// SPDX-License-Identifier: GPL-2.0
/*
 * Feature "binds": binds.bpf.c's programs. Its knobs come from the
 * capture config (pid, uid, ports, failed binds, family); it attaches the
 * syscall tracepoints and the cgroup hooks.
 * The cgroup hooks go on the cgroup v2 root through bpf_link, which is
 * always multi-attach: programs already attached there stay attached and
 * keep deciding alone, since ours always allow. The capture's cgroup is
 * the kernel-side socket cgroup filter shared with the other features.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "binds.skel.h"
#include "loader.h"
#include "netns.h"
#include "probe.h"

static void *binds_open(void)
{
	return binds_bpf__open();
}

static void binds_destroy(void *skel)
{
	binds_bpf__destroy(skel);
}

static void binds_knobs(void *p, const struct capture *c, const struct loader *l)
{
	struct binds_bpf *skel = p;

	skel->rodata->cgroup_filter_id = c->cgroup_id;
	skel->rodata->cgroup_filter_level = c->cgroup_level;
	NETNS_FILTER_KNOBS(skel, c);
	skel->rodata->filter_pid = c->pid;
	skel->rodata->filter_uid_on = c->uid_on;
	skel->rodata->filter_uid = c->uid;
	skel->rodata->include_errors = c->bind_errors;
	skel->rodata->only_family = c->family;
	for (int i = 0; i < c->bind_ports.n; i++)
		skel->rodata->ports[i] = c->bind_ports.port[i];
	skel->rodata->nports = (__u32)c->bind_ports.n;
	skel->rodata->wakeup_bytes = loader_wakeup_bytes(l);
	skel->rodata->kernel_cast = probe_rdonly_cast();
	/* where the bind hooks cannot ask, every option is read from the
	 * socket at the syscall's exit */
	skel->rodata->bind_getsockopt = probe_bind_getsockopt();
}

static int attach_cgroup(struct loader *l, struct bpf_program *prog, struct bpf_link **link,
			 int cg_fd, char *why, size_t whysz)
{
	*link = bpf_program__attach_cgroup(prog, cg_fd);
	if (!*link) {
		int err = -errno;
		char what[96];

		snprintf(what, sizeof(what), "attach %s to the cgroup", bpf_program__section_name(prog));
		loader_explain(l, err, what, why, whysz);
		return err;
	}
	return 0;
}

static int attach_tp(struct loader *l, struct bpf_program *prog, struct bpf_link **link,
		     char *why, size_t whysz)
{
	*link = bpf_program__attach(prog);
	if (!*link) {
		int err = -errno;
		char what[96];

		snprintf(what, sizeof(what), "attach %s", bpf_program__section_name(prog));
		loader_explain(l, err, what, why, whysz);
		return err;
	}
	return 0;
}

#define TP(name) attach_tp(l, skel->progs.name, &skel->links.name, why, whysz)
#define CG(name) attach_cgroup(l, skel->progs.name, &skel->links.name, cg_fd, why, whysz)

static int attach_all(struct loader *l, struct binds_bpf *skel, int cg_fd, char *why,
		      size_t whysz)
{
	int err;

	/* syscall tracepoints first: a cgroup hook without its exit would
	 * only fill the pending maps */
	if ((err = TP(bind_sys_enter)) || (err = TP(bind_sys_exit)) ||
	    (err = TP(listen_sys_enter)) || (err = TP(listen_sys_exit)) ||
	    (err = TP(connect_sys_enter)) || (err = TP(connect_sys_exit)))
		return err;
	if ((err = CG(bind4)) || (err = CG(bind6)) || (err = CG(post_bind4)) ||
	    (err = CG(post_bind6)) || (err = CG(autobind_connect4)) || (err = CG(autobind_connect6)))
		return err;
	return 0;
}

#undef TP
#undef CG

/* The hooks always go on the root; --cgroup is the kernel-side
 * sk_cgroup_ok() filter, as for the other features. */
static int open_cgroup(char *why, size_t whysz)
{
	char root[256];
	const char *path = probe_cgroup2_root(root, sizeof(root));
	int fd;

	if (!path) {
		snprintf(why, whysz, "no cgroup v2 hierarchy is mounted (mount -t cgroup2 none "
			 "/sys/fs/cgroup/unified)");
		return -ENOENT;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		snprintf(why, whysz, "cgroup %s: %s", path, strerror(-err));
		return err;
	}
	return fd;
}

/* syscall tracepoints, then the cgroup hooks on the root */
static int binds_attach(struct loader *l, void *skel, char *why, size_t whysz)
{
	int err, cg_fd = open_cgroup(why, whysz);

	if (cg_fd < 0)
		return cg_fd;
	err = attach_all(l, skel, cg_fd, why, whysz);
	close(cg_fd);
	return err;
}

static const struct feature_ops feat_binds = {
	.name = "binds",
	.order = 10,
	.min_kernel = "5.10",
	.min_kernel_why = "cgroup bind hooks through bpf_link (5.7), BPF ring buffer (5.8)",
	.captures = "bind() calls",
	.programs = "bind programs",
	.open = binds_open,
	.destroy = binds_destroy,
	.set_knobs = binds_knobs,
	.attach = binds_attach,
};
FEATURE(feat_binds);
