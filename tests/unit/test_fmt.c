// SPDX-License-Identifier: GPL-2.0
/*
 * Formatters: fmt_escape for every byte value and output kind, UTF-8,
 * truncation at every size; addresses squeezed to a width; durations at
 * their unit boundaries; errno names; wall-clock time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "check.h"
#include "fmt.h"

static const enum esc_kind kinds[] = { ESC_TEXT, ESC_CSV, ESC_JSON };
static const char *const kind_names[] = { "text", "csv", "json" };

/* Length of a valid UTF-8 sequence at s for a code point >= U+00A0, or 0. */
static size_t utf8_ok(const unsigned char *s)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	for (i = 1; i < len; i++) {
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

/* No raw C0, DEL, C1 or invalid UTF-8 anywhere in s. */
static bool clean(const char *str)
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
		u = utf8_ok(s);
		if (!u)
			return false;
		s += u;
	}
	return true;
}

static void test_every_byte(void)
{
	char in[2] = { 0, 0 }, out[64], want[64];

	for (int b = 0; b < 256; b++) {
		in[0] = (char)b;
		for (size_t k = 0; k < 3; k++) {
			memset(out, 'Z', sizeof(out));
			fmt_escape(out, sizeof(out), in, 1, kinds[k]);
			if (b == 0)
				want[0] = '\0';
			else if (b < 0x20 || b >= 0x7f)
				snprintf(want, sizeof(want),
					 kinds[k] == ESC_JSON ? "\\\\x%02x" : "\\x%02x", b);
			else if (b == '\\')
				snprintf(want, sizeof(want),
					 kinds[k] == ESC_JSON ? "\\\\\\\\" : "\\\\");
			else if (b == '"')
				snprintf(want, sizeof(want),
					 kinds[k] == ESC_JSON ? "\\\"" :
					 kinds[k] == ESC_CSV  ? "\"\"\"\"" :
								"\"");
			else if (b == ',' && kinds[k] == ESC_CSV)
				snprintf(want, sizeof(want), "\",\"");
			else
				snprintf(want, sizeof(want), "%c", b);
			if (strcmp(out, want) || !clean(out)) {
				fprintf(stderr, "  byte 0x%02x %s: got '%s' want '%s'\n", b,
					kind_names[k], out, want);
				CHECK(0);
			}
		}
	}
	/* embedded NUL ends the string; inlen bounds it */
	fmt_escape(out, sizeof(out), "ab\0cd", 5, ESC_TEXT);
	CHECK_STR(out, "ab");
	fmt_escape(out, sizeof(out), "abcdef", 3, ESC_TEXT);
	CHECK_STR(out, "abc");
	/* outsz 0 writes nothing, 1 gives "" */
	out[0] = 'X';
	fmt_escape(out, 0, "abc", 3, ESC_TEXT);
	CHECK(out[0] == 'X');
	fmt_escape(out, 1, "abc", 3, ESC_TEXT);
	CHECK(out[0] == '\0');
}

