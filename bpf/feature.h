/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The feature table. A feature is one skeleton (its .bpf.c) plus one
 * struct feature_ops in its feat_NAME.c, registered there with FEATURE():
 * the loader finds every registered feature at run time, so adding one
 * touches no list anywhere else. The loader drives each the same way:
 * open, set_knobs from the capture config, share the ring, load, attach,
 * track; a feature with its own shape (iters) gives start instead.
 */
#ifndef SOCKTOP_FEATURE_H
#define SOCKTOP_FEATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"

struct loader;

#define FEATURE_MAX 16

struct feature_ops {
	const char *name;	/* --disable NAME, SOCKTOP_FAULT=NAME:KIND */
	int order;		/* start order, lowest first (states, 0, makes the ring) */
	/* what it captures, for "cannot capture ..." when a run needs it */
	const char *captures;
	/* its programs in messages: "load bind programs: ..." */
	const char *programs;
	/* the oldest kernel it loads on (the oldest make test-kernels boots),
	 * and the interfaces it needs, with the kernel that brought each */
	const char *min_kernel;
	const char *min_kernel_why;
	/* the skeleton: X_bpf__open(), its destroy, its first two members
	 * (bpftool puts struct bpf_object_skeleton * and bpf_object * first) */
	void *(*open)(void);
	void (*destroy)(void *skel);
	/* rodata knobs from the capture config, before load */
	void (*set_knobs)(void *skel, const struct capture *c, const struct loader *l);
	/* optional, before load: reuse maps another feature's object made
	 * (bpf_map__reuse_fd); 0 or -errno, which fails the load */
	int (*share)(void *skel, const struct loader *l);
	/* NULL: the skeleton's own attach; else 0 or -errno, why filled */
	int (*attach)(struct loader *l, void *skel, char *why, size_t whysz);
	/* instead of all the above: does it all, loader_track()s its object */
	int (*start)(struct loader *l, const struct capture *c, char *why, size_t whysz);
	/* optional, on the loop's tick: read what the programs keep in maps
	 * and hand it on with loader_emit(); data is what start tracked.
	 * Returns the number of events handed on or a negative errno. */
	int (*poll)(struct loader *l, void *data, uint64_t now_ns);
};

/* feat_X.c: FEATURE(feat_x); puts &feat_x in the table */
#define FEATURE(ops)                                                                         \
	static const struct feature_ops *const ops##_entry                                   \
		__attribute__((used, section("socktop_features"), aligned(sizeof(void *)))) = &ops

/* The registered features, in start order (order, then name). */
int features_count(void);
const struct feature_ops *features_get(int i); /* NULL past the end */
/* index of a feature by name (n bytes of name), -ENOENT if none */
int features_find(const char *name, size_t n);
static inline int feature_index(const char *name)
{
	return features_find(name, __builtin_strlen(name));
}
/* 1 << index, 0 when no such feature is built in */
uint32_t feature_bit(const char *name);
/* "states,binds,connects,iters" */
const char *features_names(char *buf, size_t bufsz);
/* Every feature named in a comma list: its mask. -EINVAL (with the bad
 * name's offset in *bad) when one is not a feature. */
int features_parse(const char *list, uint32_t *mask, size_t *bad);

/* What one run knows of one feature (the loader keeps one per feature). */
struct feature_run {
	bool on;
	bool unused;		/* this run does not load it: not a fault */
	char why[200];		/* why it is off, for help and the log */
	const char *tag;	/* why in a word or two, for the header */
	void *data;		/* what it tracked (its skeleton) */
};

/* Every started feature's poll, in start order: the number of events
 * they handed on, or the first negative errno (the rest still run). */
int features_poll(struct loader *l, const struct feature_run run[], uint64_t now_ns);

#endif
