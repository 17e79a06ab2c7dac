/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A line built by hand for the stream hot path: at a few hundred thousand
 * events a second, printf's format parsing was most of socktop's CPU. The
 * appenders write what the printf conversions they replace would ("%-5u",
 * "%llx"; milliseconds with three decimals from nanoseconds), and never
 * past the buffer: a line that does not fit is cut, never overrun.
 * A line is built where its caller says (lb_start): the stream builds it
 * in its own output buffer, where it stays, so no copy reads it back.
 */
#ifndef SOCKTOP_LINEBUF_H
#define SOCKTOP_LINEBUF_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* a line's room: the buffer given to lb_start holds at least this */
#define LB_MAX 1024

struct linebuf {
	char *b; /* LB_MAX bytes */
	size_t n;
};

static inline void lb_start(struct linebuf *l, char *b)
{
	l->b = b;
	l->n = 0;
}

/* the cut: what fits of a string too long for the room left (out of
 * line: with a constant length inlined the compiler took room for it) */
static __attribute__((noinline, unused)) void lb_mem_cut(struct linebuf *l, const char *s)
{
	memcpy(l->b + l->n, s, LB_MAX - l->n);
	l->n = LB_MAX;
}

static inline void lb_mem(struct linebuf *l, const char *s, size_t len)
{
	/* no length clamped first: a literal's copy stays a few stores, not
	 * a byte loop (most of a JSON line's instructions) */
	if (len <= LB_MAX - l->n) {
		memcpy(l->b + l->n, s, len);
		l->n += len;
	} else {
		lb_mem_cut(l, s);
	}
}

static inline void lb_str(struct linebuf *l, const char *s)
{
	lb_mem(l, s, strlen(s));
}

static inline void lb_char(struct linebuf *l, char c)
{
	if (l->n < LB_MAX)
		l->b[l->n++] = c;
}

/* n spaces (a column's padding) in one store, not a byte at a time */
static inline void lb_spaces(struct linebuf *l, size_t n)
{
	if (n > LB_MAX - l->n)
		n = LB_MAX - l->n;
	memset(l->b + l->n, ' ', n);
	l->n += n;
}

/* "%-*s": the string, then spaces up to width */
static inline void lb_pad(struct linebuf *l, const char *s, size_t width)
{
	size_t len = strlen(s);

	lb_mem(l, s, len);
	if (len < width)
		lb_spaces(l, width - len);
}

/* "00" to "99": decimals two digits a division, half the divisions */
static const char lb_pairs[201] = "00010203040506070809101112131415161718192021222324"
				  "25262728293031323334353637383940414243444546474849"
				  "50515253545556575859606162636465666768697071727374"
				  "75767778798081828384858687888990919293949596979899";

