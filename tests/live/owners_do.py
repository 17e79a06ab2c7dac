#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Socket holders and clients for tests/live/owners.sh (stdlib only).

hold PORT         listener on PORT, two connections to itself (both ends
                  held), then the client of the second closes: this
                  process holds LISTEN, ESTABLISHED x3 and CLOSE_WAIT x1.
prefork PORT      a listener shared by this process and a forked child;
                  the child accepts one connection when signalled (SIGUSR1),
                  the parent connects to it.
connect PORT      one connect to 127.0.0.1:PORT, prints {"pid", "errno"}.
waitconnect PORT  prints "ready PID", connects as above on SIGUSR1.
syncnt PORT       fills PORT's accept queue (listen(0), never accepts), then
                  connects again with TCP_SYNCNT=1: times out in ~3 s.
unreach           connect to a multicast address: fails before any SYN.
Each long-running mode prints "ready PID [PID]" and waits for SIGTERM.
"""
import json
import os
import signal
import socket
import sys
import time


def setcomm(name):
    try:
        with open("/proc/self/comm", "w") as f:
            f.write(name)
    except OSError:
        pass


def listener(port, backlog=16):
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind(("127.0.0.1", port))
    l.listen(backlog)
    return l


def wait_forever():
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    while True:
        time.sleep(1)


def hold(port):
    setcomm("ownhold")
    l = listener(port)
    c1 = socket.create_connection(("127.0.0.1", port))
    a1, _ = l.accept()
    c2 = socket.create_connection(("127.0.0.1", port))
    a2, _ = l.accept()
    c2.close()  # a2 -> CLOSE_WAIT, held by us
    time.sleep(0.2)
    print("ready", os.getpid(), flush=True)
    keep = (l, c1, a1, a2)
    wait_forever()
    return keep


def prefork(port):
    setcomm("ownpre")
    l = listener(port)
    r, w = os.pipe()
    child = os.fork()
    if child == 0:
        setcomm("ownchild")
        go = []
        signal.signal(signal.SIGUSR1, lambda *a: go.append(1))
        os.write(w, b"x")
        while not go:
            time.sleep(0.05)
        a, _ = l.accept()
        keep = a
        wait_forever()
        return keep
    os.read(r, 1)
    print("ready", os.getpid(), child, flush=True)
    # connect when told (SIGUSR2), after socktop has started
    go = []
    signal.signal(signal.SIGUSR2, lambda *a: go.append(1))
    signal.signal(signal.SIGTERM, lambda *a: (os.kill(child, signal.SIGTERM), sys.exit(0)))
    while not go:
        time.sleep(0.05)
    c = socket.create_connection(("127.0.0.1", port))
    os.kill(child, signal.SIGUSR1)
    keep = (l, c)
    while True:
        time.sleep(1)
    return keep


def connect(port):
    setcomm("ownconn")
    s = socket.socket()
    err = 0
    try:
        s.connect(("127.0.0.1", port))
    except OSError as e:
        err = e.errno
    print(json.dumps({"pid": os.getpid(), "errno": err}), flush=True)


def connect_on_signal(port):
    """ready PID, then one connect once SIGUSR1 arrives"""
    go = []
    signal.signal(signal.SIGUSR1, lambda *a: go.append(1))
    print("ready", os.getpid(), flush=True)
    t = time.time()
    while not go and time.time() - t < 20:
        time.sleep(0.02)
    connect(port)


def syncnt(port):
    setcomm("ownsyn")
    l = listener(port, 0)
    # listen(0) queues one connection; the next SYN is dropped
    filler = socket.create_connection(("127.0.0.1", port), timeout=5)
    s = socket.socket()
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, 1)
    err = 0
    try:
        s.connect(("127.0.0.1", port))
    except OSError as e:
        err = e.errno
    print(json.dumps({"pid": os.getpid(), "errno": err}), flush=True)
    return (l, filler)


def unreach():
    setcomm("ownunr")
    s = socket.socket()
    err = 0
    try:
        s.connect(("224.0.0.1", 42199))
    except OSError as e:
        err = e.errno
    print(json.dumps({"pid": os.getpid(), "errno": err}), flush=True)


def main():
    mode = sys.argv[1]
    if mode == "hold":
        hold(int(sys.argv[2]))
    elif mode == "prefork":
        prefork(int(sys.argv[2]))
    elif mode == "connect":
        connect(int(sys.argv[2]))
    elif mode == "waitconnect":
        connect_on_signal(int(sys.argv[2]))
    elif mode == "syncnt":
        syncnt(int(sys.argv[2]))
    elif mode == "unreach":
        unreach()
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
