#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one guest's smoke-suite results (tests/kernels/init wrote them):
print PASS/FAIL lines, one per check, and write the kernel's matrix row
(JSON) for matrix.py.

A hook the kernel cannot take may be off, but only as socktop says so: the
UI names it (header and exit messages, with the reason) and the stream
that prints it exits 1 with that reason. The states hook is never
optional. Every stream that runs must show the connections the guest
made, field by field; the recording must replay on the host to the very
lines the guest printed.
"""
import argparse
import json
import os
import re
import subprocess
import sys

FEATURES = ["states", "connects", "binds", "iters", "cgroup", "traffic"]

ap = argparse.ArgumentParser()
ap.add_argument("--name", required=True)
ap.add_argument("--dir", required=True)
ap.add_argument("--socktop", required=True)
ap.add_argument("--version", default="")
ap.add_argument("--seconds", type=int, default=0)
ap.add_argument("--row", required=True)
args = ap.parse_args()
T = "kernels-" + args.name
failed = 0


def read(name, default=""):
    try:
        with open(os.path.join(args.dir, name), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return default


def rc(name):
    try:
        return int(read(name + ".rc", "-1").strip() or -1)
    except ValueError:
        return -1


def jsonl(name):
    out = []
    for line in read(name + ".out").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def result(test, ok, detail=""):
    global failed
    if not ok:
        failed += 1
    print(("PASS " if ok else "FAIL ") + T + "-" + test + (": " + detail if detail else ""))


def exit_text(code):
    if code > 128:
        return "killed by signal %d" % (code - 128)
    return "exit %d" % code


def first_err(name):
    lines = [l for l in read(name + ".err").splitlines() if l.strip()]
    return (lines[0] if lines else "(no message)")[:300]


release = read("uname").strip()
# what the UI said at exit: "socktop: feature NAME off: REASON"
off = {}
for line in read("ui.err").splitlines():
    m = re.match(r"socktop: feature (\w+) off: (.*)", line)
    if m:
        off[m.group(1)] = m.group(2)
matrix = {f: {"on": f not in off, "why": off.get(f, "")} for f in FEATURES}

result("boot", bool(release), "Linux %s, %d s" % (release, args.seconds) if release else "no uname")


def transitions(evs, port, family):
    return {(e["oldstate"], e["newstate"]) for e in evs
            if e.get("family") == family and port in (e.get("lport"), e.get("rport"))}


# states: both sides of every connection, v4 and v6, from kload's pid
def check_states():
    code = rc("states")
    if code != 0:
        return False, "%s: %s" % (exit_text(code), first_err("states"))
    evs = jsonl("states")
    need = {("CLOSE", "LISTEN"), ("CLOSE", "SYN_SENT"), ("SYN_SENT", "ESTABLISHED"),
            ("LISTEN", "SYN_RECV"), ("SYN_RECV", "ESTABLISHED"), ("ESTABLISHED", "FIN_WAIT1"),
            ("FIN_WAIT1", "FIN_WAIT2"), ("FIN_WAIT2", "CLOSE"), ("ESTABLISHED", "CLOSE_WAIT"),
            ("CLOSE_WAIT", "LAST_ACK"), ("LAST_ACK", "CLOSE"), ("LISTEN", "CLOSE")}
    for port, fam in ((7001, 4), (7002, 6)):
        missing = need - transitions(evs, port, fam)
        if missing:
            return False, "port %d IPv%d: no %s" % (port, fam, ", ".join(
                "%s->%s" % t for t in sorted(missing)))
    if not any(e["comm"] == "kload" and e["lport"] == 7001 and e["newstate"] == "LISTEN" for e in evs):
        return False, "the LISTEN of 7001 not attributed to kload"
    # 7011 was made in a namespace of its own: its events name it
    m = re.search(r"net:\[(\d+)\]", read("netns"))
    if not m:
        return False, "the namespace of 7011 was not made: %r" % read("netns")[:100]
    ns = {e.get("netns") for e in evs if 7011 in (e.get("lport"), e.get("rport"))}
    host = {e.get("netns") for e in evs if 7001 in (e.get("lport"), e.get("rport"))}
    if ns != {int(m.group(1))} or ns == host:
        return False, "port 7011's events name netns %s, made in %s (host %s)" % (
            sorted(ns), m.group(1), sorted(host))
    return True, "%d events, 7011 in its own namespace" % len(evs)


ok, why = check_states()
result("states", ok, why)
matrix["states"]["on"] = ok and matrix["states"]["on"]
if not ok and not matrix["states"]["why"]:
    matrix["states"]["why"] = why


# the recording replays on the host to the lines printed live
def check_replay():
    rec = os.path.join(args.dir, "rec")
    if rc("states") != 0 or not os.path.exists(rec):
        return False, "no recording (states stream failed)"
    p = subprocess.run([args.socktop, "--replay", rec, "--stream", "--json"],
                       capture_output=True, timeout=60)
    live = read("states.out").encode()
    if p.returncode != 0:
        return False, "replay %s: %s" % (exit_text(p.returncode), p.stderr.decode()[:200])
    if p.stdout != live:
        return False, "replay differs from the live lines (%d vs %d bytes)" % (len(p.stdout), len(live))
    return True, "%d lines" % live.count(b"\n")


ok, why = check_replay()
result("replay", ok, why)


# a stream whose hook is off must say so and exit 1; else show our events
def check_stream(feat, test, name=None):
    name = name or feat
    code = rc(name)
    if feat in off:
        err = read(name + ".err")
        if code == 1 and (feat + " off") in err:
            return True, "off: " + off[feat]
        return False, "hook off (%s) but the stream: %s: %s" % (off[feat], exit_text(code), first_err(name))
    if code != 0:
        return False, "%s: %s" % (exit_text(code), first_err(name))
    return test(jsonl(name))


def connects_ok(evs):
    got = {(e.get("dport"), e.get("result")) for e in evs if e.get("comm") == "kload"}
    for want in ((7003, "ESTABLISHED"), (7004, "REFUSED")):
        if want not in got:
            return False, "no connect to %d %s (got %s)" % (want[0], want[1], sorted(got))
    return True, "%d events" % len(evs)


def binds_ok(evs):
    b = [e for e in evs if e.get("port") == 7005 and e.get("comm") == "kload"]
    if not b:
        return False, "no bind of 7005 (%d events)" % len(evs)
    e = b[0]
    if e.get("proto") != "TCP" or e.get("ret") != 0 or e.get("addr") != "127.0.0.1" or "R" not in e.get("opts", ""):
        return False, "bind of 7005 wrong: %s" % json.dumps(e)
    return True, "%d events" % len(evs)


# kload data 7010 100000: the client sent 100000 bytes and got 25000; the
# kernel's counters also count the SYN and the FIN, one sequence number each
def life_ok(evs):
    c = [e for e in evs if e.get("rport") == 7010 and e.get("comm") == "kload"]
    if not c:
        return False, "no life line for the client of 7010 (%d lines)" % len(evs)
    tx, rx = c[0].get("tx_bytes", -1), c[0].get("rx_bytes", -1)
    if not (100000 <= tx <= 100002 and 25000 <= rx <= 25002):
        return False, "client of 7010: tx_bytes %d (want 100000), rx_bytes %d (want 25000)" % (tx, rx)
    return True, "%d lines, the client's bytes right" % len(evs)


def retrans_ok(evs):
    r = [e for e in evs if e.get("rport") == 7012 and e.get("type") == "reset_received"]
    if not r:
        return False, "no reset_received for the refused connect to 7012 (%d lines)" % len(evs)
    if r[0].get("state") != "SYN_SENT" or r[0].get("comm") != "kload":
        return False, "the reset of 7012 wrong: %s" % json.dumps(r[0])
    return True, "%d lines" % len(evs)


for feat, test, name in (("connects", connects_ok, None), ("binds", binds_ok, None),
                         ("traffic", life_ok, "life"), ("traffic", retrans_ok, "retrans")):
    ok, why = check_stream(feat, test, name)
    result(name or feat, ok, why)
    if not ok:
        matrix[feat] = {"on": False, "why": matrix[feat]["why"] or why}


# --cgroup: what was made inside the cgroup shows, what was made outside not
def check_cgroup():
    code = rc("cgroup")
    err = first_err("cgroup")
    # off only as socktop says so: the states stream works, this one
    # exits 1 naming the cgroup filter
    if code == 1 and rc("states") == 0 and "cgroup" in err:
        return None, err.replace("socktop: ", "")
    if code != 0:
        return False, "%s: %s" % (exit_text(code), first_err("cgroup"))
    evs = jsonl("cgroup")
    ports = {p for e in evs for p in (e.get("lport"), e.get("rport"))}
    if 7007 not in ports:
        return False, "nothing from inside the cgroup (port 7007)"
    if 7008 in ports:
        return False, "port 7008 (outside the cgroup) not filtered out"
    return True, "%d events, none from outside" % len(evs)


ok, why = check_cgroup()
if ok is None:  # socktop refused with a reason: off, as it says
    result("cgroup", True, "off: " + why)
    matrix["cgroup"] = {"on": False, "why": why}
else:
    result("cgroup", ok, why)
    matrix["cgroup"] = {"on": ok, "why": "" if ok else why}


# the snapshot finds the held connection and its owner (iterators or the
# sock_diag and /proc fallback)
def check_snapshot(name):
    code = rc(name)
    if code != 0:
        return False, "%s: %s" % (exit_text(code), first_err(name))
    held = re.search(r"held (\d+)", read("hold.out"))
    if not held:
        return False, "the held connection was not made: " + read("hold.out")[:200]
    pid = int(held.group(1))
    socks = jsonl(name)
    states = sorted(s["state"] for s in socks if 7006 in (s.get("lport"), s.get("rport"))
                    and s.get("pid") == pid and s.get("comm") == "kload")
    if states != ["ESTABLISHED", "ESTABLISHED", "LISTEN"]:
        return False, "port 7006 of pid %d: %s" % (pid, states)
    return True, "%d sockets" % len(socks)


for name in ("snapshot", "fallback"):  # iterators, then sock_diag and /proc
    ok, why = check_snapshot(name)
    result(name, ok, why)


# the UI: started, drew its header for this kernel, named each hook that
# is off (the same ones as its exit messages), showed our socket, quit 0
def check_ui():
    code = rc("ui")
    screen = read("ui.screen")
    if code != 0:
        hang = read("ui.hang")
        if hang:
            return False, "did not quit at q; its stacks: " + " ".join(hang.split())[:300]
        return False, "%s: %s" % (exit_text(code), first_err("ui"))
    head = screen.splitlines()[0] if screen else ""
    # the header gives the release 24 columns
    m = re.search(r"kernel (\S+)", head)
    if not m or not release.startswith(m.group(1)) or len(m.group(1)) < min(len(release), 24):
        return False, "header: %r" % head[:200]
    shown = set(re.findall(r"(\w+) off \(", head))
    if shown != set(off):
        return False, "header says off: %s, exit messages: %s" % (sorted(shown), sorted(off))
    if ":7009" not in screen and " 7009" not in screen:
        return False, "no row for the connection to 7009"
    msgs = read("ui.messages")
    for f in off:
        if "feature %s off" % f not in msgs:
            return False, "messages page (L) does not say %s is off" % f
    return True, "hooks off: %s" % (", ".join(sorted(off)) or "none")


ok, why = check_ui()
result("ui", ok, why)

# nothing socktop did made the kernel complain
bad = [l for l in read("dmesg").splitlines()
       if re.search(r"\b(BUG|WARNING|Oops|general protection|refcount_t)\b", l)]
result("dmesg", not bad, bad[0][:200] if bad else "no kernel warnings")

# what this kernel had on when the matrix was measured must stay on
want = []
try:
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected")) as f:
        for line in f:
            w = line.split()
            if w and w[0] == args.name:
                want = w[1:]
except OSError:
    pass
if want:
    lost = [f for f in want if not matrix.get(f, {}).get("on")]
    result("expected", not lost, "off now: " + ", ".join(
        "%s (%s)" % (f, matrix.get(f, {}).get("why", "unknown feature")) for f in lost)
        if lost else "on: " + " ".join(want))

with open(args.row, "w") as f:
    json.dump({"name": args.name, "release": release, "version": args.version,
               "seconds": args.seconds, "features": matrix}, f)
sys.exit(1 if failed else 0)
