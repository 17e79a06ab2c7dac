/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drawing primitives on the curses screen: clipped text in a role (width
 * measured in cells, UTF-8 aware), untrusted bytes escaped on the way,
 * horizontal lines, bars and sparklines with UTF-8 or ASCII glyphs.
 */
#ifndef SOCKTOP_DRAW_H
#define SOCKTOP_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ui;
struct glyphs;

/* Line and block characters: UTF-8, or the ASCII fallback. */
const struct glyphs *draw_glyphs(bool utf8);

/* Text at (y, x), at most w cells; returns cells written. */
int draw_text(struct ui *u, int y, int x, int w, int role, const char *s);
/* Same, padded with spaces to exactly w cells. */
int draw_text_pad(struct ui *u, int y, int x, int w, int role, const char *s);
/* Right-aligned in w cells. */
int draw_text_right(struct ui *u, int y, int x, int w, int role, const char *s);
/* Untrusted bytes (kernel, recording): escaped with fmt_escape first. */
int draw_untrusted(struct ui *u, int y, int x, int w, int role, const char *raw, size_t len);
/* printf into the screen, clipped to w. */
int draw_printf(struct ui *u, int y, int x, int w, int role, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* w cells of spaces in role. */
void draw_fill(struct ui *u, int y, int x, int w, int role);
/* Horizontal rule. */
void draw_hline(struct ui *u, int y, int x, int w, int role);
/* A bar of frac (0..1) of w cells, eighths in UTF-8. */
void draw_bar(struct ui *u, int y, int x, int w, double frac, int role);
/* Sparkline of n values scaled to max (0 = auto), one cell each. */
void draw_spark(struct ui *u, int y, int x, const uint32_t *v, int n, uint32_t max, int role);
/* Display width (cells) of a UTF-8 string, invalid bytes count as 1. */
int draw_width(const char *s);

#endif
