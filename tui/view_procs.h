/* SPDX-License-Identifier: GPL-2.0 */
/* The Processes pane and its page (view_proc_conns): the push argument. */
#ifndef SOCKTOP_VIEW_PROCS_H
#define SOCKTOP_VIEW_PROCS_H

#include <stdint.h>

/* ui_push(u, &view_proc_conns, &arg): the process whose sockets to show,
 * or (filter set) the sockets a filter selects, under a title */
struct pconns_arg {
	uint32_t pid;
	const char *comm;	/* EVENT_COMM_LEN raw bytes */
	const char *filter;	/* NULL: "pid N" */
	const char *title;	/* with filter: the page's title (escaped when drawn) */
	const char *back;	/* the pane Esc returns to: "Processes" when NULL */
};

#endif
