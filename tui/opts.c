// SPDX-License-Identifier: GPL-2.0
/* Parse the command line into struct opts. Strict: every number and port
 * is checked, and any error prints usage and makes main exit 2. */
#include "opts.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "feature.h"
#include "metrics_http.h"
#include "msg.h"
#include "version.h"

enum {
	OPT_STREAM = 256, OPT_JSON, OPT_DURATION, OPT_RECORD, OPT_REPLAY,
	OPT_SPEED, OPT_THEME, OPT_SNAPSHOT, OPT_CGROUP, OPT_NETNS,
	OPT_RINGBUF, OPT_DISABLE, OPT_NO_PACE, OPT_VERSION, OPT_RESYNC, OPT_MAX_SOCKETS,
	OPT_LPORT, OPT_METRICS, OPT_HEADLESS,
};

/* every short option but -L, whose argument depends on the stream kind */
#define OPTSTRING_COMMON "D:46p:u:P:EUtTwsYch"

static const struct option long_opts[] = {
	{ "stream", optional_argument, NULL, OPT_STREAM },
	{ "snapshot", no_argument, NULL, OPT_SNAPSHOT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "speed", required_argument, NULL, OPT_SPEED },
	{ "no-pace", no_argument, NULL, OPT_NO_PACE },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "count", no_argument, NULL, 'c' },
	{ "lport", no_argument, NULL, OPT_LPORT },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "ringbuf-kb", required_argument, NULL, OPT_RINGBUF },
	{ "resync", required_argument, NULL, OPT_RESYNC },
	{ "max-sockets", required_argument, NULL, OPT_MAX_SOCKETS },
	{ "disable", required_argument, NULL, OPT_DISABLE },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "headless", no_argument, NULL, OPT_HEADLESS },
	{ "localport", required_argument, NULL, 'L' },
	{ "remoteport", required_argument, NULL, 'D' },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "pid", required_argument, NULL, 'p' },
	{ "uid", required_argument, NULL, 'u' },
	{ "ports", required_argument, NULL, 'P' },
	{ "errors", no_argument, NULL, 'E' },
	{ "print-uid", no_argument, NULL, 'U' },
	{ "time", no_argument, NULL, 'T' },
	{ "timestamp", no_argument, NULL, 't' },
	{ "wide", no_argument, NULL, 'w' },
	{ "csv", no_argument, NULL, 's' },
	{ "journal", no_argument, NULL, 'Y' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ 0 },
};

void opts_usage(FILE *f)
{
	char feats[128];

	fputs("usage: socktop [OPTIONS]\n"
	      "Live full-screen monitor of every TCP socket's life (needs root),\n"
	      "or a stream of events in the bcc tools' formats.\n"
	      "\n"
	      "modes:\n"
	      "  (none)                full-screen UI\n"
	      "  --stream[=states]     TCP state changes, tcpstates' columns\n"
	      "  --stream=binds        bind() calls, bindsnoop's columns\n"
	      "  --stream=connects     active connects, tcpconnect's columns\n"
	      "  --stream=life         connections that end, with their bytes: tcplife's columns\n"
	      "  --stream=retrans      retransmits and resets, tcpretrans' columns\n"
	      "  --snapshot            print the sockets that exist now, then exit\n"
	      "  --replay FILE         read a recording instead of the kernel (no root)\n"
	      "  --record FILE         also write every event to FILE\n"
	      "  --headless            no UI, no stream: only --metrics and/or --record\n"
	      "\n"
	      "exporter:\n"
	      "  --metrics ADDR:PORT   serve Prometheus metrics at GET /metrics, with the\n"
	      "                        UI, a stream or --headless; PORT alone binds\n"
	      "                        127.0.0.1 ([ADDR6]:PORT for IPv6)\n"
	      "\n"
	      "capture filters (applied in the kernel):\n"
	      "  -L, --localport PORTS  local ports, comma list\n"
	      "  -D, --remoteport PORTS remote ports, comma list\n"
	      "  -4, --ipv4 / -6, --ipv6  one family only\n"
	      "  -p, --pid PID          one process (binds, connects; life, retrans: the owner)\n"
	      "  -u, --uid UID          one user (binds, connects)\n"
	      "  -P, --ports PORTS      bind/connect ports, comma list\n"
	      "  --cgroup PATH          tasks in this cgroup v2 subtree only\n"
	      "  --netns LIST           these network namespaces only: names (/run/netns)\n"
	      "                         or inodes (lsns -t net), comma list, at most 16\n"
	      "\n"
	      "stream output:\n"
	      "  -t, --timestamp  seconds since the first event\n"
	      "  -T, --time       wall clock HH:MM:SS\n"
	      "  -w, --wide       wide columns (IPv6)\n"
	      "  -s, --csv        comma-separated values\n"
	      "  --json           one JSON object a line\n"
	      "  -Y, --journal    also log each state change to the systemd journal\n"
	      "  -U, --print-uid  UID column;  -E, --errors  include failed binds\n"
	      "  -c, --count      binds, connects: counts per address and port at exit\n"
	      "  -L, --lport      connects: LPORT column (tcpconnect's -L: -L with no\n"
	      "                   port list after it)\n"
	      "  --duration SECS  stop after SECS seconds\n"
	      "\n"
	      "other:\n"
	      "  --speed N        replay speed (default 1 = real time)\n"
	      "  --no-pace        replay: apply it all at once, the clock frozen at its end\n"
	      "  --theme NAME     default, light, mono, high-contrast\n"
	      "  --ringbuf-kb N   ring buffers' total in KiB, one ring a CPU (default\n"
	      "                   32768, minimum 4; at least 4 KiB each)\n"
	      "  --resync SECS    repair the table from the kernel every SECS seconds\n"
	      "                   and soon after lost events (default 30; 0 = never)\n"
	      "  --max-sockets N  sockets kept in the table, about 1 KiB each; the\n"
	      "                   oldest are evicted beyond (default 1000000)\n"
	      "  --disable LIST   turn off hooks: ",
	      f);
	fprintf(f, "%s\n", features_names(feats, sizeof(feats)));
	fputs("  -h, --help       this text;  --version\n", f);
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_double(const char *s, double min, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min) || v > 1e9)
		return -EINVAL;
	*out = v;
	return 0;
}

