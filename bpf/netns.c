// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespace discovery (netns.h). A namespace nobody holds is
 * gone, so the processes and the nsfs mounts are the namespaces there are
 * (one held only by an open fd or a socket in another namespace is
 * missed).
 */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const name_dirs[] = { "/run/netns", "/var/run/netns" };

uint32_t netns_self(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) && stat("/proc/self/ns/net", &st))
		return 0;
	return (uint32_t)st.st_ino;
}

void netns_name_of(uint32_t inode, char *out, size_t outsz)
{
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(name_dirs) / sizeof(name_dirs[0]) && inode; i++) {
		DIR *d = opendir(name_dirs[i]);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d))) {
			char p[PATH_MAX];
			struct stat st;

			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", name_dirs[i], de->d_name);
			if (!stat(p, &st) && (uint32_t)st.st_ino == inode) {
				snprintf(out, outsz, "%s", de->d_name);
				break;
			}
		}
		closedir(d);
		if (out[0])
			return;
	}
}

static int set_add(struct netns_set *s, uint32_t inode, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->ns[i].inode == inode)
			return 0;
	if (strlen(path) >= sizeof(s->ns[0].path))
		return 0; /* cannot be opened again by that name: another holder will do */
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct netns_info *n = realloc(s->ns, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->ns = n;
		s->cap = cap;
	}
	memset(&s->ns[s->n], 0, sizeof(s->ns[0]));
	s->ns[s->n].inode = inode;
	snprintf(s->ns[s->n].path, sizeof(s->ns[0].path), "%s", path);
	s->n++;
	return 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* nsfs mounts of network namespaces: "... ROOT MOUNTPOINT ... - nsfs ..." */
static int scan_mounts(struct netns_set *s)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int err = 0;

	if (!f)
		return 0;
	while (!err && fgets(line, sizeof(line), f)) {
		char root[256], mnt[1024], *sep = strstr(line, " - nsfs ");
		unsigned int inode;

		if (!sep || sscanf(line, "%*u %*u %*s %255s %1023s", root, mnt) != 2)
			continue;
		if (sscanf(root, "net:[%u]", &inode) != 1)
			continue;
		unescape(mnt);
		err = set_add(s, inode, mnt);
	}
	fclose(f);
	return err;
}

static int scan_procs(struct netns_set *s)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int err = 0;

	if (!d)
		return -errno;
	while (!err && (de = readdir(d))) {
		char p[64];
		struct stat st;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%.20s/ns/net", de->d_name);
		if (!stat(p, &st))
			err = set_add(s, (uint32_t)st.st_ino, p);
	}
	closedir(d);
	return err;
}

static int by_inode(const void *a, const void *b)
{
	const struct netns_info *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

int netns_scan(struct netns_set *s)
{
	uint32_t self = netns_self();
	int err;

	s->n = 0;
	if (self)
		err = set_add(s, self, "/proc/thread-self/ns/net");
	else
		err = 0;
	if (!err)
		err = scan_mounts(s); /* a mount names a namespace better than a pid */
	if (!err)
		err = scan_procs(s);
	if (err)
		return err;
	qsort(s->ns, s->n, sizeof(s->ns[0]), by_inode);
	for (size_t i = 0; i < s->n; i++)
		netns_name_of(s->ns[i].inode, s->ns[i].name, sizeof(s->ns[i].name));
	return 0;
}

void netns_set_free(struct netns_set *s)
{
	free(s->ns);
	memset(s, 0, sizeof(*s));
}

/* one word of --netns: an inode, or a name under /run/netns */
static int resolve_one(const char *w, uint32_t *ino, char *err, size_t errsz)
{
	char *end, p[PATH_MAX];
	unsigned long v;
	struct stat st;

	errno = 0;
	v = strtoul(w, &end, 10);
	if (*w >= '0' && *w <= '9' && !*end && !errno && v && v <= UINT32_MAX) {
		*ino = (uint32_t)v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(name_dirs) / sizeof(name_dirs[0]); i++) {
		if (!*w || strchr(w, '/') || !strcmp(w, ".") || !strcmp(w, ".."))
			break;
		snprintf(p, sizeof(p), "%s/%s", name_dirs[i], w);
		if (!stat(p, &st)) {
			*ino = (uint32_t)st.st_ino;
			return 0;
		}
	}
	snprintf(err, errsz, "--netns: '%s' is neither a namespace inode nor a name in /run/netns",
		 w);
	return -EINVAL;
}

int netns_resolve_list(const char *list, uint32_t ids[NETNS_FILTER_MAX], uint32_t *n, char *err,
		       size_t errsz)
{
	char word[256];
	const char *p = list;

	*n = 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int rc;

		if (*n == NETNS_FILTER_MAX) {
			snprintf(err, errsz, "--netns: at most %d namespaces", NETNS_FILTER_MAX);
			return -EINVAL;
		}
		if (len >= sizeof(word)) {
			snprintf(err, errsz, "--netns: a name longer than %zu bytes",
				 sizeof(word) - 1);
			return -EINVAL;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		rc = resolve_one(word, &ids[*n], err, errsz);
		if (rc)
			return rc;
		(*n)++;
		p += len;
		if (*p == ',')
			p++;
	}
	if (!*n) {
		snprintf(err, errsz, "--netns: an empty list");
		return -EINVAL;
	}
	return 0;
}
