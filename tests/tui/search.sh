#!/usr/bin/env bash
# F3 search: the cursor jumps to the first row whose pid, name or address
# holds the text; F3 again finds the next; no match says so; Esc closes.
. "$(dirname "$0")/lib.sh"
tui_need tui-search

tui_start search 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null || { fail tui-search-start; exit 1; }
tui_keys F3
tui_type 'pytho'
check tui-search-name tui_sel_has 'python3'
tui_keys Escape
# F3 again opens with the last search (htop): C-u starts a new one
tui_keys F3
check tui-search-kept tui_wait 'Search: pytho *$'
tui_keys C-u
tui_type '203.0.113'
check tui-search-addr tui_sel_has '203\.0\.113\.'
first=$(tui_selected | grep -o '203\.0\.113\.[0-9]*:[0-9]*')
tui_keys F3
if tui_sel_has '203\.0\.113\.' && ! tui_selected | grep -q "$first"; then
	pass tui-search-next
else
	fail tui-search-next "still on $first"
fi
# the search closed with Enter: F3 goes on to the next match at once
tui_keys Enter
tui_gone 'Search:' 3 >/dev/null
second=$(tui_selected | grep -o '203\.0\.113\.[0-9]*:[0-9]*')
tui_keys F3
if tui_wait 'Search: 203\.0\.113 *$' 3 >/dev/null && tui_sel_has '203\.0\.113\.' &&
	! tui_selected | grep -q "$second"; then
	pass tui-search-f3-next
else
	fail tui-search-f3-next "still on $second"
fi
tui_type 'zzz'
check tui-search-none tui_wait 'Search: 203\.0\.113zzz +not found'
tui_keys Escape
check tui-search-closed tui_gone 'Search:'
tui_keys q
tui_done