/* what a bad port list is told it should have been */
#define STR_(x) #x
#define STR(x) STR_(x)
#define PORT_LIST_WHAT "port list (comma-separated ports 0-65535, at most " STR(OPTS_MAX_PORTS) ")"

int port_list_parse(struct port_list *l, const char *s)
{
	const char *p = s;

	l->n = 0;
	if (!*s)
		return -EINVAL;
	while (*p) {
		char buf[8];
		size_t len = strcspn(p, ",");
		long v;

		if (!len || len >= sizeof(buf) || l->n >= OPTS_MAX_PORTS)
			return -EINVAL;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (parse_long(buf, 0, 65535, &v))
			return -EINVAL;
		l->port[l->n++] = (uint16_t)v;
		p += len;
		if (*p == ',' && !*++p)
			return -EINVAL;
	}
	return 0;
}

bool port_list_has(const struct port_list *l, uint16_t port)
{
	for (int i = 0; i < l->n; i++)
		if (l->port[i] == port)
			return true;
	return false;
}

static int bad(const char *what, const char *arg)
{
	msg_err("invalid %s: '%s'", what, arg);
	return -EINVAL;
}

/* Each --disable name is a feature the loader knows. */
static int parse_disable(struct opts *o, const char *arg)
{
	char what[160], feats[128];

	if (!features_parse(arg, &o->disabled, NULL))
		return 0;
	snprintf(what, sizeof(what), "feature list (%s)", features_names(feats, sizeof(feats)));
	return bad(what, arg);
}

static int parse_stream(struct opts *o, const char *arg)
{
	if (!arg || !strcmp(arg, "states"))
		o->stream = STREAM_STATES;
	else if (!strcmp(arg, "binds"))
		o->stream = STREAM_BINDS;
	else if (!strcmp(arg, "connects"))
		o->stream = STREAM_CONNECTS;
	else if (!strcmp(arg, "life"))
		o->stream = STREAM_LIFE;
	else if (!strcmp(arg, "retrans"))
		o->stream = STREAM_RETRANS;
	else
		return bad("stream kind (states, binds, connects, life, retrans)", arg);
	return 0;
}

