#!/usr/bin/env bash
# Mouse (as htop): click a column title to sort (again: invert), click a
# row to select it, double-click for the detail page, wheel scrolls.
# Events are typed as xterm X10 mouse reports (tmux-256color's kmous).
. "$(dirname "$0")/lib.sh"
tui_need tui-mouse

# click X Y (0-based cell): press then release
click() {
	local b
	b=$(printf "\\x$(printf %x $((33 + $1)))\\x$(printf %x $((33 + $2)))")
	tui_type $'\e[M '"$b"
	tui_type $'\e[M#'"$b"
}

tui_start mouse 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null || { fail tui-mouse-start; exit 1; }
click 2 4
check tui-mouse-sort tui_wait 'PID▲ COMM'
sleep 0.5 # two clicks, not a double click
click 2 4
check tui-mouse-sort-invert tui_wait 'PID▼ COMM'
tui_keys I
tui_wait 'PID▲ COMM' >/dev/null
sleep 0.5
# sorted by PID: the sixth row is nginx on [::]:443
click 30 10
# the cursor row is drawn in the selection colours (black on cyan)
selected() {
	local i
	for ((i = 0; i < 60; i++)); do
		tui_colours | grep -q $'\e\\[30m\e\\[46m *[0-9]* nginx .*\\[::\\]:443' && return 0
		sleep 0.05
	done
	return 1
}
check tui-mouse-select selected
tui_keys Enter
check tui-mouse-select-detail tui_wait 'local  \[::\]:443'
tui_keys Escape
tui_wait 'PID▲ COMM' >/dev/null
sleep 0.5
click 30 8
click 30 8
check tui-mouse-double-click tui_wait 'comm redis-server'
tui_keys Escape q
tui_done
