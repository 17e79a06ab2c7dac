#!/usr/bin/env bash
# Traffic counters against the kernel's own tools: two private network
# namespaces joined by a veth with netem delay and loss; socktop (UI, with
# --record; and --stream=life --json) runs in the client's namespace
# (tbf's short queue drops instead where the kernel lacks netem).
#  - two held connections (10 MiB up + 1 MiB down, 1 MiB up + 10 MiB down,
#    retransmitting through the lossy link): the last pull's counters equal
#    ss -tin's for the same sockets (idle by then: the same instant);
#  - a paced flow (1.25 MiB/s): the UI's TX/s within 30% of ss's
#    bytes_acked over one second;
#  - when they close, the final counters equal libbpf-tools' tcplife's;
#  - 1000 connections of 4 KiB: the process's RX total adds up (its
#    --stream=life lines, and its Processes row).
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/tui/lib.sh"
T="traffic-held traffic-rate-vs-ss traffic-retrans traffic-closed traffic-many traffic-procs-rx traffic-replay"
need_live $T
for c in tc ss tmux python3; do
	command -v $c >/dev/null || { for t in $T; do skip $t "$c not installed"; done; exit 0; }
done
TCPLIFE=$(command -v tcplife || echo /usr/sbin/tcplife)
NSA=socktop-trA-$$ NSB=socktop-trB-$$
D=$TMP
done_ns() {
	ip netns pids "$NSA" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns pids "$NSB" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$NSA" 2>/dev/null; ip netns del "$NSB" 2>/dev/null
}
trap 'tui_cleanup; done_ns; cleanup' EXIT
trap 'exit 143' INT TERM # a run timed out still ends its namespaces' processes
if ! ip netns add "$NSA" || ! ip netns add "$NSB" ||
   ! ip link add vta netns "$NSA" type veth peer name vtb netns "$NSB"; then
	for t in $T; do skip $t "cannot make network namespaces and a veth here"; done; exit 0
fi
ip -n "$NSA" addr add 10.199.7.1/30 dev vta && ip -n "$NSB" addr add 10.199.7.2/30 dev vtb &&
ip -n "$NSA" link set vta up && ip -n "$NSB" link set vtb up &&
ip -n "$NSA" link set lo up && ip -n "$NSB" link set lo up || { fail traffic-setup "addresses"; exit 1; }
# netem delay and loss where the kernel has it; else a token bucket whose
# short queue drops what a 10 MiB burst overfills (retransmits all the same)
if ! ip netns exec "$NSA" tc qdisc add dev vta root netem delay 5ms loss 1% 2>/dev/null &&
   ! ip netns exec "$NSA" tc qdisc add dev vta root tbf rate 100mbit burst 32kb limit 48kb; then
	for t in $T; do skip $t "neither tc netem nor tbf here"; done; exit 0
fi
ip netns exec "$NSB" python3 "$ROOT/tests/live/traffic_peer.py" server 10.199.7.2 5001 &
PIDS+=($!)
ip netns exec "$NSA" python3 "$ROOT/tests/live/traffic_peer.py" server 127.0.0.1 5002 &
PIDS+=($!)
for i in $(seq 1 100); do
	ip netns exec "$NSB" ss -ltnH "sport = :5001" | grep -q . &&
		ip netns exec "$NSA" ss -ltnH "sport = :5002" | grep -q . && break
	sleep 0.05
done

# socktop runs in the client's namespace: its pull sees that namespace's sockets
cat >"$D/st" <<SH
#!/bin/sh
exec /usr/sbin/ip netns exec $NSA $SOCKTOP "\$@"
SH
chmod +x "$D/st"
stdbuf -oL "$TCPLIFE" >"$D/tcplife" 2>"$D/tcplife.err" &
LIFEPID=$!; PIDS+=($LIFEPID)
SOCKTOP="$D/st" socktop_bg "$D/life.json" --stream=life --json || { fail traffic-start "stream"; exit 1; }
LSPID=$SPID
SOCKTOP="$D/st" socktop_bg "$D/retrans.json" --stream=retrans --json -D 5001 ||
	{ fail traffic-start "retrans stream"; exit 1; }