static int parse_one(struct opts *o, int c, const char *arg)
{
	long v;

	switch (c) {
	case 'L':
		return port_list_parse(&o->lports, arg) ? bad(PORT_LIST_WHAT, arg) : 0;
	case 'D':
		return port_list_parse(&o->rports, arg) ? bad(PORT_LIST_WHAT, arg) : 0;
	case 'P':
		return port_list_parse(&o->bind_ports, arg) ? bad(PORT_LIST_WHAT, arg) : 0;
	case '4': o->only4 = true; return 0;
	case '6': o->only6 = true; return 0;
	case 'p':
		if (parse_long(arg, 1, INT_MAX, &v))
			return bad("pid", arg);
		o->pid = (int)v;
		return 0;
	case 'u':
		if (parse_long(arg, 0, UINT32_MAX - 1, &v))
			return bad("uid", arg);
		o->uid = v;
		return 0;
	case 'E': o->errors = true; return 0;
	case 'U': o->uid_col = true; return 0;
	case 't': o->ts_rel = true; return 0;
	case 'T': o->ts_wall = true; return 0;
	case 'w': o->wide = true; return 0;
	case 's': o->csv = true; return 0;
	case 'Y': o->journal = true; return 0;
	case OPT_STREAM: return parse_stream(o, arg);
	case OPT_SNAPSHOT: o->snapshot = true; return 0;
	case OPT_JSON: o->json = true; return 0;
	case 'c': o->count = true; return 0;
	case OPT_LPORT: o->lport_col = true; return 0;
	case OPT_NO_PACE: o->no_pace = true; return 0;
	case OPT_DURATION:
		return parse_double(arg, 0.001, &o->duration) ? bad("duration", arg) : 0;
	case OPT_SPEED:
		return parse_double(arg, 0.01, &o->speed) ? bad("speed", arg) : 0;
	case OPT_RECORD: o->record = arg; return 0;
	case OPT_REPLAY: o->replay = arg; return 0;
	case OPT_THEME: o->theme = arg; return 0;
	case OPT_CGROUP: o->cgroup = arg; return 0;
	case OPT_NETNS: o->netns = arg; return 0;
	case OPT_DISABLE:
		return parse_disable(o, arg);
	case OPT_METRICS: {
		struct sockaddr_storage ss;
		socklen_t len;

		o->metrics = arg;
		return metrics_addr_parse(arg, &ss, &len) ?
			       bad("metrics address (PORT, ADDR:PORT or [ADDR6]:PORT, numeric)", arg) :
			       0;
	}
	case OPT_HEADLESS: o->headless = true; return 0;
	case OPT_RESYNC:
		if (!strcmp(arg, "0")) {
			o->resync = 0;
			return 0;
		}
		return parse_double(arg, 0.1, &o->resync) ?
			       bad("resync period (seconds: 0 or at least 0.1)", arg) : 0;
	case OPT_MAX_SOCKETS:
		if (parse_long(arg, 100, 100000000, &v))
			return bad("table size (sockets, 100..100000000)", arg);
		o->max_sockets = (uint32_t)v;
		return 0;
	case OPT_RINGBUF:
		if (parse_long(arg, 4, 1024 * 1024, &v))
			return bad("ring buffer size (KiB, 4..1048576)", arg);
		o->ringbuf_kb = (unsigned)v;
		return 0;
	}
	return -EINVAL;
}

/* Options that exclude each other, or that only one mode reads (given
 * elsewhere they would be silently ignored). NULL when all is well. */
static const char *conflict(const struct opts *o)
{
	if (o->csv && o->json)
		return "-s prints CSV and --json prints JSON: choose one output format";
	if (o->record && o->replay)
		return "--record and --replay exclude each other";
	if (o->snapshot && o->stream)
		return "--snapshot and --stream exclude each other";
	if (!o->stream && (o->csv || o->ts_rel || o->ts_wall || o->wide))
		return "-s, -t, -T and -w shape --stream output: add --stream";
	if (o->json && !o->stream && !o->snapshot)
		return "--json needs --stream or --snapshot";
	if (o->count && o->stream != STREAM_BINDS && o->stream != STREAM_CONNECTS)
		return "--count counts binds or connects: use it with --stream=binds or =connects";
	if (o->lport_col && o->stream != STREAM_CONNECTS)
		return "--lport adds a column to --stream=connects (-L PORTS filters elsewhere)";
	if (o->uid_col && o->stream != STREAM_BINDS && o->stream != STREAM_CONNECTS)
		return "-U adds a column to --stream=binds or --stream=connects";
	if (o->journal && o->stream != STREAM_STATES)
		return "-Y logs state changes: use it with --stream (=states)";
	if (o->errors && (o->snapshot || (o->stream && o->stream != STREAM_BINDS)))
		return "-E shows failed binds: use it with --stream=binds or the UI";
	if (o->cgroup && o->replay)
		return "--cgroup filters live capture, not a --replay";
	if (o->netns && o->replay)
		return "--netns filters live capture, not a --replay";
	if (o->headless && (o->stream || o->snapshot))
		return "--headless runs without UI or stream: not with --stream or --snapshot";
	if (o->headless && !o->metrics && !o->record)
		return "--headless needs something to do: --metrics ADDR:PORT or --record FILE";
	if (o->metrics && o->snapshot)
		return "--metrics serves a running socktop, not a --snapshot";
	if ((o->no_pace || o->speed != 1.0) && !o->replay)
		return "--speed and --no-pace pace a --replay";
	return NULL;
}

