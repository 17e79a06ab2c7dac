/* SPDX-License-Identifier: GPL-2.0 */
/* Keys: the dispatch of one key through the prompt, the top view, the
 * pane and the global key table (ui_input.c). ui.c calls it; it calls
 * ui.h's functions, and ui.h knows nothing of it. */
#ifndef SOCKTOP_UI_INPUT_H
#define SOCKTOP_UI_INPUT_H

#include "keys.h"

struct ui;

/* Dispatch one key through the prompt, the top view, the pane, global keys. */
int ui_key(struct ui *u, int key);
/* The global key table (quit, help, Tab, filter, 4/6, pause, theme...). */
extern const struct key_bind ui_global_keys[];

#endif
