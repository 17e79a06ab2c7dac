// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Who connects and who accepts, and how each connect ends. Syscall
 * tracepoints name the process (connect, accept, accept4); the socket
 * behind their fd is found by walking the task's fd table, so events carry
 * the same skaddr as the state tracepoint. The outcome of a connect is
 * decided once per attempt (the map entry is deleted by whoever sees the
 * end first): the handshake's end on sock/inet_sock_set_state, or an error
 * returned by connect() before any SYN was sent.
 */
#include "common.bpf.h"
#include <bpf/bpf_endian.h>

#define IPPROTO_TCP 6
#define SOCK_STREAM 1
#define EINTR 4
#define EISCONN 106
#define ECONNABORTED 103
#define EALREADY 114
#define EINPROGRESS 115
#define ERESTARTSYS 512
#define ERESTART_RESTARTBLOCK 516
#define S_IFMT 00170000
#define S_IFSOCK 0140000

const volatile __u16 lports[PORT_LIST_MAX] = {};
const volatile __u32 nlports = 0;
const volatile __u16 rports[PORT_LIST_MAX] = {};
const volatile __u32 nrports = 0;
const volatile __u16 only_family = 0;
const volatile __u32 filter_pid = 0;	/* tgid, 0 = any */
const volatile __u32 filter_uid_on = 0;
const volatile __u32 filter_uid = 0;

/* a connect() in flight on this thread: its socket and destination */
struct pending {
	__u64 sk;
	__u64 ts_ns;
	__s32 fd;
	__u32 started;	/* the SYN went out: the state change decides */
	__u16 family, dport;
	__u8 daddr[16];
};

/* a connect attempt whose outcome is not known yet, by socket */
struct attempt {
	__u64 ts_ns;
	__u32 pid, tid, uid;
	__s32 fd;
	char comm[EVENT_COMM_LEN];
};

