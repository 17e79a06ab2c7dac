// SPDX-License-Identifier: GPL-2.0
/*
 * The Groups pane's columns: the group's key (remote address, remote
 * port, or local service and its owner), counts by state, distinct peers,
 * and the traffic the kernel counted for its sockets. One table per
 * grouping; they differ in the first column only.
 */
#include "columns.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "fmt.h"
#include "groups.h"
#include "theme.h"
#include "ui.h"

#define ROW(p) ((const struct group_row *)(p))

static int num_cmp(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static uint64_t other(const struct group_row *r)
{
	return r->nsocks - r->by_state[TS_ESTABLISHED] - r->by_state[TS_SYN_SENT] -
	       r->by_state[TS_SYN_RECV] - r->by_state[TS_CLOSE_WAIT] - r->by_state[TS_TIME_WAIT];
}

#define NUM_COLUMN(name, expr)                                                               \
	static uint64_t v_##name(const struct group_row *r)                                  \
	{                                                                                    \
		return (expr);                                                               \
	}                                                                                    \
	static int cmp_##name(const void *a, const void *b)                                  \
	{                                                                                    \
		return num_cmp(v_##name(ROW(a)), v_##name(ROW(b)));                          \
	}                                                                                    \
	static void key_##name(const void *row, uint64_t k[COL_KEY_WORDS])                   \
	{                                                                                    \
		k[0] = v_##name(ROW(row));                                                   \
	}                                                                                    \
	static void c_##name(const struct col_ctx *c, const void *row, struct col_cell *out) \
	{                                                                                    \
		(void)c;                                                                     \
		snprintf(out->buf, sizeof(out->buf), "%llu",                                 \
			 (unsigned long long)v_##name(ROW(row)));                            \
	}

NUM_COLUMN(conns, r->nsocks)
NUM_COLUMN(estab, r->by_state[TS_ESTABLISHED])
NUM_COLUMN(syn, r->by_state[TS_SYN_SENT] + r->by_state[TS_SYN_RECV])
NUM_COLUMN(close_wait, r->by_state[TS_CLOSE_WAIT])
NUM_COLUMN(time_wait, r->by_state[TS_TIME_WAIT])
NUM_COLUMN(other, other(r))
NUM_COLUMN(peers, r->peers)

/* Traffic columns: "-" for a group none of whose sockets had counters
 * (the traffic hook off, an old recording, or only TIME_WAIT sockets). */
#define BYTES_COLUMN(name, field, suffix)                                                    \
	static int cmp_##name(const void *a, const void *b)                                  \
	{                                                                                    \
		return num_cmp(ROW(a)->field, ROW(b)->field);                                \
	}                                                                                    \
	static void key_##name(const void *row, uint64_t k[COL_KEY_WORDS])                   \
	{                                                                                    \
		k[0] = ROW(row)->field;                                                      \
	}                                                                                    \
	static void c_##name(const struct col_ctx *c, const void *row, struct col_cell *out) \
	{                                                                                    \
		(void)c;                                                                     \
		if (!ROW(row)->traffic) {                                                    \
			strcpy(out->buf, "-");                                               \
			out->role = ROLE_DIM;                                                \
			return;                                                              \
		}                                                                            \
		fmt_bytes(out->buf, sizeof(out->buf) - 3, ROW(row)->field);                  \
		strcat(out->buf, suffix);                                                    \
	}

BYTES_COLUMN(tx, tx, "")
BYTES_COLUMN(rx, rx, "")
BYTES_COLUMN(tx_s, tx_rate, "/s")
BYTES_COLUMN(rx_s, rx_rate, "/s")

static int cmp_retrans(const void *a, const void *b)
{
	return num_cmp(ROW(a)->retrans, ROW(b)->retrans);
}

static void key_retrans(const void *row, uint64_t k[COL_KEY_WORDS])
{
	k[0] = ROW(row)->retrans;
}

static void c_retrans(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	if (!ROW(row)->traffic) {
		strcpy(out->buf, "-");
		out->role = ROLE_DIM;
		return;
	}
	snprintf(out->buf, sizeof(out->buf), "%llu", (unsigned long long)ROW(row)->retrans);
	if (ROW(row)->retrans)
		out->role = ROLE_WARN;
}

static int cmp_addr(const void *a, const void *b)
{
	const struct group_row *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

/* the words cmp_addr orders by: family, then the bytes as memcmp reads them */
static void key_addr(const void *row, uint64_t k[COL_KEY_WORDS])
{
	const uint8_t *a = ROW(row)->addr;

	k[0] = ROW(row)->family;
	k[1] = k[2] = 0;
	for (int i = 0; i < 8; i++) {
		k[1] = k[1] << 8 | a[i];
		k[2] = k[2] << 8 | a[8 + i];
	}
}

static void c_addr(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	if (c->w > 0 && c->u)
		fmt_addr_fit(out->buf, sizeof(out->buf), ROW(row)->family, ROW(row)->addr, c->w,
			     c->u->utf8);
	else
		fmt_addr(out->buf, sizeof(out->buf), ROW(row)->family, ROW(row)->addr);
}

static int cmp_port(const void *a, const void *b)
{
	return num_cmp(ROW(a)->port, ROW(b)->port);
}

static void key_port(const void *row, uint64_t k[COL_KEY_WORDS])
{
	k[0] = ROW(row)->port;
}

static void c_port(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	(void)c;
	snprintf(out->buf, sizeof(out->buf), "%u", ROW(row)->port);
}

/* "80 nginx": the port and who listens on it (a name from the kernel:
 * escaped here, as the cell mixes it with a number) */
static void c_service(const struct col_ctx *c, const void *row, struct col_cell *out)
{
	const struct group_row *r = row;
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)];

	(void)c;
	fmt_escape(comm, sizeof(comm), r->comm, sizeof(r->comm), ESC_TEXT);
	snprintf(out->buf, sizeof(out->buf), "%u %s", r->port, comm);
}

#define KEY_COLUMN(t, w, nw, keyf, cmpf, cellf, term, h) \
	[GC_KEY] = { .id = "key",                        \
		     .title = t,                         \
		     .width = w,                         \
		     .nwords = nw,                       \
		     .key = keyf,                        \
		     .cmp = cmpf,                        \
		     .cell = cellf,                      \
		     .filter = term,                     \
		     .help = h }

#define COUNT(c, ident, t, w, h)    \
	[c] = { .id = #ident,       \
		.title = t,         \
		.width = w,         \
		.right = true,      \
		.desc = true,       \
		.nwords = 1,        \
		.key = key_##ident, \
		.cmp = cmp_##ident, \
		.cell = c_##ident,  \
		.help = h }

#define COMMON_COLUMNS                                                                     \
	COUNT(GC_CONNS, conns, "CONNS", 6, "sockets in the group"),                        \
		COUNT(GC_ESTAB, estab, "ESTAB", 6, "established"),                         \
		COUNT(GC_SYN, syn, "SYN", 5, "handshakes under way (SYN_SENT, SYN_RECV)"), \
		COUNT(GC_CLOSE_WAIT, close_wait, "CLOSE_W", 7,                             \
		      "closed by the peer, not yet here"),                                 \
		COUNT(GC_TIME_WAIT, time_wait, "TIME_W", 6, "in TIME_WAIT"),               \
		COUNT(GC_OTHER, other, "OTHER", 6, "in the closing states"),               \
		COUNT(GC_TX, tx, "TX", 7, "bytes sent and acknowledged"),                  \
		COUNT(GC_RX, rx, "RX", 7, "bytes received"),                               \
		COUNT(GC_TX_S, tx_s, "TX/s", 9, "bytes/s sent, last interval"),            \
		COUNT(GC_RX_S, rx_s, "RX/s", 9, "bytes/s received, last interval"),        \
		COUNT(GC_RETRANS, retrans, "RETRANS", 7, "segments retransmitted")

static const struct column raddr_cols[GC_MAX] = {
	KEY_COLUMN("REMOTE", 15, 3, key_addr, cmp_addr, c_addr, "raddr", "the peer's address"),
	COUNT(GC_PEERS, peers, "PEERS", 5, "distinct remote addresses"),
	COMMON_COLUMNS,
};

static const struct column rport_cols[GC_MAX] = {
	KEY_COLUMN("RPORT", 6, 1, key_port, cmp_port, c_port, "rport",
		   "the port this host connects to"),
	COUNT(GC_PEERS, peers, "PEERS", 5, "distinct remote addresses"),
	COMMON_COLUMNS,
};

static const struct column service_cols[GC_MAX] = {
	KEY_COLUMN("SERVICE", 14, 1, key_port, cmp_port, c_service, "lport",
		   "a local listening port and its owner"),
	COUNT(GC_PEERS, peers, "PEERS", 5, "distinct clients"),
	COMMON_COLUMNS,
};

const struct col_set groups_cols[GROUP_MAX] = {
	[GROUP_RADDR] = { "groups", "Groups", raddr_cols, GC_MAX },
	[GROUP_RPORT] = { "groups", "Groups", rport_cols, GC_MAX },
	[GROUP_SERVICE] = { "groups", "Groups", service_cols, GC_MAX },
};

/* The key column first, as wide as its longest text (keyw) up to 41
 * cells (an IPv6 address); then every column that fits, by priority: the
 * traffic ones before the closing states. Shown in table order. By
 * remote address PEERS means nothing. */
int groups_cols_layout(int w, int by, int keyw, struct col_layout *l)
{
	static const uint8_t order[GC_MAX] = { GC_CONNS, GC_ESTAB,	GC_TX_S,      GC_RX_S,
					       GC_TX,	 GC_RX,		GC_RETRANS,   GC_PEERS,
					       GC_SYN,	 GC_CLOSE_WAIT, GC_TIME_WAIT, GC_OTHER };
	const struct column *cols = groups_cols[by].col;
	int key = keyw > 41 ? 41 : keyw, used;

	col_default_order(l, GC_MAX);
	memset(l->w, 0, sizeof(l->w));
	if (key < cols[GC_KEY].width)
		key = cols[GC_KEY].width;
	l->w[GC_KEY] = key < w ? key : w;
	used = l->w[GC_KEY] + 1;
	for (int i = 0; i < GC_MAX - 1; i++) {
		int c = order[i];

		if (c == GC_PEERS && by == GROUP_RADDR)
			continue;
		if (used + cols[c].width + 1 <= w) {
			l->w[c] = cols[c].width;
			used += l->w[c] + 1;
		}
	}
	return col_place(l);
}

/* The dotted quad's length, as fmt_addr writes it, without writing it. */
static int ipv4_len(const uint8_t a[4])
{
	int len = 3;

	for (int i = 0; i < 4; i++)
		len += 1 + (a[i] >= 10) + (a[i] >= 100);
	return len;
}

/* The width the key column's text needs for these rows. */
int groups_key_width(int by, const struct group_row *rows, size_t n)
{
	struct col_cell cell;
	int need = 0;

	for (size_t i = 0; i < n; i++) {
		if (by == GROUP_RADDR && rows[i].family == AF_INET) {
			if (ipv4_len(rows[i].addr) > need)
				need = ipv4_len(rows[i].addr);
			continue;
		}
		memset(&cell, 0, sizeof(cell));
		cell.role = -1;
		groups_cols[by].col[GC_KEY].cell(&(struct col_ctx){ 0 }, &rows[i], &cell);
		if ((int)strlen(cell.buf) > need)
			need = (int)strlen(cell.buf);
	}
	return need;
}
