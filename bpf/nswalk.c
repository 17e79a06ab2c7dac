// SPDX-License-Identifier: GPL-2.0
/* Iterator fds made in every network namespace (nswalk.h). */
#include "nswalk.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/capability.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "netns.h"

struct nswalk {
	pid_t pid;
	int sock;
	pthread_mutex_t lock; /* one walk at a time on the socket */
};

/* one message per namespace; inode 0 ends a walk (err: 0 or -errno) */
struct ns_msg {
	uint32_t inode;
	int32_t err;
	uint32_t partial;
	char name[EVENT_NETNS_NAME_LEN];
};

/* Tcp CurrEstab of the calling thread's network namespace (its
 * connections in ESTABLISHED or CLOSE_WAIT), or -1 when unknown. */
static long curr_estab(void)
{
	FILE *f = fopen("/proc/thread-self/net/snmp", "re");
	char head[1024], vals[1024];
	long n = -1;

	if (!f)
		return -1;
	while (fgets(head, sizeof(head), f)) {
		char *hs, *vs, *h, *v;

		if (strncmp(head, "Tcp:", 4) || !fgets(vals, sizeof(vals), f))
			continue;
		/* a header line names the columns of the value line after it */
		h = strtok_r(head, " \n", &hs);
		v = strtok_r(vals, " \n", &vs);
		for (; h && v; h = strtok_r(NULL, " \n", &hs), v = strtok_r(NULL, " \n", &vs))
			if (!strcmp(h, "CurrEstab")) {
				n = strtol(v, NULL, 10);
				break;
			}
		break;
	}
	fclose(f);
	return n;
}

/* Enter each namespace in turn (this thread only), make an iterator fd
 * there, hand it to cb; come back to the namespace it started in. With
 * NSWALK_ESTABLISHED a namespace without a connection is not walked: cb
 * gets -ENOENT for it (a walk of a namespace costs a walk of the host's
 * whole TCP hash table, which namespaces share). */
static int walk_here(int link_fd, unsigned flags, nswalk_cb cb, void *ctx)
{
	struct netns_set set = { 0 };
	int home, n = 0, err;
	uint32_t self = netns_self();
	bool partial;

	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	/* entering its own namespace tells whether it may enter others (and,
	 * with the same privilege, see every process's) */
	partial = home < 0 || setns(home, CLONE_NEWNET) != 0;
	err = netns_scan(&set);
	if (err || home < 0) {
		/* no list, or no way back: the own namespace alone */
		int fd = bpf_iter_create(link_fd);
		char name[EVENT_NETNS_NAME_LEN];

		if (home >= 0)
			close(home);
		netns_set_free(&set);
		if (fd < 0)
			return -errno;
		netns_name_of(self, name, sizeof(name));
		err = cb(ctx, self, name, fd, true);
		return err < 0 ? err : 1;
	}
	for (size_t i = 0; i < set.n && err >= 0; i++) {
		const struct netns_info *ns = &set.ns[i];
		bool away = ns->inode != self;
		struct stat st;
		int nsfd = -1, fd;

		if (away) {
			nsfd = open(ns->path, O_RDONLY | O_CLOEXEC);
			/* the pid may have gone, or been reused, since the scan */
			if (nsfd >= 0 && (fstat(nsfd, &st) || (uint32_t)st.st_ino != ns->inode)) {
				close(nsfd);
				nsfd = -1;
				errno = ESRCH;
			}
			if (nsfd < 0 || setns(nsfd, CLONE_NEWNET)) {
				/* found, not walked: its sockets are left alone */
				err = cb(ctx, ns->inode, ns->name, -errno, partial);
				if (nsfd >= 0)
					close(nsfd);
				continue;
			}
			close(nsfd);
		}
		if ((flags & NSWALK_ESTABLISHED) && !curr_estab())
			fd = -ENOENT;
		else if ((fd = bpf_iter_create(link_fd)) < 0)
			fd = -errno;
		if (away && setns(home, CLONE_NEWNET)) {
			/* stranded in another namespace: never walk from here */
			if (fd >= 0)
				close(fd);
			err = -errno;
			break;
		}
		err = cb(ctx, ns->inode, ns->name, fd, partial);
		n += fd >= 0;
	}
	close(home);
	netns_set_free(&set);
	return err < 0 ? err : n;
}

/* the helper's side: send each fd as it is made */
static int send_ns(void *ctx, uint32_t inode, const char *name, int fd, bool partial)
{
	struct ns_msg m = { .inode = inode, .err = fd < 0 ? fd : 0, .partial = partial };
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	ssize_t r;

	strncpy(m.name, name, sizeof(m.name) - 1);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (fd < 0) { /* nothing to pass along */
		mh.msg_control = NULL;
		mh.msg_controllen = 0;
	}
	r = sendmsg(*(int *)ctx, &mh, MSG_NOSIGNAL);
	if (fd >= 0)
		close(fd);
	return r == (ssize_t)sizeof(m) ? 0 : -EPIPE;
}

/* The helper keeps only what a walk needs: entering namespaces
 * (SYS_ADMIN), opening other users' /proc/PID/ns (SYS_PTRACE,
 * DAC_READ_SEARCH) and making iterator fds (BPF, on kernels that ask). */
