// SPDX-License-Identifier: GPL-2.0
/* The socket detail page's traffic lines and charts (detail_traffic.h). */
#include "detail_traffic.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "fmt.h"
#include "sock_traffic.h"
#include "table.h"
#include "theme.h"
#include "ui.h"

#define CHART_MAX 256
#define LABEL_W 6

/* The history point at or after t (the last one past the end), -1 none */
static int point_at(const struct traffic_hist *h, uint64_t t)
{
	for (uint32_t i = 0; i < h->npoints; i++)
		if (h->point[i].ts_ns >= t)
			return (int)i;
	return h->npoints ? (int)h->npoints - 1 : -1;
}

/* bytes/s in the interval that holds t, from the points around it; the
 * stretch before the first point counts from the socket's birth when it
 * was seen (from zero), else it is not known (0) */
static double rate_at(const struct traffic_hist *h, const struct sock_entry *e, uint64_t t, bool rx)
{
	int i = point_at(h, t);
	uint64_t t0, b0, t1, b1;

	if (i < 0 || h->point[i].ts_ns < t)
		return 0; /* after the last sample */
	t1 = h->point[i].ts_ns;
	b1 = rx ? h->point[i].rx : h->point[i].tx;
	if (i > 0) {
		t0 = h->point[i - 1].ts_ns;
		b0 = rx ? h->point[i - 1].rx : h->point[i - 1].tx;
	} else if (!sock_age_unknown(e)) {
		t0 = e->first_ns;
		b0 = 0;
	} else {
		return 0;
	}
	return t1 > t0 && b1 >= b0 ? (double)(b1 - b0) * 1e9 / (double)(t1 - t0) : 0;
}

static void chart(struct ui *u, int y, const struct rect *r, int cw, const char *label,
		  const uint32_t *v, const char *peak, int role)
{
	draw_text(u, y, r->x, LABEL_W, ROLE_HEADER, label);
	draw_text(u, y, r->x + LABEL_W - 1, 1, ROLE_BORDER, u->g->vline);
	draw_spark(u, y, r->x + LABEL_W, v, cw, 0, role);
	draw_text(u, y, r->x + LABEL_W + cw, 1, ROLE_BORDER, u->g->vline);
	draw_printf(u, y, r->x + LABEL_W + cw + 1, r->w - LABEL_W - cw - 1, ROLE_DIM, " max %s",
		    peak);
}

static int summary(struct ui *u, const struct traffic_state *ts, const struct sock_entry *e, int y,
		   const struct rect *r)
{
	const struct sock_traffic *tr = entry_traffic(e);
	const struct traffic_more *mv = traffic_more_of(tr);
	char tx[16], rx[16], sent[16], txr[16], rxr[16], txa[16], rxa[16], rtt[32], dl[16];
	int x;

	fmt_bytes(tx, sizeof(tx), tr->tx);
	fmt_bytes(rx, sizeof(rx), tr->rx);
	fmt_bytes(sent, sizeof(sent), tr->sent);
	fmt_bytes(txr, sizeof(txr), traffic_tx_rate(ts, tr));
	fmt_bytes(rxr, sizeof(rxr), traffic_rx_rate(ts, tr));
	fmt_bytes(txa, sizeof(txa), (uint64_t)traffic_tx_avg(ts, tr));
	fmt_bytes(rxa, sizeof(rxa), (uint64_t)traffic_rx_avg(ts, tr));
	fmt_duration(rtt, sizeof(rtt), (uint64_t)tr->srtt_us * 1000);
	fmt_bytes(dl, sizeof(dl), tr->delivery_rate);
	x = draw_text(u, y, r->x, r->w, ROLE_HEADER,
		      tr->flags & TRAFFIC_FINAL ? "final  " : "traffic ");
	x += draw_printf(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, "TX %s", tx);
	if (!(tr->flags & TRAFFIC_NO_SENT))
		x += draw_printf(u, y, r->x + x, r->w - x, ROLE_DIM, " (sent %s)", sent);
	x += draw_printf(u, y, r->x + x, r->w - x, ROLE_HEADER_VALUE, "  RX %s", rx);
	x += draw_printf(u, y, r->x + x, r->w - x, ROLE_HEADER, "  TX/s %s RX/s %s", txr, rxr);
	draw_printf(u, y, r->x + x, r->w - x, ROLE_DIM, " (smoothed %s, %s)", txa, rxa);
	y++;
	x = draw_printf(u, y, r->x, r->w, ROLE_HEADER, "        RTT %s  cwnd %u", rtt, tr->cwnd);
	if (!(tr->flags & TRAFFIC_NO_RATE))
		x += draw_printf(u, y, r->x + x, r->w - x, ROLE_HEADER, "  delivery %s/s", dl);
	x += draw_printf(u, y, r->x + x, r->w - x, tr->retrans ? ROLE_WARN : ROLE_HEADER,
			 "  retransmitted %u segments", tr->retrans);
	if (mv->retrans_events || mv->resets)
		draw_printf(u, y, r->x + x, r->w - x, ROLE_WARN,
			    "  (%u retransmits, %u resets seen)", mv->retrans_events, mv->resets);
	return 2;
}

