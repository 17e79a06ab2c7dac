// SPDX-License-Identifier: GPL-2.0
/* Filter terms: parsing, every term's matching, errors and positions. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "check.h"
#include "filter.h"
#include "table.h"

static struct filter_subject subj4(const char *src, uint16_t lp, const char *dst, uint16_t rp)
{
	static uint8_t s[16], d[16];
	struct filter_subject x = { .family = AF_INET,
				    .lport = lp,
				    .rport = rp,
				    .state = TS_ESTABLISHED,
				    .pid = 123,
				    .comm = "nginx",
				    .comm_len = 16,
				    .saddr = s,
				    .daddr = d,
				    .uid = -1 };

	memset(s, 0, 16);
	memset(d, 0, 16);
	inet_pton(AF_INET, src, s);
	inet_pton(AF_INET, dst, d);
	return x;
}

static bool parses(struct filter *f, const char *text)
{
	char err[200];
	int pos;

	return filter_parse(f, text, err, sizeof(err), &pos) == 0;
}

static void test_ports(void)
{
	struct filter f = { 0 };
	struct filter_subject s = subj4("10.0.0.1", 443, "10.0.0.2", 51000);

	CHECK(parses(&f, "port 443"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "port 51000"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "lport 80,8080"));
	CHECK(!filter_match(&f, &s));
	s.lport = 8080;
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "rport 5432"));
	CHECK(!filter_match(&f, &s));
	s.rport = 5432;
	CHECK(filter_match(&f, &s));
	CHECK_STR(f.text, "rport 5432");
}

/* A filter's tables answer as filter_match does, for every filter of
 * ports and states (and the toggles); any other term: no tables. */
static void test_table_matches(void)
{
	static const char *const texts[] = { "",
					     "port 443",
					     "port 0,80",
					     "lport 0,443",
					     "rport 0,5432",
					     "state estab,time_wait",
					     "state listen port 80 rport 51000",
					     "port 80 port 443" };
	static const uint16_t ports[] = { 0, 1, 80, 443, 5432, 51000, 65535 };
	static const uint16_t families[] = { AF_INET, AF_INET6, 0, 1 };
	struct filter f = { 0 };
	int bad = 0;

	CHECK(parses(&f, "comm nginx"));
	CHECK(filter_table_new(&f) == NULL);
	CHECK(parses(&f, "port 443 addr 10.0.0.0/8"));
	CHECK(filter_table_new(&f) == NULL);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		for (int tog = 0; tog < 8; tog++) {
			struct filter_table *t;

			CHECK(parses(&f, texts[i]));
			f.hide4 = tog & 1, f.hide6 = tog & 2, f.hide_tw = tog & 4;
			t = filter_table_new(&f);
			CHECK(t != NULL);
			if (!t)
				continue;
			for (size_t fa = 0; fa < 4; fa++)
				for (int st = 0; st < TS_MAX; st++)
					for (size_t l = 0; l < 7; l++)
						for (size_t r = 0; r < 7; r++) {
							struct filter_subject s =
								subj4("10.0.0.1", ports[l],
								      "10.0.0.2", ports[r]);

							s.family = families[fa];
							s.state = st;
							bad += filter_table_match(
								       t, (uint8_t)s.family,
								       (uint8_t)st, ports[l],
								       ports[r]) !=
							       filter_match(&f, &s);
						}
			free(t);
		}
	}
	CHECK(bad == 0);
}

static void test_pid_comm_state(void)
{
	struct filter f = { 0 };
	struct filter_subject s = subj4("127.0.0.1", 80, "127.0.0.1", 4000);

	CHECK(parses(&f, "pid 123"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "pid 124,125"));
	CHECK(!filter_match(&f, &s));
	CHECK(parses(&f, "comm GINX"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "comm apache"));
	CHECK(!filter_match(&f, &s));
	CHECK(parses(&f, "state estab"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "state listen,time-wait"));
	CHECK(!filter_match(&f, &s));
	s.state = TS_TIME_WAIT;
	CHECK(filter_match(&f, &s));
	/* AND of terms */
	CHECK(parses(&f, "  comm nginx   port 80 state time "));
	CHECK(f.nterms == 3);
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "comm nginx port 81"));
	CHECK(!filter_match(&f, &s));
}

