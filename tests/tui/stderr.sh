#!/usr/bin/env bash
# Whatever is written to stderr while the UI runs shows in the status line
# and the messages page, not behind the UI, and reaches stderr after exit.
# The write is made from inside the process by a preloaded stand-in for a
# library (build/tools/stderr_write.so: it wraps epoll_wait and writes at
# the first wait once fd 2 is socktop's capture pipe); without it, by gdb,
# and a gdb that cannot make the call
# (some CPUs: "Couldn't write extended state status") is a SKIP.
. "$(dirname "$0")/lib.sh"
tui_need tui-stderr
msg='warning: from a library'
shim=$TUI_ROOT/build/tools/stderr_write.so
pidf=$(mktemp /tmp/socktop-tui-stderr.XXXXXX)
trap 'tui_cleanup; rm -f "$pidf" "$pidf.gdb"' EXIT
TUI_SOCK="socktop-tui-stderr-$$"
run="$TUI_BIN --replay $TUI_FIX/basic.rec --no-pace"
if [ -f "$shim" ]; then
	how=preload
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
		"env TERM=tmux-256color LANG=C.UTF-8 LD_PRELOAD=$shim STDERR_WRITE_TEXT='$msg
' $run; echo \"[exit \$?]\"; sleep 30"
	tui_wait 'replay unpaced' >/dev/null
else
	how=gdb
	if ! command -v gdb >/dev/null; then skip tui-stderr "no $shim (make tools) and gdb not installed"; exit 0; fi
	if [ "$(id -u)" != 0 ] && [ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 0 ]; then
		skip tui-stderr "no $shim (make tools) and cannot attach gdb (not root, yama ptrace_scope)"; exit 0
	fi
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
		"env TERM=tmux-256color LANG=C.UTF-8 sh -c 'echo \$\$ > $pidf; exec $run'; echo \"[exit \$?]\"; sleep 30"
	tui_wait 'replay unpaced' >/dev/null
	timeout 20 gdb -q -batch -p "$(cat "$pidf")" \
		-ex "call (long)write(2, \"$msg\\n\", ${#msg} + 1)" >"$pidf.gdb" 2>&1
	if grep -q "Couldn't write\|Cannot access memory\|The program being debugged was signaled" "$pidf.gdb"; then
		skip tui-stderr "gdb cannot call write() in the process here: $(grep -m1 "Couldn't\|Cannot\|signaled" "$pidf.gdb")"
		exit 0
	fi
fi
check tui-stderr-status tui_wait "^$msg"
tui_keys L
check tui-stderr-page tui_wait 'Messages \(1 logged'
tui_keys Escape q
check tui-stderr-after tui_wait "^socktop: $msg"
check tui-stderr-exit tui_wait '^\[exit 0\]'
[ "$TUI_FAILS" -eq 0 ] && echo "# written by $how" >&2
tui_done