RSPID=$SPID
TUI_BIN="$D/st" tui_start traffic 160 40 -- --record "$D/rec"
if ! tui_wait ' live, recording *$' 15; then fail traffic-start "UI did not start"; exit 1; fi
sleep 1 # tcplife's programs attach

ip netns exec "$NSA" python3 "$ROOT/tests/live/traffic_peer.py" hold 10.199.7.2 5001 "$D" &
PIDS+=($!)
for i in $(seq 1 600); do [ -s "$D/held" ] && break; sleep 0.1; done
[ -s "$D/held" ] || { fail traffic-held "transfers did not finish in 60 s"; exit 1; }
read -r P1 P2 HPID <"$D/held"
sleep 2.5 # two pulls with the sockets idle
ip netns exec "$NSA" ss -tinH "( sport = :$P1 or sport = :$P2 )" >"$D/ss"
sleep 1.5 # the recording is flushed each tick
python3 "$ROOT/tests/live/traffic_check.py" held "$D/rec" "$D/ss" "$P1" "$P2"
SPID=$RSPID stop_socktop
python3 "$ROOT/tests/live/traffic_check.py" retrans "$D/retrans.json" "$D/ss" "$P1" "$P2"

# a paced flow: the UI's TX/s against ss's bytes_acked over one second
ip netns exec "$NSA" python3 "$ROOT/tests/live/traffic_peer.py" paced 10.199.7.2 5001 "$D" &
PIDS+=($!)
for i in $(seq 1 100); do [ -s "$D/paced" ] && break; sleep 0.05; done
read -r PP <"$D/paced"
tui_keys /
tui_type "lport $PP"
tui_keys Enter
sleep 1 # past the slow start
rate_vs_ss traffic-rate-vs-ss "$NSA" "10\.199\.7\.1:$PP +10\.199\.7\.2:5001 +ESTABLISHED" "$PP"
tui_keys /
tui_keys C-u Enter
touch "$D/close"
for i in $(seq 1 100); do [ -s "$D/closed" ] && break; sleep 0.1; done
ip netns exec "$NSA" python3 "$ROOT/tests/live/traffic_peer.py" many 127.0.0.1 5002 1000 4096 "$D" &
PIDS+=($!)
for i in $(seq 1 600); do [ -s "$D/many" ] && break; sleep 0.1; done
[ -s "$D/many" ] || { fail traffic-many "1000 connections did not finish in 60 s"; exit 1; }
read -r MPID <"$D/many"
# the Processes pane: its RX counts the connections that ended
# (1000 x 4097 bytes = 3.9 MiB; it sent 1000 x 18 = 17.6 KiB), shown with
# a: it holds no socket any more
tui_keys Tab Tab a
check traffic-procs-rx tui_wait "^ *$MPID .* 17\.6KiB +3\.9MiB " 6
sleep 1
kill -INT "$LIFEPID" 2>/dev/null; wait "$LIFEPID" 2>/dev/null
SPID=$LSPID stop_socktop
tui_keys q
tui_wait '^\[exit 0\]' 10 >/dev/null || fail traffic-ui-exit
python3 "$ROOT/tests/live/traffic_check.py" closed "$D/rec" "$D/tcplife" "$P1" "$P2"
python3 "$ROOT/tests/live/traffic_check.py" many "$D/life.json" "$MPID" 1000 4096
# the UI's recording replays the same final counters and owners as the
# live stream printed, for the test's own connections
"$SOCKTOP" --replay "$D/rec" --stream=life --json >"$D/replay.json" 2>"$D/replay.err" ||
	fail traffic-replay "$(tail -1 "$D/replay.err")"
python3 "$ROOT/tests/live/traffic_check.py" replayed "$D/life.json" "$D/replay.json" 5001 5002
