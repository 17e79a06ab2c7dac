// SPDX-License-Identifier: GPL-2.0
/* Container names from cgroup v2 paths (container.h). */
#include "container.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ID_SHOWN 12

/* one path component: [p, p + n) */
struct comp {
	const char *p;
	size_t n;
};

static bool starts(const struct comp *c, const char *pre)
{
	size_t n = strlen(pre);

	return c->n >= n && !memcmp(c->p, pre, n);
}

static bool ends(const struct comp *c, const char *suf)
{
	size_t n = strlen(suf);

	return c->n >= n && !memcmp(c->p + c->n - n, suf, n);
}

static bool all_hex(const char *p, size_t n)
{
	if (n < ID_SHOWN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* The id between prefix and suffix of c ("docker-" ID ".scope"), when it
 * is one (hex, at least 12 long) */
static bool id_between(const struct comp *c, const char *pre, const char *suf, struct comp *id)
{
	size_t a = strlen(pre), b = strlen(suf);

	if (!starts(c, pre) || !ends(c, suf) || c->n < a + b)
		return false;
	id->p = c->p + a;
	id->n = c->n - a - b;
	return all_hex(id->p, id->n);
}

/* a container runtime's scope of one container (any of the runtimes
 * Kubernetes drives), or a bare id under a cgroupfs-driver parent */
static bool runtime_scope(const struct comp *c, const struct comp *parent, struct comp *id,
			  const char **kind)
{
	static const struct {
		const char *pre, *suf, *kind;
	} scopes[] = {
		{ "docker-", ".scope", "docker" },
		{ "cri-containerd-", ".scope", "containerd" },
		{ "crio-", ".scope", "cri-o" },
		{ "libpod-", ".scope", "podman" },
	};

	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		if (id_between(c, scopes[i].pre, scopes[i].suf, id)) {
			*kind = scopes[i].kind;
			return true;
		}
	}
	if (parent && all_hex(c->p, c->n)) {
		*id = *c;
		*kind = parent->n == 6 && !memcmp(parent->p, "docker", 6) ? "docker" : "id";
		return true;
	}
	return false;
}

/* "podUID" in "kubepods-besteffort-pod<uid>.slice" or "pod<uid>" */
static bool pod_uid(const struct comp *c, struct comp *uid)
{
	const char *p = c->p, *end = c->p + c->n;
	size_t n;

	/* "pod" at the start or after a '-' (not the one in "kubepods") */
	while ((p = memmem(p, (size_t)(end - p), "pod", 3)) && p != c->p && p[-1] != '-')
		p += 3;
	if (!p)
		return false;
	p += 3;
	n = (size_t)(c->p + c->n - p);
	if (n > 6 && !memcmp(p + n - 6, ".slice", 6))
		n -= 6;
	if (n < 8)
		return false;
	uid->p = p;
	uid->n = n;
	return true;
}

/* systemd escapes '-' in unit names as \x2d */
static void unit_name(char *out, size_t outsz, const char *p, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < outsz; i++) {
		if (p[i] == '\\' && i + 3 < n && p[i + 1] == 'x' && p[i + 2] == '2' &&
		    p[i + 3] == 'd') {
			out[o++] = '-';
			i += 3;
		} else {
			out[o++] = p[i];
		}
	}
	out[o] = '\0';
}

char *container_of_cgroup(const char *path, char *out, size_t outsz)
{
	struct comp comps[64], id, uid = { 0 }, service = { 0 };
	int n = 0;
	bool kube = false;
	const char *p = path, *kind = NULL;

	out[0] = '\0';
	if (!path || !outsz)
		return out;
	while (*p && n < (int)(sizeof(comps) / sizeof(comps[0]))) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (len)
			comps[n++] = (struct comp){ p, len };
		p += len;
	}
	for (int i = 0; i < n; i++) {
		const struct comp *c = &comps[i];
		char name[CONTAINER_NAME_MAX];

		if (starts(c, "kubepods"))
			kube = true;
		if (kube && !uid.n && pod_uid(c, &uid))
			continue;
		if (runtime_scope(c,
				  i && (kube || (comps[i - 1].n == 6 &&
						 !memcmp(comps[i - 1].p, "docker", 6))) ?
					  &comps[i - 1] :
					  NULL,
				  &id, &kind)) {
			if (kube && uid.n)
				snprintf(out, outsz, "k8s:pod%.*s/%.*s",
					 (int)(uid.n < 8 ? uid.n : 8), uid.p, ID_SHOWN, id.p);
			else
				snprintf(out, outsz, "%s:%.*s", kube ? "k8s" : kind, ID_SHOWN,
					 id.p);
			return out;
		}
		if (starts(c, "libpod-conmon-"))
			continue; /* podman's monitor, not the container */
		if (starts(c, "systemd-nspawn@") && ends(c, ".service")) {
			unit_name(name, sizeof(name), c->p + 15, c->n - 15 - 8);
			snprintf(out, outsz, "nspawn:%s", name);
			return out;
		}
		if (starts(c, "machine-") && ends(c, ".scope") && c->n > 14) {
			unit_name(name, sizeof(name), c->p + 8, c->n - 8 - 6);
			snprintf(out, outsz, "nspawn:%s", name);
			return out;
		}
		if (starts(c, "lxc.payload.") && c->n > 12) {
			snprintf(out, outsz, "lxc:%.*s", (int)(c->n - 12), c->p + 12);
			return out;
		}
		if (ends(c, ".service") && c->n > 8)
			service = *c;
	}
	if (kube && uid.n) { /* the pod's own cgroup, no container below it */
		snprintf(out, outsz, "k8s:pod%.*s", (int)(uid.n < 8 ? uid.n : 8), uid.p);
		return out;
	}
	if (service.n) {
		char name[CONTAINER_NAME_MAX];

		unit_name(name, sizeof(name), service.p, service.n);
		snprintf(out, outsz, "%s", name);
	}
	return out;
}
