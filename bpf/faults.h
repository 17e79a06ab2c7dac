/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a capture feature is off, in words a person can act on (kernel
 * lockdown named as such, never raw verifier text), and SOCKTOP_FAULT:
 * failures injected at load time so tests can take the real error path
 * of each feature on a kernel that has every hook.
 */
#ifndef SOCKTOP_FAULTS_H
#define SOCKTOP_FAULTS_H

#include <stddef.h>

/* One feature's injected failure: err (negative errno) is what loading it
 * returns; lockdown, when set, is the lockdown mode the kernel is taken
 * to be in ("integrity", "confidentiality"). */
struct fault {
	int err;
	const char *lockdown;
};

/*
 * spec is "FEATURE:KIND[,FEATURE:KIND...]" with FEATURE one of names[0..n)
 * and KIND one of eperm, eacces, einval, enoent, enotsup, lockdown (EPERM
 * under confidentiality lockdown), lockdown-integrity. Fills out[n]
 * (zeroed first). 0, or -EINVAL with a message in err.
 */
int faults_parse(const char *spec, const char *const names[], int n, struct fault *out,
		 char *err, size_t errsz);

/* A reason for the UI: "WHAT: ..." from a negative errno, lockdown being
 * the mode in force ("none", "integrity", "confidentiality"). */
void faults_explain(int err, const char *lockdown, const char *what, char *why, size_t whysz);
/* The same reason in a word or two for the header: "lockdown",
 * "no permission", "missing", "rejected", "unsupported", "failed". */
const char *faults_tag(int err, const char *lockdown);

#endif
