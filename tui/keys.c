// SPDX-License-Identifier: GPL-2.0
/* Key tables: dispatch and names. The tables themselves live with the
 * views (and ui.c's global table); help is generated from them. */
#include "keys.h"

#include <ncurses.h>
#include <stdio.h>

int keys_dispatch(const struct key_bind *t, struct ui *u, void *priv, int key)
{
	if (!t)
		return R_UNHANDLED;
	for (; t->fn; t++)
		if (key == t->key || (t->alt && key == t->alt) || (t->alt2 && key == t->alt2))
			return t->fn(u, priv, key);
	return R_UNHANDLED;
}

const char *keys_name(int key, char *buf, size_t bufsz)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ KEY_UP, "Up" },	  { KEY_DOWN, "Down" },	     { KEY_LEFT, "Left" },
		{ KEY_RIGHT, "Right" },	  { KEY_PPAGE, "PgUp" },     { KEY_NPAGE, "PgDn" },
		{ KEY_HOME, "Home" },	  { KEY_END, "End" },	     { KEY_ENTER, "Enter" },
		{ '\n', "Enter" },	  { '\r', "Enter" },	     { 27, "Esc" },
		{ '\t', "Tab" },	  { KEY_BTAB, "S-Tab" },     { ' ', "Space" },
		{ KEY_BACKSPACE, "BkSp" }, { 127, "BkSp" },	     { KEY_DC, "Del" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key) {
			snprintf(buf, bufsz, "%s", names[i].name);
			return buf;
		}
	if (key >= KEY_F(1) && key <= KEY_F(24))
		snprintf(buf, bufsz, "F%d", key - KEY_F0);
	else if (key > 0 && key < 32)
		snprintf(buf, bufsz, "^%c", key + '@');
	else if (key > 32 && key < 127)
		snprintf(buf, bufsz, "%c", key);
	else
		snprintf(buf, bufsz, "#%d", key);
	return buf;
}

const char *keys_label(const struct key_bind *b, char *buf, size_t bufsz)
{
	char k1[16], k2[16], k3[16];

	if (b->label) {
		snprintf(buf, bufsz, "%s", b->label);
		return buf;
	}
	keys_name(b->key, k1, sizeof(k1));
	if (!b->alt)
		snprintf(buf, bufsz, "%s", k1);
	else if (!b->alt2)
		snprintf(buf, bufsz, "%s %s", k1, keys_name(b->alt, k2, sizeof(k2)));
	else
		snprintf(buf, bufsz, "%s %s %s", k1, keys_name(b->alt, k2, sizeof(k2)),
			 keys_name(b->alt2, k3, sizeof(k3)));
	return buf;
}

int keys_count(const struct key_bind *t)
{
	int n = 0;

	while (t && t[n].fn)
		n++;
	return n;
}
