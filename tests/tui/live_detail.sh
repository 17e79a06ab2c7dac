#!/usr/bin/env bash
# The detail page follows its socket while it lives: on a paused replay,
# stepping events (n) adds the socket's new transitions to the open page.
. "$(dirname "$0")/lib.sh"
tui_need tui-live-detail

tui_start livedetail 120 40 -- --replay "$TUI_FIX/basic.rec" --speed 1
tui_wait 'replay x1' >/dev/null
tui_keys Space
tui_wait PAUSED >/dev/null
tui_keys /
tui_type 'comm python3'
tui_keys Enter
# step one event at a time until REGEX shows (at most N steps)
step_until() {
	local re=$1 n=$2 i
	for ((i = 0; i < n; i++)); do
		tui_screen | grep -Eq -- "$re" && return 0
		tui_keys n
		sleep 0.03
	done
	tui_wait "$re" 1
}
# the python3 socket connects 20 s in, and is ESTABLISHED 31 ms later
step_until 'python3 .*SYN_SENT' 150
if tui_wait 'python3 .*SYN_SENT' 2; then pass tui-live-detail-appears; else fail tui-live-detail-appears; fi
tui_keys Enter
check tui-live-detail-open tui_wait 'Socket 0x[0-9a-f]+ +SYN_SENT'
step_until 'SYN_SENT -> ESTABLISHED' 5
check tui-live-detail-established tui_wait 'SYN_SENT -> ESTABLISHED' 2
step_until 'ESTABLISHED -> CLOSE_WAIT' 150
check tui-live-detail-close-wait tui_wait 'ESTABLISHED -> CLOSE_WAIT +0 swapper/1' 2
check tui-live-detail-state tui_wait 'Socket 0x[0-9a-f]+ +CLOSE_WAIT'
tui_keys Escape q
tui_done
