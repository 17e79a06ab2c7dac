#!/usr/bin/env bash
# Socket detail: Enter opens it, transitions with task context and time in
# state, the timeline bars, Esc goes back to the same row.
. "$(dirname "$0")/lib.sh"
tui_need tui-detail

tui_start detail 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' || { fail tui-detail-start; exit 1; }
# the python3 socket stuck in CLOSE_WAIT: four transitions
tui_keys /
tui_type 'comm python3'
tui_keys Enter
tui_wait 'Filter: comm python3' >/dev/null
tui_keys Enter
if tui_wait 'Socket 0x[0-9a-f]+ +CLOSE_WAIT'; then pass tui-detail-open; else fail tui-detail-open; fi
s=$(tui_screen)
check tui-detail-addr grep -Eq 'remote +\[2001:db8:ffff:1234:5678:9abc:def0:1\]:443' <<<"$s"
check tui-detail-owner grep -q 'owner pid 5120  comm python3' <<<"$s"
check tui-detail-t1 grep -Eq '09:30:20\.000 +0us +CLOSE -> SYN_SENT +5120 python3' <<<"$s"
check tui-detail-t2 grep -Eq 'SYN_SENT -> ESTABLISHED +0 swapper/1 +31ms' <<<"$s"
check tui-detail-t3 grep -Eq '12\.0s +ESTABLISHED -> CLOSE_WAIT +0 swapper/1 +12\.0s' <<<"$s"
check tui-detail-bars grep -Eq '^CLOSE_WAIT +│ +█+│ +26\.9s' <<<"$s"
check tui-detail-timeline grep -q 'life 39.0s' <<<"$s"
tui_keys Escape
check tui-detail-back tui_wait 'python3 .*CLOSE_WAIT'
tui_keys q
tui_done
