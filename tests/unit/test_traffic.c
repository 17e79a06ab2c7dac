// SPDX-License-Identifier: GPL-2.0
/* The model's traffic fields (sock_traffic.c) and the counter filter
 * terms (filter_traffic.c): rates over a pull interval, zeroed when a
 * pass goes by without the socket moving, stale and backwards samples,
 * final counters, marks; rate>1M, rtt>100ms, retrans>0 and their errors. */
#include <stdlib.h>
#include <sys/socket.h>

#include "check.h"
#include "filter.h"
#include "model.h"

#define S 1000000000ULL
#define MiB (1ULL << 20)

static struct event state(uint64_t ts, uint8_t old, uint8_t new)
{
	struct event e = { .kind = EV_STATE,
			   .ts_ns = ts,
			   .skaddr = 0x1000,
			   .family = AF_INET,
			   .lport = 40000,
			   .rport = 443,
			   .oldstate = old,
			   .newstate = new,
			   .pid = 7 };
	return e;
}

static struct event sample(uint64_t ts, uint64_t tx, uint64_t rx, uint32_t retrans)
{
	struct event e = { .kind = EV_TRAFFIC,
			   .ts_ns = ts,
			   .skaddr = 0x1000,
			   .family = AF_INET,
			   .lport = 40000,
			   .rport = 443,
			   .newstate = TS_ESTABLISHED };

	e.tcpi.bytes_acked = tx;
	e.tcpi.bytes_received = rx;
	e.tcpi.total_retrans = retrans;
	e.tcpi.srtt_us = 20000;
	e.tcpi.snd_cwnd = 10;
	return e;
}

static struct event pass_end(uint64_t ts)
{
	struct event e = { .kind = EV_TRAFFIC, .ts_ns = ts };

	e.tcpi.tr_flags = TRAFFIC_PASS_END;
	return e;
}

static void apply(struct model *m, struct event e)
{
	struct model_out out;

	model_apply(m, &e, &out);
}

/* A model with one socket connected just after a pass: its first sample
 * is a rate from zero */
static struct sock_entry *connected(struct model *m)
{
	CHECK(model_init(m, &(struct table_limits){ 0 }) == 0);
	apply(m, pass_end(1 * S));
	apply(m, state(1 * S + 1, TS_CLOSE, TS_SYN_SENT));
	apply(m, state(1 * S + 2, TS_SYN_SENT, TS_ESTABLISHED));
	return table_find(m->table, 0x1000);
}

static void test_rates(void)
{
	struct model m;
	struct sock_entry *e;
	const struct sock_traffic *tr;
	const struct traffic_state *ts;

	e = connected(&m);
	ts = &m.traffic;
	CHECK(e && !e->traffic && !traffic_known(entry_traffic(e))); /* none before a sample */
	/* born after the last pass: its first sample is a rate from zero */
	apply(&m, sample(2 * S + 1, 4 * MiB, 1 * MiB, 0));
	apply(&m, pass_end(2 * S + 2));
	tr = e->traffic;
	CHECK(tr && traffic_known(tr) && tr->tx == 4 * MiB);
	CHECK(traffic_tx_rate(ts, tr) > 4 * MiB - 8 && traffic_tx_rate(ts, tr) < 4 * MiB + 8);
	CHECK(traffic_rx_rate(ts, tr) > MiB - 4);
	/* the next second moves 2 MiB more */
	apply(&m, sample(3 * S + 1, 6 * MiB, 1 * MiB, 3));
	apply(&m, pass_end(3 * S + 2));
	CHECK(tr->more && tr->more->tx_rate > 2 * MiB - 8 && tr->more->tx_rate < 2 * MiB + 8);
	CHECK(tr->more->rx_rate == 0 && tr->retrans == 3);
	CHECK(traffic_tx_avg(ts, tr) > 0);
	/* a pass without it: the rates are 0, stored so (sorting sees it) */
	apply(&m, pass_end(4 * S + 2));
	CHECK(tr->more->tx_rate == 0 && traffic_tx_rate(ts, tr) == 0);
	CHECK(tr->tx == 6 * MiB);
	/* older and backwards samples are stale */
	apply(&m, sample(3 * S, 7 * MiB, 1 * MiB, 3));
	apply(&m, sample(5 * S, 1 * MiB, 1 * MiB, 3));
	CHECK(tr->tx == 6 * MiB && ts->stale == 2);
	/* a rate after an idle pass counts from that pass's end */
	apply(&m, sample(5 * S + 2, 7 * MiB, 1 * MiB, 3));
	CHECK(tr->more->tx_rate > MiB - 8 && tr->more->tx_rate < MiB + 8);
	/* marks */
	{
		struct event r = sample(5 * S + 3, 0, 0, 0);

		r.kind = EV_RETRANS;
		apply(&m, r);
		r.kind = EV_RESET;
		r.flags = RESET_RECEIVED;
		apply(&m, r);
		CHECK(tr->more->retrans_events == 1 && tr->more->resets == 1);
		CHECK(tr->more->hist && tr->more->hist->nmarks == 2);
	}
	/* the final counters fix the totals; a pull after them is stale */
	{
		struct event f = sample(6 * S, 8 * MiB, 2 * MiB, 4);

		f.tcpi.tr_flags = TRAFFIC_FINAL;
		apply(&m, f);
		CHECK(tr->tx == 8 * MiB && (tr->flags & TRAFFIC_FINAL));
		apply(&m, sample(6 * S + 1, 9 * MiB, 2 * MiB, 4));
		CHECK(tr->tx == 8 * MiB);
	}
	/* another socket's sample on the address: not applied */
	{
		struct event o = sample(7 * S, 1, 1, 0);

		o.lport = 40001;
		apply(&m, o);
		CHECK(ts->unmatched == 1);
	}
	model_free(&m);
}

