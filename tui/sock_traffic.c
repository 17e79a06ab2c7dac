// SPDX-License-Identifier: GPL-2.0
/* The model's traffic fields: samples, rates, history, marks. */
#include "sock_traffic.h"

#include <stdlib.h>
#include <string.h>

#include "table.h"

/* weight of the newest interval in the smoothed rate */
#define AVG_NEW 0.3

const struct sock_traffic traffic_none;
const struct traffic_more traffic_more_none;

static uint64_t per_second(uint64_t bytes, uint64_t dt_ns)
{
	return dt_ns ? (uint64_t)((double)bytes * 1e9 / (double)dt_ns) : 0;
}

static double decayed(double v, uint32_t passes)
{
	for (uint32_t i = 0; i < passes && v > 0.5; i++)
		v *= 1.0 - AVG_NEW;
	return v < 0.5 ? 0 : v;
}

/* tr's more, made at the first need: NULL when no memory (counted) */
static struct traffic_more *more_of(struct traffic_state *ts, struct sock_traffic *tr)
{
	if (!tr->more && !(tr->more = calloc(1, sizeof(*tr->more))))
		ts->oom++;
	return tr->more;
}

/* Halve the points (keep every other one) so the next ones fit */
static void thin(struct traffic_hist *h)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < h->npoints; i += 2)
		h->point[n++] = h->point[i];
	h->npoints = n;
	h->step *= 2;
}

static void put_point(struct traffic_hist *h, const struct traffic_point *p)
{
	if (h->npoints == TRAFFIC_HIST_POINTS)
		thin(h);
	h->point[h->npoints++] = *p;
}

/* The chart's point for this sample; prev is the socket's sample before
 * it (ts_ns 0: none). */
static void add_point(struct traffic_state *ts, struct sock_traffic *tr,
		      const struct traffic_point *prev, bool last)
{
	struct traffic_more *mv = tr->more;
	struct traffic_hist *h = mv ? mv->hist : NULL;
	const struct traffic_point p = { tr->sample_ns, tr->tx, tr->rx, tr->srtt_us, tr->retrans };

	/* one point charts nothing: the history (1.7 KB) is made at a
	 * socket's second sample, with the first as its first point. So a
	 * socket sampled once (an idle one, which a pull sends once; one that
	 * lived between two pulls, whose first sample is its final) pays
	 * nothing: with a million held that was 1.7 GB. */
	if (!h && !prev->ts_ns)
		return;
	if (!h) {
		if (!(mv = more_of(ts, tr)))
			return;
		h = mv->hist = calloc(1, sizeof(*h));
		if (!h)
			return; /* the chart is what is lost; the counters are kept */
		h->step = 1;
		put_point(h, prev);
	}
	if (!last && h->npoints && ++h->skipped < h->step)
		return;
	h->skipped = 0;
	put_point(h, &p);
}

static void add_mark(struct traffic_more *mv, const struct event *ev)
{
	struct traffic_hist *h = mv->hist;

	if (!h) {
		h = mv->hist = calloc(1, sizeof(*h));
		if (!h)
			return;
		h->step = 1;
	}
	if (h->nmarks == TRAFFIC_MAX_MARKS) {
		h->marks_dropped++;
		return;
	}
	h->mark[h->nmarks++] = (struct traffic_mark){ ev->ts_ns, ev->kind, (uint16_t)ev->flags };
}

