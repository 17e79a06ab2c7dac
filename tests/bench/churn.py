#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Capture benchmark: the churn load generator alone and with a tracer
attached, in alternating pairs (the machine is noisy, so each "with" run
is compared to the "alone" run just before it). Tracers: socktop --stream
to /dev/null, the peer (libbpf-tools tcpstates, text to a file), socktop
--stream --json to a file, and socktop's full-screen UI (in tmux).

Prints per pair and a median summary: connections/s alone and with the
tracer (the slowdown), state changes expected vs received, lost (kernel
drops), BPF runs skipped (recursion misses), the tracer's CPU seconds per
million events (user + system, from wait4's rusage or /proc), and the
state program's own time per run (bpf_stats: run_time_ns / run_cnt).
The load runs with bpf_stats off, as a tracer runs anywhere else (its
two clock reads a program run are the instrument's cost, not the
tracer's), but for a window in the middle of each run with a tracer,
where its state program's time per run is sampled.
Then the peer's slowdown over socktop's (the ratio) and the UI's over the
stream's, each beside its target. The UI with and without the traffic
hooks runs in turns, pair by pair, and their paired difference is printed
beside the spread between pairs of one tracer (the noise).

usage: churn.py ROOT [PAIRS] [SECONDS] [WORKERS]
ONLY=stream,peer,json,ui,ui-off (comma list) runs only those tracers.
VS=ROOT2 runs only ROOT's --stream against ROOT2's (another build, e.g.
a worktree of main) in turns, pair by pair, and prints their paired
difference beside the noise.

WORKERS (default: one per CPU) load processes; with fewer than the CPUs,
the tracer runs on a core the load leaves free, as it would on most
servers.
"""
import os
import re
import shutil
import signal
import socket
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
PEER = shutil.which("tcpstates") or ("/usr/sbin/tcpstates"
                                     if os.access("/usr/sbin/tcpstates", os.X_OK) else None)
TMP = "/tmp/socktop-bench-%d" % os.getpid()
# client: CLOSE>SYN_SENT>ESTABLISHED>FIN_WAIT1>FIN_WAIT2>CLOSE,
# server: LISTEN>SYN_RECV>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSE
PER_CONN = 10
PER_LISTENER = 2  # CLOSE>LISTEN, LISTEN>CLOSE
TARGET_SLOW = 5.0  # per cent, stream and UI
TARGET_UI_GAP = 2.0  # points between the UI and the stream


STATS = "/proc/sys/kernel/bpf_stats_enabled"
SAMPLE_SECS = min(0.5, SECS * 0.2)  # bpf_stats on, in each run's middle


def bpf_stats(on):
    with open(STATS, "w") as f:
        f.write("1" if on else "0")


def churn_counts(out):
    m = re.search(r"connections (\d+) seconds ([\d.]+) rate (\d+) listeners (\d+)", out)
    conns, listeners = int(m.group(1)), int(m.group(4))
    return conns / SECS, conns, listeners


def churn():
    """the load alone, bpf_stats off"""
    bpf_stats(False)
    try:
        out = subprocess.run([CHURN, str(SECS), str(BASE), WORKERS], capture_output=True,
                             text=True, check=True).stdout
    finally:
        bpf_stats(True)  # a tracer starting next is seen attached by its runs
    return churn_counts(out)


def churn_sampled(pid):
    """the load with tracer pid attached, bpf_stats off but for SAMPLE_SECS
    in its middle: (rate, conns, listeners, stats before, stats after) of
    that window"""
    info = state_prog_fdinfo(pid)
    bpf_stats(False)
    p = subprocess.Popen([CHURN, str(SECS), str(BASE), WORKERS], stdout=subprocess.PIPE,
                         text=True)
    try:
        time.sleep((SECS - SAMPLE_SECS) / 2)
        bpf_stats(True)
        s0 = read_run_stats(info)
        time.sleep(SAMPLE_SECS)
        s1 = read_run_stats(info)
        bpf_stats(False)
        out = p.communicate()[0]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        bpf_stats(True)
    if p.returncode:
        sys.exit("bench: churn failed")
    return churn_counts(out) + (s0, s1)


def read_run_stats(path):
    """(run_time_ns, run_cnt) from a program's fdinfo, None if gone"""
    try:
        text = open(path).read()
    except (OSError, TypeError):
        return None
    t = re.search(r"^run_time_ns:\s+(\d+)", text, re.M)
    c = re.search(r"^run_cnt:\s+(\d+)", text, re.M)
    return (int(t.group(1)), int(c.group(1))) if t and c else None


def state_prog_stats(pid):
    """(run_time_ns, run_cnt) of the state program among pid's BPF fds"""
    return read_run_stats(state_prog_fdinfo(pid))


def state_prog_fdinfo(pid):
    """the fdinfo path of the state program among pid's BPF fds: the one
    named handle_set_state (socktop's and tcpstates' both are), None if
    none"""
    fdinfo = "/proc/%d/fdinfo" % pid
    seen = set()
    try:
        fds = os.listdir(fdinfo)
    except OSError:
        return None
    for fd in fds:
        try:
            text = open(os.path.join(fdinfo, fd)).read()
        except OSError:
            continue
        m = re.search(r"^prog_id:\s+(\d+)", text, re.M)
        t = re.search(r"^run_time_ns:\s+(\d+)", text, re.M)
        c = re.search(r"^run_cnt:\s+(\d+)", text, re.M)
        if not (m and t and c) or m.group(1) in seen:
            continue
        seen.add(m.group(1))
        info = subprocess.run(["bpftool", "prog", "show", "id", m.group(1)],
                              capture_output=True, text=True).stdout
        if "handle_set_state" in info:
            return os.path.join(fdinfo, fd)
    return None


def cpu_of(pid):
    """user + system seconds of a live process"""
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(pred, what, proc):
    """until pred() holds; a tracer that does not start is ended"""
    for _ in range(400):
        if pred():
            return
        if proc and proc.poll() is not None:
            break
        time.sleep(0.025)
    if proc and proc.poll() is None:
        proc.kill()
        proc.wait()
    sys.exit("bench: %s did not start" % what)


def attached(pid):
    """true once pid's state program has run; makes a connection to see"""
    st = state_prog_stats(pid)
    if st and st[1] > 0:
        return True
    with socket.socket() as l:
        l.bind(("127.0.0.1", 0))
        l.listen()
        with socket.create_connection(l.getsockname()):
            l.accept()[0].close()
    return False


def ports_matched(path, parse):
    """events of the churn's ports only: the host is not quiet"""
    lo, hi = BASE, BASE + 4096
    n = 0
    with open(path, errors="replace") as f:
        for line in f:
            p = parse(line)
            if p and (lo <= p[0] < hi or lo <= p[1] < hi):
                n += 1
    return n


def parse_json(line):
    m = re.search(r'"lport":(\d+),.*"rport":(\d+)', line)
    return (int(m.group(1)), int(m.group(2))) if m else None


def parse_text(line):
    """tcpstates' columns, from the right (a comm may hold spaces):
    ... LPORT RADDR RPORT OLDSTATE -> NEWSTATE MS"""
    f = line.split()
    if len(f) < 9 or f[-3] != "->" or not f[-5].isdigit() or not f[-7].isdigit():
        return None
    return int(f[-7]), int(f[-5])


def settle():
    """until no socket of the churn's ports is mid-lifecycle (TIME_WAIT
    aside), at most 3 s: loopback drops a packet now and then under this
    load (the backlog queue), and a retransmitted FIN or SYN comes an RTO
    later (200 ms, 1 s): a tracer stopped before would miss those last
    transitions and count them short"""
    lo, hi = BASE, BASE + 4096
    if not shutil.which("ss"):
        time.sleep(1.5)  # without iproute2: past a retransmitted FIN's RTO
        return
    for _ in range(60):
        out = subprocess.run(["ss", "-Htan", "exclude", "time-wait"],
                             capture_output=True, text=True).stdout
        busy = 0
        for line in out.splitlines():
            f = line.split()
            if len(f) < 5:
                continue
            ports = [int(a.rsplit(":", 1)[1]) for a in f[3:5] if a.rsplit(":", 1)[1].isdigit()]
            busy += any(lo <= q < hi for q in ports)
        if not busy:
            return
        time.sleep(0.05)


def load_under(p, ready, what):
    """the churn with tracer p attached (ready() says when), then p ended
    with SIGINT; (rate, conns, listeners, stats before, stats after,
    rusage). p never outlives a failure here."""
    try:
        wait_for(ready, what, p)
        rate, conns, listeners, s0, s1 = churn_sampled(p.pid)
        settle()
        time.sleep(0.3)
        p.send_signal(signal.SIGINT)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = status
    finally:
        if p.returncode is None:
            p.kill()
            p.wait()
    return rate, conns, listeners, s0, s1, ru


def run_stream(json_out, binary=SOCKTOP):
    """socktop --stream (to /dev/null, or --json to a file)"""
    args = [binary, "--stream"] + (["--json"] if json_out else [])
    out_path = TMP + ".json" if json_out else os.devnull
    err_path = TMP + ".err"
    with open(out_path, "w") as sink, open(err_path, "w") as err:
        p = subprocess.Popen(args, stdout=sink, stderr=err)
        rate, conns, listeners, s0, s1, ru = load_under(
            p, lambda: "tracing" in open(err_path).read(), "socktop")
    r = summary(open(err_path).read(), rate, conns, listeners, ru.ru_utime + ru.ru_stime, s0, s1)
    if json_out:
        r["matched"] = ports_matched(out_path, parse_json)
        os.unlink(out_path)
    os.unlink(err_path)
    return r


def run_ui(extra=""):
    """socktop's full-screen UI in a tmux session 120x40, quit with q"""
    sock = "socktop-bench-%d" % os.getpid()
    err_path = TMP + ".err"
    tmux = ["tmux", "-L", sock, "-f", "/dev/null"]
    subprocess.run(tmux + ["new-session", "-d", "-x", "120", "-y", "40",
                           "env TERM=tmux-256color LANG=C.UTF-8 SOCKTOP_THEMES=%s/themes %s %s 2>%s"
                           % (ROOT, SOCKTOP, extra, err_path)], check=True)
    try:
        pid = None

        def started():
            nonlocal pid
            out = subprocess.run(tmux + ["list-panes", "-F", "#{pane_pid}"],
                                 capture_output=True, text=True).stdout.split()
            if not out:
                return False
            kids = subprocess.run(["pgrep", "-P", out[0], "-x", "socktop"],
                                  capture_output=True, text=True).stdout.split()
            pid = int(kids[0]) if kids else int(out[0])
            screen = subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True,
                                    text=True).stdout
            return "ESTAB" in screen
        wait_for(started, "socktop's UI", None)
        c0 = cpu_of(pid)
        rate, conns, listeners, s0, s1 = churn_sampled(pid)
        settle()
        time.sleep(0.3)
        cpu = cpu_of(pid) - c0
        subprocess.run(tmux + ["send-keys", "q"])
        for _ in range(100):
            if not os.path.exists("/proc/%d" % pid):
                break
            time.sleep(0.05)
    finally:
        subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)
    r = summary(open(err_path).read(), rate, conns, listeners, cpu, s0, s1)
    os.unlink(err_path)
    return r


