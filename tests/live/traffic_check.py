# SPDX-License-Identifier: GPL-2.0
"""Checks for tests/live/traffic.sh: socktop's figures against ss -tin and
libbpf-tools' tcplife for the same sockets. Prints PASS/FAIL lines.

held REC SS PORTS...  the last sample of each held socket (local port)
                      equals ss -tin's counters taken after it
nsheld REC SS PORTS...  the same for sockets of another namespace than
                      socktop's, over a link that loses nothing
closed REC LIFE PORTS...  each closed socket's final counters equal
                      tcplife's TX_KB and RX_KB for the same ports
many LIFEJSON PID N SIZE  the process's connections add up to N * (SIZE+1)
                      received (bytes_received counts the peer's FIN)
"""
import json
import re
import sys

from rec_events import events


def ok(name, cond, why=''):
    print(('PASS %s' % name) if cond else ('FAIL %s: %s' % (name, why)))
    return cond


def ss_counters(path):
    """{local port: {acked, received, retrans, rtt_us, cwnd}} from ss -tinH"""
    out, lport = {}, None
    for line in open(path):
        if not line.startswith((' ', '\t')):
            f = line.split()
            lport = int(f[3].rsplit(':', 1)[1]) if len(f) >= 5 else None
            continue
        if lport is None:
            continue
        d = {}
        for k, key in (('bytes_acked', 'acked'), ('bytes_received', 'received'),
                       ('cwnd', 'cwnd')):
            m = re.search(r'\b%s:(\d+)' % k, line)
            d[key] = int(m.group(1)) if m else 0
        m = re.search(r'\bretrans:\d+/(\d+)', line)
        d['retrans'] = int(m.group(1)) if m else 0
        m = re.search(r'\brtt:([\d.]+)/', line)
        d['rtt_us'] = round(float(m.group(1)) * 1000) if m else 0
        out[lport] = d
    return out


def held(rec, ss, ports, name='traffic-held', lossy=True):
    got = ss_counters(ss)
    last = {}
    for e in events(rec):
        if e['kind'] == 'traffic' and not e['final'] and not e['pass_end']:
            last[e['lport']] = e
    good = True
    for p in map(int, ports):
        e, s = last.get(p), got.get(p)
        if not e or not s:
            good &= ok('%s-%d' % (name, p), False, 'no sample' if not e else 'not in ss')
            continue
        mine = dict(acked=e['tx'], received=e['rx'], retrans=e['retrans'])
        theirs = dict(acked=s['acked'], received=s['received'], retrans=s['retrans'])
        good &= ok('%s-totals-%d' % (name, p), mine == theirs,
                   'socktop %s, ss %s' % (mine, theirs))
        good &= ok('%s-rtt-cwnd-%d' % (name, p),
                   e['srtt_us'] == s['rtt_us'] and e['cwnd'] == s['cwnd'],
                   'socktop rtt %d us cwnd %d, ss %d us %d' % (e['srtt_us'], e['cwnd'],
                                                           s['rtt_us'], s['cwnd']))
    big = [last[int(p)]['tx'] for p in ports if int(p) in last]
    ok('%s-sizes' % name, sorted(big) == sorted([10 * 2**20 + 17, 2**20 + 17]),
       'TX %s, expected 10 MiB and 1 MiB (+ header, SYN and FIN)' % big)
    if lossy:
        retr = sum(last[int(p)]['retrans'] for p in ports if int(p) in last)
        ok('traffic-held-retransmits', retr > 0, 'no retransmit through the lossy link')
    return good


def closed(rec, life, ports):
    finals = {}
    for e in events(rec):
        if e['kind'] == 'traffic' and e['final']:
            finals[(e['lport'], e['rport'])] = e
    lines = {}
    for line in open(life):
        f = line.split()
        if len(f) >= 9 and f[0].isdigit():
            lines[(int(f[3]), int(f[5]))] = (f[6], f[7])
    for p in map(int, ports):
        fin = [v for k, v in finals.items() if k[0] == p]
        tl = [v for k, v in lines.items() if k[0] == p]
        if not fin or not tl:
            ok('traffic-closed-%d' % p, False,
               'no final sample' if not fin else 'tcplife printed no line')
            continue
        mine = ('%.2f' % (fin[-1]['tx'] / 1024), '%.2f' % (fin[-1]['rx'] / 1024))
        ok('traffic-closed-vs-tcplife-%d' % p, mine == tl[-1],
           'socktop TX_KB RX_KB %s, tcplife %s' % (mine, tl[-1]))


def many(lifejson, pid, n, size):
    pid, n, size = int(pid), int(n), int(size)
    rx = cnt = 0
    for line in open(lifejson):
        d = json.loads(line)
        if d['pid'] == pid:
            rx += d['rx_bytes']
            cnt += 1
    ok('traffic-many-count', cnt == n, '%d connections of pid %d, expected %d' % (cnt, pid, n))
    ok('traffic-many-rx-total', rx == n * (size + 1),
       'RX total %d, expected %d' % (rx, n * (size + 1)))


def replayed(live, replay, ports):
    """the replay's --stream=life --json lines equal the live run's, for
    the test's own connections (the host's others come and go between
    the two socktops' start-up snapshots)"""
    ports = set(map(int, ports))

    def lines(path):
        out = {}
        for line in open(path):
            d = json.loads(line)
            if d['lport'] in ports or d['rport'] in ports:
                out[(d['skaddr'], d['lport'], d['rport'])] = (d['tx_bytes'], d['rx_bytes'],
                                                            d['retrans'], d['pid'])
        return out
    a, b = lines(live), lines(replay)
    same = [k for k in a if k in b and a[k] == b[k]]
    ok('traffic-replay-same-finals', a and len(same) == len(a),
       '%d of %d live lines replayed the same' % (len(same), len(a)))


def retrans(stream, ss, ports):
    """--stream=retrans --json -D 5001: retransmit lines of the held
    sockets, at least one and at most their segments retransmitted (one
    event may carry several segments)"""
    got = ss_counters(ss)
    ports = set(map(int, ports))
    n, owners = 0, set()
    for line in open(stream):
        d = json.loads(line)
        if d['type'] == 'retransmit' and d['lport'] in ports:
            n += 1
            owners.add(d['pid'])
    total = sum(got[p]['retrans'] for p in ports if p in got)
    ok('traffic-retrans-stream', 0 < n <= total,
       '%d retransmit lines, %d segments retransmitted (ss)' % (n, total))
    ok('traffic-retrans-owner', len(owners) == 1 and 0 not in owners,
       'owners %s' % sorted(owners))


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'held':
        held(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == 'nsheld':
        held(sys.argv[2], sys.argv[3], sys.argv[4:], 'traffic-netns-held', False)
    elif cmd == 'closed':
        closed(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == 'many':
        many(*sys.argv[2:6])
    elif cmd == 'retrans':
        retrans(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == 'replayed':
        replayed(sys.argv[2], sys.argv[3], sys.argv[4:])