static void test_utf8(void)
{
	static const struct {
		const char *in, *text, *json;
	} cases[] = {
		{ "caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9" },		/* é passes */
		{ "\xc2\xa0x", "\xc2\xa0x", "\xc2\xa0x" },			/* U+00A0 */
		{ "\xc2\x85", "\\xc2\\x85", "\\\\xc2\\\\x85" },			/* C1 NEL */
		{ "\xc2\x9b[2J", "\\xc2\\x9b[2J", "\\\\xc2\\\\x9b[2J" },	/* CSI */
		{ "\xc0\x80", "\\xc0\\x80", "\\\\xc0\\\\x80" },			/* overlong */
		{ "\xe0\x80\xaf", "\\xe0\\x80\\xaf", "\\\\xe0\\\\x80\\\\xaf" }, /* overlong */
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80", "\\\\xed\\\\xa0\\\\x80" }, /* surrogate */
		{ "\xe2\x82", "\\xe2\\x82", "\\\\xe2\\\\x82" },			/* cut short */
		{ "\xe2\x82\xac", "\xe2\x82\xac", "\xe2\x82\xac" },		/* € */
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" }, /* emoji */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", "\\\\xf4\\\\x90\\\\x80\\\\x80" },
		{ "\xff\xfe", "\\xff\\xfe", "\\\\xff\\\\xfe" },
		{ "\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07", "\\\\x1b]0;pwned\\\\x07" },
		{ "a\\b\"c", "a\\\\b\"c", "a\\\\\\\\b\\\"c" },
		/* bidi override, isolate, marks: by code point, never raw */
		{ "abc\xe2\x80\xae"
		  "def",
		  "abc\\u202edef", "abc\\\\u202edef" },
		{ "\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069", "\\\\u2066x\\\\u2069" },
		{ "\xe2\x80\x8f\xd8\x9c", "\\u200f\\u061c", "\\\\u200f\\\\u061c" },
		/* zero width space, line separator, BOM, soft hyphen */
		{ "n\xe2\x80\x8bginx", "n\\u200bginx", "n\\\\u200bginx" },
		{ "a\xe2\x80\xa8"
		  "b",
		  "a\\u2028b", "a\\\\u2028b" },
		{ "\xef\xbb\xbfx\xc2\xad", "\\ufeffx\\u00ad", "\\\\ufeffx\\\\u00ad" },
		/* a tag character (invisible ASCII) takes eight digits */
		{ "\xf3\xa0\x81\x81", "\\U000e0041", "\\\\U000e0041" },
		/* their neighbours pass */
		{ "\xe2\x80\x90\xe2\x81\xb0", "\xe2\x80\x90\xe2\x81\xb0",
		  "\xe2\x80\x90\xe2\x81\xb0" },
	};
	char out[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fmt_escape(out, sizeof(out), cases[i].in, strlen(cases[i].in), ESC_TEXT);
		CHECK_STR(out, cases[i].text);
		CHECK(clean(out));
		fmt_escape(out, sizeof(out), cases[i].in, strlen(cases[i].in), ESC_JSON);
		CHECK_STR(out, cases[i].json);
		CHECK(clean(out));
	}
	fmt_escape(out, sizeof(out), "a,b\"c", 5, ESC_CSV);
	CHECK_STR(out, "\"a,b\"\"c\"");
	fmt_escape(out, sizeof(out), "plain", 5, ESC_CSV);
	CHECK_STR(out, "plain");
}

/* What a truncated escape may be: the escape of an input prefix (CSV:
 * with its quotes closed), so no escape is ever split. */
static bool is_unit_prefix(const char *out, const char *in, size_t n, enum esc_kind k)
{
	char full[512], inner[512];
	bool quoted;

	fmt_escape(full, sizeof(full), in, n, k);
	quoted = k == ESC_CSV && full[0] == '"';
	if (quoted && !out[0])
		return true;
	for (size_t j = 0; j <= n; j++) {
		fmt_escape(inner, sizeof(inner), in, j, k == ESC_CSV ? ESC_TEXT : k);
		if (quoted) {
			char q[512];
			size_t m = 0;

			q[m++] = '"';
			for (const char *p = inner; *p && m < sizeof(q) - 3; p++) {
				q[m++] = *p;
				if (*p == '"')
					q[m++] = '"';
			}
			q[m++] = '"';
			q[m] = '\0';
			if (!strcmp(out, q))
				return true;
		} else if (!strcmp(out, inner)) {
			return true;
		}
	}
	return false;
}

static void test_truncation(void)
{
	static const char *const inputs[] = {
		"\x1b[2J\x1b]0;title\x07",
		"a,b\"c\\d\x80\x9f\xc3\xa9\xff",
		"caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac",
		"\"\"\"\",,,\\\\",
		"a\xe2\x80\xae,\xf3\xa0\x81\x81\xe2\x81\xa6\"",
	};
	char full[512], out[512];

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		size_t n = strlen(inputs[i]);

		for (size_t k = 0; k < 3; k++) {
			fmt_escape(full, sizeof(full), inputs[i], n, kinds[k]);
			CHECK(strlen(full) <= FMT_ESC_MAX(n));
			for (size_t sz = 1; sz <= strlen(full) + 2; sz++) {
				memset(out, 'Z', sizeof(out));
				fmt_escape(out, sz, inputs[i], n, kinds[k]);
				if (!memchr(out, '\0', sz) || !clean(out) ||
				    !is_unit_prefix(out, inputs[i], n, kinds[k]) ||
				    (sz > strlen(full) && strcmp(out, full)) || out[sz] != 'Z') {
					fprintf(stderr, "  input %zu %s size %zu: '%s'\n", i,
						kind_names[k], sz, out);
					CHECK(0);
				}
			}
		}
	}
}

