#!/usr/bin/env bash
# A hook the kernel refuses (injected with SOCKTOP_FAULT at load time, or
# --disable) costs the UI only that feature: the header names it with the
# reason in a word, the status line, the help page and the messages page
# give the whole reason (kernel lockdown named as such), the Binds pane
# says why it is empty, and the rest still works (rows from the states
# hook and the start-up snapshot). Without the states hook the UI does
# not start: one clear line, exit 1, and the terminal never touched (not
# one escape byte written, stty state the same). Live, root. Ports
# 23400-23499.
. "$(dirname "$0")/lib.sh"
tui_need tui-hooks
if [ "$(id -u)" != 0 ]; then skip tui-hooks "needs root (BPF)"; exit 0; fi
dir=$(mktemp -d /tmp/socktop-tui-hooks.XXXXXX)
trap 'tui_cleanup; [ -n "${pypid:-}" ] && kill "$pypid" 2>/dev/null; rm -rf "$dir"' EXIT

# a listener from before the start (the snapshot finds it), which accepts
# one connection once told to
cat >"$dir/srv.py" <<'PY'
import os, socket, sys, time
go = sys.argv[1]
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 23401)); s.listen(8)
while not os.path.exists(go):
    time.sleep(0.05)
c = socket.create_connection(('127.0.0.1', 23401)); a, _ = s.accept()
time.sleep(60)
PY
python3 "$dir/srv.py" "$dir/go" &
pypid=$!

# 1. binds under (simulated) confidentiality lockdown, connects refused
tui_start hooks 160 40 SOCKTOP_FAULT=binds:lockdown,connects:eperm --
if ! tui_wait ' live *$' 10; then
	if tui_screen | grep -q '^\[exit'; then skip tui-hooks "socktop could not start capture here"; exit 0; fi
	fail tui-hooks-start; exit 1
fi
check tui-hooks-header tui_wait 'binds off \(lockdown\)  connects off \(no permission\)  live *$'
check tui-hooks-status tui_wait '^feature connects off: load connect/accept programs: permission denied'
tui_keys /
tui_type 'port 23401'
tui_keys Enter
check tui-hooks-snapshot-still tui_wait 'python3 +(4 +)?127\.0\.0\.1:23401 +\* +LISTEN'
touch "$dir/go"
check tui-hooks-states-still tui_wait '127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:23401 +ESTABLISHED' 10
tui_keys F1
check tui-hooks-help-states tui_wait '^   states +on *$'
check tui-hooks-help-binds tui_wait '^   binds +off: load bind programs: kernel lockdown \(confidentiality\) forbids it'
check tui-hooks-help-connects tui_wait '^   connects +off: load connect/accept programs: permission denied'
check tui-hooks-help-iters tui_wait '^   iters +on *$'
tui_keys Escape L
check tui-hooks-log-binds tui_wait '^feature binds off: load bind programs: kernel lockdown \(confidentiality\) forbids it'
check tui-hooks-log-connects tui_wait '^feature connects off: load connect/accept programs: permission denied'
tui_keys Escape Tab
check tui-hooks-binds-pane tui_wait 'binds off: load bind programs: kernel lockdown \(confidentiality\) forbids it'
tui_keys q
check tui-hooks-exit tui_wait '^\[exit 0\]'

# 2. --disable, lockdown in integrity mode, a missing iterator hook (the
# start-up snapshot falls back to sock_diag); a narrow header keeps the
# names only
tui_start hooks2 160 40 SOCKTOP_FAULT=binds:lockdown-integrity,iters:enoent -- --disable connects
tui_wait ' live *$' 10 >/dev/null
check tui-hooks-disable-header tui_wait 'binds off \(lockdown\)  connects off \(disabled\)  iters off \(missing\)  live *$'
tui_keys /
tui_type 'port 23401'
tui_keys Enter
check tui-hooks-diag-snapshot tui_wait '127\.0\.0\.1:23401 +\* +LISTEN'
tui_keys F1
check tui-hooks-help-integrity tui_wait '^   binds +off: load bind programs: kernel lockdown \(integrity\) forbids it'
check tui-hooks-help-disabled tui_wait '^   connects +off: disabled \(--disable connects\)'
check tui-hooks-help-missing tui_wait '^   iters +off: load iter/tcp and iter/task_file: hook not found in this kernel'
tui_keys Escape
tui_resize 64 20
check tui-hooks-narrow-header tui_wait 'off: binds,connects,iters  live *$'
tui_keys q
check tui-hooks-disable-exit tui_wait '^\[exit 0\]'

# 3. no states hook: the UI never starts. Every byte socktop writes to the
# terminal is kept (script), and the modes compared before and after.
cat >"$dir/run.sh" <<'EOF'
#!/bin/sh
dir=$1; shift
before=$(stty -g)
script -qfec "$*" "$dir/typescript"
rc=$?
after=$(stty -g)
if [ "$before" = "$after" ]; then echo "[stty same]"; else echo "[stty differs]"; fi
echo "[exit $rc]"
sleep 60
EOF
# fatal NAME FAULT MESSAGE-REGEX ARGS...
fatal() {
	local name=$1 fault=$2 want=$3
	shift 3
	tui_cleanup
	rm -f "$dir/typescript"
	TUI_SOCK="socktop-tui-hooks-$name-$$"
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 160 -y 30 \
		"env -i PATH=/usr/bin:/bin:/usr/sbin TERM=tmux-256color LANG=C.UTF-8 SOCKTOP_FAULT=$fault sh $dir/run.sh $dir $TUI_BIN $*"
	check "tui-hooks-$name-exit" tui_wait '^\[exit 1\]' 10
	check "tui-hooks-$name-message" tui_wait "^socktop: $want"
	check "tui-hooks-$name-stty" tui_wait '^\[stty same\]'
	# only the message (and script's own header line) reached the terminal
	if [ -f "$dir/typescript" ] && ! grep -q "$(printf '\033')" "$dir/typescript"; then
		pass "tui-hooks-$name-untouched"
	else
		fail "tui-hooks-$name-untouched" "escape bytes written: $(od -c "$dir/typescript" | head -5)"
	fi
}
fatal states-lockdown states:lockdown 'cannot capture TCP state changes: states off: load sock/inet_sock_set_state program: kernel lockdown \(confidentiality\) forbids it'
fatal states-disabled "" 'cannot capture TCP state changes: states off: disabled \(--disable states\)' --disable states
tui_done
