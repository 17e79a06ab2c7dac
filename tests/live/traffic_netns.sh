#!/usr/bin/env bash
# Traffic counters of a container's connections: socktop runs in the
# host's namespace, the connections in a private one (its own loopback).
# A pass makes an iterator in every namespace (bpf/nswalk.h), so:
#  - two held connections (10 MiB up + 1 MiB down, and the reverse): the
#    last pull's counters equal `ip netns exec NS ss -tin`'s (idle by then);
#  - a paced flow (1.25 MiB/s): the UI's TX/s within 30% of ss's
#    bytes_acked over one second.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/tui/lib.sh"
T="traffic-netns-held traffic-netns-rate"
need_live $T
for c in ss tmux python3; do
	command -v $c >/dev/null || { for t in $T; do skip $t "$c not installed"; done; exit 0; }
done
NS=socktop-trN-$$
D=$TMP
done_ns() {
	ip netns pids "$NS" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}
trap 'tui_cleanup; done_ns; cleanup' EXIT
trap 'exit 143' INT TERM # a run timed out still ends its namespace's processes
if ! ip netns add "$NS" || ! ip -n "$NS" link set lo up; then
	for t in $T; do skip $t "cannot make a network namespace here"; done; exit 0
fi
ip netns exec "$NS" python3 "$ROOT/tests/live/traffic_peer.py" server 127.0.0.1 5003 &
PIDS+=($!)
for i in $(seq 1 100); do
	ip netns exec "$NS" ss -ltnH "sport = :5003" | grep -q . && break
	sleep 0.05
done

TUI_BIN="$SOCKTOP" tui_start traffic_netns 160 40 -- --record "$D/rec"
if ! tui_wait ' live, recording *$' 15; then fail traffic-netns-start "UI did not start"; exit 1; fi

ip netns exec "$NS" python3 "$ROOT/tests/live/traffic_peer.py" hold 127.0.0.1 5003 "$D" &
PIDS+=($!)
for i in $(seq 1 600); do [ -s "$D/held" ] && break; sleep 0.1; done
[ -s "$D/held" ] || { fail traffic-netns-held "transfers did not finish in 60 s"; exit 1; }
read -r P1 P2 HPID <"$D/held"
# two pulls with the sockets idle; passes are spaced out with the host's
# sockets (every namespace is walked), so a loaded host gets more tries
sleep 2.5
for try in 1 2 3 4 5 6; do
	ip netns exec "$NS" ss -tinH "( sport = :$P1 or sport = :$P2 )" >"$D/ss"
	sleep 1.5 # the recording is flushed each tick
	out=$(python3 "$ROOT/tests/live/traffic_check.py" nsheld "$D/rec" "$D/ss" "$P1" "$P2")
	grep -q '^FAIL' <<<"$out" || break
	echo "held totals not there yet (try $try of 6)" >&2
	sleep 2
done
echo "$out"

# a paced flow: the UI's TX/s against ss's bytes_acked over one second
ip netns exec "$NS" python3 "$ROOT/tests/live/traffic_peer.py" paced 127.0.0.1 5003 "$D" &
PIDS+=($!)
for i in $(seq 1 100); do [ -s "$D/paced" ] && break; sleep 0.05; done
read -r PP <"$D/paced"
tui_keys /
tui_type "lport $PP"
tui_keys Enter
rate_vs_ss traffic-netns-rate "$NS" "127\.0\.0\.1:$PP +127\.0\.0\.1:5003 +ESTABLISHED" "$PP"
touch "$D/close"
tui_keys q
tui_wait '^\[exit 0\]' 10 >/dev/null || fail traffic-netns-ui-exit