static void test_worst_case(void)
{
	char in[17], out[FMT_ESC_MAX(16)];

	/* every byte escaped, in the widest kind, still fits the macro */
	memset(in, 0x9b, 16);
	in[16] = '\0';
	fmt_escape(out, sizeof(out), in, 16, ESC_JSON);
	CHECK(strlen(out) == 16 * 5 && clean(out));
	memset(in, '"', 16);
	fmt_escape(out, sizeof(out), in, 16, ESC_CSV);
	CHECK(strlen(out) == 16 * 2 + 2);
}

static void addr6(uint8_t a[16], const char *s)
{
	memset(a, 0, 16);
	CHECK(inet_pton(AF_INET6, s, a) == 1);
}

static void test_addr(void)
{
	uint8_t a[16] = { 0 };
	char out[128];
	const char *full6 = "2001:db8:85a3:1234:5678:8a2e:370:7334";

	a[0] = 10, a[3] = 7;
	CHECK_STR(fmt_addr(out, sizeof(out), AF_INET, a), "10.0.0.7");
	CHECK_STR(fmt_addr(out, sizeof(out), 99, a), "?");
	/* every IPv4 byte value as inet_ntop prints it */
	for (unsigned v = 0; v < 256; v++) {
		char want[INET_ADDRSTRLEN];
		uint8_t q[16] = { (uint8_t)v, (uint8_t)(255 - v), (uint8_t)(v * 7),
				  (uint8_t)(v / 3) };

		inet_ntop(AF_INET, q, want, sizeof(want));
		CHECK_STR(fmt_addr(out, sizeof(out), AF_INET, q), want);
	}
	addr6(a, "::1");
	CHECK_STR(fmt_addr(out, sizeof(out), AF_INET6, a), "::1");
	CHECK_STR(fmt_addr_fit(out, sizeof(out), AF_INET6, a, 10, 0), "::1");
	addr6(a, full6);
	CHECK_STR(fmt_addr(out, sizeof(out), AF_INET6, a), full6);
	/* wide enough: untouched */
	CHECK_STR(fmt_addr_fit(out, sizeof(out), AF_INET6, a, 39, 0), full6);
	CHECK_STR(fmt_addr_fit(out, sizeof(out), AF_INET6, a, 0, 0), full6);
	/* narrower: the prefix, a mark, and the last group, exactly width wide */
	for (int w = 14; w < (int)strlen(full6); w++) {
		size_t len;

		fmt_addr_fit(out, sizeof(out), AF_INET6, a, w, 0);
		len = strlen(out);
		if ((int)len != w || strncmp(out, "2001:db8", 8) || !strchr(out, '~') ||
		    strcmp(out + len - 5, ":7334")) {
			fprintf(stderr, "  width %d: '%s'\n", w, out);
			CHECK(0);
		}
		fmt_addr_fit(out, sizeof(out), AF_INET6, a, w, 1);
		len = strlen(out);
		/* "…" is 3 bytes but one column */
		if ((int)len != w + 2 || !strstr(out, "\xe2\x80\xa6") ||
		    strncmp(out, "2001:db8", 8) || strcmp(out + len - 5, ":7334")) {
			fprintf(stderr, "  utf8 width %d: '%s'\n", w, out);
			CHECK(0);
		}
	}
	CHECK_STR(fmt_addr_fit(out, sizeof(out), AF_INET6, a, 20, 0), "2001:db8:85a3:~:7334");
	/* IPv4 keeps its last octet too */
	memset(a, 0, 16);
	a[0] = 192, a[1] = 168, a[2] = 100, a[3] = 200;
	CHECK_STR(fmt_addr_fit(out, sizeof(out), AF_INET, a, 15, 0), "192.168.100.200");
	fmt_addr_fit(out, sizeof(out), AF_INET, a, 10, 0);
	CHECK(strlen(out) == 10 && !strncmp(out, "192.", 4) && !strcmp(out + 6, ".200"));
	/* a small output buffer still terminates */
	addr6(a, full6);
	fmt_addr_fit(out, 8, AF_INET6, a, 20, 0);
	CHECK(strlen(out) == 7);
}

