// SPDX-License-Identifier: GPL-2.0
/*
 * fmt_escape on arbitrary bytes, every kind, at the full size and at a
 * size taken from the input: always NUL-terminated inside the buffer, no
 * raw control byte, C1 or invalid UTF-8, a truncation is a prefix of the
 * full escape (CSV: with its closing quote), JSON escapes are only \" \\.
 */
#include <string.h>

#include "fmt.h"
#include "fuzz_common.h"

static void check_kind(const char *in, size_t n, size_t cut, enum esc_kind k)
{
	size_t fullsz = FMT_ESC_MAX(n) + 1, len, flen;
	char *full = malloc(fullsz), *out = malloc(cut);

	FUZZ_ASSERT(full && out);
	fmt_escape(full, fullsz, in, n, k);
	flen = strlen(full);
	FUZZ_ASSERT(flen < fullsz - 1 || !n);
	FUZZ_ASSERT(fuzz_clean(full));
	if (k == ESC_JSON) {
		for (size_t i = 0; i < flen; i++) {
			if (full[i] == '"')
				FUZZ_ASSERT(0); /* an unescaped quote ends the string */
			if (full[i] == '\\') {
				FUZZ_ASSERT(full[i + 1] == '"' || full[i + 1] == '\\');
				i++;
			}
		}
	}
	if (k == ESC_CSV && full[0] == '"') {
		size_t q = 0;

		for (size_t i = 0; i < flen; i++)
			q += full[i] == '"';
		FUZZ_ASSERT(flen >= 2 && full[flen - 1] == '"' && q % 2 == 0);
	}
	/* buffers of exactly cut bytes: ASan catches a write past them */
	fmt_escape(out, cut, in, n, k);
	FUZZ_ASSERT(memchr(out, '\0', cut));
	len = strlen(out);
	FUZZ_ASSERT(fuzz_clean(out));
	FUZZ_ASSERT(len <= flen);
	if (k == ESC_CSV && full[0] == '"' && len) {
		FUZZ_ASSERT(len >= 2 && out[len - 1] == '"');
		FUZZ_ASSERT(!strncmp(out, full, len - 1));
	} else {
		FUZZ_ASSERT(!strncmp(out, full, len));
	}
	if (cut > flen)
		FUZZ_ASSERT(len == flen);
	free(out);
	free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cut;

	if (size < 1)
		return 0;
	cut = 1 + data[0] % 64;
	for (int k = ESC_TEXT; k <= ESC_JSON; k++)
		check_kind((const char *)data + 1, size - 1, cut, (enum esc_kind)k);
	return 0;
}
