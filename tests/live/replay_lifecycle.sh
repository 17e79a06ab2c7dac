#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lifecycle edge cases through the binary: a crafted recording replayed
# with `socktop --replay X --stream -s` prints exactly the expected lines:
# the MS column (time in the old state) is never negative, wrapped or
# the span of another lifecycle: a reused skaddr, a missed CLOSE, stamps
# out of order across CPUs, lost transitions (a gap), another socket's
# events on a known address, a socket first seen mid-life, a transition
# after CLOSE, a listener's close, a stamp far ahead. The same recording
# replayed twice gives the same lines; the recording's events twice over
# in one file (stamps going back) give them twice. No root needed.
set -u
. "$(dirname "$0")/lib.sh"

NAMES="lifecycle_replay_lines lifecycle_replay_summary lifecycle_replay_deterministic lifecycle_replay_doubled"
if [ ! -x "$SOCKTOP" ] || ! command -v python3 >/dev/null; then
	for t in $NAMES; do skip "$t" "needs ./socktop and python3"; done
	exit 0
fi

python3 - "$TMP" <<'EOF'
import gzip, struct, sys
d = sys.argv[1]
EV = struct.Struct('<QQIIIHHHHHBB16s16s16siIIIQQ')
CLOSE, SYN_SENT, EST, FW1, FW2, CW, LA, LISTEN = 7, 2, 1, 4, 5, 8, 9, 10
MS = 1_000_000
T0 = 1000_000 * MS
def ip(last):
    return bytes([127, 0, 0, last]) + bytes(12)
def ev(ms, sk, old, new, comm, lport=40000, rport=443, raddr=2, fam=2, ts=None):
    return struct.pack('<I', 120) + EV.pack(
        T0 + ms * MS if ts is None else ts, 0xffff888000000000 + sk * 0x1000, 7, 7, 0,
        1, fam, 6, lport, rport, old, new, ip(1), ip(raddr) if rport else bytes(16),
        comm.encode(), 0, 0, 0, 0, 0, 0)
evs = [
    # A: a whole active close, then a listener born on the same address
    ev(0, 1, CLOSE, SYN_SENT, 'A'), ev(2, 1, SYN_SENT, EST, 'A'), ev(100, 1, EST, FW1, 'A'),
    ev(101, 1, FW1, FW2, 'A'), ev(103, 1, FW2, CLOSE, 'A'),
    ev(2000, 1, CLOSE, LISTEN, 'A2', 8080, 0), ev(2500, 1, LISTEN, CLOSE, 'A2', 8080, 0),
    # B: its CLOSE is lost; the next lifecycle's birth starts afresh
    ev(10, 2, CLOSE, SYN_SENT, 'B'), ev(11, 2, SYN_SENT, EST, 'B'),
    ev(5000, 2, CLOSE, SYN_SENT, 'B2', 40001), ev(5003, 2, SYN_SENT, EST, 'B2', 40001),
    # C: another CPU stamped the handshake before the SYN
    ev(3000, 3, CLOSE, SYN_SENT, 'C'), ev(2999, 3, SYN_SENT, EST, 'C'),
    ev(3010, 3, EST, FW1, 'C'),
    # D: ESTABLISHED>FIN_WAIT1 lost: the time in FIN_WAIT1 is unknown
    ev(20, 4, CLOSE, SYN_SENT, 'D'), ev(21, 4, SYN_SENT, EST, 'D'),
    ev(9000, 4, FW1, FW2, 'D'), ev(9005, 4, FW2, CLOSE, 'D'),
    # E: another socket's events on E's address (its CLOSE and birth lost)
    ev(30, 5, CLOSE, SYN_SENT, 'E'), ev(31, 5, SYN_SENT, EST, 'E'),
    ev(7000, 5, EST, CW, 'E2', 8080, 51000), ev(7004, 5, CW, LA, 'E2', 8080, 51000),
    # F: first seen mid-life
    ev(40, 6, EST, FW1, 'F'), ev(45, 6, FW1, FW2, 'F'),
    # G: refused, then a transition after CLOSE that is no birth
    ev(50, 7, CLOSE, SYN_SENT, 'G'), ev(51, 7, SYN_SENT, CLOSE, 'G'),
    ev(60, 7, EST, CW, 'G2', 40002), ev(61, 7, CW, LA, 'G2', 40002),
    # H: a stamp far ahead, then normal ones: never negative
    ev(70, 8, CLOSE, SYN_SENT, 'H'), ev(0, 8, SYN_SENT, EST, 'H', ts=T0 + 86400_000 * MS),
    ev(71, 8, EST, FW1, 'H'), ev(72, 8, FW1, FW2, 'H'),
]
body = struct.pack('<IIQq72s72s', 120, 0, T0, 1_700_000_000_000_000_000 - T0,
                   b'testhost', b'6.18')
