// SPDX-License-Identifier: GPL-2.0
/* stderr messages, escaped as a whole line (see msg.h). */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"

#define MSG_LEN 1024

void msg_err(const char *fmt, ...)
{
	char raw[MSG_LEN], esc[FMT_ESC_MAX(MSG_LEN)];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	fmt_escape(esc, sizeof(esc), raw, strlen(raw), ESC_TEXT);
	fprintf(stderr, "socktop: %s\n", esc);
}
