#!/usr/bin/env bash
# Under a heavy event rate (loopback churn, root) the UI still answers
# keys at once: help opens and closes, the pane sorts, and it quits with
# the terminal back. Churn ports 29000-29127 (2 workers x 64 listeners).
. "$(dirname "$0")/lib.sh"
tui_need tui-live-load
if [ "$(id -u)" != 0 ]; then skip tui-live-load "needs root (BPF)"; exit 0; fi
churn=$TUI_ROOT/build/tools/churn
if [ ! -x "$churn" ]; then skip tui-live-load "no build/tools/churn"; exit 0; fi
trap 'tui_cleanup; [ -n "${cpid:-}" ] && kill "$cpid" 2>/dev/null; wait 2>/dev/null' EXIT

tui_start liveload 120 40 -- # live capture
if ! tui_wait ' live *$' 10; then
	if tui_screen | grep -q '^\[exit'; then skip tui-live-load "socktop could not start capture here"; exit 0; fi
	fail tui-live-load-start; exit 1
fi
"$churn" 8 29000 2 >/dev/null 2>&1 &
cpid=$!
# the rate shows in the header once a second has gone by
check tui-live-load-rate tui_wait 'changes/s [0-9]{4,}' 5
# keys answered within a second each, while events pour in
t0=$(date +%s%N)
tui_keys F1
ok=1
tui_wait 'Keys everywhere' 1 || ok=0
tui_keys Escape
tui_wait 'PID COMM' 1 || ok=0
tui_keys '<'
tui_wait 'REMOTE▲' 1 || ok=0
t1=$(date +%s%N)
if [ $ok = 1 ]; then pass tui-live-load-keys; else fail tui-live-load-keys; fi
echo "keys answered in $(( (t1 - t0) / 1000000 )) ms for three round trips" >&2
tui_keys q
check tui-live-load-exit tui_wait '^\[exit 0\]' 10
tui_done
