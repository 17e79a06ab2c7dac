// SPDX-License-Identifier: GPL-2.0
/*
 * tcpstates stream output: exact lines for text, -w, -t, -T, -s and
 * --json through a hand-built app; hostile process names never reach the
 * output raw, CSV keeps its columns, JSON parses; -Y datagrams carry
 * tcpstates' journal fields.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "check.h"
#include "journal.h"
#include "stream.h"
#include "table.h"

#define SK 0xffff8880abcd0000ULL
#define T0 1000000000000ULL			       /* first event: 1000 s mono */
#define WALL_OFF (1700000000000000000LL - (int64_t)T0) /* T0 = 22:13:20 UTC */

static struct event ev4(uint64_t ts, uint8_t old, uint8_t new, uint32_t pid, const char *comm)
{
	struct event e = { .ts_ns = ts,
			   .skaddr = SK,
			   .pid = pid,
			   .tid = pid,
			   .uid = 1000,
			   .kind = EV_STATE,
			   .family = AF_INET,
			   .protocol = 6,
			   .lport = 40000,
			   .rport = 8080,
			   .oldstate = old,
			   .newstate = new };

	inet_pton(AF_INET, "127.0.0.1", e.saddr);
	inet_pton(AF_INET, "127.0.0.1", e.daddr);
	memcpy(e.comm, comm, strnlen(comm, sizeof(e.comm))); /* may fill all 16, no NUL */
	return e;
}

static struct event seq[3];

static void make_seq(void)
{
	seq[0] = ev4(T0, TS_CLOSE, TS_SYN_SENT, 4242, "curl");
	seq[1] = ev4(T0 + 3000000, TS_SYN_SENT, TS_ESTABLISHED, 0, "swapper/3");
	seq[2] = ev4(T0 + 503250000, TS_ESTABLISHED, TS_FIN_WAIT1, 4242, "curl");
}

/* Run events through a fresh app in stream mode; returns the output. */
static char *run(const struct opts *o, const struct event *evs, int n, struct journal *j)
{
	struct table_limits lim = { 0 };
	struct app a = { .opts = o, .wall_off_ns = WALL_OFF, .journal = j };
	struct stream *s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	model_init(&a.model, &lim);
	if (!f || !a.model.table)
		return NULL;
	a.first_ev_ns = evs[0].ts_ns;
	s = stream_open(&a, f);
	for (int i = 0; s && i < n; i++) {
		uint64_t prev = 0;

		if (evs[i].kind == EV_STATE)
			table_apply(a.model.table, &evs[i], &prev);
		stream_event(s, &a, &evs[i], prev);
	}
	if (!s || stream_close(s, &a))
		fprintf(stderr, "  stream_open/close failed\n");
	fclose(f);
	model_free(&a.model);
	return buf;
}

static struct opts base_opts(void)
{
	struct opts o = { .stream = STREAM_STATES, .uid = -1, .speed = 1.0 };

	return o;
}

static void check_out(const struct opts *o, const char *want)
{
	char *got = run(o, seq, 3, NULL);

	CHECK(got != NULL);
	if (got && strcmp(got, want)) {
		fprintf(stderr, "  got:\n%s  want:\n%s", got, want);
		check_failed_now = 1;
	}
	free(got);
}

static void test_text(void)
{
	struct opts o = base_opts();

	check_out(
		&o,
		"SKADDR           C-PID C-COMM     LADDR           LPORT RADDR           RPORT OLDSTATE    -> NEWSTATE    MS\n"
		"ffff8880abcd0000 4242  curl       127.0.0.1       40000 127.0.0.1       8080  CLOSE       -> SYN_SENT    0.000\n"
		"ffff8880abcd0000 0     swapper/3  127.0.0.1       40000 127.0.0.1       8080  SYN_SENT    -> ESTABLISHED 3.000\n"
		"ffff8880abcd0000 4242  curl       127.0.0.1       40000 127.0.0.1       8080  ESTABLISHED -> FIN_WAIT1   500.250\n");
}

