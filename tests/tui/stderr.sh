#!/usr/bin/env bash
# Whatever is written to stderr while the UI runs shows in the status line
# and the messages page, not behind the UI, and reaches stderr after exit.
# The write is made from inside the process with gdb.
. "$(dirname "$0")/lib.sh"
tui_need tui-stderr
if ! command -v gdb >/dev/null; then skip tui-stderr "gdb not installed"; exit 0; fi
if [ "$(id -u)" != 0 ] && [ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 0 ]; then
	skip tui-stderr "cannot attach gdb (not root, yama ptrace_scope)"; exit 0
fi
pidf=$(mktemp /tmp/socktop-tui-stderr.XXXXXX)
trap 'tui_cleanup; rm -f "$pidf"' EXIT
TUI_SOCK="socktop-tui-stderr-$$"
tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
	"env TERM=tmux-256color LANG=C.UTF-8 sh -c 'echo \$\$ > $pidf; exec $TUI_BIN --replay $TUI_FIX/basic.rec --no-pace'; echo \"[exit \$?]\"; sleep 30"
tui_wait 'replay unpaced' >/dev/null
timeout 20 gdb -q -batch -p "$(cat "$pidf")" \
	-ex 'call (long)write(2, "warning: from a library\n", 24)' >/dev/null 2>&1
check tui-stderr-status tui_wait '^warning: from a library'
tui_keys L
check tui-stderr-page tui_wait 'Messages \(1 logged'
tui_keys Escape q
check tui-stderr-after tui_wait '^socktop: warning: from a library'
check tui-stderr-exit tui_wait '^\[exit 0\]'
tui_done
