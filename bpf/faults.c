// SPDX-License-Identifier: GPL-2.0
/* Reasons a feature is off, and SOCKTOP_FAULT parsing (see faults.h). */
#include "faults.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int err;
	const char *lockdown;
} kinds[] = {
	{ "eperm", -EPERM, NULL },	  { "eacces", -EACCES, NULL },
	{ "einval", -EINVAL, NULL },	  { "enoent", -ENOENT, NULL },
	{ "enotsup", -ENOTSUP, NULL },	  { "lockdown", -EPERM, "confidentiality" },
	{ "lockdown-integrity", -EPERM, "integrity" },
};

int faults_parse(const char *spec, const char *const names[], int n, struct fault *out,
		 char *err, size_t errsz)
{
	memset(out, 0, sizeof(*out) * (size_t)n);
	while (spec && *spec) {
		size_t len = strcspn(spec, ","), flen = strcspn(spec, ":,");
		const char *kind = spec + flen + 1;
		size_t klen = len > flen ? len - flen - 1 : 0;
		int f = -1;
		size_t k;

		for (int i = 0; i < n; i++)
			if (strlen(names[i]) == flen && !strncmp(spec, names[i], flen))
				f = i;
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strlen(kinds[k].name) == klen && !strncmp(kind, kinds[k].name, klen))
				break;
		if (f < 0 || flen == len || k == sizeof(kinds) / sizeof(kinds[0])) {
			snprintf(err, errsz, "SOCKTOP_FAULT: bad entry \"%.*s\" (want FEATURE:KIND, "
				 "KIND one of eperm eacces einval enoent enotsup lockdown "
				 "lockdown-integrity)", (int)(len < 40 ? len : 40), spec);
			return -EINVAL;
		}
		out[f].err = kinds[k].err;
		out[f].lockdown = kinds[k].lockdown;
		spec += len + (spec[len] == ',');
	}
	return 0;
}

/* Lockdown explains the failure: a permission error while it is in force,
 * or, under confidentiality, a program the verifier refused (the helpers
 * that read kernel memory are withdrawn, so the load fails with EINVAL). */
static bool by_lockdown(int err, const char *lockdown)
{
	bool conf = lockdown && !strcmp(lockdown, "confidentiality");
	bool integ = lockdown && !strcmp(lockdown, "integrity");

	return ((conf || integ) && (err == EPERM || err == EACCES)) || (conf && err == EINVAL);
}

void faults_explain(int err, const char *lockdown, const char *what, char *why, size_t whysz)
{
	if (err < 0)
		err = -err;
	if (by_lockdown(err, lockdown)) {
		snprintf(why, whysz, "%s: kernel lockdown (%s) forbids it "
			 "(/sys/kernel/security/lockdown)", what, lockdown);
		return;
	}
	switch (err) {
	case EPERM:
	case EACCES:
		snprintf(why, whysz, "%s: permission denied (needs root: CAP_BPF, CAP_PERFMON, "
			 "CAP_NET_ADMIN)", what);
		break;
	case ENOENT:
		snprintf(why, whysz, "%s: hook not found in this kernel", what);
		break;
	case EINVAL:
		snprintf(why, whysz, "%s: rejected by the kernel (verifier or unsupported "
			 "program type)", what);
		break;
	case ENOTSUP:
		snprintf(why, whysz, "%s: not supported by this kernel", what);
		break;
	default:
		snprintf(why, whysz, "%s: %s", what, strerror(err));
	}
}

const char *faults_tag(int err, const char *lockdown)
{
	if (err < 0)
		err = -err;
	if (by_lockdown(err, lockdown))
		return "lockdown";
	switch (err) {
	case EPERM:
	case EACCES:
		return "no permission";
	case ENOENT:
		return "missing";
	case EINVAL:
		return "rejected";
	case ENOTSUP:
		return "unsupported";
	default:
		return "failed";
	}
}
