#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every pair and triple of each stream's bcc flags, on a fixture recording.

For each combination: the exit status (0, or 2 with the reason for -s
with --json, the one pair that contradicts itself), the header's columns
in bcc's order, the column count of every line (CSV through Python's csv
reader, text split on blanks, JSON parsed with its keys checked), and the
number of lines, predicted from the events and the filters. -Y sends one
journal datagram per state line to a stand-in journal socket.

  stream_flags.py SOCKTOP FIXTURE.rec WORKDIR
"""
import csv
import io
import itertools
import json
import os
import select
import socket
import subprocess
import sys
import threading

SOCKTOP, FIXTURE, WORK = sys.argv[1:4]

# Each stream's flags, as its bcc tool spells them; filters carry values
# that keep events of both families and both directions.
FLAGS = {
    "states": [["-t"], ["-T"], ["-w"], ["-s"], ["--json"], ["-L", "80,43210,55123"],
               ["-D", "80,40001,443"], ["-4"], ["-6"], ["-Y"]],
    "binds": [["-t"], ["-T"], ["-w"], ["-s"], ["--json"], ["-U"], ["-E"], ["-p", "5150"],
              ["-u", "1000"], ["-P", "80,40001,5353"], ["-4"], ["-6"], ["--count"]],
    "connects": [["-t"], ["-T"], ["-w"], ["-s"], ["--json"], ["-U"], ["-p", "4242"],
                 ["-u", "1000"], ["-P", "80,443"], ["-4"], ["-6"], ["-L"], ["-c"]],
}

JSON_KEYS = {
    "states": "ts_ns time time_s skaddr pid tid uid comm family laddr lport raddr rport "
              "oldstate newstate ms",
    "binds": "ts_ns time time_s skaddr pid tid uid comm family proto addr port req_port "
             "bound_port opts flags ifindex ret error implicit cgroup_id",
    "connects": "ts_ns time time_s skaddr pid tid uid comm ip saddr sport daddr dport lat_ms "
                "ret result cgroup_id",
    "binds-count": "addr port binds proto failed",
    "connects-count": "saddr daddr dport connects failed",
}


def columns(kind, f):
    """The header bcc's tool prints for these flags (text split on blanks)."""
    csvmode = "-s" in f
    tcols = (["TIME"] if "-T" in f else []) + (["TIME(s)"] if "-t" in f else [])
    if kind == "states":
        ip = ["IP"] if "-w" in f or csvmode else []
        arrow = [] if csvmode else ["->"]
        return tcols + ["SKADDR", "C-PID", "C-COMM"] + ip + \
            ["LADDR", "LPORT", "RADDR", "RPORT", "OLDSTATE"] + arrow + ["NEWSTATE", "MS"]
    if kind == "binds":
        if "--count" in f:
            return ["LADDR", "LPORT", "BINDS", "PROT", "FAILED"]
        if csvmode:
            return tcols + ["PID", "UID", "COMM", "PROT", "ADDR", "PORT", "REQPORT", "OPTS",
                            "IF", "RC", "IMPLICIT"]
        return tcols + (["UID"] if "-U" in f else []) + (["RC"] if "-E" in f else []) + \
            ["PID", "COMM", "PROT", "ADDR", "PORT", "OPTS", "IF"]
    if "-c" in f:
        return ["LADDR", "RADDR", "RPORT", "CONNECTS", "FAILED"]
    return tcols + (["UID"] if "-U" in f else []) + ["PID", "COMM", "IP", "SADDR"] + \
        (["LPORT"] if "-L" in f else []) + ["DADDR", "DPORT", "LAT(ms)", "RESULT"]


def arg(f, flag):
    return f[f.index(flag) + 1] if flag in f else None


def ports(f, flag):
    v = arg(f, flag)
    return {int(p) for p in v.split(",")} if v else None


def family_ok(f, fam):
    only4, only6 = "-4" in f, "-6" in f
    if only4 and only6:  # both families, as ss reads them
        return True
    return not ((only4 and fam != 4) or (only6 and fam != 6))


def expected_lines(kind, f, truth):
    """How many lines the filters leave, from the unfiltered JSON."""
    if kind == "states":
        lp, rp = ports(f, "-L"), ports(f, "-D")
        return sum(1 for e in truth if family_ok(f, e["family"]) and
                   (not lp or e["lport"] in lp) and (not rp or e["rport"] in rp))
    pid, uid = arg(f, "-p"), arg(f, "-u")
    keep = []
    for e in truth:
        fam = e["family"] if kind == "binds" else e["ip"]
        if not family_ok(f, fam) or (pid and e["pid"] != int(pid)) or \
                (uid and e["uid"] != int(uid)):
            continue
        if kind == "binds":
            pp = ports(f, "-P")
            if pp and e["req_port"] not in pp and e["bound_port"] not in pp:
                continue
            if e["ret"] and "-E" not in f:
                continue
            # bindsnoop's text never shows an implicit bind; -s and --json do
            if e["implicit"] and "-s" not in f and "--json" not in f:
                continue
        else:
            pp = ports(f, "-P")
            if pp and e["dport"] not in pp:
                continue
        keep.append(e)
    if kind == "connects" and "-c" in f:
        return len({(e["saddr"], e["daddr"], e["dport"]) for e in keep})
    if kind == "binds" and "--count" in f:
        return None  # counted by the model: checked for shape only
    return len(keep)


