#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Holds thousands of loopback TCP sockets for tests/live/numbers.sh.

usage: numbers_hold.py BASE PAIRS

Listens on BASE..BASE+9 (127.0.0.1) and BASE+10 ([::1]), then makes:
  PAIRS established pairs (one in ten over IPv6), both ends held;
  20 pairs half-closed by the client (shutdown): client FIN_WAIT2 and
     server CLOSE_WAIT, both held;
  20 pairs the client closes and the server keeps: an orphan FIN_WAIT2
     (no holder) and a held CLOSE_WAIT;
  20 pairs closed client first, then server: client TIME_WAIT.
Prints "ready PID" and sleeps until killed. The file limit is raised
to fit. Ports stay in the listeners' range; clients take ephemeral ones.
"""
import os
import resource
import socket
import sys
import time

EXTRA = 20


def main():
    base, pairs = int(sys.argv[1]), int(sys.argv[2])
    need = 2 * (pairs + 3 * EXTRA) + 100
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(need, hard), max(need, hard)))
    listeners = []
    for i in range(10):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", base + i))
        s.listen(4096)
        listeners.append((s, ("127.0.0.1", base + i), socket.AF_INET))
    s6 = socket.socket(socket.AF_INET6)
    s6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s6.bind(("::1", base + 10))
    s6.listen(4096)
    listeners.append((s6, ("::1", base + 10), socket.AF_INET6))
    held = []
    n = 0

    def pair():
        nonlocal n
        ls, addr, fam = listeners[10] if n % 10 == 9 else listeners[n % 10]
        n += 1
        c = socket.socket(fam)
        c.connect(addr)
        a, _ = ls.accept()
        return c, a

    for _ in range(pairs):
        held.extend(pair())
    for _ in range(EXTRA):
        c, a = pair()
        c.shutdown(socket.SHUT_WR)
        held.extend((c, a))
    for _ in range(EXTRA):
        c, a = pair()
        c.close()
        held.append(a)
    tw = []
    for _ in range(EXTRA):
        c, a = pair()
        c.close()
        tw.append(a)
    time.sleep(0.2)  # the FINs reach the servers
    for a in tw:
        a.close()
    time.sleep(0.2)  # and the last ACKs the clients: TIME_WAIT
    print("ready", os.getpid(), flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
