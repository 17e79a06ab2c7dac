// SPDX-License-Identifier: GPL-2.0
/*
 * The drop, in the order that leaves nothing behind: ambient and bounding
 * sets cleared (the latter needs CAP_SETPCAP, so it goes first), then
 * groups, gid and uid (setresuid to a non-zero uid with keep-caps off
 * empties the permitted and effective sets), then capset for the case
 * without a uid switch, no-new-privs, not dumpable; then everything is
 * read back. On kernels whose bpf() wants CAP_BPF even on fds already
 * held, CAP_BPF alone survives (keep-caps on just across setresuid).
 */
#include "privdrop.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CAP_WORDS _LINUX_CAPABILITY_U32S_3
#define GROUPS_MAX 65536

static int caps_get(struct __user_cap_data_struct d[CAP_WORDS])
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return syscall(SYS_capget, &h, d) ? -errno : 0;
}

static bool caps_has(const struct __user_cap_data_struct d[CAP_WORDS], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

/* a strict decimal id from the environment; -1 when absent or not one */
static long env_id(const char *name)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v >= (uid_t)-1)
		return -1;
	return (long)v;
}

/* the user's supplementary groups, from the user database; only the
 * primary group when the uid has no entry there */
static int load_groups(struct privdrop *p)
{
	struct passwd *pw = getpwuid(p->uid);
	int n = 32;

	for (;;) {
		gid_t *g = realloc(p->groups, (size_t)n * sizeof(*g));
		int want = n;

		if (!g)
			return -ENOMEM;
		p->groups = g;
		if (!pw) {
			g[0] = p->gid;
			p->ngroups = 1;
			return 0;
		}
		if (getgrouplist(pw->pw_name, p->gid, g, &want) >= 0) {
			p->ngroups = want;
			return 0;
		}
		if (want <= n || want > GROUPS_MAX)
			return -E2BIG;
		n = want;
	}
}

int privdrop_init(struct privdrop *p, char *err, size_t errsz)
{
	long su = env_id("SUDO_UID"), sg = env_id("SUDO_GID");
	int rc;

	memset(p, 0, sizeof(*p));
	p->uid = getuid();
	p->gid = getgid();
	if (geteuid() != 0)
		return 0; /* capabilities without root (file caps): keep the uid */
	if (p->uid != 0) {
		/* set-uid root: back to the real user; SUDO_* are not to be
		 * trusted here, that user set them */
		p->switch_user = true;
	} else if (getenv("SUDO_UID")) {
		if (su < 0 || sg < 0) {
			snprintf(err, errsz, "started by sudo but SUDO_UID/SUDO_GID are not "
				 "numeric ids: cannot tell whom to switch to");
			return -EINVAL;
		}
		p->uid = (uid_t)su;
		p->gid = (gid_t)sg;
		p->switch_user = su != 0;
	}
	if (!p->switch_user)
		return 0;
	rc = load_groups(p);
	if (rc)
		snprintf(err, errsz, "reading the groups of uid %u: %s", (unsigned)p->uid,
			 strerror(-rc));
	return rc;
}

void privdrop_free(struct privdrop *p)
{
	free(p->groups);
	p->groups = NULL;
	p->ngroups = 0;
}

int privdrop_open(const struct privdrop *p, const char *path, int flags, mode_t mode)
{
	gid_t *saved;
	int nsaved, fd, err;

	if (!p->switch_user || p->dropped) {
		fd = open(path, flags, mode);
		return fd < 0 ? -errno : fd;
	}
	/* the fs uid/gid and groups decide access and the new file's owner;
	 * setfsuid to the user also clears the file capabilities meanwhile */
	nsaved = getgroups(0, NULL);
	saved = calloc((size_t)(nsaved > 0 ? nsaved : 1), sizeof(*saved));
	if (!saved)
		return -ENOMEM;
	if (nsaved < 0 || getgroups(nsaved, saved) != nsaved ||
	    setgroups((size_t)p->ngroups, p->groups)) {
		err = -errno;
		free(saved);
		return err;
	}
	setfsgid(p->gid);
	setfsuid(p->uid);
	if ((uid_t)setfsuid(p->uid) != p->uid || (gid_t)setfsgid(p->gid) != p->gid) {
		fd = -EPERM;
	} else {
		fd = open(path, flags, mode);
		if (fd < 0)
			fd = -errno;
	}
	setfsuid(0);
	setfsgid(0);
	err = setgroups((size_t)nsaved, saved) ? -errno : 0;
	free(saved);
	if (err || setfsuid(0) != 0 || setfsgid(0) != 0) {
		/* cannot get back: the drop comes anyway, but say it */
		if (fd >= 0)
			close(fd);
		return err ? err : -EPERM;
	}
	return fd;
}

