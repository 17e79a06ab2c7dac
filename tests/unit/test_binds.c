// SPDX-License-Identifier: GPL-2.0
/* Bind model (log order, bound and drops, counts) and the bindsnoop
 * stream's formats (text, wide, -E, CSV, JSON, --count), hostile comm. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "app.h"
#include "binds.h"
#include "check.h"
#include "filter.h"
#include "opts.h"
#include "stream.h"

static struct event bind_ev(uint64_t ts, const char *addr, uint16_t req, uint16_t port, int ret)
{
	struct event e = { .kind = EV_BIND,
			   .ts_ns = ts,
			   .pid = 42,
			   .tid = 42,
			   .uid = 1000,
			   .protocol = 6,
			   .skaddr = 0xffff888012345678ULL };

	e.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(e.family, addr, e.saddr);
	e.aux = req;
	e.lport = port;
	e.ret = ret;
	memcpy(e.comm, "nginx", 6);
	return e;
}

static void test_log_order_and_bound(void)
{
	struct binds *b = binds_new(3);
	struct event e;

	CHECK(b);
	for (int i = 1; i <= 5; i++) {
		e = bind_ev((uint64_t)i, "127.0.0.1", (uint16_t)(41000 + i), (uint16_t)(41000 + i),
			    0);
		binds_apply(b, &e);
	}
	CHECK(binds_len(b) == 3);
	CHECK(binds_get(b, 0)->ts_ns == 5);
	CHECK(binds_get(b, 2)->ts_ns == 3);
	CHECK(binds_get(b, 3) == NULL);
	CHECK(binds_stats(b)->total == 5);
	CHECK(binds_stats(b)->dropped == 2);
	/* other kinds are ignored */
	e.kind = EV_STATE;
	binds_apply(b, &e);
	CHECK(binds_stats(b)->total == 5);
	binds_free(b);
}

static void test_counts(void)
{
	struct binds *b = binds_new(0);
	const struct bind_count *c[8];
	struct event e;
	uint64_t gen;

	e = bind_ev(1, "127.0.0.1", 80, 80, 0);
	binds_apply(b, &e);
	binds_apply(b, &e);
	e = bind_ev(2, "127.0.0.1", 80, 0, -98);
	binds_apply(b, &e);
	e = bind_ev(3, "::1", 0, 41234, 0);
	e.flags = BIND_IMPLICIT;
	gen = binds_generation(b);
	binds_apply(b, &e);
	CHECK(binds_generation(b) != gen);
	e = bind_ev(4, "127.0.0.1", 80, 80, 0);
	e.protocol = 17; /* UDP 80 is another key */
	binds_apply(b, &e);
	CHECK(binds_ncounts(b) == 3);
	CHECK(binds_counts(b, c, 8) == 3);
	CHECK(c[0]->binds == 3 && c[0]->failed == 1 && c[0]->key.port == 80 &&
	      c[0]->key.protocol == 6);
	CHECK(c[1]->binds == 1 && c[2]->binds == 1);
	/* the implicit one counts under the port it got */
	CHECK(c[2]->key.family == AF_INET6 && c[2]->key.port == 41234);
	CHECK(binds_counts(b, c, 1) == 1 && c[0]->binds == 3);
	CHECK(binds_stats(b)->failed == 1 && binds_stats(b)->implicit == 1);
	binds_free(b);
}

/* Past the index's growth and the bound: every key counted once, the
 * ones past BINDS_MAX_COUNTS dropped and counted, a known key still
 * counted when the table is full. */