static void keep_walk_caps(void)
{
	static const int keep[] = { CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, CAP_BPF };
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d))
		return;
	for (int w = 0; w < _LINUX_CAPABILITY_U32S_3; w++) {
		uint32_t mask = 0;

		for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
			if (keep[i] / 32 == w)
				mask |= 1u << (keep[i] % 32);
		d[w].effective &= mask;
		d[w].permitted &= mask;
		d[w].inheritable = 0;
	}
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		bool kept = false;

		for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
			kept |= keep[i] == cap;
		if (!kept)
			prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
	}
	syscall(SYS_capset, &h, d);
}

static void helper_main(int sock, int link_fd, pid_t parent)
{
	static const int quiet[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP,
				     SIGWINCH, SIGPIPE };
	sigset_t none;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* socktop ended before the line above */
		_exit(0);
	prctl(PR_SET_DUMPABLE, 0);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	keep_walk_caps();
	for (size_t i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		signal(quiet[i], SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* keep only the socket (3) and the link (4) */
	if (dup2(sock, 3) < 0 || dup2(link_fd, 4) < 0)
		_exit(1);
	if (syscall(SYS_close_range, 5, ~0U, 0)) {
		for (int fd = 5; fd < 1024; fd++)
			close(fd);
	}
	for (int fd = 0; fd < 3; fd++) {
		int null = open("/dev/null", O_RDWR);

		if (null >= 0 && null != fd) {
			dup2(null, fd);
			close(null);
		}
	}
	sock = 3;
	/* a request is one byte: the walk's flags */
	while (read(sock, &c, 1) == 1) {
		struct ns_msg end = { 0 };

		end.err = walk_here(4, (unsigned char)c, send_ns, &sock);
		if (end.err > 0)
			end.err = 0;
		if (send(sock, &end, sizeof(end), MSG_NOSIGNAL) != sizeof(end))
			break;
	}
	_exit(0);
}

/* entering its own namespace tells without changing anything */
bool nswalk_may_enter(void)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && !setns(fd, CLONE_NEWNET);

	if (fd >= 0)
		close(fd);
	return ok;
}

struct nswalk *nswalk_start(int link_fd)
{
	struct nswalk *w = calloc(1, sizeof(*w));
	pid_t parent = getpid();
	int sv[2];

	if (!w)
		return NULL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		free(w);
		return NULL;
	}
	w->pid = fork();
	if (w->pid < 0) {
		int e = errno;

		close(sv[0]);
		close(sv[1]);
		free(w);
		errno = e;
		return NULL;
	}
	if (w->pid == 0) {
		close(sv[0]);
		helper_main(sv[1], link_fd, parent);
	}
	close(sv[1]);
	w->sock = sv[0];
	pthread_mutex_init(&w->lock, NULL);
	return w;
}

void nswalk_stop(struct nswalk *w)
{
	if (!w)
		return;
	close(w->sock); /* the helper reads EOF and exits */
	while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
		;
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* the asking side: one request, messages until the end one */
/* *got: namespaces handed to cb (a helper that dies halfway leaves the
 * rest unwalked, not walked twice) */
static int walk_remote(struct nswalk *w, unsigned flags, nswalk_cb cb, void *ctx, int *got)
{
	int n = 0, err = 0;
	char req = (char)flags;

	if (send(w->sock, &req, 1, MSG_NOSIGNAL) != 1)
		return -errno;
	for (;;) {
		char cbuf[CMSG_SPACE(sizeof(int))];
		struct ns_msg m;
		struct iovec iov = { &m, sizeof(m) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *c;
		ssize_t r = recvmsg(w->sock, &mh, MSG_CMSG_CLOEXEC);
		int fd = -1;

		if (r < 0 && errno == EINTR)
			continue;
		if (r != (ssize_t)sizeof(m))
			return r < 0 ? -errno : -EPIPE;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
				memcpy(&fd, CMSG_DATA(c), sizeof(int));
		if (!m.inode) {
			if (fd >= 0)
				close(fd);
			return err < 0 ? err : m.err < 0 ? m.err : n;
		}
		if (fd < 0)
			fd = m.err < 0 ? m.err : -EBADF;
		m.name[sizeof(m.name) - 1] = '\0';
		if (err < 0) { /* drain the rest of the walk */
			if (fd >= 0)
				close(fd);
			continue;
		}
		err = cb(ctx, m.inode, m.name, fd, m.partial != 0);
		n += fd >= 0;
		(*got)++;
	}
}

int nswalk_run(struct nswalk *w, int link_fd, unsigned flags, nswalk_cb cb, void *ctx)
{
	int n, got = 0;

	if (!w || w->sock < 0)
		return walk_here(link_fd, flags, cb, ctx);
	pthread_mutex_lock(&w->lock);
	n = walk_remote(w, flags, cb, ctx, &got);
	if (n == -EPIPE || n == -ECONNRESET) {
		/* the helper is gone: from here on this thread walks (this
		 * pass too, unless it had begun) */
		close(w->sock);
		w->sock = -1;
		n = got ? -EPIPE : walk_here(link_fd, flags, cb, ctx);
	}
	pthread_mutex_unlock(&w->lock);
	return n;
}
