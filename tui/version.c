// SPDX-License-Identifier: GPL-2.0
/*
 * socktop --version: the release, the git describe when built from a git
 * tree (the Makefile writes build/gitversion.h), the libraries linked and
 * every kernel feature built in with the oldest kernel it loads on.
 */
#include "version.h"

#include <bpf/libbpf.h>
#include <microhttpd.h>
#include <ncurses.h>
#include <zlib.h>

#include "gitversion.h"
#include "loader.h"

/* The newest kernel interface each feature's programs use (bpf/ *.bpf.c);
 * keep in step when a program starts using something newer. */
static const struct {
	const char *release;
	const char *why;
} min_kernel[FEAT_MAX] = {
	[FEAT_STATES] = { "5.11", "BTF, BPF ring buffer (5.8), bpf_get_current_task_btf" },
	[FEAT_BINDS] = { "5.11", "cgroup bind hooks through bpf_link (5.7), bpf_get_current_task_btf" },
	[FEAT_CONNECTS] = { "5.11", "syscall tracepoints, bpf_get_current_task_btf" },
	[FEAT_ITERS] = { "5.11", "iter/tcp (5.9), iter/task_file, bpf_sock_from_file" },
	[FEAT_TRAFFIC] = { "5.11", "tp_btf (5.5), iter/tcp, bpf_sk_storage_get in tracing" },
};

const char *version_git(void)
{
	return SOCKTOP_GIT;
}

const char *version_min_kernel(int feature)
{
	if (feature < 0 || feature >= FEAT_MAX || !min_kernel[feature].release)
		return "?";
	return min_kernel[feature].release;
}

void version_print(FILE *f)
{
	fprintf(f, "socktop %s", SOCKTOP_VERSION);
	if (SOCKTOP_GIT[0])
		fprintf(f, " (git %s)", SOCKTOP_GIT);
	fprintf(f, "\nlibraries: libbpf %u.%u, libmicrohttpd %s, %s, zlib %s\n",
		libbpf_major_version(), libbpf_minor_version(), MHD_get_version(), curses_version(),
		zlibVersion());
	fputs("kernel features built in:\n", f);
	for (int i = 0; i < FEAT_MAX; i++)
		if (loader_feature_built(i))
			fprintf(f, "  %-9s needs Linux %s or later (%s)\n", loader_feature_name(i),
				version_min_kernel(i), min_kernel[i].why ? min_kernel[i].why : "");
	fprintf(f, "minimum kernel: Linux %s with BTF (/sys/kernel/btf/vmlinux); "
		   "the states feature is required, the others are dropped one by one\n",
		version_min_kernel(FEAT_STATES));
}
