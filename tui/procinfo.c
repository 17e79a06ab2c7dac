// SPDX-License-Identifier: GPL-2.0
/* /proc and cgroup lookups for the Processes pane and cgroup columns. */
#include "procinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uthash.h>

#include "cgroup.h"

#define CG_CACHE_MAX 4096
#define CG_NAME_LEN 256 /* whole paths: a container is named from the head too (kubepods) */

struct cg_name {
	uint64_t id;
	char name[CG_NAME_LEN];
	UT_hash_handle hh;
};

struct cg_names {
	struct cg_name *h;
	uint32_t n;
	uint64_t flushes;
};

bool procinfo_is(uint32_t pid, uint32_t pstart)
{
	char path[64], buf[1024], *p;
	unsigned long long ticks;
	long hz = sysconf(_SC_CLK_TCK);
	uint32_t ms;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	if (!pstart || hz <= 0)
		return true;
	buf[n] = '\0';
	/* the name may hold anything: fields start after its last ')' */
	p = strrchr(buf, ')');
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu", &ticks) != 1)
		return true;
	ms = (uint32_t)(ticks * 1000 / (unsigned long long)hz);
	return (uint32_t)(pstart - ms) < (uint32_t)(1000 / hz + 1);
}

int procinfo_cmdline(uint32_t pid, char *out, size_t outsz)
{
	char path[64];
	ssize_t n;
	int fd;

	if (!outsz)
		return -EINVAL;
	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, out, outsz - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && out[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if (!out[i])
			out[i] = ' ';
	out[n] = '\0';
	return 0;
}

char *procinfo_user(uint32_t uid, char *out, size_t outsz)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (!getpwuid_r(uid, &pw, buf, sizeof(buf), &res) && res)
		snprintf(out, outsz, "%s", pw.pw_name);
	else
		snprintf(out, outsz, "%u", uid);
	return out;
}

/* "0::/system.slice/x.service" -> "/system.slice/x.service"; "" for "/" */
void procinfo_cgroup(uint32_t pid, char *out, size_t outsz)
{
	char path[64], line[512];
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *v = line + 3;
		size_t n;

		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		n = strlen(v);
		if (!strcmp(v, "/") || !outsz)
			break;
		if (n >= outsz) /* long paths keep their tail, which names the unit */
			v += n - (outsz - 1);
		memcpy(out, v, strlen(v) + 1);
		break;
	}
	fclose(f);
}

struct cg_names *cg_names_new(void)
{
	return calloc(1, sizeof(struct cg_names));
}

static void cg_names_clear(struct cg_names *c)
{
	struct cg_name *e, *te;

	HASH_ITER(hh, c->h, e, te) {
		HASH_DEL(c->h, e);
		free(e);
	}
	c->n = 0;
}

void cg_names_free(struct cg_names *c)
{
	if (!c)
		return;
	cg_names_clear(c);
	free(c);
}

uint64_t cg_names_flushes(const struct cg_names *c)
{
	return c->flushes;
}

const char *cg_names_get(struct cg_names *c, uint64_t id, bool live)
{
	struct cg_name *e;

	if (id <= 1) /* unknown, or the root cgroup */
		return "";
	HASH_FIND(hh, c->h, &id, sizeof(id), e);
	if (e)
		return e->name;
	if (c->n >= CG_CACHE_MAX) {
		/* bounded: start afresh; names still in use come back */
		cg_names_clear(c);
		c->flushes++;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return "?";
	e->id = id;
	if (!live || cgroup_path_of_id(id, e->name, sizeof(e->name)) || !strcmp(e->name, "/"))
		snprintf(e->name, sizeof(e->name), "#%llu", (unsigned long long)id);
	HASH_ADD(hh, c->h, id, sizeof(e->id), e);
	c->n++;
	return e->name;
}
