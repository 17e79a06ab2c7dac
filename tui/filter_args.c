// SPDX-License-Identifier: GPL-2.0
/*
 * The stock argument parsers filter terms share: lists of ports or
 * numbers ("80,8080"), one word of text, no argument.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"

static int parse_list(struct filter_term *t, const char *arg, uint64_t max, const char *what,
		      char *err, size_t errsz)
{
	const char *p = arg;

	t->u.nums.n = 0;
	for (;;) {
		char *end;
		unsigned long long v;

		if (!isdigit((unsigned char)*p)) {
			snprintf(err, errsz, "%s: expected a number at '%.20s'", what, p);
			return -1;
		}
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno || v > max) {
			snprintf(err, errsz, "%s: %.20s is out of range (0-%llu)", what, p,
				 (unsigned long long)max);
			return -1;
		}
		if (t->u.nums.n == FILTER_MAX_VALUES) {
			snprintf(err, errsz, "%s: at most %d values", what, FILTER_MAX_VALUES);
			return -1;
		}
		t->u.nums.v[t->u.nums.n++] = v;
		if (!*end)
			return 0;
		if (*end != ',' || !end[1]) {
			snprintf(err, errsz, "%s: expected N[,N...], got '%.20s'", what, arg);
			return -1;
		}
		p = end + 1;
	}
}

int filter_arg_ports(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	return parse_list(t, arg, 65535, "port", err, errsz);
}

int filter_arg_numbers(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	return parse_list(t, arg, UINT32_MAX, t->def ? t->def->name : "number", err, errsz);
}

int filter_arg_string(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	size_t n = strlen(arg);

	if (!n || n >= sizeof(t->u.str)) {
		snprintf(err, errsz, "%s: text of 1-%zu bytes expected",
			 t->def ? t->def->name : "text", sizeof(t->u.str) - 1);
		return -1;
	}
	memcpy(t->u.str, arg, n + 1);
	return 0;
}

int filter_arg_none(struct filter_term *t, const char *arg, char *err, size_t errsz)
{
	(void)t;
	(void)arg;
	(void)err;
	(void)errsz;
	return 0;
}

bool filter_nums_has(const struct filter_term *t, uint64_t v)
{
	for (int i = 0; i < t->u.nums.n; i++)
		if (t->u.nums.v[i] == v)
			return true;
	return false;
}
