/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure formatters shared by every output: escaping of untrusted strings
 * (process names, anything read from a recording), addresses, durations.
 * Escaping happens at each output, never once at capture.
 */
#ifndef SOCKTOP_FMT_H
#define SOCKTOP_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum esc_kind {
	ESC_TEXT, /* terminal or plain text: controls as \xNN, '\' as \\ */
	ESC_CSV,  /* as TEXT, then quoted RFC 4180 style if it holds , or " */
	ESC_JSON, /* inside a JSON string: \" \\ and \\xNN, always valid UTF-8 */
};

/*
 * Escape at most inlen bytes of in (stopping at NUL) into out, always
 * NUL-terminated, truncated to outsz (never inside an escape or a UTF-8
 * character). Valid UTF-8 of U+00A0 and above passes; C0, DEL, C1 (raw
 * or UTF-8 encoded) and invalid bytes become \xNN; invisible or
 * reordering code points (fmt_cp_hidden) become \uNNNN or \UNNNNNNNN.
 * Returns out.
 */
char *fmt_escape(char *out, size_t outsz, const char *in, size_t inlen, enum esc_kind k);
/* The same, returning the text's length (the stream's: no strlen after) */
size_t fmt_escape_len(char *out, size_t outsz, const char *in, size_t inlen, enum esc_kind k);
/* Code points that print nothing or move other text: bidi embeddings,
 * overrides, isolates and marks (U+202E ...), zero widths, line and
 * paragraph separators, BOM, tags. Escaped so a name cannot hide or
 * reorder what follows it. */
bool fmt_cp_hidden(uint32_t cp);
/* Bytes that fmt_escape would need for the worst case of inlen bytes. */
#define FMT_ESC_MAX(inlen) ((inlen)*6 + 3)

/* inet_ntop of a 4- or 16-byte address; "?" for an unknown family. */
char *fmt_addr(char *out, size_t outsz, uint16_t family, const uint8_t addr[16]);
/* The same, returning the text's length */
size_t fmt_addr_len(char *out, size_t outsz, uint16_t family, const uint8_t addr[16]);
/* Address squeezed into width columns: IPv6 keeps its prefix and last
 * group with a "~" (or "…" when utf8) in the middle. */
char *fmt_addr_fit(char *out, size_t outsz, uint16_t family, const uint8_t addr[16], int width,
		   int utf8);
/* Human duration: "148us", "812ms", "4.2s", "3m04s", "2h05m", "3d02h". */
char *fmt_duration(char *out, size_t outsz, uint64_t ns);
/* Bytes in binary units, 3 significant digits at most: "812B",
 * "1.5KiB", "23.4MiB", "118GiB", "2.0TiB". */
char *fmt_bytes(char *out, size_t outsz, uint64_t bytes);
/* Wall-clock HH:MM:SS (local time) of a realtime ns value. */
char *fmt_hms(char *out, size_t outsz, uint64_t wall_ns);
/* errno name: "EADDRINUSE"; "E123" when unknown. err may be negative. */
const char *fmt_errno_name(int err);
/* A connect outcome as tcpconnect says it: "ESTABLISHED", "REFUSED",
 * "TIMEDOUT", "ABORTED" or the errno name */
const char *fmt_connect_result(int32_t ret);

#endif
