// SPDX-License-Identifier: GPL-2.0
/*
 * Seed corpus for fuzz_recording: small valid recordings written by the
 * project's own writer (every event kind, hostile names, a reused skaddr).
 * usage: seed_recording DIR
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "recording.h"
#include "table.h"

static int write_one(const char *dir, const char *name, int nev, int flush_every)
{
	static const char *const comms[] = { "curl", "\x1b]0;t\x07", "caf\xc3\xa9", "a,b\"c",
					     "\x9b\xff", "ABCDEFGHIJKLMNOP" };
	static const uint8_t life[][2] = { { TS_CLOSE, TS_SYN_SENT },
					   { TS_SYN_SENT, TS_ESTABLISHED },
					   { TS_ESTABLISHED, TS_FIN_WAIT1 },
					   { TS_FIN_WAIT1, TS_FIN_WAIT2 },
					   { TS_FIN_WAIT2, TS_CLOSE } };
	struct rec_header h = { .version = REC_VERSION, .start_mono_ns = 1000000000000ULL };
	struct rec_writer *w;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(h.host, sizeof(h.host), "seed");
	snprintf(h.kernel, sizeof(h.kernel), "6.18");
	w = rec_create(path, &h);
	if (!w) {
		perror(path);
		return -1;
	}
	for (int i = 0; i < nev; i++) {
		struct event e = { .ts_ns = h.start_mono_ns + (uint64_t)i * 1000000,
				   .skaddr = 0xffff888000000000ULL + (uint64_t)(i / 5 % 3) * 64,
				   .pid = 100 + (uint32_t)i, .kind = (uint16_t)(1 + i % 8),
				   .family = i % 3 ? AF_INET : AF_INET6, .protocol = 6,
				   .lport = 40000, .rport = 443, .ret = i % 4 ? 0 : -111 };

		if (i % 2 == 0)
			e.kind = EV_STATE;
		e.oldstate = life[i % 5][0];
		e.newstate = life[i % 5][1];
		inet_pton(AF_INET, "127.0.0.1", e.saddr);
		inet_pton(AF_INET, "10.1.2.3", e.daddr);
		memcpy(e.comm, comms[i % 6], strnlen(comms[i % 6], sizeof(e.comm)));
		if (rec_write(w, &e) || (flush_every && i % flush_every == 0 && rec_flush(w)))
			return -1;
	}
	return rec_close(w);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seed_recording DIR\n");
		return 2;
	}
	if (write_one(argv[1], "empty.rec", 0, 0) || write_one(argv[1], "one.rec", 1, 0) ||
	    write_one(argv[1], "small.rec", 12, 0) || write_one(argv[1], "flushed.rec", 20, 3))
		return 1;
	return 0;
}