static void test_counts_many(void)
{
	struct binds *b = binds_new(16);
	const struct bind_count *top[2];
	const uint32_t extra = 100, n = BINDS_MAX_COUNTS + extra;
	struct event e;
	bool ok = true;

	for (uint32_t i = 0; i < n; i++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "10.%u.%u.1", (i >> 16) & 255, (i >> 8) & 255);
		e = bind_ev(i, addr, 0, (uint16_t)(i & 255) + 1000, 0);
		binds_apply(b, &e);
	}
	CHECK(binds_ncounts(b) == BINDS_MAX_COUNTS);
	CHECK(binds_stats(b)->counts_dropped == extra);
	e = bind_ev(n, "10.0.0.1", 0, 1000, 0); /* the first key, counted again */
	binds_apply(b, &e);
	CHECK(binds_stats(b)->counts_dropped == extra);
	CHECK(binds_counts(b, top, 2) == 2 && top[0]->binds == 2 && top[0]->key.port == 1000 &&
	      top[1]->binds == 1);
	const struct bind_count **all = malloc(BINDS_MAX_COUNTS * sizeof(*all));

	CHECK(all && binds_counts(b, all, BINDS_MAX_COUNTS) == BINDS_MAX_COUNTS);
	for (uint32_t i = 1; all && i < BINDS_MAX_COUNTS; i++)
		ok = ok && all[i]->binds == 1;
	CHECK(ok);
	free(all);
	binds_free(b);
}

static void test_helpers(void)
{
	char o[6], buf[12];
	struct event e = bind_ev(1, "127.0.0.1", 0, 41000, 0);

	CHECK_STR(binds_opts_str(o, 0), ".....");
	CHECK_STR(binds_opts_str(o, BIND_OPT_FREEBIND | BIND_OPT_REUSEPORT | BIND_IMPLICIT),
		  "F...r");
	CHECK_STR(binds_opts_str(o, 31), "FTNRr");
	CHECK_STR(binds_proto_name(6, buf, sizeof(buf)), "TCP");
	CHECK_STR(binds_proto_name(17, buf, sizeof(buf)), "UDP");
	CHECK_STR(binds_proto_name(132, buf, sizeof(buf)), "IP132");
	CHECK(binds_port(&e) == 41000 && binds_req_port(&e) == 0);
	e.lport = 0;
	e.aux = 8080;
	CHECK(binds_port(&e) == 8080);
}

/* one event through the stream printer, into buf */
static void run_stream(struct opts *o, const struct event *ev, int n, char *buf, size_t sz,
		       struct binds *b)
{
	struct app a = { .opts = o, .binds = b };
	char ob[64 * 1024];
	struct stream_out f = { .buf = ob, .cap = sizeof(ob), .fd = -1 };

	f.sink = fmemopen(buf, sz, "w");
	a.first_ev_ns = n ? ev[0].ts_ns : 0;
	stream_binds_ops.header(&f, &a);
	for (int i = 0; i < n; i++)
		stream_binds_ops.event(&f, &a, &ev[i], 0);
	stream_binds_ops.finish(&f, &a);
	stream_out_drain(&f);
	fclose(f.sink);
}

static struct opts base_opts(void)
{
	struct opts o;

	memset(&o, 0, sizeof(o));
	o.uid = -1;
	o.stream = STREAM_BINDS;
	return o;
}

static void test_stream_text(void)
{
	struct opts o = base_opts();
	struct event ev[2];
	char buf[2048];

	ev[0] = bind_ev(1000000000, "127.0.0.1", 0, 41001, 0);
	ev[0].flags = BIND_OPT_REUSEADDR;
	ev[0].ifindex = 1;
	ev[1] = bind_ev(1500000000, "127.0.0.1", 41001, 0, -98);
	run_stream(&o, ev, 2, buf, sizeof(buf), NULL);
	CHECK_STR(buf, "     PID COMM         PROT ADDR             PORT OPTS  IF\n"
		       "      42 nginx        TCP  127.0.0.1       41001 ...R.  1\n");
	o.errors = true;
	o.uid_col = true;
	o.ts_rel = true;
	run_stream(&o, ev, 2, buf, sizeof(buf), NULL);
	CHECK_STR(
		buf,
		"TIME(s)      UID  RC      PID COMM         PROT ADDR             PORT OPTS  IF\n"
		"0.000000    1000   0       42 nginx        TCP  127.0.0.1       41001 ...R.  1\n"
		"0.500000    1000  98       42 nginx        TCP  127.0.0.1       41001 .....  0\n");
	o.ts_rel = o.uid_col = false;
	o.wide = true;
	run_stream(&o, &ev[1], 1, buf, sizeof(buf), NULL);
	CHECK(strstr(buf, "EADDRINUSE            42 nginx            TCP  127.0.0.1"));
	/* an implicit bind: bindsnoop's text never shows one, so no extra
	 * word on a text line; CSV says so in its IMPLICIT column */
	ev[1].flags = BIND_IMPLICIT;
	run_stream(&o, &ev[1], 1, buf, sizeof(buf), NULL);
	CHECK(!strstr(buf, "nginx") && !strstr(buf, "implicit"));
	o.csv = true;
	run_stream(&o, &ev[1], 1, buf, sizeof(buf), NULL);
	CHECK(strstr(buf, ",IMPLICIT\n") && strstr(buf, ",98,1\n"));
	o.csv = false;
	/* capture filters apply to replays too */
	o = base_opts();
	o.pid = 7;
	run_stream(&o, ev, 1, buf, sizeof(buf), NULL);
	CHECK(!strstr(buf, "nginx"));
}