/* v's decimal digits written backwards, ending before end: their count */
static inline size_t lb_dec_rev(char *end, uint64_t v)
{
	char *p = end;

	while (v >= 100) {
		uint64_t q = v / 100;

		p -= 2;
		memcpy(p, lb_pairs + 2 * (v - 100 * q), 2);
		v = q;
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, lb_pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return (size_t)(end - p);
}

/* x's 8 hex digits (lower case) as 8 bytes in memory order, most
 * significant first: each nibble spread to a byte, then the ASCII of all
 * eight at once ('a'-'f' where the nibble + 6 carries into bit 4) */
static inline uint64_t lb_hex8(uint32_t x)
{
	uint64_t v = x;

	v = ((v & 0xffff0000ULL) << 16) | (v & 0xffffULL);
	v = ((v & 0x0000ff000000ff00ULL) << 8) | (v & 0x000000ff000000ffULL);
	v = ((v & 0x00f000f000f000f0ULL) << 4) | (v & 0x000f000f000f000fULL);
	v += 0x3030303030303030ULL +
	     (((v + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL) * ('a' - '0' - 10);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return __builtin_bswap64(v);
#else
	return v;
#endif
}

/* v's hex digits (no leading zeros, "0" for 0) ending before end: their
 * count; the 16 bytes before end are written */
static inline size_t lb_hex_rev(char *end, uint64_t v)
{
	uint64_t hi = lb_hex8((uint32_t)(v >> 32)), lo = lb_hex8((uint32_t)v);

	memcpy(end - 16, &hi, 8);
	memcpy(end - 8, &lo, 8);
	return v ? (size_t)(67 - __builtin_clzll(v)) / 4 : 1;
}

/* v's count of decimal digits (a guess from its bit count, then one
 * compare) */
static inline size_t lb_dec_len(uint64_t v)
{
	static const uint64_t pow10[20] = {
		1ULL,
		10ULL,
		100ULL,
		1000ULL,
		10000ULL,
		100000ULL,
		1000000ULL,
		10000000ULL,
		100000000ULL,
		1000000000ULL,
		10000000000ULL,
		100000000000ULL,
		1000000000000ULL,
		10000000000000ULL,
		100000000000000ULL,
		1000000000000000ULL,
		10000000000000000ULL,
		100000000000000000ULL,
		1000000000000000000ULL,
		10000000000000000000ULL,
	};
	/* about log10 of 2^bits: the digits or one fewer (0 counts as 1) */
	size_t t = (size_t)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return t + ((v | 1) >= pow10[t]);
}

/* v's hex digits, no leading zeros ("0" for 0) */
static inline size_t lb_hex_len(uint64_t v)
{
	return v ? (size_t)(67 - __builtin_clzll(v)) / 4 : 1;
}

/* v's hex digits written at p: their count; up to 16 bytes stored */
static inline size_t lb_hex_at(char *p, uint64_t v)
{
	uint64_t hi = lb_hex8((uint32_t)(v >> 32)), lo = lb_hex8((uint32_t)v);
	size_t len = lb_hex_len(v);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* a word's first byte in memory is its lowest: shifting it down
	 * drops leading digits */
	if (len > 8) {
		uint64_t h = hi >> 8 * (16 - len);

		memcpy(p, &h, 8);
		memcpy(p + len - 8, &lo, 8);
	} else {
		uint64_t w = lo >> 8 * (8 - len);

		memcpy(p, &w, 8);
	}
#else
	char d[16];

	lb_hex_rev(d + 16, v);
	memcpy(p, d + 16 - len, len);
#endif
	return len;
}

/*
 * The digits go straight to where they belong in the line: built in a
 * buffer of their own and copied, they were read back in wide loads just
 * after their narrow stores, which the CPU cannot forward (a stall a
 * field: a seventh of a --stream line's time in perf under churn).
 */

/* "%-*llu" (width 0: "%llu") */
static inline void lb_u64(struct linebuf *l, uint64_t v, size_t width)
{
	size_t len = lb_dec_len(v);

	if (len <= LB_MAX - l->n) {
		lb_dec_rev(l->b + l->n + len, v);
		l->n += len;
	} else {
		char d[20];

		lb_dec_rev(d + sizeof(d), v);
		lb_mem_cut(l, d + sizeof(d) - len);
	}
	if (len < width)
		lb_spaces(l, width - len);
}

/* "%-*llx" */
static inline void lb_hex(struct linebuf *l, uint64_t v, size_t width)
{
	size_t len;

	if (LB_MAX - l->n >= 16) {
		len = lb_hex_at(l->b + l->n, v);
		l->n += len;
	} else {
		char d[16];

		len = lb_hex_rev(d + sizeof(d), v);
		lb_mem(l, d + sizeof(d) - len, len);
	}
	if (len < width)
		lb_spaces(l, width - len);
}

/* v / 10^digits with that many decimals (at most 9): "%.*f" of the
 * quotient */
static inline void lb_fixed(struct linebuf *l, uint64_t v, int digits)
{
	char d[32], *end, *p;
	uint64_t scale = 1;
	uint32_t frac;
	size_t len;
	int i;

	for (i = 0; i < digits; i++)
		scale *= 10;
	len = lb_dec_len(v / scale) + 1 + (size_t)digits;
	/* in place when it fits (lb_u64's why), else through d and cut */
	end = len <= LB_MAX - l->n ? l->b + l->n + len : d + sizeof(d);
	p = end;
	frac = (uint32_t)(v % scale);
	for (i = digits; i >= 2; i -= 2, frac /= 100) {
		p -= 2;
		memcpy(p, lb_pairs + 2 * (frac % 100), 2);
	}
	if (i)
		*--p = (char)('0' + frac);
	*--p = '.';
	lb_dec_rev(p, v / scale);
	if (end == d + sizeof(d))
		lb_mem(l, end - len, len);
	else
		l->n += len;
}

/* nanoseconds in whole microseconds, cut as tcpstates cuts its deltas:
 * exact decimals, no binary rounding at the half */
static inline uint64_t lb_us(uint64_t ns)
{
	return ns / 1000;
}

/* nanoseconds as "%.3f" milliseconds */
static inline void lb_ms3(struct linebuf *l, uint64_t ns)
{
	lb_fixed(l, lb_us(ns), 3);
}

/* nanoseconds as "%.6f" seconds */
static inline void lb_s6(struct linebuf *l, uint64_t ns)
{
	lb_fixed(l, lb_us(ns), 6);
}

/*
 * Columns of a fixed layout (the stream's text lines), each "%-*s " (the
 * field, spaces up to its width, one space), written with whole-word
 * stores that run past the column's end: the next column overwrites what
 * they left there, and a line ends where n says. A column's source must
 * be readable for LB_COL_SRC bytes and its width under LB_COL_SRC; each
 * moves n on by at most LB_COL_SRC and stores up to twice that, so a
 * line of k columns needs (k + 1) * LB_COL_SRC bytes free where they
 * start. The cut copies above mispredicted their branches: that was
 * most of a stream line's cost.
 */
#define LB_COL_SRC 48

static inline void lb_col(struct linebuf *l, const char *src, size_t len, size_t width)
{
	char *p = l->b + l->n;

	if (len >= LB_COL_SRC) { /* never for the stream's fields */
		lb_mem(l, src, len);
		lb_char(l, ' ');
		return;
	}
	memcpy(p, src, LB_COL_SRC);
	memset(p + len, ' ', LB_COL_SRC);
	l->n += (len > width ? len : width) + 1;
}

/* "%-*llu ": digits in place (lb_u64's why), then the padding's store */
static inline void lb_col_u64(struct linebuf *l, uint64_t v, size_t width)
{
	char *p = l->b + l->n;
	size_t len = lb_dec_len(v);

	lb_dec_rev(p + len, v);
	memset(p + len, ' ', LB_COL_SRC);
	l->n += (len > width ? len : width) + 1;
}

/* "%-*llx " */
static inline void lb_col_hex(struct linebuf *l, uint64_t v, size_t width)
{
	char *p = l->b + l->n;
	size_t len = lb_hex_at(p, v);

	memset(p + len, ' ', LB_COL_SRC);
	l->n += (len > width ? len : width) + 1;
}

#endif
