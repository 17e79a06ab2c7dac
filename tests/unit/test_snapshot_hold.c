// SPDX-License-Identifier: GPL-2.0
/* The start-up pass's hold: ring events kept in memory, in their order,
 * only while a pass runs (snapshot.h). */
#include <stdlib.h>

#include "app_fix.h"
#include "check.h"
#include "snapshot.h"

static void test_hold_only_during_a_pass(void)
{
	struct fix f;
	struct event ev = { .kind = EV_STATE };

	fix_init(&f, 0);
	CHECK(!snapshot_hold(&f.a, &ev)); /* no pass: applied at once */
	fix_free(&f);
}

static void test_hold_keeps_order_and_grows(void)
{
	struct fix f;
	struct snap_held h = { 0 };
	const uint32_t n = 200000; /* past the first allocation, twice */
	bool all = true;

	fix_init(&f, 0);
	f.a.held = &h;
	for (uint32_t i = 0; i < n; i++) {
		struct event ev = { .kind = EV_STATE, .skaddr = 0x1000 + i, .aux = i };

		all &= snapshot_hold(&f.a, &ev);
	}
	CHECK(all && h.n == n && h.cap >= n && !h.oom);
	for (uint32_t i = 0; i < h.n; i++)
		if (h.ev[i].aux != i || h.ev[i].skaddr != 0x1000 + i) {
			CHECK(!"held out of order");
			break;
		}
	f.a.held = NULL;
	free(h.ev);
	fix_free(&f);
}

int main(void)
{
	RUN(test_hold_only_during_a_pass);
	RUN(test_hold_keeps_order_and_grows);
	CHECK_EXIT();
}
