/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel side only: the rings (one a CPU) and counters every program
 * shares (the loader makes all objects use the same maps), and emit
 * helpers.
 * Wake-ups are the expensive part (DESIGN.md, Performance): records are
 * submitted without waking the reader unless the ring is filling up; user
 * space drains on a short timer.
 */
#ifndef SOCKTOP_COMMON_BPF_H
#define SOCKTOP_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "event.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define SOCK_STREAM 1
#define S_IFMT 00170000
#define S_IFSOCK 0140000

/* One ring per possible CPU: a program writes to its own CPU's, so the
 * rings' locks and producer positions never bounce between CPUs. The
 * loader creates the rings and this map (sized to the CPUs) itself. */
struct ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct ring);
} rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, CNT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* wake the reader only once this many bytes wait (0: always wake) */
const volatile __u64 wakeup_bytes = 1 << 20;

static __always_inline void count_n(__u32 slot, __u32 n)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &slot);

	if (v)
		*v += n;
}

static __always_inline void count(__u32 slot)
{
	count_n(slot, 1);
}

/* this CPU's ring (a program is not migrated while it runs) */
static __always_inline void *ring_here(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&rings, &cpu);
}

/* An event record of n events in this CPU's ring, zeroed and stamped;
 * NULL when the ring is full (counted as n lost). The stamp is taken
 * right after the reservation: the reader merges the CPUs' rings by it
 * (rings.c), which is safe only if a record reserved later is never
 * stamped earlier than one reserved before it. n is a constant: the
 * verifier wants the size known. */
static __always_inline void *ring_reserve_size(const __u32 n, const __u32 size)
{
	void *ring = ring_here();
	__u64 *e, ts;

	count_n(CNT_EMITTED, n);
	e = ring ? bpf_ringbuf_reserve(ring, size, 0) : NULL;
	if (!e) {
		count_n(CNT_LOST, n);
		return NULL;
	}
	ts = bpf_ktime_get_ns();
	__builtin_memset(e, 0, size);
	*e = ts; /* every record's first field */
	return e;
}

static __always_inline struct event *ring_reserve(const __u32 n)
{
	return ring_reserve_size(n, n * sizeof(struct event));
}

/* A process's start in ms of boot time (as /proc/PID/stat counts it),
 * cut to 32 bits: a pid reused by another process has another one. */
static __always_inline __u32 task_pstart(struct task_struct *task)
{
	return (__u32)(BPF_CORE_READ(task, group_leader, start_boottime) / 1000000);
}

/* The bytes of one word of a name up to its first NUL, the rest zeroed
 * (what strscpy_pad leaves); *ended set once a NUL was seen. */
static __always_inline __u64 name_word(__u64 w, bool *ended)
{
	__u64 zeros = (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;

	if (*ended)
		return 0;
	if (!zeros)
		return w;
	*ended = true;
	/* the lowest flagged byte is the first NUL (flags above it can be
	 * false): keep the bytes below it */
	return w & (((zeros & -zeros) >> 7) - 1);
}

/* The network namespace a socket lives in: its inode, as lsns shows it */
static __always_inline __u32 sk_netns(const void *skaddr)
{
	return BPF_CORE_READ((struct sock_common *)skaddr, skc_net.net, ns.inum);
}

/* Reserve n zeroed events in one ring record (n a constant: the verifier
 * wants the size known), the first of the given kind stamped with the
 * current task; NULL (and counted as n lost) when the ring is full. One
 * record for events that go together costs one reservation, not n. The
 * task's ids, name and start are plain loads through its BTF pointer,
 * not helper calls (bpf_get_current_comm was a fifth of the state
 * program's time). */
/* The current task as an event names it */
struct task_ids {
	__u32 pid, tid, uid, pstart;
	__u64 comm[EVENT_COMM_LEN / 8];
};

static __always_inline void task_ids_now(struct task_ids *t)
{
	struct task_struct *task;
	bool ended = false;

	/* bpf_get_current_task_btf came with Linux 5.11: before it, the
	 * same fields through probe reads (libbpf makes the test a constant
	 * and the verifier drops the branch this kernel cannot take) */
	if (!bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf)) {
		struct task_struct *tk = (struct task_struct *)bpf_get_current_task();
		__u64 id = bpf_get_current_pid_tgid();

		t->uid = (__u32)bpf_get_current_uid_gid();

		t->pid = id >> 32;
		t->tid = (__u32)id;
		bpf_get_current_comm(t->comm, sizeof(t->comm)); /* NUL-padded */
		t->pstart = (__u32)(BPF_CORE_READ(tk, group_leader, start_boottime) / 1000000);
		return;
	}
	task = bpf_get_current_task_btf();
	/* what bpf_get_current_uid_gid reads (current_cred()), without
	 * the call */
	t->uid = task->cred->uid.val;
	t->pid = task->tgid;
	t->tid = task->pid;
	__builtin_memcpy(&t->comm[0], task->comm, 8);
	__builtin_memcpy(&t->comm[1], task->comm + 8, 8);
	t->comm[0] = name_word(t->comm[0], &ended);
	t->comm[1] = name_word(t->comm[1], &ended);
	((char *)t->comm)[EVENT_COMM_LEN - 1] = 0;
	t->pstart = (__u32)(task->group_leader->start_boottime / 1000000);
}

