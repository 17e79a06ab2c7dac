/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The view registry. PANE: Tab cycles through these, in this order. PAGE:
 * pushed on top of a pane (ui_push), never in the Tab cycle. One line per
 * view; view.h, ui.c and the key test expand it. No include guard on
 * purpose.
 */
#ifndef PAGE
#define PAGE(v)
#define PAGE_UNDEF_
#endif
PANE(view_conns)
PANE(view_binds)
PANE(view_procs)
PANE(view_groups)
PAGE(view_detail)
PAGE(view_help)
PAGE(view_log)
PAGE(view_proc_conns)
PAGE(view_setup)
PAGE(view_kill)
#ifdef PAGE_UNDEF_
#undef PAGE
#undef PAGE_UNDEF_
#endif
