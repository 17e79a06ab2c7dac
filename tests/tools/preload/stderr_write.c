// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for a library that writes to stderr while the UI runs
 * (tests/tui/stderr.sh). Loaded with LD_PRELOAD, it wraps epoll_wait:
 * at the first wait after fd 2 stopped being the terminal (socktop has
 * made it its capture pipe), it writes STDERR_WRITE_TEXT there once, from
 * socktop's own thread, as libbpf would. No debugger, no ptrace, no
 * thread (socktop refuses to drop privileges with two).
 */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

int epoll_wait(int epfd, struct epoll_event *evs, int max, int timeout)
{
	static int (*real)(int, struct epoll_event *, int, int);
	static bool done;
	const char *text;
	struct stat st;

	if (!real)
		real = (int (*)(int, struct epoll_event *, int, int))dlsym(RTLD_NEXT, "epoll_wait");
	if (!done && (text = getenv("STDERR_WRITE_TEXT")) && *text && !fstat(2, &st) &&
	    S_ISFIFO(st.st_mode)) {
		done = true;
		if (write(2, text, strlen(text)) < 0)
			done = true; /* nothing else to do: the test will say */
	}
	return real ? real(epfd, evs, max, timeout) : -1;
}
