// SPDX-License-Identifier: GPL-2.0
/* One-line editor: insert, delete, cursor moves, Enter and Esc. */
#include "prompt.h"

#include <ncurses.h>
#include <stdio.h>
#include <string.h>

void prompt_open(struct prompt *p, const char *label, const char *initial)
{
	p->active = true;
	p->search = false;
	p->opens++;
	snprintf(p->label, sizeof(p->label), "%s", label);
	snprintf(p->buf, sizeof(p->buf), "%s", initial ? initial : "");
	p->len = (int)strlen(p->buf);
	p->cur = p->len;
	p->err[0] = '\0';
	p->errpos = -1;
	p->busy = false;
	p->back = 0;
}

void prompt_close(struct prompt *p)
{
	p->active = false;
	p->err[0] = '\0';
	p->errpos = -1;
	p->busy = false;
}

void prompt_set_error(struct prompt *p, const char *msg, int pos)
{
	snprintf(p->err, sizeof(p->err), "%s", msg);
	p->errpos = pos;
	p->busy = false;
}

void prompt_set_busy(struct prompt *p, const char *msg)
{
	prompt_set_error(p, msg, -1);
	p->busy = true;
}

void prompt_remember(struct prompt *p, bool search, const char *text)
{
	struct prompt_history *h = &p->hist[search];
	const char *last = prompt_last(p, search);

	if (!*text || (last && !strcmp(last, text)))
		return;
	snprintf(h->line[h->n % PROMPT_HISTORY], PROMPT_LEN, "%s", text);
	h->n++;
}

const char *prompt_last(const struct prompt *p, bool search)
{
	const struct prompt_history *h = &p->hist[search];

	return h->n ? h->line[(h->n - 1) % PROMPT_HISTORY] : NULL;
}

/* Up (older) and Down (newer) through the history; the draft typed
 * before the first Up comes back at the bottom. */
static void history_move(struct prompt *p, int dir)
{
	const struct prompt_history *h = &p->hist[p->search];
	unsigned int kept = h->n < PROMPT_HISTORY ? h->n : PROMPT_HISTORY;
	unsigned int back = p->back;

	if (dir > 0 && back < kept)
		back++;
	else if (dir < 0 && back > 0)
		back--;
	if (back == p->back)
		return;
	if (p->back == 0)
		snprintf(p->draft, sizeof(p->draft), "%s", p->buf);
	p->back = back;
	snprintf(p->buf, sizeof(p->buf), "%s",
		 back ? h->line[(h->n - back) % PROMPT_HISTORY] : p->draft);
	p->len = (int)strlen(p->buf);
	p->cur = p->len;
}

/* start of the UTF-8 character before byte offset i */
static int prev_char(const struct prompt *p, int i)
{
	while (i > 0 && ((unsigned char)p->buf[--i] & 0xc0) == 0x80)
		;
	return i;
}

static int next_char(const struct prompt *p, int i)
{
	if (i < p->len)
		i++;
	while (i < p->len && ((unsigned char)p->buf[i] & 0xc0) == 0x80)
		i++;
	return i;
}

static void cut(struct prompt *p, int from, int to)
{
	memmove(p->buf + from, p->buf + to, (size_t)(p->len - to + 1));
	p->len -= to - from;
	p->cur = from;
}

enum prompt_result prompt_key(struct prompt *p, int key)
{
	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		prompt_remember(p, p->search, p->buf);
		return PROMPT_SUBMIT;
	case 27:
		/* a search typed then left with Esc is still the one F3 repeats */
		if (p->search)
			prompt_remember(p, true, p->buf);
		return PROMPT_CANCEL;
	case KEY_UP:
		history_move(p, 1);
		break;
	case KEY_DOWN:
		history_move(p, -1);
		break;
	case KEY_LEFT:
		p->cur = prev_char(p, p->cur);
		break;
	case KEY_RIGHT:
		p->cur = next_char(p, p->cur);
		break;
	case KEY_HOME:
	case 'A' & 0x1f:
		p->cur = 0;
		break;
	case KEY_END:
	case 'E' & 0x1f:
		p->cur = p->len;
		break;
	case KEY_BACKSPACE:
	case 127:
	case 'H' & 0x1f:
		if (p->cur > 0)
			cut(p, prev_char(p, p->cur), p->cur);
		break;
	case KEY_DC:
		if (p->cur < p->len)
			cut(p, p->cur, next_char(p, p->cur));
		break;
	case 'U' & 0x1f:
		cut(p, 0, p->cur);
		break;
	case 'K' & 0x1f:
		p->buf[p->cur] = '\0';
		p->len = p->cur;
		break;
	case 'W' & 0x1f: {
		int i = p->cur;

		while (i > 0 && p->buf[i - 1] == ' ')
			i--;
		while (i > 0 && p->buf[i - 1] != ' ')
			i--;
		cut(p, i, p->cur);
		break;
	}
	default:
		/* printable bytes (UTF-8 arrives byte by byte); no controls */
		if (key < 0x20 || key > 0xff || key == 0x7f || p->len + 1 >= PROMPT_LEN)
			return PROMPT_EDITING;
		memmove(p->buf + p->cur + 1, p->buf + p->cur, (size_t)(p->len - p->cur + 1));
		p->buf[p->cur++] = (char)key;
		p->len++;
		break;
	}
	p->err[0] = '\0';
	p->errpos = -1;
	p->busy = false;
	return PROMPT_EDITING;
}
