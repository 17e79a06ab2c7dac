// SPDX-License-Identifier: GPL-2.0
/*
 * View filter: prompt text -> terms (table-driven), and matching a row.
 * A term is one entry in filter_terms[] plus a match function; the stock
 * parsers cover lists of numbers, ports, strings and bare flags.
 */
#include "filter.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "fmt.h"
#include "table.h"

/*
 * A state by name: an exact name wins ("close" is CLOSE, not CLOSE_WAIT),
 * else a prefix that only one state has; an ambiguous prefix names the
 * candidates. Returns the state or -1 with err set.
 */
static int state_lookup(const char *tok, char *err, size_t errsz)
{
	size_t n = strlen(tok), off = 0;
	int found = -1, hits = 0;
	char cands[128];

	cands[0] = '\0';
	for (int i = 1; i < TS_MAX; i++) {
		const char *name = tcp_state_name((uint8_t)i);

		if (!strcasecmp(name, tok))
			return i;
		if (n && !strncasecmp(name, tok, n)) {
			found = i;
			hits++;
			if (off < sizeof(cands))
				off += (size_t)snprintf(cands + off, sizeof(cands) - off, "%s%s",
							off ? ", " : "", name);
		}
	}
	if (hits == 1)
		return found;
	if (hits > 1)
		snprintf(err, errsz, "state: '%.20s' is ambiguous (%s): type more of it", tok,
			 cands);
	else
		snprintf(err, errsz,
			 "state: unknown state '%.20s' (estab, listen, syn_sent, time_wait, ...)",
			 tok);
	return -1;
}

static int parse_states(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	char buf[128], *save = NULL, *tok;

	if (strlen(arg) >= sizeof(buf)) {
		snprintf(err, errsz, "state: list too long");
		return -1;
	}
	strcpy(buf, arg);
	t->u.states.n = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int s;

		for (char *c = tok; *c; c++)
			if (*c == '-')
				*c = '_';
		s = state_lookup(tok, err, errsz);
		if (s < 0)
			return -1;
		if (t->u.states.n == FILTER_MAX_VALUES) {
			snprintf(err, errsz, "state: at most %d values", FILTER_MAX_VALUES);
			return -1;
		}
		t->u.states.v[t->u.states.n++] = s;
	}
	if (!t->u.states.n) {
		snprintf(err, errsz, "state: expected a state name");
		return -1;
	}
	return 0;
}

/* "10.0.0.0/8", "10.1.2.3", "fe80::/10", "::1" */
static int parse_net(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	int maxbits;
	const char *what = t->def ? t->def->name : "addr";

	if (strlen(arg) >= sizeof(buf)) {
		snprintf(err, errsz, "%s: '%.20s...' is not an address", what, arg);
		return -1;
	}
	strcpy(buf, arg);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	memset(t->u.net.addr, 0, sizeof(t->u.net.addr));
	if (inet_pton(AF_INET, buf, t->u.net.addr) == 1) {
		t->u.net.family = AF_INET;
		maxbits = 32;
	} else if (inet_pton(AF_INET6, buf, t->u.net.addr) == 1) {
		t->u.net.family = AF_INET6;
		maxbits = 128;
	} else {
		snprintf(err, errsz, "%s: '%.40s' is not an IPv4 or IPv6 address", what, buf);
		return -1;
	}
	t->u.net.bits = (uint8_t)maxbits;
	if (slash) {
		char *end;
		long bits = strtol(slash, &end, 10);

		if (!*slash || *end || bits < 0 || bits > maxbits) {
			snprintf(err, errsz, "%s: prefix length must be 0-%d", what, maxbits);
			return -1;
		}
		t->u.net.bits = (uint8_t)bits;
	}
	return 0;
}

/* ---- matchers ----------------------------------------------------------- */

static bool m_port(const struct filter_term *t, const struct filter_subject *s)
{
	return filter_nums_has(t, s->lport) || (s->rport && filter_nums_has(t, s->rport));
}

static bool m_lport(const struct filter_term *t, const struct filter_subject *s)
{
	return filter_nums_has(t, s->lport);
}

static bool m_rport(const struct filter_term *t, const struct filter_subject *s)
{
	return filter_nums_has(t, s->rport);
}

static bool m_pid(const struct filter_term *t, const struct filter_subject *s)
{
	return s->pid && filter_nums_has(t, s->pid);
}

