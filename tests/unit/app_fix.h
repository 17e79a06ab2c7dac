/* SPDX-License-Identifier: GPL-2.0 */
/* An app with a table and a process table and nothing live, for the unit
 * tests that feed it events through app_on_event. */
#ifndef SOCKTOP_APP_FIX_H
#define SOCKTOP_APP_FIX_H

#include <string.h>

#include "app.h"
#include "procs.h"
#include "model.h"
#include "nsnames.h"
#include "table.h"

struct fix {
	struct app a;
	struct opts o;
};

/* max_socks: the table's cap, 0 for the default */
static inline void fix_init(struct fix *f, uint32_t max_socks)
{
	struct table_limits lim = { .max_socks = max_socks };

	memset(f, 0, sizeof(*f));
	f->o.uid = -1;
	f->a.opts = &f->o;
	model_init(&f->a.model, &lim);
	f->a.procs = procs_new(false);
}

static inline void fix_free(struct fix *f)
{
	procs_free(f->a.procs);
	model_free(&f->a.model);
	nsnames_free(&f->a.nsnames); /* app_on_event learns names */
}

#endif
