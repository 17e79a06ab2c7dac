// SPDX-License-Identifier: GPL-2.0
/*
 * The "netns NAME|INODE" and "container NAME" filter terms. A namespace
 * name is resolved when typed: from the names the snapshot passes gave
 * (live and replay), else /run/netns. A container name is resolved to the
 * cgroups whose path names a matching container (container.h), as the
 * cgroup term does: a container started later needs the filter typed again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cgroup.h"
#include "container.h"
#include "filter.h"
#include "nsnames.h"

int filter_arg_netns(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	char *end, path[FILTER_STR_LEN + 16];
	unsigned long v;
	uint32_t ino = 0;
	struct stat st;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (arg[0] >= '1' && arg[0] <= '9' && !*end && !errno && v <= UINT32_MAX)
		ino = (uint32_t)v;
	if (!ino && t->names)
		ino = nsnames_find(t->names, arg);
	if (!ino && strlen(arg) < FILTER_STR_LEN && !strchr(arg, '/') && strcmp(arg, ".") &&
	    strcmp(arg, "..")) {
		snprintf(path, sizeof(path), "/run/netns/%s", arg);
		if (!stat(path, &st))
			ino = (uint32_t)st.st_ino;
	}
	if (!ino) {
		snprintf(err, errsz, "netns: no namespace named '%.40s' (a name or an inode)", arg);
		return -1;
	}
	t->u.nums.n = 1;
	t->u.nums.v[0] = ino;
	return 0;
}

bool filter_match_netns(const struct filter_term *t, const struct filter_subject *s)
{
	return s->netns && filter_nums_has(t, s->netns);
}

static bool names_container(const char *path, void *name)
{
	char c[CONTAINER_NAME_MAX];

	container_of_cgroup(path, c, sizeof(c));
	return c[0] && strstr(c, name);
}

int filter_arg_container(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	int n;

	if (!arg[0] || strlen(arg) >= FILTER_STR_LEN) {
		snprintf(err, errsz, "container: a name of 1-%d bytes expected",
			 FILTER_STR_LEN - 1);
		return -1;
	}
	n = cgroup_ids_where(names_container, (void *)arg, t->u.nums.v, FILTER_MAX_VALUES);
	if (n == -E2BIG) {
		snprintf(err, errsz, "container: '%s' matches more than %d cgroups: say more", arg,
			 FILTER_MAX_VALUES);
		return -1;
	}
	if (n <= 0) {
		snprintf(err, errsz, "container: no cgroup names a container '%s'%s", arg,
			 n == -ENOENT ? " (no cgroup v2 hierarchy)" : "");
		return -1;
	}
	t->u.nums.n = n;
	return 0;
}
