// SPDX-License-Identifier: GPL-2.0
/*
 * Recording format (inside one gzip stream):
 *   "SOCKTOP\x1a"  u32 version  u32 body_len  body (struct rec_disk_header)
 *   then records: u32 len, len bytes of struct event
 * Little-endian, as written by the capturing host. The reader delivers
 * every complete record before a fault and then names the fault.
 */
#include "recording.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct rec_disk_header {
	uint32_t event_size;
	uint32_t features;	/* REC_HAS_* (version 2; 0 before) */
	uint64_t start_mono_ns;
	int64_t wall_off_ns;
	char host[72];
	char kernel[72];
};

_Static_assert(sizeof(struct event) == EVENT_SIZE, "struct event changed size");
_Static_assert(offsetof(struct event, comm) + EVENT_COMM_LEN - offsetof(struct event, saddr) ==
		       EVENT_NETNS_NAME_LEN, "EV_SNAP_NETNS name bytes not contiguous");
_Static_assert(offsetof(struct event, netns) == EVENT_SIZE_V1, "ABI 2 fields not appended");

struct rec_writer {
	gzFile gz;
};

/* The reader inflates by hand rather than through gzread, which ignores
 * whatever follows the gzip stream (even gigabytes of it): here the end
 * of the compressed data must be the end of the file. */
struct rec_reader {
	int fd;
	z_stream zs;
	bool end;		/* the gzip stream's end was reached */
	uint64_t raw_off;	/* compressed bytes read from the file */
	const char *path;
	uint64_t off;		/* uncompressed bytes delivered */
	uint32_t event_size;	/* as written: older ABIs wrote fewer bytes */
	unsigned char in[64 * 1024];
};

static int gz_err(gzFile gz)
{
	int zerr;

	gzerror(gz, &zerr);
	return zerr == Z_ERRNO ? -errno : -EIO;
}

struct rec_writer *rec_create(const char *path, const struct rec_header *h)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	return fd < 0 ? NULL : rec_create_fd(fd, h);
}

struct rec_writer *rec_create_fd(int fd, const struct rec_header *h)
{
	struct rec_disk_header d = { 0 };
	struct rec_writer *w;
	uint32_t ver = REC_VERSION, len = sizeof(d);
	int err;

	w = calloc(1, sizeof(*w));
	if (!w || !(w->gz = gzdopen(fd, "wb1"))) {
		err = errno ? errno : ENOMEM;
		close(fd);
		free(w);
		errno = err;
		return NULL;
	}
	gzbuffer(w->gz, 256 * 1024);
	d.event_size = sizeof(struct event);
	d.features = h->features;
	d.start_mono_ns = h->start_mono_ns;
	d.wall_off_ns = h->wall_off_ns;
	snprintf(d.host, sizeof(d.host), "%s", h->host);
	snprintf(d.kernel, sizeof(d.kernel), "%s", h->kernel);
	if (gzwrite(w->gz, REC_MAGIC, 8) != 8 || gzwrite(w->gz, &ver, 4) != 4 ||
	    gzwrite(w->gz, &len, 4) != 4 || gzwrite(w->gz, &d, sizeof(d)) != (int)sizeof(d) ||
	    gzflush(w->gz, Z_SYNC_FLUSH) != Z_OK) {
		err = gz_err(w->gz);
		gzclose(w->gz);
		free(w);
		errno = -err;
		return NULL;
	}
	return w;
}

int rec_write(struct rec_writer *w, const struct event *ev)
{
	uint32_t len = sizeof(*ev);

	if (gzwrite(w->gz, &len, 4) != 4 || gzwrite(w->gz, ev, len) != (int)len)
		return gz_err(w->gz);
	return 0;
}

int rec_flush(struct rec_writer *w)
{
	return gzflush(w->gz, Z_SYNC_FLUSH) == Z_OK ? 0 : gz_err(w->gz);
}

int rec_close(struct rec_writer *w)
{
	int err;

	if (!w)
		return 0;
	errno = 0;
	err = gzclose(w->gz) == Z_OK ? 0 : errno ? -errno : -EIO;
	free(w);
	return err;
}

/* Next compressed bytes from the file: their count, 0 at its end, or
 * -errno. */
static ssize_t fill(struct rec_reader *r)
{
	ssize_t n;

	do
		n = read(r->fd, r->in, sizeof(r->in));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	r->raw_off += (uint64_t)n;
	r->zs.next_in = r->in;
	r->zs.avail_in = (uInt)n;
	return n;
}