static bool m_comm(const struct filter_term *t, const struct filter_subject *s)
{
	size_t n = strlen(t->u.str), len = s->comm ? strnlen(s->comm, s->comm_len) : 0;

	for (size_t i = 0; i + n <= len; i++)
		if (!strncasecmp(s->comm + i, t->u.str, n))
			return true;
	return false;
}

static bool m_state(const struct filter_term *t, const struct filter_subject *s)
{
	for (int i = 0; i < t->u.states.n; i++)
		if (t->u.states.v[i] == s->state)
			return true;
	return false;
}

static bool net_has(const struct filter_term *t, uint16_t family, const uint8_t *a)
{
	int bits = t->u.net.bits, whole = bits / 8, rest = bits % 8;

	if (!a)
		return false;
	if (family != t->u.net.family) {
		/* an IPv4 prefix also matches IPv4-mapped IPv6 (::ffff:a.b.c.d) */
		static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

		if (t->u.net.family != AF_INET || family != AF_INET6 || memcmp(a, mapped, 12))
			return false;
		a += 12;
	}
	if (memcmp(a, t->u.net.addr, (size_t)whole))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		return (a[whole] & mask) == (t->u.net.addr[whole] & mask);
	}
	return true;
}

static bool m_addr(const struct filter_term *t, const struct filter_subject *s)
{
	return net_has(t, s->family, s->saddr) || net_has(t, s->family, s->daddr);
}

static bool m_laddr(const struct filter_term *t, const struct filter_subject *s)
{
	return net_has(t, s->family, s->saddr);
}

static bool m_raddr(const struct filter_term *t, const struct filter_subject *s)
{
	return net_has(t, s->family, s->daddr);
}

static bool m_uid(const struct filter_term *t, const struct filter_subject *s)
{
	return s->uid >= 0 && filter_nums_has(t, (uint64_t)s->uid);
}

/* A bare word, as htop's filter: the process name holds it, or an address
 * does (when it could be part of one), or it is the port or pid. */
static bool m_word(const struct filter_term *t, const struct filter_subject *s)
{
	const char *w = t->u.str;
	size_t n = strlen(w);
	char a[64];

	if (m_comm(t, s))
		return true;
	if (strspn(w, "0123456789") == n) {
		unsigned long v = strtoul(w, NULL, 10);

		if (v == s->lport || (s->rport && v == s->rport) || (s->pid && v == s->pid))
			return true;
	}
	if (strspn(w, "0123456789abcdefABCDEF.:") != n)
		return false;
	if (s->saddr && strcasestr(fmt_addr(a, sizeof(a), s->family, s->saddr), w))
		return true;
	return s->daddr && strcasestr(fmt_addr(a, sizeof(a), s->family, s->daddr), w);
}

static int parse_proto(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	if (!strcasecmp(arg, "tcp"))
		t->u.nums.v[0] = 6;
	else if (!strcasecmp(arg, "udp"))
		t->u.nums.v[0] = 17;
	else {
		snprintf(err, errsz, "proto: tcp or udp, not '%.20s'", arg);
		return -1;
	}
	t->u.nums.n = 1;
	return 0;
}

static bool m_proto(const struct filter_term *t, const struct filter_subject *s)
{
	return s->protocol == t->u.nums.v[0];
}

static bool m_errors(const struct filter_term *t, const struct filter_subject *s)
{
	(void)t;
	return s->err != 0;
}

