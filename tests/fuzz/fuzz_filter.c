// SPDX-License-Identifier: GPL-2.0
/*
 * The view filter parser on arbitrary prompt text: no crash, messages and
 * descriptions terminated, an error position inside the text, and a parsed
 * filter's normalised text parses again to the same text.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "filter.h"
#include "fuzz_common.h"

static void match_some(const struct filter *f)
{
	static const uint8_t a4[16] = { 10, 1, 2, 3 };
	static const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct filter_subject s = { .family = AF_INET, .lport = 443, .rport = 51000,
				    .state = 1, .pid = 42, .uid = 0, .comm = "nginx\x1b[2J",
				    .comm_len = 16, .saddr = a4, .daddr = a4 };

	(void)filter_match(f, &s);
	s.family = AF_INET6, s.saddr = a6, s.daddr = a6, s.state = -1, s.uid = -1;
	(void)filter_match(f, &s);
	s.saddr = s.daddr = NULL, s.comm = NULL, s.comm_len = 0, s.family = 0;
	(void)filter_match(f, &s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter f = { 0 }, g = { 0 };
	char text[FILTER_TEXT_LEN * 2], err[256], desc[FILTER_TEXT_LEN + 16];
	int pos = -2, rc;

	if (size >= sizeof(text))
		size = sizeof(text) - 1;
	memcpy(text, data, size);
	text[size] = '\0';
	f.hide6 = size & 1;
	rc = filter_parse(&f, text, err, sizeof(err), &pos);
	if (rc) {
		FUZZ_ASSERT(rc == -1);
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) && err[0]);
		FUZZ_ASSERT(pos >= 0 && (size_t)pos <= strlen(text));
		FUZZ_ASSERT(f.nterms == 0); /* unchanged on error */
		return 0;
	}
	FUZZ_ASSERT(f.nterms >= 0 && f.nterms <= FILTER_MAX_TERMS);
	FUZZ_ASSERT(memchr(f.text, '\0', sizeof(f.text)));
	filter_describe(&f, desc, sizeof(desc));
	FUZZ_ASSERT(memchr(desc, '\0', sizeof(desc)));
	filter_describe(&f, desc, 3);
	FUZZ_ASSERT(strlen(desc) < 3);
	match_some(&f);
	/* the normalised text is itself a valid filter with the same text */
	rc = filter_parse(&g, f.text, err, sizeof(err), &pos);
	if (rc)
		fprintf(stderr, "normalised '%s' (from '%s') fails: %s\n", f.text, text, err);
	FUZZ_ASSERT(rc == 0);
	FUZZ_ASSERT(g.nterms == f.nterms && !strcmp(g.text, f.text));
	filter_clear(&f);
	FUZZ_ASSERT(!f.nterms);
	return 0;
}
