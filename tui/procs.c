// SPDX-License-Identifier: GPL-2.0
/*
 * Per-process aggregation. Event counts live in a uthash by pid; rows are
 * rebuilt from the socket table (never stored in it) and sorted here.
 * Reads /proc only for what the pane shows (cgroup once per process, the
 * command line on demand), and never when replaying.
 */
#include "procs.h"

#include "container.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "filter.h"
#include "procinfo.h"
#include "rows.h"

#define STAT_KEEP_NS (60ULL * 1000000000ULL)

struct proc_stat {
	uint32_t pid;
	uint32_t pstart;		/* which process has the pid (event.h) */
	uint32_t uid;
	char comm[EVENT_COMM_LEN];
	char cgroup[PROCS_CGROUP_LEN];
	char container[PROCS_CONTAINER_LEN]; /* from the whole path (a long one's
					       * head names the pod) */
	bool cgroup_read;
	uint64_t connects, accepts, binds, errors;
	uint64_t sec;			/* second of the current buckets */
	uint32_t conn_cur, conn_prev, acc_cur, acc_prev;
	uint64_t last_ns;
	/* final counters of its sockets that ended */
	bool has_traffic;
	uint64_t tx_done, rx_done, retrans_done;
	long row;			/* index in rows during a rebuild, -1 */
	UT_hash_handle hh;
};

struct procs {
	bool live;
	struct cg_names *cgn;		/* cgroup id -> path */
	struct proc_stat *stats;
	struct proc_stat *last; /* the last one found: a stream's events come
				 * from a few processes, mostly the same one */
	uint32_t nstats;
	uint64_t stats_dropped;
	uint64_t pids_reused;
	uint64_t expired_ns; /* last procs_expire pass */
	struct proc_row *rows;
	size_t nrows, cap;
	uint64_t built_gen, built_sec, built_filter;
	bool built;
	enum procs_sort key;
	bool desc;
};

