// SPDX-License-Identifier: GPL-2.0
/* The stream line's number appenders against the printf conversions they
 * replace: every digit count, both ends of each width, 0 and the maxima. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "linebuf.h"

/* 0, 1, every power of 10 and 16 and its neighbours, the maximum */
static size_t values(uint64_t *v)
{
	size_t n = 0;

	v[n++] = 0;
	v[n++] = UINT64_MAX;
	for (uint64_t p = 1; p <= UINT64_MAX / 10; p *= 10) {
		v[n++] = p - 1;
		v[n++] = p;
		v[n++] = p + 1;
	}
	for (int s = 0; s < 64; s += 4) {
		v[n++] = (1ULL << s) - 1;
		v[n++] = 1ULL << s;
		v[n++] = 0xffff888012345678ULL >> s;
		v[n++] = 0xa0b1c2d3e4f50617ULL >> s;
	}
	return n;
}

static void same(struct linebuf *l, const char *want)
{
	CHECK(l->n == strlen(want) && !memcmp(l->b, want, l->n));
	if (l->n != strlen(want) || memcmp(l->b, want, l->n))
		fprintf(stderr, "  got \"%.*s\", want \"%s\"\n", (int)l->n, l->b, want);
}

static void test_numbers(void)
{
	uint64_t v[256];
	size_t n = values(v);
	char want[128];
	static char buf[LB_MAX];
	struct linebuf l;

	for (size_t i = 0; i < n; i++) {
		for (int w = 0; w <= 21; w += 7) {
			lb_start(&l, buf);
			lb_u64(&l, v[i], (size_t)w);
			snprintf(want, sizeof(want), "%-*" PRIu64, w, v[i]);
			same(&l, want);
			lb_start(&l, buf);
			lb_hex(&l, v[i], (size_t)w);
			snprintf(want, sizeof(want), "%-*" PRIx64, w, v[i]);
			same(&l, want);
			lb_start(&l, buf);
			lb_col_u64(&l, v[i], (size_t)w);
			snprintf(want, sizeof(want), "%-*" PRIu64 " ", w, v[i]);
			same(&l, want);
			lb_start(&l, buf);
			lb_col_hex(&l, v[i], (size_t)w);
			snprintf(want, sizeof(want), "%-*" PRIx64 " ", w, v[i]);
			same(&l, want);
		}
		/* "%.3f" of whole microseconds as milliseconds, "%.6f" as seconds */
		lb_start(&l, buf);
		lb_ms3(&l, v[i]);
		snprintf(want, sizeof(want), "%" PRIu64 ".%03" PRIu64, v[i] / 1000 / 1000,
			 v[i] / 1000 % 1000);
		same(&l, want);
		lb_start(&l, buf);
		lb_s6(&l, v[i]);
		snprintf(want, sizeof(want), "%" PRIu64 ".%06" PRIu64, v[i] / 1000 / 1000000,
			 v[i] / 1000 % 1000000);
		same(&l, want);
	}
}

/* a line that does not fit is cut at the buffer's end, never overrun */
static void test_cut(void)
{
	static char buf[LB_MAX];
	struct linebuf l;

	lb_start(&l, buf);
	for (int i = 0; i < 100; i++)
		lb_u64(&l, UINT64_MAX, 0);
	CHECK(l.n == LB_MAX);
	lb_start(&l, buf);
	for (int i = 0; i < 100; i++)
		lb_str(&l, "0123456789abcdef");
	CHECK(l.n == LB_MAX && l.b[LB_MAX - 1] == 'f');
}

/* number kind k (u64, hex, ms3, s6) of v, appended to l and printed at
 * want: printf's length */
static int append_kind(struct linebuf *l, int k, uint64_t v, char *want, size_t room)
{
	switch (k) {
	case 0: lb_u64(l, v, 0); return snprintf(want, room, "%" PRIu64, v);
	case 1: lb_hex(l, v, 0); return snprintf(want, room, "%" PRIx64, v);
	case 2:
		lb_ms3(l, v);
		return snprintf(want, room, "%" PRIu64 ".%03" PRIu64, v / 1000 / 1000,
				v / 1000 % 1000);
	default:
		lb_s6(l, v);
		return snprintf(want, room, "%" PRIu64 ".%06" PRIu64, v / 1000 / 1000000,
				v / 1000 % 1000000);
	}
}

/* each number after a prefix of every length near the end: the digits
 * written in place land after the prefix, and what does not fit is cut
 * (printf's text of the whole line, its first 1024 bytes) */
static void test_cut_numbers(void)
{
	uint64_t v[256];
	size_t n = values(v);
	char want[1200];
	static char buf[LB_MAX];
	struct linebuf l;

	for (size_t i = 0; i < n; i++) {
		for (size_t pre = LB_MAX - 40; pre <= LB_MAX; pre++) {
			for (int k = 0; k < 4; k++) {
				size_t end;

				lb_start(&l, buf);
				memset(l.b, 'x', pre);
				l.n = pre;
				memset(want, 'x', pre);
				end = pre + (size_t)append_kind(&l, k, v[i], want + pre,
								sizeof(want) - pre);
				want[end < LB_MAX ? end : LB_MAX] = 0;
				same(&l, want);
			}
		}
	}
}

int main(void)
{
	RUN(test_numbers);
	RUN(test_cut);
	RUN(test_cut_numbers);
	CHECK_EXIT();
}
