// SPDX-License-Identifier: GPL-2.0
/*
 * The "cgroup NAME" filter term: sockets whose cgroup path (below the v2
 * root) contains NAME, or "#ID" for one cgroup by id (replays, cgroups
 * gone). Names are resolved to ids when the filter is typed, so matching
 * a row is a lookup; a cgroup created later needs the filter typed again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "filter.h"

int filter_arg_cgroup(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	char *end;
	int n;

	if (arg[0] == '#') {
		unsigned long long id = strtoull(arg + 1, &end, 10);

		if (!arg[1] || *end || !id) {
			snprintf(err, errsz, "cgroup: #ID must be a cgroup id number");
			return -1;
		}
		t->u.nums.n = 1;
		t->u.nums.v[0] = id;
		return 0;
	}
	if (!arg[0] || strlen(arg) >= FILTER_STR_LEN) {
		snprintf(err, errsz, "cgroup: a name of 1-%d bytes expected", FILTER_STR_LEN - 1);
		return -1;
	}
	n = cgroup_ids_matching(arg, t->u.nums.v, FILTER_MAX_VALUES);
	if (n == -E2BIG) {
		snprintf(err, errsz, "cgroup: '%s' matches more than %d cgroups: say more",
			 arg, FILTER_MAX_VALUES);
		return -1;
	}
	if (n <= 0) {
		snprintf(err, errsz, "cgroup: no cgroup path contains '%s'%s", arg,
			 n == -ENOENT ? " (no cgroup v2 hierarchy)" : "");
		return -1;
	}
	t->u.nums.n = n;
	return 0;
}

bool filter_match_cgroup(const struct filter_term *t, const struct filter_subject *s)
{
	return s->cgroup_id && filter_nums_has(t, s->cgroup_id);
}
