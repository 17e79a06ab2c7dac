// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* TCP state changes from sock/inet_sock_set_state, attached as a BTF
 * tracepoint: the program reads the socket through its BTF pointer (plain
 * loads), and the kernel fills no trace record for it. The fields are the
 * ones the classic tracepoint's record holds, read from the same places.
 * Capture filters (-L, -D, -4, -6) are applied here, before anything is
 * reserved in the ring.
 * At a connection's CLOSE it also takes the socket's final counters (an
 * EV_TRAFFIC with TRAFFIC_FINAL, in the same ring record): the feature
 * "traffic" turns that on once its own programs are in, and a second
 * program on this tracepoint would cost every transition its call.
 * An IPv4 transition in the context of the task of this CPU's last full
 * record goes as the short record (struct ring_state4, event.h): the
 * reader takes the task from that record.
 * With the connects feature on, it also sends a connect's SYN (EV_CONNECT)
 * and its outcome (EV_CONNECT_RET), right after the transition's own event
 * and in the same ring record (one reservation, not two): one program
 * here, not two. */
#include "connects.bpf.h"
#include "tcp_counters.bpf.h"

#define ECONNABORTED 103

const volatile __u16 lports[PORT_LIST_MAX] = {};
const volatile __u32 nlports = 0;
const volatile __u16 rports[PORT_LIST_MAX] = {};
const volatile __u32 nrports = 0;
const volatile __u16 only_family = 0;
/* the socket's cgroup: for the UI's column and recordings, not streams */
const volatile bool want_cgroup = true;
/* set by user space (feat_traffic.c) once the traffic feature runs */
volatile bool final_counters = false;
/* set by user space (feat_conns.c) once the connects feature's syscall
 * programs run: they fill the pending map this program reads */
volatile bool connects_on = false;
/* the connects feature's destination ports (tcpconnect's -P in its
 * stream, else -D); its local ports and family are the ones above */
const volatile __u16 conn_rports[PORT_LIST_MAX] = {};
const volatile __u32 nconn_rports = 0;

/* the task of the last full EV_STATE put in this CPU's ring */
struct last_task {
	struct task_ids t;
	__u64 known;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct last_task);
} last_task SEC(".maps");

static __always_inline bool same_task(const struct last_task *l, const struct task_ids *t)
{
	return l && l->known && l->t.pid == t->pid && l->t.tid == t->tid && l->t.uid == t->uid &&
	       l->t.pstart == t->pstart && l->t.comm[0] == t->comm[0] && l->t.comm[1] == t->comm[1];
}

/* The short record: what a lifecycle needs each time (the reader has
 * the task, and the socket's cgroup from its first event) */
static __always_inline void emit_short(const struct sock *sk, const struct inet_sock *inet,
				       int oldstate, int newstate, __u16 lport, __u16 rport)
{
	struct ring_state4 *s = ring_reserve_size(1, sizeof(*s));

	if (!s)
		return;
	s->skaddr = (__u64)sk;
	s->kind = RING_STATE4;
	s->lport = lport;
	s->rport = rport;
	s->oldstate = (__u8)oldstate;
	s->newstate = (__u8)newstate;
	s->netns = sk->__sk_common.skc_net.net->ns.inum;
	__builtin_memcpy(s->saddr, &inet->inet_saddr, 4);
	__builtin_memcpy(s->daddr, &sk->__sk_common.skc_daddr, 4);
	event_submit((struct event *)s);
}

/* What goes with a transition's event in its ring record: nothing, the
 * socket's final counters, or the connects feature's SYN or outcome (one
 * reservation for both, where two records cost two) */
enum rider { RIDE_NONE, RIDE_FINAL, RIDE_CONNECT, RIDE_OUTCOME };

/* A connect attempt's event (EV_CONNECT or EV_CONNECT_RET) for the
 * socket, in plain loads: its fields as conns.bpf.c's sk_endpoints reads
 * them. The outcome's task is the attempt's (the handshake may end in
 * softirq, in anyone's context); the SYN's is the current one, stored in
 * the attempt just before. */
