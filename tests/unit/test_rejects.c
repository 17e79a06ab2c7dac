// SPDX-License-Identifier: GPL-2.0
/*
 * rejects: a kernel's refusal in a few words, from the verifier's log as
 * libbpf prints it (the lines below are what Linux 5.10 and 6.x said to
 * socktop's own programs), and the print function in force still gets
 * every message while the listener is in front of it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "rejects.h"

static void test_helper_unknown_to_kernel(void)
{
	rejects_reset();
	rejects_hear("libbpf: prog 'handle_set_state': -- BEGIN PROG LOAD LOG --\n"
		     "; task = bpf_get_current_task_btf();\n333: (85) call unknown#158\n"
		     "invalid func unknown#158\nverification time 12125 usec\n"
		     "-- END PROG LOAD LOG --\n");
	CHECK_STR(rejects_last(), "BPF helper #158 is newer than this kernel");
}

static void test_helper_not_for_this_type(void)
{
	rejects_reset();
	rejects_hear(
		"libbpf: prog 'bind4': -- BEGIN PROG LOAD LOG --\n59: (85) call "
		"bpf_getsockopt#57\nunknown func bpf_getsockopt#57\n-- END PROG LOAD LOG --\n");
	CHECK_STR(rejects_last(),
		  "bpf_getsockopt is not available to this program type in this kernel");
	rejects_reset();
	rejects_hear("x\nprogram of this type cannot use helper bpf_sk_storage_get#107\n");
	CHECK_STR(rejects_last(),
		  "bpf_sk_storage_get is not available to this program type in this kernel");
}

static void test_core_relocation(void)
{
	rejects_reset();
	rejects_hear("libbpf: prog 'snap_tcp': -- BEGIN PROG LOAD LOG --\n215: <invalid CO-RE "
		     "relocation>\nfailed to resolve CO-RE relocation <byte_off> [81] struct "
		     "sock.sk_cgrp_data.cgroup (0:97:0 @ offset 672)\n-- END PROG LOAD LOG --\n");
	CHECK_STR(rejects_last(), "this kernel has no struct sock.sk_cgrp_data.cgroup");
	rejects_reset();
	rejects_hear("libbpf: prog 'x': failed to find kernel BTF type ID of 'tcp_foo': -3\n");
	CHECK_STR(rejects_last(), "this kernel has no tcp_foo to attach to");
}

static void test_nothing_said(void)
{
	rejects_reset();
	rejects_hear("libbpf: map 'events': created successfully\n");
	CHECK_STR(rejects_last(), "");
}

static int heard;

static int count_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	heard++;
	return 0;
}

/* libbpf's own warning reaches the print function set before, and the
 * listener leaves when told, forgetting what it heard */
static void test_chains(void)
{
	libbpf_print_fn_t before = libbpf_set_print(count_print);
	struct bpf_object *obj;

	heard = 0;
	rejects_begin();
	obj = bpf_object__open_file("/nonexistent/socktop-test.bpf.o", NULL);
	CHECK(!obj);
	CHECK(heard > 0);
	rejects_hear("invalid func unknown#7\n");
	rejects_end();
	CHECK_STR(rejects_last(), "");
	CHECK(libbpf_set_print(before) == count_print);
}

int main(void)
{
	RUN(test_helper_unknown_to_kernel);
	RUN(test_helper_not_for_this_type);
	RUN(test_core_relocation);
	RUN(test_nothing_said);
	RUN(test_chains);
	CHECK_EXIT();
}
