// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Bind events from stable hooks, no kprobes. An explicit bind() is seen in
 * three steps by the same thread: cgroup/bind4|6 (requested address and
 * port, socket options, the socket), cgroup/post_bind4|6 (the port the
 * kernel assigned, only when one was taken), and syscalls/sys_exit_bind
 * (the result), where the one event is emitted, failures included.
 * Implicit binds (listen() or connect() on a socket without a port) are
 * noted before the kernel picks the port (syscalls/sys_enter_listen,
 * cgroup/connect4|6) and emitted at the syscall's exit with the port read
 * from the socket. The cgroup programs always return 1:
 * they observe, they never decide.
 */
#include "common.bpf.h"
#include <bpf/bpf_endian.h>

#define IPPROTO_UDP 17
#define SOL_SOCKET 1
#define SOL_IP 0
#define SO_REUSEADDR 2
#define SO_REUSEPORT 15
#define IP_BIND_ADDRESS_NO_PORT 24
#define EADDRINUSE 98
#define EADDRNOTAVAIL 99

/* capture filters, set by feat_binds.c before load */
const volatile __u32 filter_pid = 0; /* tgid, 0 = any */
const volatile __u32 filter_uid = 0;
const volatile __u8 filter_uid_on = 0;
const volatile __u8 include_errors = 0;
const volatile __u16 only_family = 0;
const volatile __u16 ports[PORT_LIST_MAX] = {};
const volatile __u32 nports = 0;
/* false where cgroup/bind4|6 may not call bpf_getsockopt (before 5.19) */
const volatile bool bind_getsockopt = true;

/* a bind (or implicit bind) in progress in one thread */
struct pending {
	__u32 tid; /* autobinding: the owner (thread_slot, common.bpf.h) */
	__u32 _pad;
	__u64 skaddr;
	__u8 addr[16];
	__u16 family;
	__u16 protocol;
	__u16 req_port;
	__u16 port; /* assigned (post_bind), 0 = none yet */
	__u32 ifindex;
	__u32 flags; /* BIND_OPT_* known from bpf_getsockopt */
	__u32 known; /* which BIND_OPT_* bits flags holds */
};

/* keyed by pid_tgid; LRU so that a bind that never reaches its syscall
 * exit (io_uring, in-kernel callers) cannot fill the map */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct pending);
} binding SEC(".maps");

/* implicit binds: threads' slots (a listen() or connect() always returns
 * through its syscall exit, which frees the slot; its entry frees what an
 * io_uring or in-kernel caller may have left) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, THREAD_SLOTS);
	__type(key, __u32);
	__type(value, struct pending);
} autobinding SEC(".maps");

/* before Linux 6.6 these were bitfields of struct inet_sock */
struct inet_sock___old {
	__u8 freebind : 1;
	__u8 transparent : 1;
	__u8 bind_address_no_port : 1;
} __attribute__((preserve_access_index));

static __always_inline bool task_wanted(void)
{
	if (filter_pid && (bpf_get_current_pid_tgid() >> 32) != filter_pid)
		return false;
	if (filter_uid_on && (__u32)bpf_get_current_uid_gid() != filter_uid)
		return false;
	return true;
}

/* F, T and N from the inet socket; R and r from sock_common (skc_get, c). Read with
 * CO-RE so that both the 6.6+ inet_flags word and the older bitfields work. */
static __always_inline __u32 sk_bind_opts(struct sock *sk, const struct sock_common *c)
{
	struct inet_sock *inet = inet_of(sk);
	__u32 o = 0;

	if (bpf_core_field_exists(inet->inet_flags)) {
		unsigned long fl = KREAD(inet, inet_flags);

		if (fl & (1UL << INET_FLAGS_FREEBIND))
			o |= BIND_OPT_FREEBIND;
		if (fl & (1UL << INET_FLAGS_TRANSPARENT))
			o |= BIND_OPT_TRANSPARENT;
		if (fl & (1UL << INET_FLAGS_BIND_ADDRESS_NO_PORT))
			o |= BIND_OPT_NO_PORT;
	} else {
		struct inet_sock___old *old = (void *)sk;

		if (BPF_CORE_READ_BITFIELD_PROBED(old, freebind))
			o |= BIND_OPT_FREEBIND;
		if (BPF_CORE_READ_BITFIELD_PROBED(old, transparent))
			o |= BIND_OPT_TRANSPARENT;
		if (BPF_CORE_READ_BITFIELD_PROBED(old, bind_address_no_port))
			o |= BIND_OPT_NO_PORT;
	}
	if (BPF_CORE_READ_BITFIELD(c, skc_reuse))
		o |= BIND_OPT_REUSEADDR;
	if (BPF_CORE_READ_BITFIELD(c, skc_reuseport))
		o |= BIND_OPT_REUSEPORT;
	return o;
}