static void test_addr(void)
{
	struct filter f = { 0 };
	struct filter_subject s = subj4("10.1.2.3", 80, "192.168.1.9", 4000);
	uint8_t a6[16], b6[16];

	CHECK(parses(&f, "addr 10.0.0.0/8"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "addr 192.168.1.0/25"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "addr 192.168.1.128/25"));
	CHECK(!filter_match(&f, &s));
	CHECK(parses(&f, "laddr 192.168.0.0/16"));
	CHECK(!filter_match(&f, &s));
	CHECK(parses(&f, "raddr 192.168.0.0/16"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "addr 10.1.2.3"));
	CHECK(filter_match(&f, &s));

	inet_pton(AF_INET6, "2001:db8::1", a6);
	inet_pton(AF_INET6, "::ffff:10.9.9.9", b6);
	s.family = AF_INET6;
	s.saddr = a6;
	s.daddr = b6;
	CHECK(parses(&f, "addr 2001:db8::/32"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "addr 2001:db9::/32"));
	CHECK(!filter_match(&f, &s));
	CHECK(parses(&f, "addr 10.0.0.0/8")); /* v4-mapped */
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "addr ::/0"));
	CHECK(filter_match(&f, &s));
}

static void test_family_toggles(void)
{
	struct filter f = { 0 };
	struct filter_subject s = subj4("10.1.2.3", 80, "10.1.2.4", 4000);
	char d[64];

	f.hide4 = true;
	CHECK(!filter_match(&f, &s));
	CHECK(filter_active(&f));
	CHECK(parses(&f, "port 80"));
	CHECK(f.hide4); /* kept across parses */
	CHECK_STR(filter_describe(&f, d, sizeof(d)), "port 80 -v4");
	f.hide4 = false;
	CHECK(filter_match(&f, &s));
	s.family = AF_INET6;
	f.hide6 = true;
	CHECK(!filter_match(&f, &s));
	CHECK(parses(&f, ""));
	CHECK(f.nterms == 0);
	CHECK(filter_active(&f));
	f.hide6 = false;
	CHECK(!filter_active(&f));
}

static void test_errors(void)
{
	struct filter f = { 0 };
	char err[200];
	int pos;

	CHECK(parses(&f, "port 443"));
	CHECK(filter_parse(&f, "port 443 bogus 99999", err, sizeof(err), &pos) == 0);
	CHECK(filter_parse(&f, "port 443 lport 99999", err, sizeof(err), &pos) == -1);
	CHECK(pos == 15);
	CHECK(strstr(err, "out of range") != NULL);
	CHECK(parses(&f, "port 443"));
	CHECK(filter_parse(&f, "state c", err, sizeof(err), &pos) == -1);
	CHECK(f.nterms == 1); /* unchanged on error */
	CHECK(filter_parse(&f, "port 70000", err, sizeof(err), &pos) == -1);
	CHECK(pos == 5);
	CHECK(strstr(err, "out of range") != NULL);
	CHECK(filter_parse(&f, "port", err, sizeof(err), &pos) == -1);
	CHECK(pos == 0);
	CHECK(strstr(err, "needs an argument") != NULL);
	CHECK(filter_parse(&f, "lport 80,", err, sizeof(err), &pos) == -1);
	CHECK(filter_parse(&f, "lport x", err, sizeof(err), &pos) == -1);
	CHECK(filter_parse(&f, "state bogus", err, sizeof(err), &pos) == -1);
	CHECK(pos == 6);
	CHECK(filter_parse(&f, "addr 10.0.0.0/33", err, sizeof(err), &pos) == -1);
	CHECK(filter_parse(&f, "addr 300.1.1.1", err, sizeof(err), &pos) == -1);
	CHECK(filter_parse(&f, "addr fe80::/129", err, sizeof(err), &pos) == -1);
	CHECK(filter_parse(&f, "pid -1", err, sizeof(err), &pos) == -1);
	CHECK(filter_parse(
		      &f,
		      "comm 0123456789012345678901234567890123456789012345678901234567890123456789",
		      err, sizeof(err), &pos) == -1);
	CHECK(f.nterms == 1);
	CHECK_STR(f.text, "port 443");
}

