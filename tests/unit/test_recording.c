// SPDX-License-Identifier: GPL-2.0
/*
 * Recordings: a round trip, then a table of malformed files. Every bad
 * file must be refused by rec_open or end rec_read with -1 and a message
 * naming the file, the byte position and the fault, after delivering
 * every complete event before it, and never a made-up event.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "recording.h"

#define NEV 300
#define MAXEV 2000

static char dir[64];
static struct event evs[NEV];

static void make_events(void)
{
	for (int i = 0; i < NEV; i++) {
		struct event *e = &evs[i];

		memset(e, 0, sizeof(*e));
		e->ts_ns = 1000000000ULL + (uint64_t)i * 1234567;
		e->skaddr = 0xffff888000000000ULL + (uint64_t)(i % 17) * 0x800;
		e->pid = 1000 + (uint32_t)i;
		e->tid = e->pid + 1;
		e->uid = (uint32_t)i % 3;
		e->kind = (uint16_t)(1 + i % (EV_KIND_MAX - 1));
		e->family = i % 2 ? AF_INET6 : AF_INET;
		e->protocol = 6;
		e->lport = (uint16_t)(30000 + i);
		e->rport = 443;
		e->oldstate = (uint8_t)(i % 12);
		e->newstate = (uint8_t)((i + 1) % 12);
		for (int b = 0; b < 16; b++) {
			e->saddr[b] = (uint8_t)(i * 7 + b);
			e->daddr[b] = (uint8_t)(i * 13 + b);
		}
		snprintf(e->comm, sizeof(e->comm), "proc-%d\x1b", i % 1000);
		e->ret = -i;
		e->cgroup_id = 0x1234 + (uint64_t)i;
		e->aux = (uint64_t)i << 20;
		e->netns = 4026531840u + (uint32_t)i;
	}
}

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static struct rec_header test_header(void)
{
	struct rec_header h = { .version = REC_VERSION, .start_mono_ns = 999000000ULL,
				.wall_off_ns = 1700000000000000000LL };

	snprintf(h.host, sizeof(h.host), "testhost.example");
	snprintf(h.kernel, sizeof(h.kernel), "6.18.0-test");
	return h;
}

static int write_rec(const char *path, int n)
{
	struct rec_header h = test_header();
	struct rec_writer *w = rec_create(path, &h);

	if (!w)
		return -errno;
	for (int i = 0; i < n; i++)
		if (rec_write(w, &evs[i]))
			return -EIO;
	return rec_close(w);
}

struct result {
	int opened;	/* rec_open succeeded */
	int n;		/* events delivered */
	int rc;		/* last rec_read return */
	int prefix_ok;	/* every delivered event equals evs[i] */
	char err[512];
};

static struct result read_rec(const char *path)
{
	struct result r = { .rc = -9, .prefix_ok = 1 };
	struct rec_header h;
	struct rec_reader *rd = rec_open(path, &h, r.err, sizeof(r.err));
	struct event ev;

	if (!rd)
		return r;
	r.opened = 1;
	while ((r.rc = rec_read(rd, &ev, r.err, sizeof(r.err))) == 1) {
		if (r.n >= NEV || memcmp(&ev, &evs[r.n], sizeof(ev)))
			r.prefix_ok = 0;
		if (++r.n > MAXEV)
			break;
	}
	rec_close_reader(rd);
	return r;
}

/* The message names the file, a byte position and the fault. */
static int msg_ok(const struct result *r, const char *path, const char *fault)
{
	if (strstr(r->err, path) && strstr(r->err, "byte") && strstr(r->err, fault))
		return 1;
	fprintf(stderr, "  message for %s lacks file/byte/'%s': %s\n", path, fault, r->err);
	return 0;
}

static int file_put(const char *path, const void *buf, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(buf, 1, n, f) == n;

	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : -1;
}

static unsigned char *file_get(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long sz;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (sz = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)sz + 1);
		if (buf && fread(buf, 1, (size_t)sz, f) != (size_t)sz) {
			free(buf);
			buf = NULL;
		}
		*n = (size_t)sz;
	}
	fclose(f);
	return buf;
}

static int gz_put(const char *path, const void *buf, size_t n)
{
	gzFile g = gzopen(path, "wb");
	int ok;

	if (!g)
		return -1;
	ok = n == 0 || gzwrite(g, buf, (unsigned)n) == (int)n;
	return gzclose(g) == Z_OK && ok ? 0 : -1;
}

