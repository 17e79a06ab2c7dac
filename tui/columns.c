// SPDX-License-Identifier: GPL-2.0
/* Column table of the connections pane: titles, widths, sort keys. */
#include "columns.h"

#include <string.h>

#include "table.h"

/* n (<= 8) bytes as a big-endian number, zero-padded: byte order sorts */
static uint64_t be64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p, n < 8 ? n : 8);
	return __builtin_bswap64(v);
}

int columns_state_rank(int state)
{
	static const int8_t rank[TS_MAX] = {
		[TS_LISTEN] = 1,      [TS_SYN_SENT] = 2,   [TS_SYN_RECV] = 3,
		[TS_NEW_SYN_RECV] = 3, [TS_ESTABLISHED] = 4, [TS_FIN_WAIT1] = 5,
		[TS_FIN_WAIT2] = 6,   [TS_CLOSE_WAIT] = 7, [TS_CLOSING] = 8,
		[TS_LAST_ACK] = 9,    [TS_TIME_WAIT] = 10, [TS_CLOSE] = 11,
	};

	return state >= 0 && state < TS_MAX ? rank[state] : 12;
}

static void k_pid(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS])
{
	k[0] = e->pid;
}

static void k_comm(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS])
{
	/* the kernel pads comm with NULs, so the 16 bytes sort as the name */
	k[0] = be64((const uint8_t *)e->comm, 8);
	k[1] = be64((const uint8_t *)e->comm + 8, 8);
}

static void k_ipv(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS])
{
	k[0] = e->family;
}

static void k_addr(uint16_t family, const uint8_t *a, uint16_t port, uint64_t k[COL_KEY_WORDS])
{
	k[0] = family;
	k[1] = be64(a, 8);
	k[2] = be64(a + 8, 8);
	k[3] = port;
}

static void k_local(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS])
{
	k_addr(e->family, e->saddr, e->lport, k);
}

static void k_remote(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS])
{
	k_addr(e->family, e->daddr, e->rport, k);
}

static void k_state(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS])
{
	k[0] = (uint64_t)columns_state_rank(e->state);
	k[1] = ~e->state_ns; /* then longest in state first */
}

static void k_time(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS])
{
	k[0] = ~e->state_ns; /* ascending time in state = latest entry first */
}

static void k_age(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS])
{
	k[0] = ~e->first_ns;
}

static void k_cgroup(const struct sock_entry *e, uint64_t k[COL_KEY_WORDS])
{
	k[0] = e->cgroup_id;
}

const struct column columns[COL_MAX] = {
	[COL_PID] = { "PID", 7, true, false, false, 1, k_pid, "owning process id" },
	[COL_COMM] = { "COMM", 15, false, false, false, 2, k_comm, "owning process name" },
	[COL_IPV] = { "IP", 2, false, false, false, 1, k_ipv, "IP version" },
	[COL_LOCAL] = { "LOCAL", 21, false, true, false, 4, k_local, "local address:port" },
	[COL_REMOTE] = { "REMOTE", 21, false, true, false, 4, k_remote,
			 "remote address:port" },
	[COL_STATE] = { "STATE", 11, false, false, false, 2, k_state, "TCP state" },
	[COL_TIME] = { "IN-STATE", 8, true, false, false, 1, k_time, "time in the state" },
	[COL_AGE] = { "AGE", 6, true, false, true, 1, k_age, "time since first seen" },
	[COL_CGROUP] = { "CGROUP", 0, false, false, false, 1, k_cgroup,
			 "cgroup v2 of the socket (path below the root)" },
};

static int squeeze(int *w, int floor, int *cut)
{
	int take = *w - floor;

	if (take <= 0 || *cut <= 0)
		return 0;
	take = take < *cut ? take : *cut;
	*w -= take;
	*cut -= take;
	return take;
}

int columns_layout(int width, int x[COL_MAX], int w[COL_MAX])
{
	int fixed = 0, spare, pos = 0;

	for (int c = 0; c < COL_MAX; c++) {
		w[c] = columns[c].width;
		if (!w[c])
			continue; /* optional, placed later */
		fixed += columns[c].width + 1;
	}
	spare = width - fixed + 1;
	if (spare > 0) {
		w[COL_LOCAL] += spare / 2;
		w[COL_REMOTE] += spare - spare / 2;
	} else {
		/* narrow: COMM, PID, hide IP, then the addresses, to a floor */
		int cut = -spare;

		squeeze(&w[COL_COMM], 8, &cut);
		squeeze(&w[COL_PID], 6, &cut);
		if (cut > 0) {
			cut -= w[COL_IPV] + 1;
			w[COL_IPV] = 0;
		}
		/* the remote side keeps one more cell: it is the longer one */
		while (cut > 0 && (w[COL_LOCAL] > 13 || w[COL_REMOTE] > 13)) {
			int c = w[COL_LOCAL] > w[COL_REMOTE] - 1 ? COL_LOCAL : COL_REMOTE;
			int one = 1;

			squeeze(&w[c], 13, &one);
			cut--;
		}
		/* very narrow: AGE goes, then the last cells of COMM and PID */
		if (cut > 0) {
			cut -= w[COL_AGE] + 1;
			w[COL_AGE] = 0;
		}
		squeeze(&w[COL_COMM], 5, &cut);
		squeeze(&w[COL_PID], 5, &cut);
		squeeze(&w[COL_LOCAL], 12, &cut);
		squeeze(&w[COL_REMOTE], 12, &cut);
	}
	for (int c = 0; c < COL_MAX; c++) {
		x[c] = pos;
		if (w[c])
			pos += w[c] + 1;
	}
	return pos - 1;
}

void columns_show_cgroup(int x[COL_MAX], int w[COL_MAX])
{
	int spare = 0, want, pos = 0;

	for (int c = COL_LOCAL; c <= COL_REMOTE; c++)
		spare += w[c] > 24 ? w[c] - 24 : 0;
	want = spare > 25 ? 24 : spare - 1;
	if (want < 8)
		return;
	w[COL_CGROUP] = want;
	for (want += 1; want > 0;) {
		int c = w[COL_LOCAL] > w[COL_REMOTE] ? COL_LOCAL : COL_REMOTE;

		w[c]--;
		want--;
	}
	for (int c = 0; c < COL_MAX; c++) {
		x[c] = pos;
		if (w[c])
			pos += w[c] + 1;
	}
}