static __always_inline void emit(const struct pending *p, __u16 port, __s32 ret, __u32 extra,
				 __u32 netns)
{
	struct event *e;

	if (ret && !include_errors)
		return;
	if (nports && !port_in(ports, nports, p->req_port) && !port_in(ports, nports, port))
		return;
	e = event_reserve(EV_BIND);
	if (!e)
		return;
	e->skaddr = p->skaddr;
	e->family = p->family;
	e->protocol = p->protocol;
	e->lport = port;
	e->aux = p->req_port;
	__builtin_memcpy(e->saddr, p->addr, 16);
	e->ifindex = p->ifindex;
	e->flags = p->flags | extra;
	e->ret = ret;
	e->cgroup_id = sk_cgroup_id_addr((void *)p->skaddr);
	e->netns = netns;
	event_submit(e);
}

/* ---- explicit bind() ------------------------------------------------- */

static __always_inline void bind_enter(struct bpf_sock_addr *ctx, __u16 family)
{
	struct pending p = {};
	struct bpf_sock *bsk = ctx->sk;
	__u64 id = bpf_get_current_pid_tgid();
	int v = 0;

	if ((only_family && family != only_family) || !bsk || !task_wanted())
		return;
	p.skaddr = (__u64)(long)bsk;
	p.family = family;
	p.protocol = (__u16)ctx->protocol;
	p.req_port = bpf_ntohs((__u16)ctx->user_port);
	p.ifindex = bsk->bound_dev_if;
	if (family == AF_INET) {
		__u32 a = ctx->user_ip4;

		__builtin_memcpy(p.addr, &a, 4);
	} else {
		__u32 a[4] = { ctx->user_ip6[0], ctx->user_ip6[1], ctx->user_ip6[2],
			       ctx->user_ip6[3] };

		__builtin_memcpy(p.addr, a, 16);
	}
	/* the helper is the stable way for these three; the rest (and these
	 * when it refuses) are read from the socket at exit (sk_bind_opts:
	 * the verifier allows no arithmetic on this PTR_TO_SOCKET) */
	if (bind_getsockopt && !bpf_getsockopt(ctx, SOL_SOCKET, SO_REUSEADDR, &v, sizeof(v))) {
		p.known |= BIND_OPT_REUSEADDR;
		p.flags |= v ? BIND_OPT_REUSEADDR : 0;
	}
	if (bind_getsockopt && !bpf_getsockopt(ctx, SOL_SOCKET, SO_REUSEPORT, &v, sizeof(v))) {
		p.known |= BIND_OPT_REUSEPORT;
		p.flags |= v ? BIND_OPT_REUSEPORT : 0;
	}
	if (bind_getsockopt && family == AF_INET &&
	    !bpf_getsockopt(ctx, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &v, sizeof(v))) {
		p.known |= BIND_OPT_NO_PORT;
		p.flags |= v ? BIND_OPT_NO_PORT : 0;
	}
	bpf_map_update_elem(&binding, &id, &p, BPF_ANY);
}

SEC("cgroup/bind4")
int bind4(struct bpf_sock_addr *ctx)
{
	bind_enter(ctx, AF_INET);
	return 1;
}

SEC("cgroup/bind6")
int bind6(struct bpf_sock_addr *ctx)
{
	bind_enter(ctx, AF_INET6);
	return 1;
}

/* runs only when bind() took a port: src_port is the one assigned
 * (bound_dev_if is not readable here: that is for sock_create) */
static __always_inline void bind_post(struct bpf_sock *sk)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&binding, &id);

	if (p)
		p->port = (__u16)sk->src_port;
}

SEC("cgroup/post_bind4")
int post_bind4(struct bpf_sock *sk)
{
	bind_post(sk);
	return 1;
}

SEC("cgroup/post_bind6")
int post_bind6(struct bpf_sock *sk)
{
	bind_post(sk);
	return 1;
}

/* forget whatever an earlier bind of this thread left (one that never
 * returned through the syscall), so exit only sees this call's */
