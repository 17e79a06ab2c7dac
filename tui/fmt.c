// SPDX-License-Identifier: GPL-2.0
/* Escaping and small formatters. Every string that came from the kernel
 * or a recording passes fmt_escape on its way to any output. */
#include "fmt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* Length of the valid UTF-8 sequence at s (max n bytes) encoding a code
 * point >= U+00A0 (stored in *cpp), or 0. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cpp)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (len == 2)
		cp = ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
	else if (len == 3)
		cp = ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
	else
		cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) | ((s[2] & 0x3fu) << 6) |
		     (s[3] & 0x3fu);
	if (cp < 0xa0 || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	*cpp = cp;
	return len;
}

bool fmt_cp_hidden(uint32_t cp)
{
	return cp == 0xad ||			 /* soft hyphen */
	       cp == 0x61c ||			 /* Arabic letter mark */
	       cp == 0x180e ||			 /* Mongolian vowel separator */
	       (cp >= 0x200b && cp <= 0x200f) || /* zero widths, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202e) || /* line/paragraph sep., embeddings, overrides */
	       (cp >= 0x2060 && cp <= 0x206f) || /* word joiner, isolates, deprecated formats */
	       cp == 0xfeff ||			 /* zero-width no-break space (BOM) */
	       (cp >= 0xfff9 && cp <= 0xfffb) || /* interlinear annotation */
	       (cp >= 0xe0000 && cp <= 0xe007f); /* tags: invisible ASCII */
}

struct outbuf {
	char *p;
	size_t left; /* room, excluding the terminating NUL */
	bool full;
};

static void put(struct outbuf *o, const char *s, size_t n)
{
	if (o->full || n > o->left) {
		o->full = true;
		return;
	}
	memcpy(o->p, s, n);
	o->p += n;
	o->left -= n;
}

/* printable ASCII with none of the bytes any kind escapes or quotes */
static bool plain_ascii(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == '\\' || s[i] == '"' || s[i] == ',')
			return false;
	return true;
}

static char *escape(char *out, size_t outsz, const char *in, size_t inlen, enum esc_kind k)
{
	const unsigned char *s = (const unsigned char *)in;
	struct outbuf o = { out, outsz ? outsz - 1 : 0, false };
	bool quote = false;
	size_t n = 0;

	if (!outsz)
		return out;
	while (n < inlen && s[n])
		n++;
	if (plain_ascii(s, n)) { /* most names: nothing to escape in any kind */
		size_t len = n < o.left ? n : o.left;

		memcpy(out, in, len);
		out[len] = '\0';
		return out;
	}
	if (k == ESC_CSV)
		quote = memchr(in, ',', n) || memchr(in, '"', n);
	if (quote) {
		/* room for both quotes, or the field would swallow the line */
		o.left = o.left < 2 ? 0 : o.left - 1; /* keep one for the closing quote */
		put(&o, "\"", 1);
	}
	for (size_t i = 0; i < n && !o.full;) {
		unsigned char c = s[i];
		uint32_t cp = 0;
		size_t u;

		if (c >= 0x20 && c < 0x7f) {
			if (c == '\\')
				put(&o, k == ESC_JSON ? "\\\\\\\\" : "\\\\", k == ESC_JSON ? 4 : 2);
			else if (c == '"' && k == ESC_JSON)
				put(&o, "\\\"", 2);
			else if (c == '"' && quote)
				put(&o, "\"\"", 2);
			else
				put(&o, (const char *)&c, 1);
			i++;
		} else if ((u = utf8_decode(s + i, n - i, &cp)) && !fmt_cp_hidden(cp)) {
			put(&o, (const char *)s + i, u);
			i += u;
		} else if (u) {
			char esc[16];

			/* shown by its code point, one unit (never cut in two) */
			snprintf(esc, sizeof(esc), "%s%s%0*x", k == ESC_JSON ? "\\\\" : "\\",
				 cp > 0xffff ? "U" : "u", cp > 0xffff ? 8 : 4, (unsigned)cp);
			put(&o, esc, strlen(esc));
			i += u;
		} else {
			char hex[8];

			/* JSON shows the same visible text: a literal backslash */
			snprintf(hex, sizeof(hex), k == ESC_JSON ? "\\\\x%02x" : "\\x%02x", c);
			put(&o, hex, strlen(hex));
			i++;
		}
	}
	if (quote && o.p != out) {
		o.left++;
		o.full = false;
		put(&o, "\"", 1);
	}
	*o.p = '\0';
	return out;
}

