#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: socktop --stream -T -w next to libbpf-tools' tcpstates -T -w on the
# same small loopback workload (IPv4 and IPv6, either end closing): the
# same transitions in the same order per socket, with the same skaddrs,
# addresses, ports and states, MS within 1 ms and TIME within 1 s. Every
# client binds its own port, so both tools can leave everything else on
# the host out in the kernel (-L): a busy host cannot make them drop the
# workload's events. Ports 20600-20699.
. "$(dirname "$0")/lib.sh"
need_live vs_tcpstates
TCPSTATES=${TCPSTATES:-$(command -v tcpstates || echo /usr/sbin/tcpstates)}
if [ ! -x "$TCPSTATES" ]; then
	skip vs_tcpstates "libbpf-tools' tcpstates not installed (make deps installs libbpf-tools)"
	exit 0
fi
cd "$TMP"
SERVERS="20601 20602 20603"
CLIENTS="20611 20612 20613 20621 20622 20631 20632"
PORTS=$(echo $SERVERS $CLIENTS | tr ' ' ,)
# family server closer client-ports...: connect, exchange nothing, close
work() {
	python3 - "$@" <<'PY'
import socket, sys, time
fam = socket.AF_INET if sys.argv[1] == "4" else socket.AF_INET6
host = "127.0.0.1" if sys.argv[1] == "4" else "::1"
srv = socket.socket(fam, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((host, int(sys.argv[2])))
srv.listen(8)
for cport in sys.argv[4:]:
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((host, int(cport)))
    c.connect((host, int(sys.argv[2])))
    a, _ = srv.accept()
    time.sleep(0.01)
    first, second = (c, a) if sys.argv[3] == "client" else (a, c)
    first.close()
    time.sleep(0.02)
    second.close()
    time.sleep(0.01)
srv.close()
PY
}

attempt() { # n: one run of both tools over the workload; 0 when both saw it whole
	local n=$1 i tpid
	stdbuf -oL "$TCPSTATES" -T -w -L "$PORTS" >ts$n.txt 2>ts$n.err &
	tpid=$!
	PIDS+=("$tpid")
	for i in $(seq 1 200); do
		grep -q SKADDR ts$n.txt 2>/dev/null && break
		kill -0 "$tpid" 2>/dev/null || break
		sleep 0.05
	done
	if ! grep -q SKADDR ts$n.txt 2>/dev/null; then
		kill -INT "$tpid" 2>/dev/null; wait "$tpid" 2>/dev/null
		skip vs_tcpstates "tcpstates cannot attach here: $(head -c 200 ts$n.err | tr '\n' ' ')"
		exit 0
	fi
	if ! socktop_bg st$n.txt --stream -T -w -L "$PORTS"; then
		kill -INT "$tpid"; wait "$tpid" 2>/dev/null
		fail vs_tcpstates "socktop did not start"
		exit 0
	fi
	work 4 20601 client 20611 20612 20613
	work 6 20602 client 20621 20622
	work 4 20603 server 20631 20632
	sleep 0.3
	stop_socktop
	kill -INT "$tpid"
	for i in $(seq 1 100); do kill -0 "$tpid" 2>/dev/null || break; sleep 0.05; done
	wait "$tpid" 2>/dev/null
	# events dropped all the same (a host too busy to read them): that run
	# proves nothing
	! grep -q "lost" ts$n.err && grep -q " 0 lost" st$n.txt.err
}

for n in 1 2 3; do
	if attempt $n; then
		python3 - st$n.txt ts$n.txt $SERVERS $CLIENTS <<'PY' && pass vs_tcpstates || fail vs_tcpstates
import sys
from collections import defaultdict

mine, theirs, ports = sys.argv[1], sys.argv[2], {int(p) for p in sys.argv[3:]}

def parse(path):
    """TIME SKADDR PID COMM IP LADDR LPORT RADDR RPORT OLD -> NEW MS, read
    from both ends so a COMM holding blanks cannot shift the fields."""
    out = defaultdict(list)
    header = None
    for line in open(path):
        t = line.split()
        if not t:
            continue
        if header is None:
            header = t
            continue
        if len(t) < 13 or t[-3] != "->":
            raise SystemExit("%s: bad line %r" % (path, line))
        ev = dict(time=t[0], sk=t[1], ip=t[-9], laddr=t[-8], lport=int(t[-7]), raddr=t[-6],
                  rport=int(t[-5]), old=t[-4], new=t[-2], ms=float(t[-1]))
        if ev["lport"] in ports or ev["rport"] in ports:
            out[ev["sk"]].append(ev)
    return header, out

def secs(hms):
    h, m, s = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + s

hm, a = parse(mine)
ht, b = parse(theirs)
bad = []
if hm[0] != "TIME" or ht[0] not in ("TIME", "TIME(s)"):
    bad.append("headers %s / %s" % (hm[:2], ht[:2]))
if not a:
    bad.append("socktop printed none of the workload")
if set(a) != set(b):
    bad.append("skaddrs only socktop: %s; only tcpstates: %s" %
               (sorted(set(a) - set(b))[:4], sorted(set(b) - set(a))[:4]))
n = 0
for sk in sorted(set(a) & set(b)):
    x, y = a[sk], b[sk]
    same = lambda e: (e["ip"], e["laddr"], e["lport"], e["raddr"], e["rport"], e["old"], e["new"])
    if [same(e) for e in x] != [same(e) for e in y]:
        bad.append("%s: socktop %s, tcpstates %s" % (sk, [same(e) for e in x],
                                                     [same(e) for e in y]))
        continue
    for e, f in zip(x, y):
        n += 1
        if abs(e["ms"] - f["ms"]) > 1.0:
            bad.append("%s %s->%s: MS %.3f vs %.3f" % (sk, e["old"], e["new"], e["ms"], f["ms"]))
        d = abs(secs(e["time"]) - secs(f["time"])) % 86400
        if min(d, 86400 - d) > 1:
            bad.append("%s: TIME %s vs %s" % (sk, e["time"], f["time"]))
for m in bad[:10]:
    print("   ", m, file=sys.stderr)
print("compared %d transitions on %d sockets" % (n, len(a)), file=sys.stderr)
sys.exit(1 if bad or n < 40 else 0)
PY
		exit 0
	fi
done
skip vs_tcpstates "events lost in all 3 runs (host too busy): $(cat ts3.err st3.txt.err | tr '\n' ' ' | head -c 200)"