static void test_stream_hostile_comm(void)
{
	struct opts o = base_opts();
	struct event ev = bind_ev(1, "::1", 41002, 41002, 0);
	char buf[2048];

	memcpy(ev.comm, "a\x1b[2Jb\"c,\\", 11);
	run_stream(&o, &ev, 1, buf, sizeof(buf), NULL);
	CHECK(!strchr(buf, '\x1b'));
	CHECK(strstr(buf, " a\\x1b[2Jb\"c, ")); /* escaped, then cut to 12 columns */
	o.json = true;
	run_stream(&o, &ev, 1, buf, sizeof(buf), NULL);
	CHECK(!strchr(buf, '\x1b'));
	CHECK(strstr(buf, "\"comm\":\"a\\\\x1b[2Jb\\\"c,\\\\\\\\\""));
	o.json = false;
	o.csv = true;
	run_stream(&o, &ev, 1, buf, sizeof(buf), NULL);
	CHECK(strstr(buf, "\"a\\x1b[2Jb\"\"c,\\\\\""));
}

static void test_stream_json_csv(void)
{
	struct opts o = base_opts();
	struct event ev = bind_ev(5, "::1", 0, 41003, 0);
	char buf[2048];

	ev.flags = BIND_OPT_NO_PORT | BIND_IMPLICIT;
	ev.ifindex = 3;
	ev.cgroup_id = 9;
	o.json = true;
	run_stream(&o, &ev, 1, buf, sizeof(buf), NULL);
	CHECK(strstr(buf, "\"skaddr\":\"ffff888012345678\",\"pid\":42,\"tid\":42,\"uid\":1000,"
			  "\"comm\":\"nginx\",\"family\":6,\"proto\":\"TCP\",\"addr\":\"::1\","
			  "\"port\":41003,\"req_port\":0,\"bound_port\":41003,\"opts\":\"..N..\","
			  "\"flags\":260,\"ifindex\":3,\"ret\":0,\"error\":\"\",\"implicit\":true,"
			  "\"cgroup_id\":9,\"netns\":0}\n"));
	o.json = false;
	o.csv = true;
	run_stream(&o, &ev, 1, buf, sizeof(buf), NULL);
	CHECK_STR(buf, "PID,UID,COMM,PROT,ADDR,PORT,REQPORT,OPTS,IF,RC,IMPLICIT\n"
		       "42,1000,nginx,TCP,::1,41003,0,..N..,3,0,1\n");
}