static __always_inline void event_set_task(struct event *e, const struct task_ids *t)
{
	e->pid = t->pid;
	e->tid = t->tid;
	e->uid = t->uid;
	e->pstart = t->pstart;
	__builtin_memcpy(e->comm, t->comm, sizeof(t->comm));
}

static __always_inline struct event *event_reserve_n(__u16 kind, const __u32 n)
{
	struct task_ids t;
	struct event *e;

	e = ring_reserve(n);
	if (!e)
		return NULL;
	e->kind = kind;
	task_ids_now(&t);
	event_set_task(e, &t);
	return e;
}

static __always_inline struct event *event_reserve(__u16 kind)
{
	return event_reserve_n(kind, 1);
}

/* how often the fill is checked against wakeup_bytes: about once every
 * this many events of a CPU (a power of two); a wakeup is a few records
 * late at worst, against rings of megabytes, and the query is a helper
 * call saved on the others */
#define WAKEUP_CHECK_EVERY 16

static __always_inline void event_submit(struct event *e)
{
	__u32 slot = CNT_EMITTED;
	__u64 flags = BPF_RB_NO_WAKEUP, *sent = bpf_map_lookup_elem(&counters, &slot);
	void *ring;

	if (!wakeup_bytes) {
		flags = BPF_RB_FORCE_WAKEUP;
	} else if (!sent || (*sent & (WAKEUP_CHECK_EVERY - 1)) <= 1) {
		/* a record counts one event or two (EVENT_RING_MAX): the count
		 * lands on 0 or 1 in every run of 16, one never skipped */
		/* the ring it was reserved in: the same CPU's */
		ring = ring_here();
		if (ring && bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
			flags = BPF_RB_FORCE_WAKEUP;
	}
	bpf_ringbuf_submit(e, flags);
}

/* bpf_rdonly_cast (Linux 6.2+) turns a kernel address into a pointer the
 * program reads in plain loads, as a BTF pointer is read: each probe read
 * it replaces was a helper call (about 35 ns here; the verifier inlines
 * the cast to a move). Weak: where the kernel lacks it, the loader leaves
 * kernel_cast false (probe_rdonly_cast) and the verifier drops every
 * branch that calls it, so the probe reads run instead. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;
const volatile bool kernel_cast = false;

#define kcast(p, T) ((T *)bpf_rdonly_cast((const void *)(p), bpf_core_type_id_kernel(T)))

/* the socket at a kernel address (a map's or an event's), for skc_get
 * and KREAD */
#define sk_of(addr) (kernel_cast ? kcast(addr, struct sock) : (struct sock *)(addr))

/* field f (a member path, no pointer hop) of the kernel object at p: a
 * plain load where p came from kcast, else a probe read */
#define KREAD(p, f) (kernel_cast ? (p)->f : BPF_CORE_READ(p, f))

/* the socket's inet part (its source port, its flags), for KREAD: a cast
 * of sk's type where the kernel casts, since the verifier reads a struct
 * sock pointer only inside struct sock */
#define inet_of(sk) (kernel_cast ? kcast(sk, struct inet_sock) : (struct inet_sock *)(sk))

/* --cgroup PATH: keep only sockets whose cgroup (the cgroup v2 of the task
 * that created them; accepted sockets inherit their listener's) lies in
 * the subtree with this id at this level. 0: no filter. Works in softirq,
 * where the current task says nothing about the socket. */
const volatile __u64 cgroup_filter_id = 0;
const volatile __u32 cgroup_filter_level = 0;

/* Before Linux 5.15 the socket's cgroup pointer shared one word with the
 * cgroup v1 net_prio/net_cls ids (a set low bit: ids, not a pointer) */
struct sock_cgroup_data___word {
	__u64 val;
} __attribute__((preserve_access_index));

/* Before Linux 6.1 a cgroup kept its ancestors' ids, not pointers */
struct cgroup___ids {
	int level;
	__u64 ancestor_ids[];
} __attribute__((preserve_access_index));

/* the socket's cgroup v2, NULL if unknown */
static __always_inline struct cgroup *sk_cgroup(const void *skaddr)
{
	struct sock *sk = (struct sock *)skaddr;
	__u64 v;

	if (bpf_core_field_exists(sk->sk_cgrp_data.cgroup))
		return BPF_CORE_READ(sk, sk_cgrp_data.cgroup);
	v = BPF_CORE_READ((struct sock_cgroup_data___word *)&sk->sk_cgrp_data, val);
	return v & 3 ? NULL : (struct cgroup *)v;
}

/* cgroup v2 id of the socket's cgroup (kernfs id), 0 if unknown */
static __always_inline __u64 sk_cgroup_id(const void *skaddr)
{
	struct cgroup *cg = sk_cgroup(skaddr);

	return cg ? BPF_CORE_READ(cg, kn, id) : 0;
}

/* sk_cgroup_id in plain loads, for programs that hold the socket's BTF
 * pointer (tp_btf, iterators) */
static __always_inline __u64 sk_cgroup_id_btf(struct sock *sk)
{
	struct cgroup *cg;

	if (!bpf_core_field_exists(sk->sk_cgrp_data.cgroup))
		return sk_cgroup_id(sk);
	cg = sk->sk_cgrp_data.cgroup;
	return cg ? cg->kn->id : 0;
}

/* sk_cgroup_id of a socket known by its address: plain loads where the
 * kernel can cast */
static __always_inline __u64 sk_cgroup_id_addr(const void *skaddr)
{
	if (kernel_cast)
		return sk_cgroup_id_btf(kcast(skaddr, struct sock));
	return sk_cgroup_id(skaddr);
}

/* --netns: keep only sockets of these network namespaces (inodes); none:
 * no filter */
#define NETNS_FILTER_MAX 16
const volatile __u32 netns_filter[NETNS_FILTER_MAX] = {};
const volatile __u32 nnetns_filter = 0;

static __always_inline bool netns_ok(__u32 ns)
{
	if (!nnetns_filter)
		return true;
	for (__u32 i = 0; i < NETNS_FILTER_MAX; i++) {
		if (i >= nnetns_filter)
			break;
		if (netns_filter[i] == ns)
			return true;
	}
	return false;
}

/* The capture's scope: --cgroup, and --netns (checked here too, so every
 * program that asks about the cgroup honours both) */
static __always_inline bool sk_cgroup_ok(const void *skaddr)
{
	struct cgroup *cg, *anc = NULL;
	__u32 lvl = cgroup_filter_level;

	if (nnetns_filter &&
	    !netns_ok(BPF_CORE_READ((struct sock_common *)skaddr, skc_net.net, ns.inum)))
		return false;
	if (!cgroup_filter_id)
		return true;
	cg = sk_cgroup(skaddr);
	if (!cg || BPF_CORE_READ(cg, level) < (int)lvl || lvl > 255)
		return false;
	if (!bpf_core_field_exists(cg->ancestors)) {
		struct cgroup___ids *old = (void *)cg;
		__u64 id = 0;

		bpf_probe_read_kernel(&id, sizeof(id), &old->ancestor_ids[lvl]);
		return id == cgroup_filter_id;
	}
	if (bpf_probe_read_kernel(&anc, sizeof(anc), &cg->ancestors[lvl]) || !anc)
		return false;
	return BPF_CORE_READ(anc, kn, id) == cgroup_filter_id;
}

/* A syscall in flight on one thread (connect(), listen()...), kept from
 * its entry to its exit: slot tid % THREAD_SLOTS of an array map, the
 * thread's id in the slot's first word (0: free). An array lookup is a
 * few instructions; a hash update or delete takes a bucket lock, and
 * three or four of those a connection were a tenth of the connects and
 * binds programs' time. Two threads that share a slot and are inside the
 * syscall at the same moment: the later one takes it (counted as
 * CNT_MAP_FULL), the earlier one's attribution is lost. */
#define THREAD_SLOTS 16384

/* the thread's slot of map (an array of structs whose first __u32 is the
 * owner), or NULL if another thread owns it */
#define thread_slot(map, tid)                                \
	({                                                   \
		__u32 __i = (tid) & (THREAD_SLOTS - 1);      \
		__u32 *__s = bpf_map_lookup_elem(map, &__i); \
		(__s && *__s == (tid)) ? (void *)__s : NULL; \
	})

/* the thread's slot, taken over whoever had it; NULL only if the map has
 * fewer entries (its feature is off) */
#define thread_slot_take(map, tid)                           \
	({                                                   \
		__u32 __i = (tid) & (THREAD_SLOTS - 1);      \
		__u32 *__s = bpf_map_lookup_elem(map, &__i); \
		if (__s && *__s && *__s != (tid))            \
			count(CNT_MAP_FULL);                 \
		(void *)__s;                                 \
	})

/* the syscall returned: the slot is free */
static __always_inline void thread_slot_free(void *slot)
{
	if (slot)
		*(volatile __u32 *)slot = 0;
}

#define PORT_LIST_MAX 64

/* true when port is in list (n == 0: no filter) */
static __always_inline bool port_in(const volatile __u16 *list, __u32 n, __u16 port)
{
	if (!n)
		return true;
	for (__u32 i = 0; i < PORT_LIST_MAX; i++) {
		if (i >= n)
			break;
		if (list[i] == port)
			return true;
	}
	return false;
}

/* A socket's sock_common, copied in one kernel read where each field
 * was one: the fields read from it lie at the struct's start on every
 * kernel, and the copy takes this kernel's size of it (136 bytes on 6.18) */
struct skc_copy {
	__u8 b[160];
};

static __always_inline const struct sock_common *skc_fetch(struct skc_copy *c,
							   const struct sock *sk)
{
	__u32 n = bpf_core_type_size(struct sock_common);

	if (n > sizeof(c->b))
		n = sizeof(c->b);
	if (bpf_probe_read_kernel(c->b, n, sk))
		return NULL;
	return (const struct sock_common *)c->b;
}

/* A socket's sock_common to read fields from: the socket's own in plain
 * loads where the kernel can cast (sk from kcast or fd_to_tcp_sk), else
 * a copy in buf (skc_fetch) */
static __always_inline const struct sock_common *skc_get(struct skc_copy *buf,
							 const struct sock *sk)
{
	if (kernel_cast)
		return &sk->__sk_common;
	return skc_fetch(buf, sk);
}

/* the namespace's inode of a sock_common from skc_get */
static __always_inline __u32 skc_netns(const struct sock_common *c)
{
	struct net *net = c->skc_net.net;

	return KREAD(net, ns.inum);
}

/* The TCP socket behind fd in the current task, or NULL. */
static __always_inline struct sock *fd_to_tcp_sk(int fd)
{
	struct file **fds, *f = NULL;
	struct socket *sock;
	unsigned int max;
	struct sock *sk;
	__u16 family;

	if (fd < 0)
		return NULL;
	/* the task's fd table in plain loads where its BTF pointer exists
	 * (5.11+, as in task_ids_now), else in probe reads */
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf)) {
		struct fdtable *fdt = bpf_get_current_task_btf()->files->fdt;

		max = fdt->max_fds;
		fds = fdt->fd;
	} else {
		struct task_struct *task = (void *)bpf_get_current_task();
		struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);

		if (!fdt)
			return NULL;
		max = BPF_CORE_READ(fdt, max_fds);
		fds = BPF_CORE_READ(fdt, fd);
	}
	/* the table's slot is a pointer the verifier does not type: one
	 * probe read */
	if ((unsigned int)fd >= max || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return NULL;
	if (kernel_cast) {
		/* the rest in plain loads (sk_type and sk_protocol are no
		 * bitfields since 5.6) */
		f = kcast(f, struct file);
		if ((f->f_inode->i_mode & S_IFMT) != S_IFSOCK)
			return NULL;
		sock = kcast(f->private_data, struct socket);
		sk = sock->sk;
		if (!sk || sk->sk_protocol != IPPROTO_TCP || sk->sk_type != SOCK_STREAM)
			return NULL;
		family = sk->__sk_common.skc_family;
		return family == AF_INET || family == AF_INET6 ? sk : NULL;
	}
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

#endif
