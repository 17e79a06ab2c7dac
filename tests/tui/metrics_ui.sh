#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# --metrics alongside the UI (a replay: no root needed): the UI says where
# it serves on the status line and the messages page; a scrape while the
# UI runs counts every state change of the recording (as many as the
# states stream prints) and the UI keeps answering keys between scrapes;
# q ends both, with status 0, and the port is closed after. Without a
# terminal it says --headless is what runs it without one.
. "$(dirname "$0")/lib.sh"
tui_need tui-metrics-ui
DO="python3 $TUI_ROOT/tests/live/metrics_do.py"
T=$(mktemp -d /tmp/socktop-tui-metrics.XXXXXX)
trap 'tui_cleanup; rm -rf "$T"' EXIT

# what the recording holds: one states line per state change
states=$("$TUI_BIN" --replay "$TUI_FIX/basic.rec" --stream --json 2>/dev/null | wc -l)

tui_start metrics_ui 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace --metrics 127.0.0.1:0
check tui-metrics-ui-status tui_wait 'metrics at http://127\.0\.0\.1:[0-9]+/metrics'
URL=$(tui_screen | grep -o 'http://127\.0\.0\.1:[0-9]*/metrics' | head -1)
tui_keys L
check tui-metrics-ui-log tui_wait '^metrics at http://127\.0\.0\.1:[0-9]+/metrics'
tui_keys Escape
check tui-metrics-ui-rows tui_wait 'PID COMM'
$DO get "$URL" >"$T/m1.txt"
check tui-metrics-ui-counts eval '[ "$states" -gt 10 ] && head -1 "$T/m1.txt" | grep -q "^200 " &&
	grep -qx "socktop_events_total{kind=\"state\"} $states" "$T/m1.txt" &&
	[ "$(awk "/^socktop_transitions_total/ { n += \$2 } END { print n }" "$T/m1.txt")" = "$states" ]'
tui_keys Tab
check tui-metrics-ui-keys tui_wait 'COMM +PROT +ADDR +PORT'
$DO get "$URL" >"$T/m2.txt"
check tui-metrics-ui-again eval 'head -1 "$T/m2.txt" | grep -q "^200 "'
tui_keys q
check tui-metrics-ui-exit tui_wait '^\[exit 0\]'
check tui-metrics-ui-closed eval '! $DO get "$URL" >/dev/null 2>&1'
# without a terminal and without --headless: exit 2, saying what to add
"$TUI_BIN" --replay "$TUI_FIX/basic.rec" --metrics 127.0.0.1:0 </dev/null >"$T/nt.out" 2>"$T/nt.err"
rc=$?
check tui-metrics-ui-no-terminal eval '[ $rc = 2 ] && grep -q "not a terminal.*--headless runs --metrics" "$T/nt.err"'
tui_done
