// SPDX-License-Identifier: GPL-2.0
/* tcpstates-compatible output: one line per TCP state change. */
#include "stream.h"

#include <arpa/inet.h>

#include "app.h"
#include "fmt.h"
#include "journal.h"
#include "linebuf.h"
#include "opts.h"
#include "table.h"

/* The kernel filters live capture the same way; this applies -L, -D, -4
 * and -6 to a replay too, so its lines are the ones a live run printed. */
static bool wanted(const struct opts *o, const struct event *ev)
{
	if ((o->only4 && ev->family != AF_INET) || (o->only6 && ev->family != AF_INET6))
		return false;
	if (o->lports.n && !port_list_has(&o->lports, ev->lport))
		return false;
	return !o->rports.n || port_list_has(&o->rports, ev->rport);
}

static void states_header(struct stream_out *f, const struct app *a)
{
	const struct opts *o = a->opts;

	if (o->json)
		return;
	if (o->csv) {
		stream_printf(
			f,
			"%s%sSKADDR,C-PID,C-COMM,IP,LADDR,LPORT,RADDR,RPORT,OLDSTATE,NEWSTATE,MS\n",
			o->ts_wall ? "TIME," : "", o->ts_rel ? "TIME(s)," : "");
		return;
	}
	if (o->ts_wall)
		stream_printf(f, "%-8s ", "TIME");
	if (o->ts_rel)
		stream_printf(f, "%-9s ", "TIME(s)");
	if (o->wide)
		stream_printf(f, "%-16s %-7s %-16s %-2s %-39s %-5s %-39s %-5s %-11s -> %-11s %s\n",
			      "SKADDR", "C-PID", "C-COMM", "IP", "LADDR", "LPORT", "RADDR", "RPORT",
			      "OLDSTATE", "NEWSTATE", "MS");
	else
		stream_printf(f, "%-16s %-5s %-10s %-15s %-5s %-15s %-5s %-11s -> %-11s %s\n",
			      "SKADDR", "C-PID", "C-COMM", "LADDR", "LPORT", "RADDR", "RPORT",
			      "OLDSTATE", "NEWSTATE", "MS");
}

/* a state's name and its length, padded for lb_col, made once */
struct state_names {
	char name[256][LB_COL_SRC];
	uint8_t len[256];
};

static const struct state_names *state_names(void)
{
	static struct state_names n;
	static bool made;

	if (!made) {
		for (int i = 0; i < 256; i++) {
			n.len[i] = (uint8_t)snprintf(n.name[i], sizeof(n.name[i]), "%s",
						     tcp_state_name((uint8_t)i));
		}
		made = true;
	}
	return &n;
}

static void lb_state(struct linebuf *l, uint8_t state)
{
	const struct state_names *n = state_names();

	lb_mem(l, n->name[state], n->len[state]);
}

/* an address's or a name's text and length */
struct text {
	const char *s;
	size_t len;
};

static void states_json(struct stream_out *f, const struct app *a, const struct event *ev,
			uint64_t prev_ns, struct text laddr, struct text raddr)
{
	char comm[FMT_ESC_MAX(EVENT_COMM_LEN)], hms[16];
	struct linebuf l;
	size_t comm_len;

	comm_len = fmt_escape_len(comm, sizeof(comm), ev->comm, sizeof(ev->comm), ESC_JSON);
	stream_line_start(f, &l);
	lb_str(&l, "{\"ts_ns\":");
	lb_u64(&l, ev->ts_ns, 0);
	lb_str(&l, ",\"time\":\"");
	lb_str(&l, fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns)));
	lb_str(&l, "\",\"time_s\":");
	lb_s6(&l, stream_rel_ns(a, ev->ts_ns));
	lb_str(&l, ",\"skaddr\":\"");
	lb_hex(&l, ev->skaddr, 0);
	lb_str(&l, "\",\"pid\":");
	lb_u64(&l, ev->pid, 0);
	lb_str(&l, ",\"tid\":");
	lb_u64(&l, ev->tid, 0);
	lb_str(&l, ",\"uid\":");
	lb_u64(&l, ev->uid, 0);
	lb_str(&l, ",\"comm\":\"");
	lb_mem(&l, comm, comm_len);
	lb_str(&l, ev->family == AF_INET6 ? "\",\"family\":6" : "\",\"family\":4");
	lb_str(&l, ",\"laddr\":\"");
	lb_mem(&l, laddr.s, laddr.len);
	lb_str(&l, "\",\"lport\":");
	lb_u64(&l, ev->lport, 0);
	lb_str(&l, ",\"raddr\":\"");
	lb_mem(&l, raddr.s, raddr.len);
	lb_str(&l, "\",\"rport\":");
	lb_u64(&l, ev->rport, 0);
	lb_str(&l, ",\"oldstate\":\"");
	lb_state(&l, ev->oldstate);
	lb_str(&l, "\",\"newstate\":\"");
	lb_state(&l, ev->newstate);
	lb_str(&l, "\",\"ms\":");
	lb_ms3(&l, prev_ns);
	lb_str(&l, ",\"netns\":");
	lb_u64(&l, ev->netns, 0);
	lb_str(&l, "}\n");
	stream_line_end(f, &l);
}

