// SPDX-License-Identifier: GPL-2.0
/*
 * Command line: every error is -EINVAL (main turns it into usage and exit
 * 2), and good command lines fill struct opts as documented.
 */
#include <errno.h>
#include <stdarg.h>

#include "check.h"
#include "feature.h"
#include "opts.h"

#define MAXARGS 32

/* Parse a NULL-terminated argument list (argv[0] added). */
static int parse(struct opts *o, ...)
{
	static char *argv[MAXARGS + 2];
	static char buf[MAXARGS][512];
	va_list ap;
	const char *s;
	int argc = 0;

	argv[argc++] = "socktop";
	va_start(ap, o);
	while ((s = va_arg(ap, const char *)) && argc <= MAXARGS) {
		snprintf(buf[argc - 1], sizeof(buf[0]), "%s", s);
		argv[argc] = buf[argc - 1];
		argc++;
	}
	va_end(ap);
	argv[argc] = NULL;
	return opts_parse(o, argc, argv);
}

#define BAD(...)                                                                     \
	do {                                                                         \
		struct opts o_;                                                      \
		int rc_ = parse(&o_, __VA_ARGS__, NULL);                             \
		if (rc_ != -EINVAL) {                                                \
			fprintf(stderr, "  %s:%d: %s gave %d, not -EINVAL\n", __FILE__, \
				__LINE__, #__VA_ARGS__, rc_);                        \
			check_failed_now = 1;                                        \
		}                                                                    \
	} while (0)

static void test_bad_ports(void)
{
	char many[512] = "1";

	for (int i = 2; i <= OPTS_MAX_PORTS + 1; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), ",%d", i);
	BAD("-L", "");
	BAD("-L", "1,");
	BAD("-L", ",1");
	BAD("-L", "1,,2");
	BAD("-L", "70000");
	BAD("-L", "65536");
	BAD("-L", "-1");
	BAD("-L", "a");
	BAD("-L", "80a");
	BAD("-L", "0x50");
	BAD("-L", "1.5");
	BAD("-L", "99999999999999999999");
	BAD("-D", "22,");
	BAD("-P", "x");
	BAD("--localport=");
	BAD("-L", many); /* OPTS_MAX_PORTS + 1 */
	BAD("-L");	 /* missing argument */
}

static void test_bad_numbers(void)
{
	BAD("-p", "0");
	BAD("-p", "-5");
	BAD("-p", "abc");
	BAD("-p", "");
	BAD("-p", "12x");
	BAD("-p", "99999999999");
	BAD("--pid", "1.0");
	BAD("-u", "-2");
	BAD("-u", "root");
	BAD("-u", "4294967295");
	BAD("--duration", "0");
	BAD("--duration", "abc");
	BAD("--duration", "-1");
	BAD("--duration", "nan");
	BAD("--speed", "0");
	BAD("--speed", "inf");
	BAD("--speed", "1x");
	BAD("--ringbuf-kb", "1");
	BAD("--ringbuf-kb", "big");
	BAD("--ringbuf-kb", "3");
	BAD("--resync", "-1");
	BAD("--resync", "0.01");
	BAD("--resync", "soon");
	BAD("--max-sockets", "99");
	BAD("--max-sockets", "1e6");
	BAD("--stream=bogus");
}

