#!/usr/bin/env bash
# Live -Y: each state change goes to the journal as one native-protocol
# datagram with tcpstates' fields. A stand-in journal socket (the test's
# own, through SOCKTOP_JOURNAL_SOCKET) receives them; a missing journal is
# a clear error. Ports 20100-20199.
. "$(dirname "$0")/lib.sh"
need_live journal_fields journal_missing
cd "$TMP"
python3 - "$TMP/j.sock" "$TMP/j.out" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "wb") as out:
    while True:
        d = s.recv(65536)
        out.write(len(d).to_bytes(4, "little") + d)
        out.flush()
PY
PIDS+=($!)
for _ in $(seq 50); do [ -S j.sock ] && break; sleep 0.05; done
SOCKTOP_JOURNAL_SOCKET=$TMP/j.sock socktop_bg ev.json --stream --json -Y -L 20101 ||
	fail journal_start
python3 "$ROOT/tests/live/conn.py" --port 20101 --comm jtest >c.json
stop_socktop
sleep 0.2
python3 - "$TMP/j.out" ev.json c.json <<'PY' && pass journal_fields || fail journal_fields
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
ents, i = [], 0
while i < len(raw):
    n = int.from_bytes(raw[i:i + 4], "little"); d = raw[i + 4:i + 4 + n]; i += 4 + n
    e, j = {}, 0
    while j < len(d):
        nl = d.index(b"\n", j); line = d[j:nl]
        if b"=" in line:
            k, v = line.split(b"=", 1); e[k.decode()] = v.decode(); j = nl + 1
        else:  # binary form: KEY\n le64 length, value \n
            ln = struct.unpack("<Q", d[nl + 1:nl + 9])[0]
            e[line.decode()] = d[nl + 9:nl + 9 + ln].decode(); j = nl + 9 + ln + 1
    ents.append(e)
evs = [json.loads(l) for l in open(sys.argv[2])]
c = json.load(open(sys.argv[3]))
assert len(ents) == len(evs) and evs, (len(ents), len(evs))
for e, v in zip(ents, evs):
    assert e["SYSLOG_IDENTIFIER"] == "tcpstates"
    assert e["OBJECT_TCP_OLD_STATE"] == v["oldstate"] and e["OBJECT_TCP_NEW_STATE"] == v["newstate"]
    assert e["OBJECT_IPV4_SOURCE_ADDRESS"] == v["laddr"] and e["OBJECT_TCP_SOURCE_PORT"] == str(v["lport"])
    assert e["OBJECT_IPV4_DESTINATION_ADDRESS"] == v["raddr"] and e["OBJECT_TCP_DESTINATION_PORT"] == str(v["rport"])
    assert e["OBJECT_PID"] == str(v["pid"]) and e["OBJECT_COMM"] == v["comm"]
    assert abs(int(e["OBJECT_TCP_SPAN_TIME"]) - round(v["ms"] * 1000)) <= 1
    assert v["oldstate"] in e["MESSAGE"] and v["newstate"] in e["MESSAGE"]
# the test's own connection: every transition of the local-port end
mine = [v for v in evs if v["lport"] == 20101 or v["rport"] == 20101]
assert len(mine) == 7, len(mine)  # -L: the listener 2, the server end 5
PY
SOCKTOP_JOURNAL_SOCKET=$TMP/none.sock "$SOCKTOP" --stream -Y --duration 1 >/dev/null 2>miss.err
rc=$?
check journal_missing grep -q 'cannot reach the systemd journal' miss.err
[ $rc -ne 0 ] || fail journal_missing_rc "exit 0 without a journal"
