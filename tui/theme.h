/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Themes: themes/NAME.theme files map roles to styles, one per line,
 * "role = fg=green,bg=default,bold" (tmux's grammar: colour names,
 * colourN, #rrggbb; attributes bold, dim, underline, reverse, italic,
 * blink). Parsing is pure (testable without a terminal); theme_activate
 * turns styles into curses attributes once colours are known.
 */
#ifndef SOCKTOP_THEME_H
#define SOCKTOP_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
	ROLE_NORMAL = 0,
	ROLE_HEADER,		/* header labels */
	ROLE_HEADER_VALUE,	/* header numbers */
	ROLE_TITLE,		/* program name, page titles */
	ROLE_COLUMNS,		/* column title bar */
	ROLE_COLUMN_SORT,	/* the sorted column's title */
	ROLE_SELECTION,		/* cursor row */
	ROLE_NEW,		/* a socket that just appeared */
	ROLE_CLOSED,		/* closed, lingering */
	ROLE_DIM,		/* secondary text */
	ROLE_ERROR,
	ROLE_WARN,		/* lost events, drops */
	ROLE_PROMPT,
	ROLE_STATUS,		/* status / log line */
	ROLE_KEY,		/* function-key bar keys, help keys */
	ROLE_KEY_LABEL,		/* function-key bar labels */
	ROLE_TAB,
	ROLE_TAB_ACTIVE,
	ROLE_BAR,		/* timeline bars without a state colour */
	ROLE_SPARK,		/* sparkline */
	ROLE_PAUSED,
	ROLE_BORDER,
	ROLE_STATE_ESTABLISHED,	/* then one per TCP state, kernel order */
	ROLE_STATE_SYN_SENT,
	ROLE_STATE_SYN_RECV,
	ROLE_STATE_FIN_WAIT1,
	ROLE_STATE_FIN_WAIT2,
	ROLE_STATE_TIME_WAIT,
	ROLE_STATE_CLOSE,
	ROLE_STATE_CLOSE_WAIT,
	ROLE_STATE_LAST_ACK,
	ROLE_STATE_LISTEN,
	ROLE_STATE_CLOSING,
	ROLE_STATE_NEW_SYN_RECV,
	ROLE_MAX
};

/* role for a TCP state number (ROLE_NORMAL when out of range) */
int role_for_state(int state);
const char *role_name(int role);	/* "state.established" */
int role_parse(const char *name);	/* -1 when unknown */

#define COLOUR_DEFAULT (-1)
#define COLOUR_UNSET (-2)

#define STYLE_BOLD	(1u << 0)
#define STYLE_DIM	(1u << 1)
#define STYLE_UNDERLINE	(1u << 2)
#define STYLE_REVERSE	(1u << 3)
#define STYLE_ITALIC	(1u << 4)
#define STYLE_BLINK	(1u << 5)

struct style {
	int16_t fg, bg;		/* 0..255, or COLOUR_DEFAULT / COLOUR_UNSET */
	uint32_t attrs;		/* STYLE_* */
	bool set;		/* the theme named this role */
};

#define THEME_NAME_LEN 32

struct theme {
	char name[THEME_NAME_LEN];
	struct style style[ROLE_MAX];
	bool mono;		/* colours ignored: attributes only */
	/* filled by theme_activate */
	unsigned long attr[ROLE_MAX];	/* curses attr_t with the colour pair */
};

/* Parse one style ("fg=red,bg=default,bold"); 0 or -1 with a message. */
int theme_parse_style(struct style *s, const char *text, char *err, size_t errsz);
/* Parse a whole theme text; unnamed roles inherit sensible parents.
 * 0, or -1 with "name:line: message" in err (t is then the default). */
int theme_parse(struct theme *t, const char *name, const char *text, char *err, size_t errsz);
/* Find NAME.theme (SOCKTOP_THEMES, ./themes, next to the executable,
 * /usr/share/socktop/themes) and parse it; -1 and err if missing/bad
 * (t is then the built-in default). */
int theme_load(struct theme *t, const char *name, char *err, size_t errsz);
/* The built-in fallback (default.theme's content). */
void theme_builtin(struct theme *t);
/* Names of the themes found, in a stable order; returns count. */
int theme_list(char names[][THEME_NAME_LEN], int max);
/* After start_color(): allocate pairs; mono when colours are unusable. */
void theme_activate(struct theme *t, bool colours);

#endif
