// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Who connects and who accepts, and how each connect ends. Syscall
 * tracepoints name the process (connect, accept, accept4); the socket
 * behind their fd is found by walking the task's fd table, so events carry
 * the same skaddr as the state tracepoint. The outcome of a connect is
 * decided once per attempt (the map entry is deleted by whoever sees the
 * end first): the handshake's end on sock/inet_sock_set_state, or an error
 * returned by connect() before any SYN was sent. The tracepoint's side
 * (the SYN and the handshake's end) is the state program's
 * (states.bpf.c), with the maps it shares with these (connects.bpf.h).
 */
#include "connects.bpf.h"

#define EINTR 4
#define EISCONN 106
#define EALREADY 114
#define EINPROGRESS 115
#define ERESTARTSYS 512
#define ERESTART_RESTARTBLOCK 516

const volatile __u16 lports[PORT_LIST_MAX] = {};
const volatile __u32 nlports = 0;
const volatile __u16 rports[PORT_LIST_MAX] = {};
const volatile __u32 nrports = 0;
const volatile __u16 only_family = 0;
const volatile __u32 filter_pid = 0; /* tgid, 0 = any */
const volatile __u32 filter_uid_on = 0;
const volatile __u32 filter_uid = 0;

static __always_inline bool task_ok(void)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (filter_pid && (__u32)(id >> 32) != filter_pid)
		return false;
	if (filter_uid_on && (__u32)bpf_get_current_uid_gid() != filter_uid)
		return false;
	return true;
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
	struct pending *slot;

	if (!task_ok())
		return 0;
	/* cheap here, on every connect() of any kind: which socket it is
	 * is learnt at the SYN (in this thread's context), or for an early
	 * failure at the return; only then is the fd table walked and the
	 * destination read from the caller's memory */
	slot = thread_slot_take(&pending, tid);
	if (!slot)
		return 0;
	slot->tid = tid;
	slot->fd = (__s32)ctx->args[0];
	slot->started = 0;
	slot->uaddr = ctx->args[1];
	slot->ts_ns = bpf_ktime_get_ns();
	return 0;
}

/* The destination a connect() asked for, from the caller's sockaddr
 * (still there at the return): a connect that fails before the SYN
 * never stores it in the socket. One user read for the family, the port
 * and an IPv4 address (sockaddr_in's first 8 bytes); false for another
 * family (AF_UNSPEC, a disconnect; AF_UNIX...: not TCP) */
static __always_inline bool dest_asked(__u64 uaddr, __u16 *family, __u16 *dport, __u8 daddr[16])
{
	__u8 sa[8];

	if (bpf_probe_read_user(sa, sizeof(sa), (void *)uaddr))
		return false;
	__builtin_memcpy(family, sa, 2);
	*dport = bpf_ntohs(*(__u16 *)(sa + 2));
	if (*family == AF_INET)
		__builtin_memcpy(daddr, sa + 4, 4);
	else if (*family == AF_INET6)
		bpf_probe_read_user(daddr, 16, (void *)(uaddr + 8));
	else
		return false;
	return true;
}

/* The local port of a socket still in SYN_SENT, for the rows of
 * connects that never get an answer (the SYN_SENT event came before the
 * port was picked). One record per non-blocking connect; blocking ones
 * return after the handshake, whose events carry the port. */
static __always_inline void port_known(const struct pending *p)
{
	struct sock *sk = sk_of(p->sk);
	struct event *e;

	if (KREAD(sk, __sk_common.skc_state) != TCP_SYN_SENT)
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
	__u16 family, dport;
	__u8 daddr[16] = {};
	struct sock *sk;
	struct event *e;

	pp = thread_slot(&pending, tid);
	if (!pp)
		return 0;
	p = *pp;
	thread_slot_free(pp);
	/* the SYN went out: the handshake's end decides (and reports); a
	 * non-blocking connect() says which local port it took */
	if (p.started && ret == -EINPROGRESS)
		port_known(&p);
	if (p.started || ret == 0 || ret == -EINPROGRESS || ret == -EALREADY || ret == -EINTR ||
	    ret == -EISCONN || (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK))
		return 0;
	sk = fd_to_tcp_sk(p.fd);
	if (!sk || KREAD(sk, __sk_common.skc_state) != TCP_CLOSE || !sk_cgroup_ok(sk))
		return 0;
	/* failed before any SYN (no route, address in use, refused by a
	 * filter...): only this return knows, with the destination asked */
	if (!dest_asked(p.uaddr, &family, &dport, daddr) ||
	    !endpoints_ok(family, KREAD(sk, __sk_common.skc_num), dport))
		return 0;
	e = event_reserve(EV_CONNECT_RET);
	if (!e)
		return 0;
	e->skaddr = (__u64)sk;
	e->protocol = IPPROTO_TCP;
	sk_endpoints(e, sk);
	e->family = family;
	e->rport = dport;
	__builtin_memcpy(e->daddr, daddr, sizeof(e->daddr));
	e->ret = ret;
	e->oldstate = TCP_CLOSE;
	e->cgroup_id = sk_cgroup_id_addr(sk);
	e->aux = e->ts_ns > p.ts_ns ? e->ts_ns - p.ts_ns : 0;
	event_submit(e);
	return 0;
}

static __always_inline int accepted(struct trace_event_raw_sys_exit *ctx)
{
	__s32 fd = (__s32)ctx->ret;
	const struct sock_common *c;
	struct skc_copy buf;
	struct sock *sk;
	struct event *e;

	if (fd < 0 || !task_ok())
		return 0;
	sk = fd_to_tcp_sk(fd);
	if (!sk || !sk_cgroup_ok(sk) || !(c = skc_get(&buf, sk)))
		return 0;
	if (!endpoints_ok(c->skc_family, c->skc_num, bpf_ntohs(c->skc_dport)))
		return 0;
	e = event_reserve(EV_ACCEPT);
	if (!e)
		return 0;
	e->skaddr = (__u64)sk;
	e->protocol = IPPROTO_TCP;
	skc_endpoints(e, sk, c);
	e->ret = fd;
	e->cgroup_id = sk_cgroup_id_addr(sk);
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
