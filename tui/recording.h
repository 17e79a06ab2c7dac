/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recordings: a zlib (gzip) stream holding a versioned header and then
 * length-prefixed struct event records. The reader is strict: any fault
 * is reported with the file, the byte offset and what is wrong.
 */
#ifndef SOCKTOP_RECORDING_H
#define SOCKTOP_RECORDING_H

#include <stddef.h>
#include <stdint.h>

#include "../bpf/event.h"

#define REC_MAGIC "SOCKTOP\x1a"
/* 2: the header says which capture features were on (REC_HAS_*); 1 had
 * none and no traffic samples: it still replays */
#define REC_VERSION 2
#define REC_HAS_TRAFFIC (1u << 0) /* EV_TRAFFIC samples were recorded */

struct rec_header {
	uint32_t version;
	uint32_t event_size;	/* sizeof(struct event) when written */
	uint32_t features;	/* REC_HAS_*; 0 in version 1 */
	uint64_t start_mono_ns; /* CLOCK_MONOTONIC at start, captured host */
	int64_t wall_off_ns;	/* realtime - monotonic at start */
	char host[65];
	char kernel[65];
};

struct rec_writer;
struct rec_reader;

/* NULL with errno set; the file is created with mode 0644. */
struct rec_writer *rec_create(const char *path, const struct rec_header *h);
/* The same on an fd opened for writing (taken over: closed on failure). */
struct rec_writer *rec_create_fd(int fd, const struct rec_header *h);
int rec_write(struct rec_writer *w, const struct event *ev); /* 0, -errno */
int rec_flush(struct rec_writer *w);	/* make it replayable up to here */
int rec_close(struct rec_writer *w);	/* 0, -errno */

/* NULL on failure with a message in err (names the file and the fault).
 * Reads a regular file or a pipe; a FIFO with no writer reads as empty at
 * once (never blocks); directories and devices are refused. */
struct rec_reader *rec_open(const char *path, struct rec_header *h, char *err, size_t errsz);
/* 1 = an event read, 0 = clean end of file, -1 = fault (message in err). */
int rec_read(struct rec_reader *r, struct event *ev, char *err, size_t errsz);
uint64_t rec_offset(const struct rec_reader *r); /* uncompressed bytes read */
void rec_close_reader(struct rec_reader *r);

#endif
