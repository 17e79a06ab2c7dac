#!/usr/bin/env bash
# Help (F1 and ?) lists every key from the key tables, the filter terms
# and the themes; Esc closes it.
. "$(dirname "$0")/lib.sh"
tui_need tui-help

tui_start help 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced' || { fail tui-help-start; exit 1; }
tui_keys F1
check tui-help-open tui_wait 'Keys everywhere'
s=$(tui_screen)
check tui-help-filter-key grep -Eq '/ F4 \\ +filter prompt' <<<"$s"
check tui-help-quit grep -Eq 'q F10 +quit' <<<"$s"
check tui-help-sort grep -Eq 'F6 > +sort by the next column' <<<"$s"
# page down until REGEX shows (the help grows with the panes)
seek() {
	local i
	for ((i = 0; i < 12; i++)); do
		tui_wait "$1" 1 2>/dev/null && return 0
		tui_keys PageDown
	done
	return 1
}
check tui-help-terms seek 'lport N\[,N\.\.\.\] +local port'
check tui-help-themes seek 'default\* +high-contrast +light +mono'
tui_keys Escape
check tui-help-close tui_wait 'PID COMM'
tui_keys '?'
check tui-help-question tui_wait 'Keys everywhere'
tui_keys q
check tui-help-q-closes tui_wait 'PID COMM'
tui_keys q
tui_done