/* The uncompressed bytes of a good recording of n events. */
static unsigned char *raw_rec(int n, size_t *len)
{
	char p[128];
	unsigned char *buf = malloc(1 << 20);
	gzFile g;
	int got;

	path_of(p, sizeof(p), "raw.tmp");
	if (!buf || write_rec(p, n) || !(g = gzopen(p, "rb"))) {
		free(buf);
		return NULL;
	}
	got = gzread(g, buf, 1 << 20);
	gzclose(g);
	if (got < 0) {
		free(buf);
		return NULL;
	}
	*len = (size_t)got;
	return buf;
}

static size_t header_len(const unsigned char *raw)
{
	uint32_t body;

	memcpy(&body, raw + 12, 4);
	return 16 + body;
}

static void test_round_trip(void)
{
	char p[128];
	struct rec_header h;
	struct rec_reader *rd;
	struct event ev;
	char err[512];
	uint64_t off0;
	int n = 0, rc;

	path_of(p, sizeof(p), "good.rec");
	CHECK(write_rec(p, NEV) == 0);
	rd = rec_open(p, &h, err, sizeof(err));
	CHECK(rd != NULL);
	if (!rd)
		return;
	CHECK(h.version == REC_VERSION && h.event_size == sizeof(struct event));
	CHECK(h.start_mono_ns == 999000000ULL && h.wall_off_ns == 1700000000000000000LL);
	CHECK_STR(h.host, "testhost.example");
	CHECK_STR(h.kernel, "6.18.0-test");
	off0 = rec_offset(rd);
	CHECK(off0 > 16);
	while ((rc = rec_read(rd, &ev, err, sizeof(err))) == 1 && n < NEV) {
		CHECK(!memcmp(&ev, &evs[n], sizeof(ev)));
		n++;
	}
	CHECK(rc == 0 && n == NEV);
	CHECK(rec_offset(rd) == off0 + (uint64_t)NEV * (4 + sizeof(struct event)));
	/* the end stays the end */
	CHECK(rec_read(rd, &ev, err, sizeof(err)) == 0);
	rec_close_reader(rd);
	/* an empty recording (header only) is fine: zero events, clean end */
	path_of(p, sizeof(p), "none.rec");
	CHECK(write_rec(p, 0) == 0);
	struct result r = read_rec(p);
	CHECK(r.opened && r.n == 0 && r.rc == 0);
	/* a missing file names the file */
	path_of(p, sizeof(p), "missing.rec");
	r = read_rec(p);
	CHECK(!r.opened && strstr(r.err, p) && strstr(r.err, "No such file"));
}

/* A recording made with ABI 1 (120-byte events, no netns) still replays:
 * every field it had, and the later ones read as 0. */
static void test_abi1(void)
{
	unsigned char *raw, *old;
	size_t rawlen = 0, hl, at;
	uint32_t sz = EVENT_SIZE_V1;
	struct rec_reader *rd;
	struct rec_header h;
	struct event ev;
	char p[128], err[512];
	int n = 0, rc;

	raw = raw_rec(0, &rawlen);
	CHECK(raw != NULL);
	if (!raw)
		return;
	hl = header_len(raw);
	old = malloc(hl + (size_t)NEV * (4 + EVENT_SIZE_V1));
	CHECK(old != NULL);
	if (!old) {
		free(raw);
		return;
	}
	memcpy(old, raw, hl);
	memcpy(old + 16, &sz, 4); /* the body's event_size */
	at = hl;
	for (int i = 0; i < NEV; i++) {
		memcpy(old + at, &sz, 4);
		memcpy(old + at + 4, &evs[i], EVENT_SIZE_V1);
		at += 4 + EVENT_SIZE_V1;
	}
	path_of(p, sizeof(p), "abi1.rec");
	CHECK(gz_put(p, old, at) == 0);
	rd = rec_open(p, &h, err, sizeof(err));
	CHECK(rd != NULL);
	if (rd) {
		CHECK(h.event_size == EVENT_SIZE_V1);
		while ((rc = rec_read(rd, &ev, err, sizeof(err))) == 1 && n < NEV) {
			struct event want = evs[n];

			want.netns = 0;
			CHECK(!memcmp(&ev, &want, sizeof(ev)));
			n++;
		}
		CHECK(rc == 0 && n == NEV);
		rec_close_reader(rd);
	}
	/* a record of the other size inside it is corrupt */
	memcpy(old + hl, &(uint32_t){ EVENT_SIZE }, 4);
	CHECK(gz_put(p, old, at) == 0);
	struct result r = read_rec(p);
	CHECK(r.opened && r.n == 0 && r.rc == -1 && msg_ok(&r, p, "length 128"));
	free(old);
	free(raw);
}

