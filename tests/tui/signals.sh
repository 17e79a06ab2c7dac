#!/usr/bin/env bash
# The terminal is handed back exactly as it was on q, SIGINT, SIGTERM,
# SIGHUP, SIGQUIT and a fatal signal (SIGSEGV, SIGABRT, SIGBUS: restored by
# the handler, then the default action): `stty -g` byte for byte, and in
# tmux's own view of the pane the cursor visible, the alternate screen
# left, mouse reporting and keypad (application cursor) mode off. From a
# replay, and (root) on live capture, where stderr is captured meanwhile.
. "$(dirname "$0")/lib.sh"
tui_need tui-signals
dir=$(mktemp -d /tmp/socktop-tui-signals.XXXXXX)
trap 'tui_cleanup; rm -rf "$dir"' EXIT

# The pane runs this: modes before, socktop (its pid in $dir/pid), modes
# after, then waits so the pane can be read.
cat >"$dir/run.sh" <<'EOF'
#!/bin/sh
dir=$1; shift
before=$(stty -g)
sh -c 'echo $$ > "$0/pid"; exec "$@"' "$dir" "$@"
rc=$?
after=$(stty -g)
if [ "$before" = "$after" ]; then echo "[stty same]"; else echo "[stty differs] $before -> $after"; fi
echo "[exit $rc]"
sleep 60
EOF

# tmux's flags for the pane, in the order of the expected strings below
FLAGS='alt=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag} kcursor=#{keypad_cursor_flag} mouse=#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}#{mouse_all_flag}#{mouse_sgr_flag}#{mouse_utf8_flag}'
RUNNING='alt=1 cursor=0 keypad=1 kcursor=1 mouse=11'
RESTORED='alt=0 cursor=1 keypad=0 kcursor=0 mouse=000000'
flags() { tmux -L "$TUI_SOCK" display-message -p "$FLAGS"; }

# start NAME [live]: a replay, or live capture (root; stderr is then
# captured by the UI, and a fatal signal must put it back too)
start() {
	local args="--replay $TUI_FIX/basic.rec --no-pace"
	MARK='replay unpaced'
	if [ "${2:-}" = live ]; then
		args="-L 23901"
		MARK=' live *$'
	fi
	tui_cleanup
	rm -f "$dir/pid"
	TUI_SOCK="socktop-tui-signals-$1-$$"
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 100 -y 30 \
		"env -i PATH=/usr/bin:/bin TERM=tmux-256color LANG=C.UTF-8 SOCKTOP_THEMES=$TUI_ROOT/themes sh $dir/run.sh $dir $TUI_BIN $args"
	tmux -L "$TUI_SOCK" set-option -g status off >/dev/null
	tui_wait "$MARK" 10 >/dev/null
}

# the modes were really changed while it ran (else the test proves nothing)
running_flags() {
	local f
	f=$(flags)
	case $f in "$RUNNING"*) return 0 ;; esac
	echo "while running: $f (want $RUNNING...)" >&2
	return 1
}

restored_flags() {
	local f
	f=$(flags)
	[ "$f" = "$RESTORED" ] && return 0
	echo "after exit: $f (want $RESTORED)" >&2
	return 1
}

# one NAME HOW STATUS [live]: stop socktop by HOW (q or a signal name),
# then the exit status, stty state, screen and pane modes
one() {
	local name=$1 how=$2 status=$3
	start "$name" "${4:-}"
	check "tui-signals-$name-modes-on" running_flags
	if [ "$how" = q ]; then
		tui_keys q
	else
		kill -"$how" "$(cat "$dir/pid")"
	fi
	check "tui-signals-$name-exit" tui_wait "^\[exit $status\]"
	check "tui-signals-$name-stty" tui_wait '^\[stty same\]'
	check "tui-signals-$name-screen" tui_gone "$MARK"
	check "tui-signals-$name-modes" restored_flags
}

one quit q 0
one int INT 0
one term TERM 0
one hup HUP 0
one sigquit QUIT 0
one segv SEGV 139
one abrt ABRT 134
one bus BUS 135
if [ "$(id -u)" = 0 ]; then
	one live-quit q 0 live
	one live-term TERM 0 live
	one live-segv SEGV 139 live
	one live-abrt ABRT 134 live
else
	skip tui-signals-live "needs root (live capture)"
fi
tui_done
