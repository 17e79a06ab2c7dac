// SPDX-License-Identifier: GPL-2.0
/* Container names from the cgroup paths the runtimes make. */
#include "check.h"
#include "container.h"

static const char *of(const char *path)
{
	static char out[CONTAINER_NAME_MAX];

	return container_of_cgroup(path, out, sizeof(out));
}

#define ID "4f1c2b8a9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a"

static void test_runtimes(void)
{
	CHECK_STR(of("/system.slice/docker-" ID ".scope"), "docker:4f1c2b8a9d0e");
	CHECK_STR(of("/docker/" ID), "docker:4f1c2b8a9d0e");
	CHECK_STR(of("/kubepods.slice/kubepods-burstable.slice/"
		     "kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/"
		     "cri-containerd-" ID ".scope"),
		  "k8s:pod1a2b3c4d/4f1c2b8a9d0e");
	CHECK_STR(of("/kubepods/besteffort/pod1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d/" ID),
		  "k8s:pod1a2b3c4d/4f1c2b8a9d0e");
	CHECK_STR(of("/kubepods.slice/kubepods-pod99887766_aaaa.slice/crio-" ID ".scope"),
		  "k8s:pod99887766/4f1c2b8a9d0e");
	CHECK_STR(of("/kubepods.slice/kubepods-pod99887766_aaaa.slice"), "k8s:pod99887766");
	CHECK_STR(of("/machine.slice/libpod-" ID ".scope/container"), "podman:4f1c2b8a9d0e");
	CHECK_STR(
		of("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope"),
		"podman:4f1c2b8a9d0e");
	CHECK_STR(of("/machine.slice/libpod-conmon-" ID ".scope"), "");
	CHECK_STR(of("/machine.slice/systemd-nspawn@web.service/payload"), "nspawn:web");
	CHECK_STR(of("/machine.slice/machine-my\\x2dbox.scope"), "nspawn:my-box");
	CHECK_STR(of("/lxc.payload.c1/init.scope"), "lxc:c1");
}

static void test_fallbacks(void)
{
	CHECK_STR(of("/system.slice/nginx.service"), "nginx.service");
	CHECK_STR(of("/system.slice/system-getty.slice/getty\\x2dx.service"), "getty-x.service");
	CHECK_STR(of("/user.slice/user-1000.slice/session-3.scope"), "");
	CHECK_STR(of("/"), "");
	CHECK_STR(of(""), "");
	CHECK_STR(of(NULL), "");
	/* look-alikes are not containers */
	CHECK_STR(of("/system.slice/docker-notanid.scope"), "");
	CHECK_STR(of("/docker/short"), "");
	CHECK_STR(of("/mypod123.slice"), "");
	/* a name is cut to the buffer, never past it */
	char small[8];
	CHECK_STR(container_of_cgroup("/system.slice/docker-" ID ".scope", small, sizeof(small)),
		  "docker:");
}

int main(void)
{
	RUN(test_runtimes);
	RUN(test_fallbacks);
	CHECK_EXIT();
}