/* A traffic pull's end marker names no socket (no family): it replays; a
 * traffic record of a socket without a family does not. */
static void test_traffic_pass_end(void)
{
	struct rec_header h = test_header();
	struct event end = { .kind = EV_TRAFFIC, .ts_ns = 5 }, bad = end, ev;
	struct rec_writer *w;
	struct rec_reader *rd;
	char p[128], err[512];
	int rc;

	end.tcpi.tr_flags = TRAFFIC_PASS_END;
	bad.skaddr = 0xffff888000001000ULL; /* a socket's counters, no family */
	path_of(p, sizeof(p), "traffic.rec");
	w = rec_create(p, &h);
	CHECK(w && !rec_write(w, &evs[0]) && !rec_write(w, &end) && !rec_write(w, &bad) &&
	      !rec_close(w));
	rd = rec_open(p, &h, err, sizeof(err));
	CHECK(rd != NULL);
	if (!rd)
		return;
	CHECK(rec_read(rd, &ev, err, sizeof(err)) == 1 && ev.kind == evs[0].kind);
	CHECK(rec_read(rd, &ev, err, sizeof(err)) == 1 && ev.kind == EV_TRAFFIC && !ev.skaddr);
	rc = rec_read(rd, &ev, err, sizeof(err));
	CHECK(rc == -1 && strstr(err, "address family"));
	rec_close_reader(rd);
}

/* Files refused before any event. */
static void test_bad_headers(void)
{
	static const char text[] = "this is a plain text file, not a recording at all\n";
	unsigned char *raw;
	size_t rawlen = 0, hl;
	struct result r;
	char p[128];
	uint32_t v;

	raw = raw_rec(3, &rawlen);
	CHECK(raw != NULL);
	if (!raw)
		return;
	hl = header_len(raw);

	path_of(p, sizeof(p), "empty.rec");
	CHECK(file_put(p, "", 0) == 0);
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "empty"));

	path_of(p, sizeof(p), "emptygz.rec");
	CHECK(gz_put(p, "", 0) == 0);
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "empty"));

	path_of(p, sizeof(p), "text.rec");
	CHECK(file_put(p, text, sizeof(text) - 1) == 0);
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "not a socktop recording"));

	path_of(p, sizeof(p), "short-text.rec");
	CHECK(file_put(p, "hi\n", 3) == 0);
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "not a socktop recording"));

	/* a valid recording's bytes, but not compressed: still refused */
	path_of(p, sizeof(p), "uncompressed.rec");
	CHECK(file_put(p, raw, rawlen) == 0);
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "not a socktop recording"));

	path_of(p, sizeof(p), "othergz.rec");
	CHECK(gz_put(p, text, sizeof(text) - 1) == 0);
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "magic"));

	path_of(p, sizeof(p), "magic.rec");
	raw[6] = 'Q';
	CHECK(gz_put(p, raw, rawlen) == 0);
	raw[6] = 'P';
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "magic"));

	path_of(p, sizeof(p), "version.rec");
	memcpy(&v, raw + 8, 4);
	CHECK(v == REC_VERSION);
	v = REC_VERSION + 1;
	memcpy(raw + 8, &v, 4);
	CHECK(gz_put(p, raw, rawlen) == 0);
	v = REC_VERSION;
	memcpy(raw + 8, &v, 4);
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "version 3"));

	/* version 1 (before the header said what was captured): it reads,
	 * whatever its spare header word holds, and says no traffic */
	path_of(p, sizeof(p), "version1.rec");
	v = 1;
	memcpy(raw + 8, &v, 4);
	raw[20] = 0xff; /* rec_disk_header.features, "_pad" in version 1 */
	CHECK(gz_put(p, raw, rawlen) == 0);
	v = REC_VERSION;
	memcpy(raw + 8, &v, 4);
	raw[20] = 0;
	{
		struct rec_header h1;
		char err1[256] = "";
		struct rec_reader *rd = rec_open(p, &h1, err1, sizeof(err1));

		CHECK(rd && h1.version == 1 && h1.features == 0);
		rec_close_reader(rd);
	}
	r = read_rec(p);
	CHECK(r.opened && r.rc == 0 && r.prefix_ok);

	path_of(p, sizeof(p), "hdrlen.rec");
	raw[12] ^= 0x40;
	CHECK(gz_put(p, raw, rawlen) == 0);
	raw[12] ^= 0x40;
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "length"));

	path_of(p, sizeof(p), "evsize.rec");
	memcpy(&v, raw + 16, 4);
	CHECK(v == sizeof(struct event));
	v = 112;
	memcpy(raw + 16, &v, 4);
	CHECK(gz_put(p, raw, rawlen) == 0);
	v = sizeof(struct event);
	memcpy(raw + 16, &v, 4);
	r = read_rec(p);
	CHECK(!r.opened && msg_ok(&r, p, "112"));

	/* a header cut at every length, as complete gzip streams */
	for (size_t cut = 1; cut < hl; cut++) {
		path_of(p, sizeof(p), "hdrcut.rec");
		CHECK(gz_put(p, raw, cut) == 0);
		r = read_rec(p);
		if (r.opened || !msg_ok(&r, p, cut < 8 ? "truncated" : "header")) {
			fprintf(stderr, "  header cut at %zu: opened=%d\n", cut, r.opened);
			CHECK(0);
			break;
		}
	}
	free(raw);
}

