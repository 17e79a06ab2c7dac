/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A line built by hand for the stream hot path: at a few hundred thousand
 * events a second, printf's format parsing was most of socktop's CPU. The
 * appenders write what the printf conversions they replace would ("%-5u",
 * "%llx"; milliseconds with three decimals from nanoseconds), and never
 * past the buffer: a line that does not fit is cut, never overrun.
 * Start one with lb_start, not an initializer: "= { .n = 0 }" zeroes the
 * whole buffer, a kilobyte a line (a tenth of the formatting's time).
 */
#ifndef SOCKTOP_LINEBUF_H
#define SOCKTOP_LINEBUF_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct linebuf {
	char b[1024];
	size_t n;
};

static inline void lb_start(struct linebuf *l)
{
	l->n = 0;
}

static inline void lb_mem(struct linebuf *l, const char *s, size_t len)
{
	if (len > sizeof(l->b) - l->n)
		len = sizeof(l->b) - l->n;
	memcpy(l->b + l->n, s, len);
	l->n += len;
}

static inline void lb_str(struct linebuf *l, const char *s)
{
	lb_mem(l, s, strlen(s));
}

static inline void lb_char(struct linebuf *l, char c)
{
	if (l->n < sizeof(l->b))
		l->b[l->n++] = c;
}

/* n spaces (a column's padding) in one store, not a byte at a time */
static inline void lb_spaces(struct linebuf *l, size_t n)
{
	if (n > sizeof(l->b) - l->n)
		n = sizeof(l->b) - l->n;
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

/* "%-*llu" (width 0: "%llu") */
static inline void lb_u64(struct linebuf *l, uint64_t v, size_t width)
{
	char d[20];
	size_t i = sizeof(d);

	do
		d[--i] = (char)('0' + v % 10);
	while (v /= 10);
	lb_mem(l, d + i, sizeof(d) - i);
	if (sizeof(d) - i < width)
		lb_spaces(l, width - (sizeof(d) - i));
}

/* "%-*llx" */
static inline void lb_hex(struct linebuf *l, uint64_t v, size_t width)
{
	char d[16];
	size_t i = sizeof(d);

	do
		d[--i] = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	lb_mem(l, d + i, sizeof(d) - i);
	if (sizeof(d) - i < width)
		lb_spaces(l, width - (sizeof(d) - i));
}

/* v / 10^digits with that many decimals: "%.*f" of the quotient */
static inline void lb_fixed(struct linebuf *l, uint64_t v, int digits)
{
	uint64_t scale = 1;
	char frac[9];

	for (int i = 0; i < digits; i++)
		scale *= 10;
	lb_u64(l, v / scale, 0);
	lb_char(l, '.');
	v %= scale;
	for (int i = digits - 1; i >= 0; i--, v /= 10)
		frac[i] = (char)('0' + v % 10);
	lb_mem(l, frac, (size_t)digits);
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

/* "%-*llu " */
static inline void lb_col_u64(struct linebuf *l, uint64_t v, size_t width)
{
	char d[2 * LB_COL_SRC];
	size_t i = LB_COL_SRC;

	do
		d[--i] = (char)('0' + v % 10);
	while (v /= 10);
	lb_col(l, d + i, LB_COL_SRC - i, width);
}

/* "%-*llx " */
static inline void lb_col_hex(struct linebuf *l, uint64_t v, size_t width)
{
	char d[2 * LB_COL_SRC];
	size_t i = LB_COL_SRC;

	do
		d[--i] = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	lb_col(l, d + i, LB_COL_SRC - i, width);
}

#endif
