// SPDX-License-Identifier: GPL-2.0
/*
 * --metrics: events fed through app_on_event come out as the exact
 * samples (transitions, connects by result, binds, per listening port),
 * the socket gauge follows the table, labels stay bounded past the port
 * cap, both formats frame their families right (OpenMetrics ends with
 * # EOF, counters' TYPE lines name the family), label values are
 * escaped, and the address parser takes what --metrics documents only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "app_fix.h"
#include "check.h"
#include "metrics.h"
#include "metrics_http.h"

#define SK 0xffff888000001000ULL

static struct event st(uint64_t sk, uint16_t lport, uint16_t rport, uint8_t old, uint8_t new)
{
	static uint64_t ts = 1000;
	struct event e = { .ts_ns = ts += 1000, .skaddr = sk, .kind = EV_STATE, .family = AF_INET,
			   .protocol = IPPROTO_TCP, .lport = lport, .rport = rport,
			   .oldstate = old, .newstate = new };

	inet_pton(AF_INET, "127.0.0.1", e.saddr);
	inet_pton(AF_INET, "127.0.0.1", e.daddr);
	return e;
}

static struct event ev_sk(uint64_t sk, uint16_t kind, uint16_t family, uint16_t lport, int32_t ret)
{
	struct event e = { .ts_ns = 5000, .skaddr = sk, .kind = kind, .family = family,
			   .protocol = IPPROTO_TCP, .lport = lport, .ret = ret };

	return e;
}

static struct event ev_kind(uint16_t kind, uint16_t family, uint16_t lport, int32_t ret)
{
	return ev_sk(SK + 0x900, kind, family, lport, ret);
}

static void feed(struct fix *f, struct event e)
{
	app_on_event(&f->a, &e);
}

/* the whole exposition of f, NUL-terminated (caller frees) */
static char *render(struct fix *f, bool om)
{
	struct metrics_proc pr = { .cpu_seconds = 1.5, .rss_bytes = 4096, .start_time = 10 };
	struct mbuf b = { 0 };

	CHECK(!metrics_render(f->a.metrics, &f->a, &pr, om, &b));
	mbuf_printf(&b, "%s", "");
	return b.p;
}

/* the sample line "name{labels} value" is present exactly */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p += n)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

#define CHECK_LINE(text, line)                                                                \
	do {                                                                                  \
		if (!has_line(text, line)) {                                                  \
			fprintf(stderr, "  %s:%d: no line \"%s\"\n", __FILE__, __LINE__, line);      \
			check_failed_now = 1;                                                 \
		}                                                                             \
	} while (0)

static void setup(struct fix *f)
{
	fix_init(f, 0);
	f->a.metrics = metrics_new();
}

static void teardown(struct fix *f)
{
	metrics_free(f->a.metrics);
	fix_free(f);
}

/* a listener on 8080, two connections to it (one end each side), one
 * refused connect, one failed bind */
