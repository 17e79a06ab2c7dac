# SPDX-License-Identifier: GPL-2.0
"""Known transfers for tests/live/traffic.sh.

server ADDR PORT: for each connection read a 16-byte header (bytes the
  client sends, bytes it wants back), read those, send the others, then
  hold until the client closes.
hold ADDR PORT DIR: two connections, 10 MiB up + 1 MiB down and 1 MiB up +
  10 MiB down; when both are done writes their local ports to DIR/held and
  holds them until DIR/close exists, then closes them and writes DIR/closed.
paced ADDR PORT DIR: one connection sending 1.25 MiB/s for 8 s.
many ADDR PORT N SIZE DIR: N connections (8 at a time) that each receive
  SIZE bytes and close; writes DIR/many with its pid when all are done.
"""
import os
import socket
import struct
import sys
import threading
import time

MiB = 1 << 20


def recv_n(c, n):
    got = 0
    while got < n:
        b = c.recv(min(1 << 16, n - got))
        if not b:
            break
        got += len(b)
    return got


def serve(c):
    with c:
        hdr = b''
        while len(hdr) < 16:
            b = c.recv(16 - len(hdr))
            if not b:
                return
            hdr += b
        up, down = struct.unpack('!QQ', hdr)
        recv_n(c, up)
        c.sendall(b'd' * down)
        while c.recv(1 << 16):
            pass


def server(addr, port):
    s = socket.socket(socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(256)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def transfer(addr, port, up, down):
    c = socket.create_connection((addr, int(port)))
    c.sendall(struct.pack('!QQ', up, down) + b'u' * up)
    recv_n(c, down)
    return c


def write(path, text):
    with open(path + '.tmp', 'w') as f:
        f.write(text)
    os.rename(path + '.tmp', path)


def hold(addr, port, d):
    a = transfer(addr, port, 10 * MiB, 1 * MiB)
    b = transfer(addr, port, 1 * MiB, 10 * MiB)
    write(os.path.join(d, 'held'), '%d %d %d\n' % (a.getsockname()[1], b.getsockname()[1], os.getpid()))
    while not os.path.exists(os.path.join(d, 'close')):
        time.sleep(0.05)
    a.close()
    b.close()
    write(os.path.join(d, 'closed'), '1\n')
    time.sleep(2)


def paced(addr, port, d):
    """64 KiB every 50 ms for 8 s (1.25 MiB/s): writes DIR/paced with its
    local port once it sends"""
    chunk, n = 64 * 1024, 160
    c = socket.create_connection((addr, int(port)))
    c.sendall(struct.pack('!QQ', chunk * n, 0))
    write(os.path.join(d, 'paced'), '%d\n' % c.getsockname()[1])
    t = time.monotonic()
    for i in range(n):
        c.sendall(b'p' * chunk)
        t += 0.05
        time.sleep(max(0, t - time.monotonic()))
    c.close()


def many(addr, port, n, size, d):
    n, size = int(n), int(size)
    left = [n]
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not left[0]:
                    return
                left[0] -= 1
            c = socket.create_connection((addr, int(port)))
            c.sendall(struct.pack('!QQ', 0, size))
            recv_n(c, size)
            c.close()
    ts = [threading.Thread(target=worker) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    write(os.path.join(d, 'many'), '%d\n' % os.getpid())
    time.sleep(3)


if __name__ == '__main__':
    {'server': server, 'hold': hold, 'many': many, 'paced': paced}[sys.argv[1]](*sys.argv[2:])
