// SPDX-License-Identifier: GPL-2.0
/*
 * Theme files: parse "role = style" lines into a struct theme, find theme
 * files on disk, and turn styles into curses attributes (colour pairs,
 * reduced to what the terminal has; mono when colour is unusable).
 */
#include "theme.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <ncurses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "table.h"

static const char *const role_names[ROLE_MAX] = {
	[ROLE_NORMAL] = "normal",	  [ROLE_HEADER] = "header",
	[ROLE_HEADER_VALUE] = "header.value", [ROLE_TITLE] = "title",
	[ROLE_COLUMNS] = "columns",	  [ROLE_COLUMN_SORT] = "columns.sort",
	[ROLE_SELECTION] = "selection",	  [ROLE_NEW] = "new",
	[ROLE_CLOSED] = "closed",	  [ROLE_DIM] = "dim",
	[ROLE_ERROR] = "error",		  [ROLE_WARN] = "warn",
	[ROLE_PROMPT] = "prompt",	  [ROLE_STATUS] = "status",
	[ROLE_KEY] = "key",		  [ROLE_KEY_LABEL] = "key.label",
	[ROLE_TAB] = "tab",		  [ROLE_TAB_ACTIVE] = "tab.active",
	[ROLE_BAR] = "bar",		  [ROLE_SPARK] = "spark",
	[ROLE_PAUSED] = "paused",	  [ROLE_BORDER] = "border",
	[ROLE_STATE_ESTABLISHED] = "state.established",
	[ROLE_STATE_SYN_SENT] = "state.syn_sent",
	[ROLE_STATE_SYN_RECV] = "state.syn_recv",
	[ROLE_STATE_FIN_WAIT1] = "state.fin_wait1",
	[ROLE_STATE_FIN_WAIT2] = "state.fin_wait2",
	[ROLE_STATE_TIME_WAIT] = "state.time_wait",
	[ROLE_STATE_CLOSE] = "state.close",
	[ROLE_STATE_CLOSE_WAIT] = "state.close_wait",
	[ROLE_STATE_LAST_ACK] = "state.last_ack",
	[ROLE_STATE_LISTEN] = "state.listen",
	[ROLE_STATE_CLOSING] = "state.closing",
	[ROLE_STATE_NEW_SYN_RECV] = "state.new_syn_recv",
};

/* an unnamed role looks like its parent */
static const int role_parent[ROLE_MAX] = {
	[ROLE_HEADER_VALUE] = ROLE_HEADER, [ROLE_COLUMN_SORT] = ROLE_COLUMNS,
	[ROLE_KEY_LABEL] = ROLE_STATUS,	   [ROLE_TAB_ACTIVE] = ROLE_TITLE,
	[ROLE_PAUSED] = ROLE_WARN,	   [ROLE_SPARK] = ROLE_HEADER_VALUE,
	[ROLE_STATE_NEW_SYN_RECV] = ROLE_STATE_SYN_RECV,
};

/* the built-in fallback, the same as themes/default.theme */
static const char builtin_default[] =
	"normal = fg=default,bg=default\n"
	"header = fg=cyan\nheader.value = fg=default,bold\ntitle = fg=cyan,bold\n"
	"columns = fg=black,bg=green\ncolumns.sort = fg=black,bg=cyan\n"
	"selection = fg=black,bg=cyan\nnew = fg=green,bold\nclosed = fg=brightblack\n"
	"dim = fg=brightblack\nerror = fg=white,bg=red,bold\nwarn = fg=yellow,bold\n"
	"prompt = fg=default,bold\nstatus = fg=default\nkey = fg=black,bg=cyan\n"
	"key.label = fg=default\ntab = fg=default\ntab.active = fg=black,bg=green\n"
	"bar = fg=blue\nspark = fg=green\npaused = fg=black,bg=yellow\nborder = fg=blue\n"
	"state.established = fg=green\nstate.syn_sent = fg=yellow\nstate.syn_recv = fg=yellow\n"
	"state.fin_wait1 = fg=magenta\nstate.fin_wait2 = fg=magenta\n"
	"state.time_wait = fg=blue,bold\nstate.close = fg=brightblack\n"
	"state.close_wait = fg=red\nstate.last_ack = fg=red\nstate.listen = fg=cyan,bold\n"
	"state.closing = fg=red,bold\n";

