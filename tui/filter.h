/* SPDX-License-Identifier: GPL-2.0 */
/*
 * View filters typed at the prompt ("port 443 state estab addr 10.0.0.0/8")
 * and the 4/6 family toggles. Filters only hide rows; they never touch the
 * model. Terms are table-driven: a new term is one entry in filter.c's
 * term table plus a match function (and usually one of the stock parsers
 * below). Every view that filters fills a struct filter_subject.
 */
#ifndef SOCKTOP_FILTER_H
#define SOCKTOP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FILTER_MAX_TERMS 16
#define FILTER_MAX_VALUES 16
#define FILTER_TEXT_LEN 256
#define FILTER_STR_LEN 64

/* What a filter can look at: one row of any view, flattened. Views fill
 * what they have; unknown fields stay 0 / NULL and simply never match a
 * term that needs them. */
struct filter_subject {
	uint16_t family;   /* AF_INET, AF_INET6 */
	uint16_t protocol; /* IPPROTO_TCP, IPPROTO_UDP, 0 = unknown */
	uint16_t lport, rport;
	int state; /* TCP_* (enum tcp_state), -1 = none */
	uint32_t pid;
	int64_t uid;	  /* -1 = unknown */
	const char *comm; /* raw bytes, up to comm_len, may lack NUL */
	size_t comm_len;
	const uint8_t *saddr; /* 16 bytes, IPv4 in the first 4; NULL = none */
	const uint8_t *daddr;
	uint64_t cgroup_id;		    /* 0 = unknown */
	uint32_t netns;			    /* network namespace inode, 0 = unknown */
	int32_t err;			    /* 0 or -errno (failed bind/connect) */
	const struct sock_traffic *traffic; /* the kernel's counters, NULL: none */
	const struct sock_metrics *metrics; /* per-socket metrics, NULL: none */
	const void *ext;		    /* view-specific, for terms that need more */
};

/* One parsed term; which union member is used is the term's business. */
struct nsnames;

struct sock_traffic;
struct sock_metrics;

struct filter_term {
	const struct filter_term_def *def;
	const struct nsnames *names; /* the filter's, for terms that resolve names */
	union {
		struct {
			int n;
			uint64_t v[FILTER_MAX_VALUES];
		} nums;			  /* port, pid, uid lists */
		char str[FILTER_STR_LEN]; /* comm, cgroup, proto */
		struct {
			int n;
			int v[FILTER_MAX_VALUES];
		} states;
		struct {
			uint16_t family;
			uint8_t bits;
			uint8_t addr[16];
		} net; /* addr PREFIX */
		struct {
			int op, field;
			uint64_t v;
		} cmp; /* rate>1M (filter_traffic.c) */
	} u;
};

struct filter_term_def {
	const char *name; /* what the user types: "port" */
	const char *arg;  /* argument syntax for help: "N[,N...]", NULL = none */
	const char *help; /* one line */
	/* Parse arg (NULL when def->arg is NULL) into t->u: 0, or -1 with a
	 * short message in err (no position; the caller adds it). */
	int (*parse)(struct filter_term *t, const char *arg, char *err, size_t errsz);
	bool (*match)(const struct filter_term *t, const struct filter_subject *s);
};

struct filter {
	int nterms;
	struct filter_term term[FILTER_MAX_TERMS];
	char text[FILTER_TEXT_LEN];  /* normalised, for the header */
	bool hide4, hide6;	     /* family toggles (keys 4 and 6) */
	bool hide_tw;		     /* TIME_WAIT hidden (key w): they can bury the rest */
	const struct nsnames *names; /* namespace names "netns NAME" knows, NULL: none */
};

/* Parse text (terms separated by spaces, ANDed) into f; the family toggles
 * are kept. On error f is unchanged, -1 is returned, err holds a message
 * and *errpos the byte offset of the bad term in text. Empty text clears. */
int filter_parse(struct filter *f, const char *text, char *err, size_t errsz, int *errpos);
void filter_clear(struct filter *f); /* terms only */
bool filter_match(const struct filter *f, const struct filter_subject *s);
bool filter_active(const struct filter *f);
/*
 * A filter whose terms read only ports and state (and the family and
 * TIME_WAIT toggles) as lookup tables: a row's answer from its family,
 * state and ports without a call a term, for passes over a million rows
 * (the rows index, a new filter). filter_table_new: NULL when f has
 * another term, or -ENOMEM (errno); free() it.
 */
struct filter_table {
	uint8_t family_ok[256], state_ok[256]; /* by family (0: other), state */
	int nports;
	struct filter_port_test {
		bool use_l, use_r;		       /* the term reads lport, rport */
		uint64_t l[65536 / 64], r[65536 / 64]; /* by port: the term holds */
	} port[];
};

struct filter_table *filter_table_new(const struct filter *f);

static inline bool filter_table_match(const struct filter_table *t, uint8_t family, uint8_t state,
				      uint16_t lport, uint16_t rport)
{
	unsigned ok = t->family_ok[family] & t->state_ok[state];

	for (int i = 0; i < t->nports; i++) {
		const struct filter_port_test *p = &t->port[i];

		ok &= (unsigned)((p->use_l & (p->l[lport / 64] >> (lport % 64))) |
				 (p->use_r & (p->r[rport / 64] >> (rport % 64))));
	}
	return ok & 1;
}
/* "port 443 -v6" style summary for the header; returns out. */
char *filter_describe(const struct filter *f, char *out, size_t outsz);

/* The term table (for help and completion), NULL-name terminated. */
extern const struct filter_term_def filter_terms[];

/* Stock parsers a term can use. */
int filter_arg_ports(struct filter_term *t, const char *arg, char *err, size_t errsz);
int filter_arg_numbers(struct filter_term *t, const char *arg, char *err, size_t errsz);
int filter_arg_string(struct filter_term *t, const char *arg, char *err, size_t errsz);
int filter_arg_none(struct filter_term *t, const char *arg, char *err, size_t errsz);
/* cgroup NAME|#ID (filter_cgroup.c): ids of the matching cgroups. */
int filter_arg_cgroup(struct filter_term *t, const char *arg, char *err, size_t errsz);
bool filter_match_cgroup(const struct filter_term *t, const struct filter_subject *s);
/* netns NAME|INODE, container NAME (filter_netns.c) */
int filter_arg_netns(struct filter_term *t, const char *arg, char *err, size_t errsz);
bool filter_match_netns(const struct filter_term *t, const struct filter_subject *s);
int filter_arg_container(struct filter_term *t, const char *arg, char *err, size_t errsz);
/* counter comparisons: rate>1M, rtt>100ms (filter_traffic.c) */
int filter_arg_compare(struct filter_term *t, const char *arg, char *err, size_t errsz);
bool filter_match_compare(const struct filter_term *t, const struct filter_subject *s);
bool filter_is_compare(const struct filter_term_def *d);
/* True when v is in t->u.nums. */
bool filter_nums_has(const struct filter_term *t, uint64_t v);

#endif
