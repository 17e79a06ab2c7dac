/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one record that crosses the kernel/user seam. Every BPF program emits
 * only struct event; the loader hands it to user space unchanged and a
 * recording stores it byte for byte. Fixed-width types, explicit padding.
 */
#ifndef SOCKTOP_EVENT_H
#define SOCKTOP_EVENT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "metric_ids.h"

#define EVENT_ABI 2
#define EVENT_COMM_LEN 16

enum event_kind {
	EV_STATE = 1,	    /* sock/inet_sock_set_state */
	EV_BIND = 2,	    /* bind(), explicit or implicit */
	EV_CONNECT = 3,	    /* connect() started (cgroup connect4/6 or sys_enter) */
	EV_CONNECT_RET = 4, /* connect() returned: ret is 0 or -errno */
	EV_ACCEPT = 5,	    /* accept() returned a socket: pid is the acceptor */
	EV_SNAP_SOCK = 6,   /* iter/tcp: a socket that exists now */
	EV_SNAP_OWNER = 7,  /* iter/task_file: socket skaddr held by pid/fd */
	EV_SNAP_END = 8,    /* end of one snapshot pass */
	EV_TRAFFIC = 9,	    /* a socket's own counters (struct event_tcpi) */
	EV_RETRANS = 10,    /* tcp:tcp_retransmit_skb */
	EV_RESET = 11,	    /* tcp:tcp_send_reset, tcp:tcp_receive_reset */
	EV_SNAP_NETNS = 12, /* a snapshot pass walked this network namespace */
	EV_METRIC = 13,	    /* one per-socket metric sample (metric_ids.h) */
	EV_KIND_MAX
};

/* bind option bits, bindsnoop's letters */
#define BIND_OPT_FREEBIND	(1u << 0) /* F */
#define BIND_OPT_TRANSPARENT	(1u << 1) /* T */
#define BIND_OPT_NO_PORT	(1u << 2) /* N */
#define BIND_OPT_REUSEADDR	(1u << 3) /* R */
#define BIND_OPT_REUSEPORT	(1u << 4) /* r */
#define BIND_IMPLICIT		(1u << 8) /* port taken by listen()/connect() */

/* per-CPU counter slots in the shared "counters" array map */
enum counter_slot {
	CNT_EMITTED = 0, /* records the programs tried to send */
	CNT_LOST,	 /* bpf_ringbuf_reserve failed: ring full */
	CNT_MAP_FULL,	 /* a kernel-side table was full: attribution lost */
	CNT_SLOTS
};

struct event {
	__u64 ts_ns;	/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 skaddr;	/* kernel socket address, the table key */
	__u32 pid;	/* tgid of the task in whose context it happened */
	__u32 tid;
	__u32 uid;
	__u16 kind;	/* enum event_kind */
	__u16 family;	/* AF_INET, AF_INET6 */
	__u16 protocol;	/* IPPROTO_TCP, IPPROTO_UDP */
	__u16 lport;	/* host byte order; EV_BIND: the port it got (0: none) */
	__u16 rport;	/* host byte order */
	__u8 oldstate;	/* TCP_* as the kernel numbers them */
	__u8 newstate;
	__u8 saddr[16];	/* IPv4 in the first 4 bytes */
	__u8 daddr[16];
	union {
		struct {
			char comm[EVENT_COMM_LEN];
			__s32 ret;	/* 0 or -errno (bind, connect); fd (owner) */
			__u32 ifindex;	/* bound device (SO_BINDTODEVICE) */
			__u32 flags;	/* BIND_OPT_*, BIND_IMPLICIT */
			__u32 pstart;	/* the process's start (boot-time ms, mod
					 * 2^32; 0 = unknown): with pid, which
					 * process it was */
			__u64 cgroup_id;
			__u64 aux;	/* kind-specific: connect latency ns,
					 * snapshot inode, EV_BIND: the
					 * requested port ... */
		};
		/* EV_TRAFFIC: the kernel's own per-socket counters, the ones
		 * ss -ti prints (struct tcp_sock), in place of comm .. aux;
		 * flags stays where it is. */
		struct {
			__u64 bytes_acked;	/* TX: bytes the peer acknowledged */
			__u64 bytes_received;	/* RX */
			__u32 total_retrans;	/* segments retransmitted */
			__u32 srtt_us;		/* smoothed RTT, us (srtt_us >> 3) */
			__u32 tr_flags;		/* = flags: TRAFFIC_* */
			__u32 snd_cwnd;		/* segments */
			__u64 bytes_sent;	/* with retransmits (4.19+) */
			__u64 delivery_rate;	/* bytes/s, as tcp_get_info computes it */
		} tcpi;
		/* EV_METRIC: in place of comm; ret .. aux stay, unused */
		struct {
			__u32 id; /* enum metric_id */
			__u32 op; /* METRIC_ADD, METRIC_SET */
			__u64 value;
		} metric;
	};
	/* ABI 2 */
	__u32 netns;	/* the socket's network namespace (its inode, as
			 * lsns shows it); 0 = unknown (ABI 1 recordings) */
	__u32 _pad;
};

