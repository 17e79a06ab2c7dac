#!/usr/bin/env bash
# Strings from a recording or the disk never reach the terminal raw: the
# header's host and kernel, process names in rows and the detail page,
# theme file names in help, all shown with their control bytes visible.
. "$(dirname "$0")/lib.sh"
tui_need tui-hostile
dir=$(mktemp -d /tmp/socktop-tui-hostile.XXXXXX)
trap 'tui_cleanup; rm -rf "$dir"' EXIT
"$TUI_ROOT/build/tools/mkfixture" hostile "$dir/h.rec" || { fail tui-hostile-fixture; exit 1; }
cp "$TUI_ROOT"/themes/*.theme "$dir/"
cp "$TUI_ROOT/themes/mono.theme" "$dir/$(printf 'x\033]0;pwn\007')y.theme"

# no OSC (ESC ]), no CSI from the data (ESC [ 2 J, ESC [ 31 m, C1 CSI),
# no BEL anywhere in what the terminal received
raw() { tui_colours | grep -Eq $'\x1b\\]|\x1b\\[2J|\x07|\xc2\x9b|\x9b'; }

tui_start hostile 120 40 SOCKTOP_THEMES="$dir" -- --replay "$dir/h.rec" --no-pace
check tui-hostile-host tui_wait 'socktop evil\\x1b\[2J\\x1b\]0;owned\\x07host'
check tui-hostile-kernel tui_wait 'kernel 6\.18\\x1b\[31m\\xc2\\x9b1m-x|kernel 6\.18\\x1b\[31m\\x9b1m-x'
check tui-hostile-row tui_wait '6666 \\x1b\[31mEVIL'
if raw; then fail tui-hostile-raw-rows; else pass tui-hostile-raw-rows; fi
tui_keys /
tui_type 'comm EVIL'
tui_keys Enter Enter
check tui-hostile-detail tui_wait 'comm \\x1b\[31mEVIL\\x1b\]0;pwn'
if raw; then fail tui-hostile-raw-detail; else pass tui-hostile-raw-detail; fi
tui_keys Escape Escape F1
seek() {
	local i
	for ((i = 0; i < 12; i++)); do
		tui_wait "$1" 1 2>/dev/null && return 0
		tui_keys PageDown
	done
	return 1
}
check tui-hostile-help-theme seek 'x\\x1b\]0;pwn\\x07y'
if raw; then fail tui-hostile-raw-help; else pass tui-hostile-raw-help; fi
tui_keys q q

# a recording cut short, under a name holding escapes: the fault names it
# escaped on the status line, on the messages page (L) and on stderr after
# exit, and the terminal (title, bytes received) is untouched
cut="$dir/$(printf 'cut\033]0;pwn\007\302\233')"
gzip -dc "$dir/h.rec" | head -c 3000 | gzip >"$cut"
tui_start hostile_log 120 40 SOCKTOP_THEMES="$dir" -- --replay "$cut" --no-pace
tmux -L "$TUI_SOCK" pipe-pane -o "cat >>$dir/raw"
# a pane's title starts as the host name (read here: the pipe may attach
# after the first bytes)
host=$(tmux -L "$TUI_SOCK" display -p '#{host}') short=$(tmux -L "$TUI_SOCK" display -p '#{host_short}')
check tui-hostile-log-status tui_wait '^replay: .*cut\\x1b\]0;pwn\\x07\\xc2\\x9b: '
tui_keys L
check tui-hostile-log-page tui_wait '^replay: .*cut\\x1b\]0;pwn\\x07\\xc2\\x9b: '
tui_keys Escape q
check tui-hostile-log-stderr tui_wait '^socktop: replay: .*cut\\x1b\]0;pwn\\x07\\xc2\\x9b: '
title=$(tmux -L "$TUI_SOCK" display -p '#{pane_title}')
check tui-hostile-log-title [ "$title" = "$host" -o "$title" = "$short" ]
if grep -aEq $'\x1b\\]0;pwn|\x07|\xc2\x9b' "$dir/raw"; then fail tui-hostile-log-raw
else pass tui-hostile-log-raw; fi
tui_done
