#!/usr/bin/env bash
# Paced replay: the clock runs, Space pauses it (PAUSED mark, clock held),
# n steps one event, + and - change the speed.
. "$(dirname "$0")/lib.sh"
tui_need tui-replay

tui_start replay 120 40 -- --replay "$TUI_FIX/basic.rec" --speed 2
check tui-replay-paced tui_wait 'replay x2 *$'
tui_keys Space
check tui-replay-paused tui_wait 'replay x2 +PAUSED'
up1=$(tui_screen | grep -o 'running [0-9.a-z]*' | head -1)
sleep 1.2 # the clock must hold still for a while: a fixed wait is the point
up2=$(tui_screen | grep -o 'running [0-9.a-z]*' | head -1)
check tui-replay-clock-held test -n "$up1" -a "$up1" = "$up2"
n1=$(tui_screen | grep -Eo "open [0-9]+" | awk '{print $2}')
# each n delivers one event; within a few, a new socket shows up
stepped=0
for i in 1 2 3 4 5; do
	tui_keys n
	if tui_wait "open $((n1 + 1)) " 1 2>/dev/null; then stepped=1; break; fi
done
if [ $stepped = 1 ]; then pass tui-replay-step; else fail tui-replay-step "from $n1"; fi
tui_keys +
check tui-replay-faster tui_wait 'replay speed x4'
tui_keys - -
check tui-replay-slower tui_wait 'replay speed x1'
tui_keys Space
check tui-replay-resumed tui_gone 'PAUSED'
tui_keys q
tui_done
