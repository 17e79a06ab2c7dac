#!/usr/bin/env bash
# F3 search over a million rows: what the key's frame cannot read is read
# between frames, and the answer is the same: the one row holding a text
# is selected, text no row holds says "not found", Esc stops a search.
. "$(dirname "$0")/lib.sh"
tui_need tui-search-many
FIX=$(mktemp --suffix=.rec /tmp/socktop-search-many.XXXXXX)
trap 'rm -f "$FIX"; tui_cleanup' EXIT
# a million sockets with the listener: none evicted (--max-sockets)
if ! "$TUI_ROOT/build/tools/mkfixture" big 999999 "$FIX" >/dev/null; then
	skip tui-search-many "mkfixture big failed"
	exit 0
fi
# the first IPv4 socket made (the newest rows come first: it is far down):
# its endpoints, which no other socket has
read -r lport raddr rport <<<"$("$TUI_BIN" --replay "$FIX" --stream 2>/dev/null |
	awk '$8 == "CLOSE" && $10 == "SYN_SENT" && $4 == "10.0.0.5" { print $5, $6, $7; exit }')"
needle="$raddr:$rport"

tui_start search_many 160 40 -- --replay "$FIX" --no-pace
if ! tui_wait 'replay unpaced \(end\)' 90 >/dev/null; then
	fail tui-search-many-start "the replay did not end in 90 s"
	exit 1
fi
tui_keys F3
tui_type "$needle"
check tui-search-many-found tui_sel_has "10\.0\.0\.5:$lport .*${needle//./\\.}" 200
tui_keys C-u
tui_type 'nosuchproc'
check tui-search-many-none tui_wait 'Search: nosuchproc +not found' 20
# Esc while it reads: the prompt goes, and no late answer comes after it
tui_keys C-u
tui_type 'nosuchprod'
tui_keys Escape
tui_gone 'Search:' 5 >/dev/null
sleep 1
if tui_screen | grep -q 'not found'; then
	fail tui-search-many-stopped "a late answer after Esc"
else
	pass tui-search-many-stopped
fi
tui_keys q
tui_done
