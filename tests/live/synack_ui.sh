#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live, in tmux: the SYNACK column (a metric fed by tcp:tcp_retransmit_synack
# through EV_METRIC) counts the SYN-ACKs a listener retransmitted, the
# count the kernel's own TcpExtTCPSynRetrans says, and synack>N filters on
# it. In a network namespace of its own, a listener on port 25230 with
# TCP_DEFER_ACCEPT (1 s) drops the bare ACK of each of two clients that
# send nothing and retransmits its SYN-ACK once, at the end of the
# deferring, to which the client's ACK makes the connection; the clients
# send no SYN again (their connect succeeded), so the namespace's counter
# is the listener's alone.
. "$(dirname "$0")/../tui/lib.sh"
ROOT=$TUI_ROOT
NAMES="synack_ui_count synack_ui_none synack_ui_filter"
tui_need_live $NAMES
for c in ip nstat python3; do
	if ! command -v $c >/dev/null; then
		for t in $NAMES; do skip "$t" "$c not installed"; done
		exit 0
	fi
done
PORT=25230
NS=socktop-synack-$$
TMPD=$(mktemp -d /tmp/socktop-synack.XXXXXX)
HOLD=()
finish() {
	for p in "${HOLD[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	tui_cleanup
	rm -rf "$TMPD"
}
trap finish EXIT INT TERM

if ! { ip netns add "$NS" && ip -n "$NS" link set lo up; } 2>"$TMPD/ns.err"; then
	for t in $NAMES; do skip "$t" "cannot set up the namespace: $(head -c 200 "$TMPD/ns.err")"; done
	exit 0
fi
mkdir -p "$TMPD/conf/socktop"
echo "conns = state local remote synack" >"$TMPD/conf/socktop/columns"
tui_start synack 160 40 XDG_CONFIG_HOME="$TMPD/conf" --
if ! tui_wait ' live *$' 20 >/dev/null; then
	for t in $NAMES; do fail "$t" "socktop did not start"; done
	exit 0
fi
tui_keys /
tui_type "port $PORT"
tui_keys Enter
ip netns exec "$NS" python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
print("ready", flush=True)
time.sleep(60)' $PORT >"$TMPD/listen.out" 2>&1 &
HOLD+=($!)
for i in $(seq 1 100); do grep -q '^ready' "$TMPD/listen.out" && break; sleep 0.05; done
ip netns exec "$NS" python3 -c '
import socket, sys, time
c = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for i in range(2)]
print("connected", flush=True)
time.sleep(60)' $PORT >"$TMPD/client.out" 2>&1 &
HOLD+=($!)
# a retransmit a second after each SYN: wait for the kernel's count
want=0
for i in $(seq 1 60); do
	want=$(ip netns exec "$NS" nstat -asz TcpExtTCPSynRetrans | awk '$1 == "TcpExtTCPSynRetrans" {print $2}')
	[ "${want:-0}" -ge 2 ] && break
	sleep 0.1
done
if [ "${want:-0}" -lt 1 ]; then
	for t in $NAMES; do fail "$t" "the kernel retransmitted no SYN-ACK (nstat: '${want}')"; done
	exit 0
fi
check synack_ui_count tui_wait "LISTEN +127\.0\.0\.1:$PORT +\* +$want *\$" 5
# a client end had no SYN-ACK to send again: no sample, "-"
check synack_ui_none tui_wait "ESTABLISHED +127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:$PORT +- *\$" 5
tui_keys /
tui_keys C-u
tui_type "lport $PORT synack>=$want"
tui_keys Enter
ok=1
tui_wait "LISTEN +127\.0\.0\.1:$PORT +\* +$want *\$" 5 >/dev/null || ok=0
tui_keys /
tui_keys C-u
tui_type "lport $PORT synack>$want"
tui_keys Enter
tui_gone "LISTEN +127\.0\.0\.1:$PORT" 5 >/dev/null || ok=0
if [ $ok = 1 ]; then pass synack_ui_filter; else fail synack_ui_filter; fi
tui_keys q
tui_done
