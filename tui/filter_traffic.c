// SPDX-License-Identifier: GPL-2.0
/*
 * Filter terms on the kernel's traffic counters: a comparison, typed as
 * one word or two ("rate>1M", "rtt >100ms", "retrans>0", "tx>=10MiB").
 * Sizes take K, M, G, T (binary: 1K = 1024; "KiB" and "KB" the same),
 * times us, ms or s (a bare number is ms). A socket with no counters
 * (not sampled yet, a listener, the hook off) matches none of them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "sock_metrics.h"
#include "sock_traffic.h"

enum cmp_op { OP_GT, OP_GE, OP_LT, OP_LE, OP_EQ };

/* what the term compares, in t->u.cmp.field */
enum cmp_field {
	F_TX,
	F_RX,
	F_TXRATE,
	F_RXRATE,
	F_RATE,
	F_RTT,
	F_RETRANS,
	F_CWND,
	F_DELIVERY,
	F_METRIC /* + the metric's id (bpf/metric_ids.h) */
};

static const struct {
	const char *name;
	enum cmp_field field;
	bool time;
} fields[] = {
	{ "tx", F_TX, false },
	{ "rx", F_RX, false },
	{ "txrate", F_TXRATE, false },
	{ "rxrate", F_RXRATE, false },
	{ "rate", F_RATE, false },
	{ "rtt", F_RTT, true },
	{ "retrans", F_RETRANS, false },
	{ "cwnd", F_CWND, false },
	{ "delivery", F_DELIVERY, false },
};

static int parse_op(const char **p)
{
	static const struct {
		const char *s;
		int op;
	} ops[] = {
		{ ">=", OP_GE }, { "<=", OP_LE }, { ">", OP_GT }, { "<", OP_LT }, { "=", OP_EQ }
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(*p, ops[i].s, strlen(ops[i].s))) {
			*p += strlen(ops[i].s);
			return ops[i].op;
		}
	return -1;
}

/* "1.5M" -> bytes; "100ms" -> us */
static int parse_value(const char *p, bool time, uint64_t *v, char *err, size_t errsz,
		       const char *name)
{
	static const char *const size_units[] = { "", "k", "m", "g", "t" };
	char *end;
	double x;

	errno = 0;
	x = strtod(p, &end);
	if (end == p || errno || x < 0 || x > 1e18) {
		snprintf(err, errsz, "%s: expected a number at '%.20s'", name, p);
		return -1;
	}
	if (time) {
		double mul = !*end || !strcasecmp(end, "ms") ? 1000 :
			     !strcasecmp(end, "us")	     ? 1 :
			     !strcasecmp(end, "s")	     ? 1e6 :
							       -1;

		if (mul < 0) {
			snprintf(err, errsz, "%s: unit '%.8s'? (us, ms, s)", name, end);
			return -1;
		}
		*v = (uint64_t)(x * mul);
		return 0;
	}
	for (size_t i = 0; i < sizeof(size_units) / sizeof(size_units[0]); i++) {
		size_t n = strlen(size_units[i]);

		if (strncasecmp(end, size_units[i], n))
			continue;
		if (!strcasecmp(end + n, "") || !strcasecmp(end + n, "ib") ||
		    !strcasecmp(end + n, "b") || (!n && !strcasecmp(end, "b"))) {
			*v = (uint64_t)(x * (double)(1ULL << (10 * i)));
			return 0;
		}
	}
	snprintf(err, errsz, "%s: unit '%.8s'? (K, M, G, T: 1K = 1024)", name, end);
	return -1;
}

int filter_arg_compare(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	const char *p = arg;
	size_t i;
	int op, m = metric_find(t->def->name, strlen(t->def->name));

	if (m >= 0) { /* a metric: its kind says how the value reads */
		op = parse_op(&p);
		if (op < 0) {
			snprintf(err, errsz,
				 "%s: expected >, >=, <, <= or = before the value: %s>%s",
				 t->def->name, t->def->name,
				 metric_defs[m].kind == METRIC_NS ? "100ms" : "0");
			return -1;
		}
		t->u.cmp.op = op;
		t->u.cmp.field = F_METRIC + m;
		if (parse_value(p, metric_defs[m].kind == METRIC_NS, &t->u.cmp.v, err, errsz,
				t->def->name))
			return -1;
		if (metric_defs[m].kind == METRIC_NS)
			t->u.cmp.v *= 1000; /* parsed in us, kept in ns */
		return 0;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(fields[i].name, t->def->name))
			break;
	if (i == sizeof(fields) / sizeof(fields[0])) {
		snprintf(err, errsz, "%s: not a counter", t->def->name);
		return -1;
	}
	op = parse_op(&p);
	if (op < 0) {
		snprintf(err, errsz, "%s: expected >, >=, <, <= or = before the value: %s>%s",
			 t->def->name, t->def->name, fields[i].time ? "100ms" : "1M");
		return -1;
	}
	t->u.cmp.op = op;
	t->u.cmp.field = (int)fields[i].field;
	return parse_value(p, fields[i].time, &t->u.cmp.v, err, errsz, t->def->name);
}

bool filter_match_compare(const struct filter_term *t, const struct filter_subject *s)
{
	const struct sock_traffic *tr = s->traffic;
	uint64_t v, want = t->u.cmp.v;

	if (t->u.cmp.field >= F_METRIC) {
		/* a socket without a sample of it matches none */
		if (!sock_metric(s->metrics, t->u.cmp.field - F_METRIC, &v))
			return false;
		goto compare;
	}
	if (!tr)
		return false;
	switch (t->u.cmp.field) {
	case F_TX: v = tr->tx; break;
	case F_RX: v = tr->rx; break;
	case F_TXRATE: v = traffic_more_of(tr)->tx_rate; break;
	case F_RXRATE: v = traffic_more_of(tr)->rx_rate; break;
	case F_RATE: v = traffic_more_of(tr)->tx_rate + traffic_more_of(tr)->rx_rate; break;
	case F_RTT: v = tr->srtt_us; break;
	case F_RETRANS: v = tr->retrans; break;
	case F_CWND: v = tr->cwnd; break;
	case F_DELIVERY: v = tr->delivery_rate; break;
	default: return false;
	}
compare:
	switch (t->u.cmp.op) {
	case OP_GT: return v > want;
	case OP_GE: return v >= want;
	case OP_LT: return v < want;
	case OP_LE: return v <= want;
	default: return v == want;
	}
}

bool filter_is_compare(const struct filter_term_def *d)
{
	return d->parse == filter_arg_compare;
}
