// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz targets without libFuzzer, for `make test`: built with the
 * ordinary compiler (and sanitizers under ASAN=1), it runs one target's
 * LLVMFuzzerTestOneInput on an empty and a one-byte input and then on
 * every file saved in tests/fuzz/regressions/TARGET/ (or the files and
 * directories given as arguments), so a crash that `make fuzz` once found
 * stays fixed on machines without clang's libFuzzer. The target's own
 * checks abort on a failure; reaching the end prints PASS.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_TARGET
#error "build with -DFUZZ_TARGET='\"name\"'"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* Only a custom mutator calls it, and only libFuzzer calls the mutator. */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size)
{
	(void)data;
	(void)max_size;
	return size;
}

static int run_file(const char *path)
{
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *b = realloc(buf, cap ? cap * 2 : 4096);

			if (!b) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = b;
			cap = cap ? cap * 2 : 4096;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (!got)
			break;
	}
	fclose(f);
	fprintf(stderr, "  %s (%zu bytes)\n", path, n);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

/* A file, or every regular file in a directory (sorted: stable logs). */
static int run_path(const char *path, int *count)
{
	struct dirent **names;
	struct stat st;
	int n, rc = 0;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1; /* no regressions saved yet */
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char file[4096];

		if (names[i]->d_name[0] != '.' && !rc) {
			snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
			if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
				(*count)++;
				rc = run_file(file);
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	static const uint8_t one[1] = { 0 };
	int count = 0, rc = 0;

	LLVMFuzzerTestOneInput(one, 0);
	LLVMFuzzerTestOneInput(one, 1);
	if (argc < 2)
		rc = run_path("tests/fuzz/regressions/" FUZZ_TARGET, &count);
	for (int i = 1; i < argc && !rc; i++)
		rc = run_path(argv[i], &count);
	if (rc) {
		printf("FAIL fuzz-regressions-%s: cannot read the saved inputs\n", FUZZ_TARGET);
		return 1;
	}
	printf("PASS fuzz-regressions-%s (%d saved inputs and 2 built in)\n", FUZZ_TARGET, count);
	return 0;
}