static void test_bad_combinations(void)
{
	BAD("--bogus");
	BAD("-Z");
	BAD("--record", "a.rec", "--replay", "b.rec");
	BAD("--stream", "extra");
	BAD("extra");
	BAD("--stream", "-s", "--json");
	BAD("--lport");
	BAD("--stream", "--lport");
	BAD("--stream=binds", "--lport");
	BAD("--snapshot", "--stream");
	BAD("--replay");
	/* options only one mode reads: never silently ignored */
	BAD("-s");
	BAD("-t");
	BAD("-T");
	BAD("-w");
	BAD("--snapshot", "-s");
	BAD("--json");
	BAD("--count");
	BAD("--stream", "--count");
	BAD("--snapshot", "-c");
	BAD("-U");
	BAD("--stream", "-U");
	BAD("-Y");
	BAD("--stream=binds", "-Y");
	BAD("--snapshot", "-Y");
	BAD("--stream", "-E");
	BAD("--stream=connects", "-E");
	BAD("--snapshot", "-E");
	BAD("--speed", "2");
	BAD("--no-pace");
	BAD("--stream", "--no-pace");
	BAD("--replay", "x.rec", "--cgroup", "system.slice");
	BAD("--replay", "x.rec", "--netns", "4026531840");
	/* --disable names only features that exist */
	BAD("--disable", "bogus");
	BAD("--disable", "states,");
	BAD("--disable", ",binds");
	BAD("--disable", "");
	BAD("--disable", "iter");
	BAD("--disable", "binds,,iters");
	/* --metrics and --headless */
	BAD("--metrics", "");
	BAD("--metrics", "host.example:80");
	BAD("--metrics", "127.0.0.1:65536");
	BAD("--headless");
	BAD("--headless", "--stream", "--metrics", "9470");
	BAD("--headless", "--snapshot", "--record", "x.rec");
	BAD("--snapshot", "--metrics", "9470");
}

