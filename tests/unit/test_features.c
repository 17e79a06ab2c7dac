// SPDX-License-Identifier: GPL-2.0
/*
 * The feature table: features found where they registered themselves,
 * in start order; names, bits and --disable lists; the per-tick poll
 * reaching exactly the started features that have one, with the tick's
 * time; and the capture config each mode builds from its options.
 */
#include <errno.h>
#include <sys/socket.h>

#include "capture.h"
#include "check.h"
#include "feature.h"
#include "opts.h"

/* what a poll saw: its calls, the last time, and what it returns */
struct seen {
	int calls;
	uint64_t now;
	int ret;
};

static int fake_poll(struct loader *l, void *data, uint64_t now_ns)
{
	struct seen *s = data;

	(void)l;
	s->calls++;
	s->now = now_ns;
	return s->ret;
}

/* registered here only: it starts between connects and iters */
static const struct feature_ops feat_fake = { .name = "fake", .order = 25, .poll = fake_poll };
FEATURE(feat_fake);
static const struct feature_ops feat_nopoll = { .name = "nopoll", .order = 26 };
FEATURE(feat_nopoll);

static void test_order(void)
{
	char buf[128];

	/* the built-in ones and this test's two; metric hooks (feat_metric.h)
	 * start later and come after */
	CHECK(features_count() >= 7);
	CHECK(!strncmp(features_names(buf, sizeof(buf)),
		       "states,binds,connects,fake,nopoll,iters,traffic", 47));
	CHECK_STR(features_get(0)->name, "states");
	CHECK(features_get(features_count()) == NULL && features_get(-1) == NULL);
	CHECK(feature_index("fake") == 3 && feature_index("iters") == 5);
	CHECK(feature_index("nope") == -ENOENT && feature_index("") == -ENOENT);
	CHECK(features_find("bindsx", 5) == 1); /* n bytes of the name */
	CHECK(feature_bit("connects") == 1u << 2 && feature_bit("nope") == 0);
	CHECK(features_get(0)->captures && features_get(0)->open && features_get(0)->destroy);
}

static void test_parse(void)
{
	uint32_t m = 7;
	size_t bad = 0;

	CHECK(!features_parse("iters", &m, NULL) && m == feature_bit("iters"));
	CHECK(!features_parse("binds,states,binds", &m, NULL) &&
	      m == (feature_bit("binds") | feature_bit("states")));
	CHECK(features_parse("binds,bogus", &m, &bad) == -EINVAL && bad == 6);
	CHECK(features_parse("", &m, &bad) == -EINVAL && bad == 0);
	CHECK(features_parse("binds,", &m, &bad) == -EINVAL && bad == 6);
	CHECK(features_parse("bind", &m, NULL) == -EINVAL);
}

static void test_poll(void)
{
	struct feature_run run[FEATURE_MAX] = { 0 };
	struct seen fake = { .ret = 3 }, nopoll = { 0 };
	int f = feature_index("fake"), np = feature_index("nopoll");

	run[f].data = &fake;
	run[np].data = &nopoll;
	run[np].on = true;
	CHECK(features_poll(NULL, run, 1000) == 0); /* fake not started: not polled */
	CHECK(fake.calls == 0);
	run[f].on = true;
	CHECK(features_poll(NULL, run, 2000) == 3);
	CHECK(fake.calls == 1 && fake.now == 2000);
	CHECK(features_poll(NULL, run, 2100) == 3 && fake.calls == 2 && fake.now == 2100);
	fake.ret = -EIO;
	CHECK(features_poll(NULL, run, 2200) == -EIO && fake.calls == 3);
	CHECK(nopoll.calls == 0);
}

static int parse(struct opts *o, struct capture *c, const char *const *args, int n)
{
	char *argv[16] = { "socktop" }, err[256];

	for (int i = 0; i < n; i++)
		argv[i + 1] = (char *)args[i];
	if (opts_parse(o, n + 1, argv))
		return -EINVAL;
	return opts_capture(o, c, err, sizeof(err));
}

static void test_capture(void)
{
	static const char *const ui[] = { "-4", "-L", "80,443", "--disable", "binds,iters" };
	static const char *const binds[] = { "--stream=binds", "-p", "7", "-u", "0", "-P", "53" };
	static const char *const conns[] = { "--stream=connects", "-P", "5432", "-D", "80" };
	static const char *const states[] = { "--stream", "-6", "-D", "22" };
	static const char *const life[] = { "--stream=life" };
	uint32_t all = (1u << features_count()) - 1;
	struct opts o;
	struct capture c;

	CHECK(!parse(&o, &c, ui, 5));
	CHECK(c.family == AF_INET && c.lports.n == 2 && c.lports.port[1] == 443);
	CHECK(c.need == feature_bit("states") && c.use == all);
	CHECK(c.disabled == (feature_bit("binds") | feature_bit("iters")));
	CHECK(c.bind_errors && c.want_cgroup && !c.uid_on && !c.pid && c.ring_kb == 32768);
	CHECK(!c.cgroup && !c.cgroup_id);

	CHECK(!parse(&o, &c, binds, 7));
	CHECK(c.need == (feature_bit("states") | feature_bit("binds")) && c.use == c.need);
	CHECK(c.pid == 7 && c.uid_on && c.uid == 0 && !c.bind_errors && !c.want_cgroup);
	CHECK(c.bind_ports.n == 1 && c.bind_ports.port[0] == 53 && !c.conn_rports.n);

	/* tcpconnect's -P is the connects' remote ports; -D stays the states' */
	CHECK(!parse(&o, &c, conns, 5));
	CHECK(c.need == (feature_bit("states") | feature_bit("connects")));
	CHECK(c.conn_rports.n == 1 && c.conn_rports.port[0] == 5432);
	CHECK(c.rports.n == 1 && c.rports.port[0] == 80);

	CHECK(!parse(&o, &c, states, 4));
	CHECK(c.family == AF_INET6 && c.use == feature_bit("states"));
	CHECK(c.conn_rports.n == 1 && c.conn_rports.port[0] == 22 && c.bind_errors);

	/* tcplife: the counters, and every owner finder but binds */
	CHECK(!parse(&o, &c, life, 1));
	CHECK(c.need == (feature_bit("states") | feature_bit("traffic")));
	CHECK(c.use == (all & ~feature_bit("binds")));
}

int main(void)
{
	RUN(test_order);
	RUN(test_parse);
	RUN(test_poll);
	RUN(test_capture);
	CHECK_EXIT();
}