/* Plain preallocated hashes: an LRU update costs several times more on
 * this hot path. Entries cannot leak: every connect() returns (its entry
 * is deleted or overwritten by the thread's next one) and every SYN_SENT
 * socket leaves SYN_SENT; when full, attribution degrades, nothing else. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct pending);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct attempt);
} attempts SEC(".maps");

static __always_inline bool task_ok(void)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (filter_pid && (__u32)(id >> 32) != filter_pid)
		return false;
	if (filter_uid_on && (__u32)bpf_get_current_uid_gid() != filter_uid)
		return false;
	return true;
}

/* The TCP socket behind fd in the current task, or NULL. */
static __always_inline struct sock *fd_to_tcp_sk(int fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;
	struct socket *sock;
	struct sock *sk;
	__u16 family;

	if (!fdt || fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return NULL;
	if ((BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP ||
	    BPF_CORE_READ(sk, sk_type) != SOCK_STREAM)
		return NULL;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return NULL;
	return sk;
}

/* Addresses and ports of a socket as the state tracepoint reports them. */
static __always_inline void sk_endpoints(struct event *e, struct sock *sk)
{
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	/* inet_sport outlives skc_num, which unhashing clears before the
	 * move to CLOSE is traced (6.18) */
	e->lport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	if (!e->lport)
		e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	e->newstate = BPF_CORE_READ(sk, __sk_common.skc_state);
	if (e->family == AF_INET) {
		bpf_core_read(e->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(e->daddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_core_read(e->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(e->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

static __always_inline bool endpoints_ok(__u16 family, __u16 lport, __u16 rport)
{
	if (only_family && family != only_family)
		return false;
	return port_in(lports, nlports, lport) && port_in(rports, nrports, rport);
}

SEC("tracepoint/syscalls/sys_enter_connect")
int handle_enter_connect(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending p = {};

	if (!task_ok())
		return 0;
	/* cheap here, on every connect() of any kind: which socket it is
	 * is learnt at the SYN (in this thread's context), or for an early
	 * failure at the return; only then is the fd table walked */
	p.fd = (__s32)ctx->args[0];
	/* the destination as asked: a connect that fails before the SYN
	 * never stores it in the socket */
	if (bpf_probe_read_user(&p.family, sizeof(p.family), (void *)ctx->args[1]) ||
	    bpf_probe_read_user(&p.dport, sizeof(p.dport), (void *)(ctx->args[1] + 2)))
		return 0;
	p.dport = bpf_ntohs(p.dport);
	if (p.family == AF_INET)
		bpf_probe_read_user(p.daddr, 4, (void *)(ctx->args[1] + 4));
	else if (p.family == AF_INET6)
		bpf_probe_read_user(p.daddr, 16, (void *)(ctx->args[1] + 8));
	else
		return 0; /* AF_UNSPEC (a disconnect), AF_UNIX...: not TCP */
	p.ts_ns = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&pending, &tid, &p, BPF_ANY))
		count(CNT_MAP_FULL);
	return 0;
}

/* connect() sent its SYN: the attempt is real, in the owner's context. */
static __always_inline void connect_started(const struct sock *skp, const struct tcp_sock *tp)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct attempt a = {};
	struct pending *p;
	struct event *e;
	__u64 sk = (__u64)skp;
	__u16 family = skp->__sk_common.skc_family;
	__u16 sport = bpf_ntohs(tp->inet_conn.icsk_inet.inet_sport);
	__u16 dport = bpf_ntohs(skp->__sk_common.skc_dport);

	/* this thread is inside connect(): this is its socket */
	p = bpf_map_lookup_elem(&pending, &tid);
	if (!p || p->started)
		return;
	if (!endpoints_ok(family, sport, dport) || !sk_cgroup_ok((void *)sk)) {
		bpf_map_delete_elem(&pending, &tid);
		return;
	}
	p->started = 1;
	p->sk = sk;
	a.ts_ns = p->ts_ns;
	a.fd = p->fd;
	a.pid = id >> 32;
	a.tid = tid;
	a.uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(a.comm, sizeof(a.comm));
	if (bpf_map_update_elem(&attempts, &sk, &a, BPF_ANY))
		count(CNT_MAP_FULL);
	e = event_reserve(EV_CONNECT);
	if (!e)
		return;
	e->skaddr = sk;
	e->protocol = IPPROTO_TCP;
	sk_endpoints(e, (struct sock *)sk);
	e->newstate = TCP_SYN_SENT;
	e->ret = a.fd;
	e->cgroup_id = sk_cgroup_id((void *)sk);
	e->netns = sk_netns((void *)sk);
	e->aux = a.ts_ns; /* when connect() was entered */
	event_submit(e);
}

/* from: TCP_SYN_SENT when the handshake ended, TCP_CLOSE when connect()
 * failed before sending any SYN */
static __always_inline void emit_outcome(__u64 sk, struct attempt *a, __s32 ret, __u8 from)
{
	struct event *e = event_reserve(EV_CONNECT_RET);

	if (!e)
		return;
	e->skaddr = sk;
	e->pid = a->pid;
	e->tid = a->tid;
	e->uid = a->uid;
	__builtin_memcpy(e->comm, a->comm, sizeof(e->comm));
	e->protocol = IPPROTO_TCP;
	sk_endpoints(e, (struct sock *)sk);
	e->ret = ret;
	e->oldstate = from;
	e->cgroup_id = sk_cgroup_id((void *)sk);
	e->netns = sk_netns((void *)sk);
	e->aux = e->ts_ns > a->ts_ns ? e->ts_ns - a->ts_ns : 0;
	event_submit(e);
}

/* The handshake ended: established, reset (refused), timed out, aborted. */
static __always_inline void connect_ended(const struct sock *skp, int newstate)
{
	__u64 sk = (__u64)skp;
	struct attempt *ap, a;
	__s32 ret = 0;
	int err;

	ap = bpf_map_lookup_elem(&attempts, &sk);
	if (!ap)
		return;
	a = *ap;
	if (bpf_map_delete_elem(&attempts, &sk))
		return; /* another CPU decided it */
	if (newstate != TCP_ESTABLISHED) {
		/* tcp_done_with_error() stores sk_err before the move to
		 * CLOSE (ECONNREFUSED on reset, ETIMEDOUT or the ICMP error
		 * on timeout); none means close() gave up the attempt */
		err = BPF_CORE_READ((struct sock *)sk, sk_err);
		ret = err > 0 ? -err : -ECONNABORTED;
	}
	emit_outcome(sk, &a, ret, TCP_SYN_SENT);
}

/* A BTF tracepoint, as the state program's: no trace record is filled
 * for it on every transition of the host */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(handle_conn_state, const struct sock *sk, const int oldstate, const int newstate)
{
	struct tcp_sock *tp;

	if (oldstate != TCP_CLOSE && oldstate != TCP_SYN_SENT)
		return 0;
	tp = bpf_skc_to_tcp_sock((void *)sk); /* NULL unless TCP */
	if (!tp)
		return 0;
	if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT)
		connect_started(sk, tp);
	else if (oldstate == TCP_SYN_SENT)
		connect_ended(sk, newstate);
	return 0;
}

/* The local port of a socket still in SYN_SENT, for the rows of
 * connects that never get an answer (the SYN_SENT event came before the
 * port was picked). One record per non-blocking connect; blocking ones
 * return after the handshake, whose events carry the port. */
static __always_inline void port_known(const struct pending *p)
{
	struct sock *sk = (struct sock *)p->sk;
	struct event *e;

	if (BPF_CORE_READ(sk, __sk_common.skc_state) != TCP_SYN_SENT)
		return;
	e = event_reserve(EV_CONNECT);
	if (!e)
		return;
	e->skaddr = p->sk;
	e->protocol = IPPROTO_TCP;
	sk_endpoints(e, sk);
	e->newstate = TCP_SYN_SENT;
	e->ret = p->fd;
	e->flags = CONNECT_PORT;
	e->netns = sk_netns(sk);
	e->aux = p->ts_ns;
	event_submit(e);
}

SEC("tracepoint/syscalls/sys_exit_connect")
int handle_exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	__s32 ret = (__s32)ctx->ret;
	struct pending *pp, p;
	struct sock *sk;
	struct event *e;

	pp = bpf_map_lookup_elem(&pending, &tid);
	if (!pp)
		return 0;
	p = *pp;
	bpf_map_delete_elem(&pending, &tid);
	/* the SYN went out: the handshake's end decides (and reports); a
	 * non-blocking connect() says which local port it took */
	if (p.started && ret == -EINPROGRESS)
		port_known(&p);
	if (p.started || ret == 0 || ret == -EINPROGRESS || ret == -EALREADY || ret == -EINTR ||
	    ret == -EISCONN || (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK))
		return 0;
	sk = fd_to_tcp_sk(p.fd);
	if (!sk || BPF_CORE_READ(sk, __sk_common.skc_state) != TCP_CLOSE || !sk_cgroup_ok(sk))
		return 0;
	/* failed before any SYN (no route, address in use, refused by a
	 * filter...): only this return knows, with the destination asked */
	if (!endpoints_ok(p.family, BPF_CORE_READ(sk, __sk_common.skc_num), p.dport))
		return 0;
	e = event_reserve(EV_CONNECT_RET);
	if (!e)
		return 0;
	e->skaddr = (__u64)sk;
	e->protocol = IPPROTO_TCP;
	sk_endpoints(e, sk);
	e->family = p.family;
	e->rport = p.dport;
	__builtin_memcpy(e->daddr, p.daddr, sizeof(e->daddr));
	e->ret = ret;
	e->oldstate = TCP_CLOSE;
	e->cgroup_id = sk_cgroup_id(sk);
	e->netns = sk_netns(sk);
	e->aux = e->ts_ns > p.ts_ns ? e->ts_ns - p.ts_ns : 0;
	event_submit(e);
	return 0;
}

static __always_inline int accepted(struct trace_event_raw_sys_exit *ctx)
{
	__s32 fd = (__s32)ctx->ret;
	struct sock *sk;
	struct event *e;

	if (fd < 0 || !task_ok())
		return 0;
	sk = fd_to_tcp_sk(fd);
	if (!sk || !sk_cgroup_ok(sk))
		return 0;
	if (!endpoints_ok(BPF_CORE_READ(sk, __sk_common.skc_family),
			  BPF_CORE_READ(sk, __sk_common.skc_num),
			  bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport))))
		return 0;
	e = event_reserve(EV_ACCEPT);
	if (!e)
		return 0;
	e->skaddr = (__u64)sk;
	e->protocol = IPPROTO_TCP;
	sk_endpoints(e, sk);
	e->ret = fd;
	e->cgroup_id = sk_cgroup_id(sk);
	e->netns = sk_netns(sk);
	event_submit(e);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int handle_exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return accepted(ctx);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int handle_exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	return accepted(ctx);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
