// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * On-demand snapshot of the sockets that exist now. iter/tcp walks every
 * TCP socket (TIME_WAIT included) and writes one EV_SNAP_SOCK record per
 * socket; iter/task_file walks every task's files and writes one
 * EV_SNAP_OWNER record per TCP socket fd (who holds it). Records are
 * struct event, written with bpf_seq_write and read from the iterator fd.
 * Capture filters apply here as they do to live events.
 */
#include "common.bpf.h"
#include <bpf/bpf_endian.h>

const volatile __u16 lports[PORT_LIST_MAX] = {};
const volatile __u32 nlports = 0;
const volatile __u16 rports[PORT_LIST_MAX] = {};
const volatile __u32 nrports = 0;
const volatile __u16 only_family = 0;
const volatile __u32 filter_pid = 0;

/*
 * A pass reads every socket of the host once per namespace, so each read
 * counts: the iterators hand BTF pointers (ctx->sk_common, ctx->file,
 * bpf_sock_from_file's socket), read with plain loads that the JIT guards,
 * not a bpf_probe_read_kernel call a field (those were a third of a
 * pass). A NULL on the way (a socket not accepted yet has no file) reads
 * as 0.
 */
static __always_inline void fill_endpoints(struct event *e, struct sock_common *skc)
{
	e->family = skc->skc_family;
	e->lport = skc->skc_num;
	e->rport = bpf_ntohs(skc->skc_dport);
	e->newstate = skc->skc_state;
	e->netns = skc->skc_net.net->ns.inum;
	if (e->family == AF_INET) {
		__builtin_memcpy(e->saddr, &skc->skc_rcv_saddr, 4);
		__builtin_memcpy(e->daddr, &skc->skc_daddr, 4);
	} else {
		__builtin_memcpy(e->saddr, &skc->skc_v6_rcv_saddr, 16);
		__builtin_memcpy(e->daddr, &skc->skc_v6_daddr, 16);
	}
}

/* The same through probe reads, for a socket found without a BTF pointer
 * (file_socket before Linux 5.11) */
static __always_inline void fill_endpoints_probe(struct event *e, struct sock_common *skc)
{
	e->family = BPF_CORE_READ(skc, skc_family);
	e->lport = BPF_CORE_READ(skc, skc_num);
	e->rport = bpf_ntohs(BPF_CORE_READ(skc, skc_dport));
	e->newstate = BPF_CORE_READ(skc, skc_state);
	e->netns = BPF_CORE_READ(skc, skc_net.net, ns.inum);
	if (e->family == AF_INET) {
		bpf_core_read(e->saddr, 4, &skc->skc_rcv_saddr);
		bpf_core_read(e->daddr, 4, &skc->skc_daddr);
	} else {
		bpf_core_read(e->saddr, 16, &skc->skc_v6_rcv_saddr);
		bpf_core_read(e->daddr, 16, &skc->skc_v6_daddr);
	}
}

static __always_inline bool endpoints_ok(const struct event *e)
{
	if (e->family != AF_INET && e->family != AF_INET6)
		return false;
	if (only_family && e->family != only_family)
		return false;
	if (!netns_ok(e->netns)) /* --netns: TIME_WAIT too, which has no cgroup */
		return false;
	return port_in(lports, nlports, e->lport) && port_in(rports, nrports, e->rport);
}

