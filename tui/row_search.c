// SPDX-License-Identifier: GPL-2.0
/*
 * Row search without a formatted line per row: a search that finds
 * nothing reads every row, and snprintf of the whole line was about 1 us
 * a row (a second a key at a million sockets). A row whose process name
 * lacks a letter only a name can hold is passed over from the name; the
 * others are laid out by hand, lower-cased, and searched with memmem.
 * What does not fit the quick path (bytes a name escapes, a needle
 * beyond ASCII) takes the reference path, so the answer is always
 * row_text_has's.
 */
#include "row_search.h"

#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "table.h"

bool row_text_has(const struct table *t, const struct sock_entry *e, const char *needle)
{
	char hay[320], a[64], b[64], comm[FMT_ESC_MAX(EVENT_COMM_LEN)];

	fmt_escape(comm, sizeof(comm), entry_comm(t, e), EVENT_COMM_LEN, ESC_TEXT);
	fmt_addr(a, sizeof(a), e->family, e->saddr);
	fmt_addr(b, sizeof(b), e->family, e->daddr);
	snprintf(hay, sizeof(hay), "%u %s %s:%u %s:%u", e->pid, comm, a, e->lport, b, e->rport);
	return strcasestr(hay, needle) != NULL;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

/* What the rest of a row's text can hold besides the process name. */
static bool outside_names(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == ':' ||
	       c == ' ' || c == '?';
}

void row_needle_init(struct row_needle *n, const char *text)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->text, sizeof(n->text), "%s", text);
	n->len = strlen(n->text);
	n->ascii = true;
	for (size_t i = 0; i < n->len; i++) {
		unsigned char c = (unsigned char)lower(n->text[i]);

		n->low[i] = (char)c;
		if (c >= 0x80)
			n->ascii = false;
		else if (!outside_names(c)) {
			n->comm_only[c / 64] |= 1ULL << (c % 64);
			n->need_comm = true;
		}
	}
}

/* The name as the row's text shows it: printable ASCII other than '\'
 * is shown as it is (fmt_escape). Its length, or -1 when it is not. */
static int plain_name(const char *comm, size_t max)
{
	size_t i = 0;

	for (; i < max && comm[i]; i++)
		if ((unsigned char)comm[i] < 0x20 || (unsigned char)comm[i] >= 0x7f ||
		    comm[i] == '\\')
			return -1;
	return (int)i;
}

static char *put_u32(char *p, uint32_t v)
{
	char d[10];
	int k = 0;

	do
		d[k++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (k)
		*p++ = d[--k];
	return p;
}

static char *put_addr(char *p, uint16_t family, const uint8_t *addr)
{
	char a[64];
	size_t n;

	fmt_addr(a, sizeof(a), family, addr);
	n = strlen(a);
	memcpy(p, a, n);
	return p + n;
}

bool row_needle_match(const struct row_needle *n, const struct table *t, const struct sock_entry *e)
{
	char hay[256], *p = hay;
	const char *comm;
	int cl;

	if (!n->len)
		return true;
	comm = entry_comm(t, e);
	cl = n->ascii ? plain_name(comm, EVENT_COMM_LEN) : -1;
	if (cl < 0)
		return row_text_has(t, e, n->text);
	if (n->need_comm) {
		uint64_t have[4] = { 0 };

		for (int i = 0; i < cl; i++) {
			unsigned char c = (unsigned char)lower(comm[i]);

			have[c / 64] |= 1ULL << (c % 64);
		}
		for (int w = 0; w < 4; w++)
			if (n->comm_only[w] & ~have[w])
				return false;
	}
	p = put_u32(p, e->pid);
	*p++ = ' ';
	for (int i = 0; i < cl; i++)
		*p++ = lower(comm[i]);
	*p++ = ' ';
	p = put_addr(p, e->family, e->saddr);
	*p++ = ':';
	p = put_u32(p, e->lport);
	*p++ = ' ';
	p = put_addr(p, e->family, e->daddr);
	*p++ = ':';
	p = put_u32(p, e->rport);
	return memmem(hay, (size_t)(p - hay), n->low, n->len) != NULL;
}