static void test_good(void)
{
	char many[512] = "1";
	struct opts o;

	CHECK(parse(&o, NULL) == 0);
	CHECK(o.stream == STREAM_NONE && o.pid == 0 && o.uid == -1 && o.speed == 1.0);
	CHECK(o.ringbuf_kb == 32768 && o.lports.n == 0 && !o.replay && !o.record);
	CHECK(o.resync == 30 && o.max_sockets == 1000000);
	CHECK(parse(&o, "--max-sockets", "5000", NULL) == 0 && o.max_sockets == 5000);
	CHECK(parse(&o, "--resync", "0", NULL) == 0 && o.resync == 0);
	CHECK(parse(&o, "--resync", "2.5", "--ringbuf-kb", "4", NULL) == 0 && o.resync == 2.5 &&
	      o.ringbuf_kb == 4);

	CHECK(parse(&o, "-L", "80,443", "-D", "0,65535", "-4", "-p", "1234", "-u", "0", "-t",
		    "-w", "--stream=binds", "--duration", "1.5", "-E", "-U", NULL) == 0);
	CHECK(o.lports.n == 2 && o.lports.port[0] == 80 && o.lports.port[1] == 443);
	CHECK(o.rports.n == 2 && o.rports.port[0] == 0 && o.rports.port[1] == 65535);
	CHECK(port_list_has(&o.lports, 443) && !port_list_has(&o.lports, 22));
	CHECK(o.only4 && !o.only6 && o.pid == 1234 && o.uid == 0 && o.ts_rel && o.wide);
	CHECK(o.stream == STREAM_BINDS && o.duration == 1.5 && o.errors && o.uid_col &&
	      !o.journal);
	CHECK(parse(&o, "--stream", "-Y", NULL) == 0 && o.journal && o.stream == STREAM_STATES);
	CHECK(parse(&o, "--stream=connects", "-U", NULL) == 0 && o.uid_col);
	CHECK(parse(&o, "-E", NULL) == 0 && o.errors && o.stream == STREAM_NONE); /* the UI */
	CHECK(parse(&o, "--snapshot", "--json", NULL) == 0 && o.snapshot && o.json);
	CHECK(parse(&o, "--disable", "states,binds,connects,iters", NULL) == 0);

	CHECK(parse(&o, "--replay", "x.rec", "--speed", "2.5", "--no-pace", "--theme", "light",
		    "--ringbuf-kb", "64", "--disable", "iters", "--count", "-6", "-s", "-T",
		    "--stream", "binds", NULL) == 0);
	CHECK(o.replay && !strcmp(o.replay, "x.rec") && o.speed == 2.5 && o.no_pace);
	CHECK(o.theme && !strcmp(o.theme, "light") && o.ringbuf_kb == 64);
	CHECK(o.disabled == feature_bit("iters") && o.disabled && o.count && o.only6 && o.csv);
	CHECK(o.ts_wall && o.stream == STREAM_BINDS);

	CHECK(parse(&o, "--stream=connects", "--json", "--record", "out.rec", "-P", "8080",
		    "--cgroup", "/sys/fs/cgroup/x", NULL) == 0);
	CHECK(o.stream == STREAM_CONNECTS && o.json && o.record && !strcmp(o.record, "out.rec"));
	CHECK(o.bind_ports.n == 1 && o.bind_ports.port[0] == 8080);
	CHECK(o.cgroup && !strcmp(o.cgroup, "/sys/fs/cgroup/x"));
	/* the bcc tools' combinations: tcpstates -stT, both families */
	CHECK(parse(&o, "--stream", "-stT", NULL) == 0 && o.csv && o.ts_rel && o.ts_wall);
	CHECK(parse(&o, "--stream", "-4", "-6", NULL) == 0 && !o.only4 && !o.only6);
	CHECK(parse(&o, "--stream", "-46wtT", "-Y", NULL) == 0 && !o.only4 && !o.only6 &&
	      o.wide && o.journal);
	/* tcpconnect: -L is the LPORT column, -c the counts; the kind may
	 * come after -L, and --localport still filters */
	CHECK(parse(&o, "--stream=connects", "-L", "-t", NULL) == 0 && o.lport_col && o.ts_rel &&
	      o.lports.n == 0);
	CHECK(parse(&o, "-L", "--stream", "connects", "-c", NULL) == 0 && o.lport_col && o.count);
	CHECK(parse(&o, "-tL", "--stream=connects", "--localport", "80", NULL) == 0 &&
	      o.lport_col && o.ts_rel && o.lports.n == 1 && o.lports.port[0] == 80);
	CHECK(parse(&o, "--stream=connects", "--lport", "-U", NULL) == 0 && o.lport_col);
	CHECK(parse(&o, "--stream", "-L", "80", NULL) == 0 && !o.lport_col && o.lports.n == 1);
	/* ...and -L with ports after it filters connects, as it did before */
	CHECK(parse(&o, "--stream=connects", "-L", "80,81", "-t", NULL) == 0 && !o.lport_col &&
	      o.lports.n == 2 && o.ts_rel);
	CHECK(parse(&o, "--stream=connects", "-L80", NULL) == 0 && !o.lport_col && o.lports.n == 1);
	BAD("--stream=connects", "-L", "80,x");
	CHECK(parse(&o, "--stream=binds", "--count", "-tTUEw", NULL) == 0 && o.count);
	CHECK(parse(&o, "--headless", "--metrics", "[::1]:9470", NULL) == 0 && o.headless &&
	      o.metrics && !strcmp(o.metrics, "[::1]:9470"));
	CHECK(parse(&o, "--headless", "--record", "x.rec", NULL) == 0 && o.headless);
	CHECK(parse(&o, "--stream=binds", "--metrics", "9470", NULL) == 0 && !o.headless);
	CHECK(parse(&o, "--metrics", "0", NULL) == 0 && o.stream == STREAM_NONE); /* the UI */
	/* a fresh parse starts from the defaults */
	CHECK(parse(&o, "--snapshot", NULL) == 0);
	CHECK(o.snapshot && !o.json && !o.record && o.stream == STREAM_NONE && o.uid == -1);

	for (int i = 2; i <= OPTS_MAX_PORTS; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), ",%d", i);
	CHECK(parse(&o, "--localport", many, NULL) == 0);
	CHECK(o.lports.n == OPTS_MAX_PORTS && o.lports.port[OPTS_MAX_PORTS - 1] == OPTS_MAX_PORTS);
}

/* An error in the middle of a cluster must not leak into the next parse. */
static void test_reparse_after_error(void)
{
	struct opts o;

	BAD("-4Z");
	CHECK(parse(&o, "-t", "--stream", NULL) == 0 && o.ts_rel && !o.only4);
	BAD("-wX", "-s");
	CHECK(parse(&o, "-s", "--stream", NULL) == 0 && o.csv && !o.wide);
}

int main(void)
{
	RUN(test_bad_ports);
	RUN(test_bad_numbers);
	RUN(test_bad_combinations);
	RUN(test_good);
	RUN(test_reparse_after_error);
	CHECK_EXIT();
}
