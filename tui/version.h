/* SPDX-License-Identifier: GPL-2.0 */
/* What this build is: version, git describe, libraries, kernel features
 * built in and the kernel each needs (socktop --version, --metrics). */
#ifndef SOCKTOP_VERSION_H
#define SOCKTOP_VERSION_H

#include <stdio.h>

#define SOCKTOP_VERSION "0.2"

/* git describe of the tree it was built from, "" when not built from git */
const char *version_git(void);
/* The oldest kernel release the feature's programs load on ("5.11") */
const char *version_min_kernel(int feature);
void version_print(FILE *f);

#endif
