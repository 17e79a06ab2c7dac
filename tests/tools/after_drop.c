// SPDX-License-Identifier: GPL-2.0
/*
 * Test tool: what socktop does with its BPF fds after the privilege drop,
 * tried for real. Loads the capture (states, connects, iterators) as
 * socktop's UI does, drops privileges with privdrop (SUDO_UID/SUDO_GID
 * decide the user), then, unprivileged: asks every BPF program it holds
 * for its info (recursion misses), reads every map's first key (the
 * per-CPU counters), runs the iterators (a resync: bpf_iter_create on the
 * links), waits for PORT to be connected and drains the ring.
 *
 * usage: after_drop PORT   (run as root; prints one "name value" a line,
 * "owner PID PORT" for each holder of a socket on PORT, exits 1 on error)
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "iters.h"
#include "capture.h"
#include "loader.h"
#include "opts.h"
#include "privdrop.h"

struct seen {
	unsigned port, events, socks, owners;
};

static void sink(void *ctx, const struct event *ev)
{
	struct seen *s = ctx;

	if (ev->lport != s->port && ev->rport != s->port)
		return;
	if (ev->kind == EV_SNAP_SOCK)
		s->socks++;
	else if (ev->kind == EV_SNAP_OWNER) {
		s->owners++;
		printf("owner %u %u\n", ev->pid, s->port);
	} else if (ev->kind == EV_STATE)
		s->events++;
}

/* every bpf-prog and bpf-map fd this process holds, asked once */
static void ask_fds(void)
{
	int progs = 0, progs_ok = 0, maps = 0, maps_ok = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	if (!d) {
		printf("fds_unreadable %d\n", errno);
		return;
	}
	while ((de = readdir(d))) {
		char link[64], target[64];
		int fd = atoi(de->d_name);
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%.20s", de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (!strcmp(target, "anon_inode:bpf-prog")) {
			struct bpf_prog_info info = { 0 };
			__u32 len = sizeof(info);

			progs++;
			progs_ok += !bpf_obj_get_info_by_fd(fd, &info, &len);
		} else if (!strcmp(target, "anon_inode:bpf-map")) {
			struct bpf_map_info info = { 0 };
			__u32 len = sizeof(info), key = 0;
			static char val[1 << 16];

			maps++;
			if (bpf_obj_get_info_by_fd(fd, &info, &len))
				continue;
			/* socket storage is looked up by a socket's fd: a new
			 * socket has none (ENOENT is an answer) */
			if (info.type == BPF_MAP_TYPE_SK_STORAGE) {
				int s = socket(AF_INET, SOCK_STREAM, 0);

				if (s >= 0 && (!bpf_map_lookup_elem(fd, &s, val) || errno == ENOENT))
					maps_ok++;
				if (s >= 0)
					close(s);
				continue;
			}
			/* arrays answer key 0; hashes may be empty (ENOENT is an answer) */
			if (info.type == BPF_MAP_TYPE_RINGBUF ||
			    info.value_size * (unsigned)libbpf_num_possible_cpus() > sizeof(val) ||
			    !bpf_map_lookup_elem(fd, &key, val) || errno == ENOENT)
				maps_ok++;
			if (!strcmp(info.name, "counters"))
				printf("counters_read %s\n",
				       bpf_map_lookup_elem(fd, &key, val) ? strerror(errno) : "ok");
		}
	}
	closedir(d);
	printf("progs %d progs_info_ok %d maps %d maps_ok %d\n", progs, progs_ok, maps, maps_ok);
}

int main(int argc, char **argv)
{
	char *args[] = { argv[0], NULL };
	struct seen s = { 0 };
	struct privdrop pd;
	struct loader *l;
	struct opts o;
	struct capture cap;
	char err[512];
	int n;

	if (argc != 2 || !(s.port = (unsigned)atoi(argv[1]))) {
		fprintf(stderr, "usage: after_drop PORT\n");
		return 2;
	}
	if (opts_parse(&o, 1, args) || privdrop_init(&pd, err, sizeof(err))) {
		fprintf(stderr, "after_drop: %s\n", err);
		return 1;
	}
	l = opts_capture(&o, &cap, err, sizeof(err)) ? NULL :
					 loader_open(&cap, sink, &s, err, sizeof(err));
	if (!l) {
		fprintf(stderr, "after_drop: %s\n", err);
		return 1;
	}
	if (privdrop_apply(&pd, err, sizeof(err))) {
		fprintf(stderr, "after_drop: drop: %s\n", err);
		return 1;
	}
	printf("uid %u\n", (unsigned)getuid());
	ask_fds();
	n = loader_iters(l) ? iters_snapshot(loader_iters(l), sink, &s, 0) : -ENOTSUP;
	printf("iter %s socks %u owners %u\n", n < 0 ? strerror(-n) : "ok", s.socks, s.owners);
	printf("ready\n");
	fflush(stdout);
	for (int i = 0; i < 500 && !s.events; i++) { /* up to 5 s for the connection */
		struct timespec t = { 0, 10 * 1000000L };

		if (loader_drain(l, 0) < 0)
			break;
		nanosleep(&t, NULL);
	}
	printf("events %u\n", s.events);
	loader_close(l);
	privdrop_free(&pd);
	return 0;
}
