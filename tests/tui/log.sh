#!/usr/bin/env bash
# Messages while curses owns the screen go to the status line and the
# messages page (L), never behind the UI; stderr gets them after exit.
. "$(dirname "$0")/lib.sh"
tui_need tui-log
bad=$(mktemp /tmp/socktop-tui-log.XXXXXX)
err=$(mktemp /tmp/socktop-tui-log-err.XXXXXX)
trap 'tui_cleanup; rm -f "$bad" "$err"' EXIT
# a recording cut short: the replay reports a fault part way through
gzip -dc "$TUI_FIX/basic.rec" | head -c 3000 | gzip > "$bad"

tui_start log 120 40 -- --replay "$bad" --no-pace
check tui-log-status tui_wait '^replay: .*'"$(basename "$bad")"
tui_keys L
check tui-log-page tui_wait 'Messages \(1 logged'
check tui-log-page-line tui_wait '^replay: '
tui_keys Escape
check tui-log-back tui_wait 'PID COMM'
tui_keys q
check tui-log-exit2 tui_wait '^\[exit 2\]'
# after the UI closed, the message went to stderr (printed into the pane)
check tui-log-stderr tui_wait '^socktop: replay: '
tui_done