/*
 * Kind-specific fields (connects, accepts, snapshots):
 * EV_CONNECT	 at the SYN, in the caller's context: ret = fd, aux = when
 *		 connect() was entered, newstate = SYN_SENT, cgroup_id.
 * EV_CONNECT_RET once per attempt, with the caller's pid/uid/comm: ret = 0
 *		 or -errno, aux = ns from connect() entry to the outcome,
 *		 oldstate = SYN_SENT (handshake ended) or CLOSE (failed before
 *		 any SYN), newstate = state after.
 * EV_ACCEPT	 ret = the new fd, newstate = its state, cgroup_id.
 * EV_SNAP_SOCK	 newstate = state now, uid = socket uid, aux = inode,
 *		 cgroup_id = socket's cgroup, flags SNAP_STARTUP.
 * EV_SNAP_OWNER pid/tid/uid/comm of a holder, ret = fd, aux = inode,
 *		 cgroup_id = the holder's cgroup, flags SNAP_STARTUP.
 * EV_SNAP_END	 flags SNAP_STARTUP or SNAP_RESYNC; aux = sockets seen in the pass.
 * EV_SNAP_NETNS before a namespace's sockets: netns = its inode, its name
 *		 (/run/netns, NUL-padded, cut at EVENT_NETNS_NAME_LEN - 1) in
 *		 the bytes from saddr to the end of comm (event_netns_name).
 *		 ret < 0 (-errno): it exists but could not be entered, so its
 *		 sockets were not walked.
 *		 A pass without any (ABI 1) walked one namespace only.
 * A resync pass reaches the app (and a recording) only whole, after what
 * the ring held when it ran: EV_SNAP_END is where the table is reconciled.
 */
/* EV_CONNECT: a second record of the same attempt, sent as connect()
 * returns EINPROGRESS: the SYN_SENT transition comes before the kernel
 * picks the local port, so only now are the port and address known. */
#define CONNECT_PORT	(1u << 0)

#define SNAP_STARTUP	(1u << 0) /* the start-up pass */
#define SNAP_RESYNC	(1u << 1) /* a resync pass: repairs the table (resync.h) */
#define SNAP_OWNERS	(1u << 2) /* a resync that walked the holders too */
/* EV_SNAP_NETNS: the pass could not see every namespace (no privilege):
 * one it did not report may still exist, its sockets are not gone */
#define SNAP_NETNS_PARTIAL (1u << 3)
/* EV_SNAP_SOCK: a timewait sock (TIME_WAIT, or an orphan's FIN_WAIT2): its
 * move to TIME_WAIT and its end have no event */
#define SNAP_TIMEWAIT (1u << 4)

