#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What the calling user can do to process PID: PTRACE_ATTACH it, open
/proc/PID/mem, read /proc/PID/environ. One "name ok|errno-name" line each.

usage: ptrace_try.py PID
"""
import ctypes
import errno
import os
import sys

PTRACE_ATTACH, PTRACE_DETACH = 16, 17
pid = int(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]


def result(name, err):
    print(f"{name} {'ok' if err == 0 else errno.errorcode.get(err, str(err))}")


if libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0:
    os.waitpid(pid, 0)
    libc.ptrace(PTRACE_DETACH, pid, None, None)
    result("attach", 0)
else:
    result("attach", ctypes.get_errno())
for name in ("mem", "environ"):
    try:
        with open(f"/proc/{pid}/{name}", "rb") as f:
            if name == "environ":
                f.read(64)
        result(name, 0)
    except OSError as e:
        result(name, e.errno)