int role_for_state(int state)
{
	if (state < TS_ESTABLISHED || state > TS_NEW_SYN_RECV)
		return ROLE_NORMAL;
	return ROLE_STATE_ESTABLISHED + state - TS_ESTABLISHED;
}

const char *role_name(int role)
{
	return role >= 0 && role < ROLE_MAX ? role_names[role] : "?";
}

int role_parse(const char *name)
{
	for (int i = 0; i < ROLE_MAX; i++)
		if (!strcasecmp(role_names[i], name))
			return i;
	return -1;
}

static const char *const colour_names[] = { "black", "red",	"green", "yellow",
					    "blue",  "magenta", "cyan",	 "white" };

/* xterm 256-colour index nearest to an RGB value */
static int rgb_to_256(int r, int g, int b)
{
	int q[3] = { r, g, b }, c[3];

	for (int i = 0; i < 3; i++)
		c[i] = q[i] < 48 ? 0 : q[i] < 115 ? 1 : (q[i] - 35) / 40;
	return 16 + 36 * c[0] + 6 * c[1] + c[2];
}

static int parse_colour(const char *v, int16_t *out)
{
	char *end;
	long n;

	if (!strcasecmp(v, "default") || !strcasecmp(v, "terminal")) {
		*out = COLOUR_DEFAULT;
		return 0;
	}
	for (int i = 0; i < 8; i++) {
		if (!strcasecmp(v, colour_names[i])) {
			*out = (int16_t)i;
			return 0;
		}
		if (!strncasecmp(v, "bright", 6) && !strcasecmp(v + 6, colour_names[i])) {
			*out = (int16_t)(i + 8);
			return 0;
		}
	}
	if (!strncasecmp(v, "colour", 6) || !strncasecmp(v, "color", 5)) {
		const char *p = v + (v[4] == 'u' ? 6 : 5);

		n = strtol(p, &end, 10);
		if (*p && !*end && n >= 0 && n <= 255) {
			*out = (int16_t)n;
			return 0;
		}
		return -1;
	}
	if (v[0] == '#' && strlen(v) == 7) {
		n = strtol(v + 1, &end, 16);
		if (*end)
			return -1;
		*out = (int16_t)rgb_to_256((int)(n >> 16) & 255, (int)(n >> 8) & 255, (int)n & 255);
		return 0;
	}
	return -1;
}

static const struct {
	const char *name;
	uint32_t bit;
} attr_names[] = {
	{ "bold", STYLE_BOLD },	    { "bright", STYLE_BOLD },	  { "dim", STYLE_DIM },
	{ "underline", STYLE_UNDERLINE }, { "underscore", STYLE_UNDERLINE },
	{ "reverse", STYLE_REVERSE }, { "italic", STYLE_ITALIC }, { "italics", STYLE_ITALIC },
	{ "blink", STYLE_BLINK },
};

int theme_parse_style(struct style *s, const char *text, char *err, size_t errsz)
{
	char buf[256], *save = NULL, *tok;

	*s = (struct style){ COLOUR_UNSET, COLOUR_UNSET, 0, true };
	if (strlen(text) >= sizeof(buf)) {
		snprintf(err, errsz, "style too long");
		return -1;
	}
	strcpy(buf, text);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		size_t i;

		if (!strncasecmp(tok, "fg=", 3) || !strncasecmp(tok, "bg=", 3)) {
			int16_t *c = tolower((unsigned char)tok[0]) == 'f' ? &s->fg : &s->bg;

			if (parse_colour(tok + 3, c)) {
				snprintf(err, errsz, "unknown colour '%.32s'", tok + 3);
				return -1;
			}
			continue;
		}
		if (!strcasecmp(tok, "none") || !strcasecmp(tok, "default"))
			continue;
		for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
			if (!strcasecmp(tok, attr_names[i].name))
				break;
		if (i == sizeof(attr_names) / sizeof(attr_names[0])) {
			snprintf(err, errsz, "unknown attribute '%.32s'", tok);
			return -1;
		}
		s->attrs |= attr_names[i].bit;
	}
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void inherit(struct theme *t)
{
	for (int pass = 0; pass < 3; pass++)
		for (int r = 1; r < ROLE_MAX; r++) {
			int p = role_parent[r];

			if (!t->style[r].set && p && t->style[p].set)
				t->style[r] = t->style[p];
		}
	for (int r = 0; r < ROLE_MAX; r++)
		if (!t->style[r].set)
			t->style[r] = r == ROLE_SELECTION || r == ROLE_COLUMNS ?
				(struct style){ COLOUR_UNSET, COLOUR_UNSET, STYLE_REVERSE, true } :
				t->style[ROLE_NORMAL];
}