static void test_history_thins(void)
{
	struct model m;
	struct sock_entry *e;
	const struct sock_traffic *tr;
	uint64_t t = 1 * S;

	CHECK(model_init(&m, &(struct table_limits){ 0 }) == 0);
	apply(&m, state(t, TS_CLOSE, TS_SYN_SENT));
	e = table_find(m.table, 0x1000);
	CHECK(e);
	for (int i = 1; i <= 500; i++) {
		apply(&m, sample(t + (uint64_t)i * S, (uint64_t)i * 1000, 0, 0));
		apply(&m, pass_end(t + (uint64_t)i * S + 1));
	}
	tr = e->traffic;
	CHECK(tr && tr->more && tr->more->hist && tr->more->hist->npoints <= TRAFFIC_HIST_POINTS);
	CHECK(tr->more->hist->npoints >= TRAFFIC_HIST_POINTS / 2);
	/* the points still span the life: first near the start */
	CHECK(tr->more->hist->point[0].ts_ns < t + 2 * S);
	model_free(&m);
}

/* A socket sampled once has no chart (an idle one, a million held); its
 * second sample makes one, the first sample its first point. */
static void test_history_from_second_sample(void)
{
	const struct traffic_hist *h;
	struct model m;
	struct sock_entry *e;
	const struct sock_traffic *tr;

	CHECK(model_init(&m, &(struct table_limits){ 0 }) == 0);
	apply(&m, state(1 * S, TS_CLOSE, TS_SYN_SENT));
	e = table_find(m.table, 0x1000);
	apply(&m, sample(2 * S, 1000, 500, 0));
	apply(&m, pass_end(2 * S + 1));
	tr = e ? e->traffic : NULL;
	CHECK(tr && traffic_known(tr) && !traffic_more_of(tr)->hist);
	apply(&m, sample(3 * S, 3000, 700, 1));
	h = traffic_more_of(tr)->hist;
	CHECK(h && h->npoints == 2);
	CHECK(h && h->point[0].ts_ns == 2 * S && h->point[0].tx == 1000 && h->point[0].rx == 500 &&
	      h->point[0].retrans == 0);
	CHECK(h && h->point[1].ts_ns == 3 * S && h->point[1].tx == 3000 &&
	      h->point[1].retrans == 1);
	model_free(&m);
}

/* A socket that does not move keeps its counters alone (64 bytes in the
 * table's slab): no rates, no history; its first move makes them. */
static void test_idle_keeps_counters_only(void)
{
	struct model m;
	struct sock_entry *e;
	const struct sock_traffic *tr;
	const struct traffic_state *ts;

	CHECK(sizeof(struct sock_traffic) == 64);
	e = connected(&m);
	ts = &m.traffic;
	/* sampled with nothing moved since its birth: no rate to keep */
	apply(&m, sample(2 * S, 0, 0, 0));
	apply(&m, pass_end(2 * S + 1));
	tr = e ? e->traffic : NULL;
	CHECK(tr && traffic_known(tr) && !tr->more);
	CHECK(traffic_tx_rate(ts, tr) == 0 && traffic_tx_avg(ts, tr) == 0);
	CHECK(traffic_more_of(tr)->retrans_events == 0 && !traffic_more_of(tr)->hist);
	/* it moves: 3 MiB in a second */
	apply(&m, sample(3 * S, 3 * MiB, 0, 0));
	CHECK(tr->more && traffic_tx_rate(ts, tr) > 3 * MiB - 8 &&
	      traffic_tx_rate(ts, tr) < 3 * MiB + 8);
	CHECK(traffic_tx_avg(ts, tr) > 0 && traffic_more_of(tr)->hist);
	/* the rate goes back to 0 after an idle pass; the more stays */
	apply(&m, pass_end(3 * S + 1));
	apply(&m, pass_end(4 * S + 1));
	CHECK(tr->more && tr->more->tx_rate == 0 && traffic_tx_rate(ts, tr) == 0);
	model_free(&m);
}

