#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Holds one loopback connect in SYN_SENT: a listener with a full accept
# queue (backlog 0, one connection never accepted) drops further SYNs, so
# a non-blocking connect() to it keeps retransmitting. Prints
# "ready LPORT PID" with the stuck socket's local port, then waits.
import socket, sys, time

port = int(sys.argv[1])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(0)
first = socket.create_connection(("127.0.0.1", port))
time.sleep(0.3)  # let the first take the only queue slot
stuck = socket.socket()
stuck.setblocking(False)
try:
    stuck.connect(("127.0.0.1", port))
except BlockingIOError:
    pass
print("ready", stuck.getsockname()[1], flush=True)
time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 60)