static void remember_mover(struct traffic_state *ts, const struct sock_entry *e)
{
	struct traffic_movers *m = &ts->moving;

	if (m->n == m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 256;
		struct traffic_mover *v = realloc(m->v, cap * sizeof(*v));

		if (!v) {
			ts->movers_dropped++;
			return;
		}
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = (struct traffic_mover){ e->skaddr, e->serial };
}

void traffic_settle(struct traffic_state *ts, struct table *t)
{
	struct traffic_movers done = ts->moved;

	for (uint32_t i = 0; i < done.n; i++) {
		struct sock_entry *e = table_find(t, done.v[i].skaddr);

		struct sock_traffic *tr = e && e->serial == done.v[i].serial ? e->traffic : NULL;
		struct traffic_more *mv = tr ? tr->more : NULL;

		if (!mv || mv->rate_pass >= ts->pass)
			continue;
		if (mv->tx_rate || mv->rx_rate) {
			mv->tx_rate = mv->rx_rate = 0;
			table_touch_entry(t, e);
		}
	}
	/* this pass's movers are the next pass's to check; reuse the array */
	ts->moved = ts->moving;
	ts->moving = done;
	ts->moving.n = 0;
}

void traffic_state_free(struct traffic_state *ts)
{
	free(ts->moving.v);
	free(ts->moved.v);
	ts->moving = ts->moved = (struct traffic_movers){ 0 };
}

/* The same socket: its ports, where both sides know them */
static bool same_socket(const struct sock_entry *e, const struct event *ev)
{
	if (e->family && ev->family && e->family != ev->family)
		return false;
	return !(e->lport && ev->lport && e->lport != ev->lport) &&
	       !(e->rport && ev->rport && e->rport != ev->rport);
}

static bool apply_sample(struct traffic_state *ts, struct sock_entry *e, const struct event *ev)
{
	struct sock_traffic *tr = e->traffic;
	bool final = ev->tcpi.tr_flags & TRAFFIC_FINAL;
	uint64_t since, base_tx, base_rx, tx_rate = 0, rx_rate = 0;
	struct traffic_more *mv;
	struct traffic_point prev;
	bool rated = true;

	if ((tr->flags & TRAFFIC_FINAL) || ev->ts_ns < tr->sample_ns ||
	    (traffic_known(tr) &&
	     (ev->tcpi.bytes_acked < tr->tx || ev->tcpi.bytes_received < tr->rx))) {
		ts->stale++; /* after the close, older, or another lifecycle's */
		return false;
	}
	if (traffic_known(tr)) {
		/* sampled in the last pass (or since): counted from then; else
		 * it had not moved when the last pass looked */
		since = tr->sample_ns > ts->prev_pass_ns ? tr->sample_ns : ts->pass_ns;
		if (since < tr->sample_ns)
			since = tr->sample_ns;
		base_tx = tr->tx;
		base_rx = tr->rx;
	} else if (!sock_age_unknown(e) && e->first_ns >= ts->pass_ns) {
		since = e->first_ns; /* born since the last pass, from zero */
		base_tx = base_rx = 0;
	} else {
		since = base_tx = base_rx = 0; /* what it moved before we looked */
		rated = false;
	}
	if (rated && ev->ts_ns > since) {
		tx_rate = per_second(ev->tcpi.bytes_acked - base_tx, ev->ts_ns - since);
		rx_rate = per_second(ev->tcpi.bytes_received - base_rx, ev->ts_ns - since);
	}
	/* a socket that never moved has zero rates and averages: nothing to
	 * keep until one is not */
	mv = tx_rate || rx_rate ? more_of(ts, tr) : tr->more;
	if (mv) {
		if (rated && ev->ts_ns > since) {
			uint32_t gap =
				ts->pass + 1 > mv->rate_pass ? ts->pass + 1 - mv->rate_pass : 1;

			mv->tx_avg = (float)(decayed(mv->tx_avg, gap - 1) * (1 - AVG_NEW) +
					     AVG_NEW * tx_rate);
			mv->rx_avg = (float)(decayed(mv->rx_avg, gap - 1) * (1 - AVG_NEW) +
					     AVG_NEW * rx_rate);
		}
		mv->tx_rate = tx_rate;
		mv->rx_rate = rx_rate;
		mv->rate_pass = ts->pass + 1;
		if (tx_rate || rx_rate)
			remember_mover(ts, e);
	}
	prev = (struct traffic_point){ tr->sample_ns, tr->tx, tr->rx, tr->srtt_us, tr->retrans };
	tr->tx = ev->tcpi.bytes_acked;
	tr->rx = ev->tcpi.bytes_received;
	tr->sent = ev->tcpi.bytes_sent;
	tr->retrans = ev->tcpi.total_retrans;
	tr->srtt_us = ev->tcpi.srtt_us;
	tr->cwnd = ev->tcpi.snd_cwnd;
	tr->delivery_rate = ev->tcpi.delivery_rate;
	tr->flags = ev->tcpi.tr_flags;
	tr->sample_ns = ev->ts_ns;
	add_point(ts, tr, &prev, final);
	ts->samples++;
	if (final)
		ts->finals++;
	return true;
}

bool traffic_apply(struct traffic_state *ts, struct table *t, struct sock_entry *e,
		   const struct event *ev)
{
	struct traffic_more *mv;

	ts->any = true;
	if (ev->kind == EV_TRAFFIC && (ev->tcpi.tr_flags & TRAFFIC_PASS_END)) {
		ts->prev_pass_ns = ts->pass_ns;
		ts->pass_ns = ev->ts_ns;
		ts->pass++;
		return false;
	}
	if (ev->kind == EV_RETRANS)
		ts->retrans_events++;
	else if (ev->kind == EV_RESET)
		ts->resets++;
	if (!e || !same_socket(e, ev)) {
		ts->unmatched++;
		return false;
	}
	if (ev->kind != EV_TRAFFIC && ev->kind != EV_RETRANS && ev->kind != EV_RESET)
		return false;
	if (!e->traffic && !(e->traffic = table_traffic_alloc(t))) {
		ts->oom++;
		return false;
	}
	if (ev->kind == EV_TRAFFIC)
		return apply_sample(ts, e, ev);
	if (!(mv = more_of(ts, e->traffic)))
		return false;
	if (ev->kind == EV_RETRANS)
		mv->retrans_events++;
	else
		mv->resets++;
	add_mark(mv, ev);
	return true;
}

static bool rate_current(const struct traffic_state *ts, const struct sock_traffic *tr)
{
	return traffic_known(tr) && traffic_more_of(tr)->rate_pass >= ts->pass;
}

uint64_t traffic_tx_rate(const struct traffic_state *ts, const struct sock_traffic *tr)
{
	return rate_current(ts, tr) ? traffic_more_of(tr)->tx_rate : 0;
}

uint64_t traffic_rx_rate(const struct traffic_state *ts, const struct sock_traffic *tr)
{
	return rate_current(ts, tr) ? traffic_more_of(tr)->rx_rate : 0;
}

static uint32_t passes_since(const struct traffic_state *ts, const struct sock_traffic *tr)
{
	uint32_t pass = traffic_more_of(tr)->rate_pass;

	return ts->pass > pass ? ts->pass - pass : 0;
}

double traffic_tx_avg(const struct traffic_state *ts, const struct sock_traffic *tr)
{
	return decayed(traffic_more_of(tr)->tx_avg, passes_since(ts, tr));
}

double traffic_rx_avg(const struct traffic_state *ts, const struct sock_traffic *tr)
{
	return decayed(traffic_more_of(tr)->rx_avg, passes_since(ts, tr));
}

void traffic_release(struct sock_traffic *tr)
{
	if (!tr || !tr->more)
		return;
	free(tr->more->hist);
	free(tr->more);
	tr->more = NULL;
}
