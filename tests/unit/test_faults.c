// SPDX-License-Identifier: GPL-2.0
/*
 * Reasons a feature is off: kernel lockdown named as such (both modes),
 * each errno in words, short tags for the header; SOCKTOP_FAULT parsing,
 * bad entries refused with a message.
 */
#include <errno.h>

#include "check.h"
#include "faults.h"

static const char *const names[] = { "states", "binds", "connects", "iters" };

static void test_parse(void)
{
	struct fault f[4];
	char err[256] = "";

	CHECK(!faults_parse("binds:lockdown,connects:eperm", names, 4, f, err, sizeof(err)));
	CHECK(f[1].err == -EPERM && f[1].lockdown && !strcmp(f[1].lockdown, "confidentiality"));
	CHECK(f[2].err == -EPERM && !f[2].lockdown);
	CHECK(!f[0].err && !f[3].err);
	CHECK(!faults_parse("iters:lockdown-integrity", names, 4, f, err, sizeof(err)));
	CHECK(f[3].err == -EPERM && !strcmp(f[3].lockdown, "integrity") && !f[1].err);
	CHECK(!faults_parse("states:einval,binds:enoent,connects:enotsup,iters:eacces", names, 4,
			    f, err, sizeof(err)));
	CHECK(f[0].err == -EINVAL && f[1].err == -ENOENT && f[2].err == -ENOTSUP &&
	      f[3].err == -EACCES);
	CHECK(!faults_parse(NULL, names, 4, f, err, sizeof(err)) && !f[0].err);
	CHECK(!faults_parse("", names, 4, f, err, sizeof(err)));
	CHECK(!faults_parse("binds:eperm,", names, 4, f, err, sizeof(err)) && f[1].err == -EPERM);
}

static void test_parse_bad(void)
{
	static const char *const bad[] = { "bogus:eperm", "binds", "binds:", "binds:nope",
					   ":eperm", "bind:eperm", "binds:epermx",
					   "binds:eperm,,iters:eperm" };
	struct fault f[4];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[256] = "";

		CHECK(faults_parse(bad[i], names, 4, f, err, sizeof(err)) == -EINVAL);
		CHECK(strstr(err, "SOCKTOP_FAULT: bad entry") != NULL);
	}
}

static void test_explain(void)
{
	char why[256];

	faults_explain(-EPERM, "confidentiality", "load bind programs", why, sizeof(why));
	CHECK_STR(why, "load bind programs: kernel lockdown (confidentiality) forbids it "
		       "(/sys/kernel/security/lockdown)");
	faults_explain(-EPERM, "integrity", "x", why, sizeof(why));
	CHECK(strstr(why, "kernel lockdown (integrity) forbids") != NULL);
	/* the verifier refusing a helper lockdown withdrew: lockdown, not
	 * "rejected by the verifier" */
	faults_explain(-EINVAL, "confidentiality", "x", why, sizeof(why));
	CHECK(strstr(why, "kernel lockdown (confidentiality)") != NULL);
	faults_explain(-EINVAL, "integrity", "x", why, sizeof(why));
	CHECK(strstr(why, "rejected by the kernel") != NULL);
	faults_explain(-EPERM, "none", "x", why, sizeof(why));
	CHECK(strstr(why, "permission denied") != NULL && !strstr(why, "lockdown"));
	faults_explain(-ENOENT, "none", "x", why, sizeof(why));
	CHECK_STR(why, "x: hook not found in this kernel");
	faults_explain(EBUSY, NULL, "x", why, sizeof(why));
	CHECK_STR(why, "x: Device or resource busy");
}

static void test_tags(void)
{
	CHECK_STR(faults_tag(-EPERM, "confidentiality"), "lockdown");
	CHECK_STR(faults_tag(-EACCES, "integrity"), "lockdown");
	CHECK_STR(faults_tag(-EINVAL, "confidentiality"), "lockdown");
	CHECK_STR(faults_tag(-EPERM, "none"), "no permission");
	CHECK_STR(faults_tag(-ENOENT, NULL), "missing");
	CHECK_STR(faults_tag(-EINVAL, "none"), "rejected");
	CHECK_STR(faults_tag(-ENOTSUP, "none"), "unsupported");
	CHECK_STR(faults_tag(-EBUSY, "none"), "failed");
}

int main(void)
{
	RUN(test_parse);
	RUN(test_parse_bad);
	RUN(test_explain);
	RUN(test_tags);
	CHECK_EXIT();
}
