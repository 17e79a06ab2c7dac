// SPDX-License-Identifier: GPL-2.0
/*
 * The generic metric path (bpf/metric_ids.h) end to end without a kernel:
 * EV_METRIC records through model_apply (added, set, for a socket not in
 * the table, an id of a later build), a recording that carries them, the
 * column each metric gets (hidden by default, its key and cell) and its
 * filter term. Written over every listed metric, by id, so that a new one
 * is checked the same way.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "colconf.h"
#include "columns.h"
#include "filter.h"
#include "model.h"
#include "recording.h"
#include "rows.h"

static struct event state(uint64_t sk, uint8_t from, uint8_t to, uint16_t lport)
{
	struct event e = { .kind = EV_STATE,
			   .ts_ns = 1000,
			   .skaddr = sk,
			   .family = AF_INET,
			   .oldstate = from,
			   .newstate = to,
			   .lport = lport };

	e.saddr[0] = 127;
	e.saddr[3] = 1;
	return e;
}

static struct event metric(uint64_t sk, uint32_t id, uint32_t op, uint64_t v)
{
	struct event e = { .kind = EV_METRIC,
			   .ts_ns = 2000,
			   .skaddr = sk,
			   .family = AF_INET,
			   .newstate = TS_LISTEN };

	e.metric.id = id;
	e.metric.op = op;
	e.metric.value = v;
	return e;
}

static void test_apply(void)
{
	struct table_limits lim = { 0 };
	struct model_out out;
	struct model m;
	struct event ev;
	struct sock_entry *e;
	uint64_t v = 0;

	CHECK(METRIC_MAX >= 1);
	CHECK(!model_init(&m, &lim));
	ev = state(0x100, TS_CLOSE, TS_LISTEN, 80);
	model_apply(&m, &ev, &out);
	ev = state(0x200, TS_CLOSE, TS_LISTEN, 81);
	model_apply(&m, &ev, &out);
	e = table_find(m.table, 0x100);
	CHECK(e && !e->metrics); /* nothing paid before a sample */
	for (int id = 0; id < METRIC_MAX; id++) {
		uint64_t gen = table_generation(m.table);

		ev = metric(0x100, (uint32_t)id, METRIC_ADD, 1);
		model_apply(&m, &ev, &out);
		CHECK(out.entry == e && table_generation(m.table) != gen);
		model_apply(&m, &ev, &out);
		CHECK(sock_metric(e->metrics, id, &v) && v == 2);
		ev = metric(0x100, (uint32_t)id, METRIC_SET, 7);
		model_apply(&m, &ev, &out);
		CHECK(sock_metric(e->metrics, id, &v) && v == 7);
		gen = table_generation(m.table);
		model_apply(&m, &ev, &out); /* the same figure: no change to show */
		CHECK(table_generation(m.table) == gen);
	}
	CHECK(!table_find(m.table, 0x200)->metrics);
	CHECK(!sock_metric(table_find(m.table, 0x200)->metrics, 0, &v));
	ev = metric(0x300, 0, METRIC_ADD, 1); /* no such socket */
	model_apply(&m, &ev, &out);
	CHECK(!out.entry && m.metrics_unmatched == 1);
	ev = metric(0x100, METRIC_MAX, METRIC_ADD, 1); /* a later build's metric */
	model_apply(&m, &ev, &out);
	CHECK(!sock_metric(e->metrics, METRIC_MAX, &v));
	model_free(&m);
}

static void test_recording(void)
{
	char path[] = "/tmp/socktop-metrics-XXXXXX", err[256];
	struct rec_header h = { .version = REC_VERSION };
	struct rec_writer *w;
	struct rec_reader *r;
	struct event in = metric(0x100, 0, METRIC_ADD, 3), out;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	w = rec_create(path, &h);
	CHECK(w && !rec_write(w, &in) && !rec_close(w));
	r = rec_open(path, &h, err, sizeof(err));
	CHECK(r && rec_read(r, &out, err, sizeof(err)) == 1);
	CHECK(out.kind == EV_METRIC && out.metric.id == 0 && out.metric.value == 3 &&
	      out.skaddr == 0x100);
	CHECK(r && rec_read(r, &out, err, sizeof(err)) == 0);
	rec_close_reader(r);
	unlink(path);
}

static void test_column_and_filter(void)
{
	struct sock_entry e = { .family = AF_INET, .lport = 80, .state = TS_LISTEN };
	struct table *t = table_new(&(struct table_limits){ 0 }); /* names e's task (none) */
	struct sock_metrics sm = { 0 };
	struct col_choice ch;
	struct filter f;
	struct filter_subject s;
	char err[128];
	int pos;

	colconf_default(&conns_cols, &ch);
	for (int id = 0; id < METRIC_MAX; id++) {
		const struct column *c = &columns[COL_METRIC_SYNACK - M_SYNACK + id];
		struct col_cell cell = { .role = -1 };
		uint64_t k0[COL_KEY_WORDS] = { 0 }, k1[COL_KEY_WORDS] = { 0 };
		char term[64];

		CHECK(c->id && !strcmp(c->id, metric_defs[id].name) && c->title && c->help);
		CHECK(c->off_by_default && !colconf_shown(&ch, (int)(c - columns)));
		CHECK(col_find(&conns_cols, metric_defs[id].name) == (int)(c - columns));
		e.metrics = NULL;
		c->cell(NULL, &e, &cell);
		CHECK_STR(cell.buf, "-");
		c->key(&e, k0);
		sm.have = 1u << id;
		sm.v[id] = 5;
		e.metrics = &sm;
		cell = (struct col_cell){ .role = -1 };
		c->cell(NULL, &e, &cell);
		if (metric_defs[id].kind == METRIC_COUNT)
			CHECK_STR(cell.buf, "5");
		c->key(&e, k1);
		CHECK(k1[0] > k0[0]); /* sampled sorts apart from never sampled */
		rows_subject(t, &e, &s);
		snprintf(term, sizeof(term), "%s>4", metric_defs[id].name);
		CHECK(filter_parse(&f, term, err, sizeof(err), &pos) == 0);
		CHECK(filter_match(&f, &s));
		snprintf(term, sizeof(term), "%s>=6", metric_defs[id].name);
		CHECK(filter_parse(&f, term, err, sizeof(err), &pos) == 0);
		CHECK(!filter_match(&f, &s));
		e.metrics = NULL;
		rows_subject(t, &e, &s);
		snprintf(term, sizeof(term), "%s<9", metric_defs[id].name);
		CHECK(filter_parse(&f, term, err, sizeof(err), &pos) == 0);
		CHECK(!filter_match(&f, &s)); /* no sample: matches no comparison */
		snprintf(term, sizeof(term), "%s>x", metric_defs[id].name);
		CHECK(filter_parse(&f, term, err, sizeof(err), &pos) < 0 && err[0]);
	}
	/* the columns that are not metrics are all in the default choice */
	CHECK(ch.n == conns_cols.n - METRIC_MAX);
	table_free(t);
}

int main(void)
{
	RUN(test_apply);
	RUN(test_recording);
	RUN(test_column_and_filter);
	CHECK_EXIT();
}
