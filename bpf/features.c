// SPDX-License-Identifier: GPL-2.0
/*
 * The feature table: every struct feature_ops that a feat_*.c put in the
 * socktop_features section, read in start order. Read-only: the order is
 * worked out on each lookup (a handful of entries), so nothing is cached.
 */
#include "feature.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* the linker's bounds of the section (weak: no feature linked at all) */
extern const struct feature_ops *const __start_socktop_features[] __attribute__((weak));
extern const struct feature_ops *const __stop_socktop_features[] __attribute__((weak));

static int registered(void)
{
	int n = (int)(__stop_socktop_features - __start_socktop_features);

	return n > FEATURE_MAX ? FEATURE_MAX : n;
}

static bool before(const struct feature_ops *x, const struct feature_ops *y)
{
	return x->order != y->order ? x->order < y->order : strcmp(x->name, y->name) < 0;
}

int features_count(void)
{
	return registered();
}

/* the i-th in start order: the one with exactly i entries before it */
const struct feature_ops *features_get(int i)
{
	int n = registered();

	for (int k = 0; k < n && i >= 0; k++) {
		const struct feature_ops *f = __start_socktop_features[k];
		int rank = 0;

		for (int j = 0; j < n; j++)
			rank += j != k && before(__start_socktop_features[j], f);
		if (rank == i)
			return f;
	}
	return NULL;
}

int features_find(const char *name, size_t n)
{
	for (int i = 0; i < features_count(); i++) {
		const char *fn = features_get(i)->name;

		if (strlen(fn) == n && !strncmp(fn, name, n))
			return i;
	}
	return -ENOENT;
}

uint32_t feature_bit(const char *name)
{
	int i = features_find(name, strlen(name));

	return i < 0 ? 0 : 1u << i;
}

const char *features_names(char *buf, size_t bufsz)
{
	size_t off = 0;

	if (!bufsz)
		return buf;
	buf[0] = '\0';
	for (int i = 0; i < features_count() && off < bufsz; i++)
		off += (size_t)snprintf(buf + off, bufsz - off, "%s%s", i ? "," : "",
					features_get(i)->name);
	return buf;
}

int features_parse(const char *list, uint32_t *mask, size_t *bad)
{
	const char *p = list;

	*mask = 0;
	do {
		size_t n = strcspn(p, ",");
		int f = features_find(p, n);

		if (f < 0) {
			if (bad)
				*bad = (size_t)(p - list);
			return -EINVAL;
		}
		*mask |= 1u << f;
		p += n;
	} while (*p++ == ',');
	return 0;
}

int features_poll(struct loader *l, const struct feature_run run[], uint64_t now_ns)
{
	int total = 0, first_err = 0;

	for (int i = 0; i < features_count(); i++) {
		const struct feature_ops *f = features_get(i);
		int n;

		if (!run[i].on || !f->poll)
			continue;
		n = f->poll(l, run[i].data, now_ns);
		if (n < 0 && !first_err)
			first_err = n;
		else if (n > 0)
			total += n;
	}
	return first_err ? first_err : total;
}