def summary(text, rate, conns, listeners, cpu, s0, s1):
    m = re.search(r"(\d+) events received \+ (\d+) lost.*?(\d+) BPF runs skipped", text)
    if not m:
        sys.exit("bench: no summary from socktop: " + text)
    r = {"rate": rate, "expected": conns * PER_CONN + listeners * PER_LISTENER,
         "seen": int(m.group(1)), "lost": int(m.group(2)), "misses": int(m.group(3)),
         "cpu": cpu}
    r["ns"] = ns_per_run(s0, s1)
    return r


def ns_per_run(s0, s1):
    if not s0 or not s1 or s1[1] <= s0[1]:
        return None
    return (s1[0] - s0[0]) / (s1[1] - s0[1])


def run_peer():
    """libbpf-tools tcpstates, its text lines to a file"""
    out_path, err_path = TMP + ".peer", TMP + ".peer.err"
    with open(out_path, "w") as sink, open(err_path, "w") as err:
        p = subprocess.Popen([PEER], stdout=sink, stderr=err)
        # its header sits in stdio's buffer: attached is when its
        # program has seen a connection of ours
        rate, conns, listeners, s0, s1, ru = load_under(p, lambda: attached(p.pid), "tcpstates")
    lost = sum(int(x) for x in re.findall(r"lost (\d+) events", open(err_path).read()))
    seen = ports_matched(out_path, parse_text)
    os.unlink(out_path)
    os.unlink(err_path)
    return {"rate": rate, "expected": conns * PER_CONN + listeners * PER_LISTENER,
            "seen": seen, "matched": seen, "lost": lost, "misses": None,
            "cpu": ru.ru_utime + ru.ru_stime, "ns": ns_per_run(s0, s1)}


