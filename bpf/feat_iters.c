// SPDX-License-Identifier: GPL-2.0
/*
 * Feature "iters": the iter/tcp and iter/task_file programs (iters.bpf.c)
 * and running them on demand. A pass reads struct event records from each
 * iterator's fd: all sockets first, then all holders, then EV_SNAP_END.
 */
#include "iters.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "iters.skel.h"
#include "netns.h"
#include "nswalk.h"

struct iters {
	struct iters_bpf *skel;
	struct bpf_link *tcp, *files;
	struct nswalk *walk;	/* enters the other namespaces once we cannot */
	uint32_t netns[NETNS_FILTER_MAX], nnetns; /* --netns: walk only these */
};

void iters_close(struct iters *it)
{
	if (!it)
		return;
	nswalk_stop(it->walk);
	bpf_link__destroy(it->tcp);
	bpf_link__destroy(it->files);
	iters_bpf__destroy(it->skel);
	free(it);
}

static void iters_destroy(void *it)
{
	iters_close(it);
}

static void set_knobs(struct iters_bpf *skel, const struct capture *c)
{
	skel->rodata->cgroup_filter_id = c->cgroup_id;
	skel->rodata->cgroup_filter_level = c->cgroup_level;
	NETNS_FILTER_KNOBS(skel, c);
	for (int i = 0; i < c->lports.n; i++)
		skel->rodata->lports[i] = c->lports.port[i];
	skel->rodata->nlports = (__u32)c->lports.n;
	for (int i = 0; i < c->rports.n; i++)
		skel->rodata->rports[i] = c->rports.port[i];
	skel->rodata->nrports = (__u32)c->rports.n;
	skel->rodata->only_family = c->family;
	skel->rodata->filter_pid = c->pid;
}

struct iters *iters_open(struct loader *l, const struct capture *c, char *why, size_t whysz)
{
	struct iters *it = calloc(1, sizeof(*it));
	int err;

	if (!it) {
		snprintf(why, whysz, "out of memory");
		return NULL;
	}
	it->skel = iters_bpf__open();
	if (!it->skel) {
		err = -errno;
		loader_explain(l, err, "open iterator programs", why, whysz);
		goto fail;
	}
	set_knobs(it->skel, c);
	memcpy(it->netns, c->netns, sizeof(it->netns));
	it->nnetns = c->nnetns;
	/* the rings are not written by iterators: share them, or leave the
	 * map of them empty */
	err = l ? loader_prepare(l, it->skel->obj) : 0;
	if (!err)
		err = iters_bpf__load(it->skel);
	if (err) {
		loader_explain(l, err, "load iter/tcp and iter/task_file", why, whysz);
		goto fail;
	}
	it->tcp = bpf_program__attach_iter(it->skel->progs.snap_tcp, NULL);
	it->files = it->tcp ? bpf_program__attach_iter(it->skel->progs.snap_files, NULL) : NULL;
	if (!it->files) {
		err = -errno;
		loader_explain(l, err, "attach iter/tcp and iter/task_file", why, whysz);
		goto fail;
	}
	/* live, socktop drops its privileges: a helper keeps the one it
	 * needs to walk the other namespaces (nswalk.h) */
	if (l && nswalk_may_enter())
		it->walk = nswalk_start(bpf_link__fd(it->tcp));
	return it;
fail:
	iters_close(it);
	errno = err < 0 ? -err : EINVAL;
	return NULL;
}

/* Read one iterator fd to the end (and close it), handing each record to
 * the sink. */
static int read_iter(int fd, loader_sink sink, void *ctx, uint32_t flags)
{
	char buf[sizeof(struct event) * 128];
	size_t have = 0;
	int n = 0;
	ssize_t r;

	for (;;) {
		size_t off = 0;

		r = read(fd, buf + have, sizeof(buf) - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += (size_t)r;
		for (; have - off >= sizeof(struct event); off += sizeof(struct event)) {
			struct event ev;

			memcpy(&ev, buf + off, sizeof(ev));
			ev.flags |= flags;
			sink(ctx, &ev);
			n++;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	if (r < 0)
		n = -errno;
	close(fd);
	return n;
}

static int run_iter(struct bpf_link *link, loader_sink sink, void *ctx, uint32_t flags)
{
	int fd = bpf_iter_create(bpf_link__fd(link));

	return fd < 0 ? -errno : read_iter(fd, sink, ctx, flags);
}

struct ns_pass {
	const struct iters *it;
	loader_sink sink;
	void *ctx;
	uint32_t flags;
	int nsock;
};

/* one namespace: say it was walked, then its sockets */
static int ns_sockets(void *arg, uint32_t inode, const char *name, int fd, bool partial)
{
	struct ns_pass *p = arg;
	struct event ev = { .kind = EV_SNAP_NETNS, .netns = inode, .flags = p->flags };
	struct timespec ts;
	bool wanted = !p->it->nnetns;
	int n;

	for (uint32_t i = 0; i < p->it->nnetns; i++)
		wanted |= p->it->netns[i] == inode;
	if (!wanted) { /* --netns leaves it out: no walk, nothing of it kept */
		if (fd >= 0)
			close(fd);
		return 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ev.ts_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	strncpy(event_netns_name(&ev), name, EVENT_NETNS_NAME_LEN - 1);
	if (partial)
		ev.flags |= SNAP_NETNS_PARTIAL;
	if (fd < 0) {
		ev.ret = fd; /* there, not walked: nothing of it may be closed */
		p->sink(p->ctx, &ev);
		return 0;
	}
	p->sink(p->ctx, &ev);
	n = read_iter(fd, p->sink, p->ctx, p->flags);
	if (n < 0)
		return n;
	p->nsock += n;
	return 0;
}

int iters_sockets(struct iters *it, loader_sink sink, void *ctx, uint32_t flags)
{
	struct ns_pass p = { it, sink, ctx, flags, 0 };
	int err = nswalk_run(it->walk, bpf_link__fd(it->tcp), 0, ns_sockets, &p);

	return err < 0 ? err : p.nsock;
}

int iters_owners(struct iters *it, loader_sink sink, void *ctx, uint32_t flags)
{
	return run_iter(it->files, sink, ctx, flags);
}

int iters_snapshot(struct iters *it, loader_sink sink, void *ctx, uint32_t flags)
{
	struct event end = { .kind = EV_SNAP_END };
	struct timespec ts;
	int nsock, nown;

	nsock = iters_sockets(it, sink, ctx, flags);
	if (nsock < 0)
		return nsock;
	nown = run_iter(it->files, sink, ctx, flags);
	if (nown < 0)
		return nown;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	end.ts_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	end.flags = flags;
	end.aux = (uint64_t)nsock;
	sink(ctx, &end);
	return nsock;
}

struct iters *loader_iters(const struct loader *l)
{
	return l ? loader_feature_data(l, feature_index("iters")) : NULL;
}

static int iters_start(struct loader *l, const struct capture *c, char *why, size_t whysz)
{
	struct iters *it;
	int err;

	it = iters_open(l, c, why, whysz);
	if (!it)
		return -errno;
	err = loader_track(l, it->skel->obj, iters_destroy, it);
	if (err) {
		loader_explain(l, err, "ring buffer", why, whysz);
		iters_close(it);
	}
	return err;
}

/* Loaded, never attached: each pass makes its own links (iters_open) */
static const struct feature_ops feat_iters = {
	.name = "iters",
	.order = 30,
	.min_kernel = "5.10",
	.min_kernel_why = "iter/tcp and bpf_skc_to_tcp_sock (5.9), iter/task_file (5.8)",
	.start = iters_start,
};
FEATURE(feat_iters);