static char *addr_text(char *out, size_t outsz, uint16_t family, const uint8_t addr[16])
{
	/* dotted quad by hand: glibc's inet_ntop goes through sprintf, a
	 * good part of a stream's cost at a few hundred thousand lines/s */
	if (family == AF_INET && outsz >= INET_ADDRSTRLEN) {
		char *p = out;

		for (int i = 0; i < 4; i++) {
			unsigned v = addr[i];

			if (v >= 100)
				*p++ = (char)('0' + v / 100);
			if (v >= 10)
				*p++ = (char)('0' + v / 10 % 10);
			*p++ = (char)('0' + v % 10);
			*p++ = i < 3 ? '.' : '\0';
		}
		return out;
	}
	if (family == AF_INET || family == AF_INET6) {
		if (inet_ntop(family, addr, out, (socklen_t)outsz))
			return out;
	}
	snprintf(out, outsz, "?");
	return out;
}

/* The last name escaped, a thread's own: a stream escapes the same few
 * task names line after line (a hundred instructions each for a short
 * one). Kept for names of ESC_CACHED_LEN bytes, a task's comm: the key
 * is all of them (bytes past the NUL too: a miss, never a wrong text),
 * the room and the kind. */
#define ESC_CACHED_LEN 16
static _Thread_local struct {
	char in[ESC_CACHED_LEN];
	size_t outsz;
	enum esc_kind k;
	size_t len; /* 0 with outsz 0: empty */
	char text[FMT_ESC_MAX(ESC_CACHED_LEN)];
} esc_last;

size_t fmt_escape_len(char *out, size_t outsz, const char *in, size_t inlen, enum esc_kind k)
{
	size_t len;

	if (inlen != ESC_CACHED_LEN || !outsz || outsz > sizeof(esc_last.text)) {
		escape(out, outsz, in, inlen, k);
		return outsz ? strlen(out) : 0;
	}
	if (esc_last.outsz == outsz && esc_last.k == k && !memcmp(esc_last.in, in, inlen)) {
		memcpy(out, esc_last.text, esc_last.len + 1);
		return esc_last.len;
	}
	escape(out, outsz, in, inlen, k);
	len = strlen(out);
	memcpy(esc_last.in, in, inlen);
	memcpy(esc_last.text, out, len + 1);
	esc_last.len = len;
	esc_last.outsz = outsz;
	esc_last.k = k;
	return len;
}

char *fmt_escape(char *out, size_t outsz, const char *in, size_t inlen, enum esc_kind k)
{
	fmt_escape_len(out, outsz, in, inlen, k);
	return out;
}

/* The text of the last addresses formatted, a thread's own, by a hash
 * of the address: a stream writes the same local and peer addresses line
 * after line (a dotted quad cost a hundred instructions, inet_ntop's
 * IPv6 text several hundred). The key is the family and the address's
 * bytes (an IPv4 one's 4, the rest zero). */
#define ADDR_CACHED_BITS 3
#define ADDR_CACHED (1 << ADDR_CACHED_BITS)
static _Thread_local struct addr_cached {
	uint64_t key[2];
	uint16_t family; /* 0: empty */
	uint8_t len;
	char text[INET6_ADDRSTRLEN];
} addr_last[ADDR_CACHED];

size_t fmt_addr_len(char *out, size_t outsz, uint16_t family, const uint8_t addr[16])
{
	struct addr_cached *c;
	uint64_t key[2] = { 0, 0 };

	if ((family != AF_INET && family != AF_INET6) || outsz < sizeof(c->text))
		return strlen(addr_text(out, outsz, family, addr));
	if (family == AF_INET) {
		uint32_t v4;

		memcpy(&v4, addr, sizeof(v4));
		key[0] = v4;
	} else {
		memcpy(key, addr, sizeof(key));
	}
	c = &addr_last[((key[0] ^ key[1] ^ family) * 0x9e3779b97f4a7c15ULL) >>
		       (64 - ADDR_CACHED_BITS)];
	if (c->key[0] != key[0] || c->key[1] != key[1] || c->family != family) {
		addr_text(c->text, sizeof(c->text), family, addr);
		c->len = (uint8_t)strlen(c->text);
		c->key[0] = key[0];
		c->key[1] = key[1];
		c->family = family;
	}
	memcpy(out, c->text, sizeof(c->text)); /* the NUL and what follows */
	return c->len;
}

char *fmt_addr(char *out, size_t outsz, uint16_t family, const uint8_t addr[16])
{
	fmt_addr_len(out, outsz, family, addr);
	return out;
}

char *fmt_addr_fit(char *out, size_t outsz, uint16_t family, const uint8_t addr[16], int width,
		   int utf8)
{
	char full[INET6_ADDRSTRLEN];
	const char *mark = utf8 ? "\u2026" : "~";
	size_t len, tail_len, head_len;
	const char *tail;

	fmt_addr(full, sizeof(full), family, addr);
	len = strlen(full);
	if (width <= 0 || (int)len <= width || width < 6) {
		snprintf(out, outsz, "%s", full);
		return out;
	}
	/* keep the start (network) and the last group (host) */
	tail = strrchr(full, family == AF_INET6 ? ':' : '.');
	tail_len = tail ? strlen(tail) : 0;
	if ((int)tail_len > width / 2)
		tail_len = (size_t)(width / 2);
	tail = full + len - tail_len;
	head_len = (size_t)width - 1 - tail_len;
	snprintf(out, outsz, "%.*s%s%s", (int)head_len, full, mark, tail);
	return out;
}

