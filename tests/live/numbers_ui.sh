#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live, in tmux: the numbers are right on screen too. In a network
# namespace of its own, the helper of numbers.sh holds 3000 established
# loopback pairs (plus listeners, FIN_WAIT2, CLOSE_WAIT, TIME_WAIT); the
# UI started there finds them in its start-up snapshot, and its Processes
# pane row for the helper shows SOCKS, ESTAB and CLOSE_W equal to
# ss -tanp's counts for that pid. Ports 25000-25099 (numbers.sh's lock).
. "$(dirname "$0")/../tui/lib.sh"
ROOT=$TUI_ROOT
NAMES="numbers_ui_procs_counts"
tui_need_live $NAMES
if ! command -v ip >/dev/null; then
	for t in $NAMES; do skip "$t" "no ip command (iproute2)"; done
	exit 0
fi
TMPD=$(mktemp -d /tmp/socktop-numbers-ui.XXXXXX)
NS=socktop-numbers-ui-$$
exec 9>/tmp/socktop-numbers.lock
if ! flock -w 240 9; then
	for t in $NAMES; do skip "$t" "another numbers test held the lock for 240 s"; done
	exit 0
fi
if ! ip netns add "$NS" 2>"$TMPD/ns.err"; then
	for t in $NAMES; do skip "$t" "no network namespace: $(head -c 200 "$TMPD/ns.err")"; done
	exit 0
fi
finish() {
	# everything in the namespace is ours
	for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	tui_cleanup
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMPD"
}
trap finish EXIT INT TERM
ip netns exec "$NS" ip link set lo up

ip netns exec "$NS" python3 "$ROOT/tests/live/numbers_hold.py" 25000 "${NUMBERS_PAIRS:-3000}" \
	>"$TMPD/hold.out" 2>&1 &
for i in $(seq 1 600); do grep -q '^ready' "$TMPD/hold.out" && break; sleep 0.05; done
if ! grep -q '^ready' "$TMPD/hold.out"; then
	fail numbers_ui_procs_counts "holder did not start: $(head -c 300 "$TMPD/hold.out")"
	exit 0
fi
H=$(awk '/^ready/ {print $2}' "$TMPD/hold.out")

# the UI runs in the namespace: its snapshot and ss see the same sockets
printf '#!/bin/sh\nexec %s netns exec %s %s "$@"\n' "$(command -v ip)" "$NS" "$TUI_BIN" \
	>"$TMPD/socktop"
chmod +x "$TMPD/socktop"
TUI_BIN=$TMPD/socktop
tui_start numbers_ui 200 50 -- --disable binds
tui_wait 'Connections' 15 || { fail numbers_ui_procs_counts "UI did not start"; exit 0; }
for i in 1 2 3; do
	tui_screen | grep -Eq 'PID +USER +COMM' && break
	tui_keys Tab
	sleep 0.2
done
if tui_wait "^ +$H " 15; then
	sleep 0.5 # a frame after the snapshot's last socket
	tui_screen >"$TMPD/pane.txt"
	ip netns exec "$NS" ss -tanp >"$TMPD/ss.txt"
	grep -E "PID +USER|^ +$H " "$TMPD/pane.txt" | sed 's/^/# figure: /'
	check numbers_ui_procs_counts python3 "$ROOT/tests/live/owners_check.py" procs \
		"$TMPD/pane.txt" "$TMPD/ss.txt" "$H"
else
	fail numbers_ui_procs_counts "no row for the holder $H"
fi
