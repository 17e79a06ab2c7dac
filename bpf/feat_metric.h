/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A metric hook's feature entry in one line: METRIC_FEATURE makes the
 * open, destroy and knob steps of a skeleton built from a .bpf.c that uses
 * metric.bpf.h, and registers it (FEATURE). The loader drives it like any
 * other: open, knobs, share the ring, load, attach, track.
 */
#ifndef SOCKTOP_FEAT_METRIC_H
#define SOCKTOP_FEAT_METRIC_H

#include "loader.h"
#include "netns.h"

/* metric.bpf.h's capture filters, from the capture config */
#define METRIC_KNOBS(skel, c, l)                                           \
	do {                                                               \
		for (int i_ = 0; i_ < (c)->lports.n; i_++)                 \
			(skel)->rodata->lports[i_] = (c)->lports.port[i_]; \
		(skel)->rodata->nlports = (__u32)(c)->lports.n;            \
		for (int i_ = 0; i_ < (c)->rports.n; i_++)                 \
			(skel)->rodata->rports[i_] = (c)->rports.port[i_]; \
		(skel)->rodata->nrports = (__u32)(c)->rports.n;            \
		(skel)->rodata->only_family = (c)->family;                 \
		(skel)->rodata->cgroup_filter_id = (c)->cgroup_id;         \
		(skel)->rodata->cgroup_filter_level = (c)->cgroup_level;   \
		NETNS_FILTER_KNOBS(skel, c);                               \
		(skel)->rodata->wakeup_bytes = loader_wakeup_bytes(l);     \
	} while (0)

/*
 * NAME: the skeleton (NAME.bpf.c gives NAME_bpf) and the feature's name;
 * ORDER: its start order (after the ring's maker, states, at 0); the
 * rest as struct feature_ops names them.
 */
#define METRIC_FEATURE(NAME, ORDER, MIN_KERNEL, MIN_KERNEL_WHY, CAPTURES, PROGRAMS)        \
	static void *NAME##_open(void)                                                     \
	{                                                                                  \
		return NAME##_bpf__open();                                                 \
	}                                                                                  \
	static void NAME##_destroy(void *skel)                                             \
	{                                                                                  \
		NAME##_bpf__destroy(skel);                                                 \
	}                                                                                  \
	static void NAME##_knobs(void *p, const struct capture *c, const struct loader *l) \
	{                                                                                  \
		struct NAME##_bpf *skel = p;                                               \
		METRIC_KNOBS(skel, c, l);                                                  \
	}                                                                                  \
	static const struct feature_ops feat_##NAME = {                                    \
		.name = #NAME,                                                             \
		.order = ORDER,                                                            \
		.min_kernel = MIN_KERNEL,                                                  \
		.min_kernel_why = MIN_KERNEL_WHY,                                          \
		.captures = CAPTURES,                                                      \
		.programs = PROGRAMS,                                                      \
		.open = NAME##_open,                                                       \
		.destroy = NAME##_destroy,                                                 \
		.set_knobs = NAME##_knobs,                                                 \
	};                                                                                 \
	FEATURE(feat_##NAME)

#endif