SEC("iter/tcp")
int snap_tcp(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct event e = {};
	struct tcp_sock *tp;

	if (!skc)
		return 0;
	fill_endpoints(&e, skc);
	/* request socks are a listener's queue, not sockets of their own */
	if (e.newstate == TCP_NEW_SYN_RECV || !endpoints_ok(&e))
		return 0;
	tp = bpf_skc_to_tcp_sock(skc);
	if (tp) {
		struct sock *sk = &tp->inet_conn.icsk_inet.sk;

		if (!sk_cgroup_ok(tp))
			return 0;
		e.cgroup_id = sk_cgroup_id_btf(sk);
		e.aux = sk->sk_socket->file->f_inode->i_ino;
	} else if (cgroup_filter_id) {
		return 0; /* TIME_WAIT: no cgroup left to test */
	} else if (e.newstate == TCP_TIME_WAIT) {
		/* an orphan in FIN_WAIT2 lives on as a timewait sock with that
		 * substate; name it as ss does */
		struct tcp_timewait_sock *tw = bpf_skc_to_tcp_timewait_sock(skc);

		e.flags |= SNAP_TIMEWAIT;
		if (tw)
			e.newstate = tw->tw_sk.tw_substate;
	}
	e.kind = EV_SNAP_SOCK;
	e.ts_ns = bpf_ktime_get_ns();
	e.skaddr = (__u64)skc;
	e.protocol = IPPROTO_TCP;
	e.uid = ctx->uid;
	bpf_seq_write(ctx->meta->seq, &e, sizeof(e));
	return 0;
}

#define SOCKFS_MAGIC 0x534F434B

/* The socket behind a file, NULL if it is none. bpf_sock_from_file came
 * with Linux 5.11; before it, a socket's inode is the second half of the
 * socket_alloc that holds it (the socket, then the inode): what the kernel's
 * SOCKET_I() computes, for an inode of sockfs (not an O_PATH file of a
 * socket bound in a filesystem). */
static __always_inline struct socket *file_socket(struct file *file)
{
	struct inode *inode;

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_sock_from_file))
		return bpf_sock_from_file(file);
	inode = BPF_CORE_READ(file, f_inode);
	if (!inode || (BPF_CORE_READ(inode, i_mode) & S_IFMT) != S_IFSOCK ||
	    BPF_CORE_READ(inode, i_sb, s_magic) != SOCKFS_MAGIC)
		return NULL;
	return (struct socket *)((void *)inode -
				 bpf_core_field_offset(struct socket_alloc, vfs_inode));
}

/* The socket's fields of an owner record; false when it is not wanted */
static __always_inline bool owner_sock(struct event *e, struct sock *sk, bool btf)
{
	if (btf) {
		if (!sk || sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM)
			return false;
		fill_endpoints(e, &sk->__sk_common);
	} else {
		if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP ||
		    BPF_CORE_READ(sk, sk_type) != SOCK_STREAM)
			return false;
		fill_endpoints_probe(e, &sk->__sk_common);
	}
	return e->newstate != TCP_NEW_SYN_RECV && endpoints_ok(e) && sk_cgroup_ok(sk);
}

SEC("iter/task_file")
int snap_files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	bool btf = bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_sock_from_file);
	struct event e = {};
	struct socket *sock;
	struct sock *sk;
	bool ended = false;
	__u64 w0, w1;

	if (!task || !file)
		return 0;
	sock = file_socket(file);
	if (!sock)
		return 0;
	e.pid = task->tgid;
	if (filter_pid && e.pid != filter_pid)
		return 0;
	sk = btf ? sock->sk : BPF_CORE_READ(sock, sk);
	if (!owner_sock(&e, sk, btf))
		return 0;
	e.kind = EV_SNAP_OWNER;
	e.ts_ns = bpf_ktime_get_ns();
	e.skaddr = (__u64)sk;
	e.protocol = IPPROTO_TCP;
	e.tid = task->pid;
	e.pstart = (__u32)(task->group_leader->start_boottime / 1000000);
	e.uid = task->cred->uid.val;
	/* as bpf_probe_read_kernel left it: the name, NUL-padded */
	__builtin_memcpy(&w0, task->comm, 8);
	__builtin_memcpy(&w1, task->comm + 8, 8);
	w0 = name_word(w0, &ended);
	w1 = name_word(w1, &ended);
	__builtin_memcpy(e.comm, &w0, 8);
	__builtin_memcpy(e.comm + 8, &w1, 8);
	e.comm[EVENT_COMM_LEN - 1] = 0;
	e.ret = (__s32)ctx->fd;
	e.aux = file->f_inode->i_ino;
	e.cgroup_id = task->cgroups->dfl_cgrp->kn->id;
	bpf_seq_write(ctx->meta->seq, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
