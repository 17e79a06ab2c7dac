#!/usr/bin/env bash
# Terminal checks happen before anything else: TERM=dumb, an unknown TERM
# and a stdout that is not a terminal each give one line and exit 2.
. "$(dirname "$0")/lib.sh"
tui_need tui-term
rec=$TUI_FIX/basic.rec

out=$(TERM=xterm "$TUI_BIN" --replay "$rec" 2>&1)
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q 'not a terminal' <<<"$out"; then
	pass tui-term-not-tty
else
	fail tui-term-not-tty "rc=$rc out=$out"
fi
# inside tmux (a real terminal) with bad TERMs
tui_start dumb 80 24 TERM=dumb -- --replay "$rec"
check tui-term-dumb tui_wait 'TERM is dumb.*\[exit 2\]|^\[exit 2\]'
tui_screen | grep -q 'TERM is dumb' && pass tui-term-dumb-msg || fail tui-term-dumb-msg
tui_cleanup
TUI_SOCK="socktop-tui-stdin-$$"
tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 80 -y 24 \
	"env TERM=tmux-256color $TUI_BIN --replay $rec </dev/null; echo \"[exit \$?]\"; sleep 30"
check tui-term-stdin tui_wait 'standard input is not a terminal'
check tui-term-stdin-rc tui_wait '^\[exit 2\]'
tui_start unknown 80 24 TERM=no-such-terminal-xyz -- --replay "$rec"
check tui-term-unknown tui_wait 'not known to terminfo'
check tui-term-unknown-rc tui_wait '^\[exit 2\]'
tui_done
