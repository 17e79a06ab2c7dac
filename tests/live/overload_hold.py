#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hold loopback connections for the overload test, in two steps, so that
socktop can miss some of their events while it is stopped.

usage: overload_hold.py PORT1 PORT2 N
  start:   listen on PORT1, N connections to it (server sides ESTABLISHED);
           prints "ready1"
  SIGUSR1: the clients of the first N/2 close (their server sides go to
           CLOSE_WAIT), then listen on PORT2 with N connections; "ready2"
  SIGTERM: the clients close first (no TIME_WAIT on the server ports), exit.
Transitions on the server ports (the ones socktop -L sees): 1 + 2N at
start, N/2 + 1 + 2N at SIGUSR1.
"""
import signal
import socket
import sys
import time

port1, port2, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
step = []
held = []


def finish(*_):
    for srv, pairs in held:
        for c, _ in pairs:
            c.close()
    time.sleep(0.1)
    sys.exit(0)


signal.signal(signal.SIGUSR1, lambda *_: step.append(1))
signal.signal(signal.SIGTERM, finish)


def listen_and_connect(port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(64)
    pairs = []
    for _ in range(n):
        c = socket.create_connection(("127.0.0.1", port))
        a, _ = srv.accept()
        pairs.append((c, a))
    return srv, pairs


held.append(listen_and_connect(port1))
print("ready1", flush=True)
while not step:
    time.sleep(0.05)
for c, _ in held[0][1][: n // 2]:
    c.close()
held.append(listen_and_connect(port2))
print("ready2", flush=True)
while True:
    time.sleep(1)
