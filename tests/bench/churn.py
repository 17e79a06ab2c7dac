#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Capture benchmark: the churn load generator alone and with socktop
attached, in alternating pairs (the machine is noisy, so each "with" run
is compared to the "alone" run next to it), for two sinks: --stream to
/dev/null and --stream --json to a file.

Prints per pair and a median summary: connections/s alone and with
socktop (the slowdown), state changes expected vs received, lost (kernel
ring drops), BPF runs skipped (recursion misses), and socktop's CPU
seconds per million events (user + system, from wait4's rusage).

usage: churn.py ROOT [PAIRS] [SECONDS] [WORKERS]

WORKERS (default: one per CPU) load processes; with fewer than the CPUs,
socktop runs on a core the load leaves free, as it would on most servers.
"""
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

ROOT = sys.argv[1]
PAIRS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
SECS = float(sys.argv[3]) if len(sys.argv) > 3 else 5
WORKERS = sys.argv[4] if len(sys.argv) > 4 else str(os.cpu_count())
BASE = 28000  # below the ephemeral range: no client socket can hold one
SOCKTOP = os.path.join(ROOT, "socktop")
CHURN = os.path.join(ROOT, "build/tools/churn")
# client: CLOSE>SYN_SENT>ESTABLISHED>FIN_WAIT1>FIN_WAIT2>CLOSE,
# server: LISTEN>SYN_RECV>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSE
PER_CONN = 10
PER_LISTENER = 2  # CLOSE>LISTEN, LISTEN>CLOSE


def churn():
    out = subprocess.run([CHURN, str(SECS), str(BASE), WORKERS], capture_output=True,
                         text=True, check=True).stdout
    m = re.search(r"connections (\d+) seconds ([\d.]+) rate (\d+) listeners (\d+)", out)
    conns, listeners = int(m.group(1)), int(m.group(4))
    return conns / SECS, conns, listeners


def with_socktop(json_path):
    """One churn run with socktop attached; returns a dict of figures."""
    args = [SOCKTOP, "--stream"] + (["--json"] if json_path else [])
    sink = open(json_path or os.devnull, "w")
    err_path = "/tmp/socktop-bench.err"
    err = open(err_path, "w")
    p = subprocess.Popen(args, stdout=sink, stderr=err)
    for _ in range(400):  # wait until attached
        if "tracing" in open(err_path).read() or p.poll() is not None:
            break
        time.sleep(0.025)
    if p.poll() is not None:
        sys.exit("bench: socktop did not start: " + open(err_path).read())
    rate, conns, listeners = churn()
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = status
    sink.close()
    err.close()
    text = open(err_path).read()
    m = re.search(r"(\d+) events received \+ (\d+) lost.*?(\d+) BPF runs skipped", text)
    if not m:
        sys.exit("bench: no summary from socktop: " + text)
    seen, lost, misses = int(m.group(1)), int(m.group(2)), int(m.group(3))
    r = {"rate": rate, "expected": conns * PER_CONN + listeners * PER_LISTENER,
         "seen": seen, "lost": lost, "misses": misses,
         "cpu": ru.ru_utime + ru.ru_stime}
    if json_path:  # events of the churn's ports only: the host is not quiet
        ports = range(BASE, BASE + listeners)
        n = 0
        with open(json_path) as f:
            for line in f:
                e = json.loads(line)
                if e["lport"] in ports or e["rport"] in ports:
                    n += 1
        r["matched"] = n
        os.unlink(json_path)
    return r


def run_sink(name, json_path):
    print(f"\n{name}: {PAIRS} pairs of {SECS:g} s runs of {WORKERS} load processes "
          f"on {os.cpu_count()} CPUs (alone, then with socktop)")
    print(f"{'pair':>4} {'alone c/s':>10} {'with c/s':>10} {'slowdown':>9} "
          f"{'expected':>10} {'received':>10} {'lost':>6} {'skipped':>7} {'cpu s/M':>8}")
    slow, cpm, lost, short = [], [], 0, 0
    for i in range(PAIRS):
        alone, _, _ = churn()
        r = with_socktop(json_path)
        got = r.get("matched", r["seen"])
        s = 100.0 * (alone - r["rate"]) / alone
        c = r["cpu"] / (r["seen"] / 1e6) if r["seen"] else 0.0
        slow.append(s)
        cpm.append(c)
        lost += r["lost"]
        short += max(0, r["expected"] - got - r["lost"])
        print(f"{i + 1:>4} {alone:>10.0f} {r['rate']:>10.0f} {s:>8.1f}% "
              f"{r['expected']:>10} {got:>10} {r['lost']:>6} {r['misses']:>7} {c:>8.3f}")
    print(f"{name}: median slowdown {statistics.median(slow):.1f}% (target < 10%), "
          f"median {statistics.median(cpm):.3f} CPU-s per million events "
          f"(target < 1), lost {lost} (target 0), "
          f"unaccounted {short} (expected - received - lost)")


def main():
    if os.geteuid() != 0:
        sys.exit("bench: the capture benchmark needs root (live BPF)")
    run_sink("--stream >/dev/null", None)
    if WORKERS == str(os.cpu_count()):
        run_sink("--stream --json >file", "/tmp/socktop-bench.json")


main()