/* Faults inside the records: the good events before, then the fault. */
static void test_bad_records(void)
{
	unsigned char *raw;
	size_t rawlen = 0, hl, rl = 4 + sizeof(struct event);
	struct result r;
	char p[128], at[32];
	uint32_t v;
	uint16_t kind;

	raw = raw_rec(5, &rawlen);
	CHECK(raw != NULL);
	if (!raw)
		return;
	hl = header_len(raw);
	CHECK(rawlen == hl + 5 * rl);

	path_of(p, sizeof(p), "reclen.rec");
	v = 119;
	memcpy(raw + hl + 2 * rl, &v, 4);
	CHECK(gz_put(p, raw, rawlen) == 0);
	v = sizeof(struct event);
	memcpy(raw + hl + 2 * rl, &v, 4);
	r = read_rec(p);
	snprintf(at, sizeof(at), "byte %zu", hl + 2 * rl);
	CHECK(r.opened && r.n == 2 && r.rc == -1 && r.prefix_ok);
	CHECK(msg_ok(&r, p, "length 119") && strstr(r.err, at));

	path_of(p, sizeof(p), "reclen-huge.rec");
	v = 0xffffffffu;
	memcpy(raw + hl + 4 * rl, &v, 4);
	CHECK(gz_put(p, raw, rawlen) == 0);
	v = sizeof(struct event);
	memcpy(raw + hl + 4 * rl, &v, 4);
	r = read_rec(p);
	CHECK(r.opened && r.n == 4 && r.rc == -1 && r.prefix_ok && msg_ok(&r, p, "length"));

	for (int k = 0; k < 2; k++) {
		size_t kind_off = hl + 3 * rl + 4 + offsetof(struct event, kind);

		path_of(p, sizeof(p), "kind.rec");
		memcpy(&kind, raw + kind_off, 2);
		v = kind;
		kind = k ? 999 : 0;
		memcpy(raw + kind_off, &kind, 2);
		CHECK(gz_put(p, raw, rawlen) == 0);
		kind = (uint16_t)v;
		memcpy(raw + kind_off, &kind, 2);
		r = read_rec(p);
		snprintf(at, sizeof(at), "byte %zu", hl + 3 * rl);
		CHECK(r.opened && r.n == 3 && r.rc == -1 && r.prefix_ok);
		CHECK(msg_ok(&r, p, "unknown event kind") && strstr(r.err, at));
	}

	/* records cut in the uncompressed stream at every length */
	for (size_t cut = hl + 1; cut < rawlen; cut++) {
		int whole = (int)((cut - hl) / rl);

		path_of(p, sizeof(p), "reccut.rec");
		CHECK(gz_put(p, raw, cut) == 0);
		r = read_rec(p);
		if ((cut - hl) % rl == 0) {
			/* a clean record boundary in a complete stream is a valid file */
			if (!(r.opened && r.n == whole && r.rc == 0 && r.prefix_ok)) {
				fprintf(stderr, "  boundary cut %zu: n=%d rc=%d\n", cut, r.n, r.rc);
				CHECK(0);
				break;
			}
			continue;
		}
		if (!(r.opened && r.n == whole && r.rc == -1 && r.prefix_ok &&
		      msg_ok(&r, p, "truncated"))) {
			fprintf(stderr, "  record cut %zu: n=%d rc=%d\n", cut, r.n, r.rc);
			CHECK(0);
			break;
		}
	}
	free(raw);
}

