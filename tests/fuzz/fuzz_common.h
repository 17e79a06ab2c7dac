/* SPDX-License-Identifier: GPL-2.0 */
/* Shared checks for the fuzz targets: what any output may contain. */
#ifndef SOCKTOP_FUZZ_COMMON_H
#define SOCKTOP_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Length of a valid UTF-8 sequence at s for a visible code point >=
 * U+00A0, or 0. */
static inline size_t fuzz_utf8_len(const unsigned char *s)
{
	uint32_t cp;
	size_t len;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	if (cp < 0xa0 || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* invisible or reordering: bidi controls, zero widths, separators */
	if (cp == 0xad || cp == 0x61c || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
	    (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f))
		return 0;
	return len;
}

/* A NUL-terminated string holding no C0, DEL, C1, invalid UTF-8, bidi
 * control or invisible code point. */
static inline bool fuzz_clean(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t u;

		if (*s < 0x20 || *s == 0x7f)
			return false;
		if (*s < 0x80) {
			s++;
			continue;
		}
		u = fuzz_utf8_len(s);
		if (!u)
			return false;
		s += u;
	}
	return true;
}

#define FUZZ_ASSERT(cond)                                                            \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__,   \
				__LINE__, #cond);                                    \
			abort();                                                     \
		}                                                                    \
	} while (0)

#endif
