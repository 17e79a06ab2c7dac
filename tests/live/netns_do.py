#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Socket holder for tests/live/netns.sh (stdlib only), run inside a
network namespace (ip netns exec) or on the host.

hold PORT N   listener on 127.0.0.1:PORT with N connections to itself
              (both ends held); prints "ready PID". SIGUSR1: the first
              half close, client end first (it goes to TIME_WAIT), then
              the accepted end. SIGTERM ends it.
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
        # both ends at once: a client end left alone in FIN_WAIT2 becomes a
        # timewait sock of that substate, which a resync would count
        for c, s in pairs[:n // 2]:
            c.close()  # the active closer: TIME_WAIT
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