/* The compressed file cut at every offset: a prefix of the events, then
 * a fault; never a clean end, never an event that was not written. */
static void test_truncated_gzip(void)
{
	unsigned char *gz;
	size_t gzlen = 0;
	char good[128], p[128];
	int bad = 0, max_n = 0;

	path_of(good, sizeof(good), "cutsrc.rec");
	CHECK(write_rec(good, NEV) == 0);
	gz = file_get(good, &gzlen);
	CHECK(gz && gzlen > 100);
	if (!gz)
		return;
	path_of(p, sizeof(p), "cut.rec");
	/* every offset near both ends, every 7th in between */
	for (size_t cut = 0; cut < gzlen && bad < 5;
	     cut += cut < 300 || cut + 300 > gzlen ? 1 : 7) {
		struct result r;

		CHECK(file_put(p, gz, cut) == 0);
		r = read_rec(p);
		if (r.n > max_n)
			max_n = r.n;
		if (cut == 0 ? !(!r.opened && msg_ok(&r, p, "empty"))
			     : !((r.opened ? r.rc == -1 && r.prefix_ok : 1) &&
				 msg_ok(&r, p, r.opened ? "truncated" : ""))) {
			fprintf(stderr, "  gzip cut at %zu of %zu: opened=%d n=%d rc=%d\n", cut,
				gzlen, r.opened, r.n, r.rc);
			bad++;
		}
	}
	CHECK(bad == 0);
	/* the last cuts (inside the gzip trailer) still deliver everything */
	CHECK(max_n == NEV);
	free(gz);
}

/* Flipped bytes in the compressed stream: no crash, no hang, a fault. */
static void test_corrupt_gzip(void)
{
	unsigned char *gz;
	size_t gzlen = 0;
	char good[128], p[128];
	int bad = 0;

	path_of(good, sizeof(good), "flipsrc.rec");
	CHECK(write_rec(good, NEV) == 0);
	gz = file_get(good, &gzlen);
	CHECK(gz != NULL);
	if (!gz)
		return;
	path_of(p, sizeof(p), "flip.rec");
	for (size_t off = 0; off < gzlen; off += off < 64 ? 1 : 29) {
		struct result r;

		/* gzip's MTIME, XFL and OS bytes (4..9) are not checked by anyone */
		if (off >= 4 && off <= 9)
			continue;
		gz[off] ^= 0xff;
		CHECK(file_put(p, gz, gzlen) == 0);
		gz[off] ^= 0xff;
		r = read_rec(p);
		if ((r.opened && r.rc != -1) || !msg_ok(&r, p, "")) {
			fprintf(stderr, "  flip at %zu: opened=%d n=%d rc=%d\n", off, r.opened, r.n,
				r.rc);
			bad++;
		}
	}
	CHECK(bad == 0);
	free(gz);
}

/* A writer SIGKILLed after rec_flush: all flushed events, then truncation. */
static void test_killed_writer(void)
{
	struct rec_header h = test_header();
	struct result r;
	char p[128], c;
	int pfd[2], status;
	pid_t pid;

	path_of(p, sizeof(p), "killed.rec");
	CHECK(pipe(pfd) == 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		struct rec_writer *w = rec_create(p, &h);
		int i;

		close(pfd[0]);
		if (!w)
			_exit(1);
		for (i = 0; i < 200; i++)
			if (rec_write(w, &evs[i]))
				_exit(1);
		if (rec_flush(w))
			_exit(1);
		for (; i < 210; i++) /* buffered, never flushed */
			if (rec_write(w, &evs[i]))
				_exit(1);
		if (write(pfd[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	CHECK(read(pfd[0], &c, 1) == 1);
	close(pfd[0]);
	kill(pid, SIGKILL);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));
	r = read_rec(p);
	CHECK(r.opened && r.n >= 200 && r.n <= 210 && r.prefix_ok && r.rc == -1);
	CHECK(msg_ok(&r, p, "truncated"));
}

int main(void)
{
	char cmd[128];
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/socktop-rec.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	make_events();
	RUN(test_round_trip);
	RUN(test_abi1);
	RUN(test_traffic_pass_end);
	RUN(test_bad_headers);
	RUN(test_bad_records);
	RUN(test_truncated_gzip);
	RUN(test_corrupt_gzip);
	RUN(test_killed_writer);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	rc = system(cmd);
	(void)rc;
	CHECK_EXIT();
}