static void test_counts(void)
{
	struct fix f;
	char *t;

	setup(&f);
	feed(&f, st(SK, 8080, 0, TS_CLOSE, TS_LISTEN));
	for (uint64_t i = 0; i < 2; i++) {
		uint64_t c = SK + 0x100 * (i + 1), s = SK + 0x10000 * (i + 1);

		feed(&f, st(c, 40000 + (uint16_t)i, 8080, TS_CLOSE, TS_SYN_SENT));
		feed(&f, st(s, 8080, 40000 + (uint16_t)i, TS_LISTEN, TS_SYN_RECV));
		feed(&f, st(s, 8080, 40000 + (uint16_t)i, TS_SYN_RECV, TS_ESTABLISHED));
		feed(&f, st(c, 40000 + (uint16_t)i, 8080, TS_SYN_SENT, TS_ESTABLISHED));
		feed(&f, ev_kind(EV_CONNECT_RET, AF_INET, 40000 + (uint16_t)i, 0));
		feed(&f, ev_sk(s, EV_ACCEPT, AF_INET, 8080, 5));
	}
	feed(&f, ev_kind(EV_CONNECT_RET, AF_INET6, 40009, -ECONNREFUSED));
	feed(&f, ev_kind(EV_BIND, AF_INET, 8080, -EADDRINUSE));
	t = render(&f, false);
	CHECK_LINE(t, "socktop_transitions_total{old=\"CLOSE\",new=\"LISTEN\"} 1");
	CHECK_LINE(t, "socktop_transitions_total{old=\"LISTEN\",new=\"SYN_RECV\"} 2");
	CHECK_LINE(t, "socktop_transitions_total{old=\"SYN_SENT\",new=\"ESTABLISHED\"} 2");
	CHECK(!strstr(t, "new=\"FIN_WAIT1\"")); /* only transitions seen */
	CHECK_LINE(t, "socktop_connects_total{family=\"ipv4\",result=\"ESTABLISHED\"} 2");
	CHECK_LINE(t, "socktop_connects_total{family=\"ipv6\",result=\"REFUSED\"} 1");
	CHECK_LINE(t, "socktop_connects_total{family=\"ipv4\",result=\"REFUSED\"} 0");
	CHECK_LINE(t, "socktop_passive_opens_total{port=\"8080\"} 2");
	CHECK_LINE(t, "socktop_accepts_total{port=\"8080\"} 2");
	CHECK_LINE(t, "socktop_binds_total{protocol=\"tcp\",kind=\"explicit\",result=\"EADDRINUSE\"} 1");
	CHECK_LINE(t, "socktop_sockets{state=\"ESTABLISHED\",family=\"ipv4\"} 4");
	CHECK_LINE(t, "socktop_sockets{state=\"LISTEN\",family=\"ipv4\"} 1");
	/* the two server ends; the client ends have other local ports */
	CHECK_LINE(t, "socktop_listener_connections{port=\"8080\"} 2");
	/* no cgroup names here: no container, no service */
	CHECK_LINE(t, "socktop_container_sockets{container=\"none\",state=\"ESTABLISHED\"} 4");
	CHECK_LINE(t, "socktop_events_total{kind=\"state\"} 9");
	CHECK_LINE(t, "process_cpu_seconds_total 1.500000");
	CHECK_LINE(t, "process_resident_memory_bytes 4096");
	/* a closed socket lingering for the UI is no longer a socket */
	feed(&f, st(SK + 0x100, 40000, 8080, TS_ESTABLISHED, TS_CLOSE));
	free(t);
	t = render(&f, false);
	CHECK_LINE(t, "socktop_sockets{state=\"ESTABLISHED\",family=\"ipv4\"} 3");
	CHECK_LINE(t, "socktop_sockets{state=\"CLOSE\",family=\"ipv4\"} 0");
	free(t);
	teardown(&f);
}

/* every family has HELP and TYPE before its samples; counters are named
 * by family in OpenMetrics and by sample in the text format */
static void test_formats(void)
{
	struct fix f;
	char *t, *o;

	setup(&f);
	feed(&f, st(SK, 8080, 0, TS_CLOSE, TS_LISTEN));
	t = render(&f, false);
	o = render(&f, true);
	CHECK(strstr(t, "# TYPE socktop_transitions_total counter\n"));
	CHECK(strstr(o, "# TYPE socktop_transitions counter\n"));
	CHECK(strstr(o, "\nsocktop_transitions_total{"));
	CHECK(strstr(t, "# TYPE socktop_build_info gauge\nsocktop_build_info{version=\""));
	CHECK(strstr(o, "# TYPE socktop_build info\nsocktop_build_info{version=\""));
	CHECK(!strstr(t, "# EOF"));
	CHECK(strlen(o) > 6 && !strcmp(o + strlen(o) - 6, "# EOF\n"));
	/* each TYPE line is right after its HELP line, names the same */
	for (const char *p = t; (p = strstr(p, "# HELP ")); p++) {
		const char *name = p + 7, *sp = strchr(name, ' '), *nl = strchr(p, '\n');

		CHECK(sp && nl && !strncmp(nl + 1, "# TYPE ", 7) &&
		      !strncmp(nl + 8, name, (size_t)(sp - name)));
	}
	free(t);
	free(o);
	teardown(&f);
}

/* more listening ports than labels: the rest count as "other", and each
 * unlabelled port is counted once */
static void test_port_cap(void)
{
	struct fix f;
	char *t;
	int n = 0;

	setup(&f);
	for (int p = 0; p < METRICS_MAX_PORTS + 10; p++) {
		feed(&f, st(SK + 0x100 * (uint64_t)p, (uint16_t)(10000 + p), 0, TS_CLOSE, TS_LISTEN));
		feed(&f, ev_kind(EV_ACCEPT, AF_INET, (uint16_t)(10000 + p), 4));
		feed(&f, ev_kind(EV_ACCEPT, AF_INET, (uint16_t)(10000 + p), 4));
	}
	t = render(&f, false);
	for (const char *p = t; (p = strstr(p, "\nsocktop_accepts_total{port=\"")); p++)
		n++;
	CHECK(n == METRICS_MAX_PORTS + 1);
	CHECK_LINE(t, "socktop_accepts_total{port=\"other\"} 20");
	CHECK_LINE(t, "socktop_ports_unlabelled 10");
	CHECK_LINE(t, "socktop_accepts_total{port=\"10000\"} 2");
	free(t);
	teardown(&f);
}

