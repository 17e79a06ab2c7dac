# SPDX-License-Identifier: GPL-2.0
# Helpers for tmux-driven UI tests: a private tmux server per test, fixed
# size, no user config, a controlled environment; synchronise by polling
# the screen for a pattern (50 ms steps, bounded), never by bare sleeps.
#
#   . tests/tui/lib.sh
#   tui_start NAME 120 40 [ENV=VAL...] -- ARGS...   # socktop ARGS in tmux
#   tui_wait 'REGEX' [SECS]    # until the screen matches (else FAIL + screen)
#   tui_gone 'REGEX' [SECS]    # until it no longer matches
#   tui_keys KEY...            # tmux key names: Enter Escape F6 Down C-c
#   tui_type 'text'            # literal text
#   tui_screen                 # print the screen (one line per row)
#   tui_colours                # the screen with SGR escapes
#   tui_resize W H
#   pass NAME / fail NAME [why] / skip NAME why
set -u
TUI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TUI_BIN=${SOCKTOP:-$TUI_ROOT/socktop}
TUI_FIX=${TUI_FIXTURES:-$TUI_ROOT/build/fixtures}
TUI_SOCK=""
TUI_FAILS=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; TUI_FAILS=$((TUI_FAILS + 1)); }
skip() { echo "SKIP $1: $2"; }

tui_need() { # skip the whole file when tmux or the binary is missing
	local name=$1
	if ! command -v tmux >/dev/null; then skip "$name" "tmux not installed"; exit 0; fi
	if [ ! -x "$TUI_BIN" ]; then skip "$name" "no socktop binary (make)"; exit 0; fi
	tui_fixtures || { skip "$name" "cannot make fixtures (build/tools/mkfixture)"; exit 0; }
}

# tui_need_live NAME...: for live UI tests: skip every named test, with
# the reason, and exit when not root, no tmux or no binary.
tui_need_live() {
	local why="" t
	if [ "$(id -u)" != 0 ]; then why="needs root (live BPF capture)"
	elif ! command -v tmux >/dev/null; then why="tmux not installed"
	elif [ ! -x "$TUI_BIN" ]; then why="socktop not built"
	fi
	[ -z "$why" ] && return 0
	for t in "$@"; do skip "$t" "$why"; done
	exit 0
}

# Generate the recordings the tests use (deterministic, cheap).
tui_fixtures() {
	local gen=$TUI_ROOT/build/tools/mkfixture
	mkdir -p "$TUI_FIX" || return 1
	[ -x "$gen" ] || return 1
	[ -s "$TUI_FIX/basic.rec" ] && [ "$TUI_FIX/basic.rec" -nt "$gen" ] && return 0
	"$gen" basic "$TUI_FIX/basic.rec.tmp" && mv "$TUI_FIX/basic.rec.tmp" "$TUI_FIX/basic.rec"
}

# Another mkfixture recording by its kind (timewait ...): its path, made
# when missing or older than the generator.
tui_fixture() {
	local gen=$TUI_ROOT/build/tools/mkfixture f=$TUI_FIX/$1.rec
	if ! [ -s "$f" ] || ! [ "$f" -nt "$gen" ]; then
		"$gen" "$1" "$f.tmp" && mv "$f.tmp" "$f" || return 1
	fi
	echo "$f"
}

tui_cleanup() {
	[ -n "$TUI_SOCK" ] && tmux -L "$TUI_SOCK" kill-server 2>/dev/null
	TUI_SOCK=""
}
trap tui_cleanup EXIT INT TERM

# tui_start NAME W H [VAR=VAL...] -- socktop args
tui_start() {
	local name=$1 w=$2 h=$3 envs=() cmd
	shift 3
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
	[ "${1:-}" = "--" ] && shift
	tui_cleanup
	TUI_SOCK="socktop-tui-$name-$$"
	cmd="env -i PATH=/usr/bin:/bin HOME=/tmp TERM=tmux-256color LANG=C.UTF-8 TZ=UTC"
	cmd+=" SOCKTOP_THEMES=$TUI_ROOT/themes"
	# no user's column choices (F2): a test that wants a file passes its own
	cmd+=" XDG_CONFIG_HOME=/nonexistent/socktop-tests"
	for e in "${envs[@]+"${envs[@]}"}"; do cmd+=" $(printf %q "$e")"; done
	cmd+=" $(printf %q "$TUI_BIN")"
	for a in "$@"; do cmd+=" $(printf %q "$a")"; done
	# keep the pane after exit so a crash leaves its last screen readable
	tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x "$w" -y "$h" \
		"$cmd; echo \"[exit \$?]\"; sleep 30"
	tmux -L "$TUI_SOCK" set-option -g status off >/dev/null
}

tui_screen() { tmux -L "$TUI_SOCK" capture-pane -p -J 2>/dev/null; }
tui_colours() { tmux -L "$TUI_SOCK" capture-pane -p -e 2>/dev/null; }
# The selected row (default theme: black on cyan; tmux may leave out the
# black when the line before set it): its text, "" when none is shown.
tui_selected() { tui_colours | grep -aE $'\e\\[(30m\e\\[)?46m *[0-9~-]'; }
# The selected row holds the pattern, within TRIES x 50 ms (default 60).
tui_sel_has() {
	local i
	for ((i = 0; i < ${2:-60}; i++)); do
		tui_selected | grep -q -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
tui_keys() { tmux -L "$TUI_SOCK" send-keys "$@"; }
tui_type() { tmux -L "$TUI_SOCK" send-keys -l "$1"; }
tui_resize() { tmux -L "$TUI_SOCK" resize-window -x "$1" -y "$2"; }

tui_dump() {
	echo "---- screen ----" >&2
	tui_screen >&2
	echo "----------------" >&2
}

# tui_wait REGEX [SECS]: 0 when the screen matches within SECS (default 5)
tui_wait() {
	local re=$1 secs=${2:-5} i n
	n=$((secs * 20))
	for ((i = 0; i < n; i++)); do
		tui_screen | grep -Eq -- "$re" && return 0
		sleep 0.05
	done
	echo "timed out waiting for /$re/" >&2
	tui_dump
	return 1
}

tui_gone() {
	local re=$1 secs=${2:-5} i n
	n=$((secs * 20))
	for ((i = 0; i < n; i++)); do
		tui_screen | grep -Eq -- "$re" || return 0
		sleep 0.05
	done
	echo "timed out waiting for /$re/ to go" >&2
	tui_dump
	return 1
}

# check NAME CMD...: PASS or FAIL by the command's status
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

tui_done() { tui_cleanup; [ "$TUI_FAILS" -eq 0 ]; }