static void test_bytes(void)
{
	static const struct {
		uint64_t b;
		const char *s;
	} cases[] = {
		{ 0, "0B" },
		{ 1023, "1023B" },
		{ 1024, "1.0KiB" },
		{ 1536, "1.5KiB" },
		{ 102297, "99.9KiB" },
		{ 102400, "100KiB" },
		{ 1023 * 1024, "1.0MiB" },
		{ 10485760, "10.0MiB" },
		{ 24536678, "23.4MiB" },
		{ 126701535232ULL, "118GiB" },
		{ 2199023255552ULL, "2.0TiB" },
		{ UINT64_MAX, "16.0EiB" },
	};
	char out[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(fmt_bytes(out, sizeof(out), cases[i].b), cases[i].s);
}

static void test_duration(void)
{
	static const struct {
		uint64_t ns;
		const char *s;
	} cases[] = {
		{ 0, "0us" },
		{ 999, "0us" },
		{ 148000, "148us" },
		{ 999999, "999us" },
		{ 1000000, "1ms" },
		{ 999999999, "999ms" },
		{ 1000000000ULL, "1.0s" },
		{ 1999999999ULL, "1.9s" },
		{ 4200000000ULL, "4.2s" },
		{ 59999999999ULL, "59.9s" },
		{ 60000000000ULL, "1m00s" },
		{ 184000000000ULL, "3m04s" },
		{ 3599999999999ULL, "59m59s" },
		{ 3600000000000ULL, "1h00m" },
		{ 7500000000000ULL, "2h05m" },
		{ 86399999999999ULL, "23h59m" },
		{ 86400000000000ULL, "1d00h" },
		{ 266400000000000ULL, "3d02h" },
		{ UINT64_MAX, "213503d23h" },
	};
	char out[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fmt_duration(out, sizeof(out), cases[i].ns);
		CHECK_STR(out, cases[i].s);
	}
	fmt_duration(out, 4, 7500000000000ULL);
	CHECK_STR(out, "2h0");
}

static void test_errno_hms(void)
{
	char out[16];

	CHECK_STR(fmt_errno_name(ECONNREFUSED), "ECONNREFUSED");
	CHECK_STR(fmt_errno_name(-ECONNREFUSED), "ECONNREFUSED");
	CHECK_STR(fmt_errno_name(-EADDRINUSE), "EADDRINUSE");
	CHECK_STR(fmt_errno_name(-ETIMEDOUT), "ETIMEDOUT");
	CHECK_STR(fmt_errno_name(0), "OK");
	CHECK_STR(fmt_errno_name(-4095), "E4095");
	CHECK_STR(fmt_errno_name(INT_MIN), "E2147483648");
	CHECK_STR(fmt_errno_name(INT_MAX), "E2147483647");
	setenv("TZ", "UTC", 1);
	tzset();
	CHECK_STR(fmt_hms(out, sizeof(out), 0), "00:00:00");
	CHECK_STR(fmt_hms(out, sizeof(out), 1700000000ULL * 1000000000ULL + 999999999ULL),
		  "22:13:20");
	CHECK_STR(fmt_hms(out, 4, 0), "??:");
}

/* The address cache: every pair of addresses told apart, alternately,
 * however they hash (IPv4 and IPv6 of the same bytes, one bit apart in
 * any byte, an IPv4 address with other bytes after its four) */
static void test_addr_cache(void)
{
	uint8_t a[16] = { 10, 0, 0, 1 }, b[16];
	char out[64], want[64];

	for (int i = 0; i < 16; i++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(b, a, sizeof(b));
			b[i] ^= (uint8_t)(1 << bit);
			for (int round = 0; round < 2; round++) {
				CHECK(inet_ntop(AF_INET6, a, want, sizeof(want)));
				CHECK(!strcmp(fmt_addr(out, sizeof(out), AF_INET6, a), want));
				CHECK(inet_ntop(AF_INET6, b, want, sizeof(want)));
				CHECK(!strcmp(fmt_addr(out, sizeof(out), AF_INET6, b), want));
				CHECK(inet_ntop(AF_INET, b, want, sizeof(want)));
				CHECK(!strcmp(fmt_addr(out, sizeof(out), AF_INET, b), want));
				CHECK(inet_ntop(AF_INET, a, want, sizeof(want)));
				CHECK(!strcmp(fmt_addr(out, sizeof(out), AF_INET, a), want));
				/* the length kept with the text, hit or miss */
				CHECK(fmt_addr_len(out, sizeof(out), AF_INET, a) == strlen(want));
				CHECK(inet_ntop(AF_INET6, b, want, sizeof(want)));
				CHECK(fmt_addr_len(out, sizeof(out), AF_INET6, b) == strlen(want));
				CHECK(!strcmp(out, want));
			}
		}
	}
	/* bytes past an IPv4 address's four never change its text */
	memcpy(b, a, sizeof(b));
	b[4] = 0xff;
	CHECK(!strcmp(fmt_addr(out, sizeof(out), AF_INET, b), "10.0.0.1"));
	CHECK(!strcmp(fmt_addr(out, sizeof(out), AF_INET, a), "10.0.0.1"));
	/* a short buffer: never the cached text's full length */
	CHECK(!strcmp(fmt_addr(out, 4, AF_INET, a), "?"));
}

