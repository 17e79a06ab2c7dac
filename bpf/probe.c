// SPDX-License-Identifier: GPL-2.0
/* Feature probes with reasons. */
#include "probe.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <mntent.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * What the start needs, measured on Linux 6.x: CAP_BPF for maps and
 * programs, CAP_PERFMON for tracepoint and iterator programs (or
 * CAP_SYS_ADMIN for both), CAP_NET_ADMIN for the cgroup bind/connect
 * hooks (optional: the binds feature goes off without it), and, for a
 * uid other than 0, CAP_DAC_READ_SEARCH to read tracefs, which is root's
 * (0700). CAP_SYS_RESOURCE is not needed: since 5.11 BPF memory is
 * charged to the memory cgroup, not RLIMIT_MEMLOCK.
 */
static bool cap_in(const struct __user_cap_data_struct d[2], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

int probe_caps(bool tracefs, char *err, size_t errsz)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	bool admin, tracefs_denied;
	char missing[96] = "";
	struct stat st;

	if (syscall(SYS_capget, &hdr, d)) {
		if (geteuid() == 0)
			return 0;
		memset(d, 0, sizeof(d)); /* cannot tell: name them all */
	}
	admin = cap_in(d, CAP_SYS_ADMIN);
	if (!admin && !cap_in(d, CAP_BPF))
		strcat(missing, ", CAP_BPF");
	if (!admin && !cap_in(d, CAP_PERFMON))
		strcat(missing, ", CAP_PERFMON");
	tracefs_denied = tracefs && stat("/sys/kernel/tracing/events", &st) && errno == EACCES &&
			 stat("/sys/kernel/debug/tracing/events", &st);
	if (tracefs_denied && !cap_in(d, CAP_DAC_READ_SEARCH) && !cap_in(d, CAP_DAC_OVERRIDE))
		strcat(missing, ", CAP_DAC_READ_SEARCH");
	if (!missing[0])
		return 0;
	snprintf(err, errsz,
		 "missing %s: socktop needs CAP_BPF and CAP_PERFMON to load its "
		 "eBPF programs (CAP_DAC_READ_SEARCH too when not root, CAP_NET_ADMIN for bind "
		 "events): run it with sudo, or read a recording with --replay FILE",
		 missing + 2);
	return -EPERM;
}

static const char *tracefs_dir(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	struct stat st;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < 2; i++) {
			char p[64];

			snprintf(p, sizeof(p), "%s/events", dirs[i]);
			if (!stat(p, &st))
				return dirs[i];
		}
		/* not mounted yet: mount it where the kernel expects it */
		if (pass == 0 && mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL))
			break;
	}
	return NULL;
}

bool probe_tracepoint(const char *group, const char *name)
{
	const char *dir = tracefs_dir();
	char p[256];
	struct stat st;

	if (!dir)
		return false;
	snprintf(p, sizeof(p), "%s/events/%s/%s/id", dir, group, name);
	return !stat(p, &st);
}

const char *probe_cgroup2_root(char *buf, size_t bufsz)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;
	const char *res = NULL;

	if (!f)
		return NULL;
	while ((m = getmntent(f))) {
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(buf, bufsz, "%s", m->mnt_dir);
			res = buf;
			break;
		}
	}
	endmntent(f);
	return res;
}

const char *probe_lockdown(void)
{
	static const char *const modes[] = { "integrity", "confidentiality" };
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");

	if (!f)
		return "none";
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	/* "none integrity [confidentiality]": the bracketed one is in force */
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char want[32];

		snprintf(want, sizeof(want), "[%s]", modes[i]);
		if (strstr(buf, want))
			return modes[i];
	}
	return "none";
}

int probe_basics(char *err, size_t errsz)
{
	struct stat st;

	if (probe_caps(true, err, errsz))
		return -1;
	if (stat("/sys/kernel/btf/vmlinux", &st)) {
		snprintf(err, errsz,
			 "this kernel has no BTF (/sys/kernel/btf/vmlinux): socktop's "
			 "CO-RE programs need CONFIG_DEBUG_INFO_BTF=y; use --replay FILE to read "
			 "a recording");
		return -1;
	}
	if (!tracefs_dir()) {
		snprintf(err, errsz,
			 "tracefs is not mounted and could not be mounted: run "
			 "'mount -t tracefs nodev /sys/kernel/tracing'");
		return -1;
	}
	if (!probe_tracepoint("sock", "inet_sock_set_state")) {
		snprintf(err, errsz,
			 "the tracepoint sock/inet_sock_set_state is missing "
			 "(needs Linux 4.16 or later)");
		return -1;
	}
	return 0;
}

/* One instruction of a probe program */
static struct bpf_insn insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	return (struct bpf_insn){
		.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm
	};
}

bool probe_bind_getsockopt(void)
{
	/* r6 = ctx; *(u32 *)(fp - 4) = 0;
	 * getsockopt(ctx, SOL_SOCKET, SO_REUSEADDR, fp - 4, 4); return 1 */
	const struct bpf_insn prog[] = {
		insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0),
		insn(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, -4, 0),
		insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_6, 0, 0),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, 1 /* SOL_SOCKET */),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, 2 /* SO_REUSEADDR */),
		insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_4, BPF_REG_10, 0, 0),
		insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_4, 0, 0, -4),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_5, 0, 0, 4),
		insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_getsockopt),
		insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1),
		insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_CGROUP_INET4_BIND);
	int fd = bpf_prog_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "bind_getsockopt", "GPL", prog,
			       sizeof(prog) / sizeof(prog[0]), &opts);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

bool probe_rdonly_cast(void)
{
	/* the kernel's BTF, where libbpf resolves the weak kfunc too: the
	 * knob and the call agree. Asked once; the answer does not change */
	static int known = -1;
	struct btf *vmlinux;

	if (known < 0) {
		vmlinux = btf__load_vmlinux_btf();
		known = vmlinux &&
			btf__find_by_name_kind(vmlinux, "bpf_rdonly_cast", BTF_KIND_FUNC) > 0;
		btf__free(vmlinux);
	}
	return known;
}
