/* SPDX-License-Identifier: GPL-2.0 */
/* The header (top lines) and the status and key bars (bottom two lines),
 * drawn by ui.c around the current view (view_header.c). */
#ifndef SOCKTOP_VIEW_HEADER_H
#define SOCKTOP_VIEW_HEADER_H

struct ui;

int header_draw(struct ui *u, int y, int w); /* returns lines used */
void statusbar_draw(struct ui *u, int y, int w);

#endif