static void test_times(void)
{
	struct opts o = base_opts();

	o.ts_rel = true;
	check_out(
		&o,
		"TIME(s)   SKADDR           C-PID C-COMM     LADDR           LPORT RADDR           RPORT OLDSTATE    -> NEWSTATE    MS\n"
		"0.000000  ffff8880abcd0000 4242  curl       127.0.0.1       40000 127.0.0.1       8080  CLOSE       -> SYN_SENT    0.000\n"
		"0.003000  ffff8880abcd0000 0     swapper/3  127.0.0.1       40000 127.0.0.1       8080  SYN_SENT    -> ESTABLISHED 3.000\n"
		"0.503250  ffff8880abcd0000 4242  curl       127.0.0.1       40000 127.0.0.1       8080  ESTABLISHED -> FIN_WAIT1   500.250\n");
	o.ts_rel = false;
	o.ts_wall = true;
	check_out(
		&o,
		"TIME     SKADDR           C-PID C-COMM     LADDR           LPORT RADDR           RPORT OLDSTATE    -> NEWSTATE    MS\n"
		"22:13:20 ffff8880abcd0000 4242  curl       127.0.0.1       40000 127.0.0.1       8080  CLOSE       -> SYN_SENT    0.000\n"
		"22:13:20 ffff8880abcd0000 0     swapper/3  127.0.0.1       40000 127.0.0.1       8080  SYN_SENT    -> ESTABLISHED 3.000\n"
		"22:13:20 ffff8880abcd0000 4242  curl       127.0.0.1       40000 127.0.0.1       8080  ESTABLISHED -> FIN_WAIT1   500.250\n");
}

/* -T's text is made once a second: each line still has its own second,
 * forward, back and forward again, text and JSON */
static void test_times_seconds(void)
{
	static const uint64_t at[] = { 0,	   999999999,	    1000000000, 61000000000ULL,
				       1000000001, 3600000000000ULL };
	static const char *want[] = { "22:13:20", "22:13:20", "22:13:21",
				      "22:14:21", "22:13:21", "23:13:20" };
	struct event evs[6];
	struct opts o = base_opts();

	for (int i = 0; i < 6; i++)
		evs[i] = ev4(T0 + at[i], TS_CLOSE, TS_SYN_SENT, 4242, "curl");
	o.ts_wall = true;
	for (int json = 0; json < 2; json++) {
		char *got, *line;

		o.json = json;
		got = run(&o, evs, 6, NULL);
		CHECK(got != NULL);
		line = got && !json ? strchr(got, '\n') : got; /* past the header */
		for (int i = 0; line && i < 6; i++) {
			const char *t = json ? strstr(line, "\"time\":\"") : line + 1;

			CHECK(t && !strncmp(t + (json ? 8 : 0), want[i], 8));
			line = strchr(line + 1, '\n');
		}
		free(got);
	}
}

static void test_wide(void)
{
	struct opts o = base_opts();
	struct event e = ev4(T0, TS_CLOSE, TS_SYN_SENT, 4242, "curl");
	char *got;

	e.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", e.saddr);
	inet_pton(AF_INET6, "2001:db8::2", e.daddr);
	o.wide = true;
	got = run(&o, &e, 1, NULL);
	CHECK(got != NULL);
	if (got)
		CHECK_STR(
			got,
			"SKADDR           C-PID   C-COMM           IP LADDR                                   LPORT RADDR                                   RPORT OLDSTATE    -> NEWSTATE    MS\n"
			"ffff8880abcd0000 4242    curl             6  2001:db8::1                             40000 2001:db8::2                             8080  CLOSE       -> SYN_SENT    0.000\n");
	free(got);
}

