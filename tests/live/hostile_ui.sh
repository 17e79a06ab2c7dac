#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live (root), in tmux: processes whose names and command lines hold an
# OSC title (ESC ] 0 ; pwned BEL), a clear screen (ESC [ 2 J), C1 CSI raw
# and UTF-8, RLO, a newline, a comma and a quote (tests/live/hostile_do.py)
# connect and listen while the UI runs. The pane's title never changes,
# the bytes socktop wrote to the terminal (tmux pipe-pane) hold none of
# those sequences, and the connection rows, the detail page and the
# Processes pane (name and command line) show them escaped. An error
# naming such a path leaves the title alone too. Ports 24011-24019.
. "$(dirname "$0")/../tui/lib.sh"
ROOT=$TUI_ROOT
NAMES="hostile_ui_control hostile_ui_rows hostile_ui_detail hostile_ui_procs hostile_ui_cmdline"
NAMES+=" hostile_ui_title hostile_ui_raw hostile_ui_exit hostile_ui_error_path"
tui_need_live $NAMES
TMPD=$(mktemp -d /tmp/socktop-hostile-ui.XXXXXX)
HELPER=
finish() {
	[ -n "$HELPER" ] && kill "$HELPER" 2>/dev/null
	tui_cleanup
	rm -rf "$TMPD"
}
trap finish EXIT INT TERM
A=24011 B=24012
title() { tmux -L "$TUI_SOCK" display -p '#{pane_title}'; }
# what the terminal received: no OSC, no CSI 2J, no BEL, no C1 CSI (raw or
# UTF-8), no RLO
raw_clean() {
	! grep -aEq $'\x1b\\]|\x1b\\[2J|\x07|\xc2\x9b|\xe2\x80\xae' "$TMPD/raw" &&
		! LC_ALL=C grep -aq $'\x9b' "$TMPD/raw"
}

# the control: the same bytes written raw do change tmux's title, so the
# title check below can see an attack
tui_start hostile_ctl 80 24 -- --version
tmux -L "$TUI_SOCK" respawn-pane -k "printf '\\033]0;pwned\\007'; sleep 30"
for i in $(seq 1 40); do [ "$(title)" = pwned ] && break; sleep 0.05; done
if [ "$(title)" = pwned ]; then pass hostile_ui_control
else fail hostile_ui_control "tmux did not take the title: '$(title)'"; fi

tui_start hostile_ui 200 50 -- --disable binds
tmux -L "$TUI_SOCK" pipe-pane -o "cat >>$TMPD/raw"
if ! tui_wait 'Connections' 15; then
	fail hostile_ui_rows "UI did not start"
	exit 0
fi
before=$(title)
python3 "$ROOT/tests/live/hostile_do.py" $A $B 60 >"$TMPD/h" 2>&1 &
HELPER=$!
for i in $(seq 1 200); do grep -q '^ready' "$TMPD/h" && break; sleep 0.05; done
read -r _ PPID_H CPID_H < <(grep '^ready' "$TMPD/h")
tui_keys /
tui_type "port $A,$B"
tui_keys Enter
# rows: both names escaped (the column cuts them, never inside an escape)
check hostile_ui_rows tui_wait "^ +$PPID_H +\\\\x1b\]0;pwned.* 127\.0\.0\.1:$A +\* +LISTEN" 10
tui_wait "^ +$CPID_H +\\\\x9b,\"\\\\x0a.* 127\.0\.0\.1:$B +\* +LISTEN" 5 >/dev/null ||
	fail hostile_ui_rows "no escaped row for the child"

# the detail page of the parent's listener
tui_keys /
tui_keys C-u
tui_type "lport $A state listen"
tui_keys Enter
tui_wait "Filter: lport $A" 5 >/dev/null
tui_keys Home Enter
check hostile_ui_detail tui_wait 'comm \\x1b\]0;pwned\\x07\\x1b\[2J' 5
tui_keys Escape Escape

# the Processes pane: names, and the command line of the selected one
for i in 1 2 3; do
	tui_screen | grep -Eq 'PID +USER +COMM' && break
	tui_keys Tab
	sleep 0.2
done
check hostile_ui_procs tui_wait "^ +$PPID_H +[a-z]+ +\\\\x1b\]0;pwned" 10
tui_keys Home
for i in $(seq 1 60); do
	tui_screen | grep -Eq "^$CPID_H: " && break
	tui_keys Down
	sleep 0.05
done
check hostile_ui_cmdline tui_wait "^$CPID_H: hostile\\\\x1b\]0;pwned\\\\x07 .*hostile_do\.py go $A $B 60 \\\\x1b\[2J\\\\x9b,\"\\\\u202e" 5
tui_wait "^ +$CPID_H +[a-z]+ +\\\\x9b,\"\\\\x0a" 5 >/dev/null ||
	fail hostile_ui_procs "child's name not escaped in the pane"

check hostile_ui_title [ "$(title)" = "$before" ]
check hostile_ui_raw raw_clean
tui_keys q
check hostile_ui_exit tui_wait '^\[exit 0\]' 10

# an error naming a path with escapes, in a terminal
tui_start hostile_err 120 24 -- --replay "$(printf '/nonexistent/x\033]0;pwn\007\033[2J')"
if tui_wait 'x\\x1b\]0;pwn\\x07\\x1b\[2J' 5 && tui_wait '^\[exit 2\]' 5 &&
	[ "$(title)" = "$before" ]; then
	pass hostile_ui_error_path
else
	fail hostile_ui_error_path "title '$(title)'"
fi
tui_done
