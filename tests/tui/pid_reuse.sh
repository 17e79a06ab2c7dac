#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A reused pid, through a crafted recording: process "oldproc" (pid 500)
# listens, binds, connects, then exits (its connection left closing);
# the kernel gives pid 500 to "newproc", another start time, which
# connects once. The Processes pane shows one row for 500, the new
# process's: its name, its one socket and connect, not the old one's
# bind or orphan; the exit summary counts the pid taken over.
. "$(dirname "$0")/lib.sh"
tui_need tui-pid-reuse
TMPD=$(mktemp -d /tmp/socktop-pidreuse.XXXXXX)
trap 'tui_cleanup; rm -rf "$TMPD"' EXIT

python3 - "$TMPD/reuse.rec" <<'EOF'
import gzip, struct, sys
EV = struct.Struct('<QQIIIHHHHHBB16s16s16siIIIQQ')
STATE, BIND, CONNECT = 1, 2, 3
CLOSE, SYN_SENT, EST, FW1, LISTEN = 7, 2, 1, 4, 10
S = 1_000_000_000
T0 = 1000 * S
def ip(last):
    return bytes([127, 0, 0, last]) + bytes(12)
def ev(t, kind, sk, pid, comm, pstart, old=0, new=0, lport=0, rport=0, ret=0, aux=0):
    return struct.pack('<I', 120) + EV.pack(
        T0 + t, 0xffff888000000000 + sk * 0x1000, pid, pid, 1000, kind, 2, 6, lport, rport,
        old, new, ip(1), ip(2) if rport else bytes(16), comm.encode(), ret, 0, 0, pstart,
        0, aux)
evs = [
    ev(1 * S, STATE, 1, 500, 'oldproc', 1000, CLOSE, LISTEN, 8080),
    ev(1 * S + 1, BIND, 9, 500, 'oldproc', 1000, lport=8081),
    ev(1 * S + 2, STATE, 2, 500, 'oldproc', 1000, CLOSE, SYN_SENT, 0, 443),
    ev(1 * S + 3, CONNECT, 2, 500, 'oldproc', 1000, new=SYN_SENT, rport=443, ret=5,
       aux=T0 + 1 * S + 2),
    ev(1 * S + 4, STATE, 2, 0, 'swapper/0', 0, SYN_SENT, EST, 40000, 443),
    # it exits: the listener closes, its connection starts closing
    ev(2 * S, STATE, 1, 500, 'oldproc', 1000, LISTEN, CLOSE, 8080),
    ev(2 * S + 1, STATE, 2, 500, 'oldproc', 1000, EST, FW1, 40000, 443),
    # pid 500 again, another process
    ev(3 * S, STATE, 3, 500, 'newproc', 90000, CLOSE, SYN_SENT, 0, 80),
    ev(3 * S + 1, CONNECT, 3, 500, 'newproc', 90000, new=SYN_SENT, rport=80, ret=4,
       aux=T0 + 3 * S),
    ev(3 * S + 2, STATE, 3, 0, 'swapper/0', 0, SYN_SENT, EST, 40001, 80),
    ev(4 * S, STATE, 4, 600, 'other', 7000, CLOSE, LISTEN, 9090),
]
body = struct.pack('<IIQq72s72s', 120, 0, T0, 1_700_000_000 * S - T0, b'testhost', b'6.18')
hdr = b'SOCKTOP\x1a' + struct.pack('<II', 1, len(body)) + body
open(sys.argv[1], 'wb').write(gzip.compress(hdr + b''.join(evs)))
EOF
[ -s "$TMPD/reuse.rec" ] || { fail tui-pid-reuse "python3 could not write the recording"; exit 1; }

tui_start pid_reuse 160 30 -- --replay "$TMPD/reuse.rec" --no-pace
tui_wait 'Connections' 10 || { fail tui-pid-reuse "UI did not start"; exit 1; }
for i in 1 2 3; do
	tui_screen | grep -Eq 'PID +USER +COMM' && break
	tui_keys Tab
	sleep 0.2
done
if tui_wait '^ +500 .*newproc' 10; then
	tui_screen >"$TMPD/pane.txt"
	row=$(grep -E '^ +500 ' "$TMPD/pane.txt")
	# PID USER COMM LISTEN SOCKS ESTAB SYN CLOSE_W OTHER CONN/s ACC/s BINDS ERR
	read -r -a f <<<"$row"
	n=${#f[@]}
	grep -E "PID +USER|^ +500 " "$TMPD/pane.txt" | sed "s/^/# /"
	if [ "$(grep -cE '^ +500 ' "$TMPD/pane.txt")" = 1 ] && ! grep -q oldproc "$TMPD/pane.txt" &&
		[ "${f[n - 9]}" = 1 ] && [ "${f[n - 8]}" = 1 ] && [ "${f[n - 5]}" = 0 ] &&
		[ "${f[n - 2]}" = 0 ]; then
		pass tui-pid-reuse-row
	else
		fail tui-pid-reuse-row "row: $row"
		tui_dump
	fi
else
	fail tui-pid-reuse-row "no row for the new process"
fi
"$TUI_BIN" --replay "$TMPD/reuse.rec" --stream >/dev/null 2>"$TMPD/err"
check tui-pid-reuse-summary grep -q "; 1 pids taken by a new process" "$TMPD/err"
tui_done
