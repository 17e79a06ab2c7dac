#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Two threads whose ids share a connects slot (tid % 16384, THREAD_SLOTS
# in bpf/common.bpf.h) inside connect() at the same time. Thread A's
# blocking connect waits in SYN_SENT (a listener with a full accept queue
# drops its SYNs); thread B, found by starting threads until one gets an
# id in A's slot, connects the same way meanwhile (SO_SNDTIMEO ends its
# wait after a second); then A's connect is ended by shutdown(). Prints
# "tids A B LPORT_A LPORT_B", or "nocollision N" when N threads brought
# no such id (ids are the host's: other processes take some).
import socket, struct, sys, threading, time

SLOTS = 16384
port = int(sys.argv[1])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(0)
first = socket.create_connection(("127.0.0.1", port))
time.sleep(0.3)  # the first takes the only queue slot: later SYNs are dropped


def stuck_connect(secs, out):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", secs, 0))
    out["sock"] = s
    out["tid"] = threading.get_native_id()
    try:
        s.connect(("127.0.0.1", port))  # blocking: waits inside the syscall
    except OSError as e:
        out["err"] = e.errno
    out["lport"] = s.getsockname()[1]


def next_id():
    got = []
    t = threading.Thread(target=lambda: got.append(threading.get_native_id()))
    t.start()
    t.join()
    return got[0]


a = {}
ta = threading.Thread(target=stuck_connect, args=(60, a))
ta.start()
while "tid" not in a:
    time.sleep(0.001)
time.sleep(0.3)  # A is inside connect(), its SYN sent
want = a["tid"] % SLOTS
tries = 0
b = {}
while tries < 300000:
    tid = next_id()
    tries += 1
    if tid % SLOTS != (want - 1) % SLOTS:
        continue
    # the id the kernel hands out next is likely in A's slot
    b = {}
    tb = threading.Thread(target=stuck_connect, args=(1, b))
    tb.start()
    tb.join()
    if b["tid"] % SLOTS == want and b["tid"] != a["tid"]:
        break
else:
    print("nocollision", tries, flush=True)
    a["sock"].shutdown(socket.SHUT_RDWR)
    sys.exit(0)
a["sock"].shutdown(socket.SHUT_RDWR)  # ends A's wait: its attempt aborted
ta.join()
print("tids", a["tid"], b["tid"], a["lport"], b["lport"], flush=True)
b["sock"].close()
a["sock"].close()
time.sleep(0.5)