hdr = b'SOCKTOP\x1a' + struct.pack('<II', 1, len(body)) + body
open(d + '/life.rec', 'wb').write(gzip.compress(hdr + b''.join(evs)))
open(d + '/twice.rec', 'wb').write(gzip.compress(hdr + b''.join(evs) * 2))
EOF
[ -s "$TMP/life.rec" ] || { for t in $NAMES; do fail "$t" "python3 could not write the recording"; done; exit 0; }

# SKADDR,C-PID,C-COMM,IP,LADDR,LPORT,RADDR,RPORT,OLDSTATE,NEWSTATE,MS
cat >"$TMP/want" <<'EOF'
SKADDR,C-PID,C-COMM,IP,LADDR,LPORT,RADDR,RPORT,OLDSTATE,NEWSTATE,MS
ffff888000001000,7,A,4,127.0.0.1,40000,127.0.0.2,443,CLOSE,SYN_SENT,0.000
ffff888000001000,7,A,4,127.0.0.1,40000,127.0.0.2,443,SYN_SENT,ESTABLISHED,2.000
ffff888000001000,7,A,4,127.0.0.1,40000,127.0.0.2,443,ESTABLISHED,FIN_WAIT1,98.000
ffff888000001000,7,A,4,127.0.0.1,40000,127.0.0.2,443,FIN_WAIT1,FIN_WAIT2,1.000
ffff888000001000,7,A,4,127.0.0.1,40000,127.0.0.2,443,FIN_WAIT2,CLOSE,2.000
ffff888000001000,7,A2,4,127.0.0.1,8080,0.0.0.0,0,CLOSE,LISTEN,0.000
ffff888000001000,7,A2,4,127.0.0.1,8080,0.0.0.0,0,LISTEN,CLOSE,500.000
ffff888000002000,7,B,4,127.0.0.1,40000,127.0.0.2,443,CLOSE,SYN_SENT,0.000
ffff888000002000,7,B,4,127.0.0.1,40000,127.0.0.2,443,SYN_SENT,ESTABLISHED,1.000
ffff888000002000,7,B2,4,127.0.0.1,40001,127.0.0.2,443,CLOSE,SYN_SENT,0.000
ffff888000002000,7,B2,4,127.0.0.1,40001,127.0.0.2,443,SYN_SENT,ESTABLISHED,3.000
ffff888000003000,7,C,4,127.0.0.1,40000,127.0.0.2,443,CLOSE,SYN_SENT,0.000
ffff888000003000,7,C,4,127.0.0.1,40000,127.0.0.2,443,SYN_SENT,ESTABLISHED,0.000
ffff888000003000,7,C,4,127.0.0.1,40000,127.0.0.2,443,ESTABLISHED,FIN_WAIT1,10.000
ffff888000004000,7,D,4,127.0.0.1,40000,127.0.0.2,443,CLOSE,SYN_SENT,0.000
ffff888000004000,7,D,4,127.0.0.1,40000,127.0.0.2,443,SYN_SENT,ESTABLISHED,1.000
ffff888000004000,7,D,4,127.0.0.1,40000,127.0.0.2,443,FIN_WAIT1,FIN_WAIT2,0.000
ffff888000004000,7,D,4,127.0.0.1,40000,127.0.0.2,443,FIN_WAIT2,CLOSE,5.000
ffff888000005000,7,E,4,127.0.0.1,40000,127.0.0.2,443,CLOSE,SYN_SENT,0.000
ffff888000005000,7,E,4,127.0.0.1,40000,127.0.0.2,443,SYN_SENT,ESTABLISHED,1.000
ffff888000005000,7,E2,4,127.0.0.1,8080,127.0.0.2,51000,ESTABLISHED,CLOSE_WAIT,0.000
ffff888000005000,7,E2,4,127.0.0.1,8080,127.0.0.2,51000,CLOSE_WAIT,LAST_ACK,4.000
ffff888000006000,7,F,4,127.0.0.1,40000,127.0.0.2,443,ESTABLISHED,FIN_WAIT1,0.000
ffff888000006000,7,F,4,127.0.0.1,40000,127.0.0.2,443,FIN_WAIT1,FIN_WAIT2,5.000
ffff888000007000,7,G,4,127.0.0.1,40000,127.0.0.2,443,CLOSE,SYN_SENT,0.000
ffff888000007000,7,G,4,127.0.0.1,40000,127.0.0.2,443,SYN_SENT,CLOSE,1.000
ffff888000007000,7,G2,4,127.0.0.1,40002,127.0.0.2,443,ESTABLISHED,CLOSE_WAIT,0.000
ffff888000007000,7,G2,4,127.0.0.1,40002,127.0.0.2,443,CLOSE_WAIT,LAST_ACK,1.000
ffff888000008000,7,H,4,127.0.0.1,40000,127.0.0.2,443,CLOSE,SYN_SENT,0.000
ffff888000008000,7,H,4,127.0.0.1,40000,127.0.0.2,443,SYN_SENT,ESTABLISHED,86399930.000
ffff888000008000,7,H,4,127.0.0.1,40000,127.0.0.2,443,ESTABLISHED,FIN_WAIT1,0.000
ffff888000008000,7,H,4,127.0.0.1,40000,127.0.0.2,443,FIN_WAIT1,FIN_WAIT2,0.000
EOF

