// SPDX-License-Identifier: GPL-2.0
/* Network namespace names by inode (nsnames.h). */
#include "nsnames.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netns.h"

static size_t lower_bound(const struct nsnames *s, uint32_t inode)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->v[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void nsnames_learn(struct nsnames *s, const struct event *ev)
{
	const char *name = event_netns_name(ev);
	size_t i, len = strnlen(name, EVENT_NETNS_NAME_LEN - 1);

	if (!ev->netns)
		return;
	i = lower_bound(s, ev->netns);
	if (i == s->n || s->v[i].inode != ev->netns) {
		if (s->n >= NSNAMES_MAX) {
			s->dropped++;
			return;
		}
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 16;
			struct nsname *v = realloc(s->v, cap * sizeof(*v));

			if (!v) {
				s->dropped++;
				return;
			}
			s->v = v;
			s->cap = cap;
		}
		memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
		s->n++;
		s->v[i].inode = ev->netns;
	}
	memcpy(s->v[i].name, name, len);
	s->v[i].name[len] = '\0';
}

void nsnames_note_live(struct nsnames *s, uint32_t inode)
{
	struct event ev;
	size_t i;

	if (!inode)
		return;
	i = lower_bound(s, inode);
	if (i < s->n && s->v[i].inode == inode)
		return;
	/* zeroed only here: this runs at every event, a new namespace is rare */
	ev = (struct event){ .kind = EV_SNAP_NETNS, .netns = inode };
	netns_name_of(inode, event_netns_name(&ev), EVENT_NETNS_NAME_LEN);
	nsnames_learn(s, &ev);
}

const char *nsnames_get(const struct nsnames *s, uint32_t inode)
{
	size_t i = lower_bound(s, inode);

	if (i == s->n || s->v[i].inode != inode || !s->v[i].name[0])
		return NULL;
	return s->v[i].name;
}

uint32_t nsnames_find(const struct nsnames *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return s->v[i].inode;
	return 0;
}

const char *nsnames_label(const struct nsnames *s, uint32_t inode, char *buf, size_t bufsz)
{
	const char *name = s ? nsnames_get(s, inode) : NULL;

	if (name)
		return name;
	if (!inode)
		snprintf(buf, bufsz, "-");
	else
		snprintf(buf, bufsz, "%u", inode);
	return buf;
}

void nsnames_free(struct nsnames *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