struct procs *procs_new(bool live)
{
	struct procs *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->live = live;
	p->key = PS_SOCKS;
	p->desc = true;
	p->cgn = cg_names_new();
	if (!p->cgn) {
		procs_free(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

void procs_free(struct procs *p)
{
	struct proc_stat *s, *ts;

	if (!p)
		return;
	HASH_ITER(hh, p->stats, s, ts) {
		HASH_DEL(p->stats, s);
		free(s);
	}
	cg_names_free(p->cgn);
	free(p->rows);
	free(p);
}

static struct proc_stat *stat_get(struct procs *p, uint32_t pid)
{
	struct proc_stat *s;

	if (p->last && p->last->pid == pid)
		return p->last;
	HASH_FIND(hh, p->stats, &pid, sizeof(pid), s);
	if (s)
		return p->last = s;
	if (p->nstats >= PROCS_MAX_STATS) {
		p->stats_dropped++;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->pid = pid;
	s->row = -1;
	HASH_ADD(hh, p->stats, pid, sizeof(s->pid), s);
	p->nstats++;
	return p->last = s;
}

/* The stat of process pid+pstart. The first start seen is adopted; a later
 * one means the pid went to a new process after the old one exited: the
 * stat (and its row in a rebuild) starts afresh. An earlier one is an
 * exited process: NULL, counted for nobody. */
static struct proc_stat *stat_of(struct procs *p, uint32_t pid, uint32_t pstart)
{
	struct proc_stat *s = stat_get(p, pid);
	long row;

	if (!s || !pstart || s->pstart == pstart)
		return s;
	if (!s->pstart) {
		s->pstart = pstart;
		return s;
	}
	if ((int32_t)(pstart - s->pstart) < 0) /* boot-time ms, mod 2^32 */
		return NULL;
	row = s->row;
	*s = (struct proc_stat){ .pid = pid, .pstart = pstart, .row = row, .hh = s->hh };
	if (row >= 0) {
		memset(&p->rows[row], 0, sizeof(p->rows[row]));
		p->rows[row].pid = pid;
		p->rows[row].pstart = pstart;
	}
	p->pids_reused++;
	return s;
}

/* Events made in the owner's own context: they say who holds the pid. */
static bool names_owner(const struct event *ev)
{
	if (ev->kind == EV_SNAP_OWNER)
		return true;
	return ev->kind == EV_STATE && ev->oldstate == TS_CLOSE &&
	       (ev->newstate == TS_SYN_SENT || ev->newstate == TS_LISTEN);
}

/* Two one-second buckets: the current one and the last full one. */
static void bucket_roll(struct proc_stat *s, uint64_t sec)
{
	if (sec == s->sec)
		return;
	if (sec == s->sec + 1) {
		s->conn_prev = s->conn_cur;
		s->acc_prev = s->acc_cur;
	} else {
		s->conn_prev = s->acc_prev = 0;
	}
	s->conn_cur = s->acc_cur = 0;
	s->sec = sec;
}

void procs_count(struct procs *p, const struct event *ev)
{
	struct proc_stat *s;

	/* a CONNECT_PORT record is the same attempt again, with its port */
	bool counted = (ev->kind == EV_CONNECT && !(ev->flags & CONNECT_PORT)) ||
		       ev->kind == EV_CONNECT_RET ||
		       ev->kind == EV_ACCEPT || ev->kind == EV_BIND;

	if ((!counted && !names_owner(ev)) || !ev->pid || !(s = stat_of(p, ev->pid, ev->pstart)))
		return;
	if (!counted) {
		s->uid = ev->uid;
		memcpy(s->comm, ev->comm, sizeof(s->comm));
		return;
	}
	if (ev->ts_ns / 1000000000ULL > s->sec)
		bucket_roll(s, ev->ts_ns / 1000000000ULL);
	s->uid = ev->uid;
	memcpy(s->comm, ev->comm, sizeof(s->comm));
	if (ev->ts_ns > s->last_ns)
		s->last_ns = ev->ts_ns;
	switch (ev->kind) {
	case EV_CONNECT:
		s->connects++;
		s->conn_cur++;
		break;
	case EV_CONNECT_RET:
		/* failures before any SYN never had an EV_CONNECT */
		if (ev->ret && ev->oldstate == TS_CLOSE) {
			s->connects++;
			s->conn_cur++;
		}
		if (ev->ret)
			s->errors++;
		break;
	case EV_ACCEPT:
		s->accepts++;
		s->acc_cur++;
		break;
	case EV_BIND:
		s->binds++;
		if (ev->ret)
			s->errors++;
		break;
	}
}

void procs_traffic_final(struct procs *p, const struct sock_entry *e)
{
	const struct sock_traffic *tr;
	struct proc_stat *s;

	/* the owner only: a socket shared after fork() counts once */
	if (!e->pid || (e->flags & SOCK_OWNER_LISTENER) || !(s = stat_of(p, e->pid, e->pstart)))
		return;
	tr = entry_traffic(e);
	s->has_traffic = true;
	s->tx_done += tr->tx;
	s->rx_done += tr->rx;
	s->retrans_done += tr->retrans;
	if (tr->sample_ns > s->last_ns)
		s->last_ns = tr->sample_ns; /* keeps the row a while */
	p->built = false;
}

static struct proc_row *row_for(struct procs *p, uint32_t pid, uint32_t pstart)
{
	struct proc_stat *s = stat_of(p, pid, pstart);
	struct proc_row *r;

	if (!s)
		return NULL;
	if (s->row >= 0)
		return &p->rows[s->row];
	if (p->nrows == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct proc_row *n = realloc(p->rows, cap * sizeof(*n));

		if (!n)
			return NULL;
		p->rows = n;
		p->cap = cap;
	}
	s->row = (long)p->nrows;
	r = &p->rows[p->nrows++];
	memset(r, 0, sizeof(*r));
	r->pid = pid;
	r->pstart = s->pstart;
	r->uid = s->uid;
	memcpy(r->comm, s->comm, sizeof(r->comm));
	return r;
}

static void add_socket(struct procs *p, const struct sock_entry *e, uint32_t pid, uint32_t pstart,
		       uint32_t uid, const char *comm)
{
	struct proc_row *r = row_for(p, pid, pstart);
	const struct sock_traffic *tr = entry_traffic(e);

	if (!r)
		return;
	if (!r->comm[0] && comm) {
		memcpy(r->comm, comm, sizeof(r->comm));
		r->uid = uid;
	}
	r->nsocks++;
	if (!r->netns)
		r->netns = e->netns;
	/* final counters count from the process's totals (procs_traffic_final) */
	if (traffic_known(tr) && !(tr->flags & TRAFFIC_FINAL)) {
		r->has_traffic = true;
		r->tx += tr->tx;
		r->rx += tr->rx;
		r->retrans += tr->retrans;
		r->tx_rate += traffic_more_of(tr)->tx_rate;
		r->rx_rate += traffic_more_of(tr)->rx_rate;
	}
	if (e->state < TS_MAX)
		r->by_state[e->state]++;
	if (e->state != TS_LISTEN)
		return;
	for (int i = 0; i < r->nlports; i++)
		if (r->lports[i] == e->lport)
			return;
	if (r->nlports < PROCS_MAX_LPORTS)
		r->lports[r->nlports++] = e->lport;
	else
		r->more_lports = true;
}

static bool in_owner_list(const struct sock_entry *e, uint32_t pid, uint32_t pstart)
{
	for (int i = 0; i < e->nowners && i < TABLE_MAX_OWNERS; i++)
		if (same_process(sock_owner(e, i)->pid, sock_owner(e, i)->pstart, pid, pstart))
			return true;
	return false;
}

/* Each distinct owner of an open socket gets it counted once. */
static void count_entry(struct procs *p, const struct table *t, const struct sock_entry *e)
{
	int n = e->nowners < TABLE_MAX_OWNERS ? e->nowners : TABLE_MAX_OWNERS;

	if (e->flags & SOCK_CLOSED)
		return;
	for (int i = 0; i < n; i++) {
		bool dup = false;

		for (int j = 0; j < i; j++)
			dup |= sock_owner(e, j)->pid == sock_owner(e, i)->pid;
		if (!dup && sock_owner(e, i)->pid)
			add_socket(p, e, sock_owner(e, i)->pid, sock_owner(e, i)->pstart, e->uid,
				   owner_comm(t, sock_owner(e, i)));
	}
	if (e->pid && !(e->flags & SOCK_OWNER_LISTENER) && !in_owner_list(e, e->pid, e->pstart))
		add_socket(p, e, e->pid, e->pstart, e->uid, entry_comm(t, e));
}

bool sock_owned_by(const struct sock_entry *e, uint32_t pid, uint32_t pstart)
{
	return in_owner_list(e, pid, pstart) ||
	       (same_process(e->pid, e->pstart, pid, pstart) && !(e->flags & SOCK_OWNER_LISTENER));
}

static int64_t row_cmp_key(const struct proc_row *a, const struct proc_row *b,
			   enum procs_sort key)
{
	switch (key) {
	case PS_PID: return (int64_t)a->pid - b->pid;
	case PS_USER: return (int64_t)a->uid - b->uid;
	case PS_COMM: return strncmp(a->comm, b->comm, sizeof(a->comm));
	case PS_CGROUP: return strcmp(a->cgroup, b->cgroup);
	case PS_LISTEN:
		return (int64_t)(a->nlports ? a->lports[0] : 0) - (b->nlports ? b->lports[0] : 0);
	case PS_SOCKS: return (int64_t)a->nsocks - b->nsocks;
	case PS_ESTAB:
		return (int64_t)a->by_state[TS_ESTABLISHED] - b->by_state[TS_ESTABLISHED];
	case PS_SYN:
		return (int64_t)(a->by_state[TS_SYN_SENT] + a->by_state[TS_SYN_RECV]) -
		       (b->by_state[TS_SYN_SENT] + b->by_state[TS_SYN_RECV]);
	case PS_CLOSE_WAIT:
		return (int64_t)a->by_state[TS_CLOSE_WAIT] - b->by_state[TS_CLOSE_WAIT];
	case PS_OTHER: return (int64_t)procs_row_other(a) - procs_row_other(b);
	case PS_CONN_S: return (int64_t)a->connects_s - b->connects_s;
	case PS_ACC_S: return (int64_t)a->accepts_s - b->accepts_s;
	case PS_BINDS: return (int64_t)a->binds - b->binds;
	case PS_ERRORS: return (int64_t)a->errors - b->errors;
	case PS_NETNS: return (int64_t)a->netns - b->netns;
	case PS_TX: return a->tx > b->tx ? 1 : a->tx < b->tx ? -1 : 0;
	case PS_RX: return a->rx > b->rx ? 1 : a->rx < b->rx ? -1 : 0;
	case PS_TX_S: return a->tx_rate > b->tx_rate ? 1 : a->tx_rate < b->tx_rate ? -1 : 0;
	case PS_RX_S: return a->rx_rate > b->rx_rate ? 1 : a->rx_rate < b->rx_rate ? -1 : 0;
	case PS_RETRANS: return a->retrans > b->retrans ? 1 : a->retrans < b->retrans ? -1 : 0;
	case PS_CONTAINER: return strcmp(a->container, b->container);
	default: return 0;
	}
}

static void sort_rows(struct procs *p)
{
	/* small n (processes with sockets): insertion sort, stable, no
	 * qsort context argument needed */
	for (size_t i = 1; i < p->nrows; i++) {
		struct proc_row tmp = p->rows[i];
		size_t j = i;

		while (j > 0) {
			int64_t c = row_cmp_key(&p->rows[j - 1], &tmp, p->key);

			if (!c)
				c = (int64_t)p->rows[j - 1].pid - tmp.pid;
			else if (p->desc)
				c = -c;
			if (c <= 0)
				break;
			p->rows[j] = p->rows[j - 1];
			j--;
		}
		p->rows[j] = tmp;
	}
}

uint32_t procs_row_other(const struct proc_row *r)
{
	return r->nsocks - r->by_state[TS_ESTABLISHED] - r->by_state[TS_LISTEN] -
	       r->by_state[TS_SYN_SENT] - r->by_state[TS_SYN_RECV] - r->by_state[TS_CLOSE_WAIT];
}

/* The process's cgroup (its tail, which names the unit) and the
 * container its whole path names */
static void cgroup_and_container(struct proc_stat *s)
{
	char full[512];
	size_t n;

	procinfo_cgroup(s->pid, full, sizeof(full));
	container_of_cgroup(full, s->container, sizeof(s->container));
	n = strlen(full);
	if (n >= sizeof(s->cgroup)) /* long paths keep their tail */
		memmove(full, full + n - (sizeof(s->cgroup) - 1), sizeof(s->cgroup));
	memcpy(s->cgroup, full, strlen(full) + 1);
}

void procs_rebuild(struct procs *p, const struct table *t, uint64_t now_ns,
		   const struct filter *f, uint64_t filter_gen)
{
	uint64_t sec = now_ns / 1000000000ULL, gen = table_generation(t);
	bool filtering = f && filter_active(f);
	struct filter_subject subj;
	struct proc_stat *s, *ts;

	if (p->built && gen == p->built_gen && sec == p->built_sec &&
	    filter_gen == p->built_filter)
		return;
	p->built = true;
	p->built_gen = gen;
	p->built_sec = sec;
	p->built_filter = filter_gen;
	p->nrows = 0;
	HASH_ITER(hh, p->stats, s, ts)
		s->row = -1;
	for (const struct sock_entry *e = table_first(t); e; e = table_next(e)) {
		if (filtering) {
			rows_subject(t, e, &subj);
			if (!filter_match(f, &subj))
				continue;
		}
		count_entry(p, t, e);
	}
	HASH_ITER(hh, p->stats, s, ts) {
		struct proc_row *r;

		/* with a filter, only processes holding matching sockets */
		if (s->row < 0 && filtering)
			continue;
		/* idle and holding nothing: gone like a closed socket */
		if (s->row < 0 && (now_ns < s->last_ns || now_ns - s->last_ns > PROCS_LINGER_NS)) {
			if (now_ns > s->last_ns && now_ns - s->last_ns > STAT_KEEP_NS) {
				if (p->last == s)
					p->last = NULL;
				HASH_DEL(p->stats, s);
				free(s);
				p->nstats--;
			}
			continue;
		}
		r = row_for(p, s->pid, s->pstart);
		if (!r)
			continue;
		if (!r->comm[0])
			memcpy(r->comm, s->comm, sizeof(r->comm));
		if (p->live && !s->cgroup_read) {
			if (procinfo_is(s->pid, s->pstart)) /* not another process's */
				cgroup_and_container(s);
			s->cgroup_read = true;
		}
		memcpy(r->cgroup, s->cgroup, sizeof(r->cgroup));
		memcpy(r->container, s->container, sizeof(r->container));
		r->has_traffic |= s->has_traffic;
		r->tx += s->tx_done;
		r->rx += s->rx_done;
		r->retrans += s->retrans_done;
		r->connects = s->connects;
		r->accepts = s->accepts;
		r->binds = s->binds;
		r->errors = s->errors;
		r->last_ns = s->last_ns;
		/* the last full second before now */
		r->connects_s = sec == s->sec ? s->conn_prev : sec == s->sec + 1 ? s->conn_cur : 0;
		r->accepts_s = sec == s->sec ? s->acc_prev : sec == s->sec + 1 ? s->acc_cur : 0;
	}
	sort_rows(p);
}

void procs_set_sort(struct procs *p, enum procs_sort key, bool desc)
{
	p->key = key < PS_MAX ? key : PS_SOCKS;
	p->desc = desc;
	p->built = false;
}

enum procs_sort procs_sort_key(const struct procs *p)
{
	return p->key;
}

bool procs_sort_desc(const struct procs *p)
{
	return p->desc;
}

const struct proc_row *procs_rows(const struct procs *p, size_t *n)
{
	*n = p->nrows;
	return p->rows;
}

const struct proc_row *procs_find(const struct procs *p, uint32_t pid)
{
	for (size_t i = 0; i < p->nrows; i++)
		if (p->rows[i].pid == pid)
			return &p->rows[i];
	return NULL;
}


void procs_bounds(const struct procs *p, struct procs_bounds *out)
{
	out->nstats = p->nstats;
	out->stats_dropped = p->stats_dropped;
	out->cgroup_flushes = cg_names_flushes(p->cgn);
	out->pids_reused = p->pids_reused;
}

void procs_expire(struct procs *p, const struct table *t, uint64_t now_ns)
{
	if (p->expired_ns && now_ns - p->expired_ns < PROCS_EXPIRE_NS && now_ns >= p->expired_ns)
		return;
	p->expired_ns = now_ns;
	/* a rebuild without a filter forgets them; the pane, with its own
	 * filter generation, rebuilds its rows on its next frame */
	procs_rebuild(p, t, now_ns, NULL, UINT64_MAX);
}

const char *procs_cgroup_name(struct procs *p, uint64_t id)
{
	return cg_names_get(p->cgn, id, p->live);
}
