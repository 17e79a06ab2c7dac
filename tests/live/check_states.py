#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check socktop --stream --json lines against what conn.py did.

usage: check_states.py EVENTS.json CONN.json [CONN.json ...]
Prints PASS/FAIL lines. Every expected transition of both ends must be
there with the right family, addresses and ports; transitions made in the
process's own context (connect, listen, close) must carry its pid and comm.
"""
import json
import sys

events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ok = True


def fail(msg):
    global ok
    ok = False
    print("  " + msg, file=sys.stderr)


def lifecycles(evs):
    """Split events per socket lifecycle: by skaddr, a new one at old state
    CLOSE, or at LISTEN>SYN_RECV (an accepted child is born as a listener clone)."""
    cur, out = {}, []
    for e in evs:
        birth = e["oldstate"] == "CLOSE" or (e["oldstate"], e["newstate"]) == ("LISTEN", "SYN_RECV")
        if birth or e["skaddr"] not in cur:
            cur[e["skaddr"]] = []
            out.append(cur[e["skaddr"]])
        cur[e["skaddr"]].append(e)
    return out


def find(lcs, lport, rport):
    hits = [lc for lc in lcs if any(e["lport"] == lport and e["rport"] == rport for e in lc)]
    return hits[0] if len(hits) == 1 else []


def seq(evs):
    return [(e["oldstate"], e["newstate"]) for e in evs]


for path in sys.argv[2:]:
    c = json.load(open(path))
    fam, addr, port, pid, comm = c["family"], c["addr"], c["port"], c["pid"], c["comm"]
    mine = [e for e in events if e["family"] == fam and (e["lport"] == port or e["rport"] == port)]
    # listener: CLOSE>LISTEN ... LISTEN>CLOSE, both by us
    lst = [e for e in mine if e["lport"] == port and e["rport"] == 0]
    if seq(lst) != [("CLOSE", "LISTEN"), ("LISTEN", "CLOSE")]:
        fail(f"{path}: listener transitions {seq(lst)}")
    for e in lst:
        if e["pid"] != pid or e["comm"] != comm or e["laddr"] != addr:
            fail(f"{path}: listener event {e}")
    for k in c["conns"]:
        cport = k["cport"]
        lcs = lifecycles(mine)
        cli = find(lcs, cport, port)
        srv = find(lcs, port, cport)
        if c["closer"] == "client":
            want_c = [("CLOSE", "SYN_SENT"), ("SYN_SENT", "ESTABLISHED"),
                      ("ESTABLISHED", "FIN_WAIT1"), ("FIN_WAIT1", "FIN_WAIT2"),
                      ("FIN_WAIT2", "CLOSE")]
            want_s = [("LISTEN", "SYN_RECV"), ("SYN_RECV", "ESTABLISHED"),
                      ("ESTABLISHED", "CLOSE_WAIT"), ("CLOSE_WAIT", "LAST_ACK"),
                      ("LAST_ACK", "CLOSE")]
            own_c = {("CLOSE", "SYN_SENT"), ("ESTABLISHED", "FIN_WAIT1")}
            own_s = {("CLOSE_WAIT", "LAST_ACK")}
        else:
            want_c = [("CLOSE", "SYN_SENT"), ("SYN_SENT", "ESTABLISHED"),
                      ("ESTABLISHED", "CLOSE_WAIT"), ("CLOSE_WAIT", "LAST_ACK"),
                      ("LAST_ACK", "CLOSE")]
            want_s = [("LISTEN", "SYN_RECV"), ("SYN_RECV", "ESTABLISHED"),
                      ("ESTABLISHED", "FIN_WAIT1"), ("FIN_WAIT1", "FIN_WAIT2"),
                      ("FIN_WAIT2", "CLOSE")]
            own_c = {("CLOSE", "SYN_SENT"), ("CLOSE_WAIT", "LAST_ACK")}
            own_s = {("ESTABLISHED", "FIN_WAIT1")}
        if seq(cli) != want_c:
            fail(f"{path}: client {cport} transitions {seq(cli)}")
        if seq(srv) != want_s:
            fail(f"{path}: server side of {cport} transitions {seq(srv)}")
        for side, evs, own in (("client", cli, own_c), ("server", srv, own_s)):
            for e in evs:
                if e["laddr"] != addr:
                    fail(f"{path}: {side} laddr {e['laddr']}")
                if e["raddr"] != addr:
                    fail(f"{path}: {side} raddr {e['raddr']}")
                if (e["oldstate"], e["newstate"]) in own and (e["pid"] != pid or e["comm"] != comm):
                    fail(f"{path}: {side} {e['oldstate']}>{e['newstate']} pid {e['pid']} comm {e['comm']}, want {pid} {comm}")
                if e["ms"] < 0:
                    fail(f"{path}: negative ms {e}")
            # the first transition of a lifecycle has no previous state time
            if evs and evs[0]["ms"] != 0:
                fail(f"{path}: {side} first ms {evs[0]['ms']} != 0")
sys.exit(0 if ok else 1)
