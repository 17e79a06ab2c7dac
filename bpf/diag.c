// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot fallback where BPF iterators cannot load: sockets from
 * sock_diag netlink (what ss uses), holders from /proc/PID/fd links
 * ("socket:[INODE]"). sock_diag does not give the kernel socket address,
 * so skaddr is the socket cookie: these rows cannot be matched with live
 * events of the same socket (they start a row of their own).
 */
#include "iters.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "netns.h"

#define TCPF_ALL_BUT_REQ (0xfffu & ~(1u << 12)) /* every state but NEW_SYN_RECV */

struct diag_set {
	struct event *ev;
	size_t n, cap;
};

static int set_push(struct diag_set *s, const struct event *ev)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct event *n = realloc(s->ev, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->ev = n;
		s->cap = cap;
	}
	s->ev[s->n++] = *ev;
	return 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void diag_to_event(const struct inet_diag_msg *m, struct event *e)
{
	memset(e, 0, sizeof(*e));
	e->kind = EV_SNAP_SOCK;
	e->ts_ns = mono_ns();
	e->skaddr = (uint64_t)m->id.idiag_cookie[0] | (uint64_t)m->id.idiag_cookie[1] << 32;
	e->family = m->idiag_family;
	e->protocol = IPPROTO_TCP;
	e->lport = ntohs(m->id.idiag_sport);
	e->rport = ntohs(m->id.idiag_dport);
	e->newstate = m->idiag_state;
	e->uid = m->idiag_uid;
	e->aux = m->idiag_inode;
	memcpy(e->saddr, m->id.idiag_src, m->idiag_family == AF_INET ? 4 : 16);
	memcpy(e->daddr, m->id.idiag_dst, m->idiag_family == AF_INET ? 4 : 16);
}

static bool wanted(const struct capture *c, const struct event *e)
{
	return capture_port_ok(&c->lports, e->lport) && capture_port_ok(&c->rports, e->rport);
}

/* Every TCP socket of one family. */
static int diag_family(int fd, const struct capture *c, int family, struct diag_set *out)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req = {
		.nlh = { .nlmsg_len = sizeof(req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP },
		.r = { .sdiag_family = (uint8_t)family, .sdiag_protocol = IPPROTO_TCP,
		       .idiag_states = TCPF_ALL_BUT_REQ },
	};
	long buf[8192 / sizeof(long)];
	struct event ev;

	if (send(fd, &req, sizeof(req), 0) < 0)
		return -errno;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -EPROTO;
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
				continue;
			diag_to_event(NLMSG_DATA(h), &ev);
			if (wanted(c, &ev) && set_push(out, &ev))
				return -ENOMEM;
		}
	}
}

static int by_inode(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	return x->aux < y->aux ? -1 : x->aux > y->aux;
}

/* Is pid's cgroup (from /proc) the filter directory or below it? */
static bool pid_in_cgroup(uint32_t pid, const char *filt, int rootlen)
{
	char path[64], line[PATH_MAX];
	size_t fl = strlen(filt + rootlen);
	bool in = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		in = !strncmp(line + 3, filt + rootlen, fl) && (!line[3 + fl] || line[3 + fl] == '/');
		if (!fl)
			in = true;
		break;
	}
	fclose(f);
	return in;
}

/* event.h's pstart from /proc/PID/stat's start time (field 22, clock
 * ticks since boot); 0 when it cannot be read. */
static uint32_t task_pstart(uint32_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ticks;
	long hz = sysconf(_SC_CLK_TCK);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || hz <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the name may hold anything */
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu", &ticks) != 1)
		return 0;
	return (uint32_t)(ticks * 1000 / (unsigned long long)hz);
}

static void task_identity(uint32_t pid, struct event *e)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			line[sizeof(e->comm) - 1] = '\0';
			memcpy(e->comm, line, strlen(line));
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	f = fopen(path, "re");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Uid: %*u %u", &e->uid) == 1)
				break;
		fclose(f);
	}
	e->pstart = task_pstart(pid);
}

