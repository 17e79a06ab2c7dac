#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks for tests/live/owners.sh. Each subcommand exits 0 when the
check holds, else prints what differs on stderr and exits 1.

ss SNAP.json SS.txt PORT    every socket with PORT as local or remote port
                            has the same (state, lport, rport, {(pid, fd)})
                            in socktop's --snapshot --json as in ss -tanp
holder SNAP.json PORT PID COMM STATE...
                            a socket on local PORT in each STATE is held
                            by PID with comm COMM
accepted SNAP.json PORT PID the established socket on local PORT is owned
                            (primary and owners) by PID, not inherited
connect EV.json PID PORT RESULT
                            one connects-stream line for PID to PORT with
                            RESULT (and a latency) as its last line
procs PANE.txt SS.txt PID   the Processes pane row of PID has SOCKS, ESTAB,
                            CLOSE_W equal to ss -tanp's counts for PID
"""
import json
import re
import sys

SS_STATE = {"ESTAB": "ESTABLISHED", "LISTEN": "LISTEN", "CLOSE-WAIT": "CLOSE_WAIT",
            "TIME-WAIT": "TIME_WAIT", "SYN-SENT": "SYN_SENT", "SYN-RECV": "SYN_RECV",
            "FIN-WAIT-1": "FIN_WAIT1", "FIN-WAIT-2": "FIN_WAIT2", "LAST-ACK": "LAST_ACK",
            "CLOSING": "CLOSING", "CLOSED": "CLOSE"}


def port_of(ep):
    p = ep.rsplit(":", 1)[1]
    return 0 if p == "*" else int(p)


def ss_sockets(path):
    """(state, lport, rport, frozenset((pid, fd))) per ss -tanp line."""
    out = []
    for line in open(path, errors="surrogateescape"):
        f = line.split()
        if len(f) < 5 or f[0] not in SS_STATE:
            continue
        users = frozenset((int(p), int(d)) for p, d in
                          re.findall(r'pid=(\d+),fd=(\d+)', line))
        out.append((SS_STATE[f[0]], port_of(f[3]), port_of(f[4]), users))
    return out


def snap(path):
    return [json.loads(l) for l in open(path, errors="surrogateescape") if l.startswith("{")]


def snap_sockets(path):
    return [(s["state"], s["lport"], s["rport"],
             frozenset((o["pid"], o["fd"]) for o in s["owners"])) for s in snap(path)]


def fail(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)


def cmd_ss(a):
    port = int(a[2])
    mine = sorted(s for s in snap_sockets(a[0]) if port in (s[1], s[2]))
    theirs = sorted(s for s in ss_sockets(a[1]) if port in (s[1], s[2]))
    if not theirs or mine != theirs:
        fail("socktop: %s\nss:      %s" % (mine, theirs))


def cmd_holder(a):
    path, port, pid, comm, states = a[0], int(a[1]), int(a[2]), a[3], a[4:]
    socks = [s for s in snap(path) if s["lport"] == port]
    for st in states:
        ok = [s for s in socks if s["state"] == st and s["pid"] == pid and s["comm"] == comm
              and s["seen_at_start"] and any(o["pid"] == pid and o["fd"] >= 0
                                             for o in s["owners"])]
        if not ok:
            fail("no %s socket on %d held by %d/%s in %s" % (st, port, pid, comm, socks))


def cmd_accepted(a):
    path, port, pid = a[0], int(a[1]), int(a[2])
    est = [s for s in snap(path) if s["lport"] == port and s["state"] == "ESTABLISHED"]
    if len(est) != 1:
        fail("expected one accepted socket on %d: %s" % (port, est))
    s = est[0]
    if s["pid"] != pid or s["owner_from_listener"] or [o["pid"] for o in s["owners"]] != [pid]:
        fail("accepted socket not owned by the acceptor %d: %s" % (pid, s))


def cmd_connect(a):
    path, pid, port, result = a[0], int(a[1]), int(a[2]), a[3]
    lines = [json.loads(l) for l in open(path, errors="surrogateescape") if l.startswith("{")]
    # the attempt under test is the process's last one to that port
    mine = [e for e in lines if e["pid"] == pid and e["dport"] == port][-1:]
    if len(mine) != 1 or mine[0]["result"] != result or mine[0]["lat_ms"] < 0:
        fail("pid %d port %d: expected one %s line, got %s" % (pid, port, result, mine))
    if result == "ESTABLISHED" and not mine[0]["lat_ms"] > 0:
        fail("no handshake latency: %s" % mine)


def cmd_procs(a):
    pane, ss, pid = a[0], a[1], int(a[2])
    want = {"SOCKS": 0, "ESTAB": 0, "CLOSE_W": 0}
    for st, _, _, users in ss_sockets(ss):
        if any(p == pid for p, _ in users):
            want["SOCKS"] += 1
            if st == "ESTABLISHED":
                want["ESTAB"] += 1
            if st == "CLOSE_WAIT":
                want["CLOSE_W"] += 1
    if not want["SOCKS"]:
        fail("ss shows no socket of %d: nothing to compare" % pid)
    lines = open(pane, errors="surrogateescape").read().splitlines()
    head = next((l for l in lines if re.search(r"\bPID\b.*\bSOCKS", l)), None)
    row = next((l for l in lines if re.match(r"\s*%d\s" % pid, l)), None)
    if not head or not row:
        fail("no header or no row for %d in the pane:\n%s" % (pid, "\n".join(lines)))
    # numeric columns are right-aligned under their titles: the value ends
    # where its title ends (columns after them, as NETNS, may be empty)
    ends = {re.sub(r"[^A-Z_/]", "", m.group()): m.end() for m in re.finditer(r"\S+", head)}
    cells = {m.end(): m.group() for m in re.finditer(r"\S+", row)}
    got = {}
    for k in want:
        if k not in ends:
            fail("column %s not shown: %s" % (k, head))
        if ends[k] not in cells:
            fail("no value under %s in: %s" % (k, row))
        got[k] = int(cells[ends[k]])
    if got != want:
        fail("pane %s != ss %s" % (got, want))


def main():
    cmd = {"ss": cmd_ss, "holder": cmd_holder, "accepted": cmd_accepted,
           "connect": cmd_connect, "procs": cmd_procs}[sys.argv[1]]
    cmd(sys.argv[2:])


if __name__ == "__main__":
    main()
