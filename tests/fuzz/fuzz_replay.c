// SPDX-License-Identifier: GPL-2.0
/*
 * A whole replay on arbitrary file contents, as `socktop --replay FILE
 * --stream[=KIND]` runs it: replay_open and replay_run_all through
 * app_on_event (table, owners, binds, procs, the stream printer). The
 * output mode comes from the input's length. No crash, no UB, and the
 * printed text holds no raw control byte, C1 or invalid UTF-8.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "app.h"
#include "binds.h"
#include "fuzz_common.h"
#include "gz_mutator.h"
#include "procs.h"
#include "replay.h"
#include "stream.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table_limits lim = { .max_socks = 256, .max_history = 64 };
	struct opts o = { .uid = -1, .speed = 1.0, .ringbuf_kb = 32768 };
	struct app a = { .opts = &o };
	struct replay *r;
	char path[64], err[512], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int fd;

	switch (size % 8) {
	case 0: o.stream = STREAM_STATES; break;
	case 1: o.stream = STREAM_STATES, o.wide = true, o.ts_wall = true; break;
	case 2: o.stream = STREAM_STATES, o.csv = true, o.ts_rel = true; break;
	case 3: o.stream = STREAM_STATES, o.json = true; break;
	case 4: o.stream = STREAM_BINDS, o.errors = true, o.uid_col = true; break;
	case 5: o.stream = STREAM_BINDS, o.wide = true, o.count = true; break;
	case 6: o.stream = STREAM_CONNECTS, o.ts_rel = true, o.uid_col = true; break;
	default: o.stream = STREAM_CONNECTS, o.wide = true, o.ts_wall = true; break;
	}
	fd = memfd_create("fuzz-replay", MFD_CLOEXEC);
	FUZZ_ASSERT(fd >= 0);
	FUZZ_ASSERT(write(fd, data, size) == (ssize_t)size);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	model_init(&a.model, &lim);
	a.procs = procs_new(false);
	a.binds = binds_new(0);
	f = open_memstream(&buf, &len);
	FUZZ_ASSERT(a.model.table && a.procs && a.binds && f);
	r = replay_open(&a, path, 1.0, false, err, sizeof(err));
	if (r) {
		a.replay = r;
		a.stream = stream_open(&a, f);
		FUZZ_ASSERT(a.stream);
		(void)replay_run_all(r);
		app_tick(&a, replay_now(r));
		stream_close(a.stream, &a);
		replay_close(r);
	} else {
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) && strstr(err, path));
	}
	FUZZ_ASSERT(fclose(f) == 0);
	for (char *line = buf, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		FUZZ_ASSERT(nl); /* every line ends */
		*nl = '\0';
		if (!fuzz_clean(line)) {
			fprintf(stderr, "unsafe output line (mode %zu): %s\n", size % 8, line);
			FUZZ_ASSERT(0);
		}
	}
	free(buf);
	binds_free(a.binds);
	procs_free(a.procs);
	model_free(&a.model);
	close(fd);
	return 0;
}