/* Holders of the sockets in socks (sorted by inode), from /proc. */
static int proc_owners(const struct capture *c, struct diag_set *socks, struct diag_set *owners,
		       const char *filt, int rootlen)
{
	DIR *proc = opendir("/proc"), *fds;
	struct dirent *d, *fd;

	if (!proc)
		return -errno;
	while ((d = readdir(proc))) {
		char dir[64], link[96], target[64];
		struct event ev = { .kind = EV_SNAP_OWNER, .protocol = IPPROTO_TCP };
		uint32_t pid = (uint32_t)strtoul(d->d_name, NULL, 10);

		if (!pid || (c->pid && pid != c->pid))
			continue;
		if (filt && !pid_in_cgroup(pid, filt, rootlen))
			continue;
		snprintf(dir, sizeof(dir), "/proc/%u/fd", pid);
		fds = opendir(dir);
		if (!fds)
			continue;
		ev.pid = ev.tid = pid;
		task_identity(pid, &ev);
		while ((fd = readdir(fds))) {
			struct event key, *s;
			ssize_t n;

			snprintf(link, sizeof(link), "%s/%.20s", dir, fd->d_name);
			n = readlink(link, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (sscanf(target, "socket:[%llu]", (unsigned long long *)&key.aux) != 1)
				continue;
			s = bsearch(&key, socks->ev, socks->n, sizeof(*s), by_inode);
			if (!s)
				continue;
			s->flags |= 1u << 31; /* has a holder in scope */
			ev.skaddr = s->skaddr;
			ev.netns = s->netns;
			ev.family = s->family;
			ev.lport = s->lport;
			ev.rport = s->rport;
			ev.ret = atoi(fd->d_name);
			ev.aux = key.aux;
			ev.ts_ns = mono_ns();
			if (set_push(owners, &ev)) {
				closedir(fds);
				closedir(proc);
				return -ENOMEM;
			}
		}
		closedir(fds);
	}
	closedir(proc);
	return 0;
}

static bool netns_wanted(const struct capture *c, uint32_t ino)
{
	if (!c->nnetns)
		return true;
	for (uint32_t i = 0; i < c->nnetns; i++)
		if (c->netns[i] == ino)
			return true;
	return false;
}

/* Every TCP socket of one namespace, from a netlink socket made in it
 * (sock_diag answers for the namespace its socket belongs to). */
static int diag_netns(const struct capture *c, int fd, uint32_t ino, struct diag_set *out)
{
	size_t start = out->n;
	int rc = 0;

	if (c->family != AF_INET6)
		rc = diag_family(fd, c, AF_INET, out);
	if (!rc && c->family != AF_INET)
		rc = diag_family(fd, c, AF_INET6, out);
	for (size_t i = start; i < out->n; i++)
		out->ev[i].netns = ino;
	return rc;
}

/* Each namespace in turn (this thread enters it to make the netlink
 * socket, then comes back); the own one only when the others cannot be
 * entered. walked gets the namespaces asked. */
static int diag_namespaces(const struct capture *c, struct diag_set *socks,
			   struct netns_set *walked)
{
	struct netns_set set = { 0 };
	uint32_t self = netns_self();
	int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC), rc = 0;

	if (home < 0 || netns_scan(&set)) {
		set.n = 0; /* no list: the own namespace alone */
		if (!set.cap && !(set.ns = calloc(1, sizeof(*set.ns)))) {
			rc = -ENOMEM;
			goto out;
		}
		set.cap = set.cap ? set.cap : 1;
		memset(&set.ns[0], 0, sizeof(set.ns[0]));
		set.ns[0].inode = self;
		set.n = 1;
	}
	for (size_t i = 0; i < set.n && !rc; i++) {
		const struct netns_info *ns = &set.ns[i];
		bool away = ns->inode != self;
		struct stat st;
		int nsfd, fd;

		if (!netns_wanted(c, ns->inode))
			continue;
		if (away) {
			if (home < 0)
				continue;
			nsfd = open(ns->path, O_RDONLY | O_CLOEXEC);
			if (nsfd < 0 || fstat(nsfd, &st) || (uint32_t)st.st_ino != ns->inode ||
			    setns(nsfd, CLONE_NEWNET)) {
				if (nsfd >= 0)
					close(nsfd);
				continue; /* not entered: not walked */
			}
			close(nsfd);
		}
		fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		if (away && setns(home, CLONE_NEWNET)) {
			if (fd >= 0)
				close(fd);
			rc = -errno; /* stranded in another namespace */
			break;
		}
		if (fd < 0) {
			rc = away ? 0 : -errno;
			continue;
		}
		rc = diag_netns(c, fd, ns->inode, socks);
		close(fd);
		if (!rc && walked->n < walked->cap)
			walked->ns[walked->n++] = *ns;
	}
out:
	if (home >= 0)
		close(home);
	netns_set_free(&set);
	return rc;
}

int diag_snapshot(const struct capture *c, loader_sink sink, void *ctx, uint32_t flags)
{
	struct netns_set walked = { 0 };
	struct diag_set socks = { 0 }, owners = { 0 };
	char filt[PATH_MAX], err[256];
	int rc = 0, rootlen = 0, nsock = 0;
	struct event end = { .kind = EV_SNAP_END };

	if (c->cgroup) {
		rootlen = cgroup_resolve_dir(c->cgroup, filt, sizeof(filt), err, sizeof(err));
		if (rootlen < 0)
			return rootlen;
	}
	walked.cap = 4096; /* namespaces reported walked, at most */
	walked.ns = calloc(walked.cap, sizeof(*walked.ns));
	rc = walked.ns ? diag_namespaces(c, &socks, &walked) : -ENOMEM;
	if (!rc) {
		qsort(socks.ev, socks.n, sizeof(*socks.ev), by_inode);
		rc = proc_owners(c, &socks, &owners, c->cgroup ? filt : NULL, rootlen);
	}
	if (!rc) {
		/* the namespaces sock_diag was asked about */
		for (size_t i = 0; i < walked.n; i++) {
			struct event ns = { .kind = EV_SNAP_NETNS,
					    .ts_ns = mono_ns(),
					    .flags = flags,
					    .netns = walked.ns[i].inode };

			memcpy(event_netns_name(&ns), walked.ns[i].name, EVENT_NETNS_NAME_LEN - 1);
			sink(ctx, &ns);
		}
		/* with --cgroup, only sockets some process in it holds */
		for (size_t i = 0; i < socks.n; i++) {
			bool held = socks.ev[i].flags & (1u << 31);

			socks.ev[i].flags = flags;
			if (c->cgroup && !held)
				continue;
			sink(ctx, &socks.ev[i]);
			nsock++;
		}
		for (size_t i = 0; i < owners.n; i++) {
			owners.ev[i].flags = flags;
			sink(ctx, &owners.ev[i]);
		}
		end.ts_ns = mono_ns();
		end.flags = flags;
		end.aux = (uint64_t)nsock;
		sink(ctx, &end);
		rc = nsock;
	}
	free(socks.ev);
	free(owners.ev);
	netns_set_free(&walked);
	return rc;
}