/* At the end of the gzip stream: anything left in the file is not part
 * of the recording. 0 when nothing follows, -1 with a message. */
static int check_trailing(struct rec_reader *r, char *err, size_t errsz)
{
	ssize_t n = r->zs.avail_in ? 1 : fill(r);

	if (n == 0)
		return 0;
	if (n < 0)
		snprintf(err, errsz, "%s: read error at byte %llu: %s", r->path,
			 (unsigned long long)r->raw_off, strerror((int)-n));
	else
		snprintf(err, errsz, "%s: trailing data at byte %llu of the file, after the end "
			 "of the recording's compressed data (%llu bytes of events read)", r->path,
			 (unsigned long long)(r->raw_off - r->zs.avail_in),
			 (unsigned long long)r->off);
	return -1;
}

/* Read exactly n bytes. 1 = done, 0 = clean end (the stream's end, and
 * nothing after it) before any byte, -1 = fault with a message in err. */
static int read_exact(struct rec_reader *r, void *buf, size_t n, const char *what, char *err,
		      size_t errsz)
{
	size_t got = 0;
	ssize_t k;
	int rc;

	while (got < n && !r->end) {
		if (!r->zs.avail_in) {
			k = fill(r);
			if (k < 0) {
				snprintf(err, errsz, "%s: read error at byte %llu (in %s): %s",
					 r->path, (unsigned long long)r->off, what,
					 strerror((int)-k));
				return -1;
			}
			if (k == 0 && r->raw_off == 0)
				return 0; /* an empty file */
			if (k == 0) {
				snprintf(err, errsz, "%s: truncated at byte %llu (in %s): the file "
					 "ends mid-stream (cut short or still being written)",
					 r->path, (unsigned long long)r->off, what);
				return -1;
			}
		}
		r->zs.next_out = (unsigned char *)buf + got;
		r->zs.avail_out = (uInt)(n - got);
		rc = inflate(&r->zs, Z_NO_FLUSH);
		got = n - r->zs.avail_out;
		if (rc == Z_STREAM_END)
			r->end = true;
		else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			snprintf(err, errsz, "%s: corrupt at byte %llu (in %s): %s", r->path,
				 (unsigned long long)r->off, what,
				 r->zs.msg ? r->zs.msg : "bad compressed data");
			return -1;
		}
	}
	if (got == n) {
		r->off += n;
		return 1;
	}
	if (got == 0)
		return check_trailing(r, err, errsz);
	snprintf(err, errsz, "%s: truncated at byte %llu: %s incomplete (%zu of %zu bytes)",
		 r->path, (unsigned long long)r->off, what, got, n);
	return -1;
}

/* Open path for reading: a regular file or a pipe, never blocking on a
 * FIFO that has no writer (it then reads as empty). -1 with err set. */
static int open_source(const char *path, char *err, size_t errsz)
{
	struct stat st;
	int fd, fl;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || (fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		snprintf(err, errsz, "%s: %s at byte 0, not a socktop recording", path,
			 S_ISDIR(st.st_mode) ? "a directory" :
			 S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" :
								      "not a regular file");
		close(fd);
		return -1;
	}
	return fd;
}

struct rec_reader *rec_open(const char *path, struct rec_header *h, char *err, size_t errsz)
{
	struct rec_disk_header d;
	struct rec_reader *r;
	char magic[8];
	uint32_t ver, len;
	int fd, rc;

