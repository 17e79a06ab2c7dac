#!/usr/bin/env bash
# Frame pacing, seen from outside: no output at all while nothing changes
# (replay finished, clock frozen), and at most about 10 frames a second
# while a paced replay runs (counted as write() calls to the terminal).
. "$(dirname "$0")/lib.sh"
tui_need tui-frames
if ! command -v strace >/dev/null; then skip tui-frames "strace not installed"; exit 0; fi
if [ "$(id -u)" != 0 ] && [ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 0 ]; then
	skip tui-frames "strace cannot attach (not root, yama ptrace_scope)"; exit 0
fi
pidf=$(mktemp /tmp/socktop-tui-frames.XXXXXX)
trap 'tui_cleanup; rm -f "$pidf" "$pidf.st"' EXIT

nstart=0
start() { # extra socktop args
	tui_cleanup
	nstart=$((nstart + 1))
	TUI_SOCK="socktop-tui-frames-$nstart-$$"
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 120 -y 40 \
		"env TERM=tmux-256color LANG=C.UTF-8 sh -c 'echo \$\$ > $pidf; exec $TUI_BIN --replay $TUI_FIX/basic.rec $*'; echo \"[exit \$?]\"; sleep 30"
	tui_wait 'replay' >/dev/null
}

# frames drawn during SECS seconds: bursts of write(1, ...) separated by
# more than 30 ms (curses 6.4 flushes at each cursor jump, so one frame is
# several writes close together)
writes() {
	timeout "$1" strace -qq -tt -e trace=write -e signal=none -p "$(cat "$pidf")" \
		-o "$pidf.st" 2>/dev/null
	awk '$2 ~ /^write\(1,/ { split($1, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3];
		if (s - last > 0.03) n++; last = s } END { print n + 0 }' "$pidf.st"
}

start --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null
n=$(writes 2)
if [ "$n" -eq 0 ]; then pass tui-frames-idle; else fail tui-frames-idle "$n frames in 2 s with nothing changing"; fi
tui_keys Down
tui_wait 'replay' >/dev/null
n=$(writes 1)
[ "$n" -eq 0 ] && pass tui-frames-idle-after-key || fail tui-frames-idle-after-key "$n frames"
tui_keys q

start --speed 4
n=$(writes 3)
# the clock and events change the screen all the time: about 10 frames/s
if [ "$n" -ge 10 ] && [ "$n" -le 33 ]; then pass tui-frames-paced; else fail tui-frames-paced "$n frames in 3 s"; fi
tui_keys q
tui_done