static int parse_text(struct theme *t, const char *name, const char *text, char *err,
		      size_t errsz)
{
	const char *p = text;
	int lineno = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	while (*p) {
		char line[512], msg[160], *l, *eq;
		size_t n = strcspn(p, "\n");
		int role;

		lineno++;
		if (n >= sizeof(line)) {
			snprintf(err, errsz, "%s:%d: line too long", name, lineno);
			return -1;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (p[n] == '\n');
		if ((l = strchr(line, '#')) && (l == line || isspace((unsigned char)l[-1])))
			*l = '\0';
		l = trim(line);
		if (!*l)
			continue;
		eq = strchr(l, '=');
		if (!eq) {
			snprintf(err, errsz, "%s:%d: expected 'role = style'", name, lineno);
			return -1;
		}
		*eq = '\0';
		role = role_parse(trim(l));
		if (role < 0) {
			snprintf(err, errsz, "%s:%d: unknown role '%.40s'", name, lineno, trim(l));
			return -1;
		}
		if (theme_parse_style(&t->style[role], trim(eq + 1), msg, sizeof(msg))) {
			snprintf(err, errsz, "%s:%d: %s", name, lineno, msg);
			return -1;
		}
	}
	inherit(t);
	return 0;
}

void theme_builtin(struct theme *t)
{
	char err[8];

	parse_text(t, "default", builtin_default, err, sizeof(err));
}

int theme_parse(struct theme *t, const char *name, const char *text, char *err, size_t errsz)
{
	if (parse_text(t, name, text, err, errsz)) {
		theme_builtin(t);
		return -1;
	}
	return 0;
}

/* reduce a 0..255 colour to what the terminal has */
static short reduce(int c, int ncolours)
{
	static const int cube[6] = { 0, 95, 135, 175, 215, 255 };
	int r, g, b, best = 0;

	if (c < 0 || c < ncolours)
		return (short)c;
	if (c < 16)
		return (short)(c & 7);
	if (c >= 232) {
		int v = 8 + (c - 232) * 10;

		r = g = b = v;
	} else {
		r = cube[(c - 16) / 36];
		g = cube[((c - 16) / 6) % 6];
		b = cube[(c - 16) % 6];
	}
	/* the basic eight: each channel on or off */
	best = (r > 127 ? 1 : 0) | (g > 127 ? 2 : 0) | (b > 127 ? 4 : 0);
	return (short)best;
}

void theme_activate(struct theme *t, bool colours)
{
	int pairs = colours ? COLOR_PAIRS : 0, next = 1;

	t->mono = !colours;
	for (int r = 0; r < ROLE_MAX; r++) {
		const struct style *s = &t->style[r];
		attr_t a = A_NORMAL;
		const struct style *n = &t->style[ROLE_NORMAL];
		/* unset colours come from normal: a theme with its own
		 * background (light, high-contrast) fills the whole screen */
		int f = s->fg == COLOUR_UNSET ? n->fg : s->fg;
		int b = s->bg == COLOUR_UNSET ? n->bg : s->bg;
		short fg = f < 0 ? -1 : reduce(f, COLORS);
		short bg = b < 0 ? -1 : reduce(b, COLORS);

		if (s->attrs & STYLE_BOLD)
			a |= A_BOLD;
		if (s->attrs & STYLE_DIM)
			a |= A_DIM;
		if (s->attrs & STYLE_UNDERLINE)
			a |= A_UNDERLINE;
		if (s->attrs & STYLE_REVERSE)
			a |= A_REVERSE;
		if (s->attrs & STYLE_ITALIC)
			a |= A_ITALIC;
		if (s->attrs & STYLE_BLINK)
			a |= A_BLINK;
		if (!t->mono && (fg != -1 || bg != -1) && next < pairs) {
			init_pair((short)next, fg, bg);
			a |= COLOR_PAIR(next);
			next++;
		} else if (t->mono && (s->bg >= 0 && s->bg != 0) && !(s->attrs & STYLE_REVERSE)) {
			/* a coloured background marks something: keep it visible */
			a |= A_REVERSE;
		}
		t->attr[r] = a;
	}
}