	if (errsz)
		err[0] = '\0';
	fd = open_source(path, err, errsz);
	if (fd < 0)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r || inflateInit2(&r->zs, 15 + 16) != Z_OK) { /* gzip only */
		snprintf(err, errsz, "%s: %s", path, strerror(ENOMEM));
		close(fd);
		free(r);
		return NULL;
	}
	r->fd = fd;
	r->path = path;
	/* not gzip at all (plain data, text): say so before inflating */
	rc = (int)fill(r);
	if (rc < 0) {
		snprintf(err, errsz, "%s: read error at byte 0: %s", path, strerror(-rc));
		goto fail;
	}
	if (rc == 0) {
		snprintf(err, errsz, "%s: empty at byte 0, not a socktop recording", path);
		goto fail;
	}
	if (r->zs.avail_in < 2 || r->in[0] != 0x1f || r->in[1] != 0x8b) {
		snprintf(err, errsz, "%s: not a socktop recording (bad magic at byte 0)", path);
		goto fail;
	}
	rc = read_exact(r, magic, 8, "header", err, errsz);
	if (rc < 0)
		goto fail;
	if (rc == 0 || memcmp(magic, REC_MAGIC, 8)) {
		snprintf(err, errsz, "%s: not a socktop recording (bad magic at byte 0)", path);
		goto fail;
	}
	if (read_exact(r, &ver, 4, "header", err, errsz) != 1 ||
	    read_exact(r, &len, 4, "header", err, errsz) != 1)
		goto fail_trunc;
	if (ver < 1 || ver > REC_VERSION) {
		snprintf(err, errsz, "%s: unsupported at byte 8: recording format version %u, "
			 "this socktop reads versions 1 to %u", path, ver, REC_VERSION);
		goto fail;
	}
	if (len != sizeof(d)) {
		snprintf(err, errsz, "%s: corrupt header at byte 12: length %u, expected %zu",
			 path, len, sizeof(d));
		goto fail;
	}
	if (read_exact(r, &d, sizeof(d), "header", err, errsz) != 1)
		goto fail_trunc;
	if (d.event_size != sizeof(struct event) && d.event_size != EVENT_SIZE_V1) {
		snprintf(err, errsz, "%s: unsupported at byte 16: events of %u bytes, this "
			 "socktop reads %zu (or %d)", path, d.event_size, sizeof(struct event),
			 EVENT_SIZE_V1);
		goto fail;
	}
	r->event_size = d.event_size;
	memset(h, 0, sizeof(*h));
	h->version = ver;
	h->event_size = d.event_size;
	h->features = ver >= 2 ? d.features : 0;
	h->start_mono_ns = d.start_mono_ns;
	h->wall_off_ns = d.wall_off_ns;
	snprintf(h->host, sizeof(h->host), "%.*s", (int)sizeof(h->host) - 1, d.host);
	snprintf(h->kernel, sizeof(h->kernel), "%.*s", (int)sizeof(h->kernel) - 1, d.kernel);
	return r;
fail_trunc:
	if (!*err)
		snprintf(err, errsz, "%s: truncated header at byte %llu", path,
			 (unsigned long long)r->off);
fail:
	rec_close_reader(r);
	return NULL;
}

/* The kinds whose every record carries an inet socket's addresses (the
 * kernel side only ever emits AF_INET and AF_INET6 for them). */
static bool has_addresses(const struct event *ev)
{
	switch (ev->kind) {
	case EV_STATE:
	case EV_BIND:
	case EV_CONNECT:
	case EV_CONNECT_RET:
	case EV_ACCEPT:
	case EV_SNAP_SOCK:
	case EV_RETRANS:
	case EV_RESET:
		return true;
	case EV_TRAFFIC: /* the end of a pull pass names no socket */
		return !(ev->tcpi.tr_flags & TRAFFIC_PASS_END);
	default:
		return false;
	}
}

int rec_read(struct rec_reader *r, struct event *ev, char *err, size_t errsz)
{
	uint64_t at = r->off;
	uint32_t len;
	int rc;

	rc = read_exact(r, &len, 4, "record length", err, errsz);
	if (rc <= 0)
		return rc;
	if (len != r->event_size) {
		snprintf(err, errsz, "%s: corrupt record at byte %llu: length %u, expected %u",
			 r->path, (unsigned long long)at, len, r->event_size);
		return -1;
	}
	memset(ev, 0, sizeof(*ev)); /* an older record: its missing fields read 0 */
	rc = read_exact(r, ev, len, "record", err, errsz);
	if (rc == 0) {
		snprintf(err, errsz, "%s: truncated at byte %llu: record without its body",
			 r->path, (unsigned long long)r->off);
		return -1;
	}
	if (rc < 0)
		return -1;
	if (!ev->kind || ev->kind >= EV_KIND_MAX) {
		snprintf(err, errsz, "%s: corrupt record at byte %llu: unknown event kind %u",
			 r->path, (unsigned long long)at, ev->kind);
		return -1;
	}
	/* every sink prints these kinds' addresses as IPv4 or IPv6: another
	 * family would be shown as one of them, so it is refused here */
	if (has_addresses(ev) && ev->family != AF_INET && ev->family != AF_INET6) {
		snprintf(err, errsz, "%s: corrupt record at byte %llu: unknown address family %u",
			 r->path, (unsigned long long)at, ev->family);
		return -1;
	}
	return 1;
}

uint64_t rec_offset(const struct rec_reader *r)
{
	return r->off;
}

void rec_close_reader(struct rec_reader *r)
{
	if (!r)
		return;
	inflateEnd(&r->zs);
	close(r->fd);
	free(r);
}