static void test_csv_json_exact(void)
{
	struct opts o = base_opts();

	o.csv = true;
	check_out(
		&o,
		"SKADDR,C-PID,C-COMM,IP,LADDR,LPORT,RADDR,RPORT,OLDSTATE,NEWSTATE,MS\n"
		"ffff8880abcd0000,4242,curl,4,127.0.0.1,40000,127.0.0.1,8080,CLOSE,SYN_SENT,0.000\n"
		"ffff8880abcd0000,0,swapper/3,4,127.0.0.1,40000,127.0.0.1,8080,SYN_SENT,ESTABLISHED,3.000\n"
		"ffff8880abcd0000,4242,curl,4,127.0.0.1,40000,127.0.0.1,8080,ESTABLISHED,FIN_WAIT1,500.250\n");
	o.ts_wall = true;
	check_out(
		&o,
		"TIME,SKADDR,C-PID,C-COMM,IP,LADDR,LPORT,RADDR,RPORT,OLDSTATE,NEWSTATE,MS\n"
		"22:13:20,ffff8880abcd0000,4242,curl,4,127.0.0.1,40000,127.0.0.1,8080,CLOSE,SYN_SENT,0.000\n"
		"22:13:20,ffff8880abcd0000,0,swapper/3,4,127.0.0.1,40000,127.0.0.1,8080,SYN_SENT,ESTABLISHED,3.000\n"
		"22:13:20,ffff8880abcd0000,4242,curl,4,127.0.0.1,40000,127.0.0.1,8080,ESTABLISHED,FIN_WAIT1,500.250\n");
	o = base_opts();
	o.json = true;
	check_out(
		&o,
		"{\"ts_ns\":1000000000000,\"time\":\"22:13:20\",\"time_s\":0.000000,\"skaddr\":\"ffff8880abcd0000\",\"pid\":4242,\"tid\":4242,\"uid\":1000,\"comm\":\"curl\",\"family\":4,\"laddr\":\"127.0.0.1\",\"lport\":40000,\"raddr\":\"127.0.0.1\",\"rport\":8080,\"oldstate\":\"CLOSE\",\"newstate\":\"SYN_SENT\",\"ms\":0.000,\"netns\":0}\n"
		"{\"ts_ns\":1000003000000,\"time\":\"22:13:20\",\"time_s\":0.003000,\"skaddr\":\"ffff8880abcd0000\",\"pid\":0,\"tid\":0,\"uid\":1000,\"comm\":\"swapper/3\",\"family\":4,\"laddr\":\"127.0.0.1\",\"lport\":40000,\"raddr\":\"127.0.0.1\",\"rport\":8080,\"oldstate\":\"SYN_SENT\",\"newstate\":\"ESTABLISHED\",\"ms\":3.000,\"netns\":0}\n"
		"{\"ts_ns\":1000503250000,\"time\":\"22:13:20\",\"time_s\":0.503250,\"skaddr\":\"ffff8880abcd0000\",\"pid\":4242,\"tid\":4242,\"uid\":1000,\"comm\":\"curl\",\"family\":4,\"laddr\":\"127.0.0.1\",\"lport\":40000,\"raddr\":\"127.0.0.1\",\"rport\":8080,\"oldstate\":\"ESTABLISHED\",\"newstate\":\"FIN_WAIT1\",\"ms\":500.250,\"netns\":0}\n");
}

/* ---- hostile process names ---- */