def fmt(v, spec, none="-"):
    return none if v is None else format(v, spec)


def header(name):
    print(f"\n{name}: {PAIRS} pairs of {SECS:g} s runs of {WORKERS} load processes "
          f"on {os.cpu_count()} CPUs (alone, then with it)")
    print(f"{'pair':>4} {'alone c/s':>10} {'with c/s':>10} {'slowdown':>9} "
          f"{'expected':>10} {'received':>10} {'lost':>6} {'skipped':>7} {'cpu s/M':>8} "
          f"{'BPF ns/run':>10}")


def one_pair(fn):
    """the load alone, then with the tracer fn; returns the pair's figures"""
    alone, _, _ = churn()
    r = fn()
    r["alone"] = alone
    r["got"] = r.get("matched", r["seen"])
    r["slow"] = 100.0 * (alone - r["rate"]) / alone
    r["cpm"] = r["cpu"] / (r["seen"] / 1e6) if r["seen"] else 0.0
    return r


def print_pair(i, r):
    print(f"{i + 1:>4} {r['alone']:>10.0f} {r['rate']:>10.0f} {r['slow']:>8.1f}% "
          f"{r['expected']:>10} {r['got']:>10} {r['lost']:>6} {fmt(r['misses'], '>7')} "
          f"{r['cpm']:>8.3f} {fmt(r['ns'], '>10.0f')}")


