// SPDX-License-Identifier: GPL-2.0
/* Prompt editing and the per-second rates behind the header. */
#include <ncurses.h>

#include "app.h"
#include "check.h"
#include "prompt.h"
#include "stats.h"
#include "view.h"

static void type(struct prompt *p, const char *s)
{
	while (*s)
		prompt_key(p, (unsigned char)*s++);
}

static void test_edit(void)
{
	struct prompt p;

	prompt_open(&p, "Filter: ", "port 80");
	CHECK(p.cur == 7);
	type(&p, ",443");
	CHECK_STR(p.buf, "port 80,443");
	prompt_key(&p, KEY_BACKSPACE);
	CHECK_STR(p.buf, "port 80,44");
	prompt_key(&p, KEY_HOME);
	prompt_key(&p, KEY_DC);
	CHECK_STR(p.buf, "ort 80,44");
	prompt_key(&p, KEY_END);
	prompt_key(&p, KEY_CTRL('w'));
	CHECK_STR(p.buf, "ort ");
	prompt_key(&p, KEY_CTRL('u'));
	CHECK_STR(p.buf, "");
	/* control bytes never enter the buffer */
	prompt_key(&p, 0x07);
	prompt_key(&p, 0x7f);
	CHECK(p.len == 0);
	CHECK(prompt_key(&p, '\n') == PROMPT_SUBMIT);
	CHECK(prompt_key(&p, 27) == PROMPT_CANCEL);
}

static void test_utf8(void)
{
	struct prompt p;

	prompt_open(&p, "> ", "");
	type(&p, "ab\xc3\xa9"); /* é */
	prompt_key(&p, KEY_LEFT);
	CHECK(p.cur == 2); /* over the whole character */
	prompt_key(&p, KEY_RIGHT);
	CHECK(p.cur == 4);
	prompt_key(&p, KEY_BACKSPACE);
	CHECK_STR(p.buf, "ab");
	prompt_set_error(&p, "bad", 1);
	type(&p, "c");
	CHECK(p.err[0] == '\0' && p.errpos == -1); /* editing clears the error */
}

static void test_rates(void)
{
	struct app a = { 0 };
	struct stats s = { 0 };
	uint32_t v[STATS_SAMPLES];
	const uint64_t SEC = 1000000000ULL;

	stats_sample(&s, &a, 100 * SEC);
	a.model.state_changes = 30;
	a.model.conns_opened = 3;
	stats_sample(&s, &a, 100 * SEC + SEC / 2);
	CHECK(s.head == 0);
	stats_sample(&s, &a, 101 * SEC);
	CHECK(s.head == 1 && s.last[STAT_CHANGES] == 30 && s.last[STAT_OPENED] == 3);
	a.model.state_changes = 40;
	stats_sample(&s, &a, 104 * SEC); /* 3 seconds: 10, then two quiet */
	CHECK(s.head == 4);
	CHECK(stats_series(&s, STAT_CHANGES, v, STATS_SAMPLES) == 4);
	CHECK(v[0] == 30 && v[1] == 10 && v[2] == 0 && v[3] == 0);
	CHECK(s.last[STAT_CHANGES] == 0);
	/* the ring keeps the last minute */
	for (int i = 0; i < 100; i++) {
		a.model.state_changes += (uint64_t)i;
		stats_sample(&s, &a, (105 + (uint64_t)i) * SEC);
	}
	CHECK(stats_series(&s, STAT_CHANGES, v, STATS_SAMPLES) == STATS_SAMPLES);
	CHECK(v[STATS_SAMPLES - 1] == 99 && v[STATS_SAMPLES - 2] == 98);
	CHECK(stats_series(&s, STAT_CHANGES, v, 10) == 10 && v[9] == 99 && v[0] == 90);
}

static void test_history(void)
{
	static struct prompt p;

	CHECK(prompt_last(&p, false) == NULL);
	prompt_open(&p, "Filter: ", "");
	type(&p, "port 80");
	CHECK(prompt_key(&p, '\n') == PROMPT_SUBMIT);
	prompt_close(&p);
	prompt_open(&p, "Filter: ", "");
	type(&p, "comm nginx");
	prompt_key(&p, '\n');
	prompt_key(&p, '\n'); /* the same twice is kept once */
	prompt_open(&p, "Filter: ", "");
	type(&p, "draft");
	prompt_key(&p, KEY_UP);
	CHECK_STR(p.buf, "comm nginx");
	CHECK(p.cur == p.len && p.len == 10);
	prompt_key(&p, KEY_UP);
	CHECK_STR(p.buf, "port 80");
	prompt_key(&p, KEY_UP); /* the oldest stays */
	CHECK_STR(p.buf, "port 80");
	prompt_key(&p, KEY_DOWN);
	CHECK_STR(p.buf, "comm nginx");
	prompt_key(&p, KEY_DOWN);
	CHECK_STR(p.buf, "draft");
	prompt_key(&p, KEY_DOWN);
	CHECK_STR(p.buf, "draft");
	/* Esc on the filter forgets what was only typed; searches are kept */
	CHECK(prompt_key(&p, 27) == PROMPT_CANCEL);
	CHECK_STR(prompt_last(&p, false), "comm nginx");
	CHECK(prompt_last(&p, true) == NULL);
	prompt_open(&p, "Search: ", "");
	p.search = true;
	type(&p, "redis");
	prompt_key(&p, 27);
	CHECK_STR(prompt_last(&p, true), "redis");
	prompt_open(&p, "Search: ", "");
	p.search = true;
	prompt_key(&p, KEY_UP);
	CHECK_STR(p.buf, "redis");
	/* the ring keeps the newest PROMPT_HISTORY */
	for (int i = 0; i < PROMPT_HISTORY + 5; i++) {
		char t[16];

		snprintf(t, sizeof(t), "lport %d", i + 1);
		prompt_remember(&p, false, t);
	}
	CHECK_STR(prompt_last(&p, false), "lport 21");
	prompt_open(&p, "Filter: ", "");
	for (int i = 0; i < PROMPT_HISTORY + 3; i++)
		prompt_key(&p, KEY_UP);
	CHECK_STR(p.buf, "lport 6");
}

int main(void)
{
	RUN(test_edit);
	RUN(test_history);
	RUN(test_utf8);
	RUN(test_rates);
	CHECK_EXIT();
}