SEC("tracepoint/syscalls/sys_enter_bind")
int bind_sys_enter(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();

	bpf_map_delete_elem(&binding, &id);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_bind")
int bind_sys_exit(struct trace_event_raw_sys_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&binding, &id);
	__s32 ret = (__s32)ctx->ret;
	const struct sock_common *c;
	struct skc_copy buf;
	struct sock *sk;

	if (!p)
		return 0; /* not an inet socket, or filtered out */
	sk = sk_of(p->skaddr);
	if (!sk_cgroup_ok(sk) || !(c = skc_get(&buf, sk))) /* --cgroup */
		goto out;
	p->flags = (sk_bind_opts(sk, c) & ~p->known) | (p->flags & p->known);
	/* an IPv6 link-local bind sets the device from the scope id */
	p->ifindex = c->skc_bound_dev_if;
	emit(p, ret ? 0 : p->port, ret, 0, skc_netns(c));
out:
	bpf_map_delete_elem(&binding, &id);
	return 0;
}

/* ---- implicit binds: listen() / connect() on a socket without a port -- */

static __always_inline void autobind_note(__u64 skaddr, __u16 family, __u16 protocol)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending p = {}, *slot;

	if ((only_family && family != only_family) || !task_wanted())
		return;
	p.tid = tid;
	p.skaddr = skaddr;
	p.family = family;
	p.protocol = protocol;
	slot = thread_slot_take(&autobinding, tid);
	if (slot)
		__builtin_memcpy(slot, &p, sizeof(p));
}

/* what an earlier listen() or connect() of this thread left (one that
 * never returned through the syscall) is forgotten */
static __always_inline void autobind_forget(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	thread_slot_free(thread_slot(&autobinding, tid));
}

/* connect(): runs before the kernel picks a source port (TCP in
 * inet_hash_connect, UDP in inet_autobind) */
static __always_inline void connect_note(struct bpf_sock_addr *ctx, __u16 family)
{
	struct bpf_sock *sk = ctx->sk;

	if (!sk || sk->src_port)
		return;
	if (ctx->protocol != IPPROTO_TCP && ctx->protocol != IPPROTO_UDP)
		return;
	autobind_note((__u64)(long)sk, family, (__u16)ctx->protocol);
}

SEC("cgroup/connect4")
int autobind_connect4(struct bpf_sock_addr *ctx)
{
	connect_note(ctx, AF_INET);
	return 1;
}

SEC("cgroup/connect6")
int autobind_connect6(struct bpf_sock_addr *ctx)
{
	connect_note(ctx, AF_INET6);
	return 1;
}

static __always_inline void autobind_exit(long sysret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = thread_slot(&autobinding, tid);
	const struct sock_common *c;
	struct skc_copy buf;
	struct sock *sk;
	__u16 port;
	__s32 ret = 0;

	if (!p)
		return;
	sk = sk_of(p->skaddr);
	if (!sk_cgroup_ok(sk) || !(c = skc_get(&buf, sk))) /* --cgroup */
		goto out;
	port = c->skc_num;
	if (!port) /* a failed TCP connect gave its port back; the socket still names it */
		port = bpf_ntohs(KREAD(inet_of(sk), inet_sport));
	if (!port) {
		/* no port was taken: report only when that was the failure */
		if (sysret != -EADDRINUSE && sysret != -EADDRNOTAVAIL)
			goto out;
		ret = (__s32)sysret;
	}
	if (p->family == AF_INET)
		__builtin_memcpy(p->addr, &c->skc_rcv_saddr, 4);
	else
		__builtin_memcpy(p->addr, &c->skc_v6_rcv_saddr, 16);
	p->ifindex = c->skc_bound_dev_if;
	p->flags = sk_bind_opts(sk, c);
	emit(p, port, ret, BIND_IMPLICIT, skc_netns(c));
out:
	thread_slot_free(p);
}

/* listen() on a TCP socket without a port takes one: noted here, at the
 * syscall's entry, from the socket behind its fd (still CLOSE, no port),
 * not on sock/inet_sock_set_state, where a program costs every
 * transition of the host its call */
SEC("tracepoint/syscalls/sys_enter_listen")
int listen_sys_enter(struct trace_event_raw_sys_enter *ctx)
{
	struct sock *sk;

	autobind_forget();
	sk = fd_to_tcp_sk((int)ctx->args[0]);
	if (!sk || KREAD(sk, __sk_common.skc_state) != TCP_CLOSE || KREAD(inet_of(sk), inet_sport))
		return 0;
	autobind_note((__u64)(long)sk, KREAD(sk, __sk_common.skc_family), IPPROTO_TCP);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_listen")
int listen_sys_exit(struct trace_event_raw_sys_exit *ctx)
{
	autobind_exit(ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_connect")
int connect_sys_enter(void *ctx)
{
	autobind_forget();
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int connect_sys_exit(struct trace_event_raw_sys_exit *ctx)
{
	autobind_exit(ctx->ret);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