/* digits and commas, starting with a digit: a port list, not an option */
static bool looks_like_ports(const char *w)
{
	return *w >= '0' && *w <= '9' && w[strspn(w, "0123456789,")] == '\0';
}

/* "--stream binds" as well as "--stream=binds": the kind as the next word */
static const char *stream_word(int c, int argc, char **argv)
{
	if (c == OPT_STREAM && !optarg && optind < argc &&
	    (!strcmp(argv[optind], "states") || !strcmp(argv[optind], "binds") ||
	     !strcmp(argv[optind], "connects")))
		return argv[optind++];
	return optarg;
}

/*
 * tcpconnect's -L takes no argument (it adds the LPORT column) where
 * tcpstates' -L takes ports, so the stream kind must be known before -L
 * is parsed: a first, silent pass over a copy of argv finds it. There -L
 * takes an optional argument only, so it never swallows "--stream=...".
 */
static bool wants_connects(int argc, char **argv)
{
	char **copy = calloc((size_t)argc + 1, sizeof(*copy));
	bool connects = false;
	int c;

	if (!copy)
		return false; /* the real pass reports nothing worse than -L */
	memcpy(copy, argv, (size_t)argc * sizeof(*copy));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, copy, OPTSTRING_COMMON "L::", long_opts, NULL)) != -1) {
		const char *arg = stream_word(c, argc, copy);

		if (c == OPT_STREAM)
			connects = arg && !strcmp(arg, "connects");
	}
	free(copy);
	return connects;
}

int opts_parse(struct opts *o, int argc, char **argv)
{
	const char *why, *optstring;
	bool connects;
	int c;

	memset(o, 0, sizeof(*o));
	o->uid = -1;
	o->speed = 1.0;
	/* 32 MiB: about 250k events, 200 ms of a full loopback churn, so a
	 * slow frame or a pull pass does not make the kernel drop; with 8 MiB
	 * the UI lost events in 2 of 5 runs at that churn, with 32 none */
	o->ringbuf_kb = 32768;
	o->resync = 30;
	o->max_sockets = 1000000;
	connects = wants_connects(argc, argv);
	optstring = connects ? OPTSTRING_COMMON "L::" : OPTSTRING_COMMON "L:";
	optind = 0; /* glibc: re-initialise fully, so a second parse starts clean */
	opterr = 1;
	while ((c = getopt_long(argc, argv, optstring, long_opts, NULL)) != -1) {
		if (c == 'h') {
			opts_usage(stdout);
			return 1;
		}
		if (c == OPT_VERSION) {
			version_print(stdout);
			return 1;
		}
		optarg = (char *)stream_word(c, argc, argv);
		/* --stream=connects: -L alone is tcpconnect's LPORT column; -L
		 * with a port list (attached or the next word) still filters,
		 * a word tcpconnect itself would refuse */
		if (c == 'L' && connects && !optarg && optind < argc &&
		    looks_like_ports(argv[optind]))
			optarg = argv[optind++];
		if (c == 'L' && !optarg)
			c = OPT_LPORT;
		if (c == '?' || parse_one(o, c, optarg))
			goto usage;
	}
	if (optind < argc) {
		msg_err("unexpected argument '%s'", argv[optind]);
		goto usage;
	}
	why = conflict(o);
	if (why) {
		msg_err("%s", why);
		goto usage;
	}
	/* -4 and -6 together: both families, as ss reads them */
	if (o->only4 && o->only6)
		o->only4 = o->only6 = false;
	return 0;
usage:
	fputc('\n', stderr);
	opts_usage(stderr);
	return -EINVAL;
}
