#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A 10000x10000 terminal and 200 rapid resizes: memory stays bounded
# (what is drawn is clamped to 1000x500, and the key bar says so), the UI
# keeps drawing, and q, SIGTERM and SIGHUP each end it at once.
. "$(dirname "$0")/lib.sh"
tui_need tui-huge

MAX_KB=150000 # what is drawn costs about 50 MB; unbounded, it was gigabytes

socktop_pid() { # the socktop child of the pane's shell
	local i pp
	for i in $(seq 1 100); do
		pp=$(tmux -L "$TUI_SOCK" display -p '#{pane_pid}' 2>/dev/null)
		SPID=$(pgrep -P "$pp" -x socktop | head -1)
		[ -n "$SPID" ] && return 0
		sleep 0.05
	done
	return 1
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SPID/status" 2>/dev/null || echo 0; }
gone_within() { # SECS: the process ends within SECS
	local i
	for i in $(seq 1 $(($1 * 20))); do
		kill -0 "$SPID" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}
start_huge() { # name: the UI up, then the terminal made 10000x10000
	tui_start "huge-$1" 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
	tui_wait 'replay unpaced' && socktop_pid || return 1
	tui_resize 10000 10000
	tui_wait 'terminal 10000x10000: drawn 1000x500' 10
}

if start_huge mem; then
	sleep 2
	kb=$(rss_kb)
	if [ "$kb" -gt 0 ] && [ "$kb" -lt $MAX_KB ]; then
		pass tui-huge-bounded
	else
		fail tui-huge-bounded "resident ${kb} kB after 2 s at 10000x10000"
	fi
	# 200 rapid resizes, huge and tiny among them
	sizes=(10000x10000 1x1 80x24 5000x3 3x5000 200x60 9999x9999 60x15 1000x500 1001x501)
	for i in $(seq 0 199); do
		s=${sizes[$((i % ${#sizes[@]}))]}
		tmux -L "$TUI_SOCK" resize-window -x "${s%x*}" -y "${s#*x}" 2>/dev/null
	done
	tui_resize 120 40
	kb=$(rss_kb)
	# the size notice goes with the frame drawn at 120x40, which may come a
	# moment after the rows do
	if tui_wait 'redis-server' 10 && kill -0 "$SPID" && [ "$(rss_kb)" -lt $MAX_KB ] &&
		tui_gone 'terminal .*drawn' 5; then
		pass tui-huge-200-resizes
	else
		fail tui-huge-200-resizes "resident $(rss_kb) kB (after the resizes: $kb kB)"
	fi
	tui_resize 10000 10000
	tui_wait 'terminal 10000x10000' 10
	tui_keys q
	if gone_within 3 && tui_wait '^\[exit 0\]' 10; then
		pass tui-huge-q
	else
		fail tui-huge-q "q did not end it within 3 s"
	fi
else
	fail tui-huge-bounded "no notice at 10000x10000"
fi
for sig in TERM HUP; do
	if start_huge "$sig"; then
		kill -"$sig" "$SPID"
		if gone_within 3 && tui_wait '^\[exit 0\]' 10; then
			pass "tui-huge-sig$sig"
		else
			fail "tui-huge-sig$sig" "still running 3 s after SIG$sig"
			kill -9 "$SPID" 2>/dev/null
		fi
	else
		fail "tui-huge-sig$sig" "no notice at 10000x10000"
	fi
done
tui_done
