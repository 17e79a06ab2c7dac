#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Socket holder for tests/live/netns.sh (stdlib only), run inside a
network namespace (ip netns exec) or on the host.

hold PORT N   listener on 127.0.0.1:PORT with N connections to itself
              (both ends held); prints "ready PID". SIGUSR1: the clients
              of the first half close (their ends go to TIME_WAIT, the
              accepted ends are closed after them). SIGTERM ends it.
"""
import os
import signal
import socket
import sys
import time


def main():
    port, n = int(sys.argv[2]), int(sys.argv[3])
    try:
        with open("/proc/self/comm", "w") as f:
            f.write("nshold")
    except OSError:
        pass
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("127.0.0.1", port))
    l.listen(64)
    pairs = []
    for _ in range(n):
        c = socket.create_connection(("127.0.0.1", port))
        s, _ = l.accept()
        pairs.append((c, s))

    def close_half(*_):
        for c, s in pairs[:n // 2]:
            c.close()  # the active closer: TIME_WAIT
        time.sleep(0.2)
        for c, s in pairs[:n // 2]:
            s.close()
        del pairs[:n // 2]
        print("closed", flush=True)

    signal.signal(signal.SIGUSR1, close_half)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    print("ready", os.getpid(), flush=True)
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
