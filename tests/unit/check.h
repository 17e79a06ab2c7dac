/* SPDX-License-Identifier: GPL-2.0 */
/* A tiny test harness: CHECK(cond) records a failure with its line;
 * each TEST prints "PASS name" or "FAIL name"; tests/run counts them. */
#ifndef SOCKTOP_CHECK_H
#define SOCKTOP_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_now;
static int check_total_failed;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, \
				#cond);                                              \
			check_failed_now = 1;                                        \
		}                                                                    \
	} while (0)

#define CHECK_STR(a, b)                                                              \
	do {                                                                         \
		const char *a_ = (a), *b_ = (b);                                     \
		if (strcmp(a_, b_)) {                                                \
			fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, a_, b_); \
			check_failed_now = 1;                                        \
		}                                                                    \
	} while (0)

#define RUN(fn)                                                                      \
	do {                                                                         \
		check_failed_now = 0;                                                \
		fn();                                                                \
		printf("%s %s\n", check_failed_now ? "FAIL" : "PASS", #fn);          \
		check_total_failed += check_failed_now;                              \
	} while (0)

#define CHECK_EXIT() return check_total_failed ? 1 : 0

#endif
