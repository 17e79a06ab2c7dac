// SPDX-License-Identifier: GPL-2.0
/*
 * Checked before anything is loaded: at a low RLIMIT_NOFILE every step of
 * loading fails with EMFILE in its own words (libbpf's probes, the
 * verifier's log, "no cgroup v2 hierarchy", a thread count of -24), so
 * the one real cause is said once, up front.
 */
#include "fdlimit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

int fdlimit_ensure(char *err, size_t errsz)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl)) {
		snprintf(err, errsz, "cannot read the open-file limit: %s", strerror(errno));
		return -errno;
	}
	if (rl.rlim_cur >= FDLIMIT_NEEDED)
		return 0;
	/* the soft limit may rise up to the hard one, no privilege needed */
	if (rl.rlim_max > rl.rlim_cur) {
		struct rlimit up = rl;

		up.rlim_cur = rl.rlim_max < FDLIMIT_NEEDED ? rl.rlim_max : FDLIMIT_NEEDED;
		if (!setrlimit(RLIMIT_NOFILE, &up))
			rl = up;
	}
	if (rl.rlim_cur >= FDLIMIT_NEEDED)
		return 0;
	snprintf(err, errsz, "too many open files (limit %llu): live capture needs about %d "
		 "(its BPF programs, maps and links are files); raise the limit (ulimit -n %d, "
		 "or LimitNOFILE= in a service), or read a recording with --replay",
		 (unsigned long long)rl.rlim_cur, FDLIMIT_NEEDED, FDLIMIT_NEEDED);
	return -EMFILE;
}
