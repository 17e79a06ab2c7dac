#!/usr/bin/env bash
# Resizing: full UI at 80x24 and 60x15, a short notice below, back again,
# no crash; the terminal is handed back on quit.
. "$(dirname "$0")/lib.sh"
tui_need tui-resize

tui_start resize 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced' || { fail tui-resize-start; exit 1; }
tui_resize 80 24
# every column fits, the key bar is there
if tui_wait 'PID COMM .* AGE$' && tui_wait 'F1Help'; then
	pass tui-resize-80x24
else
	fail tui-resize-80x24
fi
check tui-resize-80x24-rows tui_wait 'postgres .*127\.0\.0\.1:5432'
tui_keys Enter
check tui-resize-80x24-detail tui_wait 'Timeline'
tui_keys Escape
tui_resize 60 15
check tui-resize-60x15 tui_wait 'LOCAL'
tui_resize 40 10
check tui-resize-small-notice tui_wait 'socktop needs 60x15 \(now 40x10\)'
tui_resize 20 5
check tui-resize-tiny tui_wait 'needs'
tui_resize 100 30
check tui-resize-back tui_wait 'redis-server'
tui_keys q
check tui-resize-exit tui_wait '^\[exit 0\]'
tui_done