timeout 10 "$SOCKTOP" --replay "$TMP/life.rec" --stream -s >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ] && diff -u "$TMP/want" "$TMP/out" >"$TMP/diff"; then
	pass lifecycle_replay_lines
else
	fail lifecycle_replay_lines "exit $rc; $(head -c 1500 "$TMP/diff") $(head -c 300 "$TMP/err")"
fi
# what the table inferred is said in the exit summary: C's and H's
# stamps (C: 1, H: 2), D's gap, E's other endpoints
if grep -q "lifecycles: 1 transitions from a state not seen entered (time in it unknown), 1 new on a known address (other endpoints), 3 stamps older than the last" "$TMP/err"; then
	pass lifecycle_replay_summary
else
	fail lifecycle_replay_summary "$(cat "$TMP/err")"
fi
timeout 10 "$SOCKTOP" --replay "$TMP/life.rec" --stream -s >"$TMP/out2" 2>/dev/null
check lifecycle_replay_deterministic cmp -s "$TMP/out" "$TMP/out2"
# the events twice in one file: the second copy's stamps go back to the
# start; every lifecycle there is new or a gap, so the lines repeat
{ cat "$TMP/want"; tail -n +2 "$TMP/want"; } >"$TMP/want2"
timeout 10 "$SOCKTOP" --replay "$TMP/twice.rec" --stream -s >"$TMP/out3" 2>"$TMP/err3"
if diff -u "$TMP/want2" "$TMP/out3" >"$TMP/diff3"; then
	pass lifecycle_replay_doubled
else
	fail lifecycle_replay_doubled "$(head -c 1500 "$TMP/diff3")"
fi