/* PR_SET_DUMPABLE etc. must hold for every thread: insist on one. */
static int count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* A joined thread has cleared its tid but may stay in /proc/self/task until
 * the kernel releases it a moment later (seen on slow, emulated CPUs): wait
 * up to a second for the count to settle before calling it a second thread. */
static int threads(void)
{
	struct timespec tick = { 0, 1000000 };
	int n = count_threads();

	for (int i = 0; i < 1000 && n > 1; i++) {
		nanosleep(&tick, NULL);
		n = count_threads();
	}
	return n;
}

static int last_cap(void)
{
	int c = CAP_LAST_CAP;

	/* the kernel may know more capabilities than these headers */
	while (c < 63 && prctl(PR_CAPBSET_READ, c + 1, 0, 0, 0) >= 0)
		c++;
	return c;
}

#define FAIL(...) do { snprintf(err, errsz, __VA_ARGS__); return -EPERM; } while (0)

static bool kept(uint64_t keep, int c)
{
	return c < 64 && (keep & (1ULL << c));
}

static int verify(const struct privdrop *p, bool bounding, char *err, size_t errsz)
{
	struct __user_cap_data_struct d[CAP_WORDS];
	uint64_t eff, prm;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int top = last_cap();

	if (getresuid(&ru, &eu, &su) || getresgid(&rg, &eg, &sg))
		FAIL("cannot read back the uids: %s", strerror(errno));
	if (ru != p->uid || eu != p->uid || su != p->uid)
		FAIL("uids are %u/%u/%u, not %u", ru, eu, su, p->uid);
	if (rg != p->gid || eg != p->gid || sg != p->gid)
		FAIL("gids are %u/%u/%u, not %u", rg, eg, sg, p->gid);
	if (p->switch_user && getgroups(0, NULL) != p->ngroups)
		FAIL("supplementary groups not replaced");
	if (caps_get(d))
		FAIL("cannot read back the capabilities: %s", strerror(errno));
	eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	prm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	if (eff != p->kept || prm != p->kept || d[0].inheritable || d[1].inheritable)
		FAIL("capabilities left after the drop");
	for (int c = 0; c <= top; c++) {
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) > 0)
			FAIL("ambient capability %d left", c);
		if (bounding && prctl(PR_CAPBSET_READ, c, 0, 0, 0) > 0 && !kept(p->kept, c))
			FAIL("capability %d left in the bounding set", c);
	}
	if (prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 0)
		FAIL("keep-caps is still on");
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		FAIL("no-new-privs is not set");
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		FAIL("still dumpable (ptrace-able by uid %u)", p->uid);
	if (p->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		FAIL("could become root again after the drop");
	return 0;
}

static int caps_set(uint64_t keep)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[CAP_WORDS];

	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/* Everything but keep goes; keep stays permitted and effective. */
