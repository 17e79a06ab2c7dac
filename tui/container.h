/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The container a cgroup v2 path tells, by the names the runtimes give
 * their cgroups: docker (docker-ID.scope, /docker/ID), Kubernetes pods
 * (kubepods ... podUID ... with the containerd, cri-o or docker scope of
 * the container), podman (libpod-ID.scope), systemd-nspawn
 * (systemd-nspawn@NAME.service, machine-NAME.scope), LXC (lxc.payload.NAME);
 * else the innermost systemd service (nginx.service). Ids are cut to 12
 * characters, as docker ps shows them.
 */
#ifndef SOCKTOP_CONTAINER_H
#define SOCKTOP_CONTAINER_H

#include <stddef.h>

#define CONTAINER_NAME_MAX 96

/* The name into out ("" when the path tells none); returns out. The
 * result holds bytes of the path: escape it where it is printed. */
char *container_of_cgroup(const char *path, char *out, size_t outsz);

#endif