/* The term table: add a line (and a matcher) for a new term. */
const struct filter_term_def filter_terms[] = {
	{ "port", "N[,N...]", "local or remote port", filter_arg_ports, m_port },
	{ "lport", "N[,N...]", "local port", filter_arg_ports, m_lport },
	{ "rport", "N[,N...]", "remote port", filter_arg_ports, m_rport },
	{ "pid", "N[,N...]", "owning process id", filter_arg_numbers, m_pid },
	{ "comm", "TEXT", "process name contains TEXT (any case)", filter_arg_string, m_comm },
	{ "state", "NAME[,NAME...]", "TCP state, any unique prefix: estab, listen, time",
	  parse_states, m_state },
	{ "addr", "IP[/BITS]", "local or remote address in the prefix (v4 or v6)", parse_net,
	  m_addr },
	{ "laddr", "IP[/BITS]", "local address in the prefix", parse_net, m_laddr },
	{ "raddr", "IP[/BITS]", "remote address in the prefix", parse_net, m_raddr },
	{ "cgroup", "NAME|#ID", "cgroup v2 path contains NAME (resolved when typed)",
	  filter_arg_cgroup, filter_match_cgroup },
	{ "netns", "NAME|INODE", "network namespace: its /run/netns name or inode",
	  filter_arg_netns, filter_match_netns },
	{ "container", "NAME", "container (or service) named from the cgroup contains NAME",
	  filter_arg_container, filter_match_cgroup },
	{ "uid", "N[,N...]", "user id of the process", filter_arg_numbers, m_uid },
	{ "proto", "tcp|udp", "protocol (binds are TCP or UDP)", parse_proto, m_proto },
	{ "errors", NULL, "failed binds and connects only", filter_arg_none, m_errors },
	{ "tx", ">N", "bytes sent (acknowledged): tx>10M (also >=, <, <=, =; K M G T)",
	  filter_arg_compare, filter_match_compare },
	{ "rx", ">N", "bytes received: rx>1G", filter_arg_compare, filter_match_compare },
	{ "rate", ">N", "bytes/s both ways over the last second: rate>1M", filter_arg_compare,
	  filter_match_compare },
	{ "txrate", ">N", "bytes/s sent: txrate>100K", filter_arg_compare, filter_match_compare },
	{ "rxrate", ">N", "bytes/s received: rxrate>100K", filter_arg_compare,
	  filter_match_compare },
	{ "rtt", ">T", "smoothed RTT: rtt>100ms (us, ms, s; bare: ms)", filter_arg_compare,
	  filter_match_compare },
	{ "retrans", ">N", "segments retransmitted: retrans>0", filter_arg_compare,
	  filter_match_compare },
	{ "cwnd", "<N", "congestion window in segments: cwnd<10", filter_arg_compare,
	  filter_match_compare },
	{ "delivery", ">N", "delivery rate, bytes/s (ss -ti): delivery>10M", filter_arg_compare,
	  filter_match_compare },
/* one a metric (bpf/metric_ids.h): name>N */
#define METRIC_TERM(id, name, title, kind, feature, help) \
	{ name, kind == METRIC_NS ? ">T" : ">N", help, filter_arg_compare, filter_match_compare },
	METRICS(METRIC_TERM)
#undef METRIC_TERM
		{ "text", "WORD",
		  "a bare WORD does this: name or address holds it, or port/pid is it",
		  filter_arg_string, m_word },
	{ NULL, NULL, NULL, NULL, NULL },
};

/* ---- parse / match ------------------------------------------------------ */

static const struct filter_term_def *term_find(const char *name, size_t n)
{
	for (const struct filter_term_def *d = filter_terms; d->name; d++)
		if (strlen(d->name) == n && !strncasecmp(d->name, name, n))
			return d;
	return NULL;
}

/* Next whitespace-separated token from *p: start offset and length. */
static bool next_token(const char *text, size_t *pos, size_t *start, size_t *len)
{
	size_t i = *pos;

	while (text[i] && isspace((unsigned char)text[i]))
		i++;
	if (!text[i])
		return false;
	*start = i;
	while (text[i] && !isspace((unsigned char)text[i]))
		i++;
	*len = i - *start;
	*pos = i;
	return true;
}

void filter_clear(struct filter *f)
{
	f->nterms = 0;
	f->text[0] = '\0';
}

