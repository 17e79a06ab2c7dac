#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check socktop's output for the processes of hostile_do.py.

usage: check_hostile.py clean FILE...
       check_hostile.py stream KIND FORMAT FILE   KIND states|binds|connects,
                                                  FORMAT text|csv|json
       check_hostile.py snapshot FORMAT FILE PORT_A PORT_B   FORMAT text|json
       check_hostile.py format FORMAT FILE [TEXT]   FORMAT text|csv|json
       check_hostile.py journal-recv SOCKET FILE   (a stand-in journald)
       check_hostile.py journal FILE

clean: the bytes hold no C0 control but newline, no DEL, no C1 (raw or
UTF-8), no invalid UTF-8 and no bidi or invisible code point.
stream: clean, every line the same number of columns (text: of fields;
CSV: parsed with the csv module; JSON: every line valid), and both hostile
names present, escaped exactly as documented (text: cut to the column).
snapshot: clean, and the listeners on PORT_A and PORT_B are owned by the
parent and the child under their escaped names.
format: clean, CSV rows as wide as the header, every JSON line valid,
and TEXT (if given) in the file.
journal-recv: bind a datagram socket at SOCKET, append every datagram to
FILE (4-byte length, bytes) until killed. journal: parse each datagram as
journald's native protocol (KEY=VALUE lines, or KEY, 8-byte length, VALUE);
every value clean, OBJECT_COMM and MESSAGE hold both escaped names.
Exit 0 when all holds; says what failed on stderr.
"""
import csv
import io
import json
import struct
import sys

# hostile_do.py's names as socktop must print them (TEXT and CSV cells,
# and JSON strings once decoded: the backslashes are literal)
PARENT = r'\x1b]0;pwned\x07\x1b[2J'
CHILD = r'\x9b,"\x0a\xc2\x9b\u202es'

HIDDEN = {0xad, 0x61c, 0x180e, 0xfeff} | set(range(0x200b, 0x2010)) | \
    set(range(0x2028, 0x202f)) | set(range(0x2060, 0x2070)) | \
    set(range(0xfff9, 0xfffc)) | set(range(0xe0000, 0xe0080))


def die(msg):
    print('  ' + msg, file=sys.stderr)
    sys.exit(1)


def clean(path):
    data = open(path, 'rb').read()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        die(f'{path}: invalid UTF-8 at byte {e.start}: {data[e.start:e.start + 8]!r}')
    for i, ch in enumerate(text):
        o = ord(ch)
        if (o < 0x20 and ch != '\n') or 0x7f <= o < 0xa0 or o in HIDDEN:
            die(f'{path}: raw U+{o:04X} at char {i}: {text[max(0, i - 20):i + 20]!r}')
    return text


def stream(kind, fmt, path):
    text = clean(path)
    lines = [l for l in text.split('\n') if l and not l.startswith('socktop:')]
    if not lines:
        die(f'{path}: no output')
    seen = set()
    if fmt == 'json':
        for l in lines:
            try:
                e = json.loads(l)
            except ValueError as err:
                die(f'{path}: not JSON ({err}): {l!r}')
            if e.get('comm') in (PARENT, CHILD):
                seen.add(e['comm'])
    elif fmt == 'csv':
        rows = list(csv.reader(io.StringIO('\n'.join(lines) + '\n')))
        head = rows[0]
        col = head.index('C-COMM' if kind == 'states' else 'COMM')
        for r in rows[1:]:
            if len(r) != len(head):
                die(f'{path}: {len(r)} columns, header has {len(head)}: {r!r}')
            if r[col] in (PARENT, CHILD):
                seen.add(r[col])
    else:
        width = len(lines[0].split())
        for l in lines[1:]:
            mine = [n for n in (PARENT, CHILD) if any(
                len(f) >= 8 and n.startswith(f) for f in l.split())]
            if not mine:
                continue
            if len(l.split()) != width:
                die(f'{path}: {len(l.split())} fields, header has {width}: {l!r}')
            seen.update(mine)
    if seen != {PARENT, CHILD}:
        die(f'{path}: escaped names seen {sorted(seen)}, want both of {PARENT} {CHILD}')


def fmt_only(fmt, path, want=None):
    text = clean(path)
    lines = [l for l in text.split('\n') if l]
    if fmt == 'json':
        for l in lines:
            try:
                json.loads(l)
            except ValueError as err:
                die(f'{path}: not JSON ({err}): {l!r}')
    elif fmt == 'csv' and lines:
        rows = list(csv.reader(io.StringIO('\n'.join(lines) + '\n')))
        for r in rows[1:]:
            if len(r) != len(rows[0]):
                die(f'{path}: {len(r)} columns, header has {len(rows[0])}: {r!r}')
    if want is not None and want not in text:
        die(f'{path}: {want!r} not found')


def snapshot(fmt, path, port_a, port_b):
    text = clean(path)
    want = {port_a: PARENT, port_b: CHILD}
    found = {}
    for l in text.split('\n'):
        if fmt == 'json':
            if not l.strip():
                continue
            try:
                e = json.loads(l)
            except ValueError as err:
                die(f'{path}: not JSON ({err}): {l!r}')
            if e['lport'] in want and e['rport'] == 0:
                names = [e['comm']] + [o['comm'] for o in e['owners']]
                found[e['lport']] = want[e['lport']] in names
        else:
            f = l.split()
            for p in want:
                if len(f) >= 4 and f[0] == 'LISTEN' and f[1].endswith(f':{p}'):
                    # inside users:(("NAME",...)) a '"' of the name is \" (ss)
                    name = want[p].replace('"', '\\"')
                    found[p] = f'("{name}",pid=' in l
    for p in want:
        if not found.get(p):
            die(f'{path}: listener on {p} not shown owned by {want[p]}')


def journal_recv(sock, path):
    import os
    import socket
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(sock):
        os.unlink(sock)
    s.bind(sock)
    with open(path, 'ab', buffering=0) as f:
        while True:
            d = s.recv(65536)
            f.write(struct.pack('<I', len(d)) + d)


def journal_fields(d):
    i, out = 0, []
    while i < len(d):
        nl, eq = d.find(b'\n', i), d.find(b'=', i)
        if eq != -1 and (nl == -1 or eq < nl):
            out.append((d[i:eq], d[eq + 1:nl]))
            i = nl + 1
        else:
            n = struct.unpack('<Q', d[nl + 1:nl + 9])[0]
            out.append((d[i:nl], d[nl + 9:nl + 9 + n]))
            if d[nl + 9 + n:nl + 10 + n] != b'\n':
                die(f'journal: bad binary field {d[i:nl]!r}')
            i = nl + 10 + n
    return out


def journal(path):
    data, i, seen = open(path, 'rb').read(), 0, {}
    while i + 4 <= len(data):
        n = struct.unpack('<I', data[i:i + 4])[0]
        for k, v in journal_fields(data[i + 4:i + 4 + n]):
            try:
                t = v.decode('utf-8')
            except UnicodeDecodeError:
                die(f'journal: {k!r} is not UTF-8: {v!r}')
            for ch in t:
                if ord(ch) < 0x20 or 0x7f <= ord(ch) < 0xa0 or ord(ch) in HIDDEN:
                    die(f'journal: {k!r} holds raw U+{ord(ch):04X}: {v!r}')
            for name in (PARENT, CHILD):
                if k == b'OBJECT_COMM' and t == name or k == b'MESSAGE' and \
                        t.startswith(name + ' '):
                    seen.setdefault(name, set()).add(k)
        i += 4 + n
    for name in (PARENT, CHILD):
        if seen.get(name) != {b'OBJECT_COMM', b'MESSAGE'}:
            die(f'journal: {name} in {sorted(seen.get(name, []))}, want OBJECT_COMM and MESSAGE')


if __name__ == '__main__':
    a = sys.argv[1:]
    if a and a[0] == 'clean':
        for p in a[1:]:
            clean(p)
    elif len(a) == 4 and a[0] == 'stream':
        stream(a[1], a[2], a[3])
    elif len(a) in (3, 4) and a[0] == 'format':
        fmt_only(a[1], a[2], a[3] if len(a) == 4 else None)
    elif len(a) == 3 and a[0] == 'journal-recv':
        journal_recv(a[1], a[2])
    elif len(a) == 2 and a[0] == 'journal':
        journal(a[1])
    elif len(a) == 5 and a[0] == 'snapshot':
        snapshot(a[1], a[2], int(a[3]), int(a[4]))
    else:
        die(__doc__)
