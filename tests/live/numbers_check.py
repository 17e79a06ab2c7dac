#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks for tests/live/numbers.sh. Each subcommand prints its figures
on stdout, what differs on stderr, and exits 0 only when the check holds.

sockets SNAP.json SS.txt LO HI MIN
    every socket with a port in LO..HI: the same set of (state, local
    address, local port, peer address, peer port) in socktop's
    --snapshot --json as in ss -tanp, at least MIN of them.
owners SNAP.json SS.txt LO HI PID
    for the same sockets: the same holders (pid, comm, fd) in both, but
    for the explained cases, which are counted: TIME_WAIT and orphans
    (no holder in ss, none in socktop). PID (the test's holder) must
    hold at least one socket.
pstart SNAP.json PID TICKS HZ
    every holder entry of PID carries the process's start (pstart, ms of
    boot time) that /proc/PID/stat gives in clock ticks (TICKS at HZ).
transitions L.json D.json CONNS LISTENERS MISSES
    the states streams of a churn run (-L its ports: listeners and the
    accepted side; -D its ports: the connecting side) count exactly
    CONNS of each of the ten transitions of a normal close, and
    LISTENERS of CLOSE>LISTEN and LISTEN>CLOSE; nothing else. When not,
    says on stderr "within misses" if no count is over and the two
    streams together are short by no more than MISSES (runs the kernel
    skipped, summed over both).