static const char *const hostile[] = {
	"\x1b]0;title\x07", /* set the terminal title */
	"\x1b[2J",	    /* clear the screen */
	"a,b\"c\\d,\"",	    /* CSV and JSON specials */
	"\x80\x85\x9b\x9f", /* raw C1 (0x9b is CSI) */
	"\xc2\x9b"
	"31m",			  /* C1 CSI, UTF-8 encoded */
	"\xff\xfe\xc3",		  /* invalid UTF-8 */
	"caf\xc3\xa9",		  /* valid UTF-8 */
	"123456789\xe2\x9b\x94",  /* a 3-byte character across column 10 */
	"12345678901234\xc3\xa9", /* a 2-byte character up to column 16 */
	"12345678901\xc3\xa9",	  /* a 2-byte character across column 12 */
	"\x01"
	"12345678901\xc3\xa9", /* escaped, across column 16 */
	"ABCDEFGHIJKLMNOP",    /* all 16 bytes, no NUL */
	"tab\there\nnl\r\x7f",
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static size_t utf8_len(const unsigned char *s)
{
	uint32_t cp;
	size_t len;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	if (cp < 0xa0 || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* Lines of valid UTF-8 with no C0 (but the newline), DEL or C1. */
static bool output_clean(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t u;

		if (*s == '\n' || (*s >= 0x20 && *s < 0x7f)) {
			s++;
			continue;
		}
		u = *s >= 0x80 ? utf8_len(s) : 0;
		if (!u) {
			fprintf(stderr, "  raw byte 0x%02x at offset %zu\n", *s,
				(size_t)((const char *)s - str));
			return false;
		}
		s += u;
	}
	return true;
}

static struct event hostile_seq[NHOSTILE * 2];

static void make_hostile(void)
{
	for (size_t i = 0; i < NHOSTILE; i++) {
		hostile_seq[2 * i] =
			ev4(T0 + i * 1000, TS_CLOSE, TS_SYN_SENT, 100 + (uint32_t)i, hostile[i]);
		hostile_seq[2 * i + 1] =
			ev4(T0 + i * 1000 + 500, TS_SYN_SENT, TS_ESTABLISHED, 0, hostile[i]);
		hostile_seq[2 * i].skaddr += i * 64;
		hostile_seq[2 * i + 1].skaddr += i * 64;
	}
}

/* RFC 4180 field count of one line; -1 on an unterminated quote. */
static int csv_fields(const char *line, size_t len, char *third, size_t thirdsz)
{
	int n = 1;
	bool inq = false;
	size_t t = 0;

	for (size_t i = 0; i < len; i++) {
		char c = line[i];

		if (inq) {
			if (c == '"' && i + 1 < len && line[i + 1] == '"')
				i++;
			else if (c == '"') {
				inq = false;
				continue;
			}
		} else if (c == '"') {
			inq = true;
			continue;
		} else if (c == ',') {
			n++;
			continue;
		}
		if (n == 3 && t + 1 < thirdsz)
			third[t++] = line[i];
	}
	if (thirdsz)
		third[t] = '\0';
	return inq ? -1 : n;
}

static void test_hostile_text_csv(void)
{
	struct opts o;
	char *out;

	for (int mode = 0; mode < 4; mode++) {
		o = base_opts();
		o.wide = mode == 1;
		o.ts_rel = mode == 2;
		o.ts_wall = mode == 3;
		int lines = 0;

		out = run(&o, hostile_seq, (int)(NHOSTILE * 2), NULL);
		CHECK(out && output_clean(out));
		/* one header and one line an event: no name broke a line */
		for (char *p = out; p && *p; p++)
			lines += *p == '\n';
		CHECK(lines == (int)(NHOSTILE * 2 + 1));
		free(out);
	}
	for (int ts = 0; ts < 2; ts++) {
		char comm[256];
		int lines = 0, want = ts ? 12 : 11;

		o = base_opts();
		o.csv = true;
		o.ts_rel = ts;
		out = run(&o, hostile_seq, (int)(NHOSTILE * 2), NULL);
		CHECK(out && output_clean(out));
		for (char *p = out, *nl; p && (nl = strchr(p, '\n')); p = nl + 1, lines++) {
			int n = csv_fields(p, (size_t)(nl - p), comm, sizeof(comm));

			if (n != want) {
				fprintf(stderr, "  CSV line %d has %d fields: %.*s\n", lines, n,
					(int)(nl - p), p);
				CHECK(0);
			}
		}
		CHECK(lines == (int)(NHOSTILE * 2 + 1));
		free(out);
	}
	/* the specials survive as text: a,b"c\d," with the backslash shown */
	o = base_opts();
	o.csv = true;
	out = run(&o, &hostile_seq[4], 1, NULL);
	if (out) {
		char comm[64], *row = strchr(out, '\n') + 1;

		CHECK(csv_fields(row, strlen(row) - 1, comm, sizeof(comm)) == 11);
		CHECK_STR(comm, "a,b\"c\\\\d,\"");
	}
	free(out);
}

/* ---- a small strict JSON validator ---- */

struct jp {
	const char *s;
	int depth;
};

static bool j_value(struct jp *p);

static void j_ws(struct jp *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\r' || *p->s == '\n')
		p->s++;
}

static bool j_string(struct jp *p)
{
	const unsigned char *s = (const unsigned char *)p->s;

	if (*s++ != '"')
		return false;
	for (;;) {
		if (*s == '"') {
			p->s = (const char *)s + 1;
			return true;
		}
		if (*s < 0x20)
			return false; /* raw control or end of input */
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
						return false;
				s += 5;
			} else if (*s && strchr("\"\\/bfnrt", *s)) {
				s++;
			} else {
				return false;
			}
		} else if (*s >= 0x80) {
			size_t u = utf8_len(s);

			if (!u)
				return false;
			s += u;
		} else {
			s++;
		}
	}
}