def report(name, rows):
    """the table's summary line; returns the median slowdown"""
    med = statistics.median(r["slow"] for r in rows)
    ns = [r["ns"] for r in rows if r["ns"] is not None]
    lost = sum(r["lost"] for r in rows)
    skipped = sum(r["misses"] or 0 for r in rows)
    # a skipped run is a transition the kernel did not let the program
    # see (it was running already on that CPU when a softirq fired the
    # tracepoint again): missing from received, counted apart
    short = sum(max(0, r["expected"] - r["got"] - r["lost"] - (r["misses"] or 0)) for r in rows)
    print(f"{name}: median slowdown {med:.1f}% (target < {TARGET_SLOW:g}%), "
          f"median {statistics.median(r['cpm'] for r in rows):.3f} CPU-s per million events, "
          f"state program {fmt(statistics.median(ns) if ns else None, '.0f')} ns a run, "
          f"lost {lost} and skipped {skipped} (target 0), "
          f"unaccounted {short} (expected - received - lost - skipped)")
    return med


def run_tracer(name, fn):
    """PAIRS alternating pairs; returns the median slowdown"""
    header(name)
    rows = []
    for i in range(PAIRS):
        rows.append(one_pair(fn))
        print_pair(i, rows[-1])
    return report(name, rows)


def run_interleaved(a, b):
    """two tracers (name, fn) in turn, pair by pair, so the machine's drift
    falls on both alike; prints both tables, returns both rows lists"""
    ra, rb = [], []
    for i in range(PAIRS):
        ra.append(one_pair(a[1]))
        rb.append(one_pair(b[1]))
        print(f"  (pair {i + 1}: {ra[-1]['slow']:.1f}% / {rb[-1]['slow']:.1f}%)", flush=True)
    for (name, _), rows in ((a, ra), (b, rb)):
        header(name)
        for i, r in enumerate(rows):
            print_pair(i, r)
        report(name, rows)
    return ra, rb