static void test_hide_time_wait(void)
{
	struct filter f = { 0 };
	struct filter_subject s = subj4("10.0.0.1", 80, "10.0.0.2", 4000);
	char d[64];

	s.state = TS_TIME_WAIT;
	CHECK(filter_match(&f, &s));
	f.hide_tw = true;
	CHECK(filter_active(&f));
	CHECK(!filter_match(&f, &s));
	s.state = TS_ESTABLISHED;
	CHECK(filter_match(&f, &s));
	/* the toggle outlives a new filter text, as 4 and 6 do */
	CHECK(parses(&f, "port 80"));
	CHECK(f.hide_tw);
	CHECK_STR(filter_describe(&f, d, sizeof(d)), "port 80 -time_wait");
	f.hide4 = true;
	CHECK_STR(filter_describe(&f, d, sizeof(d)), "port 80 -v4 -time_wait");
}

static void test_state_prefix(void)
{
	struct filter f = { 0 };
	char err[200];
	int pos;

	/* an exact name wins over the longer names it prefixes */
	CHECK(parses(&f, "state close"));
	CHECK(f.term[0].u.states.n == 1 && f.term[0].u.states.v[0] == TS_CLOSE);
	CHECK(parses(&f, "state CLOSE_WAIT,estab,time,listen"));
	CHECK(f.term[0].u.states.n == 4 && f.term[0].u.states.v[0] == TS_CLOSE_WAIT &&
	      f.term[0].u.states.v[1] == TS_ESTABLISHED && f.term[0].u.states.v[2] == TS_TIME_WAIT);
	CHECK(parses(&f, "state close-w"));
	CHECK(f.term[0].u.states.v[0] == TS_CLOSE_WAIT);
	/* a prefix more than one state has is an error naming them */
	CHECK(filter_parse(&f, "state c", err, sizeof(err), &pos) == -1);
	CHECK(pos == 6);
	CHECK(strstr(err, "ambiguous") && strstr(err, "CLOSE, CLOSE_WAIT, CLOSING"));
	CHECK(filter_parse(&f, "state syn", err, sizeof(err), &pos) == -1);
	CHECK(strstr(err, "SYN_SENT, SYN_RECV") != NULL);
	CHECK(filter_parse(&f, "state fin", err, sizeof(err), &pos) == -1);
	CHECK(parses(&f, "state fin_wait2"));
	CHECK(f.term[0].u.states.v[0] == TS_FIN_WAIT2);
}

static void test_bare_word(void)
{
	struct filter f = { 0 };
	struct filter_subject s = subj4("10.1.2.3", 8080, "192.168.7.9", 51000);
	struct filter_subject v6 = s;
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 };

	s.comm = "nginx: worker";
	s.comm_len = 13;
	s.pid = 4242;
	CHECK(parses(&f, "nginx"));
	CHECK_STR(f.text, "nginx");
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "NGINX"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "redis"));
	CHECK(!filter_match(&f, &s));
	/* part of an address, local or remote */
	CHECK(parses(&f, "192.168"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "10.1.2"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "10.9"));
	CHECK(!filter_match(&f, &s));
	/* a number: a port or the pid, exactly */
	CHECK(parses(&f, "8080"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "4242"));
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "808"));
	CHECK(!filter_match(&f, &s));
	/* ANDed with terms, and with each other */
	CHECK(parses(&f, "nginx lport 8080"));
	CHECK_STR(f.text, "nginx lport 8080");
	CHECK(filter_match(&f, &s));
	CHECK(parses(&f, "nginx 9.9.9"));
	CHECK(!filter_match(&f, &s));
	v6.family = AF_INET6;
	v6.saddr = a6;
	v6.comm = NULL;
	CHECK(parses(&f, "2001:db8"));
	CHECK(filter_match(&f, &v6));
	CHECK(parses(&f, "db8::42"));
	CHECK(filter_match(&f, &v6));
}

static void test_table_complete(void)
{
	/* every term has a name, help, a parser and a matcher; names unique */
	for (const struct filter_term_def *d = filter_terms; d->name; d++) {
		CHECK(d->help && *d->help);
		CHECK(d->parse && d->match);
		for (const struct filter_term_def *e = d + 1; e->name; e++)
			CHECK(strcmp(d->name, e->name) != 0);
	}
}

int main(void)
{
	RUN(test_ports);
	RUN(test_table_matches);
	RUN(test_pid_comm_state);
	RUN(test_addr);
	RUN(test_family_toggles);
	RUN(test_errors);
	RUN(test_state_prefix);
	RUN(test_hide_time_wait);
	RUN(test_bare_word);
	RUN(test_table_complete);
	CHECK_EXIT();
}
