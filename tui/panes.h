/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pane registry: Tab cycles through these, in this order. One line
 * per pane; view.h and ui.c expand it. No include guard on purpose.
 */
PANE(view_conns)
PANE(view_binds)
PANE(view_procs)
