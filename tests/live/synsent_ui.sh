#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live, in tmux: a connect that started while socktop runs and never gets
# an answer shows its real local port (the SYN_SENT transition comes
# before the kernel picks it; connect()'s return says it), and resync
# passes do not take it for another socket (on a shared host others'
# sockets may still be repaired: test_resync checks the count). Port 25210.
. "$(dirname "$0")/../tui/lib.sh"
ROOT=$TUI_ROOT
NAMES="synsent_ui_port synsent_ui_no_repair"
tui_need_live $NAMES
PORT=25210
TMPD=$(mktemp -d /tmp/socktop-synsent.XXXXXX)
HOLD=""
finish() {
	[ -n "$HOLD" ] && kill "$HOLD" 2>/dev/null
	tui_cleanup
	rm -rf "$TMPD"
}
trap finish EXIT INT TERM

tui_start synsent 120 40 -- --resync 1
if ! tui_wait ' live *$' 20 >/dev/null; then
	for t in $NAMES; do fail "$t" "socktop did not start"; done
	exit 0
fi
tui_keys /
tui_type "rport $PORT state syn_sent"
tui_keys Enter
python3 "$ROOT/tests/live/synsent_hold.py" $PORT 40 >"$TMPD/hold.out" 2>&1 &
HOLD=$!
for i in $(seq 1 200); do grep -q '^ready' "$TMPD/hold.out" && break; sleep 0.05; done
LP=$(awk '/^ready/ {print $2}' "$TMPD/hold.out")
if [ -z "$LP" ]; then
	for t in $NAMES; do fail "$t" "holder did not start: $(head -c 300 "$TMPD/hold.out")"; done
	exit 0
fi
check synsent_ui_port tui_wait "python3 .*127\.0\.0\.1:$LP +127\.0\.0\.1:$PORT +SYN_SENT" 5
# three passes later (one a second) it is the same row: not closed and
# found again (a row a resync found has its age marked "at least")
sleep 3.5 # passes are timed by socktop's clock: waiting for them is the point
s=$(tui_screen)
if grep -Eq "python3 .*127\.0\.0\.1:$LP +127\.0\.0\.1:$PORT +SYN_SENT +[0-9.]+[a-z]+ +[0-9.]+[a-z]+( |$)" <<<"$s"; then
	pass synsent_ui_no_repair
else
	fail synsent_ui_no_repair; tui_dump
fi
tui_keys q
tui_done
