// SPDX-License-Identifier: GPL-2.0
/* The "cgroup" filter term: #ID, names resolved against the cgroup v2
 * tree when typed, and its errors. */
#include <string.h>

#include "check.h"
#include "filter.h"

static void test_cgroup_id(void)
{
	struct filter f = { 0 };
	struct filter_subject s = { .state = -1, .uid = -1 };
	char err[160];
	int pos;

	CHECK(filter_parse(&f, "cgroup #4242", err, sizeof(err), &pos) == 0);
	s.cgroup_id = 4242;
	CHECK(filter_match(&f, &s));
	s.cgroup_id = 4243;
	CHECK(!filter_match(&f, &s));
	s.cgroup_id = 0; /* unknown never matches */
	CHECK(!filter_match(&f, &s));
}

static void test_cgroup_errors(void)
{
	struct filter f = { 0 };
	char err[160];
	int pos;

	CHECK(filter_parse(&f, "port 80 cgroup #", err, sizeof(err), &pos) == -1);
	CHECK(pos >= 8 && strstr(err, "cgroup"));
	CHECK(filter_parse(&f, "cgroup #12x", err, sizeof(err), &pos) == -1);
	CHECK(filter_parse(&f, "cgroup no-such-cgroup-name-zq9", err, sizeof(err), &pos) == -1);
	CHECK(strstr(err, "no cgroup") != NULL);
	CHECK(filter_parse(&f, "cgroup", err, sizeof(err), &pos) == -1);
}

/* Every cgroup path contains "/": more than 16 on any real host, or the
 * root alone; both are answers, never a crash. */
static void test_cgroup_broad(void)
{
	struct filter f = { 0 };
	char err[160];
	int pos, rc = filter_parse(&f, "cgroup /", err, sizeof(err), &pos);

	CHECK(rc == 0 || strstr(err, "more than") || strstr(err, "no cgroup"));
}

int main(void)
{
	RUN(test_cgroup_id);
	RUN(test_cgroup_errors);
	RUN(test_cgroup_broad);
	CHECK_EXIT();
}
