#!/usr/bin/env bash
# The terminal is handed back in a usable state on q, on SIGTERM and on a
# fatal signal (SIGSEGV: restored by the handler, then the default action).
. "$(dirname "$0")/lib.sh"
tui_need tui-signals
pidf=$(mktemp /tmp/socktop-tui-signals.XXXXXX)
trap 'tui_cleanup; rm -f "$pidf"' EXIT

# run socktop with its pid in $pidf; afterwards print the exit status and
# whether the tty is back in canonical mode with echo
start() {
	tui_cleanup
	TUI_SOCK="socktop-tui-signals-$1-$$"
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
		"env TERM=tmux-256color LANG=C.UTF-8 SOCKTOP_THEMES=$TUI_ROOT/themes sh -c 'echo \$\$ > $pidf; exec $TUI_BIN --replay $TUI_FIX/basic.rec --no-pace'; echo \"[exit \$?]\"; stty -a | tr ' ' '\n' | grep -Ex -- '-?(icanon|echo)' | tr '\n' ' '; echo; sleep 30"
	tui_wait 'replay unpaced' >/dev/null
}

start term
kill -TERM "$(cat "$pidf")"
check tui-signals-term-exit tui_wait '^\[exit 0\]'
check tui-signals-term-tty tui_wait '^icanon echo'
check tui-signals-term-screen tui_gone 'replay unpaced'

start segv
kill -SEGV "$(cat "$pidf")"
check tui-signals-segv-exit tui_wait '^\[exit 139\]'
check tui-signals-segv-tty tui_wait '^icanon echo'
check tui-signals-segv-screen tui_gone 'replay unpaced'

start quit
tui_keys q
check tui-signals-quit-tty tui_wait '^icanon echo'
tui_done
