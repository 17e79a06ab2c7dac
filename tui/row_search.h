/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Connections pane's search (F3): does a row's text hold the needle?
 * A row's text is "PID COMM LOCAL:PORT REMOTE:PORT" as shown, escaped,
 * compared without case. The needle is prepared once a search; a row is
 * then tested without formatting when it cannot hold the needle, and
 * formatted without snprintf when it can.
 */
#ifndef SOCKTOP_ROW_SEARCH_H
#define SOCKTOP_ROW_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prompt.h"

struct sock_entry;
struct table;

struct row_needle {
	char text[PROMPT_LEN]; /* as typed */
	char low[PROMPT_LEN];  /* ASCII lower case */
	size_t len;
	bool ascii; /* no byte >= 0x80: the quick path holds */
	/* bytes that only a process name can hold (not digits, hex
	 * letters, '.', ':', ' ', '?'): one bit each, lower case */
	uint64_t comm_only[4];
	bool need_comm;
};

void row_needle_init(struct row_needle *n, const char *text);
/* The row's text holds the needle (as strcasestr of the text would say);
 * t: the table of e, which keeps its task name */
bool row_needle_match(const struct row_needle *n, const struct table *t,
		      const struct sock_entry *e);
/* The reference: the row's text formatted in full, then strcasestr. */
bool row_text_has(const struct table *t, const struct sock_entry *e, const char *needle);

#endif
