// SPDX-License-Identifier: GPL-2.0
/*
 * Theme files on disk: where they are looked for (SOCKTOP_THEMES, next to
 * the executable as in a build tree, ../share/socktop/themes from the
 * executable as make install lays them out, ./themes, the data directory
 * the build was configured for), loading one by name, and listing them for
 * the theme key and the help page.
 */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "theme.h"

/* make install's data directory (PREFIX/share/socktop/themes) */
#ifndef SOCKTOP_THEMEDIR
#define SOCKTOP_THEMEDIR "/usr/local/share/socktop/themes"
#endif
#define THEME_DIRS 5

/* Theme directories, most specific first; returns count. */
static int theme_dirs(char dirs[][PATH_MAX], int max)
{
	const char *env = getenv("SOCKTOP_THEMES");
	char exe[PATH_MAX];
	ssize_t n;
	int k = 0;

	if (env && *env && k < max)
		snprintf(dirs[k++], PATH_MAX, "%s", env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0 && k < max) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(dirs[k++], PATH_MAX, "%.4000s/themes", exe);
			/* PREFIX/sbin/socktop -> PREFIX/share/socktop/themes, also
			 * under a DESTDIR or wherever the tree was moved */
			if (k < max)
				snprintf(dirs[k++], PATH_MAX, "%.4000s/../share/socktop/themes", exe);
		}
	}
	if (k < max)
		snprintf(dirs[k++], PATH_MAX, "themes");
	if (k < max)
		snprintf(dirs[k++], PATH_MAX, "%s", SOCKTOP_THEMEDIR);
	return k;
}

/* Every directory looked in, so a missing install is plain to see. */
static void say_not_found(char *err, size_t errsz, const char *name, char dirs[][PATH_MAX],
			  int nd)
{
	size_t at = (size_t)snprintf(err, errsz, "theme '%.64s' not found (looked in", name);

	for (int i = 0; i < nd && at < errsz; i++)
		at += (size_t)snprintf(err + at, errsz - at, "%s %s", i ? "," : "", dirs[i]);
	if (at < errsz)
		snprintf(err + at, errsz - at, ")");
}

int theme_load(struct theme *t, const char *name, char *err, size_t errsz)
{
	char dirs[THEME_DIRS][PATH_MAX], path[PATH_MAX + 96];
	int nd = theme_dirs(dirs, THEME_DIRS);

	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_') {
			snprintf(err, errsz, "bad theme name (letters, digits, - and _ only)");
			theme_builtin(t);
			return -1;
		}
	for (int i = 0; i < nd; i++) {
		FILE *f;
		char text[16384];
		size_t len;

		snprintf(path, sizeof(path), "%.3900s/%.64s.theme", dirs[i], name);
		f = fopen(path, "r");
		if (!f)
			continue;
		len = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[len] = '\0';
		return theme_parse(t, name, text, err, errsz);
	}
	say_not_found(err, errsz, name, dirs, nd);
	theme_builtin(t);
	return -1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int theme_list(char names[][THEME_NAME_LEN], int max)
{
	char dirs[THEME_DIRS][PATH_MAX];
	int nd = theme_dirs(dirs, THEME_DIRS), n = 0;

	for (int i = 0; i < nd && !n; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d)) && n < max) {
			size_t len = strlen(de->d_name);

			if (len > 6 && len - 6 < THEME_NAME_LEN &&
			    !strcmp(de->d_name + len - 6, ".theme")) {
				memcpy(names[n], de->d_name, len - 6);
				names[n++][len - 6] = '\0';
			}
		}
		closedir(d);
	}
	qsort(names, (size_t)n, THEME_NAME_LEN, name_cmp);
	return n;
}