/* the text columns' sources, readable for LB_COL_SRC bytes (linebuf.h) */
static const char arrow_col[LB_COL_SRC] = "->";

static const char *family_col(uint16_t family)
{
	static const char six[LB_COL_SRC] = "6", four[LB_COL_SRC] = "4";

	return family == AF_INET6 ? six : four;
}

/* "%-11s " */
static void state_col(struct linebuf *l, uint8_t state)
{
	const struct state_names *n = state_names();

	lb_col(l, n->name[state], n->len[state], 11);
}

/* at most what a timestamp's columns put before the text columns */
#define TS_COLS_MAX 64
_Static_assert(LB_MAX >= TS_COLS_MAX + 12 * LB_COL_SRC, "a text line's columns fit its buffer");

/* tcpstates' columns, as "%-16llx %-5u %-10s %-15s %-5u %-15s %-5u %-11s
 * -> %-11s %.3f" (wider with -w, comma-separated with -s) */
static void states_line(struct linebuf *l, const struct opts *o, const struct event *ev,
			uint64_t prev_ns, struct text comm, struct text laddr, struct text raddr)
{
	if (o->csv) {
		lb_hex(l, ev->skaddr, 0);
		lb_char(l, ',');
		lb_u64(l, ev->pid, 0);
		lb_char(l, ',');
		lb_mem(l, comm.s, comm.len);
		lb_str(l, ev->family == AF_INET6 ? ",6," : ",4,");
		lb_mem(l, laddr.s, laddr.len);
		lb_char(l, ',');
		lb_u64(l, ev->lport, 0);
		lb_char(l, ',');
		lb_mem(l, raddr.s, raddr.len);
		lb_char(l, ',');
		lb_u64(l, ev->rport, 0);
		lb_char(l, ',');
		lb_state(l, ev->oldstate);
		lb_char(l, ',');
		lb_state(l, ev->newstate);
		lb_char(l, ',');
	} else {
		size_t addrw = o->wide ? 39 : 15;

		lb_col_hex(l, ev->skaddr, 16);
		lb_col_u64(l, ev->pid, o->wide ? 7 : 5);
		lb_col(l, comm.s, comm.len, o->wide ? 16 : 10);
		if (o->wide)
			lb_col(l, family_col(ev->family), 1, 2);
		lb_col(l, laddr.s, laddr.len, addrw);
		lb_col_u64(l, ev->lport, 5);
		lb_col(l, raddr.s, raddr.len, addrw);
		lb_col_u64(l, ev->rport, 5);
		state_col(l, ev->oldstate);
		lb_col(l, arrow_col, 2, 2);
		state_col(l, ev->newstate);
	}
	lb_ms3(l, prev_ns);
	lb_char(l, '\n');
}

static void states_event(struct stream_out *f, const struct app *a, const struct event *ev,
			 uint64_t prev_ns)
{
	const struct opts *o = a->opts;
	char laddr[64], raddr[64], comm[FMT_ESC_MAX(EVENT_COMM_LEN)];
	struct text ltext = { laddr, 0 }, rtext = { raddr, 0 }, ctext = { comm, 0 };
	struct linebuf l;

	if (ev->kind != EV_STATE || !wanted(o, ev))
		return;
	ltext.len = fmt_addr_len(laddr, sizeof(laddr), ev->family, ev->saddr);
	rtext.len = fmt_addr_len(raddr, sizeof(raddr), ev->family, ev->daddr);
	if (o->journal)
		journal_send_state(a, ev, prev_ns, laddr, raddr);
	if (o->json) {
		states_json(f, a, ev, prev_ns, ltext, rtext);
		return;
	}
	/* the text columns cut the name at 10 (16 with -w) bytes: cut it while
	 * escaping, never inside an escape or a UTF-8 character */
	ctext.len = fmt_escape_len(comm,
				   o->csv  ? sizeof(comm) :
				   o->wide ? 17 :
					     11,
				   ev->comm, sizeof(ev->comm), o->csv ? ESC_CSV : ESC_TEXT);
	stream_line_start(f, &l);
	if (o->ts_wall) {
		char hms[16];

		fmt_hms(hms, sizeof(hms), stream_wall_ns(a, ev->ts_ns));

		if (o->csv) {
			lb_str(&l, hms);
			lb_char(&l, ',');
		} else {
			lb_pad(&l, hms, 8);
			lb_char(&l, ' ');
		}
	}
	if (o->ts_rel) { /* "%-9.6f " */
		size_t start = l.n;

		lb_s6(&l, stream_rel_ns(a, ev->ts_ns));
		while (!o->csv && l.n - start < 9)
			lb_char(&l, ' ');
		lb_char(&l, o->csv ? ',' : ' ');
	}
	states_line(&l, o, ev, prev_ns, ctext, ltext, rtext);
	stream_line_end(f, &l);
}

const struct stream_ops stream_states_ops = {
	.kind = EV_STATE,
	.header = states_header,
	.event = states_event,
};
