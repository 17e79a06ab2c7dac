#!/usr/bin/env bash
# The Processes pane hides processes that hold no socket now (a loop of
# exited curls would pad it), says how many rows it left, and a shows
# them again.
. "$(dirname "$0")/lib.sh"
tui_need tui-procs-idle

fix=$(tui_fixture timewait) || { fail tui-procs-idle-fixture; exit 1; }
tui_start procsidle 120 40 -- --replay "$fix" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null || { fail tui-procs-idle-start; exit 1; }
tui_keys Tab Tab
tui_wait 'Groups +2 of 3' 3 >/dev/null
check tui-procs-idle-count tui_wait 'Processes   Groups +2 of 3'
check tui-procs-idle-shown tui_wait ' 812 .*nginx'
if tui_screen | grep -Eq '(^| )4300 .*wget'; then fail tui-procs-idle-hidden; tui_dump; else pass tui-procs-idle-hidden; fi
tui_keys a
check tui-procs-idle-note tui_wait 'processes holding no socket shown'
check tui-procs-idle-all tui_wait '(^| )4300 .*wget'
tui_keys a
check tui-procs-idle-again tui_gone '(^| )4300 .*wget' 3
tui_keys q
tui_done
