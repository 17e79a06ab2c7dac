// SPDX-License-Identifier: GPL-2.0
/*
 * Test tool: someone else's cgroup program. Attaches a cgroup/bind4
 * program that refuses binds to one port (the bind fails with EPERM) to a
 * cgroup with the legacy BPF_F_ALLOW_MULTI attach, as other tools do, then
 * waits for SIGTERM or SIGINT. Before detaching it says whether its program
 * was still attached, so a test can show socktop displaced nothing.
 *
 * usage: bind_deny CGROUP_DIR PORT
 * prints "attached ID", then at the signal "still attached ID yes|no".
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
						  .off = (o), .imm = (i) })

static int load_prog(uint16_t port)
{
	struct bpf_insn insns[] = {
		/* r0 = ctx->user_port (network order, low 16 bits) */
		INSN(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_0, BPF_REG_1,
		     offsetof(struct bpf_sock_addr, user_port), 0),
		INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 2, htons(port)),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1), /* allow */
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0), /* refuse */
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_CGROUP_INET4_BIND);

	return bpf_prog_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "bind_deny", "GPL", insns,
			     sizeof(insns) / sizeof(insns[0]), &opts);
}

static int prog_id(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? -1 : (int)info.id;
}

static int still_attached(int cg, int id)
{
	__u32 ids[64], n = 64, flags = 0;

	if (bpf_prog_query(cg, BPF_CGROUP_INET4_BIND, 0, &flags, ids, &n))
		return 0;
	for (__u32 i = 0; i < n; i++)
		if ((int)ids[i] == id)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	sigset_t set;
	int cg, prog, id, sig;

	if (argc != 3) {
		fprintf(stderr, "usage: bind_deny CGROUP_DIR PORT\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	cg = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (cg < 0) {
		perror(argv[1]);
		return 1;
	}
	prog = load_prog((uint16_t)atoi(argv[2]));
	if (prog < 0) {
		fprintf(stderr, "bind_deny: load: %s\n", strerror(-prog));
		return 1;
	}
	id = prog_id(prog);
	if (bpf_prog_attach(prog, cg, BPF_CGROUP_INET4_BIND, BPF_F_ALLOW_MULTI)) {
		fprintf(stderr, "bind_deny: attach: %s\n", strerror(errno));
		return 1;
	}
	printf("attached %d\n", id);
	fflush(stdout);
	if (sigwait(&set, &sig))
		return 1;
	printf("still attached %d %s\n", id, still_attached(cg, id) ? "yes" : "no");
	fflush(stdout);
	if (bpf_prog_detach2(prog, cg, BPF_CGROUP_INET4_BIND))
		fprintf(stderr, "bind_deny: detach: %s\n", strerror(errno));
	close(prog);
	close(cg);
	return 0;
}