/*
 * EV_TRAFFIC: skaddr, family, ports, addresses and newstate (state now) as
 * EV_SNAP_SOCK; pid/tid/uid/comm are not set (tcpi overlays comm). A pull
 * pass (iter/tcp) sends only sockets whose counters moved since the pass
 * before, then one record with skaddr 0 and TRAFFIC_PASS_END. At the
 * transition to CLOSE the final counters come with TRAFFIC_FINAL, right
 * after the EV_STATE (same ring record, same ts_ns).
 * EV_RETRANS	 skaddr, endpoints, newstate = state; ret = 0 or the
 *		 retransmit's error; no task (it runs in softirq or a timer).
 * EV_RESET	 skaddr (0 for a reset answering no socket), endpoints,
 *		 newstate = state, flags RESET_SENT or RESET_RECEIVED.
 * EV_METRIC	 skaddr, endpoints, netns, newstate = state, metric; no task
 *		 (hooks that run in softirq or timers).
 */
#define TRAFFIC_FINAL	  (1u << 16) /* taken at the transition to CLOSE */
#define TRAFFIC_PASS_END  (1u << 17) /* end of one pull pass; aux-free marker */
#define TRAFFIC_NO_SENT	  (1u << 18) /* this kernel's tcp_sock has no bytes_sent */
#define TRAFFIC_NO_RATE	  (1u << 19) /* ... no rate_delivered/rate_interval_us */
#define TRAFFIC_NO_BYTES  (1u << 20) /* ... no bytes_acked/bytes_received */
#define RESET_SENT	  (1u << 0)
#define RESET_RECEIVED	  (1u << 1)

#define EVENT_SIZE 128
/* the most events one ring record holds: a program may send events that go
 * together (EV_STATE at CLOSE, then its EV_TRAFFIC final counters) in one
 * record, one reservation; user space hands them on one by one */
#define EVENT_RING_MAX 2
/* the size of an ABI 1 record: recordings made with it still replay (the
 * fields after it read as 0) */
#define EVENT_SIZE_V1 120

/*
 * The short form of an IPv4 EV_STATE, for the rings only (the loader
 * makes a struct event of it; no recording or consumer sees it): 40
 * bytes, a cache line with the ring's header, where a struct event takes
 * 136 bytes (three lines to write on the producing CPU, three to read on
 * the consumer's). The state program sends it when the task in whose
 * context it runs is the one of the last full EV_STATE it put in the
 * same ring: the task's ids and name are taken from that record (rings
 * are per CPU and a program never interleaves with itself on one CPU).
 * No cgroup: a socket's first event, which names it, is always full.
 */
#define RING_STATE4 0x8001 /* kind: never a struct event's */

struct ring_state4 {
	__u64 ts_ns; /* first, as every record's: the rings merge by it */
	__u64 skaddr;
	__u16 kind; /* RING_STATE4 */
	__u16 lport;
	__u16 rport;
	__u8 oldstate;
	__u8 newstate;
	__u32 netns;
	__u8 saddr[4];
	__u8 daddr[4];
	__u32 _pad;
};

_Static_assert(sizeof(struct ring_state4) == 40, "struct ring_state4 changed size");

/* EV_SNAP_NETNS: the name spans saddr, daddr and comm (contiguous) */
#define EVENT_NETNS_NAME_LEN 48
#define event_netns_name(e) ((char *)(e) + __builtin_offsetof(struct event, saddr))

_Static_assert(__builtin_offsetof(struct event, tcpi.tr_flags) ==
		       __builtin_offsetof(struct event, flags),
	       "EV_TRAFFIC keeps flags in place");
_Static_assert(__builtin_offsetof(struct event, metric.value) + 8 <=
		       __builtin_offsetof(struct event, ret),
	       "EV_METRIC fits in comm");
_Static_assert(sizeof(struct event) == EVENT_SIZE, "struct event changed size");

#endif