/* Counters live outside the entry from the first record on: a socket
 * never sampled has none (and reads as unknown); a closed one keeps its
 * final totals in history. */
static void test_counters_out_of_line(void)
{
	struct model m;
	struct sock_entry *e;
	const struct sock_entry *h;
	struct event f = sample(3 * S, 5000, 700, 2);

	CHECK(model_init(&m, &(struct table_limits){ .linger_ns = S }) == 0);
	apply(&m, state(1 * S, TS_CLOSE, TS_SYN_SENT));
	apply(&m, state(1 * S + 1, TS_SYN_SENT, TS_ESTABLISHED));
	e = table_find(m.table, 0x1000);
	CHECK(e && !e->traffic && entry_traffic(e)->tx == 0 && !traffic_known(entry_traffic(e)));
	/* a retransmit before any sample: counted, still no counters */
	f.kind = EV_RETRANS;
	apply(&m, f);
	CHECK(e->traffic && traffic_more_of(e->traffic)->retrans_events == 1 &&
	      !traffic_known(e->traffic));
	f.kind = EV_TRAFFIC;
	f.tcpi.tr_flags = TRAFFIC_FINAL;
	apply(&m, f);
	apply(&m, state(3 * S + 1, TS_ESTABLISHED, TS_CLOSE));
	table_expire(m.table, 5 * S);
	CHECK(!table_find(m.table, 0x1000) && table_history_count(m.table) == 1);
	h = table_history_get(m.table, 0);
	CHECK(h && traffic_known(entry_traffic(h)) && entry_traffic(h)->tx == 5000 &&
	      entry_traffic(h)->rx == 700 && (entry_traffic(h)->flags & TRAFFIC_FINAL));
	model_free(&m);
}

static bool parses(struct filter *f, const char *text, char *err, size_t errsz)
{
	int pos;

	return filter_parse(f, text, err, errsz, &pos) == 0;
}

static void test_filter_terms(void)
{
	struct traffic_more more = { .tx_rate = 2 * MiB, .rx_rate = 10 };
	struct sock_traffic tr = { .tx = 20 * MiB,
				   .rx = 3000,
				   .more = &more,
				   .srtt_us = 150000,
				   .retrans = 0,
				   .cwnd = 8,
				   .sample_ns = 1 };
	struct filter_subject s = { .family = AF_INET, .traffic = &tr, .uid = -1 };
	struct filter_subject none = { .family = AF_INET, .uid = -1 };
	struct filter f = { 0 };
	char err[200];

	CHECK(parses(&f, "rate>1M", err, sizeof(err)) && filter_match(&f, &s));
	CHECK(!filter_match(&f, &none));
	CHECK_STR(f.text, "rate >1M");
	CHECK(parses(&f, "rate >3M", err, sizeof(err)) && !filter_match(&f, &s));
	CHECK(parses(&f, "rtt>100ms", err, sizeof(err)) && filter_match(&f, &s));
	CHECK(parses(&f, "rtt>0.2s", err, sizeof(err)) && !filter_match(&f, &s));
	CHECK(parses(&f, "rtt<=150000us", err, sizeof(err)) && filter_match(&f, &s));
	CHECK(parses(&f, "retrans>0", err, sizeof(err)) && !filter_match(&f, &s));
	CHECK(parses(&f, "retrans=0 tx>=20MiB rx<3K", err, sizeof(err)) && filter_match(&f, &s));
	CHECK(parses(&f, "cwnd<10 txrate>1m rxrate<1k", err, sizeof(err)) && filter_match(&f, &s));
	CHECK(!parses(&f, "rtt>5parsecs", err, sizeof(err)) && strstr(err, "unit"));
	CHECK(!parses(&f, "rate 1M", err, sizeof(err)) && strstr(err, ">"));
	CHECK(!parses(&f, "rate>", err, sizeof(err)) && strstr(err, "number"));
	/* a word that is no comparison stays a bare word */
	CHECK(parses(&f, "port>1", err, sizeof(err)) && f.nterms == 1);
}

int main(void)
{
	RUN(test_rates);
	RUN(test_history_thins);
	RUN(test_history_from_second_sample);
	RUN(test_idle_keeps_counters_only);
	RUN(test_counters_out_of_line);
	RUN(test_filter_terms);
	CHECK_EXIT();
}