"""
import collections
import ipaddress
import json
import re
import sys

SS_STATE = {"ESTAB": "ESTABLISHED", "LISTEN": "LISTEN", "CLOSE-WAIT": "CLOSE_WAIT",
            "TIME-WAIT": "TIME_WAIT", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV",
            "FIN-WAIT-1": "FIN_WAIT1", "FIN-WAIT-2": "FIN_WAIT2", "LAST-ACK": "LAST_ACK",
            "CLOSING": "CLOSING", "UNCONN": "CLOSE", "CLOSED": "CLOSE"}


def norm_addr(a, v6):
    if a == "*":
        return "::" if v6 else "0.0.0.0"
    return str(ipaddress.ip_address(a.split("%")[0]))


def split_ep(ep):
    addr, port = ep.rsplit(":", 1)
    v6 = addr.startswith("[")
    addr = addr.strip("[]")
    return addr, (0 if port == "*" else int(port)), v6


def ss_sockets(path):
    """{key: frozenset((pid, comm, fd))} from ss -tanp."""
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) < 5 or f[0] not in SS_STATE:
            continue
        la, lp, v6 = split_ep(f[3])
        ra, rp, _ = split_ep(f[4])
        key = (SS_STATE[f[0]], norm_addr(la, v6), lp, norm_addr(ra, v6), rp)
        users = frozenset((int(p), c, int(d)) for c, p, d in
                          re.findall(r'\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=(\d+)\)', line))
        if key in out:
            print("ss lists %s twice" % (key,), file=sys.stderr)
        out[key] = users
    return out


def snap_sockets(path):
    out = {}
    for line in open(path):
        if not line.startswith("{"):
            continue
        s = json.loads(line)
        key = (s["state"], norm_addr(s["laddr"], False), s["lport"],
               norm_addr(s["raddr"], False), s["rport"])
        users = frozenset((o["pid"], o["comm"], o["fd"]) for o in s["owners"])
        if key in out:
            print("socktop lists %s twice" % (key,), file=sys.stderr)
        out[key] = users
    return out


def mine(socks, lo, hi):
    return {k: v for k, v in socks.items() if lo <= k[2] <= hi or lo <= k[4] <= hi}


def cmd_sockets(a):
    lo, hi, least = int(a[2]), int(a[3]), int(a[4])
    st = mine(snap_sockets(a[0]), lo, hi)
    ss = mine(ss_sockets(a[1]), lo, hi)
    only_st, only_ss = set(st) - set(ss), set(ss) - set(st)
    by_state = collections.Counter(k[0] for k in st)
    print("sockets compared %d (socktop) %d (ss); by state: %s" %
          (len(st), len(ss), " ".join("%s=%d" % kv for kv in sorted(by_state.items()))))
    if only_st or only_ss:
        print("only in socktop (%d): %s" % (len(only_st), sorted(only_st)[:10]), file=sys.stderr)
        print("only in ss (%d): %s" % (len(only_ss), sorted(only_ss)[:10]), file=sys.stderr)
        sys.exit(1)
    if len(st) < least:
        print("only %d sockets, expected at least %d" % (len(st), least), file=sys.stderr)
        sys.exit(1)


def cmd_owners(a):
    lo, hi, pid = int(a[2]), int(a[3]), int(a[4])
    st = mine(snap_sockets(a[0]), lo, hi)
    ss = mine(ss_sockets(a[1]), lo, hi)
    same, bad = 0, []
    explained = collections.Counter()
    held_by_pid = 0
    for k in sorted(set(st) & set(ss)):
        if any(u[0] == pid for u in ss[k]):
            held_by_pid += 1
        if st[k] == ss[k]:
            if ss[k]:
                same += 1
            elif k[0] == "TIME_WAIT":
                explained["TIME_WAIT"] += 1
            else:
                explained["orphan " + k[0]] += 1
            continue
        bad.append((k, sorted(st[k]), sorted(ss[k])))
    print("owners equal %d; explained: %s" %
          (same, " ".join("%s=%d" % kv for kv in sorted(explained.items())) or "none"))
    if bad:
        for k, x, y in bad[:10]:
            print("%s: socktop %s ss %s" % (k, x, y), file=sys.stderr)
        print("%d sockets with other owners" % len(bad), file=sys.stderr)
        sys.exit(1)
    if not held_by_pid:
        print("ss shows no socket of pid %d" % pid, file=sys.stderr)
        sys.exit(1)


def cmd_pstart(a):
    pid, ticks, hz = int(a[1]), int(a[2]), int(a[3])
    want = ticks * 1000 // hz
    got = collections.Counter()
    for line in open(a[0]):
        if line.startswith("{"):
            for o in json.loads(line)["owners"]:
                if o["pid"] == pid:
                    got[o["pstart"]] += 1
    print("holder %d: pstart %s, /proc says %d ms" % (pid, dict(got), want))
    if not got or any(not 0 <= (p - want) % 2**32 <= 1000 // hz for p in got):
        sys.exit(1)


NORMAL = {  # the accepted (server) side, seen with -L
    "L": ["LISTEN>SYN_RECV", "SYN_RECV>ESTABLISHED", "ESTABLISHED>CLOSE_WAIT",
          "CLOSE_WAIT>LAST_ACK", "LAST_ACK>CLOSE"],
    # the connecting (client) side, seen with -D
    "D": ["CLOSE>SYN_SENT", "SYN_SENT>ESTABLISHED", "ESTABLISHED>FIN_WAIT1",
          "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>CLOSE"],
}


def count(path):
    c = collections.Counter()
    for line in open(path):
        if line.startswith("{"):
            e = json.loads(line)
            if e["ms"] < 0:
                c["negative ms"] += 1
            c["%s>%s" % (e["oldstate"], e["newstate"])] += 1
    return c


def cmd_transitions(a):
    conns, listeners, misses = int(a[2]), int(a[3]), int(a[4])
    ok, over, short = True, False, 0
    for side, path in (("L", a[0]), ("D", a[1])):
        want = collections.Counter({k: conns for k in NORMAL[side]})
        if side == "L":
            want["CLOSE>LISTEN"] = want["LISTEN>CLOSE"] = listeners
        got = count(path)
        print("-%s: %d transitions: %s" % (side, sum(got.values()),
                                           " ".join("%s=%d" % kv for kv in sorted(got.items()))))
        if got != want:
            ok = False
            diff = {k: (got[k], want[k]) for k in set(got) | set(want) if got[k] != want[k]}
            print("-%s: got != want for %s" % (side, diff), file=sys.stderr)
            over |= any(g > w for g, w in diff.values())
            short += sum(w - g for g, w in diff.values() if w > g)
    if not ok:
        if not over and short <= misses:
            print("within misses: %d transitions short, %d runs skipped" % (short, misses),
                  file=sys.stderr)
        sys.exit(1)


def main():
    {"sockets": cmd_sockets, "owners": cmd_owners, "pstart": cmd_pstart,
     "transitions": cmd_transitions}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
