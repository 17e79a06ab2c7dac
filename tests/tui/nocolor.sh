#!/usr/bin/env bash
# NO_COLOR: no colour escapes, attributes only; --theme; unknown theme is
# a note, not a failure; non-UTF-8 locale falls back to ASCII.
. "$(dirname "$0")/lib.sh"
tui_need tui-nocolor

tui_start nocolor 120 40 NO_COLOR=1 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced' || { fail tui-nocolor-start; exit 1; }
if tui_colours | grep -Eq $'\x1b\\[[0-9;]*(3[0-7]|9[0-7]|38;5);?[0-9;]*m'; then
	fail tui-nocolor-no-colours; tui_colours | grep -E $'\x1b\\[[0-9;]*3[0-7]' | head -3 | cat -v >&2
else
	pass tui-nocolor-no-colours
fi
check tui-nocolor-reverse grep -q $'\x1b\\[7m' <<<"$(tui_colours)"
tui_keys q

# a terminal without colours (vt100): attributes only, like NO_COLOR
tui_start vt100 120 40 TERM=vt100 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced' >/dev/null
if tui_colours | grep -Eq $'\x1b\\[[0-9;]*(3[0-7]|4[0-7]|9[0-7]|38;5);?[0-9;]*m'; then
	fail tui-vt100-no-colours
else
	pass tui-vt100-no-colours
fi
check tui-vt100-rows tui_wait 'redis-server'
tui_keys q

tui_start colour 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced' >/dev/null
check tui-colour-has-colours grep -Eq $'\x1b\\[[0-9;]*3[0-7]m' <<<"$(tui_colours)"
tui_keys t
check tui-theme-cycle tui_wait 'theme high-contrast'
tui_keys q

tui_start badtheme 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace --theme nosuch
check tui-theme-missing tui_wait "theme 'nosuch' not found"
tui_keys q

tui_start ascii 120 40 LANG=C LC_ALL=C -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced' >/dev/null
tui_keys /
tui_type 'comm python3'
tui_keys Enter Enter
if tui_wait 'Timeline' && tui_screen | grep -q '^ESTABLISHED |##' && ! tui_screen | grep -q '█'; then
	pass tui-ascii-fallback
else
	fail tui-ascii-fallback
fi
tui_keys q
tui_done