int filter_parse(struct filter *f, const char *text, char *err, size_t errsz, int *errpos)
{
	struct filter nf = {
		.hide4 = f->hide4, .hide6 = f->hide6, .hide_tw = f->hide_tw, .names = f->names
	};
	size_t pos = 0, start, len, off = 0;
	char arg[FILTER_TEXT_LEN];

	*errpos = -1;
	if (strlen(text) >= sizeof(nf.text)) {
		snprintf(err, errsz, "filter too long (at most %zu bytes)", sizeof(nf.text) - 1);
		*errpos = 0;
		return -1;
	}
	while (next_token(text, &pos, &start, &len)) {
		const struct filter_term_def *d = term_find(text + start, len);
		struct filter_term *t = &nf.term[nf.nterms];
		size_t astart = start;
		size_t oplen = strcspn(text + start, "<>= \t");

		bool bare = false;

		const struct filter_term_def *cmp =
			!d && oplen && oplen < len ? term_find(text + start, oplen) : NULL;

		if (cmp && filter_is_compare(cmp)) {
			d = cmp; /* "rate>1M": the comparison is the argument */
			pos = start + oplen;
		} else if (!d) {
			/* not a term's name: a bare word, matched as htop does */
			d = term_find("text", 4);
			bare = true;
			pos = start;
		}
		if (nf.nterms == FILTER_MAX_TERMS) {
			snprintf(err, errsz, "at most %d terms", FILTER_MAX_TERMS);
			*errpos = (int)start;
			return -1;
		}
		t->def = d;
		t->names = f->names;
		arg[0] = '\0';
		if (d->arg) {
			size_t alen;

			if (!next_token(text, &pos, &astart, &alen)) {
				snprintf(err, errsz, "%s needs an argument: %s %s", d->name,
					 d->name, d->arg);
				*errpos = (int)start;
				return -1;
			}
			memcpy(arg, text + astart, alen);
			arg[alen] = '\0';
		}
		if (d->parse(t, d->arg ? arg : NULL, err, errsz)) {
			*errpos = (int)astart;
			return -1;
		}
		off += (size_t)snprintf(nf.text + off, sizeof(nf.text) - off, "%s%s%s%s",
					off ? " " : "", bare ? "" : d->name,
					d->arg && !bare ? " " : "", arg);
		if (off >= sizeof(nf.text))
			off = sizeof(nf.text) - 1;
		nf.nterms++;
	}
	*f = nf;
	return 0;
}

bool filter_match(const struct filter *f, const struct filter_subject *s)
{
	if ((f->hide4 && s->family == AF_INET) || (f->hide6 && s->family == AF_INET6))
		return false;
	if (f->hide_tw && s->state == TS_TIME_WAIT)
		return false;
	for (int i = 0; i < f->nterms; i++)
		if (!f->term[i].def->match(&f->term[i], s))
			return false;
	return true;
}

bool filter_active(const struct filter *f)
{
	return f->nterms || f->hide4 || f->hide6 || f->hide_tw;
}

/* A port term's tables, mirroring its matcher above (test_filter checks
 * that filter_table_match answers as filter_match does). */
static bool port_tables(const struct filter_term *t, struct filter_port_test *p)
{
	bool l = t->def->match == m_port || t->def->match == m_lport;
	bool r = t->def->match == m_port || t->def->match == m_rport;

	if (!l && !r)
		return false;
	p->use_l = l;
	p->use_r = r;
	for (uint32_t v = 0; v < 65536; v++) {
		uint64_t bit = (uint64_t)filter_nums_has(t, v) << (v % 64);

		if (l)
			p->l[v / 64] |= bit;
		if (r && (v || t->def->match == m_rport))
			p->r[v / 64] |= bit; /* m_port: a remote port 0 never holds */
	}
	return true;
}

struct filter_table *filter_table_new(const struct filter *f)
{
	struct filter_table *t;
	int nports = 0;

	for (int i = 0; i < f->nterms; i++) {
		const struct filter_term_def *d = f->term[i].def;

		if (d->match == m_port || d->match == m_lport || d->match == m_rport)
			nports++;
		else if (d->match != m_state)
			return NULL;
	}
	t = calloc(1, sizeof(*t) + (size_t)nports * sizeof(t->port[0]));
	if (!t)
		return NULL;
	for (int v = 0; v < 256; v++) {
		struct filter_subject s = { .family = (uint16_t)v, .state = v };

		t->family_ok[v] = !((f->hide4 && v == AF_INET) || (f->hide6 && v == AF_INET6));
		t->state_ok[v] = !(f->hide_tw && v == TS_TIME_WAIT);
		for (int i = 0; i < f->nterms; i++)
			if (f->term[i].def->match == m_state && !m_state(&f->term[i], &s))
				t->state_ok[v] = 0;
	}
	for (int i = 0; i < f->nterms; i++)
		if (port_tables(&f->term[i], &t->port[t->nports]))
			t->nports++;
	return t;
}

char *filter_describe(const struct filter *f, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s%s%s%s%s%s", f->text,
		 f->nterms && (f->hide4 || f->hide6 || f->hide_tw) ? " " : "",
		 f->hide4 ? "-v4" : "", f->hide4 && (f->hide6 || f->hide_tw) ? " " : "",
		 f->hide6 ? (f->hide_tw ? "-v6 " : "-v6") : "", f->hide_tw ? "-time_wait" : "");
	return out;
}
