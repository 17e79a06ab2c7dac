// SPDX-License-Identifier: GPL-2.0
/*
 * Drawing primitives on stdscr: text clipped to cells (UTF-8 aware),
 * untrusted bytes escaped first, rules, bars and sparklines in UTF-8 block
 * characters or their ASCII fallback.
 */
#include "draw.h"

#include <ncurses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "fmt.h"
#include "ui.h"

static const struct glyphs glyphs_utf8 = {
	.hline = "\u2500", .vline = "\u2502", .ellipsis = "\u2026",
	.up = "\u25b2", .down = "\u25bc", .mark = "\u25cf",
	.eighths = { " ", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a",
		     "\u2589", "\u2588" },
	.spark = { " ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587",
		   "\u2588" },
};

static const struct glyphs glyphs_ascii = {
	.hline = "-", .vline = "|", .ellipsis = "~", .up = "^", .down = "v", .mark = "*",
	.eighths = { " ", " ", " ", " ", "#", "#", "#", "#", "#" },
	.spark = { " ", ".", ".", ":", ":", "-", "=", "+", "#" },
};

const struct glyphs *draw_glyphs(bool utf8)
{
	return utf8 ? &glyphs_utf8 : &glyphs_ascii;
}

static void set_role(struct ui *u, int role)
{
	attrset(role >= 0 && role < ROLE_MAX ? (attr_t)u->theme.attr[role] : A_NORMAL);
}

/* Decode s into wide chars that fit in w cells; returns cells used. */
static int fit(struct ui *u, const char *s, wchar_t *out, int outmax, int w, int *nout)
{
	mbstate_t st;
	int cells = 0, n = 0;
	size_t len = strlen(s);

	memset(&st, 0, sizeof(st));
	while (len && n < outmax - 1) {
		wchar_t wc;
		size_t k;
		int cw;

		if (u->utf8) {
			k = mbrtowc(&wc, s, len, &st);
			if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
				wc = L'?';
				k = 1;
				memset(&st, 0, sizeof(st));
			}
		} else {
			unsigned char c = (unsigned char)*s;

			wc = c < 0x80 ? (wchar_t)c : L'?';
			k = 1;
		}
		if (wc < 0x20 || wc == 0x7f || (wc >= 0x80 && wc < 0xa0) ||
		    fmt_cp_hidden((uint32_t)wc))
			wc = L'?'; /* callers escape; never send a control or bidi code */
		cw = wcwidth(wc);
		if (cw < 0)
			cw = 1, wc = L'?';
		if (cells + cw > w)
			break;
		out[n++] = wc;
		cells += cw;
		s += k;
		len -= k;
	}
	out[n] = L'\0';
	*nout = n;
	return cells;
}

static int clip(struct ui *u, int y, int x, int w)
{
	if (y < 0 || y >= u->lines || x < 0 || x >= u->cols || w <= 0)
		return 0;
	return x + w > u->cols ? u->cols - x : w;
}

int draw_text(struct ui *u, int y, int x, int w, int role, const char *s)
{
	wchar_t buf[512];
	int n, cells;

	w = clip(u, y, x, w);
	if (!w)
		return 0;
	cells = fit(u, s, buf, 512, w, &n);
	set_role(u, role);
	mvaddnwstr(y, x, buf, n);
	return cells;
}

void draw_fill(struct ui *u, int y, int x, int w, int role)
{
	w = clip(u, y, x, w);
	if (!w)
		return;
	set_role(u, role);
	mvhline(y, x, ' ', w);
}

int draw_text_pad(struct ui *u, int y, int x, int w, int role, const char *s)
{
	int n = draw_text(u, y, x, w, role, s);

	draw_fill(u, y, x + n, w - n, role);
	return w;
}

int draw_text_right(struct ui *u, int y, int x, int w, int role, const char *s)
{
	int sw = draw_width(s);

	if (sw < w) {
		draw_fill(u, y, x, w - sw, role);
		return draw_text(u, y, x + w - sw, sw, role, s) + w - sw;
	}
	return draw_text(u, y, x, w, role, s);
}

int draw_untrusted(struct ui *u, int y, int x, int w, int role, const char *raw, size_t len)
{
	char esc[FMT_ESC_MAX(256)], ascii[sizeof(esc) * 4];

	if (len > 256) /* more than any line can show */
		len = 256;
	fmt_escape(esc, sizeof(esc), raw, len, ESC_TEXT);
	if (!u->utf8) {
		/* no UTF-8 on this terminal: show non-ASCII bytes as \xNN too */
		size_t o = 0;

		for (const unsigned char *p = (const unsigned char *)esc; *p && o + 5 < sizeof(ascii); p++) {
			if (*p < 0x80)
				ascii[o++] = (char)*p;
			else
				o += (size_t)snprintf(ascii + o, sizeof(ascii) - o, "\\x%02x", *p);
		}
		ascii[o] = '\0';
		return draw_text(u, y, x, w, role, ascii);
	}
	return draw_text(u, y, x, w, role, esc);
}

int draw_printf(struct ui *u, int y, int x, int w, int role, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return draw_text(u, y, x, w, role, buf);
}

void draw_hline(struct ui *u, int y, int x, int w, int role)
{
	w = clip(u, y, x, w);
	set_role(u, role);
	for (int i = 0; i < w; i++)
		mvaddstr(y, x + i, u->g->hline);
}

void draw_bar(struct ui *u, int y, int x, int w, double frac, int role)
{
	int eighths, full;

	w = clip(u, y, x, w);
	if (!w)
		return;
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	eighths = (int)(frac * w * 8 + 0.5);
	full = eighths / 8;
	set_role(u, role);
	move(y, x);
	for (int i = 0; i < full; i++)
		addstr(u->g->eighths[8]);
	if (full < w && eighths % 8)
		addstr(u->g->eighths[eighths % 8]);
}

void draw_spark(struct ui *u, int y, int x, const uint32_t *v, int n, uint32_t max, int role)
{
	int w = clip(u, y, x, n);

	if (!max)
		for (int i = 0; i < n; i++)
			max = v[i] > max ? v[i] : max;
	set_role(u, role);
	move(y, x);
	for (int i = 0; i < w; i++) {
		int level = 0;

		if (v[i] && max)
			level = 1 + (int)((uint64_t)(v[i] - 1) * 8 / max);
		addstr(u->g->spark[level > 8 ? 8 : level]);
	}
}

int draw_width(const char *s)
{
	mbstate_t st;
	size_t len = strlen(s);
	int cells = 0;

	memset(&st, 0, sizeof(st));
	while (len) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, len, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			k = 1;
			cw = 1;
			memset(&st, 0, sizeof(st));
		} else {
			cw = wcwidth(wc);
			cw = cw < 0 ? 1 : cw;
		}
		cells += cw;
		s += k;
		len -= k;
	}
	return cells;
}
