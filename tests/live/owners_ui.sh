#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live, in tmux: the Processes pane. Its counts for a process started
# before socktop (found by the start-up snapshot) and for one started
# after (found by connect/listen/accept events) equal ss -tanp's; Enter
# shows that process's sockets, Esc comes back; a process that exits
# leaves the pane. Ports 42200-42299.
. "$(dirname "$0")/../tui/lib.sh"
ROOT=$TUI_ROOT
DO="python3 $ROOT/tests/live/owners_do.py"
CHECK="python3 $ROOT/tests/live/owners_check.py"
NAMES="procs_pane_snapshot_counts procs_pane_live_counts procs_enter_filters procs_esc_returns procs_tab_restores_filter procs_exited_goes"
tui_need_live $NAMES
TMPD=$(mktemp -d /tmp/socktop-owners-ui.XXXXXX)
HELPERS=()
finish() {
	for p in "${HELPERS[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.1
	for p in "${HELPERS[@]}"; do kill -9 "$p" 2>/dev/null; done
	tui_cleanup
	rm -rf "$TMPD"
}
trap finish EXIT INT TERM

wait_ready() { # FILE: up to 10 s for the helper's "ready" line
	local i
	for i in $(seq 1 200); do
		grep -q '^ready' "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
pick_port() {
	python3 - "$1" <<'PY'
import socket, sys
for p in range(int(sys.argv[1]), int(sys.argv[1]) + 10):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(p)
    break
PY
}

P1=$(pick_port 42200) P2=$(pick_port 42210)
$DO hold "$P1" >"$TMPD/h1" 2>&1 &
HELPERS+=($!)
wait_ready "$TMPD/h1" || { fail procs_pane_snapshot_counts "holder did not start"; exit 0; }
H1=$(awk '/^ready/ {print $2}' "$TMPD/h1")

tui_start owners_ui 200 50 -- --disable binds
tui_wait 'Connections' 15 || { fail procs_pane_snapshot_counts "UI did not start"; exit 0; }
for i in 1 2 3; do
	tui_screen | grep -Eq 'PID +USER +COMM' && break
	tui_keys Tab
	sleep 0.2
done
tui_wait "^ +$H1 " 10 || fail procs_pane_snapshot_counts "no row for $H1"

# a second holder started now: seen only through live events
$DO hold "$P2" >"$TMPD/h2" 2>&1 &
HELPERS+=($!)
wait_ready "$TMPD/h2" || fail procs_pane_live_counts "second holder did not start"
H2=$(awk '/^ready/ {print $2}' "$TMPD/h2")
tui_wait "^ +$H2 " 10 || fail procs_pane_live_counts "no row for $H2"
sleep 0.3 # one more frame after the last transition
tui_screen >"$TMPD/pane.txt"
ss -tanp >"$TMPD/ss.txt"
check procs_pane_snapshot_counts $CHECK procs "$TMPD/pane.txt" "$TMPD/ss.txt" "$H1"
check procs_pane_live_counts $CHECK procs "$TMPD/pane.txt" "$TMPD/ss.txt" "$H2"

# select H1 (its command line shows at the bottom), Enter, Esc
tui_keys Home
for i in $(seq 1 60); do
	tui_screen | grep -Eq "^$H1: " && break
	tui_keys Down
	sleep 0.05
done
tui_keys Enter
if tui_wait "Sockets of process $H1 " 5 && tui_wait "CLOSE_WAIT" 5; then
	# every socket row shown is H1's, and all four are there
	rows=$(tui_screen | grep -Ec "^ +$H1 +ownhold .*(LISTEN|ESTABLISHED|CLOSE_WAIT)")
	other=$(tui_screen | grep -E '^ +[0-9]+ ' | grep -Evc "^ +$H1 ")
	check procs_enter_filters [ "$rows" = 4 ] && [ "$other" = 0 ]
else
	fail procs_enter_filters "no socket page for $H1"
fi
tui_keys Escape
if tui_wait 'PID +USER +COMM' 5 && tui_gone "Sockets of process" 5; then
	pass procs_esc_returns
else
	fail procs_esc_returns
fi

# Tab away from the page puts the filter back too
tui_keys Enter
if tui_wait "Sockets of process $H1 " 5 && tui_wait "Filter: pid $H1" 5; then
	tui_keys Tab
	if tui_gone "Filter: pid" 5; then pass procs_tab_restores_filter
	else fail procs_tab_restores_filter; fi
else
	fail procs_tab_restores_filter "no socket page"
fi
for i in 1 2 3; do # back to the Processes pane
	tui_screen | grep -Eq 'PID +USER +COMM' && break
	tui_keys Tab
	sleep 0.2
done

# the second holder exits: its row leaves like a closed socket
kill "$(awk '/^ready/ {print $2}' "$TMPD/h2")"
if tui_gone "^ +$H2 " 20; then pass procs_exited_goes; else fail procs_exited_goes; fi