static int drop(struct privdrop *p, uint64_t keep, bool bounding, char *err, size_t errsz)
{
	int top = last_cap();

	/* keep-caps carries the permitted set across setresuid: off, unless
	 * something is to be kept (and off again right after) */
	if (prctl(PR_SET_KEEPCAPS, keep && p->switch_user, 0, 0, 0))
		FAIL("PR_SET_KEEPCAPS: %s", strerror(errno));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		FAIL("clearing the ambient capabilities: %s", strerror(errno));
	/* the bounding set can only shrink with CAP_SETPCAP (which a start
	 * through sudo has); without it nothing can be regained anyway:
	 * the permitted set goes and no-new-privs blocks set-uid/file caps */
	for (int c = 0; bounding && c <= top; c++)
		if (!kept(keep, c) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) && errno != EINVAL)
			FAIL("dropping capability %d from the bounding set: %s", c,
			     strerror(errno));
	if (p->switch_user) {
		if (setgroups((size_t)p->ngroups, p->groups))
			FAIL("setgroups: %s", strerror(errno));
		if (setresgid(p->gid, p->gid, p->gid))
			FAIL("setresgid(%u): %s", p->gid, strerror(errno));
		if (setresuid(p->uid, p->uid, p->uid))
			FAIL("setresuid(%u): %s", p->uid, strerror(errno));
	}
	if (caps_set(keep))
		FAIL("clearing the capabilities: %s", strerror(errno));
	if (keep && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0))
		FAIL("PR_SET_KEEPCAPS: %s", strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		FAIL("PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	/* a uid change resets dumpable only to fs.suid_dumpable, and a start
	 * as root without sudo changes no uid: set it. Not dumpable also
	 * makes /proc/PID/{mem,environ,fd} root's, not the user's. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		FAIL("PR_SET_DUMPABLE: %s", strerror(errno));
	return 0;
}

/* A BPF map fd this process holds, or -1 (replaying: none). */
static int held_bpf_fd(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int fd = -1;

	if (!d)
		return -1;
	while (fd < 0 && (de = readdir(d))) {
		char link[64], target[32];
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%.20s", de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			if (!strcmp(target, "anon_inode:bpf-map"))
				fd = atoi(de->d_name);
		}
	}
	closedir(d);
	return fd;
}

/*
 * Does bpf() still answer on the fds held once every capability is gone?
 * Since Linux 6.5 it does; before, kernel.unprivileged_bpf_disabled (on
 * by default in most distributions) refuses every bpf() command without
 * CAP_BPF, and the counters, recursion misses and resync would stop
 * while the UI went on showing their last values. Tried for real in a
 * child that drops everything (the same fds, the same kernel).
 */
static bool bpf_works_unprivileged(const struct privdrop *p, bool bounding)
{
	const char *fault = getenv("SOCKTOP_PRIVDROP_FAULT");
	int fd = held_bpf_fd(), status;
	pid_t pid;

	if (fd < 0)
		return true; /* nothing to keep working */
	if (fault && !strcmp(fault, "bpf-refused"))
		return false; /* tests: act as on a kernel before 6.5 */
	fflush(NULL); /* the child leaves with _exit, but be sure */
	pid = fork();
	if (pid == 0) {
		struct privdrop c = *p;
		struct bpf_map_info info;
		__u32 len = sizeof(info);
		char err[8];

		memset(&info, 0, sizeof(info));
		if (drop(&c, 0, bounding, err, sizeof(err)))
			_exit(2);
		_exit(bpf_obj_get_info_by_fd(fd, &info, &len) ? 1 : 0);
	}
	if (pid < 0)
		return false; /* cannot tell: keep what the counters need */
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int privdrop_apply(struct privdrop *p, char *err, size_t errsz)
{
	struct __user_cap_data_struct d[CAP_WORDS];
	bool bounding;
	int n = threads(), rc;

	if (n < 0)
		FAIL("cannot count this process's threads: %s", strerror(-n));
	if (n != 1)
		FAIL("%d threads: capabilities are per thread, cannot drop them all", n);
	if (caps_get(d))
		FAIL("cannot read the capabilities: %s", strerror(errno));
	bounding = caps_has(d, CAP_SETPCAP);
	p->kept = 0;
	p->note[0] = '\0';
	if (!bpf_works_unprivileged(p, bounding)) {
		if (!caps_has(d, CAP_BPF))
			FAIL("this kernel refuses bpf() without CAP_BPF (kernel."
			     "unprivileged_bpf_disabled before Linux 6.5), and it is not held");
		p->kept = 1ULL << CAP_BPF;
		snprintf(p->note, sizeof(p->note), "privileges dropped but CAP_BPF: this kernel "
			 "refuses bpf() on socktop's own maps and links without it "
			 "(kernel.unprivileged_bpf_disabled before Linux 6.5)");
	}
	rc = drop(p, p->kept, bounding, err, errsz);
	if (rc)
		return rc;
	p->dropped = true;
	return verify(p, bounding, err, errsz);
}
