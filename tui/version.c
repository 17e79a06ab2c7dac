// SPDX-License-Identifier: GPL-2.0
/*
 * socktop --version: the release, the git describe when built from a git
 * tree (the Makefile writes build/gitversion.h), the libraries linked and
 * every kernel feature built in with the oldest kernel it loads on.
 */
#include "version.h"

#include <bpf/libbpf.h>
#include <ncurses.h>
#include <zlib.h>

#include "gitversion.h"
#include "loader.h"
#include "mhd_lib.h"

const char *version_git(void)
{
	return SOCKTOP_GIT;
}

/* The newest kernel interface each feature's programs use is in its
 * feature entry (bpf/feat_*.c), next to the programs it loads. */
const char *version_min_kernel(int feature)
{
	const struct feature_ops *f = features_get(feature);

	return f && f->min_kernel ? f->min_kernel : "?";
}

void version_print(FILE *f)
{
	const struct mhd_lib *m = mhd_lib_open(NULL, 0);

	fprintf(f, "socktop %s", SOCKTOP_VERSION);
	if (SOCKTOP_GIT[0])
		fprintf(f, " (git %s)", SOCKTOP_GIT);
	fprintf(f, "\nlibraries: libbpf %u.%u, libmicrohttpd %s, %s, zlib %s\n",
		libbpf_major_version(), libbpf_minor_version(),
		m ? m->MHD_get_version() : "not found", curses_version(), zlibVersion());
	fputs("kernel features built in:\n", f);
	for (int i = 0; i < features_count(); i++) {
		const char *why = features_get(i)->min_kernel_why;

		fprintf(f, "  %-9s needs Linux %s or later (%s)\n", loader_feature_name(i),
			version_min_kernel(i), why ? why : "");
	}
	fprintf(f,
		"minimum kernel: Linux %s with BTF (/sys/kernel/btf/vmlinux), the oldest "
		"tested; the states feature is required, the others are dropped one by one\n",
		version_min_kernel(feature_index("states")));
}
