#!/usr/bin/env bash
# The UI on live capture (root): loopback connections made here, IPv4 and
# IPv6, show as rows with their owner, the detail page has their
# transitions, and closed ones go dim. Ports 47300-47399.
. "$(dirname "$0")/lib.sh"
tui_need tui-live
if [ "$(id -u)" != 0 ]; then skip tui-live "needs root (BPF)"; exit 0; fi
py=$(mktemp /tmp/socktop-tui-live.XXXXXX)
trap 'tui_cleanup; [ -n "${pypid:-}" ] && kill "$pypid" 2>/dev/null; rm -f "$py" "$py.go"' EXIT
cat >"$py" <<'PY'
import os, socket, sys, time
go = sys.argv[1]
srv4 = socket.socket(socket.AF_INET); srv4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv4.bind(('127.0.0.1', 47301)); srv4.listen(8)
srv6 = socket.socket(socket.AF_INET6); srv6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv6.bind(('::1', 47302)); srv6.listen(8)
while not os.path.exists(go):
    time.sleep(0.05)
c4 = socket.create_connection(('127.0.0.1', 47301)); a4, _ = srv4.accept()
c6 = socket.create_connection(('::1', 47302)); a6, _ = srv6.accept()
time.sleep(3)
c4.close()  # active close: FIN_WAIT1/2 on c4, CLOSE_WAIT on a4
time.sleep(20)
PY
python3 "$py" "$py.go" &
pypid=$!

tui_start live 120 40 -- # live capture
if ! tui_wait ' live *$' 10; then
	if tui_screen | grep -q '^\[exit'; then skip tui-live "socktop could not start capture here"; exit 0; fi
	fail tui-live-start; exit 1
fi
pass tui-live-start
touch "$py.go"
tui_keys /
tui_type 'port 47301,47302'
tui_keys Enter
check tui-live-v4 tui_wait "python3 +(4 +)?127\.0\.0\.1:[0-9]+ +127\.0\.0\.1:47301 +ESTABLISHED" 10
check tui-live-v6 tui_wait "python3 +(6 +)?\[::1\]:[0-9]+ +\[::1\]:47302 +ESTABLISHED" 10
check tui-live-listen tui_wait "python3 +(4 +)?127\.0\.0\.1:47301 +\* +LISTEN"
# the active closer goes through FIN_WAIT; its peer sits in CLOSE_WAIT
check tui-live-close-wait tui_wait "127\.0\.0\.1:47301 +127\.0\.0\.1:[0-9]+ +CLOSE_WAIT" 10
tui_keys /
tui_keys C-u
tui_type 'rport 47302'
tui_keys Enter
tui_wait 'Filter: rport 47302' >/dev/null
tui_keys Home Enter
check tui-live-detail tui_wait 'CLOSE -> SYN_SENT +[0-9]+ python3'
check tui-live-detail-est tui_wait 'SYN_SENT -> ESTABLISHED'
tui_keys Escape q
check tui-live-exit tui_wait '^\[exit 0\]' 10
tui_done
