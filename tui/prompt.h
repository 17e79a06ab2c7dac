/* SPDX-License-Identifier: GPL-2.0 */
/* One-line editor for the filter prompt: pure state, keys in, text out. */
#ifndef SOCKTOP_PROMPT_H
#define SOCKTOP_PROMPT_H

#include <stdbool.h>

#define PROMPT_LEN 256
#define PROMPT_HISTORY 16	/* lines kept per kind (filter, search) */

enum prompt_result {
	PROMPT_EDITING = 0,	/* key consumed, still open */
	PROMPT_SUBMIT,		/* Enter: take buf */
	PROMPT_CANCEL,		/* Esc: close, clear */
};

/* What was entered before, newest last: Up brings it back. */
struct prompt_history {
	char line[PROMPT_HISTORY][PROMPT_LEN];
	unsigned int n;		/* lines ever added; the ring keeps the last */
};

/* What a search of the rows (F3) said, at once or later */
enum search_result {
	SEARCH_NONE,  /* no row holds it */
	SEARCH_FOUND, /* selected */
	SEARCH_GOING, /* still reading rows, between frames */
};

struct prompt {
	bool active;
	bool search;		/* a search prompt (F3), not the filter */
	char label[24];		/* "Filter: " */
	char buf[PROMPT_LEN];
	int len, cur;		/* bytes; cursor byte offset */
	char err[160];		/* shown on the prompt line, "" = none */
	int errpos;		/* byte offset the error points at, -1 = none */
	bool busy;		/* err is a state ("searching"), drawn dim */
	unsigned int opens;	/* prompt_open calls: whose is a late answer */
	/* kept across opens: [0] filters, [1] searches */
	struct prompt_history hist[2];
	unsigned int back;	/* how far Up went into the history, 0 = draft */
	char draft[PROMPT_LEN];	/* what was typed before Up */
};

void prompt_open(struct prompt *p, const char *label, const char *initial);
void prompt_close(struct prompt *p);
/* Feed one key (curses code or a byte of UTF-8 text). */
enum prompt_result prompt_key(struct prompt *p, int key);
void prompt_set_error(struct prompt *p, const char *msg, int pos);
/* A state shown where the error goes, not an error (a search under way). */
void prompt_set_busy(struct prompt *p, const char *msg);
/* Keep text in the history of its kind (Enter does it for the open one). */
void prompt_remember(struct prompt *p, bool search, const char *text);
/* The newest line of a kind's history, NULL when there is none. */
const char *prompt_last(const struct prompt *p, bool search);

#endif