char *fmt_duration(char *out, size_t outsz, uint64_t ns)
{
	uint64_t ms = ns / 1000000, s = ns / 1000000000ULL;

	/* loopback handshakes and short lives take microseconds: "0ms"
	 * would say nothing */
	if (ms == 0)
		snprintf(out, outsz, "%lluus", (unsigned long long)ns / 1000);
	else if (ms < 1000)
		snprintf(out, outsz, "%llums", (unsigned long long)ms);
	else if (s < 60)
		snprintf(out, outsz, "%llu.%llus", (unsigned long long)s,
			 (unsigned long long)(ms % 1000) / 100);
	else if (s < 3600)
		snprintf(out, outsz, "%llum%02llus", (unsigned long long)s / 60,
			 (unsigned long long)s % 60);
	else if (s < 86400)
		snprintf(out, outsz, "%lluh%02llum", (unsigned long long)s / 3600,
			 (unsigned long long)(s % 3600) / 60);
	else
		snprintf(out, outsz, "%llud%02lluh", (unsigned long long)s / 86400,
			 (unsigned long long)(s % 86400) / 3600);
	return out;
}

char *fmt_bytes(char *out, size_t outsz, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(out, outsz, "%lluB", (unsigned long long)bytes);
		return out;
	}
	while (v >= 1024 && u < 5) {
		v /= 1024;
		u++;
	}
	/* 3 digits: one decimal below 100, none above; 1023.9 rounds up */
	if (v >= 999.5 && u < 5) {
		v /= 1024;
		u++;
	}
	snprintf(out, outsz, v < 99.95 ? "%.1f%s" : "%.0f%s", v, unit[u]);
	return out;
}

/* The text of the last second asked for, kept a thread: a stream asks
 * for the same second for thousands of lines, and localtime_r with
 * strftime cost about a thousand instructions each time */
static _Thread_local struct {
	uint64_t sec;
	char text[9];
} hms_last = { UINT64_MAX, "" };

char *fmt_hms(char *out, size_t outsz, uint64_t wall_ns)
{
	uint64_t sec = wall_ns / 1000000000ULL;
	time_t t = (time_t)sec;
	struct tm tm;

	if (sec == hms_last.sec && outsz >= sizeof(hms_last.text)) {
		memcpy(out, hms_last.text, sizeof(hms_last.text));
		return out;
	}
	if (!localtime_r(&t, &tm) || !strftime(out, outsz, "%H:%M:%S", &tm)) {
		snprintf(out, outsz, "??:??:??");
		return out;
	}
	if (strlen(out) < sizeof(hms_last.text)) {
		memcpy(hms_last.text, out, strlen(out) + 1);
		hms_last.sec = sec;
	}
	return out;
}

const char *fmt_errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ 0, "OK" },
		{ EPERM, "EPERM" },
		{ ENOENT, "ENOENT" },
		{ EINTR, "EINTR" },
		{ EBADF, "EBADF" },
		{ EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" },
		{ EFAULT, "EFAULT" },
		{ EINVAL, "EINVAL" },
		{ ENOTSOCK, "ENOTSOCK" },
		{ EPROTOTYPE, "EPROTOTYPE" },
		{ EAFNOSUPPORT, "EAFNOSUPPORT" },
		{ EADDRINUSE, "EADDRINUSE" },
		{ EADDRNOTAVAIL, "EADDRNOTAVAIL" },
		{ ENETDOWN, "ENETDOWN" },
		{ ENETUNREACH, "ENETUNREACH" },
		{ ECONNABORTED, "ECONNABORTED" },
		{ ECONNRESET, "ECONNRESET" },
		{ EISCONN, "EISCONN" },
		{ ETIMEDOUT, "ETIMEDOUT" },
		{ ECONNREFUSED, "ECONNREFUSED" },
		{ EHOSTUNREACH, "EHOSTUNREACH" },
		{ EALREADY, "EALREADY" },
		{ EINPROGRESS, "EINPROGRESS" },
		{ ENODEV, "ENODEV" },
	};
	static __thread char buf[16];
	long e = err < 0 ? -(long)err : err; /* INT_MIN from a bad recording */

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == e)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%ld", e);
	return buf;
}

/* "ESTABLISHED", "REFUSED", "TIMEDOUT", "ABORTED" or the errno name */
const char *fmt_connect_result(int32_t ret)
{
	switch (ret) { /* not -ret: INT_MIN from a recording would overflow */
	case 0: return "ESTABLISHED";
	case -ECONNREFUSED: return "REFUSED";
	case -ETIMEDOUT: return "TIMEDOUT";
	case -ECONNABORTED: return "ABORTED";
	default: return fmt_errno_name(ret);
	}
}
