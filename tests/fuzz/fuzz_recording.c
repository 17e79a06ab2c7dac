// SPDX-License-Identifier: GPL-2.0
/*
 * The recording reader on arbitrary file contents (as a replay would see
 * them): rec_open then rec_read to the end. No crash, no hang, only events
 * of a known kind, a message naming the file on every fault; every event
 * then goes through the table and the escaper as a replay would.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fmt.h"
#include "fuzz_common.h"
#include "gz_mutator.h"
#include "recording.h"
#include "table.h"

#define MAX_EVENTS 200000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table_limits lim = { .max_socks = 64, .max_history = 16 };
	char path[64], err[512], esc[FMT_ESC_MAX(EVENT_COMM_LEN)];
	struct rec_header h;
	struct rec_reader *r;
	struct table *t;
	struct event ev;
	int fd, rc = 1, n = 0;

	fd = memfd_create("fuzz-rec", MFD_CLOEXEC);
	FUZZ_ASSERT(fd >= 0);
	FUZZ_ASSERT(write(fd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(err, 'Z', sizeof(err));
	r = rec_open(path, &h, err, sizeof(err));
	if (!r) {
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) && strstr(err, path));
		close(fd);
		return 0;
	}
	/* older formats and event sizes still open (their fields after the
	 * old size read as 0) */
	FUZZ_ASSERT(h.event_size == sizeof(struct event) || h.event_size == EVENT_SIZE_V1);
	FUZZ_ASSERT(h.version >= 1 && h.version <= REC_VERSION);
	FUZZ_ASSERT(memchr(h.host, '\0', sizeof(h.host)) && memchr(h.kernel, '\0', sizeof(h.kernel)));
	fmt_escape(esc, sizeof(esc), h.host, sizeof(h.host), ESC_TEXT);
	t = table_new(&lim);
	FUZZ_ASSERT(t);
	while (n < MAX_EVENTS && (rc = rec_read(r, &ev, err, sizeof(err))) == 1) {
		uint64_t prev;

		n++;
		FUZZ_ASSERT(ev.kind >= 1 && ev.kind < EV_KIND_MAX);
		if (ev.kind == EV_STATE)
			table_apply(t, &ev, &prev);
		else if (ev.kind == EV_SNAP_SOCK)
			table_upsert(t, &ev);
		table_expire(t, ev.ts_ns);
		for (int k = ESC_TEXT; k <= ESC_JSON; k++) {
			fmt_escape(esc, sizeof(esc), ev.comm, sizeof(ev.comm), (enum esc_kind)k);
			FUZZ_ASSERT(fuzz_clean(esc));
		}
		FUZZ_ASSERT(fmt_errno_name(ev.ret)[0] != '\0');
		FUZZ_ASSERT(tcp_state_name(ev.oldstate) && tcp_state_name(ev.newstate));
	}
	FUZZ_ASSERT(rc == 1 || rc == 0 || rc == -1);
	if (rc == -1)
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) && strstr(err, path) &&
			    strstr(err, "byte"));
	/* the table's own books still balance */
	{
		uint32_t sum = 0;

		for (int s = 0; s < TS_MAX; s++)
			sum += table_count_state(t, (uint8_t)s);
		FUZZ_ASSERT(sum == table_count(t) && table_count(t) <= lim.max_socks);
	}
	table_free(t);
	rec_close_reader(r);
	close(fd);
	return 0;
}
