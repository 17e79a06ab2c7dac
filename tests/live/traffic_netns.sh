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
sleep 2.5 # two pulls with the sockets idle
ip netns exec "$NS" ss -tinH "( sport = :$P1 or sport = :$P2 )" >"$D/ss"
sleep 1.5 # the recording is flushed each tick
python3 "$ROOT/tests/live/traffic_check.py" nsheld "$D/rec" "$D/ss" "$P1" "$P2"

# a paced flow: the UI's TX/s against ss's bytes_acked over one second
ip netns exec "$NS" python3 "$ROOT/tests/live/traffic_peer.py" paced 127.0.0.1 5003 "$D" &
PIDS+=($!)
for i in $(seq 1 100); do [ -s "$D/paced" ] && break; sleep 0.05; done
read -r PP <"$D/paced"
tui_keys /
tui_type "lport $PP"
tui_keys Enter
# TX/s of the paced row, counted from the right as the title line places
# it (the columns shown depend on the width)
txs_now() {
	local scr row after
	scr=$(tui_screen)
	row=$(grep -E "127\.0\.0\.1:$PP +127\.0\.0\.1:5003 +ESTABLISHED" <<<"$scr")
	after=$(grep -E ' PID .*TX/s' <<<"$scr" | head -1 | awk '{for (i = 1; i <= NF; i++) if ($i ~ /^TX\/s/) print NF - i}')
	awk -v k="${after:-0}" '{print $(NF - k)}' <<<"$row"
}
# a rate needs two pulls; passes are spaced wider on a host whose sockets
# make them costly (many TIME_WAIT): wait for the first rate, up to 6 s
for i in $(seq 1 60); do
	case $(txs_now) in ''|-) sleep 0.1 ;; *) break ;; esac
done
acked() { ip netns exec "$NS" ss -tinH "( sport = :$PP )" | grep -o 'bytes_acked:[0-9]*' | cut -d: -f2; }
a0=$(acked); t0=$(date +%s.%N); sleep 1; a1=$(acked); t1=$(date +%s.%N)
txs=$(txs_now)
python3 - "$a0" "$a1" "$t0" "$t1" "$txs" <<'PY'
import re, sys
a0, a1, t0, t1 = int(sys.argv[1] or 0), int(sys.argv[2] or 0), float(sys.argv[3]), float(sys.argv[4])
ss_rate = (a1 - a0) / (t1 - t0)
m = re.match(r'([\d.]+)(B|KiB|MiB|GiB)$', sys.argv[5])
mine = float(m.group(1)) * {'B': 1, 'KiB': 1024, 'MiB': 2**20, 'GiB': 2**30}[m.group(2)] if m else -1
good = ss_rate > 0 and abs(mine - ss_rate) <= 0.3 * ss_rate
print(('PASS traffic-netns-rate' if good else 'FAIL traffic-netns-rate: ') +
      ('' if good else 'socktop TX/s %s, ss %.0f B/s over the same second'
       % (sys.argv[5] or 'none', ss_rate)))
PY
touch "$D/close"
tui_keys q
tui_wait '^\[exit 0\]' 10 >/dev/null || fail traffic-netns-ui-exit
