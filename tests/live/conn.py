#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make real loopback TCP connections for the live tests and say what was
done, as JSON on stdout: our pid and comm, and each connection's ports.

usage: conn.py --family 4|6 --port P [--count N] [--comm NAME] [--closer client|server]
"""
import argparse
import ctypes
import json
import os
import socket
import time

ap = argparse.ArgumentParser()
ap.add_argument("--family", default="4", choices=["4", "6"])
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--count", type=int, default=1)
ap.add_argument("--comm", default="stlive")
ap.add_argument("--closer", default="client", choices=["client", "server"])
args = ap.parse_args()

libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(15, args.comm.encode()[:15], 0, 0, 0)  # PR_SET_NAME

fam = socket.AF_INET if args.family == "4" else socket.AF_INET6
addr = "127.0.0.1" if args.family == "4" else "::1"
srv = socket.socket(fam, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((addr, args.port))
srv.listen(16)
conns = []
for _ in range(args.count):
    c = socket.create_connection((addr, args.port))
    a, _ = srv.accept()
    conns.append({"cport": c.getsockname()[1]})
    time.sleep(0.01)
    first, second = (c, a) if args.closer == "client" else (a, c)
    first.close()
    time.sleep(0.02)
    second.close()
time.sleep(0.02)
srv.close()
time.sleep(0.1)  # let FIN_WAIT2 -> CLOSE and LAST_ACK -> CLOSE land
print(json.dumps({"pid": os.getpid(), "comm": args.comm, "addr": addr,
                  "family": int(args.family), "port": args.port,
                  "closer": args.closer, "conns": conns}))
