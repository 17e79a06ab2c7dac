// SPDX-License-Identifier: GPL-2.0
/*
 * What a kernel's refusal of a program says, in a few words a person can
 * act on: the helper it lacks, or the kernel type a CO-RE read could not
 * find. libbpf hands the verifier's log to its print function, which has
 * no context pointer: while the loader loads, rejects_begin() puts a
 * listener in front of the print function in force (which still gets
 * every message), so this file keeps the one finding in a static.
 */
#include "rejects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static libbpf_print_fn_t next_print;
static char last[160];

/* the text after key up to the end of its line, in out */
static bool after(const char *msg, const char *key, char *out, size_t outsz)
{
	const char *p = strstr(msg, key), *end;
	size_t n;

	if (!p)
		return false;
	p += strlen(key);
	end = strchr(p, '\n');
	n = end ? (size_t)(end - p) : strlen(p);
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* "bpf_getsockopt#57" -> "bpf_getsockopt", "unknown#158" -> "" (the
 * kernel does not know the helper at all); *id = 57 or 158 */
static void helper_name(char *s, int *id)
{
	char *hash = strchr(s, '#');

	*id = 0;
	if (hash) {
		for (const char *d = hash + 1; *d >= '0' && *d <= '9' && *id < 100000; d++)
			*id = *id * 10 + (*d - '0');
		*hash = '\0';
	}
	if (!strcmp(s, "unknown"))
		s[0] = '\0';
}

void rejects_hear(const char *msg)
{
	char what[96];
	int id;

	if (after(msg, "unknown func ", what, sizeof(what)) ||
	    after(msg, "invalid func ", what, sizeof(what)) ||
	    after(msg, "program of this type cannot use helper ", what, sizeof(what))) {
		helper_name(what, &id);
		if (what[0])
			snprintf(last, sizeof(last),
				 "%s is not available to this program type in this kernel", what);
		else
			snprintf(last, sizeof(last), "BPF helper #%d is newer than this kernel",
				 id);
	} else if (after(msg, "failed to resolve CO-RE relocation ", what, sizeof(what))) {
		/* "<byte_off> [81] struct sock.sk_cgrp_data.cgroup (0:97:0 @ ...)" */
		char *type = strstr(what, "] "), *paren;

		type = type ? type + 2 : what;
		paren = strstr(type, " (");
		if (paren)
			*paren = '\0';
		snprintf(last, sizeof(last), "this kernel has no %s", type);
	} else if (after(msg, "failed to find kernel BTF type ID of '", what, sizeof(what))) {
		char *q = strchr(what, '\'');

		if (q)
			*q = '\0';
		snprintf(last, sizeof(last), "this kernel has no %s to attach to", what);
	}
}

static int listen_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg = NULL;
	va_list copy;

	/* the verifier's log is one message, its verdict at the end */
	va_copy(copy, ap);
	if (level != LIBBPF_DEBUG && vasprintf(&msg, fmt, copy) >= 0)
		rejects_hear(msg);
	va_end(copy);
	free(msg);
	return next_print ? next_print(level, fmt, ap) : 0;
}

void rejects_begin(void)
{
	next_print = libbpf_set_print(listen_print);
	last[0] = '\0';
}

void rejects_end(void)
{
	libbpf_set_print(next_print);
	next_print = NULL;
	last[0] = '\0'; /* a later refusal is not explained by this one */
}

void rejects_reset(void)
{
	last[0] = '\0';
}

const char *rejects_last(void)
{
	return last;
}
