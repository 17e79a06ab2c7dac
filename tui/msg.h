/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One-line messages to stderr. A message may quote a path, a process name
 * or a recording's bytes, so the whole line passes fmt_escape: a control,
 * C1, bidi or invalid byte in it shows as \xNN or \uNNNN, never reaches the
 * user's terminal raw.
 */
#ifndef SOCKTOP_MSG_H
#define SOCKTOP_MSG_H

/* "socktop: " + the formatted text, escaped, + "\n" on stderr. */
void msg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
