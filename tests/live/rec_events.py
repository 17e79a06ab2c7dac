# SPDX-License-Identifier: GPL-2.0
"""Read a socktop recording (tui/recording.c's format) for the live tests:
events(path) yields one dict per record, with the EV_TRAFFIC counters
(struct event's tcpi overlay) where the kind has them."""
import struct
import zlib

EV = {1: 'state', 2: 'bind', 3: 'connect', 4: 'connect_ret', 5: 'accept',
      6: 'snap_sock', 7: 'snap_owner', 8: 'snap_end', 9: 'traffic',
      10: 'retrans', 11: 'reset'}
TRAFFIC_FINAL = 1 << 16
TRAFFIC_PASS_END = 1 << 17
HEAD = struct.Struct('<QQIIIHHHHHBB16s16s')
TAIL = struct.Struct('<16siIIIQQ')
TCPI = struct.Struct('<QQIIIIQQ')


def events(path):
    # a recording still being written reads up to its last flush
    with open(path, 'rb') as f:
        data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(f.read())
    assert data[:8] == b'SOCKTOP\x1a', 'not a recording'
    version, hlen = struct.unpack_from('<II', data, 8)
    off = 16 + hlen
    while off + 4 <= len(data):
        (n,) = struct.unpack_from('<I', data, off)
        rec = data[off + 4:off + 4 + n]
        off += 4 + n
        if len(rec) < 120:
            break
        (ts, skaddr, pid, tid, uid, kind, family, proto, lport, rport, old, new,
         saddr, daddr) = HEAD.unpack_from(rec, 0)
        comm, ret, ifindex, flags, pstart, cgroup, aux = TAIL.unpack_from(rec, 72)
        e = dict(version=version, ts=ts, skaddr=skaddr, pid=pid, uid=uid,
                 kind=EV.get(kind, kind), family=family, lport=lport,
                 rport=rport, old=old, new=new, flags=flags,
                 comm=comm.split(b'\0')[0].decode('utf-8', 'replace'))
        if kind == 9:
            (e['tx'], e['rx'], e['retrans'], e['srtt_us'], _, e['cwnd'],
             e['sent'], e['rate']) = TCPI.unpack_from(rec, 72)
            e['final'] = bool(flags & TRAFFIC_FINAL)
            e['pass_end'] = bool(flags & TRAFFIC_PASS_END)
        yield e