static __always_inline void fill_attempt(struct event *f, const struct sock *sk,
					 const struct inet_sock *inet, const struct attempt *a,
					 __u16 family, __u16 lport, __u16 rport, bool outcome,
					 __s32 ret)
{
	f->kind = outcome ? EV_CONNECT_RET : EV_CONNECT;
	f->skaddr = (__u64)sk;
	f->pid = a->pid;
	f->tid = a->tid;
	f->uid = a->uid;
	f->pstart = a->pstart;
	__builtin_memcpy(f->comm, a->comm, sizeof(f->comm));
	f->protocol = IPPROTO_TCP;
	f->family = family;
	/* inet_sport outlives skc_num, which unhashing clears before the
	 * move to CLOSE is traced (6.18) */
	f->lport = lport ? lport : sk->__sk_common.skc_num;
	f->rport = rport;
	if (family == AF_INET) {
		__builtin_memcpy(f->saddr, &sk->__sk_common.skc_rcv_saddr, 4);
		__builtin_memcpy(f->daddr, &sk->__sk_common.skc_daddr, 4);
	} else {
		__builtin_memcpy(f->saddr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		__builtin_memcpy(f->daddr, &sk->__sk_common.skc_v6_daddr, 16);
	}
	f->cgroup_id = sk_cgroup_id_btf((struct sock *)sk);
	f->netns = sk->__sk_common.skc_net.net->ns.inum;
	if (outcome) {
		/* the state as the socket has it while the move is traced */
		f->newstate = sk->__sk_common.skc_state;
		f->oldstate = TCP_SYN_SENT;
		f->ret = ret;
		f->aux = f->ts_ns > a->ts_ns ? f->ts_ns - a->ts_ns : 0;
	} else {
		f->newstate = TCP_SYN_SENT;
		f->ret = a->fd;
		f->aux = a->ts_ns; /* when connect() was entered */
	}
}

/* The record for one transition: the state event, and the rider's event
 * after it (rider is a constant at each call: the record's size must be
 * known to the verifier). */
static __always_inline void emit(const struct sock *sk, struct tcp_sock *tp,
				 const struct task_ids *t, int oldstate, int newstate, __u16 family,
				 __u16 lport, __u16 rport, const enum rider rider,
				 const struct attempt *a, __s32 ret)
{
	const struct inet_sock *inet = &tp->inet_conn.icsk_inet;
	/* a lifecycle's first event names its cgroup (for the column and
	 * the cgroup filter term); later ones need not pay the reads */
	bool first = want_cgroup && (oldstate == TCP_CLOSE || newstate == TCP_SYN_RECV);
	__u32 zero = 0;
	struct last_task *last = bpf_map_lookup_elem(&last_task, &zero);
	struct event *e;

	if (rider == RIDE_NONE && !first && family == AF_INET && same_task(last, t)) {
		emit_short(sk, inet, oldstate, newstate, lport, rport);
		return;
	}
	e = ring_reserve(rider != RIDE_NONE ? 2 : 1);
	if (!e)
		return;
	/* only once it is in the ring: the reader follows the ring */
	if (last) {
		last->t = *t;
		last->known = 1;
	}
	e->kind = EV_STATE;
	event_set_task(e, t);
	e->skaddr = (__u64)sk;
	e->family = family;
	e->protocol = IPPROTO_TCP;
	e->lport = lport;
	e->rport = rport;
	e->oldstate = (__u8)oldstate;
	e->newstate = (__u8)newstate;
	/* the namespace's inode, as sk_netns() reads it, in plain loads */
	e->netns = sk->__sk_common.skc_net.net->ns.inum;
	if (first)
		e->cgroup_id = sk_cgroup_id_btf((struct sock *)sk);
	if (family == AF_INET) {
		__builtin_memcpy(e->saddr, &inet->inet_saddr, 4);
		__builtin_memcpy(e->daddr, &sk->__sk_common.skc_daddr, 4);
	} else {
		__builtin_memcpy(e->saddr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		__builtin_memcpy(e->daddr, &sk->__sk_common.skc_v6_daddr, 16);
	}
	if (rider == RIDE_FINAL) {
		struct event *f = e + 1;

		/* the socket's fields as the state event has them; no task */
		__builtin_memcpy(f, e, __builtin_offsetof(struct event, comm));
		f->pid = f->tid = f->uid = 0;
		f->kind = EV_TRAFFIC;
		f->netns = e->netns;
		fill_counters(f, tp);
		f->tcpi.tr_flags |= TRAFFIC_FINAL;
	} else if (rider == RIDE_CONNECT || rider == RIDE_OUTCOME) {
		struct event *f = e + 1;

		f->ts_ns = e->ts_ns;
		fill_attempt(f, sk, inet, a, family, lport, rport, rider == RIDE_OUTCOME, ret);
	}
	event_submit(e);
}

/* An attempt's event in a record of its own: the transition's event was
 * filtered out, or went with the final counters */
static __always_inline void emit_attempt(const struct sock *sk, const struct tcp_sock *tp,
					 const struct attempt *a, __u16 family, __u16 lport,
					 __u16 rport, bool outcome, __s32 ret)
{
	struct event *f = ring_reserve(1);

	if (f) {
		fill_attempt(f, sk, &tp->inet_conn.icsk_inet, a, family, lport, rport, outcome,
			     ret);
		event_submit(f);
	}
}

/* connect() sent its SYN: the attempt is real, in the owner's context.
 * Fills *a and stores it for the outcome; false if this is no attempt
 * the connects feature reports. */
static __always_inline bool connect_started(const struct sock *skp, const struct task_ids *t,
					    __u16 family, __u16 sport, __u16 dport,
					    struct attempt *a)
{
	__u32 tid = t->tid;
	struct pending *p;
	__u64 sk = (__u64)skp;

	/* this thread is inside connect(): this is its socket */
	p = thread_slot(&pending, tid);
	if (!p || p->started)
		return false;
	if ((only_family && family != only_family) || !port_in(lports, nlports, sport) ||
	    !port_in(conn_rports, nconn_rports, dport) || !sk_cgroup_ok((void *)sk)) {
		thread_slot_free(p);
		return false;
	}
	p->started = 1;
	p->sk = sk;
	a->ts_ns = p->ts_ns;
	a->fd = p->fd;
	a->pid = t->pid;
	a->tid = t->tid;
	a->uid = t->uid;
	a->pstart = t->pstart;
	__builtin_memcpy(a->comm, t->comm, sizeof(a->comm));
	if (bpf_map_update_elem(&attempts, &sk, a, BPF_ANY))
		count(CNT_MAP_FULL);
	return true;
}

/* The handshake ended: established, reset (refused), timed out, aborted.
 * Takes the attempt out into *a, with connect()'s result in *ret; false
 * if there is none, or another CPU decided it. */
static __always_inline bool connect_ended(const struct sock *skp, int newstate, struct attempt *a,
					  __s32 *ret)
{
	__u64 sk = (__u64)skp;
	struct attempt *ap;
	int err;

	ap = bpf_map_lookup_elem(&attempts, &sk);
	if (!ap)
		return false;
	*a = *ap;
	if (bpf_map_delete_elem(&attempts, &sk))
		return false; /* another CPU decided it */
	*ret = 0;
	if (newstate != TCP_ESTABLISHED) {
		/* tcp_done_with_error() stores sk_err before the move to
		 * CLOSE (ECONNREFUSED on reset, ETIMEDOUT or the ICMP error
		 * on timeout); none means close() gave up the attempt */
		err = skp->sk_err;
		*ret = err > 0 ? -err : -ECONNABORTED;
	}
	return true;
}

/* The capture filters' verdict on a transition's socket */
static __always_inline bool state_wanted(const struct sock *sk, __u16 family, __u16 lport,
					 __u16 rport)
{
	if (only_family && family != only_family)
		return false;
	if (!port_in(lports, nlports, lport) || !port_in(rports, nrports, rport))
		return false;
	return sk_cgroup_ok(sk); /* --cgroup: the socket's cgroup, softirq too */
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(handle_set_state, const struct sock *sk, const int oldstate, const int newstate)
{
	/* NULL unless a full TCP socket (SCTP fires this tracepoint too);
	 * its inet part holds the source address and port the record has */
	struct tcp_sock *tp = bpf_skc_to_tcp_sock((void *)sk);
	enum rider rider = RIDE_NONE;
	struct task_ids t;
	struct attempt a;
	__u16 family, lport, rport;
	__s32 ret = 0;
	bool wanted;

	if (!tp)
		return 0;
	family = sk->__sk_common.skc_family;
	lport = bpf_ntohs(tp->inet_conn.icsk_inet.inet_sport);
	rport = bpf_ntohs(sk->__sk_common.skc_dport);
	wanted = state_wanted(sk, family, lport, rport);
	if (!wanted && !connects_on)
		return 0;
	task_ids_now(&t);
	/* the connects feature's part, with its own filters (its
	 * destination ports may be others): a SYN sent, or the end of a
	 * handshake */
	if (connects_on && oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT) {
		if (connect_started(sk, &t, family, lport, rport, &a))
			rider = RIDE_CONNECT;
	} else if (connects_on && oldstate == TCP_SYN_SENT) {
		if (connect_ended(sk, newstate, &a, &ret))
			rider = RIDE_OUTCOME;
	}
	if (!wanted) {
		if (rider != RIDE_NONE)
			emit_attempt(sk, tp, &a, family, lport, rport, rider == RIDE_OUTCOME, ret);
		return 0;
	}
	/* a connection's end (not a listener's, nor a socket that never
	 * left CLOSE) takes its final counters along; an outcome then
	 * goes in a record of its own */
	if (final_counters && newstate == TCP_CLOSE && oldstate != TCP_LISTEN &&
	    oldstate != TCP_CLOSE) {
		emit(sk, tp, &t, oldstate, newstate, family, lport, rport, RIDE_FINAL, &a, ret);
		if (rider != RIDE_NONE)
			emit_attempt(sk, tp, &a, family, lport, rport, rider == RIDE_OUTCOME, ret);
	} else if (rider == RIDE_CONNECT) {
		emit(sk, tp, &t, oldstate, newstate, family, lport, rport, RIDE_CONNECT, &a, ret);
	} else if (rider == RIDE_OUTCOME) {
		emit(sk, tp, &t, oldstate, newstate, family, lport, rport, RIDE_OUTCOME, &a, ret);
	} else {
		emit(sk, tp, &t, oldstate, newstate, family, lport, rport, RIDE_NONE, &a, ret);
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