static bool j_number(struct jp *p)
{
	const char *s = p->s;

	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return false;
	if (*s == '.') {
		if (!(*++s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	p->s = s;
	return true;
}

static bool j_container(struct jp *p, char open, char close, bool keys)
{
	if (*p->s != open || ++p->depth > 64)
		return false;
	p->s++;
	j_ws(p);
	if (*p->s == close) {
		p->s++;
		p->depth--;
		return true;
	}
	for (;;) {
		j_ws(p);
		if (keys) {
			if (!j_string(p))
				return false;
			j_ws(p);
			if (*p->s++ != ':')
				return false;
		}
		if (!j_value(p))
			return false;
		j_ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s++ != close)
			return false;
		p->depth--;
		return true;
	}
}

static bool j_value(struct jp *p)
{
	j_ws(p);
	switch (*p->s) {
	case '{': return j_container(p, '{', '}', true);
	case '[': return j_container(p, '[', ']', false);
	case '"': return j_string(p);
	case 't': return !strncmp(p->s, "true", 4) ? (p->s += 4, true) : false;
	case 'f': return !strncmp(p->s, "false", 5) ? (p->s += 5, true) : false;
	case 'n': return !strncmp(p->s, "null", 4) ? (p->s += 4, true) : false;
	default: return j_number(p);
	}
}

/* One complete JSON value, an object, and nothing else. */
static bool json_line_ok(const char *line)
{
	struct jp p = { line, 0 };

	if (*line != '{' || !j_value(&p))
		return false;
	j_ws(&p);
	return *p.s == '\0';
}

static void test_json_validator(void)
{
	CHECK(json_line_ok("{\"a\":[1,-2.5e3,true,null,\"x\\u00e9\"],\"b\":{}}"));
	CHECK(!json_line_ok("{\"a\":\"\x1b\"}"));
	CHECK(!json_line_ok("{\"a\":\"\\x1b\"}"));
	CHECK(!json_line_ok("{\"a\":\"\xff\"}"));
	CHECK(!json_line_ok("{\"a\":01}"));
	CHECK(!json_line_ok("{\"a\":1,}"));
	CHECK(!json_line_ok("{\"a\":1} x"));
	CHECK(!json_line_ok("{\"a\":\"unterminated}"));
}

static void test_hostile_json(void)
{
	struct opts o = base_opts();
	char *out;
	int lines = 0;

	o.json = true;
	out = run(&o, hostile_seq, (int)(NHOSTILE * 2), NULL);
	CHECK(out && output_clean(out));
	for (char *p = out, *nl; p && (nl = strchr(p, '\n')); p = nl + 1, lines++) {
		*nl = '\0';
		if (!json_line_ok(p)) {
			fprintf(stderr, "  not JSON: %s\n", p);
			CHECK(0);
		}
		if (lines == 4)
			CHECK(strstr(p, "\"comm\":\"a,b\\\"c\\\\\\\\d,\\\"\""));
		if (lines == 12)
			CHECK(strstr(p, "\"comm\":\"caf\xc3\xa9\""));
	}
	CHECK(lines == (int)(NHOSTILE * 2));
	free(out);
}

/* The bind and connect printers get the same hostile names. */
static void test_hostile_other_streams(void)
{
	struct event evs[NHOSTILE];

	for (int kind = 0; kind < 2; kind++) {
		for (size_t i = 0; i < NHOSTILE; i++) {
			evs[i] = hostile_seq[2 * i];
			evs[i].kind = kind ? EV_CONNECT_RET : EV_BIND;
			evs[i].ret = i % 3 ? 0 : -111;
			evs[i].aux = 1500000;
		}
		for (int mode = 0; mode < 4; mode++) {
			struct opts o = base_opts();
			char *out, *p, *nl;
			int lines = 0, hdr_fields = -1;

			o.stream = kind ? STREAM_CONNECTS : STREAM_BINDS;
			o.errors = true;
			o.wide = mode == 1;
			o.ts_rel = mode == 1;
			o.csv = mode == 2;
			o.json = mode == 3;
			out = run(&o, evs, (int)NHOSTILE, NULL);
			CHECK(out && output_clean(out));
			for (p = out; p && (nl = strchr(p, '\n')); p = nl + 1, lines++) {
				char f3[64];
				int n = csv_fields(p, (size_t)(nl - p), f3, sizeof(f3));

				*nl = '\0';
				if (mode == 3 && !json_line_ok(p)) {
					fprintf(stderr, "  not JSON: %s\n", p);
					CHECK(0);
				}
				if (mode == 2 && hdr_fields < 0)
					hdr_fields = n;
				else if (mode == 2 && n != hdr_fields) {
					fprintf(stderr, "  CSV %d fields, header %d: %s\n", n,
						hdr_fields, p);
					CHECK(0);
				}
			}
			CHECK(lines == (int)NHOSTILE + (mode == 3 ? 0 : 1));
			free(out);
		}
	}
}

/* ---- -Y: journald's native protocol ---- */

/* Value of KEY in a journal datagram (text or binary form), or NULL. */
static const char *jfield(const char *d, size_t n, const char *key, char *val, size_t valsz,
			  bool *binary)
{
	size_t kl = strlen(key), i = 0;

	while (i < n) {
		const char *line = d + i, *nl = memchr(line, '\n', n - i), *eq;

		if (!nl)
			return NULL;
		eq = memchr(line, '=', (size_t)(nl - line));
		if (eq) {
			if ((size_t)(eq - line) == kl && !memcmp(line, key, kl)) {
				snprintf(val, valsz, "%.*s", (int)(nl - eq - 1), eq + 1);
				*binary = false;
				return val;
			}
			i = (size_t)(nl - d) + 1;
			continue;
		}
		/* KEY\n, u64 little-endian length, value, \n */
		uint64_t len;

		if ((size_t)(nl - d) + 9 > n)
			return NULL;
		memcpy(&len, nl + 1, 8);
		if (len > n || (size_t)(nl - d) + 9 + len + 1 > n || nl[9 + len] != '\n')
			return NULL;
		if ((size_t)(nl - line) == kl && !memcmp(line, key, kl)) {
			snprintf(val, valsz, "%.*s", (int)len, nl + 9);
			*binary = true;
			return val;
		}
		i = (size_t)(nl - d) + 9 + len + 1;
	}
	return NULL;
}

static void test_journal(void)
{
	char dir[] = "/tmp/socktop-journal.XXXXXX", path[64], err[256], d[4096], v[512];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct opts o = base_opts();
	struct journal *j;
	struct app a = { .opts = &o, .wall_off_ns = WALL_OFF };
	struct event e = ev4(T0 + 3000000, TS_SYN_SENT, TS_ESTABLISHED, 4242, "\x1b]0;x\x07");
	bool bin = false;
	ssize_t n;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/socket", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	/* nothing listening: a message naming the socket */
	setenv("SOCKTOP_JOURNAL_SOCKET", path, 1);
	j = journal_open(err, sizeof(err));
	CHECK(!j && strstr(err, path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	j = journal_open(err, sizeof(err));
	CHECK(j != NULL);
	if (!j || fd < 0)
		goto out;
	a.journal = j;
	a.first_ev_ns = T0;
	journal_send_state(&a, &e, 3000000, "127.0.0.1", "127.0.0.1");
	n = recv(fd, d, sizeof(d), MSG_DONTWAIT);
	CHECK(n > 0);
	if (n <= 0)
		goto out;
	CHECK(jfield(d, (size_t)n, "SYSLOG_IDENTIFIER", v, sizeof(v), &bin) &&
	      !strcmp(v, "tcpstates") && !bin);
	CHECK(jfield(d, (size_t)n, "OBJECT_PID", v, sizeof(v), &bin) && !strcmp(v, "4242"));
	CHECK(jfield(d, (size_t)n, "OBJECT_IPV4_SOURCE_ADDRESS", v, sizeof(v), &bin) &&
	      !strcmp(v, "127.0.0.1"));
	CHECK(jfield(d, (size_t)n, "OBJECT_IPV4_DESTINATION_ADDRESS", v, sizeof(v), &bin) &&
	      !strcmp(v, "127.0.0.1"));
	CHECK(jfield(d, (size_t)n, "OBJECT_TCP_SOURCE_PORT", v, sizeof(v), &bin) &&
	      !strcmp(v, "40000"));
	CHECK(jfield(d, (size_t)n, "OBJECT_TCP_DESTINATION_PORT", v, sizeof(v), &bin) &&
	      !strcmp(v, "8080"));
	CHECK(jfield(d, (size_t)n, "OBJECT_TCP_OLD_STATE", v, sizeof(v), &bin) &&
	      !strcmp(v, "SYN_SENT"));
	CHECK(jfield(d, (size_t)n, "OBJECT_TCP_NEW_STATE", v, sizeof(v), &bin) &&
	      !strcmp(v, "ESTABLISHED"));
	CHECK(jfield(d, (size_t)n, "OBJECT_TCP_SPAN_TIME", v, sizeof(v), &bin) &&
	      !strcmp(v, "3000"));
	CHECK(jfield(d, (size_t)n, "_SOURCE_REALTIME_TIMESTAMP", v, sizeof(v), &bin) &&
	      !strcmp(v, "1700000000003000"));
	CHECK(jfield(d, (size_t)n, "OBJECT_COMM", v, sizeof(v), &bin) && bin &&
	      !strcmp(v, "\\x1b]0;x\\x07"));
	CHECK(jfield(d, (size_t)n, "MESSAGE", v, sizeof(v), &bin) && bin);
	CHECK(strstr(v, "\\x1b]0;x\\x07 127.0.0.1 40000") && strstr(v, "SYN_SENT") &&
	      strstr(v, "ESTABLISHED") && output_clean(v));
	/* IPv6, and through the stream printer when -Y is on */
	e.family = AF_INET6;
	inet_pton(AF_INET6, "::1", e.saddr);
	inet_pton(AF_INET6, "::1", e.daddr);
	o.journal = true;
	free(run(&o, &e, 1, j));
	n = recv(fd, d, sizeof(d), MSG_DONTWAIT);
	CHECK(n > 0);
	if (n > 0) {
		CHECK(jfield(d, (size_t)n, "OBJECT_IPV6_SOURCE_ADDRESS", v, sizeof(v), &bin) &&
		      !strcmp(v, "::1"));
		CHECK(!jfield(d, (size_t)n, "OBJECT_IPV4_SOURCE_ADDRESS", v, sizeof(v), &bin));
		CHECK(jfield(d, (size_t)n, "OBJECT_TCP_SPAN_TIME", v, sizeof(v), &bin) &&
		      !strcmp(v, "0"));
	}
out:
	journal_close(j);
	if (fd >= 0)
		close(fd);
	unlink(path);
	rmdir(dir);
}

/* The stream's buffer: lines of every length up to past its size, by
 * printf, by copy and as built lines, reach the sink whole and in order
 * across the buffer's end, as snprintf makes them. */
static void test_out_buffer(void)
{
	static char big[200 * 1024], want[4 << 20];
	struct stream_out o = { .cap = 4096, .fd = -1 };
	size_t wn = 0, len = 0;
	char *got = NULL;
	struct linebuf l;

	o.buf = malloc(o.cap);
	o.sink = open_memstream(&got, &len);
	CHECK(o.buf && o.sink);
	if (!o.buf || !o.sink)
		return;
	memset(big, 'x', sizeof(big) - 1);
	for (uint64_t i = 0; i < 1000; i++) {
		size_t n = (size_t)(i * 7919 % 5000);

		wn += (size_t)snprintf(want + wn, sizeof(want) - wn, "%llu %.*s|\n",
				       (unsigned long long)i, (int)n, big);
		stream_printf(&o, "%llu %.*s|\n", (unsigned long long)i, (int)n, big);
		stream_line_start(&o, &l);
		lb_u64(&l, i, 0);
		lb_char(&l, '\n');
		memcpy(want + wn, l.b, l.n);
		wn += l.n;
		stream_line_end(&o, &l);
	}
	stream_printf(&o, "%s", big); /* past the buffer: written through */
	memcpy(want + wn, big, sizeof(big) - 1);
	wn += sizeof(big) - 1;
	stream_out_mem(&o, big, 5000);
	memcpy(want + wn, big, 5000);
	wn += 5000;
	stream_out_drain(&o);
	fclose(o.sink);
	CHECK(!o.broken);
	CHECK(len == wn);
	CHECK(got && len == wn && !memcmp(got, want, wn));
	free(got);
	free(o.buf);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	make_seq();
	make_hostile();
	RUN(test_text);
	RUN(test_times);
	RUN(test_times_seconds);
	RUN(test_wide);
	RUN(test_csv_json_exact);
	RUN(test_hostile_text_csv);
	RUN(test_json_validator);
	RUN(test_hostile_json);
	RUN(test_hostile_other_streams);
	RUN(test_journal);
	RUN(test_out_buffer);
	CHECK_EXIT();
}
