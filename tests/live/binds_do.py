#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make real binds for the live tests and say what each should look like
in socktop's --stream binds --json output, one JSON object a line:
{"name": test name, "expect": {field: value, ...}}.

usage: binds_do.py free N      N ports of 41000-41999 free now for TCP and UDP on
                               127.0.0.1 and ::1 (found by a child process)
       binds_do.py all         every case (TCP/UDP, v4/v6, port 0, options,
                               SO_BINDTODEVICE, failures, another uid, implicit)
       binds_do.py uid UID     only the binds of a child that drops to UID
       binds_do.py ports P...  one TCP bind on each port (the first is
                               "binds_port_in", the others "binds_port_out")
       binds_do.py behaviour DENY_PORT  outcomes only (errno names), for comparing
                               runs; DENY_PORT is refused by a foreign program
Ports 41000-41999 only, chosen free at run time: that range lies inside the
ephemeral range, so any connection on the host (TIME_WAIT) can hold one.
"""
import ctypes
import errno
import json
import os
import random
import socket
import sys

IP_FREEBIND, IP_TRANSPARENT, IP_BIND_ADDRESS_NO_PORT = 15, 19, 24
IPV6_FREEBIND = 78
F, T, N, R, r, IMPLICIT = 1, 2, 4, 8, 16, 256
COMM = "bindlive"

libc = ctypes.CDLL(None, use_errno=True)
out = []


def set_comm(name):
    libc.prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME


def opts_str(flags):
    return "".join(c if flags & (1 << i) else "." for i, c in enumerate("FTNRr"))


def expect(name, sock_family, proto, addr, req_port, bound_port, flags=0, ifindex=0,
           ret=0, comm=COMM, uid=None, pid=None):
    e = {
        "pid": pid or os.getpid(), "tid": pid or os.getpid(),
        "uid": os.getuid() if uid is None else uid, "comm": comm,
        "family": 4 if sock_family == socket.AF_INET else 6, "proto": proto,
        "addr": addr, "req_port": req_port, "bound_port": bound_port,
        "port": bound_port or req_port, "opts": opts_str(flags), "flags": flags,
        "ifindex": ifindex, "ret": ret,
        "error": errno.errorcode[-ret] if ret else "", "implicit": bool(flags & IMPLICIT),
    }
    out.append({"name": name, "expect": e})


def sock(fam, kind, opts=()):
    s = socket.socket(fam, kind)
    for level, opt, val in opts:
        s.setsockopt(level, opt, val)
    return s


def bind(s, addr, port):
    """bind; returns 0 or -errno"""
    try:
        s.bind((addr, port))
        return 0
    except OSError as e:
        return -e.errno


keep = []


def port_free(p):
    for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            s = socket.socket(fam, kind)
            try:
                if fam == socket.AF_INET6:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                s.bind((addr, p))
            except OSError:
                return False
            finally:
                s.close()
    return True


def free_ports(n):
    """n free ports, probed by a child so its binds carry another pid"""
    rd, wr = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rd)
        set_comm("bindprobe")
        start = random.randrange(1000)
        found = []
        for i in range(1000):
            p = 41000 + (start + i) % 1000
            if port_free(p):
                found.append(p)
                if len(found) == n:
                    break
        os.write(wr, json.dumps(found).encode())
        os._exit(0)
    os.close(wr)
    data = b""
    while True:
        b = os.read(rd, 4096)
        if not b:
            break
        data += b
    os.waitpid(pid, 0)
    ports = json.loads(data)
    if len(ports) != n:
        sys.exit("binds_do: not enough free ports in 41000-41999")
    return ports


def case(name, fam, kind, addr, port, opts=(), flags=0, ifindex=0, want_ret=0):
    s = sock(fam, kind, opts)
    keep.append(s)
    ret = bind(s, addr, port)
    if ret != want_ret:
        print(f"# {name}: bind returned {ret}, wanted {want_ret}", file=sys.stderr)
    bound = s.getsockname()[1] if ret == 0 else 0
    proto = "TCP" if kind == socket.SOCK_STREAM else "UDP"
    expect(name, fam, proto, addr, port, bound, flags, ifindex, ret)
    return s


def all_cases():
    A4, A6 = socket.AF_INET, socket.AF_INET6
    TCP, UDP = socket.SOCK_STREAM, socket.SOCK_DGRAM
    SOL = socket.SOL_SOCKET
    p = free_ports(12)
    lst = case("binds_tcp4", A4, TCP, "127.0.0.1", p[0], [(SOL, socket.SO_REUSEADDR, 1)],
               flags=R)
    lst.listen(8)
    case("binds_tcp6", A6, TCP, "::1", p[1])
    case("binds_udp4", A4, UDP, "127.0.0.1", p[2])
    case("binds_udp6_port0", A6, UDP, "::1", 0)
    case("binds_tcp4_port0", A4, TCP, "127.0.0.1", 0)
    case("binds_opt_F", A4, TCP, "127.0.0.1", p[3], [(socket.SOL_IP, IP_FREEBIND, 1)], flags=F)
    case("binds_opt_T", A4, TCP, "127.0.0.1", p[4], [(socket.SOL_IP, IP_TRANSPARENT, 1)],
         flags=T)
    nport = case("binds_opt_N", A4, TCP, "127.0.0.1", 0,
                 [(socket.SOL_IP, IP_BIND_ADDRESS_NO_PORT, 1)], flags=N)
    case("binds_opt_R", A4, UDP, "127.0.0.1", p[5], [(SOL, socket.SO_REUSEADDR, 1)], flags=R)
    case("binds_opt_r", A4, TCP, "127.0.0.1", p[6], [(SOL, socket.SO_REUSEPORT, 1)], flags=r)
    case("binds_opt_F6", A6, TCP, "::1", p[7], [(socket.IPPROTO_IPV6, IPV6_FREEBIND, 1)],
         flags=F)
    case("binds_bindtodevice_lo", A4, UDP, "127.0.0.1", p[8],
         [(SOL, socket.SO_BINDTODEVICE, b"lo")], ifindex=socket.if_nametoindex("lo"))
    case("binds_eaddrinuse", A4, TCP, "127.0.0.1", p[0], want_ret=-errno.EADDRINUSE)
    case("binds_eaddrnotavail", A4, TCP, "192.0.2.1", p[9], want_ret=-errno.EADDRNOTAVAIL)
    # implicit: listen() and connect() on sockets that never called bind()
    s = socket.socket(A4, TCP)
    keep.append(s)
    s.listen(1)
    expect("binds_implicit_listen", A4, "TCP", "0.0.0.0", 0, s.getsockname()[1],
           flags=IMPLICIT)
    c = socket.socket(A6, TCP)
    keep.append(c)
    l6 = case("binds_tcp6_listener", A6, TCP, "::1", p[10])
    l6.listen(1)
    c.connect(("::1", p[10]))
    expect("binds_implicit_connect6", A6, "TCP", "::1", 0, c.getsockname()[1],
           flags=IMPLICIT)
    u = socket.socket(A4, UDP)
    keep.append(u)
    u.connect(("127.0.0.1", p[2]))
    expect("binds_implicit_udp_connect", A4, "UDP", "127.0.0.1", 0, u.getsockname()[1],
           flags=IMPLICIT)
    # the N socket gets its port at connect(): an implicit event with N
    nport.connect(("127.0.0.1", p[0]))
    expect("binds_opt_N_connect", A4, "TCP", "127.0.0.1", 0, nport.getsockname()[1],
           flags=N | IMPLICIT)
    return p[11]


def child_binds(uid, port):
    """fork a child that drops to uid and binds; expectations use its pid"""
    rd, wr = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rd)
        set_comm(COMM + "_u")
        os.setgid(uid)
        os.setuid(uid)
        res = {}
        s = socket.socket()
        res["ok"] = bind(s, "127.0.0.1", port)
        res["ok_port"] = s.getsockname()[1]
        p = socket.socket()
        res["acces"] = bind(p, "127.0.0.1", 81)
        os.write(wr, json.dumps(res).encode())
        os._exit(0)
    os.close(wr)
    data = b""
    while True:
        b = os.read(rd, 4096)
        if not b:
            break
        data += b
    os.waitpid(pid, 0)
    res = json.loads(data)
    expect("binds_other_uid", socket.AF_INET, "TCP", "127.0.0.1", port, res["ok_port"],
           ret=res["ok"], comm=COMM + "_u", uid=uid, pid=pid)
    with open("/proc/sys/net/ipv4/ip_unprivileged_port_start") as f:
        unpriv = int(f.read())
    if unpriv > 81:
        expect("binds_eacces_other_uid", socket.AF_INET, "TCP", "127.0.0.1", 81, 0,
               ret=-errno.EACCES, comm=COMM + "_u", uid=uid, pid=pid)
        if res["acces"] != -errno.EACCES:
            print(f"# eacces: bind returned {res['acces']}", file=sys.stderr)


def behaviour(deny):
    """outcomes only: the same program must see the same with socktop"""
    A4, A6 = socket.AF_INET, socket.AF_INET6
    p = free_ports(4)
    res = []
    a = sock(A4, socket.SOCK_STREAM)
    keep.append(a)
    res.append(("tcp4 P", bind(a, "127.0.0.1", p[0])))
    a.listen(4)
    b = sock(A4, socket.SOCK_STREAM)
    res.append(("tcp4 P again", bind(b, "127.0.0.1", p[0])))
    c = sock(A4, socket.SOCK_STREAM)
    res.append(("tcp4 DENY (foreign program denies)", bind(c, "127.0.0.1", deny)))
    d = sock(A6, socket.SOCK_DGRAM)
    res.append(("udp6 Q", bind(d, "::1", p[1])))
    e = sock(A4, socket.SOCK_DGRAM)
    res.append(("udp4 192.0.2.1", bind(e, "192.0.2.1", p[2])))
    f = sock(A4, socket.SOCK_STREAM)
    res.append(("tcp4 port 0", bind(f, "127.0.0.1", 0)))
    g = sock(A4, socket.SOCK_STREAM, [(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)])
    h = sock(A4, socket.SOCK_STREAM, [(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)])
    res.append(("reuseport first", bind(g, "127.0.0.1", p[3])))
    res.append(("reuseport second", bind(h, "127.0.0.1", p[3])))
    k = sock(A4, socket.SOCK_STREAM)
    try:
        k.connect(("127.0.0.1", p[0]))
        res.append(("connect unbound", 0))
    except OSError as ex:
        res.append(("connect unbound", -ex.errno))
    for name, ret in res:
        print(f"{name}: {errno.errorcode[-ret] if ret else 'OK'}")


def main():
    set_comm(COMM)
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what == "free":
        print(" ".join(str(p) for p in free_ports(int(sys.argv[2]))))
        return
    if what == "behaviour":
        behaviour(int(sys.argv[2]))
        return
    if what == "all":
        child_binds(65534, all_cases())
    elif what == "uid":
        child_binds(int(sys.argv[2]), free_ports(1)[0])
    elif what == "ports":
        for i, p in enumerate(sys.argv[2:]):
            case("binds_port_in" if i == 0 else "binds_port_out", socket.AF_INET,
                 socket.SOCK_STREAM, "127.0.0.1", int(p))
    for o in out:
        print(json.dumps(o))


main()