def paired_diff(ra, rb):
    """median of the per-pair differences in slowdown, and the noise: the
    same spread seen between pairs of one tracer (the larger median
    absolute deviation of the two)"""
    d = statistics.median(x["slow"] - y["slow"] for x, y in zip(ra, rb))

    def mad(rows):
        m = statistics.median(r["slow"] for r in rows)
        return statistics.median(abs(r["slow"] - m) for r in rows)
    return d, max(mad(ra), mad(rb))


def wanted(name):
    """ONLY=stream,peer,json,ui,ui-off runs just those (all by default)"""
    only = os.environ.get("ONLY")
    return not only or name in only.split(",")


def main():
    if os.geteuid() != 0:
        sys.exit("bench: the capture benchmark needs root (live BPF)")
    stats_was = open(STATS).read().strip()
    bpf_stats(True)
    try:
        if os.environ.get("VS"):
            vs = os.environ["VS"]
            a, b = run_interleaved(
                ("socktop --stream >/dev/null (%s)" % ROOT, lambda: run_stream(False)),
                ("socktop --stream >/dev/null (%s)" % vs,
                 lambda: run_stream(False, os.path.join(vs, "socktop"))))
            d, noise = paired_diff(a, b)
            print(f"\nVS: {ROOT} against {vs}, pair by pair: {d:+.1f} points of slowdown "
                  f"(median of {PAIRS} paired differences); noise between pairs of one "
                  f"tracer +-{noise:.1f} points")
            return
        stream = None
        if wanted("stream"):
            stream = run_tracer("socktop --stream >/dev/null", lambda: run_stream(False))
        if not wanted("peer"):
            pass
        elif PEER and stream is None:
            run_tracer("tcpstates (libbpf-tools) >file", run_peer)
        elif PEER:
            peer = run_tracer("tcpstates (libbpf-tools) >file", run_peer)
            ratio = f"{peer / stream:.1f}x" if stream > 0 else "n/a (socktop's slowdown <= 0)"
            print(f"\npeer: tcpstates slows the load {peer:.1f}%, socktop --stream {stream:.1f}% "
                  f"(target < {TARGET_SLOW:g}%): tcpstates / socktop = {ratio}")
        else:
            print("\nSKIP peer: tcpstates (Debian package libbpf-tools) is not installed; "
                  "make deps installs it")
        if WORKERS != str(os.cpu_count()):
            return
        if wanted("json"):
            run_tracer("socktop --stream --json >file", lambda: run_stream(True))
        if shutil.which("tmux"):
            ui_run = ("socktop UI (tmux 120x40)", run_ui)
            off_run = ("socktop UI --disable traffic (tmux 120x40)",
                       lambda: run_ui("--disable traffic"))
            ui = None
            if wanted("ui") and wanted("ui-off"):
                on, off = run_interleaved(ui_run, off_run)
                ui = statistics.median(r["slow"] for r in on)
                d, noise = paired_diff(on, off)
                verdict = "within" if abs(d) <= noise else "beyond"
                print(f"\ntraffic: the UI with the traffic hooks vs without (--disable "
                      f"traffic), pair by pair: {d:+.1f} points (median of {PAIRS} paired "
                      f"differences); noise between pairs of one tracer +-{noise:.1f} points: "
                      f"{verdict} noise (target: within noise)")
            elif wanted("ui"):
                ui = run_tracer(*ui_run)
            elif wanted("ui-off"):
                run_tracer(*off_run)
            if ui is not None and stream is not None:
                print(f"\nUI: slows the load {ui:.1f}% (target < {TARGET_SLOW:g}%), "
                      f"{ui - stream:+.1f} points from the stream (target within "
                      f"{TARGET_UI_GAP:g})")
        else:
            print("\nSKIP UI: tmux is not installed")
    finally:
        with open(STATS, "w") as f:
            f.write(stats_was)


main()