/* absurd values from a bad recording land in "other", never in a label
 * of their own */
static void test_bad_values(void)
{
	struct fix f;
	char *t;

	setup(&f);
	feed(&f, st(SK, 1, 2, 200, 201));
	feed(&f, ev_kind(EV_CONNECT_RET, AF_INET, 1, -100000));
	feed(&f, ev_kind(EV_CONNECT_RET, AF_INET, 1, 77));
	feed(&f, ev_kind(EV_CONNECT_RET, 99, 1, -ECONNREFUSED)); /* no such family: not counted */
	t = render(&f, false);
	CHECK_LINE(t, "socktop_transitions_total{old=\"other\",new=\"other\"} 1");
	CHECK_LINE(t, "socktop_connects_total{family=\"ipv4\",result=\"other\"} 2");
	CHECK_LINE(t, "socktop_connects_total{family=\"ipv4\",result=\"REFUSED\"} 0");
	free(t);
	teardown(&f);
}

static struct event traffic(uint64_t sk, uint16_t lport, uint16_t rport, uint64_t ts,
			    uint64_t tx, uint64_t rx)
{
	struct event e = st(sk, lport, rport, TS_ESTABLISHED, TS_ESTABLISHED);

	e.kind = EV_TRAFFIC;
	e.ts_ns = ts;
	memset(&e.tcpi, 0, sizeof(e.tcpi));
	e.tcpi.bytes_acked = tx;
	e.tcpi.bytes_received = rx;
	return e;
}

/* bytes per listening port from the samples' deltas; a socket that was
 * there before socktop sets its baseline only; retransmits and resets by
 * port, "other" for sockets on no labelled listening port */
static void test_traffic(void)
{
	struct fix f;
	struct event e;
	char *t;

	setup(&f);
	feed(&f, st(SK, 8080, 0, TS_CLOSE, TS_LISTEN));
	feed(&f, st(SK + 0x10, 8080, 40000, TS_LISTEN, TS_SYN_RECV));
	feed(&f, st(SK + 0x10, 8080, 40000, TS_SYN_RECV, TS_ESTABLISHED));
	feed(&f, traffic(SK + 0x10, 8080, 40000, 1000000, 1000, 500));
	feed(&f, traffic(SK + 0x10, 8080, 40000, 2000000, 3000, 700));
	feed(&f, traffic(SK + 0x10, 8080, 40000, 1500000, 9000, 9000)); /* older: stale */
	/* found by the start-up snapshot with 1 MB already moved */
	e = st(SK + 0x20, 8080, 40001, TS_ESTABLISHED, TS_ESTABLISHED);
	e.kind = EV_SNAP_SOCK;
	e.flags = SNAP_STARTUP;
	feed(&f, e);
	feed(&f, traffic(SK + 0x20, 8080, 40001, 1000000, 1000000, 1000000));
	feed(&f, traffic(SK + 0x20, 8080, 40001, 2000000, 1000100, 1000010));
	/* a client on no listening port */
	feed(&f, st(SK + 0x30, 50000, 443, TS_CLOSE, TS_SYN_SENT));
	feed(&f, traffic(SK + 0x30, 50000, 443, 1000000, 42, 43));
	e = st(SK + 0x10, 8080, 40000, TS_ESTABLISHED, TS_ESTABLISHED);
	e.kind = EV_RETRANS;
	feed(&f, e);
	feed(&f, e);
	e.kind = EV_RESET;
	e.flags = RESET_SENT;
	feed(&f, e);
	e = st(SK + 0x30, 50000, 443, TS_ESTABLISHED, TS_ESTABLISHED);
	e.kind = EV_RESET;
	e.flags = RESET_RECEIVED;
	feed(&f, e);
	t = render(&f, false);
	CHECK_LINE(t, "socktop_bytes_acked_total{port=\"8080\"} 3100");
	CHECK_LINE(t, "socktop_bytes_received_total{port=\"8080\"} 710");
	CHECK_LINE(t, "socktop_bytes_acked_total{port=\"other\"} 42");
	CHECK_LINE(t, "socktop_bytes_received_total{port=\"other\"} 43");
	CHECK_LINE(t, "socktop_retransmits_total{port=\"8080\"} 2");
	CHECK_LINE(t, "socktop_retransmits_total{port=\"other\"} 0");
	CHECK_LINE(t, "socktop_resets_total{port=\"8080\",direction=\"sent\"} 1");
	CHECK_LINE(t, "socktop_resets_total{port=\"other\",direction=\"received\"} 1");
	CHECK_LINE(t, "socktop_resets_total{port=\"8080\",direction=\"received\"} 0");
	free(t);
	teardown(&f);
}

