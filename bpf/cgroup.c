// SPDX-License-Identifier: GPL-2.0
/* Cgroup v2 path -> (id, level) for the in-kernel --cgroup filter. */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "probe.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

uint64_t cgroup_id_of(const char *dir)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h;
	int mount_id;
	uint64_t id = 0;

	h.fh.handle_bytes = sizeof(h.id);
	if (name_to_handle_at(AT_FDCWD, dir, &h.fh, &mount_id, 0))
		return 0;
	if (h.fh.handle_bytes == sizeof(id))
		memcpy(&id, h.fh.f_handle, sizeof(id));
	return id;
}

/* path components of a path below the root ("/a/b" = 2, "" = 0) */
static uint32_t depth_below(const char *p)
{
	uint32_t n = 0;

	for (; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			n++;
	return n;
}

int cgroup_resolve_dir(const char *path, char *real, size_t realsz, char *err, size_t errsz)
{
	char rootbuf[PATH_MAX], root[PATH_MAX], want[PATH_MAX], buf[PATH_MAX];
	struct statfs sfs;
	size_t rl;

	if (!probe_cgroup2_root(rootbuf, sizeof(rootbuf)) || !realpath(rootbuf, root)) {
		snprintf(err, errsz, "--cgroup: no cgroup v2 hierarchy is mounted");
		return -ENOENT;
	}
	rl = strlen(root);
	if (!realpath(path, buf)) {
		/* relative to the cgroup2 root */
		snprintf(want, sizeof(want), "%s/%s", root, path[0] == '/' ? path + 1 : path);
		if (!realpath(want, buf)) {
			snprintf(err, errsz, "--cgroup %s: %s (give a directory under %s)", path,
				 strerror(errno), root);
			return -ENOENT;
		}
	}
	if (strncmp(buf, root, rl) || (buf[rl] && buf[rl] != '/') || statfs(buf, &sfs) ||
	    sfs.f_type != CGROUP2_SUPER_MAGIC) {
		snprintf(err, errsz, "--cgroup %s: not a cgroup v2 directory (the v2 root is %s)",
			 path, root);
		return -EINVAL;
	}
	if (strlen(buf) >= realsz)
		return -ENAMETOOLONG;
	memcpy(real, buf, strlen(buf) + 1);
	return (int)rl;
}

int cgroup_resolve(const char *path, uint64_t *id, uint32_t *level, char *err, size_t errsz)
{
	char real[PATH_MAX];
	int rl = cgroup_resolve_dir(path, real, sizeof(real), err, errsz);

	if (rl < 0)
		return rl;
	*id = cgroup_id_of(real);
	if (!*id) {
		snprintf(err, errsz, "--cgroup %s: cannot read its id: %s", path, strerror(errno));
		return -EINVAL;
	}
	*level = depth_below(real + rl);
	return 0;
}

/* Depth-first search for the directory whose id is id; path holds it on
 * success (1). Needs no privilege: name_to_handle_at reads the id. */
static int find_id(char *path, size_t len, int depth, uint64_t id)
{
	struct dirent *de;
	DIR *d;
	int found = 0;

	if (cgroup_id_of(path) == id)
		return 1;
	if (depth > 32 || !(d = opendir(path)))
		return 0;
	while (!found && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (de->d_type != DT_DIR || de->d_name[0] == '.' || len + 1 + n >= PATH_MAX)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, n + 1);
		found = find_id(path, len + 1 + n, depth + 1, id);
		if (!found)
			path[len] = '\0';
	}
	closedir(d);
	return found;
}

/* Without CAP_DAC_READ_SEARCH (after the privilege drop): walk the tree. */
static int path_by_walk(const char *root, uint64_t id, char *path)
{
	snprintf(path, PATH_MAX, "%s", root);
	return find_id(path, strlen(path), 0, id) ? 0 : -ENOENT;
}

int cgroup_path_of_id(uint64_t id, char *out, size_t outsz)
{
	char rootbuf[PATH_MAX], link[64], path[PATH_MAX];
	struct {
		struct file_handle fh;
		uint64_t id;
	} h;
	int mfd, fd, rl;
	ssize_t n;

	if (!outsz)
		return -EINVAL;
	out[0] = '\0';
	if (!probe_cgroup2_root(rootbuf, sizeof(rootbuf)))
		return -ENOENT;
	mfd = open(rootbuf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		return -errno;
	h.fh.handle_bytes = sizeof(h.id);
	h.fh.handle_type = 0xfe; /* FILEID_KERNFS */
	h.id = id;
	fd = open_by_handle_at(mfd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(mfd);
	if (fd < 0 && errno == EPERM) {
		if (path_by_walk(rootbuf, id, path))
			return -ENOENT;
	} else if (fd < 0) {
		return -errno;
	} else {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		close(fd);
		if (n < 0)
			return -errno;
		path[n] = '\0';
	}
	/* the link is relative to this process's mount namespace: strip the
	 * cgroup2 mount point when it is there */
	rl = (int)strlen(rootbuf);
	if (!strncmp(path, rootbuf, (size_t)rl) && (path[rl] == '/' || !path[rl]))
		memmove(path, path + rl, strlen(path + rl) + 1);
	if (strlen(path) >= outsz)
		memmove(path, path + strlen(path) - (outsz - 1), outsz); /* keep the tail */
	memcpy(out, path, strlen(path) + 1);
	return 0;
}

struct cg_walk {
	bool (*want)(const char *path, void *ctx);
	void *ctx;
	uint64_t *ids;
	int max, n;
	size_t rootlen;
};

/* Depth-first over one directory; -E2BIG once more than max match. */
static int walk(struct cg_walk *w, char *path, size_t len, int depth)
{
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (w->want(w->rootlen < len ? path + w->rootlen : "/", w->ctx)) {
		if (w->n == w->max)
			return -E2BIG;
		w->ids[w->n] = cgroup_id_of(path);
		if (w->ids[w->n])
			w->n++;
	}
	if (depth > 32 || !(d = opendir(path)))
		return 0;
	while (!rc && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (de->d_type != DT_DIR || de->d_name[0] == '.' || len + 1 + n >= PATH_MAX)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, de->d_name, n + 1);
		rc = walk(w, path, len + 1 + n, depth + 1);
		path[len] = '\0';
	}
	closedir(d);
	return rc;
}

int cgroup_ids_where(bool (*want)(const char *path, void *ctx), void *ctx, uint64_t *ids, int max)
{
	char root[PATH_MAX];
	struct cg_walk w = { .want = want, .ctx = ctx, .ids = ids, .max = max };
	int rc;

	if (!probe_cgroup2_root(root, sizeof(root)))
		return -ENOENT;
	w.rootlen = strlen(root);
	rc = walk(&w, root, w.rootlen, 0);
	return rc < 0 ? rc : w.n;
}

static bool path_has(const char *path, void *name)
{
	return strstr(path, name) != NULL;
}

int cgroup_ids_matching(const char *name, uint64_t *ids, int max)
{
	return cgroup_ids_where(path_has, (void *)name, ids, max);
}
