#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks for tests/live/netns.sh. Each exits 0 when the check holds, else
prints what differs on stderr and exits 1.

ss SNAP.json SS.txt PORT INODE [NAME]
        the sockets of namespace INODE with PORT as local or remote port
        are the same (state, laddr, lport, raddr, rport, {(pid, fd)}) in
        socktop's --snapshot --json as in ss -tanp run inside it, at
        least one; each names the namespace NAME ("" for none)
none SNAP.json INODE PORT
        no socket of namespace INODE on PORT is listed (inodes are reused:
        another namespace may carry it by now)
text SNAP.txt PORT NAME...
        the text snapshot has a LISTEN line on PORT for each NAME in its
        NETNS column
"""
import json
import re
import sys

SS_STATE = {"ESTAB": "ESTABLISHED", "LISTEN": "LISTEN", "CLOSE-WAIT": "CLOSE_WAIT",
            "TIME-WAIT": "TIME_WAIT", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV",
            "FIN-WAIT-1": "FIN_WAIT1", "FIN-WAIT-2": "FIN_WAIT2", "LAST-ACK": "LAST_ACK",
            "CLOSING": "CLOSING", "CLOSED": "CLOSE"}


def split_ep(ep):
    addr, port = ep.rsplit(":", 1)
    return addr.strip("[]"), 0 if port == "*" else int(port)


def ss_sockets(path, port):
    out = []
    for line in open(path, errors="surrogateescape"):
        f = line.split()
        if len(f) < 5 or f[0] not in SS_STATE:
            continue
        la, lp = split_ep(f[3])
        ra, rp = split_ep(f[4])
        if port not in (lp, rp):
            continue
        if ra == "*" or ra == "0.0.0.0":
            ra = "0.0.0.0"
        users = frozenset((int(p), int(d)) for p, d in re.findall(r'pid=(\d+),fd=(\d+)', line))
        out.append((SS_STATE[f[0]], la, lp, ra, rp, users))
    return sorted(out)


def snap(path):
    return [json.loads(l) for l in open(path, errors="surrogateescape") if l.startswith("{")]


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def cmd_ss(a):
    path, ss, port, ino = a[0], a[1], int(a[2]), int(a[3])
    name = a[4] if len(a) > 4 else ""
    rows = [s for s in snap(path) if s["netns"] == ino and port in (s["lport"], s["rport"])]
    mine = sorted((s["state"], s["laddr"], s["lport"], s["raddr"], s["rport"],
                   frozenset((o["pid"], o["fd"]) for o in s["owners"])) for s in rows)
    theirs = ss_sockets(ss, port)
    if not theirs or mine != theirs:
        fail("netns %d:\nsocktop: %s\nss:      %s" % (ino, mine, theirs))
    bad = [s for s in rows if s["netns_name"] != name]
    if bad:
        fail("netns %d: names %s, want %r" % (ino, sorted({s["netns_name"] for s in bad}), name))


def cmd_none(a):
    ino, port = int(a[1]), int(a[2])
    left = [s for s in snap(a[0]) if s["netns"] == ino and port in (s["lport"], s["rport"])]
    if left:
        fail("netns %d still listed: %s" % (ino, left[:5]))


def cmd_text(a):
    port, names = int(a[1]), a[2:]
    lines = [l.split() for l in open(a[0], errors="surrogateescape")]
    head = lines[0] if lines else []
    if head[:5] != ["STATE", "LOCAL", "PEER", "NETNS", "PROCESS"]:
        fail("header %s" % head)
    for n in names:
        if not any(f[0] == "LISTEN" and f[1].endswith(":%d" % port) and f[3] == n
                   and "nshold" in " ".join(f[4:]) for f in lines[1:] if len(f) >= 5):
            fail("no LISTEN on %d in %s (owned by nshold)" % (port, n))


if __name__ == "__main__":
    {"ss": cmd_ss, "none": cmd_none, "text": cmd_text}[sys.argv[1]](sys.argv[2:])
