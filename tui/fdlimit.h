/* SPDX-License-Identifier: GPL-2.0 */
/* The open-file limit live capture needs (its programs, maps, links and
 * iterators are all file descriptors). */
#ifndef SOCKTOP_FDLIMIT_H
#define SOCKTOP_FDLIMIT_H

#include <stddef.h>

/* More than the most a live run was seen to hold (about 100, the
 * snapshot's walk of every namespace), with room to grow. */
#define FDLIMIT_NEEDED 256

/*
 * Raises the soft RLIMIT_NOFILE towards FDLIMIT_NEEDED as far as the hard
 * limit allows. 0 when there is enough; else -EMFILE with one message in
 * err ("too many open files (limit N)" and what to do).
 */
int fdlimit_ensure(char *err, size_t errsz);

#endif