/* sockets by namespace: named ones by name (escaped), others by inode,
 * past the cap "other" */
static void test_netns(void)
{
	struct fix f;
	struct event e;
	char *t;

	setup(&f);
	memset(&e, 0, sizeof(e));
	e.kind = EV_SNAP_NETNS;
	e.netns = 4026530000u;
	strcpy(event_netns_name(&e), "blue\x1b]0;x");
	feed(&f, e);
	for (uint32_t i = 0; i < 3; i++) {
		e = st(SK + 0x100 * i, (uint16_t)(1000 + i), 2000, TS_SYN_SENT, TS_ESTABLISHED);
		e.netns = i < 2 ? 4026530000u : 4026531234u;
		feed(&f, e);
	}
	/* 40 more namespaces, one socket each: 32 labels in all, the rest other */
	for (uint32_t i = 0; i < 40; i++) {
		e = st(SK + 0x10000 * (i + 1), 3000, 4000, TS_CLOSE, TS_LISTEN);
		e.netns = 5000 + i;
		feed(&f, e);
	}
	t = render(&f, false);
	CHECK_LINE(t, "socktop_netns_sockets{netns=\"blue\\\\x1b]0;x\",state=\"ESTABLISHED\"} 2");
	/* the most sockets first, then by inode: 5000..5030 take the other
	 * 31 labels; 5031..5039 and 4026531234 are other */
	CHECK_LINE(t, "socktop_netns_sockets{netns=\"5000\",state=\"LISTEN\"} 1");
	CHECK_LINE(t, "socktop_netns_sockets{netns=\"5030\",state=\"LISTEN\"} 1");
	CHECK_LINE(t, "socktop_netns_sockets{netns=\"other\",state=\"LISTEN\"} 9");
	CHECK_LINE(t, "socktop_netns_sockets{netns=\"other\",state=\"ESTABLISHED\"} 1");
	CHECK(!strstr(t, "netns=\"5031\"") && !strstr(t, "netns=\"4026531234\""));
	free(t);
	teardown(&f);
}

static void test_mbuf(void)
{
	struct mbuf b = { 0 };
	char big[40000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	mbuf_printf(&b, "%s", "a");
	mbuf_printf(&b, "%s", big);
	mbuf_printf(&b, "%d", 7);
	CHECK(!b.oom && b.len == 1 + sizeof(big) - 1 + 1);
	CHECK(b.p[0] == 'a' && b.p[b.len - 1] == '7' && b.p[b.len] == '\0');
	mbuf_free(&b);
	CHECK(!b.p && !b.len);
}

static void test_addr(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	static const char *const bad[] = { "", ":", "x", "9470x", "-1", "+80", "65536",
					   "127.0.0.1:", ":9470", "[::1]", "[::1:9470", "::1:9470",
					   "example.com:80", "1.2.3:80", "[]:80", "127.0.0.1:99999" };
	socklen_t len;

	CHECK(!metrics_addr_parse("9470", &ss, &len));
	CHECK(s4->sin_family == AF_INET && ntohs(s4->sin_port) == 9470 &&
	      s4->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && len == sizeof(*s4));
	CHECK(!metrics_addr_parse("0.0.0.0:80", &ss, &len));
	CHECK(s4->sin_addr.s_addr == 0 && ntohs(s4->sin_port) == 80);
	CHECK(!metrics_addr_parse("localhost:0", &ss, &len));
	CHECK(s4->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && !s4->sin_port);
	CHECK(!metrics_addr_parse("[::1]:9470", &ss, &len));
	CHECK(s6->sin6_family == AF_INET6 && ntohs(s6->sin6_port) == 9470 &&
	      IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) && len == sizeof(*s6));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (metrics_addr_parse(bad[i], &ss, &len) != -EINVAL) {
			fprintf(stderr, "  accepted '%s'\n", bad[i]);
			check_failed_now = 1;
		}
}

int main(void)
{
	RUN(test_counts);
	RUN(test_formats);
	RUN(test_port_cap);
	RUN(test_bad_values);
	RUN(test_traffic);
	RUN(test_netns);
	RUN(test_mbuf);
	RUN(test_addr);
	CHECK_EXIT();
}
