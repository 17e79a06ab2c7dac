#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers for the --metrics tests.

  work N M K        a listener, N connections to it (accepted, closed), M
                    connects refused, K binds failing with EADDRINUSE; prints
                    what --metrics must then say, as JSON: sample -> value
  get URL [-X M] [-d BODY] [-H ACCEPT]
                    one request; prints "STATUS CONTENT-TYPE" then the body
  raw PORT BYTES    sends BYTES (Python escapes) to 127.0.0.1:PORT, prints
                    the status line that came back
  wait URL JSON     polls URL (up to 20 s) until every sample in JSON has its
                    value; exit 1 and the differences otherwise
  promwait PROM JSON the same through a Prometheus server's HTTP API (up to
                    40 s): each sample is a PromQL selector, queried instant
  freeport          a loopback port free now
"""
import ast
import json
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def work(n, m, k):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    port = srv.getsockname()[1]
    for _ in range(n):
        c = socket.create_connection(("127.0.0.1", port))
        a, _ = srv.accept()
        c.close()
        a.close()
    # bound, not listening: a connect to it is refused
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hport = hole.getsockname()[1]
    for _ in range(m):
        c = socket.socket()
        try:
            c.connect(("127.0.0.1", hport))
            sys.exit("connect to a port without a listener succeeded")
        except ConnectionRefusedError:
            pass
        c.close()
    for _ in range(k):
        b = socket.socket()
        try:
            b.bind(("127.0.0.1", port))
            sys.exit("bind to a listening port succeeded")
        except OSError:
            pass
        b.close()
    time.sleep(0.3)  # the accepted ends' last transitions come in softirq
    p = str(port)
    want = {
        'socktop_connects_total{family="ipv4",result="ESTABLISHED"}': n,
        'socktop_connects_total{family="ipv4",result="REFUSED"}': m,
        'socktop_accepts_total{port="%s"}' % p: n,
        'socktop_passive_opens_total{port="%s"}' % p: n,
        'socktop_binds_total{protocol="tcp",kind="explicit",result="OK"}': 2,
        'socktop_binds_total{protocol="tcp",kind="explicit",result="EADDRINUSE"}': k,
        # connect() without bind() takes a port: refused or not
        'socktop_binds_total{protocol="tcp",kind="implicit",result="OK"}': n + m,
        'socktop_transitions_total{old="CLOSE",new="LISTEN"}': 1,
        'socktop_transitions_total{old="CLOSE",new="SYN_SENT"}': n + m,
        'socktop_transitions_total{old="SYN_SENT",new="CLOSE"}': m,
        'socktop_transitions_total{old="LISTEN",new="SYN_RECV"}': n,
        'socktop_transitions_total{old="SYN_RECV",new="ESTABLISHED"}': n,
        'socktop_transitions_total{old="ESTABLISHED",new="FIN_WAIT1"}': n,
        'socktop_transitions_total{old="ESTABLISHED",new="CLOSE_WAIT"}': n,
    }
    print(json.dumps({"port": port, "want": want}))
    srv.close()
    hole.close()


def get(url, method="GET", body=None, accept=None):
    req = urllib.request.Request(url, data=body, method=method)
    if accept:
        req.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


def parse(text):
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def prom_query(prom, expr):
    url = prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as r:
        res = json.load(r)
    if res.get("status") != "success":
        raise RuntimeError("query %s: %s" % (expr, res))
    return [(x["metric"], float(x["value"][1])) for x in res["data"]["result"]]


def promwait(prom, want):
    end = time.time() + 40
    while True:
        diff = {}
        for sel, v in want.items():
            try:
                got = prom_query(prom, sel)
            except (OSError, RuntimeError) as e:
                got = [({}, "error: %s" % e)]
            have = got[0][1] if len(got) == 1 else [g[1] for g in got]
            if have != v:
                diff[sel] = (have, v)
        if not diff:
            return
        if time.time() > end:
            for k, (h, v) in diff.items():
                print("%s: Prometheus has %s, want %s" % (k, h, v))
            sys.exit(1)
        time.sleep(0.5)


def main():
    cmd = sys.argv[1]
    if cmd == "work":
        work(*map(int, sys.argv[2:5]))
    elif cmd == "get":
        args = sys.argv[3:]
        opt = dict(zip(args[::2], args[1::2]))
        body = opt.get("-d")
        st, ct, text = get(sys.argv[2], opt.get("-X", "GET"),
                           body.encode() if body is not None else None, opt.get("-H"))
        try:
            print(st, ct)
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # | head -1
            sys.stdout = None
    elif cmd == "raw":
        s = socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=10)
        s.sendall(ast.literal_eval("b'" + sys.argv[3] + "'"))
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        print(data.split(b"\r\n")[0].decode(errors="replace"))
    elif cmd == "promwait":
        promwait(sys.argv[2], json.loads(sys.argv[3]))
    elif cmd == "freeport":
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])
        s.close()
    elif cmd == "wait":
        want = json.loads(sys.argv[3])
        end = time.time() + 20
        while True:
            have = parse(get(sys.argv[2])[2])
            diff = {k: (have.get(k), v) for k, v in want.items() if have.get(k) != v}
            if not diff:
                return
            if time.time() > end:
                for k, (h, v) in diff.items():
                    print("%s: have %s, want %s" % (k, h, v))
                sys.exit(1)
            time.sleep(0.2)


main()