int detail_traffic(struct ui *u, const struct traffic_state *ts, const struct sock_entry *e,
		   const struct traffic_hist *h, int y, const struct rect *r, uint64_t end,
		   int maxrows)
{
	uint32_t txv[CHART_MAX], rxv[CHART_MAX], rttv[CHART_MAX];
	int cw = r->w - LABEL_W - 16, rows;
	uint64_t life = end > e->first_ns ? end - e->first_ns : 1;
	double txmax = 0, rxmax = 0;
	uint32_t rttmax = 0;
	char a[16], b[16], c[32];

	if (ts->why[0])
		return 0; /* none in this run: help says why */
	if (!traffic_known(entry_traffic(e))) {
		if (maxrows < 1)
			return 0;
		draw_text(u, y, r->x, r->w, ROLE_DIM, "traffic: no counters for this socket yet");
		return 1;
	}
	if (maxrows < 2)
		return 0;
	rows = summary(u, ts, e, y, r);
	if (!h || !h->npoints || maxrows < rows + 4 || cw < 10)
		return rows;
	cw = cw > CHART_MAX ? CHART_MAX : cw;
	for (int i = 0; i < cw; i++) {
		uint64_t t = e->first_ns + (uint64_t)(((double)i + 0.5) / cw * (double)life);
		double tx = rate_at(h, e, t, false), rx = rate_at(h, e, t, true);
		int p = point_at(h, t);

		/* KiB/s: a cell holds up to 4 TiB/s */
		txv[i] = tx > 0 ? (uint32_t)(tx / 1024) + 1 : 0;
		rxv[i] = rx > 0 ? (uint32_t)(rx / 1024) + 1 : 0;
		rttv[i] = p >= 0 && h->point[p].ts_ns >= t ? h->point[p].srtt_us : 0;
		txmax = tx > txmax ? tx : txmax;
		rxmax = rx > rxmax ? rx : rxmax;
		rttmax = rttv[i] > rttmax ? rttv[i] : rttmax;
	}
	fmt_bytes(a, sizeof(a), (uint64_t)txmax);
	fmt_bytes(b, sizeof(b), (uint64_t)rxmax);
	fmt_duration(c, sizeof(c), (uint64_t)rttmax * 1000);
	strncat(a, "/s", sizeof(a) - strlen(a) - 1);
	strncat(b, "/s", sizeof(b) - strlen(b) - 1);
	chart(u, y + rows++, r, cw, "TX/s", txv, a, ROLE_SPARK);
	chart(u, y + rows++, r, cw, "RX/s", rxv, b, ROLE_SPARK);
	chart(u, y + rows++, r, cw, "RTT", rttv, c, ROLE_BAR);
	/* retransmits (r) and resets (X) where they happened, same axis */
	draw_text(u, y + rows, r->x, LABEL_W, ROLE_HEADER, "marks");
	draw_text(u, y + rows, r->x + LABEL_W - 1, 1, ROLE_BORDER, u->g->vline);
	for (uint32_t i = 0; i < h->nmarks; i++) {
		const struct traffic_mark *m = &h->mark[i];
		uint64_t t = m->ts_ns > e->first_ns ? m->ts_ns - e->first_ns : 0;
		int x = (int)((double)t / (double)life * cw);

		x = x >= cw ? cw - 1 : x;
		draw_text(u, y + rows, r->x + LABEL_W + x, 1, ROLE_WARN,
			  m->kind == EV_RETRANS ? "r" : "X");
	}
	draw_text(u, y + rows, r->x + LABEL_W + cw, 1, ROLE_BORDER, u->g->vline);
	draw_printf(u, y + rows, r->x + LABEL_W + cw + 1, r->w - LABEL_W - cw - 1, ROLE_DIM,
		    h->nmarks ? " r=retr X=reset%s" : " none seen%s", h->marks_dropped ? " +" : "");
	return rows + 1;
}
