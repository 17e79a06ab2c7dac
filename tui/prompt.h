/* SPDX-License-Identifier: GPL-2.0 */
/* One-line editor for the filter prompt: pure state, keys in, text out. */
#ifndef SOCKTOP_PROMPT_H
#define SOCKTOP_PROMPT_H

#include <stdbool.h>

#define PROMPT_LEN 256

enum prompt_result {
	PROMPT_EDITING = 0,	/* key consumed, still open */
	PROMPT_SUBMIT,		/* Enter: take buf */
	PROMPT_CANCEL,		/* Esc: close, clear */
};

struct prompt {
	bool active;
	bool search;		/* a search prompt (F3), not the filter */
	char label[24];		/* "Filter: " */
	char buf[PROMPT_LEN];
	int len, cur;		/* bytes; cursor byte offset */
	char err[160];		/* shown on the prompt line, "" = none */
	int errpos;		/* byte offset the error points at, -1 = none */
};

void prompt_open(struct prompt *p, const char *label, const char *initial);
void prompt_close(struct prompt *p);
/* Feed one key (curses code or a byte of UTF-8 text). */
enum prompt_result prompt_key(struct prompt *p, int key);
void prompt_set_error(struct prompt *p, const char *msg, int pos);

#endif
