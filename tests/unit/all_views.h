/* SPDX-License-Identifier: GPL-2.0 */
/* Every pane and page the UI has, in panes.h's order: for tests that
 * walk each view's key table. */
#ifndef SOCKTOP_TEST_ALL_VIEWS_H
#define SOCKTOP_TEST_ALL_VIEWS_H

#include "view.h"

static const struct view *const views[] = {
#define PANE(v) &v,
#define PAGE(v) &v,
#include "panes.h"
#undef PANE
#undef PAGE
};
#define NVIEWS (sizeof(views) / sizeof(views[0]))

#endif
