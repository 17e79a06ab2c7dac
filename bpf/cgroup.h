/* SPDX-License-Identifier: GPL-2.0 */
/* --cgroup PATH: resolve a cgroup v2 directory to the (id, level) pair the
 * kernel-side filter sk_cgroup_ok() in common.bpf.h compares against. */
#ifndef SOCKTOP_CGROUP_H
#define SOCKTOP_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * path is a cgroup v2 directory, absolute or relative to the cgroup2
 * root ("system.slice/nginx.service"). Fills its id and its depth below
 * the root (root = 0). 0, or a negative errno with a message in err.
 */
int cgroup_resolve(const char *path, uint64_t *id, uint32_t *level, char *err, size_t errsz);
/* The real path of that directory in real; returns the length of the
 * cgroup2 root's path prefix in it, or a negative errno (message in err). */
int cgroup_resolve_dir(const char *path, char *real, size_t realsz, char *err, size_t errsz);
/* The path below the cgroup2 root ("/system.slice/x.service", "/" for
 * the root) of a cgroup id; long paths keep their tail. Direct with
 * CAP_DAC_READ_SEARCH (open_by_handle_at), by walking the tree without
 * (after the privilege drop). 0 or -errno. */
int cgroup_path_of_id(uint64_t id, char *out, size_t outsz);
/* Ids of the cgroups whose path below the root contains name (their
 * descendants too, as their paths contain it): the count, -E2BIG when
 * more than max match, -ENOENT without a cgroup v2 hierarchy. */
int cgroup_ids_matching(const char *name, uint64_t *ids, int max);
/* The same for any test of the path below the root ("/" for the root). */
int cgroup_ids_where(bool (*want)(const char *path, void *ctx), void *ctx, uint64_t *ids, int max);
/* The id of a cgroup v2 directory (name_to_handle_at), 0 when unknown. */
uint64_t cgroup_id_of(const char *dir);

#endif
