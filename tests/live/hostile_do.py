#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Two processes with hostile names and command lines, for the escaping
tests. Re-executes itself so that /proc/PID/cmdline holds terminal
escapes, then the parent (comm PARENT_COMM) listens on PORT_A and a forked
child (comm CHILD_COMM) on PORT_B; each connects to the other's listener
and accepts the other's connection; both hold everything HOLD seconds (or
until SIGTERM), then close and exit. Prints "ready PARENT_PID CHILD_PID"
once all four connections are up, "done" at the end.

usage: hostile_do.py PORT_A PORT_B HOLD
"""
import ctypes
import os
import signal
import socket
import sys
import time

# OSC 0 (set the title) ended by BEL, then CSI 2J (clear the screen)
PARENT_COMM = b'\x1b]0;pwned\x07\x1b[2J'
# raw C1 CSI, a CSV comma and quote, a newline, UTF-8 C1 CSI, RLO
CHILD_COMM = b'\x9b,"\n\xc2\x9b\xe2\x80\xaes'
ARGV0 = b'hostile\x1b]0;pwned\x07'
ARG1 = b'\x1b[2J\x9b,"\xe2\x80\xae'

if len(sys.argv) != 6 or sys.argv[1] != 'go':
    os.execv(sys.executable or '/usr/bin/python3',
             [ARGV0, os.path.abspath(__file__).encode(), b'go'] +
             [a.encode() for a in sys.argv[1:4]] + [ARG1])
port_a, port_b, hold = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
libc = ctypes.CDLL(None, use_errno=True)


def name(comm):
    libc.prctl(15, comm, 0, 0, 0)  # PR_SET_NAME


def listener(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('127.0.0.1', port))
    s.listen(8)
    return s


stop = False


def on_term(sig, frame):
    global stop
    stop = True


signal.signal(signal.SIGTERM, on_term)
name(PARENT_COMM)
srv = listener(port_a)
r, w = os.pipe()
child = os.fork()
if child == 0:
    os.close(r)
    name(CHILD_COMM)
    srv.close()
    mine = listener(port_b)
    os.write(w, b'x')
    c = socket.create_connection(('127.0.0.1', port_a))
    a, _ = mine.accept()
    os.write(w, b'y')
else:
    os.close(w)
    assert os.read(r, 1) == b'x'
    c = socket.create_connection(('127.0.0.1', port_b))
    a, _ = srv.accept()
    assert os.read(r, 1) == b'y'
    print('ready', os.getpid(), child, flush=True)
end = time.monotonic() + hold
while not stop and time.monotonic() < end:
    time.sleep(0.05)
c.close()
time.sleep(0.05)
a.close()
time.sleep(0.1)  # FIN_WAIT2 -> CLOSE, LAST_ACK -> CLOSE
if child == 0:
    os._exit(0)
os.kill(child, signal.SIGTERM)
os.waitpid(child, 0)
srv.close()
print('done', flush=True)
