// SPDX-License-Identifier: GPL-2.0
/*
 * socktop --version: it names the release, every kernel feature built in
 * and the kernel each needs (a feature added without its minimum kernel
 * fails here), and the git describe the build embedded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "loader.h"
#include "version.h"

static void test_print(void)
{
	char *text = NULL, line[128];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	CHECK(f);
	if (!f)
		return;
	version_print(f);
	fclose(f);
	CHECK(!strncmp(text, "socktop " SOCKTOP_VERSION, strlen("socktop " SOCKTOP_VERSION)));
	for (int i = 0; i < features_count(); i++) {
		const char *k = version_min_kernel(i);

		CHECK(strcmp(k, "?") && strchr(k, '.'));
		snprintf(line, sizeof(line), "\n  %-9s needs Linux %s or later (", loader_feature_name(i),
			 k);
		CHECK(strstr(text, line));
	}
	CHECK(!strcmp(version_min_kernel(features_count()), "?") &&
	      !strcmp(version_min_kernel(-1), "?"));
	CHECK(strstr(text, "\nminimum kernel: Linux "));
	if (version_git()[0]) {
		snprintf(line, sizeof(line), " (git %s)\n", version_git());
		CHECK(strstr(text, line));
	}
	free(text);
}

int main(void)
{
	RUN(test_print);
	CHECK_EXIT();
}