class Journal:
    """A stand-in journald socket. A thread keeps reading it (its queue is
    short and a full one blocks the sender); socktop sends each entry
    before it exits, so after a run take() finds every datagram either
    counted or still queued, and drains the rest itself."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.setblocking(False)
        self.count = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.run, daemon=True).start()

    def drain(self):  # with the lock held
        while True:
            try:
                self.sock.recv(65536)
            except BlockingIOError:
                return
            self.count += 1

    def run(self):
        while True:
            select.select([self.sock], [], [], 0.05)
            with self.lock:
                self.drain()

    def take(self):
        with self.lock:
            self.drain()
            n, self.count = self.count, 0
        return n


def run(kind, f, env):
    cmd = [SOCKTOP, "--replay", FIXTURE, "--stream=" + kind] + f
    p = subprocess.run(cmd, capture_output=True, env=env, timeout=30)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check(kind, f, truth, journal, env):
    """None when the combination behaves, else what is wrong."""
    rc, out, err = run(kind, f, env)
    n = expected_lines(kind, f, truth)
    # every datagram of this run, whatever else fails, so none is
    # counted for the next one
    journaled = journal.take() if "-Y" in f else None
    if "-s" in f and "--json" in f:
        if rc != 2 or out or "choose one output format" not in err:
            return "-s with --json: exit %d, want 2 with the reason" % rc
        return None
    if rc != 0:
        return "exit %d: %s" % (rc, err.strip().splitlines()[:1])
    lines = out.splitlines()
    count = "--count" in f or (kind == "connects" and "-c" in f)
    key = kind + ("-count" if count else "")
    if "--json" in f:
        # the documented keys, in order; fields added later may follow,
        # but every line of a run has the same keys (its "columns")
        want_keys, first = JSON_KEYS[key].split(), None
        for i, line in enumerate(lines):
            try:
                keys = list(json.loads(line))
            except ValueError:
                return "line %d is not JSON: %r" % (i + 1, line[:80])
            if keys[:len(want_keys)] != want_keys or (first and keys != first):
                return "line %d keys %s" % (i + 1, keys)
            first = first or keys
        data = lines
    else:
        want = columns(kind, f)
        if "-s" in f:
            rows = list(csv.reader(io.StringIO(out)))
        else:
            rows = [line.split() for line in lines]
        if not rows or rows[0] != want:
            return "header %s, want %s" % (rows[0] if rows else None, want)
        for i, r in enumerate(rows[1:]):
            if len(r) != len(want):
                return "line %d has %d columns, want %d: %r" % (i + 2, len(r), len(want),
                                                                lines[i + 1][:100])
        data = rows[1:]
    if n is not None and len(data) != n:
        return "%d lines, want %d" % (len(data), n)
    if n is None and not data:
        return "no count rows"
    if "-Y" in f and journaled != len(data):
        return "-Y sent %d journal entries for %d lines" % (journaled, len(data))
    return None


def main():
    jpath = os.path.join(WORK, "journal.sock")
    journal = Journal(jpath)
    env = dict(os.environ, SOCKTOP_JOURNAL_SOCKET=jpath, TZ="UTC")
    failed = 0
    for kind, flags in FLAGS.items():
        rc, out, err = run(kind, ["--json", "-E"] if kind == "binds" else ["--json"], env)
        truth = [json.loads(line) for line in out.splitlines()]
        if rc or not truth:
            print("FAIL stream_flags_%s: no fixture events (exit %d)" % (kind, rc))
            failed += 1
            continue
        bad, tried = [], 0
        for k in (1, 2, 3):
            for combo in itertools.combinations(flags, k):
                f = [a for flag in combo for a in flag]
                tried += 1
                why = check(kind, f, truth, journal, env)
                if why:
                    bad.append("%s: %s" % (" ".join(f), why))
        if bad:
            failed += 1
            print("FAIL stream_flags_%s: %d of %d combinations" % (kind, len(bad), tried))
            for b in bad[:15]:
                print("    " + b)
        else:
            print("PASS stream_flags_%s (%d combinations)" % (kind, tried))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