static void test_stream_count(void)
{
	struct opts o = base_opts();
	struct binds *b = binds_new(0);
	struct event ev = bind_ev(5, "127.0.0.1", 80, 80, 0);
	char buf[2048];

	binds_apply(b, &ev);
	binds_apply(b, &ev);
	o.count = true;
	run_stream(&o, &ev, 1, buf, sizeof(buf), b);
	CHECK_STR(buf, "LADDR                                    LPORT      BINDS PROT FAILED\n"
		       "127.0.0.1                                   80          2 TCP  0\n");
	o.json = true;
	run_stream(&o, &ev, 1, buf, sizeof(buf), b);
	CHECK_STR(
		buf,
		"{\"addr\":\"127.0.0.1\",\"port\":80,\"binds\":2,\"proto\":\"TCP\",\"failed\":0}\n");
	/* failures count only with -E; -P and -4/-6 apply to a replay's counts */
	for (int i = 0; i < 3; i++) {
		struct event f = bind_ev(6, "::1", 443, 0, -98);

		binds_apply(b, &f);
	}
	run_stream(&o, &ev, 1, buf, sizeof(buf), b);
	CHECK_STR(
		buf,
		"{\"addr\":\"127.0.0.1\",\"port\":80,\"binds\":2,\"proto\":\"TCP\",\"failed\":0}\n");
	o.errors = true;
	run_stream(&o, &ev, 1, buf, sizeof(buf), b);
	CHECK_STR(
		buf,
		"{\"addr\":\"::1\",\"port\":443,\"binds\":3,\"proto\":\"TCP\",\"failed\":3}\n"
		"{\"addr\":\"127.0.0.1\",\"port\":80,\"binds\":2,\"proto\":\"TCP\",\"failed\":0}\n");
	o.only4 = true;
	run_stream(&o, &ev, 1, buf, sizeof(buf), b);
	CHECK(!strstr(buf, "::1"));
	o.only4 = false;
	port_list_parse(&o.bind_ports, "443");
	run_stream(&o, &ev, 1, buf, sizeof(buf), b);
	CHECK(strstr(buf, "443") && !strstr(buf, "\"port\":80"));
	binds_free(b);
}

/* the filter terms the Binds pane added: uid, proto, errors */
static void test_filter_terms(void)
{
	struct filter f = { 0 };
	struct event ok = bind_ev(1, "127.0.0.1", 80, 80, 0), bad = bind_ev(2, "::1", 53, 0, -13);
	struct filter_subject so = { .family = AF_INET,
				     .protocol = 6,
				     .uid = 1000,
				     .err = 0,
				     .state = -1,
				     .lport = 80,
				     .saddr = ok.saddr };
	struct filter_subject sb = { .family = AF_INET6,
				     .protocol = 17,
				     .uid = 0,
				     .err = -13,
				     .state = -1,
				     .lport = 53,
				     .saddr = bad.saddr };
	char err[200];
	int pos;

	CHECK(!filter_parse(&f, "uid 1000", err, sizeof(err), &pos));
	CHECK(filter_match(&f, &so) && !filter_match(&f, &sb));
	CHECK(!filter_parse(&f, "uid 0,7", err, sizeof(err), &pos));
	CHECK(!filter_match(&f, &so) && filter_match(&f, &sb));
	so.uid = -1; /* unknown never matches */
	CHECK(!filter_match(&f, &so));
	so.uid = 1000;
	CHECK(!filter_parse(&f, "proto udp", err, sizeof(err), &pos));
	CHECK(!filter_match(&f, &so) && filter_match(&f, &sb));
	CHECK(!filter_parse(&f, "proto TCP", err, sizeof(err), &pos));
	CHECK(filter_match(&f, &so) && !filter_match(&f, &sb));
	CHECK(!filter_parse(&f, "errors", err, sizeof(err), &pos));
	CHECK(!filter_match(&f, &so) && filter_match(&f, &sb));
	CHECK(!filter_parse(&f, "errors proto udp port 53", err, sizeof(err), &pos));
	CHECK(filter_match(&f, &sb));
	CHECK(filter_parse(&f, "port 1 proto sctp", err, sizeof(err), &pos) == -1);
	CHECK(pos == 13 && strstr(err, "tcp or udp"));
	CHECK(filter_parse(&f, "uid x", err, sizeof(err), &pos) == -1 && pos == 4);
	CHECK(filter_parse(&f, "proto", err, sizeof(err), &pos) == -1 && pos == 0);
}

int main(void)
{
	RUN(test_log_order_and_bound);
	RUN(test_counts);
	RUN(test_counts_many);
	RUN(test_helpers);
	RUN(test_stream_text);
	RUN(test_stream_hostile_comm);
	RUN(test_stream_json_csv);
	RUN(test_stream_count);
	RUN(test_filter_terms);
	CHECK_EXIT();
}