/* The last name's cache: the same 16 bytes with another room or kind,
 * or another byte anywhere (past the NUL too), is escaped again */
static void test_escape_cache(void)
{
	static const struct {
		size_t outsz;
		enum esc_kind k;
	} ask[] = { { 99, ESC_TEXT }, { 99, ESC_JSON }, { 99, ESC_CSV }, { 3, ESC_CSV },
		    { 3, ESC_TEXT },  { 4, ESC_TEXT },	{ 99, ESC_TEXT } };
	char a[16] = "ab,c\\", b[16], other[16] = "other", out[128], fresh[7][128];

	/* (the cache keeps answers of up to FMT_ESC_MAX(16) bytes) */
	/* each answer alone, after another name */
	for (size_t i = 0; i < 7; i++) {
		fmt_escape(out, FMT_ESC_MAX(16), other, 16, ESC_TEXT);
		fmt_escape(fresh[i], ask[i].outsz, a, 16, ask[i].k);
	}
	CHECK(!strcmp(fresh[0], "ab,c\\\\"));
	CHECK(!strcmp(fresh[1], "ab,c\\\\\\\\"));
	CHECK(!strcmp(fresh[2], "\"ab,c\\\\\""));
	CHECK(!strcmp(fresh[4], "ab"));
	CHECK(!strcmp(fresh[5], "ab,"));
	/* one after the other, twice: the same answers */
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < 7; i++) {
			CHECK(!strcmp(fmt_escape(out, ask[i].outsz, a, 16, ask[i].k), fresh[i]));
			/* the length, from the cache (again) and after a miss */
			CHECK(fmt_escape_len(out, ask[i].outsz, a, 16, ask[i].k) ==
			      strlen(fresh[i]));
			fmt_escape(out, FMT_ESC_MAX(16), other, 16, ESC_TEXT);
			CHECK(fmt_escape_len(out, ask[i].outsz, a, 16, ask[i].k) ==
			      strlen(fresh[i]));
			CHECK(!strcmp(out, fresh[i]));
		}
	}
	for (int i = 0; i < 16; i++) {
		char want[32];

		memcpy(b, a, sizeof(b));
		b[i] = 'x';
		fmt_escape(out, FMT_ESC_MAX(16), a, 16, ESC_TEXT);
		fmt_escape(out, FMT_ESC_MAX(16), b, 16, ESC_TEXT);
		if (i < 6) { /* the name up to its NUL, '\' doubled */
			char *w = want;

			for (int j = 0; j < 6 && b[j]; j++) {
				*w++ = b[j];
				if (b[j] == '\\')
					*w++ = '\\';
			}
			*w = '\0';
		} else {
			strcpy(want, "ab,c\\\\");
		}
		CHECK(!strcmp(out, want));
	}
	/* a full name, no NUL: its last byte counts too */
	memcpy(b, "abcdefghijklmnop", 16);
	CHECK(!strcmp(fmt_escape(out, FMT_ESC_MAX(16), b, 16, ESC_TEXT), "abcdefghijklmnop"));
	b[15] = 'z';
	CHECK(!strcmp(fmt_escape(out, FMT_ESC_MAX(16), b, 16, ESC_TEXT), "abcdefghijklmnoz"));
	/* no room: untouched, whatever was cached */
	out[0] = 'z';
	fmt_escape(out, 0, b, 16, ESC_TEXT);
	CHECK(out[0] == 'z');
}

int main(void)
{
	RUN(test_every_byte);
	RUN(test_utf8);
	RUN(test_truncation);
	RUN(test_worst_case);
	RUN(test_addr);
	RUN(test_addr_cache);
	RUN(test_escape_cache);
	RUN(test_duration);
	RUN(test_bytes);
	RUN(test_errno_hms);
	CHECK_EXIT();
}
