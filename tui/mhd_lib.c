// SPDX-License-Identifier: GPL-2.0
/* libmicrohttpd opened at its first use (mhd_lib.h). */
#include "mhd_lib.h"

#include <dlfcn.h>
#include <stdio.h>

/* the ABI microhttpd.h describes (its soname since 0.9.x) */
#define MHD_SONAME "libmicrohttpd.so.12"

/* The library is the process's, as a linked one would be: one handle. */
static struct mhd_lib lib;
static int lib_state; /* 0: not tried, 1: loaded, -1: failed (lib_why) */
static char lib_why[256];

/* clang-format off */
#define SYM(f) { #f, (void **)&lib.f }
/* clang-format on */

static int load(void)
{
	const struct {
		const char *name;
		void **at;
	} syms[] = {
		SYM(MHD_start_daemon),
		SYM(MHD_stop_daemon),
		SYM(MHD_get_daemon_info),
		SYM(MHD_run),
		SYM(MHD_get_timeout),
		SYM(MHD_lookup_connection_value),
		SYM(MHD_create_response_from_buffer),
		SYM(MHD_add_response_header),
		SYM(MHD_queue_response),
		SYM(MHD_destroy_response),
		SYM(MHD_get_version),
	};
	void *h = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *e;

	if (!h) {
		e = dlerror();
		snprintf(lib_why, sizeof(lib_why), "cannot load %s: %s", MHD_SONAME,
			 e ? e : "unknown error");
		return -1;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		*syms[i].at = dlsym(h, syms[i].name);
		if (!*syms[i].at) {
			snprintf(lib_why, sizeof(lib_why), "%s has no %s", MHD_SONAME,
				 syms[i].name);
			dlclose(h);
			return -1;
		}
	}
	return 0; /* kept open for the process */
}

const struct mhd_lib *mhd_lib_open(char *err, size_t errsz)
{
	if (!lib_state)
		lib_state = load() ? -1 : 1;
	if (lib_state > 0)
		return &lib;
	if (err && errsz)
		snprintf(err, errsz, "%s", lib_why);
	return NULL;
}
